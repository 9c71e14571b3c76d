/**
 * `--workload FILE.json` and the variant switches on the command line,
 * in-process on the real specs with files in a scratch folder: the file is
 * read once, the run records the program itself (its counterexample replays
 * with the file gone), an unreadable file and an invalid one fail with one
 * line each and different exit codes, and a switch is a flag like any other.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readParamFiles } from '../../src/cli/paramFiles.js';
import { ExitCode, type ParamSchema } from '../../src/index.js';
import { memoryFiles } from './fixtures/memoryFiles.js';
import { runRrcheck } from './fixtures/runRrcheck.js';

function rrcheck(...args: string[]) {
  return runRrcheck(args);
}

const scratch = () => mkdtempSync(join(tmpdir(), 'rrcheck-wl-'));
const example = new URL('../../examples/workloads/chain3.json', import.meta.url);
const CHAIN3 = '{"n":3,"processes":[{"after":[[],[1]]},{"after":[[],[2]]},{"after":[[0]]}]}';

describe('rrcheck check --workload FILE.json', () => {
  it('checks the example file (chain, n = 3, written out) as chain; its counterexample records the program and replays without the file', () => {
    const dir = scratch();
    const file = join(dir, 'chain3.json');
    writeFileSync(file, readFileSync(example, 'utf8'));
    const out = join(dir, 'cx');
    const r = rrcheck('check', 'naive', '--workload', file, '--out', out, '--progress-interval', '0');
    expect(r.code).toBe(ExitCode.safetyViolation);
    expect(r.err).toContain(`checking naive workload=${CHAIN3} n=3 f=1 crashes=1 network=unordered stable-host=on reading=brief reduce=eager-drop (bfs)\n`);
    expect(r.out).toContain('after 185 distinct states of 3 processes');
    const [name] = readdirSync(out);
    const meta = JSON.parse(readFileSync(join(out, name!), 'utf8'))['#meta'].rrcheck as { params: Record<string, unknown> };
    expect(meta.params['workload']).toBe(CHAIN3);
    rmSync(file);
    const replay = rrcheck('replay', join(out, name!));
    expect(replay.code).toBe(ExitCode.safetyViolation);
    expect(replay.out.trimEnd().split('\n').at(-1)).toBe('reproduced: safety is violated after step 9, as recorded.');
  });

  it('an unreadable file exits 4, an invalid one 3, each with one line naming the file (and the place of the mistake)', () => {
    const dir = scratch();
    const missing = rrcheck('check', '--workload', join(dir, 'none.json'));
    expect(missing.code).toBe(ExitCode.malformedFile);
    expect(missing.err).toMatch(/^rrcheck: cannot read workload file .*none\.json: ENOENT: no such file or directory, open '.*none\.json'\n$/);
    const bad = join(dir, 'w.json');
    writeFileSync(bad, '{"n": 3, "processes": [{"after": [[1]]}, {"after": [[], [], [5]]}, {"after": []}]}');
    const invalid = rrcheck('check', '--workload', bad);
    expect(invalid.code).toBe(ExitCode.badSpec);
    expect(invalid.err).toBe(`rrcheck: workload file ${bad}: processes[1].after[2]: destination 5 is not a process (n = 3)\n`);
    writeFileSync(bad, '{"n": 3, ');
    expect(rrcheck('simulate', '--workload', bad, '--seed', '1').err).toMatch(/^rrcheck: workload file .*w\.json: not JSON: .*\n$/);
  });

  it('reads files through the commands\' file access, and only values ending in an extension the parameter names', () => {
    const schema: ParamSchema[] = [
      { name: 'workload', type: 'choice', description: '', defaultValue: 'a', choices: ['a'], parse: (text) => ({ value: text.trim().toUpperCase() }), fileExtensions: ['.json'] },
      { name: 'n', type: 'integer', description: '', defaultValue: 3 },
    ];
    const files = memoryFiles({ 'w.JSON': ' x ' });
    expect(readParamFiles(schema, { workload: 'w.JSON', n: '4' }, files)).toEqual({ workload: 'X', n: '4' });
    expect(readParamFiles(schema, { workload: 'a' }, files)).toEqual({ workload: 'a' });
    expect(readParamFiles(schema, { workload: '{"x": 1}' }, files)).toEqual({ workload: '{"x": 1}' });
  });
});

describe('rrcheck check with variant switches and random workloads', () => {
  it('check nonblocking --incarnation-filter off is check naive, recorded with its one switch', () => {
    const naive = rrcheck('check', 'naive', '--json', '--out', scratch());
    const switched = rrcheck('check', 'nonblocking', '--incarnation-filter', 'off', '--json', '--out', scratch());
    expect(switched.code).toBe(ExitCode.safetyViolation);
    const a = JSON.parse(naive.out) as { stats: { distinct: number }; params: Record<string, unknown>; trace: unknown };
    const b = JSON.parse(switched.out) as typeof a;
    expect(b.stats.distinct).toBe(a.stats.distinct);
    expect(b.trace).toEqual(a.trace);
    expect(b.params).toEqual({ ...a.params, 'incarnation-filter': 'off' });
  });

  it('rrcheck list --json gives each preset its own switch defaults, marked as recorded only when changed', () => {
    type Listed = { specs: { id: string; params: { name: string; default: unknown; recordedWhenChanged?: boolean; appliesWith?: string; fileExtensions?: string[] }[] }[] };
    const json = JSON.parse(rrcheck('list', '--json').out) as Listed;
    const param = (spec: string, name: string) => json.specs.find((s) => s.id === spec)!.params.find((p) => p.name === name)!;
    expect(param('nonblocking', 'incarnation-filter')).toMatchObject({ default: 'on', recordedWhenChanged: true });
    expect(param('naive', 'incarnation-filter')).toMatchObject({ default: 'off', recordedWhenChanged: true });
    expect(param('naive', 'messages')).toMatchObject({ default: 4, appliesWith: 'workload=random or workload=star' });
    expect(param('naive', 'workload')).toMatchObject({ default: 'chain', fileExtensions: ['.json'] });
  });

  it('refuses a meaningless combination, and a random workload\'s budget without it, in one line', () => {
    const r = rrcheck('check', 'manetho', '--blocking', 'on');
    expect([r.code, r.err]).toEqual([
      ExitCode.badSpec,
      'rrcheck: bad parameter combination: blocking=on with manetho-style=on: a Manetho-style responder writes its reply to stable storage and never blocks\n',
    ]);
    const m = rrcheck('check', '--messages', '4');
    expect([m.code, m.err]).toEqual([ExitCode.badSpec, 'rrcheck: bad parameter messages=4: applies only with workload=random or workload=star\n']);
  });

  it('--workload random --workload-seed 7 --messages 5 draws its program and records the seed and budget', () => {
    const r = rrcheck('check', '--workload', 'random', '--workload-seed', '7', '--messages', '5', '--progress-interval', '0');
    expect(r.code).toBe(ExitCode.ok);
    expect(r.err).toContain('checking nonblocking workload=random n=3 workload-seed=7 messages=5 f=1 crashes=1 network=unordered stable-host=on reading=brief reduce=eager-drop (bfs)\n');
    expect(r.out).toContain('exhaustive: every interleaving of 3 processes (random, f = 1)');
  });
});
