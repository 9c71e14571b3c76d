/**
 * StructuralHasher hashes every value a user may write into a state by content
 * (arrays, plain records, Set, Map, strings, numbers by SameValueZero, bigint,
 * booleans, null, undefined) and rejects everything else with a ModelError
 * naming the path. The property tests compare fingerprint equality with a
 * canonical serialisation written here, independently of the hasher.
 */
import fc from 'fast-check';
import { enableMapSet, produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { ExitCode, ModelError } from '../../src/core/exitCodes.js';
import { StructuralHasher } from '../../src/core/hash.js';

enableMapSet();

function fp(h: StructuralHasher, value: unknown): string {
  const out = new Uint32Array(2);
  h.fingerprint(value, out);
  return `${out[0]}:${out[1]}`;
}

/**
 * The reference: one string per equivalence class. Numbers by SameValueZero
 * (-0 is 0, every NaN is NaN), bigint apart from numbers, records by sorted
 * keys, Set and Map by their sorted element / entry forms with copies kept
 * (two distinct objects with equal content are two elements).
 */
function canon(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'u';
    case 'boolean':
      return value ? 't' : 'f';
    case 'number':
      return `n${Object.is(value, -0) ? 0 : value}`;
    case 'bigint':
      return `b${value}`;
    case 'string':
      return `s${JSON.stringify(value)}`;
    case 'object': {
      if (value === null) return 'z';
      if (Array.isArray(value)) return `[${value.map(canon).join(',')}]`;
      if (value instanceof Set) return `S{${[...value].map(canon).sort().join(',')}}`;
      if (value instanceof Map) return `M{${[...value].map(([k, v]) => `${canon(k)}=>${canon(v)}`).sort().join(',')}}`;
      const record = value as Record<string, unknown>;
      return `{${Object.keys(record)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canon(record[k])}`)
        .join(',')}}`;
    }
    default:
      throw new Error(`canon: unexpected ${typeof value}`);
  }
}

/**
 * An equal value built differently: fresh objects, record keys, Set elements
 * and Map entries inserted in reverse order, 0 and -0 swapped.
 */
function rebuild(value: unknown): unknown {
  if (typeof value === 'number') return value === 0 ? (Object.is(value, -0) ? 0 : -0) : value;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(rebuild);
  if (value instanceof Set) return new Set([...value].reverse().map(rebuild));
  if (value instanceof Map) return new Map([...value].reverse().map(([k, v]) => [rebuild(k), rebuild(v)] as const));
  const proto = Object.getPrototypeOf(value) as object | null;
  const copy = Object.create(proto) as Record<string, unknown>;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record).reverse()) {
    Object.defineProperty(copy, key, { value: rebuild(record[key]), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/** Small leaves, so that generated pairs are often equal and often nearly equal. */
const leaf = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 0.5, -1.5, 2 ** 31, 2 ** 40, 2 ** 53, 2 ** 60, Number.MAX_VALUE),
  fc.double(),
  fc.constantFrom(0n, 1n, -1n, 2n ** 64n),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
  fc.constantFrom('', 'a', 'b', '0', '1', 'NaN', 'r1'),
  fc.string({ maxLength: 3 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);

const { value: plainValue } = fc.letrec<{ value: unknown; array: unknown[]; record: Record<string, unknown>; set: Set<unknown>; map: Map<unknown, unknown> }>(
  (tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('record'), tie('set'), tie('map')),
    array: fc.array(tie('value'), { maxLength: 4 }),
    record: fc.dictionary(fc.constantFrom('a', 'b', 'c', '0', '1', 'a b', '__proto__', 'constructor'), tie('value'), { maxKeys: 4 }),
    set: fc.array(tie('value'), { maxLength: 4 }).map((items) => new Set(items)),
    map: fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 4 }).map((entries) => new Map(entries)),
  }),
);

/** A value with shared sub-objects: the same objects appear several times, in several kinds of container. */
const sharedValue = fc.tuple(plainValue, plainValue).map(([a, b]) => ({
  a,
  b,
  again: [a, b, a],
  inSet: new Set([a, b]),
  inMap: new Map<unknown, unknown>([
    [a, b],
    ['k', a],
  ]),
}));

const anyValue = fc.oneof(
  plainValue,
  sharedValue,
  fc.anything({ withMap: true, withSet: true, withBigInt: true, withNullPrototype: true, maxDepth: 3 }),
);

describe('StructuralHasher: hashing by content', () => {
  it('equal canonical forms ⇔ equal fingerprints, on every generated pair (one long-lived hasher, caches warm)', () => {
    const h = new StructuralHasher();
    // Every fingerprint seen in the run, with its canonical form: no two forms may share one.
    const seen = new Map<string, string>();
    const record = (value: unknown, print: string) => {
      const form = canon(value);
      const other = seen.get(print);
      if (other !== undefined) expect(other).toBe(form);
      else seen.set(print, form);
    };
    fc.assert(
      fc.property(anyValue, anyValue, (a, b) => {
        const pa = fp(h, a);
        const pb = fp(h, b);
        record(a, pa);
        record(b, pb);
        expect(pa === pb).toBe(canon(a) === canon(b));
      }),
      { numRuns: 2000 },
    );
    expect(seen.size).toBeGreaterThan(1000);
  });

  it('a value rebuilt in other insertion orders (Set, Map, record keys), with fresh objects and -0 for 0, hashes alike', () => {
    const warm = new StructuralHasher();
    fc.assert(
      fc.property(anyValue, (value) => {
        const copy = rebuild(value);
        expect(canon(copy)).toBe(canon(value));
        const print = fp(warm, value);
        expect(fp(warm, copy)).toBe(print);
        expect(fp(new StructuralHasher(), copy)).toBe(print);
        // Hashing again from the caches gives the same answer.
        expect(fp(warm, value)).toBe(print);
      }),
      { numRuns: 1000 },
    );
  });

  it('Set and Map ignore insertion order', () => {
    const h = new StructuralHasher();
    expect(fp(h, new Set([1, 'a', [2, 3], { x: 1n }]))).toBe(fp(h, new Set([{ x: 1n }, [2, 3], 'a', 1])));
    expect(fp(h, new Map<unknown, unknown>([['r1', 'yes'], [2, [1]], [[0], 'k']]))).toBe(
      fp(h, new Map<unknown, unknown>([[[0], 'k'], [2, [1]], ['r1', 'yes']])),
    );
    expect(fp(h, { s: new Set(['Prepared r2', 'Prepared r1']) })).toBe(fp(h, { s: new Set(['Prepared r1', 'Prepared r2']) }));
  });

  it('tells collections apart from arrays and records with the same contents, and from one another', () => {
    const h = new StructuralHasher();
    const values = [
      new Set(),
      new Map(),
      [],
      {},
      new Set([1, 2]),
      [1, 2],
      { 0: 1, 1: 2 },
      new Set(['a']),
      ['a'],
      new Map([['a', 1]]),
      { a: 1 },
      [['a', 1]],
      new Set([['a', 1]]),
      new Map([[1, 'a']]),
      new Map([['1', 'a']]),
      { 1: 'a' },
      new Set([new Set([1])]),
      new Set([[1]]),
      new Set([[1], [1]]),
      new Map([['a', new Set([1])]]),
      new Map([['a', [1]]]),
      new Set([new Map([['a', 1]])]),
    ];
    const prints = values.map((v) => fp(h, v));
    expect(new Set(prints).size).toBe(values.length);
  });

  it('a Set of two distinct arrays [1] holds two elements: not the Set holding one', () => {
    const h = new StructuralHasher();
    const twice = new Set([[1], [1]]);
    expect(twice.size).toBe(2);
    expect(fp(h, twice)).not.toBe(fp(h, new Set([[1]])));
    expect(fp(h, twice)).toBe(fp(h, new Set([[1], [1]])));
  });

  it('numbers by SameValueZero: -0 is 0, every NaN is NaN; bigint is never a number', () => {
    const h = new StructuralHasher();
    expect(fp(h, -0)).toBe(fp(h, 0));
    expect(fp(h, [-0, { x: -0 }])).toBe(fp(h, [0, { x: 0 }]));
    expect(fp(h, new Set([-0]))).toBe(fp(h, new Set([0])));
    expect(fp(h, new Map([[-0, 'x']]))).toBe(fp(h, new Map([[0, 'x']])));
    // A NaN with another bit pattern is still NaN.
    const otherNaN = new Float64Array(new Uint32Array([1, 0x7ff80000]).buffer)[0]!;
    expect(Number.isNaN(otherNaN)).toBe(true);
    expect(fp(h, [otherNaN])).toBe(fp(h, [NaN]));
    expect(fp(h, NaN)).not.toBe(fp(h, 'NaN'));
    expect(fp(h, 1.0)).toBe(fp(h, 1));
    const distinct = [5, 5n, '5', -5n, 2 ** 53, 2n ** 53n, 2 ** 40, 2n ** 40n, 0n, 0, -1n, -1, 0.5];
    expect(new Set(distinct.map((v) => fp(h, v))).size).toBe(distinct.length);
    expect(fp(h, 123456789012345678901234567890n)).toBe(fp(new StructuralHasher(), 123456789012345678901234567890n));
  });

  it('null-prototype records hash as plain records', () => {
    const h = new StructuralHasher();
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1, b: [2] });
    expect(fp(h, bare)).toBe(fp(new StructuralHasher(), { b: [2], a: 1 }));
  });

  it('sub-objects shared between states (immer, with Map and Set) hash from the cache as they would afresh', () => {
    interface S {
      readonly votes: ReadonlyMap<string, { readonly vote: string; readonly seen: ReadonlySet<number> }>;
      readonly msgs: ReadonlySet<string>;
      readonly log: readonly { readonly n: number }[];
    }
    let state: S = produce(
      { votes: new Map(), msgs: new Set(), log: [] } as S,
      (d) => {
        d.votes.set('r1', { vote: 'none', seen: new Set() });
        d.votes.set('r2', { vote: 'none', seen: new Set() });
      },
    );
    const warm = new StructuralHasher();
    const states: S[] = [state];
    for (let i = 0; i < 40; i++) {
      state = produce(state, (d) => {
        const rm = i % 2 === 0 ? 'r1' : 'r2';
        const entry = d.votes.get(rm)!;
        if (i % 3 === 0) entry.vote = entry.vote === 'yes' ? 'no' : 'yes';
        entry.seen.add(i % 5);
        if (i % 4 === 0) d.msgs.add(`m${i % 3}`);
        if (i % 7 === 0) d.log.push({ n: i });
      });
      states.push(state);
    }
    // Unchanged sub-objects are shared (so their hashes come from the cache)…
    expect(states[2]!.log).toBe(states[1]!.log);
    expect(states[2]!.votes.get('r1')).toBe(states[1]!.votes.get('r1'));
    // …and every state hashes as it would with no cache at all, and as its structural copy.
    const prints = states.map((s) => fp(warm, s));
    states.forEach((s, i) => {
      expect(fp(new StructuralHasher(), s)).toBe(prints[i]);
      expect(fp(warm, structuredClone(s))).toBe(prints[i]);
    });
    // Equal fingerprints exactly for equal states.
    for (let i = 0; i < states.length; i++) {
      for (let j = 0; j < states.length; j++) expect(prints[i] === prints[j]).toBe(canon(states[i]) === canon(states[j]));
    }
  });

  it('the small-integer-array fast path agrees with the general walk', () => {
    const h = new StructuralHasher();
    const small = [1, -0, 2 ** 40, 3];
    const viaRecord = { a: small };
    const sameAsGeneral = [1, 0, 2 ** 40, 3, 'x'].slice(0, 4);
    expect(fp(h, small)).toBe(fp(h, sameAsGeneral));
    expect(fp(h, viaRecord)).toBe(fp(new StructuralHasher(), { a: [1, 0, 2 ** 40, 3] }));
    // The fast path does not cache: no hidden slot is added to short integer arrays.
    expect(Object.getOwnPropertySymbols(small)).toEqual([]);
    const long = Array.from({ length: 40 }, (_, i) => i);
    fp(h, long);
    expect(Object.getOwnPropertySymbols(long)).toHaveLength(1);
  });
});

const PLAIN = 'states must be plain data (arrays, plain objects, Set, Map, strings, numbers, bigint, booleans, null, undefined)';

function rejection(run: () => void): ModelError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError);
    return error as ModelError;
  }
  throw new Error('expected a ModelError');
}

class Timer {
  constructor(readonly at: number) {}
}
class Tags extends Set<string> {}
class List extends Array<string> {}

describe('StructuralHasher: values that are not plain data are rejected, naming their path', () => {
  const cyclic: { a: { x: unknown[] } } = { a: { x: [1] } };
  cyclic.a.x.push(cyclic.a);
  const selfish: Record<string, unknown> = { n: 1 };
  selfish.self = selfish;

  it.each<[string, unknown, string]>([
    ['a function', { procs: [{ timer: 1 }, { timer: () => 1 }] }, 'state.procs[1].timer is a function'],
    ['a symbol', { tag: Symbol('t') }, 'state.tag is a symbol'],
    ['a class instance', { procs: [{ t: new Timer(3) }] }, 'state.procs[0].t is an instance of Timer'],
    ['a Date', { at: new Date(0) }, 'state.at is an instance of Date'],
    ['a RegExp', { re: /x/ }, 'state.re is an instance of RegExp'],
    ['a typed array', { buf: new Uint8Array(2) }, 'state.buf is an instance of Uint8Array'],
    ['a boxed number', { n: Object(1) as unknown }, 'state.n is an instance of Number'],
    ['a WeakMap', { w: new WeakMap() }, 'state.w is an instance of WeakMap'],
    ['a Set subclass', { tags: new Tags(['a']) }, 'state.tags is an instance of Tags'],
    ['a key that is not an identifier', { 'a b': [{ 'x-y': () => 0 }] }, 'state["a b"][0]["x-y"] is a function'],
    ['a function inside a Set element', { msgs: new Set<unknown>(['a', { f: () => 0 }]) }, 'state.msgs{#1}.f is a function'],
    ['a Set element that is a function', { msgs: new Set<unknown>([1, 2, Math.max]) }, 'state.msgs{#2} is a function'],
    ['a Map value under a string key', { votes: new Map<string, unknown>([['r1', 'yes'], ['r2', new Date(0)]]) }, 'state.votes.get("r2") is an instance of Date'],
    ['a Map value under a number key', { votes: new Map<number, unknown>([[1, [() => 0]]]) }, 'state.votes.get(1)[0] is a function'],
    ['a Map value under a bigint key', { votes: new Map<bigint, unknown>([[7n, Symbol()]]) }, 'state.votes.get(7n) is a symbol'],
    ['a Map value under an object key', { votes: new Map<unknown, unknown>([[[1], () => 0]]) }, 'state.votes{value #0} is a function'],
    ['a Map key that is a symbol', { votes: new Map<unknown, unknown>([[1, 1], [Symbol('k'), 1]]) }, 'state.votes{key #1} is a symbol'],
    ['inside a Map key', { votes: new Map<unknown, unknown>([[{ id: new Timer(1) }, 1]]) }, 'state.votes{key #0}.id is an instance of Timer'],
    ['the state itself', () => 0, 'state is a function'],
    ['a cycle', cyclic, 'state.a.x[1] refers back to state.a (a cycle)'],
    ['a cycle to the root', selfish, 'state.self refers back to state (a cycle)'],
  ])('%s', (_, value, where) => {
    const error = rejection(() => fp(new StructuralHasher(), value));
    expect(error.message).toBe(`${where}; ${PLAIN}`);
    expect(error.kind).toBe('unhashable-value');
    expect(error.exitCode).toBe(ExitCode.badModel);
    expect(error.message).not.toContain('\n');
  });

  it('fingerprintParts names the part (multiset items by index), or parts[i] by default', () => {
    const h = new StructuralHasher();
    const out = new Uint32Array(2);
    const net = [{ k: 'app' }, { k: 'app', payload: () => 0 }];
    const named = rejection(() => h.fingerprintParts([[], { g: 1 }, net], [false, false, true], out, ['state.procs', 'state.global', 'state.net']));
    expect(named.message).toBe(`state.net[1].payload is a function; ${PLAIN}`);
    const unnamed = rejection(() => h.fingerprintParts([[], { g: Symbol() }, []], [false, false, true], out));
    expect(unnamed.message).toBe(`parts[1].g is a symbol; ${PLAIN}`);
  });

  it('a subclass of Array is hashed as the array of its elements (Array.isArray decides, for speed)', () => {
    const h = new StructuralHasher();
    expect(fp(h, { list: List.from(['a', 'b']) })).toBe(fp(h, { list: ['a', 'b'] }));
    const error = rejection(() => fp(h, { list: List.from(['a', Symbol('s') as unknown as string]) }));
    expect(error.message).toBe(`state.list[1] is a symbol; ${PLAIN}`);
  });

  it('shared sub-objects are not cycles', () => {
    const shared = { x: [1, 'a'] };
    const h = new StructuralHasher();
    expect(() => fp(h, { a: shared, b: [shared, shared], c: new Set([shared]), d: new Map([[shared, shared]]) })).not.toThrow();
    const error = rejection(() => fp(h, { a: shared, b: [shared, { f: () => 0 }] }));
    expect(error.message).toBe(`state.b[1].f is a function; ${PLAIN}`);
  });

  it('a rejected state leaves the hasher sound: the sub-objects it cached hash as before', () => {
    const h = new StructuralHasher();
    const good = { list: ['a', 'b'], set: new Set(['x']) };
    expect(() => fp(h, { good, bad: new Timer(0) })).toThrow(ModelError);
    expect(fp(h, { good })).toBe(fp(new StructuralHasher(), { good: { list: ['a', 'b'], set: new Set(['x']) } }));
  });

  it('a deep acyclic value that overflows the stack is not reported as a cycle', () => {
    let deep: unknown = null;
    for (let i = 0; i < 200_000; i++) deep = { next: deep };
    let thrown: unknown;
    try {
      fp(new StructuralHasher(), deep);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RangeError);
  });
});
