/**
 * Strict replay of a trace given as action labels: each label must be among
 * the enabled actions of the current state. The labels, not seeds or indices,
 * are the source of truth of a counterexample. A state whose enabled actions
 * share a label breaks the Model contract: replay throws ModelError there
 * rather than pick one of them.
 */
import { duplicateLabel, duplicateLabelError, type Model } from '../core/index.js';

/** `ok` with every state reached, or `drift` at the first label that is not enabled. */
export type ReplayOutcome<S> =
  | { readonly status: 'ok'; readonly states: readonly S[] }
  | {
      readonly status: 'drift';
      /** 0-based index of the label that was not enabled. */
      readonly step: number;
      readonly label: string;
      readonly enabled: readonly string[];
      /** States reached before the drift (states[0] is the initial state). */
      readonly states: readonly S[];
    };

/** Replays `labels` strictly from initial state `initIndex` of `model`. */
export function replayLabels<S, A>(model: Model<S, A>, labels: readonly string[], initIndex = 0): ReplayOutcome<S> {
  const replayed = replayActions(model, labels, initIndex);
  return replayed.status === 'ok' ? { status: 'ok', states: replayed.states } : replayed;
}

/** replayLabels, with the action each label named: actions[k] is the action of labels[k], taken in states[k]. */
export function replayActions<S, A>(
  model: Model<S, A>,
  labels: readonly string[],
  initIndex = 0,
): { readonly status: 'ok'; readonly states: readonly S[]; readonly actions: readonly A[] } | Extract<ReplayOutcome<S>, { status: 'drift' }> {
  const init = model.init()[initIndex];
  if (init === undefined) throw new RangeError(`the model has no initial state #${initIndex}`);
  const states: S[] = [init];
  const taken: A[] = [];
  let state: S = init;
  for (let step = 0; step < labels.length; step++) {
    const actions = model.actions(state);
    const duplicate = duplicateLabel(model, actions);
    if (duplicate !== undefined) throw duplicateLabelError(duplicate, initIndex, labels.slice(0, step));
    const action = actions.find((a) => model.label(a) === labels[step]);
    if (action === undefined) {
      return { status: 'drift', step, label: labels[step]!, enabled: actions.map((a) => model.label(a)), states };
    }
    taken.push(action);
    state = model.next(state, action);
    states.push(state);
  }
  return { status: 'ok', states, actions: taken };
}

/** The one line of a drift in a counterexample file: the step (1-based), its label, and the labels enabled there. */
export function driftMessage(file: string, drift: { readonly step: number; readonly label: string; readonly enabled: readonly string[] }): string {
  const enabled = drift.enabled.length === 0 ? 'none' : drift.enabled.map((l) => JSON.stringify(l)).join(', ');
  return `replay drift in ${file}: step ${drift.step + 1}, ${JSON.stringify(drift.label)}, is not enabled; enabled: ${enabled}`;
}
