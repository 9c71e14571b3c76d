/**
 * The gate's replay of a counterexample corpus: every `*.itf.json` file of a
 * folder is replayed strictly against the current specs, as `rrcheck replay`
 * does, and must end as the file expects: a file marked `violates` must still
 * violate its property, a file marked `fixed` must not. A file that cannot be
 * read, decoded or replayed (drift) fails its entry; it never stops the gate.
 */
import { UserError } from '../../core/exitCodes.js';
import { traceRecord, type TraceRecord } from '../../trace/record.js';
import { judgeLabels } from '../../trace/verdict.js';
import { loadCounterexample, targetOf } from '../commands/replay.js';
import type { CheckDeps } from '../commands/check.js';

export interface ReplayEntry {
  readonly name: string;
  /** The spec the file names, or undefined when it could not be read. */
  readonly spec?: string;
  readonly expected: string;
  readonly got: string;
  readonly passed: boolean;
  readonly problems: readonly string[];
  readonly ms: number;
  /** The violation replayed, when the file's labels violate its property: the record `replay --json` prints. */
  readonly trace?: TraceRecord;
}

/** The counterexample files of a folder listing, in name order. */
export function corpusFiles(names: readonly string[]): string[] {
  return names.filter((n) => n.endsWith('.itf.json')).sort();
}

/** Replays one file; never throws for a bad file. */
export function replayEntry(path: string, deps: Pick<CheckDeps, 'registry' | 'files'>, now: () => number): ReplayEntry {
  const start = now();
  const name = `replay ${path}`;
  const fail = (expected: string, got: string, problem: string, spec?: string): ReplayEntry => ({
    name,
    ...(spec === undefined ? {} : { spec }),
    expected,
    got,
    passed: false,
    problems: [problem],
    ms: now() - start,
  });
  let file;
  try {
    file = loadCounterexample(path, deps);
  } catch (error) {
    if (error instanceof UserError) return fail('a readable counterexample file', 'unreadable', error.message);
    throw error;
  }
  const { meta } = file;
  const expected = meta.expected === 'violates' ? `violates ${meta.property}` : `fixed: ${meta.property} not violated`;
  try {
    const { target, property } = targetOf(file, deps);
    const judged = judgeLabels(target.model, property, meta.labels, { lenient: false, initIndex: meta.initIndex });
    if (judged.status === 'drift') {
      return fail(expected, `drift at step ${judged.step + 1}`, `step ${judged.step + 1}, ${JSON.stringify(judged.label)}, is not enabled in the current spec`, meta.spec);
    }
    const steps = judged.trace.labels.length;
    const violated = judged.status === 'violated';
    const got = violated ? `violates ${meta.property} (${steps} steps)` : `${meta.property} not violated`;
    const passed = violated === (meta.expected === 'violates');
    const problem = violated
      ? `violated again (the file is marked fixed): ${judged.explanation}`
      : `the recorded violation no longer reproduces: ${meta.property} is not violated along the ${steps} steps`;
    const trace = violated ? { trace: traceRecord({ property: meta.property, category: property.category, ...judged }) } : {};
    return { name, spec: meta.spec, expected, got, passed, problems: passed ? [] : [problem], ms: now() - start, ...trace };
  } catch (error) {
    if (error instanceof UserError) return fail(expected, 'not replayable', error.message, meta.spec);
    if (error instanceof RangeError) return fail(expected, 'not replayable', error.message, meta.spec);
    throw error;
  }
}
