/**
 * A queue of states kept as bytes (core/codec.ts), for one BFS level: each
 * entry is the state's store index and its encoding. Entries are written into
 * chunks of about CHUNK_BYTES; a full chunk is sealed and, once the chunks in
 * memory exceed `memoryBytes`, written to a temporary file (`spill`) and read
 * back when the queue is consumed. Consumption is front to back, once.
 *
 * Why bytes: a level of BFS is the widest set of states a search holds; as
 * objects it cost about 700 bytes per state on the FBL spec, and bytes can go
 * to a file or another thread. A sealed chunk is compressed (raw deflate at
 * level 1): states of one level repeat each other's sub-objects, so an FBL
 * chunk shrinks 15 to 30 times (about 370 bytes per state encoded, 15 to 25
 * compressed) for about 5 ms per megabyte each way.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { join } from 'node:path';
import { ByteReader, ByteWriter, type StateCodec } from '../core/codec.js';

/** A chunk is sealed at 1 MB, or at an eighth of the memory share if that is smaller (at least 64 KB). */
const CHUNK_BYTES = 1 << 20;
const MIN_CHUNK_BYTES = 1 << 16;

interface Chunk {
  /** Compressed, in memory; undefined once spilled. */
  bytes: Uint8Array | undefined;
  /** Where a spilled chunk sits in the spill file. */
  fileOffset: number;
  /** Compressed length. */
  length: number;
}

export interface StateQueueOptions {
  /** Bytes of sealed chunks kept in memory before the rest spills to a file (default: unbounded). */
  readonly memoryBytes?: number;
  /** Directory for the spill file (default: the OS's temporary directory). */
  readonly spillDirectory?: string;
}

/** Statistics of the queues of one search, shared by its levels. */
export interface QueueStats {
  /** Bytes written to spill files, over the whole search. */
  spilledBytes: number;
  /** Largest number of bytes one level's queue held in memory. */
  peakMemoryBytes: number;
}

export class StateQueue<S> {
  private readonly chunks: Chunk[] = [];
  private current = new ByteWriter(64 * 1024);
  private count = 0;
  private inMemory = 0;
  private spillFile: { dir: string; fd: number; size: number } | undefined;
  private readonly chunkBytes: number;

  constructor(
    private readonly codec: StateCodec,
    private readonly stats: QueueStats,
    private readonly options: StateQueueOptions = {},
  ) {
    this.chunkBytes = Math.max(MIN_CHUNK_BYTES, Math.min(CHUNK_BYTES, Math.floor((options.memoryBytes ?? Infinity) / 8)));
  }

  get length(): number {
    return this.count;
  }

  /** Bytes this queue holds in memory now. */
  get memoryBytes(): number {
    return this.inMemory + this.current.bytes.length;
  }

  push(index: number, state: S): void {
    const out = this.current;
    out.varint(index);
    this.codec.encode(state, out);
    this.count++;
    if (out.length >= this.chunkBytes) this.seal();
  }

  /** Appends an entry already encoded (its index, then the state's bytes). */
  pushEncoded(index: number, encoded: Uint8Array): void {
    this.current.varint(index);
    this.current.append(encoded);
    this.count++;
    if (this.current.length >= this.chunkBytes) this.seal();
  }

  /**
   * Consumes the queue front to back: calls `visit(index, state)` for each
   * entry until it returns true (stop) or the queue is exhausted. Returns how
   * many entries were visited. Each chunk is released once read.
   */
  drain(visit: (index: number, state: S, position: number) => boolean): number {
    this.seal();
    let position = 0;
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c]!;
      if (chunk.bytes !== undefined) this.inMemory -= chunk.length;
      const bytes = inflateRawSync(chunk.bytes ?? this.readBack(chunk));
      chunk.bytes = undefined;
      const reader = new ByteReader(bytes);
      while (!reader.done) {
        const index = reader.varint();
        const state = this.codec.decode(reader) as S;
        if (visit(index, state, position++)) return position;
      }
    }
    return position;
  }

  /**
   * The queue's entries as its compressed chunks (read back from the spill
   * file where spilled), without consuming them: for a checkpoint.
   * `restoreChunks` on an empty queue of the same codec dictionary gives
   * the same entries.
   */
  exportChunks(): Uint8Array[] {
    this.seal();
    return this.chunks.map((chunk) => chunk.bytes ?? this.readBack(chunk));
  }

  /** Appends `count` entries given as compressed chunks (from `exportChunks`). */
  restoreChunks(chunks: readonly Uint8Array[], count: number): void {
    this.seal();
    for (const bytes of chunks) {
      this.chunks.push({ bytes, fileOffset: -1, length: bytes.length });
      this.inMemory += bytes.length;
    }
    this.count += count;
    const limit = this.options.memoryBytes ?? Infinity;
    if (this.inMemory > limit) this.spill(limit);
  }

  /** Deletes the spill file, if any. */
  dispose(): void {
    if (this.spillFile === undefined) return;
    closeSync(this.spillFile.fd);
    rmSync(this.spillFile.dir, { recursive: true, force: true });
    this.spillFile = undefined;
  }

  private seal(): void {
    if (this.current.length === 0) return;
    const bytes = deflateRawSync(this.current.view(), { level: 1 });
    this.chunks.push({ bytes, fileOffset: -1, length: bytes.length });
    this.inMemory += bytes.length;
    this.current.clear();
    const limit = this.options.memoryBytes ?? Infinity;
    if (this.inMemory > limit) this.spill(limit);
    if (this.inMemory > this.stats.peakMemoryBytes) this.stats.peakMemoryBytes = this.inMemory;
  }

  /** Writes the oldest in-memory chunks to the spill file until the rest fits. */
  private spill(limit: number): void {
    const file = (this.spillFile ??= this.openSpillFile());
    for (const chunk of this.chunks) {
      if (this.inMemory <= limit) break;
      if (chunk.bytes === undefined) continue;
      let written = 0;
      while (written < chunk.length) written += writeSync(file.fd, chunk.bytes, written, chunk.length - written, file.size + written);
      chunk.fileOffset = file.size;
      file.size += chunk.length;
      this.stats.spilledBytes += chunk.length;
      this.inMemory -= chunk.length;
      chunk.bytes = undefined;
    }
  }

  private readBack(chunk: Chunk): Uint8Array {
    if (this.spillFile === undefined) throw new Error('internal: a spilled chunk without a spill file');
    const bytes = new Uint8Array(chunk.length);
    let read = 0;
    while (read < chunk.length) {
      const n = readSync(this.spillFile.fd, bytes, read, chunk.length - read, chunk.fileOffset + read);
      if (n === 0) throw new Error('the spill file was truncated');
      read += n;
    }
    return bytes;
  }

  private openSpillFile(): { dir: string; fd: number; size: number } {
    const dir = mkdtempSync(join(this.options.spillDirectory ?? tmpdir(), 'rrcheck-queue-'));
    const fd = openSync(join(dir, 'level.bin'), 'w+');
    return { dir, fd, size: 0 };
  }
}
