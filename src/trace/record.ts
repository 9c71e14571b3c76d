/**
 * One violation as serialisable data: the record that check and simulate
 * print as JSON (`trace`), that a gate job hands across a thread boundary,
 * and that a counterexample file's `#meta.rrcheck` extends with provenance.
 * No states: the labels replay to them.
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
