/**
 * The counterexample file: an ITF trace (Apalache ADR-015, as Apalache and
 * Quint write it: `#meta`, `vars`, `states`) with rrcheck's own record under
 * `#meta.rrcheck`. Pure: text in, text out; cli/ reads and writes the files.
 *
 * The action labels in `#meta.rrcheck.labels` are the source of truth: replay
 * re-runs them against the current spec. The ITF `states` (the spec's typed
 * view after each step: sets as `#set`, maps as `#map`, integers as
 * `#bigint`) are for people and other ITF tools such as Quint and Apalache,
 * and are never read back; nor is the recorded finding, which replay
 * recomputes from the states it reaches.
 */
import type { Finding } from '../core/model.js';
import { toItf, ITF_NONE, type ItfValue } from './itf.js';
import type { TraceRecord } from './record.js';

/** The version of the `#meta.rrcheck` record this code writes and reads. */
export const COUNTEREXAMPLE_FORMAT_VERSION = 1;

/** `violates`: replay must reproduce the violation; `fixed`: replay must not violate any more. */
export type ExpectedVerdict = 'violates' | 'fixed';

/** How the counterexample was found: an exhaustive strategy, random walks, or by hand (and searches from a state) in `rrcheck explore`. */
export type FoundBy = 'bfs' | 'dfs' | 'simulate' | 'explore';

/**
 * The spec module a counterexample of a user's spec came from: its path,
 * relative to the folder of the counterexample file (forward slashes), and
 * the sha256 of the module file (lowercase hex) when the file was saved, so
 * a replay can say that the module changed since.
 */
export interface ModuleRecord {
  readonly path: string;
  readonly digest: string;
}

/**
 * rrcheck's record in `#meta.rrcheck`: the violation's TraceRecord (property,
 * category, initIndex, labels, loopStart, explanation, finding) with the
 * file's provenance around it. `finding` is optional here only because
 * files written before it was recorded have none; it is never trusted:
 * replay recomputes it. The key order of the file is encodeCounterexample's,
 * not this type's.
 */
export interface CounterexampleMeta extends Omit<TraceRecord, 'finding'>, Partial<Pick<TraceRecord, 'finding'>> {
  readonly formatVersion: number;
  readonly toolVersion: string;
  readonly spec: string;
  /** Absent for a spec of rrcheck's own registry (and in files written before modules existed). */
  readonly module?: ModuleRecord;
  readonly params: Readonly<Record<string, number | string>>;
  readonly expected: ExpectedVerdict;
  readonly strategy: FoundBy;
  /** The seed of `rrcheck simulate`; absent for exhaustive strategies. */
  readonly seed?: number;
  /** Steps of the counterexample as found, before shrinking. */
  readonly foundLength: number;
  /** Steps after shrinking: labels.length. */
  readonly shrunkLength: number;
}

/** One ITF state: its index and the action that led to it, then the view's variables. */
export interface ItfState {
  readonly '#meta': { readonly index: number; readonly action: string };
  readonly [variable: string]: ItfValue;
}

/** A decoded file: rrcheck's record, the ITF description, variables and states (as written). */
export interface CounterexampleFile {
  readonly meta: CounterexampleMeta;
  readonly description: string;
  readonly vars: readonly string[];
  readonly states: readonly ItfState[];
}

/** What `encodeCounterexample` needs: the record (without the format version) and the view of every state. */
export type CounterexampleInput = Omit<CounterexampleMeta, 'formatVersion' | 'shrunkLength'> & {
  /** view() of states[0..labels.length]: the initial state, then the state after each label. */
  readonly views: readonly unknown[];
};

/** What decodeCounterexample() makes of a text: the file, or why it cannot be read (as data, with a one-line message). */
export type DecodeOutcome =
  | { readonly status: 'ok'; readonly file: CounterexampleFile }
  | { readonly status: 'malformed' | 'unsupportedVersion'; readonly message: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The ITF variables: the top-level keys of the views (in order of first
 * appearance), or `state` when a view is not a record. A state whose view
 * lacks a variable gets `None` for it, since ITF requires every variable in
 * every state.
 */
function varsAndStates(views: readonly unknown[], labels: readonly string[]): { vars: string[]; states: ItfState[] } {
  const records = views.every(isRecord);
  const vars: string[] = [];
  if (records) {
    const seen = new Set<string>();
    for (const view of views as Record<string, unknown>[]) {
      for (const key of Object.keys(view)) {
        if (view[key] !== undefined && !seen.has(key)) {
          seen.add(key);
          vars.push(key);
        }
      }
    }
  } else {
    vars.push('state');
  }
  const states = views.map((view, index) => {
    const state: Record<string, unknown> = { '#meta': { index, action: index === 0 ? 'init' : labels[index - 1] } };
    for (const v of vars) state[v] = records ? (view as Record<string, unknown>)[v] === undefined ? ITF_NONE : toItf((view as Record<string, unknown>)[v]) : toItf(view);
    return state as unknown as ItfState;
  });
  return { vars, states };
}

/** `workload=chain n=3 …`, in the record's own key order. */
function paramText(params: Readonly<Record<string, number | string>>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/** The file's text: JSON, the metadata indented, one line per ITF state (readable diffs), ending in a newline. */
export function encodeCounterexample(input: CounterexampleInput): string {
  const { views, ...rest } = input;
  if (views.length !== input.labels.length + 1) {
    throw new RangeError(`encodeCounterexample: ${input.labels.length} labels need ${input.labels.length + 1} views, got ${views.length}`);
  }
  const meta: CounterexampleMeta = {
    formatVersion: COUNTEREXAMPLE_FORMAT_VERSION,
    toolVersion: rest.toolVersion,
    spec: rest.spec,
    ...(rest.module === undefined ? {} : { module: { path: rest.module.path, digest: rest.module.digest } }),
    params: rest.params,
    property: rest.property,
    category: rest.category,
    expected: rest.expected,
    initIndex: rest.initIndex,
    labels: rest.labels,
    ...(rest.loopStart === undefined ? {} : { loopStart: rest.loopStart }),
    explanation: rest.explanation,
    ...(rest.finding === undefined ? {} : { finding: rest.finding }),
    strategy: rest.strategy,
    ...(rest.seed === undefined ? {} : { seed: rest.seed }),
    foundLength: rest.foundLength,
    shrunkLength: rest.labels.length,
  };
  const { vars, states } = varsAndStates(views, input.labels);
  const verb = meta.expected === 'violates' ? 'violates' : 'no longer violates';
  const description =
    `${meta.spec} ${verb} ${meta.property} (${meta.category}) with ${paramText(meta.params)}: ` +
    `${meta.labels.length} steps, found by ${meta.strategy}${meta.seed === undefined ? '' : ` (seed ${meta.seed})`} at length ${meta.foundLength}`;
  const head = {
    format: 'ITF',
    'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
    source: 'rrcheck',
    description,
    rrcheck: meta,
  };
  const indent = (text: string) => text.replace(/\n/g, '\n  ');
  const lines = [
    '{',
    `  "#meta": ${indent(JSON.stringify(head, null, 2))},`,
    `  "vars": ${JSON.stringify(vars)},`,
    ...(meta.loopStart === undefined ? [] : [`  "loop": ${meta.loopStart},`]),
    '  "states": [',
    states.map((s) => `    ${JSON.stringify(s)}`).join(',\n'),
    '  ]',
    '}',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * `<spec>-<property>-<8 hex>.itf.json`, the hex being a 32-bit FNV-1a hash of
 * the spec id, the parameters (sorted by name) and the labels: the same
 * counterexample always gets the same name.
 */
export function counterexampleFileName(meta: Pick<CounterexampleMeta, 'spec' | 'params' | 'property' | 'labels'>): string {
  const params = Object.keys(meta.params)
    .sort()
    .map((k) => [k, meta.params[k]]);
  const text = JSON.stringify([meta.spec, params, meta.labels]);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');
  return `${safe(meta.spec)}-${safe(meta.property)}-${(h >>> 0).toString(16).padStart(8, '0')}.itf.json`;
}

/**
 * The same counterexample: same spec (and module path), parameters, property,
 * initial state and labels (provenance, the module's digest included, may differ).
 */
export function sameCounterexample(a: CounterexampleMeta, b: CounterexampleMeta): boolean {
  const keys = (p: Readonly<Record<string, unknown>>) => Object.keys(p).sort();
  return (
    a.spec === b.spec &&
    a.module?.path === b.module?.path &&
    a.property === b.property &&
    a.initIndex === b.initIndex &&
    JSON.stringify(keys(a.params)) === JSON.stringify(keys(b.params)) &&
    keys(a.params).every((k) => a.params[k] === b.params[k]) &&
    a.labels.length === b.labels.length &&
    a.labels.every((l, i) => l === b.labels[i])
  );
}

class Malformed extends Error {}

function field<T>(record: Record<string, unknown>, path: string, key: string, ok: (v: unknown) => v is T, what: string): T {
  const value = record[key];
  if (!ok(value)) throw new Malformed(`${path}.${key} ${value === undefined ? 'is missing' : `must be ${what}`}`);
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNat = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isParams = (v: unknown): v is Record<string, number | string> =>
  isRecord(v) && Object.values(v).every((x) => typeof x === 'string' || isInteger(x));
const isFinding = (v: unknown): v is Finding =>
  isRecord(v) &&
  isString(v['summary']) &&
  isString(v['reason']) &&
  Array.isArray(v['subjects']) &&
  v['subjects'].every((s) => isRecord(s) && isString(s['process']) && isString(s['role']) && isString(s['reason']));
const oneOf =
  <T extends string>(...choices: T[]) =>
  (v: unknown): v is T =>
    typeof v === 'string' && (choices as string[]).includes(v);

/**
 * Parses and validates a file's text. `malformed`: not JSON, or not an
 * rrcheck counterexample of the expected shape (the message names the field);
 * `unsupportedVersion`: an rrcheck file of another format version (checked
 * before any other field, since another version may have other fields).
 */
export function decodeCounterexample(text: string): DecodeOutcome {
  let json: unknown;
  try {
    // A leading byte-order mark (some editors write one) is not part of the JSON.
    json = JSON.parse(text.startsWith('\ufeff') ? text.slice(1) : text);
  } catch (error) {
    return { status: 'malformed', message: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  try {
    if (!isRecord(json)) throw new Malformed('the top level must be a JSON object');
    const head = field(json, '', '#meta', isRecord, 'an object');
    const r = field(head, '#meta', 'rrcheck', isRecord, 'an object');
    const version = field(r, '#meta.rrcheck', 'formatVersion', isInteger, 'an integer');
    if (version !== COUNTEREXAMPLE_FORMAT_VERSION) {
      return {
        status: 'unsupportedVersion',
        message: `format version ${version} is not supported (this rrcheck reads version ${COUNTEREXAMPLE_FORMAT_VERSION})`,
      };
    }
    const p = '#meta.rrcheck';
    const labels = field(r, p, 'labels', isStrings, 'an array of strings');
    const loopStart = r['loopStart'] === undefined ? undefined : field(r, p, 'loopStart', isNat, 'an integer ≥ 0');
    if (loopStart !== undefined && loopStart >= labels.length) throw new Malformed(`${p}.loopStart must be less than the number of labels`);
    const seed = r['seed'] === undefined ? undefined : field(r, p, 'seed', isInteger, 'an integer');
    const moduleRecord = r['module'] === undefined ? undefined : field(r, p, 'module', isRecord, 'an object {path, digest}');
    const module =
      moduleRecord === undefined
        ? undefined
        : {
            path: field(moduleRecord, `${p}.module`, 'path', (v): v is string => isString(v) && v !== '', 'a non-empty string'),
            digest: field(moduleRecord, `${p}.module`, 'digest', (v): v is string => isString(v) && /^[0-9a-f]{64}$/.test(v), 'a sha256 in hex (64 characters 0-9a-f)'),
          };
    const meta: CounterexampleMeta = {
      formatVersion: version,
      toolVersion: field(r, p, 'toolVersion', isString, 'a string'),
      spec: field(r, p, 'spec', isString, 'a string'),
      ...(module === undefined ? {} : { module }),
      params: field(r, p, 'params', isParams, 'an object of integers and strings'),
      property: field(r, p, 'property', isString, 'a string'),
      category: field(r, p, 'category', oneOf('safety', 'liveness'), '"safety" or "liveness"'),
      expected: field(r, p, 'expected', oneOf('violates', 'fixed'), '"violates" or "fixed"'),
      initIndex: field(r, p, 'initIndex', isNat, 'an integer ≥ 0'),
      labels,
      ...(loopStart === undefined ? {} : { loopStart }),
      explanation: field(r, p, 'explanation', isString, 'a string'),
      ...(r['finding'] === undefined ? {} : { finding: field(r, p, 'finding', isFinding, 'a finding (summary, reason, subjects)') }),
      strategy: field(r, p, 'strategy', oneOf('bfs', 'dfs', 'simulate', 'explore'), '"bfs", "dfs", "simulate" or "explore"'),
      ...(seed === undefined ? {} : { seed }),
      foundLength: field(r, p, 'foundLength', isNat, 'an integer ≥ 0'),
      shrunkLength: field(r, p, 'shrunkLength', isNat, 'an integer ≥ 0'),
    };
    const vars = field(json, '', 'vars', isStrings, 'an array of strings');
    const states = field(json, '', 'states', (v): v is ItfState[] => Array.isArray(v) && v.every(isRecord), 'an array of objects');
    const description = typeof head['description'] === 'string' ? head['description'] : '';
    return { status: 'ok', file: { meta, description, vars, states } };
  } catch (error) {
    if (error instanceof Malformed) return { status: 'malformed', message: `not an rrcheck counterexample file: ${error.message.replace(/^\./, '')}` };
    throw error;
  }
}
