/**
 * The demonstrations, in-process on the real specs with files on disk
 * in a scratch folder: a DFS counterexample of naive (n = 3, f = 2) shrinks to
 * the BFS-shortest length and its file replays to the same violation; a
 * seeded simulation of naive (n = 5, f = 2) finds and shrinks a violation,
 * and writes byte for byte the file committed in counterexamples/.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/index.js';
import { runRrcheck } from './fixtures/runRrcheck.js';

const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const corpus = new URL('../../counterexamples/', import.meta.url);

function rrcheck(...args: string[]) {
  return runRrcheck(args, { version });
}

const scratch = () => mkdtempSync(join(tmpdir(), 'rrcheck-cx-'));

/** The one file in `dir`: its name and text. */
function onlyFile(dir: string): [string, string] {
  const names = readdirSync(dir);
  expect(names).toHaveLength(1);
  return [names[0]!, readFileSync(join(dir, names[0]!), 'utf8')];
}

describe('naive, chain n=3 f=2', () => {
  it('DFS finds 21 steps, shrinks them to the BFS-shortest 9, and the saved file replays to the same violation', () => {
    const dfsOut = scratch();
    const dfs = rrcheck('check', 'naive', '--n', '3', '--f', '2', '--strategy', 'dfs', '--out', dfsOut, '--progress-interval', '0');
    expect(dfs.code).toBe(ExitCode.safetyViolation);
    const [name, text] = onlyFile(dfsOut);
    expect(dfs.out).toContain(`  safety: found at length 21, shrunk to 9; saved ${join(dfsOut, name)}\n`);
    expect(dfs.out).toContain('Violation of safety (safety): 9 steps');
    expect(dfs.out).toContain('incomplete: stopped at the first violation (safety, depth 21)');

    const bfs = rrcheck('check', 'naive', '--n', '3', '--f', '2', '--json', '--out', scratch());
    const shortest = (JSON.parse(bfs.out) as { trace: { labels: string[] } }).trace.labels;
    const meta = JSON.parse(text)['#meta'].rrcheck as { labels: string[]; foundLength: number; strategy: string };
    expect(meta.labels).toHaveLength(shortest.length);
    expect([meta.foundLength, meta.strategy]).toEqual([21, 'dfs']);

    const replay = rrcheck('replay', join(dfsOut, name));
    expect(replay.code).toBe(ExitCode.safetyViolation);
    expect(replay.out.trimEnd().split('\n').at(-1)).toBe('reproduced: safety is violated after step 9, as recorded.');
    expect(replay.out).toContain("  Why: orphan: p1 depends on p0's delivery #1");
    // The committed corpus holds this very file.
    expect(readFileSync(new URL(name, corpus), 'utf8')).toBe(text);
  });
});

describe('simulate naive, chain n=5 f=2, seed 1', () => {
  it('finds a violation in a random walk, shrinks it to 13 steps, and writes the committed file again', () => {
    const out = scratch();
    const r = rrcheck('simulate', 'naive', '--n', '5', '--f', '2', '--seed', '1', '--out', out, '--progress-interval', '0');
    expect(r.code).toBe(ExitCode.safetyViolation);
    const [name, text] = onlyFile(out);
    expect(r.out).toMatch(/^ {2}seed +1$/m);
    expect(r.out).toMatch(/^ {2}walks +127 of at most 1,000 /m);
    expect(r.out).toContain(`  safety: found at length 19, shrunk to 13; saved ${join(out, name)}\n`);
    expect(JSON.parse(text)['#meta'].rrcheck).toMatchObject({ strategy: 'simulate', seed: 1, foundLength: 19, shrunkLength: 13 });
    // Same seed, same file: the one committed from an earlier run.
    expect(readFileSync(new URL(name, corpus), 'utf8')).toBe(text);
  });
});
