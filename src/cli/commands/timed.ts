/**
 * `rrcheck timed [spec]`: a timed run of a spec's own actions
 * (engine/timed.ts) under its timing hook, with a crash scenario: per
 * process, blocked and held time, time to recover, messages sent and
 * stable-storage accesses. `--paper` prints the reproduction of the paper's
 * §5 figures, `--sweep` the sensitivity sweep (both for the FBL specs,
 * docs/timing.md).
 */
import { ExitCode, UserError, type ExitCodeValue } from '../../core/exitCodes.js';
import { resolveParams } from '../../core/params.js';
import type { TimedScenario, TimingParameters } from '../../core/timing.js';
import { randomScenario, simulateTimed, type TimedResult } from '../../engine/timed.js';
import { paperReproduction, sensitivitySweep, type PaperReproduction, type SweepPoint } from '../../../specs/timed.js';
import { PAPER_TIMING } from '../../../specs/fbl/timing.js';
import { readParamFiles } from '../paramFiles.js';
import { columns, paramList } from '../output.js';
import { jsonLine } from '../reporter.js';
import { type CheckDeps, findSpec } from './check.js';
import type { SpecModule } from '../specModule.js';

/** The default timing of `rrcheck timed`: the calibration to the paper's testbed (docs/timing.md). */
export const DEFAULT_TIMING: TimingParameters = PAPER_TIMING;
export const TIMED_SCENARIO_NAMES = ['s1', 's2', 'random'] as const;

export interface TimedArgs {
  readonly spec?: string;
  readonly params: Readonly<Record<string, string | number | undefined>>;
  readonly scenario: (typeof TIMED_SCENARIO_NAMES)[number];
  readonly seed: number;
  readonly jitter: number;
  readonly runs: number;
  /** With `random`: crashes drawn per run. */
  readonly failures: number;
  readonly timing: TimingParameters;
  readonly json: boolean;
  readonly paper: boolean;
  readonly sweep: boolean;
  readonly module?: SpecModule;
}

const ms = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(2));

export function runTimed(args: TimedArgs, deps: CheckDeps): ExitCodeValue {
  const { io } = deps;
  if (args.paper) {
    const reproduction = paperReproduction({ timing: args.timing, seed: args.seed, jitter: args.jitter });
    io.out(args.json ? jsonLine(paperJson(reproduction)) : paperText(reproduction));
    return ExitCode.ok;
  }
  if (args.sweep) {
    const points = sensitivitySweep();
    io.out(args.json ? jsonLine({ sweep: points }) : sweepText(points));
    return ExitCode.ok;
  }
  const spec = findSpec(deps.registry, args.spec ?? deps.defaultSpec);
  const params = resolveParams(spec.params, readParamFiles(spec.params, args.params, deps.files), spec.id);
  const target = spec.build(params);
  if (target.timing === undefined) throw new UserError(`spec ${spec.id} has no timing (CheckTarget.timing), so it cannot be run on a clock`, ExitCode.badSpec);
  const hook = target.timing(args.timing);
  const window = 2 * (args.timing.detectMs + args.timing.restoreMs + 2 * args.timing.stableWriteMs);
  const scenarioOf = (seed: number): TimedScenario => {
    if (args.scenario === 'random') return randomScenario(seed, args.failures, window);
    const named = hook.scenarios[args.scenario];
    if (named === undefined) throw new UserError(`spec ${spec.id} has no scenario ${args.scenario} (it has: ${Object.keys(hook.scenarios).join(', ') || 'none'})`, ExitCode.badSpec);
    return named;
  };
  const runs = Array.from({ length: args.runs }, (_, i) => {
    const seed = args.seed + i;
    const result = simulateTimed(target, hook, scenarioOf(seed), { seed, jitter: args.jitter });
    const failing = target.properties.filter((p) => !p.holds(result.finalState)).map((p) => p.name);
    return { seed, result, failing };
  });
  const head = `timed ${spec.id} ${paramList(params)}: scenario ${args.scenario}, seed ${args.seed}, jitter ${args.jitter}`;
  if (args.json) {
    io.out(jsonLine({ spec: spec.id, params, scenario: args.scenario, timing: args.timing, runs: runs.map((r) => runJson(r.result, r.failing)) }));
    return ExitCode.ok;
  }
  io.out(`${head}\n${timingLine(args.timing)}\n`);
  if (runs.length === 1) io.out(runText(runs[0]!.result, runs[0]!.failing));
  else io.out(runsText(runs));
  return ExitCode.ok;
}

function timingLine(t: TimingParameters): string {
  return `timing: δ ${t.latencyMs} ms, β ${t.bandwidthMbps} Mb/s, detection ${t.detectMs} ms, restore ${t.restoreMs} ms, stable write ${t.stableWriteMs} ms, CPU ${t.cpuMs} ms per interval`;
}

/** The cost counters of a group summed (the stable-storage accesses). */
function groupSum(result: TimedResult<unknown>, costs: Readonly<Record<string, number>>, group: string): number {
  return Object.entries(costs).reduce((sum, [name, v]) => sum + (result.costGroups[name] === group ? v : 0), 0);
}

const STABLE = 'stable storage';

function runText(result: TimedResult<unknown>, failing: readonly string[]): string {
  const rows: string[][] = [['process', 'blocked ms', 'held ms', 'recovery ms', 'messages sent', 'stable accesses']];
  const hasCosts = Object.keys(result.costGroups).length > 0;
  for (const p of result.processes) {
    rows.push([p.process, ms(p.blockedMs), ms(p.heldMs), p.recoveryMs === null ? '—' : ms(p.recoveryMs), String(p.messagesSent), hasCosts ? String(groupSum(result, p.costs, STABLE)) : '—']);
  }
  rows.push(['total', ms(result.totals.blockedMs), ms(result.totals.heldMs), '', String(result.totals.messagesSent), hasCosts ? String(groupSum(result, result.totals.costs, STABLE)) : '—']);
  const crashes = result.crashes.map((c) => `${c.process} at ${ms(c.atMs)} ms`).join(', ') || 'none';
  const lines = [
    `crashes: ${crashes}${result.crashesNotInjected > 0 ? ` (${result.crashesNotInjected} of the scenario not injected)` : ''}`,
    ...columns(rows, '  ', ['l', 'r', 'r', 'r', 'r', 'r']),
    `messages by kind: ${Object.entries(result.totals.sent).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
    ...costLines(result),
    `${result.labels.length} steps, ended at ${ms(result.endMs)} ms (${result.status}); messages and costs counted from ${ms(result.countedFromMs)} ms`,
    failing.length === 0 ? 'final state: every property holds' : `final state: ${failing.join(', ')} do${failing.length === 1 ? 'es' : ''} not hold`,
  ];
  return `${lines.join('\n')}\n`;
}

/** The spec's nonzero cost counters, one line per group. */
function costLines(result: TimedResult<unknown>): string[] {
  const groups = new Map<string, string[]>();
  for (const [name, group] of Object.entries(result.costGroups)) {
    const value = result.totals.costs[name] ?? 0;
    if (value === 0) continue;
    const line = groups.get(group) ?? [];
    line.push(`${name} ${value}`);
    groups.set(group, line);
  }
  return [...groups].map(([group, items]) => `${group}: ${items.join(', ')}`);
}

function runsText(runs: readonly { seed: number; result: TimedResult<unknown>; failing: readonly string[] }[]): string {
  const rows: string[][] = [['seed', 'crashes', 'blocked ms', 'held ms', 'longest recovery ms', 'messages', 'end ms', 'final state']];
  for (const { seed, result, failing } of runs) {
    const recoveries = result.processes.map((p) => p.recoveryMs).filter((x): x is number => x !== null);
    rows.push([
      String(seed),
      result.crashes.map((c) => `${c.process}@${Math.round(c.atMs)}`).join(' ') || 'none',
      ms(result.totals.blockedMs),
      ms(result.totals.heldMs),
      recoveries.length === 0 ? '—' : ms(Math.max(...recoveries)),
      String(result.totals.messagesSent),
      ms(result.endMs),
      failing.length === 0 ? 'ok' : failing.join(','),
    ]);
  }
  const mean = (f: (r: TimedResult<unknown>) => number) => runs.reduce((s, r) => s + f(r.result), 0) / runs.length;
  rows.push(['mean', '', ms(mean((r) => r.totals.blockedMs)), ms(mean((r) => r.totals.heldMs)), '', ms(mean((r) => r.totals.messagesSent)), ms(mean((r) => r.endMs)), '']);
  return `${columns(rows, '  ', ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'l']).join('\n')}\n`;
}

function runJson(result: TimedResult<unknown>, failing: readonly string[]): Record<string, unknown> {
  return {
    scenario: result.scenario,
    seed: result.seed,
    jitter: result.jitter,
    status: result.status,
    crashes: result.crashes,
    crashesNotInjected: result.crashesNotInjected,
    countedFromMs: result.countedFromMs,
    endMs: result.endMs,
    processes: result.processes,
    totals: result.totals,
    costGroups: result.costGroups,
    failing,
    labels: result.labels,
  };
}

function paperText(r: PaperReproduction): string {
  const rows: string[][] = [['scenario', 'algorithm', 'figure', 'paper', 'ours', 'ours ÷ paper']];
  for (const f of r.figures) {
    const unit = f.unit === 'ms' ? ' ms' : '';
    const ours = f.unit === 'messages' ? String(f.ours) : f.unit === 'ratio' ? f.ours.toFixed(3) : `${ms(f.ours)} ms`;
    rows.push([f.scenario.toUpperCase(), f.spec, f.what, f.paper === null ? f.paperText : `${f.paper}${unit} (${f.paperText})`, ours, f.ratio === null ? '' : f.ratio.toFixed(3)]);
  }
  return `the paper's §5 at n = ${r.n}, k = ${r.messages} replayed messages\n${timingLine(r.timing)}\n${columns(rows, '  ', ['l', 'l', 'l', 'l', 'r', 'r']).join('\n')}\n`;
}

function paperJson(r: PaperReproduction): Record<string, unknown> {
  return { n: r.n, messages: r.messages, timing: r.timing, figures: r.figures };
}

function sweepText(points: readonly SweepPoint[]): string {
  const rows: string[][] = [['parameter', 'value', 'S1 blocked ms', '2δ+k(2δ+t_app)', 'ratio', 'S2 blocked ms', 'T_det+T_rest', 'ratio', 'S1 recovery bl÷nb', 'non-blocking blocked']];
  for (const p of points) {
    rows.push([p.parameter, String(p.value), ms(p.s1BlockedMs), ms(p.s1ReplayMs), p.s1Ratio.toFixed(3), ms(p.s2BlockedMs), ms(p.s2DetectRestoreMs), p.s2Ratio.toFixed(3), p.s1RecoveryRatio.toFixed(3), ms(p.nonblockingBlockedMs)]);
  }
  return `${columns(rows, '  ', ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r']).join('\n')}\n`;
}
