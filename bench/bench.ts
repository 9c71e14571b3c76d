/**
 * `npm run bench`: the explorer's throughput on the non-blocking spec, chain
 * and ring workloads, n = 3..5, f = 1..2, each run under a state and time
 * budget. Prints a table of distinct states, transitions, time, distinct
 * states per second and bytes per visited state, with ratios: transitions
 * per state, and growth over the same workload and f at n − 1.
 *
 * A run the budget cuts short is marked "capped" (its numbers are a lower
 * bound), and larger n for the same workload and f are skipped, saying so.
 *
 * Options: --max-states N (default 1,000,000), --timeout SECONDS per run
 * (default 20), --quick (n = 3..4 only). Timings are noisy on a shared
 * machine: compare ratios between runs of the same build, not absolute times.
 */
import { specRegistry } from '../specs/index.js';
import { type CheckResult, explore, type ParamValue, resolveParams } from '../src/index.js';

interface Budget {
  maxStates: number;
  timeoutMs: number;
  ns: number[];
}

function parseArgs(argv: readonly string[]): Budget {
  const budget: Budget = { maxStates: 1_000_000, timeoutMs: 20_000, ns: [3, 4, 5] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = Number(argv[i + 1]);
    if (flag === '--quick') {
      budget.ns = [3, 4];
    } else if (flag === '--max-states' && Number.isInteger(value) && value > 0) {
      budget.maxStates = value;
      i++;
    } else if (flag === '--timeout' && value > 0) {
      budget.timeoutMs = value * 1000;
      i++;
    } else {
      throw new Error(`bench: unknown or malformed option ${flag} (use --max-states N, --timeout SECONDS, --quick)`);
    }
  }
  return budget;
}

interface Row {
  config: string;
  status: string;
  distinct: string;
  transitions: string;
  perState: string;
  time: string;
  rate: string;
  bytes: string;
  growth: string;
}

const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const fixed = (x: number, digits = 1) => x.toFixed(digits);

function main(): void {
  const budget = parseArgs(process.argv.slice(2));
  const spec = specRegistry.find((s) => s.id === 'nonblocking');
  if (spec === undefined) throw new Error('bench: spec nonblocking is not in the registry');
  const rows: Row[] = [];
  const notes: string[] = [];
  let totalStates = 0;
  let totalMs = 0;
  process.stderr.write(
    `bench: nonblocking, budget per run ${fmt.format(budget.maxStates)} states or ${budget.timeoutMs / 1000} s\n`,
  );
  for (const workload of ['chain', 'ring']) {
    for (const f of [1, 2]) {
      let previous: CheckResult<unknown> | undefined;
      let capped = false;
      for (const n of budget.ns) {
        const config = `${workload} n=${n} f=${f}`;
        if (capped) {
          notes.push(`${config}: skipped, n=${n - 1} already exceeded the budget`);
          rows.push({ config, status: 'skipped', distinct: '', transitions: '', perState: '', time: '', rate: '', bytes: '', growth: '' });
          continue;
        }
        const given: Record<string, ParamValue> = { workload, n, f };
        const target = spec.build(resolveParams(spec.params, given, spec.id));
        const result = explore(target, {
          strategy: 'bfs',
          maxStates: budget.maxStates,
          timeoutMs: budget.timeoutMs,
          progressIntervalMs: 10_000,
          listener: {
            onProgress: (p) =>
              process.stderr.write(`  ${config}: ${fmt.format(p.distinct)} distinct, depth ${p.depth}, ${(p.elapsedMs / 1000).toFixed(1)} s\n`),
          },
        });
        const { stats } = result;
        let status: string = result.status;
        capped = result.status === 'incomplete';
        if (result.status === 'incomplete') {
          status = `capped (${result.stoppedBy})`;
          notes.push(`${config}: capped by the ${result.stoppedBy === 'time' ? 'time' : 'state'} budget; its counts are lower bounds`);
        }
        totalStates += stats.distinct;
        totalMs += stats.elapsedMs;
        rows.push({
          config,
          status,
          distinct: fmt.format(stats.distinct),
          transitions: fmt.format(stats.transitions),
          perState: fixed(stats.transitions / Math.max(1, stats.distinct), 2),
          time: `${fixed(stats.elapsedMs / 1000, 2)} s`,
          rate: fmt.format((stats.distinct * 1000) / Math.max(1, stats.elapsedMs)),
          bytes: fixed(stats.bytesPerState, 1),
          growth:
            previous === undefined ? '' : `${capped ? '≥' : ''}×${fixed(stats.distinct / previous.stats.distinct)}`,
        });
        previous = result;
      }
    }
  }
  const header: Row = {
    config: 'config',
    status: 'status',
    distinct: 'distinct',
    transitions: 'transitions',
    perState: 'trans/state',
    time: 'time',
    rate: 'distinct/s',
    bytes: 'bytes/state',
    growth: 'vs n−1',
  };
  const keys = Object.keys(header) as (keyof Row)[];
  const width = (k: keyof Row) => Math.max(...[header, ...rows].map((r) => r[k].length));
  const left = new Set<keyof Row>(['config', 'status']);
  const line = (r: Row) =>
    keys
      .map((k) => (left.has(k) ? r[k].padEnd(width(k)) : r[k].padStart(width(k))))
      .join('  ')
      .trimEnd();
  const out = [line(header), keys.map((k) => '-'.repeat(width(k))).join('  '), ...rows.map(line)];
  out.push('');
  out.push(`total: ${fmt.format(totalStates)} distinct states in ${fixed(totalMs / 1000, 1)} s, ${fmt.format((totalStates * 1000) / Math.max(1, totalMs))} distinct states/s overall`);
  for (const note of notes) out.push(`note: ${note}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
