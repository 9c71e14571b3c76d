/**
 * `rrcheck compare`: the non-blocking algorithm against the blocking and the
 * Manetho-style baselines, one timed run per (algorithm, n, failures) on the
 * star workload (specs/timed.ts): s1 for one failure, s2 (the second failure
 * strikes during the first recovery) for two. Every figure is read off the
 * run: the simulator's clock for times, the spec's cost counters for
 * messages and stable-storage writes.
 */
import type { TimedResult, TimingParameters } from '../src/index.js';
import { fblTimedRun, liveBlockedMs, liveHeldMs, PAPER_MESSAGES } from './timed.js';

/** The algorithms compared, in the order tables and charts list them. */
export const COMPARED_SPECS = ['nonblocking', 'blocking', 'manetho'] as const;

/** One algorithm at n processes with one or two failures. */
export interface ComparisonRow {
  readonly spec: string;
  readonly n: number;
  /** 1: scenario s1; 2: scenario s2. */
  readonly failures: 1 | 2;
  /** Mean blocked time of the processes that never crashed; null when every process crashed (n = 2, two failures). */
  readonly blockedMs: number | null;
  /** Mean time a message held back by a process that never crashed waited (Manetho-style); null as for blockedMs. */
  readonly heldMs: number | null;
  /** From the first crash until the last crashed process is live again. */
  readonly recoveryMs: number;
  /** Control messages sent from the first crash on (the counters of the group `control messages`). */
  readonly controlMessages: number;
  /** Application copies sent for replay and re-sent after recovery. */
  readonly copies: number;
  /** Stable-storage writes by processes that never crashed (Manetho-style reply writes). */
  readonly liveStableWrites: number;
  /** Stable-storage writes of the recovering processes (incarnation and ordinal at each restart). */
  readonly recoveringStableWrites: number;
  /** Properties the run's final state breaks (none for these three algorithms; a row with any is a bug). */
  readonly failing: readonly string[];
}

export interface ComparisonOptions {
  readonly specs?: readonly string[];
  /** Process counts, each 2 … 15 (default 2 … 8). */
  readonly sizes?: readonly number[];
  readonly failures?: readonly (1 | 2)[];
  /** k: the messages p0 receives before its crash (default 20). */
  readonly messages?: number;
  readonly timing?: Partial<TimingParameters>;
  readonly seed?: number;
  readonly jitter?: number;
}

export const DEFAULT_SIZES: readonly number[] = [2, 3, 4, 5, 6, 7, 8];

/** Sum of the counters of one group (`control messages`…) over every process, from the first crash on. */
function groupTotal(result: TimedResult<unknown>, group: string): number {
  let total = 0;
  for (const [name, amount] of Object.entries(result.totals.costs)) if (result.costGroups[name] === group) total += amount;
  return total;
}

function counter(result: TimedResult<unknown>, name: string): number {
  return result.totals.costs[name] ?? 0;
}

/** The rows, specs outermost, then failures, then n. */
export function compareAlgorithms(options: ComparisonOptions = {}): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  for (const spec of options.specs ?? COMPARED_SPECS) {
    for (const failures of options.failures ?? [1, 2]) {
      for (const n of options.sizes ?? DEFAULT_SIZES) {
        const run = fblTimedRun({
          spec,
          n,
          scenario: failures === 1 ? 's1' : 's2',
          messages: options.messages ?? PAPER_MESSAGES,
          ...(options.timing === undefined ? {} : { timing: options.timing }),
          ...(options.seed === undefined ? {} : { seed: options.seed }),
          ...(options.jitter === undefined ? {} : { jitter: options.jitter }),
        });
        const { result } = run;
        const everyoneCrashed = result.processes.every((p) => p.recoveries.length > 0 || p.process === 'S');
        const recovered = result.processes.flatMap((p) => p.recoveries.map((r) => r.recoveredMs ?? NaN));
        rows.push({
          spec,
          n,
          failures,
          blockedMs: everyoneCrashed ? null : liveBlockedMs(result),
          heldMs: everyoneCrashed ? null : liveHeldMs(result),
          recoveryMs: Math.max(...recovered) - result.countedFromMs,
          controlMessages: groupTotal(result, 'control messages'),
          copies: counter(result, 'replay-copy') + counter(result, 'resent-copy') + counter(result, 'resent-on-request'),
          liveStableWrites: counter(result, 'stable-write-live'),
          recoveringStableWrites: counter(result, 'stable-write-recovering'),
          failing: run.failing,
        });
      }
    }
  }
  return rows;
}
