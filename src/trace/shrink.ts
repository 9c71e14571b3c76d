/**
 * Shrinking a counterexample: a shorter trace of the same property's
 * violation, better under the fault-aware order of TraceCost (fewer crashes,
 * then fewer steps, then fewer reorderings), re-verified by strict replay.
 *
 * 1. Crashes: fast-check shrinks `fc.subarray` of the crash steps, all other
 *    steps kept; a candidate is replayed leniently (steps no longer enabled,
 *    such as the restart of a crash that was removed, are skipped).
 * 2. Steps: fast-check shrinks `fc.subarray` of all the steps that remain.
 * 3. Shortcut (optional, for traces not known to be shortest): a bounded
 *    search injected by the caller (cli/ passes breadth-first exploration)
 *    looks for a violation of the same property in fewer steps, first with
 *    fewer crashes (one less each time, while that succeeds), else with at
 *    most as many. Deleting steps cannot change which process crashes or
 *    which message is delivered, so a depth-first trace can end 1-minimal yet
 *    longer than the shortest; this search closes that gap when it fits its
 *    budget. A breadth-first result is the shortest for its crash cap, so
 *    the same cap is never searched twice.
 * 4. Reorderings: adjacent steps are swapped where that keeps the violation
 *    and lowers the cost, until no swap does (a local search, not fast-check).
 *
 * In phases 1 and 2 fast-check starts from the whole trace (`examples`: a
 * subarray can be shrunk without its generation context) and accepts a
 * candidate when the property "fails"; here it fails only when the candidate
 * still violates the property and its cost is not worse than the current
 * trace's. Every accepted trace is therefore at least as good as the one
 * before (monotone; a breadth-first counterexample, already shortest, never
 * gets longer); phases 3 and 4 accept strict improvements only, and phase 4
 * therefore ends.
 * Shrinking is deterministic: fast-check's shrink order does not depend on
 * the seed, which is passed only so that nothing reads the clock.
 *
 * The work is bounded by `maxReplaySteps`, and by `stop` (a time bound or an
 * interruption, polled before each candidate): past either, every candidate
 * is refused and the best trace so far is kept.
 */
import fc from 'fast-check';
import type { Model, Property } from '../core/model.js';
import type { Violation } from '../core/result.js';
import { compareCost, describeAction, judgeLabels, type Judgement, type TraceCost } from './verdict.js';

/**
 * A bounded search of `target` (one property) for a violation within
 * `maxDepth` steps: the labels of the one it finds (breadth-first: a shortest
 * one), or undefined. It must be deterministic.
 */
export type ShortcutSearch = (
  target: { readonly model: Model<unknown, unknown>; readonly properties: readonly Property<unknown>[] },
  maxDepth: number,
) => { readonly initIndex: number; readonly labels: readonly string[] } | undefined;

/** Bounds and the optional shortcut search of shrinkViolation(). */
export interface ShrinkOptions {
  /** Passed to fast-check (default 0); the result does not depend on it. */
  readonly seed?: number;
  /** Replay steps shrinking may spend, all candidates together (default 2,000,000). */
  readonly maxReplaySteps?: number;
  /** Phase 3; leave it out for a trace already known to be shortest (breadth-first). */
  readonly shortcut?: ShortcutSearch;
  /** Polled before each candidate: once true, shrinking ends with the best trace so far (`finished: false`). */
  readonly stop?: () => boolean;
}

/** What shrinking achieved: the shorter violation, its cost before and after, and the work it took. */
export interface ShrinkResult<S> {
  /** The shrunk violation: labels and states from strict replay, the property's finding in its last state. */
  readonly violation: Violation<S>;
  readonly foundLength: number;
  readonly shrunkLength: number;
  readonly before: TraceCost;
  readonly after: TraceCost;
  /** Candidate traces replayed. */
  readonly candidates: number;
  /** False when `maxReplaySteps` ran out, or `stop` said so, before shrinking was done. */
  readonly finished: boolean;
}

type Violated<S> = Extract<Judgement<S>, { status: 'violated' }>;

/** Shrinks `violation` of `target` (see the module comment); throws when strict replay does not reproduce it. */
export function shrinkViolation<S, A>(
  target: { readonly model: Model<S, A>; readonly properties: readonly Property<S>[] },
  violation: Pick<Violation<S>, 'property' | 'category' | 'trace'>,
  options: ShrinkOptions = {},
): ShrinkResult<S> {
  const { model } = target;
  const property = target.properties.find((p) => p.name === violation.property);
  if (property === undefined) throw new Error(`shrink: the target has no property ${violation.property}`);
  const initIndex = violation.trace.initIndex;
  const seed = options.seed ?? 0;
  let budget = options.maxReplaySteps ?? 2_000_000;
  let candidates = 0;

  const judge = (labels: readonly string[], lenient: boolean) => judgeLabels(model, property, labels, { lenient, initIndex });
  const original = judge(violation.trace.labels, false);
  if (original.status !== 'violated') {
    throw new Error(`shrink: replaying the counterexample of ${violation.property} gives ${original.status}, not the violation (is the model deterministic?)`);
  }
  let best: Violated<S> = original;

  /** Replays a candidate; makes it the best if it violates and is not worse. */
  const offer = (labels: readonly string[], strictlyBetter: boolean): boolean => {
    if (budget <= 0) return false;
    if (options.stop?.() === true) {
      budget = 0;
      return false;
    }
    budget -= labels.length + 1;
    candidates++;
    const j = judge(labels, true);
    if (j.status !== 'violated') return false;
    const c = compareCost(j.cost, best.cost);
    if (c > 0 || (strictlyBetter && c === 0)) return false;
    best = j;
    return true;
  };

  /** fast-check shrinks a subarray of `positions`, starting from all of them; `labelsOf` builds the candidate. */
  const shrinkSubarray = (positions: readonly number[], labelsOf: (kept: readonly number[]) => string[]): void => {
    if (positions.length === 0) return;
    let thrown: unknown;
    const details = fc.check(
      fc.property(fc.subarray([...positions]), (kept) => {
        if (thrown !== undefined) return true;
        try {
          return !offer(labelsOf(kept), false);
        } catch (error) {
          // An exception must not count as a failing candidate: keep it, stop shrinking, rethrow below.
          thrown = error;
          return true;
        }
      }),
      { numRuns: 1, examples: [[[...positions]]], seed },
    );
    if (thrown !== undefined) throw thrown;
    if (!details.failed && details.numRuns > 0 && budget > 0) {
      throw new Error('shrink: fast-check did not start from the counterexample');
    }
  };

  // 1. Crashes (the steps the model describes as faults): keep every other step, shrink the set of fault steps.
  {
    const labels = best.trace.labels;
    const faults = best.steps.map((d) => d.fault);
    const crashAt = faults.flatMap((fault, i) => (fault ? [i] : []));
    shrinkSubarray(crashAt, (kept) => {
      const keep = new Set(kept);
      return labels.filter((_, i) => !faults[i] || keep.has(i));
    });
  }
  // 2. Steps.
  {
    const labels = best.trace.labels;
    shrinkSubarray(
      labels.map((_, i) => i),
      (kept) => kept.map((i) => labels[i]!),
    );
  }
  // 3. Shortcut: fewer steps, with fewer crashes while possible, else with as many.
  if (options.shortcut !== undefined) {
    const search = (maxCrashes: number): boolean => {
      if (best.cost.steps === 0) return false;
      const capped = { model: crashCapped(model, maxCrashes), properties: [cappedProperty(property)] };
      const found = options.shortcut!(capped as never, best.cost.steps - 1);
      return found !== undefined && found.initIndex === initIndex && offer(found.labels, true);
    };
    let fewer = false;
    while (best.cost.crashes > 0 && search(best.cost.crashes - 1)) fewer = true;
    if (!fewer) search(best.cost.crashes);
  }
  // 4. Reorderings: swap adjacent steps while that strictly improves the cost.
  for (let i = 0; i + 1 < best.trace.labels.length && budget > 0; ) {
    const labels = best.trace.labels;
    if (labels[i] !== labels[i + 1] && offer([...labels.slice(0, i), labels[i + 1]!, labels[i]!, ...labels.slice(i + 2)], true)) {
      i = Math.max(0, i - 1);
    } else {
      i++;
    }
  }

  // Strict replay of the result: the steps that ran must all be enabled, and violate the same property.
  const final = judge(best.trace.labels, false);
  if (final.status !== 'violated' || final.trace.labels.length !== best.trace.labels.length || compareCost(final.cost, original.cost) > 0) {
    throw new Error(`shrink: the shrunk trace of ${violation.property} does not reproduce by strict replay`);
  }
  return {
    violation: { property: violation.property, category: violation.category, trace: final.trace, explanation: final.explanation, finding: final.finding },
    foundLength: violation.trace.labels.length,
    shrunkLength: final.trace.labels.length,
    before: original.cost,
    after: final.cost,
    candidates,
    finished: budget > 0,
  };
}

interface Capped<S> {
  readonly state: S;
  readonly crashes: number;
}

/** `model` with at most `maxCrashes` fault steps per run (the count is part of the state). */
function crashCapped<S, A>(model: Model<S, A>, maxCrashes: number): Model<Capped<S>, A> {
  const fault = (s: S, a: A) => describeAction(model, s, a).fault;
  return {
    init: () => model.init().map((state) => ({ state, crashes: 0 })),
    actions: (c) => {
      const actions = model.actions(c.state);
      return c.crashes < maxCrashes ? actions : actions.filter((a) => !fault(c.state, a));
    },
    next: (c, a) => ({ state: model.next(c.state, a), crashes: c.crashes + (fault(c.state, a) ? 1 : 0) }),
    label: (a) => model.label(a),
    describe: (c, a) => describeAction(model, c.state, a),
    fingerprint: (c, out) => {
      model.fingerprint(c.state, out);
      out[1] = (out[1]! ^ Math.imul(c.crashes + 1, 0x9e3779b1)) >>> 0;
    },
  };
}

function cappedProperty<S>(property: Property<S>): Property<Capped<S>> {
  const { explain } = property;
  return {
    name: property.name,
    kind: property.kind,
    category: property.category,
    description: property.description,
    holds: (c) => property.holds(c.state),
    ...(explain === undefined ? {} : { explain: (c: Capped<S>) => explain.call(property, c.state) }),
  };
}
