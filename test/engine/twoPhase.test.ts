import { describe, expect, it } from 'vitest';
import { explore } from '../../src/engine/index.js';
import { checkModelLaws } from '../../src/testing/index.js';
import { referenceExplore } from '../toy/reference.js';
import { replayLabels } from '../toy/replayTrace.js';
import { tcConsistent, twoPhase, twoPhaseModel } from '../toy/twoPhase.js';

describe('two-phase commit (TwoPhase.tla)', () => {
  it.each(['bfs', 'dfs'] as const)('has 288 states with 3 RMs and TCConsistent holds (%s)', (strategy) => {
    const result = explore(twoPhase(3), { strategy });
    expect(result.status).toBe('ok');
    expect(result.complete).toBe(true);
    expect(result.stats.distinct).toBe(288);
    expect(result.stats.transitions).toBe(1145);
    expect(result.stats.queued).toBe(0);
    // Every state can still take a (possibly stuttering) step, as in TLA+.
    expect(result.stats.terminal).toBe(0);
    expect(result.properties).toEqual([{ name: 'TCConsistent', category: 'safety', status: 'holds' }]);
  });

  it('reaches its deepest state in 10 steps (BFS depth)', () => {
    expect(explore(twoPhase(3), { strategy: 'bfs' }).stats.maxDepth).toBe(10);
  });

  it.each([1, 2, 3, 4])('agrees with the reference explorer for %i RMs', (rmCount) => {
    const reference = referenceExplore(twoPhaseModel(rmCount));
    for (const strategy of ['bfs', 'dfs'] as const) {
      const result = explore(twoPhase(rmCount), { strategy });
      expect(result.stats.distinct).toBe(reference.depth.size);
      expect(result.stats.transitions).toBe(reference.transitions);
      expect(result.status).toBe('ok');
    }
    if (rmCount === 3) expect(reference.depth.size).toBe(288);
    expect(explore(twoPhase(rmCount), { strategy: 'bfs' }).stats.maxDepth).toBe(Math.max(...reference.depth.values()));
  });

  it('a TM that commits before all RMs prepared violates TCConsistent; BFS gives a shortest trace', () => {
    const target = twoPhase(3, { commitWithoutAllPrepared: true });
    const result = explore(target, { strategy: 'bfs' });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    expect(result.complete).toBe(false);
    expect(result.properties).toEqual([{ name: 'TCConsistent', category: 'safety', status: 'violated' }]);
    expect(result.violations).toHaveLength(1);
    const v = result.violations[0]!;
    expect(v.property).toBe('TCConsistent');
    expect(v.category).toBe('safety');
    expect(v.trace.initIndex).toBe(0);
    expect(v.trace.labels).toEqual(['TMCommit', 'RMChooseToAbort(r1)', 'RMRcvCommitMsg(r2)']);
    expect(v.trace.states.at(-1)).toEqual({
      rmState: ['aborted', 'committed', 'working'],
      tmState: 'committed',
      tmPrepared: [false, false, false],
      msgs: ['Commit'],
    });
    expect(v.explanation).toBe('rmState = [aborted, committed, working]');
    expect(replayLabels(target.model, v.trace)).toEqual(v.trace.states);

    // No shorter violation exists: the reference explorer's least violating depth is 3.
    const reference = referenceExplore(target.model);
    const depths = [...reference.states].filter(([, s]) => !tcConsistent.holds(s)).map(([k]) => reference.depth.get(k)!);
    expect(Math.min(...depths)).toBe(3);
  });

  it('DFS also finds the broken variant, with a trace that replays', () => {
    const target = twoPhase(3, { commitWithoutAllPrepared: true });
    const result = explore(target, { strategy: 'dfs' });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    const trace = result.violations[0]!.trace;
    expect(trace.labels.length).toBeGreaterThanOrEqual(3);
    expect(tcConsistent.holds(trace.states.at(-1)!)).toBe(false);
    expect(trace.states.slice(0, -1).every((s) => tcConsistent.holds(s))).toBe(true);
    expect(replayLabels(target.model, trace)).toEqual(trace.states);
  });

  it('obeys the model laws', () => {
    expect(checkModelLaws(twoPhaseModel(3), { samples: 288 })).toEqual({ states: 288, transitions: 1145 });
  });
});
