/**
 * The gate matrix: a JSON file listing checks (spec × parameters) with the
 * outcome each must have. This module parses and validates it against the
 * spec registry, with one-line errors (UserError, exit code badSpec) that
 * name the file and the entry. Pure: text in, checks out; the command reads
 * the file.
 *
 * ```json
 * {
 *   "corpus": "../counterexamples",
 *   "defaults": { "maxStates": 3000000, "timeoutSeconds": 900 },
 *   "checks": [
 *     { "spec": "nonblocking", "params": { "workload": ["chain", "ring"], "n": [3, 4], "f": 1 }, "expect": "holds" },
 *     { "spec": "naive", "params": { "n": 3, "f": 1 }, "expect": "violates safety", "steps": 9 },
 *     { "spec": "blocking", "params": { "n": 3, "f": 2 },
 *       "expect": { "nonBlocking": "violated" },
 *       "require": { "gathering-restart": ">= 1" } }
 *   ]
 * }
 * ```
 *
 * - A parameter given as an array expands the entry into one check per value
 *   (the cross product over every array, in key order).
 * - `expect`: `"holds"` (an exhaustive search, every property holds);
 *   `"violates P"` (the search, stopping at its first violation, finds one of
 *   P; `steps` pins its length, which BFS makes the shortest); or an object
 *   of property verdicts (`"holds"` / `"violated"`), checked by an exhaustive
 *   search that continues after violations, where a property not named must
 *   hold.
 * - `note`: free text for the reader (why this expectation), ignored.
 * - `module`: a spec module (`"./model/my-spec.mjs"`, relative to the matrix
 *   file) whose spec the entry checks instead of the registry's; `spec` then
 *   names one of its specs, and may be left out when it exports only one.
 *   The command loads the modules before parsing (parseMatrix's `modules`).
 * - `require`: coverage the run must reach, by coverage point (steps taken at
 *   it) or gauge (greatest value), as `">= 1"`, `"== 0"`…, or a number
 *   meaning at least that many.
 */
import { ExitCode, UserError } from '../../core/exitCodes.js';
import { type ParamRecord, resolveParams } from '../../core/params.js';
import type { ParamValue, SpecDefinition } from '../../core/spec.js';
import { paramList } from '../output.js';
import { pickSpec, type SpecModule } from '../specModule.js';

export type Verdict = 'holds' | 'violated';

export type Expectation =
  | { readonly kind: 'holds' }
  | { readonly kind: 'violates'; readonly property: string; readonly steps?: number }
  | { readonly kind: 'verdicts'; readonly verdicts: Readonly<Record<string, Verdict>> };

export type Comparison = '>=' | '>' | '<=' | '<' | '==';

export interface Requirement {
  readonly name: string;
  readonly op: Comparison;
  readonly value: number;
}

export interface GateCheck {
  /** Unique within the matrix: the entry's `name`, or the spec id and the parameters it gives. */
  readonly name: string;
  readonly spec: string;
  /** The spec module the spec comes from (absent: the registry). */
  readonly module?: SpecModule;
  /** Resolved: every parameter of the spec, defaults applied. */
  readonly params: ParamRecord;
  readonly expect: Expectation;
  readonly require: readonly Requirement[];
  readonly strategy: 'bfs' | 'dfs';
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly timeoutSeconds?: number;
}

export interface GateMatrix {
  readonly checks: readonly GateCheck[];
  /** The corpus folder as written in the file (relative to the file), if any. */
  readonly corpus?: string;
}

const entryKeys = new Set(['name', 'note', 'module', 'spec', 'params', 'expect', 'steps', 'require', 'strategy', 'maxStates', 'maxDepth', 'timeoutSeconds']);
const boundKeys = ['maxStates', 'maxDepth', 'timeoutSeconds'] as const;
const topKeys = new Set(['$comment', 'description', 'corpus', 'defaults', 'checks']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Human form of an expectation, as the gate prints it: "holds", "violates safety (9 steps)", "violates nonBlocking; holds safety, …". */
export function expectationText(e: Expectation): string {
  switch (e.kind) {
    case 'holds':
      return 'holds';
    case 'violates':
      return e.steps === undefined ? `violates ${e.property}` : `violates ${e.property} (${e.steps} steps)`;
    case 'verdicts': {
      const violated = Object.keys(e.verdicts).filter((p) => e.verdicts[p] === 'violated');
      return violated.length === 0 ? 'holds' : `violates ${violated.join(', ')} only`;
    }
  }
}

export function requirementText(r: Requirement): string {
  return `${r.name} ${r.op} ${r.value}`;
}

/** Whether `actual` meets the requirement. */
export function meets(r: Requirement, actual: number): boolean {
  switch (r.op) {
    case '>=':
      return actual >= r.value;
    case '>':
      return actual > r.value;
    case '<=':
      return actual <= r.value;
    case '<':
      return actual < r.value;
    case '==':
      return actual === r.value;
  }
}

/**
 * The `module` values of a matrix's entries, each once, in order (for the
 * command to load before parseMatrix); [] for text that parseMatrix refuses.
 */
export function matrixModules(text: string): string[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return [];
  }
  const entries = isRecord(json) && Array.isArray(json['checks']) ? (json['checks'] as unknown[]) : [];
  const found = entries.map((e) => (isRecord(e) ? e['module'] : undefined)).filter((m): m is string => typeof m === 'string' && m !== '');
  return [...new Set(found)];
}

/**
 * Parses and validates a matrix. `file` only names the source in error
 * messages; `modules` holds the loaded spec modules by the `module` value
 * that names them.
 */
export function parseMatrix(text: string, file: string, registry: readonly SpecDefinition[], modules: ReadonlyMap<string, SpecModule> = new Map()): GateMatrix {
  const bad = (where: string, why: string) => new UserError(`bad gate matrix ${file}: ${where}${where === '' ? '' : ': '}${why}`, ExitCode.badSpec);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw bad('', `not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isRecord(json)) throw bad('', 'must be a JSON object with a "checks" array');
  for (const key of Object.keys(json)) if (!topKeys.has(key)) throw bad(key, `unknown field (known: ${[...topKeys].join(', ')})`);
  const corpus = json['corpus'];
  if (corpus !== undefined && (typeof corpus !== 'string' || corpus === '')) throw bad('corpus', 'must be a folder path');
  const defaults = json['defaults'] ?? {};
  if (!isRecord(defaults)) throw bad('defaults', 'must be an object');
  for (const key of Object.keys(defaults)) {
    if (!(boundKeys as readonly string[]).includes(key) && key !== 'strategy') throw bad(`defaults.${key}`, `unknown field (known: strategy, ${boundKeys.join(', ')})`);
  }
  const entries = json['checks'];
  if (!Array.isArray(entries) || entries.length === 0) throw bad('checks', 'must be a non-empty array');
  const checks: GateCheck[] = [];
  const names = new Set<string>();
  entries.forEach((entry, i) => {
    for (const check of parseEntry(entry, `checks[${i}]`, defaults, registry, modules, bad)) {
      if (names.has(check.name)) throw bad(`checks[${i}]`, `a second check named "${check.name}" (give each entry a distinct name)`);
      names.add(check.name);
      checks.push(check);
    }
  });
  return corpus === undefined ? { checks } : { checks, corpus: corpus as string };
}

type Bad = (where: string, why: string) => UserError;

function specOfEntry(
  entry: Record<string, unknown>,
  at: string,
  registry: readonly SpecDefinition[],
  modules: ReadonlyMap<string, SpecModule>,
  bad: Bad,
): { spec: SpecDefinition; module?: SpecModule } {
  const specId = entry['spec'];
  if (specId !== undefined && typeof specId !== 'string') throw bad(`${at}.spec`, 'must be a spec id');
  const given = entry['module'];
  if (given !== undefined) {
    if (typeof given !== 'string' || given === '') throw bad(`${at}.module`, 'must be the path of a spec module, relative to the matrix');
    const module = modules.get(given);
    if (module === undefined) throw bad(`${at}.module`, `spec module ${given} is not loaded`);
    try {
      return { spec: pickSpec(module, specId), module };
    } catch (error) {
      if (error instanceof UserError) throw bad(`${at}.spec`, error.message);
      throw error;
    }
  }
  if (specId === undefined) throw bad(`${at}.spec`, 'must be a spec id');
  const spec = registry.find((s) => s.id === specId);
  if (spec === undefined) throw bad(`${at}.spec`, `unknown spec ${specId} (known: ${registry.map((s) => s.id).join(', ')})`);
  return { spec };
}

function parseEntry(
  entry: unknown,
  at: string,
  defaults: Record<string, unknown>,
  registry: readonly SpecDefinition[],
  modules: ReadonlyMap<string, SpecModule>,
  bad: Bad,
): GateCheck[] {
  if (!isRecord(entry)) throw bad(at, 'must be an object');
  for (const key of Object.keys(entry)) if (!entryKeys.has(key)) throw bad(`${at}.${key}`, `unknown field (known: ${[...entryKeys].join(', ')})`);
  const { spec, module } = specOfEntry(entry, at, registry, modules, bad);
  const specId = spec.id;
  const where = `${at} (${specId})`;
  const expect = parseExpect(entry['expect'], entry['steps'], `${where}.expect`, bad);
  const require = parseRequire(entry['require'], `${where}.require`, bad);
  const strategy = entry['strategy'] ?? defaults['strategy'] ?? 'bfs';
  if (strategy !== 'bfs' && strategy !== 'dfs') throw bad(`${where}.strategy`, 'must be bfs or dfs');
  const bounds: { maxStates?: number; maxDepth?: number; timeoutSeconds?: number } = {};
  for (const key of boundKeys) {
    const value = entry[key] ?? defaults[key];
    if (value === undefined) continue;
    const integer = key !== 'timeoutSeconds';
    if (typeof value !== 'number' || !(value > 0 || (key === 'maxDepth' && value === 0)) || (integer && !Number.isSafeInteger(value))) {
      throw bad(`${where}.${key}`, `must be a positive ${integer ? 'integer' : 'number'}`);
    }
    bounds[key] = value;
  }
  const given = entry['params'] ?? {};
  if (!isRecord(given)) throw bad(`${where}.params`, 'must be an object of parameter values');
  const combos = expand(given, `${where}.params`, bad);
  const name = entry['name'];
  if (name !== undefined && (typeof name !== 'string' || name.trim() === '')) throw bad(`${where}.name`, 'must be a non-empty string');
  if (name !== undefined && combos.length > 1) throw bad(`${where}.name`, `names one check but params expand to ${combos.length}`);
  return combos.map((values) => {
    let params: ParamRecord;
    let target;
    try {
      params = resolveParams(spec.params, values, spec.id);
      target = spec.build(params);
    } catch (error) {
      if (error instanceof UserError) {
        // A spec module's own failure (its build throws) keeps its exit code.
        const problem = bad(`${where}.params`, error.message);
        throw error.exitCode === ExitCode.badSpec ? problem : new UserError(problem.message, error.exitCode);
      }
      throw error;
    }
    const properties = target.properties.map((p) => p.name);
    const named = expect.kind === 'violates' ? [expect.property] : expect.kind === 'verdicts' ? Object.keys(expect.verdicts) : [];
    for (const p of named) {
      if (!properties.includes(p)) throw bad(`${where}.expect`, `unknown property ${p} (known: ${properties.join(', ')})`);
    }
    if (require.length > 0) {
      const coverage = target.coverage;
      if (coverage === undefined) throw bad(`${where}.require`, `spec ${spec.id} declares no coverage points`);
      const known = [...coverage.points.map((p) => p.name), ...coverage.gauges.map((g) => g.name)];
      for (const r of require) {
        if (!known.includes(r.name)) throw bad(`${where}.require`, `${r.name} is not a coverage point or gauge of this configuration (known: ${known.join(', ')})`);
      }
    }
    const shown = paramList(values as ParamRecord);
    return {
      name: typeof name === 'string' ? name.trim() : shown === '' ? spec.id : `${spec.id} ${shown}`,
      spec: spec.id,
      ...(module === undefined ? {} : { module }),
      params,
      expect,
      require,
      strategy,
      ...bounds,
    };
  });
}

/** The cross product of the array-valued parameters, in key order. */
function expand(given: Record<string, unknown>, at: string, bad: Bad): Record<string, ParamValue>[] {
  let combos: Record<string, ParamValue>[] = [{}];
  for (const [key, raw] of Object.entries(given)) {
    const values = Array.isArray(raw) ? raw : [raw];
    if (values.length === 0) throw bad(`${at}.${key}`, 'an empty list of values');
    for (const v of values) {
      if (typeof v !== 'number' && typeof v !== 'string') throw bad(`${at}.${key}`, 'values must be numbers or strings');
    }
    combos = combos.flatMap((c) => (values as ParamValue[]).map((v) => ({ ...c, [key]: v })));
  }
  return combos;
}

function parseExpect(raw: unknown, steps: unknown, at: string, bad: Bad): Expectation {
  if (steps !== undefined && (typeof steps !== 'number' || !Number.isSafeInteger(steps) || steps < 0)) {
    throw bad(at.replace(/\.expect$/, '.steps'), 'must be a whole number of steps');
  }
  if (raw === 'holds') {
    if (steps !== undefined) throw bad(at.replace(/\.expect$/, '.steps'), 'only goes with "violates <property>"');
    return { kind: 'holds' };
  }
  if (typeof raw === 'string') {
    const m = /^violates\s+(\S+)$/.exec(raw.trim());
    if (m === null) throw bad(at, `"${raw}" is not "holds" or "violates <property>"`);
    return steps === undefined ? { kind: 'violates', property: m[1]! } : { kind: 'violates', property: m[1]!, steps: steps as number };
  }
  if (isRecord(raw)) {
    if (steps !== undefined) throw bad(at.replace(/\.expect$/, '.steps'), 'only goes with "violates <property>"');
    const verdicts: Record<string, Verdict> = {};
    for (const [p, v] of Object.entries(raw)) {
      if (v !== 'holds' && v !== 'violated') throw bad(`${at}.${p}`, `must be "holds" or "violated", not ${JSON.stringify(v)}`);
      verdicts[p] = v;
    }
    if (Object.keys(verdicts).length === 0) throw bad(at, 'an empty object of verdicts (write "holds")');
    return { kind: 'verdicts', verdicts };
  }
  throw bad(at, 'missing: "holds", "violates <property>", or an object of property verdicts');
}

function parseRequire(raw: unknown, at: string, bad: Bad): Requirement[] {
  if (raw === undefined) return [];
  if (!isRecord(raw)) throw bad(at, 'must be an object of coverage point → ">= N"');
  return Object.entries(raw).map(([name, condition]) => {
    if (typeof condition === 'number' && Number.isSafeInteger(condition) && condition >= 0) return { name, op: '>=' as const, value: condition };
    const m = typeof condition === 'string' ? /^\s*(>=|<=|==|>|<)\s*(\d+)\s*$/.exec(condition) : null;
    if (m === null) throw bad(`${at}.${name}`, `${JSON.stringify(condition)} is not a condition such as ">= 1" or "== 0"`);
    return { name, op: m[1] as Comparison, value: Number(m[2]) };
  });
}
