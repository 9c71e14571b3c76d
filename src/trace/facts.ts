/**
 * The facts of a trace as data, for diagrams and reports: what each step did
 * (Model.describe) and the violation's finding, recomputed from the replayed
 * states rather than read from a file.
 */
import type { DiagramHighlight } from '../core/diagram.js';
import type { ActionDescription, Model, Property } from '../core/model.js';
import { describeAction, traceFinding } from './verdict.js';

/**
 * What each step of a replayed trace did: steps[k] describes labels[k] taken
 * in states[k]. A label that is not enabled there (the trace does not replay)
 * is described as `{ fault: false }`.
 */
export function describeSteps<S, A>(model: Model<S, A>, states: readonly S[], labels: readonly string[]): ActionDescription[] {
  return labels.map((label, k) => {
    const state = states[k];
    if (state === undefined) return { fault: false };
    const action = model.actions(state).find((a) => model.label(a) === label);
    return action === undefined ? { fault: false } : describeAction(model, state, action);
  });
}

/** The diagram hook's facts for a violation of `property` along a replayed trace. */
export function diagramFacts<S, A>(
  target: { readonly model: Model<S, A>; readonly properties: readonly Property<S>[] },
  property: string,
  trace: { readonly states: readonly S[]; readonly labels: readonly string[]; readonly loopStart?: number },
): DiagramHighlight {
  return { property, finding: traceFinding(target.properties, property, trace), steps: describeSteps(target.model, trace.states, trace.labels) };
}
