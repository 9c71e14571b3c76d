/**
 * The visited-state store: one 64-bit fingerprint per distinct state (in a
 * FingerprintTable) plus, per state index, the index of its parent state and
 * the index of the action in the parent's `actions()` list that reached it.
 * That is enough to rebuild any trace by replaying actions from an initial
 * state, so no state object is ever kept (a visited state is a
 * fingerprint, not an object).
 *
 * Memory: the table costs 8 bytes per slot at load 0.72 to 0.9 (8.9 to 11.1
 * bytes per state); the dense arrays cost 4 (parent) + 1 (action) bytes per
 * state. The dense arrays live in fixed chunks of 2^14 entries once past the
 * first chunk (which grows by doubling), so growing never copies and leaves at
 * most one partly used chunk: about 14 to 16 bytes per state overall.
 * Action indices start as bytes and widen to 16 bits the first time an index
 * above 255 is stored; more than 65536 actions in one state is an error.
 *
 * A root (initial state) has parent -1 and stores its index in `init()` as
 * its action index.
 *
 * `indexed: true` keeps each state's index next to its fingerprint (4 bytes
 * more per table slot, 4.4 to 5.6 per state), so that `insertOrFind` can
 * name the stored state a duplicate successor is: BFS needs that to record
 * the state graph for its cycle check.
 */
import { FingerprintTable, type FingerprintTableOptions } from './fingerprintTable.js';

const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;
const FIRST_CHUNK = 1024;

/** Largest action (or initial-state) index the store can record, plus one. */
export const MAX_ACTIONS_PER_STATE = 0x10000;

export interface FingerprintStoreOptions extends Omit<FingerprintTableOptions, 'values'> {
  /** Keep each state's index with its fingerprint (for `insertOrFind`); default false. */
  readonly indexed?: boolean;
}

/** A store as arrays (exportArrays, restore): what a checkpoint saves of it. */
export interface StoreArrays {
  readonly parents: Int32Array;
  readonly actions: Uint8Array | Uint16Array;
  /** Stored form (spread first lane, second lane), two lanes per state, in table order. */
  readonly fingerprints: Uint32Array;
  /** The state index of each fingerprint (indexed stores only). */
  readonly values?: Int32Array;
}

export class FingerprintStore {
  private readonly table: FingerprintTable;
  readonly indexed: boolean;
  private parents: Int32Array[] = [];
  private actions: Array<Uint8Array | Uint16Array> = [];
  /** Largest action index the action arrays can hold (255 or 65535). */
  private actionMax = 0xff;
  /** Entries the dense arrays can hold before the next growth. */
  private denseCapacity = 0;
  private count = 0;

  constructor(options: FingerprintStoreOptions = {}) {
    const { indexed, ...table } = options;
    this.indexed = indexed ?? false;
    this.table = new FingerprintTable({ ...table, values: this.indexed });
  }

  /** Number of distinct states stored; state indices are 0 .. size-1 in insertion order. */
  get size(): number {
    return this.count;
  }

  /**
   * Stores the fingerprint (hi, lo) of a state reached from state `parent`
   * (-1 for a root) by the action at `actionIndex` in the parent's action
   * list. Returns the new state's index, or -1 if the fingerprint was stored
   * already (nothing changes then).
   */
  insert(hi: number, lo: number, parent: number, actionIndex: number): number {
    // Validate before touching the table, so a rejected insert changes nothing.
    if (actionIndex > this.actionMax || actionIndex < 0) this.widenActions(actionIndex);
    if (this.indexed) {
      const r = this.insertOrFind(hi, lo, parent, actionIndex);
      return r < 0 ? -1 : r;
    }
    if (!this.table.add(hi, lo)) return -1;
    return this.append(parent, actionIndex);
  }

  /**
   * As `insert`, but a fingerprint stored already gives the index of its
   * state as `~index` (a negative number; `~r` recovers it). Needs `indexed`.
   */
  insertOrFind(hi: number, lo: number, parent: number, actionIndex: number): number {
    if (actionIndex > this.actionMax || actionIndex < 0) this.widenActions(actionIndex);
    const found = this.table.addOrGet(hi, lo, this.count);
    if (found >= 0) return ~found;
    return this.append(parent, actionIndex);
  }

  /** Gives the next state index to a fingerprint just added, with its parent link. */
  private append(parent: number, actionIndex: number): number {
    const index = this.count++;
    if (index === this.denseCapacity) this.growDense();
    const chunk = index >>> CHUNK_BITS;
    const at = index & CHUNK_MASK;
    this.parents[chunk]![at] = parent;
    this.actions[chunk]![at] = actionIndex;
    return index;
  }

  /**
   * Gives the next state index to a state whose fingerprint is kept
   * elsewhere (the parallel search's shared tables), with its parent link.
   * Once this is used, `has`, `insert` and `insertOrFind` no longer know
   * every stored state.
   */
  appendLink(parent: number, actionIndex: number): number {
    if (actionIndex > this.actionMax || actionIndex < 0) this.widenActions(actionIndex);
    return this.append(parent, actionIndex);
  }

  /** Every stored fingerprint in its table's stored form, with its state index (0 unless `indexed`): see FingerprintTable.forEachStored. */
  forEachStored(visit: (storedHi: number, lo: number, index: number) => void): void {
    this.table.forEachStored(visit);
  }

  /** Index of the state with this fingerprint, or -1 if none is stored. Needs `indexed`. */
  indexOf(hi: number, lo: number): number {
    return this.table.get(hi, lo);
  }

  /** Whether the fingerprint is stored. */
  has(hi: number, lo: number): boolean {
    return this.table.has(hi, lo);
  }

  /** Index of the state that first reached state `index`, or -1 for a root. */
  parentOf(index: number): number {
    this.checkIndex(index);
    return this.parents[index >>> CHUNK_BITS]![index & CHUNK_MASK]!;
  }

  /** Index of the action (in the parent's `actions()`) that reached state `index`; for a root, its index in `init()`. */
  actionOf(index: number): number {
    this.checkIndex(index);
    return this.actions[index >>> CHUNK_BITS]![index & CHUNK_MASK]!;
  }

  /** Bytes held by the store's typed arrays. */
  bytesAllocated(): number {
    let bytes = this.table.bytesAllocated();
    for (const c of this.parents) bytes += c.byteLength;
    for (const c of this.actions) bytes += c.byteLength;
    return bytes;
  }

  /** The part of `bytesAllocated` that keeps state indices with the fingerprints (0 unless `indexed`). */
  indexBytesAllocated(): number {
    return this.table.valueBytesAllocated();
  }

  /**
   * The store as arrays, for a checkpoint: the parent and action index of
   * every state, and every fingerprint in its table's stored form (with its
   * state index when `indexed`). `restore` rebuilds an equal store.
   */
  exportArrays(): StoreArrays {
    const n = this.count;
    const parents = new Int32Array(n);
    const actions = this.actionMax > 0xff ? new Uint16Array(n) : new Uint8Array(n);
    for (let c = 0; c * CHUNK < n && c < this.parents.length; c++) {
      const from = c === 0 ? 0 : c * CHUNK;
      const length = Math.min(n - from, this.parents[c]!.length);
      parents.set(this.parents[c]!.subarray(0, length), from);
      actions.set(this.actions[c]!.subarray(0, length), from);
    }
    const fingerprints = new Uint32Array(2 * n);
    const values = this.indexed ? new Int32Array(n) : undefined;
    let k = 0;
    this.table.forEachStored((hi, lo, value) => {
      fingerprints[2 * k] = hi;
      fingerprints[2 * k + 1] = lo;
      if (values !== undefined) values[k] = value;
      k++;
    });
    if (k !== n) throw new Error(`internal: the store holds ${k} fingerprints for ${n} states (a parallel search's store cannot be exported)`);
    return { parents, actions, fingerprints, ...(values === undefined ? {} : { values }) };
  }

  /** Fills an empty store with `exportArrays()`'s arrays; it must be `indexed` as the exported one was. */
  restore(arrays: StoreArrays): void {
    if (this.count !== 0) throw new Error('internal: restore needs an empty store');
    if ((arrays.values !== undefined) !== this.indexed) throw new Error('internal: the saved store and this one differ in keeping state indices');
    const n = arrays.parents.length;
    if (arrays.actions instanceof Uint16Array) this.widenActions(0xffff);
    for (let i = 0; i < n; i++) this.append(arrays.parents[i]!, arrays.actions[i]!);
    for (let k = 0; k < n; k++) {
      if (!this.table.addStored(arrays.fingerprints[2 * k]!, arrays.fingerprints[2 * k + 1]!, arrays.values?.[k] ?? 0)) {
        throw new Error('internal: a saved fingerprint is stored twice');
      }
    }
  }

  private checkIndex(index: number): void {
    if (!(index >= 0 && index < this.count && Number.isInteger(index))) {
      throw new RangeError(`state index ${index} is not in 0..${this.count - 1}`);
    }
  }

  private growDense(): void {
    if (this.denseCapacity < CHUNK) {
      // The first chunk doubles until it is full size, so small runs stay small.
      const size = this.denseCapacity === 0 ? FIRST_CHUNK : Math.min(CHUNK, this.denseCapacity * 2);
      const parents = new Int32Array(size);
      const actions = this.actionMax > 0xff ? new Uint16Array(size) : new Uint8Array(size);
      if (this.denseCapacity > 0) {
        parents.set(this.parents[0]!);
        actions.set(this.actions[0]!);
      }
      this.parents[0] = parents;
      this.actions[0] = actions;
      this.denseCapacity = size;
      return;
    }
    if (this.denseCapacity >= 0x7fffffff - CHUNK) throw new Error('the state store is full (2^31 states)');
    this.parents.push(new Int32Array(CHUNK));
    this.actions.push(this.actionMax > 0xff ? new Uint16Array(CHUNK) : new Uint8Array(CHUNK));
    this.denseCapacity += CHUNK;
  }

  private widenActions(actionIndex: number): void {
    if (!(Number.isInteger(actionIndex) && actionIndex >= 0 && actionIndex < MAX_ACTIONS_PER_STATE)) {
      throw new Error(
        `action index ${actionIndex} cannot be stored: a state may have at most ${MAX_ACTIONS_PER_STATE} enabled actions (and a model at most as many initial states)`,
      );
    }
    this.actions = this.actions.map((c) => Uint16Array.from(c));
    this.actionMax = MAX_ACTIONS_PER_STATE - 1;
  }
}
