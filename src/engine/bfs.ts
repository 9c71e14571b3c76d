/**
 * Breadth-first search, level by level: the frontier of depth d is expanded
 * into the frontier of depth d+1, so depth needs no per-state storage and the
 * first violation of each property is found at its least depth (a shortest
 * counterexample). `always` properties are checked when a state is first
 * stored, `terminal` ones when it is expanded and has no successors (TLC's
 * order for invariants and deadlock).
 *
 * BFS does not look for cycles: a back edge is not recognisable without a
 * DFS stack. Use the dfs strategy to check that terminal properties are not
 * defeated by a loop.
 */
import type { Search } from './search.js';

/** Runs the search; returns how many stored states were left unexpanded. */
export function bfs<S, A>(search: Search<S, A>): number {
  const { model, store, fp, maxDepth, maxStates, onTransition } = search;
  const inits = model.init();
  search.checkActionCount(inits.length);
  let frontier: S[] = [];
  let frontierIndex: number[] = [];
  for (let k = 0; k < inits.length; k++) {
    const s = inits[k]!;
    model.fingerprint(s, fp);
    search.initLookups++;
    if (store.size >= maxStates && !store.has(fp[0]!, fp[1]!)) {
      search.stopAtStateLimit();
      return frontier.length;
    }
    const index = store.insert(fp[0]!, fp[1]!, -1, k);
    if (index < 0) continue;
    frontier.push(s);
    frontierIndex.push(index);
    if (search.checkAlways(s, index, 0)) return frontier.length;
  }

  for (let depth = 0; frontier.length > 0; depth++) {
    const next: S[] = [];
    const nextIndex: number[] = [];
    for (let q = 0; q < frontier.length; q++) {
      // States not yet fully expanded: this one and the rest of the level, plus the next level.
      if ((++search.ticks & 255) === 0 && search.poll(frontier.length - q + next.length, depth)) {
        return frontier.length - q + next.length;
      }
      const s = frontier[q]!;
      const sIndex = frontierIndex[q]!;
      // Drop the reference so expanded states can be collected mid-level.
      frontier[q] = undefined as S;
      const actions = model.actions(s);
      const n = actions.length;
      if (n === 0) {
        if (search.checkTerminal(s, sIndex, depth)) return frontier.length - q - 1 + next.length;
        continue;
      }
      if (depth >= maxDepth) {
        search.cutAtDepth();
        continue;
      }
      search.checkActionCount(n);
      for (let k = 0; k < n; k++) {
        if ((++search.ticks & 255) === 0 && search.poll(frontier.length - q + next.length, depth)) {
          return frontier.length - q + next.length;
        }
        const action = actions[k]!;
        const t = model.next(s, action);
        search.transitions++;
        model.fingerprint(t, fp);
        const hi = fp[0]!;
        const lo = fp[1]!;
        if (store.size >= maxStates && !store.has(hi, lo)) {
          search.stopAtStateLimit();
          return frontier.length - q + next.length;
        }
        const index = store.insert(hi, lo, sIndex, k);
        if (onTransition !== undefined) onTransition(s, action, t, index >= 0);
        if (index < 0) continue;
        next.push(t);
        nextIndex.push(index);
        if (depth >= search.maxDepthSeen) search.maxDepthSeen = depth + 1;
        if (search.checkAlways(t, index, depth + 1)) return frontier.length - q + next.length;
      }
    }
    frontier = next;
    frontierIndex = nextIndex;
  }
  return 0;
}
