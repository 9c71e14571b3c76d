/**
 * A deliberately naive reference explorer for cross-checking the engine: BFS
 * over a Map keyed by a canonical string of each state (JSON by default),
 * keeping every state. Slow and memory-hungry by design, and independent of
 * the engine's store, fingerprints and traces.
 */
import type { Model } from '../../src/core/index.js';

export interface ReferenceResult<S> {
  /** Distinct states, by key, with their BFS depth. */
  readonly depth: Map<string, number>;
  readonly states: Map<string, S>;
  readonly transitions: number;
  /** States without successors. */
  readonly terminal: number;
  /** Whether the reachable graph has a cycle (self-loops included). */
  readonly hasCycle: boolean;
}

export function referenceExplore<S, A>(model: Model<S, A>, key: (s: S) => string = (s) => JSON.stringify(s)): ReferenceResult<S> {
  const depth = new Map<string, number>();
  const states = new Map<string, S>();
  const succ = new Map<string, string[]>();
  let transitions = 0;
  let terminal = 0;
  let frontier: S[] = [];
  for (const s of model.init()) {
    const k = key(s);
    if (depth.has(k)) continue;
    depth.set(k, 0);
    states.set(k, s);
    frontier.push(s);
  }
  for (let d = 0; frontier.length > 0; d++) {
    const next: S[] = [];
    for (const s of frontier) {
      const actions = model.actions(s);
      if (actions.length === 0) terminal++;
      const out: string[] = [];
      for (const a of actions) {
        const t = model.next(s, a);
        transitions++;
        const k = key(t);
        out.push(k);
        if (depth.has(k)) continue;
        depth.set(k, d + 1);
        states.set(k, t);
        next.push(t);
      }
      succ.set(key(s), out);
    }
    frontier = next;
  }
  // Kahn's algorithm: the graph is acyclic iff every node can be removed.
  const indegree = new Map<string, number>();
  for (const k of depth.keys()) indegree.set(k, 0);
  for (const out of succ.values()) for (const t of out) indegree.set(t, indegree.get(t)! + 1);
  const ready = [...indegree].filter(([, n]) => n === 0).map(([k]) => k);
  let removed = 0;
  while (ready.length > 0) {
    const k = ready.pop()!;
    removed++;
    for (const t of succ.get(k) ?? []) {
      const n = indegree.get(t)! - 1;
      indegree.set(t, n);
      if (n === 0) ready.push(t);
    }
  }
  return { depth, states, transitions, terminal, hasCycle: removed < depth.size };
}
