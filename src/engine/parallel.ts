/**
 * Parallel BFS: the levels of one search expanded by worker threads, with the
 * same stored states, state indices, parent links, statistics, verdicts and
 * counterexamples as the sequential BFS (bfs.ts), for any number of workers.
 *
 * The visited fingerprints are partitioned by owner (lo mod workers); each
 * partition is a FingerprintTable in shared memory that only its owner
 * writes and every worker reads. A level takes three rounds, each ended by a
 * barrier (the coordinator waits for every reply), so reads and writes of
 * the tables never overlap and no lock is needed:
 *
 * 1. expand — each worker expands the queued states it holds (in index
 *    order) and looks each successor up in its owner's partition. A
 *    successor not stored before is a candidate: the worker keeps its
 *    encoding and sends the owner its discovery key (parent index and action
 *    index, see parallelProtocol.ts) and fingerprint, once per level (a
 *    successor it meets again has a larger key). It checks the `always`
 *    properties on candidates and the `terminal` ones on its states without
 *    successors, reporting the least key per property.
 * 2. dedup — each owner keeps, per new fingerprint, the candidate with the
 *    least key: the first discovery in the sequential order, so the same
 *    representative state, parent and action. It reports its winners' keys,
 *    sorted.
 * 3. assign — the coordinator merges the owners' keys: the merged order is
 *    the sequential order of the level's new states, so state i of it gets
 *    index levelEnd + i. It stops where the sequential search would stop
 *    (the least key of a violation, of the state that passes --max-states,
 *    of a duplicate label), stores the parent links of the states before
 *    it, and tells each owner the indices; owners insert their winners into
 *    their partitions and tell each producer what became of its candidates.
 * 4. enqueue — each worker queues its winning candidates for the next level
 *    (as bytes, compressed, spilling past its memory share): a state is
 *    expanded by the worker that discovered it, so the successors of one
 *    state stay together and most diamonds (a·b = b·a) close within a worker
 *    without crossing threads. For the state graph of the cycle check it
 *    resolves its successors' targets to state indices.
 *
 * Statistics at a stop are counted as the sequential search counts them at
 * that point (transitions and terminal states of the states expanded before
 * it, states stored before it). A timeout or the memory bound stops at a
 * level's end, or discards the level being expanded (nondeterministic anyway).
 *
 * The coordinator blocks in Atomics.wait while the workers run (explore is
 * synchronous) and reads their replies with receiveMessageOnPort.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { ByteWriter } from '../core/codec.js';
import { ModelError } from '../core/exitCodes.js';
import type { SharedTableView } from './fingerprintTable.js';
import {
  CONTROL_DONE,
  CONTROL_STOP,
  EXPANDED_BY_SUBSET,
  KEY_SCALE,
  type Command,
  type Reply,
  type ViolationCandidate,
  type WorkerFailure,
  type WorkerSetup,
  type WorkerTarget,
} from './parallelProtocol.js';
import type { Search } from './search.js';
import type { StateGraph } from './stateGraph.js';
import type { StateQueue } from './stateQueue.js';

export interface ParallelSettings {
  readonly workers: number;
  readonly target: WorkerTarget;
  /** The caller's target's shared memory, handed to each worker's builder. */
  readonly shared: unknown;
  /** Expand in parallel once a level holds at least this many states. */
  readonly threshold: number;
}

/** The BFS's handle on its state graph (kept while a cycle check is still wanted). */
export interface GraphHandle {
  get(): StateGraph | undefined;
  /** Drops the graph (its memory counted first). */
  drop(): void;
}

/** Milliseconds the coordinator sleeps at most before it looks at the clock again. */
const WAIT_SLICE_MS = 50;

class Pool {
  private readonly control: Int32Array;
  private readonly ports: MessagePort[] = [];
  private readonly threads: Worker[] = [];
  private expected = 0;

  constructor(
    readonly size: number,
    setup: Omit<WorkerSetup, 'index' | 'workers' | 'control' | 'port'>,
    private readonly deadlineReached: () => boolean,
  ) {
    const buffer = new SharedArrayBuffer(8);
    this.control = new Int32Array(buffer);
    const script = workerScript();
    for (let index = 0; index < size; index++) {
      const channel = new MessageChannel();
      const data: WorkerSetup = { ...setup, index, workers: size, control: buffer, port: channel.port2 };
      // A larger young generation: expansion allocates short-lived states at a high rate (fewer scavenges).
      this.threads.push(new Worker(script, { workerData: data, transferList: [channel.port2], resourceLimits: { maxYoungGenerationSizeMb: 64 } }));
      this.ports.push(channel.port1);
    }
    this.expected = size;
  }

  /** Waits for the replies to what was sent (the `ready` of a fresh pool); one per worker, by worker index. */
  collect(): Reply[] {
    for (;;) {
      const done = Atomics.load(this.control, CONTROL_DONE);
      if (done >= this.expected) break;
      if (this.deadlineReached()) Atomics.store(this.control, CONTROL_STOP, 1);
      Atomics.wait(this.control, CONTROL_DONE, done, WAIT_SLICE_MS);
    }
    const replies = this.ports.map((port) => {
      const received = receiveMessageOnPort(port);
      if (received === undefined) throw new Error('internal: a worker raised the done counter without a reply');
      return received.message as Reply;
    });
    for (const r of replies) if (r.kind === 'failed') throw failure(r.failure);
    return replies;
  }

  /** Sends one command per worker and waits for every reply. */
  round(command: (index: number) => { command: Command; transfer?: ArrayBuffer[] }): Reply[] {
    for (let w = 0; w < this.size; w++) {
      const { command: c, transfer } = command(w);
      this.ports[w]!.postMessage(c, transfer ?? []);
    }
    this.expected += this.size;
    return this.collect();
  }

  get stopped(): boolean {
    return Atomics.load(this.control, CONTROL_STOP) !== 0;
  }

  close(): void {
    for (const port of this.ports) {
      port.postMessage({ kind: 'quit' } satisfies Command);
      port.close();
    }
    for (const t of this.threads) void t.terminate();
  }
}

/**
 * The compiled worker module next to this one. Run from the TypeScript
 * sources (the test runner), this module is src/engine/parallel.ts and the
 * worker is taken from the build in dist/ (npm test builds first): worker
 * threads load compiled modules only.
 */
function workerScript(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL(here.replace(/\/src\/engine\/parallel\.ts$/, '/dist/src/engine/parallelWorker.js'));
  return new URL('./parallelWorker.js', here);
}

function failure(f: WorkerFailure): Error {
  return f.modelErrorKind === undefined ? new Error(f.message) : new ModelError(f.message, f.modelErrorKind);
}

function expect<K extends Reply['kind']>(reply: Reply, kind: K): Extract<Reply, { kind: K }> {
  if (reply.kind !== kind) throw new Error(`internal: a worker replied ${reply.kind} where ${kind} was expected`);
  return reply as Extract<Reply, { kind: K }>;
}

/**
 * Runs the rest of a BFS in parallel, from `frontier` (the complete level at
 * `depth`, the last states stored). Returns how many stored states were left
 * unexpanded, as bfs does.
 */
export function parallelLevels<S, A>(search: Search<S, A>, settings: ParallelSettings, frontier: StateQueue<S>, depth: number, graph: GraphHandle): number {
  const n = settings.workers;
  const pool = new Pool(
    n,
    {
      target: settings.target,
      shared: settings.shared,
      dictionary: search.dictionary.memory(),
      queueMemoryBytes: search.queueMemoryShare() / n,
      spillDirectory: search.spillDirectory,
    },
    () => search.pastDeadline(),
  );
  try {
    pool.collect();
    return levels(search, pool, frontier, depth, graph);
  } finally {
    pool.close();
  }
}

function levels<S, A>(search: Search<S, A>, pool: Pool, frontier: StateQueue<S>, firstDepth: number, graph: GraphHandle): number {
  const { store, properties } = search;
  const n = pool.size;
  // Load: the stored fingerprints by owner, the frontier dealt round-robin.
  const fingerprints: number[][] = Array.from({ length: n }, () => []);
  store.forEachStored((hi, lo, index) => fingerprints[(lo >>> 0) % n]!.push(hi, lo, index));
  let width = frontier.length;
  const parts = Array.from({ length: n }, () => ({ indices: [] as number[], offsets: [0], bytes: new ByteWriter() }));
  frontier.drain((index, state, position) => {
    // Round-robin: a state found by two workers goes to the one whose parent has the smaller index, so contiguous parts would drift to worker 0.
    const part = parts[position % n]!;
    part.indices.push(index);
    search.codec.encode(state, part.bytes);
    part.offsets.push(part.bytes.length);
    return false;
  });
  let views: SharedTableView[] = pool
    .round((w) => {
      const part = parts[w]!;
      const command: Command = {
        kind: 'load',
        fingerprints: Uint32Array.from(fingerprints[w]!),
        indices: Int32Array.from(part.indices),
        offsets: Int32Array.from(part.offsets),
        bytes: part.bytes.view().slice(),
      };
      return { command };
    })
    .map((r) => expect(r, 'loaded').view);

  for (let depth = firstDepth; width > 0; depth++) {
    const levelStart = store.size - width;
    const always = properties.flatMap((p, j) => (p.kind === 'always' && !search.violated[j] ? [j] : []));
    const terminal = properties.flatMap((p, j) => (p.kind === 'terminal' && !search.violated[j] ? [j] : []));
    const wantGraph = graph.get() !== undefined;
    const expanded = pool
      .round(() => ({
        command: { kind: 'expand', depth, maxDepth: search.maxDepth, views, always, terminal, graph: wantGraph, partialOrder: search.partialOrder },
      }))
      .map((r) => expect(r, 'expanded'));
    if (pool.stopped || expanded.some((e) => e.stopped)) {
      search.stopAtDeadlineOrMemory();
      return width;
    }
    const owned = pool.round((o) => {
      const inboxes = expanded.map((e) => e.outboxes[o]!);
      return { command: { kind: 'dedup', inboxes }, transfer: inboxes.map((b) => b.buffer as ArrayBuffer) };
    });
    const ownerKeys = owned.map((r) => expect(r, 'deduplicated').keys);
    const merged = mergeKeys(ownerKeys);

    // Where the sequential search would stop in this level, and why.
    const violations = expanded.flatMap((e) => e.violations).sort((a, b) => a.key - b.key || a.property - b.property);
    let stopKey = Infinity;
    const stateLimitRank = search.maxStates - store.size;
    if (merged.keys.length > stateLimitRank) stopKey = merged.keys[stateLimitRank]!;
    const duplicateLabelKey = Math.min(...expanded.map((e) => (e.duplicateLabelKey < 0 ? Infinity : e.duplicateLabelKey)));
    stopKey = Math.min(stopKey, duplicateLabelKey);
    let recorded: ViolationCandidate[] = [];
    if (search.continueAfterViolation) {
      const seen = new Set<number>();
      for (const v of violations) if (v.key < stopKey && !seen.has(v.property)) (seen.add(v.property), recorded.push(v));
    } else if (violations.length > 0 && violations[0]!.key < stopKey) {
      stopKey = violations[0]!.key;
      recorded = violations.filter((v) => v.key === stopKey);
    }
    const stopsAtViolation = !search.continueAfterViolation && recorded.length > 0;
    // States stored: those discovered before the stop, and a violating state itself.
    let stored = lowerBound(merged.keys, stopKey);
    if (stopsAtViolation && stored < merged.keys.length && merged.keys[stored] === stopKey) stored++;

    const globals = ownerKeys.map((keys) => new Int32Array(keys.length).fill(-1));
    for (let i = 0; i < stored; i++) {
      const key = merged.keys[i]!;
      const index = store.appendLink(Math.floor(key / KEY_SCALE), (key % KEY_SCALE) - 1);
      globals[merged.owner[i]!]![merged.rank[i]!] = index;
    }
    const assigned = pool
      .round((o) => ({ command: { kind: 'assign', globals: globals[o]!}, transfer: [globals[o]!.buffer as ArrayBuffer] }))
      .map((r) => expect(r, 'assigned'));
    views = assigned.map((a) => a.view);
    const graphWanted = wantGraph && stopKey === Infinity;
    const enqueued = pool
      .round((p) => {
        const resolved = assigned.map((a) => a.resolved[p]!);
        return { command: { kind: 'enqueue', resolved, graph: graphWanted }, transfer: resolved.map((r) => r.buffer as ArrayBuffer) };
      })
      .map((r) => expect(r, 'enqueued'));
    search.noteSharedTables(views, enqueued.reduce((sum, e) => sum + e.queueBytes, 0), enqueued.reduce((sum, e) => sum + e.spilledBytes, 0));

    // Statistics up to the stop, as the sequential search counts them.
    const stopState = stopKey === Infinity ? Infinity : Math.floor(stopKey / KEY_SCALE);
    const stopAction = stopKey === Infinity ? 0 : stopKey % KEY_SCALE;
    for (const e of expanded) {
      for (let i = 0, successor = 0; i < e.states.length; i++) {
        const degree = e.degrees[i]!;
        if (e.states[i]! > stopState) break;
        if (e.states[i]! === stopState) {
          // The stopping state: its transitions up to the stopping one (by a subset: those of smaller action index).
          let taken = stopAction;
          if (e.expansions.length > 0) {
            taken = 0;
            while (taken < degree && e.actions[successor + taken]! < stopAction) taken++;
          }
          search.transitions += taken;
          if (e.expansions[i] === EXPANDED_BY_SUBSET) search.reducedStates++;
          break;
        }
        if (degree > 0) search.transitions += degree;
        else if (degree === 0) search.terminal++;
        if (e.expansions[i] === EXPANDED_BY_SUBSET) search.reducedStates++;
        successor += Math.max(0, degree);
      }
    }
    if (stored > 0 && depth >= search.maxDepthSeen) search.maxDepthSeen = depth + 1;
    const depthCutKey = Math.min(...expanded.map((e) => (e.depthCutKey < 0 ? Infinity : e.depthCutKey)));
    if (depthCutKey < stopKey) {
      search.cutAtDepth();
      graph.drop();
    }

    if (stopKey === duplicateLabelKey && duplicateLabelKey !== Infinity) {
      search.failAtDuplicateLabel(stopState);
    }
    const terminalStop = recorded.some((v) => properties[v.property]!.kind === 'terminal');
    if (terminalStop && stopsAtViolation) search.terminal++;
    for (const v of recorded) {
      const q = Math.floor(v.key / KEY_SCALE);
      if (properties[v.property]!.kind === 'terminal') search.recordStoredViolation(v.property, q, depth);
      else search.recordStoredViolation(v.property, store.size - stored + lowerBound(merged.keys, v.key), depth + 1);
    }
    if (!search.wantsCycles() && !search.partialOrder) graph.drop();
    if (stopKey !== Infinity) {
      if (stopKey !== duplicateLabelKey && !stopsAtViolation) search.stopAtStateLimit();
      const position = stopState - levelStart;
      return width - position - (terminalStop && stopsAtViolation ? 1 : 0) + stored;
    }
    const g = graph.get();
    if (g !== undefined) addLevelToGraph(g, expanded, enqueued);
    width = stored;
    if (search.poll(width, depth + 1)) return width;
  }
  return 0;
}

/** Index of the first key ≥ key in an ascending array. */
function lowerBound(keys: Float64Array, key: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The owners' sorted key lists merged: keys ascending, with each one's owner and rank there. */
function mergeKeys(lists: readonly Float64Array[]): { keys: Float64Array; owner: Int32Array; rank: Int32Array } {
  const total = lists.reduce((sum, l) => sum + l.length, 0);
  const keys = new Float64Array(total);
  const owner = new Int32Array(total);
  const rank = new Int32Array(total);
  const at = new Array<number>(lists.length).fill(0);
  for (let i = 0; i < total; i++) {
    let best = -1;
    let bestKey = Infinity;
    for (let o = 0; o < lists.length; o++) {
      const k = at[o]! < lists[o]!.length ? lists[o]![at[o]!]! : Infinity;
      if (k < bestKey) {
        bestKey = k;
        best = o;
      }
    }
    keys[i] = bestKey;
    owner[i] = best;
    rank[i] = at[best]!++;
  }
  return { keys, owner, rank };
}

/** Appends the level's transitions to the state graph, state by state in index order. */
function addLevelToGraph(graph: StateGraph, expanded: readonly Extract<Reply, { kind: 'expanded' }>[], enqueued: readonly Extract<Reply, { kind: 'enqueued' }>[]): void {
  const next = expanded.map(() => 0);
  const targetAt = expanded.map(() => 0);
  for (;;) {
    let p = -1;
    let q = Infinity;
    for (let w = 0; w < expanded.length; w++) {
      const e = expanded[w]!;
      if (next[w]! < e.states.length && e.states[next[w]!]! < q) {
        q = e.states[next[w]!]!;
        p = w;
      }
    }
    if (p < 0) return;
    const e = expanded[p]!;
    const degree = Math.max(0, e.degrees[next[p]!]!);
    next[p]!++;
    graph.beginState(q);
    if (e.expansions[next[p]! - 1] === EXPANDED_BY_SUBSET) graph.markReduced();
    const targets = enqueued[p]!.targets;
    for (let k = 0; k < degree; k++) {
      const at = targetAt[p]!++;
      graph.addTransition(targets[at]!, e.actions.length > 0 ? e.actions[at]! : k);
    }
  }
}
