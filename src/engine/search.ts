/**
 * What BFS and DFS share: the options, the visited store, property checks,
 * violation records, bounds and progress reports. One Search per explore()
 * call, so two checks in one process share nothing.
 */
import { cycleFinding, duplicateLabel, duplicateLabelError, findingOf, type Finding, type Model, type Property, type StopReason, type Trace, type Violation } from '../core/index.js';
import { StateCodec } from '../core/codec.js';
import { Interner } from '../core/interner.js';
import { FingerprintStore, MAX_ACTIONS_PER_STATE } from './fingerprintStore.js';
import { StateQueue, type QueueStats } from './stateQueue.js';
import type { ParallelSettings } from './parallel.js';
import type { WorkerTarget } from './parallelProtocol.js';
import { rebuildTrace } from './rebuildTrace.js';
import { StateGraph, type GraphLasso } from './stateGraph.js';
import { encodeSnapshot, type CheckpointSink, type Snapshot } from './checkpoint.js';
import { ExitCode, UserError } from '../core/exitCodes.js';

/** A progress report of a running search. */
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

/** How explore() searches: the strategy, bounds, listeners, memory, workers and reductions. */
export interface ExploreOptions<S = unknown, A = unknown> {
  /**
   * bfs: the first violation found has a shortest trace; cycles are looked
   * for once the search is complete (over the recorded graph). dfs: cycles
   * are found as back edges while searching.
   */
  strategy: 'bfs' | 'dfs';
  /**
   * Look for cycles, which violate every `terminal` property (default true;
   * it costs nothing without terminal properties). When false, or when the
   * search could not check cycles, a terminal property that did not fail is
   * `unknown` (reason `cycles-not-checked`), never `holds`.
   */
  cycleCheck?: boolean;
  /** States at this depth are stored and checked but not expanded. */
  maxDepth?: number;
  /** Stop before storing more distinct states than this. */
  maxStates?: number;
  timeoutMs?: number;
  /**
   * Polled where the clock is read (every 256 steps, and in a parallel
   * search's waits): once it returns true the search stops with `stoppedBy:
   * 'interrupted'`. The engine never touches process signals; the command
   * line turns SIGINT and SIGTERM into this.
   */
  interrupted?: () => boolean;
  /** Default false: stop at the first violation (TLC style). */
  continueAfterViolation?: boolean;
  listener?: ExploreListener;
  /** Default 3000. */
  progressIntervalMs?: number;
  /** Milliseconds; default performance.now. Injectable for tests. */
  clock?: () => number;
  onTransition?: TransitionObserver<S, A>;
  /**
   * Bytes the whole process may use (resident set size). BFS keeps the
   * queued states of a level in memory up to a quarter of it and spills the
   * rest to a temporary file; once the process's resident size passes 90 %
   * of it, the search stops with `stoppedBy: 'memory'`. Absent: no bound,
   * nothing spills.
   */
  memoryBytes?: number;
  /**
   * Worker threads for BFS (default 1: this thread only). More than one
   * needs `workerTarget`; levels of at least `parallelThreshold` states
   * (default 2,000) are then expanded by the workers, with the same results
   * as one thread (parallel.ts). Ignored for DFS and with `onTransition`.
   */
  workers?: number;
  workerTarget?: WorkerTarget;
  parallelThreshold?: number;
  /** Where BFS's queue spills (default: the OS's temporary directory). */
  spillDirectory?: string;
  /** Resident set size in bytes; default process.memoryUsage.rss. Injectable for tests. */
  memoryProbe?: () => number;
  /**
   * Use the model's partial-order reduction (`Model.ample`) where it has one
   * (default true; false explores every enabled action).
   */
  partialOrder?: boolean;
  /**
   * BFS on one thread: hand a snapshot of the search to this sink at level
   * boundaries (checkpoint.ts), at most every `intervalMs`. With it, the
   * search runs on this thread only (`workers` is ignored). Not for DFS.
   */
  checkpoint?: CheckpointSink;
  /**
   * A snapshot (decodeSnapshot of a CheckpointSink's parts, concatenated)
   * to go on from, instead of starting at the initial states: BFS on this
   * thread only. The target must be built with the snapshot's
   * `modelShared` as its shared memory, from the same parameters and with
   * the same options; the result is then the one the uninterrupted search
   * gives.
   */
  resume?: Snapshot;
}

/** Why the search ended early, if it did. */
export type Halt = StopReason | 'violation';

export class Search<S, A> {
  readonly store: FingerprintStore;
  /** Scratch for fingerprints: the hot loops reuse it. */
  readonly fp = new Uint32Array(2);
  readonly maxDepth: number;
  readonly maxStates: number;
  readonly violations: Violation<S>[] = [];
  /** violated[j]: properties[j] has a recorded violation. */
  readonly violated: boolean[];
  readonly hasTerminal: boolean;
  /** Cycles are to be looked for: some terminal property and `cycleCheck` not false. */
  readonly cycleCheck: boolean;
  /**
   * Set by the strategy: every cycle of the explored graph was looked for
   * (DFS: tracked on the stack throughout; BFS: the graph check ran).
   */
  cyclesChecked = false;
  /** BFS's recorded graph while it is kept (for the statistics if the search stops early). */
  graph: StateGraph | undefined;
  /** Peak bytes of a dropped graph and its cycle check (the store's per-state index not included). */
  graphBytes = 0;
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
  readonly continueAfterViolation: boolean;
  /** Scratch for the fingerprints compared when a trace is rebuilt. */
  private readonly fingerprintOf = new Uint32Array(2);
  /** The codec's record shapes and strings (shared with the workers of a parallel search; restored from a snapshot on resume). */
  readonly dictionary: Interner;
  /** Encodes the states BFS queues. */
  readonly codec: StateCodec;
  /** The snapshot this search goes on from (ExploreOptions.resume), decoded. */
  readonly resumed: Snapshot | undefined;
  /** Where each violation recorded at a stored state was found (for snapshots: their traces are rebuilt by replay). */
  private readonly violationSites: { property: number; index: number; depth: number }[] = [];
  /** Search time of the run(s) before a resume (counted in elapsed time and progress). */
  private priorElapsedMs = 0;
  private lastCheckpointMs: number;
  /** Bytes of the parallel search's shared fingerprint tables (their latest sizes), and of its workers' queues. */
  sharedTableBytes = 0;
  readonly queueStats: QueueStats = { spilledBytes: 0, peakMemoryBytes: 0 };
  /** Largest resident set size read at a poll. */
  peakRssBytes = 0;
  /** How BFS goes parallel, if it may. */
  readonly parallel: ParallelSettings | undefined;
  /** Set once levels were expanded by workers. */
  workersUsed = 1;
  /** The model's `ample` is used (partial-order reduction). */
  readonly partialOrder: boolean;
  /** States expanded by a proper subset of their actions. */
  reducedStates = 0;
  /** DFS: states whose subset the cycle proviso refused (a successor on the stack), expanded fully. */
  provisoRefusals = 0;
  /**
   * BFS, set once the search is complete: some cycle of the explored graph
   * passes only through states expanded by a subset, so the cycle proviso
   * does not hold and the `always` properties that did not fail are unknown.
   */
  provisoFailed = false;
  private readonly memoryProbe: () => number;
  private readonly memoryBytes: number;

  constructor(
    readonly model: Model<S, A>,
    readonly properties: readonly Property<S>[],
    private readonly options: ExploreOptions<S, A>,
    /** The model's shared memory (target.shared): for the workers, and saved in snapshots. */
    readonly shared?: unknown,
  ) {
    for (const key of ['maxDepth', 'maxStates', 'timeoutMs', 'progressIntervalMs', 'memoryBytes'] as const) {
      const value = options[key];
      if (value !== undefined && !(value >= 0)) throw new RangeError(`explore: ${key} must be a non-negative number, got ${value}`);
    }
    if ((options.checkpoint !== undefined || options.resume !== undefined) && options.strategy !== 'bfs') {
      throw new RangeError('explore: checkpoints and resuming are for breadth-first search only');
    }
    this.resumed = options.resume;
    this.dictionary = new Interner(this.resumed?.dictionary);
    this.codec = new StateCodec(this.dictionary);
    this.maxDepth = options.maxDepth ?? Infinity;
    this.maxStates = options.maxStates ?? Infinity;
    this.clock = options.clock ?? (() => performance.now());
    this.progressIntervalMs = options.progressIntervalMs ?? 3000;
    this.continueAfterViolation = options.continueAfterViolation ?? false;
    this.violated = properties.map(() => false);
    properties.forEach((p, j) => (p.kind === 'always' ? this.always : this.terminals).push(j));
    this.hasTerminal = this.terminals.length > 0;
    this.cycleCheck = this.hasTerminal && options.cycleCheck !== false;
    this.partialOrder = options.partialOrder !== false && typeof model.ample === 'function';
    // BFS resolves duplicate successors to their state index to record the graph, and for the cycle proviso.
    this.store = new FingerprintStore({ indexed: (this.cycleCheck || this.partialOrder) && options.strategy !== 'dfs' });
    this.onTransition = options.onTransition;
    this.startMs = this.clock();
    this.lastProgressMs = this.startMs;
    this.lastCheckpointMs = this.startMs;
    this.deadline = options.timeoutMs === undefined ? Infinity : this.startMs + options.timeoutMs;
    this.memoryBytes = options.memoryBytes ?? Infinity;
    this.memoryProbe = options.memoryProbe ?? (() => process.memoryUsage.rss());
    const workers = options.workers ?? 1;
    if (!(Number.isSafeInteger(workers) && workers >= 1)) throw new RangeError(`explore: workers must be a positive integer, got ${workers}`);
    this.parallel =
      workers > 1 &&
      options.workerTarget !== undefined &&
      options.strategy === 'bfs' &&
      options.onTransition === undefined &&
      options.checkpoint === undefined &&
      options.resume === undefined
        ? { workers, target: options.workerTarget, shared, threshold: options.parallelThreshold ?? 2000 }
        : undefined;
  }

  /**
   * The indices of the actions to explore from `state` under partial-order
   * reduction, or undefined for all of them. Throws if the model's answer
   * is not a proper, ascending subset of the action indices.
   */
  ampleOf(state: S, actions: readonly A[]): readonly number[] | undefined {
    if (!this.partialOrder || actions.length < 2) return undefined;
    const subset = this.model.ample!(state, actions);
    if (subset === undefined) return undefined;
    checkSubset(subset, actions.length);
    return subset;
  }

  /** Reads the resident set size once more; the largest seen during the search. */
  samplePeakRss(): number {
    this.pastMemoryBound();
    return this.peakRssBytes;
  }

  /** Reads the resident set size (a system call), keeps the peak; true past 90 % of the memory bound. */
  private pastMemoryBound(): boolean {
    const rss = this.memoryProbe();
    if (rss > this.peakRssBytes) this.peakRssBytes = rss;
    return rss > 0.9 * this.memoryBytes;
  }

  /** Bytes a BFS level's queue keeps in memory before it spills (Infinity: no bound). */
  queueMemoryShare(): number {
    return this.memoryBytes / 4;
  }

  get spillDirectory(): string | undefined {
    return this.options.spillDirectory;
  }

  /** Whether the timeout or the memory bound has been reached (for a parallel search's waits). */
  pastDeadline(): boolean {
    return this.interruptRequested() || this.clock() >= this.deadline || this.pastMemoryBound();
  }

  /** Whether the caller asked the search to stop (ExploreOptions.interrupted). */
  interruptRequested(): boolean {
    return this.options.interrupted?.() === true;
  }

  /** A parallel search stopped in the middle of a level: interrupted, at the timeout, or at the memory bound. */
  stopAtDeadlineOrMemory(): void {
    this.halt = this.interruptRequested() ? 'interrupted' : this.clock() >= this.deadline ? 'time' : 'memory';
    this.options.listener?.onBound?.(this.halt);
  }

  /** The parallel search's shared tables and queues, after a level. */
  noteSharedTables(views: readonly { slots: Uint32Array; values: Int32Array | undefined }[], queueBytes: number, spilledBytes: number): void {
    this.sharedTableBytes = views.reduce((sum, v) => sum + v.slots.byteLength + (v.values?.byteLength ?? 0), 0);
    if (queueBytes > this.queueStats.peakMemoryBytes) this.queueStats.peakMemoryBytes = queueBytes;
    this.queueStats.spilledBytes = Math.max(this.queueStats.spilledBytes, spilledBytes);
  }

  /** The model gave state `index` two actions of one label (found by a worker): throws the ModelError checkLabels throws. */
  failAtDuplicateLabel(index: number): never {
    const { last } = rebuildTrace(this.model, this.store, index);
    this.checkLabels(this.model.actions(last), index);
    throw new Error('internal: a worker reported a duplicate label that replay does not show');
  }

  /**
   * Records a violation of property j found by a worker in stored state
   * `index` at `depth`: the state is rebuilt by replay, as the sequential
   * search would have checked it.
   */
  recordStoredViolation(j: number, index: number, depth: number): void {
    const { last } = rebuildTrace(this.model, this.store, index);
    const p = this.properties[j]!;
    this.recordAt(j, last, index, depth, findingOf(p, last));
  }

  /** An empty queue for a BFS level, with this search's memory share and spill directory. */
  newQueue<T>(): StateQueue<T> {
    const memoryBytes = this.memoryBytes / 4;
    return new StateQueue<T>(this.codec, this.queueStats, {
      ...(Number.isFinite(memoryBytes) ? { memoryBytes } : {}),
      ...(this.options.spillDirectory === undefined ? {} : { spillDirectory: this.options.spillDirectory }),
    });
  }

  /** Checks the `always` properties on a newly stored state; true if the search must stop. */
  checkAlways(state: S, index: number, depth: number): boolean {
    const always = this.always;
    for (let k = 0; k < always.length; k++) {
      const j = always[k]!;
      if (this.violated[j]) continue;
      const p = this.properties[j]!;
      if (!p.holds(state)) this.recordAt(j, state, index, depth, findingOf(p, state));
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
        this.recordAt(j, state, index, depth, findingOf(p, state));
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
    const lasso = {
      initIndex: trace.initIndex,
      labels: [...trace.labels, this.model.label(action)],
      states: [...trace.states, repeat],
      loopStart,
    };
    this.recordCycle(lasso, depth + 1, true);
    return this.halt !== undefined;
  }

  /**
   * A cycle found in BFS's recorded graph once the search is over: the stem
   * is the parent-link path to `lasso.start`, the loop replays its action
   * indices. Recorded like a DFS lasso, but it does not halt the search (the
   * search is over: nothing was skipped for it).
   */
  recordGraphLasso(lasso: GraphLasso): void {
    const { trace, last } = rebuildTrace(this.model, this.store, lasso.start);
    const labels = [...trace.labels];
    const states = [...trace.states];
    let state = last;
    for (const k of lasso.loop) {
      const action = this.model.actions(state)[k];
      if (action === undefined) throw new Error('trace replay: the recorded cycle names an action that is not enabled (is the model deterministic?)');
      labels.push(this.model.label(action));
      state = this.model.next(state, action);
      states.push(state);
    }
    this.recordCycle({ initIndex: trace.initIndex, labels, states, loopStart: trace.labels.length }, labels.length, false);
  }

  /** Records a lasso for every terminal property not yet violated, after checking that the replayed loop closes. */
  private recordCycle(lasso: Trace<S> & { readonly loopStart: number }, depth: number, halts: boolean): void {
    // The replayed loop must close on the replayed states too.
    const closing = new Uint32Array(2);
    this.model.fingerprint(lasso.states.at(-1)!, closing);
    this.model.fingerprint(lasso.states[lasso.loopStart]!, this.fingerprintOf);
    if (closing[0] !== this.fingerprintOf[0] || closing[1] !== this.fingerprintOf[1]) {
      throw new Error('trace replay: the replayed cycle does not close (is the model deterministic?)');
    }
    const steps = lasso.labels.length - lasso.loopStart;
    for (const j of this.terminals) {
      if (this.violated[j]) continue;
      const p = this.properties[j]!;
      const finding = cycleFinding(steps, lasso.loopStart);
      this.record(j, { property: p.name, category: p.category, trace: lasso, explanation: finding.summary, finding }, depth, halts);
    }
  }

  /**
   * Throws ModelError if two of `actions` (the enabled actions of stored
   * state `index`) share a label: a trace could not say which one it took.
   */
  checkLabels(actions: readonly A[], index: number): void {
    if (actions.length < 2) return;
    const label = duplicateLabel(this.model, actions);
    if (label === undefined) return;
    const { trace } = rebuildTrace(this.model, this.store, index);
    throw duplicateLabelError(label, trace.initIndex, trace.labels);
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

  /** Reads the clock (call every 256 ticks): interruption, timeout and progress. True if the search must stop. */
  poll(queued: number, depth: number): boolean {
    if (this.interruptRequested()) {
      this.halt = 'interrupted';
      this.options.listener?.onBound?.('interrupted');
      return true;
    }
    const now = this.clock();
    if (now >= this.deadline) {
      this.halt = 'time';
      this.options.listener?.onBound?.('time');
      return true;
    }
    // Reading the resident size costs a system call: every 16th poll (about 4,000 steps).
    if ((this.ticks & 4095) === 0 && this.pastMemoryBound()) {
      this.halt = 'memory';
      this.options.listener?.onBound?.('memory');
      return true;
    }
    if (now - this.lastProgressMs >= this.progressIntervalMs) {
      this.lastProgressMs = now;
      this.options.listener?.onProgress?.(this.progress(now, queued, depth));
    }
    return false;
  }

  /** Milliseconds searched up to `now`, the runs before a resume included. */
  elapsedAt(now: number): number {
    return now - this.startMs + this.priorElapsedMs;
  }

  progress(now: number, queued: number, depth: number): ExploreProgress {
    const elapsedMs = this.elapsedAt(now);
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

  /** Whether a checkpoint is due (a sink is set and its interval has passed since the last one, or the start). */
  checkpointDue(): boolean {
    const sink = this.options.checkpoint;
    return sink !== undefined && this.clock() - this.lastCheckpointMs >= sink.intervalMs;
  }

  /** Hands a snapshot of the search at the start of level `depth` (its queue `frontier`, not yet drained) to the sink. */
  saveCheckpoint(depth: number, frontier: StateQueue<S>, graph: StateGraph | undefined): void {
    const sink = this.options.checkpoint;
    if (sink === undefined) return;
    const parts = encodeSnapshot({
      counters: {
        depth,
        transitions: this.transitions,
        initLookups: this.initLookups,
        terminal: this.terminal,
        maxDepthSeen: this.maxDepthSeen,
        reducedStates: this.reducedStates,
        provisoRefusals: this.provisoRefusals,
        elapsedMs: this.elapsedAt(this.clock()),
        graphBytes: this.graphBytes,
        spilledBytes: this.queueStats.spilledBytes,
        queuePeakBytes: this.queueStats.peakMemoryBytes,
        violations: this.violationSites,
      },
      store: this.store.exportArrays(),
      graph: graph?.exportArrays(),
      dictionary: this.dictionary.memory(),
      modelShared: this.shared,
      frontier: { count: frontier.length, chunks: frontier.exportChunks() },
    });
    const bytes = parts.reduce((sum, p) => sum + p.length, 0);
    sink.save(parts, { distinct: this.store.size, depth, queued: frontier.length, bytes });
    this.lastCheckpointMs = this.clock();
  }

  /**
   * Restores the resumed snapshot into this fresh search: the store, the
   * counters, the violations (rebuilt by replay) and `frontier`'s entries.
   * Returns the recorded graph (undefined if none was kept) and the depth
   * of the level to expand next.
   */
  restoreSnapshot(frontier: StateQueue<S>, wantsGraph: boolean): { graph: StateGraph | undefined; depth: number } {
    const snapshot = this.resumed!;
    const c = snapshot.counters;
    if ((snapshot.store.values !== undefined) !== this.store.indexed || (snapshot.graph !== undefined && !wantsGraph)) {
      throw new UserError('the checkpoint was written by a search of other options (cycle check or partial-order reduction differ)', ExitCode.malformedFile);
    }
    this.store.restore(snapshot.store);
    this.transitions = c.transitions;
    this.initLookups = c.initLookups;
    this.terminal = c.terminal;
    this.maxDepthSeen = c.maxDepthSeen;
    this.reducedStates = c.reducedStates;
    this.provisoRefusals = c.provisoRefusals;
    this.priorElapsedMs = c.elapsedMs;
    this.graphBytes = c.graphBytes;
    this.queueStats.spilledBytes = c.spilledBytes;
    this.queueStats.peakMemoryBytes = c.queuePeakBytes;
    for (const v of c.violations) this.recordStoredViolation(v.property, v.index, v.depth);
    frontier.restoreChunks(snapshot.frontier.chunks, snapshot.frontier.count);
    return { graph: snapshot.graph === undefined ? undefined : StateGraph.restore(snapshot.graph), depth: c.depth };
  }

  private recordAt(j: number, state: S, index: number, depth: number, finding: Finding): void {
    this.violationSites.push({ property: j, index, depth });
    // The replay must reach the very state that was checked.
    this.model.fingerprint(state, this.fingerprintOf);
    const { trace } = rebuildTrace(this.model, this.store, index, this.fingerprintOf);
    const p = this.properties[j]!;
    this.record(j, { property: p.name, category: p.category, trace, explanation: finding.summary, finding }, depth);
  }

  private record(j: number, violation: Violation<S>, depth: number, halts = true): void {
    this.violated[j] = true;
    this.violations.push(violation);
    this.options.listener?.onViolation?.(violation.property, depth);
    if (halts && !this.continueAfterViolation) this.halt = 'violation';
  }
}

/** Throws unless `subset` holds ascending action indices below `count`, at least one and fewer than `count`. */
export function checkSubset(subset: readonly number[], count: number): void {
  let ok = subset.length >= 1 && subset.length < count;
  for (let i = 0; ok && i < subset.length; i++) {
    const k = subset[i]!;
    ok = Number.isInteger(k) && k >= 0 && k < count && (i === 0 || k > subset[i - 1]!);
  }
  if (!ok) throw new Error(`model.ample returned [${subset.slice(0, 8).join(', ')}], not a proper ascending subset of the ${count} action indices`);
}
