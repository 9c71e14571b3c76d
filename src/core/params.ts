/**
 * Parameter resolution shared by the CLI, the benchmark and the tests: turns
 * the values a user gave (strings from the command line, or numbers) into a
 * complete, validated parameter record for `SpecDefinition.build`.
 *
 * Defaults are applied in schema order, so a function default sees every
 * parameter before it. Each value is checked against its own schema entry
 * (integer, min, max, choices); rules that relate several parameters
 * (f ≤ n…) belong to the spec's `build`. A user's mistake is a UserError with
 * exit code badSpec and a one-line message; a default that breaks its own
 * schema is a bug in the spec and throws a plain Error.
 */
import { ExitCode, UserError } from './exitCodes.js';
import type { ParamSchema, ParamValue } from './spec.js';

/** A complete, validated parameter record, as `SpecDefinition.build` receives it. */
export type ParamRecord = Readonly<Record<string, ParamValue>>;

/** Given values by name; `undefined` means "not given, use the default". */
export type GivenParams = Readonly<Record<string, ParamValue | undefined>>;

function badParam(name: string, value: unknown, why: string): UserError {
  return new UserError(`bad parameter ${name}=${String(value)}: ${why}`, ExitCode.badSpec);
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
  if (!choices.includes(text)) return { why: `must be one of ${choices.join(', ')}` };
  return { value: text };
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
  const resolved: Record<string, ParamValue> = {};
  for (const p of schema) {
    const raw = given[p.name];
    if (raw !== undefined) {
      const checked = checkValue(p, raw);
      if ('why' in checked) throw badParam(p.name, raw, checked.why);
      resolved[p.name] = checked.value;
    } else {
      const fallback = defaultOf(p, resolved);
      const checked = checkValue(p, fallback);
      if ('why' in checked) {
        throw new Error(`spec bug: default of parameter ${p.name} (${String(fallback)}) ${checked.why}`);
      }
      resolved[p.name] = checked.value;
    }
  }
  return resolved;
}

/** The default of `schema` given the parameters resolved before it. */
export function defaultOf(schema: ParamSchema, before: ParamRecord): ParamValue {
  const d = schema.defaultValue;
  return typeof d === 'function' ? d(before) : d;
}

/** Every parameter at its default (function defaults evaluated in schema order). */
export function defaultParams(schema: readonly ParamSchema[]): ParamRecord {
  return resolveParams(schema, {});
}
