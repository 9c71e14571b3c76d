/**
 * The state codec: every value the fingerprint accepts comes back equal
 * (records in key order, Sets and Maps in iteration order, -0, NaN, bigint),
 * encodings are self-contained given the shared dictionary (another codec
 * attached to it decodes them), a decoded record's remembered bytes never
 * leak into a changed copy, and what the fingerprint rejects is rejected.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, Interner, ModelError, StateCodec } from '../../src/core/index.js';

const leaf = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 2 ** 53 - 1, -(2 ** 53) + 1, 239, 240, 255, 256),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('record'), tie('set'), tie('map')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  // A record without prototype decodes to a plain one (the fingerprint does not tell them apart): see below.
  record: fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 5, noNullPrototype: true }),
  set: fc.array(tie('value'), { maxLength: 4 }).map((xs) => new Set(xs)),
  map: fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 4 }).map((xs) => new Map(xs)),
}));

function roundTrip(codec: StateCodec, decoder: StateCodec, v: unknown): unknown {
  const out = new ByteWriter(16);
  codec.encode(v, out);
  const reader = new ByteReader(out.view().slice());
  const back = decoder.decode(reader);
  expect(reader.done).toBe(true);
  return back;
}

describe('StateCodec', () => {
  it('decodes every plain value to an equal one, key order and iteration order included', () => {
    const dictionary = new Interner();
    const codec = new StateCodec(dictionary);
    const other = new StateCodec(new Interner(dictionary.memory()));
    fc.assert(
      fc.property(value, (v) => {
        const back = roundTrip(codec, other, v);
        // toStrictEqual tells -0 from 0, NaN equals NaN, and compares Sets and Maps by content.
        expect(back).toStrictEqual(v);
        expect(JSON.stringify(back, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x instanceof Set || x instanceof Map ? [...x] : x))).toBe(
          JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x instanceof Set || x instanceof Map ? [...x] : x)),
        );
      }),
      { seed: 7, numRuns: 500 },
    );
  });

  it('decodes a record without prototype, and an own __proto__ key, to plain records with the same keys', () => {
    const codec = new StateCodec(new Interner());
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    expect(roundTrip(codec, codec, bare)).toStrictEqual({ a: 1 });
    const proto = JSON.parse('{"__proto__": {"x": 1}, "y": 2}') as object;
    const back = roundTrip(codec, codec, proto) as object;
    expect(Object.keys(back)).toEqual(['__proto__', 'y']);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  it('writes small integers in one byte and reuses a record shape', () => {
    const codec = new StateCodec(new Interner());
    const out = new ByteWriter();
    codec.encode([1, 2, 239], out);
    expect(out.length).toBe(5);
    out.clear();
    codec.encode({ a: 1, b: 2 }, out);
    const first = out.length;
    out.clear();
    codec.encode({ a: 3, b: 4 }, out);
    expect(out.length).toBe(first);
  });

  it('never copies a decoded record\'s bytes into a changed copy of it', () => {
    const codec = new StateCodec(new Interner());
    const state = roundTrip(codec, codec, { procs: [{ status: 'Live', hist: [1, 2] }], crashes: 0 }) as {
      procs: { status: string; hist: number[] }[];
      crashes: number;
    };
    const changed = { ...state, procs: [{ ...state.procs[0]!, status: 'Waiting' }], crashes: 1 };
    expect(roundTrip(codec, codec, changed)).toEqual({ procs: [{ status: 'Waiting', hist: [1, 2] }], crashes: 1 });
    // An unchanged decoded sub-record is copied as it was.
    expect(roundTrip(codec, codec, { ...state, crashes: 2 })).toEqual({ procs: [{ status: 'Live', hist: [1, 2] }], crashes: 2 });
  });

  it('rejects what the fingerprint rejects, with a ModelError', () => {
    const codec = new StateCodec(new Interner());
    for (const bad of [new Date(0), () => 1, Symbol('s'), new Uint8Array(2)]) {
      expect(() => codec.encode({ x: bad }, new ByteWriter())).toThrow(ModelError);
    }
  });
});

describe('Interner over shared memory', () => {
  it('gives every attached instance the same ids, through table growth', () => {
    const a = new Interner();
    const b = new Interner(a.memory());
    const ids: number[] = [];
    for (let i = 0; i < 3000; i++) ids.push((i % 2 === 0 ? a : b).intern([i, i * 7, 1]));
    expect(ids).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    expect(b.intern([10, 70, 1])).toBe(11);
    expect(a.tuple(2999)).toEqual([2998, 20986, 1]);
    expect(b.field(2999, 1)).toBe(20986);
    expect(a.size).toBe(3000);
    expect(() => a.field(1, 3)).toThrow(RangeError);
    expect(() => a.intern([-1])).toThrow(RangeError);
  });
});
