/**
 * The gate's verdict on one check: what was expected, what the search got,
 * and every way the two differ. A check passes only when nothing differs: the
 * expected verdicts, a complete search wherever the expectation needs one
 * ("holds" and verdict objects), the pinned counterexample length, and every
 * coverage requirement. Pure.
 */
import { coverageValue } from '../../engine/index.js';
import { count } from '../output.js';
import { boundFlag } from '../progress.js';
import type { JobOutcome, ViolationRecord } from './job.js';
import { type GateCheck, meets, requirementText } from './matrix.js';

export interface Judgement {
  readonly passed: boolean;
  /** What the search found, in the matrix's words: "holds", "violates safety (9 steps)", "incomplete (--max-states)". */
  readonly got: string;
  /** One line per difference from the expectation (empty when passed). */
  readonly problems: readonly string[];
  /** A violation nobody expected (the gate saves it as a counterexample file). */
  readonly unexpected?: ViolationRecord;
}

function steps(v: ViolationRecord): string {
  return `${v.labels.length} step${v.labels.length === 1 ? '' : 's'}`;
}

/** "holds", "violates safety (9 steps)", "violates nonBlocking, restartBound", "incomplete (--max-states)". */
function gotText(outcome: Exclude<JobOutcome, { status: 'error' }>, continued: boolean): string {
  if (outcome.status === 'violation') {
    const first = outcome.violations[0]!;
    if (!continued) return `violates ${first.property} (${steps(first)})`;
    const names = outcome.properties.filter((p) => p.status === 'violated').map((p) => p.name);
    return `violates ${names.join(', ')}${outcome.complete ? ' only' : ''}`;
  }
  if (outcome.status === 'incomplete') return `incomplete (${outcome.stoppedBy === undefined ? 'cycles not checked' : boundFlag(outcome.stoppedBy)})`;
  return 'holds';
}

export function judge(check: GateCheck, outcome: JobOutcome): Judgement {
  if (outcome.status === 'error') return { passed: false, got: 'error', problems: [`error: ${outcome.message}`] };
  const e = check.expect;
  const problems: string[] = [];
  let unexpected: ViolationRecord | undefined;
  const first = outcome.status === 'violation' ? outcome.violations[0] : undefined;
  const bound = outcome.stoppedBy === undefined ? 'a bound' : boundFlag(outcome.stoppedBy);
  const incomplete = `stopped by ${bound} after ${count(outcome.stats.distinct)} states, before the search was complete`;

  switch (e.kind) {
    case 'holds': {
      if (first !== undefined) {
        unexpected = first;
        problems.push(`violates ${first.property} (${steps(first)}): ${first.explanation}`);
      } else if (!outcome.complete) problems.push(incomplete);
      break;
    }
    case 'violates': {
      if (first === undefined) {
        problems.push(outcome.complete ? `no violation of ${e.property}: every property holds` : `no violation found: ${incomplete}`);
      } else if (first.property !== e.property) {
        unexpected = first;
        problems.push(`violates ${first.property} first (${steps(first)}), not ${e.property}: ${first.explanation}`);
      } else if (e.steps !== undefined && first.labels.length !== e.steps) {
        problems.push(`the shortest counterexample has ${steps(first)}, not ${e.steps}`);
      }
      break;
    }
    case 'verdicts': {
      if (!outcome.complete) problems.push(incomplete);
      for (const p of outcome.properties) {
        const want = e.verdicts[p.name] ?? 'holds';
        if (p.status === want || p.status === 'unknown') continue;
        problems.push(`${p.name}: expected ${want}, got ${p.status}`);
        if (p.status === 'violated' && unexpected === undefined) unexpected = outcome.violations.find((v) => v.property === p.name);
      }
      break;
    }
  }

  for (const r of check.require) {
    const actual = outcome.coverage === undefined ? undefined : coverageValue(outcome.coverage, r.name);
    if (actual === undefined) problems.push(`coverage: ${r.name} was not measured`);
    else if (!meets(r, actual)) problems.push(`coverage: ${r.name} = ${actual}, required ${requirementText(r)}`);
  }
  return {
    passed: problems.length === 0,
    got: gotText(outcome, e.kind === 'verdicts'),
    problems,
    ...(unexpected === undefined ? {} : { unexpected }),
  };
}
