import { describe, expect, it } from 'vitest';
import type { Model, Property, StopReason } from '../../src/core/index.js';
import { collisionProbability, explore, type ExploreOptions, type ExploreProgress } from '../../src/engine/index.js';
import { alwaysTrueAtEnd, chainModel, gridModel, mixInts } from '../toy/graphModels.js';

const strategies = ['bfs', 'dfs'] as const;

/** A listener that records what it is told. */
function recorder() {
  const bounds: StopReason[] = [];
  const progress: ExploreProgress[] = [];
  const violations: [string, number][] = [];
  return {
    bounds,
    progress,
    violations,
    listener: {
      onBound: (r: StopReason) => void bounds.push(r),
      onProgress: (p: ExploreProgress) => void progress.push(p),
      onViolation: (name: string, depth: number) => void violations.push([name, depth]),
    },
  };
}

/** A clock that advances by `step` ms each time it is read. */
function steppingClock(step: number): () => number {
  let now = 0;
  return () => (now += step);
}

const below = (limit: number): Property<number> => ({
  name: `Below${limit}`,
  kind: 'always',
  category: 'safety',
  description: `s < ${limit}`,
  holds: (s) => s < limit,
});

describe('depth bound', () => {
  it.each(strategies)('is not hit when the states at maxDepth have no successors (%s)', (strategy) => {
    const r = recorder();
    const result = explore({ model: chainModel(5), properties: [alwaysTrueAtEnd()] }, { strategy, maxDepth: 5, listener: r.listener });
    expect(result.status).toBe('ok');
    expect(result.complete).toBe(true);
    expect(result.stats).toMatchObject({ distinct: 6, maxDepth: 5, terminal: 1 });
    expect(r.bounds).toEqual([]);
  });

  it.each(strategies)('cuts the search when a state at maxDepth has successors (%s)', (strategy) => {
    const r = recorder();
    const result = explore({ model: chainModel(5), properties: [alwaysTrueAtEnd()] }, { strategy, maxDepth: 4, listener: r.listener });
    expect(result.status).toBe('incomplete');
    if (result.status !== 'incomplete') return;
    expect(result.stoppedBy).toBe('depth');
    expect(result.complete).toBe(false);
    // States at the bound are stored and checked, not expanded.
    expect(result.stats).toMatchObject({ distinct: 5, maxDepth: 4, terminal: 0, transitions: 4 });
    expect(result.properties).toEqual([{ name: 'Terminates', category: 'liveness', status: 'unknown', reason: 'bound' }]);
    expect(r.bounds).toEqual(['depth']);
  });

  it.each(strategies)('is exact on a grid: depth 4 of a 2x2 grid is complete, depth 3 is not (%s)', (strategy) => {
    const target = { model: gridModel(2, 2), properties: [alwaysTrueAtEnd<{ x: number; y: number }>()] };
    expect(explore(target, { strategy, maxDepth: 4 }).status).toBe('ok');
    const cut = explore(target, { strategy, maxDepth: 3 });
    expect(cut.status).toBe('incomplete');
    expect(cut.stats.distinct).toBe(8);
  });

  it.each(strategies)('still checks always properties at the bound (%s)', (strategy) => {
    const result = explore({ model: chainModel(10), properties: [below(3)] }, { strategy, maxDepth: 3 });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    expect(result.violations[0]!.trace.states).toEqual([0, 1, 2, 3]);
  });

  it('maxDepth 0 checks the initial states only', () => {
    const result = explore({ model: chainModel(5), properties: [below(1)] }, { strategy: 'bfs', maxDepth: 0 });
    expect(result).toMatchObject({ status: 'incomplete', stoppedBy: 'depth', stats: { distinct: 1, transitions: 0 } });
  });
});

describe('state bound', () => {
  it.each(strategies)('allows exactly maxStates distinct states (%s)', (strategy) => {
    // The 2x2 grid has 9 states; (2,2) is reached twice, the second time after the 9th state is stored.
    const target = { model: gridModel(2, 2), properties: [alwaysTrueAtEnd<{ x: number; y: number }>()] };
    const r = recorder();
    expect(explore(target, { strategy, maxStates: 9, listener: r.listener })).toMatchObject({ status: 'ok', stats: { distinct: 9 } });
    expect(r.bounds).toEqual([]);
    const cut = explore(target, { strategy, maxStates: 8, listener: r.listener });
    expect(cut).toMatchObject({ status: 'incomplete', stoppedBy: 'states', complete: false, stats: { distinct: 8 } });
    expect(r.bounds).toEqual(['states']);
  });

  it('a state bound below the number of initial states stops at once', () => {
    const model: Model<number, never> = { init: () => [1, 2, 3], actions: () => [], next: (s) => s, label: () => '', fingerprint: (s, out) => mixInts(out, s) };
    const result = explore({ model, properties: [] }, { strategy: 'bfs', maxStates: 2 });
    expect(result).toMatchObject({ status: 'incomplete', stoppedBy: 'states', stats: { distinct: 2, queued: 2 } });
  });
});

describe('time bound and progress', () => {
  it.each(strategies)('stops at the timeout on an injected clock (%s)', (strategy) => {
    const r = recorder();
    const options: ExploreOptions = { strategy, timeoutMs: 5, clock: steppingClock(1), listener: r.listener };
    const result = explore({ model: gridModel(100, 100), properties: [] }, options);
    expect(result.status).toBe('incomplete');
    if (result.status !== 'incomplete') return;
    expect(result.stoppedBy).toBe('time');
    expect(r.bounds).toEqual(['time']);
    // The clock is read at the start and every 256 steps: five reads after the start pass the deadline.
    expect(result.stats.distinct).toBeGreaterThan(0);
    expect(result.stats.distinct).toBeLessThan(101 * 101);
    expect(result.stats.queued).toBeGreaterThan(0);
    expect(result.stats.elapsedMs).toBe(6);
  });

  it('reports progress every progressIntervalMs and once at the end', () => {
    const r = recorder();
    const result = explore({ model: gridModel(100, 100), properties: [] }, { strategy: 'bfs', clock: steppingClock(500), progressIntervalMs: 1000, listener: r.listener });
    expect(result.status).toBe('ok');
    expect(r.progress.length).toBeGreaterThan(5);
    const last = r.progress.at(-1)!;
    expect(last).toMatchObject({ distinct: 101 * 101, transitions: result.stats.transitions, queued: 0, depth: 200 });
    expect(last.elapsedMs).toBe(result.stats.elapsedMs);
    expect(last.statesPerSecond).toBeCloseTo((101 * 101 * 1000) / last.elapsedMs, 6);
    for (let i = 1; i < r.progress.length; i++) {
      expect(r.progress[i]!.distinct).toBeGreaterThanOrEqual(r.progress[i - 1]!.distinct);
      // Periodic reports are an interval apart; the final one comes whenever the search ends.
      if (i < r.progress.length - 1) expect(r.progress[i]!.elapsedMs - r.progress[i - 1]!.elapsedMs).toBeGreaterThanOrEqual(1000);
    }
  });

  it('with the default interval and a slow clock, reports only at the end', () => {
    const r = recorder();
    explore({ model: gridModel(30, 30), properties: [] }, { strategy: 'dfs', clock: steppingClock(1), listener: r.listener });
    expect(r.progress).toHaveLength(1);
    expect(r.progress[0]).toMatchObject({ distinct: 31 * 31, queued: 0 });
  });
});

describe('verdicts and violations', () => {
  const model = chainModel(10);

  it('stops at the first violation; the other property is unknown', () => {
    const r = recorder();
    const result = explore({ model, properties: [below(4), below(100)] }, { strategy: 'bfs', listener: r.listener });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    expect(result.complete).toBe(false);
    expect(result.stoppedBy).toBeUndefined();
    expect(result.properties.map((p) => p.status)).toEqual(['violated', 'unknown']);
    expect(r.violations).toEqual([['Below4', 4]]);
    expect(result.violations[0]!.explanation).toBe('Below4 does not hold');
  });

  it('continues after a violation when asked: first violation per property, others hold', () => {
    const r = recorder();
    const result = explore({ model, properties: [below(4), below(100), below(6)] }, { strategy: 'dfs', continueAfterViolation: true, listener: r.listener });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    expect(result.complete).toBe(true);
    expect(result.stats.distinct).toBe(11);
    expect(result.properties.map((p) => p.status)).toEqual(['violated', 'holds', 'violated']);
    expect(result.violations.map((v) => [v.property, v.trace.states.length - 1])).toEqual([
      ['Below4', 4],
      ['Below6', 6],
    ]);
    expect(r.violations).toEqual([
      ['Below4', 4],
      ['Below6', 6],
    ]);
  });

  it('records every property violated by the same state before stopping', () => {
    const result = explore({ model, properties: [below(4), below(3), below(100)] }, { strategy: 'bfs' });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    expect(result.violations.map((v) => v.property)).toEqual(['Below3']);
    const same = explore({ model, properties: [below(4), below(100), { ...below(4), name: 'AlsoBelow4' }] }, { strategy: 'bfs' });
    if (same.status !== 'violation') throw new Error('expected a violation');
    expect(same.violations.map((v) => v.property)).toEqual(['Below4', 'AlsoBelow4']);
    expect(same.properties.map((p) => p.status)).toEqual(['violated', 'unknown', 'violated']);
  });

  it('a violating initial state gives a trace without steps, naming its initial state', () => {
    const model: Model<number, 'inc'> = { ...chainModel(10), init: () => [0, 7, 8] };
    const bfs = explore({ model, properties: [below(5)] }, { strategy: 'bfs' });
    if (bfs.status !== 'violation') throw new Error('expected a violation');
    expect(bfs.violations[0]!.trace).toEqual({ initIndex: 1, labels: [], states: [7] });
    // DFS stores each initial state just before searching from it: from 0 it meets 5 first.
    const dfs = explore({ model, properties: [below(5)] }, { strategy: 'dfs' });
    if (dfs.status !== 'violation') throw new Error('expected a violation');
    expect(dfs.violations[0]!.trace).toMatchObject({ initIndex: 0, states: [0, 1, 2, 3, 4, 5] });
    expect(explore({ model, properties: [below(7)] }, { strategy: 'dfs', maxDepth: 2 })).toMatchObject({
      status: 'violation',
      violations: [{ trace: { initIndex: 1, labels: [], states: [7] } }],
    });
  });

  it('rejects nonsensical bounds', () => {
    expect(() => explore({ model, properties: [] }, { strategy: 'bfs', maxDepth: -1 })).toThrow(RangeError);
    expect(() => explore({ model, properties: [] }, { strategy: 'bfs', maxStates: Number.NaN })).toThrow(/maxStates must be a non-negative number/);
  });

  it('a violation found under a depth cut carries stoppedBy', () => {
    const result = explore({ model, properties: [below(2)] }, { strategy: 'bfs', maxDepth: 5, continueAfterViolation: true });
    expect(result).toMatchObject({ status: 'violation', complete: false, stoppedBy: 'depth' });
  });

  it('reports statistics: collision probability and store bytes per state', () => {
    const result = explore({ model: gridModel(100, 100), properties: [] }, { strategy: 'bfs' });
    const { distinct, transitions } = result.stats;
    expect(result.stats.collisionProbability).toBe(((transitions + 1) * distinct) / 2 ** 64);
    expect(collisionProbability(distinct, transitions + 1)).toBe(result.stats.collisionProbability);
    expect(result.stats.bytesPerState).toBeGreaterThan(13);
    expect(result.stats.bytesPerState).toBeLessThan(40);
  });
});

describe('model errors', () => {
  it('rejects a state with more actions than the store can index', () => {
    const many = Array.from({ length: 70_000 }, (_, i) => i);
    const model: Model<number, number> = { init: () => [0], actions: (s) => (s === 0 ? many : []), next: (_s, a) => a + 1, label: (a) => `${a}`, fingerprint: (s, out) => mixInts(out, s) };
    expect(() => explore({ model, properties: [] }, { strategy: 'bfs' })).toThrow(/70000 enabled actions; the explorer supports at most 65536/);
    expect(() => explore({ model, properties: [] }, { strategy: 'dfs' })).toThrow(/70000 enabled actions/);
  });

  it('detects a model whose replay does not reproduce the stored state', () => {
    let calls = 0;
    // init() changes between calls: the trace replay starts elsewhere.
    const model: Model<number, 'inc'> = { init: () => [calls++ === 0 ? 0 : 7], actions: (s) => (s < 3 ? ['inc'] : []), next: (s) => s + 1, label: (a) => a, fingerprint: (s, out) => mixInts(out, s) };
    expect(() => explore({ model, properties: [below(2)] }, { strategy: 'bfs' })).toThrow(/is the model deterministic/);
  });
});
