import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Interner, popcount, sortedSetHas, sortedSetInsert, sortedSetUnion, vectorMax } from '../../src/index.js';

const sortedSet = fc.uniqueArray(fc.nat(1000)).map((xs) => xs.sort((a, b) => a - b));

describe('sorted-array sets', () => {
  it('sortedSetUnion, sortedSetInsert and sortedSetHas agree with Set semantics and keep arrays sorted and unique', () => {
    fc.assert(
      fc.property(sortedSet, sortedSet, fc.nat(1000), (a, b, x) => {
        const expected = [...new Set([...a, ...b])].sort((p, q) => p - q);
        expect(sortedSetUnion(a, b)).toEqual(expected);
        expect(sortedSetInsert(a, x)).toEqual([...new Set([...a, x])].sort((p, q) => p - q));
        expect(sortedSetHas(a, x)).toBe(a.includes(x));
      }),
    );
  });

  it('returns its input when nothing changes (structural sharing keeps hashes cached)', () => {
    const a = [1, 3, 5];
    expect(sortedSetUnion(a, [3])).toBe(a);
    expect(sortedSetInsert(a, 5)).toBe(a);
    expect(vectorMax(a, [0, 0, 0])).toBe(a);
    expect(vectorMax(a, [2, 0, 9])).toEqual([2, 3, 9]);
  });

  it('popcount counts the bits of host masks', () => {
    expect([0, 1, 0b1011, 0xffff, 0x7fffffff].map(popcount)).toEqual([0, 1, 3, 16, 31]);
  });
});

describe('Interner', () => {
  it('gives equal tuples one id and different tuples different ids, decodable', () => {
    const interner = new Interner();
    const a = interner.intern([1, 2, 3]);
    expect(interner.intern([1, 2, 3])).toBe(a);
    expect(interner.intern([1, 23])).not.toBe(interner.intern([12, 3]));
    expect(interner.tuple(a)).toEqual([1, 2, 3]);
    expect(() => interner.tuple(99)).toThrow(RangeError);
  });
});
