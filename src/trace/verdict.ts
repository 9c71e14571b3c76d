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
import { cycleFinding, findingOf, plainFinding, type ActionDescription, type Finding, type Model, type Property } from '../core/model.js';
import type { Trace } from '../core/result.js';

/**
 * What shrinking minimises, compared lexicographically: faults (steps the
 * model describes as `fault`, the crashes), then steps, then reorderings. A
 * reordering is a step that consumes a message (its description names a
 * `receiver`) while an action listed before it among the enabled ones also
 * consumes a message to the same receiver. Models built with the system kit
 * list message consumptions in network order, oldest first, so a reordering
 * is a delivery that overtakes an older message that could have been taken.
 * A model without `describe` has neither faults nor consumptions.
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

/** What `action` does in `state`, as the model describes it (nothing known: not a fault, no receiver). */
export function describeAction<S, A>(model: Model<S, A>, state: S, action: A): ActionDescription {
  return model.describe?.(state, action) ?? NO_DESCRIPTION;
}

const NO_DESCRIPTION: ActionDescription = { fault: false };

export type Judgement<S> =
  | {
      readonly status: 'violated';
      /** The steps that ran, up to and including the violating state. */
      readonly trace: Trace<S>;
      readonly explanation: string;
      readonly finding: Finding;
      /** What each step of the trace did: steps[k] describes labels[k]. */
      readonly steps: readonly ActionDescription[];
      readonly cost: TraceCost;
    }
  | {
      readonly status: 'holds';
      /** The steps that ran (all of them, in strict mode). */
      readonly trace: Trace<S>;
      readonly steps: readonly ActionDescription[];
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
  const steps: ActionDescription[] = [];
  let crashes = 0;
  let reorderings = 0;
  const cost = (): TraceCost => ({ crashes, steps: ran.length, reorderings });
  const trace = (loopStart?: number): Trace<S> =>
    loopStart === undefined ? { initIndex, labels: ran, states } : { initIndex, labels: ran, states, loopStart };
  const violated = (finding: Finding, loopStart?: number): Judgement<S> => ({
    status: 'violated',
    trace: trace(loopStart),
    explanation: finding.summary,
    finding,
    steps,
    cost: cost(),
  });
  const always = property.kind === 'always';

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
  if (always && !property.holds(state)) return violated(findingOf(property, state));
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
    const description = describeAction(model, state, actions[k]!);
    if (description.fault) crashes++;
    const receiver = description.receiver;
    if (receiver !== undefined) {
      for (let j = 0; j < k; j++) {
        if (describeAction(model, state, actions[j]!).receiver === receiver) {
          reorderings++;
          break;
        }
      }
    }
    state = model.next(state, actions[k]!);
    ran.push(taken);
    steps.push(description);
    states.push(state);
    if (always) {
      if (!property.holds(state)) return violated(findingOf(property, state));
    } else {
      const loopStart = remember(state, states.length - 1);
      if (loopStart !== undefined) {
        return violated(cycleFinding(ran.length - loopStart, loopStart), loopStart);
      }
    }
    actions = model.actions(state);
  }
  if (!always && actions.length === 0 && !property.holds(state)) {
    return violated(findingOf(property, state));
  }
  return { status: 'holds', trace: trace(), steps, cost: cost() };
}

/**
 * The finding of a violation of `propertyName` along `trace`, recomputed
 * from its states (what a saved file's recorded summary is never trusted
 * for): the cycle for a lasso, else the property's finding in the last
 * state. A property the target lacks gets a plain `does-not-hold` finding.
 */
export function traceFinding<S>(
  properties: readonly Property<S>[],
  propertyName: string,
  trace: { readonly states: readonly S[]; readonly labels: readonly string[]; readonly loopStart?: number },
): Finding {
  if (trace.loopStart !== undefined) return cycleFinding(trace.labels.length - trace.loopStart, trace.loopStart);
  const property = properties.find((p) => p.name === propertyName);
  const last = trace.states[trace.states.length - 1];
  if (property === undefined || last === undefined) return plainFinding('does-not-hold', `${propertyName} does not hold`);
  return findingOf(property, last);
}
