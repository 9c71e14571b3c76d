/**
 * The messages between the parallel search's coordinator (parallel.ts, in the
 * thread that called explore) and its worker threads (parallelWorker.ts), and
 * the encodings both sides share. Everything here is data: typed arrays and
 * shared buffers, never state objects.
 *
 * A discovery is keyed by where the sequential BFS would meet it:
 * key = parentIndex * KEY_SCALE + actionIndex + 1 for the successor reached
 * by action #actionIndex of stored state parentIndex, and parentIndex *
 * KEY_SCALE for an event at the expansion of the state itself (a state
 * without successors, a duplicate label). Sequential BFS expands states in
 * index order and each state's actions in order, so the least key is the
 * first event; keys stay below 2^48, exact in a double.
 */
import type { MessagePort } from 'node:worker_threads';
import type { InternerMemory } from '../core/interner.js';
import type { SharedTableView } from './fingerprintTable.js';

/** Action indices are below 2^16 (MAX_ACTIONS_PER_STATE), so k + 1 ≤ 2^16 < KEY_SCALE. */
export const KEY_SCALE = 131072;

/** How a worker thread builds the same check target as the caller of explore. */
export interface WorkerTarget {
  /** URL (file:) of an ES module. */
  readonly module: string;
  /**
   * The name of its export: a function (args, shared) → { model, properties }
   * (or a promise of it), building the same model and properties, in the same
   * order, as the caller's. `shared` is the caller's target's `shared` value.
   */
  readonly exportName: string;
  /** Structured-clonable arguments (a spec id and its parameters, say). */
  readonly args: unknown;
}

/** Int32 slots of the control buffer. */
export const CONTROL_DONE = 0;
export const CONTROL_STOP = 1;

export interface WorkerSetup {
  readonly index: number;
  readonly workers: number;
  readonly target: WorkerTarget;
  /** The target's shared memory (its interner's buffers, say). */
  readonly shared: unknown;
  /** The codec dictionary of the coordinator's search. */
  readonly dictionary: InternerMemory;
  /** Int32Array over it: [done counter, stop flag]. */
  readonly control: SharedArrayBuffer;
  /** Commands arrive and replies leave here (the coordinator reads replies with receiveMessageOnPort). */
  readonly port: MessagePort;
  /** Per worker, bytes of queued states kept in memory before spilling (Infinity: none). */
  readonly queueMemoryBytes: number;
  readonly spillDirectory: string | undefined;
}

export type Command =
  | {
      /** Start: this worker's partition of the visited set and its part of the frontier. */
      readonly kind: 'load';
      /** Fingerprints in stored form, with their state index: [storedHi, lo, index]… */
      readonly fingerprints: Uint32Array;
      /** Frontier entries: state indices, and each one's encoding at [offsets[i], offsets[i + 1]). */
      readonly indices: Int32Array;
      readonly offsets: Int32Array;
      readonly bytes: Uint8Array;
    }
  | {
      readonly kind: 'expand';
      readonly depth: number;
      readonly maxDepth: number;
      /** Every partition as this worker reads it (index = owner). */
      readonly views: readonly SharedTableView[];
      /** Indices (into the properties) of the `always` and `terminal` properties still unviolated. */
      readonly always: readonly number[];
      readonly terminal: readonly number[];
      /** Record each successor's target for the state graph. */
      readonly graph: boolean;
      /** Expand by the model's persistent subsets (Model.ample); the cycle proviso is checked on the graph. */
      readonly partialOrder: boolean;
    }
  | {
      /** Candidates for this worker's partition, from each producer (index = producer). */
      readonly kind: 'dedup';
      readonly inboxes: readonly Uint8Array[];
    }
  | {
      /** For each of this worker's winners by rank, its state index, or -1 if it is not stored. */
      readonly kind: 'assign';
      readonly globals: Int32Array;
    }
  | {
      /** Each owner's outcomes for this worker's candidates (index = owner): queue the winners, resolve the graph's targets. */
      readonly kind: 'enqueue';
      readonly resolved: readonly Int32Array[];
      readonly graph: boolean;
    }
  | { readonly kind: 'quit' };

export interface ViolationCandidate {
  readonly property: number;
  readonly key: number;
}

export interface WorkerFailure {
  readonly message: string;
  /** A ModelError's kind, if it was one. */
  readonly modelErrorKind?: 'duplicate-label' | 'unhashable-value';
  /** Where in the sequential order it happened (a key), if known. */
  readonly key: number;
}

export type Reply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'loaded'; readonly view: SharedTableView }
  | {
      readonly kind: 'expanded';
      /** The expanded states, in index order, and their successor counts (0: no successors; -1: not expanded, at maxDepth or after a duplicate label). */
      readonly states: Int32Array;
      readonly degrees: Int32Array;
      /**
       * With partial-order reduction: per expanded state, how it was expanded
       * (EXPANDED_FULLY, EXPANDED_BY_SUBSET), and per
       * successor, in order, its action index. Empty without it.
       */
      readonly expansions: Uint8Array;
      readonly actions: Int32Array;
      /** Candidates for each owner (index = owner): [varint parent, varint action, varint hi, varint lo]… (the encodings stay with the producer) */
      readonly outboxes: readonly Uint8Array[];
      readonly violations: readonly ViolationCandidate[];
      /** Least key of a state at maxDepth with successors, or -1. */
      readonly depthCutKey: number;
      /** Least key of a state with two actions of one label, or -1. */
      readonly duplicateLabelKey: number;
      /** The expansion stopped early (the stop flag). */
      readonly stopped: boolean;
    }
  | { readonly kind: 'deduplicated'; readonly keys: Float64Array }
  | {
      readonly kind: 'assigned';
      /** Per producer, each of its candidates' outcome: its index if the stored winner, -(index + 2) if another won, -1 if not stored. */
      readonly resolved: readonly Int32Array[];
      /** This worker's partition after the inserts (it may have moved to new buffers). */
      readonly view: SharedTableView;
    }
  | {
      readonly kind: 'enqueued';
      /** Per successor of the expanded states, in order, its state index (empty without `graph`). */
      readonly targets: Int32Array;
      /** Bytes of queued states this worker now holds in memory, and has spilled in all. */
      readonly queueBytes: number;
      readonly spilledBytes: number;
    }
  | { readonly kind: 'failed'; readonly failure: WorkerFailure };

/** How a parallel worker expanded a state under partial-order reduction. */
export const EXPANDED_FULLY = 0;
export const EXPANDED_BY_SUBSET = 1;
