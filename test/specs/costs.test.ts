/**
 * The FBL cost counters on hand-picked runs of chain n = 3, f = 1 to a state
 * without successors: p0 crashes after forwarding m and recovers (the story
 * FULL_RECOVERY, continued to its end), under the three recovery algorithms.
 */
import { describe, expect, it } from 'vitest';
import { build, variants } from './support.js';
import { FULL_RECOVERY, STORY_2_2 } from './stories.js';
import { FBL_COST_COUNTERS } from '../../specs/fbl/costs.js';
import type { Variant } from '../../specs/index.js';

interface Totals {
  readonly byCounter: Record<string, number>;
  readonly byProcess: Record<string, number>;
  readonly terminal: boolean;
}

/** Replays `labels` on chain n = 3 and sums what each step costs, per counter and per counter@process. */
function costsOf(variant: Variant, labels: readonly string[], reduce = 'eager-drop', f = 1): Totals {
  const target = build(variant, { workload: 'chain', n: 3, reduce, f, crashes: f });
  const model = target.model;
  const costs = target.costs!;
  const byCounter: Record<string, number> = {};
  const byProcess: Record<string, number> = {};
  let state = model.init()[0]!;
  for (const label of labels) {
    const action = model.actions(state).find((a) => model.label(a) === label);
    if (action === undefined) throw new Error(`not enabled: ${label}`);
    const after = model.next(state, action);
    costs.measure(state, action, after, (i, amount, process) => {
      const name = costs.counters[i]!.name;
      byCounter[name] = (byCounter[name] ?? 0) + amount;
      const key = `${name}@${process ?? '-'}`;
      byProcess[key] = (byProcess[key] ?? 0) + amount;
    });
    state = after;
  }
  return { byCounter, byProcess, terminal: model.actions(state).length === 0 };
}

const NONBLOCKING_RUN = [...FULL_RECOVERY, 'resend-request p0→p1', 'resend-request p0→p2', 'discard p2→p0 #1 (inc 0, duplicate)'];
const BLOCKING_RUN = [
  ...FULL_RECOVERY.slice(0, 9),
  'ask-replay p0 (p2 #1)',
  'replay-request p0→p2 #1',
  'replay p2→p0 #1 (inc 0)',
  'resend-request p0→p1',
  'resend-request p0→p2',
  'discard p2→p0 #1 (inc 0, duplicate)',
  'unblock p1',
  'discard p0→p1 #1 (inc 1, duplicate)',
  'unblock p2',
  'deliver p1→p2 #1 (inc 0)',
];
const MANETHO_RUN = [
  ...FULL_RECOVERY.slice(0, 9),
  'deliver p1→p2 #1 (inc 0)',
  'announce p0→p1 (inc 1)',
  'announce p0→p2 (inc 1)',
  'ask-replay p0 (p2 #1)',
  'replay-request p0→p2 #1',
  'replay p2→p0 #1 (inc 0)',
  'discard p0→p1 #1 (inc 1, duplicate)',
  'resend-request p0→p1',
  'resend-request p0→p2',
  'discard p2→p0 #1 (inc 0, duplicate)',
];

/** What one recovery of p0 costs in all three algorithms (n = 3, one replayed message from p2). */
const COMMON = {
  'app-sent': 2, // p0 forwards m′, p1 forwards m″ (the initial send of p2 is in the initial state)
  crashes: 1,
  'stable-read-recovering': 1,
  'stable-write-recovering': 2,
  rounds: 1,
  'dep-req': 2, // n − 1
  'dep-rep': 2,
  'replay-req': 1, // k = 1
  'replay-copy': 1,
  'resent-copy': 1, // p0's send log: m′
  'resend-req': 2, // n − 1
  'resent-on-request': 1, // p2 logged m for p0
  duplicates: 2, // the re-sent m′ at p1, the re-sent m at p0
};

describe('FBL cost counters on one recovery (chain n = 3, f = 1)', () => {
  it('every counter is declared once, kebab-case', () => {
    const names = FBL_COST_COUNTERS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(build(variants.nonblocking).costs!.counters).toBe(FBL_COST_COUNTERS);
  });

  it('nonblocking: 2(n−1) DepReq/DepRep, one replay, n−1 ResendReq, nothing blocked, no live stable write', () => {
    const t = costsOf(variants.nonblocking, NONBLOCKING_RUN);
    expect(t.terminal).toBe(true);
    expect(t.byCounter).toEqual(COMMON);
    expect(t.byProcess).toMatchObject({
      'dep-req@p0': 2,
      'dep-rep@p1': 1,
      'dep-rep@p2': 1,
      'replay-copy@p2': 1,
      'resent-copy@p0': 1,
      'resent-on-request@p2': 1,
      'duplicates@p0': 1,
      'duplicates@p1': 1,
      'stable-write-recovering@p0': 2,
      'crashes@p0': 1,
      'rounds@p0': 1,
    });
  });

  it('the same run costs the same without the eager-drop reduction (one crash: nothing to drop)', () => {
    expect(costsOf(variants.nonblocking, NONBLOCKING_RUN, 'none').byCounter).toEqual(COMMON);
  });

  it('blocking: plus n−1 unblocks, and each responder blocked from its reply to its unblock', () => {
    const t = costsOf(variants.blocking, BLOCKING_RUN);
    expect(t.terminal).toBe(true);
    // p1 replies (and blocks) at step 6 and unblocks at step 16: blocked before steps 7…16; p2 replies at 7, unblocks at 18.
    expect(t.byCounter).toEqual({ ...COMMON, unblock: 2, 'blocked-steps': 21 });
    expect(t.byProcess).toMatchObject({ 'blocked-steps@p1': 10, 'blocked-steps@p2': 11, 'unblock@p1': 1, 'unblock@p2': 1 });
  });

  it('manetho: plus n−1 announcements and n−1 synchronous reply writes by live processes', () => {
    const t = costsOf(variants.manetho, MANETHO_RUN);
    expect(t.terminal).toBe(true);
    expect(t.byCounter).toEqual({ ...COMMON, announce: 2, 'stable-write-live': 2 });
    expect(t.byProcess).toMatchObject({ 'announce@p0': 2, 'stable-write-live@p1': 1, 'stable-write-live@p2': 1 });
  });

  describe('a second failure: q fails before its reply (chain n = 3, f = 2, --reduce none)', () => {
    // The paper's §2.2 story up to p0's depinfo request to p2.
    const prefix = STORY_2_2.slice(0, 6);
    const second = [
      ...prefix,
      'crash p1',
      'restart p1',
      'detect-restart p0 (p1 failed)',
      'drop depinfo-request p0→p1 (round 1)',
      'drop depinfo-reply p2→p0 (round 1)',
      'incarnation-request p0→p1 (round 2)',
      'incarnation-reply p1→p0 (round 2)',
      'depinfo-request p0→p2 (round 2)',
      'depinfo-reply p2→p0 (round 2)',
      'depinfo p0→p1 (round 2)',
    ];
    it.each([
      ['nonblocking', variants.nonblocking],
      ['blocking', variants.blocking],
    ] as const)('%s: the second round costs 1 IncReq + 1 IncRep + (n−2) DepReq + (n−2) DepRep = 2n−2 messages', (_name, variant) => {
      const first = costsOf(variant, prefix, 'none', 2).byCounter;
      const both = costsOf(variant, second, 'none', 2).byCounter;
      const added = (name: string) => (both[name] ?? 0) - (first[name] ?? 0);
      // Round 1 sent DepReq to p1 and p2 (n−1) and p2 replied; round 2 asks the n−2 live processes (p2) again.
      expect([added('inc-req'), added('inc-rep'), added('dep-req'), added('dep-rep')]).toEqual([1, 1, 1, 1]);
      expect([both['rounds'], both['restarts'], both['dep-info']]).toEqual([2, 1, 1]);
      // p1's round-1 request and p2's round-1 reply become useless: dropped (by steps of their own without eager-drop).
      expect(both['dropped']).toBe(2);
      // The blocking baseline re-asks every live process on a restart, as the non-blocking one does (the cheaper
      // "re-ask only the unblocked" rule is not modelled), so its second round costs the same messages.
    });
    it('the same run under eager-drop: the stale reply is removed inside the restart step, and counts the same', () => {
      // p1's round-1 request keeps a drop step (its guard could hold again were p1 up and not Waiting); the reply is dead at once.
      const eager = costsOf(variants.nonblocking, second.filter((l) => l !== 'drop depinfo-reply p2→p0 (round 1)'), 'eager-drop', 2).byCounter;
      expect(eager['dropped']).toBe(2);
      expect(eager).toEqual(costsOf(variants.nonblocking, second, 'none', 2).byCounter);
    });
  });
});
