/**
 * A set of 64-bit fingerprints (two uint32 lanes, `hi` and `lo`) in one
 * Uint32Array: open addressing with linear probing, keys kept in sorted order.
 *
 * Why sorted: a key's home slot is `floor(hi * capacity / 2^32)` (fastrange),
 * which is monotone in the key, so keeping every probe run sorted keeps the
 * whole table sorted. That buys three things (Amble & Knuth's ordered hash
 * tables, equivalently Robin Hood hashing): a search for an absent key stops
 * at the first greater key instead of at an empty slot, so a high load factor
 * (0.9) stays cheap; growing is one sequential pass with no probing; and the
 * capacity need not be a power of two, so the table can grow by 1.25 and stay
 * dense (8 bytes per slot, 8.9 to 11.1 bytes per key).
 *
 * Keys are stored as (spread(hi, lo), lo), a bijection of (hi, lo) whose first
 * lane depends on both lanes through a murmur finaliser: the home slot is then
 * uniform even for a model whose fingerprint is poorly spread (a small
 * counter in one lane, a constant in the other), at the cost of a few
 * multiplications per lookup.
 *
 * The empty slot is (0xffffffff, 0xffffffff), greater than every key, so the
 * search loop needs no separate emptiness test. A key equal to it is stored as
 * (0xffffffff, 0xfffffffe): one more 2^-64 chance of a collision, no more.
 * Positions past `capacity` form an overflow area for runs that reach the end
 * (no wrap-around, which would break the order), closed by a sentinel slot
 * that is always empty; a run that reaches the sentinel forces a growth.
 *
 * With `values: true`, each key carries a non-negative 32-bit value (the
 * store keeps a state's index there, so a duplicate successor can be resolved
 * to its index): a parallel Int32Array that moves with the keys on shifts and
 * rebuilds, 4 bytes more per slot. Without it, nothing is allocated for values
 * and `add`, `has` and `delete` run exactly as before.
 */

const EMPTY = 0xffffffff;
const TWO_POW_32 = 4294967296;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The stored first lane: a bijection of hi for each lo, spreading both lanes (exported for tests). */
export function spread(hi: number, lo: number): number {
  return fmix32(hi ^ fmix32(lo ^ 0x5bd1e995)) >>> 0;
}

export interface FingerprintTableOptions {
  /** Home slots to start with (default 1024). */
  readonly initialCapacity?: number;
  /** Grow when size exceeds maxLoad * capacity (default 0.9, at most 0.98). */
  readonly maxLoad?: number;
  /** Capacity multiplier on growth (default 1.25, at least 1.05). */
  readonly growth?: number;
  /** Keep a value per key (`addOrGet`, `get`); default false. */
  readonly values?: boolean;
  /** Allocate in SharedArrayBuffers, so other threads can read the table through `sharedView()`; default false. */
  readonly shared?: boolean;
}

/**
 * A table's arrays as another thread sees them (`sharedView()`), for
 * `sharedLookup`. Valid until the owner next adds a key: a growth moves the
 * table to new buffers, so readers and the writer must take turns (the
 * parallel search's phases do).
 */
export interface SharedTableView {
  readonly slots: Uint32Array;
  readonly values: Int32Array | undefined;
  readonly scale: number;
}

/**
 * The value kept with the key in a shared table (0 if it keeps none), or -1
 * if the key is absent: the table's own `get`, for a reader in another thread.
 */
export function sharedLookup(view: SharedTableView, hi: number, lo: number): number {
  hi = spread(hi, lo);
  lo >>>= 0;
  if ((hi & lo) === -1) lo = EMPTY - 1;
  const t = view.slots;
  let i = ((hi * view.scale) | 0) * 2;
  for (;;) {
    const th = t[i]!;
    if (th < hi || (th === hi && t[i + 1]! < lo)) i += 2;
    else break;
  }
  if (t[i] !== hi || t[i + 1] !== lo) return -1;
  return view.values === undefined ? 0 : view.values[i >>> 1]!;
}

export class FingerprintTable {
  private slots: Uint32Array;
  /** values[slot] for the key in that slot (lane index / 2), when values are kept. */
  private vals: Int32Array | undefined;
  private readonly keepValues: boolean;
  /** Number of home slots (the fastrange range). */
  private capacity: number;
  /** capacity / 2^32: home(hi) = (hi * scale) | 0. */
  private scale: number;
  /** Lane index of the sentinel slot (always empty). */
  private end: number;
  /** Grow once `size` exceeds this. */
  private limit: number;
  private readonly maxLoad: number;
  private readonly growth: number;
  private readonly shared: boolean;
  private count = 0;

  constructor(options: FingerprintTableOptions = {}) {
    this.maxLoad = Math.min(0.98, Math.max(0.1, options.maxLoad ?? 0.9));
    this.growth = Math.max(1.05, options.growth ?? 1.25);
    this.keepValues = options.values ?? false;
    this.shared = options.shared ?? false;
    this.capacity = 0;
    this.scale = 0;
    this.end = 0;
    this.limit = 0;
    this.slots = new Uint32Array(0);
    this.allocate(Math.max(16, Math.ceil(options.initialCapacity ?? 1024)));
  }

  /** Number of keys stored. */
  get size(): number {
    return this.count;
  }

  /** Adds the key; returns false if it was present already. With values kept, the new key's value is 0. */
  add(hi: number, lo: number): boolean {
    return this.addSpread(spread(hi, lo), lo >>> 0, 0) < 0;
  }

  /**
   * Adds the key with `value` (a non-negative int32) and returns -1, or, if
   * the key is present already, returns its stored value and changes nothing.
   * Needs `values: true`.
   */
  addOrGet(hi: number, lo: number, value: number): number {
    if (this.vals === undefined) throw new Error('FingerprintTable.addOrGet needs a table made with values: true');
    if (!(value >= 0 && value <= 0x7fffffff)) throw new RangeError(`FingerprintTable value must be an int32 ≥ 0, got ${value}`);
    return this.addSpread(spread(hi, lo), lo >>> 0, value);
  }

  /** The value stored with the key, or -1 if the key is absent. Needs `values: true`. */
  get(hi: number, lo: number): number {
    if (this.vals === undefined) throw new Error('FingerprintTable.get needs a table made with values: true');
    const i = this.find(hi, lo);
    return i < 0 ? -1 : this.vals[i >>> 1]!;
  }

  /** -1 if the key was added (with `value`), else the present key's value (0 without values). */
  private addSpread(hi: number, lo: number, value: number): number {
    if ((hi & lo) === -1) lo = EMPTY - 1;
    const t = this.slots;
    const i = this.seek(hi, lo);
    const v = this.vals;
    if (t[i] === hi && t[i + 1] === lo) return v === undefined ? 0 : v[i >>> 1]!;
    // Slot i holds the first key greater than (hi, lo), or is empty.
    if (t[i] !== EMPTY || t[i + 1] !== EMPTY) {
      let e = i + 2;
      while (t[e] !== EMPTY || t[e + 1] !== EMPTY) e += 2;
      if (e === this.end) return this.growAndAdd(hi, lo, value);
      // Shift the rest of the run one slot right (short shifts: a plain loop beats the copyWithin call).
      if (e - i <= 64) {
        for (let j = e; j > i; j -= 2) {
          t[j] = t[j - 2]!;
          t[j + 1] = t[j - 1]!;
        }
      } else {
        t.copyWithin(i + 2, i, e);
      }
      if (v !== undefined) {
        if (e - i <= 64) for (let j = e >>> 1; j > i >>> 1; j--) v[j] = v[j - 1]!;
        else v.copyWithin((i >>> 1) + 1, i >>> 1, e >>> 1);
      }
    } else if (i === this.end) {
      return this.growAndAdd(hi, lo, value);
    }
    t[i] = hi;
    t[i + 1] = lo;
    if (v !== undefined) v[i >>> 1] = value;
    if (++this.count > this.limit) this.rebuild(this.grownCapacity());
    return -1;
  }

  /** Whether the key is present. */
  has(hi: number, lo: number): boolean {
    return this.find(hi, lo) >= 0;
  }

  /** Removes the key; returns false if it was absent. */
  delete(hi: number, lo: number): boolean {
    let i = this.find(hi, lo);
    if (i < 0) return false;
    const t = this.slots;
    const v = this.vals;
    // Backward shift: pull each following key one slot left while it sits
    // past its home; this keeps runs contiguous and sorted.
    for (;;) {
      const j = i + 2;
      const jh = t[j]!;
      const jl = t[j + 1]!;
      if ((jh === EMPTY && jl === EMPTY) || ((jh * this.scale) | 0) * 2 > i) break;
      t[i] = jh;
      t[i + 1] = jl;
      if (v !== undefined) v[i >>> 1] = v[j >>> 1]!;
      i = j;
    }
    t[i] = EMPTY;
    t[i + 1] = EMPTY;
    this.count--;
    return true;
  }

  /** The arrays as another thread reads them (needs `shared: true`). */
  sharedView(): SharedTableView {
    if (!this.shared) throw new Error('FingerprintTable.sharedView needs a table made with shared: true');
    return { slots: this.slots, values: this.vals, scale: this.scale };
  }

  /** Sets the value of a present key; false if the key is absent. Needs `values: true`. */
  setValue(hi: number, lo: number, value: number): boolean {
    if (this.vals === undefined) throw new Error('FingerprintTable.setValue needs a table made with values: true');
    const i = this.find(hi, lo);
    if (i < 0) return false;
    this.vals[i >>> 1] = value;
    return true;
  }

  /**
   * Calls `visit` with every key in its stored form (the spread first lane,
   * the second lane) and its value (0 without values), for `addStored` into
   * another table: moving keys between tables without inverting `spread`.
   */
  forEachStored(visit: (storedHi: number, lo: number, value: number) => void): void {
    const t = this.slots;
    for (let i = 0; i < this.end; i += 2) {
      const hi = t[i]!;
      const lo = t[i + 1]!;
      if (hi === EMPTY && lo === EMPTY) continue;
      visit(hi, lo, this.vals === undefined ? 0 : this.vals[i >>> 1]!);
    }
  }

  /** Adds a key given in stored form (from `forEachStored`); false if present. */
  addStored(storedHi: number, lo: number, value: number): boolean {
    return this.addSpread(storedHi >>> 0, lo >>> 0, value) < 0;
  }

  /** Bytes held by the values (0 unless kept). */
  valueBytesAllocated(): number {
    return this.vals?.byteLength ?? 0;
  }

  /** Bytes held by the table's typed arrays (keys, and values when kept). */
  bytesAllocated(): number {
    return this.slots.byteLength + (this.vals?.byteLength ?? 0);
  }

  /**
   * Diagnostics (for tests): throws unless the stored keys are in strictly
   * ascending order, each at or after its home with no empty slot between,
   * and their number is `size`.
   */
  validate(): void {
    const t = this.slots;
    let keys = 0;
    let prevHi = -1;
    let prevLo = -1;
    let lastEmpty = -2;
    for (let i = 0; i <= this.end; i += 2) {
      const hi = t[i]!;
      const lo = t[i + 1]!;
      if (hi === EMPTY && lo === EMPTY) {
        lastEmpty = i;
        continue;
      }
      if (i === this.end) throw new Error('sentinel slot is occupied');
      keys++;
      if (hi < prevHi || (hi === prevHi && lo <= prevLo)) throw new Error(`keys out of order at slot ${i / 2}`);
      const home = ((hi * this.scale) | 0) * 2;
      if (home > i || lastEmpty >= home) throw new Error(`key at slot ${i / 2} is cut off from its home slot ${home / 2}`);
      prevHi = hi;
      prevLo = lo;
    }
    if (keys !== this.count) throw new Error(`table holds ${keys} keys but size is ${this.count}`);
  }

  /** Lane index of the key, or -1. */
  private find(hi: number, lo: number): number {
    hi = spread(hi, lo);
    lo >>>= 0;
    if ((hi & lo) === -1) lo = EMPTY - 1;
    const i = this.seek(hi, lo);
    return this.slots[i] === hi && this.slots[i + 1] === lo ? i : -1;
  }

  /**
   * Lane index of the first slot, from the key's home slot on, whose key is
   * not less than (hi, lo) — the key itself if present; an empty slot (all
   * ones) compares greater than every key. Keys are already spread.
   */
  private seek(hi: number, lo: number): number {
    const t = this.slots;
    let i = ((hi * this.scale) | 0) * 2;
    for (;;) {
      const th = t[i]!;
      if (th < hi || (th === hi && t[i + 1]! < lo)) i += 2;
      else return i;
    }
  }

  private growAndAdd(hi: number, lo: number, value: number): number {
    this.rebuild(this.grownCapacity());
    return this.addSpread(hi, lo, value);
  }

  private grownCapacity(): number {
    return Math.ceil(this.capacity * this.growth);
  }

  private allocate(capacity: number): void {
    // The overflow area (~0.4%) makes a run reaching the end, and so an early
    // growth, very unlikely at load 0.9.
    const overflow = 64 + (capacity >>> 8);
    const lanes = (capacity + overflow + 1) * 2;
    if (lanes > 0x7ffffffe) throw new Error(`fingerprint table cannot hold ${capacity} slots`);
    this.capacity = capacity;
    this.scale = capacity / TWO_POW_32;
    this.end = lanes - 2;
    this.limit = Math.floor(capacity * this.maxLoad);
    this.slots = (this.shared ? new Uint32Array(new SharedArrayBuffer(lanes * 4)) : new Uint32Array(lanes)).fill(EMPTY);
    if (this.keepValues) this.vals = this.shared ? new Int32Array(new SharedArrayBuffer(lanes * 2)) : new Int32Array(lanes >>> 1);
  }

  /** Moves every key into a table of `capacity` home slots, in one sorted pass. */
  private rebuild(capacity: number): void {
    const old = this.slots;
    const oldVals = this.vals;
    const oldEnd = this.end;
    for (;;) {
      this.allocate(capacity);
      const t = this.slots;
      const v = this.vals;
      const scale = this.scale;
      const end = this.end;
      let next = 0; // first free lane index
      let ok = true;
      for (let i = 0; i < oldEnd; i += 2) {
        const hi = old[i]!;
        const lo = old[i + 1]!;
        if (hi === EMPTY && lo === EMPTY) continue;
        const home = ((hi * scale) | 0) * 2;
        const at = home > next ? home : next;
        if (at >= end) {
          ok = false;
          break;
        }
        t[at] = hi;
        t[at + 1] = lo;
        if (v !== undefined) v[at >>> 1] = oldVals![i >>> 1]!;
        next = at + 2;
      }
      if (ok) return;
      capacity = Math.ceil(capacity * this.growth);
    }
  }
}
