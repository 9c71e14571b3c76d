/**
 * What a spec's reductions leave unchanged of the cost figures `rrcheck
 * metrics` computes. A reduction explores a smaller graph than the rules
 * define (fewer states, fewer interleavings, steps merged), so a figure
 * computed on it equals the unreduced graph's only where the spec proves it
 * (README "Partial-order reduction" and docs/costs.md give FBL's proofs).
 * The metrics report prints every other figure as unknown.
 */
import type { CostSpec } from './costs.js';

/** The statistics `rrcheck metrics` computes per counter over the terminal paths. */
export type CostStatistic = 'min' | 'max' | 'mean' | 'support' | 'distribution';

export const COST_STATISTICS: readonly CostStatistic[] = ['min', 'max', 'mean', 'support', 'distribution'];

/** What one reduction preserves. */
export interface ReductionPreserves {
  /** The number of terminal paths equals the unreduced graph's. */
  readonly terminalPaths: boolean;
  /** Per counter name, the statistics that equal the unreduced graph's; a counter not named keeps none. */
  readonly counters: { readonly [counter: string]: readonly CostStatistic[] };
}

/** A reduction the configuration applies, by the name its `reduce` parameter gives it, and what it preserves. */
export interface ReductionInForce {
  readonly name: string;
  readonly preserves: ReductionPreserves;
}

/**
 * A CostSpec that also says which reductions its configuration applies and
 * what each preserves. A spec whose `costs` is not one, or that leaves a
 * reduction out, gets no figure exact under it.
 */
export interface ReducedCostSpec<S, A> extends CostSpec<S, A> {
  readonly reductions: readonly ReductionInForce[];
}

/** The reductions a cost spec declares (undefined: it declares none, so none is known to preserve anything). */
export function costReductionsOf<S, A>(costs: CostSpec<S, A>): readonly ReductionInForce[] | undefined {
  const declared = (costs as Partial<ReducedCostSpec<S, A>>).reductions;
  return Array.isArray(declared) ? declared : undefined;
}
