/**
 * Values in the Informal Trace Format (ITF, Apalache ADR-015, as Quint writes
 * it): how the JSON-able `view()` of a state is written into a counterexample
 * file, and read back. Pure.
 *
 * Encoding: integers as `{"#bigint": "…"}` (always, as Quint does), strings
 * and booleans as themselves, arrays as lists, records as records, and null or
 * undefined as Quint's `None` (`{"tag": "None", "value": {"#tup": []}}`).
 * A record with a key that starts with `#` (ITF reserves those) becomes a
 * `{"#map": [[key, value], …]}`; a non-integer number or any other JavaScript
 * value becomes `{"#unserializable": "<its text>"}`.
 */

/** An ITF expression (plain JSON integers are valid ITF too, though `toItf` always writes `#bigint`). */
export type ItfValue = boolean | string | number | readonly ItfValue[] | { readonly [key: string]: ItfValue };

/** Quint's unit-valued `None`: what null (and a missing value) becomes. */
export const ITF_NONE: ItfValue = { tag: 'None', value: { '#tup': [] } };

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
 * writes (a `#bigint` outside the safe integers stays a bigint; `#tup` and
 * `#set` become arrays; a `#map` with string keys becomes a record, any other
 * `#map` a list of pairs; `None` becomes null; `#unserializable` its text).
 */
export function fromItf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromItf);
  if (!isRecord(value)) return value;
  if (typeof value['#bigint'] === 'string') {
    const big = BigInt(value['#bigint']);
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
  }
  if (Array.isArray(value['#tup'])) return value['#tup'].map(fromItf);
  if (Array.isArray(value['#set'])) return value['#set'].map(fromItf);
  if (typeof value['#unserializable'] === 'string') return value['#unserializable'];
  if (Array.isArray(value['#map'])) {
    const pairs = (value['#map'] as unknown[]).map((p) => (Array.isArray(p) ? p.map(fromItf) : [p, undefined]));
    if (pairs.every((p) => typeof p[0] === 'string')) return Object.fromEntries(pairs);
    return pairs;
  }
  if (value['tag'] === 'None' && Object.keys(value).length === 2 && 'value' in value) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = fromItf(v);
  return out;
}
