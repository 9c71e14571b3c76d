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
import { type CounterexampleDeps, DEFAULT_OUT, keepViolations, shrinkStop } from '../counterexamples.js';
import type { Io } from '../output.js';
import { paramList } from '../output.js';
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
}

export function findSpec(registry: readonly SpecDefinition[], id: string): SpecDefinition {
  const spec = registry.find((s) => s.id === id);
  if (spec === undefined) {
    const known = registry.map((s) => s.id).join(', ');
    throw new UserError(`unknown spec ${id} (known: ${known === '' ? 'none' : known}; see rrcheck list)`, ExitCode.badSpec);
  }
  return spec;
}

export function runCheck(args: CheckArgs, deps: CheckDeps): ExitCodeValue {
  const { io } = deps;
  const spec = findSpec(deps.registry, args.spec ?? deps.defaultSpec);
  const params = resolveParams(spec.params, readParamFiles(spec.params, args.params, deps.files), spec.id);
  const target = spec.build(params);
  const { settings } = args;
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
  const workers = settings.workers ?? deps.defaultWorkers ?? 1;
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
  io.err(`checking ${spec.id} ${paramList(params)} (${settings.strategy})\n`);
  const clock = deps.clock ?? (() => performance.now());
  const startMs = clock();
  const result = deps.explore(target, options);
  const report = { spec, params, target, settings, result };
  // Every violation is shrunk and saved before it is shown.
  const { shown, kept } = keepViolations(
    result.status === 'violation' ? result.violations : [],
    {
      dir: args.out ?? DEFAULT_OUT,
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
  return exitCodeOf(result);
}
