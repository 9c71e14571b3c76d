import { test } from 'vitest';
import { build, variants } from './specs/support.js';
import { computeMetrics } from '../src/engine/index.js';
import { COST_STATISTICS } from '../src/core/index.js';

const ALL = { terminalPaths: true, counters: new Proxy({}, { get: () => COST_STATISTICS }) } as any;
function run(v: any, cfg: any) {
  const t = build(v, cfg);
  return computeMetrics({ model: t.model, costs: t.costs! }, { reductions: ['eager-drop','partial-order','symmetry'].map((name) => ({ name, preserves: ALL })) });
}
test('x', () => {
  const cfgs: [any, any][] = [];
  for (const v of Object.values(variants)) cfgs.push([v, { workload: 'pingpong', crashes: 1 }], [v, { workload: 'chain', n: 3, crashes: 1 }], [v, { workload: 'chain', n: 2, crashes: 2, f: 2 }]);
  for (const [v, cfg] of cfgs) {
      const none = run(v, { ...cfg, reduce: 'none' });
      const line: string[] = [`${v.id} ${JSON.stringify(cfg)} none: ${none.states}/${none.transitions} paths ${none.terminalPaths.status === 'known' ? none.terminalPaths.value.paths : '?'}`];
      for (const red of ['eager-drop', 'partial-order', 'eager-drop,partial-order']) {
        let o; try { o = run(v, { ...cfg, reduce: red }); } catch (e) { line.push(`${red}: ${String(e)}`); continue; }
        const diffs: string[] = [];
        none.counters.forEach((c, i) => {
          const d = o.counters[i]!;
          for (const s of ['min', 'max', 'support', 'mean'] as const) {
            if (JSON.stringify(c[s]) !== JSON.stringify(d[s])) diffs.push(`${c.counter.name}.${s}`);
          }
        });
        const dd = none.counters.filter((c, i) => JSON.stringify(c.distribution) !== JSON.stringify(o.counters[i]!.distribution)).length;
        line.push(`  ${red}: ${o.states}/${o.transitions} paths ${o.terminalPaths.status === 'known' ? o.terminalPaths.value.paths : '?'} diffs: ${diffs.filter(x=>!x.endsWith('mean')).join(' ')} | mean/dist diffs ${diffs.filter(x=>x.endsWith('mean')).length}/${dd}`);
      }
      console.log(line.join('\n'));
  }
}, 600000);
