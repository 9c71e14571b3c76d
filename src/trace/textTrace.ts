/**
 * Text rendering of a counterexample: numbered steps, each with its action
 * label, the spec's one-line description when it gives one, and what changed
 * (a diff of the `view()` of the states before and after), then the
 * property's explanation. Pure: values in, strings out.
 */
import type { CheckTarget } from '../core/model.js';
import type { Trace, Violation } from '../core/result.js';
import { type Change, diffValues, formatChanges } from './diff.js';

/** One step of a trace, ready for text: its label, the spec's description, the changes of the view. */
export interface TraceStep {
  /** 1-based step number. */
  readonly index: number;
  readonly label: string;
  /** The spec's one-line description of the step, if any. */
  readonly detail?: string;
  readonly changes: readonly Change[];
}

/** Limits of the text rendering of a trace. */
export interface TextTraceOptions {
  /** Change lines shown per step before "… and N more" (default 12). */
  readonly maxChangesPerStep?: number;
  /** Longest rendering of one value in a change line (default 100). */
  readonly maxValueLength?: number;
  /** Prefix of every line (default two spaces). */
  readonly indent?: string;
}

/**
 * The steps of `trace` with their diffs. The action of each step is found
 * again by its label among the enabled actions, only to ask the spec for a
 * description; a label that is not found (drift) just gets no description.
 */
export function traceSteps<S, A>(target: CheckTarget<S, A>, trace: Trace<S>): TraceStep[] {
  const steps: TraceStep[] = [];
  let beforeView = target.view(trace.states[0] as S);
  for (let k = 1; k < trace.states.length; k++) {
    const before = trace.states[k - 1] as S;
    const after = trace.states[k] as S;
    const label = trace.labels[k - 1] ?? '?';
    const afterView = target.view(after);
    let detail: string | undefined;
    if (target.describeStep !== undefined) {
      const action = target.model.actions(before).find((a) => target.model.label(a) === label);
      if (action !== undefined) detail = target.describeStep(before, action, after);
    }
    const step = { index: k, label, changes: diffValues(beforeView, afterView) };
    steps.push(detail === undefined || detail === '' ? step : { ...step, detail });
    beforeView = afterView;
  }
  return steps;
}

/** Numbered steps with their changes indented under each, one string ending in a newline. */
export function formatSteps(
  steps: readonly TraceStep[],
  initIndex: number,
  loopStart: number | undefined,
  options: TextTraceOptions = {},
): string {
  const indent = options.indent ?? '  ';
  const maxChanges = options.maxChangesPerStep ?? 12;
  const width = String(steps.length).length;
  const lines: string[] = [];
  const num = (k: number) => `${String(k).padStart(width)}.`;
  const pad = ' '.repeat(width + 2);
  lines.push(`${indent}${num(0)} initial state${initIndex === 0 ? '' : ` #${initIndex}`}`);
  for (const step of steps) {
    const detail = step.detail === undefined ? '' : ` — ${step.detail}`;
    lines.push(`${indent}${num(step.index)} ${step.label}${detail}`);
    const changeLines = formatChanges(step.changes, options.maxValueLength);
    const shown = changeLines.length > maxChanges ? changeLines.slice(0, maxChanges - 1) : changeLines;
    for (const line of shown) lines.push(`${indent}${pad}  ${line}`);
    if (shown.length < changeLines.length) {
      lines.push(`${indent}${pad}  … and ${changeLines.length - shown.length} more changes`);
    }
    if (step.changes.length === 0) lines.push(`${indent}${pad}  (no visible change)`);
  }
  if (loopStart !== undefined) {
    lines.push(`${indent}${pad}↺ step ${steps.length} returns to state ${loopStart}: steps ${loopStart + 1}–${steps.length} repeat forever`);
  }
  return `${lines.join('\n')}\n`;
}

/** A whole violation: heading, numbered steps, explanation (the finding's summary; only it is printed). */
export function formatViolation<S, A>(
  target: CheckTarget<S, A>,
  violation: Pick<Violation<S>, 'property' | 'category' | 'trace' | 'explanation'>,
  options: TextTraceOptions = {},
): string {
  const { trace } = violation;
  const steps = traceSteps(target, trace);
  const n = trace.labels.length;
  const shape = trace.loopStart === undefined ? `${n} step${n === 1 ? '' : 's'}` : `a lasso of ${n} steps`;
  const heading = `Violation of ${violation.property} (${violation.category}): ${shape}`;
  const body = formatSteps(steps, trace.initIndex, trace.loopStart, options);
  const explanation = violation.explanation === '' ? '(the property gives no explanation)' : violation.explanation;
  return `${heading}\n${body}${options.indent ?? '  '}Why: ${explanation}\n`;
}
