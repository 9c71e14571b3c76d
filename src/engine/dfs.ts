/**
 * Depth-first search with an explicit stack (no recursion, so depth is bounded
 * by memory, not by the JS call stack). A frame holds a state, its action list
 * and the next action to try; the stack height is the depth, and the store's
 * parent links of the frames are exactly the stack (a frame's state was first
 * stored from the frame below it), so a trace to any frame replays the stack.
 *
 * Cycles: while some terminal property is still unviolated (and `cycleCheck`
 * is on), the fingerprints of the states on the stack are kept in a second
 * table; a successor that is already stored and on the stack closes a cycle
 * (a back edge), reported as a lasso. With no depth bound, DFS finds a cycle
 * iff the reachable graph has one.
 * `always` and `terminal` properties are checked when a state is first stored.
 *
 * Partial-order reduction (Model.ample): a state is expanded by the model's
 * subset of its actions unless a successor by it is on the stack (the cycle
 * proviso: every cycle then passes through a fully expanded state).
 *
 * With maxDepth, a state first met at the bound is not expanded even if it is
 * met again higher up later; the search then reports itself incomplete
 * (`depth`) whenever such a state had successors, so nothing is claimed.
 */
import { FingerprintTable } from './fingerprintTable.js';
import type { Search } from './search.js';

/** Runs the search; returns how many states were left on the stack (not fully expanded). */
export function dfs<S, A>(search: Search<S, A>): number {
  const { model, store, fp, maxDepth, maxStates, onTransition } = search;
  const states: S[] = [];
  const actionLists: (readonly A[])[] = [];
  /** Per frame, the indices of the actions to take (partial-order reduction), or undefined for all. */
  const chosenLists: (readonly number[] | undefined)[] = [];
  /** Per frame, the position in its action list (or chosen list) of the next action to take. */
  const nextAction: number[] = [];
  const indices: number[] = [];
  const his: number[] = [];
  const los: number[] = [];
  // The stack's fingerprints: for back edges (cycles) and for the cycle proviso of partial-order reduction.
  const onStack = search.cycleCheck || search.partialOrder ? new FingerprintTable({ initialCapacity: 256, maxLoad: 0.7, growth: 2 }) : undefined;
  let trackCycles = search.cycleCheck;
  // Back edges are seen as they are taken: a complete DFS has looked at every cycle.
  search.cyclesChecked = search.cycleCheck;
  let top = -1;

  // Checks a newly stored state and pushes it if it has successors within the bound; true if the search must stop.
  const enter = (s: S, index: number, depth: number, hi: number, lo: number): boolean => {
    if (depth > search.maxDepthSeen) search.maxDepthSeen = depth;
    if (search.checkAlways(s, index, depth)) return true;
    const actions = model.actions(s);
    if (actions.length === 0) return search.checkTerminal(s, index, depth);
    if (depth >= maxDepth) {
      search.cutAtDepth();
      return false;
    }
    search.checkLabels(actions, index);
    search.checkActionCount(actions.length);
    top++;
    states[top] = s;
    actionLists[top] = actions;
    nextAction[top] = 0;
    indices[top] = index;
    his[top] = hi;
    los[top] = lo;
    onStack?.add(hi, lo);
    chosenLists[top] = provisoAdmits(s, actions);
    return false;
  };

  // The model's persistent subset of `actions` if no successor by it is on the stack
  // (this state included): then every cycle passes through a fully expanded state.
  const probe = new Uint32Array(2);
  const provisoAdmits = (s: S, actions: readonly A[]): readonly number[] | undefined => {
    const chosen = search.ampleOf(s, actions);
    if (chosen === undefined) return undefined;
    for (const k of chosen) {
      model.fingerprint(model.next(s, actions[k]!), probe);
      if (onStack!.has(probe[0]!, probe[1]!)) {
        search.provisoRefusals++;
        return undefined;
      }
    }
    search.reducedStates++;
    return chosen;
  };

  const inits = model.init();
  search.checkActionCount(inits.length);
  // Roots are stored one at a time, just before their own search: storing them
  // all first would hide cycles that pass through a later root.
  for (let r = 0; r < inits.length; r++) {
    const root = inits[r]!;
    model.fingerprint(root, fp);
    search.initLookups++;
    if (store.size >= maxStates && !store.has(fp[0]!, fp[1]!)) {
      search.stopAtStateLimit();
      return 0;
    }
    const rootIndex = store.insert(fp[0]!, fp[1]!, -1, r);
    if (rootIndex < 0) continue;
    if (enter(root, rootIndex, 0, fp[0]!, fp[1]!)) return top + 1;

    while (top >= 0) {
      if ((++search.ticks & 255) === 0 && search.poll(top + 1, top)) return top + 1;
      const actions = actionLists[top]!;
      const chosen = chosenLists[top];
      const position = nextAction[top]!;
      if (position === (chosen === undefined ? actions.length : chosen.length)) {
        onStack?.delete(his[top]!, los[top]!);
        states[top] = undefined as S;
        actionLists[top] = [];
        chosenLists[top] = undefined;
        top--;
        continue;
      }
      nextAction[top] = position + 1;
      const k = chosen === undefined ? position : chosen[position]!;
      const from = states[top]!;
      const action = actions[k]!;
      const t = model.next(from, action);
      search.transitions++;
      model.fingerprint(t, fp);
      const hi = fp[0]!;
      const lo = fp[1]!;
      if (store.size >= maxStates && !store.has(hi, lo)) {
        search.stopAtStateLimit();
        return top + 1;
      }
      const index = store.insert(hi, lo, indices[top]!, k);
      if (onTransition !== undefined) onTransition(from, action, t, index >= 0);
      if (index >= 0) {
        if (enter(t, index, top + 1, hi, lo)) return top + 1;
        continue;
      }
      if (trackCycles && onStack!.has(hi, lo)) {
        let loopStart = top;
        while (his[loopStart] !== hi || los[loopStart] !== lo) loopStart--;
        if (search.recordLasso(indices[top]!, k, loopStart, top)) return top + 1;
        // Every terminal property has its violation now: stop looking for cycles.
        if (!search.wantsCycles()) trackCycles = false;
      }
    }
  }
  return 0;
}
