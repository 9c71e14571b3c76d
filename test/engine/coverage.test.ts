/**
 * The transition hook and the coverage collector, on toy models whose counts
 * are known by hand (Die Hard, the grid) and on random graphs against the
 * reference explorer: every transition is reported once, `isNew` exactly for
 * the transitions that stored a state, and the collector's counts follow.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CoverageSpec } from '../../src/core/index.js';
import { coverageCollector, coverageValue, explore } from '../../src/engine/index.js';
import { dieHard, type JugAction, type Jugs } from '../toy/dieHard.js';
import { graphModel, gridModel, type Point } from '../toy/graphModels.js';
import { referenceExplore } from '../toy/reference.js';

const jugActions: readonly JugAction[] = ['FillSmallJug', 'FillBigJug', 'EmptySmallJug', 'EmptyBigJug', 'SmallToBig', 'BigToSmall'];

/** One point per action, one that no step is at, and the big jug's content as a gauge. */
const jugCoverage: CoverageSpec<Jugs, JugAction> = {
  points: [
    ...jugActions.map((a) => ({ name: a, group: 'actions', description: a })),
    { name: 'overflow', group: 'impossible', description: 'a jug holds more than it can' },
  ],
  gauges: [{ name: 'big', description: 'gallons in the big jug', measure: (s) => s.big }],
  classify(before, action, after, hit) {
    hit(jugActions.indexOf(action));
    if (after.big > 5 || after.small > 3) hit(jugActions.length);
  },
};

describe('coverage collector', () => {
  it.each(['bfs', 'dfs'] as const)('Die Hard (%s): every action is taken once from each of the 16 states; 15 states are first reached by a step', (strategy) => {
    const collector = coverageCollector(jugCoverage);
    const result = explore(dieHard, { strategy, continueAfterViolation: true, onTransition: collector.onTransition });
    expect(result.stats.distinct).toBe(16);
    const report = collector.report();
    for (const a of jugActions) expect(report.points.find((p) => p.name === a)!.transitions).toBe(16);
    expect(report.points.reduce((sum, p) => sum + p.transitions, 0)).toBe(result.stats.transitions);
    expect(report.points.reduce((sum, p) => sum + p.states, 0)).toBe(15);
    expect(report.neverReached).toEqual(['overflow']);
    expect(report.gauges).toEqual([{ name: 'big', description: 'gallons in the big jug', max: 5 }]);
    expect(coverageValue(report, 'FillBigJug')).toBe(16);
    expect(coverageValue(report, 'overflow')).toBe(0);
    expect(coverageValue(report, 'big')).toBe(5);
    expect(coverageValue(report, 'nothing')).toBeUndefined();
  });

  it('grid 3×2 under DFS (right before up): the x-axis is reached by `right`, every state above it by `up`', () => {
    const spec: CoverageSpec<Point, 'right' | 'up'> = {
      points: [
        { name: 'right', group: 'moves', description: 'x + 1' },
        { name: 'up', group: 'moves', description: 'y + 1' },
      ],
      gauges: [{ name: 'sum', description: 'x + y', measure: (s) => s.x + s.y }],
      classify: (_before, action, _after, hit) => hit(action === 'right' ? 0 : 1),
    };
    const collector = coverageCollector(spec);
    explore({ model: gridModel(3, 2), properties: [] }, { strategy: 'dfs', onTransition: collector.onTransition });
    const [right, up] = collector.report().points;
    // DFS runs along the x-axis first, then climbs each column from its foot on
    // the way back, finding every state of the column to its right already seen.
    // right: w(h+1) = 9 transitions, 3 states; up: h(w+1) = 8 transitions, 8 states.
    expect(right).toMatchObject({ transitions: 9, states: 3 });
    expect(up).toMatchObject({ transitions: 8, states: 8 });
    expect(collector.report().gauges[0]!.max).toBe(5);
  });

  it('a gauge is undefined when no step was taken', () => {
    const collector = coverageCollector(jugCoverage);
    explore(dieHard, { strategy: 'bfs', maxDepth: 0, onTransition: collector.onTransition });
    expect(collector.report().gauges[0]!.max).toBeUndefined();
    expect(collector.report().neverReached).toHaveLength(jugActions.length + 1);
  });
});

describe('onTransition hook', () => {
  it('random graphs: called once per transition, isNew once per state that is not initial (bfs and dfs)', () => {
    const graphs = fc.integer({ min: 1, max: 20 }).chain((n) =>
      fc.record({
        edges: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 4 }), { minLength: n, maxLength: n }),
        roots: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 3 }),
      }),
    );
    fc.assert(
      fc.property(graphs, ({ edges, roots }) => {
        const model = graphModel(edges, roots);
        const ref = referenceExplore(model);
        for (const strategy of ['bfs', 'dfs'] as const) {
          let calls = 0;
          const fresh = new Set<string>();
          explore({ model, properties: [] }, {
            strategy,
            onTransition: (from, action, to, isNew) => {
              calls++;
              // The reported step is a real edge of the graph.
              expect(model.next(from, action)).toBe(to);
              if (isNew) {
                expect(fresh.has(String(to))).toBe(false);
                fresh.add(String(to));
              }
            },
          });
          expect(calls).toBe(ref.transitions);
          // Every state is stored once: as a root, or by the one step that reached it first.
          const storedAsRoot = roots.filter((r) => !fresh.has(String(r)));
          expect(fresh.size + storedAsRoot.length).toBe(ref.depth.size);
          // BFS stores every root before any step (DFS one root at a time, so a step may reach a later root first).
          if (strategy === 'bfs') expect(storedAsRoot).toEqual(roots);
        }
      }),
      { numRuns: 200 },
    );
  });
});
