/**
 * Values in the Informal Trace Format (ITF, Apalache ADR-015, as Quint writes
 * it): how the typed view of a state (CheckTarget.itfView, else view) is
 * written into a counterexample file, and read back. Pure.
 *
 * Encoding: integers as `{"#bigint": "…"}` (always, as Quint does), strings
 * and booleans as themselves, arrays as lists, a `Set` as `{"#set": […]}`, a
 * `Map` as `{"#map": [[key, value], …]}`, an `ItfTuple` as `{"#tup": […]}`,
 * records as records, and null or undefined as Quint's `None`
 * (`{"tag": "None", "value": {"#tup": []}}`); a variant is a record
 * `{tag, value}`, as Quint writes sum types. A record with a key that starts
 * with `#` (ITF reserves those) becomes a `#map`; a non-integer number or any
 * other JavaScript value becomes `{"#unserializable": "<its text>"}`.
 */

/** An ITF expression (plain JSON integers are valid ITF too, though `toItf` always writes `#bigint`). */
export type ItfValue = boolean | string | number | readonly ItfValue[] | { readonly [key: string]: ItfValue };

/** Quint's unit-valued `None`: what null (and a missing value) becomes. */
export const ITF_NONE: ItfValue = { tag: 'None', value: { '#tup': [] } };

/** A tuple for `toItf` (`{"#tup": […]}`); JavaScript has none of its own. */
export class ItfTuple {
  constructor(readonly items: readonly unknown[]) {}
}

/** Quint's `Some(value)`, the other case of an option whose `None` is null. */
export function itfSome(value: unknown): { readonly tag: 'Some'; readonly value: unknown } {
  return { tag: 'Some', value };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The ITF encoding of a JSON-able value (see the module comment for the rules). */
export function toItf(value: unknown): ItfValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isSafeInteger(value) ? { '#bigint': String(value) } : { '#unserializable': String(value) };
    case 'bigint':
      return { '#bigint': value.toString() };
    case 'undefined':
      return ITF_NONE;
    case 'object': {
      if (value === null) return ITF_NONE;
      if (Array.isArray(value)) return value.map(toItf);
      if (value instanceof Set) return { '#set': [...(value as Set<unknown>)].map(toItf) };
      if (value instanceof Map) return { '#map': [...(value as Map<unknown, unknown>)].map(([k, v]) => [toItf(k), toItf(v)]) };
      if (value instanceof ItfTuple) return { '#tup': value.items.map(toItf) };
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
      if (entries.some(([k]) => k.startsWith('#'))) return { '#map': entries.map(([k, v]) => [k, toItf(v)]) };
      const out: Record<string, ItfValue> = {};
      for (const [k, v] of entries) out[k] = toItf(v);
      return out;
    }
    default:
      return { '#unserializable': String(value) };
  }
}

/**
 * The plain value of an ITF expression: the inverse of `toItf` for what it
 * writes (a `#bigint` outside the safe integers stays a bigint; `#tup`
 * becomes an array, `#set` a Set; a `#map` with string keys becomes a record,
 * any other `#map` a Map; `None` becomes null; `#unserializable` its text).
 */
export function fromItf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromItf);
  if (!isRecord(value)) return value;
  if (typeof value['#bigint'] === 'string') {
    const big = BigInt(value['#bigint']);
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }
  if (Array.isArray(value['#tup'])) return value['#tup'].map(fromItf);
  if (Array.isArray(value['#set'])) return new Set(value['#set'].map(fromItf));
  if (typeof value['#unserializable'] === 'string') return value['#unserializable'];
  if (Array.isArray(value['#map'])) {
    const pairs = (value['#map'] as unknown[]).map((p) => (Array.isArray(p) ? p.map(fromItf) : [p, undefined]));
    if (pairs.every((p) => typeof p[0] === 'string')) return Object.fromEntries(pairs);
    return new Map(pairs.map((p) => [p[0], p[1]]));
  }
  if (value['tag'] === 'None' && Object.keys(value).length === 2 && 'value' in value) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = fromItf(v);
  return out;
}

const RESERVED = ['#bigint', '#tup', '#set', '#map', '#unserializable'];

/**
 * Where `value` breaks the ITF value grammar (ADR-015), or undefined if it
 * does not: a boolean, a string, an integer, a list, a record (no field
 * starting with `#`), or exactly one of `{"#bigint": "<digits>"}`,
 * `{"#tup": […]}`, `{"#set": […]}`, `{"#map": [[k, v], …]}`,
 * `{"#unserializable": "…"}`. `path` names the place in messages.
 */
export function itfProblem(value: unknown, path = '$'): string | undefined {
  if (typeof value === 'boolean' || typeof value === 'string') return undefined;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? undefined : `${path}: ${value} is not an integer`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = itfProblem(value[i], `${path}[${i}]`);
      if (p !== undefined) return p;
    }
    return undefined;
  }
  if (!isRecord(value)) return `${path}: ${String(value)} is no ITF value`;
  const keys = Object.keys(value);
  const special = keys.filter((k) => k.startsWith('#'));
  if (special.length === 0) {
    for (const k of keys) {
      const p = itfProblem(value[k], `${path}.${k}`);
      if (p !== undefined) return p;
    }
    return undefined;
  }
  if (keys.length !== 1 || !RESERVED.includes(special[0]!)) return `${path}: an object with ${keys.join(', ')} is neither a record nor one of ${RESERVED.join(', ')}`;
  const key = special[0]!;
  const inner = value[key];
  switch (key) {
    case '#bigint':
      return typeof inner === 'string' && /^-?\d+$/.test(inner) ? undefined : `${path}.#bigint must be a string of digits`;
    case '#unserializable':
      return typeof inner === 'string' ? undefined : `${path}.#unserializable must be a string`;
    case '#tup':
    case '#set':
      return Array.isArray(inner) ? itfProblem(inner, `${path}.${key}`) : `${path}.${key} must be an array`;
    default: {
      if (!Array.isArray(inner)) return `${path}.#map must be an array of pairs`;
      for (let i = 0; i < inner.length; i++) {
        const pair: unknown = inner[i];
        if (!Array.isArray(pair) || pair.length !== 2) return `${path}.#map[${i}] must be a [key, value] pair`;
        const p = itfProblem(pair[0], `${path}.#map[${i}][0]`) ?? itfProblem(pair[1], `${path}.#map[${i}][1]`);
        if (p !== undefined) return p;
      }
      return undefined;
    }
  }
}
