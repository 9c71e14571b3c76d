/**
 * The verdict of one property along a list of action labels, with the
 * engine's semantics, in two replay modes:
 *
 * - strict: every label must be enabled where it comes (drift otherwise), as
 *   when a saved counterexample is replayed;
 * - lenient: a label that is not enabled is skipped, as fast-check skips a
 *   command whose precondition fails; the steps that ran form the trace.
 *   Shrinking uses it: deleting a step may disable later ones. Before a label
 *   is skipped, an enabled label that differs from it only in its standalone
 *   numbers (`(round 2)` for `(round 1)`, `(inc 1)` for `(inc 0)`) is taken
 *   instead, the first such in enabled order: deleting an earlier crash or
 *   round shifts those counters, not the step's meaning. Identifiers such as
 *   `p1` or `#3` must match exactly. The labels that ran are the actual ones,
 *   so strict replay of a lenient result always succeeds.
 *
 * Property semantics, as in the explorer: an `always` property is violated at
 * the first state (the initial one included) where it does not hold, and the
 * trace ends there. A `terminal` property is violated at a state without
 * successors where it does not hold, or by a cycle: a state that repeats an
 * earlier one of the trace (a lasso, whose `loopStart` is the first
 * occurrence; the trace ends at the repeat).
 *
 * It also measures the trace for shrinking's fault-aware order (see TraceCost).
 *
 * In both modes, a state whose enabled actions share a label (where a label is
 * looked up) breaks the Model contract: ModelError, not a silent pick.
 */
import { duplicateLabel, duplicateLabelError } from '../core/labels.js';
import type { Model, Property } from '../core/model.js';
import type { Trace } from '../core/result.js';

/**
 * What shrinking minimises, compared lexicographically: crash steps (labels
 * starting with `crash `), then steps, then reorderings. A reordering is a
 * step that consumes a message (its label reads `<verb> <sender>→<receiver> …`)
 * while an action listed before it among the enabled ones also consumes a
 * message to the same receiver. Models built with the system kit list
 * message consumptions in network order, oldest first, so a reordering is a
 * delivery that overtakes an older message that could have been taken.
 */
export interface TraceCost {
  readonly crashes: number;
  readonly steps: number;
  readonly reorderings: number;
}

/** Negative if `a` is better (smaller) than `b`, 0 if equal, positive if worse. */
export function compareCost(a: TraceCost, b: TraceCost): number {
  return a.crashes - b.crashes || a.steps - b.steps || a.reorderings - b.reorderings;
}

export function isCrashLabel(label: string): boolean {
  return label.startsWith('crash ');
}

/** The receiver named by a message-consuming label (`deliver p2→p0 #1` → `p0`), or undefined. */
export function receiverOf(label: string): string | undefined {
  return /^\S+ [^\s→]+→([^\s→]+)/.exec(label)?.[1];
}

export type Judgement<S> =
  | {
      readonly status: 'violated';
      /** The steps that ran, up to and including the violating state. */
      readonly trace: Trace<S>;
      readonly explanation: string;
      readonly cost: TraceCost;
    }
  | {
      readonly status: 'holds';
      /** The steps that ran (all of them, in strict mode). */
      readonly trace: Trace<S>;
      readonly cost: TraceCost;
    }
  | {
      readonly status: 'drift';
      /** 0-based index of the label that is not enabled. */
      readonly step: number;
      readonly label: string;
      readonly enabled: readonly string[];
      /** States reached before the drift (states[0] is the initial state). */
      readonly states: readonly S[];
    };

export interface JudgeOptions {
  /** Skip labels that are not enabled instead of reporting drift. */
  readonly lenient: boolean;
  readonly initIndex?: number;
}

/** A label with its standalone numbers (a digit run between a space or `(` and a space, `,`, `)` or the end) masked. */
export function labelShape(label: string): string {
  return label.replace(/(?<=[\s(])\d+(?=[\s,)]|$)/g, '#');
}

/** Replays `labels` and decides `property` along them (see the module comment). */
export function judgeLabels<S, A>(
  model: Model<S, A>,
  property: Property<S>,
  labels: readonly string[],
  options: JudgeOptions,
): Judgement<S> {
  const initIndex = options.initIndex ?? 0;
  const init = model.init()[initIndex];
  if (init === undefined) throw new RangeError(`the model has no initial state #${initIndex}`);
  const states: S[] = [init];
  const ran: string[] = [];
  let crashes = 0;
  let reorderings = 0;
  const cost = (): TraceCost => ({ crashes, steps: ran.length, reorderings });
  const trace = (loopStart?: number): Trace<S> =>
    loopStart === undefined ? { initIndex, labels: ran, states } : { initIndex, labels: ran, states, loopStart };
  const violated = (explanation: string, loopStart?: number): Judgement<S> => ({
    status: 'violated',
    trace: trace(loopStart),
    explanation,
    cost: cost(),
  });
  const always = property.kind === 'always';
  const explain = (s: S, fallback: string) => property.explain?.(s) ?? fallback;

  // Terminal properties: fingerprints of the states so far, to see a cycle close.
  const seen = new Map<string, number>();
  const fp = new Uint32Array(2);
  const remember = (s: S, index: number): number | undefined => {
    model.fingerprint(s, fp);
    const key = `${fp[0]},${fp[1]}`;
    const earlier = seen.get(key);
    if (earlier === undefined) seen.set(key, index);
    return earlier;
  };

  let state: S = init;
  if (always && !property.holds(state)) return violated(explain(state, `${property.name} does not hold`));
  if (!always) remember(state, 0);
  let actions = model.actions(state);
  for (let step = 0; step < labels.length; step++) {
    const label = labels[step]!;
    const duplicate = duplicateLabel(model, actions);
    if (duplicate !== undefined) throw duplicateLabelError(duplicate, initIndex, ran);
    let k = actions.findIndex((a) => model.label(a) === label);
    if (k < 0) {
      if (!options.lenient) return { status: 'drift', step, label, enabled: actions.map((a) => model.label(a)), states };
      const shape = labelShape(label);
      k = shape === label ? -1 : actions.findIndex((a) => labelShape(model.label(a)) === shape);
      if (k < 0) continue;
    }
    const taken = model.label(actions[k]!);
    if (isCrashLabel(taken)) crashes++;
    const receiver = receiverOf(taken);
    if (receiver !== undefined) {
      for (let j = 0; j < k; j++) {
        if (receiverOf(model.label(actions[j]!)) === receiver) {
          reorderings++;
          break;
        }
      }
    }
    state = model.next(state, actions[k]!);
    ran.push(taken);
    states.push(state);
    if (always) {
      if (!property.holds(state)) return violated(explain(state, `${property.name} does not hold`));
    } else {
      const loopStart = remember(state, states.length - 1);
      if (loopStart !== undefined) {
        const steps = ran.length - loopStart;
        return violated(
          `a cycle of ${steps} step(s) returns to state ${loopStart} of the trace: no state without successors is reached along it`,
          loopStart,
        );
      }
    }
    actions = model.actions(state);
  }
  if (!always && actions.length === 0 && !property.holds(state)) {
    return violated(explain(state, `${property.name} does not hold in a state without successors`));
  }
  return { status: 'holds', trace: trace(), cost: cost() };
}
