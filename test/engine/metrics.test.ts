/**
 * computeMetrics on toy graphs whose figures are known by construction: an
 * acyclic graph with four terminal paths, a chain of diamonds with 2^54
 * paths, cyclic graphs, bounds, reductions.
 */
import { describe, expect, it } from 'vitest';
import type { CostSpec, Model, ReductionInForce } from '../../src/core/index.js';
import { computeMetrics, type CounterMetrics, type MetricsResult } from '../../src/engine/index.js';
import { graphModel, lassoModel } from '../toy/graphModels.js';

/** Costs of an explicit graph: counter `a` per edge as `amounts` says ("from>to" → amount), counter `zero` never. */
function edgeCosts(amounts: Record<string, number>): CostSpec<number, number> {
  return {
    counters: [
      { name: 'a', group: 'g', description: 'the edge amounts' },
      { name: 'zero', group: 'g', description: 'never added to' },
    ],
    measure(before, _action, after, add) {
      const amount = amounts[`${before}>${after}`];
      if (amount !== undefined) add(0, amount);
    },
  };
}

const counter = (r: MetricsResult, name: string): CounterMetrics => r.counters.find((c) => c.counter.name === name)!;
const known = <T>(value: T) => ({ status: 'known', value });

/** 0 → {1, 2} → 3 → {4, 5}: four terminal paths; a = 2 on 0→1 and 1 on 3→5. */
const DIAMOND = graphModel([[1, 2], [3], [3], [4, 5], [], []]);
const DIAMOND_COSTS = edgeCosts({ '0>1': 2, '3>5': 1 });

describe('computeMetrics on an acyclic graph', () => {
  it('gives min, max, mean, support and distribution over the terminal paths', () => {
    const r = computeMetrics({ model: DIAMOND, costs: DIAMOND_COSTS });
    expect(r).toMatchObject({ complete: true, acyclic: true, states: 6, transitions: 6, initialStates: 1, terminalStates: 2, reductions: [] });
    expect(r.terminalPaths).toEqual(known({ paths: 4, exact: true }));
    const a = counter(r, 'a');
    expect(a.min).toEqual(known(0));
    expect(a.max).toEqual(known(3));
    expect(a.mean).toEqual(known(1.5));
    expect(a.support).toEqual(known([0, 1, 2, 3]));
    expect(a.distribution).toEqual(known({ entries: [[0, 1], [1, 1], [2, 1], [3, 1]], exact: true }));
    expect(counter(r, 'zero').distribution).toEqual(known({ entries: [[0, 4]], exact: true }));
  });

  it('counts two actions to the same state as two paths', () => {
    const twice: Model<number, string> = {
      init: () => [0],
      actions: (s) => (s === 0 ? ['x', 'y'] : []),
      next: () => 1,
      label: (a) => a,
      fingerprint: (s, out) => void ((out[0] = s), (out[1] = 7)),
    };
    const costs: CostSpec<number, string> = { counters: [{ name: 'y', group: 'g', description: '' }], measure: (_b, a, _t, add) => (a === 'y' ? add(0, 5) : undefined) };
    const r = computeMetrics({ model: twice, costs });
    expect(r.terminalPaths).toEqual(known({ paths: 2, exact: true }));
    expect(counter(r, 'y').distribution).toEqual(known({ entries: [[0, 1], [5, 1]], exact: true }));
  });

  it('says the counts are not exact beyond 2^53 paths (a chain of 54 diamonds), while min and max stay exact', () => {
    const diamonds = 54;
    const edges: number[][] = [];
    for (let k = 0; k < diamonds; k++) edges.push([3 * k + 1, 3 * k + 2], [3 * k + 3], [3 * k + 3]);
    edges.push([]);
    const amounts: Record<string, number> = {};
    for (let k = 0; k < diamonds; k++) amounts[`${3 * k}>${3 * k + 1}`] = 1;
    const r = computeMetrics({ model: graphModel(edges), costs: edgeCosts(amounts) });
    expect(r.terminalPaths).toEqual(known({ paths: 2 ** 54, exact: false }));
    expect(counter(r, 'a').min).toEqual(known(0));
    expect(counter(r, 'a').max).toEqual(known(54));
    const dist = counter(r, 'a').distribution;
    expect(dist.status === 'known' && dist.value.exact).toBe(false);
  });

  it('rejects a negative or fractional amount', () => {
    const bad: CostSpec<number, number> = { counters: [{ name: 'a', group: 'g', description: '' }], measure: (_b, _a, _t, add) => add(0, -1) };
    expect(() => computeMetrics({ model: DIAMOND, costs: bad })).toThrow('cost spec: amount -1 of a is not a non-negative integer');
  });
});

describe('computeMetrics on a cyclic graph', () => {
  it('gives the minimum (a shortest path) and marks the rest unknown: cyclic-graph', () => {
    // 0 → 1 → 2 → 1 (a loop costing 1 per turn) and 2 → 3 (terminal), 0 → 4 → 3 costing 3.
    const model = graphModel([[1, 4], [2], [1, 3], [], [3]]);
    const r = computeMetrics({ model, costs: edgeCosts({ '1>2': 1, '0>4': 3 }) });
    expect(r).toMatchObject({ complete: true, acyclic: false, states: 5, transitions: 6, terminalStates: 1 });
    expect(r.terminalPaths).toEqual({ status: 'unknown', reason: 'cyclic-graph' });
    const a = counter(r, 'a');
    expect(a.min).toEqual(known(1));
    for (const figure of [a.max, a.mean, a.support, a.distribution]) expect(figure).toEqual({ status: 'unknown', reason: 'cyclic-graph' });
    expect(counter(r, 'zero').min).toEqual(known(0));
  });

  it('finds no minimum where the cycle is all there is beyond the exit (the lasso toy)', () => {
    const costs: CostSpec<number, string> = {
      counters: [{ name: 'exit', group: 'g', description: '' }],
      measure: (_b, a, _t, add) => (a === 'exit' ? add(0, 5) : undefined),
    };
    const r = computeMetrics({ model: lassoModel, costs });
    expect(r.acyclic).toBe(false);
    expect(counter(r, 'exit').min).toEqual(known(5));
    const endless = computeMetrics({ model: graphModel([[1], [0]]), costs: edgeCosts({}) });
    expect(counter(endless, 'a').min).toEqual({ status: 'unknown', reason: 'no-terminal-path' });
  });
});

describe('computeMetrics under bounds', () => {
  it('reports a run cut by the state bound as incomplete, with no figure', () => {
    const bounds: string[] = [];
    const r = computeMetrics({ model: DIAMOND, costs: DIAMOND_COSTS }, { maxStates: 3, listener: { onBound: (b) => void bounds.push(b) } });
    expect(r).toMatchObject({ complete: false, stoppedBy: 'states', states: 3, acyclic: undefined });
    expect(bounds).toEqual(['states']);
    expect(r.terminalPaths).toEqual({ status: 'unknown', reason: 'incomplete' });
    for (const c of r.counters) for (const f of [c.min, c.max, c.mean, c.support, c.distribution]) expect(f).toEqual({ status: 'unknown', reason: 'incomplete' });
  });

  it('stops at the timeout (read every 256 steps)', () => {
    let now = 0;
    const long = graphModel(Array.from({ length: 2000 }, (_, i) => (i < 1999 ? [i + 1] : [])));
    const r = computeMetrics({ model: long, costs: edgeCosts({}) }, { timeoutMs: 100, clock: () => (now += 50) });
    expect(r).toMatchObject({ complete: false, stoppedBy: 'time' });
    expect(r.states).toBeLessThan(2000);
  });

  it('reports progress to the listener at the end', () => {
    const seen: number[] = [];
    computeMetrics({ model: DIAMOND, costs: DIAMOND_COSTS }, { listener: { onProgress: (p) => void seen.push(p.distinct) } });
    expect(seen.at(-1)).toBe(6);
  });
});

describe('computeMetrics under reductions', () => {
  const keepsMinOfA: ReductionInForce = { name: 'merge', preserves: { terminalPaths: false, counters: { a: ['min'] } } };

  it('marks unknown (reduced) what a reduction in force does not preserve', () => {
    const r = computeMetrics({ model: DIAMOND, costs: DIAMOND_COSTS }, { reductions: [keepsMinOfA] });
    expect(r.reductions).toEqual(['merge']);
    expect(r.terminalPaths).toEqual({ status: 'unknown', reason: 'reduced', reductions: ['merge'] });
    expect(counter(r, 'a').min).toEqual(known(0));
    expect(counter(r, 'a').max).toEqual({ status: 'unknown', reason: 'reduced', reductions: ['merge'] });
    expect(counter(r, 'zero').min).toEqual({ status: 'unknown', reason: 'reduced', reductions: ['merge'] });
  });

  it("reads the cost spec's own declaration by default", () => {
    const declared = { ...DIAMOND_COSTS, reductions: [keepsMinOfA] };
    expect(computeMetrics({ model: DIAMOND, costs: declared }).reductions).toEqual(['merge']);
  });

  it('counts a model’s partial-order reduction as the reduction partial-order, preserving nothing unless declared', () => {
    const model: Model<number, number> = { ...DIAMOND, ample: (s, actions) => (s === 0 && actions.length === 2 ? [0] : undefined) };
    const r = computeMetrics({ model, costs: DIAMOND_COSTS });
    expect(r).toMatchObject({ reductions: ['partial-order'], reducedStates: 1, states: 5, transitions: 4 });
    expect(counter(r, 'a').min).toEqual({ status: 'unknown', reason: 'reduced', reductions: ['partial-order'] });
    const unreduced = computeMetrics({ model, costs: DIAMOND_COSTS }, { partialOrder: false });
    expect(unreduced).toMatchObject({ reductions: [], reducedStates: 0, states: 6, transitions: 6 });
  });
});
