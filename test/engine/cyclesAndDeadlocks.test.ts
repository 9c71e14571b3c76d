import { describe, expect, it } from 'vitest';
import type { Property } from '../../src/core/index.js';
import { explore } from '../../src/engine/index.js';
import { alwaysTrueAtEnd, graphModel, lassoModel } from '../toy/graphModels.js';
import { allDone, locksModel } from '../toy/locks.js';
import { checkModelLaws } from '../../src/testing/index.js';
import { referenceExplore } from '../toy/reference.js';
import { replayLabels } from '../toy/replayTrace.js';

describe('cycles (lassos)', () => {
  it.each(['dfs', 'bfs'] as const)('%s reports a cycle as a lasso violating the terminal property', (strategy) => {
    const result = explore({ model: lassoModel, properties: [alwaysTrueAtEnd()] }, { strategy });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    expect(result.violations).toHaveLength(1);
    const v = result.violations[0]!;
    expect(v.property).toBe('Terminates');
    expect(v.category).toBe('liveness');
    expect(v.trace).toEqual({ initIndex: 0, labels: ['a', 'b', 'c', 'back'], states: [0, 1, 2, 3, 1], loopStart: 1 });
    expect(v.explanation).toMatch(/cycle of 3 step\(s\) returns to state 1/);
    expect(result.properties).toEqual([{ name: 'Terminates', category: 'liveness', status: 'violated' }]);
    // DFS stops at the back edge; BFS finds the cycle after a complete search.
    expect(result.complete).toBe(strategy === 'bfs');
    if (strategy === 'bfs') expect(result.stats).toMatchObject({ distinct: 5, transitions: 5, terminal: 1 });
  });

  it.each(['dfs', 'bfs'] as const)('with cycleCheck: false, %s leaves the terminal property unknown (cycles-not-checked)', (strategy) => {
    const result = explore({ model: lassoModel, properties: [alwaysTrueAtEnd()] }, { strategy, cycleCheck: false });
    expect(result.status).toBe('incomplete');
    expect(result.complete).toBe(false);
    expect(result.status === 'incomplete' && result.stoppedBy).toBeUndefined();
    expect(result.properties).toEqual([{ name: 'Terminates', category: 'liveness', status: 'unknown', reason: 'cycles-not-checked' }]);
    expect(result.stats).toMatchObject({ distinct: 5, transitions: 5, terminal: 1, queued: 0, graphBytesPerState: 0 });
  });

  it('a self-loop is a cycle of one step', () => {
    const model = graphModel([[1], [1, 2], []]);
    const result = explore({ model, properties: [alwaysTrueAtEnd()] }, { strategy: 'dfs' });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    expect(result.violations[0]!.trace).toEqual({ initIndex: 0, labels: ['to 1', 'to 1'], states: [0, 1, 1], loopStart: 1 });
  });

  it('finds a cycle through a second initial state (roots are stored lazily)', () => {
    // 0 → 1 → 0: both are initial; the loop must still be seen.
    const model = graphModel([[1], [0]], [0, 1]);
    const result = explore({ model, properties: [alwaysTrueAtEnd()] }, { strategy: 'dfs' });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    expect(result.violations[0]!.trace).toEqual({ initIndex: 0, labels: ['to 1', 'to 0'], states: [0, 1, 0], loopStart: 0 });
  });

  it('a cycle violates every terminal property; the first one is reported first', () => {
    const second: Property<number> = { ...alwaysTrueAtEnd<number>('Second'), name: 'Second' };
    const always: Property<number> = { name: 'Small', kind: 'always', category: 'safety', description: 's < 100', holds: (s) => s < 100 };
    const result = explore({ model: lassoModel, properties: [always, alwaysTrueAtEnd(), second] }, { strategy: 'dfs' });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    expect(result.violations.map((v) => v.property)).toEqual(['Terminates', 'Second']);
    expect(result.violations[1]!.trace).toEqual(result.violations[0]!.trace);
    expect(result.properties.map((p) => p.status)).toEqual(['unknown', 'violated', 'violated']);
  });

  it('without terminal properties DFS ignores cycles and completes', () => {
    const always: Property<number> = { name: 'Small', kind: 'always', category: 'safety', description: 's < 100', holds: (s) => s < 100 };
    const result = explore({ model: lassoModel, properties: [always] }, { strategy: 'dfs' });
    expect(result.status).toBe('ok');
    expect(result.stats.distinct).toBe(5);
  });
});

describe('deadlocks (terminal properties)', () => {
  it.each(['bfs', 'dfs'] as const)('crossed lock order deadlocks after p takes A and q takes B (%s)', (strategy) => {
    const model = locksModel(true);
    const result = explore({ model, properties: [allDone] }, { strategy });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    const v = result.violations[0]!;
    expect(v.property).toBe('AllDone');
    expect(v.trace.labels).toEqual(['p acquires A', 'q acquires B']);
    expect(v.trace.states.at(-1)).toEqual({ pc: [1, 1], owner: [0, 1] });
    expect(v.explanation).toBe('stuck with pc = [1, 1] and owners = [0, 1]');
    expect(v.trace.loopStart).toBeUndefined();
    expect(replayLabels(model, v.trace)).toEqual(v.trace.states);
  });

  it.each(['bfs', 'dfs'] as const)('the same lock order always finishes (%s)', (strategy) => {
    const result = explore({ model: locksModel(false), properties: [allDone] }, { strategy });
    expect(result.status).toBe('ok');
    expect(result.stats).toMatchObject({ distinct: 12, terminal: 1 });
  });

  it('keeps exploring after a violation when asked, and records it once', () => {
    const result = explore({ model: locksModel(true), properties: [allDone] }, { strategy: 'bfs', continueAfterViolation: true });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    expect(result.complete).toBe(true);
    expect(result.violations).toHaveLength(1);
    // States without successors: the deadlock (p holds A, q holds B) and the finished state.
    const reference = referenceExplore(locksModel(true));
    expect(reference.terminal).toBe(2);
    expect(result.stats.terminal).toBe(2);
    expect(result.stats.distinct).toBe(reference.depth.size);
  });

  it('the lock models obey the model laws', () => {
    expect(checkModelLaws(locksModel(true)).states).toBeGreaterThan(5);
    expect(checkModelLaws(locksModel(false)).states).toBe(12);
  });
});
