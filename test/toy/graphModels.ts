/**
 * Small models whose answers are known by construction: a chain, a grid, a
 * lasso, and an explicit graph (for randomised comparison with a reference
 * explorer). States are plain numbers or {x, y} records.
 */
import type { Model, Property } from '../../src/core/index.js';

/** A well-spread 64-bit fingerprint of up to three small integers. */
export function mixInts(out: Uint32Array, a: number, b = 0, c = 0): void {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35) ^ Math.imul(c + 0x165667b1, 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  out[0] = h;
  let g = Math.imul(a + 0x6a09e667, 0xcc9e2d51) ^ Math.imul(b ^ 0xbb67ae85, 0x1b873593) ^ Math.imul(c ^ 0x3c6ef372, 0x297a2d39);
  g ^= g >>> 16;
  g = Math.imul(g, 0x7feb352d);
  g ^= g >>> 15;
  out[1] = g;
}

/** 0 → 1 → … → length; `inc` is the only action; `length` is the only terminal state. */
export function chainModel(length: number): Model<number, 'inc'> {
  return {
    init: () => [0],
    actions: (s) => (s < length ? ['inc'] : []),
    next: (s) => s + 1,
    label: (a) => a,
    fingerprint: (s, out) => mixInts(out, s),
  };
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * (0,0) to (width,height) by `right` and `up`: (w+1)(h+1) states,
 * w(h+1) + h(w+1) transitions, one terminal state (width,height) at depth w+h.
 */
export function gridModel(width: number, height: number): Model<Point, 'right' | 'up'> {
  const both = ['right', 'up'] as const;
  const right = ['right'] as const;
  const up = ['up'] as const;
  return {
    init: () => [{ x: 0, y: 0 }],
    actions: (s) => (s.x < width ? (s.y < height ? both : right) : s.y < height ? up : []),
    next: (s, a) => (a === 'right' ? { x: s.x + 1, y: s.y } : { x: s.x, y: s.y + 1 }),
    label: (a) => a,
    fingerprint: (s, out) => mixInts(out, s.x, s.y),
  };
}

/** A terminal property that holds in every state without successors. */
export function alwaysTrueAtEnd<S>(name = 'Terminates'): Property<S> {
  return { name, kind: 'terminal', category: 'liveness', description: 'every maximal run ends', holds: () => true };
}

/**
 * An explicit graph: node i's successors are edges[i] (distinct targets, in
 * order), labelled `to <target>`; the initial states are `roots`.
 */
export function graphModel(edges: readonly (readonly number[])[], roots: readonly number[] = [0]): Model<number, number> {
  return {
    init: () => roots,
    actions: (s) => edges[s] ?? [],
    next: (_s, target) => target,
    label: (target) => `to ${target}`,
    fingerprint: (s, out) => mixInts(out, s),
  };
}

/**
 * 0 -a-> 1 -b-> 2 -c-> 3 -back-> 1, and 0 -exit-> 9 (terminal). DFS meets the
 * loop 1 → 2 → 3 → 1 before the exit: a lasso [0, 1, 2, 3, 1] with loopStart 1.
 */
export const lassoModel: Model<number, string> = {
  init: () => [0],
  actions: (s) => (s === 0 ? ['a', 'exit'] : s === 1 ? ['b'] : s === 2 ? ['c'] : s === 3 ? ['back'] : []),
  next: (s, a) => (a === 'exit' ? 9 : a === 'back' ? 1 : s + 1),
  label: (a) => a,
  fingerprint: (s, out) => mixInts(out, s),
};
