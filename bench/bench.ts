/**
 * `npm run bench`: the explorer's throughput and memory, each run in a
 * process of its own (`rrcheck check --json`, so that its peak resident size
 * is its own), under a time budget per run.
 *
 * 1. Matrix: a few configurations with `--reduce none`, the default
 *    reductions (eager-drop) and eager-drop with partial-order reduction,
 *    each on 1 worker and on every core; ratios: workers ÷ 1 worker
 *    (distinct states/s, in the same bench run), and the state counts of
 *    each reduction ÷ none.
 * 2. Targets: the configurations the scale issue names, on every core, with
 *    the default reductions and with partial-order reduction added.
 *
 * Per run: distinct states, transitions, time, distinct states/s, peak RSS,
 * peak RSS ÷ distinct states, and the visited store's bytes per state. A run
 * the budget cuts short is marked "capped": its numbers are lower bounds.
 *
 * Options: --budget SECONDS per run (default 120), --quick (the matrix on
 * its two smallest configurations only), --only TEXT (configurations whose
 * name contains TEXT). Timings are noisy on a shared machine: compare the
 * ratios measured in one run.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

interface Options {
  budgetSeconds: number;
  quick: boolean;
  only: string | undefined;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { budgetSeconds: 120, quick: false, only: undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--quick') options.quick = true;
    else if (flag === '--budget' && Number(value) > 0) {
      options.budgetSeconds = Number(value);
      i++;
    } else if (flag === '--only' && value !== undefined) {
      options.only = value;
      i++;
    } else throw new Error(`bench: unknown or malformed option ${flag} (use --budget SECONDS, --quick, --only TEXT)`);
  }
  return options;
}

interface Run {
  readonly name: string;
  readonly params: Readonly<Record<string, string | number>>;
  readonly workers: number;
}

interface Measured {
  readonly run: Run;
  readonly status: string;
  readonly capped: boolean;
  readonly distinct: number;
  readonly transitions: number;
  readonly seconds: number;
  readonly rate: number;
  readonly peakRss: number;
  readonly storeBytesPerState: number;
}

const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function measure(run: Run, budgetSeconds: number): Measured {
  const args = [cli, 'check', '--json', '--progress-interval', '0', '--timeout', String(budgetSeconds), '--workers', String(run.workers), '--out', '/tmp/rrcheck-bench-out'];
  for (const [k, v] of Object.entries(run.params)) args.push(`--${k}`, String(v));
  process.stderr.write(`bench: ${label(run)} …\n`);
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  let json: { status: string; stoppedBy?: string; stats: { distinct: number; transitions: number; elapsedMs: number; peakRssBytes: number; storeBytesPerState: number } };
  try {
    json = JSON.parse(child.stdout) as typeof json;
  } catch {
    throw new Error(`bench: ${label(run)} printed no JSON (exit ${child.status}): ${child.stderr.trim().split('\n').at(-1)}`);
  }
  const { stats } = json;
  const capped = json.status === 'incomplete';
  return {
    run,
    status: capped ? `capped (${json.stoppedBy})` : json.status,
    capped,
    distinct: stats.distinct,
    transitions: stats.transitions,
    seconds: stats.elapsedMs / 1000,
    rate: (stats.distinct * 1000) / Math.max(1, stats.elapsedMs),
    peakRss: stats.peakRssBytes,
    storeBytesPerState: stats.storeBytesPerState,
  };
}

function label(run: Run): string {
  return `${run.name} reduce=${run.params['reduce']} workers=${run.workers}`;
}

function table(rows: readonly string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: readonly string[]) => r.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function row(m: Measured): string[] {
  const mb = m.peakRss / 2 ** 20;
  return [
    `${m.run.name}`,
    `${m.run.params['reduce']}`,
    `${m.run.workers}`,
    m.status,
    fmt.format(m.distinct),
    fmt.format(m.transitions),
    `${m.seconds.toFixed(1)} s`,
    fmt.format(m.rate),
    `${fmt.format(mb)} MB`,
    fmt.format(m.peakRss / Math.max(1, m.distinct)),
    m.storeBytesPerState.toFixed(1),
  ];
}

const HEADER = ['config', 'reduce', 'workers', 'status', 'distinct', 'transitions', 'time', 'distinct/s', 'peak RSS', 'RSS B/state', 'store B/state'];

/** --reduce values measured: none, the default, the default with partial-order reduction. */
const REDUCTIONS = ['none', 'eager-drop', 'eager-drop,partial-order'] as const;

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const cores = availableParallelism();
  const wanted = (name: string) => options.only === undefined || name.includes(options.only);
  const matrixConfigs: { name: string; params: Record<string, string | number> }[] = [
    { name: 'chain n=4 f=2', params: { workload: 'chain', n: 4, f: 2 } },
    { name: 'ring n=4 f=2', params: { workload: 'ring', n: 4, f: 2 } },
    { name: 'chain n=5 f=1', params: { workload: 'chain', n: 5, f: 1 } },
  ].filter((c) => wanted(c.name));
  const targets: { name: string; params: Record<string, string | number>; goal: string }[] = [
    { name: 'chain n=5 f=2', params: { workload: 'chain', n: 5, f: 2 }, goal: '≤ 30 s, ≤ 100 B RSS per state' },
    { name: 'chain n=6 f=2', params: { workload: 'chain', n: 6, f: 2 }, goal: '≤ 10 min, ≤ 8 GB' },
    { name: 'ring n=5 f=2', params: { workload: 'ring', n: 5, f: 2 }, goal: '≤ 10 min, ≤ 8 GB' },
    { name: 'chain n=4 f=3', params: { workload: 'chain', n: 4, f: 3 }, goal: '≤ 10 min, ≤ 8 GB' },
    { name: 'chain n=10 f=1', params: { workload: 'chain', n: 10, f: 1 }, goal: '≤ 5 min' },
  ].filter((c) => wanted(c.name));

  process.stderr.write(`bench: ${cores} cores, budget ${options.budgetSeconds} s per run\n`);
  const out: string[] = [];
  const matrix: Measured[] = [];
  for (const config of options.quick ? matrixConfigs.slice(0, 2) : matrixConfigs) {
    for (const reduce of REDUCTIONS) {
      for (const workers of cores > 1 ? [1, cores] : [1]) {
        matrix.push(measure({ name: config.name, params: { ...config.params, reduce }, workers }, options.budgetSeconds));
      }
    }
  }
  if (matrix.length > 0) {
    out.push('Matrix (each configuration with --reduce none, the default eager-drop and eager-drop,partial-order, on 1 worker and on every core)', '');
    out.push(table([HEADER, ...matrix.map(row)]), '');
    out.push('Ratios (same bench run):');
    for (const m of matrix) {
      if (m.run.workers === 1) continue;
      const one = matrix.find((o) => o.run.name === m.run.name && o.run.params['reduce'] === m.run.params['reduce'] && o.run.workers === 1);
      if (one === undefined) continue;
      const capped = m.capped || one.capped ? ' (capped: lower bounds)' : '';
      out.push(`  ${m.run.name} reduce=${m.run.params['reduce']}: ${m.run.workers} workers ÷ 1 worker, distinct states/s: ×${(m.rate / one.rate).toFixed(2)}${capped}`);
    }
    for (const config of matrixConfigs) {
      const one = (reduce: string) => matrix.find((m) => m.run.name === config.name && m.run.params['reduce'] === reduce && m.run.workers === 1);
      const none = one('none');
      for (const reduce of REDUCTIONS.slice(1)) {
        const reduced = one(reduce);
        if (none === undefined || reduced === undefined || none.capped || reduced.capped) continue;
        out.push(`  ${config.name}: distinct states with ${reduce} ÷ none: ${(reduced.distinct / none.distinct).toFixed(3)}`);
      }
    }
    out.push('');
  }
  if (!options.quick && targets.length > 0) {
    const measured = targets.flatMap((t) =>
      REDUCTIONS.slice(1).map((reduce) => ({ goal: t.goal, m: measure({ name: t.name, params: { ...t.params, reduce }, workers: cores }, options.budgetSeconds) })),
    );
    out.push('Targets (every core; the default eager-drop, and with partial-order reduction added)', '');
    out.push(table([[...HEADER, 'target'], ...measured.map(({ goal, m }) => [...row(m), goal])]), '');
  }
  out.push(`budget: ${options.budgetSeconds} s per run (--budget); a capped run stopped at it.`);
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
