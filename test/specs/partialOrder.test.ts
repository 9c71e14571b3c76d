/**
 * Partial-order reduction (`--reduce …,partial-order`) is a switch whose
 * soundness is checked, not only argued (README "Partial-order reduction"):
 * every spec of the registry — the correct algorithm, the baselines and
 * every broken variant — gives the same verdict for every property with it
 * on and off, on top of eager-drop (in BFS and in DFS) and of the literal
 * rules (in BFS), with the search going on after violations; and the number of states
 * without successors is unchanged (persistent sets keep every reachable
 * terminal state and add none).
 */
import { describe, expect, it } from 'vitest';
import { specRegistry } from '../../specs/index.js';
import { build, check, type Config, variants, verdicts } from './support.js';
import type { Variant } from '../../specs/index.js';
import { partialOrderApplies } from '../../specs/fbl/partialOrder.js';

const variantById = new Map<string, Variant>(Object.values(variants).map((v) => [v.id, v]));

/** On top of which reductions, in which strategy (the literal rules in BFS only, to keep the suite fast). */
const COMBINATIONS = [
  ['eager-drop', 'bfs'],
  ['eager-drop', 'dfs'],
  ['none', 'bfs'],
] as const;

/**
 * The literal rules (with their drop steps, which the reduction may take
 * alone) are compared at f = 1 for every spec, and at f = 2 on PINGPONG for
 * the specs whose bugs are about old rounds; the rest of the f = 2
 * comparisons (tens of thousands of literal states each) run on top of
 * eager-drop, to keep the suite fast.
 */
function literalComparison(id: string, config: Config): boolean {
  if (config.f === 1) return true;
  return config.workload === 'pingpong' && ['nonblocking', 'old-round-replies', 'no-enrollment'].includes(id);
}

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
      for (const [base, strategy] of COMBINATIONS) {
        if (base === 'none' && !literalComparison(spec.id, config)) continue;
        const reduce = base === 'none' ? 'partial-order' : `${base},partial-order`;
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

describe('the reduction factor and where it stops', () => {
  it('FIG1 f = 2: 87,004 literal states become 15,783, and 28,447 with eager-drop become 12,311; the same 27 terminal states', () => {
    const counts = ['none', 'partial-order', 'eager-drop', 'eager-drop,partial-order'].map((reduce) => {
      const result = check(variants.nonblocking, { workload: 'fig1', f: 2, reduce });
      expect(result.status).toBe('ok');
      return [result.stats.distinct, result.stats.terminal, result.stats.partialOrder?.reducedStates];
    });
    expect(counts).toEqual([
      [87_004, 27, undefined],
      [15_783, 27, 6_912],
      [28_447, 27, undefined],
      [12_311, 27, 3_458],
    ]);
  });

  it('with one crash, only the states after it shrink: FIG1 f = 1 309 → 235', () => {
    expect(check(variants.nonblocking, { workload: 'fig1', f: 1, reduce: 'eager-drop,partial-order' }).stats.distinct).toBe(235);
  });

  it('a FIFO network is not covered: the switch changes nothing', () => {
    const fifo = check(variants.nonblocking, { workload: 'fig1', f: 1, network: 'fifo', reduce: 'eager-drop,partial-order' });
    expect(fifo.stats.partialOrder).toBeUndefined();
    expect(fifo.stats.distinct).toBe(check(variants.nonblocking, { workload: 'fig1', f: 1, network: 'fifo' }).stats.distinct);
  });

  it('symmetry and partial-order together are refused with one line (exit code 3)', () => {
    expect(() => build(variants.nonblocking, { workload: 'all-to-all', n: 2, reduce: 'eager-drop,symmetry,partial-order' })).toThrow(
      'bad parameter reduce: symmetry and partial-order cannot be combined (the safe steps are chosen in process order, which renaming does not preserve)',
    );
  });
});
