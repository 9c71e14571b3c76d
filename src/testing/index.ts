/**
 * `rrcheck/testing`: the model laws, for spec authors' own tests (any test
 * framework: nothing here imports one). Every shipped spec is tested with
 * them. Over the states a bounded BFS finds, checkModelLaws() checks that
 *   - init() is repeatable (same states, same fingerprints, same order);
 *   - actions(s) is repeatable (an equal copy of s enables the same actions)
 *     and its labels are unique, label() stable;
 *   - next(s, a) is pure: it does not mutate s (checked on a deep-frozen
 *     copy, where a write throws, and by comparing s before and after);
 *   - next(s, a) is deterministic and depends on the value of s, not its
 *     identity;
 *   - fingerprint(s) is stable and equal for equal states (a structural copy).
 * The explorer relies on each: it stores fingerprints instead of states,
 * replays counterexamples by label, and expects the same run to give the
 * same states.
 *
 * On the first failure it throws a ModelLawError naming the law, the state
 * (with the labels that reach it from an initial state) and the action;
 * otherwise it returns how much it checked. It imports core only and has no
 * module-level mutable state.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Model } from '../core/model.js';

/** The laws checkModelLaws() checks, by the name a ModelLawError gives. */
export const MODEL_LAWS = [
  'init repeatable',
  'fingerprint stable',
  'clone',
  'actions repeatable',
  'labels unique',
  'label stable',
  'next pure',
  'next deterministic',
] as const;

/**
 * One of MODEL_LAWS. `clone` is the checker's own precondition rather than a
 * law of the model: the `clone` option must give a state equal to its input.
 */
export type ModelLaw = (typeof MODEL_LAWS)[number];

/** How checkModelLaws() samples and compares states. */
export interface ModelLawsOptions<S> {
  /** States to check, found by BFS from the initial states (default 300). */
  readonly samples?: number;
  /** A structurally equal, independent copy of a state (default structuredClone). */
  readonly clone?: (state: S) => S;
  /** Structural equality (default node:util isDeepStrictEqual). */
  readonly equal?: (a: unknown, b: unknown) => boolean;
}

/** What checkModelLaws() checked when every law held. */
export interface ModelLawsReport {
  /** States whose actions and successors were checked (at most `samples`). */
  readonly states: number;
  /** Transitions checked (each also replayed on a frozen copy and a second time). */
  readonly transitions: number;
}

/** Where a law failed, as data; ModelLawError carries it. */
export interface ModelLawFailure {
  readonly law: ModelLaw;
  /** The state the law failed in. */
  readonly state: unknown;
  /** Which initial state `labels` start from. */
  readonly initIndex: number;
  /** The labels that reach `state` from initial state `initIndex` (a shortest such path). */
  readonly labels: readonly string[];
  /** The label of the action whose step broke the law, when one did. */
  readonly action?: string;
  /** What went wrong, one line. */
  readonly detail: string;
}

/**
 * A model law does not hold. The message reads
 * `model law "<law>" fails: <detail> in state <state> (<how it is reached>)`;
 * the same facts are fields.
 */
export class ModelLawError extends Error {
  readonly law: ModelLaw;
  readonly state: unknown;
  readonly initIndex: number;
  readonly labels: readonly string[];
  readonly action: string | undefined;
  readonly detail: string;

  constructor(failure: ModelLawFailure) {
    super(`model law "${failure.law}" fails: ${failure.detail} in state ${show(failure.state)} (${reachedBy(failure.initIndex, failure.labels)})`);
    this.name = 'ModelLawError';
    this.law = failure.law;
    this.state = failure.state;
    this.initIndex = failure.initIndex;
    this.labels = failure.labels;
    this.action = failure.action;
    this.detail = failure.detail;
  }
}

/** A value as one line of JSON, cut at 300 characters. */
function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return cut(text);
}

function cut(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function reachedBy(initIndex: number, labels: readonly string[]): string {
  const start = `initial state #${initIndex}`;
  return labels.length === 0 ? start : cut(`reached from ${start} by: ${labels.join(', ')}`);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    // Enumerable own values only: hidden caches (a hash slot) are not part of the state.
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Checks the model laws (see the module comment) on up to `options.samples`
 * states of `model`, breadth-first from its initial states. Throws a
 * ModelLawError at the first failure; an exception thrown by the model itself
 * propagates as it is. Pass `clone` if states are not structured-cloneable.
 */
export function checkModelLaws<S, A>(model: Model<S, A>, options: ModelLawsOptions<S> = {}): ModelLawsReport {
  const samples = options.samples ?? 300;
  const clone = options.clone ?? ((s: S) => structuredClone(s));
  const equal = options.equal ?? isDeepStrictEqual;
  const out = new Uint32Array(2);
  const fingerprint = (s: S): string => {
    model.fingerprint(s, out);
    return `${out[0]}:${out[1]}`;
  };

  // The BFS queue, with each state's parent and the label leading to it (for the path in an error).
  const queue: S[] = [];
  const parent: number[] = [];
  const via: string[] = [];
  const initOf: number[] = [];
  const path = (index: number): string[] => {
    const labels: string[] = [];
    for (let i = index; parent[i]! >= 0; i = parent[i]!) labels.push(via[i]!);
    return labels.reverse();
  };
  /** Where queue entry `index` is: its initial state and the labels from there. */
  const at = (index: number): { initIndex: number; labels: readonly string[] } => ({ initIndex: initOf[index]!, labels: path(index) });
  const fail = (law: ModelLaw, state: S, where: { initIndex: number; labels: readonly string[] }, detail: string, action?: string): never => {
    throw new ModelLawError({ law, state, ...where, ...(action === undefined ? {} : { action }), detail });
  };

  const init1 = model.init();
  const init2 = model.init();
  if (init1.length !== init2.length) {
    fail('init repeatable', init1[0] as S, { initIndex: 0, labels: [] }, `init() returned ${init1.length} then ${init2.length} states`);
  }
  init1.forEach((s, i) => {
    if (!equal(s, init2[i]) || fingerprint(s) !== fingerprint(init2[i]!)) {
      fail('init repeatable', s, { initIndex: i, labels: [] }, `the second call of init() gives ${show(init2[i])} instead`);
    }
  });

  const seen = new Set<string>();
  init1.forEach((s, i) => {
    const k = fingerprint(s);
    if (!seen.has(k)) {
      seen.add(k);
      queue.push(s);
      parent.push(-1);
      via.push('');
      initOf.push(i);
    }
  });
  let states = 0;
  let transitions = 0;
  for (let head = 0; head < queue.length && states < samples; head++) {
    const s = queue[head]!;
    states++;

    const fp = fingerprint(s);
    if (fingerprint(s) !== fp) fail('fingerprint stable', s, at(head), 'two calls of fingerprint() disagree');
    const copy = clone(s);
    if (!equal(copy, s)) fail('clone', s, at(head), 'the copy differs from the state (pass a clone option)');
    if (fingerprint(copy) !== fp) fail('fingerprint stable', s, at(head), 'an equal copy gets another fingerprint');

    const actions = model.actions(s);
    const labels = actions.map((a) => model.label(a));
    const again = model.actions(s).map((a) => model.label(a));
    if (!equal(labels, again)) fail('actions repeatable', s, at(head), `actions() gave [${labels.join(', ')}] then [${again.join(', ')}]`);
    if (!equal(model.actions(copy).map((a) => model.label(a)), labels)) {
      fail('actions repeatable', s, at(head), 'an equal copy enables other actions');
    }
    const dup = labels.find((l, i) => labels.indexOf(l) !== i);
    if (dup !== undefined) fail('labels unique', s, at(head), `label "${dup}" appears twice among the actions`, dup);

    actions.forEach((a, i) => {
      const label = labels[i]!;
      const relabel = model.label(a);
      if (relabel !== label) fail('label stable', s, at(head), `action #${i} is labelled "${label}" then "${relabel}"`, label);
      const before = clone(s);
      let t1: S;
      try {
        // A deep-frozen copy makes any write by next() throw.
        const frozen = deepFreeze(clone(s));
        const frozenAction = model.actions(frozen)[i]!;
        t1 = model.next(frozen, frozenAction);
      } catch (e) {
        return fail('next pure', s, at(head), `next(…, "${label}") threw on a frozen state (does it mutate its input?): ${(e as Error).message}`, label);
      }
      const t2 = model.next(s, a);
      transitions++;
      if (!equal(s, before)) fail('next pure', before, at(head), `next(…, "${label}") mutated its input`, label);
      const t3 = model.next(s, a);
      if (!equal(t1, t2)) {
        fail('next deterministic', s, at(head), `next(…, "${label}") gave ${show(t1)} on an equal copy, ${show(t2)} on the state itself`, label);
      }
      if (!equal(t2, t3)) fail('next deterministic', s, at(head), `next(…, "${label}") gave ${show(t2)} then ${show(t3)}`, label);
      if (fingerprint(t1) !== fingerprint(t2) || fingerprint(t2) !== fingerprint(t3)) {
        const { initIndex, labels: before } = at(head);
        fail('fingerprint stable', t2, { initIndex, labels: [...before, label] }, 'equal states get different fingerprints');
      }
      const k = fingerprint(t2);
      if (!seen.has(k)) {
        seen.add(k);
        queue.push(t2);
        parent.push(head);
        via.push(label);
        initOf.push(initOf[head]!);
      }
    });
  }
  return { states, transitions };
}
