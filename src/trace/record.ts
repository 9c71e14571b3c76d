/**
 * One violation as serialisable data: the `trace` of the JSON outputs of
 * check, simulate, replay and gate (cli/reporter.ts), the `rrcheck.trace` of
 * the gate's JUnit cases, what a gate job hands across a thread boundary,
 * and what a counterexample file's `#meta.rrcheck` (CounterexampleMeta)
 * extends with provenance. No states: the labels replay to them.
 */
import type { Finding } from '../core/model.js';
import type { Violation } from '../core/result.js';

export interface TraceRecord {
  readonly property: string;
  readonly category: 'safety' | 'liveness';
  readonly initIndex: number;
  readonly labels: readonly string[];
  /** For a lasso: the index of the state where the cycle begins. */
  readonly loopStart?: number;
  /** The finding's summary, the sentence printed with the verdict. */
  readonly explanation: string;
  readonly finding: Finding;
}

/** The record of a violation found in this process. */
export function traceRecord(violation: Violation<unknown>): TraceRecord {
  const { trace } = violation;
  return {
    property: violation.property,
    category: violation.category,
    initIndex: trace.initIndex,
    labels: trace.labels,
    ...(trace.loopStart === undefined ? {} : { loopStart: trace.loopStart }),
    explanation: violation.explanation,
    finding: violation.finding,
  };
}

/**
 * The trace record within a record that extends it (a counterexample file's
 * `#meta.rrcheck`), without the other fields; undefined when it has no
 * finding (files written before findings were recorded).
 */
export function traceRecordWithin(meta: Omit<TraceRecord, 'finding'> & { readonly finding?: Finding }): TraceRecord | undefined {
  if (meta.finding === undefined) return undefined;
  return {
    property: meta.property,
    category: meta.category,
    initIndex: meta.initIndex,
    labels: meta.labels,
    ...(meta.loopStart === undefined ? {} : { loopStart: meta.loopStart }),
    explanation: meta.explanation,
    finding: meta.finding,
  };
}
