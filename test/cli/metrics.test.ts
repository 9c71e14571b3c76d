/**
 * `rrcheck metrics` in-process: the text table and the JSON object of a small
 * FBL configuration, a bounded run, a spec without cost counters, bad flags.
 */
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/index.js';
import { runRrcheck } from './fixtures/runRrcheck.js';
import { pingSpec } from './fixtures/pingSpec.js';

const PINGPONG = ['metrics', 'nonblocking', '--workload', 'pingpong', '--progress-interval', '0'];

describe('rrcheck metrics (text)', () => {
  it('prints the counts, the reductions in force and one row per counter, grouped', () => {
    const r = runRrcheck([...PINGPONG, '--reduce', 'none']);
    expect(r.code).toBe(ExitCode.ok);
    expect(r.err).toBe('measuring nonblocking workload=pingpong n=2 f=1 crashes=1 network=unordered stable-host=on reading=brief reduce=none\n');
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('metrics of nonblocking: 2 processes (pingpong, f = 1), up to 1 crash, unordered network, stable-host=on reading=brief, no reduction (every rule literal)');
    expect(lines[1]).toBe('73 states, 110 transitions, acyclic; 2 terminal states; 74 terminal paths');
    expect(lines[2]).toBe('reductions in force: none (every figure is exact)');
    expect(r.out).toMatch(/^control messages:$/m);
    // n = 2, one crash: one DepReq, one DepRep, one ResendReq on every terminal path.
    expect(r.out).toMatch(/^ {2}dep-req +1 +1 +1 +1:74$/m);
    expect(r.out).toMatch(/^ {2}resend-req +1 +1 +1 +1:74$/m);
    expect(r.out).toMatch(/^ {2}crashes +1 +1 +1 +1:74$/m);
    expect(r.out.trimEnd().split('\n').at(-1)).toMatch(/^complete: every figure is over the terminal paths of all 73 states explored \(.+\)\.$/);
  });

  it('prints a figure a reduction in force does not preserve as unknown, with the reduction', () => {
    const r = runRrcheck([...PINGPONG, '--crashes', '2', '--reduce', 'eager-drop']);
    expect(r.code).toBe(ExitCode.ok);
    expect(r.out).toContain('terminal paths unknown (not preserved by eager-drop)');
    expect(r.out).toContain('reductions in force: eager-drop (a figure one of them does not preserve is unknown; docs/costs.md)');
    expect(r.out).toMatch(/^ {2}blocked-steps +unknown +unknown +unknown +unknown +min, max, mean, distribution unknown \(not preserved by eager-drop\)$/m);
    expect(r.out).toMatch(/^ {2}crashes +2 +2 +unknown +values \{2\} +mean, distribution unknown \(not preserved by eager-drop\)$/m);
  });

  it('the default configuration (one crash): eager-drop preserves every figure', () => {
    const r = runRrcheck(['metrics', '--progress-interval', '0']);
    expect(r.code).toBe(ExitCode.ok);
    expect(r.out.split('\n').slice(1, 3)).toEqual([
      '309 states, 610 transitions, acyclic; 3 terminal states; 15,954 terminal paths',
      'reductions in force: eager-drop (they preserve every figure here; docs/costs.md)',
    ]);
    expect(r.out).toMatch(/^ {2}duplicates +0 +2 +1\.75 +0:602 1:2,792 2:12,560$/m);
    expect(r.out).not.toContain('unknown');
  });

  it('gives no figure when a bound cuts the search (exit 14)', () => {
    const r = runRrcheck([...PINGPONG, '--max-states', '10']);
    expect(r.code).toBe(ExitCode.incomplete);
    expect(r.err).toContain('bound reached: --max-states');
    expect(r.out).toContain('10 states and 10 transitions explored before the bound');
    expect(r.out).toMatch(/^incomplete: the search stopped at --max-states after 10 states \(.+\); no figure is given for a partly explored graph\.$/m);
    expect(r.out).not.toContain('dep-req');
  });
});

describe('rrcheck metrics --json', () => {
  it('prints one JSON object with the figures as data', () => {
    const r = runRrcheck([...PINGPONG, '--reduce', 'none', '--json']);
    expect(r.code).toBe(ExitCode.ok);
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const json = JSON.parse(lines[0]!);
    expect(json).toMatchObject({
      spec: 'nonblocking',
      params: { workload: 'pingpong', n: 2, reduce: 'none' },
      complete: true,
      states: 73,
      transitions: 110,
      terminalStates: 2,
      acyclic: true,
      terminalPaths: { status: 'known', value: { paths: 74, exact: true } },
      reductions: [],
    });
    const depReq = json.counters.find((c: { name: string }) => c.name === 'dep-req');
    expect(depReq).toMatchObject({
      group: 'control messages',
      min: { status: 'known', value: 1 },
      max: { status: 'known', value: 1 },
      support: { status: 'known', value: [1] },
      distribution: { status: 'known', value: { entries: [[1, 74]], exact: true } },
    });
  });

  it('says why a figure is unknown: the reductions that do not preserve it', () => {
    const json = JSON.parse(runRrcheck([...PINGPONG, '--crashes', '2', '--json']).out);
    const blocked = json.counters.find((c: { name: string }) => c.name === 'blocked-steps');
    expect(blocked.max).toEqual({ status: 'unknown', reason: 'reduced', reductions: ['eager-drop'] });
    expect(json.terminalPaths).toEqual({ status: 'unknown', reason: 'reduced', reductions: ['eager-drop'] });
  });
});

describe('rrcheck metrics: bad input', () => {
  const runPing = (...args: string[]) => runRrcheck(args, { registry: [pingSpec], defaultSpec: 'ping' });

  it('a spec without cost counters: one line, exit code badSpec', () => {
    const r = runPing('metrics', 'ping');
    expect(r.code).toBe(ExitCode.badSpec);
    expect(r.err).toBe('rrcheck: spec ping declares no cost counters (rrcheck metrics needs them)\n');
    expect(r.out).toBe('');
  });

  it('a bad flag value or parameter: one line, no stack trace', () => {
    const bad = runRrcheck(['metrics', '--max-states', '0']);
    expect(bad.code).toBe(ExitCode.usage);
    expect(bad.err).toBe('rrcheck: --max-states must be an integer ≥ 1, not "0" (rrcheck --help for usage)\n');
    const param = runRrcheck(['metrics', '--n', '1']);
    expect(param.code).toBe(ExitCode.badSpec);
    expect(param.err.split('\n').filter((l) => l !== '')).toEqual(['rrcheck: bad parameter n=1: must be ≥ 2']);
  });
});
