/**
 * Checkpoints of a breadth-first search: everything the search needs to go
 * on from the start of a level, as bytes (the engine never touches files;
 * cli/ writes and reads them).
 *
 * A snapshot is taken at a level boundary (the level at `depth` is complete,
 * nothing of it expanded): there the search's state is small and
 * consistent — the visited store (fingerprints, parent links, action
 * indices), the recorded state graph of the cycle check (when one is kept),
 * the counters, the violations recorded so far (as store indices: their
 * traces are rebuilt by replay), the queued states of the level (compressed
 * chunks, as the queue holds them), the codec's dictionary, and the model's
 * shared memory (`target.shared`: an interner's buffers, say), since the
 * queued states and the fingerprints hold ids it assigned. A search resumed
 * from it does exactly what the interrupted one would have done from there.
 *
 * Layout: the magic `RRSNAP01`, a uint32 (little-endian) length, a JSON
 * object (the counters, and the name and byte length of every section, in
 * order), then the sections' bytes one after another.
 */
import { UserError, ExitCode } from '../core/exitCodes.js';
import type { InternerMemory } from '../core/interner.js';
import type { StoreArrays } from './fingerprintStore.js';
import type { GraphArrays } from './stateGraph.js';

const MAGIC = 'RRSNAP01';

/** Where a BFS delivers its snapshots (ExploreOptions.checkpoint). */
export interface CheckpointSink {
  /** Milliseconds between snapshots: one is taken at the first level boundary this long after the last (0: at every level). */
  readonly intervalMs: number;
  /**
   * Receives a snapshot as parts to be written one after another (their
   * concatenation is what `ExploreOptions.resume` takes), with what it
   * covers. An exception here stops the search; catch what may fail.
   */
  save(parts: readonly Uint8Array[], summary: SnapshotSummary): void;
}

/** What a snapshot covers, for the caller's messages. */
export interface SnapshotSummary {
  /** Distinct states stored. */
  readonly distinct: number;
  /** The depth of the level it resumes at. */
  readonly depth: number;
  /** States queued at that level. */
  readonly queued: number;
  readonly bytes: number;
}

/** The search's counters at the boundary. */
export interface SnapshotCounters {
  readonly depth: number;
  readonly transitions: number;
  readonly initLookups: number;
  readonly terminal: number;
  readonly maxDepthSeen: number;
  readonly reducedStates: number;
  readonly provisoRefusals: number;
  readonly elapsedMs: number;
  readonly graphBytes: number;
  readonly spilledBytes: number;
  readonly queuePeakBytes: number;
  /** Violations recorded so far (with continueAfterViolation): property index, store index, depth. */
  readonly violations: readonly { readonly property: number; readonly index: number; readonly depth: number }[];
}

/** A decoded snapshot. */
export interface Snapshot {
  readonly counters: SnapshotCounters;
  readonly store: StoreArrays;
  readonly graph: GraphArrays | undefined;
  readonly dictionary: InternerMemory;
  /** The model's shared memory (its `target.shared`), rebuilt: build the target with it as `context.shared`. */
  readonly modelShared: unknown;
  readonly frontier: { readonly count: number; readonly chunks: readonly Uint8Array[] };
}

interface Section {
  readonly name: string;
  readonly bytes: number;
}

interface Meta {
  readonly counters: SnapshotCounters;
  readonly actionBytes: 1 | 2;
  readonly indexed: boolean;
  readonly graph: 'none' | 'plain' | 'actions';
  readonly dictionary: unknown;
  readonly modelShared: unknown;
  readonly frontierCount: number;
  readonly frontierChunks: number;
  readonly sections: readonly Section[];
}

/** A growable SharedArrayBuffer (ES2024; the project's lib is ES2023). */
type Growable = SharedArrayBuffer & { readonly growable?: boolean; readonly maxByteLength?: number };
const GrowableSharedArrayBuffer = SharedArrayBuffer as unknown as new (bytes: number, options?: { maxByteLength: number }) => SharedArrayBuffer;

const bytesOf = (view: ArrayBufferView): Uint8Array => new Uint8Array(view.buffer, view.byteOffset, view.byteLength);

/**
 * A structured-clonable value of plain objects, arrays, primitives and
 * (shared) array buffers as JSON, its buffers moved into `sections`
 * (each named `${prefix}${k}`).
 */
function encodeShared(value: unknown, prefix: string, sections: Uint8Array[], names: Section[]): unknown {
  if (value === undefined) return { $undefined: true };
  if (value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof SharedArrayBuffer || value instanceof ArrayBuffer) {
    const name = `${prefix}${names.length}`;
    const growable = value as Growable;
    sections.push(new Uint8Array(value).slice());
    names.push({ name, bytes: value.byteLength });
    return { $buffer: name, shared: value instanceof SharedArrayBuffer, ...(growable.growable === true ? { maxByteLength: growable.maxByteLength } : {}) };
  }
  if (Array.isArray(value)) return value.map((v) => encodeShared(v, prefix, sections, names));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return { $object: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeShared(v, prefix, sections, names)])) };
  }
  throw new Error(`checkpoint: the model's shared memory holds a value that cannot be saved (${Object.prototype.toString.call(value)})`);
}

function decodeShared(shape: unknown, sections: ReadonlyMap<string, Uint8Array>): unknown {
  if (shape === null || typeof shape !== 'object') return shape;
  if (Array.isArray(shape)) return shape.map((v) => decodeShared(v, sections));
  const record = shape as Record<string, unknown>;
  if (record['$undefined'] === true) return undefined;
  if (typeof record['$buffer'] === 'string') {
    const bytes = sections.get(record['$buffer']);
    if (bytes === undefined) throw malformed(`section ${record['$buffer']} is missing`);
    const max = record['maxByteLength'];
    const buffer =
      record['shared'] === true
        ? typeof max === 'number'
          ? new GrowableSharedArrayBuffer(bytes.length, { maxByteLength: max })
          : new SharedArrayBuffer(bytes.length)
        : new ArrayBuffer(bytes.length);
    new Uint8Array(buffer).set(bytes);
    return buffer;
  }
  const fields = record['$object'];
  if (fields === null || typeof fields !== 'object') throw malformed('a shared value of unknown shape');
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, decodeShared(v, sections)]));
}

function malformed(what: string): UserError {
  return new UserError(`the checkpoint's search snapshot is damaged: ${what}`, ExitCode.malformedFile);
}

/** Encodes a snapshot (see the module comment); returns its parts, to be written in order. */
export function encodeSnapshot(snapshot: Snapshot): Uint8Array[] {
  const sections: Uint8Array[] = [];
  const names: Section[] = [];
  const add = (name: string, view: ArrayBufferView): void => {
    sections.push(bytesOf(view));
    names.push({ name, bytes: view.byteLength });
  };
  add('parents', snapshot.store.parents);
  add('actions', snapshot.store.actions);
  add('fingerprints', snapshot.store.fingerprints);
  if (snapshot.store.values !== undefined) add('values', snapshot.store.values);
  const { graph } = snapshot;
  if (graph !== undefined) {
    add('graph.offsets', graph.offsets);
    add('graph.targets', graph.targets);
    if (graph.actions !== undefined) add('graph.actions', graph.actions);
    add('graph.reduced', graph.reduced);
  }
  const dictionary = encodeShared(snapshot.dictionary, 'dictionary.', sections, names);
  const modelShared = encodeShared(snapshot.modelShared, 'model.', sections, names);
  snapshot.frontier.chunks.forEach((chunk, k) => add(`frontier.${k}`, chunk));
  const meta: Meta = {
    counters: snapshot.counters,
    actionBytes: snapshot.store.actions instanceof Uint16Array ? 2 : 1,
    indexed: snapshot.store.values !== undefined,
    graph: graph === undefined ? 'none' : graph.actions === undefined ? 'plain' : 'actions',
    dictionary,
    modelShared,
    frontierCount: snapshot.frontier.count,
    frontierChunks: snapshot.frontier.chunks.length,
    sections: names,
  };
  const json = new TextEncoder().encode(JSON.stringify(meta));
  const head = new Uint8Array(MAGIC.length + 4);
  head.set(new TextEncoder().encode(MAGIC));
  new DataView(head.buffer).setUint32(MAGIC.length, json.length, true);
  return [head, json, ...sections];
}

/** Decodes `encodeSnapshot`'s bytes; a damaged snapshot is a UserError (malformedFile). */
export function decodeSnapshot(bytes: Uint8Array): Snapshot {
  if (bytes.length < MAGIC.length + 4 || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) throw malformed('it does not start with the snapshot mark');
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset + MAGIC.length, 4).getUint32(0, true);
  let at = MAGIC.length + 4;
  if (at + jsonLength > bytes.length) throw malformed('it is truncated');
  let meta: Meta;
  try {
    meta = JSON.parse(new TextDecoder().decode(bytes.subarray(at, at + jsonLength))) as Meta;
  } catch {
    throw malformed('its description is not JSON');
  }
  at += jsonLength;
  const sections = new Map<string, Uint8Array>();
  for (const s of meta.sections) {
    if (at + s.bytes > bytes.length) throw malformed('it is truncated');
    // A copy into a buffer of its own (not `slice`, which is a view for a Buffer): typed arrays need aligned offsets.
    const copy = new Uint8Array(s.bytes);
    copy.set(bytes.subarray(at, at + s.bytes));
    sections.set(s.name, copy);
    at += s.bytes;
  }
  if (at !== bytes.length) throw malformed('it has bytes past its last section');
  const section = (name: string): Uint8Array => {
    const b = sections.get(name);
    if (b === undefined) throw malformed(`section ${name} is missing`);
    return b;
  };
  const int32 = (name: string) => new Int32Array(section(name).buffer);
  const actionBytes = section('actions');
  const store: StoreArrays = {
    parents: int32('parents'),
    actions: meta.actionBytes === 2 ? new Uint16Array(actionBytes.buffer) : actionBytes,
    fingerprints: new Uint32Array(section('fingerprints').buffer),
    ...(meta.indexed ? { values: int32('values') } : {}),
  };
  if (store.fingerprints.length !== 2 * store.parents.length || store.actions.length !== store.parents.length) throw malformed('its store arrays differ in length');
  const graph: GraphArrays | undefined =
    meta.graph === 'none'
      ? undefined
      : {
          offsets: int32('graph.offsets'),
          targets: int32('graph.targets'),
          ...(meta.graph === 'actions' ? { actions: int32('graph.actions') } : {}),
          reduced: section('graph.reduced'),
        };
  const chunks = Array.from({ length: meta.frontierChunks }, (_, k) => section(`frontier.${k}`));
  return {
    counters: meta.counters,
    store,
    graph,
    dictionary: decodeShared(meta.dictionary, sections) as InternerMemory,
    modelShared: decodeShared(meta.modelShared, sections),
    frontier: { count: meta.frontierCount, chunks },
  };
}
