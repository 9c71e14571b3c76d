import { describe, expect, it } from 'vitest';
import { FingerprintStore, FingerprintTable, MAX_ACTIONS_PER_STATE } from '../../src/engine/index.js';
import { spread } from '../../src/engine/fingerprintTable.js';

/** mulberry32: a small seeded PRNG, so every run is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Modular inverse of an odd 32-bit multiplier (Newton's iteration). */
function inverse(a: number): number {
  let x = a;
  for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(a, x));
  return x;
}

/** Inverse of murmur3's fmix32, to construct keys that hit the reserved slot value. */
function unfmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, inverse(0xc2b2ae35));
  h ^= (h >>> 13) ^ (h >>> 26);
  h = Math.imul(h, inverse(0x85ebca6b));
  h ^= h >>> 16;
  return h >>> 0;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The hi lane whose stored form, with this lo, is `stored`. */
function hiStoredAs(stored: number, lo: number): number {
  return (unfmix32(stored) ^ fmix32(lo ^ 0x5bd1e995)) >>> 0;
}

describe('FingerprintTable', () => {
  it('adds, finds and rejects duplicates', () => {
    const t = new FingerprintTable();
    expect(t.add(1, 2)).toBe(true);
    expect(t.add(1, 2)).toBe(false);
    expect(t.add(2, 1)).toBe(true);
    expect(t.add(0, 0)).toBe(true);
    expect(t.add(0xffffffff, 0xffffffff)).toBe(true);
    expect(t.add(0xffffffff, 0xffffffff)).toBe(false);
    expect(t.size).toBe(4);
    expect(t.has(1, 2)).toBe(true);
    expect(t.has(2, 2)).toBe(false);
    t.validate();
  });

  it('inverts its spreading exactly (test helper sanity)', () => {
    for (const lo of [0, 1, 0xfffffffe, 0xffffffff, 12345]) {
      for (const stored of [0, 7, 0xfffffffe, 0xffffffff]) expect(spread(hiStoredAs(stored, lo), lo)).toBe(stored);
    }
  });

  it('stores a key that would look like an empty slot, as documented', () => {
    const t = new FingerprintTable({ initialCapacity: 16 });
    const hi = hiStoredAs(0xffffffff, 0xffffffff);
    expect(t.add(hi, 0xffffffff)).toBe(true);
    expect(t.has(hi, 0xffffffff)).toBe(true);
    // Its stand-in (lo - 1) is the one key it is confused with.
    const twin = hiStoredAs(0xffffffff, 0xfffffffe);
    expect(t.has(twin, 0xfffffffe)).toBe(true);
    expect(t.add(twin, 0xfffffffe)).toBe(false);
    // Keys around it, including at the very top of the order, still work.
    const top = hiStoredAs(0xffffffff, 0);
    expect(t.add(top, 0)).toBe(true);
    for (let i = 0; i < 100; i++) expect(t.add(hiStoredAs(0xffffffff - (i % 3), i + 1), i + 1)).toBe(true);
    expect(t.size).toBe(102);
    t.validate();
    expect(t.delete(hi, 0xffffffff)).toBe(true);
    expect(t.has(hi, 0xffffffff)).toBe(false);
    t.validate();
  });

  it('loses nothing across many growths (1e6 random keys, seed 20240611)', () => {
    const seed = 20240611;
    const rand = prng(seed);
    const n = 1_000_000;
    const keys = new Uint32Array(2 * n);
    for (let i = 0; i < 2 * n; i++) keys[i] = rand();
    const t = new FingerprintTable({ initialCapacity: 16 });
    let added = 0;
    for (let i = 0; i < n; i++) if (t.add(keys[2 * i]!, keys[2 * i + 1]!)) added++;
    expect(added).toBe(n);
    expect(t.size).toBe(n);
    t.validate();
    for (let i = 0; i < n; i++) {
      if (!t.has(keys[2 * i]!, keys[2 * i + 1]!)) throw new Error(`key #${i} lost (seed ${seed})`);
      if (t.add(keys[2 * i]!, keys[2 * i + 1]!)) throw new Error(`key #${i} added twice (seed ${seed})`);
    }
    let falsePositives = 0;
    for (let i = 0; i < 100_000; i++) if (t.has(rand(), rand())) falsePositives++;
    expect(falsePositives).toBe(0);
    // Slots hold 8 bytes each at load 0.72..0.9, plus the overflow area.
    expect(t.bytesAllocated() / n).toBeLessThanOrEqual(11.2);
  });

  it('spreads keys that differ in one lane only (poor model fingerprints)', () => {
    const t = new FingerprintTable();
    let added = 0;
    for (let i = 0; i < 50_000; i++) {
      if (t.add(i, 0)) added++;
      if (t.add(0, i + 1)) added++;
      if (t.add(7, 7 + i * 65536)) added++;
    }
    expect(added).toBe(150_000);
    expect(t.size).toBe(150_000);
    t.validate();
    expect(t.has(49_999, 0)).toBe(true);
    expect(t.has(50_000, 0)).toBe(false);
  });

  it('deletes keys and keeps the others reachable (seed 7)', () => {
    const rand = prng(7);
    const t = new FingerprintTable({ initialCapacity: 16 });
    const live = new Map<string, [number, number]>();
    for (let step = 0; step < 60_000; step++) {
      // Few distinct keys, so deletes hit present keys and runs get long.
      const hi = rand() % 4096;
      const lo = rand() % 8;
      const key = `${hi}:${lo}`;
      if (rand() % 3 === 0) {
        if (t.delete(hi, lo) !== live.delete(key)) throw new Error(`delete ${key} disagrees at step ${step}`);
      } else {
        if (t.add(hi, lo) === live.has(key)) throw new Error(`add ${key} disagrees at step ${step}`);
        live.set(key, [hi, lo]);
      }
    }
    expect(t.size).toBe(live.size);
    t.validate();
    for (const [hi, lo] of live.values()) expect(t.has(hi, lo)).toBe(true);
    for (const [hi, lo] of [...live.values()]) expect(t.delete(hi, lo)).toBe(true);
    expect(t.size).toBe(0);
    t.validate();
  });
});

describe('FingerprintStore', () => {
  it('numbers new states densely and links them to parent and action', () => {
    const s = new FingerprintStore();
    expect(s.insert(10, 10, -1, 0)).toBe(0);
    expect(s.insert(11, 11, 0, 3)).toBe(1);
    expect(s.insert(10, 10, 1, 0)).toBe(-1);
    expect(s.insert(12, 12, 1, 255)).toBe(2);
    expect(s.size).toBe(3);
    expect([s.parentOf(0), s.actionOf(0)]).toEqual([-1, 0]);
    expect([s.parentOf(1), s.actionOf(1)]).toEqual([0, 3]);
    expect([s.parentOf(2), s.actionOf(2)]).toEqual([1, 255]);
    expect(s.has(11, 11)).toBe(true);
    expect(s.has(11, 12)).toBe(false);
    expect(() => s.parentOf(3)).toThrow(RangeError);
  });

  it('round-trips parent and action links across growth and widening (2e5 states, seed 99)', () => {
    const rand = prng(99);
    const n = 200_000;
    const s = new FingerprintStore({ initialCapacity: 16 });
    const parents = new Int32Array(n);
    const actions = new Uint16Array(n);
    const his = new Uint32Array(n);
    const los = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      his[i] = rand();
      los[i] = rand();
      parents[i] = i === 0 ? -1 : rand() % i;
      // Byte-sized indices first; past 150000, indices that need 16 bits.
      actions[i] = i < 150_000 ? rand() % 256 : rand() % MAX_ACTIONS_PER_STATE;
      if (s.insert(his[i]!, los[i]!, parents[i]!, actions[i]!) !== i) throw new Error(`state ${i} got another index`);
    }
    for (let i = 0; i < n; i++) {
      if (s.parentOf(i) !== parents[i] || s.actionOf(i) !== actions[i]) throw new Error(`links of state ${i} lost`);
      if (s.insert(his[i]!, los[i]!, 0, 0) !== -1) throw new Error(`state ${i} inserted twice`);
    }
    expect(s.size).toBe(n);
  });

  it('rejects an action index that does not fit, changing nothing', () => {
    const s = new FingerprintStore();
    s.insert(1, 1, -1, 0);
    expect(() => s.insert(2, 2, 0, MAX_ACTIONS_PER_STATE)).toThrow(/at most 65536 enabled actions/);
    expect(() => s.insert(2, 2, 0, -1)).toThrow(/cannot be stored/);
    expect(s.size).toBe(1);
    expect(s.has(2, 2)).toBe(false);
    expect(s.insert(2, 2, 0, MAX_ACTIONS_PER_STATE - 1)).toBe(1);
    expect(s.actionOf(1)).toBe(MAX_ACTIONS_PER_STATE - 1);
  });

  it('stays within about 16 bytes per state at scale', () => {
    const rand = prng(5);
    const s = new FingerprintStore();
    const perState: number[] = [];
    for (let i = 0; i < 2_000_000; i++) {
      s.insert(rand(), rand(), i - 1, i % 7);
      if ((i + 1) % 100_000 === 0 && i + 1 >= 500_000) perState.push(s.bytesAllocated() / (i + 1));
    }
    expect(Math.max(...perState)).toBeLessThanOrEqual(16.5);
    const mean = perState.reduce((a, b) => a + b, 0) / perState.length;
    expect(mean).toBeLessThanOrEqual(16);
  });
});

describe('FingerprintTable with values', () => {
  it('keeps each key\'s value through shifts, growths and deletes (seed 11)', () => {
    const rand = prng(11);
    const t = new FingerprintTable({ initialCapacity: 16, values: true });
    const live = new Map<string, { hi: number; lo: number; value: number }>();
    for (let step = 0; step < 80_000; step++) {
      // Few distinct keys: long runs, many shifts; deletes pull values back too.
      const hi = rand() % 8192;
      const lo = rand() % 4;
      const key = `${hi}:${lo}`;
      if (rand() % 4 === 0) {
        if (t.delete(hi, lo) !== live.delete(key)) throw new Error(`delete ${key} disagrees at step ${step}`);
        continue;
      }
      const present = live.get(key);
      const got = t.addOrGet(hi, lo, step);
      if (present === undefined) {
        if (got !== -1) throw new Error(`addOrGet ${key} found ${got} at step ${step}`);
        live.set(key, { hi, lo, value: step });
      } else if (got !== present.value) {
        throw new Error(`addOrGet ${key} gave ${got}, not ${present.value}, at step ${step}`);
      }
    }
    t.validate();
    expect(t.size).toBe(live.size);
    for (const { hi, lo, value } of live.values()) expect(t.get(hi, lo)).toBe(value);
    expect(t.get(9999, 9)).toBe(-1);
    expect(t.bytesAllocated()).toBe(t.valueBytesAllocated() * 3);
  });

  it('moves values with long shifts (one home slot, 300 keys inserted front first)', () => {
    const t = new FingerprintTable({ initialCapacity: 4096, values: true });
    // Same stored first lane: one run, each new key sorts before all the others.
    for (let lo = 299; lo >= 0; lo--) expect(t.addOrGet(hiStoredAs(0x80000000, lo), lo, 1000 + lo)).toBe(-1);
    t.validate();
    for (let lo = 0; lo < 300; lo++) expect(t.get(hiStoredAs(0x80000000, lo), lo)).toBe(1000 + lo);
    // Deleting from the front pulls every value back one slot.
    expect(t.delete(hiStoredAs(0x80000000, 0), 0)).toBe(true);
    for (let lo = 1; lo < 300; lo++) expect(t.get(hiStoredAs(0x80000000, lo), lo)).toBe(1000 + lo);
    t.validate();
  });

  it('needs values: true for addOrGet and get; a plain table allocates none', () => {
    const t = new FingerprintTable();
    expect(() => t.addOrGet(1, 2, 0)).toThrow(/values: true/);
    expect(() => t.get(1, 2)).toThrow(/values: true/);
    expect(t.valueBytesAllocated()).toBe(0);
  });
});

describe('FingerprintStore, indexed', () => {
  it('insertOrFind gives a new index, or ~index of the stored state, across growth (2e5 states, seed 3)', () => {
    const rand = prng(3);
    const s = new FingerprintStore({ indexed: true, initialCapacity: 16 });
    const keys: [number, number][] = [];
    for (let i = 0; i < 200_000; i++) {
      const hi = rand();
      const lo = rand();
      keys.push([hi, lo]);
      if (s.insertOrFind(hi, lo, i - 1, i % 3) !== i) throw new Error(`insertOrFind of new key ${i}`);
      if (i % 7 === 0) {
        const j = rand() % (i + 1);
        const r = s.insertOrFind(keys[j]![0], keys[j]![1], 0, 0);
        if (r >= 0 || ~r !== j) throw new Error(`insertOrFind of state ${j} gave ${r}`);
      }
    }
    expect(s.size).toBe(200_000);
    // insert still answers -1 for a duplicate, and changes nothing.
    expect(s.insert(keys[5]![0], keys[5]![1], 0, 0)).toBe(-1);
    expect(s.parentOf(5)).toBe(4);
    expect(s.indexBytesAllocated()).toBeGreaterThan(0);
    expect(new FingerprintStore().indexBytesAllocated()).toBe(0);
  });
});
