/**
 * What BFS and DFS share: the options, the visited store, property checks,
 * violation records, bounds and progress reports. One Search per explore()
 * call, so two checks in one process share nothing.
 */
import type { Model, Property, StopReason, Violation } from '../core/index.js';
import { FingerprintStore, MAX_ACTIONS_PER_STATE } from './fingerprintStore.js';
import { rebuildTrace } from './rebuildTrace.js';

export interface ExploreProgress {
  distinct: number;
  transitions: number;
  queued: number;
  depth: number;
  elapsedMs: number;
  /** Distinct states per second since the start. */
  statesPerSecond: number;
}

/** How the engine reports; it never prints. */
export interface ExploreListener {
  onProgress?(progress: ExploreProgress): void;
  onViolation?(property: string, depth: number): void;
  /** A bound was hit (depth: the first state at maxDepth that had successors). */
  onBound?(reason: StopReason): void;
}

/**
 * Called for every transition the search takes, duplicates included:
 * `isNew` is true when `to` was stored for the first time by this
 * transition. For coverage and other observers; it must not change the
 * states. Absent, the hot loops pay one comparison per transition.
 */
export type TransitionObserver<S, A> = (from: S, action: A, to: S, isNew: boolean) => void;

export interface ExploreOptions<S = unknown, A = unknown> {
  /** bfs: the first violation found has a shortest trace; dfs: also finds cycles (lassos). */
  strategy: 'bfs' | 'dfs';
  /** States at this depth are stored and checked but not expanded. */
  maxDepth?: number;
  /** Stop before storing more distinct states than this. */
  maxStates?: number;
  timeoutMs?: number;
  /** Default false: stop at the first violation (TLC style). */
  continueAfterViolation?: boolean;
  listener?: ExploreListener;
  /** Default 3000. */
  progressIntervalMs?: number;
  /** Milliseconds; default performance.now. Injectable for tests. */
  clock?: () => number;
  onTransition?: TransitionObserver<S, A>;
}

/** Why the search ended early, if it did. */
export type Halt = StopReason | 'violation';

export class Search<S, A> {
  readonly store = new FingerprintStore();
  /** Scratch for fingerprints: the hot loops reuse it. */
  readonly fp = new Uint32Array(2);
  readonly maxDepth: number;
  readonly maxStates: number;
  readonly violations: Violation<S>[] = [];
  /** violated[j]: properties[j] has a recorded violation. */
  readonly violated: boolean[];
  readonly hasTerminal: boolean;
  readonly onTransition: TransitionObserver<S, A> | undefined;
  transitions = 0;
  /** Fingerprint lookups of initial states (they count towards collisions too). */
  initLookups = 0;
  terminal = 0;
  maxDepthSeen = 0;
  /** Counts work units; the clock is read every 256. */
  ticks = 0;
  halt: Halt | undefined;
  /** Some state at maxDepth had successors that were not explored. */
  depthCut = false;
  readonly startMs: number;
  private lastProgressMs: number;
  private readonly always: number[] = [];
  private readonly terminals: number[] = [];
  private readonly clock: () => number;
  private readonly deadline: number;
  private readonly progressIntervalMs: number;
  private readonly continueAfterViolation: boolean;
  /** Scratch for the fingerprints compared when a trace is rebuilt. */
  private readonly fingerprintOf = new Uint32Array(2);

  constructor(
    readonly model: Model<S, A>,
    readonly properties: readonly Property<S>[],
    private readonly options: ExploreOptions<S, A>,
  ) {
    for (const key of ['maxDepth', 'maxStates', 'timeoutMs', 'progressIntervalMs'] as const) {
      const value = options[key];
      if (value !== undefined && !(value >= 0)) throw new RangeError(`explore: ${key} must be a non-negative number, got ${value}`);
    }
    this.maxDepth = options.maxDepth ?? Infinity;
    this.maxStates = options.maxStates ?? Infinity;
    this.clock = options.clock ?? (() => performance.now());
    this.progressIntervalMs = options.progressIntervalMs ?? 3000;
    this.continueAfterViolation = options.continueAfterViolation ?? false;
    this.violated = properties.map(() => false);
    properties.forEach((p, j) => (p.kind === 'always' ? this.always : this.terminals).push(j));
    this.hasTerminal = this.terminals.length > 0;
    this.onTransition = options.onTransition;
    this.startMs = this.clock();
    this.lastProgressMs = this.startMs;
    this.deadline = options.timeoutMs === undefined ? Infinity : this.startMs + options.timeoutMs;
  }

  /** Checks the `always` properties on a newly stored state; true if the search must stop. */
  checkAlways(state: S, index: number, depth: number): boolean {
    const always = this.always;
    for (let k = 0; k < always.length; k++) {
      const j = always[k]!;
      if (this.violated[j]) continue;
      const p = this.properties[j]!;
      if (!p.holds(state)) this.recordAt(j, state, index, depth, p.explain?.(state) ?? `${p.name} does not hold`);
    }
    return this.halt !== undefined;
  }

  /** Counts a state without successors and checks the `terminal` properties on it; true if the search must stop. */
  checkTerminal(state: S, index: number, depth: number): boolean {
    this.terminal++;
    const terminals = this.terminals;
    for (let k = 0; k < terminals.length; k++) {
      const j = terminals[k]!;
      if (this.violated[j]) continue;
      const p = this.properties[j]!;
      if (!p.holds(state)) {
        this.recordAt(j, state, index, depth, p.explain?.(state) ?? `${p.name} does not hold in a state without successors`);
      }
    }
    return this.halt !== undefined;
  }

  /** Whether a cycle would still violate some terminal property (worth looking for). */
  wantsCycles(): boolean {
    for (const j of this.terminals) if (!this.violated[j]) return true;
    return false;
  }

  /**
   * A cycle: from stored state `index` (at `depth`), action #actionIndex
   * reaches a state equal to the `loopStart`-th state of its trace. It
   * violates every terminal property (no terminal state is reached along the
   * loop); each one not yet violated gets the same lasso, the first terminal
   * property first. True if the search must stop.
   */
  recordLasso(index: number, actionIndex: number, loopStart: number, depth: number): boolean {
    const { trace, last } = rebuildTrace(this.model, this.store, index);
    const action = this.model.actions(last)[actionIndex]!;
    const repeat = this.model.next(last, action);
    // The replayed loop must close on the replayed states too.
    const closing = new Uint32Array(2);
    this.model.fingerprint(repeat, closing);
    this.model.fingerprint(trace.states[loopStart]!, this.fingerprintOf);
    if (closing[0] !== this.fingerprintOf[0] || closing[1] !== this.fingerprintOf[1]) {
      throw new Error('trace replay: the replayed cycle does not close (is the model deterministic?)');
    }
    const lasso = {
      initIndex: trace.initIndex,
      labels: [...trace.labels, this.model.label(action)],
      states: [...trace.states, repeat],
      loopStart,
    };
    const steps = lasso.labels.length - loopStart;
    for (const j of this.terminals) {
      if (this.violated[j]) continue;
      const p = this.properties[j]!;
      const explanation = `a cycle of ${steps} step(s) returns to state ${loopStart} of the trace: no state without successors is reached along it`;
      this.record(j, { property: p.name, category: p.category, trace: lasso, explanation }, depth + 1);
    }
    return this.halt !== undefined;
  }

  /** Throws if a state has more actions than the store can index. */
  checkActionCount(count: number): void {
    if (count > MAX_ACTIONS_PER_STATE) {
      throw new Error(`a state has ${count} enabled actions; the explorer supports at most ${MAX_ACTIONS_PER_STATE}`);
    }
  }

  /** Notes a state at maxDepth whose successors are left unexplored. */
  cutAtDepth(): void {
    if (this.depthCut) return;
    this.depthCut = true;
    this.options.listener?.onBound?.('depth');
  }

  /** The state limit stops the search: a new state would exceed maxStates. */
  stopAtStateLimit(): void {
    this.halt = 'states';
    this.options.listener?.onBound?.('states');
  }

  /** Reads the clock (call every 256 ticks): timeout and progress. True if the search must stop. */
  poll(queued: number, depth: number): boolean {
    const now = this.clock();
    if (now >= this.deadline) {
      this.halt = 'time';
      this.options.listener?.onBound?.('time');
      return true;
    }
    if (now - this.lastProgressMs >= this.progressIntervalMs) {
      this.lastProgressMs = now;
      this.options.listener?.onProgress?.(this.progress(now, queued, depth));
    }
    return false;
  }

  progress(now: number, queued: number, depth: number): ExploreProgress {
    const elapsedMs = now - this.startMs;
    const distinct = this.store.size;
    return {
      distinct,
      transitions: this.transitions,
      queued,
      depth,
      elapsedMs,
      statesPerSecond: elapsedMs > 0 ? (distinct * 1000) / elapsedMs : 0,
    };
  }

  now(): number {
    return this.clock();
  }

  private recordAt(j: number, state: S, index: number, depth: number, explanation: string): void {
    // The replay must reach the very state that was checked.
    this.model.fingerprint(state, this.fingerprintOf);
    const { trace } = rebuildTrace(this.model, this.store, index, this.fingerprintOf);
    const p = this.properties[j]!;
    this.record(j, { property: p.name, category: p.category, trace, explanation }, depth);
  }

  private record(j: number, violation: Violation<S>, depth: number): void {
    this.violated[j] = true;
    this.violations.push(violation);
    this.options.listener?.onViolation?.(violation.property, depth);
    if (!this.continueAfterViolation) this.halt = 'violation';
  }
}
