/**
 * User spec modules: a spec argument that is a path names an ES module whose
 * export is a SpecDefinition (core/spec.ts), or an array of them. This file
 * decides what counts as a path, imports the module, validates what it
 * exports (every problem in one line, with its own exit code), and builds a
 * spec of it in a worker thread of a parallel search.
 *
 * The contract, as the README's "Writing your own spec" states it:
 * - a spec argument is a module path when it contains `/` (or `\`) or ends
 *   in `.js`, `.mjs` or `.cjs`; anything else is a spec id of the registry;
 *   `path#id` picks one spec of a module that exports several;
 * - the module's default export, or else its export named `spec`, is a
 *   SpecDefinition or a non-empty array of them;
 * - a SpecDefinition has `id` (kebab-case), `title`, `params` (an array of
 *   ParamSchema), `build` (a function), and optionally `summary`.
 *
 * Exit codes: moduleNotFound (9), moduleThrows (10, on import, or a build
 * that throws something other than a UserError), badModule (11, no spec
 * export or not of the shape); an id after `#` that the module does not
 * export is badSpec (3), as an unknown registry id is.
 */
import { createHash } from 'node:crypto';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ExitCode, isUserError, UserError } from '../core/exitCodes.js';
import type { CheckTarget } from '../core/model.js';
import type { ParamRecord } from '../core/params.js';
import type { BuildContext, ParamSchema, ParamValue, SpecDefinition } from '../core/spec.js';
import type { ModuleRecord } from '../trace/counterexampleFile.js';
import { readInputBytes } from './inputFiles.js';

/** A loaded spec module. */
export interface SpecModule {
  /** The path as the user (or a file) gave it: how messages name the module. */
  readonly given: string;
  /** Absolute path of the file. */
  readonly path: string;
  /** Its file: URL, as import() took it (what a worker thread imports), with `?sha256=` and the digest's first 16 digits. */
  readonly url: string;
  /** sha256 of the file's bytes, lowercase hex. */
  readonly digest: string;
  /** What it exports, validated, each build wrapped (see wrapBuild). */
  readonly specs: readonly SpecDefinition[];
}

/** A spec argument: a registry id, or a module path with an optional `#id`. */
export type SpecArg = { readonly kind: 'id'; readonly id: string } | { readonly kind: 'module'; readonly path: string; readonly id?: string };

/** Whether a spec argument names a module file rather than a registry id. */
export function looksLikePath(arg: string): boolean {
  const path = arg.includes('#') ? arg.slice(0, arg.lastIndexOf('#')) : arg;
  return path.includes('/') || path.includes('\\') || /\.(?:m|c)?js$/.test(path);
}

export function parseSpecArg(arg: string): SpecArg {
  if (!looksLikePath(arg)) return { kind: 'id', id: arg };
  const hash = arg.lastIndexOf('#');
  if (hash < 0 || !looksLikePath(arg.slice(0, hash))) return { kind: 'module', path: arg };
  const id = arg.slice(hash + 1);
  return id === '' ? { kind: 'module', path: arg.slice(0, hash) } : { kind: 'module', path: arg.slice(0, hash), id };
}

/** sha256 of a file's bytes, lowercase hex; only a regular file under the input size cap is read (not a FIFO or a device). */
export function fileDigest(path: string): string {
  return createHash('sha256').update(readInputBytes(path)).digest('hex');
}

/** The first line of an error's message (a thrown non-Error as text). */
function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.trim();
}

/**
 * Loads the module `given` names, relative to `baseDir` (default: the working
 * folder). `name` is how messages call it (default `given`).
 */
export async function loadSpecModule(given: string, baseDir: string = process.cwd(), name: string = given): Promise<SpecModule> {
  const path = isAbsolute(given) ? given : resolve(baseDir, given);
  let digest: string;
  try {
    digest = fileDigest(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not found' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read: ${firstLine(error)}`;
    throw new UserError(`spec module ${name} ${why}${name === path ? '' : ` (${path})`}`, ExitCode.moduleNotFound);
  }
  // The digest in the URL: a module that changed is imported anew, never taken from the cache.
  const url = `${pathToFileURL(path).href}?sha256=${digest.slice(0, 16)}`;
  return { given: name, path, url, digest, specs: await importSpecs(url, name) };
}

/** Imports the module at `url` and returns its validated specs; `name` names it in messages. */
export async function importSpecs(url: string, name: string = fileURLToPath(url)): Promise<readonly SpecDefinition[]> {
  let exports: Record<string, unknown>;
  try {
    exports = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    // The file itself exists (loadSpecModule read it): what is not found is something it imports.
    const hint = /Cannot find package 'rrcheck'/.test(firstLine(error)) ? ' (add rrcheck as a development dependency of the module\'s project)' : '';
    throw new UserError(`spec module ${name} throws on import: ${firstLine(error)}${hint}`, ExitCode.moduleThrows);
  }
  return specsOfExports(exports, name);
}

/**
 * The specs a module's exports hold: `default`, else `spec`; a SpecDefinition
 * or a non-empty array of them with distinct ids. Every problem found is
 * named, in one line.
 */
export function specsOfExports(exports: Readonly<Record<string, unknown>>, name: string): readonly SpecDefinition[] {
  const key = exports['default'] !== undefined ? 'default' : exports['spec'] !== undefined ? 'spec' : undefined;
  if (key === undefined) {
    const names = Object.keys(exports);
    throw new UserError(
      `spec module ${name} exports no spec: it needs a default export or an export named spec (it exports ${names.length === 0 ? 'nothing' : names.join(', ')})`,
      ExitCode.badModule,
    );
  }
  const value = exports[key];
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  const where = (i: number) => (Array.isArray(value) ? `${key === 'default' ? 'default export' : 'spec'}[${i}]` : key === 'default' ? 'default export' : 'export spec');
  const problems: string[] = [];
  if (list.length === 0) problems.push(`${where(0).replace(/\[0\]$/, '')} is an empty array`);
  const ids = new Set<string>();
  list.forEach((item, i) => {
    const found = shapeProblems(item);
    problems.push(...found.map((p) => `${where(i)}${p}`));
    const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
    if (typeof id === 'string') {
      if (ids.has(id)) problems.push(`${where(i)}.id: a second spec with id ${id}`);
      ids.add(id);
    }
  });
  if (problems.length > 0) {
    const shown = problems.length > 12 ? [...problems.slice(0, 12), `and ${problems.length - 12} more`] : problems;
    throw new UserError(`spec module ${name} does not export a SpecDefinition: ${shown.join('; ')}`, ExitCode.badModule);
  }
  return list.map((item) => wrapBuild(item as SpecDefinition, name));
}

const PARAM_TYPES = ['integer', 'choice', 'set'];

/** Flags of the commands, which a spec parameter may not be named. */
export const RESERVED_FLAGS = new Set([
  'strategy', 'max-depth', 'max-states', 'timeout', 'continue', 'json', 'progress-interval', 'coverage', 'out', 'seed', 'runs',
  'max-steps', 'workers', 'memory', 'help', 'version', 'format', 'output', 'junit', 'filter',
  'scenario', 'jitter', 'failures', 'delta-ms', 'bandwidth-mbps', 'detect-ms', 'restore-ms', 'stable-write-ms', 'cpu-ms', 'paper', 'sweep',
  'port', 'search-timeout',
]);

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : typeof v === 'function' ? 'a function' : `${typeof v} ${JSON.stringify(v)?.slice(0, 30)}`;
}

/** What is wrong with a would-be SpecDefinition, as ".field: problem" strings (or ": problem" for the whole). */
function shapeProblems(spec: unknown): string[] {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return [` is ${describe(spec)}, not a spec object {id, title, params, build}`];
  const s = spec as Record<string, unknown>;
  const out: string[] = [];
  if (typeof s['id'] !== 'string') out.push(`.id ${s['id'] === undefined ? 'is missing' : `must be a string, not ${describe(s['id'])}`}`);
  else if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(s['id'])) out.push(`.id "${s['id']}" must be kebab-case (a-z, 0-9, single dashes)`);
  if (typeof s['title'] !== 'string') out.push(`.title ${s['title'] === undefined ? 'is missing' : 'must be a string'}`);
  if (s['summary'] !== undefined && typeof s['summary'] !== 'string') out.push('.summary must be a string');
  if (typeof s['build'] !== 'function') out.push(`.build ${s['build'] === undefined ? 'is missing' : `must be a function (params) → {model, properties, view}, not ${describe(s['build'])}`}`);
  const params = s['params'];
  if (!Array.isArray(params)) out.push(`.params ${params === undefined ? 'is missing (write params: [] for none)' : 'must be an array of parameters'}`);
  else {
    const names = new Set<string>();
    params.forEach((p: unknown, i) => {
      const at = `.params[${i}]`;
      if (typeof p !== 'object' || p === null || Array.isArray(p)) {
        out.push(`${at} must be an object {name, type, description, defaultValue}`);
        return;
      }
      const q = p as Record<string, unknown>;
      const name = q['name'];
      if (typeof name !== 'string' || !/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/.test(name)) out.push(`${at}.name must be a kebab-case string, not ${describe(name)}`);
      else if (RESERVED_FLAGS.has(name)) out.push(`${at}.name ${name} clashes with the command option --${name}`);
      else if (names.has(name)) out.push(`${at}.name: a second parameter named ${name}`);
      else names.add(name);
      if (!PARAM_TYPES.includes(q['type'] as string)) out.push(`${at}.type must be "integer", "choice" or "set", not ${describe(q['type'])}`);
      if (typeof q['description'] !== 'string') out.push(`${at}.description ${q['description'] === undefined ? 'is missing' : 'must be a string'}`);
      const d = q['defaultValue'];
      if (typeof d !== 'number' && typeof d !== 'string' && typeof d !== 'function') out.push(`${at}.defaultValue must be a number, a string or a function of the parameters before it`);
      for (const bound of ['min', 'max']) {
        if (q[bound] !== undefined && !Number.isSafeInteger(q[bound])) out.push(`${at}.${bound} must be an integer`);
      }
      const choices = q['choices'];
      const choiceList = Array.isArray(choices) && choices.length > 0 && choices.every((c) => typeof c === 'string') ? (choices as string[]) : undefined;
      if ((q['type'] === 'choice' || q['type'] === 'set') && choiceList === undefined) out.push(`${at}.choices must be a non-empty array of strings for type ${String(q['type'])}`);
      // A fixed default must be a value of its own parameter (a computed one is checked when resolved).
      if (q['type'] === 'integer' && typeof d !== 'function' && d !== undefined) {
        const min = typeof q['min'] === 'number' ? q['min'] : -Infinity;
        const max = typeof q['max'] === 'number' ? q['max'] : Infinity;
        if (!Number.isSafeInteger(d) || (d as number) < min || (d as number) > max) out.push(`${at}.defaultValue ${describe(d)} is not an integer within its min and max`);
      }
      if (q['type'] === 'choice' && choiceList !== undefined && typeof d !== 'function' && !choiceList.includes(d as string)) {
        out.push(`${at}.defaultValue ${describe(d)} is not one of its choices (${choiceList.join(', ')})`);
      }
    });
  }
  return out;
}

/**
 * The spec with its build guarded: a UserError (also one of another copy of
 * rrcheck) keeps its exit code; anything else thrown is the module's fault
 * (moduleThrows), named in one line; a result without `model`, `properties`
 * and `view` is badModule.
 */
function wrapBuild(spec: SpecDefinition, name: string): SpecDefinition {
  const build = (params: Readonly<Record<string, ParamValue>>, context?: BuildContext): CheckTarget<unknown, unknown> => {
    let target: unknown;
    try {
      target = context === undefined ? spec.build(params) : spec.build(params, context);
    } catch (error) {
      if (error instanceof UserError) throw error;
      if (isUserError(error)) throw new UserError(error.message, error.exitCode);
      throw new UserError(`spec ${spec.id} of ${name}: build throws: ${firstLine(error)}`, ExitCode.moduleThrows);
    }
    const t = target as Partial<CheckTarget<unknown, unknown>> | null;
    const missing: string[] = [];
    if (typeof t?.model !== 'object' || t.model === null) missing.push('model');
    else for (const f of ['init', 'actions', 'next', 'label', 'fingerprint'] as const) if (typeof t.model[f] !== 'function') missing.push(`model.${f}`);
    if (!Array.isArray(t?.properties)) missing.push('properties');
    if (typeof t?.view !== 'function') missing.push('view');
    if (missing.length > 0) {
      throw new UserError(`spec ${spec.id} of ${name}: build returns no ${missing.join(', ')} (a CheckTarget has model, properties and view)`, ExitCode.badModule);
    }
    return target as CheckTarget<unknown, unknown>;
  };
  return {
    id: spec.id,
    title: spec.title,
    summary: typeof spec.summary === 'string' ? spec.summary : '',
    params: spec.params as readonly ParamSchema[],
    build,
  };
}

/** The spec `id` of a module, or its sole spec when `id` is absent. */
export function pickSpec(module: Pick<SpecModule, 'given' | 'specs'>, id: string | undefined): SpecDefinition {
  const ids = module.specs.map((s) => s.id).join(', ');
  if (id === undefined) {
    if (module.specs.length === 1) return module.specs[0]!;
    throw new UserError(`spec module ${module.given} exports ${module.specs.length} specs (${ids}): name one as ${module.given}#<id>`, ExitCode.badSpec);
  }
  const spec = module.specs.find((s) => s.id === id);
  if (spec === undefined) throw new UserError(`spec module ${module.given} has no spec ${id} (it exports ${ids})`, ExitCode.badSpec);
  return spec;
}

/** What a worker thread of a parallel search is given to build a module's spec (engine WorkerTarget args). */
export interface ModuleBuildArgs {
  /** The module's file: URL. */
  readonly module: string;
  readonly spec: string;
  readonly params: ParamRecord;
}

/**
 * The WorkerTarget export for module specs: imports the module in the worker
 * thread, validates it as the CLI did, and builds the spec attached to the
 * caller's shared memory.
 */
export async function buildFromModule(args: ModuleBuildArgs, shared: unknown): Promise<CheckTarget<unknown, unknown>> {
  const specs = await importSpecs(args.module);
  const spec = pickSpec({ given: fileURLToPath(args.module), specs }, args.spec);
  return spec.build(args.params, { shared });
}

/** A path for messages: relative to the working folder when it is below it, else absolute. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/**
 * The module a counterexample file records (`#meta.rrcheck.module`), its
 * path resolved against the folder of the file. `warning` is set, without
 * the `rrcheck: warning:` prefix, when the module's digest differs from the
 * recorded one: the replay goes on, and its verdict decides.
 */
export async function recordedModule(record: ModuleRecord, filePath: string): Promise<{ module: SpecModule; warning?: string }> {
  const path = resolve(dirname(filePath), record.path);
  let module: SpecModule;
  try {
    module = await loadSpecModule(path, undefined, shownPath(path));
  } catch (error) {
    if (error instanceof UserError && error.exitCode === ExitCode.moduleNotFound) {
      // Not there, or there but not readable as a module file (a folder, a FIFO, a device): the inner message says which.
      const head = `spec module ${shownPath(path)} `;
      const why = error.message.startsWith(head) ? error.message.slice(head.length).replace(` (${path})`, '') : 'not found';
      throw new UserError(`spec module ${record.path}, recorded in ${filePath}, ${why} (looked for ${path})`, ExitCode.moduleNotFound);
    }
    throw error;
  }
  if (module.digest === record.digest) return { module };
  return {
    module,
    warning: `${module.given} changed since the counterexample was saved (sha256 ${record.digest.slice(0, 12)}… then, ${module.digest.slice(0, 12)}… now)`,
  };
}
