/**
 * 64-bit fingerprints of plain values, as two independent 32-bit lanes of
 * MurmurHash3-style mixing (Math.imul keeps everything in int32).
 *
 * StructuralHasher caches the hash of every object and array it has seen in a
 * WeakMap: immer's structural sharing keeps unchanged sub-objects identical, so
 * fingerprinting a successor costs only its changed path. Records are hashed
 * independently of key order (a commutative sum over key/value pairs), arrays
 * in order, and `hashMultiset` gives a multiset hash for collections whose
 * order carries no meaning (the network).
 */

const SEED_A = 0x9747b28c | 0;
/** Arrays up to this length made only of safe integers are hashed without caching. */
const SMALL_ARRAY = 24;
const SEED_B = 0x2f6b1a3d | 0;

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function mixB(h: number, k: number): number {
  k = Math.imul(k, 0x85ebca6b);
  k = (k << 13) | (k >>> 19);
  k = Math.imul(k, 0xc2b2ae35);
  h ^= k;
  h = (h << 17) | (h >>> 15);
  return (Math.imul(h, 9) + 0x52dce729) | 0;
}

function finalize(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

const enum Tag {
  Null = 1,
  False,
  True,
  Int,
  Float,
  String,
  Array,
  Record,
  Multiset,
  Undefined,
  BigInt,
}

interface Lanes {
  a: number;
  b: number;
  /** The hasher that computed it: a cache slot is only trusted by its owner. */
  owner: StructuralHasher;
}

/** The per-object cache slot (see `lanes`). Not enumerable: spreads, JSON and for-in ignore it. */
const HASH = Symbol('rrcheck.hash');

/** Hashes plain data (null, booleans, numbers, strings, arrays, records). Not thread-safe; one per model. */
export class StructuralHasher {
  private readonly cache = new WeakMap<object, Lanes>();
  /** Record keys recur in every state: their hashes are computed once. */
  private readonly keyCache = new Map<string, Lanes>();
  // The result of the last `lanes` call (avoids allocating a pair per value).
  private a = 0;
  private b = 0;

  /** Writes the fingerprint of `value` into out[0], out[1]. */
  fingerprint(value: unknown, out: Uint32Array): void {
    this.lanes(value);
    out[0] = finalize(this.a) >>> 0;
    out[1] = finalize(this.b) >>> 0;
  }

  /**
   * Fingerprint of a combination of parts, each hashed as by `fingerprint`;
   * parts marked in `multisets` are hashed as multisets.
   */
  fingerprintParts(parts: readonly unknown[], multisets: readonly boolean[], out: Uint32Array): void {
    let a = SEED_A;
    let b = SEED_B;
    for (let i = 0; i < parts.length; i++) {
      if (multisets[i]) this.multisetLanes(parts[i] as readonly unknown[]);
      else this.lanes(parts[i]);
      a = mix(a, this.a);
      b = mixB(b, this.b);
    }
    out[0] = finalize(a ^ parts.length) >>> 0;
    out[1] = finalize(b ^ parts.length) >>> 0;
  }

  private multisetLanes(items: readonly unknown[]): void {
    // A sum of well-mixed element hashes is independent of order and counts copies.
    let sa = 0;
    let sb = 0;
    for (const item of items) {
      this.lanes(item);
      sa = (sa + finalize(this.a)) | 0;
      sb = (sb + finalize(this.b)) | 0;
    }
    this.a = mix(mix(SEED_A, Tag.Multiset), sa ^ items.length);
    this.b = mixB(mixB(SEED_B, Tag.Multiset), sb ^ items.length);
  }

  private lanes(value: unknown): void {
    switch (typeof value) {
      case 'number':
        if ((value | 0) === value) {
          this.a = mix(mix(SEED_A, Tag.Int), value);
          this.b = mixB(mixB(SEED_B, Tag.Int), value);
        } else if (Number.isSafeInteger(value)) {
          // Packed records (a determinant with its host set) exceed 32 bits: hash both halves.
          const high = Math.floor(value / 0x100000000) | 0;
          const low = value >>> 0;
          this.a = mix(mix(mix(SEED_A, Tag.BigInt), high), low);
          this.b = mixB(mixB(mixB(SEED_B, Tag.BigInt), high), low);
        } else {
          this.stringLanes(String(value), Tag.Float);
        }
        return;
      case 'string':
        this.stringLanes(value, Tag.String);
        return;
      case 'boolean':
        this.a = mix(SEED_A, value ? Tag.True : Tag.False);
        this.b = mixB(SEED_B, value ? Tag.True : Tag.False);
        return;
      case 'undefined':
        this.a = mix(SEED_A, Tag.Undefined);
        this.b = mixB(SEED_B, Tag.Undefined);
        return;
      case 'object': {
        if (value === null) {
          this.a = mix(SEED_A, Tag.Null);
          this.b = mixB(SEED_B, Tag.Null);
          return;
        }
        // Short arrays of integers (histories, logs, vectors) are cheaper to
        // hash again than to cache: caching adds a property to every one of them.
        if (Array.isArray(value) && value.length <= SMALL_ARRAY && this.intArrayLanes(value)) return;
        const holder = value as { [HASH]?: Lanes | undefined };
        const cached = holder[HASH] ?? this.cache.get(value);
        if (cached !== undefined && cached.owner === this) {
          this.a = cached.a;
          this.b = cached.b;
          return;
        }
        if (Array.isArray(value)) this.arrayLanes(value);
        else this.recordLanes(value as Record<string, unknown>);
        const lanes: Lanes = { a: this.a, b: this.b, owner: this };
        // A non-enumerable symbol slot on the object itself is much cheaper than a
        // WeakMap (and lighter on the GC); frozen objects fall back to the WeakMap.
        if (Object.isExtensible(value)) Object.defineProperty(value, HASH, { value: lanes, writable: true });
        else this.cache.set(value, lanes);
        return;
      }
      default:
        throw new TypeError(`cannot fingerprint a ${typeof value}`);
    }
  }

  /** Hashes `items` as arrayLanes would if every item is a safe integer; returns false otherwise. */
  private intArrayLanes(items: readonly unknown[]): boolean {
    let a = mix(SEED_A, Tag.Array);
    let b = mixB(SEED_B, Tag.Array);
    for (let i = 0; i < items.length; i++) {
      const v = items[i];
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) return false;
      this.lanes(v);
      a = mix(a, this.a);
      b = mixB(b, this.b);
    }
    this.a = mix(a, items.length);
    this.b = mixB(b, items.length);
    return true;
  }

  private stringLanes(text: string, tag: Tag): void {
    let a = mix(SEED_A, tag);
    let b = mixB(SEED_B, tag);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = mix(a, c);
      b = mixB(b, c);
    }
    this.a = mix(a, text.length);
    this.b = mixB(b, text.length);
  }

  private arrayLanes(items: readonly unknown[]): void {
    let a = mix(SEED_A, Tag.Array);
    let b = mixB(SEED_B, Tag.Array);
    for (let i = 0; i < items.length; i++) {
      this.lanes(items[i]);
      a = mix(a, this.a);
      b = mixB(b, this.b);
    }
    this.a = mix(a, items.length);
    this.b = mixB(b, items.length);
  }

  private recordLanes(record: Record<string, unknown>): void {
    let sa = 0;
    let sb = 0;
    let count = 0;
    for (const key in record) {
      const v = record[key];
      let k = this.keyCache.get(key);
      if (k === undefined) {
        this.stringLanes(key, Tag.String);
        k = { a: this.a, b: this.b, owner: this };
        this.keyCache.set(key, k);
      }
      const ka = k.a;
      const kb = k.b;
      this.lanes(v);
      sa = (sa + finalize(mix(ka, this.a))) | 0;
      sb = (sb + finalize(mixB(kb, this.b))) | 0;
      count++;
    }
    this.a = mix(mix(SEED_A, Tag.Record), sa ^ count);
    this.b = mixB(mixB(SEED_B, Tag.Record), sb ^ count);
  }
}
