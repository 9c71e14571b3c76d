/**
 * Partial-order reduction (`--reduce …,partial-order`) is a switch whose
 * soundness is checked, not only argued (README "Partial-order reduction"):
 * every spec of the registry — the correct algorithm, the baselines and
 * every broken variant — gives the same verdict for every property with it
 * on and off, on top of eager-drop and of the literal rules, in BFS and in
 * DFS, with the search going on after violations; and the number of states
 * without successors is unchanged (persistent sets keep every reachable
 * terminal state and add none).
 */
import { describe, expect, it } from 'vitest';
import { specRegistry } from '../../specs/index.js';
import { build, check, type Config, variants, verdicts } from './support.js';
import type { Variant } from '../../specs/index.js';
import { partialOrderApplies } from '../../specs/fbl/partialOrder.js';

const variantById = new Map<string, Variant>(Object.values(variants).map((v) => [v.id, v]));

function configsOf(id: string): Config[] {
  const small: Config[] = [{ workload: 'pingpong', f: 2 }, { workload: 'order2', f: 1 }, { workload: 'fig1', f: 1 }];
  return id === 'crash-beyond-f' ? small : [...small, { workload: 'fig1', f: 2 }];
}

describe('partial-order reduction gives the verdicts of the full search, for every spec it applies to', () => {
  for (const spec of specRegistry) {
    const variant = variantById.get(spec.id);
    if (variant === undefined) throw new Error(`no variant for spec ${spec.id}`);
    if (!partialOrderApplies(build(variant, { reduce: 'partial-order' }).protocol)) continue;
    for (const config of configsOf(spec.id)) {
      const crashes = spec.id === 'crash-beyond-f' ? (config.f ?? 1) + 1 : undefined;
      const full: Config = { ...config, ...(crashes === undefined ? {} : { crashes }) };
      for (const base of ['eager-drop', 'none']) {
        const reduce = base === 'none' ? 'partial-order' : `${base},partial-order`;
        for (const strategy of ['bfs', 'dfs'] as const) {
          it(`${spec.id} ${config.workload} f=${config.f} --reduce ${reduce} ${strategy}`, () => {
            const unreduced = check(variant, { ...full, reduce: base }, { strategy, continueAfterViolation: true });
            const reduced = check(variant, { ...full, reduce }, { strategy, continueAfterViolation: true });
            expect(unreduced.complete && reduced.complete).toBe(true);
            expect(verdicts(reduced)).toEqual(verdicts(unreduced));
            expect(reduced.stats.terminal).toBe(unreduced.stats.terminal);
            expect(reduced.stats.distinct).toBeLessThanOrEqual(unreduced.stats.distinct);
          });
        }
      }
    }
  }
});

describe('where the argument does not cover a variant, the switch changes nothing', () => {
  const uncovered = specRegistry.filter((spec) => !partialOrderApplies(build(variantById.get(spec.id)!, { reduce: 'partial-order' }).protocol));
  it('the blocking and Manetho-style baselines, variant (b) and early-replay are the ones not covered', () => {
    expect(uncovered.map((s) => s.id).sort()).toEqual(['blocking', 'early-replay', 'manetho', 'manetho-process-holds', 'no-restart']);
  });
  for (const spec of uncovered) {
    it(`${spec.id}: the same search with and without it`, () => {
      const variant = variantById.get(spec.id)!;
      const without = check(variant, { workload: 'fig1', f: 1 }, { continueAfterViolation: true });
      const withIt = check(variant, { workload: 'fig1', f: 1, reduce: 'eager-drop,partial-order' }, { continueAfterViolation: true });
      expect(withIt.stats.partialOrder).toBeUndefined();
      expect([withIt.stats.distinct, withIt.stats.transitions]).toEqual([without.stats.distinct, without.stats.transitions]);
    });
  }
});
