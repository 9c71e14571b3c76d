import { describe, expect, it } from 'vitest';
import { explore } from '../../src/engine/index.js';
import { dieHard, dieHardModel, notSolved } from '../toy/dieHard.js';
import { alwaysTrueAtEnd, gridModel } from '../toy/graphModels.js';
import { checkModelLaws } from '../../src/testing/index.js';
import { referenceExplore } from '../toy/reference.js';
import { replayLabels } from '../toy/replayTrace.js';

describe('Die Hard water jugs', () => {
  it('BFS finds the 6-step solution', () => {
    const result = explore(dieHard, { strategy: 'bfs' });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    const { trace } = result.violations[0]!;
    expect(trace.labels).toEqual(['FillBigJug', 'BigToSmall', 'EmptySmallJug', 'BigToSmall', 'FillBigJug', 'BigToSmall']);
    expect(trace.states).toEqual([
      { big: 0, small: 0 },
      { big: 5, small: 0 },
      { big: 2, small: 3 },
      { big: 2, small: 0 },
      { big: 0, small: 2 },
      { big: 5, small: 2 },
      { big: 4, small: 3 },
    ]);
    expect(result.properties).toEqual([{ name: 'NotSolved', category: 'safety', status: 'violated' }]);
    expect(result.stats.maxDepth).toBe(6);
  });

  it('has 16 reachable states, and 6 is the least depth of a solution (reference explorer)', () => {
    const reference = referenceExplore(dieHardModel);
    expect(reference.depth.size).toBe(16);
    const solved = [...reference.states].filter(([, s]) => s.big === 4).map(([k]) => reference.depth.get(k)!);
    expect(Math.min(...solved)).toBe(6);
    const all = explore(dieHard, { strategy: 'bfs', continueAfterViolation: true });
    expect(all.stats.distinct).toBe(16);
    expect(all.stats.transitions).toBe(16 * 6);
    expect(all.complete).toBe(true);
  });

  it('DFS finds a solution too (not necessarily shortest), and it replays', () => {
    const result = explore(dieHard, { strategy: 'dfs' });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    const { trace } = result.violations[0]!;
    expect(trace.labels.length).toBeGreaterThanOrEqual(6);
    expect(notSolved.holds(trace.states.at(-1)!)).toBe(false);
    expect(replayLabels(dieHardModel, trace)).toEqual(trace.states);
  });

  it('obeys the model laws', () => {
    expect(checkModelLaws(dieHardModel).states).toBe(16);
  });
});

describe('grid', () => {
  it('visits (w+1)(h+1) states over w(h+1)+h(w+1) transitions, with one terminal state at depth w+h', () => {
    for (const strategy of ['bfs', 'dfs'] as const) {
      const result = explore({ model: gridModel(30, 20), properties: [alwaysTrueAtEnd()] }, { strategy });
      expect(result.status).toBe('ok');
      expect(result.stats).toMatchObject({ distinct: 31 * 21, transitions: 30 * 21 + 20 * 31, terminal: 1, maxDepth: 50, queued: 0 });
    }
  });

  it('BFS reaches a target by a shortest path', () => {
    const target = { model: gridModel(5, 5), properties: [{ ...notAt(3, 2), kind: 'always' as const }] };
    const result = explore(target, { strategy: 'bfs' });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    // Level order, actions in order right, up: the first path found is right^3 up^2.
    expect(result.violations[0]!.trace.labels).toEqual(['right', 'right', 'right', 'up', 'up']);
  });
});

function notAt(x: number, y: number) {
  return {
    name: `NotAt(${x},${y})`,
    category: 'safety' as const,
    description: 'never at the target',
    holds: (s: { x: number; y: number }) => s.x !== x || s.y !== y,
  };
}
