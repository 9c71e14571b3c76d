/**
 * Checkpoint and resume with the built executable: a run killed with
 * SIGKILL after its first checkpoints, resumed with --resume, ends with the
 * verdict, distinct-state count and counterexample of a run never killed;
 * a checkpoint of another run is refused in one line; flags the search
 * cannot honour are refused in one line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildExecutable, BUILD_MS, builtMain, repoRoot, runBuilt } from './fixtures/builtCli.js';
import { ExitCode } from '../../src/index.js';

beforeAll(buildExecutable, BUILD_MS);

/** Runs the executable and kills it with SIGKILL once stderr matches `when`; resolves with its stderr. */
function killWhen(args: readonly string[], when: RegExp): Promise<{ signal: NodeJS.Signals | null; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [builtMain, ...args], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      err += t;
      if (when.test(err)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ signal, err }));
  });
}

interface CheckJson {
  status: string;
  stats: { distinct: number; transitions: number; maxDepth: number };
  properties: { name: string; status: string }[];
  counterexamples?: { property: string; file: string; shrunkLength: number }[];
}

const summary = (j: CheckJson) => ({ status: j.status, distinct: j.stats.distinct, transitions: j.stats.transitions, maxDepth: j.stats.maxDepth, properties: j.properties });

/** 5 processes, no reduction: 5,963 states over 24 levels, a few seconds. */
const OK_RUN = ['check', 'nonblocking', '--workload', 'chain', '--n', '5', '--f', '1', '--crashes', '1', '--reduce', 'none', '--workers', '1', '--progress-interval', '0', '--json'];
/** A violation of safety at depth 11 (BFS): found after about a second. */
const VIOLATION_RUN = ['check', 'naive', '--workload', 'chain', '--n', '4', '--f', '2', '--crashes', '2', '--reduce', 'none', '--workers', '1', '--progress-interval', '0', '--json'];

describe.concurrent('checkpoint and resume (subprocess)', () => {
  it('a run killed (SIGKILL) after its level-10 checkpoint, resumed, ends as the whole run: ok, 5,963 states', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rrcheck-checkpoint-'));
    const file = join(dir, 'run.ckpt');
    const whole = await runBuilt([...OK_RUN, '--out', dir]);
    expect(whole.code).toBe(ExitCode.ok);
    const killed = await killWhen([...OK_RUN, '--out', dir, '--checkpoint', file, '--checkpoint-interval', '0'], /^checkpoint: level 10,/m);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.err).toMatch(/^checkpoint: level 1, 7 distinct states, 6 queued: [\d,]+ bytes written to .*run\.ckpt in \d+ ms$/m);
    const header = JSON.parse(readFileSync(file).toString('utf8').split('\n')[1]!) as { depth: number; spec: string };
    expect(header.spec).toBe('nonblocking');
    expect(header.depth).toBeGreaterThanOrEqual(10);
    expect(header.depth).toBeLessThan(24);
    const resumed = await runBuilt([...OK_RUN, '--out', dir, '--resume', file]);
    expect(resumed.code).toBe(ExitCode.ok);
    expect(resumed.err).toMatch(new RegExp(`^resuming from .*run\\.ckpt: level ${header.depth}, `, 'm'));
    const [w, r] = [JSON.parse(whole.out) as CheckJson, JSON.parse(resumed.out) as CheckJson];
    expect(w.stats.distinct).toBe(5963);
    expect(summary(r)).toEqual(summary(w));
  }, 120_000);

  it('a violation run killed after its level-5 checkpoint, resumed: the same counterexample file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rrcheck-checkpoint-'));
    const file = join(dir, 'run.ckpt');
    const whole = await runBuilt([...VIOLATION_RUN, '--out', join(dir, 'whole')]);
    expect(whole.code).toBe(ExitCode.safetyViolation);
    const killed = await killWhen([...VIOLATION_RUN, '--out', join(dir, 'killed'), '--checkpoint', file, '--checkpoint-interval', '0'], /^checkpoint: level 5,/m);
    expect(killed.signal).toBe('SIGKILL');
    const resumed = await runBuilt([...VIOLATION_RUN, '--out', join(dir, 'resumed'), '--resume', file]);
    expect(resumed.code).toBe(ExitCode.safetyViolation);
    const [w, r] = [JSON.parse(whole.out) as CheckJson, JSON.parse(resumed.out) as CheckJson];
    expect(summary(r)).toEqual(summary(w));
    const fileOf = (j: CheckJson) => JSON.parse(readFileSync(j.counterexamples![0]!.file, 'utf8')) as { '#meta': { rrcheck: { labels: string[] } } };
    expect(fileOf(r)['#meta'].rrcheck.labels).toEqual(fileOf(w)['#meta'].rrcheck.labels);
    expect(fileOf(w)['#meta'].rrcheck.labels).toHaveLength(w.counterexamples![0]!.shrunkLength);
  }, 120_000);

  it('a checkpoint of other parameters, another spec or another version is refused in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rrcheck-checkpoint-'));
    const file = join(dir, 'small.ckpt');
    const small = ['check', 'nonblocking', '--progress-interval', '0', '--out', dir];
    expect((await runBuilt([...small, '--checkpoint', file, '--checkpoint-interval', '0', '--max-depth', '3'])).code).toBe(ExitCode.incomplete);
    const other = await runBuilt([...small, '--n', '4', '--max-depth', '3', '--resume', file]);
    expect(other.code).toBe(ExitCode.usage);
    expect(other.err).toBe(
      `rrcheck: --resume ${file}: the checkpoint is of parameters workload=chain n=3 f=1 crashes=1 network=unordered stable-host=on reading=brief reduce=eager-drop, ` +
        'this run of workload=chain n=4 f=1 crashes=1 network=unordered stable-host=on reading=brief reduce=eager-drop; give the same spec, parameters and bounds (rrcheck --help for usage)\n',
    );
    const spec = await runBuilt(['check', 'naive', '--progress-interval', '0', '--out', dir, '--max-depth', '3', '--resume', file]);
    expect(spec.err).toContain('the checkpoint is of spec nonblocking, this run of naive;');
    const bound = await runBuilt([...small, '--resume', file]);
    expect(bound.err).toContain('the checkpoint is of --max-depth 3, this run of none;');
    const bytes = readFileSync(file);
    const edited = join(dir, 'edited.ckpt');
    writeFileSync(edited, Buffer.from(bytes.toString('latin1').replace('"toolVersion":"', '"toolVersion":"9.'), 'latin1'));
    const version = await runBuilt([...small, '--max-depth', '3', '--resume', edited]);
    expect(version.code).toBe(ExitCode.usage);
    expect(version.err).toMatch(/^rrcheck: --resume .*edited\.ckpt: the checkpoint was written by rrcheck 9\.[\d.]+, this is rrcheck [\d.]+; run it with that version/);
    const notOne = join(dir, 'not.ckpt');
    writeFileSync(notOne, 'hello\n');
    const malformed = await runBuilt([...small, '--resume', notOne]);
    expect(malformed.code).toBe(ExitCode.malformedFile);
    expect(malformed.err).toBe(`rrcheck: --resume ${notOne}: not an rrcheck checkpoint (its first line differs)\n`);
  }, 120_000);

  it('flags a checkpointed search cannot honour are refused in one line', async () => {
    const cases: [string[], string][] = [
      [['--checkpoint', 'x.ckpt', '--strategy', 'dfs'], 'rrcheck: --checkpoint needs --strategy bfs (a depth-first search is not checkpointed) (rrcheck --help for usage)\n'],
      [['--checkpoint', 'x.ckpt', '--workers', '2'], 'rrcheck: --checkpoint runs the search on one thread: leave out --workers or give --workers 1 (rrcheck --help for usage)\n'],
      [['--checkpoint-interval', '5'], 'rrcheck: --checkpoint-interval needs --checkpoint FILE (rrcheck --help for usage)\n'],
    ];
    for (const [flags, message] of cases) {
      const r = await runBuilt(['check', '--progress-interval', '0', ...flags]);
      expect(r.code).toBe(ExitCode.usage);
      expect(r.err).toBe(message);
    }
  });

  it('a run stopped by --timeout says how to go on, and the resumed run goes on from the checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rrcheck-checkpoint-'));
    const file = join(dir, 'timed.ckpt');
    const long = ['check', 'nonblocking', '--workload', 'chain', '--n', '4', '--f', '2', '--crashes', '2', '--reduce', 'none', '--progress-interval', '0', '--json', '--out', dir];
    const first = await runBuilt([...long, '--timeout', '2', '--checkpoint', file, '--checkpoint-interval', '0']);
    expect(first.code).toBe(ExitCode.incomplete);
    const level = Number(/^the search can go on from .*timed\.ckpt \(level (\d+)\): run the same command with --resume .*timed\.ckpt$/m.exec(first.err)![1]);
    const second = await runBuilt([...long, '--timeout', '2', '--resume', file]);
    expect(second.code).toBe(ExitCode.incomplete);
    expect(second.err).toContain(`: level ${level}, `);
    const [a, b] = [JSON.parse(first.out) as CheckJson, JSON.parse(second.out) as CheckJson];
    expect(b.stats.maxDepth).toBeGreaterThanOrEqual(a.stats.maxDepth);
    expect(b.stats.distinct).toBeGreaterThan(a.stats.distinct);
  }, 120_000);
});
