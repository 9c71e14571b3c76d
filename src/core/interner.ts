/**
 * Collision-free interning of tuples of small integers to dense ids, owned by
 * one model instance (never module-level). Message data is a digest of
 * (sender, ssn, whole delivery history) that never collides
 * (docs/protocol.md § System model): the interned id of that tuple is
 * exactly that. Ids depend on the order in which
 * tuples were first seen; `tuple(id)` decodes an id.
 *
 * The table lives in shared memory (growable SharedArrayBuffers), so that the
 * worker threads of a parallel search (engine/parallel) can share one
 * interner: a state built in one thread holds ids that every other thread
 * decodes, and equal states hold equal ids in every thread. `memory()` gives
 * the buffers, `new Interner(memory)` attaches another instance to them.
 *
 * Concurrency: each instance keeps a private cache (tuple text → id); a miss
 * takes a spin lock in the shared header, looks the tuple up in the shared
 * hash table and appends it if it is new. Tuples are immutable once
 * published, and an id only reaches another thread after its tuple was
 * written (through the lock, or inside a state sent by postMessage), so
 * decoding reads the arena without the lock.
 *
 * Layout (Int32Array views that track their growable buffers' length):
 *   header: [lock, count, arenaUsed, tableCapacity]
 *   offsets[id]: where tuple `id` starts in the arena (ids from 1);
 *   arena: per tuple its length, then its elements;
 *   table: open addressing on the tuple's hash, holding ids (0 = empty),
 *          rebuilt larger under the lock at load 1/2.
 */

/** What another Interner attaches to (structured-clonable: shared buffers pass by reference). */
export interface InternerMemory {
  readonly header: SharedArrayBuffer;
  readonly offsets: SharedArrayBuffer;
  readonly arena: SharedArrayBuffer;
  readonly table: SharedArrayBuffer;
}

const LOCK = 0;
const COUNT = 1;
const ARENA_USED = 2;
const TABLE_CAPACITY = 3;
/** Virtual reservations: growing never moves a buffer. */
const MAX_ARENA_BYTES = 2 ** 30;
const MAX_OFFSETS_BYTES = 2 ** 28;
const MAX_TABLE_BYTES = 2 ** 28;
const INITIAL_TABLE = 1024;

/** A growable SharedArrayBuffer (ES2024, in Node since 20; typed here since the project's lib is ES2023). */
type GrowableBuffer = SharedArrayBuffer & { readonly maxByteLength: number; grow(bytes: number): void };
const GrowableSharedArrayBuffer = SharedArrayBuffer as unknown as new (bytes: number, options: { maxByteLength: number }) => GrowableBuffer;

function growable(bytes: number, max: number): GrowableBuffer {
  return new GrowableSharedArrayBuffer(bytes, { maxByteLength: max });
}

function hashTuple(tuple: readonly number[]): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < tuple.length; i++) {
    h = Math.imul(h ^ tuple[i]!, 0x01000193);
    h ^= h >>> 15;
  }
  return Math.imul(h ^ tuple.length, 0x85ebca6b) >>> 0;
}

/** Interns tuples of small integers to dense ids without collisions; see the module comment for sharing between threads. */
export class Interner {
  private readonly shared: InternerMemory;
  private readonly header: Int32Array;
  private readonly offsets: Int32Array;
  private readonly arena: Int32Array;
  private readonly table: Int32Array;
  private readonly cache = new Map<string, number>();

  constructor(memory?: InternerMemory) {
    this.shared = memory ?? {
      header: new SharedArrayBuffer(16),
      offsets: growable(4 * 1024, MAX_OFFSETS_BYTES),
      arena: growable(4 * 4096, MAX_ARENA_BYTES),
      table: growable(4 * INITIAL_TABLE, MAX_TABLE_BYTES),
    };
    this.header = new Int32Array(this.shared.header);
    this.offsets = new Int32Array(this.shared.offsets);
    this.arena = new Int32Array(this.shared.arena);
    this.table = new Int32Array(this.shared.table);
    if (memory === undefined) {
      this.header[TABLE_CAPACITY] = INITIAL_TABLE;
      // Offset 0 of the arena is never a tuple's start, so a zero offset reads as "no tuple".
      this.header[ARENA_USED] = 1;
    }
  }

  /** The shared buffers, for `new Interner(memory)` in another thread. */
  memory(): InternerMemory {
    return this.shared;
  }

  /** The id of `tuple` (integers in 0 … 2^31 − 1), assigning the next id (from 1) on first sight. */
  intern(tuple: readonly number[]): number {
    const key = tuple.join(',');
    const known = this.cache.get(key);
    if (known !== undefined) return known;
    for (const v of tuple) {
      if (!(Number.isInteger(v) && v >= 0 && v <= 0x7fffffff)) throw new RangeError(`Interner: tuple elements must be integers in 0…2^31−1, got ${v}`);
    }
    this.lock();
    try {
      const id = this.findOrAdd(tuple);
      this.cache.set(key, id);
      return id;
    } finally {
      this.unlock();
    }
  }

  tuple(id: number): readonly number[] {
    const at = this.start(id);
    return Array.from(this.arena.subarray(at + 1, at + 1 + this.arena[at]!));
  }

  /** Element `k` of tuple `id` (no array built: for hot paths). */
  field(id: number, k: number): number {
    const at = this.start(id);
    if (!(k >= 0 && k < this.arena[at]!)) throw new RangeError(`interned tuple ${id} has no element ${k}`);
    return this.arena[at + 1 + k]!;
  }

  get size(): number {
    return Atomics.load(this.header, COUNT);
  }

  private start(id: number): number {
    const at = id >= 1 && id < this.offsets.length ? this.offsets[id]! : 0;
    if (at === 0) throw new RangeError(`unknown interned id ${id}`);
    return at;
  }

  private findOrAdd(tuple: readonly number[]): number {
    const table = this.table;
    const hash = hashTuple(tuple);
    let mask = this.header[TABLE_CAPACITY]! - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = table[slot]!;
      if (id === 0) break;
      if (this.equals(id, tuple)) return id;
    }
    const id = this.header[COUNT]! + 1;
    const at = this.header[ARENA_USED]!;
    this.ensure(this.shared.arena, this.arena, at + 1 + tuple.length);
    this.ensure(this.shared.offsets, this.offsets, id + 1);
    this.arena[at] = tuple.length;
    for (let i = 0; i < tuple.length; i++) this.arena[at + 1 + i] = tuple[i]!;
    this.offsets[id] = at;
    this.header[ARENA_USED] = at + 1 + tuple.length;
    if (2 * id > mask + 1) {
      this.rehash(2 * (mask + 1));
      mask = this.header[TABLE_CAPACITY]! - 1;
    }
    let slot = hash & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = id;
    Atomics.store(this.header, COUNT, id);
    return id;
  }

  private equals(id: number, tuple: readonly number[]): boolean {
    const at = this.offsets[id]!;
    if (this.arena[at] !== tuple.length) return false;
    for (let i = 0; i < tuple.length; i++) if (this.arena[at + 1 + i] !== tuple[i]) return false;
    return true;
  }

  private rehash(capacity: number): void {
    this.ensure(this.shared.table, this.table, capacity);
    this.table.fill(0, 0, capacity);
    const mask = capacity - 1;
    const count = this.header[COUNT]!;
    for (let id = 1; id <= count; id++) {
      let slot = hashTuple(this.tuple(id)) & mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & mask;
      this.table[slot] = id;
    }
    this.header[TABLE_CAPACITY] = capacity;
  }

  /** Grows `buffer` (seen through `view`) to hold at least `length` int32s. */
  private ensure(shared: SharedArrayBuffer, view: Int32Array, length: number): void {
    if (view.length >= length) return;
    const buffer = shared as GrowableBuffer;
    const bytes = Math.max(length * 4, Math.min(buffer.byteLength * 2, buffer.maxByteLength));
    if (bytes > buffer.maxByteLength) throw new RangeError('Interner: the shared tuple table is full');
    buffer.grow(bytes);
  }

  private lock(): void {
    while (Atomics.compareExchange(this.header, LOCK, 0, 1) !== 0) Atomics.wait(this.header, LOCK, 1, 1);
  }

  private unlock(): void {
    Atomics.store(this.header, LOCK, 0);
    Atomics.notify(this.header, LOCK, 1);
  }
}
