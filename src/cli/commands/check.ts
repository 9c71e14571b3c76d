/**
 * `rrcheck check [spec]`: resolve the spec and its parameters, build the
 * check target, explore it, report. A short pipeline of library calls; the
 * registry, the explorer and the output streams are injected so tests can run
 * it in-process.
 */
import type { ExitCodeValue } from '../../core/exitCodes.js';
import { ExitCode, UserError } from '../../core/exitCodes.js';
import type { Model, Property } from '../../core/model.js';
import { resolveParams } from '../../core/params.js';
import { readParamFiles } from '../paramFiles.js';
import type { CheckResult } from '../../core/result.js';
import type { SpecDefinition } from '../../core/spec.js';
import type { ParamRecord } from '../../core/params.js';
import { coverageCollector, type CoverageCollector, type ExploreOptions, type WorkerTarget } from '../../engine/index.js';
import { type CounterexampleDeps, DEFAULT_OUT, keepViolations, nodeFiles, shrinkStop, unsaved } from '../counterexamples.js';
import type { Io } from '../output.js';
import { count, duration, paramList } from '../output.js';
import { dirname } from 'node:path';
import { decodeSnapshot, type CheckpointSink, type Snapshot } from '../../engine/index.js';
import { checkpointHead, readCheckpoint, refuseOtherRun, type CheckpointRun } from '../checkpointFile.js';
import { ensureWritableFolder, writeBytesAtomically } from '../files.js';
import { progressListener } from '../progress.js';
import type { SpecModule } from '../specModule.js';
import { exitCodeOf, type RunSettings } from '../report.js';
import { checkJson, checkRecord, checkText, jsonLine } from '../reporter.js';

export type Explore = (
  target: { readonly model: Model<unknown, unknown>; readonly properties: readonly Property<unknown>[] },
  options: ExploreOptions,
) => CheckResult<unknown>;

/** Also what `simulate` and `replay` need. */
export interface CheckDeps extends CounterexampleDeps {
  readonly registry: readonly SpecDefinition[];
  /** The id of the spec `rrcheck check` runs when none is named. */
  readonly defaultSpec: string;
  readonly explore: Explore;
  readonly io: Io;
  /**
   * How a worker thread builds the target of a registered spec, or of a spec
   * of the module at file: URL `module` (absent: BFS runs on this thread
   * only, whatever --workers says).
   */
  readonly workerTarget?: (spec: string, params: ParamRecord, module?: string) => WorkerTarget;
  /** --workers when not given (the available cores). */
  readonly defaultWorkers?: number;
  /** --memory when not given (absent: no bound). */
  readonly defaultMemoryBytes?: number;
  /**
   * True once the user asked the run to stop (main.ts: SIGINT or SIGTERM):
   * searches stop with `stoppedBy: 'interrupted'`, shrinking gets a short
   * grace period, and the summary is printed. Absent: never.
   */
  readonly interrupted?: () => boolean;
  /** Milliseconds, for shrinking's time bound; default performance.now. */
  readonly clock?: () => number;
}

export interface CheckArgs {
  /** Spec id; the default spec when absent. */
  readonly spec?: string;
  /** Spec parameters as typed (strings), undefined when not given. */
  readonly params: Readonly<Record<string, string | number | undefined>>;
  readonly settings: RunSettings;
  readonly json: boolean;
  /** Seconds between progress lines on stderr; 0 turns them off. */
  readonly progressIntervalSeconds: number;
  /** Where counterexample files go (default DEFAULT_OUT). */
  readonly out?: string;
  /** Count the spec's coverage points (steps, crash points, recovery paths) and report them. */
  readonly coverage?: boolean;
  /** The spec module `spec` comes from (deps.registry then holds its specs); recorded in counterexample files. */
  readonly module?: SpecModule;
  /** Save the search to this file at level boundaries (default: the --resume file, when resuming). */
  readonly checkpoint?: string;
  /** Seconds between checkpoints (default CHECKPOINT_INTERVAL_SECONDS). */
  readonly checkpointIntervalSeconds?: number;
  /** Go on from this checkpoint file. */
  readonly resume?: string;
}

/** Seconds between checkpoints when --checkpoint-interval is not given. */
export const CHECKPOINT_INTERVAL_SECONDS = 60;

/** Refuses checkpoint flags the search cannot honour, in one line each. */
function checkCheckpointFlags(args: CheckArgs): void {
  const flag = args.resume !== undefined ? '--resume' : args.checkpoint !== undefined ? '--checkpoint' : undefined;
  if (flag === undefined) {
    if (args.checkpointIntervalSeconds !== undefined) throw new UserError('--checkpoint-interval needs --checkpoint FILE', ExitCode.usage);
    return;
  }
  const { settings } = args;
  if (settings.strategy !== 'bfs') throw new UserError(`${flag} needs --strategy bfs (a depth-first search is not checkpointed)`, ExitCode.usage);
  if (settings.workers !== undefined && settings.workers > 1) {
    throw new UserError(`${flag} runs the search on one thread: leave out --workers or give --workers 1`, ExitCode.usage);
  }
  if (args.coverage === true) throw new UserError(`${flag} cannot be combined with --coverage (coverage counts are not saved)`, ExitCode.usage);
}

export function findSpec(registry: readonly SpecDefinition[], id: string): SpecDefinition {
  const spec = registry.find((s) => s.id === id);
  if (spec === undefined) {
    const known = registry.map((s) => s.id).join(', ');
    throw new UserError(`unknown spec ${id} (known: ${known === '' ? 'none' : known}; see rrcheck list)`, ExitCode.badSpec);
  }
  return spec;
}

/**
 * Writes each snapshot the search hands over to `path` (atomically, with
 * the run's header) and says so on stderr; a write that fails is a warning
 * and the search goes on (the previous checkpoint stays whole).
 */
function checkpointSink(path: string, run: CheckpointRun, intervalMs: number, io: Io, clock: (() => number) | undefined, written: { level?: number }): CheckpointSink {
  const now = clock ?? (() => performance.now());
  return {
    intervalMs,
    save: (parts, summary) => {
      const started = now();
      try {
        const bytes = writeBytesAtomically(path, [checkpointHead(run, summary, new Date()), ...parts]);
        written.level = summary.depth;
        io.err(
          `checkpoint: level ${count(summary.depth)}, ${count(summary.distinct)} distinct states, ${count(summary.queued)} queued: ` +
            `${count(bytes)} bytes written to ${path} in ${duration(now() - started)}\n`,
        );
      } catch (error) {
        io.err(`rrcheck: warning: checkpoint not written (${error instanceof Error ? error.message : String(error)}); the search goes on\n`);
      }
    },
  };
}

export function runCheck(args: CheckArgs, deps: CheckDeps): ExitCodeValue {
  const { io } = deps;
  const spec = findSpec(deps.registry, args.spec ?? deps.defaultSpec);
  const params = resolveParams(spec.params, readParamFiles(spec.params, args.params, deps.files), spec.id);
  const { settings } = args;
  checkCheckpointFlags(args);
  const checkpointRun: CheckpointRun = {
    toolVersion: deps.version ?? 'unknown',
    spec: spec.id,
    params,
    ...(args.module === undefined ? {} : { moduleDigest: args.module.digest }),
    strategy: 'bfs',
    maxDepth: settings.maxDepth ?? null,
    maxStates: settings.maxStates ?? null,
    continueAfterViolation: settings.continueAfterViolation,
  };
  let resume: Snapshot | undefined;
  if (args.resume !== undefined) {
    const saved = readCheckpoint(args.resume);
    refuseOtherRun(args.resume, saved.header, checkpointRun);
    resume = decodeSnapshot(saved.snapshot);
    io.err(`resuming from ${args.resume}: level ${count(saved.header.depth)}, ${count(saved.header.distinct)} distinct states (saved ${saved.header.savedAt})\n`);
  }
  // A resumed target attaches to the model memory the checkpoint saved: its states hold ids assigned there.
  const target = resume === undefined ? spec.build(params) : spec.build(params, { shared: resume.modelShared });
  const options: ExploreOptions = {
    strategy: settings.strategy,
    continueAfterViolation: settings.continueAfterViolation,
    listener: progressListener(io, args.progressIntervalSeconds > 0),
    ...(deps.interrupted === undefined ? {} : { interrupted: deps.interrupted }),
  };
  if (args.progressIntervalSeconds > 0) options.progressIntervalMs = args.progressIntervalSeconds * 1000;
  if (settings.maxDepth !== undefined) options.maxDepth = settings.maxDepth;
  if (settings.maxStates !== undefined) options.maxStates = settings.maxStates;
  if (settings.timeoutSeconds !== undefined) options.timeoutMs = settings.timeoutSeconds * 1000;
  options.memoryBytes = settings.memoryBytes ?? deps.defaultMemoryBytes ?? Infinity;
  if (!Number.isFinite(options.memoryBytes)) delete options.memoryBytes;
  const checkpointPath = args.checkpoint ?? args.resume;
  /** The level of the last checkpoint written by this run, if any. */
  const written: { level?: number } = {};
  if (resume !== undefined) options.resume = resume;
  if (checkpointPath !== undefined) {
    ensureWritableFolder(dirname(checkpointPath), '--checkpoint');
    options.checkpoint = checkpointSink(checkpointPath, checkpointRun, (args.checkpointIntervalSeconds ?? CHECKPOINT_INTERVAL_SECONDS) * 1000, io, deps.clock, written);
  }
  // A checkpointed search runs on this thread (checkCheckpointFlags refused --workers > 1).
  const workers = checkpointPath !== undefined ? 1 : (settings.workers ?? deps.defaultWorkers ?? 1);
  if (workers > 1 && deps.workerTarget !== undefined) {
    options.workers = workers;
    options.workerTarget = deps.workerTarget(spec.id, params, args.module?.url);
  }
  let collector: CoverageCollector<unknown, unknown> | undefined;
  if (args.coverage === true) {
    if (target.coverage === undefined) throw new UserError(`spec ${spec.id} declares no coverage points (--coverage needs them)`, ExitCode.badSpec);
    collector = coverageCollector(target.coverage);
    options.onTransition = collector.onTransition;
  }
  // Checked before the search, so an unwritable folder never throws a verdict away.
  const out = args.out ?? DEFAULT_OUT;
  (deps.files ?? nodeFiles).ensureFolder(out, '--out');
  io.err(`checking ${spec.id} ${paramList(params)} (${settings.strategy})\n`);
  const clock = deps.clock ?? (() => performance.now());
  const startMs = clock();
  const result = deps.explore(target, options);
  const report = { spec, params, target, settings, result };
  // Every violation is shrunk and saved before it is shown.
  const { shown, kept } = keepViolations(
    result.status === 'violation' ? result.violations : [],
    {
      dir: out,
      spec: spec.id,
      params,
      target,
      strategy: settings.strategy,
      explore: deps.explore,
      ...(args.module === undefined ? {} : { module: args.module }),
      // Shrinking gets what is left of --timeout (at least a floor), and a grace period after an interruption.
      stop: shrinkStop({
        clock,
        ...(settings.timeoutSeconds === undefined ? {} : { deadlineMs: startMs + settings.timeoutSeconds * 1000 }),
        ...(deps.interrupted === undefined ? {} : { interrupted: deps.interrupted }),
      }),
    },
    deps,
  );
  const coverage = collector?.report();
  const run = {
    report,
    shown,
    kept,
    ...(args.module === undefined ? {} : { module: args.module }),
    ...(coverage === undefined ? {} : { coverage }),
  };
  io.out(args.json ? jsonLine(checkJson(run, checkRecord(run))) : checkText(run));
  const stoppedBy = result.status === 'ok' ? undefined : result.stoppedBy;
  if (checkpointPath !== undefined && written.level !== undefined && (stoppedBy === 'interrupted' || stoppedBy === 'time' || stoppedBy === 'memory')) {
    io.err(`the search can go on from ${checkpointPath} (level ${count(written.level)}): run the same command with --resume ${checkpointPath}\n`);
  }
  // The report is out; a counterexample that could not be written ends the run with exit 2.
  const notSaved = unsaved(kept);
  if (notSaved !== undefined) throw notSaved;
  return exitCodeOf(result);
}
