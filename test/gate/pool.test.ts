/**
 * The worker pool on real threads, and `rrcheck gate` as a user runs it. The
 * worker entry is compiled JavaScript, so this suite builds the project into
 * a folder of its own (not dist/, which other suites build concurrently).
 *
 * - Jobs on 2 workers give the same outcomes as the same jobs in this thread.
 * - A worker that dies fails only its job, and the pool carries on.
 * - The executable: the default matrix (specs/gate.json) found from the
 *   package, checks run on 2 workers, and the summary line agrees with the
 *   JUnit report.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuilt, type ProcessRun } from '../cli/fixtures/builtCli.js';
import { specRegistry } from '../../specs/index.js';
import { type GateJob, type JobOutcome, runJob } from '../../src/cli/gate/job.js';
import { workerRunner } from '../../src/cli/gate/pool.js';
import { ExitCode, explore } from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const build = mkdtempSync(join(tmpdir(), 'rrcheck-pool-'));
const workerScript = pathToFileURL(join(build, 'src/cli/gate/worker.js'));

beforeAll(() => {
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json', '--outDir', build], { cwd: root, stdio: 'pipe' });
  symlinkSync(join(root, 'node_modules'), join(build, 'node_modules'), 'dir');
  writeFileSync(join(build, 'package.json'), readFileSync(join(root, 'package.json')));
  mkdirSync(join(build, 'specs'), { recursive: true });
  cpSync(join(root, 'specs/gate.json'), join(build, 'specs/gate.json'));
}, 180_000);

afterAll(() => rmSync(build, { recursive: true, force: true }));

function job(index: number, spec: string, params: Record<string, string | number>, extra: Partial<GateJob> = {}): GateJob {
  return { index, spec, params: { workload: 'chain', n: 3, f: 1, crashes: 1, network: 'unordered', ...params }, strategy: 'bfs', continueAfterViolation: false, coverage: false, ...extra };
}

async function collect(run: (onDone: (job: GateJob, outcome: JobOutcome) => void) => Promise<void>): Promise<Map<number, JobOutcome>> {
  const outcomes = new Map<number, JobOutcome>();
  await run((j, o) => {
    expect(outcomes.has(j.index)).toBe(false);
    outcomes.set(j.index, o);
  });
  return outcomes;
}

describe('workerRunner', () => {
  it('2 workers: every job once, with the outcome the same job has in this thread (coverage included)', async () => {
    const jobs = [
      job(0, 'nonblocking', { f: 2, crashes: 2 }, { coverage: true }),
      job(1, 'naive', {}),
      job(2, 'blocking', {}, { continueAfterViolation: true }),
      job(3, 'nonblocking', { workload: 'ring' }),
      job(4, 'no-such-spec', {}),
    ];
    const threaded = await collect((onDone) => workerRunner(workerScript, 2).run(jobs, onDone));
    expect([...threaded.keys()].sort()).toEqual([0, 1, 2, 3, 4]);
    for (const j of jobs) {
      const here = runJob(specRegistry, j, (t, o) => explore(t, o));
      const there = threaded.get(j.index)!;
      if (here.status === 'error' || there.status === 'error') {
        expect(there).toEqual(here);
        continue;
      }
      // Time and the process's resident size are not the job's to decide.
      const steady = (o: typeof here) => ({ ...o, stats: { ...o.stats, elapsedMs: 0, peakRssBytes: 0 } });
      expect(steady(there)).toEqual(steady(here));
    }
    expect(threaded.get(0)).toMatchObject({ status: 'ok', stats: { distinct: 28447 } });
    expect(threaded.get(4)).toEqual({ status: 'error', message: 'unknown spec no-such-spec' });
  });

  it('a worker that dies fails only the job it was running; a fresh worker takes the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rrcheck-worker-'));
    const script = join(dir, 'dying.mjs');
    writeFileSync(
      script,
      `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (job) => {
  if (job === null) { parentPort.close(); return; }
  if (job.spec === 'die') throw new Error('boom');
  parentPort.postMessage({ status: 'error', message: 'ran ' + job.index });
});
`,
    );
    const jobs = [job(0, 'die', {}), job(1, 'ok', {}), job(2, 'die', {}), job(3, 'ok', {}), job(4, 'ok', {})];
    const outcomes = await collect((onDone) => workerRunner(pathToFileURL(script), 2).run(jobs, onDone));
    expect([...outcomes.entries()].sort((a, b) => a[0] - b[0]).map(([, o]) => (o.status === 'error' ? o.message : o.status))).toEqual([
      'worker died: boom',
      'ran 1',
      'worker died: boom',
      'ran 3',
      'ran 4',
    ]);
  });

  it('rejects a worker count below 1', () => {
    expect(() => workerRunner(workerScript, 0)).toThrow('workers must be a positive integer');
  });
});

/** Runs the built executable from the build folder; resolves with exit code and output. */
function rrcheck(...args: string[]): Promise<ProcessRun> {
  return runBuilt(args, { cwd: build, executable: join(build, 'src/cli/main.js') });
}

describe('rrcheck gate (built executable, worker threads)', () => {
  it('the default matrix, filtered to the broken variants that fail fastest, on 2 workers: summary and JUnit report agree', async () => {
    const r = await rrcheck('gate', '--workers', '2', '--filter', 'early-replay workload=chain', '--junit', 'out/junit.xml');
    expect(r.err).toBe('');
    expect(r.code).toBe(ExitCode.ok);
    expect(r.out).toMatch(/^rrcheck gate specs\/gate\.json: 4 checks on 2 workers, 0 counterexample replays$/m);
    const rows = r.out.split('\n').filter((l) => l.startsWith('PASS '));
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row).toMatch(/^PASS {2}early-replay workload=chain n=[34] f=[12] +expected violates safety \(4 steps\) +got violates safety \(4 steps\) /);
    expect(r.out.trimEnd().split('\n').at(-1)).toBe('gate: 4 passed, 0 failed');
    const xml = readFileSync(join(build, 'out/junit.xml'), 'utf8');
    expect(xml).toMatch(/<testsuites name="rrcheck gate" tests="4" failures="0" errors="0"/);
    expect(xml.match(/<testcase /g)).toHaveLength(4);
  });

  it('a bad matrix: one line on stderr, exit 3, no stack trace', async () => {
    writeFileSync(join(build, 'bad.json'), '{"checks": [{"spec": "nonblocking", "params": {"f": 9}, "expect": "holds"}]}');
    const r = await rrcheck('gate', 'bad.json');
    expect(r.code).toBe(ExitCode.badSpec);
    expect(r.err).toBe('rrcheck: bad gate matrix bad.json: checks[0] (nonblocking).params: bad parameter f=9: must be an integer from 1 to n (3)\n');
    expect(r.out).toBe('');
  });
});
