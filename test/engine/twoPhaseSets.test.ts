import { describe, expect, it } from 'vitest';
import { explore } from '../../src/engine/index.js';
import { checkModelLaws } from '../../src/testing/index.js';
import { referenceExplore } from '../toy/reference.js';
import { replayLabels } from '../toy/replayTrace.js';
import { twoPhaseModel } from '../toy/twoPhase.js';
import { asArrays, tcConsistentSets, twoPhaseSets, twoPhaseSetsModel } from '../toy/twoPhaseSets.js';

describe('two-phase commit with Set and Map state (TwoPhase.tla written naturally)', () => {
  it.each(['bfs', 'dfs'] as const)('has 288 states with 3 RMs, as the array version, and TCConsistent holds (%s)', (strategy) => {
    const result = explore(twoPhaseSets(3), { strategy });
    expect(result.status).toBe('ok');
    expect(result.complete).toBe(true);
    expect(result.stats.distinct).toBe(288);
    expect(result.stats.transitions).toBe(1145);
    expect(result.stats.terminal).toBe(0);
    expect(result.properties).toEqual([{ name: 'TCConsistent', category: 'safety', status: 'holds' }]);
  });

  it.each([1, 2, 3, 4])('reaches the same states as the array version for %i RMs', (rmCount) => {
    const arrays = referenceExplore(twoPhaseModel(rmCount));
    const sets = referenceExplore(twoPhaseSetsModel(rmCount), (s) => JSON.stringify(asArrays(s, rmCount)));
    expect([...sets.depth.keys()].sort()).toEqual([...arrays.depth.keys()].sort());
    for (const strategy of ['bfs', 'dfs'] as const) {
      const result = explore(twoPhaseSets(rmCount), { strategy });
      expect(result.stats.distinct).toBe(arrays.depth.size);
      expect(result.stats.transitions).toBe(arrays.transitions);
    }
  });

  it('Sets filled in different orders are one state: both orders of two Prepared messages occur', () => {
    const model = twoPhaseSetsModel(2);
    const [init] = model.init();
    const prepare = (rm: number) => ({ kind: 'RMPrepare', rm }) as const;
    const a = model.next(model.next(init!, prepare(0)), prepare(1));
    const b = model.next(model.next(init!, prepare(1)), prepare(0));
    expect([...a.msgs]).toEqual(['Prepared r1', 'Prepared r2']);
    expect([...b.msgs]).toEqual(['Prepared r2', 'Prepared r1']);
    const fa = new Uint32Array(2);
    const fb = new Uint32Array(2);
    model.fingerprint(a, fa);
    model.fingerprint(b, fb);
    expect([...fa]).toEqual([...fb]);
  });

  it('a TM that commits before all RMs prepared is still caught, with the same shortest trace (BFS) and by DFS', () => {
    const target = twoPhaseSets(3, { commitWithoutAllPrepared: true });
    const bfs = explore(target, { strategy: 'bfs' });
    expect(bfs.status).toBe('violation');
    if (bfs.status !== 'violation') return;
    const v = bfs.violations[0]!;
    expect(v.property).toBe('TCConsistent');
    expect(v.trace.labels).toEqual(['TMCommit', 'RMChooseToAbort(r1)', 'RMRcvCommitMsg(r2)']);
    expect(v.explanation).toBe('rmState = [aborted, committed, working]');
    expect(replayLabels(target.model, v.trace)).toEqual(v.trace.states);

    const dfs = explore(target, { strategy: 'dfs' });
    expect(dfs.status).toBe('violation');
    if (dfs.status !== 'violation') return;
    const trace = dfs.violations[0]!.trace;
    expect(tcConsistentSets.holds(trace.states.at(-1)!)).toBe(false);
    expect(replayLabels(target.model, trace)).toEqual(trace.states);
  });

  it('obeys the model laws', () => {
    expect(checkModelLaws(twoPhaseSetsModel(3), { samples: 288 })).toEqual({ states: 288, transitions: 1145 });
  });
});
