/**
 * Breadth-first search, level by level: the frontier of depth d is expanded
 * into the frontier of depth d+1, so depth needs no per-state storage and the
 * first violation of each property is found at its least depth (a shortest
 * counterexample). `always` properties are checked when a state is first
 * stored, `terminal` ones when it is expanded and has no successors (TLC's
 * order for invariants and deadlock).
 *
 * Cycles: a back edge is not recognisable without a DFS stack, so while some
 * terminal property is unviolated (and `cycleCheck` is on), BFS records the
 * explored graph (stateGraph.ts: a CSR of 4 bytes per transition and per
 * state, plus a state index per stored fingerprint to resolve duplicate
 * successors) and, once the search is complete (no bound hit, not halted),
 * looks for a cycle in it. A cycle is reported as a lasso for every terminal
 * property not yet violated, as DFS reports it: loop start the cyclic state
 * of least BFS index, stem its parent-link path, loop a shortest cycle
 * through it. The graph is dropped as soon as the check cannot run (a depth
 * cut) or is not needed (every terminal property violated).
 *
 * Checkpoints (ExploreOptions.checkpoint) are taken at level boundaries,
 * where the whole search is the store, the graph, the counters and the next
 * level's queue; a resumed search (ExploreOptions.resume) starts at that
 * level instead of at the initial states (checkpoint.ts).
 *
 * Partial-order reduction (Model.ample): a state is expanded by the model's
 * subset of its actions, and the graph is recorded (with each transition's
 * action index) even without terminal properties. Once the search is
 * complete, the cycle proviso is checked on it: if some cycle passes only
 * through states expanded by a subset, the `always` properties that did not
 * fail are unknown (explore.ts). Checking it afterwards, not per state,
 * keeps the reduction where the graph has no such cycle: a per-level
 * proviso (refuse a subset reaching a state stored at this depth or before)
 * refuses most subsets on FBL's acyclic graphs.
 */
import type { Search } from './search.js';
import { StateGraph } from './stateGraph.js';
import { StateQueue } from './stateQueue.js';
import { parallelLevels, type GraphHandle } from './parallel.js';

/** Runs the search; returns how many stored states were left unexpanded. */
export function bfs<S, A>(search: Search<S, A>): number {
  const { model, store, fp, maxDepth, maxStates, onTransition } = search;
  // Partial-order reduction needs the graph too: its cycle proviso is checked on it once the search is complete.
  let graph = search.cycleCheck || search.partialOrder ? new StateGraph({ recordActions: search.partialOrder }) : undefined;
  search.graph = graph;
  // Drops the graph (its memory counted in the statistics first).
  const drop = (): undefined => {
    if (graph !== undefined) search.graphBytes = Math.max(search.graphBytes, graph.bytesAllocated());
    search.graph = undefined;
    return undefined;
  };
  const inits = model.init();
  search.checkActionCount(inits.length);
  // The queues of the current and the next level (their spill files are deleted however the search ends).
  let frontier: StateQueue<S> = search.newQueue<S>();
  let next: StateQueue<S> | undefined;
  try {
    let firstDepth = 0;
    if (search.resumed !== undefined) {
      // Go on from a snapshot: its store, graph and level queue instead of the initial states.
      const restored = search.restoreSnapshot(frontier, graph !== undefined);
      graph = restored.graph;
      search.graph = graph;
      firstDepth = restored.depth;
    } else {
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
        frontier.push(index, s);
        if (search.checkAlways(s, index, 0)) return frontier.length;
      }
    }

    for (let depth = firstDepth; frontier.length > 0; depth++) {
      if (search.parallel !== undefined && frontier.length >= search.parallel.threshold) {
        search.workersUsed = search.parallel.workers;
        const handle: GraphHandle = { get: () => graph, drop: () => void (graph = drop()) };
        const queued = parallelLevels(search, search.parallel, frontier, depth, handle);
        if (search.halt !== undefined) return queued;
        break;
      }
      const level = (next = search.newQueue<S>());
      const width = frontier.length;
      // States not fully expanded when the search stops: from position q on, plus the next level.
      let queued = 0;
      const stopAt = (q: number): true => {
        queued = width - q + level.length;
        return true;
      };
      frontier.drain((sIndex, s, q) => {
        if ((++search.ticks & 255) === 0 && search.poll(width - q + level.length, depth)) return stopAt(q);
        const actions = model.actions(s);
        const n = actions.length;
        if (graph !== undefined) graph.beginState(sIndex);
        if (n === 0) {
          if (search.checkTerminal(s, sIndex, depth)) return stopAt(q + 1);
          // Every terminal property is violated: no cycle can add anything (nor the proviso need it).
          if (graph !== undefined && !search.wantsCycles() && !search.partialOrder) graph = drop();
          return false;
        }
        if (depth >= maxDepth) {
          search.cutAtDepth();
          // The search is incomplete now: the cycle check will not run.
          graph = drop();
          return false;
        }
        search.checkLabels(actions, sIndex);
        search.checkActionCount(n);
        const chosen = search.ampleOf(s, actions);
        if (chosen !== undefined) {
          search.reducedStates++;
          graph?.markReduced();
        }
        const count = chosen === undefined ? n : chosen.length;
        for (let i = 0; i < count; i++) {
          if ((++search.ticks & 255) === 0 && search.poll(width - q + level.length, depth)) return stopAt(q);
          const k = chosen === undefined ? i : chosen[i]!;
          const action = actions[k]!;
          const t = model.next(s, action);
          search.transitions++;
          model.fingerprint(t, fp);
          const hi = fp[0]!;
          const lo = fp[1]!;
          if (store.size >= maxStates && !store.has(hi, lo)) {
            search.stopAtStateLimit();
            return stopAt(q);
          }
          let index: number;
          if (graph === undefined) {
            index = store.insert(hi, lo, sIndex, k);
          } else {
            const r = store.insertOrFind(hi, lo, sIndex, k);
            graph.addTransition(r >= 0 ? r : ~r, k);
            index = r >= 0 ? r : -1;
          }
          if (onTransition !== undefined) onTransition(s, action, t, index >= 0);
          if (index < 0) continue;
          level.push(index, t);
          if (depth >= search.maxDepthSeen) search.maxDepthSeen = depth + 1;
          if (search.checkAlways(t, index, depth + 1)) return stopAt(q);
        }
        return false;
      });
      if (search.halt !== undefined) return queued;
      frontier.dispose();
      frontier = level;
      next = undefined;
      // A level boundary: the search's state is whole and small here (checkpoint.ts).
      if (frontier.length > 0 && search.checkpointDue()) search.saveCheckpoint(depth + 1, frontier, graph);
    }
    if (graph !== undefined && search.cycleCheck && search.wantsCycles()) {
      const lasso = graph.findLasso(store.size);
      if (lasso !== undefined) search.recordGraphLasso(lasso);
      search.cyclesChecked = true;
    }
    if (graph !== undefined && search.partialOrder) search.provisoFailed = graph.hasReducedCycle();
    drop();
    return 0;
  } finally {
    frontier.dispose();
    next?.dispose();
  }
}
