/**
 * `rrcheck simulate [spec]`: seeded random walks (engine/randomWalk.ts) for
 * configurations beyond exhaustive reach. A violation is shrunk, shown and
 * saved as `check` does; without one the run is incomplete (exit 14), since
 * random walks cover nothing exhaustively.
 */
import { ExitCode, type ExitCodeValue } from '../../core/exitCodes.js';
import { resolveParams } from '../../core/params.js';
import { readParamFiles } from '../paramFiles.js';
import { randomWalks, type RandomWalkStats } from '../../engine/index.js';
import { traceRecord } from '../../trace/record.js';
import { DEFAULT_OUT, keepViolations, nodeFiles, shrinkStop, unsaved } from '../counterexamples.js';
import { count, duration, paramList, plural } from '../output.js';
import { scopeOf } from '../report.js';
import { jsonLine, moduleField, simulateJson, simulateText } from '../reporter.js';
import type { SpecModule } from '../specModule.js';
import { type CheckDeps, findSpec } from './check.js';

export const DEFAULT_RUNS = 1000;
export const DEFAULT_MAX_STEPS = 200;

export interface SimulateArgs {
  readonly spec?: string;
  readonly params: Readonly<Record<string, string | number | undefined>>;
  /** The walks' seed; when absent, one is drawn (and printed, and recorded). */
  readonly seed?: number;
  readonly runs: number;
  readonly maxSteps: number;
  readonly json: boolean;
  /** Seconds between progress lines on stderr; 0 turns them off. */
  readonly progressIntervalSeconds: number;
  readonly out?: string;
  /** The spec module `spec` comes from (deps.registry then holds its specs); recorded in counterexample files. */
  readonly module?: SpecModule;
}

export interface SimulateDeps extends CheckDeps {
  /** Draws a seed when none is given (default Math.random); injectable for tests. */
  readonly drawSeed?: () => number;
}

export function runSimulate(args: SimulateArgs, deps: SimulateDeps): ExitCodeValue {
  const { io } = deps;
  const spec = findSpec(deps.registry, args.spec ?? deps.defaultSpec);
  const params = resolveParams(spec.params, readParamFiles(spec.params, args.params, deps.files), spec.id);
  const target = spec.build(params);
  // Checked before the walks, so an unwritable folder never throws a violation away.
  const out = args.out ?? DEFAULT_OUT;
  (deps.files ?? nodeFiles).ensureFolder(out, '--out');
  const seed = args.seed ?? (deps.drawSeed ?? (() => Math.floor(Math.random() * 0x80000000)))();
  io.err(`simulating ${spec.id} ${paramList(params)}: seed ${seed}, up to ${plural(args.runs, 'walk')} of at most ${plural(args.maxSteps, 'step')}\n`);
  const result = randomWalks(target, {
    seed,
    runs: args.runs,
    maxSteps: args.maxSteps,
    ...(deps.interrupted === undefined ? {} : { interrupted: deps.interrupted }),
    ...(args.progressIntervalSeconds > 0
      ? {
          progressIntervalMs: args.progressIntervalSeconds * 1000,
          listener: {
            onProgress: (s: RandomWalkStats) => io.err(`progress ${duration(s.elapsedMs)}: ${count(s.walks)} walks, ${count(s.steps)} steps\n`),
          },
        }
      : {}),
  });
  const found = result.status === 'violation' ? [result.violation] : [];
  if (result.status === 'violation') io.err(`violation of ${result.violation.property} in walk ${count(result.stats.walks)}\n`);
  const { shown, kept } = keepViolations(
    found,
    {
      dir: out,
      spec: spec.id,
      params,
      target,
      strategy: 'simulate',
      explore: deps.explore,
      seed,
      ...(result.status === 'violation' ? { foundLength: result.foundLength } : {}),
      ...(args.module === undefined ? {} : { module: args.module }),
      ...(deps.interrupted === undefined ? {} : { stop: shrinkStop({ clock: deps.clock ?? (() => performance.now()), interrupted: deps.interrupted }) }),
    },
    deps,
  );
  const interrupted = result.status === 'incomplete' && result.stoppedBy === 'interrupted';
  const first = shown[0];
  const coverage =
    first === undefined
      ? `incomplete: ${interrupted ? 'interrupted; ' : ''}no violation in ${plural(result.stats.walks, 'random walk')} of at most ${plural(args.maxSteps, 'step')} of ${scopeOf(params)} (seed ${seed}); ` +
        'random walks cover nothing exhaustively: rrcheck check explores every interleaving.'
      : `incomplete: a violation of ${first.property} in random walk ${count(result.stats.walks)} (seed ${seed}); random walks cover nothing exhaustively.`;
  const run = {
    record: {
      spec: spec.id,
      ...moduleField(args.module),
      params,
      status: result.status,
      complete: false,
      traces: shown.map(traceRecord),
    },
    target,
    seed,
    runs: args.runs,
    maxSteps: args.maxSteps,
    stats: result.stats,
    ...(first === undefined ? {} : { shown: first }),
    kept,
    coverage,
    ...(interrupted ? { stoppedBy: 'interrupted' as const } : {}),
  };
  io.out(args.json ? jsonLine(simulateJson(run)) : simulateText(run));
  // The report is out; a counterexample that could not be written ends the run with exit 2.
  const notSaved = unsaved(kept);
  if (notSaved !== undefined) throw notSaved;
  if (first === undefined) return ExitCode.incomplete;
  return first.category === 'safety' ? ExitCode.safetyViolation : ExitCode.livenessViolation;
}
