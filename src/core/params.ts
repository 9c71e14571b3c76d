/**
 * Parameter resolution shared by the CLI, the benchmark and the tests: turns
 * the values a user gave (strings from the command line, or numbers) into a
 * complete, validated parameter record for `SpecDefinition.build`.
 *
 * Defaults are applied in schema order, so a function default sees every
 * parameter before it. Each value is checked against its own schema entry
 * (integer, min, max, choices, parse); rules that relate several parameters
 * (f ≤ n…) belong to the spec's `build`. A user's mistake is a UserError with
 * exit code badSpec and a one-line message; a default that breaks its own
 * schema is a bug in the spec and throws a plain Error.
 *
 * The record leaves out a parameter that does not apply (`appliesWhen`) and
 * one at its default that asks not to be recorded then (`recordDefault:
 * false`); `build` applies the defaults of missing ones.
 */
import { ExitCode, UserError } from './exitCodes.js';
import type { ParamSchema, ParamValue } from './spec.js';

/** A complete, validated parameter record, as `SpecDefinition.build` receives it. */
export type ParamRecord = Readonly<Record<string, ParamValue>>;

/** Given values by name; `undefined` means "not given, use the default". */
export type GivenParams = Readonly<Record<string, ParamValue | undefined>>;

/** A value as a message shows it: long ones (a program's JSON text) cut at 40 characters. */
function shown(value: unknown): string {
  const text = String(value).replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function badParam(name: string, value: unknown, why: string): UserError {
  return new UserError(`bad parameter ${name}=${shown(value)}: ${why}`, ExitCode.badSpec);
}

/** Checks and normalises one value; returns the reason it is wrong instead when it is. */
function checkValue(schema: ParamSchema, raw: ParamValue): { value: ParamValue } | { why: string } {
  if (schema.type === 'integer') {
    const text = typeof raw === 'number' ? String(raw) : raw.trim();
    if (!/^[+-]?\d+$/.test(text)) return { why: 'must be an integer' };
    const value = Number(text);
    if (!Number.isSafeInteger(value)) return { why: 'must be an integer' };
    if (schema.min !== undefined && value < schema.min) return { why: `must be ≥ ${schema.min}` };
    if (schema.max !== undefined && value > schema.max) return { why: `must be ≤ ${schema.max}` };
    return { value };
  }
  const text = String(raw).trim();
  const choices = schema.choices ?? [];
  if (schema.type === 'set') return checkSet(choices, text);
  if (choices.includes(text)) return { value: text };
  if (schema.parse !== undefined) return schema.parse(text);
  return { why: `must be one of ${choices.join(', ')}` };
}

/** A set value: `none`, or members of `choices` separated by commas; canonical in `choices` order. */
function checkSet(choices: readonly string[], text: string): { value: ParamValue } | { why: string } {
  const why = `must be none or a comma-separated list of ${choices.join(', ')}`;
  if (text === 'none') return { value: 'none' };
  const members = text.split(',').map((m) => m.trim());
  if (members.some((m) => !choices.includes(m))) return { why };
  if (new Set(members).size !== members.length) return { why: `names a member twice; ${why}` };
  return { value: choices.filter((c) => members.includes(c)).join(',') };
}

/** The members of a resolved set parameter's value (empty for `none`). */
export function setMembers(value: ParamValue): readonly string[] {
  const text = String(value);
  return text === 'none' || text === '' ? [] : text.split(',');
}

/**
 * Resolves `given` against `schema`. `owner` (a spec id) only sharpens the
 * message for an unknown parameter name.
 */
export function resolveParams(schema: readonly ParamSchema[], given: GivenParams, owner?: string): ParamRecord {
  const known = new Set(schema.map((p) => p.name));
  for (const [name, value] of Object.entries(given)) {
    if (value !== undefined && !known.has(name)) {
      const where = owner === undefined ? '' : ` for spec ${owner}`;
      const list = schema.length === 0 ? 'none' : schema.map((p) => p.name).join(', ');
      throw new UserError(`unknown parameter ${name}${where} (known: ${list})`, ExitCode.badSpec);
    }
  }
  // `values` holds every parameter that applies (what defaults and `appliesWhen` see); `resolved`, what the record keeps.
  const values: Record<string, ParamValue> = {};
  const resolved: Record<string, ParamValue> = {};
  for (const p of schema) {
    const raw = given[p.name];
    if (p.appliesWhen !== undefined && !p.appliesWhen.holds(values)) {
      if (raw !== undefined) throw badParam(p.name, raw, `applies only with ${p.appliesWhen.text}`);
      continue;
    }
    let value: ParamValue;
    if (raw !== undefined) {
      const checked = checkValue(p, raw);
      if ('why' in checked) throw badParam(p.name, raw, checked.why);
      value = checked.value;
    } else {
      value = checkedDefault(p, values);
    }
    if (p.recordDefault !== false || (raw !== undefined && value !== checkedDefault(p, values))) resolved[p.name] = value;
    values[p.name] = value;
  }
  return resolved;
}

/** The default of `p` given the parameters before it, canonical; a default its own schema refuses is a spec bug. */
function checkedDefault(p: ParamSchema, before: ParamRecord): ParamValue {
  const fallback = defaultOf(p, before);
  const checked = checkValue(p, fallback);
  if ('why' in checked) throw new Error(`spec bug: default of parameter ${p.name} (${String(fallback)}) ${checked.why}`);
  return checked.value;
}

/** The default of `schema` given the parameters resolved before it. */
export function defaultOf(schema: ParamSchema, before: ParamRecord): ParamValue {
  const d = schema.defaultValue;
  return typeof d === 'function' ? d(before) : d;
}

/**
 * Every parameter at its default (function defaults evaluated in schema
 * order), for showing them: unlike `resolveParams(schema, {})` it includes
 * the parameters a record leaves out (those that do not apply to the other
 * defaults, and those recorded only when they depart from their default).
 */
export function defaultParams(schema: readonly ParamSchema[]): ParamRecord {
  const values: Record<string, ParamValue> = {};
  for (const p of schema) values[p.name] = checkedDefault(p, values);
  return values;
}
