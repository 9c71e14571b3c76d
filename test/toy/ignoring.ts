/**
 * Toys for partial-order reduction (Model.ample).
 *
 * `ignoringModel`: a flag `x` toggles forever (`spin`, invisible, independent
 * of everything), and `go` sets `y`, which the `always` property forbids.
 * `{spin}` is a persistent, invisible set in every state; taken alone it
 * closes the cycle x = 0 → 1 → 0 without ever taking `go` (the ignoring
 * problem), so a search without the cycle proviso would miss the violation.
 *
 * `diamondModel`: k independent counters, each counted up to `height`;
 * counter i's step is persistent and invisible once counters 0..i-1 are
 * done (only the last counter's value is observed), so the reduced search
 * takes them in order: (height + 1) + ... states instead of (height + 1)^k.
 */
import type { Model, Property } from '../../src/core/index.js';
import { mixInts } from './graphModels.js';

export interface Flags {
  readonly x: number;
  readonly y: number;
  /** 0: not started (with `escapes`); 1: in the loop; 2: escaped (no successors). */
  readonly phase: number;
}

type IgnoringAction = 'spin' | 'go' | 'start' | `escape ${number}`;

/**
 * With `escapes` k > 0, the initial state first chooses between k escapes
 * to states without successors and `start` (into the loop), so that the
 * loop's first state comes after k terminal states in its BFS level (what a
 * parallel search must keep aligned).
 */
export function ignoringModel(options: { ample: boolean; escapes?: number }): Model<Flags, IgnoringAction> {
  const escapes = options.escapes ?? 0;
  return {
    init: () => [{ x: 0, y: 0, phase: escapes > 0 ? 0 : 1 }],
    actions: (s) => {
      if (s.phase === 0) return [...Array.from({ length: escapes }, (_, i): IgnoringAction => `escape ${i}`), 'start'];
      if (s.phase === 2) return [];
      return s.y === 0 ? ['spin', 'go'] : ['spin'];
    },
    next: (s, a) => {
      if (a === 'start') return { x: 0, y: 0, phase: 1 };
      if (a.startsWith('escape')) return { x: Number(a.slice(7)), y: 0, phase: 2 };
      return a === 'spin' ? { x: 1 - s.x, y: s.y, phase: 1 } : { x: s.x, y: 1, phase: 1 };
    },
    label: (a) => a,
    fingerprint: (s, out) => mixInts(out, s.x, s.y, s.phase),
    ...(options.ample
      ? { ample: (s: Flags, actions: readonly IgnoringAction[]) => (s.phase === 1 && actions.length > 1 ? [actions.indexOf('spin')] : undefined) }
      : {}),
  };
}

export const neverGone: Property<Flags> = {
  name: 'neverGone',
  kind: 'always',
  category: 'safety',
  description: 'go is never taken',
  holds: (s) => s.y === 0,
};

export function diamondModel(counters: number, height: number, options: { ample: boolean }): Model<readonly number[], number> {
  return {
    init: () => [new Array<number>(counters).fill(0)],
    actions: (s) => s.flatMap((v, i) => (v < height ? [i] : [])),
    next: (s, i) => s.map((v, j) => (j === i ? v + 1 : v)),
    label: (i) => `inc c${i}`,
    fingerprint: (s, out) => mixInts(out, s.reduce((h, v) => h * (height + 1) + v, 0)),
    ...(options.ample
      ? {
          // The first unfinished counter other than the last (observed) one.
          ample: (s: readonly number[], actions: readonly number[]) => {
            const k = actions.findIndex((i) => i < counters - 1);
            return k >= 0 && actions.length > 1 ? [k] : undefined;
          },
        }
      : {}),
  };
}

/** The last counter never passes `limit` (an observed, hence visible, value). */
export function lastBelow(counters: number, limit: number): Property<readonly number[]> {
  return {
    name: 'lastBelow',
    kind: 'always',
    category: 'safety',
    description: `the last counter stays below ${limit}`,
    holds: (s) => s[counters - 1]! < limit,
  };
}
