/**
 * The memory bound: past a quarter of --memory the BFS queue spills to a
 * file and the search gives the same results; past 90 % of it (resident
 * size, read through an injectable probe here) the search stops with
 * `stoppedBy: 'memory'` and every undecided verdict `unknown`, on one
 * thread and on several. The CLI maps that to exit 14 with its statistics.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { specRegistry } from '../../specs/index.js';
import { resolveParams } from '../../src/core/params.js';
import { explore, type ExploreOptions } from '../../src/engine/index.js';

const root = new URL('../../', import.meta.url);
const cli = new URL('dist/src/cli/main.js', root).pathname;

function fbl(raw: Record<string, string | number>) {
  const spec = specRegistry.find((s) => s.id === 'nonblocking')!;
  const params = resolveParams(spec.params, raw, spec.id);
  return {
    target: () => spec.build(params) as never,
    workerTarget: { module: new URL('dist/specs/index.js', root).href, exportName: 'buildRegistered', args: { spec: 'nonblocking', params } },
  };
}

describe('the memory bound', () => {
  const config = fbl({ workload: 'chain', n: 3, f: 2, reduce: 'none' });

  it('spills the queue to a file past its share and finds the same states', () => {
    const spillDirectory = mkdtempSync(join(tmpdir(), 'rrcheck-spill-test-'));
    const free = explore(config.target(), { strategy: 'bfs' });
    expect(free.stats).toMatchObject({ distinct: 87004, spilledBytes: 0 });
    for (const workers of [1, 2]) {
      const options: ExploreOptions = { strategy: 'bfs', memoryBytes: 64 * 1024, memoryProbe: () => 0, spillDirectory, workers, workerTarget: config.workerTarget, parallelThreshold: 1 };
      const spilled = explore(config.target(), options);
      expect(spilled.status).toBe('ok');
      expect(spilled.stats.distinct).toBe(87004);
      expect(spilled.stats.transitions).toBe(free.stats.transitions);
      expect(spilled.stats.spilledBytes).toBeGreaterThan(0);
      expect(spilled.stats.workers).toBe(workers);
    }
    // Spill files are removed once read.
    expect(readdirSync(spillDirectory)).toEqual([]);
  });

  it.each([1, 2])('stops with stoppedBy memory when the resident size passes 90 percent of the bound, %i worker(s)', (workers) => {
    let reads = 0;
    const options: ExploreOptions = {
      strategy: 'bfs',
      memoryBytes: 1000 * 2 ** 20,
      // Past the bound from the 3rd reading on.
      memoryProbe: () => (++reads > 2 ? 950 * 2 ** 20 : 100 * 2 ** 20),
      workers,
      workerTarget: config.workerTarget,
      parallelThreshold: 1,
    };
    const result = explore(config.target(), options);
    expect(result.status).toBe('incomplete');
    expect(result.status === 'incomplete' && result.stoppedBy).toBe('memory');
    expect(result.properties.every((p) => p.status === 'unknown' && p.reason === 'bound')).toBe(true);
    expect(result.stats.distinct).toBeLessThan(87004);
    expect(result.stats.peakRssBytes).toBe(950 * 2 ** 20);
  });

  it('rrcheck check --memory: exit 14 with the statistics, and a one-line error for a bad size', () => {
    expect(existsSync(cli)).toBe(true);
    let code = 0;
    let out = '';
    try {
      execFileSync(process.execPath, [cli, 'check', '--workload', 'chain', '--n', '4', '--f', '2', '--memory', '64M', '--json', '--progress-interval', '0'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const e = error as { status: number; stdout: string };
      code = e.status;
      out = e.stdout;
    }
    expect(code).toBe(14);
    const json = JSON.parse(out) as { status: string; stoppedBy: string; coverage: string; stats: { peakRssBytes: number; rssBytesPerState: number } };
    expect(json).toMatchObject({ status: 'incomplete', stoppedBy: 'memory' });
    expect(json.coverage).toMatch(/^incomplete: stopped by --memory 64 MB/);
    expect(json.stats.peakRssBytes).toBeGreaterThan(0.9 * 64 * 2 ** 20);
    let err = '';
    try {
      execFileSync(process.execPath, [cli, 'check', '--memory', '12'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const e = error as { status: number; stderr: string };
      code = e.status;
      err = e.stderr;
    }
    expect(code).toBe(2);
    expect(err).toBe('rrcheck: --memory must be a size of at least 64M, such as 512M or 8G, not "12" (rrcheck --help for usage)\n');
  });
});
