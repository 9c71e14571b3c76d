/**
 * Compact byte encodings of states, for the search's queue (a level of BFS
 * kept as bytes, spilled to a file when it outgrows its memory share) and for
 * states crossing between worker threads.
 *
 * It encodes exactly the values the fingerprint accepts (hash.ts: arrays,
 * plain records, Set, Map, numbers, bigint, strings, booleans, null,
 * undefined) and decodes them to equal values: records keep their key order
 * (a record without prototype comes back as a plain one, which the
 * fingerprint does not tell apart),
 * Sets and Maps their iteration order, arrays their order, -0 stays -0. A
 * decoded state is a fresh tree of plain, unfrozen objects that shares
 * nothing with the encoded one.
 *
 * Record shapes (their key lists) and strings are written as ids of a
 * `CodecDictionary`: an interner over shared memory, so that one encoding
 * means the same in every thread that attaches to the dictionary, and an
 * encoding is self-contained given it (encodings can be cut, copied and
 * concatenated freely).
 *
 * Format: one tag byte per value; tags ≥ SMALL are the integers 0 …
 * 255 − SMALL in the tag itself (most numbers of a protocol state: pids,
 * counters, small sets), other integers are varints, other numbers 8 bytes.
 */
import { ModelError } from './exitCodes.js';

/** The dictionary a codec writes shapes and strings into: tuples of integers to ids (system/interner.ts is one). */
export interface CodecDictionary {
  intern(tuple: readonly number[]): number;
  tuple(id: number): readonly number[];
}

const UNDEFINED = 0;
const NULL = 1;
const FALSE = 2;
const TRUE = 3;
const INT = 4;
const NEG_INT = 5;
const FLOAT = 6;
const STRING = 7;
const ARRAY = 8;
const RECORD = 9;
const SET = 10;
const MAP = 11;
const BIGINT = 12;
const SMALL = 16;
const SMALL_MAX = 255 - SMALL;

const STRING_KIND = 1;
const SHAPE_KIND = 2;



/** A growable byte buffer written front to back. */
export class ByteWriter {
  bytes: Uint8Array;
  length = 0;

  constructor(capacity = 4096) {
    this.bytes = new Uint8Array(capacity);
  }

  reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < need) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  byte(b: number): void {
    if (this.length === this.bytes.length) this.reserve(1);
    this.bytes[this.length++] = b;
  }

  /** A non-negative integer up to 2^53, 7 bits per byte. */
  varint(v: number): void {
    this.reserve(8);
    const bytes = this.bytes;
    let at = this.length;
    while (v >= 128) {
      bytes[at++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    bytes[at++] = v;
    this.length = at;
  }

  float(v: number): void {
    this.reserve(8);
    new DataView(this.bytes.buffer, this.bytes.byteOffset + this.length, 8).setFloat64(0, v, true);
    this.length += 8;
  }

  append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** The bytes written (a view: copy it before writing more). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }
}

/** Reads what a ByteWriter wrote, front to back. */
export class ByteReader {
  at: number;

  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.at = start;
  }

  get done(): boolean {
    return this.at >= this.end;
  }

  byte(): number {
    if (this.at >= this.end) throw new RangeError('codec: read past the end of an encoding');
    return this.bytes[this.at++]!;
  }

  varint(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      v += (b & 127) * scale;
      if (b < 128) return v;
      scale *= 128;
    }
  }

  float(): number {
    if (this.at + 8 > this.end) throw new RangeError('codec: read past the end of an encoding');
    const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.at, 8).getFloat64(0, true);
    this.at += 8;
    return v;
  }
}

type Remembered = Record<symbol, Uint8Array | undefined>;

export class StateCodec {
  /**
   * A decoded record remembers the bytes it was decoded from (a
   * view into the source buffer, no copy), in a non-enumerable slot under
   * this codec's own symbol (another codec's dictionary numbers differently):
   * the successors of a decoded state share most of its sub-objects (immer's
   * structural sharing), so encoding them copies those bytes instead of
   * walking the sub-objects again. Spreads and immer's copies ignore the
   * slot, so a changed copy never inherits stale bytes. (Arrays are not
   * remembered: most are short lists of numbers, cheaper to encode again.)
   */
  private readonly remembered = Symbol('rrcheck.encoded');
  /** This thread's caches of the dictionary: text or key list → id, id → decoded. */
  private readonly stringIds = new Map<string, number>();
  private readonly shapeIds = new Map<string, number>();
  private readonly strings: (string | undefined)[] = [];
  private readonly shapes: (readonly string[] | undefined)[] = [];

  constructor(private readonly dictionary: CodecDictionary) {}

  /** Appends the encoding of `value` to `out`. Throws ModelError for a value the fingerprint would reject too. */
  encode(value: unknown, out: ByteWriter): void {
    switch (typeof value) {
      case 'number':
        if (Number.isInteger(value) && !Object.is(value, -0) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) {
          if (value >= 0 && value <= SMALL_MAX) out.byte(SMALL + value);
          else if (value >= 0) {
            out.byte(INT);
            out.varint(value);
          } else {
            out.byte(NEG_INT);
            out.varint(-value);
          }
        } else {
          out.byte(FLOAT);
          out.float(value);
        }
        return;
      case 'string':
        out.byte(STRING);
        out.varint(this.stringId(value));
        return;
      case 'boolean':
        out.byte(value ? TRUE : FALSE);
        return;
      case 'undefined':
        out.byte(UNDEFINED);
        return;
      case 'bigint':
        out.byte(BIGINT);
        out.varint(this.stringId(value.toString()));
        return;
      case 'object': {
        if (value === null) {
          out.byte(NULL);
          return;
        }
        const remembered = (value as Remembered)[this.remembered];
        if (remembered !== undefined) {
          out.append(remembered);
          return;
        }
        if (Array.isArray(value)) {
          out.byte(ARRAY);
          out.varint(value.length);
          for (let i = 0; i < value.length; i++) this.encode(value[i], out);
          return;
        }
        const proto = Object.getPrototypeOf(value) as unknown;
        if (proto === Object.prototype || proto === null) {
          const keys = Object.keys(value);
          out.byte(RECORD);
          out.varint(this.shapeId(keys));
          const record = value as Record<string, unknown>;
          for (let i = 0; i < keys.length; i++) this.encode(record[keys[i]!], out);
          return;
        }
        if (proto === Set.prototype) {
          const set = value as Set<unknown>;
          out.byte(SET);
          out.varint(set.size);
          for (const v of set) this.encode(v, out);
          return;
        }
        if (proto === Map.prototype) {
          const map = value as Map<unknown, unknown>;
          out.byte(MAP);
          out.varint(map.size);
          for (const [k, v] of map) {
            this.encode(k, out);
            this.encode(v, out);
          }
          return;
        }
        break;
      }
      default:
        break;
    }
    throw new ModelError(
      `a state holds a value the explorer cannot store (${typeof value === 'object' ? Object.prototype.toString.call(value) : typeof value}); see "What a state may hold"`,
      'unhashable-value',
    );
  }

  /** Decodes one value at the reader's position, advancing it. */
  decode(reader: ByteReader): unknown {
    const tag = reader.byte();
    if (tag >= SMALL) return tag - SMALL;
    switch (tag) {
      case UNDEFINED:
        return undefined;
      case NULL:
        return null;
      case FALSE:
        return false;
      case TRUE:
        return true;
      case INT:
        return reader.varint();
      case NEG_INT:
        return -reader.varint();
      case FLOAT:
        return reader.float();
      case STRING:
        return this.string(reader.varint());
      case BIGINT:
        return BigInt(this.string(reader.varint()));
      case ARRAY: {
        const length = reader.varint();
        const array = new Array<unknown>(length);
        for (let i = 0; i < length; i++) array[i] = this.decode(reader);
        return array;
      }
      case RECORD: {
        const start = reader.at - 1;
        const keys = this.shape(reader.varint());
        const record: Record<string, unknown> = {};
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i]!;
          // An own "__proto__" key must stay a key: assigning it would set the prototype.
          if (key === '__proto__') Object.defineProperty(record, key, { value: this.decode(reader), enumerable: true, writable: true, configurable: true });
          else record[key] = this.decode(reader);
        }
        this.remember(record, reader.bytes.subarray(start, reader.at));
        return record;
      }
      case SET: {
        const size = reader.varint();
        const set = new Set<unknown>();
        for (let i = 0; i < size; i++) set.add(this.decode(reader));
        return set;
      }
      case MAP: {
        const size = reader.varint();
        const map = new Map<unknown, unknown>();
        for (let i = 0; i < size; i++) {
          const k = this.decode(reader);
          map.set(k, this.decode(reader));
        }
        return map;
      }
      default:
        throw new RangeError(`codec: unknown tag ${tag} at byte ${reader.at - 1}`);
    }
  }

  private remember(value: object, bytes: Uint8Array): void {
    Object.defineProperty(value, this.remembered, { value: bytes });
  }

  private stringId(text: string): number {
    let id = this.stringIds.get(text);
    if (id === undefined) {
      const tuple = [STRING_KIND];
      for (let i = 0; i < text.length; i++) tuple.push(text.charCodeAt(i));
      id = this.dictionary.intern(tuple);
      this.stringIds.set(text, id);
      this.strings[id] = text;
    }
    return id;
  }

  private shapeId(keys: readonly string[]): number {
    // The key count first: [] and [''] would both join to ''.
    const text = `${keys.length}\u0000${keys.join('\u0000')}`;
    let id = this.shapeIds.get(text);
    if (id === undefined) {
      id = this.dictionary.intern([SHAPE_KIND, ...keys.map((k) => this.stringId(k))]);
      this.shapeIds.set(text, id);
      this.shapes[id] = keys.slice();
    }
    return id;
  }

  private string(id: number): string {
    let text = this.strings[id];
    if (text === undefined) {
      const tuple = this.dictionary.tuple(id);
      if (tuple[0] !== STRING_KIND) throw new RangeError(`codec: dictionary entry ${id} is not a string`);
      text = String.fromCharCode(...tuple.slice(1));
      this.strings[id] = text;
      this.stringIds.set(text, id);
    }
    return text;
  }

  private shape(id: number): readonly string[] {
    let keys = this.shapes[id];
    if (keys === undefined) {
      const tuple = this.dictionary.tuple(id);
      if (tuple[0] !== SHAPE_KIND) throw new RangeError(`codec: dictionary entry ${id} is not a record shape`);
      keys = tuple.slice(1).map((s) => this.string(s));
      this.shapes[id] = keys;
      this.shapeIds.set(`${keys.length}\u0000${keys.join('\u0000')}`, id);
    }
    return keys;
  }
}
