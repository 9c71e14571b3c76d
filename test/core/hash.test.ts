import { describe, expect, it } from 'vitest';
import { StructuralHasher } from '../../src/core/hash.js';

function fp(h: StructuralHasher, value: unknown): string {
  const out = new Uint32Array(2);
  h.fingerprint(value, out);
  return `${out[0]}:${out[1]}`;
}

function fpParts(h: StructuralHasher, parts: unknown[], multisets: boolean[]): string {
  const out = new Uint32Array(2);
  h.fingerprintParts(parts, multisets, out);
  return `${out[0]}:${out[1]}`;
}

describe('StructuralHasher', () => {
  it('equal values hash equally, across hashers and object identities', () => {
    const a = { x: 1, y: [1, 2, { z: 'p0' }], w: null };
    const b = { x: 1, y: [1, 2, { z: 'p0' }], w: null };
    expect(fp(new StructuralHasher(), a)).toBe(fp(new StructuralHasher(), b));
  });

  it('records are hashed independently of key order; arrays are not', () => {
    const h = new StructuralHasher();
    expect(fp(h, { a: 1, b: 2 })).toBe(fp(h, { b: 2, a: 1 }));
    expect(fp(h, [1, 2])).not.toBe(fp(h, [2, 1]));
  });

  it('tells apart values that a naive encoding would confuse', () => {
    const h = new StructuralHasher();
    const values = [0, '0', false, null, undefined, [], {}, [0], [[0]], { a: 0 }, { b: 0 }, 1.5, '1.5', [1, 2], [12], ['1', '2'], 'ab', ['a', 'b']];
    const hashes = new Set(values.map((v) => fp(h, v)));
    expect(hashes.size).toBe(values.length);
  });

  it('integers beyond 32 bits (packed determinant entries) are told apart, also inside short arrays', () => {
    const h = new StructuralHasher();
    const big = [2 ** 36, 2 ** 36 + 1, 2 ** 40, 2 ** 40 + 2 ** 32, 2 ** 32, 0, 1, 2 ** 52];
    expect(new Set(big.map((x) => fp(h, x))).size).toBe(big.length);
    expect(new Set(big.map((x) => fp(h, [x, 7]))).size).toBe(big.length);
    expect(fp(h, [2 ** 36, 5])).toBe(fp(new StructuralHasher(), [2 ** 36, 5]));
  });

  it('multiset parts ignore order but count copies', () => {
    const h = new StructuralHasher();
    const m1 = { k: 'app', n: 1 };
    const m2 = { k: 'app', n: 2 };
    expect(fpParts(h, [1, [m1, m2]], [false, true])).toBe(fpParts(h, [1, [m2, m1]], [false, true]));
    expect(fpParts(h, [1, [m1, m1, m2]], [false, true])).not.toBe(fpParts(h, [1, [m1, m2]], [false, true]));
    expect(fpParts(h, [1, [m1, m2]], [false, false])).not.toBe(fpParts(h, [1, [m2, m1]], [false, false]));
  });

  it('the per-object cache never survives a copy: a spread copy with a changed field hashes anew', () => {
    const h = new StructuralHasher();
    const original = { status: 'Live', hist: [1, 2] };
    const before = fp(h, original);
    const changed = { ...original, status: 'Waiting' };
    expect(fp(h, changed)).not.toBe(before);
    expect(fp(h, { ...changed, status: 'Live' })).toBe(before);
    expect(Object.keys(original)).toEqual(['status', 'hist']);
    expect(JSON.stringify(original)).toBe('{"status":"Live","hist":[1,2]}');
  });

  it('frozen objects are cached too (in the fallback map) and hash as their unfrozen twins', () => {
    const h = new StructuralHasher();
    const frozen = Object.freeze({ a: Object.freeze([1, 2, 3]) });
    expect(fp(h, frozen)).toBe(fp(h, frozen));
    expect(fp(h, frozen)).toBe(fp(new StructuralHasher(), { a: [1, 2, 3] }));
  });

  it('spreads fingerprints over both 32-bit lanes (no collisions among 100,000 small records)', () => {
    const h = new StructuralHasher();
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(fp(h, { i, parity: i % 2, list: [i % 7, i % 11] }));
    expect(seen.size).toBe(100_000);
  });
});
