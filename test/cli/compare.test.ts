/**
 * `rrcheck compare`: the table's figures (read off timed runs of the specs'
 * own steps), --json, the charts written as SVG and Vega-Lite JSON, the
 * charts in docs/ being what the command draws, and one-line errors.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/index.js';
import { CHART_NAMES, comparisonCharts } from '../../src/cli/commands/compare.js';
import { chartSvg } from '../../src/cli/charts.js';
import { compareAlgorithms } from '../../specs/comparison.js';
import { repositoryRoot } from '../support/helpers.js';
import { runRrcheckAsync } from './fixtures/runRrcheck.js';

const scratch = mkdtempSync(join(tmpdir(), 'rrcheck-compare-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('rrcheck compare', () => {
  it('prints one row per failures × n × algorithm with the figures of the timed runs', async () => {
    const r = await runRrcheckAsync(['compare', '--sizes', '3,8']);
    expect(r.code).toBe(ExitCode.ok);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('compare nonblocking, blocking, manetho: star workload, k = 20 messages replayed by p0, n = 3, 8');
    // failures, n, algorithm, blocked, held, recovery, control messages, copies, live writes, recovering writes
    expect(r.out).toMatch(/^ +1 +8 +nonblocking +0\.0 +0\.0 +5081\.1 +41 +47 +0 +2$/m);
    expect(r.out).toMatch(/^ +1 +8 +blocking +51\.1 +0\.0 +5081\.1 +48 +47 +0 +2$/m);
    expect(r.out).toMatch(/^ +1 +8 +manetho +0\.0 +0\.0 +5096\.1 +48 +47 +7 +2$/m);
    expect(r.out).toMatch(/^ +2 +8 +nonblocking +0\.0 +0\.0 +10109\.5 +60 +47 +0 +4$/m);
    expect(r.out).toMatch(/^ +2 +8 +blocking +5079\.5 +0\.0 +10109\.5 +66 +47 +0 +4$/m);
    expect(r.out).toMatch(/^ +2 +3 +blocking +5065\.1 +0\.0 +10095\.1 +24 +43 +0 +4$/m);
    expect(lines.filter((l) => /^ +[12] +[38] +/.test(l))).toHaveLength(12);
    expect(r.out).toContain('final states: every property holds except: manetho breaks nonBlocking (n = 3, 8)');
  });

  it('one failure: the closed forms of the control messages (2(n−1) + k + (n−1), plus n−1 Unblock or Announce)', () => {
    const k = 20;
    for (const row of compareAlgorithms({ sizes: [2, 5, 8], failures: [1] })) {
      const base = 2 * (row.n - 1) + k + (row.n - 1);
      expect(row.controlMessages, `${row.spec} n=${row.n}`).toBe(row.spec === 'nonblocking' ? base : base + row.n - 1);
      expect(row.liveStableWrites).toBe(row.spec === 'manetho' ? row.n - 1 : 0);
    }
  });

  it('--json gives the rows as data; n = 2 with two failures has no live process, so no blocked time', async () => {
    const r = await runRrcheckAsync(['compare', '--sizes', '2', '--specs', 'nonblocking,blocking', '--json']);
    expect(r.code).toBe(ExitCode.ok);
    const json = JSON.parse(r.out) as { rows: { spec: string; n: number; failures: number; blockedMs: number | null }[]; charts: string[] };
    expect(json.rows.map((row) => [row.spec, row.failures, row.blockedMs === null ? null : Math.round(row.blockedMs * 100) / 100])).toEqual([
      ['nonblocking', 1, 0],
      ['nonblocking', 2, null],
      ['blocking', 1, 51.07],
      ['blocking', 2, null],
    ]);
    expect(json.charts).toEqual([]);
  });

  it('--charts writes each chart as SVG and as its Vega-Lite JSON, a bar per figure', async () => {
    const folder = join(scratch, 'charts');
    const r = await runRrcheckAsync(['compare', '--sizes', '3,4', '--charts', folder]);
    expect(r.code).toBe(ExitCode.ok);
    for (const name of CHART_NAMES) {
      expect(existsSync(join(folder, `${name}.svg`)), name).toBe(true);
      const spec = JSON.parse(readFileSync(join(folder, `${name}.vl.json`), 'utf8')) as { data: { values: unknown[] } };
      expect(spec.data.values).toHaveLength(12);
    }
    const blocked = readFileSync(join(folder, 'blocked-time.svg'), 'utf8');
    expect(blocked.startsWith('<svg')).toBe(true);
    expect(blocked).toContain('Time each live process is blocked (mean)');
    // A bar for every row with a value: 3 algorithms × 2 sizes × 2 panels; only the blocking baseline's have a height.
    const bars = [...blocked.matchAll(/aria-roledescription="bar" d="M[\d.]+,[\d.]+h[\d.]+v([\d.]+)h[-\d.]+Z" fill="(#[0-9a-f]+)"/g)];
    expect(bars).toHaveLength(12);
    expect(bars.filter(([, height]) => Number(height) > 0).map(([, , colour]) => colour)).toEqual(['#f58518', '#f58518', '#f58518', '#f58518']);
    expect(r.out).toContain(`charts: ${join(folder, 'blocked-time.svg')}, ${join(folder, 'blocked-time.vl.json')},`);
    expect(readdirTemporary(folder)).toEqual([]);
  });

  it('the charts in docs/charts are what `rrcheck compare --charts docs/charts` draws today', async () => {
    const charts = comparisonCharts(compareAlgorithms());
    for (const chart of charts) {
      const committed = readFileSync(join(repositoryRoot, 'docs', 'charts', `${chart.name}.svg`), 'utf8');
      expect(await chartSvg(chart.spec), chart.name).toBe(committed);
    }
  });

  it('refuses bad flags in one line before running anything', async () => {
    const cases: [string[], string][] = [
      [['--sizes', '1,3'], '--sizes must be a comma-separated list of distinct integers in 2…15, not "1,3"'],
      [['--sizes', '3,3'], '--sizes must be a comma-separated list of distinct integers in 2…15, not "3,3"'],
      [['--failures', '3'], '--failures must be a comma-separated list of distinct integers in 1…2, not "3"'],
      [['--specs', 'naive'], '--specs must be a comma-separated list of distinct names among nonblocking, blocking, manetho, not "naive"'],
      [['--delta-ms', '-1'], '--delta-ms must be a number ≥ 0, not "-1"'],
    ];
    for (const [flags, message] of cases) {
      const r = await runRrcheckAsync(['compare', ...flags]);
      expect(r.code, flags.join(' ')).toBe(ExitCode.usage);
      expect(r.err).toBe(`rrcheck: ${message} (rrcheck --help for usage)\n`);
      expect(r.out).toBe('');
    }
    const blocker = join(scratch, 'a-file');
    writeFileSync(blocker, '');
    const r = await runRrcheckAsync(['compare', '--charts', join(blocker, 'charts')]);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err).toMatch(/^rrcheck: --charts: cannot write into .*a-file\/charts: ENOTDIR \(rrcheck --help for usage\)\n$/);
    expect(r.out).toBe('');
  });
});

function readdirTemporary(folder: string): string[] {
  return readdirSync(folder).filter((f) => f.includes('.tmp-') || f.startsWith('.rrcheck-probe'));
}
