/**
 * Rebuilds a counterexample from the store's parent links: collect the action
 * indices from a state back to its root, then replay them from the initial
 * state (`model.actions(s)[k]`, `model.next`), recording labels and states.
 * Only the states of this one trace are ever materialised.
 */
import type { Model, Trace } from '../core/index.js';
import type { FingerprintStore } from './fingerprintStore.js';

/**
 * The trace from an initial state to stored state `index`. With `expected`
 * (the state's fingerprint), the replayed last state is checked against it:
 * a mismatch means the model is not deterministic, and that is thrown.
 */
export function rebuildTrace<S, A>(
  model: Model<S, A>,
  store: FingerprintStore,
  index: number,
  expected?: Uint32Array,
): { trace: Trace<S>; last: S } {
  const path: number[] = [];
  let i = index;
  for (let p = store.parentOf(i); p >= 0; p = store.parentOf(i)) {
    path.push(store.actionOf(i));
    i = p;
  }
  const initIndex = store.actionOf(i);
  let state = model.init()[initIndex];
  if (state === undefined) throw new Error(`trace replay: model.init() has no state #${initIndex} any more`);
  const states: S[] = [state];
  const labels: string[] = [];
  for (let j = path.length - 1; j >= 0; j--) {
    const k = path[j]!;
    const actions = model.actions(state);
    const action = actions[k];
    if (action === undefined) {
      throw new Error(`trace replay: step ${labels.length + 1} expects action #${k} but only ${actions.length} are enabled (is the model deterministic?)`);
    }
    labels.push(model.label(action));
    state = model.next(state, action);
    states.push(state);
  }
  if (expected !== undefined) {
    const fp = new Uint32Array(2);
    model.fingerprint(state, fp);
    if (fp[0] !== expected[0] || fp[1] !== expected[1]) {
      throw new Error(`trace replay: replaying ${labels.length} steps did not reach the stored state (is the model deterministic?)`);
    }
  }
  return { trace: { initIndex, labels, states }, last: state };
}
