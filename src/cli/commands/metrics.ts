/**
 * `rrcheck metrics [spec]`: the spec's cost counters aggregated over every
 * interleaving (engine/metrics.ts): per counter its minimum, maximum, mean
 * and distribution over the terminal paths of the explored graph, with the
 * states, transitions and terminal paths, the reductions in force, and for
 * each figure whether it is exact or unknown (and why). A bounded run gives
 * no figure (exit code incomplete). docs/costs.md says what each FBL
 * counter counts and what each reduction preserves.
 */
import { ExitCode, UserError, type ExitCodeValue } from '../../core/exitCodes.js';
import { resolveParams, setMembers, type ParamRecord } from '../../core/params.js';
import { costReductionsOf, type ReductionInForce } from '../../core/costReductions.js';
import { computeMetrics, type CounterMetrics, type Figure, type MetricsOptions, type MetricsResult } from '../../engine/index.js';
import { readParamFiles } from '../paramFiles.js';
import { columns, count, duration, paramList, plural } from '../output.js';
import { boundFlag, progressLine } from '../progress.js';
import { scopeOf } from '../report.js';
import { jsonLine, moduleField } from '../reporter.js';
import type { SpecModule } from '../specModule.js';
import { type CheckDeps, findSpec } from './check.js';

export interface MetricsArgs {
  readonly spec?: string;
  readonly params: Readonly<Record<string, string | number | undefined>>;
  readonly json: boolean;
  readonly maxStates?: number;
  readonly timeoutSeconds?: number;
  /** Seconds between progress lines on stderr; 0 turns them off. */
  readonly progressIntervalSeconds: number;
  readonly module?: SpecModule;
}

/** Distributions with more values than this print their first and last few. */
const SHOWN_VALUES = 6;

export function runMetrics(args: MetricsArgs, deps: CheckDeps): ExitCodeValue {
  const { io } = deps;
  const spec = findSpec(deps.registry, args.spec ?? deps.defaultSpec);
  const params = resolveParams(spec.params, readParamFiles(spec.params, args.params, deps.files), spec.id);
  const target = spec.build(params);
  const costs = target.costs;
  if (costs === undefined) throw new UserError(`spec ${spec.id} declares no cost counters (rrcheck metrics needs them)`, ExitCode.badSpec);
  const options: MetricsOptions = {
    reductions: reductionsInForce(params, costReductionsOf(costs)),
    listener: {
      onBound: (reason) => io.err(`bound reached: ${boundFlag(reason)}\n`),
      ...(args.progressIntervalSeconds > 0 ? { onProgress: (p) => io.err(progressLine(p)) } : {}),
    },
    ...(args.progressIntervalSeconds > 0 ? { progressIntervalMs: args.progressIntervalSeconds * 1000 } : {}),
    ...(args.maxStates === undefined ? {} : { maxStates: args.maxStates }),
    ...(args.timeoutSeconds === undefined ? {} : { timeoutMs: args.timeoutSeconds * 1000 }),
  };
  io.err(`measuring ${spec.id} ${paramList(params)}\n`);
  const result = computeMetrics({ model: target.model, costs }, options);
  io.out(args.json ? jsonLine(metricsJson(spec.id, params, result, args.module)) : metricsText(spec.id, params, result));
  return result.complete ? ExitCode.ok : ExitCode.incomplete;
}

/**
 * The reductions in force: those the cost spec declares, plus every member
 * of the spec's `reduce` parameter it does not declare (which then preserves
 * nothing: no figure is claimed exact under a reduction nobody vouched for).
 */
export function reductionsInForce(params: ParamRecord, declared: readonly ReductionInForce[] | undefined): readonly ReductionInForce[] {
  const known = declared ?? [];
  const named = params['reduce'] === undefined ? [] : setMembers(params['reduce']);
  const undeclared = named.filter((name) => !known.some((r) => r.name === name));
  return [...known, ...undeclared.map((name) => ({ name, preserves: { terminalPaths: false, counters: {} } }))];
}

// ---- output ------------------------------------------------------------------------

export function metricsJson(spec: string, params: ParamRecord, r: MetricsResult, module?: SpecModule): unknown {
  return {
    spec,
    ...moduleField(module),
    params,
    complete: r.complete,
    ...(r.stoppedBy === undefined ? {} : { stoppedBy: r.stoppedBy }),
    states: r.states,
    transitions: r.transitions,
    initialStates: r.initialStates,
    terminalStates: r.terminalStates,
    acyclic: r.acyclic ?? null,
    terminalPaths: r.terminalPaths,
    reductions: r.reductions,
    reducedStates: r.reducedStates,
    counters: r.counters.map((c) => ({
      name: c.counter.name,
      group: c.counter.group,
      description: c.counter.description,
      min: c.min,
      max: c.max,
      mean: c.mean,
      support: c.support,
      distribution: c.distribution,
    })),
    elapsedMs: Math.round(r.elapsedMs),
  };
}

/** Why a figure is unknown, in a few words. */
function why(f: Figure<unknown>): string {
  if (f.status === 'known') return '';
  switch (f.reason) {
    case 'cyclic-graph':
      return 'the graph has a cycle';
    case 'incomplete':
      return 'the search was cut by a bound';
    case 'no-terminal-path':
      return 'no terminal path';
    case 'reduced':
      return `not preserved by ${(f.reductions ?? []).join(', ')}`;
  }
}

function num(f: Figure<number>): string {
  if (f.status !== 'known') return 'unknown';
  return Number.isInteger(f.value) ? count(f.value) : f.value.toFixed(2);
}

/** `0:12 1:3,456`, the middle elided past SHOWN_VALUES values; the support alone when only it is known. */
function distributionCell(c: CounterMetrics): string {
  if (c.distribution.status === 'known') {
    const { entries, exact } = c.distribution.value;
    const cell = (e: readonly [number, number]) => `${e[0]}:${count(e[1])}`;
    const shown = entries.length <= SHOWN_VALUES ? entries.map(cell) : [...entries.slice(0, 3).map(cell), `… (${entries.length} values)`, ...entries.slice(-2).map(cell)];
    return shown.join(' ') + (exact ? '' : ' (≈)');
  }
  if (c.support.status === 'known') {
    const values = c.support.value;
    const listed = values.length <= SHOWN_VALUES ? values.join(', ') : `${values.slice(0, 3).join(', ')}, … (${values.length} values), ${values.slice(-2).join(', ')}`;
    return `values {${listed}}`;
  }
  return 'unknown';
}

/** The unknown figures of a counter, grouped by reason: `max, distribution unknown (the graph has a cycle)`. */
function unknownNote(c: CounterMetrics): string {
  const byReason = new Map<string, string[]>();
  const figures = [['min', c.min], ['max', c.max], ['mean', c.mean], ['distribution', c.distribution]] as const;
  for (const [name, f] of figures) {
    if (f.status === 'known') continue;
    const reason = why(f);
    byReason.set(reason, [...(byReason.get(reason) ?? []), name]);
  }
  return [...byReason].map(([reason, names]) => `${names.join(', ')} unknown (${reason})`).join('; ');
}

export function metricsText(spec: string, params: ParamRecord, r: MetricsResult): string {
  const lines: string[] = [];
  lines.push(`metrics of ${spec}: ${scopeOf(params)}`);
  const paths =
    r.terminalPaths.status === 'known'
      ? `${count(r.terminalPaths.value.paths)} terminal paths${r.terminalPaths.value.exact ? '' : ' (more than 2^53: counts rounded)'}`
      : `terminal paths unknown (${why(r.terminalPaths)})`;
  const shape = r.acyclic === undefined ? '' : r.acyclic ? ', acyclic' : ', with a cycle';
  lines.push(
    r.complete
      ? `${plural(r.states, 'state')}, ${plural(r.transitions, 'transition')}${shape}; ${plural(r.terminalStates, 'terminal state')}; ${paths}`
      : `${plural(r.states, 'state')} and ${plural(r.transitions, 'transition')} explored before the bound`,
  );
  const reduced = [r.terminalPaths, ...r.counters.flatMap((c) => [c.min, c.max, c.mean, c.support, c.distribution])].some(
    (f) => f.status === 'unknown' && f.reason === 'reduced',
  );
  const effect = !r.complete ? '' : reduced ? ' (a figure one of them does not preserve is unknown; docs/costs.md)' : ' (they preserve every figure here; docs/costs.md)';
  lines.push(`reductions in force: ${r.reductions.length === 0 ? 'none (every figure is exact)' : `${r.reductions.join(', ')}${effect}`}`);
  if (!r.complete) {
    lines.push('');
    lines.push(`incomplete: the search stopped at ${boundFlag(r.stoppedBy!)} after ${plural(r.states, 'state')} (${duration(r.elapsedMs)}); no figure is given for a partly explored graph.`);
    return `${lines.join('\n')}\n`;
  }
  const groups = new Map<string, CounterMetrics[]>();
  for (const c of r.counters) groups.set(c.counter.group, [...(groups.get(c.counter.group) ?? []), c]);
  const rows: string[][] = [['counter', 'min', 'max', 'mean', 'distribution (total:paths)', '']];
  for (const [group, members] of groups) {
    rows.push([`${group}:`, '', '', '', '', '']);
    for (const c of members) rows.push([`  ${c.counter.name}`, num(c.min), num(c.max), num(c.mean), distributionCell(c), unknownNote(c)]);
  }
  lines.push('');
  lines.push(...columns(rows, '  ', ['l', 'r', 'r', 'r', 'l', 'l']));
  lines.push('');
  lines.push(`complete: every figure is over the terminal paths of all ${plural(r.states, 'state')} explored (${duration(r.elapsedMs)}).`);
  return `${lines.join('\n')}\n`;
}
