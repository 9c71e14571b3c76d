/**
 * Shrinking and the verdicts it relies on: strict and lenient replay (with
 * the standalone-number match), the fault-aware cost, and the shrinker's laws
 * — monotone (never worse, a BFS trace never longer), deterministic, and
 * reproducible by strict replay — on toy models with known answers and on the
 * naive FBL variant.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildFbl, variants } from '../../specs/index.js';
import { explore } from '../../src/engine/index.js';
import { randomWalks } from '../../src/engine/randomWalk.js';
import { type Model, type Property, StructuralHasher, type Violation } from '../../src/index.js';
import {
  compareCost,
  judgeLabels,
  labelShape,
  type ShortcutSearch,
  shrinkViolation,
} from '../../src/trace/index.js';
import { dieHard, notSolved } from '../toy/dieHard.js';
import { alwaysTrueAtEnd, lassoModel } from '../toy/graphModels.js';
import { FULL_RECOVERY } from '../specs/stories.js';

const bfsShortcut: ShortcutSearch = (target, maxDepth) => {
  const r = explore(target, { strategy: 'bfs', maxDepth, maxStates: 200_000 });
  return r.status === 'violation' ? r.violations[0]!.trace : undefined;
};

function firstViolation<S>(result: ReturnType<typeof explore<S, unknown>>): Violation<S> {
  if (result.status !== 'violation') throw new Error(`expected a violation, got ${result.status}`);
  return result.violations[0]!;
}

/**
 * Mailbox: p0 and p1 each send one message to p2 (`send a`, `send b`), p2
 * consumes them in any order (`deliver p0→p2`, `deliver p1→p2`); p2 may crash
 * once (losing nothing). "bad" is violated once p2 has consumed both. The
 * network lists messages oldest first, as the system kit does.
 */
interface Mail {
  readonly net: readonly string[];
  readonly got: number;
  readonly sent: string;
  readonly crashed: boolean;
}
const mailHasher = new StructuralHasher();
const mailModel: Model<Mail, string> = {
  init: () => [{ net: [], got: 0, sent: '', crashed: false }],
  actions: (s) => [
    ...s.net.map((from) => `deliver ${from}→p2`),
    ...(['p0', 'p1'] as const).filter((p) => !s.sent.includes(p)).map((p) => `send ${p}`),
    ...(s.crashed ? [] : ['crash p2']),
  ],
  next: (s, a) => {
    if (a.startsWith('send ')) return { ...s, net: [...s.net, a.slice(5)], sent: s.sent + a.slice(5) };
    if (a === 'crash p2') return { ...s, crashed: true };
    const from = a.slice(8, 10);
    return { ...s, net: s.net.filter((m) => m !== from), got: s.got + 1 };
  },
  label: (a) => a,
  fingerprint: (s, out) => mailHasher.fingerprint(s, out),
  // What the steps are, as data: the shrinker reads this, never the labels.
  describe: (_s, a) => {
    if (a === 'crash p2') return { actor: 'p2', fault: true, kind: 'crash' };
    if (a.startsWith('deliver ')) return { actor: 'p2', sender: a.slice(8, 10), receiver: 'p2', fault: false, kind: 'deliver' };
    return { actor: a.slice(5), fault: false, kind: 'send' };
  },
};
const bothConsumed: Property<Mail> = {
  name: 'bad',
  kind: 'always',
  category: 'safety',
  description: 'p2 never consumes two messages',
  holds: (s) => s.got < 2,
  explain: (s) => ({ summary: `p2 consumed ${s.got}`, reason: 'consumed-two', subjects: [], detail: { got: s.got } }),
};
const mail = { model: mailModel, properties: [bothConsumed] };

describe('judgeLabels', () => {
  it('strict replay reports drift with the label and the enabled ones', () => {
    const j = judgeLabels(mailModel, bothConsumed, ['send p0', 'deliver p1→p2'], { lenient: false });
    expect(j).toMatchObject({ status: 'drift', step: 1, label: 'deliver p1→p2', enabled: ['deliver p0→p2', 'send p1', 'crash p2'] });
  });

  it('lenient replay skips what is not enabled; the trace holds the steps that ran, cut at the violation', () => {
    const labels = ['deliver p1→p2', 'send p0', 'send p1', 'deliver p1→p2', 'deliver p0→p2', 'crash p2'];
    const j = judgeLabels(mailModel, bothConsumed, labels, { lenient: true });
    expect(j.status).toBe('violated');
    if (j.status !== 'violated') return;
    expect(j.trace.labels).toEqual(['send p0', 'send p1', 'deliver p1→p2', 'deliver p0→p2']);
    expect(j.trace.states).toHaveLength(5);
    expect(j.explanation).toBe('p2 consumed 2');
    // deliver p1→p2 overtook p0's older message: one reordering.
    expect(j.cost).toEqual({ crashes: 0, steps: 4, reorderings: 1 });
  });

  it("counts fault steps and reads receivers from the model's step descriptions", () => {
    const j = judgeLabels(mailModel, bothConsumed, ['crash p2', 'send p1', 'send p0', 'deliver p1→p2', 'deliver p0→p2'], { lenient: false });
    expect(j.status === 'violated' && j.cost).toEqual({ crashes: 1, steps: 5, reorderings: 0 });
    expect(j.status === 'violated' && j.steps.map((d) => [d.kind, d.fault, d.receiver ?? '-'])).toEqual([
      ['crash', true, '-'],
      ['send', false, '-'],
      ['send', false, '-'],
      ['deliver', false, 'p2'],
      ['deliver', false, 'p2'],
    ]);
    expect(j.status === 'violated' && j.finding).toEqual({ summary: 'p2 consumed 2', reason: 'consumed-two', subjects: [], detail: { got: 2 } });
  });

  it('labels mean nothing to the cost: the same steps described otherwise cost otherwise', () => {
    const labels = ['crash p2', 'send p0', 'send p1', 'deliver p1→p2', 'deliver p0→p2'];
    // Described as no fault and no consumption, "crash p2" is not a crash and the overtaking delivery no reordering.
    const plain: Model<Mail, string> = { ...mailModel, describe: () => ({ fault: false }) };
    const j = judgeLabels(plain, bothConsumed, labels, { lenient: false });
    expect(j.status === 'violated' && j.cost).toEqual({ crashes: 0, steps: 5, reorderings: 0 });
    const { describe: _, ...undescribed } = mailModel;
    const k = judgeLabels(undescribed, bothConsumed, labels, { lenient: false });
    expect(k.status === 'violated' && k.cost).toEqual({ crashes: 0, steps: 5, reorderings: 0 });
    expect(judgeLabels(mailModel, bothConsumed, labels, { lenient: false })).toMatchObject({ cost: { crashes: 1, steps: 5, reorderings: 1 } });
  });

  it('the system kit describes FBL steps: consumptions name their ends, crashes are faults, internal steps their actor', () => {
    const target = buildFbl(variants.nonblocking, { workload: 'chain', n: 3, f: 1, crashes: 1, network: 'unordered' });
    const safety = target.properties.find((p) => p.name === 'safety')!;
    const labels = FULL_RECOVERY;
    const j = judgeLabels(target.model, safety, labels, { lenient: false });
    expect(j.status).toBe('holds');
    if (j.status !== 'holds') return;
    expect(j.steps[0]).toEqual({ actor: 'p0', sender: 'p2', receiver: 'p0', fault: false, kind: 'deliver', detail: { ssn: 1, inc: 0 } });
    expect(j.steps[2]).toEqual({ actor: 'p0', fault: true, kind: 'crash' });
    expect(j.steps[3]).toEqual({ actor: 'p0', fault: false, kind: 'restart' });
    expect(j.steps[4]).toEqual({ actor: 'p0', fault: false, kind: 'begin-round' });
    expect(j.steps[5]).toEqual({ actor: 'p1', sender: 'p0', receiver: 'p1', fault: false, kind: 'depReq' });
    expect(j.steps[10]).toEqual({ actor: 'p0', fault: false, kind: 'ask-replay', detail: { source: 'p2', ssn: 1 } });
    expect(j.steps[12]).toMatchObject({ receiver: 'p0', kind: 'replay' });
    expect(j.steps[13]).toEqual({ actor: 'p1', sender: 'p0', receiver: 'p1', fault: false, kind: 'discard', detail: { ssn: 1, inc: 1, reason: 'duplicate' } });
    expect(j.cost.crashes).toBe(1);
  });

  it('lenient replay takes a label that differs only in standalone numbers; strict replay does not', () => {
    expect(labelShape('depinfo-request p0→p1 (round 2)')).toBe('depinfo-request p0→p1 (round #)');
    expect(labelShape('deliver p2→p0 #1 (inc 0, stale)')).toBe('deliver p2→p0 #1 (inc #, stale)');
    const target = buildFbl(variants.naive, { workload: 'chain', n: 3, f: 2, crashes: 2, network: 'unordered' });
    const safety = target.properties.find((p) => p.name === 'safety')!;
    // Round 2 without a round 1 before it: strict replay drifts, lenient replay runs round 1.
    const labels = ['deliver p2→p0 #1 (inc 0)', 'crash p0', 'restart p0', 'begin-round p0', 'depinfo-request p0→p1 (round 2)'];
    expect(judgeLabels(target.model, safety, labels, { lenient: false }).status).toBe('drift');
    const lenient = judgeLabels(target.model, safety, labels, { lenient: true });
    expect(lenient.status !== 'drift' && lenient.trace.labels.at(-1)).toBe('depinfo-request p0→p1 (round 1)');
    // Identifiers must match: p1 is not taken for p2.
    const other = judgeLabels(target.model, safety, [...labels.slice(0, 4), 'depinfo-request p0→p9 (round 1)'], { lenient: true });
    expect(other.status !== 'drift' && other.trace.labels).toHaveLength(4);
  });

  it('a terminal property is violated by a repeated state (lasso) or a dead end, not by a cut-off run', () => {
    const done = alwaysTrueAtEnd<number>();
    const lasso = judgeLabels(lassoModel, done, ['a', 'b', 'c', 'back', 'b'], { lenient: false });
    expect(lasso.status).toBe('violated');
    if (lasso.status !== 'violated') return;
    expect(lasso.trace.labels).toHaveLength(4);
    expect(lasso.trace.loopStart).toBe(1);
    expect(lasso.explanation).toBe('a cycle of 3 step(s) returns to state 1 of the trace: no state without successors is reached along it');
    expect(judgeLabels(lassoModel, done, ['a', 'b'], { lenient: false }).status).toBe('holds');
  });

  it('compares costs crashes first, then steps, then reorderings', () => {
    expect(compareCost({ crashes: 0, steps: 30, reorderings: 9 }, { crashes: 1, steps: 2, reorderings: 0 })).toBeLessThan(0);
    expect(compareCost({ crashes: 1, steps: 5, reorderings: 9 }, { crashes: 1, steps: 6, reorderings: 0 })).toBeLessThan(0);
    expect(compareCost({ crashes: 1, steps: 5, reorderings: 1 }, { crashes: 1, steps: 5, reorderings: 0 })).toBeGreaterThan(0);
    expect(compareCost({ crashes: 1, steps: 5, reorderings: 1 }, { crashes: 1, steps: 5, reorderings: 1 })).toBe(0);
  });
});

describe('shrinkViolation on toy models', () => {
  it('drops the needless crash, then removes the reordering by swapping adjacent steps', () => {
    const found = { property: 'bad', category: 'safety', explanation: '', trace: { initIndex: 0, labels: ['send p0', 'crash p2', 'send p1', 'deliver p1→p2', 'deliver p0→p2'], states: [] } } as const;
    const s = shrinkViolation(mail, found);
    expect(s.before).toEqual({ crashes: 1, steps: 5, reorderings: 1 });
    expect(s.after).toEqual({ crashes: 0, steps: 4, reorderings: 0 });
    // The first swap that helps: p1 sends first, so its message is the older one when p2 takes it.
    expect(s.violation.trace.labels).toEqual(['send p1', 'send p0', 'deliver p1→p2', 'deliver p0→p2']);
    expect(s.violation.trace.states).toHaveLength(5);
    expect(s.violation.explanation).toBe('p2 consumed 2');
    expect([s.foundLength, s.shrunkLength, s.finished]).toEqual([5, 4, true]);
  });

  it("Die Hard: DFS's 8-step solution loses two needless steps and becomes BFS's 6-step one", () => {
    const v = firstViolation(explore(dieHard, { strategy: 'dfs' }));
    expect(v.trace.labels).toEqual(['FillSmallJug', 'FillBigJug', 'EmptySmallJug', 'BigToSmall', 'EmptySmallJug', 'BigToSmall', 'FillBigJug', 'BigToSmall']);
    const s = shrinkViolation(dieHard, v);
    expect(s.violation.trace.labels).toEqual(firstViolation(explore(dieHard, { strategy: 'bfs' })).trace.labels);
    expect(s.after).toEqual({ crashes: 0, steps: 6, reorderings: 0 });
    expect(notSolved.holds(s.violation.trace.states.at(-1)!)).toBe(false);
    // The shortcut finds nothing shorter.
    expect(shrinkViolation(dieHard, v, { shortcut: bfsShortcut }).violation.trace.labels).toEqual(s.violation.trace.labels);
  });

  it('keeps a lasso a lasso', () => {
    const v = firstViolation(explore({ model: lassoModel, properties: [alwaysTrueAtEnd()] }, { strategy: 'dfs' }));
    const s = shrinkViolation({ model: lassoModel, properties: [alwaysTrueAtEnd()] }, v);
    expect(s.violation.trace.labels).toEqual(v.trace.labels);
    expect(s.violation.trace.loopStart).toBe(1);
  });

  it('stops at the replay budget and keeps the best trace so far', () => {
    const found = { property: 'bad', category: 'safety', explanation: '', trace: { initIndex: 0, labels: ['send p0', 'crash p2', 'send p1', 'deliver p1→p2', 'deliver p0→p2'], states: [] } } as const;
    const s = shrinkViolation(mail, found, { maxReplaySteps: 0 });
    expect(s.violation.trace.labels).toEqual(found.trace.labels);
    expect([s.candidates, s.finished]).toEqual([0, false]);
  });

  it('an exception in the model is not taken for a failing candidate: it propagates', () => {
    let calls = 0;
    const fragile: Model<Mail, string> = {
      ...mailModel,
      next: (s, a) => {
        if (++calls > 12) throw new TypeError('model bug');
        return mailModel.next(s, a);
      },
    };
    const found = { property: 'bad', category: 'safety', explanation: '', trace: { initIndex: 0, labels: ['send p0', 'crash p2', 'send p1', 'deliver p1→p2', 'deliver p0→p2'], states: [] } } as const;
    expect(() => shrinkViolation({ model: fragile, properties: [bothConsumed] }, found)).toThrow('model bug');
  });

  it('refuses a counterexample that does not reproduce', () => {
    const found = { property: 'bad', category: 'safety', explanation: '', trace: { initIndex: 0, labels: ['send p0'], states: [] } } as const;
    expect(() => shrinkViolation(mail, found)).toThrow(/gives holds, not the violation/);
  });
});

describe('shrinkViolation on naive FBL', () => {
  const chain = (n: number, f: number) => buildFbl(variants.naive, { workload: 'chain', n, f, crashes: f, network: 'unordered' });

  it('a BFS counterexample keeps its length: chain n=3 f=1, 9 steps, the very same trace', () => {
    const target = chain(3, 1);
    const v = firstViolation(explore(target, { strategy: 'bfs' }));
    const s = shrinkViolation(target, v);
    expect(s.shrunkLength).toBe(9);
    expect(s.violation.trace.labels).toEqual(v.trace.labels);
  });

  it('chain n=3 f=2, DFS: 21 steps and 2 crashes; deletion alone gives 10 steps with 1 crash, the BFS shortcut the shortest 9', () => {
    const target = chain(3, 2);
    const v = firstViolation(explore(target, { strategy: 'dfs' }));
    expect(v.trace.labels).toHaveLength(21);
    const deleted = shrinkViolation(target, v);
    expect(deleted.before).toEqual({ crashes: 2, steps: 21, reorderings: 1 });
    expect(deleted.after).toEqual({ crashes: 1, steps: 10, reorderings: 1 });
    const shortest = shrinkViolation(target, v, { shortcut: bfsShortcut });
    expect(shortest.shrunkLength).toBe(firstViolation(explore(target, { strategy: 'bfs' })).trace.labels.length);
    expect(shortest.shrunkLength).toBe(9);
    // Deterministic: another fast-check seed, the same result.
    expect(shrinkViolation(target, v, { seed: 99, shortcut: bfsShortcut }).violation.trace.labels).toEqual(shortest.violation.trace.labels);
  });

  it('laws on random walks (seed 7): never worse, deterministic, and strict replay reproduces the violation', () => {
    const target = chain(3, 2);
    let shrunk = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (walkSeed) => {
        const walk = randomWalks(target, { seed: walkSeed, runs: 200, maxSteps: 60, maxShrinkWalks: 0 });
        if (walk.status !== 'violation') return;
        const v = walk.violation;
        const s = shrinkViolation(target, v);
        expect(compareCost(s.after, s.before)).toBeLessThanOrEqual(0);
        expect(s.shrunkLength).toBeLessThanOrEqual(v.trace.labels.length);
        expect(shrinkViolation(target, v, { seed: 1 }).violation.trace.labels).toEqual(s.violation.trace.labels);
        const property = target.properties.find((p) => p.name === v.property)!;
        const replayed = judgeLabels(target.model, property, s.violation.trace.labels, { lenient: false });
        expect(replayed.status).toBe('violated');
        expect(replayed.status === 'violated' && replayed.trace.labels).toEqual(s.violation.trace.labels);
        shrunk++;
      }),
      { seed: 7, numRuns: 8 },
    );
    // The law was checked on real violations, not vacuously.
    expect(shrunk).toBeGreaterThanOrEqual(6);
  });
});
