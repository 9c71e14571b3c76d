/**
 * `rrcheck metrics` on the FBL specs: the closed forms of one failure as DP
 * figures over every interleaving, the second failure's figures, state counts
 * equal to the check's, and what each reduction preserves (compared with
 * `--reduce none`).
 */
import { describe, expect, it } from 'vitest';
import { computeMetrics, type CounterMetrics, type MetricsResult } from '../../src/engine/index.js';
import { build, check, variants, type Config } from './support.js';
import type { Variant } from '../../specs/index.js';

function metrics(variant: Variant, config: Config): MetricsResult {
  const target = build(variant, config);
  return computeMetrics({ model: target.model, costs: target.costs! });
}

function figure(r: MetricsResult, name: string): CounterMetrics {
  const c = r.counters.find((x) => x.counter.name === name);
  if (c === undefined) throw new Error(`no counter ${name}`);
  return c;
}

/** The support of a counter (its totals over terminal paths), asserted known. */
function support(r: MetricsResult, name: string): readonly number[] {
  const s = figure(r, name).support;
  if (s.status !== 'known') throw new Error(`${name}: support unknown (${s.reason})`);
  return s.value;
}

const ONE_CRASH = (n: number): Config => ({ workload: 'chain', n, crashes: 1, reduce: 'none' });

describe('one failure, n processes (chain, crash budget 1, --reduce none)', () => {
  // Every terminal path spends the crash budget: a crash is enabled in every state while budget is left,
  // so no state without successors has fewer crashes. The support is therefore {n−1}, never {0, n−1}.
  it.each([2, 3, 4])('nonblocking, n = %i: n−1 DepReq and DepRep, n−1 ResendReq, no IncReq/IncRep/DepInfo, nothing blocked or held', (n) => {
    const r = metrics(variants.nonblocking, ONE_CRASH(n));
    expect(r.complete && r.acyclic).toBe(true);
    expect(support(r, 'crashes')).toEqual([1]);
    for (const name of ['dep-req', 'dep-rep', 'resend-req']) expect(support(r, name)).toEqual([n - 1]);
    // R = {p}: the leader is the only member of R, so nobody is asked for an incarnation or handed depinfo.
    for (const name of ['inc-req', 'inc-rep', 'dep-info', 'unblock', 'announce', 'blocked-steps', 'held-steps', 'stable-write-live', 'restarts']) {
      expect(support(r, name)).toEqual([0]);
    }
    expect(support(r, 'rounds')).toEqual([1]);
    expect(support(r, 'stable-read-recovering')).toEqual([1]);
    expect(support(r, 'stable-write-recovering')).toEqual([2]);
    // In a chain each process delivers one message: at most one to replay (none if its determinant was lost with it).
    expect(support(r, 'replay-req')).toEqual([0, 1]);
    expect(support(r, 'replay-copy')).toEqual([0, 1]);
  });

  it('replay-req reaches the deliveries the crashed process can replay: 2 in order2 (p0 delivers m1 and m2)', () => {
    const r = metrics(variants.nonblocking, { workload: 'order2', crashes: 1, reduce: 'none' });
    // Both determinants survive only once q delivered m3, which piggybacks them; then p0 replays both, else neither.
    expect(support(r, 'replay-req')).toEqual([0, 2]);
    expect(support(r, 'replay-copy')).toEqual([0, 2]);
  });

  it('f = n: S is a responder too (n DepReq, S reads its log once) and the processes flush to S', () => {
    const r = metrics(variants.nonblocking, { workload: 'pingpong', f: 2, crashes: 1, reduce: 'none' });
    expect(support(r, 'dep-req')).toEqual([2]);
    expect(support(r, 'dep-rep')).toEqual([2]);
    expect(support(r, 'stable-read-s')).toEqual([1]);
    expect(figure(r, 'stable-write-s').min).toMatchObject({ status: 'known' });
    expect((figure(r, 'stable-write-s').min as { value: number }).value).toBeGreaterThan(0);
  });

  it.each([2, 3, 4])('blocking, n = %i: plus n−1 unblocks; blocked steps at least (n−1)² + n(n−1)/2', (n) => {
    const r = metrics(variants.blocking, ONE_CRASH(n));
    for (const name of ['dep-req', 'dep-rep', 'resend-req', 'unblock']) expect(support(r, name)).toEqual([n - 1]);
    // Least when each reply is collected right after it is given: the k-th responder's reply and its collection
    // are taken with k−1 and k processes blocked, then the n−1 unblocks with n−1, n−2, …, 1.
    expect(figure(r, 'blocked-steps').min).toEqual({ status: 'known', value: (n - 1) ** 2 + (n * (n - 1)) / 2 });
    expect(support(r, 'held-steps')).toEqual([0]);
  });

  it.each([2, 3])('manetho, n = %i: plus n−1 announcements and n−1 synchronous reply writes by live processes', (n) => {
    const r = metrics(variants.manetho, ONE_CRASH(n));
    for (const name of ['dep-req', 'dep-rep', 'resend-req', 'announce', 'stable-write-live']) expect(support(r, name)).toEqual([n - 1]);
    expect(support(r, 'blocked-steps')).toEqual([0]);
    expect(figure(r, 'held-steps').min).toEqual({ status: 'known', value: 0 });
  });
});

describe('a second failure (chain n = 3, f = 2, crash budget 2; eager-drop and partial-order, which preserve the totals)', () => {
  const r = metrics(variants.nonblocking, { workload: 'chain', n: 3, f: 2, crashes: 2, reduce: 'eager-drop,partial-order' });

  it('DepReq totals: 1 (one joint round of both, n−2 asked), 2 (p fails twice before its round), 3 (q fails before its reply: n−1 + n−2), 4 (two rounds of n−1)', () => {
    expect(support(r, 'dep-req')).toEqual([1, 2, 3, 4]);
    expect(support(r, 'dep-rep')).toEqual([1, 2, 3, 4]);
  });

  it('an incarnation request only in a round recovering two processes; at most one gathering restart; one or two rounds', () => {
    expect(support(r, 'inc-req')).toEqual([0, 1]);
    expect(support(r, 'inc-rep')).toEqual([0, 1]);
    expect(support(r, 'dep-info')).toEqual([0, 1]);
    expect(support(r, 'restarts')).toEqual([0, 1]);
    expect(support(r, 'rounds')).toEqual([1, 2]);
    expect(support(r, 'stable-write-recovering')).toEqual([4]);
    // Both recovered processes ask the n−1 others, or one process (failing twice) does.
    expect(support(r, 'resend-req')).toEqual([2, 4]);
  });

  it('the path count and its distribution are unknown here (neither reduction preserves them)', () => {
    expect(r.terminalPaths).toEqual({ status: 'unknown', reason: 'reduced', reductions: ['eager-drop', 'partial-order'] });
    expect(figure(r, 'dep-req').distribution).toMatchObject({ status: 'unknown', reason: 'reduced' });
    expect(figure(r, 'blocked-steps').max).toEqual({ status: 'unknown', reason: 'reduced', reductions: ['eager-drop'] });
  });
});

describe('states and transitions are those of the check', () => {
  const configs: [Variant, Config][] = [
    [variants.nonblocking, ONE_CRASH(3)],
    [variants.nonblocking, { workload: 'chain', n: 3 }],
    [variants.nonblocking, { workload: 'chain', n: 3, reduce: 'eager-drop,partial-order' }],
    [variants.blocking, { workload: 'chain', n: 3 }],
    [variants.nonblocking, { workload: 'pingpong', f: 1, crashes: 2, reduce: 'eager-drop,partial-order' }],
    [variants.manetho, { workload: 'chain', n: 3, reduce: 'none' }],
    [variants.nonblocking, { workload: 'all-to-all', n: 2, reduce: 'eager-drop,symmetry' }],
  ];
  it.each(configs.map(([v, c]) => [v.id, JSON.stringify(c), v, c] as const))('%s %s', (_id, _text, variant, config) => {
    const r = metrics(variant, config);
    // The check goes on past violations (the baselines violate nonBlocking; crashes beyond f violate safety), so it explores every state.
    const c = check(variant, config, { continueAfterViolation: true });
    expect(c.complete || c.status === 'violation').toBe(true);
    expect([r.states, r.transitions]).toEqual([c.stats.distinct, c.stats.transitions]);
    expect(r.terminalStates).toBe(c.stats.terminal);
  });

  it('pinned: chain n = 3, one crash: 309 states, 610 transitions, 15,954 terminal paths (nonblocking)', () => {
    const r = metrics(variants.nonblocking, ONE_CRASH(3));
    expect([r.states, r.transitions]).toEqual([309, 610]);
    expect(r.terminalPaths).toEqual({ status: 'known', value: { paths: 15954, exact: true } });
  });
});

/** Every figure a reduced run reports as known equals the unreduced run's. */
function expectReportedFiguresEqual(reduced: MetricsResult, none: MetricsResult): number {
  let compared = 0;
  if (reduced.terminalPaths.status === 'known') {
    expect(reduced.terminalPaths).toEqual(none.terminalPaths);
    compared++;
  }
  reduced.counters.forEach((c, i) => {
    const base = none.counters[i]!;
    for (const s of ['min', 'max', 'mean', 'support', 'distribution'] as const) {
      if (c[s].status !== 'known') continue;
      expect({ counter: c.counter.name, s, figure: c[s] }).toEqual({ counter: c.counter.name, s, figure: base[s] });
      compared++;
    }
  });
  return compared;
}

describe('what the reductions preserve (every figure reported under a reduction equals --reduce none)', () => {
  const presets = Object.values(variants);
  it.each(presets.map((v) => [v.id, v] as const))('%s, pingpong, one crash: eager-drop and partial-order', (_id, variant) => {
    const none = metrics(variant, { workload: 'pingpong', crashes: 1, reduce: 'none' });
    let compared = 0;
    for (const reduce of ['eager-drop', 'partial-order', 'eager-drop,partial-order']) {
      compared += expectReportedFiguresEqual(metrics(variant, { workload: 'pingpong', crashes: 1, reduce }), none);
    }
    expect(compared).toBeGreaterThan(0);
  });

  it('on a cyclic graph (strict-replay-filter asks for a copy forever) partial-order keeps not even the minimum', () => {
    const config: Config = { workload: 'pingpong', crashes: 1 };
    const none = metrics(variants.strictReplayFilter, { ...config, reduce: 'none' });
    expect(none.acyclic).toBe(false);
    expect(figure(none, 'dep-req').min).toEqual({ status: 'known', value: 1 });
    expect(figure(none, 'dep-req').max).toEqual({ status: 'unknown', reason: 'cyclic-graph' });
    // One crash: eager-drop has nothing to drop, and keeps the minimum.
    expect(figure(metrics(variants.strictReplayFilter, { ...config, reduce: 'eager-drop' }), 'dep-req').min).toEqual(figure(none, 'dep-req').min);
    expect(figure(metrics(variants.strictReplayFilter, { ...config, reduce: 'partial-order' }), 'dep-req').min).toEqual({
      status: 'unknown',
      reason: 'reduced',
      reductions: ['partial-order'],
    });
  });

  it.each([variants.nonblocking, variants.blocking, variants.manetho, variants.naive, variants.splitAdoption].map((v) => [v.id, v] as const))(
    '%s, pingpong, two crashes (f = 1): eager-drop keeps the totals but not the path counts',
    (_id, variant) => {
      const config: Config = { workload: 'pingpong', f: 1, crashes: 2 };
      const none = metrics(variant, { ...config, reduce: 'none' });
      const eager = metrics(variant, { ...config, reduce: 'eager-drop' });
      expect(eager.states).toBeLessThan(none.states);
      expect(expectReportedFiguresEqual(eager, none)).toBeGreaterThan(0);
      expect(eager.terminalPaths).toEqual({ status: 'unknown', reason: 'reduced', reductions: ['eager-drop'] });
      expect(figure(eager, 'dropped').max).toEqual(figure(none, 'dropped').max);
      expectReportedFiguresEqual(metrics(variant, { ...config, reduce: 'eager-drop,partial-order' }), none);
    },
  );

  it('the path counts do change under eager-drop and partial-order (why they are not reported)', () => {
    const config: Config = { workload: 'pingpong', f: 1, crashes: 2 };
    const paths = (reduce: string) => {
      const target = build(variants.nonblocking, { ...config, reduce });
      const raw = computeMetrics({ model: target.model, costs: target.costs! }, { reductions: [] });
      return raw.terminalPaths;
    };
    const none = paths('none');
    expect(none.status).toBe('known');
    expect(paths('eager-drop')).not.toEqual(none);
  });

  it.each([
    ['one crash', { workload: 'all-to-all', n: 2, crashes: 1 }],
    ['two crashes, f = 2', { workload: 'all-to-all', n: 2, f: 2, crashes: 2 }],
  ] as const)('symmetry keeps every figure, path counts and distributions included (all-to-all n = 2, %s)', (_name, config) => {
    const none = metrics(variants.nonblocking, { ...config, reduce: 'none' });
    const symmetric = metrics(variants.nonblocking, { ...config, reduce: 'symmetry' });
    expect(symmetric.states).toBeLessThan(none.states);
    expect(symmetric.terminalPaths).toEqual(none.terminalPaths);
    const compared = expectReportedFiguresEqual(symmetric, none);
    expect(compared).toBe(1 + 5 * none.counters.length);
  });
});
