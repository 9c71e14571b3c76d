/**
 * The command line, as a function from arguments to an exit code: yargs
 * parses (strictly), the commands run with the injected registry, explorer
 * and streams, and every failure becomes one line on stderr and a code from
 * the one table in core/exitCodes.ts. main.ts is the only caller that touches
 * the process; tests call runCli directly.
 */
import yargs from 'yargs';
import type { Argv } from 'yargs';
import { echo, safeLine } from '../core/echo.js';
import { ExitCode, type ExitCodeValue, isUserError, UserError } from '../core/exitCodes.js';
import { defaultParams } from '../core/params.js';
import type { ParamSchema, SpecDefinition } from '../core/spec.js';
import type { TimingParameters } from '../core/timing.js';
import { type CheckDeps, findSpec, runCheck } from './commands/check.js';
import { limitsOf, runList } from './commands/list.js';
import { type GateDeps, runGate } from './commands/gate.js';
import { runMetrics } from './commands/metrics.js';
import { runReplay } from './commands/replay.js';
import { DEFAULT_MAX_STEPS, DEFAULT_RUNS, runSimulate, type SimulateDeps } from './commands/simulate.js';
import { DEFAULT_OUT } from './counterexamples.js';
import { renderFormats, runRender } from './commands/render.js';
import { DEFAULT_TIMING, runTimed, TIMED_SCENARIO_NAMES } from './commands/timed.js';
import { runCompare } from './commands/compare.js';
import { COMPARED_SPECS, DEFAULT_SIZES } from '../../specs/comparison.js';
import { DEFAULT_INIT_FILE, runInit } from './commands/init.js';
import { DEFAULT_PORT, DEFAULT_SEARCH_SECONDS, DEFAULT_SEARCH_STATES, runExplore, type ExploreDeps } from './commands/explore.js';
import { loadCounterexample } from './commands/replay.js';
import { loadSpecModule, looksLikePath, parseSpecArg, pickSpec, recordedModule, RESERVED_FLAGS, type SpecModule } from './specModule.js';

export interface CliDeps extends GateDeps, SimulateDeps, ExploreDeps {
  /** Printed by --version. */
  readonly version: string;
}

/** --checkpoint, --checkpoint-interval and --resume as CheckArgs fields (each flag at most once). */
function checkpointArgs(argv: Record<string, unknown>): { checkpoint?: string; checkpointIntervalSeconds?: number; resume?: string } {
  const checkpoint = single('checkpoint', argv['checkpoint']) as string | undefined;
  const interval = single('checkpoint-interval', argv['checkpoint-interval']) as number | undefined;
  const resume = single('resume', argv['resume']) as string | undefined;
  return {
    ...(checkpoint === undefined ? {} : { checkpoint }),
    ...(interval === undefined ? {} : { checkpointIntervalSeconds: interval }),
    ...(resume === undefined ? {} : { resume }),
  };
}

function usage(message: string): UserError {
  return new UserError(message, ExitCode.usage);
}

/** The one value of a flag; a flag given twice is a usage error, not a silent pick. */
function single(flag: string, value: unknown): unknown {
  if (Array.isArray(value)) throw usage(`--${flag} given ${value.length} times`);
  return value;
}

/** The one text value of a value flag (a boolean or an object from yargs is a usage error, never a crash later). */
function singleText(flag: string, value: unknown): string {
  const one = single(flag, value);
  if (typeof one !== 'string') throw usage(`--${flag} needs a value`);
  return one;
}

function integerFlag(flag: string, min: number) {
  return (raw: unknown): number => {
    const value = single(flag, raw);
    const text = String(value).trim();
    const n = Number(text);
    if (text === '' || !Number.isSafeInteger(n) || n < min) {
      throw usage(`--${flag} must be an integer ≥ ${min}, not "${String(value)}"`);
    }
    return n;
  };
}

function secondsFlag(flag: string, allowZero: boolean) {
  return (raw: unknown): number => {
    const value = single(flag, raw);
    const text = String(value).trim();
    const n = Number(text);
    if (text === '' || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
      throw usage(`--${flag} must be a number of seconds${allowZero ? ' ≥ 0' : ' > 0'}, not "${String(value)}"`);
    }
    return n;
  };
}

const SIZE_UNITS: Record<string, number> = { '': 1, B: 1, K: 2 ** 10, KB: 2 ** 10, M: 2 ** 20, MB: 2 ** 20, G: 2 ** 30, GB: 2 ** 30, T: 2 ** 40, TB: 2 ** 40 };

/** --memory: a byte count with an optional binary unit (512M, 8G, 1.5GB); at least 64 MB. */
export function sizeFlag(flag: string) {
  return (raw: unknown): number => {
    const value = single(flag, raw);
    const text = String(value).trim().toUpperCase();
    const match = /^(\d+(?:\.\d+)?)\s*([KMGT]?B?)$/.exec(text);
    const bytes = match === null ? NaN : Number(match[1]) * SIZE_UNITS[match[2]!]!;
    if (!Number.isFinite(bytes) || bytes < 2 ** 26) {
      throw usage(`--${flag} must be a size of at least 64M, such as 512M or 8G, not "${String(value).slice(0, 40)}"`);
    }
    return Math.floor(bytes);
  };
}

/** The spec parameters across all specs, each once (the first spec to declare a name describes it). */
function paramFlags(registry: readonly SpecDefinition[], defaultSpec: string): { schema: ParamSchema; defaults: string }[] {
  const seen = new Map<string, { schema: ParamSchema; defaults: string }>();
  const main = registry.find((s) => s.id === defaultSpec);
  const mainDefaults = main === undefined ? {} : defaultParams(main.params);
  for (const spec of main === undefined ? registry : [main, ...registry]) {
    for (const p of spec.params) {
      if (seen.has(p.name)) continue;
      const d = spec === main ? mainDefaults[p.name] : undefined;
      seen.set(p.name, { schema: p, defaults: d === undefined ? '' : `, default ${String(d)}` });
    }
  }
  return [...seen.values()];
}

const commands = ['check', 'gate', 'simulate', 'replay', 'metrics', 'timed', 'compare', 'list', 'render', 'explore', 'init'];

/** The commands whose positional is a spec (an id, or a module path). */
const specCommands = new Set(['check', 'simulate', 'metrics', 'timed', 'list', 'explore']);

/** `explore`'s positional may also be a counterexample file: a path ending in `.json`. */
function isCounterexampleArg(arg: string): boolean {
  return arg.toLowerCase().endsWith('.json');
}

/** Flags that take no value: every other flag of a spec command consumes the next argument. */
const booleanFlags = new Set(['--continue', '--json', '--coverage', '--paper', '--sweep', '--help', '-h', '--version']);

/** What a boolean flag's `=VALUE` may say. */
const BOOLEAN_WORDS: Record<string, 'true' | 'false'> = { true: 'true', yes: 'true', false: 'false', no: 'false' };

/** The flag a token names, in kebab case (`--maxStates=5` → max-states, `-h` → help); undefined for a value. */
function flagName(arg: string): string | undefined {
  if (arg === '-h') return 'help';
  if (!arg.startsWith('--') || arg === '--') return undefined;
  const eq = arg.indexOf('=');
  return arg.slice(2, eq < 0 ? undefined : eq).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * The command line with its flags checked in the forms yargs would read
 * silently in ways nobody meant, before it parses: `--` (yargs would drop
 * what follows it), `--no-X` (a value flag would become `false`), a flag
 * given twice (also as `--camelCase` or `-h` and `--help`), and a boolean
 * flag's `=VALUE`, which must be true/yes or false/no (yargs reads any other
 * word as false) and is passed on as `=true` or `=false`. A token that starts
 * with `--` is a flag, as yargs takes it. Each refusal is a usage error.
 */
export function checkedFlags(args: readonly string[]): string[] {
  const seen = new Set<string>();
  return args.map((arg) => {
    if (arg === '--') throw usage('"--" is not accepted: rrcheck reads no arguments after it; give every flag before it, or none');
    if (arg !== '-h' && !arg.startsWith('--')) return arg;
    const eq = arg.indexOf('=');
    const given = arg === '-h' ? 'help' : arg.slice(2, eq < 0 ? undefined : eq);
    const name = flagName(arg)!;
    if (name.startsWith('no-')) {
      throw usage(`--${echo(given)}: rrcheck has no --no- flags (a boolean flag is off when left out; a value flag needs a value)`);
    }
    if (seen.has(name)) throw usage(`--${echo(name)} given ${args.filter((a) => flagName(a) === name).length} times`);
    seen.add(name);
    if (eq < 0 || !booleanFlags.has(`--${name}`)) return arg;
    const value = arg.slice(eq + 1);
    const word = BOOLEAN_WORDS[value.toLowerCase()];
    if (word === undefined) throw usage(`--${name} takes no value, or one of true, yes, false, no; not "${echo(value)}"`);
    return `--${given}=${word}`;
  });
}

/**
 * The spec positional of a spec command, found before yargs parses (a module
 * must be loaded first, since its parameters become the command's flags).
 */
export function specPositional(args: readonly string[]): string | undefined {
  if (!specCommands.has(args[0] ?? '')) return undefined;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('-') && arg !== '-') {
      if (!arg.includes('=') && !booleanFlags.has(arg)) i++;
      continue;
    }
    return arg;
  }
  return undefined;
}

/** The spec module a spec command names, loaded, and the spec it picks (`path#id`, or its sole spec). */
interface Chosen {
  readonly module: SpecModule;
  readonly spec: SpecDefinition;
}

/** --seed: fast-check takes a 32-bit seed; non-negative ones are enough and print plainly. */
function seedFlag(raw: unknown): number {
  const value = single('seed', raw);
  const text = String(value).trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n > 0x7fffffff) {
    throw usage(`--seed must be an integer 0…${0x7fffffff}, not "${String(value)}"`);
  }
  return n;
}

const outOption = {
  type: 'string',
  default: DEFAULT_OUT,
  requiresArg: true,
  describe: 'folder for counterexample files',
  coerce: (raw: unknown) => singleText('out', raw),
} as const;

/** The spec positional and every spec parameter, for check and simulate. */
function specOptions<T>(y: Argv<T>, registry: readonly SpecDefinition[], defaultSpec: string) {
  let built = y.positional('spec', { type: 'string', describe: `spec id (default ${defaultSpec}; see rrcheck list), or a spec module: ./file.mjs or ./file.mjs#id` });
  for (const { schema, defaults } of paramFlags(registry, defaultSpec)) {
    if (RESERVED_FLAGS.has(schema.name)) throw new Error(`spec parameter ${schema.name} clashes with a command option`);
    built = built.option(schema.name, {
      type: 'string',
      requiresArg: true,
      group: 'Spec parameters:',
      describe: `${schema.description} [${limitsOf(schema)}${defaults}]`,
      coerce: (raw: unknown) => singleText(schema.name, raw),
    });
  }
  return built;
}

function simulateOptions(y: Argv, registry: readonly SpecDefinition[], defaultSpec: string) {
  const built = y
    .option('seed', { type: 'string', requiresArg: true, describe: 'seed of the random walks (default: drawn, then printed)', coerce: seedFlag })
    .option('runs', { type: 'string', default: String(DEFAULT_RUNS), requiresArg: true, describe: 'random walks at most', coerce: integerFlag('runs', 1) })
    .option('max-steps', { type: 'string', default: String(DEFAULT_MAX_STEPS), requiresArg: true, describe: 'steps per walk at most', coerce: integerFlag('max-steps', 1) })
    .option('out', outOption)
    .option('json', { type: 'boolean', default: false, describe: 'print one JSON object instead of the report' })
    .option('progress-interval', { type: 'string', default: '3', requiresArg: true, describe: 'seconds between progress lines on stderr (0: none)', coerce: secondsFlag('progress-interval', true) })
    .option('checkpoint', { type: 'string', requiresArg: true, describe: 'save the search to this file (atomically) at level boundaries, for --resume (bfs, one thread)' })
    .option('checkpoint-interval', { type: 'string', requiresArg: true, describe: 'seconds between checkpoints (default 60; 0: at every level)', coerce: secondsFlag('checkpoint-interval', true) })
    .option('resume', { type: 'string', requiresArg: true, describe: 'go on from this checkpoint (same spec, parameters and bounds); checkpoints go on into it unless --checkpoint names another file' });
  return specOptions(built, registry, defaultSpec);
}

function metricsOptions(y: Argv, registry: readonly SpecDefinition[], defaultSpec: string) {
  const built = y
    .option('max-states', { type: 'string', requiresArg: true, describe: 'stop after this many distinct states (then no figure is given)', coerce: integerFlag('max-states', 1) })
    .option('timeout', { type: 'string', requiresArg: true, describe: 'stop after this many seconds (then no figure is given)', coerce: secondsFlag('timeout', false) })
    .option('json', { type: 'boolean', default: false, describe: 'print one JSON object instead of the table' })
    .option('progress-interval', { type: 'string', default: '3', requiresArg: true, describe: 'seconds between progress lines on stderr (0: none)', coerce: secondsFlag('progress-interval', true) })
    .option('checkpoint', { type: 'string', requiresArg: true, describe: 'save the search to this file (atomically) at level boundaries, for --resume (bfs, one thread)' })
    .option('checkpoint-interval', { type: 'string', requiresArg: true, describe: 'seconds between checkpoints (default 60; 0: at every level)', coerce: secondsFlag('checkpoint-interval', true) })
    .option('resume', { type: 'string', requiresArg: true, describe: 'go on from this checkpoint (same spec, parameters and bounds); checkpoints go on into it unless --checkpoint names another file' });
  return specOptions(built, registry, defaultSpec);
}

/** A non-negative (or, without `allowZero`, positive) number, for the timing flags. */
function numberFlag(flag: string, allowZero: boolean, below?: number) {
  return (raw: unknown): number => {
    const value = single(flag, raw);
    const text = String(value).trim();
    const n = Number(text);
    if (text === '' || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0) || (below !== undefined && n >= below)) {
      const range = below !== undefined ? `in [0, ${below})` : allowZero ? '≥ 0' : '> 0';
      throw usage(`--${flag} must be a number ${range}, not "${String(value)}"`);
    }
    return n;
  };
}

/** A comma-separated list of integers, each within min…max, without repeats. */
function integerListFlag(flag: string, min: number, max: number) {
  return (raw: unknown): number[] => {
    const text = String(single(flag, raw)).trim();
    const items = text.split(',').map((x) => x.trim());
    const values = items.map(Number);
    if (text === '' || values.some((v) => !Number.isSafeInteger(v) || v < min || v > max) || new Set(values).size !== values.length) {
      throw usage(`--${flag} must be a comma-separated list of distinct integers in ${min}…${max}, not "${text.slice(0, 80)}"`);
    }
    return values;
  };
}

/** A comma-separated list of distinct names, each one of `choices`. */
function nameListFlag(flag: string, choices: readonly string[]) {
  return (raw: unknown): string[] => {
    const text = String(single(flag, raw)).trim();
    const names = text.split(',').map((x) => x.trim());
    const wrong = names.find((name) => !choices.includes(name));
    if (wrong !== undefined || new Set(names).size !== names.length) {
      throw usage(`--${flag} must be a comma-separated list of distinct names among ${choices.join(', ')}, not "${text.slice(0, 80)}"`);
    }
    return names;
  };
}

/** The timing model's flags (`timed`, `compare`), defaults the calibration to the paper's testbed. */
function timingOptions<T>(y: Argv<T>) {
  const t = DEFAULT_TIMING;
  return y
    .option('delta-ms', { type: 'string', default: String(t.latencyMs), requiresArg: true, describe: 'δ: one-way latency of a small message, handling included', coerce: numberFlag('delta-ms', true) })
    .option('bandwidth-mbps', { type: 'string', default: String(t.bandwidthMbps), requiresArg: true, describe: 'β: network bandwidth (Mb/s)', coerce: numberFlag('bandwidth-mbps', false) })
    .option('detect-ms', { type: 'string', default: String(t.detectMs), requiresArg: true, describe: 'crash → detection', coerce: numberFlag('detect-ms', true) })
    .option('restore-ms', { type: 'string', default: String(t.restoreMs), requiresArg: true, describe: 'checkpoint restore', coerce: numberFlag('restore-ms', true) })
    .option('stable-write-ms', { type: 'string', default: String(t.stableWriteMs), requiresArg: true, describe: 'one synchronous stable-storage write', coerce: numberFlag('stable-write-ms', true) })
    .option('cpu-ms', { type: 'string', default: String(t.cpuMs), requiresArg: true, describe: 'CPU to (re-)execute one state interval', coerce: numberFlag('cpu-ms', true) });
}

/** The timing parameters the timing flags give. */
function timingOf(argv: Record<string, unknown>): TimingParameters {
  const num = (flag: string) => argv[flag] as number;
  return {
    latencyMs: num('delta-ms'),
    bandwidthMbps: num('bandwidth-mbps'),
    detectMs: num('detect-ms'),
    restoreMs: num('restore-ms'),
    stableWriteMs: num('stable-write-ms'),
    cpuMs: num('cpu-ms'),
  };
}

function compareOptions(y: Argv) {
  return timingOptions(
    y
      .option('specs', { type: 'string', default: COMPARED_SPECS.join(','), requiresArg: true, describe: 'the algorithms compared', coerce: nameListFlag('specs', COMPARED_SPECS) })
      .option('sizes', { type: 'string', default: DEFAULT_SIZES.join(','), requiresArg: true, describe: 'process counts n (2 … 15)', coerce: integerListFlag('sizes', 2, 15) })
      .option('failures', { type: 'string', default: '1,2', requiresArg: true, describe: '1: one failure (s1); 2: a second failure during the recovery (s2)', coerce: integerListFlag('failures', 1, 2) })
      .option('messages', { type: 'string', default: '20', requiresArg: true, describe: 'k: messages p0 delivers before its crash and replays after it', coerce: integerFlag('messages', 1) })
      .option('seed', { type: 'string', default: '1', requiresArg: true, describe: 'seed of the jitter and the tie-breaks', coerce: seedFlag })
      .option('jitter', { type: 'string', default: '0', requiresArg: true, describe: 'J: each latency is δ·(1 + J·u), u uniform in [−1, 1]', coerce: numberFlag('jitter', true, 1) })
      .option('charts', { type: 'string', requiresArg: true, describe: 'write the charts (SVG and Vega-Lite JSON) into this folder' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object instead of the table' }),
  );
}

function timedOptions(y: Argv, registry: readonly SpecDefinition[], defaultSpec: string) {
  const built = timingOptions(
    y
      .option('scenario', { choices: TIMED_SCENARIO_NAMES, default: 's1' as const, describe: 's1: one failure; s2: a failure during the recovery; random: crashes at seeded times' })
      .option('seed', { type: 'string', default: '1', requiresArg: true, describe: 'seed of the jitter, the tie-breaks and the random crashes', coerce: seedFlag })
      .option('jitter', { type: 'string', default: '0', requiresArg: true, describe: 'J: each latency is δ·(1 + J·u), u uniform in [−1, 1]', coerce: numberFlag('jitter', true, 1) })
      .option('runs', { type: 'string', default: '1', requiresArg: true, describe: 'runs, with seeds seed, seed + 1, …', coerce: integerFlag('runs', 1) })
      .option('failures', { type: 'string', default: '2', requiresArg: true, describe: 'with --scenario random: crashes drawn per run (the spec\'s crash budget still applies)', coerce: integerFlag('failures', 0) }),
  )
    .option('paper', { type: 'boolean', default: false, describe: "print the paper's §5 figures next to ours (FBL, n = 8, k = 20; the timing flags apply)" })
    .option('sweep', { type: 'boolean', default: false, describe: 'print the sensitivity sweep over the parameters the paper leaves open (FBL)' })
    .option('json', { type: 'boolean', default: false, describe: 'print one JSON object instead of the tables' });
  return specOptions(built, registry, defaultSpec);
}

function exploreOptions(y: Argv, registry: readonly SpecDefinition[], defaultSpec: string) {
  const built = y
    .option('port', { type: 'string', default: String(DEFAULT_PORT), requiresArg: true, describe: 'the port on 127.0.0.1 (0: any free port)', coerce: portFlag })
    .option('out', outOption)
    .option('max-states', { type: 'string', default: String(DEFAULT_SEARCH_STATES), requiresArg: true, describe: 'distinct states one search from the page may store', coerce: integerFlag('max-states', 1) })
    .option('search-timeout', { type: 'string', default: String(DEFAULT_SEARCH_SECONDS), requiresArg: true, describe: 'seconds one search from the page may take', coerce: secondsFlag('search-timeout', false) });
  return specOptions(built, registry, defaultSpec).positional('spec', {
    type: 'string',
    describe: `spec id (default ${defaultSpec}; see rrcheck list), a spec module (./file.mjs or ./file.mjs#id), or a counterexample file (FILE.itf.json: opened at its last state, with its spec and parameters)`,
  });
}

/** --port: 0 (any free port) or 1…65535. */
function portFlag(raw: unknown): number {
  const value = single('port', raw);
  const text = String(value).trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > 65535) throw usage(`--port must be an integer 0…65535 (0: any free port), not "${String(value).slice(0, 40)}"`);
  return n;
}

function checkOptions(y: Argv, registry: readonly SpecDefinition[], defaultSpec: string) {
  const built = y
    .option('strategy', { choices: ['bfs', 'dfs'] as const, default: 'bfs' as const, describe: 'bfs finds shortest traces (and cycles, once complete); dfs finds cycles as it goes' })
    .option('max-depth', { type: 'string', requiresArg: true, describe: 'do not expand states at this depth', coerce: integerFlag('max-depth', 0) })
    .option('max-states', { type: 'string', requiresArg: true, describe: 'stop after this many distinct states', coerce: integerFlag('max-states', 1) })
    .option('timeout', { type: 'string', requiresArg: true, describe: 'stop after this many seconds', coerce: secondsFlag('timeout', false) })
    .option('continue', { type: 'boolean', default: false, describe: 'keep searching after a violation' })
    .option('json', { type: 'boolean', default: false, describe: 'print one JSON object instead of the report' })
    .option('out', outOption)
    .option('coverage', { type: 'boolean', default: false, describe: 'report the protocol steps, crash points and recovery paths reached (runs on one thread)' })
    .option('workers', { type: 'string', requiresArg: true, describe: 'threads that expand the states of a bfs (default: the available cores); the results do not depend on it', coerce: integerFlag('workers', 1) })
    .option('memory', { type: 'string', requiresArg: true, describe: 'memory the process may use, e.g. 8G (default: half the machine\'s RAM); the queue spills to a file past a quarter of it, the search stops (exit 14) near it', coerce: sizeFlag('memory') })
    .option('progress-interval', { type: 'string', default: '3', requiresArg: true, describe: 'seconds between progress lines on stderr (0: none)', coerce: secondsFlag('progress-interval', true) })
    .option('checkpoint', { type: 'string', requiresArg: true, describe: 'save the search to this file (atomically) at level boundaries, for --resume (bfs, one thread)' })
    .option('checkpoint-interval', { type: 'string', requiresArg: true, describe: 'seconds between checkpoints (default 60; 0: at every level)', coerce: secondsFlag('checkpoint-interval', true) })
    .option('resume', { type: 'string', requiresArg: true, describe: 'go on from this checkpoint (same spec, parameters and bounds); checkpoints go on into it unless --checkpoint names another file' });
  return specOptions(built, registry, defaultSpec);
}

/**
 * Parses `args` (without node and script), runs the command, returns its exit
 * code: at once, or as a promise when the command loads a spec module (a
 * spec argument that is a path, a counterexample file that records a
 * module) and for `gate` (its checks run on worker threads). Never throws,
 * and the promise never rejects.
 */
export function runCli(given: readonly string[], deps: CliDeps): ExitCodeValue | Promise<ExitCodeValue> {
  let args: readonly string[];
  try {
    args = checkedFlags(given);
  } catch (error) {
    return reportError(error, deps.io);
  }
  const positional = specPositional(args);
  if (positional === undefined || !looksLikePath(positional)) return runParsed(args, deps, undefined);
  if (args[0] === 'explore' && isCounterexampleArg(positional)) return runParsed(args, deps, undefined);
  const arg = parseSpecArg(positional);
  if (arg.kind !== 'module') return runParsed(args, deps, undefined);
  return loadSpecModule(arg.path).then(
    (module) => {
      let chosen: Chosen | undefined;
      try {
        chosen = { module, spec: args[0] === 'list' && arg.id === undefined ? module.specs[0]! : pickSpec(module, arg.id) };
      } catch (error) {
        return reportError(error, deps.io);
      }
      return runParsed(args, { ...deps, registry: args[0] === 'list' && arg.id === undefined ? module.specs : [chosen.spec], defaultSpec: chosen.spec.id }, chosen);
    },
    (error: unknown) => reportError(error, deps.io),
  );
}

/**
 * For a counterexample file that records a spec module: the deps with the
 * module's specs as the registry (after a one-line warning when the module
 * changed since the file was saved). Undefined for a file of the registry.
 */
function fileDeps<D extends CliDeps>(path: string, deps: D): Promise<D> | undefined {
  let record;
  try {
    record = loadCounterexample(path, deps).meta.module;
  } catch {
    return undefined; // the command reports the unreadable file itself
  }
  if (record === undefined) return undefined;
  return recordedModule(record, path).then(({ module, warning }) => {
    if (warning !== undefined) deps.io.err(`rrcheck: warning: ${safeLine(warning)}\n`);
    return { ...deps, registry: module.specs };
  });
}

/**
 * For a counterexample file that records a spec module: the module, loaded,
 * and the deps with its specs as the registry (after a one-line warning when
 * the module changed since the file was saved). Undefined for a file of the
 * registry, or one that cannot be read (the command reports it).
 */
function fileModule<D extends CliDeps>(path: string, deps: D): Promise<{ module: SpecModule; deps: D }> | undefined {
  let record;
  try {
    record = loadCounterexample(path, deps).meta.module;
  } catch {
    return undefined;
  }
  if (record === undefined) return undefined;
  return recordedModule(record, path).then(({ module, warning }) => {
    if (warning !== undefined) deps.io.err(`rrcheck: warning: ${safeLine(warning)}\n`);
    return { module, deps: { ...deps, registry: module.specs } };
  });
}

/** runCli once the spec module (if any) is loaded: `deps.registry` then holds its specs. */
function runParsed(args: readonly string[], deps: CliDeps, chosen: Chosen | undefined): ExitCodeValue | Promise<ExitCodeValue> {
  const { io } = deps;
  let code: ExitCodeValue = ExitCode.ok;
  let pending: Promise<ExitCodeValue> | undefined;
  const paramNames = paramFlags(deps.registry, deps.defaultSpec).map((p) => p.schema.name);
  // The spec a command runs: the module's chosen one, else the id given (the default when absent).
  const specOf = (given: unknown) => (chosen !== undefined ? chosen.spec.id : typeof given === 'string' ? given : undefined);
  const fromModule = chosen === undefined ? {} : { module: chosen.module };
  try {
    const first = args[0];
    if (first !== undefined && !first.startsWith('-') && !commands.includes(first)) {
      throw usage(`unknown command ${echo(first)} (commands: ${commands.join(', ')})`);
    }
    const parser = yargs([...args])
      // No negation (checkedFlags refuses --no-X), no objects from --a.b, spec ids never read as numbers.
      .parserConfiguration({ 'boolean-negation': false, 'dot-notation': false, 'parse-positional-numbers': false })
      .scriptName('rrcheck')
      .usage('$0 <command> [options]\n\nAn explicit-state model checker for rollback-recovery protocols.')
      .command(
        'check [spec]',
        'explore every interleaving of a spec and check its properties',
        (y) => checkOptions(y, deps.registry, deps.defaultSpec),
        (argv) => {
          const params: Record<string, string | undefined> = {};
          for (const name of paramNames) params[name] = argv[name] as string | undefined;
          const settings = {
            strategy: single('strategy', argv.strategy) as 'bfs' | 'dfs',
            continueAfterViolation: argv.continue,
            ...(argv['max-depth'] === undefined ? {} : { maxDepth: argv['max-depth'] as number }),
            ...(argv['max-states'] === undefined ? {} : { maxStates: argv['max-states'] as number }),
            ...(argv.timeout === undefined ? {} : { timeoutSeconds: argv.timeout as number }),
            ...(argv.workers === undefined ? {} : { workers: argv.workers as unknown as number }),
            ...(argv.memory === undefined ? {} : { memoryBytes: argv.memory as unknown as number }),
          };
          const spec = specOf(argv.spec);
          code = runCheck(
            {
              ...(spec === undefined ? {} : { spec }),
              ...fromModule,
              params,
              settings,
              json: argv.json,
              progressIntervalSeconds: argv['progress-interval'] as unknown as number,
              coverage: argv.coverage,
              out: argv.out as string,
              ...checkpointArgs(argv),
            },
            deps,
          );
        },
      )
      .command(
        'simulate [spec]',
        'seeded random walks through a spec, for configurations beyond exhaustive reach',
        (y) => simulateOptions(y, deps.registry, deps.defaultSpec),
        (argv) => {
          const params: Record<string, string | undefined> = {};
          for (const name of paramNames) params[name] = argv[name] as string | undefined;
          const spec = specOf(argv.spec);
          code = runSimulate(
            {
              ...(spec === undefined ? {} : { spec }),
              ...fromModule,
              params,
              ...(argv.seed === undefined ? {} : { seed: argv.seed as unknown as number }),
              runs: argv.runs as unknown as number,
              maxSteps: argv['max-steps'] as unknown as number,
              json: argv.json,
              progressIntervalSeconds: argv['progress-interval'] as unknown as number,
              out: argv.out as string,
            },
            deps,
          );
        },
      )
      .command(
        'metrics [spec]',
        'cost counters of a spec (messages, copies, blocking, stable storage…) over every interleaving: min, max, mean, distribution',
        (y) => metricsOptions(y, deps.registry, deps.defaultSpec),
        (argv) => {
          const params: Record<string, string | undefined> = {};
          for (const name of paramNames) params[name] = argv[name] as string | undefined;
          const spec = specOf(argv.spec);
          code = runMetrics(
            {
              ...(spec === undefined ? {} : { spec }),
              ...fromModule,
              params,
              json: argv.json,
              ...(argv['max-states'] === undefined ? {} : { maxStates: argv['max-states'] as unknown as number }),
              ...(argv.timeout === undefined ? {} : { timeoutSeconds: argv.timeout as unknown as number }),
              progressIntervalSeconds: argv['progress-interval'] as unknown as number,
            },
            deps,
          );
        },
      )
      .command(
        'timed [spec]',
        "a timed run of a spec's own steps (blocked time, recovery time, messages, stable storage per process), or the paper's figures",
        (y) => timedOptions(y, deps.registry, deps.defaultSpec),
        (argv) => {
          const params: Record<string, string | undefined> = {};
          for (const name of paramNames) params[name] = argv[name] as string | undefined;
          const spec = specOf(argv.spec);
          const num = (flag: string) => argv[flag] as unknown as number;
          code = runTimed(
            {
              ...(spec === undefined ? {} : { spec }),
              ...fromModule,
              params,
              scenario: single('scenario', argv.scenario) as (typeof TIMED_SCENARIO_NAMES)[number],
              seed: num('seed'),
              jitter: num('jitter'),
              runs: num('runs'),
              failures: num('failures'),
              timing: timingOf(argv),
              json: argv.json,
              paper: argv.paper,
              sweep: argv.sweep,
            },
            deps,
          );
        },
      )
      .command(
        'compare',
        'the non-blocking algorithm against the blocking and Manetho-style baselines on a clock: a table, and charts with --charts',
        (y) => compareOptions(y),
        (argv) => {
          const charts = single('charts', argv.charts) as string | undefined;
          pending = runCompare(
            {
              specs: argv.specs as unknown as string[],
              sizes: argv.sizes as unknown as number[],
              failures: argv.failures as unknown as (1 | 2)[],
              messages: argv.messages as unknown as number,
              timing: timingOf(argv),
              seed: argv.seed as unknown as number,
              jitter: argv.jitter as unknown as number,
              json: argv.json,
              ...(charts === undefined ? {} : { charts }),
            },
            deps,
          );
        },
      )
      .command(
        'replay <file>',
        'replay a counterexample file against the current spec and check its recorded verdict',
        (y) =>
          y
            .positional('file', { type: 'string', demandOption: true, describe: 'a counterexample file (.itf.json)' })
            .option('json', { type: 'boolean', default: false, describe: 'print one JSON object (outcome, exit code, trace record) instead of the steps' }),
        (argv) => {
          const replayArgs = { file: single('file', argv.file) as string, json: argv.json };
          const withModule = fileDeps(replayArgs.file, deps);
          if (withModule === undefined) code = runReplay(replayArgs, deps);
          else pending = withModule.then((d) => runReplay(replayArgs, d));
        },
      )
      .command(
        'gate [matrix]',
        'run a matrix of checks with expected outcomes; replay the counterexample corpus; fail on any difference',
        (y) =>
          y
            .positional('matrix', { type: 'string', describe: `the gate matrix (JSON)${deps.defaultMatrix === undefined ? '' : `; default ${deps.defaultMatrix}`}` })
            .option('workers', { type: 'string', requiresArg: true, describe: 'checks run at once on worker threads (default: the available cores)', coerce: integerFlag('workers', 1) })
            .option('junit', { type: 'string', requiresArg: true, describe: 'write a JUnit XML report to this file' })
            .option('json', { type: 'boolean', default: false, describe: 'print one JSON summary on stdout (the check lines go to stderr)' })
            .option('out', { type: 'string', requiresArg: true, describe: "where an unexpected violation's counterexample is saved (default: the matrix's corpus)" })
            .option('filter', { type: 'string', requiresArg: true, describe: 'run only the checks whose name contains this text' }),
        (argv) => {
          const text = (flag: string) => single(flag, argv[flag]) as string | undefined;
          const [matrix, junit, out, filter] = [text('matrix'), text('junit'), text('out'), text('filter')];
          pending = runGate(
            {
              ...(matrix === undefined ? {} : { matrix }),
              ...(argv.workers === undefined ? {} : { workers: argv.workers as unknown as number }),
              ...(junit === undefined ? {} : { junit }),
              json: argv.json,
              ...(out === undefined ? {} : { out }),
              ...(filter === undefined ? {} : { filter }),
            },
            deps,
          );
        },
      )
      .command(
        'list [spec]',
        'list the specs with their parameters, defaults and limits (of a spec module: its specs)',
        (y) =>
          y
            .positional('spec', { type: 'string', describe: 'a spec module (./file.mjs) to list instead of the built-in specs, or one spec id' })
            .option('json', { type: 'boolean', default: false, describe: 'print one JSON object' }),
        (argv) => {
          const given = single('spec', argv.spec) as string | undefined;
          // A registry id lists that spec alone; a module lists its specs (deps.registry holds them).
          const registry = chosen === undefined && given !== undefined ? [findSpec(deps.registry, given)] : deps.registry;
          // A module of several specs has no default: `path#id` picks one.
          const defaultSpec = chosen === undefined ? deps.defaultSpec : registry.length === 1 ? registry[0]!.id : '';
          code = runList({ json: argv.json, ...fromModule }, { ...deps, registry, defaultSpec });
        },
      )
      .command(
        'render <file>',
        'draw a counterexample file as a space-time diagram',
        (y) =>
          y
            .positional('file', { type: 'string', demandOption: true, describe: 'a counterexample file (.itf.json)' })
            .option('format', { choices: renderFormats, default: 'text' as const, describe: 'text (terminal), svg (picture) or mermaid (Markdown)' })
            .option('output', { type: 'string', requiresArg: true, describe: 'write to this file instead of stdout' }),
        (argv) => {
          const output = single('output', argv.output) as string | undefined;
          const file = single('file', argv.file) as string;
          const renderArgs = { file, format: single('format', argv.format) as (typeof renderFormats)[number], ...(output === undefined ? {} : { output }) };
          const withModule = fileDeps(file, deps);
          if (withModule === undefined) code = runRender(renderArgs, deps);
          else pending = withModule.then((d) => runRender(renderArgs, d));
        },
      )
      .command(
        'explore [spec]',
        'step through a spec (or a counterexample file) by hand in a web page served on 127.0.0.1',
        (y) => exploreOptions(y, deps.registry, deps.defaultSpec),
        (argv) => {
          const params: Record<string, string | undefined> = {};
          for (const name of paramNames) params[name] = argv[name] as string | undefined;
          const given = single('spec', argv.spec) as string | undefined;
          const file = chosen === undefined && given !== undefined && isCounterexampleArg(given) ? given : undefined;
          const spec = file === undefined ? specOf(given) : undefined;
          const exploreArgs = {
            ...(spec === undefined ? {} : { spec }),
            ...(file === undefined ? {} : { file }),
            ...fromModule,
            params,
            port: argv.port as unknown as number,
            out: argv.out as string,
            maxStates: argv['max-states'] as unknown as number,
            searchTimeoutSeconds: argv['search-timeout'] as unknown as number,
          };
          const recorded = file === undefined ? undefined : fileModule(file, deps);
          pending =
            recorded === undefined
              ? runExplore(exploreArgs, deps)
              : recorded.then(({ module, deps: d }) => runExplore({ ...exploreArgs, module }, d));
        },
      )
      .command(
        'init [file]',
        'write a starter spec module (plain JavaScript) that rrcheck check runs as it is',
        (y) => y.positional('file', { type: 'string', default: DEFAULT_INIT_FILE, describe: 'the file to create (.mjs or .js); never overwritten' }),
        (argv) => {
          code = runInit({ file: single('file', argv.file) as string }, deps);
        },
      )
      .demandCommand(1, 'missing command: rrcheck check [spec] or rrcheck list')
      .recommendCommands()
      .strict()
      .fail((message, error) => {
        if (isUserError(error)) throw error;
        // A command's own failure (not yargs's validation) keeps its nature: reportError decides.
        if (error !== undefined && error !== null && !message) throw error;
        throw usage(message ?? error?.message ?? 'bad command line');
      })
      .help()
      .alias('h', 'help')
      .version(deps.version)
      .wrap(Math.min(100, process.stdout.columns ?? 100));
    // The callback receives --help and --version output instead of yargs printing it.
    parser.parse([...args], {}, (_error: Error | undefined, _argv: unknown, output: string) => {
      if (output !== '') io.out(`${output}\n`);
    });
  } catch (error) {
    return reportError(error, io, chosen?.module);
  }
  return pending === undefined ? code : pending.catch((error: unknown) => reportError(error, io, chosen?.module));
}

/**
 * One line on stderr, never a stack trace (RRCHECK_DEBUG=1 adds it for an
 * internal error), made safe by safeLine: echoed values cut, control
 * characters visible. With a spec module loaded, an error that is not a
 * UserError is taken for the module's (its model threw while explored):
 * exit code moduleThrows.
 */
export function reportError(error: unknown, io: CliDeps['io'], module?: SpecModule): ExitCodeValue {
  if (isUserError(error)) {
    const hint = error.exitCode === ExitCode.usage ? ' (rrcheck --help for usage)' : '';
    io.err(`rrcheck: ${safeLine(error.message)}${hint}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (module !== undefined) {
    io.err(`rrcheck: spec module ${echo(module.given)} threw: ${safeLine(message)}\n`);
    if (process.env['RRCHECK_DEBUG'] && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
    return ExitCode.moduleThrows;
  }
  io.err(`rrcheck: internal error: ${safeLine(message)}\n`);
  if (process.env['RRCHECK_DEBUG'] && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
  return ExitCode.internal;
}
