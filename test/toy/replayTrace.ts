/**
 * Test helper: replays a trace by labels, as a user of a counterexample file
 * would (find each label among the enabled actions, fail loudly on drift),
 * and returns the states it reaches, for comparison with `trace.states`.
 */
import type { Model, Trace } from '../../src/core/index.js';

export function replayLabels<S, A>(model: Model<S, A>, trace: Trace<S>): S[] {
  let state = model.init()[trace.initIndex];
  if (state === undefined) throw new Error(`no initial state #${trace.initIndex}`);
  const states: S[] = [state];
  trace.labels.forEach((label, step) => {
    const enabled = model.actions(state as S);
    const action = enabled.find((a) => model.label(a) === label);
    if (action === undefined) {
      throw new Error(`step ${step + 1}: "${label}" is not enabled (enabled: ${enabled.map((a) => model.label(a)).join(', ')})`);
    }
    state = model.next(state as S, action);
    states.push(state);
  });
  return states;
}
