/**
 * The non-blocking algorithm holds every property, exhaustively; the state
 * counts are pinned so that any change of semantics shows up as a number
 * someone must explain. Where the brief's independent prototype (protocol.md
 * §6) has a count for the same configuration, the comment gives it.
 */
import { describe, expect, it } from 'vitest';
import { ALL_HOLD, check, variants, verdicts } from './support.js';

const { nonblocking } = variants;

describe('nonblocking: every property holds, exhaustively', () => {
  const cases: [string, { workload: string; n: number; f: number }, number][] = [
    // [name, configuration, distinct states]
    ['chain n=3 f=1 (= FIG1; prototype: 309)', { workload: 'chain', n: 3, f: 1 }, 309],
    ['FIG1 f=2 (prototype: 87,764; see README "State counts")', { workload: 'fig1', n: 3, f: 2 }, 18_367],
    ['ring n=3 f=1', { workload: 'ring', n: 3, f: 1 }, 453],
    ['ring n=3 f=2', { workload: 'ring', n: 3, f: 2 }, 37_957],
    ['chain n=4 f=1', { workload: 'chain', n: 4, f: 1 }, 1_325],
    ['ring n=4 f=1', { workload: 'ring', n: 4, f: 1 }, 1_745],
    ['PINGPONG f=1 (prototype: 73)', { workload: 'pingpong', n: 2, f: 1 }, 73],
    ['ORDER2 f=1 (prototype: 283)', { workload: 'order2', n: 2, f: 1 }, 283],
    ['W4 f=1 (prototype: 892)', { workload: 'w4', n: 3, f: 1 }, 892],
    ['FIG1S f=1 (prototype: 972)', { workload: 'fig1s', n: 4, f: 1 }, 972],
  ];
  for (const [name, config, distinct] of cases) {
    it(name, () => {
      const result = check(nonblocking, config);
      expect(result.status).toBe('ok');
      expect(result.complete).toBe(true);
      expect(verdicts(result)).toEqual(ALL_HOLD);
      expect(result.stats.distinct).toBe(distinct);
    });
  }

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
const FIFO_RING3_F2 = 27_304;
