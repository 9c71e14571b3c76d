/**
 * `rrcheck timed` in-process on the real FBL registry: the per-process table
 * and its figures, --json, several runs, --paper, and one-line errors for bad
 * flags and for a spec without timing.
 */
import { describe, expect, it } from 'vitest';
import { runRrcheck } from './fixtures/runRrcheck.js';
import { ExitCode } from '../../src/index.js';
import { specRegistry } from '../../specs/index.js';
import { memoryFiles } from './fixtures/memoryFiles.js';
import { pingSpec } from './fixtures/pingSpec.js';

function run(...args: string[]) {
  return runRrcheck(args, { registry: [...specRegistry, pingSpec], version: '9.9.9', files: memoryFiles() });
}

const star = ['--workload', 'star', '--n', '8', '--messages', '20'];

describe('rrcheck timed', () => {
  it('S1 under the blocking baseline: each live process blocked 51.07 ms, p0 recovers in 5081.07 ms', () => {
    const r = run('timed', 'blocking', ...star, '--scenario', 's1');
    expect(r.code).toBe(ExitCode.ok);
    expect(r.out).toContain('scenario s1, seed 1, jitter 0');
    expect(r.out).toContain('crashes: p0 at 10.52 ms');
    expect(r.out).toMatch(/^p0 +0\.00 +0\.00 +5081\.07 +41 +3$/m);
    expect(r.out).toMatch(/^p1 +51\.07 +0\.00 +— +7 +0$/m);
    expect(r.out).toContain('messages by kind: depReq 7, depRep 7, replayReq 20, app 47, resendReq 7');
    expect(r.out).toContain('stable storage: stable-read-recovering 1, stable-write-recovering 2');
    expect(r.out).toContain('final state: every property holds');
  });

  it('S2 needs a crash budget of 2: with the default of 1 the second crash is not injected, and the table says so', () => {
    expect(run('timed', ...star, '--scenario', 's2').out).toContain('crashes: p0 at 10.52 ms (1 of the scenario not injected)');
    expect(run('timed', ...star, '--crashes', '2', '--scenario', 's2').out).toContain('crashes: p0 at 10.52 ms, p7 at 5041.02 ms\n');
  });

  it('the timing flags change the figures: --detect-ms 2000 takes 2 s off the recovery', () => {
    const r = run('timed', ...star, '--detect-ms', '2000');
    expect(r.out).toContain('detection 2000 ms');
    expect(r.out).toMatch(/^p0 +0\.00 +0\.00 +3081\.07 /m);
  });

  it('--json gives the runs as data; --runs 3 gives three seeds', () => {
    const r = run('timed', 'blocking', ...star, '--json', '--runs', '3', '--jitter', '0.2');
    const json = JSON.parse(r.out) as { spec: string; runs: { seed: number; processes: { process: string; blockedMs: number }[]; failing: string[] }[] };
    expect(json.spec).toBe('blocking');
    expect(json.runs.map((x) => x.seed)).toEqual([1, 2, 3]);
    for (const x of json.runs) {
      expect(x.failing).toEqual([]);
      expect(Math.abs(x.processes[1]!.blockedMs / 50 - 1)).toBeLessThanOrEqual(0.1);
    }
    const text = run('timed', ...star, '--runs', '2', '--scenario', 'random', '--crashes', '2');
    expect(text.out).toMatch(/^ +1 +p\d@\d+ p\d@\d+ +0\.00 /m);
    expect(text.out).toMatch(/^mean /m);
  });

  it("--paper prints each figure of the paper's §5 with ours and the ratio", () => {
    const r = run('timed', '--paper');
    expect(r.code).toBe(ExitCode.ok);
    expect(r.out).toMatch(/^S1 +blocking +blocked time per live process +50 ms \(about 50 ms on average\) +51\.07 ms +1\.021$/m);
    expect(r.out).toMatch(/^S2 +blocking +blocked time per live process +5000 ms \(the same amount of time\) +5079\.47 ms +1\.016$/m);
    expect(r.out).toMatch(/second phase: incarnation and depinfo messages \(2n − 2\) +— +14$/m);
  });

  it('bad flag values and a spec without timing are one-line errors with their exit codes', () => {
    for (const [flags, message] of [
      [['--jitter', '1'], '--jitter must be a number in [0, 1), not "1"'],
      [['--delta-ms', '-1'], '--delta-ms must be a number ≥ 0, not "-1"'],
      [['--bandwidth-mbps', '0'], '--bandwidth-mbps must be a number > 0, not "0"'],
      [['--runs', '0'], '--runs must be an integer ≥ 1, not "0"'],
    ] as const) {
      const r = run('timed', ...flags);
      expect(r.code).toBe(ExitCode.usage);
      expect(r.err).toBe(`rrcheck: ${message} (rrcheck --help for usage)\n`);
    }
    const r = run('timed', 'ping');
    expect(r.code).toBe(ExitCode.badSpec);
    expect(r.err).toBe('rrcheck: spec ping has no timing (CheckTarget.timing), so it cannot be run on a clock\n');
  });
});
