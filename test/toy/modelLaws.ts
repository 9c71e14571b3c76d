/**
 * Model laws, written once and run on every model (fast-check's shared
 * arbitrary assertions are the example): over the states found by a bounded
 * BFS, check that
 *   - init() is repeatable (same states, same fingerprints, same order);
 *   - actions(s) is repeatable and its labels are unique, label() stable;
 *   - next(s, a) is deterministic and pure: it does not mutate s (checked on a
 *     deep-frozen copy, where a write throws, and by comparing s before and
 *     after), and it depends on the value of s, not its identity;
 *   - fingerprint(s) is stable and equal for equal states (a structural copy).
 * Throws a ModelLawError naming the law, the state and the action on the first
 * failure; returns how much it checked. Generic over the model: reuse it on
 * any Model (pass `clone` if states are not structured-cloneable).
 */
import { isDeepStrictEqual } from 'node:util';
import type { Model } from '../../src/core/index.js';

export interface ModelLawsOptions<S> {
  /** States to check, found by BFS from the initial states (default 300). */
  readonly samples?: number;
  /** A structurally equal, independent copy of a state (default structuredClone). */
  readonly clone?: (state: S) => S;
  /** Structural equality (default node:util isDeepStrictEqual). */
  readonly equal?: (a: unknown, b: unknown) => boolean;
}

export interface ModelLawsReport {
  readonly states: number;
  readonly transitions: number;
}

export class ModelLawError extends Error {
  constructor(
    readonly law: string,
    detail: string,
  ) {
    super(`model law "${law}" fails: ${detail}`);
    this.name = 'ModelLawError';
  }
}

function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    // Enumerable own values only: hidden caches (a hash slot) are not part of the state.
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function checkModelLaws<S, A>(model: Model<S, A>, options: ModelLawsOptions<S> = {}): ModelLawsReport {
  const samples = options.samples ?? 300;
  const clone = options.clone ?? ((s: S) => structuredClone(s));
  const equal = options.equal ?? isDeepStrictEqual;
  const out = new Uint32Array(2);
  const fingerprint = (s: S): string => {
    model.fingerprint(s, out);
    return `${out[0]}:${out[1]}`;
  };
  const fail = (law: string, detail: string): never => {
    throw new ModelLawError(law, detail);
  };

  const init1 = model.init();
  const init2 = model.init();
  if (init1.length !== init2.length) fail('init repeatable', `init() returned ${init1.length} then ${init2.length} states`);
  init1.forEach((s, i) => {
    if (!equal(s, init2[i]) || fingerprint(s) !== fingerprint(init2[i]!)) {
      fail('init repeatable', `initial state #${i} differs between calls: ${show(s)} vs ${show(init2[i])}`);
    }
  });

  const seen = new Set<string>();
  const queue: S[] = [];
  for (const s of init1) {
    const k = fingerprint(s);
    if (!seen.has(k)) {
      seen.add(k);
      queue.push(s);
    }
  }
  let states = 0;
  let transitions = 0;
  for (let head = 0; head < queue.length && states < samples; head++) {
    const s = queue[head]!;
    states++;
    const where = `in state ${show(s)}`;

    const fp = fingerprint(s);
    if (fingerprint(s) !== fp) fail('fingerprint stable', `two calls disagree ${where}`);
    const copy = clone(s);
    if (!equal(copy, s)) fail('clone', `the copy differs from the state ${where} (pass a clone option)`);
    if (fingerprint(copy) !== fp) fail('fingerprint stable', `an equal copy gets another fingerprint ${where}`);

    const actions = model.actions(s);
    const labels = actions.map((a) => model.label(a));
    const again = model.actions(s).map((a) => model.label(a));
    if (!equal(labels, again)) fail('actions repeatable', `[${labels.join(', ')}] then [${again.join(', ')}] ${where}`);
    if (!equal(model.actions(copy).map((a) => model.label(a)), labels)) {
      fail('actions repeatable', `an equal copy enables other actions ${where}`);
    }
    const unique = new Set(labels);
    if (unique.size !== labels.length) {
      const dup = labels.find((l, i) => labels.indexOf(l) !== i);
      fail('labels unique', `label "${dup}" appears twice among the actions ${where}`);
    }

    actions.forEach((a, i) => {
      const label = labels[i]!;
      if (model.label(a) !== label) fail('label stable', `action #${i} is labelled "${label}" then "${model.label(a)}" ${where}`);
      const before = clone(s);
      let t1: S;
      try {
        // A deep-frozen copy makes any write by next() throw.
        const frozen = deepFreeze(clone(s));
        const frozenAction = model.actions(frozen)[i]!;
        t1 = model.next(frozen, frozenAction);
      } catch (e) {
        return fail('next pure', `next(…, "${label}") threw on a frozen state (does it mutate its input?): ${(e as Error).message} ${where}`);
      }
      const t2 = model.next(s, a);
      transitions++;
      if (!equal(s, before)) fail('next pure', `next(…, "${label}") mutated its input ${where}`);
      const t3 = model.next(s, a);
      if (!equal(t1, t2) || !equal(t2, t3) || fingerprint(t1) !== fingerprint(t2) || fingerprint(t2) !== fingerprint(t3)) {
        fail('next deterministic', `next(…, "${label}") gave different states ${where}: ${show(t2)} vs ${show(t3)}`);
      }
      const k = fingerprint(t2);
      if (!seen.has(k)) {
        seen.add(k);
        queue.push(t2);
      }
    });
  }
  return { states, transitions };
}
