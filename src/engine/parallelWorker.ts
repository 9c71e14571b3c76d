/**
 * A worker thread of the parallel search (see parallel.ts for the
 * algorithm). It builds the check target itself (WorkerTarget), owns one
 * partition of the visited fingerprints and the queued states that fall in
 * it, and answers each command of the coordinator with one reply: the reply
 * is posted first, then the shared done counter is raised, so the
 * coordinator (blocked in Atomics.wait) finds it with receiveMessageOnPort.
 */
import { workerData } from 'node:worker_threads';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { ByteReader, ByteWriter, StateCodec } from '../core/codec.js';
import { ModelError } from '../core/exitCodes.js';
import { Interner } from '../core/interner.js';
import { duplicateLabel } from '../core/labels.js';
import type { Model, Property } from '../core/model.js';
import { FingerprintTable, sharedLookup } from './fingerprintTable.js';
import { MAX_ACTIONS_PER_STATE } from './fingerprintStore.js';
import { checkSubset } from './search.js';
import {
  CONTROL_DONE,
  CONTROL_STOP,
  EXPANDED_BY_SUBSET,
  EXPANDED_FULLY,
  KEY_SCALE,
  type Command, type Reply, type ViolationCandidate, type WorkerSetup } from './parallelProtocol.js';
import { StateQueue, type QueueStats } from './stateQueue.js';

const setup = workerData as WorkerSetup;
const port = setup.port;
const control = new Int32Array(setup.control);

function reply(message: Reply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
  Atomics.add(control, CONTROL_DONE, 1);
  Atomics.notify(control, CONTROL_DONE);
}

function fail(error: unknown, key: number): void {
  const message = error instanceof Error ? error.message : String(error);
  const failure = error instanceof ModelError ? { message, modelErrorKind: error.kind, key } : { message, key };
  reply({ kind: 'failed', failure });
}

/** What one level's dedup keeps until the assign (this worker as an owner). */
interface Winners {
  readonly keys: number[];
  /** The producer and candidate number of each winner's least-key discovery. */
  readonly producer: number[];
  readonly seq: number[];
  readonly hi: number[];
  readonly lo: number[];
  /** Per producer, the winner id of each of its candidates. */
  readonly of: number[][];
  /** Winner ids by rank (ascending key). */
  order: number[];
}

/** This worker's candidates of one level (as a producer), in discovery order, kept until the enqueue. */
interface Candidates {
  /** The encodings being written; sealed (compressed, as the queue's chunks are) past CANDIDATE_CHUNK bytes. */
  readonly bytes: ByteWriter;
  readonly sealed: { readonly compressed: Uint8Array; readonly first: number }[];
  /** Index of the first candidate in `bytes`. */
  first: number;
  /** Where candidate i's encoding ends in its chunk (it starts where i − 1 ends, or at 0 for a chunk's first). */
  readonly ends: number[];
  readonly owner: number[];
  readonly seq: number[];
  /** Per successor of the expanded states: a state index, or -(1 + seq * workers + owner) for a candidate. */
  readonly targets: number[];
}

/** Candidates' encodings are compressed in chunks of about this many bytes (a level's may be most of the memory). */
const CANDIDATE_CHUNK = 1 << 20;

/** Compresses the encodings written since the last seal; the next candidate starts a new chunk. */
function sealCandidates(c: Candidates): void {
  const count = c.ends.length;
  if (count === c.first) return;
  c.sealed.push({ compressed: deflateRawSync(c.bytes.view(), { level: 1 }), first: c.first });
  c.bytes.clear();
  c.first = count;
}

class Worker<S, A> {
  private readonly codec = new StateCodec(new Interner(setup.dictionary));
  private readonly stats: QueueStats = { spilledBytes: 0, peakMemoryBytes: 0 };
  private readonly partition = new FingerprintTable({ values: true, shared: true });
  private frontier: StateQueue<S>;
  private winners: Winners | undefined;
  private candidates: Candidates | undefined;
  private readonly fp = new Uint32Array(2);

  constructor(
    private readonly model: Model<S, A>,
    private readonly properties: readonly Property<S>[],
  ) {
    this.frontier = this.newQueue();
  }

  handle(command: Command): void {
    switch (command.kind) {
      case 'load':
        return this.load(command);
      case 'expand':
        return this.expand(command);
      case 'dedup':
        return this.dedup(command.inboxes);
      case 'assign':
        return this.assign(command.globals);
      case 'enqueue':
        return this.enqueue(command.resolved, command.graph);
      case 'quit':
        this.frontier.dispose();
        port.close();
        return;
    }
  }

  private newQueue(): StateQueue<S> {
    const memoryBytes = setup.queueMemoryBytes;
    return new StateQueue<S>(this.codec, this.stats, {
      ...(Number.isFinite(memoryBytes) ? { memoryBytes } : {}),
      ...(setup.spillDirectory === undefined ? {} : { spillDirectory: setup.spillDirectory }),
    });
  }

  private load(command: Extract<Command, { kind: 'load' }>): void {
    const f = command.fingerprints;
    for (let i = 0; i < f.length; i += 3) this.partition.addStored(f[i]!, f[i + 1]!, f[i + 2]!);
    for (let i = 0; i < command.indices.length; i++) {
      this.frontier.pushEncoded(command.indices[i]!, command.bytes.subarray(command.offsets[i]!, command.offsets[i + 1]!));
    }
    reply({ kind: 'loaded', view: this.partition.sharedView() });
  }

  private expand(command: Extract<Command, { kind: 'expand' }>): void {
    const { model, properties, fp } = this;
    const { views, depth, maxDepth } = command;
    const workers = setup.workers;
    const outboxes = Array.from({ length: workers }, () => new ByteWriter(64 * 1024));
    const seqs = new Array<number>(workers).fill(0);
    const candidates: Candidates = { bytes: new ByteWriter(1 << 20), sealed: [], first: 0, ends: [], owner: [], seq: [], targets: [] };
    const targets = candidates.targets;
    // A successor met again in this level by this worker goes to its owner once (its first discovery has the least key).
    const sent = new FingerprintTable({ values: true });
    const states: number[] = [];
    const degrees: number[] = [];
    const expansions: number[] = [];
    const actionIndices: number[] = [];
    const firstViolation = new Map<number, number>();
    let depthCutKey = -1;
    let duplicateLabelKey = -1;
    let stopped = false;
    let key = 0;
    const violated = (property: number, at: number): void => {
      const known = firstViolation.get(property);
      if (known === undefined || at < known) firstViolation.set(property, at);
    };
    try {
      this.frontier.drain((q, s) => {
        if ((q & 63) === 0 && Atomics.load(control, CONTROL_STOP) !== 0) {
          stopped = true;
          return true;
        }
        key = q * KEY_SCALE;
        const actions = model.actions(s);
        const n = actions.length;
        states.push(q);
        // One entry per state, aligned with `states` (a terminal or unexpanded state counts as fully expanded).
        if (command.partialOrder) expansions.push(EXPANDED_FULLY);
        if (n === 0) {
          degrees.push(0);
          for (const j of command.terminal) if (!properties[j]!.holds(s)) violated(j, key);
          return false;
        }
        if (depth >= maxDepth) {
          degrees.push(-1);
          if (depthCutKey < 0) depthCutKey = key;
          return false;
        }
        if (n > 1 && duplicateLabel(model, actions) !== undefined) {
          degrees.push(-1);
          duplicateLabelKey = key;
          return true;
        }
        if (n > MAX_ACTIONS_PER_STATE) throw new Error(`a state has ${n} enabled actions; the explorer supports at most ${MAX_ACTIONS_PER_STATE}`);
        const chosen = command.partialOrder ? this.ampleOf(s, actions) : undefined;
        const count = chosen === undefined ? n : chosen.length;
        degrees.push(count);
        if (chosen !== undefined) expansions[expansions.length - 1] = EXPANDED_BY_SUBSET;
        for (let i = 0; i < count; i++) {
          const k = chosen === undefined ? i : chosen[i]!;
          key = q * KEY_SCALE + k + 1;
          const t = model.next(s, actions[k]!);
          model.fingerprint(t, fp);
          const hi = fp[0]!;
          const lo = fp[1]!;
          if (command.partialOrder) actionIndices.push(k);
          const owner = (lo >>> 0) % workers;
          const found = sharedLookup(views[owner]!, hi, lo);
          if (found >= 0) {
            if (command.graph) targets.push(found);
            continue;
          }
          const code = seqs[owner]! * workers + owner;
          const first = sent.addOrGet(hi, lo, code);
          if (first >= 0) {
            if (command.graph) targets.push(-(1 + first));
            continue;
          }
          if (command.graph) targets.push(-(1 + code));
          for (const j of command.always) if (!properties[j]!.holds(t)) violated(j, key);
          // The encoding stays here: if it wins, this worker expands it next level.
          this.codec.encode(t, candidates.bytes);
          candidates.ends.push(candidates.bytes.length);
          candidates.owner.push(owner);
          candidates.seq.push(seqs[owner]!++);
          if (candidates.bytes.length >= CANDIDATE_CHUNK) sealCandidates(candidates);
          const out = outboxes[owner]!;
          out.varint(q);
          out.varint(k);
          out.varint(hi >>> 0);
          out.varint(lo >>> 0);
        }
        return false;
      });
    } catch (error) {
      fail(error, key);
      return;
    }
    // The level's queue is consumed; the next one is filled by the enqueue.
    this.frontier.dispose();
    this.frontier = this.newQueue();
    this.candidates = candidates;
    const boxes = outboxes.map((o) => o.view().slice());
    const violations: ViolationCandidate[] = [...firstViolation].map(([property, at]) => ({ property, key: at }));
    const statesArray = Int32Array.from(states);
    const degreesArray = Int32Array.from(degrees);
    const expansionsArray = Uint8Array.from(expansions);
    const actionsArray = Int32Array.from(actionIndices);
    reply(
      {
        kind: 'expanded',
        states: statesArray,
        degrees: degreesArray,
        expansions: expansionsArray,
        actions: actionsArray,
        outboxes: boxes,
        violations,
        depthCutKey,
        duplicateLabelKey,
        stopped,
      },
      [statesArray.buffer, degreesArray.buffer, expansionsArray.buffer, actionsArray.buffer, ...boxes.map((b) => b.buffer as ArrayBuffer)],
    );
  }

  /** The model's persistent subset of `actions` (as Search.ampleOf); the cycle proviso is checked on the graph afterwards. */
  private ampleOf(s: S, actions: readonly A[]): readonly number[] | undefined {
    if (actions.length < 2 || typeof this.model.ample !== 'function') return undefined;
    const indices = this.model.ample(s, actions);
    if (indices !== undefined) checkSubset(indices, actions.length);
    return indices;
  }

  /** As the owner: keeps the least-key discovery of each new fingerprint; replies the winners' keys in ascending order. */
  private dedup(inboxes: readonly Uint8Array[]): void {
    const level = new FingerprintTable({ values: true });
    const w: Winners = { keys: [], producer: [], seq: [], hi: [], lo: [], of: [], order: [] };
    for (let p = 0; p < inboxes.length; p++) {
      const reader = new ByteReader(inboxes[p]!);
      const of: number[] = [];
      w.of.push(of);
      for (let seq = 0; !reader.done; seq++) {
        const q = reader.varint();
        const k = reader.varint();
        const hi = reader.varint();
        const lo = reader.varint();
        const key = q * KEY_SCALE + k + 1;
        const id = w.keys.length;
        const known = level.addOrGet(hi, lo, id);
        if (known < 0) {
          w.keys.push(key);
          w.producer.push(p);
          w.seq.push(seq);
          w.hi.push(hi);
          w.lo.push(lo);
          of.push(id);
        } else {
          // The same state met again in this level: the sequential search keeps its first discovery.
          if (key < w.keys[known]!) {
            w.keys[known] = key;
            w.producer[known] = p;
            w.seq[known] = seq;
          }
          of.push(known);
        }
      }
    }
    w.order = w.keys.map((_, i) => i).sort((a, b) => w.keys[a]! - w.keys[b]!);
    this.winners = w;
    const keys = Float64Array.from(w.order, (id) => w.keys[id]!);
    reply({ kind: 'deduplicated', keys }, [keys.buffer]);
  }

  /**
   * As the owner: stores the winners given an index; replies, per producer,
   * each of its candidates' outcome: its index if it is the stored winner,
   * -(index + 2) if another candidate won for the same state, -1 if the
   * state is not stored (the search stops before it).
   */
  private assign(globals: Int32Array): void {
    const w = this.winners;
    if (w === undefined) throw new Error('internal: assign before dedup');
    this.winners = undefined;
    const indexOf = new Int32Array(w.keys.length).fill(-1);
    try {
      for (let rank = 0; rank < w.order.length; rank++) {
        const id = w.order[rank]!;
        const index = globals[rank]!;
        if (index < 0) continue;
        indexOf[id] = index;
        this.partition.addOrGet(w.hi[id]!, w.lo[id]!, index);
      }
    } catch (error) {
      fail(error, -1);
      return;
    }
    const resolved = w.of.map((ids, p) =>
      Int32Array.from(ids, (id, seq) => {
        const index = indexOf[id]!;
        if (index < 0) return -1;
        return w.producer[id] === p && w.seq[id] === seq ? index : -(index + 2);
      }),
    );
    reply({ kind: 'assigned', resolved, view: this.partition.sharedView() }, resolved.map((r) => r.buffer as ArrayBuffer));
  }

  /**
   * As a producer: queues its winning candidates (in discovery order, which
   * is index order) for the next level, and resolves its successors' targets
   * for the state graph. `resolved[owner]` is that owner's outcome list for
   * this producer's candidates.
   */
  private enqueue(resolved: readonly Int32Array[], graph: boolean): void {
    const c = this.candidates;
    if (c === undefined) throw new Error('internal: enqueue before expand');
    this.candidates = undefined;
    const workers = setup.workers;
    sealCandidates(c);
    try {
      for (let k = 0; k < c.sealed.length; k++) {
        const bytes = inflateRawSync(c.sealed[k]!.compressed);
        const end = k + 1 < c.sealed.length ? c.sealed[k + 1]!.first : c.owner.length;
        for (let i = c.sealed[k]!.first, start = 0; i < end; start = c.ends[i]!, i++) {
          const outcome = resolved[c.owner[i]!]![c.seq[i]!]!;
          if (outcome >= 0) this.frontier.pushEncoded(outcome, bytes.subarray(start, c.ends[i]!));
        }
      }
    } catch (error) {
      fail(error, -1);
      return;
    }
    let targets = new Int32Array(0);
    if (graph) {
      targets = Int32Array.from(c.targets, (t) => {
        if (t >= 0) return t;
        const code = -t - 1;
        const outcome = resolved[code % workers]![Math.floor(code / workers)]!;
        return outcome >= 0 ? outcome : outcome === -1 ? -1 : -outcome - 2;
      });
    }
    reply(
      { kind: 'enqueued', targets, queueBytes: this.frontier.memoryBytes, spilledBytes: this.stats.spilledBytes },
      [targets.buffer as ArrayBuffer],
    );
  }
}

async function start(): Promise<void> {
  try {
    const module = (await import(setup.target.module)) as Record<string, unknown>;
    const build = module[setup.target.exportName];
    if (typeof build !== 'function') throw new Error(`${setup.target.module} has no function export ${setup.target.exportName}`);
    const target = (await build(setup.target.args, setup.shared)) as { model: Model<unknown, unknown>; properties: readonly Property<unknown>[] };
    const worker = new Worker(target.model, target.properties);
    port.on('message', (command: Command) => {
      try {
        worker.handle(command);
      } catch (error) {
        fail(error, -1);
      }
    });
    reply({ kind: 'ready' });
  } catch (error) {
    fail(error, -1);
  }
}

void start();
