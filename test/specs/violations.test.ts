/**
 * Every property is shown able to fail: a broken variant, a baseline, a crash
 * budget above f, or a hand-built trace on which it is violated, with the
 * shortest (BFS) counterexample pinned label by label.
 */
import { describe, expect, it } from 'vitest';
import { replayLabels } from '../../src/trace/index.js';
import { explore, findingOf, resolveParams, type CheckResult, type Property } from '../../src/index.js';
import { findSpec } from '../../specs/index.js';
import { ALL_HOLD, build, check, variants, verdicts } from './support.js';
import { NO_RESTART_B, OLD_ROUND_G, STORY_2_2 } from './stories.js';

function firstViolation(result: CheckResult<unknown>) {
  expect(result.status).toBe('violation');
  if (result.status !== 'violation') throw new Error('unreachable');
  return result.violations[0]!;
}

describe('safety (S1)', () => {
  it('naive (no incvector filter) fails on chain n=3 f=1 with the shortest trace: a stale m′ delivered after the reply', () => {
    const v = firstViolation(check(variants.naive, { workload: 'chain', n: 3, f: 1 }));
    expect(v.property).toBe('safety');
    expect(v.trace.labels).toEqual([
      'deliver p2→p0 #1 (inc 0)',
      'crash p0',
      'restart p0',
      'begin-round p0',
      'depinfo-request p0→p1 (round 1)',
      'deliver p0→p1 #1 (inc 0)',
      'depinfo-request p0→p2 (round 1)',
      'depinfo-reply p1→p0 (round 1)',
      'depinfo-reply p2→p0 (round 1)',
    ]);
    expect(v.explanation).toMatch(/^orphan: p1 depends on p0's delivery #1 \(p2's #1 .*\), but p0's recovered state has delivered only 0 message\(s\)$/);
  });

  it('naive fails PINGPONG in 7 steps, as variant (d) of docs/protocol.md', () => {
    const v = firstViolation(check(variants.naive, { workload: 'pingpong', n: 2, f: 1 }));
    expect(v.trace.labels).toHaveLength(7);
  });

  it("naive with f = 2 reaches the paper's §2.2 story: r answers before m″, q fails before answering, r then accepts the stale m″", () => {
    const target = build(variants.naive, { workload: 'chain', n: 3, f: 2 });
    // p, q, r = p0, p1, p2; m = p2→p0, m′ = p0→p1, m″ = p1→p2: p delivers m; q delivers m′
    // and sends m″; p fails; r answers round 1 before m″ arrives; q fails before
    // answering; the leader restarts the gathering (restart logic intact); nobody
    // knows m's receipt order, so p and q recover empty; r accepts the stale m″.
    const labels = STORY_2_2;
    const replayed = replayLabels(target.model, labels);
    expect(replayed.status).toBe('ok');
    const safety = target.properties.find((p) => p.name === 'safety') as Property<unknown>;
    const states = replayed.states;
    expect(states.slice(0, -1).every((s) => safety.holds(s))).toBe(true);
    expect(safety.holds(states.at(-1))).toBe(false);
    expect(findingOf(safety, states.at(-1)).summary).toMatch(/^orphan: p2 depends on p0's delivery #1/);
    // The same trace is harmless for the correct algorithm: r drops the stale m″.
    const correct = build(variants.nonblocking, { workload: 'chain', n: 3, f: 2 });
    const drift = replayLabels(correct.model, labels);
    expect(drift.status).toBe('drift');
    expect(drift.status === 'drift' && drift.label).toBe('deliver p1→p2 #1 (inc 0)');
    expect(drift.status === 'drift' && drift.enabled).toContain('discard p1→p2 #1 (inc 0, stale)');
  });

  it('the bound is tight: nonblocking with f + 1 crashes fails on chain n=3 f=1 (#m was at its f + 1 = 2 hosts, both crash)', () => {
    const result = check(variants.crashBeyondF, { workload: 'chain', n: 3, f: 1, crashes: 2 }, { continueAfterViolation: true });
    expect(verdicts(result)).toMatchObject({ safety: 'violated', recoverability: 'violated', liveness: 'holds' });
    const v = result.status === 'violation' ? result.violations.find((x) => x.property === 'safety')! : undefined;
    expect(v?.trace.labels).toEqual([
      'deliver p2→p0 #1 (inc 0)',
      'deliver p0→p1 #1 (inc 0)',
      'deliver p1→p2 #1 (inc 0)',
      'crash p0',
      'crash p1',
      'restart p0',
      'restart p1',
      'begin-round p0',
      'incarnation-request p0→p1 (round 1)',
      'incarnation-reply p1→p0 (round 1)',
      'depinfo-request p0→p2 (round 1)',
      'depinfo-reply p2→p0 (round 1)',
    ]);
    expect(v?.explanation).toMatch(/^orphan: p2 depends on p0's delivery #1/);
  });
});

describe('recoverability (S4)', () => {
  it("crash-beyond-f (variant (l)): FIG1 f=1 with 2 crashes fails at the second crash, in 5 steps, literal or reduced", () => {
    for (const reduce of ['none', 'eager-drop']) {
      const v = firstViolation(check(variants.crashBeyondF, { workload: 'fig1', f: 1, crashes: 2, reduce }));
      expect(v.property).toBe('recoverability');
      expect(v.trace.labels).toEqual(['deliver p2→p0 #1 (inc 0)', 'deliver p0→p1 #1 (inc 0)', 'deliver p1→p2 #1 (inc 0)', 'crash p0', 'crash p1']);
      expect(v.explanation).toMatch(/^p2 depends on p0's delivery #1 \(p2's #1 .*\), whose determinant no surviving process holds$/);
    }
  });

  it('the crash-beyond-f spec defaults its crash budget to f + 1', () => {
    const spec = findSpec('crash-beyond-f')!;
    expect(resolveParams(spec.params, { workload: 'fig1', f: 1 })['crashes']).toBe(2);
    expect(resolveParams(spec.params, { f: 2 })['crashes']).toBe(3);
    expect(resolveParams(findSpec('nonblocking')!.params, { f: 2 })['crashes']).toBe(2);
  });
});

describe('nonBlocking (N1) and the blocking baseline', () => {
  it('blocking holds safety and liveness and fails nonBlocking, exhaustively (FIG1 f=1 and f=2)', () => {
    for (const f of [1, 2]) {
      const result = check(variants.blocking, { workload: 'fig1', n: 3, f }, { continueAfterViolation: true });
      expect(result.complete).toBe(true);
      expect(verdicts(result)).toEqual({ ...ALL_HOLD, nonBlocking: 'violated' });
      expect(result.stats.distinct).toBe(f === 1 ? BLOCKING_FIG1_F1 : BLOCKING_FIG1_F2);
    }
  });

  it('its shortest nonBlocking counterexample: a live responder blocks at its reply', () => {
    const v = firstViolation(check(variants.blocking, { workload: 'fig1', n: 3, f: 1 }));
    expect(v.property).toBe('nonBlocking');
    expect(v.trace.labels).toEqual(['crash p0', 'restart p0', 'begin-round p0', 'depinfo-request p0→p1 (round 1)']);
    expect(v.explanation).toBe('live process p1 blocked by the recovery');
  });
});

describe('the Manetho-style baseline', () => {
  it('holds safety and liveness and fails nonBlocking (N3: live processes write their replies to stable storage), exhaustively', () => {
    const expected = { ...ALL_HOLD, nonBlocking: 'violated' };
    const cases: [{ workload: string; n: number; f: number }, number][] = [
      [{ workload: 'fig1', n: 3, f: 1 }, 824], // prototype: 824
      [{ workload: 'pingpong', n: 2, f: 1 }, 118], // prototype: 118
      [{ workload: 'order2', n: 2, f: 1 }, 521], // prototype: 521
      [{ workload: 'pingpong', n: 2, f: 2 }, MANETHO_PINGPONG_F2], // prototype: 8,031 without S and the N3 flag (README "State counts")
    ];
    for (const [config, distinct] of cases) {
      const result = check(variants.manetho, config, { continueAfterViolation: true });
      expect(result.complete).toBe(true);
      expect(verdicts(result)).toEqual(expected);
      expect(result.stats.distinct).toBe(distinct);
    }
  });

  it('its shortest nonBlocking counterexample: the first live responder writes its reply to stable storage', () => {
    const v = firstViolation(check(variants.manetho, { workload: 'fig1', n: 3, f: 1 }));
    expect(v.property).toBe('nonBlocking');
    expect(v.trace.labels).toEqual(['crash p0', 'restart p0', 'begin-round p0', 'depinfo-request p0→p1 (round 1)']);
    expect(v.explanation).toBe('a live process wrote to stable storage during a recovery (N3)');
  });

  it("holds a message that contradicts its reply until the announcement, then discards it as stale (the paper's §2.2 remedy)", () => {
    const target = build(variants.manetho, { workload: 'pingpong', n: 2, f: 1 });
    const labels = [
      'deliver p1→p0 #1 (inc 0)', // p delivers m and sends m′ carrying #m
      'crash p0',
      'restart p0',
      'begin-round p0',
      'depinfo-request p0→p1 (round 1)', // q replies ∅ about p: a hold on (p, inc 1)
    ];
    const replayed = replayLabels(target.model, labels);
    expect(replayed.status).toBe('ok');
    const held = replayed.states.at(-1)!;
    const enabled = target.model.actions(held).map((a) => target.model.label(a));
    expect(enabled).not.toContain('deliver p0→p1 #1 (inc 0)'); // m′ is held (MS-5)
    const finished = replayLabels(target.model, [...labels, 'depinfo-reply p1→p0 (round 1)', 'announce p0→p1 (inc 1)']);
    expect(finished.status).toBe('ok');
    const after = finished.states.at(-1)!;
    expect(target.model.actions(after).map((a) => target.model.label(a))).toContain('discard p0→p1 #1 (inc 0, stale)');
  });
});

describe('liveness (L1)', () => {
  it("fails when a recovered process does not ask senders to re-send (variant (k)): r's m never reaches the recovered p", () => {
    const v = firstViolation(check(variants.noResend, { workload: 'fig1', n: 3, f: 1 }));
    expect(v.property).toBe('liveness');
    expect(v.trace.labels).toHaveLength(NO_RESEND_LENGTH);
    expect(v.explanation).toMatch(/p2's logged message #1 to p0 was never delivered/);
  });
});

describe('restartBound (B1, B2)', () => {
  it('fails when more than f + 1 crashes are allowed: every responder fails in turn', () => {
    // recoverability fails first (at the second crash); restartBound alone is checked here.
    const target = build(variants.nonblocking, { workload: 'chain', n: 3, f: 1, crashes: 3 });
    const only = { model: target.model, properties: target.properties.filter((p) => p.name === 'restartBound') };
    const v = firstViolation(explore(only as never, { strategy: 'bfs' }) as CheckResult<unknown>);
    expect(v.property).toBe('restartBound');
    expect(v.trace.labels.filter((l) => l.startsWith('crash'))).toHaveLength(3);
    expect(v.explanation).toBe('2 restarts > f = 1 (B1)');
  });
});

describe('alwaysNoOrphans (S3)', () => {
  it("fails with no crash when determinants stop at f hosts instead of f + 1 (variant (c)), in 2 steps", () => {
    const v = firstViolation(check(variants.fHosts, { workload: 'pingpong', n: 2, f: 1 }));
    expect(v.property).toBe('alwaysNoOrphans');
    expect(v.trace.labels).toEqual(['deliver p1→p0 #1 (inc 0)', 'deliver p0→p1 #1 (inc 0)']);
    expect(v.explanation).toMatch(/^p1 depends on p0's delivery #1 .* but does not hold its determinant, which is logged at ≤ f = 1 hosts$/);
  });
});

describe('the broken variants, each with its shortest counterexample', () => {
  // Variants (f)…(l) of docs/protocol.md: caught by the default check (--reduce eager-drop) and,
  // with the literal rules (--reduce none), at the length docs/protocol.md gives.
  const cases: [string, keyof typeof variants, { workload: string; f: number }, string, number][] = [
    ['(f) split-adoption: q delivers the stale m′ between its reply and its adoption', 'splitAdoption', { workload: 'pingpong', f: 1 }, 'safety', 7],
    ["(g) old-round-replies: round 2 completes with r's round-1 reply", 'oldRoundReplies', { workload: 'fig1', f: 2 }, 'safety', 13],
    ['(h) live-only-responders: a replaying process never learns q\'s new incarnation', 'liveOnlyResponders', { workload: 'w5', f: 2 }, 'safety', 17],
    ['(i) no-enrollment: q leads its own round while its hand-out is in flight', 'noEnrollment', { workload: 'fig1', f: 2 }, 'safety', 16],
    ["(k) no-resend: r's logged m never reaches the recovered p", 'noResend', { workload: 'fig1', f: 1 }, 'liveness', 9],
  ];
  for (const [title, key, config, property, length] of cases) {
    it(`${title} (${property}, ${length} steps)`, () => {
      for (const reduce of ['none', 'eager-drop']) {
        const v = firstViolation(check(variants[key], { ...config, reduce }));
        expect([v.property, v.trace.labels.length]).toEqual([property, length]);
      }
    });
  }

  it("(j) manetho-process-holds fails safety on FIG1 f = 2 in 17 steps (it fails nonBlocking first, as every Manetho-style spec does)", () => {
    for (const reduce of ['none', 'eager-drop']) {
      const target = build(variants.manethoProcessHolds, { workload: 'fig1', f: 2, reduce });
      const safetyOnly = { model: target.model, properties: target.properties.filter((p) => p.name === 'safety') };
      const v = firstViolation(explore(safetyOnly as never, { strategy: 'bfs' }) as CheckResult<unknown>);
      expect(v.trace.labels).toHaveLength(17);
      expect(v.trace.labels.slice(8, 14)).toEqual([
        'crash p0',
        'restart p0',
        'begin-round p0',
        'depinfo-request p0→p1 (round 2)',
        'announce p0→p1 (inc 1)', // the old announcement releases the hold of incarnation 2
        'deliver p0→p1 #1 (inc 1)',
      ]);
    }
  });

  it('(g) the trace of docs/protocol.md, label by label', () => {
    const v = firstViolation(check(variants.oldRoundReplies, { workload: 'fig1', f: 2, reduce: 'none' }));
    expect(v.trace.labels).toEqual(OLD_ROUND_G);
    expect(v.explanation).toMatch(/^orphan: p2 depends on p0's delivery #1/);
  });

  it('(f) the trace of docs/protocol.md, label by label: the stale m′ is delivered before the adopt step', () => {
    const v = firstViolation(check(variants.splitAdoption, { workload: 'pingpong', f: 1 }));
    expect(v.trace.labels).toEqual([
      'deliver p1→p0 #1 (inc 0)',
      'crash p0',
      'restart p0',
      'begin-round p0',
      'depinfo-request p0→p1 (round 1)',
      'deliver p0→p1 #1 (inc 0)',
      'depinfo-reply p1→p0 (round 1)',
    ]);
  });

  it('strict-replay-filter: the only violation is a non-progress cycle, found by the default BFS as a lasso', () => {
    const result = check(variants.strictReplayFilter, { workload: 'fig1', f: 1 }, { continueAfterViolation: true });
    expect(verdicts(result)).toEqual({ ...ALL_HOLD, liveness: 'violated' });
    const v = result.status === 'violation' ? result.violations[0]! : undefined;
    expect(v?.trace.labels.slice(-3)).toEqual(['ask-replay p0 (p2 #1)', 'replay-request p0→p2 #1', 'discard p2→p0 #1 (inc 0, stale)']);
    expect(v?.trace.loopStart).toBe(v!.trace.labels.length - 3);
    expect(result.stats.terminal).toBeGreaterThan(0); // good terminal states exist: only the cycle is wrong
    const dfs = check(variants.strictReplayFilter, { workload: 'fig1', f: 1 }, { continueAfterViolation: true, strategy: 'dfs' });
    expect(verdicts(dfs)).toEqual(verdicts(result));
  });

  it("no-restart: the 10-step trace (b) of docs/protocol.md — r delivers m″ between its reply and the leader dropping the failed q", () => {
    const v = firstViolation(check(variants.noRestart, { workload: 'fig1', n: 3, f: 2 }));
    expect(v.property).toBe('safety');
    expect(v.trace.labels).toEqual(NO_RESTART_B);
    expect(v.explanation).toMatch(/^orphan: p2 depends on p0's delivery #1/);
  });

  it('no-restart needs two failures: with one it holds everything on chain n=3 f=1', () => {
    expect(check(variants.noRestart, { workload: 'chain', n: 3, f: 1 }).status).toBe('ok');
  });

  it("unordered-replay: the 14-step trace (e) of docs/protocol.md on ORDER2 — p replays m2 as its first delivery", () => {
    const v = firstViolation(check(variants.unorderedReplay, { workload: 'order2', n: 2, f: 1 }));
    expect(v.property).toBe('safety');
    expect(v.trace.labels.slice(-6)).toEqual([
      'ask-replay p0 (p1 #1)',
      'replay-request p0→p1 #1',
      'ask-replay p0 (p1 #2)',
      'replay-request p0→p1 #2',
      'replay p1→p0 #2 (inc 0)',
      'replay p1→p0 #1 (inc 0)',
    ]);
    expect(v.trace.labels).toHaveLength(14);
    expect(v.explanation).toMatch(/^orphan: p1 depends on p0's delivery #1 \(p1's #1 .*\), but p0's recovered state delivered p1's #2/);
  });

  it('f-hosts: with crashes it also violates safety (FIG1 f = 2)', () => {
    const result = check(variants.fHosts, { workload: 'fig1', n: 3, f: 2 }, { continueAfterViolation: true });
    expect(verdicts(result)).toMatchObject({ safety: 'violated', alwaysNoOrphans: 'violated', liveness: 'holds' });
  });

  it('early-replay: a restarted process replays what it can fetch at once, and nobody learns its incarnation (4 steps)', () => {
    const v = firstViolation(check(variants.earlyReplay, { workload: 'chain', n: 3, f: 1 }));
    expect(v.property).toBe('safety');
    expect(v.trace.labels).toEqual(['deliver p2→p0 #1 (inc 0)', 'crash p0', 'restart p0', 'deliver p0→p1 #1 (inc 0)']);
  });
});

const BLOCKING_FIG1_F1 = 565; // the references: 674 (a blocked process discards there; README "Literal mode")
const BLOCKING_FIG1_F2 = 59_986; // literal rules: 182,704; the references: 200,955
const MANETHO_PINGPONG_F2 = 79_197; // with S; the prototype (no S, no N3 flag): 8,031
const NO_RESEND_LENGTH = 9; // as docs/protocol.md gives
