/**
 * The engine's side of partial-order reduction (Model.ample): the subsets
 * are explored instead of all actions, with the cycle proviso — DFS refuses
 * a subset that reaches the stack; BFS checks after the search that no cycle
 * passes only through states expanded by a subset, and otherwise reports the
 * `always` properties that did not fail as unknown. The ignoring toy is
 * the case the proviso exists for: without it, the violation is missed.
 */
import { describe, expect, it } from 'vitest';
import { explore, type ExploreOptions } from '../../src/engine/index.js';
import type { Model, Property } from '../../src/core/index.js';
import { diamondModel, ignoringModel, lastBelow, neverGone } from '../toy/ignoring.js';

function run<S, A>(model: Model<S, A>, properties: readonly Property<S>[], options: Partial<ExploreOptions<S, A>> = {}) {
  return explore({ model, properties }, { strategy: 'bfs', ...options });
}

describe('the reduced search explores the subsets', () => {
  for (const strategy of ['bfs', 'dfs'] as const) {
    it(`${strategy}: 3 counters to 2 — 27 states in full, 7 reduced, with the same verdicts and terminal state`, () => {
      for (const [limit, status] of [
        [3, 'ok'],
        [2, 'violation'],
      ] as const) {
        const full = run(diamondModel(3, 2, { ample: false }), [lastBelow(3, limit)], { strategy, continueAfterViolation: true });
        const reduced = run(diamondModel(3, 2, { ample: true }), [lastBelow(3, limit)], { strategy, continueAfterViolation: true });
        expect([full.status, reduced.status]).toEqual([status, status]);
        expect([full.stats.distinct, reduced.stats.distinct]).toEqual([27, 7]);
        expect([full.stats.terminal, reduced.stats.terminal]).toEqual([1, 1]);
        expect(full.stats.partialOrder).toBeUndefined();
        expect(reduced.stats.partialOrder).toEqual({ reducedStates: 4, provisoRefusals: 0 });
      }
    });
  }

  it('partialOrder: false explores every action', () => {
    const result = run(diamondModel(3, 2, { ample: true }), [lastBelow(3, 3)], { partialOrder: false });
    expect(result.stats.distinct).toBe(27);
    expect(result.stats.partialOrder).toBeUndefined();
  });

  it('a counterexample under the reduction replays on the full model', () => {
    const reduced = run(diamondModel(3, 2, { ample: true }), [lastBelow(3, 2)]);
    expect(reduced.status === 'violation' && reduced.violations[0]!.trace.labels).toEqual(['inc c0', 'inc c0', 'inc c1', 'inc c1', 'inc c2', 'inc c2']);
  });

  it('an answer that is not a proper ascending subset is an error naming it', () => {
    const model = { ...diamondModel(2, 1, { ample: false }), ample: () => [1, 0] };
    expect(() => run(model, [])).toThrow('model.ample returned [1, 0], not a proper ascending subset of the 2 action indices');
  });
});

describe('the cycle proviso (the ignoring problem)', () => {
  it('without the reduction, go is found', () => {
    const result = run(ignoringModel({ ample: false }), [neverGone]);
    expect(result.status).toBe('violation');
  });

  it('DFS refuses the subset that closes the cycle on the stack, and finds go', () => {
    const result = run(ignoringModel({ ample: true }), [neverGone], { strategy: 'dfs' });
    expect(result.status).toBe('violation');
    expect(result.status === 'violation' && result.violations[0]!.trace.labels).toEqual(['spin', 'go']);
    expect(result.stats.partialOrder).toEqual({ reducedStates: 1, provisoRefusals: 1 });
  });

  it('BFS finds the cycle of reduced states after the search: the property is unknown, not holds', () => {
    const result = run(ignoringModel({ ample: true }), [neverGone]);
    expect(result.status).toBe('incomplete');
    expect(result.complete).toBe(false);
    expect(result.properties).toEqual([{ name: 'neverGone', category: 'safety', status: 'unknown', reason: 'partial-order-proviso' }]);
    expect(result.stats.distinct).toBe(2);
  });
});
