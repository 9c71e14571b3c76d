/**
 * 64-bit fingerprints of plain values, as two independent 32-bit lanes of
 * MurmurHash3-style mixing (Math.imul keeps everything in int32).
 *
 * What a state may hold, and what counts as equal (the fingerprint's notion of
 * equality, which the explorer relies on):
 *   - arrays, in order, element by element (a hole reads as undefined; extra
 *     non-index properties are ignored). Whatever Array.isArray accepts counts,
 *     so a subclass of Array is hashed as the array of its elements: checking
 *     every array's prototype cost about 5% of the hashing instructions on the
 *     FBL spec;
 *   - plain records (prototype Object.prototype or null): their enumerable
 *     string keys, independently of key order;
 *   - `Set`: its elements independently of insertion order; `Map`: its
 *     key/value entries independently of insertion order. Elements and keys are
 *     compared by content, and copies are counted: a Set holding two distinct
 *     arrays [1] is not the Set holding one (JavaScript keeps both, and the
 *     model can tell them apart by `size`). A Set is never equal to an array or
 *     a record with the same contents, nor a Map to a record with the same
 *     entries;
 *   - numbers by SameValueZero, as Set and Map compare them: -0 equals 0, NaN
 *     equals NaN, and an integer-valued float is that integer (JavaScript has
 *     one number type); bigint by value, never equal to a number (5n ≠ 5);
 *   - strings, booleans, null, undefined.
 * Anything else (a function, a symbol, a class instance such as a Date, a
 * RegExp, a typed array or a subclass of Set or Map, a cycle) throws a
 * ModelError of kind 'unhashable-value' whose message names where the value
 * sits: `state.procs[1].timer`, `state.log["a b"]`, `state.msgs{#2}` (the
 * Set's element at iteration position 2), `state.votes.get("r1")` (the Map's
 * value under a primitive key), `state.votes{key #0}` / `state.votes{value #0}`
 * (the key, or the value, of the Map's entry at iteration position 0).
 *
 * StructuralHasher caches the hash of every object and array it has seen (a
 * hidden symbol slot, or a WeakMap for frozen objects): immer's structural
 * sharing keeps unchanged sub-objects identical, so fingerprinting a successor
 * costs only its changed path. Storing a hash costs more than computing a
 * record's (a defineProperty), so a caller that knows which values will be
 * shared can hash the others with `store` false and `remember` the shared
 * ones (the system kit remembers the process slots, messages and global
 * part of a state when it expands it, and stores nothing for its
 * successors, most of which are known states dropped at once). Short integer
 * arrays are never cached. Validation happens in that walk, at the cost of
 * one prototype read per uncached non-array object (cached objects and short
 * integer arrays cost nothing extra): it chooses how to hash a record, Map or
 * Set, and rejects the rest. Only when something fails (or the walk overflows
 * the stack on a cycle) does a second, slow walk find the path to report.
 * `fingerprintParts` gives a multiset hash for parts whose order carries no
 * meaning (the network).
 */
import { ModelError } from './exitCodes.js';

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
  /** A safe integer beyond 32 bits (a number, hashed as two halves). */
  WideInt,
  BigInt,
  Set,
  Map,
}

// The lanes after a tag's first mixing step, computed once (V8 does not fold mix calls).
const INT_A = mix(SEED_A, Tag.Int);
const INT_B = mixB(SEED_B, Tag.Int);
const WIDE_A = mix(SEED_A, Tag.WideInt);
const WIDE_B = mixB(SEED_B, Tag.WideInt);
const ARRAY_A = mix(SEED_A, Tag.Array);
const ARRAY_B = mixB(SEED_B, Tag.Array);
const RECORD_A = mix(SEED_A, Tag.Record);
const RECORD_B = mixB(SEED_B, Tag.Record);
const MULTISET_A = mix(SEED_A, Tag.Multiset);
const MULTISET_B = mixB(SEED_B, Tag.Multiset);
const NULL_A = mix(SEED_A, Tag.Null);
const NULL_B = mixB(SEED_B, Tag.Null);
const TRUE_A = mix(SEED_A, Tag.True);
const TRUE_B = mixB(SEED_B, Tag.True);
const FALSE_A = mix(SEED_A, Tag.False);
const FALSE_B = mixB(SEED_B, Tag.False);

interface Lanes {
  a: number;
  b: number;
  /** The hasher that computed it: a cache slot is only trusted by its owner. */
  owner: StructuralHasher;
}

/** The per-object cache slot (see `lanes`). Not enumerable: spreads, JSON and for-in ignore it. */
const HASH = Symbol('rrcheck.hash');

/**
 * Thrown by the fast walk at a value it cannot hash; the public methods catch
 * it and run `findUnhashable` for the path. One shared object: no allocation.
 */
const UNHASHABLE: { readonly unhashable: true } = Object.freeze({ unhashable: true });

const PLAIN_DATA = 'states must be plain data (arrays, plain objects, Set, Map, strings, numbers, bigint, booleans, null, undefined)';

/** Hashes plain data (see the module comment for what that is). Not thread-safe; one per model. */
export class StructuralHasher {
  private readonly cache = new WeakMap<object, Lanes>();
  /** Something is in `cache` (a frozen object was hashed): until then, a lookup there is skipped. */
  private frozenCached = false;
  /** Whether the current walk stores the hashes it computes (see `remember`). */
  private storing = true;
  /** Record keys recur in every state: their hashes are computed once. */
  private readonly keyCache = new Map<string, Lanes>();
  // The result of the last `lanes` call (avoids allocating a pair per value).
  private a = 0;
  private b = 0;

  /**
   * Writes the fingerprint of `value` into out[0], out[1]. Throws a ModelError
   * ('unhashable-value') naming the offending path from `name` ('state' by default).
   */
  fingerprint(value: unknown, out: Uint32Array, name = 'state'): void {
    this.storing = true;
    try {
      this.lanes(value);
    } catch (error) {
      throw diagnose(error, [value], [name], [false]);
    }
    out[0] = finalize(this.a) >>> 0;
    out[1] = finalize(this.b) >>> 0;
  }

  /**
   * Fingerprint of a combination of parts, each hashed as by `fingerprint`;
   * parts marked in `multisets` are arrays hashed as multisets (order ignored,
   * copies counted). `names` name the parts in an unhashable-value error
   * (default `parts[i]`). With `store` false, the hashes of objects not seen
   * before are computed but not stored in them (for values likely to be
   * dropped at once, such as a successor that turns out to be a known state).
   */
  fingerprintParts(parts: readonly unknown[], multisets: readonly boolean[], out: Uint32Array, names?: readonly string[], store = true): void {
    let a = SEED_A;
    let b = SEED_B;
    this.storing = store;
    try {
      for (let i = 0; i < parts.length; i++) {
        if (multisets[i]) this.multisetLanes(parts[i] as readonly unknown[]);
        else this.lanes(parts[i]);
        a = mix(a, this.a);
        b = mixB(b, this.b);
      }
    } catch (error) {
      throw diagnose(error, parts, partNames(parts.length, names), multisets);
    }
    out[0] = finalize(a ^ parts.length) >>> 0;
    out[1] = finalize(b ^ parts.length) >>> 0;
  }

  /**
   * Stores the hash of `value` in it (an object's, unless one is stored
   * already), not of the objects it contains, so that values sharing it hash
   * it at no cost, even with `store` false. Throws as `fingerprint` does,
   * naming the path from `name`.
   */
  remember(value: unknown, name = 'value'): void {
    this.storing = false;
    try {
      this.rememberOne(value);
    } catch (error) {
      throw diagnose(error, [value], [name], [false]);
    }
  }

  /** `remember` for each item of an array, not for the array itself (paths `name[i]`). */
  rememberEach(items: readonly unknown[], name = 'value'): void {
    this.storing = false;
    try {
      for (let i = 0; i < items.length; i++) this.rememberOne(items[i]);
    } catch (error) {
      throw diagnose(error, [items], [name], [true]);
    }
  }

  private rememberOne(value: unknown): void {
    if (typeof value !== 'object' || value === null) return;
    const cached = (value as { [HASH]?: Lanes | undefined })[HASH] ?? (this.frozenCached ? this.cache.get(value) : undefined);
    if (cached !== undefined && cached.owner === this) return;
    this.lanes(value);
    this.store(value);
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
    this.a = mix(MULTISET_A, sa ^ items.length);
    this.b = mixB(MULTISET_B, sb ^ items.length);
  }

  private lanes(value: unknown): void {
    switch (typeof value) {
      case 'number':
        // SameValueZero: -0 | 0 is 0, so -0 hashes as 0; NaN takes the float path as "NaN".
        if ((value | 0) === value) {
          this.a = mix(INT_A, value);
          this.b = mixB(INT_B, value);
        } else if (Number.isSafeInteger(value)) {
          // Packed records (a determinant with its host set) exceed 32 bits: hash both halves.
          const high = Math.floor(value / 0x100000000) | 0;
          const low = value >>> 0;
          this.a = mix(mix(WIDE_A, high), low);
          this.b = mixB(mixB(WIDE_B, high), low);
        } else {
          // The shortest round-trip decimal is one string per double (and "NaN" for every NaN).
          this.stringLanes(String(value), Tag.Float);
        }
        return;
      case 'string':
        this.stringLanes(value, Tag.String);
        return;
      case 'boolean':
        this.a = value ? TRUE_A : FALSE_A;
        this.b = value ? TRUE_B : FALSE_B;
        return;
      case 'undefined':
        this.a = mix(SEED_A, Tag.Undefined);
        this.b = mixB(SEED_B, Tag.Undefined);
        return;
      case 'bigint':
        this.stringLanes(value.toString(36), Tag.BigInt);
        return;
      case 'object': {
        if (value === null) {
          this.a = NULL_A;
          this.b = NULL_B;
          return;
        }
        // Short arrays of integers (histories, logs, vectors) are cheaper to
        // hash again than to cache: caching adds a property to every one of them.
        const isArray = Array.isArray(value);
        if (isArray && value.length <= SMALL_ARRAY && this.intArrayLanes(value)) return;
        const holder = value as { [HASH]?: Lanes | undefined };
        const cached = holder[HASH] ?? (this.frozenCached ? this.cache.get(value) : undefined);
        if (cached !== undefined && cached.owner === this) {
          this.a = cached.a;
          this.b = cached.b;
          return;
        }
        // The prototype says how to hash a non-array, and rejects class instances (Date, typed arrays, user classes…).
        if (isArray) {
          this.arrayLanes(value as readonly unknown[]);
        } else {
          const proto: unknown = Object.getPrototypeOf(value);
          if (proto === Object.prototype || proto === null) this.recordLanes(value as Record<string, unknown>);
          else if (proto === Map.prototype) this.mapLanes(value as ReadonlyMap<unknown, unknown>);
          else if (proto === Set.prototype) this.setLanes(value as ReadonlySet<unknown>);
          else throw UNHASHABLE;
        }
        if (this.storing) this.store(value);
        return;
      }
      default:
        // function, symbol
        throw UNHASHABLE;
    }
  }

  /** Stores the lanes just computed (this.a, this.b) as the hash of `value`. */
  private store(value: object): void {
    const lanes: Lanes = { a: this.a, b: this.b, owner: this };
    // A non-enumerable symbol slot on the object itself is much cheaper than a
    // WeakMap (and lighter on the GC); frozen objects fall back to the WeakMap.
    if (Object.isExtensible(value)) Object.defineProperty(value, HASH, { value: lanes, writable: true });
    else {
      this.cache.set(value, lanes);
      this.frozenCached = true;
    }
  }

  /** Hashes `items` as arrayLanes would if every item is a safe integer; returns false otherwise. */
  private intArrayLanes(items: readonly unknown[]): boolean {
    let a = ARRAY_A;
    let b = ARRAY_B;
    for (let i = 0; i < items.length; i++) {
      // What `lanes` does with a safe integer, inline.
      const v = items[i];
      if (typeof v !== 'number') return false;
      if ((v | 0) === v) {
        a = mix(a, mix(INT_A, v));
        b = mixB(b, mixB(INT_B, v));
      } else if (Number.isSafeInteger(v)) {
        const high = Math.floor(v / 0x100000000) | 0;
        const low = v >>> 0;
        a = mix(a, mix(mix(WIDE_A, high), low));
        b = mixB(b, mixB(mixB(WIDE_B, high), low));
      } else {
        return false;
      }
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
    let a = ARRAY_A;
    let b = ARRAY_B;
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
    this.a = mix(RECORD_A, sa ^ count);
    this.b = mixB(RECORD_B, sb ^ count);
  }

  /** A sum of well-mixed element hashes: independent of insertion order; copies (equal-content objects) count. */
  private setLanes(set: ReadonlySet<unknown>): void {
    let sa = 0;
    let sb = 0;
    for (const item of set) {
      this.lanes(item);
      sa = (sa + finalize(this.a)) | 0;
      sb = (sb + finalize(this.b)) | 0;
    }
    this.a = mix(mix(mix(SEED_A, Tag.Set), sa), set.size);
    this.b = mixB(mixB(mixB(SEED_B, Tag.Set), sb), set.size);
  }

  /** As a record, with keys of any kind hashed by content, under its own tag. */
  private mapLanes(map: ReadonlyMap<unknown, unknown>): void {
    let sa = 0;
    let sb = 0;
    for (const [key, v] of map) {
      this.lanes(key);
      const ka = this.a;
      const kb = this.b;
      this.lanes(v);
      sa = (sa + finalize(mix(ka, this.a))) | 0;
      sb = (sb + finalize(mixB(kb, this.b))) | 0;
    }
    this.a = mix(mix(mix(SEED_A, Tag.Map), sa), map.size);
    this.b = mixB(mixB(mixB(SEED_B, Tag.Map), sb), map.size);
  }
}

/** The names of parts in an error: `names[i]`, or `parts[i]`. (Outside fingerprintParts: no closure there.) */
function partNames(count: number, names: readonly string[] | undefined): string[] {
  return Array.from({ length: count }, (_, i) => names?.[i] ?? `parts[${i}]`);
}

/**
 * After the fast walk failed: the ModelError naming the first unhashable value
 * among `roots` (in walk order), or `error` itself when there is none (an
 * exception from elsewhere, or a stack overflow on a deep but acyclic value).
 */
function diagnose(error: unknown, roots: readonly unknown[], names: readonly string[], multisets: readonly boolean[]): unknown {
  let found: string | undefined;
  try {
    for (let i = 0; i < roots.length && found === undefined; i++) {
      const root = roots[i];
      if (multisets[i] === true && Array.isArray(root)) {
        for (let k = 0; k < root.length && found === undefined; k++) found = findUnhashable(root[k], `${names[i]}[${k}]`);
      } else {
        found = findUnhashable(root, names[i]!);
      }
    }
  } catch {
    return error;
  }
  return found === undefined ? error : new ModelError(`${found}; ${PLAIN_DATA}`, 'unhashable-value');
}

/** What is wrong with a value on its own (not counting its contents), or undefined. */
function describeKind(value: unknown): string | undefined {
  switch (typeof value) {
    case 'function':
      return 'is a function';
    case 'symbol':
      return 'is a symbol';
    case 'object': {
      if (value === null) return undefined;
      if (Array.isArray(value)) return undefined;
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto === Object.prototype || proto === null || proto === Map.prototype || proto === Set.prototype) return undefined;
      const ctor = (proto as { constructor?: unknown }).constructor;
      const name = typeof ctor === 'function' ? ctor.name : '';
      return name === '' ? 'is an object with a class prototype' : `is an instance of ${name}`;
    }
    default:
      return undefined;
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A Map key as a JavaScript literal, for `.get(…)` in a path. */
function keyLiteral(key: unknown): string | undefined {
  switch (typeof key) {
    case 'string':
      return JSON.stringify(key);
    case 'number':
      return Object.is(key, -0) ? '0' : String(key);
    case 'bigint':
      return `${key}n`;
    case 'boolean':
    case 'undefined':
      return String(key);
    case 'object':
      return key === null ? 'null' : undefined;
    default:
      return undefined;
  }
}

/**
 * The first unhashable value under `root` in walk order, as "<path> <what>",
 * or undefined. Iterative (a deep value cannot overflow it); tracks the
 * objects on the current path to report a cycle, and skips objects already
 * checked (shared sub-objects are fine).
 */
function findUnhashable(root: unknown, rootPath: string): string | undefined {
  type Frame = { readonly value: unknown; readonly path: string } | { readonly leave: object };
  const onPath = new Map<object, string>();
  const checked = new Set<object>();
  const stack: Frame[] = [{ value: root, path: rootPath }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if ('leave' in frame) {
      onPath.delete(frame.leave);
      checked.add(frame.leave);
      continue;
    }
    const { value, path } = frame;
    const kind = describeKind(value);
    if (kind !== undefined) return `${path} ${kind}`;
    if (typeof value !== 'object' || value === null || checked.has(value)) continue;
    const ancestor = onPath.get(value);
    if (ancestor !== undefined) return `${path} refers back to ${ancestor} (a cycle)`;
    onPath.set(value, path);
    stack.push({ leave: value });
    // Children are pushed in reverse so that they are visited in walk order.
    const children: Frame[] = [];
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) children.push({ value: value[i], path: `${path}[${i}]` });
    } else if (value instanceof Set) {
      let i = 0;
      for (const item of value) children.push({ value: item, path: `${path}{#${i++}}` });
    } else if (value instanceof Map) {
      let i = 0;
      for (const [key, v] of value) {
        const literal = keyLiteral(key);
        children.push({ value: key, path: `${path}{key #${i}}` });
        children.push({ value: v, path: literal === undefined ? `${path}{value #${i}}` : `${path}.get(${literal})` });
        i++;
      }
    } else {
      const record = value as Record<string, unknown>;
      for (const key in record) {
        children.push({ value: record[key], path: IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]` });
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return undefined;
}
