/**
 * Seeded random walks: the same seed gives the same walks and the same
 * shrunk failing walk; violations are found and shrunk by fast-check;
 * properties are checked as the explorer checks them; bad options throw.
 */
import { describe, expect, it } from 'vitest';
import { buildFbl, variants } from '../../specs/index.js';
import { randomWalks } from '../../src/engine/randomWalk.js';
import type { Property } from '../../src/index.js';
import { chainModel, alwaysTrueAtEnd, lassoModel } from '../toy/graphModels.js';
import { dieHard } from '../toy/dieHard.js';

const naive = (n: number, f: number) => buildFbl(variants.naive, { workload: 'chain', n, f, crashes: f, network: 'unordered' });

describe('randomWalks', () => {
  it('finds the Die Hard solution and fast-check shrinks the walk that found it', () => {
    const r = randomWalks(dieHard, { seed: 42, runs: 500, maxSteps: 30 });
    expect(r.status).toBe('violation');
    if (r.status !== 'violation') return;
    expect(r.violation.property).toBe('NotSolved');
    expect(r.violation.trace.states.at(-1)).toMatchObject({ big: 4 });
    expect(r.violation.trace.labels.length).toBeLessThanOrEqual(r.foundLength);
    expect(r.violation.trace.states).toHaveLength(r.violation.trace.labels.length + 1);
    expect(r.shrinkWalks).toBeGreaterThan(0);
    expect(r.stats.walks).toBeGreaterThanOrEqual(1);
  });

  it('the same seed gives the same walks and the same shrunk walk; another seed other walks', () => {
    const target = naive(3, 1);
    const a = randomWalks(target, { seed: 5, runs: 300, maxSteps: 60 });
    const b = randomWalks(target, { seed: 5, runs: 300, maxSteps: 60 });
    expect(a.status).toBe('violation');
    if (a.status !== 'violation' || b.status !== 'violation') throw new Error('expected violations');
    expect(b.violation.trace.labels).toEqual(a.violation.trace.labels);
    expect([b.stats.walks, b.stats.steps, b.foundLength]).toEqual([a.stats.walks, a.stats.steps, a.foundLength]);
    const others = [6, 7, 8].map((seed) => randomWalks(target, { seed, runs: 300, maxSteps: 60 }));
    expect(others.some((o) => o.status !== 'violation' || o.stats.steps !== a.stats.steps)).toBe(true);
  });

  it('without a violation: every walk counted, incomplete', () => {
    const target = buildFbl(variants.nonblocking, { workload: 'chain', n: 3, f: 1, crashes: 1, network: 'unordered' });
    const r = randomWalks(target, { seed: 3, runs: 50, maxSteps: 100 });
    expect(r.status).toBe('incomplete');
    // The FBL state graph is acyclic and shallow: every walk ends in a terminal state well before 100 steps.
    expect(r.stats).toMatchObject({ walks: 50, terminal: 50 });
    expect(r.stats.longest).toBeLessThan(100);
    expect(r.stats.steps).toBeGreaterThanOrEqual(50 * 8);
  });

  it('walks stop at maxSteps and check terminal properties only in states without successors', () => {
    const never: Property<number> = { name: 'never', kind: 'terminal', category: 'liveness', description: '', holds: () => false };
    const cut = randomWalks({ model: chainModel(10), properties: [never] }, { seed: 1, runs: 3, maxSteps: 5 });
    expect(cut).toMatchObject({ status: 'incomplete', stats: { walks: 3, steps: 15, longest: 5, terminal: 0 } });
    const full = randomWalks({ model: chainModel(10), properties: [never] }, { seed: 1, runs: 3, maxSteps: 10 });
    expect(full.status === 'violation' && full.violation.trace.labels).toHaveLength(10);
    expect(full.status === 'violation' && full.violation.explanation).toBe('never does not hold in a state without successors');
  });

  it('a walk that returns to one of its states is a lasso violating the terminal property', () => {
    const r = randomWalks({ model: lassoModel, properties: [alwaysTrueAtEnd()] }, { seed: 2, runs: 50, maxSteps: 10 });
    expect(r.status).toBe('violation');
    if (r.status !== 'violation') return;
    expect(r.violation.trace.labels).toEqual(['a', 'b', 'c', 'back']);
    expect(r.violation.trace.loopStart).toBe(1);
  });

  it('reports progress through the listener, on the injected clock', () => {
    let now = 0;
    const seen: number[] = [];
    randomWalks(
      { model: chainModel(3), properties: [alwaysTrueAtEnd()] },
      { seed: 1, runs: 4, maxSteps: 5, progressIntervalMs: 10, clock: () => (now += 6), listener: { onProgress: (s) => seen.push(s.walks) } },
    );
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(seen.at(-1)).toBeLessThanOrEqual(4);
  });

  it('rejects runs or maxSteps below 1', () => {
    expect(() => randomWalks(dieHard, { seed: 1, runs: 0, maxSteps: 5 })).toThrow('runs must be an integer ≥ 1, got 0');
    expect(() => randomWalks(dieHard, { seed: 1, runs: 5, maxSteps: 1.5 })).toThrow('maxSteps must be an integer ≥ 1, got 1.5');
  });
});
