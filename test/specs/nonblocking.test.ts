/**
 * The non-blocking algorithm holds every property, exhaustively; the state
 * counts are pinned, with the default reduction and with the literal rules,
 * so that any change of semantics shows up as a number someone must explain.
 * The counts equal to the reference implementations are in reference.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ALL_HOLD, check, variants, verdicts } from './support.js';

const { nonblocking } = variants;

describe('nonblocking: every property holds, exhaustively', () => {
  const cases: [string, { workload: string; n: number; f: number }, number, number][] = [
    // [name, configuration, distinct states (default: --reduce eager-drop), with --reduce none]
    ['chain n=3 f=1 (= FIG1)', { workload: 'chain', n: 3, f: 1 }, 309, 309],
    ['FIG1 f=2', { workload: 'fig1', n: 3, f: 2 }, 28_447, 87_004],
    ['ring n=3 f=1', { workload: 'ring', n: 3, f: 1 }, 453, 453],
    ['ring n=3 f=2', { workload: 'ring', n: 3, f: 2 }, 59_881, 201_504],
    ['chain n=4 f=1', { workload: 'chain', n: 4, f: 1 }, 1_325, 1_325],
    ['ring n=4 f=1', { workload: 'ring', n: 4, f: 1 }, 1_745, 1_745],
    ['PINGPONG f=1', { workload: 'pingpong', n: 2, f: 1 }, 73, 73],
    ['ORDER2 f=1', { workload: 'order2', n: 2, f: 1 }, 283, 283],
    ['W4 f=1', { workload: 'w4', n: 3, f: 1 }, 892, 892],
    ['FIG1S f=1', { workload: 'fig1s', n: 4, f: 1 }, 972, 972],
  ];
  for (const [name, config, distinct, literal] of cases) {
    it(`${name}: ${distinct} states, ${literal} with the literal rules`, () => {
      const result = check(nonblocking, config);
      expect(result.status).toBe('ok');
      expect(result.complete).toBe(true);
      expect(verdicts(result)).toEqual(ALL_HOLD);
      expect(result.stats.distinct).toBe(distinct);
      const none = check(nonblocking, { ...config, reduce: 'none' });
      expect(verdicts(none)).toEqual(ALL_HOLD);
      expect(none.stats.distinct).toBe(literal);
    });
  }

  it('f = n: the stable host S takes part by default (PINGPONG f=2: 12,485 states; without S 1,573)', () => {
    const withS = check(nonblocking, { workload: 'pingpong', n: 2, f: 2 });
    const withoutS = check(nonblocking, { workload: 'pingpong', n: 2, f: 2, stableHost: 'off' });
    expect(verdicts(withS)).toEqual(ALL_HOLD);
    expect(verdicts(withoutS)).toEqual(ALL_HOLD);
    expect([withS.stats.distinct, withoutS.stats.distinct]).toEqual([12_485, 1_573]);
  });

  it('the state graphs of the correct algorithm and the baselines are acyclic (checked, not assumed)', () => {
    // BFS records the graph and looks for a cycle once complete: liveness `holds` says there is none.
    for (const [variant, config] of [
      [nonblocking, { workload: 'fig1', f: 2 }],
      [nonblocking, { workload: 'fig1', f: 2, reduce: 'none' }],
      [variants.blocking, { workload: 'fig1', f: 2 }],
      [variants.manetho, { workload: 'pingpong', f: 2, stableHost: 'off' }],
    ] as const) {
      const result = check(variant, config, { continueAfterViolation: true });
      expect(result.complete).toBe(true);
      expect(result.properties.find((p) => p.name === 'liveness')).toEqual({ name: 'liveness', category: 'liveness', status: 'holds' });
    }
  });

  it('DFS explores the same state space as BFS and finds no cycle', () => {
    const bfs = check(nonblocking, { workload: 'ring', n: 3, f: 2 });
    const dfs = check(nonblocking, { workload: 'ring', n: 3, f: 2 }, { strategy: 'dfs' });
    expect(dfs.status).toBe('ok');
    expect(dfs.stats.distinct).toBe(bfs.stats.distinct);
    expect(dfs.stats.transitions).toBe(bfs.stats.transitions);
  });

  it('FIFO channels give a subset of the unordered interleavings, and still hold', () => {
    const fifo = check(nonblocking, { workload: 'ring', n: 3, f: 2, network: 'fifo' });
    expect(fifo.status).toBe('ok');
    expect(verdicts(fifo)).toEqual(ALL_HOLD);
    expect(fifo.stats.distinct).toBe(FIFO_RING3_F2);
  });
});

// FIFO binds Live receivers only (README "Protocol model and choices").
const FIFO_RING3_F2 = 43_261;
