/** Results of an exploration, as tagged unions (fast-check's RunDetails style). */
import type { Finding } from './model.js';

export type Strategy = 'bfs' | 'dfs';

/**
 * The bound that stopped a search before it covered the whole state space;
 * `interrupted`: the caller asked it to stop (ExploreOptions.interrupted, a
 * signal to the command line).
 */
export type StopReason = 'depth' | 'states' | 'time' | 'memory' | 'interrupted';

/** What a search measured: states, transitions, depth, time, memory. */
export interface ExploreStats {
  /** Distinct states stored (fingerprints). */
  distinct: number;
  /** Transitions taken (successor computations), duplicates included. */
  transitions: number;
  /** Greatest depth reached (the initial states are at depth 0). */
  maxDepth: number;
  /** States still waiting to be expanded when the search ended. */
  queued: number;
  elapsedMs: number;
  /** States without successors. */
  terminal: number;
  /**
   * Estimated probability that a 64-bit fingerprint collision made the search
   * take a new state for a visited one: m * n / 2^64, with n distinct states
   * and m fingerprint lookups (initial states plus transitions), since each
   * lookup meets at most n stored fingerprints. TLC's optimistic estimate,
   * n * (m - n) / 2^64, is slightly smaller.
   */
  collisionProbability: number;
  /**
   * Bytes allocated by the visited-state store, divided by `distinct`. For a
   * BFS that checks cycles (some `terminal` property), it includes the state
   * index kept per fingerprint, the recorded state graph and the cycle
   * check's working arrays (all of which `graphBytesPerState` counts alone).
   */
  bytesPerState: number;
  /** The part of `bytesPerState` spent on BFS's cycle check (0 when it recorded no graph). */
  graphBytesPerState: number;
  /**
   * Largest resident set size of the whole process seen during the search
   * (sampled every few hundred steps and at the end), in bytes: the store,
   * the queue, the runtime and whatever else the process holds.
   */
  peakRssBytes: number;
  /** Largest number of bytes one BFS level's queue held in memory (0 for DFS). */
  queuePeakBytes: number;
  /** Bytes of queued states written to spill files (0 when the queue fit its memory share). */
  spilledBytes: number;
  /** Threads that expanded states (1: this thread only). */
  workers: number;
  /**
   * With partial-order reduction (present only then): states expanded by a
   * proper subset of their actions, and states whose subset the cycle
   * proviso refused (expanded fully).
   */
  partialOrder?: { reducedStates: number; provisoRefusals: number };
}

/** A counterexample in memory: the labels from an initial state, and the states they reach. */
export interface Trace<S> {
  readonly initIndex: number;
  readonly labels: readonly string[];
  /** states[0] is the initial state; states[k] follows labels[k-1]. */
  readonly states: readonly S[];
  /** For a lasso (a cycle found where termination was expected): index into `states` where the loop starts. */
  readonly loopStart?: number;
}

/** A property's verdict: `unknown` when the search cannot tell (see UnknownReason). */
export type PropertyStatus = 'holds' | 'violated' | 'unknown';

/**
 * Why a property is `unknown`, as data (cli/ puts it in words):
 * - `bound`: a bound (the result's `stoppedBy`) cut the search;
 * - `stopped-at-violation`: the search stopped at the first violation of
 *   another property (`continueAfterViolation` searches on);
 * - `cycles-not-checked`: a `terminal` property held in every state without
 *   successors, but the search did not look for cycles (`cycleCheck: false`).
 */
/**
 * - bound: a bound cut the search;
 * - stopped-at-violation: the search stopped at another property's violation;
 * - cycles-not-checked: a terminal property, with cycle checking off;
 * - partial-order-proviso: an `always` property under partial-order
 *   reduction, when the explored graph has a cycle of states each expanded
 *   by a subset of its actions (the reduction proves nothing then).
 */
export type UnknownReason = 'bound' | 'stopped-at-violation' | 'cycles-not-checked' | 'partial-order-proviso';

/** The verdict of one property after a search. */
export interface PropertyVerdict {
  readonly name: string;
  readonly category: 'safety' | 'liveness';
  readonly status: PropertyStatus;
  /** Present exactly when `status` is `unknown`. */
  readonly reason?: UnknownReason;
}

/** A property's violation: which property, and the trace that reaches it. */
export interface Violation<S> {
  readonly property: string;
  readonly category: 'safety' | 'liveness';
  readonly trace: Trace<S>;
  /** The finding's summary: the sentence printed with the verdict. */
  readonly explanation: string;
  /** Why the property fails in the violating state (or the cycle), as data: what diagrams and reports read. */
  readonly finding: Finding;
}

/** What explore() returns: `ok` (complete, every property holds), `violation`, or `incomplete` (a bound stopped the search). */
export type CheckResult<S> =
  | {
      readonly status: 'ok';
      readonly complete: true;
      readonly stats: ExploreStats;
      readonly properties: readonly PropertyVerdict[];
    }
  | {
      readonly status: 'violation';
      readonly complete: boolean;
      readonly stats: ExploreStats;
      readonly properties: readonly PropertyVerdict[];
      /**
       * The first violation found (BFS: a shortest one), then any further
       * with `continueAfterViolation`. A cycle BFS finds is recorded after
       * the search, so it comes after every violation found while searching.
       */
      readonly violations: readonly Violation<S>[];
      readonly stoppedBy?: StopReason;
    }
  | {
      readonly status: 'incomplete';
      readonly complete: false;
      readonly stats: ExploreStats;
      readonly properties: readonly PropertyVerdict[];
      /**
       * The bound that stopped the search; absent when every state was
       * expanded but cycles were not checked (`cycleCheck: false`), so some
       * terminal property is `unknown` for reason `cycles-not-checked`.
       */
      readonly stoppedBy?: StopReason;
    };
