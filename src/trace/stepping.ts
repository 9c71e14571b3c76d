/**
 * Stepping through a model by hand (what `rrcheck explore` serves): a path
 * is an initial state's index and a list of action labels, replayed strictly
 * on every question, so that whoever holds the path (a web page, a test)
 * holds the whole session and nothing is kept here. Protocol-agnostic: it
 * reads the Model, the properties, the view and the diagram hook only.
 *
 * - pathState: the state a path reaches, its enabled actions (with what
 *   Model.describe says of them), what the last step changed (a diff of the
 *   views), each property's status there, and the space-time diagram of the
 *   path; or the drift (a label that is not enabled, with the enabled ones).
 * - searchFrom: a search (the engine's, injected) from the state a path
 *   reaches, for a violation of one property or of any: the full path to it,
 *   or how much was checked and whether that was everything.
 * - pathVerdict: what a counterexample file of the path would record and
 *   expect, with replay's semantics (trace/verdict.ts judgeLabels).
 *
 * Property status in the current state follows the engine's semantics: an
 * `always` property holds or is violated in every state; a `terminal` one
 * is judged only in a state without successors (`not-applicable` elsewhere),
 * and is violated by a path that returns to a state it passed (a cycle: an
 * endless run that never terminates), as replay judges a saved lasso.
 */
import type { Diagram, DiagramHighlight } from '../core/diagram.js';
import { duplicateLabel, duplicateLabelError } from '../core/labels.js';
import { type ActionDescription, cycleFinding, findingOf, plainFinding, type CheckTarget, type Finding, type Model, type Property, type PropertyCategory, type PropertyKind } from '../core/model.js';
import type { CheckResult, StopReason, UnknownReason } from '../core/result.js';
import { changePath, diffValues, formatChanges, type Change } from './diff.js';
import { describeSteps } from './facts.js';
import { genericDiagram } from './genericDiagram.js';
import { replayActions } from './replay.js';
import { describeAction, judgeLabels } from './verdict.js';

/** A path through the model: from initial state `initIndex`, the labels taken in order. */
export interface PathRef {
  readonly initIndex: number;
  readonly labels: readonly string[];
}

/** An enabled action as the page shows it: its label and what the model says it does. */
export interface EnabledAction {
  readonly label: string;
  readonly actor?: string;
  readonly kind?: string;
  readonly sender?: string;
  readonly receiver?: string;
  readonly fault: boolean;
}

/** One change of the last step: where (a path into the view, as trace/diff's changePath writes it), and one line of text. */
export interface StepChange {
  readonly kind: Change['kind'];
  readonly path: string;
}

/** A property's status in the current state of a path. */
export interface PropertyStatus {
  readonly name: string;
  readonly kind: PropertyKind;
  readonly category: PropertyCategory;
  readonly description: string;
  /** `not-applicable`: a terminal property, in a state with successors and on a path without a cycle. */
  readonly status: 'holds' | 'violated' | 'not-applicable';
  /** Why it is violated (present exactly when `status` is violated). */
  readonly finding?: Finding;
}

/** What a path reaches (see the module comment). */
export interface SteppedState<S> {
  readonly status: 'ok';
  readonly path: PathRef;
  /** states[0] the initial state, states[k] after labels[k-1]. */
  readonly states: readonly S[];
  /** The view of the last state (CheckTarget.view). */
  readonly view: unknown;
  readonly enabled: readonly EnabledAction[];
  /** The changes of the last step, by path (none for an empty path). */
  readonly changes: readonly StepChange[];
  /** The same changes as lines (trace/diff's formatChanges: runs of fields in one line). */
  readonly changeLines: readonly string[];
  readonly properties: readonly PropertyStatus[];
  /**
   * When the path returns to a state it passed: the index of that state
   * (the first repeat along the path; states[loopStart] equals a later one).
   */
  readonly loopStart?: number;
  /** The index of the state where the path first returns to states[loopStart]. */
  readonly loopEnd?: number;
  /** What each step did (Model.describe): steps[k] describes labels[k]. */
  readonly steps: readonly EnabledAction[];
  /** The same, whole (with the model's detail): what the diagram reads. */
  readonly descriptions: readonly ActionDescription[];
}

/** A label of the path that is not enabled where it comes. */
export interface PathDrift {
  readonly status: 'drift';
  /** 0-based index of the label that is not enabled. */
  readonly step: number;
  readonly label: string;
  /** The labels enabled there. */
  readonly enabled: readonly string[];
  /** The longest prefix of the path that replays. */
  readonly valid: PathRef;
}

/** An action as the page shows it: its label and the plain fields of what it does (Model.describe). */
function shownAction(label: string, d: ActionDescription): EnabledAction {
  return {
    label,
    ...(d.actor === undefined ? {} : { actor: d.actor }),
    ...(d.kind === undefined ? {} : { kind: d.kind }),
    ...(d.sender === undefined ? {} : { sender: d.sender }),
    ...(d.receiver === undefined ? {} : { receiver: d.receiver }),
    fault: d.fault === true,
  };
}

/** The first state of `states` that a later one repeats (by fingerprint), and where it repeats; undefined if none does. */
export function firstRepeat<S>(model: Model<S, unknown>, states: readonly S[]): { readonly loopStart: number; readonly loopEnd: number } | undefined {
  const seen = new Map<string, number>();
  const fp = new Uint32Array(2);
  for (let k = 0; k < states.length; k++) {
    model.fingerprint(states[k]!, fp);
    const key = `${fp[0]},${fp[1]}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) return { loopStart: earlier, loopEnd: k };
    seen.set(key, k);
  }
  return undefined;
}

/** Replays `path` strictly (trace/replay's replayActions): every state and the action each label named, or the drift. Throws RangeError for an initial index the model has not. */
export function walkPath<S, A>(model: Model<S, A>, path: PathRef): { readonly status: 'ok'; readonly states: readonly S[]; readonly actions: readonly A[] } | PathDrift {
  const replayed = replayActions(model, path.labels, path.initIndex);
  if (replayed.status === 'ok') return replayed;
  const { step, label, enabled } = replayed;
  return { status: 'drift', step, label, enabled, valid: { initIndex: path.initIndex, labels: path.labels.slice(0, step) } };
}

/** The status of each property in the last of `states` (see the module comment). */
function propertyStatuses<S>(
  properties: readonly Property<S>[],
  state: S,
  terminal: boolean,
  loop: { readonly loopStart: number; readonly loopEnd: number } | undefined,
): PropertyStatus[] {
  return properties.map((p) => {
    const base = { name: p.name, kind: p.kind, category: p.category, description: p.description };
    if (p.kind === 'terminal') {
      if (loop !== undefined) return { ...base, status: 'violated', finding: cycleFinding(loop.loopEnd - loop.loopStart, loop.loopStart) };
      if (!terminal) return { ...base, status: 'not-applicable' };
    }
    return p.holds(state) ? { ...base, status: 'holds' } : { ...base, status: 'violated', finding: findingOf(p, state) };
  });
}

/**
 * The space-time diagram of a path (CheckTarget.diagram, or the generic one),
 * with `violation`'s lanes highlighted; without one, a diagram of the steps
 * alone (property '' and a finding without subjects: the renderers then
 * print no verdict). The title is the caller's.
 */
export function pathDiagram<S, A>(
  target: CheckTarget<S, A>,
  states: readonly S[],
  labels: readonly string[],
  violation?: { readonly property: string; readonly finding: Finding; readonly loopStart?: number },
  /** What each step did, when the caller has it already (SteppedState.descriptions); described here otherwise. */
  steps: readonly ActionDescription[] = describeSteps(target.model, states, labels),
): Diagram {
  const highlight: DiagramHighlight = {
    property: violation?.property ?? '',
    finding: violation?.finding ?? plainFinding('none', ''),
    steps,
  };
  const diagram = target.diagram === undefined ? genericDiagram(target, states, labels, highlight) : target.diagram(states, labels, highlight);
  return violation?.loopStart === undefined ? diagram : { ...diagram, loopStart: violation.loopStart };
}

/** The state `path` reaches, with everything the explorer shows of it, or the drift. */
export function pathState<S, A>(target: CheckTarget<S, A>, path: PathRef): SteppedState<S> | PathDrift {
  const { model } = target;
  const walked = walkPath(model, path);
  if (walked.status === 'drift') return walked;
  const { states } = walked;
  const last = states[states.length - 1]!;
  const actions = model.actions(last);
  const duplicate = duplicateLabel(model, actions);
  if (duplicate !== undefined) throw duplicateLabelError(duplicate, path.initIndex, path.labels);
  const view = target.view(last);
  const changes = states.length < 2 ? [] : diffValues(target.view(states[states.length - 2]!), view);
  const loop = target.properties.some((p) => p.kind === 'terminal') ? firstRepeat(model, states) : undefined;
  // Described once, from the actions the replay took: the page's steps, the diagram and the generic diagram's checks all read these.
  const descriptions = walked.actions.map((action, k) => describeAction(model, states[k]!, action));
  return {
    status: 'ok',
    path: { initIndex: path.initIndex, labels: [...path.labels] },
    states,
    view,
    enabled: actions.map((a) => shownAction(model.label(a), describeAction(model, last, a))),
    changes: changes.map((c) => ({ kind: c.kind, path: changePath(c) })),
    changeLines: formatChanges(changes),
    properties: propertyStatuses(target.properties, last, actions.length === 0, loop),
    ...(loop === undefined ? {} : loop),
    steps: descriptions.map((d, k) => shownAction(path.labels[k]!, d)),
    descriptions,
  };
}

/** The violation a state's diagram highlights: the first property violated there (a cycle carries its loopStart). */
export function shownViolation(state: SteppedState<unknown>): { readonly property: string; readonly finding: Finding; readonly loopStart?: number } | undefined {
  const violated = state.properties.find((p) => p.status === 'violated');
  if (violated === undefined || violated.finding === undefined) return undefined;
  const cycle = violated.kind === 'terminal' && state.loopStart !== undefined;
  return cycle ? { property: violated.name, finding: violated.finding, loopStart: state.loopStart! } : { property: violated.name, finding: violated.finding };
}

/** The search a caller injects: the engine's explore, breadth-first, under `bounds`. */
export type SearchEngine = <S, A>(
  target: { readonly model: Model<S, A>; readonly properties: readonly Property<S>[] },
  bounds: SearchBounds,
) => CheckResult<S>;

/** How far a search from a state may go. */
export interface SearchBounds {
  /** Distinct states at most. */
  readonly maxStates: number;
  /** Milliseconds at most (absent: no time bound). */
  readonly timeoutMs?: number;
  /** Polled by the search: true stops it (`interrupted`). */
  readonly interrupted?: () => boolean;
  /** Told, now and then while the search runs, how far it got. */
  readonly onProgress?: (progress: SearchProgress) => void;
}

/** How far a running search got: distinct states stored, and the deepest level reached (steps from where it started). */
export interface SearchProgress {
  readonly states: number;
  readonly depth: number;
}

/** What a search from a state found. */
export type SearchOutcome =
  | {
      readonly status: 'found';
      /** The whole path: the path searched from, then the steps found (a lasso: up to the first repeat). */
      readonly path: PathRef;
      readonly property: string;
      readonly category: PropertyCategory;
      readonly finding: Finding;
      /** For a cycle: the index of the state the path returns to. */
      readonly loopStart?: number;
      /** Steps the search added to the path. */
      readonly added: number;
      /** Distinct states the search stored. */
      readonly states: number;
    }
  /** Every state reachable from here was checked (and, for terminal properties, every cycle): no violation. */
  | { readonly status: 'none'; readonly states: number }
  /** No violation among the states checked, but not every state was: nothing is proven. */
  | { readonly status: 'unknown'; readonly states: number; readonly reason: StopReason | UnknownReason }
  | PathDrift;

/**
 * Searches from the state `path` reaches for a violation of `property` (of
 * any property when absent), breadth-first through `engine` on the model
 * whose one initial state is that state: the shortest continuation to a
 * violation, or `none` when the search was complete, or `unknown` with the
 * bound that stopped it.
 */
export function searchFrom<S, A>(target: CheckTarget<S, A>, path: PathRef, engine: SearchEngine, bounds: SearchBounds, property?: string): SearchOutcome {
  const { model } = target;
  const walked = walkPath(model, path);
  if (walked.status === 'drift') return walked;
  const here = walked.states[walked.states.length - 1]!;
  const chosen = property === undefined ? target.properties : target.properties.filter((p) => p.name === property);
  if (chosen.length === 0) throw new RangeError(`no property ${property}`);
  // The same model, but starting where the path ends: labels, successors and fingerprints unchanged.
  const fromHere: Model<S, A> = {
    init: () => [here],
    actions: (s) => model.actions(s),
    next: (s, a) => model.next(s, a),
    label: (a) => model.label(a),
    fingerprint: (s, out) => model.fingerprint(s, out),
    ...(model.ample === undefined ? {} : { ample: (s: S, as: readonly A[]) => model.ample!(s, as) }),
    ...(model.describe === undefined ? {} : { describe: (s: S, a: A) => model.describe!(s, a) }),
  };
  const result = engine({ model: fromHere, properties: chosen }, bounds);
  if (result.status === 'violation') {
    const v = result.violations[0]!;
    const labels = [...path.labels, ...v.trace.labels];
    const states = [...walked.states, ...v.trace.states.slice(1)];
    // A cycle may close on a state of the path searched from: the path ends at the first repeat, as replay reads it.
    const loop = v.trace.loopStart === undefined ? undefined : firstRepeat(model, states);
    const cut = loop === undefined ? labels : labels.slice(0, loop.loopEnd);
    const finding = loop === undefined ? v.finding : cycleFinding(loop.loopEnd - loop.loopStart, loop.loopStart);
    return {
      status: 'found',
      path: { initIndex: path.initIndex, labels: cut },
      property: v.property,
      category: v.category,
      finding,
      ...(loop === undefined ? {} : { loopStart: loop.loopStart }),
      added: cut.length - path.labels.length,
      states: result.stats.distinct,
    };
  }
  if (result.status === 'ok') return { status: 'none', states: result.stats.distinct };
  const unknown = result.properties.find((p) => p.status === 'unknown')?.reason;
  return { status: 'unknown', states: result.stats.distinct, reason: result.stoppedBy ?? unknown ?? 'bound' };
}

/** What a counterexample file of a path records: the property, the expected verdict, and the labels replay will run. */
export type PathVerdict<S> =
  | {
      readonly status: 'violates';
      readonly property: Property<S>;
      /** The path up to its first violation of the property (replay stops there). */
      readonly labels: readonly string[];
      readonly states: readonly S[];
      readonly loopStart?: number;
      readonly finding: Finding;
    }
  | { readonly status: 'fixed'; readonly property: Property<S>; readonly labels: readonly string[]; readonly states: readonly S[] }
  | PathDrift;

/**
 * The verdict `rrcheck replay` will reach on a file of `path` for
 * `propertyName` (absent: the first property the path violates, else the
 * first property): `violates` with the path cut at the violation, or `fixed`
 * when the path does not violate it. Undefined for an unknown property name.
 */
export function pathVerdict<S, A>(target: CheckTarget<S, A>, path: PathRef, propertyName?: string): PathVerdict<S> | undefined {
  const candidates = propertyName === undefined ? target.properties : target.properties.filter((p) => p.name === propertyName);
  if (candidates.length === 0) return undefined;
  let holding: { property: Property<S>; labels: readonly string[]; states: readonly S[] } | undefined;
  for (const property of candidates) {
    const judged = judgeLabels(target.model, property, path.labels, { lenient: false, initIndex: path.initIndex });
    if (judged.status === 'drift') {
      return { status: 'drift', step: judged.step, label: judged.label, enabled: judged.enabled, valid: { initIndex: path.initIndex, labels: path.labels.slice(0, judged.step) } };
    }
    if (judged.status === 'violated') {
      const { trace } = judged;
      return {
        status: 'violates',
        property,
        labels: trace.labels,
        states: trace.states,
        ...(trace.loopStart === undefined ? {} : { loopStart: trace.loopStart }),
        finding: judged.finding,
      };
    }
    holding ??= { property, labels: judged.trace.labels, states: judged.trace.states };
  }
  return { status: 'fixed', ...holding! };
}
