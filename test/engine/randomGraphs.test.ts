/**
 * The engine against the naive reference explorer on random graphs
 * (fast-check prints the seed and path of any failing case).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Property } from '../../src/core/index.js';
import { explore } from '../../src/engine/index.js';
import { alwaysTrueAtEnd, graphModel } from '../toy/graphModels.js';
import { referenceExplore } from '../toy/reference.js';
import { replayLabels } from '../toy/replayTrace.js';

const graphs = fc.integer({ min: 1, max: 24 }).chain((n) =>
  fc.record({
    edges: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 4 }), { minLength: n, maxLength: n }),
    roots: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 3 }),
    bad: fc.integer({ min: 0, max: n - 1 }),
  }),
);

const notBad = (bad: number): Property<number> => ({
  name: 'NotBad',
  kind: 'always',
  category: 'safety',
  description: `never at ${bad}`,
  holds: (s) => s !== bad,
});

describe('random graphs against the reference explorer', () => {
  it('count the same states, transitions and terminal states', () => {
    fc.assert(
      fc.property(graphs, ({ edges, roots, bad }) => {
        const model = graphModel(edges, roots);
        const ref = referenceExplore(model);
        for (const strategy of ['bfs', 'dfs'] as const) {
          const result = explore({ model, properties: [notBad(bad)] }, { strategy, continueAfterViolation: true });
          expect(result.complete).toBe(true);
          expect(result.stats).toMatchObject({ distinct: ref.depth.size, transitions: ref.transitions, terminal: ref.terminal, queued: 0 });
          expect(result.status).toBe(ref.depth.has(String(bad)) ? 'violation' : 'ok');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('BFS finds a shortest path to a bad state, and its trace replays', () => {
    fc.assert(
      fc.property(graphs, ({ edges, roots, bad }) => {
        const model = graphModel(edges, roots);
        const ref = referenceExplore(model);
        const result = explore({ model, properties: [notBad(bad)] }, { strategy: 'bfs' });
        const depth = ref.depth.get(String(bad));
        if (depth === undefined) {
          expect(result.status).toBe('ok');
          return;
        }
        expect(result.status).toBe('violation');
        if (result.status !== 'violation') return;
        const { trace } = result.violations[0]!;
        expect(trace.labels).toHaveLength(depth);
        expect(trace.states.at(-1)).toBe(bad);
        expect(roots[trace.initIndex]).toBe(trace.states[0]);
        expect(replayLabels(model, trace)).toEqual(trace.states);
      }),
      { numRuns: 300 },
    );
  });

  it('DFS reports a lasso iff the reachable graph has a cycle', () => {
    fc.assert(
      fc.property(graphs, ({ edges, roots }) => {
        const model = graphModel(edges, roots);
        const ref = referenceExplore(model);
        const result = explore({ model, properties: [alwaysTrueAtEnd<number>()] }, { strategy: 'dfs' });
        expect(result.status).toBe(ref.hasCycle ? 'violation' : 'ok');
        if (result.status !== 'violation') return;
        const { trace } = result.violations[0]!;
        const { loopStart } = trace;
        expect(loopStart).toBeDefined();
        expect(loopStart!).toBeLessThan(trace.states.length - 1);
        expect(trace.states.at(-1)).toBe(trace.states[loopStart!]);
        // A path in the graph: each step follows an edge, and the states before the repeat are distinct.
        trace.states.slice(1).forEach((s, i) => expect(edges[trace.states[i]!]).toContain(s));
        expect(new Set(trace.states.slice(0, -1)).size).toBe(trace.states.length - 1);
        expect(replayLabels(model, trace)).toEqual(trace.states);
      }),
      { numRuns: 300 },
    );
  });

  it('BFS reports a lasso iff the reachable graph has a cycle: least-depth loop start, shortest loop through it', () => {
    /** Length of a shortest cycle through v (0 if none). */
    const shortestCycle = (edges: readonly (readonly number[])[], v: number): number => {
      const dist = new Map<number, number>([[v, 0]]);
      const queue = [v];
      for (let h = 0; h < queue.length; h++) {
        const u = queue[h]!;
        for (const w of edges[u] ?? []) {
          if (w === v) return dist.get(u)! + 1;
          if (dist.has(w)) continue;
          dist.set(w, dist.get(u)! + 1);
          queue.push(w);
        }
      }
      return 0;
    };
    fc.assert(
      fc.property(graphs, ({ edges, roots }) => {
        const model = graphModel(edges, roots);
        const ref = referenceExplore(model);
        const result = explore({ model, properties: [alwaysTrueAtEnd<number>()] }, { strategy: 'bfs' });
        expect(result.status).toBe(ref.hasCycle ? 'violation' : 'ok');
        expect(result.complete).toBe(true);
        if (result.status !== 'violation') return;
        const { trace } = result.violations[0]!;
        const loopStart = trace.loopStart!;
        const start = trace.states[loopStart]!;
        expect(trace.states.at(-1)).toBe(start);
        expect(replayLabels(model, trace)).toEqual(trace.states);
        // The stem is a shortest path to the loop start, which is a cyclic state of least depth.
        const cyclicDepths = [...ref.depth].filter(([k]) => shortestCycle(edges, Number(k)) > 0).map(([, d]) => d);
        expect(loopStart).toBe(ref.depth.get(String(start)));
        expect(loopStart).toBe(Math.min(...cyclicDepths));
        expect(trace.labels.length - loopStart).toBe(shortestCycle(edges, start));
      }),
      { numRuns: 300 },
    );
  });
});
