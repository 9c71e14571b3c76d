/**
 * One gate check as a job that can cross a thread boundary: the job names a
 * spec and its parameters (plain data), and the outcome keeps only plain data
 * (verdicts, numbers, the violations' trace records with their findings, coverage
 * counts), never states. runJob is what both a worker thread and the inline
 * runner execute.
 */
import type { ParamRecord } from '../../core/params.js';
import type { ExploreStats, PropertyVerdict, StopReason } from '../../core/result.js';
import type { SpecDefinition } from '../../core/spec.js';
import { coverageCollector, type CoverageReport, type ExploreOptions } from '../../engine/index.js';
import { traceRecord, type TraceRecord } from '../../trace/record.js';
import type { Explore } from '../commands/check.js';
import { importSpecs } from '../specModule.js';

export interface GateJob {
  /** Position in the matrix: the gate prints and reports in this order. */
  readonly index: number;
  readonly spec: string;
  /** The file: URL of the spec module `spec` comes from (absent: the registry). */
  readonly module?: string;
  readonly params: ParamRecord;
  readonly strategy: 'bfs' | 'dfs';
  readonly continueAfterViolation: boolean;
  readonly coverage: boolean;
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly timeoutMs?: number;
}

/** A violation as it crosses the thread boundary: the shared trace record (labels, finding), no states. */
export type ViolationRecord = TraceRecord;

export type JobOutcome =
  | {
      readonly status: 'ok' | 'violation' | 'incomplete';
      readonly complete: boolean;
      readonly stoppedBy?: StopReason;
      readonly stats: ExploreStats;
      readonly properties: readonly PropertyVerdict[];
      /** In the order found; the first is a shortest one under BFS. */
      readonly violations: readonly ViolationRecord[];
      readonly coverage?: CoverageReport;
    }
  | { readonly status: 'error'; readonly message: string };

/**
 * runJob for a job that may name a spec module: the module is imported (once
 * per thread: import() caches it) and its specs replace the registry. Never
 * rejects.
 */
export async function runGateJob(registry: readonly SpecDefinition[], job: GateJob, explore: Explore, interrupted?: () => boolean): Promise<JobOutcome> {
  if (job.module === undefined) return runJob(registry, job, explore, interrupted);
  try {
    return runJob(await importSpecs(job.module), job, explore, interrupted);
  } catch (error) {
    return { status: 'error', message: error instanceof Error ? error.message : String(error) };
  }
}

/** Builds the job's target, explores it, and reduces the result to plain data. Never throws. */
export function runJob(registry: readonly SpecDefinition[], job: GateJob, explore: Explore, interrupted?: () => boolean): JobOutcome {
  try {
    const spec = registry.find((s) => s.id === job.spec);
    if (spec === undefined) return { status: 'error', message: `unknown spec ${job.spec}` };
    const target = spec.build(job.params);
    const options: ExploreOptions = { strategy: job.strategy, continueAfterViolation: job.continueAfterViolation };
    if (job.maxStates !== undefined) options.maxStates = job.maxStates;
    if (job.maxDepth !== undefined) options.maxDepth = job.maxDepth;
    if (job.timeoutMs !== undefined) options.timeoutMs = job.timeoutMs;
    if (interrupted !== undefined) options.interrupted = interrupted;
    const collector = job.coverage && target.coverage !== undefined ? coverageCollector(target.coverage) : undefined;
    if (collector !== undefined) options.onTransition = collector.onTransition;
    const result = explore(target, options);
    const violations = result.status === 'violation' ? result.violations.map(traceRecord) : [];
    const stoppedBy = result.status === 'ok' ? undefined : result.stoppedBy;
    return {
      status: result.status,
      complete: result.complete,
      ...(stoppedBy === undefined ? {} : { stoppedBy }),
      stats: result.stats,
      properties: result.properties,
      violations,
      ...(collector === undefined ? {} : { coverage: collector.report() }),
    };
  } catch (error) {
    return { status: 'error', message: error instanceof Error ? error.message : String(error) };
  }
}
