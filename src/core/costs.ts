/**
 * Cost counters: what a step costs, as a spec counts it (control messages by
 * type, copies replayed and re-sent, stable-storage accesses by role, steps
 * during which a live process is blocked…). The counters are never part of a
 * state: `rrcheck metrics` aggregates them over the explored graph, and the
 * timed simulation sums them along its run, so state counts do not change.
 */

/** One counter a spec reports per step. */
export interface CostCounter {
  /** kebab-case and unique within the spec: `dep-req`, `stable-write-live`… */
  readonly name: string;
  /** The heading it is reported under (`control messages`, `stable storage`…), in first-seen order. */
  readonly group: string;
  readonly description: string;
}

/**
 * A spec's costs of its steps. `measure` calls `add(i, amount, process)` for
 * each counter `counters[i]` the step `before` —`action`→ `after` adds to
 * (any number of times, including none), with a non-negative integer amount
 * and, where the cost belongs to one process (who sent the message, who wrote
 * to stable storage), that process's name as Model.describe names it. Pure:
 * the same step always adds the same amounts.
 */
export interface CostSpec<S, A> {
  readonly counters: readonly CostCounter[];
  measure(before: S, action: A, after: S, add: (counter: number, amount: number, process?: string) => void): void;
}
