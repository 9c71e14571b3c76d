/**
 * `rrcheck gate [MATRIX]`: runs a matrix of checks (gate/matrix.ts) on a pool
 * of worker threads, replays the matrix's counterexample corpus, and fails
 * unless every outcome is the expected one. A short pipeline: load and
 * validate the matrix → run the checks (output in matrix order as they
 * finish) → judge each → save the counterexample of every unexpected
 * violation → replay the corpus → print the summary, write the JUnit report
 * and the JSON summary.
 *
 * Output: one line per check (PASS/FAIL, name, expected, got, distinct
 * states, time), the differences under a failing one, then `gate: N passed,
 * N failed`. With --json, stdout holds exactly one JSON object and the lines
 * go to stderr. Exit code 0 when every check matched, 15 (gateMismatch)
 * otherwise; 3 for a bad matrix.
 */
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { ExitCode, type ExitCodeValue, UserError } from '../../core/exitCodes.js';
import type { Violation } from '../../core/result.js';
import type { SpecDefinition } from '../../core/spec.js';
import { replayLabels } from '../../trace/replay.js';
import { traceFinding } from '../../trace/verdict.js';
import { DEFAULT_OUT, nodeFiles, saveCounterexample, savedSentence, shrinkFound } from '../counterexamples.js';
import { ensureWritableFile, makeFolderOf, writeAtomically } from '../files.js';
import { corpusFiles, type ReplayEntry, replayEntry } from '../gate/corpus.js';
import type { GateJob, JobOutcome } from '../gate/job.js';
import { judge } from '../gate/judge.js';
import { junitXml } from '../gate/junit.js';
import { expectationText, type GateCheck, matrixModules, parseMatrix } from '../gate/matrix.js';
import { type GateRunner, inlineRunner } from '../gate/pool.js';
import { count, duration, type Io } from '../output.js';
import { gateJson, gateJunitCase, type GateRow, gateRowText, jsonLine } from '../reporter.js';
import { loadSpecModule, recordedModule, type SpecModule } from '../specModule.js';
import type { CheckDeps } from './check.js';
import { loadCounterexample } from './replay.js';

export interface GateArgs {
  /** The matrix file; deps.defaultMatrix when absent. */
  readonly matrix?: string;
  /** Checks run at once; default: the machine's available cores. */
  readonly workers?: number;
  /** Write a JUnit XML report here. */
  readonly junit?: string;
  readonly json: boolean;
  /** Where the counterexample of an unexpected violation is saved; default: the matrix's corpus, else DEFAULT_OUT. */
  readonly out?: string;
  /** Run only the checks (and replays) whose name contains this text. */
  readonly filter?: string;
}

/** File access the gate needs beyond reading and creating files: listing a folder, overwriting a report. */
export interface GateFiles {
  /** File names in `dir`; undefined when the folder does not exist. */
  list(dir: string): string[] | undefined;
  /**
   * Writes `text` to `path`, replacing it as a whole (a temporary name
   * renamed: two gates writing one report leave one whole report), creating
   * the folder.
   */
  writeText(path: string, text: string): void;
  /** Proves before the checks run that `path` can be written later; a one-line UserError naming `flag` otherwise. */
  ensureWritable(path: string, flag: string): void;
}

export const nodeGateFiles: GateFiles = {
  list: (dir) => {
    try {
      return readdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  },
  writeText: (path, text) => {
    makeFolderOf(path);
    writeAtomically(path, text);
  },
  ensureWritable: ensureWritableFile,
};

export interface GateDeps extends CheckDeps {
  /** The matrix `rrcheck gate` runs when none is named (the repository's specs/gate.json). */
  readonly defaultMatrix?: string;
  /** The runner for `workers` threads at once; default: every check in this thread. */
  readonly gateRunner?: (workers: number) => GateRunner;
  readonly gateFiles?: GateFiles;
  /** Milliseconds; default performance.now. */
  readonly clock?: () => number;
}

function jobOf(check: GateCheck, index: number): GateJob {
  return {
    index,
    spec: check.spec,
    ...(check.module === undefined ? {} : { module: check.module.url }),
    params: check.params,
    strategy: check.strategy,
    // Verdict objects need every property decided, so the search goes on after a violation.
    continueAfterViolation: check.expect.kind === 'verdicts',
    coverage: check.require.length > 0,
    ...(check.maxStates === undefined ? {} : { maxStates: check.maxStates }),
    ...(check.maxDepth === undefined ? {} : { maxDepth: check.maxDepth }),
    ...(check.timeoutSeconds === undefined ? {} : { timeoutMs: check.timeoutSeconds * 1000 }),
  };
}

/**
 * Saves the counterexample of a violation nobody expected, rebuilt in this
 * thread by replaying its labels (a worker sends labels, never states).
 * Returns the sentence for the report ("counterexample: saved …", or why
 * it could not be saved) and the file's path when there is one.
 */
function saveUnexpected(
  check: GateCheck,
  violation: NonNullable<ReturnType<typeof judge>['unexpected']>,
  dir: string,
  deps: GateDeps,
  spec: SpecDefinition,
): { sentence: string; path?: string } {
  const target = spec.build(check.params);
  const replayed = replayLabels(target.model, violation.labels, violation.initIndex);
  if (replayed.status !== 'ok') return { sentence: `counterexample not saved: it does not replay in this thread (step ${replayed.step + 1})` };
  const trace = {
    initIndex: violation.initIndex,
    labels: violation.labels,
    states: replayed.states,
    ...(violation.loopStart === undefined ? {} : { loopStart: violation.loopStart }),
  };
  const finding = traceFinding(target.properties, violation.property, trace);
  const full: Violation<unknown> = { property: violation.property, category: violation.category, explanation: finding.summary, finding, trace };
  try {
    const shrunk = shrinkFound(target, full, { strategy: check.strategy, explore: deps.explore });
    const saved = saveCounterexample(
      { dir, spec: check.spec, params: check.params, target, shrunk, strategy: check.strategy, ...(check.module === undefined ? {} : { module: check.module }) },
      deps,
    );
    return { sentence: `counterexample: ${savedSentence(saved)}`, path: saved.path };
  } catch (error) {
    if (error instanceof UserError) return { sentence: `counterexample not saved: ${error.message}` };
    throw error;
  }
}

export async function runGate(args: GateArgs, deps: GateDeps): Promise<ExitCodeValue> {
  const { io } = deps;
  const clock = deps.clock ?? (() => performance.now());
  const files = deps.files ?? nodeFiles;
  const gateFiles = deps.gateFiles ?? nodeGateFiles;
  const log: Io['out'] = args.json ? io.err : io.out;
  const startedAt = new Date();
  const start = clock();

  // 1. The matrix.
  const matrixPath = args.matrix ?? deps.defaultMatrix;
  if (matrixPath === undefined) throw new UserError('no gate matrix given (rrcheck gate MATRIX)', ExitCode.usage);
  let text: string;
  try {
    text = files.readText(matrixPath);
  } catch (error) {
    throw new UserError(`cannot read gate matrix ${matrixPath}: ${error instanceof Error ? error.message : String(error)}`, ExitCode.badSpec);
  }
  const modules = new Map<string, SpecModule>();
  for (const given of matrixModules(text)) {
    try {
      modules.set(given, await loadSpecModule(given, dirname(matrixPath)));
    } catch (error) {
      if (error instanceof UserError) throw new UserError(`bad gate matrix ${matrixPath}: module ${given}: ${error.message}`, error.exitCode);
      throw error;
    }
  }
  const matrix = parseMatrix(text, matrixPath, deps.registry, modules);
  const selected = (name: string) => args.filter === undefined || name.includes(args.filter);
  const checks = matrix.checks.filter((c) => selected(c.name));
  const corpusDir = matrix.corpus === undefined ? undefined : join(dirname(matrixPath), matrix.corpus);
  const corpusNames = corpusDir === undefined ? [] : corpusFiles(gateFiles.list(corpusDir) ?? []);
  const replays = corpusNames.map((n) => join(corpusDir!, n)).filter((p) => selected(`replay ${p}`));
  if (checks.length + replays.length === 0) throw new UserError(`no check of ${matrixPath} matches --filter ${args.filter}`, ExitCode.usage);
  const outDir = args.out ?? corpusDir ?? DEFAULT_OUT;
  // The report and a folder named on purpose are checked before any check runs, so
  // no result is thrown away at the end. (The default folder, the corpus, is not:
  // a gate may run from a read-only checkout; a save that fails there is a problem
  // line of its check, never a lost run.)
  if (args.junit !== undefined) gateFiles.ensureWritable(args.junit, '--junit');
  if (args.out !== undefined) files.ensureFolder(args.out, '--out');

  // 2. The checks, on the pool; lines in matrix order as the checks finish.
  const requested = args.workers ?? availableParallelism();
  const runner = deps.gateRunner?.(requested) ?? inlineRunner(deps.registry, deps.explore);
  const workers = Math.min(runner.workers, Math.max(checks.length, 1));
  const widths = {
    name: Math.max(...checks.map((c) => c.name.length), ...replays.map((p) => `replay ${p}`.length)),
    text: Math.max(...checks.map((c) => expectationText(c.expect).length), 16),
  };
  log(`rrcheck gate ${matrixPath}: ${count(checks.length)} checks on ${workers} worker${workers === 1 ? '' : 's'}, ${count(replays.length)} counterexample replays\n`);
  const rows: (GateRow | undefined)[] = checks.map(() => undefined);
  let printed = 0;
  const flush = () => {
    while (printed < rows.length && rows[printed] !== undefined) {
      const row = rows[printed++]!;
      log(gateRowText(row, widths));
    }
  };
  await runner.run(
    checks.map((c, i) => jobOf(c, i)),
    (job, outcome) => {
      const check = checks[job.index]!;
      const verdict = judge(check, outcome);
      const problems = [...verdict.problems];
      let counterexample: string | undefined;
      if (verdict.unexpected !== undefined) {
        const spec = (check.module?.specs ?? deps.registry).find((s) => s.id === check.spec)!;
        const saved = saveUnexpected(check, verdict.unexpected, outDir, deps, spec);
        problems.push(saved.sentence);
        counterexample = saved.path;
      }
      rows[job.index] = {
        name: check.name,
        kind: 'check',
        spec: check.spec,
        check,
        expected: expectationText(check.expect),
        got: verdict.got,
        passed: problems.length === 0,
        problems,
        ms: outcome.status === 'error' ? 0 : outcome.stats.elapsedMs,
        outcome,
        ...(outcome.status === 'error' || outcome.violations[0] === undefined ? {} : { trace: outcome.violations[0] }),
        ...(counterexample === undefined ? {} : { counterexample }),
      };
      flush();
    },
  );

  // Interrupted: the checks not run get a row saying so, and the corpus is not replayed.
  const interrupted = deps.interrupted?.() === true;
  checks.forEach((check, i) => {
    if (rows[i] !== undefined) return;
    const message = 'not run: the gate was interrupted';
    rows[i] = { name: check.name, kind: 'check', spec: check.spec, check, expected: expectationText(check.expect), got: 'not run', passed: false, problems: [message], ms: 0, outcome: { status: 'error', message } };
    flush();
  });

  // 3. The corpus.
  for (const path of interrupted ? [] : replays) {
    const withModule = await corpusDeps(path, deps, clock);
    if (withModule.warning !== undefined) log(`rrcheck: warning: ${withModule.warning}\n`);
    const entry = withModule.failed ?? replayEntry(path, withModule.deps, clock);
    const row: GateRow = { ...entry, kind: 'replay' };
    rows.push(row);
    log(gateRowText(row, widths));
  }
  const all = rows as GateRow[];
  const wallMs = clock() - start;
  const passed = all.filter((r) => r.passed).length;
  const failed = all.length - passed;

  // 4. Reports. The JUnit report and the summary line count the same rows.
  const checkMs = all.reduce((s, r) => s + (r.kind === 'check' ? r.ms : 0), 0);
  log(`wall time ${duration(wallMs)} on ${workers} worker${workers === 1 ? '' : 's'}; the checks' own times add up to ${duration(checkMs)}\n`);
  // A report that cannot be written after all (checked before the run: a full disk, a
  // folder removed since) still lets the summary and the JSON out; then its error ends the run.
  let reportError: UserError | undefined;
  if (args.junit !== undefined) {
    try {
      gateFiles.writeText(args.junit, junitXml({ name: 'rrcheck gate', timestamp: startedAt.toISOString().slice(0, 19), seconds: wallMs / 1000, cases: all.map(gateJunitCase) }));
      log(`JUnit report: ${args.junit}\n`);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      reportError = new UserError(`--junit: ${error.message}`, error.exitCode);
    }
  }
  log(`gate: ${interrupted ? 'interrupted (the corpus was not replayed): ' : ''}${passed} passed, ${failed} failed\n`);
  if (args.json) {
    io.out(jsonLine(gateJson(all, { matrix: matrixPath, workers, wallMs, checkMs, passed, failed, ...(interrupted ? { stoppedBy: 'interrupted' } : {}) })));
  }
  if (reportError !== undefined) throw reportError;
  // An interrupted gate decided nothing (14), unless a check it ran already differed from the matrix (15).
  const failedByInterruption = (r: GateRow) =>
    r.kind === 'check' && (r.got === 'not run' || (r.outcome !== undefined && r.outcome.status !== 'error' && r.outcome.stoppedBy === 'interrupted'));
  if (interrupted && all.every((r) => r.passed || failedByInterruption(r))) return failed === 0 ? ExitCode.ok : ExitCode.incomplete;
  return failed === 0 ? ExitCode.ok : ExitCode.gateMismatch;
}

/**
 * The deps a corpus file replays with: its recorded spec module's specs as
 * the registry (and the warning when the module changed since), or `failed`,
 * the entry of a file whose module cannot be loaded.
 */
async function corpusDeps(
  path: string,
  deps: GateDeps,
  clock: () => number,
): Promise<{ deps: GateDeps; warning?: string; failed?: ReplayEntry }> {
  let meta;
  try {
    meta = loadCounterexample(path, deps).meta;
  } catch {
    return { deps }; // replayEntry reports the unreadable file
  }
  if (meta.module === undefined) return { deps };
  const start = clock();
  try {
    const { module, warning } = await recordedModule(meta.module, path);
    return { deps: { ...deps, registry: module.specs }, ...(warning === undefined ? {} : { warning }) };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const expected = meta.expected === 'violates' ? `violates ${meta.property}` : `fixed: ${meta.property} not violated`;
    return { deps, failed: { name: `replay ${path}`, spec: meta.spec, expected, got: 'not replayable', passed: false, problems: [error.message], ms: clock() - start } };
  }
}

/** The default matrix path relative to the working folder when it is below it (shorter lines), else absolute. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel.startsWith('..') || rel === '' ? path : rel;
}
