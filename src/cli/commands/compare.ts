/**
 * `rrcheck compare`: the non-blocking algorithm against the blocking and the
 * Manetho-style baselines (specs/comparison.ts), n = 2 … 8, one failure and
 * a second one during the recovery: a table, or JSON, and with `--charts DIR`
 * four charts (blocked time, control messages, stable writes of live
 * processes, recovery time) as SVG and as their Vega-Lite JSON.
 */
import { join } from 'node:path';
import { ExitCode, UserError, type ExitCodeValue } from '../../core/exitCodes.js';
import type { TimingParameters } from '../../core/timing.js';
import { compareAlgorithms, COMPARED_SPECS, type ComparisonRow } from '../../../specs/comparison.js';
import { chartSvg, groupedBarChart, type Chart } from '../charts.js';
import { ensureWritableFolder, writeAtomically } from '../files.js';
import { columns } from '../output.js';
import { jsonLine } from '../reporter.js';
import type { Io } from '../output.js';

export interface CompareArgs {
  readonly specs: readonly string[];
  readonly sizes: readonly number[];
  readonly failures: readonly (1 | 2)[];
  readonly messages: number;
  readonly timing: TimingParameters;
  readonly seed: number;
  readonly jitter: number;
  readonly json: boolean;
  /** Write the charts into this folder (created if missing). */
  readonly charts?: string;
}

/** The charts' file stems, in the order they are written. */
export const CHART_NAMES = ['blocked-time', 'control-messages', 'stable-writes', 'recovery-time'] as const;

const FAILURES_TEXT: Record<1 | 2, string> = { 1: 'one failure', 2: 'two failures (the second during the recovery)' };

const ms = (x: number | null) => (x === null ? '—' : x.toFixed(1));

export async function runCompare(args: CompareArgs, deps: { readonly io: Io }): Promise<ExitCodeValue> {
  for (const spec of args.specs) {
    if (!(COMPARED_SPECS as readonly string[]).includes(spec)) throw new UserError(`--specs: ${spec} is not one of ${COMPARED_SPECS.join(', ')}`, ExitCode.usage);
  }
  // The folder is checked before the runs, so a mistake costs nothing.
  if (args.charts !== undefined) ensureWritableFolder(args.charts, '--charts');
  const rows = compareAlgorithms({ specs: args.specs, sizes: args.sizes, failures: args.failures, messages: args.messages, timing: args.timing, seed: args.seed, jitter: args.jitter });
  const written: string[] = [];
  if (args.charts !== undefined) {
    for (const chart of comparisonCharts(rows)) {
      const svg = await chartSvg(chart.spec);
      written.push(writeAtomically(join(args.charts, `${chart.name}.svg`), svg));
      written.push(writeAtomically(join(args.charts, `${chart.name}.vl.json`), `${JSON.stringify(chart.spec, null, 2)}\n`));
    }
  }
  if (args.json) {
    deps.io.out(jsonLine({ messages: args.messages, timing: args.timing, seed: args.seed, jitter: args.jitter, rows, charts: written }));
  } else {
    deps.io.out(compareText(args, rows));
    if (written.length > 0) deps.io.out(`charts: ${written.join(', ')}\n`);
  }
  return ExitCode.ok;
}

/** The four charts of a comparison, one panel per number of failures. */
export function comparisonCharts(rows: readonly ComparisonRow[]): Chart[] {
  const data = rows.map((r) => ({
    algorithm: r.spec,
    n: r.n,
    failures: FAILURES_TEXT[r.failures],
    blockedMs: r.blockedMs,
    controlMessages: r.controlMessages,
    liveStableWrites: r.liveStableWrites,
    recoverySeconds: r.recoveryMs / 1000,
  }));
  const order = COMPARED_SPECS.filter((s) => rows.some((r) => r.spec === s));
  const common = {
    rows: data,
    x: { field: 'n', title: 'processes (n)' },
    series: { field: 'algorithm', title: 'algorithm', order },
    panel: { field: 'failures', title: '' },
  };
  return [
    groupedBarChart({
      ...common,
      name: 'blocked-time',
      title: 'Time each live process is blocked (mean)',
      subtitle: 'no bar: 0 ms (n = 2 with two failures: no live process)',
      y: { field: 'blockedMs', title: 'blocked time (ms)' } }),
    groupedBarChart({ ...common, name: 'control-messages', title: 'Control messages sent during recovery', y: { field: 'controlMessages', title: 'control messages' } }),
    groupedBarChart({ ...common, name: 'stable-writes', title: 'Stable-storage writes by live processes', subtitle: 'no bar: none', y: { field: 'liveStableWrites', title: 'stable writes' } }),
    groupedBarChart({ ...common, name: 'recovery-time', title: 'Recovery time: first crash until every process is live', y: { field: 'recoverySeconds', title: 'recovery time (s)' } }),
  ];
}

function compareText(args: CompareArgs, rows: readonly ComparisonRow[]): string {
  const t = args.timing;
  const head = [
    `compare ${args.specs.join(', ')}: star workload, k = ${args.messages} messages replayed by p0, n = ${args.sizes.join(', ')}`,
    `timing: δ ${t.latencyMs} ms, β ${t.bandwidthMbps} Mb/s, detection ${t.detectMs} ms, restore ${t.restoreMs} ms, stable write ${t.stableWriteMs} ms, CPU ${t.cpuMs} ms per interval; seed ${args.seed}, jitter ${args.jitter}`,
    'one failure: p0 crashes once the workload is done (s1); two failures: the last process also crashes before it answers p0\'s depinfo request (s2)',
  ];
  const table: string[][] = [['failures', 'n', 'algorithm', 'blocked ms/live', 'held ms/live', 'recovery ms', 'control msgs', 'copies', 'live writes', 'recovering writes']];
  const ordered = [...rows].sort((a, b) => a.failures - b.failures || a.n - b.n || args.specs.indexOf(a.spec) - args.specs.indexOf(b.spec));
  for (const r of ordered) {
    table.push([
      String(r.failures),
      String(r.n),
      r.spec,
      ms(r.blockedMs),
      ms(r.heldMs),
      ms(r.recoveryMs),
      String(r.controlMessages),
      String(r.copies),
      String(r.liveStableWrites),
      String(r.recoveringStableWrites),
    ]);
  }
  return `${[...head, ...columns(table, '  ', ['r', 'r', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']), finalStates(rows)].join('\n')}\n`;
}

/**
 * Which properties the runs' final states break, per algorithm: none for the
 * non-blocking algorithm; the Manetho-style baseline breaks nonBlocking by
 * design (its live processes write their replies to stable storage, N3).
 */
function finalStates(rows: readonly ComparisonRow[]): string {
  const broken = new Map<string, Map<string, number[]>>();
  for (const r of rows) {
    for (const property of r.failing) {
      const bySpec = broken.get(r.spec) ?? new Map<string, number[]>();
      bySpec.set(property, [...(bySpec.get(property) ?? []), r.n]);
      broken.set(r.spec, bySpec);
    }
  }
  if (broken.size === 0) return 'final states: every property holds in every run';
  const parts = [...broken].flatMap(([spec, bySpec]) => [...bySpec].map(([property, sizes]) => `${spec} breaks ${property} (n = ${[...new Set(sizes)].join(', ')})`));
  return `final states: every property holds except: ${parts.join('; ')}`;
}
