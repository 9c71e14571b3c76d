/**
 * The one reporter of the run commands (`check`, `simulate`, `replay`,
 * `gate`): each command reduces its outcome to a serialisable run record
 * (what ran, its verdicts and numbers, its violations as TraceRecords) and
 * this module turns that record into the text report, the `--json` object
 * and, for the gate, the JUnit test cases. A violation therefore has one
 * shape wherever it is reported: the `trace` of every JSON object and the
 * `rrcheck.trace` property of a JUnit test case are the same TraceRecord
 * (trace/record.ts), which a counterexample file's `#meta.rrcheck` extends.
 * Pure functions of the records; the commands write the strings.
 */
import type { ExitCodeValue } from '../core/exitCodes.js';
import type { CheckTarget } from '../core/model.js';
import { setMembers, type ParamRecord } from '../core/params.js';
import type { CheckResult, ExploreStats, PropertyVerdict, Violation } from '../core/result.js';
import type { CoverageReport, RandomWalkStats } from '../engine/index.js';
import type { ExpectedVerdict, ModuleRecord } from '../trace/counterexampleFile.js';
import { formatChanges } from '../trace/diff.js';
import { traceRecord, type TraceRecord } from '../trace/record.js';
import { formatViolation, traceSteps } from '../trace/textTrace.js';
import { coverageJson, coverageText } from './coverageReport.js';
import { type Kept, keptJson, keptText } from './counterexamples.js';
import type { JobOutcome } from './gate/job.js';
import type { JunitCase } from './gate/junit.js';
import { type GateCheck, requirementText } from './gate/matrix.js';
import { columns, count, duration, paramList, plural } from './output.js';
import { coverageSentence, type RunReport, textReport, unknownText } from './report.js';

/** ONE JSON object and a newline: what a command with `--json` writes on stdout, and nothing else. */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/**
 * A spec module as every JSON output names it: its path (as given on the
 * command line or in the matrix; relative to the file's folder for a
 * counterexample file) and its sha256.
 */
export type ModuleJson = ModuleRecord;

/** The `module` field of a run of a user's spec module; nothing for rrcheck's own specs. */
export function moduleField(module: { readonly given: string; readonly digest: string } | ModuleRecord | undefined): { module?: ModuleJson } {
  if (module === undefined) return {};
  return { module: { path: 'given' in module ? module.given : module.path, digest: module.digest } };
}

/** The JSON field naming the reductions in force, when the spec has them (its `reduce` set parameter). */
export function reductionsField(params: ParamRecord): { reductions?: readonly string[] } {
  return params['reduce'] === undefined ? {} : { reductions: setMembers(params['reduce']) };
}

/** A property's verdict in every JSON output (`why` where the command knows what cut the search). */
export interface VerdictJson {
  readonly name: string;
  readonly category: 'safety' | 'liveness';
  readonly status: PropertyVerdict['status'];
  readonly reason?: NonNullable<PropertyVerdict['reason']>;
  readonly why?: string;
}

export function verdictsJson(properties: readonly PropertyVerdict[], why: (p: PropertyVerdict) => string | undefined = () => undefined): VerdictJson[] {
  return properties.map((p) => {
    const text = why(p);
    return {
      name: p.name,
      category: p.category,
      status: p.status,
      ...(p.reason === undefined ? {} : { reason: p.reason }),
      ...(text === undefined ? {} : { why: text }),
    };
  });
}

/** The search numbers of an exhaustive run (check, and each check of the gate), as JSON. */
export function statsJson(stats: ExploreStats): Record<string, unknown> {
  return {
    distinct: stats.distinct,
    transitions: stats.transitions,
    maxDepth: stats.maxDepth,
    elapsedMs: Math.round(stats.elapsedMs),
    queued: stats.queued,
    collisionProbability: stats.collisionProbability,
    workers: stats.workers,
    peakRssBytes: stats.peakRssBytes,
    rssBytesPerState: stats.distinct > 0 ? Math.round(stats.peakRssBytes / stats.distinct) : 0,
    storeBytesPerState: Math.round(stats.bytesPerState * 10) / 10,
    queuePeakBytes: stats.queuePeakBytes,
    spilledBytes: stats.spilledBytes,
    ...(stats.partialOrder === undefined ? {} : { partialOrder: stats.partialOrder }),
  };
}

/**
 * What every run command reports, whatever else it adds: the spec that ran
 * (and its module), its parameters, the outcome, and the violations shown,
 * as trace records. `traces[0]` is the `trace` of the JSON object.
 */
export interface RunRecord {
  readonly spec: string;
  readonly module?: ModuleJson;
  readonly params: Readonly<Record<string, number | string>>;
  /** check, simulate: ok / violation / incomplete; replay: its outcome (ReplayOutcome). */
  readonly status: string;
  /** Whether the search covered everything within its parameters (absent for replay, which searches nothing). */
  readonly complete?: boolean;
  readonly traces: readonly TraceRecord[];
}

/**
 * The JSON object of a run record: the record's fields first, in one order
 * for every command (status, complete, spec, module, params), then the
 * command's own `fields`, then `trace` (the first trace record), then `tail`.
 */
export function runJson(run: RunRecord, fields: Record<string, unknown>, tail: Record<string, unknown> = {}): Record<string, unknown> {
  const first = run.traces[0];
  return {
    status: run.status,
    ...(run.complete === undefined ? {} : { complete: run.complete }),
    spec: run.spec,
    ...(run.module === undefined ? {} : { module: run.module }),
    params: run.params,
    ...fields,
    ...(first === undefined ? {} : { trace: first }),
    ...tail,
  };
}

// ── check ────────────────────────────────────────────────────────────────

/** What `check` reports: the run, the violations shown (shrunk), the files saved, the coverage counted. */
export interface CheckRun {
  readonly report: RunReport;
  /** The violations after shrinking, in the order found. */
  readonly shown: readonly Violation<unknown>[];
  readonly kept: readonly Kept[];
  readonly module?: { readonly given: string; readonly digest: string };
  readonly coverage?: CoverageReport;
}

/** The check report with the shrunk violations shown; the coverage sentence still tells where the search stopped. */
function withShown(report: RunReport, shown: readonly Violation<unknown>[]): RunReport {
  if (report.result.status !== 'violation') return report;
  const result: CheckResult<unknown> = { ...report.result, violations: shown };
  return { ...report, result };
}

/** The run record of a check: its violations are the shown (shrunk) ones. */
export function checkRecord(run: CheckRun): RunRecord {
  const { report } = run;
  return {
    spec: report.spec.id,
    ...moduleField(run.module),
    params: report.params as RunRecord['params'],
    status: report.result.status,
    complete: report.result.complete,
    traces: run.shown.map(traceRecord),
  };
}

export function checkJson(run: CheckRun, record: RunRecord): Record<string, unknown> {
  const { report, kept, coverage } = run;
  const { result, settings, params } = report;
  const shownResult = withShown(report, run.shown).result;
  return runJson(
    record,
    {
      ...reductionsField(params),
      strategy: settings.strategy,
      ...(result.status !== 'ok' && result.stoppedBy !== undefined ? { stoppedBy: result.stoppedBy } : {}),
      coverage: coverageSentence(report),
      stats: statsJson(result.stats),
      properties: verdictsJson(result.properties, (p) => unknownText(p, shownResult, settings)),
    },
    {
      ...(kept.length === 0 ? {} : { counterexamples: keptJson(kept) }),
      ...(coverage === undefined ? {} : { stepCoverage: coverageJson(coverage) }),
    },
  );
}

export function checkText(run: CheckRun): string {
  const shownReport = withShown(run.report, run.shown);
  let text = textReport(shownReport).replace(coverageSentence(shownReport), coverageSentence(run.report));
  if (run.kept.length > 0) text += `\n${keptText(run.kept)}`;
  if (run.coverage !== undefined) text += `\n${coverageText(run.coverage)}`;
  return text;
}

// ── simulate ─────────────────────────────────────────────────────────────

export interface SimulateRun {
  readonly record: RunRecord;
  readonly target: CheckTarget<unknown, unknown>;
  readonly seed: number;
  readonly runs: number;
  readonly maxSteps: number;
  readonly stats: RandomWalkStats;
  /** The violation shown (shrunk), if a walk found one. */
  readonly shown?: Violation<unknown>;
  readonly kept: readonly Kept[];
  /** The sentence saying what the walks covered. */
  readonly coverage: string;
  /** Present when an interruption stopped the walks. */
  readonly stoppedBy?: 'interrupted';
}

export function simulateJson(run: SimulateRun): Record<string, unknown> {
  return runJson(
    run.record,
    {
      ...reductionsField(run.record.params as ParamRecord),
      seed: run.seed,
      runs: run.runs,
      maxSteps: run.maxSteps,
      ...(run.stoppedBy === undefined ? {} : { stoppedBy: run.stoppedBy }),
      coverage: run.coverage,
      stats: { ...run.stats, elapsedMs: Math.round(run.stats.elapsedMs) },
    },
    run.kept.length === 0 ? {} : { counterexamples: keptJson(run.kept) },
  );
}

export function simulateText(run: SimulateRun): string {
  const { stats } = run;
  const sections = [`rrcheck simulate ${run.record.spec}: ${paramList(run.record.params)} (seed ${run.seed})\n`];
  if (run.shown !== undefined) sections.push(formatViolation(run.target, run.shown));
  const rows = [
    ['  seed', String(run.seed)],
    ['  walks', `${count(stats.walks)} of at most ${count(run.runs)} (${count(stats.terminal)} reached a state without successors)`],
    ['  steps', `${count(stats.steps)} (longest walk ${count(stats.longest)}, at most ${count(run.maxSteps)})`],
    ['  time', duration(stats.elapsedMs)],
  ];
  sections.push(`Search\n${columns(rows).join('\n')}\n`);
  if (run.kept.length > 0) sections.push(keptText(run.kept));
  sections.push(`${run.coverage}\n`);
  return sections.join('\n');
}

// ── replay ───────────────────────────────────────────────────────────────

/**
 * How a replay ended. `reproduced`: the recorded violation happened again;
 * `violated-again`: a file marked fixed violates; `fixed`: a file marked
 * fixed does not; `not-reproduced`: a file expected to violate does not;
 * `drift`: a label is not enabled (or the initial state is missing).
 */
export type ReplayOutcome = 'reproduced' | 'violated-again' | 'fixed' | 'not-reproduced' | 'drift';

/** What `replay` reports: the run record (status = the outcome, traces = the violation replayed, if any) and the replay's own facts. */
export interface ReplayRun {
  readonly record: RunRecord & { readonly status: ReplayOutcome };
  readonly file: string;
  readonly property: string;
  readonly category: 'safety' | 'liveness';
  readonly expected: ExpectedVerdict;
  /** Labels the file records. */
  readonly recordedSteps: number;
  /** Labels replayed: up to the violation, or all of them, or up to the drift. */
  readonly steps: number;
  readonly exitCode: ExitCodeValue;
  /** A label that is not enabled: its 0-based index, the label, the labels that were. */
  readonly drift?: { readonly step: number; readonly label: string; readonly enabled: readonly string[] };
  /** The one-line error of a drift or a violation that no longer reproduces (also on stderr). */
  readonly message?: string;
}

export function replayJson(run: ReplayRun): Record<string, unknown> {
  return runJson(
    run.record,
    {
      exitCode: run.exitCode,
      file: run.file,
      property: run.property,
      category: run.category,
      expected: run.expected,
      recordedSteps: run.recordedSteps,
      steps: run.steps,
    },
    {
      ...(run.drift === undefined ? {} : { drift: run.drift }),
      ...(run.message === undefined ? {} : { message: run.message }),
    },
  );
}

/** The head of the text report: the file, the spec and its parameters, the property and what the file expects. */
export function replayHead(run: Pick<ReplayRun, 'file' | 'property' | 'category' | 'expected' | 'recordedSteps'> & { readonly spec: string; readonly params: RunRecord['params'] }): string {
  return (
    `rrcheck replay ${run.file}\n` +
    `spec ${run.spec}: ${paramList(run.params)}\n` +
    `property ${run.property} (${run.category}), expected: ${run.expected}, ${plural(run.recordedSteps, 'step')}\n\n`
  );
}

/** Numbered steps, each with the property's verdict where it is decided, and the changes under it. */
export function replaySteps(
  target: CheckTarget<unknown, unknown>,
  trace: { initIndex: number; labels: readonly string[]; states: readonly unknown[]; loopStart?: number },
  verdictAt: (index: number) => string,
): string {
  const steps = traceSteps(target, trace);
  const width = String(Math.max(steps.length, 1)).length;
  const num = (k: number) => `${String(k).padStart(width)}.`;
  const pad = ' '.repeat(width + 2);
  const lines = [`  ${num(0)} initial state${trace.initIndex === 0 ? '' : ` #${trace.initIndex}`}${verdictAt(0)}`];
  for (const step of steps) {
    const detail = step.detail === undefined ? '' : ` — ${step.detail}`;
    lines.push(`  ${num(step.index)} ${step.label}${detail}${verdictAt(step.index)}`);
    const changes = formatChanges(step.changes);
    const shown = changes.length > 12 ? changes.slice(0, 11) : changes;
    for (const line of shown) lines.push(`  ${pad}  ${line}`);
    if (shown.length < changes.length) lines.push(`  ${pad}  … and ${changes.length - shown.length} more changes`);
    if (step.changes.length === 0) lines.push(`  ${pad}  (no visible change)`);
  }
  if (trace.loopStart !== undefined) {
    lines.push(`  ${pad}↺ step ${steps.length} returns to state ${trace.loopStart}: steps ${trace.loopStart + 1}–${steps.length} repeat forever`);
  }
  return `${lines.join('\n')}\n`;
}

/** The last line of a replay that ended without an error: what happened, against what the file expects. */
export function replayVerdictText(run: ReplayRun): string {
  const where = run.steps === run.recordedSteps ? `after step ${run.steps}` : `after step ${run.steps} (the file records ${plural(run.recordedSteps, 'step')})`;
  switch (run.record.status) {
    case 'reproduced':
      return `reproduced: ${run.property} is violated ${where}, as recorded.\n`;
    case 'violated-again':
      return `violated again: ${run.property} is violated ${where}, though the file is marked fixed.\n`;
    case 'fixed':
      return `fixed: ${run.property} is not violated along the ${plural(run.steps, 'step')}, as the file expects.\n`;
    default:
      return '';
  }
}

// ── gate ─────────────────────────────────────────────────────────────────

/** One row of the gate's result: a matrix check or a corpus replay. */
export interface GateRow {
  readonly name: string;
  readonly kind: 'check' | 'replay';
  readonly spec?: string;
  readonly check?: GateCheck;
  readonly expected: string;
  readonly got: string;
  readonly passed: boolean;
  readonly problems: readonly string[];
  readonly ms: number;
  readonly outcome?: JobOutcome;
  /** The violation found (a check's first, as the search found it) or replayed (a corpus file). */
  readonly trace?: TraceRecord;
  readonly counterexample?: string;
}

/** `PASS  name  expected …  got …  1,234 states  12.3 s  coverage 2/2`, padded to the matrix's widths. */
export function gateRowText(row: GateRow, widths: { name: number; text: number }): string {
  const states = row.outcome !== undefined && row.outcome.status !== 'error' ? `${count(row.outcome.stats.distinct)} states` : '';
  const required = row.check?.require ?? [];
  const missed = row.problems.filter((p) => p.startsWith('coverage: ')).length;
  const coverage = required.length === 0 ? '' : `coverage ${required.length - missed}/${required.length}`;
  const line = [
    row.passed ? 'PASS' : 'FAIL',
    row.name.padEnd(widths.name),
    `expected ${row.expected}`.padEnd(widths.text + 9),
    `got ${row.got}`.padEnd(widths.text + 4),
    states.padStart(15),
    duration(row.ms).padStart(9),
    coverage,
  ]
    .join('  ')
    .trimEnd();
  return `${line}\n${row.problems.map((p) => `      - ${p}\n`).join('')}`;
}

/** A gate row as a JUnit test case; a row with a violation carries its trace record (and file) as test-case properties. */
export function gateJunitCase(row: GateRow): JunitCase {
  const classname = row.kind === 'replay' ? 'rrcheck.gate.corpus' : `rrcheck.gate.${row.spec ?? 'unknown'}`;
  const output = `expected ${row.expected}; got ${row.got}`;
  const properties = [
    ...(row.trace === undefined ? [] : [{ name: 'rrcheck.trace', value: JSON.stringify(row.trace) }]),
    ...(row.counterexample === undefined ? [] : [{ name: 'rrcheck.counterexample', value: row.counterexample }]),
  ];
  const base = { name: row.name, classname, seconds: row.ms / 1000, output, ...(properties.length === 0 ? {} : { properties }) };
  if (row.passed) return base;
  if (row.outcome?.status === 'error') return { ...base, error: { message: row.problems.join('; ') } };
  return { ...base, failure: { message: `expected ${row.expected}, got ${row.got}`, details: row.problems.join('\n') } };
}

export interface GateSummary {
  readonly matrix: string;
  readonly workers: number;
  readonly wallMs: number;
  readonly checkMs: number;
  readonly passed: number;
  readonly failed: number;
  /** Present when SIGINT/SIGTERM stopped the gate (checks not run, the corpus not replayed). */
  readonly stoppedBy?: 'interrupted';
}

function gateRowJson(r: GateRow): Record<string, unknown> {
  const o = r.outcome;
  return {
    name: r.name,
    kind: r.kind,
    ...(r.spec === undefined ? {} : { spec: r.spec }),
    ...moduleField(r.check?.module),
    ...(r.check === undefined ? {} : { params: r.check.params, strategy: r.check.strategy, require: r.check.require.map(requirementText) }),
    expected: r.expected,
    got: r.got,
    passed: r.passed,
    problems: r.problems,
    elapsedMs: Math.round(r.ms),
    ...(o === undefined || o.status === 'error'
      ? {}
      : {
          stats: { ...statsJson(o.stats), complete: o.complete },
          properties: verdictsJson(o.properties),
          ...(o.coverage === undefined ? {} : { stepCoverage: coverageJson(o.coverage) }),
        }),
    ...(r.trace === undefined ? {} : { trace: r.trace }),
    ...(r.counterexample === undefined ? {} : { counterexample: r.counterexample }),
  };
}

export function gateJson(rows: readonly GateRow[], run: GateSummary): Record<string, unknown> {
  return {
    status: run.failed === 0 ? 'passed' : 'failed',
    ...(run.stoppedBy === undefined ? {} : { stoppedBy: run.stoppedBy }),
    passed: run.passed,
    failed: run.failed,
    matrix: run.matrix,
    workers: run.workers,
    wallMs: Math.round(run.wallMs),
    checkMs: Math.round(run.checkMs),
    checks: rows.map(gateRowJson),
  };
}
