import { describe, expect, it } from 'vitest';
import type { Model } from '../../src/core/index.js';
import { chainModel, gridModel, lassoModel, mixInts } from '../toy/graphModels.js';
import { checkModelLaws, ModelLawError } from '../toy/modelLaws.js';

interface Bag {
  readonly items: readonly number[];
}

/** A well-behaved model over records with arrays: add 1 or 2 to the bag, up to 3 items. */
function bagModel(overrides: Partial<Model<Bag, number>> = {}): Model<Bag, number> {
  return {
    init: () => [{ items: [] }],
    actions: (s) => (s.items.length < 3 ? [1, 2] : []),
    next: (s, a) => ({ items: [...s.items, a] }),
    label: (a) => `add ${a}`,
    fingerprint: (s, out) => mixInts(out, s.items.reduce((h, x) => h * 3 + x, 1)),
    ...overrides,
  };
}

describe('checkModelLaws', () => {
  it('passes well-behaved models and counts what it checked', () => {
    expect(checkModelLaws(bagModel())).toEqual({ states: 15, transitions: 14 });
    expect(checkModelLaws(chainModel(4))).toEqual({ states: 5, transitions: 4 });
    expect(checkModelLaws(gridModel(3, 3), { samples: 5 }).states).toBe(5);
    expect(checkModelLaws(lassoModel).states).toBe(5);
  });

  const broken: [string, string, Partial<Model<Bag, number>>][] = [
    ['init repeatable', 'init() returns other states each time', { init: (() => { let k = 0; return () => [{ items: [k++] }]; })() }],
    ['labels unique', 'two actions share a label', { label: () => 'add' }],
    ['actions repeatable', 'actions() changes order between calls', { actions: (() => { let k = 0; return () => (k++ % 2 ? [1, 2] : [2, 1]); })() }],
    ['next pure', 'next() mutates its input', { next: (s, a) => { (s.items as number[]).push(a); return { items: [...s.items] }; } }],
    ['next deterministic', 'next() depends on a hidden counter', { next: (() => { let k = 0; return (s: Bag, a: number) => ({ items: [...s.items, a + (k++ % 2)] }); })() }],
    ['fingerprint stable', 'fingerprint() depends on object identity', {
      // The same initial object each time, so that init() itself looks repeatable.
      init: (() => { const start: Bag = { items: [] }; return () => [start]; })(),
      fingerprint: (() => {
        const ids = new WeakMap<object, number>();
        let next = 0;
        return (s: Bag, out: Uint32Array) => {
          if (!ids.has(s)) ids.set(s, next++);
          mixInts(out, ids.get(s)!);
        };
      })(),
    }],
  ];

  it.each(broken)('fails the law "%s" when %s', (law, _why, overrides) => {
    let error: unknown;
    try {
      checkModelLaws(bagModel(overrides));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelLawError);
    expect((error as ModelLawError).law).toBe(law);
    expect((error as Error).message).toMatch(new RegExp(`^model law "${law}" fails: `));
  });
});
