/**
 * Coverage: counts, for each coverage point a spec declares, how many
 * transitions of the search were at it and how many distinct states were
 * first reached through it, and keeps the greatest value of each gauge. The
 * spec classifies the steps (CoverageSpec); this module only counts, so the
 * engine stays protocol-agnostic. One collector per explore() call.
 */
import type { CoverageSpec } from '../core/index.js';
import type { TransitionObserver } from './search.js';

/** How often a search was at one coverage point. */
export interface PointCoverage {
  readonly name: string;
  readonly group: string;
  readonly description: string;
  /** Transitions taken at this point, duplicates included. */
  readonly transitions: number;
  /** Distinct states whose first (stored) arrival was a step at this point. */
  readonly states: number;
}

/** The greatest value of one gauge over the states a search reached. */
export interface GaugeCoverage {
  readonly name: string;
  readonly description: string;
  /** Greatest value over the states reached by a step; undefined when no step was taken. */
  readonly max: number | undefined;
}

/** The coverage of one search, per point and gauge, in the spec's declaration order. */
export interface CoverageReport {
  readonly points: readonly PointCoverage[];
  readonly gauges: readonly GaugeCoverage[];
  /** Names of the points no transition was at, in declaration order. */
  readonly neverReached: readonly string[];
}

/** Counts coverage during one explore() call. */
export interface CoverageCollector<S, A> {
  /** Pass as ExploreOptions.onTransition. */
  readonly onTransition: TransitionObserver<S, A>;
  /** The counts so far (call after explore() returns). */
  report(): CoverageReport;
}

/** A fresh collector for `spec` (one per explore() call). */
export function coverageCollector<S, A>(spec: CoverageSpec<S, A>): CoverageCollector<S, A> {
  const transitions = new Float64Array(spec.points.length);
  const states = new Float64Array(spec.points.length);
  const maxima: (number | undefined)[] = spec.gauges.map(() => undefined);
  // Two hit functions, so the per-transition call allocates nothing.
  const hitOld = (i: number): void => void transitions[i]!++;
  const hitNew = (i: number): void => {
    transitions[i]!++;
    states[i]!++;
  };
  const onTransition: TransitionObserver<S, A> = (from, action, to, isNew) => {
    spec.classify(from, action, to, isNew ? hitNew : hitOld);
    if (!isNew) return;
    for (let g = 0; g < spec.gauges.length; g++) {
      const value = spec.gauges[g]!.measure(to);
      const max = maxima[g];
      if (max === undefined || value > max) maxima[g] = value;
    }
  };
  const report = (): CoverageReport => {
    const points = spec.points.map((p, i) => ({
      name: p.name,
      group: p.group,
      description: p.description,
      transitions: transitions[i]!,
      states: states[i]!,
    }));
    return {
      points,
      gauges: spec.gauges.map((g, j) => ({ name: g.name, description: g.description, max: maxima[j] })),
      neverReached: points.filter((p) => p.transitions === 0).map((p) => p.name),
    };
  };
  return { onTransition, report };
}

/**
 * The value a gate's coverage requirement reads: a point's transition count
 * or a gauge's maximum (0 when never measured); undefined for an unknown name.
 */
export function coverageValue(report: CoverageReport, name: string): number | undefined {
  const point = report.points.find((p) => p.name === name);
  if (point !== undefined) return point.transitions;
  const gauge = report.gauges.find((g) => g.name === name);
  if (gauge !== undefined) return gauge.max ?? 0;
  return undefined;
}
