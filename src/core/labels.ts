/**
 * The Model contract's rule that the labels of one state's enabled actions
 * are unique (a trace is a list of labels; replay must find each one without
 * guessing). The engine checks it on every state it expands, replay on every
 * state it passes; both throw the same ModelError.
 */
import { ModelError } from './exitCodes.js';

/** Labels shown in full when naming a state by its trace; longer traces show the first and last few. */
const SHOWN_STEPS = 6;

/**
 * The first label that two of `actions` share, or undefined. Pairwise for
 * a handful of actions (no allocation), a Set beyond.
 */
export function duplicateLabel<A>(model: { label(action: A): string }, actions: readonly A[]): string | undefined {
  const n = actions.length;
  if (n < 2) return undefined;
  if (n <= 8) {
    const labels: string[] = [];
    for (let i = 0; i < n; i++) {
      const l = model.label(actions[i]!);
      for (let j = 0; j < i; j++) if (labels[j] === l) return l;
      labels.push(l);
    }
    return undefined;
  }
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const l = model.label(actions[i]!);
    if (seen.has(l)) return l;
    seen.add(l);
  }
  return undefined;
}

/** A state named by how it is reached: "the initial state #0", or the labels from it (abbreviated past 6). */
export function describeReachedState(initIndex: number, labels: readonly string[]): string {
  if (labels.length === 0) return `the initial state #${initIndex}`;
  const quoted = (ls: readonly string[]) => ls.map((l) => JSON.stringify(l)).join(' → ');
  const from = initIndex === 0 ? '' : ` from the initial state #${initIndex}`;
  if (labels.length <= SHOWN_STEPS) return `the state reached${from} by ${quoted(labels)}`;
  const head = quoted(labels.slice(0, 3));
  const tail = quoted(labels.slice(-2));
  return `the state reached${from} by ${labels.length} steps ${head} → … → ${tail}`;
}

/** The error for two enabled actions labelled `label` in the state reached from initial state #initIndex by `labels`. */
export function duplicateLabelError(label: string, initIndex: number, labels: readonly string[]): ModelError {
  return new ModelError(
    `model error: two enabled actions of ${describeReachedState(initIndex, labels)} have the same label ${JSON.stringify(label)} (labels must be unique among a state's enabled actions)`,
    'duplicate-label',
  );
}
