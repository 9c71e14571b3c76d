/**
 * The inputs the fuzz tests feed to the command line, and the property every
 * run must meet. Written once for the standing tests (a fixed seed, a few
 * hundred inputs) and the campaign (`npm run fuzz`, RRCHECK_FUZZ_RUNS inputs).
 *
 * The property: the run ends, within FUZZ_TIME_BOUND_MS, in a documented exit
 * code, never 255; a refused input (any code but 0, 12, 13, 14) leaves exactly
 * one line on stderr, starting `rrcheck: `, at most FUZZ_LINE_MAX characters;
 * nothing written carries an ESC byte.
 *
 * Every state space stays tiny: check and metrics get `--max-states`, simulate
 * `--runs` and `--max-steps`, timed `--runs`, all small, unless the input
 * names the flag itself (then its value is drawn small, or the input is
 * refused as a repeat). Files are written only under the scratch folder:
 * every value of --out, --output, --charts and --junit is replaced by a path
 * in it.
 */
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { specRegistry } from '../../specs/index.js';
import { ExitCode } from '../../src/index.js';
import type { CliRun } from '../cli/fixtures/runRrcheck.js';

/** A run that takes longer than this is a failure (a hang, or a state space that is not tiny). */
export const FUZZ_TIME_BOUND_MS = 20_000;
/** The longest one-line message a refused input may leave. */
export const FUZZ_LINE_MAX = 1_000;

/** The codes a run may end with: every code of the table but internal (255). */
const DOCUMENTED = new Set<number>(Object.values(ExitCode).filter((c) => c !== ExitCode.internal));
/** The codes of a run that went as it should (its report may have many lines on stderr: progress, shrinking). */
const NORMAL = new Set<number>([ExitCode.ok, ExitCode.safetyViolation, ExitCode.livenessViolation, ExitCode.incomplete]);

/** Why `run` breaks the property, or undefined when it holds. */
export function propertyProblem(run: CliRun, ms: number): string | undefined {
  if (ms > FUZZ_TIME_BOUND_MS) return `took ${ms} ms`;
  if (!DOCUMENTED.has(run.code)) return `exit ${run.code}: ${run.err.slice(0, 300)}`;
  if (run.out.includes('\u001b') || run.err.includes('\u001b')) return 'an ESC byte in the output';
  if (NORMAL.has(run.code)) return undefined;
  const lines = run.err.split('\n');
  if (lines.length !== 2 || lines[1] !== '') return `exit ${run.code} with ${lines.length - 1} lines on stderr: ${run.err.slice(0, 300)}`;
  if (!lines[0]!.startsWith('rrcheck: ')) return `exit ${run.code}, stderr not "rrcheck: …": ${lines[0]!.slice(0, 300)}`;
  if (lines[0]!.length > FUZZ_LINE_MAX) return `exit ${run.code}, a line of ${lines[0]!.length} characters`;
  return undefined;
}

/** Inputs per test: RRCHECK_FUZZ_RUNS, else the standing budget. */
export const FUZZ_RUNS = Number(process.env['RRCHECK_FUZZ_RUNS'] ?? 300);
/** fast-check's seed: RRCHECK_FUZZ_SEED, else the standing one. */
export const FUZZ_SEED = Number(process.env['RRCHECK_FUZZ_SEED'] ?? 20261203);
/** A test's time limit: the standing budget takes seconds; a campaign gets 100 ms an input. */
export const FUZZ_TEST_TIMEOUT_MS = Math.max(120_000, FUZZ_RUNS * 100);

/**
 * A progress line every 1,000 inputs, appended to the file RRCHECK_FUZZ_LOG
 * names (a campaign runs for many minutes; the test prints its summary only
 * at the end).
 */
export function logProgress(what: string, done: number, started: number, counts: CodeCounts): void {
  const log = process.env['RRCHECK_FUZZ_LOG'];
  if (log === undefined || done % 1000 !== 0) return;
  const seconds = (performance.now() - started) / 1000;
  appendFileSync(log, `${new Date().toISOString()} ${what}: ${done} inputs, ${seconds.toFixed(0)} s, exit codes ${codesText(counts)}\n`);
}

/** Tally of the exit codes a campaign saw. */
export type CodeCounts = Map<number, number>;

export function countCode(counts: CodeCounts, code: number): void {
  counts.set(code, (counts.get(code) ?? 0) + 1);
}

export function codesText(counts: CodeCounts): string {
  return [...counts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([code, n]) => `${code}: ${n}`)
    .join(', ');
}

const HUGE = 'x'.repeat(2 ** 20);
const HUGE_UNICODE = '😀\u0301\u202e'.repeat(2 ** 15);

/** Odd texts: empty, blanks, controls, unicode, numbers in odd spellings, huge. */
const oddText = fc.oneof(
  fc.constantFrom('', ' ', '-', '-1', '0', '1e3', '0x10', 'NaN', 'Infinity', '1.5', '+3', ' 3 ', '3abc', '\u001b[31m', 'a\nb', '\u0000', '__proto__', 'constructor', HUGE, HUGE_UNICODE),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);

const specParams = specRegistry.flatMap((s) => s.params);
const paramNames = [...new Set(specParams.map((p) => p.name))];
const choiceValues = [...new Set(specParams.flatMap((p) => p.choices ?? []))];

/** Flags that take a value, with values a spec or the search reads in a tiny space. */
const valueFlags: Record<string, fc.Arbitrary<string>> = {
  'max-states': fc.integer({ min: -2, max: 300 }).map(String),
  'max-depth': fc.integer({ min: -2, max: 12 }).map(String),
  runs: fc.integer({ min: -1, max: 20 }).map(String),
  'max-steps': fc.integer({ min: -1, max: 30 }).map(String),
  timeout: fc.constantFrom('0', '1', '30', '0.5', '-1', '1e9'),
  'progress-interval': fc.constantFrom('0', '1', '-1', '3'),
  seed: fc.integer({ min: -1, max: 2 ** 31 }).map(String),
  strategy: fc.constantFrom('bfs', 'dfs', 'BFS', 'random'),
  workers: fc.constantFrom('1', '2', '0'),
  memory: fc.constantFrom('64M', '8G', '1K', '512', 'lots'),
  format: fc.constantFrom('text', 'svg', 'mermaid', 'png'),
  scenario: fc.constantFrom('s1', 's2', 'random', 's3'),
  jitter: fc.constantFrom('0', '0.5', '1', '-0.1'),
  failures: fc.constantFrom('0', '1', '2', '3'),
  'delta-ms': fc.constantFrom('0', '1', '-1', '1e308'),
  'cpu-ms': fc.constantFrom('0', '5', 'x'),
  n: fc.integer({ min: 0, max: 5 }).map(String),
  f: fc.integer({ min: 0, max: 4 }).map(String),
  crashes: fc.integer({ min: 0, max: 3 }).map(String),
  workload: fc.constantFrom('pingpong', 'chain', 'ring', 'fig1', 'w4', 'random', 'star', 'missing.json', '/dev/zero'),
  messages: fc.integer({ min: 0, max: 5 }).map(String),
};
const booleanFlagNames = ['continue', 'json', 'coverage', 'paper', 'sweep', 'help', 'version'];
const allFlagNames = [...new Set([...Object.keys(valueFlags), ...paramNames, ...booleanFlagNames, 'filter', 'junit', 'paper'])];

/** A value for `--name`: a likely one, a spec choice, or an odd text. */
function valueFor(name: string): fc.Arbitrary<string> {
  const likely = valueFlags[name];
  return likely === undefined
    ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...choiceValues) }, { weight: 1, arbitrary: oddText })
    : fc.oneof({ weight: 5, arbitrary: likely }, { weight: 1, arbitrary: oddText });
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/** The flags each command knows (the spec parameters too, for the spec commands): most drawn flags are the command's own. */
const COMMAND_FLAGS: Record<string, readonly string[]> = {
  check: ['max-states', 'max-depth', 'strategy', 'timeout', 'continue', 'json', 'coverage', 'workers', 'memory', 'progress-interval', ...paramNames],
  simulate: ['seed', 'runs', 'max-steps', 'json', 'progress-interval', ...paramNames],
  metrics: ['max-states', 'timeout', 'json', 'progress-interval', ...paramNames],
  timed: ['scenario', 'seed', 'jitter', 'runs', 'failures', 'delta-ms', 'cpu-ms', 'json', 'sweep', ...paramNames],
  list: ['json'],
  replay: ['json'],
  render: ['format', 'output'],
};

/** One flag as tokens: `--name value`, `--name=value`, `--name`, `--no-name`, `--nameInCamel value`, or a stray token. */
function flagTokens(command: string): fc.Arbitrary<string[]> {
  const own = Object.hasOwn(COMMAND_FLAGS, command) ? COMMAND_FLAGS[command]! : [];
  const name = own.length === 0 ? fc.constantFrom(...allFlagNames) : fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...own) }, { weight: 1, arbitrary: fc.constantFrom(...allFlagNames) });
  return fc.oneof(
    { weight: 8, arbitrary: name.chain((n) => (booleanFlagNames.includes(n) ? fc.constant<string[]>([`--${n}`]) : valueFor(n).map((v) => [`--${n}`, v]))) },
    { weight: 2, arbitrary: name.chain((n) => valueFor(n).map((v) => [`--${n}=${v}`])) },
    { weight: 1, arbitrary: name.map((n) => [`--${n}`]) },
    { weight: 1, arbitrary: name.map((n) => [`--no-${n}`]) },
    { weight: 1, arbitrary: name.chain((n) => valueFor(n).map((v) => [`--${camel(n)}`, v])) },
    { weight: 1, arbitrary: fc.constantFrom('--', '-', '-h', '-x', '--=', '---json', '--json=yes', '--continue=no', '--a.b', '--out').map((t) => [t]) },
    { weight: 1, arbitrary: oddText.map((t) => [t]) },
    { weight: 1, arbitrary: oddText.map((t) => [`--${t}`]) },
  );
}

const specArg = fc.oneof(
  fc.constantFrom('naive', 'nonblocking', 'blocking', 'manetho', 'no-restart', 'f-hosts', 'unordered-replay'),
  fc.constantFrom('./missing.mjs', '/', '.', 'naive#x', './x.mjs#', '#'),
  oddText,
);

/** The bounds added to a command unless the input names the flag itself. */
function bounded(command: string, tokens: readonly string[], scratch: string): string[] {
  const bounds: Record<string, Record<string, string>> = {
    check: { 'max-states': '300', 'progress-interval': '0', out: join(scratch, 'out') },
    simulate: { runs: '10', 'max-steps': '30', 'progress-interval': '0', out: join(scratch, 'out') },
    metrics: { 'max-states': '300', 'progress-interval': '0' },
    timed: { runs: '1' },
  };
  const named = new Set(tokens.filter((t) => t.startsWith('--')).map((t) => t.slice(2).split('=')[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).replace(/^no-/, '')));
  const extra = Object.entries(Object.hasOwn(bounds, command) ? bounds[command]! : {}).filter(([flag]) => !named.has(flag));
  return extra.flatMap(([flag, value]) => [`--${flag}`, value]);
}

/**
 * A command line: a command (or an unknown word, or none), maybe a spec or a
 * file, and up to four flags in any form, then the bounds that keep it tiny.
 * `files` are counterexample files replay and render may name.
 */
export function commandLine(scratch: string, files: readonly string[]): fc.Arbitrary<string[]> {
  const command = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom('check', 'simulate', 'metrics', 'list', 'replay', 'render', 'timed') },
    { weight: 1, arbitrary: fc.constantFrom('', 'chek', 'init2', 'help', '--help', '--version', 'CHECK') },
    { weight: 1, arbitrary: oddText },
  );
  const fileArg = fc.oneof(fc.constantFrom(...files), fc.constantFrom(scratch, '/dev/null', '/dev/zero', join(scratch, 'missing.itf.json')), oddText);
  return command
    .chain((cmd) => fc.tuple(fc.constant(cmd), fc.option(specArg), fileArg, fc.array(flagTokens(cmd), { maxLength: 4 }), fc.boolean()))
    .map(([cmd, spec, file, flags, positionalFirst]) => {
      const tokens = flags.flat();
      const positional = cmd === 'replay' || cmd === 'render' ? [file] : spec === null ? [] : [spec];
      const body = positionalFirst ? [...positional, ...tokens] : [...tokens, ...positional];
      // Every flag that names a place to write (in either form) writes into the scratch folder, never the working one.
      // Each its own path: a folder (--out, --charts) never collides with a file another run wrote (--output, --junit).
      const writes: Record<string, string> = { '--out': 'out', '--output': 'render-output', '--charts': 'charts', '--junit': 'junit.xml' };
      const safe = body.map((t, i) => {
        const flag = Object.keys(writes).find((w) => t.startsWith(`${w}=`));
        if (flag !== undefined) return `${flag}=${join(scratch, writes[flag]!)}`;
        const previous = body[i - 1] ?? '';
        return Object.hasOwn(writes, previous) ? join(scratch, writes[previous]!) : t;
      });
      return [...(cmd === '' ? [] : [cmd]), ...safe, ...bounded(cmd, safe, scratch)];
    });
}

/** The committed counterexample files (the regression corpus), as paths and texts. */
export function corpusFiles(): { path: string; text: string }[] {
  const folder = new URL('../../counterexamples/', import.meta.url).pathname;
  return readdirSync(folder)
    .filter((name) => name.endsWith('.itf.json'))
    .sort()
    .map((name) => ({ path: join(folder, name), text: readFileSync(join(folder, name), 'utf8') }));
}

const PLACEHOLDER = '"@@rrcheck-fuzz@@"';

/** JSON texts a parser or a validator may choke on, put where a value was. */
const nastyJson = fc.oneof(
  fc.constantFrom(
    '1e999',
    '-1e999',
    '-0',
    '1e-400',
    '9007199254740993',
    '-1',
    '0.5',
    '""',
    '"\\u001b[2J\\u0007"',
    '"a\\nb\\r\\u2028c"',
    '"<svg>&amp;\\"\'"',
    '"\\ud800"',
    'null',
    'true',
    '{}',
    '[]',
    '{"__proto__": {"polluted": 1}}',
    '{"__proto__": null, "constructor": {"prototype": {"x": 1}}}',
    '[' + '0,'.repeat(200_000) + '0]',
    '['.repeat(20_000) + ']'.repeat(20_000),
    '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000),
    JSON.stringify(HUGE),
    JSON.stringify(Array.from({ length: 5_000 }, (_, i) => `label ${i}`)),
  ),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.string({ unit: 'binary', maxLength: 16 }).map((s) => JSON.stringify(s)),
);

/** The paths of every value in `json` (object keys and array indexes). */
function pathsOf(json: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(json)) json.slice(0, 8).forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (typeof json === 'object' && json !== null) for (const [k, v] of Object.entries(json)) pathsOf(v, [...prefix, k], out);
  return out;
}

function setAt(json: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy = (Array.isArray(json) ? [...(json as unknown[])] : { ...(json as object) }) as Record<string | number, unknown>;
  if (rest.length === 0 && value === undefined) delete copy[head!];
  else copy[head!] = setAt(copy[head!], rest, value);
  return copy;
}

/** A mutated counterexample file, as bytes: a value replaced or deleted, a key added (a spec module among them), the text cut, bytes added, a BOM in front. */
export function mutatedFile(texts: readonly string[]): fc.Arbitrary<Uint8Array> {
  const parsed = texts.map((t) => ({ text: t, json: JSON.parse(t) as unknown, paths: pathsOf(JSON.parse(t)) }));
  const base = fc.nat({ max: parsed.length - 1 }).map((i) => parsed[i]!);
  const replaced = base.chain(({ json, paths }) =>
    fc.tuple(fc.constantFrom(...paths), nastyJson).map(([path, nasty]) => JSON.stringify(setAt(json, path, '@@rrcheck-fuzz@@')).replace(PLACEHOLDER, nasty)),
  );
  const deleted = base.chain(({ json, paths }) => fc.constantFrom(...paths.filter((p) => p.length > 0)).map((path) => JSON.stringify(setAt(json, path, undefined))));
  const cut = base.chain(({ text }) => fc.nat({ max: text.length }).map((k) => text.slice(0, k)));
  // A key added first in rrcheck's record (where a repeated key loses to the file's own): a module to load, a prototype.
  const moduleRecord = fc.constantFrom('{"path": "./missing.mjs", "digest": "' + '0'.repeat(64) + '"}', '{"path": "\\u001b[2J", "digest": "x"}', '{"path": "/dev/zero", "digest": "' + 'a'.repeat(64) + '"}');
  const added = fc
    .tuple(base, fc.oneof(fc.constant('module'), fc.constantFrom('__proto__', 'constructor', 'loopStart', 'seed', 'finding'), fc.string({ maxLength: 6 })), fc.oneof(moduleRecord, nastyJson))
    .map(([{ text }, key, value]) => text.replace('"rrcheck": {', `"rrcheck": {${JSON.stringify(key)}: ${value},`));
  const asText = fc.oneof(
    { weight: 5, arbitrary: replaced },
    { weight: 2, arbitrary: deleted },
    { weight: 2, arbitrary: added },
    { weight: 2, arbitrary: cut },
    { weight: 1, arbitrary: base.map((b) => b.text) },
  );
  const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
  return fc.oneof(
    { weight: 6, arbitrary: asText.map(bytes) },
    { weight: 1, arbitrary: asText.map((t) => bytes(`\ufeff${t}`)) },
    { weight: 1, arbitrary: fc.tuple(asText, fc.uint8Array({ minLength: 1, maxLength: 4 }), fc.nat()).map(([t, extra, at]) => {
      const b = bytes(t);
      const k = at % (b.length + 1);
      return new Uint8Array([...b.subarray(0, k), ...extra, ...b.subarray(k)]);
    }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  );
}
