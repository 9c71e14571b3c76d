/**
 * BFS's cycle check: terminal properties are violated by cycles whichever
 * strategy runs. Lassos are pinned: BFS's starts at the cyclic state of least
 * BFS index and loops along a shortest cycle through it; DFS's closes at its
 * first back edge.
 */
import { describe, expect, it } from 'vitest';
import type { Model, Property } from '../../src/core/index.js';
import { explore } from '../../src/engine/index.js';
import { alwaysTrueAtEnd, chainModel, graphModel } from '../toy/graphModels.js';
import { replayLabels } from '../toy/replayTrace.js';
import { holderInRing, tokenRetired, tokenRingModel } from '../toy/tokenRing.js';

const CYCLE_3 = 'a cycle of 3 step(s) returns to state 1 of the trace: no state without successors is reached along it';

describe('token ring', () => {
  it.each(['bfs', 'dfs'] as const)('a token passed forever violates TokenRetired with a lasso of 1 + 3 steps (%s)', (strategy) => {
    const model = tokenRingModel(3);
    const result = explore({ model, properties: [holderInRing(3), tokenRetired] }, { strategy });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    expect(result.violations).toHaveLength(1);
    const v = result.violations[0]!;
    expect(v.property).toBe('TokenRetired');
    expect(v.category).toBe('liveness');
    expect(v.trace.labels).toEqual(['p0 creates the token', 'p0 passes the token to p1', 'p1 passes the token to p2', 'p2 passes the token to p0']);
    expect(v.trace.loopStart).toBe(1);
    expect(v.trace.states.map((s) => s.holder)).toEqual([-1, 0, 1, 2, 0]);
    expect(v.explanation).toBe(CYCLE_3);
    expect(replayLabels(model, v.trace)).toEqual(v.trace.states);
    if (strategy === 'bfs') {
      // The cycle is looked for after a complete search: nothing is left unknown.
      expect(result.complete).toBe(true);
      expect(result.stats).toMatchObject({ distinct: 5, transitions: 5, terminal: 1, queued: 0 });
      expect(result.properties).toEqual([
        { name: 'HolderInRing', category: 'safety', status: 'holds' },
        { name: 'TokenRetired', category: 'liveness', status: 'violated' },
      ]);
    } else {
      // DFS stops at the back edge, before the retired state is stored.
      expect(result.complete).toBe(false);
      expect(result.stats).toMatchObject({ distinct: 4, transitions: 4 });
      expect(result.properties).toEqual([
        { name: 'HolderInRing', category: 'safety', status: 'unknown', reason: 'stopped-at-violation' },
        { name: 'TokenRetired', category: 'liveness', status: 'violated' },
      ]);
    }
  });

  it.each(['bfs', 'dfs'] as const)('a ring of 5 gives a loop of 5 steps (%s)', (strategy) => {
    const result = explore({ model: tokenRingModel(5), properties: [tokenRetired] }, { strategy, continueAfterViolation: true });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    expect(result.complete).toBe(true);
    expect(result.stats).toMatchObject({ distinct: 7, transitions: 7, terminal: 1 });
    const { trace } = result.violations[0]!;
    expect(trace.labels).toHaveLength(6);
    expect(trace.loopStart).toBe(1);
    expect(trace.labels.at(-1)).toBe('p4 passes the token to p0');
  });

  it.each(['bfs', 'dfs'] as const)('a ring that retires the token after at most 2 laps holds (%s)', (strategy) => {
    const result = explore({ model: tokenRingModel(3, 2), properties: [holderInRing(3), tokenRetired] }, { strategy });
    expect(result.status).toBe('ok');
    expect(result.complete).toBe(true);
    // 1 before creation + 7 holders (0..6 passes) + 3 retired (after 0, 3, 6 passes).
    expect(result.stats).toMatchObject({ distinct: 11, transitions: 10, terminal: 3, queued: 0 });
    expect(result.properties.map((p) => p.status)).toEqual(['holds', 'holds']);
  });
});

/**
 * 0 → 1 → … → 40 along a spine, each spine state i < 40 with a dead end
 * 100 + i; at 40 a strongly connected knot: 40 → 41 → {42, 45}, 42 → 43 →
 * 44 → {40, 60}, 45 → 40, and 60 with a self-loop. 200 ⇄ 201 is a cycle that
 * is not reachable.
 */
function deepKnot(): Model<number, number> {
  const edges: number[][] = [];
  for (let i = 0; i < 40; i++) edges[i] = [i + 1, 100 + i];
  edges[40] = [41];
  edges[41] = [42, 45];
  edges[42] = [43];
  edges[43] = [44];
  edges[44] = [40, 60];
  edges[45] = [40];
  edges[60] = [60];
  edges[200] = [201];
  edges[201] = [200];
  return graphModel(edges);
}

const spine = Array.from({ length: 40 }, (_, i) => `to ${i + 1}`);

describe('a cycle reachable only deep', () => {
  it('BFS finds it after a complete search of 87 states: loop start 40 (the least BFS index on a cycle), a shortest loop 40 → 41 → 45 → 40', () => {
    const model = deepKnot();
    const result = explore({ model, properties: [alwaysTrueAtEnd()] }, { strategy: 'bfs' });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    expect(result.complete).toBe(true);
    // 41 spine states, 40 dead ends, 41..45 and 60.
    expect(result.stats).toMatchObject({ distinct: 87, terminal: 40, maxDepth: 45 });
    const { trace, explanation } = result.violations[0]!;
    expect(trace.labels).toEqual([...spine, 'to 41', 'to 45', 'to 40']);
    expect(trace.loopStart).toBe(40);
    expect(trace.states.at(-1)).toBe(40);
    expect(trace.states[40]).toBe(40);
    expect(explanation).toBe('a cycle of 3 step(s) returns to state 40 of the trace: no state without successors is reached along it');
    expect(replayLabels(model, trace)).toEqual(trace.states);
  });

  it('DFS closes the first back edge it meets, the 5-step loop', () => {
    const result = explore({ model: deepKnot(), properties: [alwaysTrueAtEnd()] }, { strategy: 'dfs' });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    expect(result.violations[0]!.trace.labels).toEqual([...spine, 'to 41', 'to 42', 'to 43', 'to 44', 'to 40']);
    expect(result.violations[0]!.trace.loopStart).toBe(40);
  });

  it('a self-loop is the loop when it is the only cycle', () => {
    const edges: number[][] = [[1, 2], [3], [3], [3, 4], []];
    const result = explore({ model: graphModel(edges), properties: [alwaysTrueAtEnd()] }, { strategy: 'bfs' });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    expect(result.violations[0]!.trace).toEqual({ initIndex: 0, labels: ['to 1', 'to 3', 'to 3'], states: [0, 1, 3, 3], loopStart: 2 });
  });

  it('the lasso starts from the initial state it is reached from', () => {
    // Roots 5 and 0; only 0 leads into the cycle 2 ⇄ 3.
    const edges: number[][] = [[1], [2], [3], [2], [], []];
    const result = explore({ model: graphModel(edges, [5, 0]), properties: [alwaysTrueAtEnd()] }, { strategy: 'bfs' });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    expect(result.violations[0]!.trace).toEqual({ initIndex: 1, labels: ['to 1', 'to 2', 'to 3', 'to 2'], states: [0, 1, 2, 3, 2], loopStart: 2 });
  });

  it('a model whose replay differs from the search is an error, not a lasso that does not close', () => {
    // State 1 lists its actions as [2, 3] when first expanded, [3, 2] afterwards: the recorded loop 1 → 2 → 1 replays as 1 → 3 → 4.
    let calls = 0;
    const edges: number[][] = [[1], [2, 3], [1], [4], []];
    const model: Model<number, number> = {
      ...graphModel(edges),
      actions: (s) => (s === 1 && calls++ > 0 ? [3, 2] : edges[s]!),
    };
    expect(() => explore({ model, properties: [alwaysTrueAtEnd()] }, { strategy: 'bfs' })).toThrow(
      'trace replay: the replayed cycle does not close (is the model deterministic?)',
    );
  });
});

describe('which violations come first', () => {
  it('a deadlock found while searching comes before the cycle, which gets every other terminal property', () => {
    // 0 → 1 → 0, and 0 → 2 (a state where Ends fails).
    const ends: Property<number> = { name: 'Ends', kind: 'terminal', category: 'liveness', description: 'ends at 3', holds: (s) => s === 3 };
    const model = graphModel([[1, 2], [0], []]);
    const result = explore({ model, properties: [ends, alwaysTrueAtEnd()] }, { strategy: 'bfs', continueAfterViolation: true });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    expect(result.violations.map((v) => [v.property, v.trace.labels, v.trace.loopStart])).toEqual([
      ['Ends', ['to 2'], undefined],
      ['Terminates', ['to 1', 'to 0'], 0],
    ]);
    expect(result.complete).toBe(true);
  });

  it('without --continue, BFS stops at the deadlock and the cycle is not looked for', () => {
    const ends: Property<number> = { name: 'Ends', kind: 'terminal', category: 'liveness', description: 'ends at 3', holds: (s) => s === 3 };
    const result = explore({ model: graphModel([[1, 2], [0], []]), properties: [ends, alwaysTrueAtEnd()] }, { strategy: 'bfs' });
    expect(result.properties).toEqual([
      { name: 'Ends', category: 'liveness', status: 'violated' },
      { name: 'Terminates', category: 'liveness', status: 'unknown', reason: 'stopped-at-violation' },
    ]);
  });
});

describe('unknown verdicts carry their reason', () => {
  it('a state bound: every undecided property is unknown for reason bound', () => {
    const result = explore({ model: tokenRingModel(3), properties: [holderInRing(3), tokenRetired] }, { strategy: 'bfs', maxStates: 3 });
    expect(result.status).toBe('incomplete');
    if (result.status !== 'incomplete') return;
    expect(result.stoppedBy).toBe('states');
    expect(result.properties).toEqual([
      { name: 'HolderInRing', category: 'safety', status: 'unknown', reason: 'bound' },
      { name: 'TokenRetired', category: 'liveness', status: 'unknown', reason: 'bound' },
    ]);
  });

  it('a depth bound cuts the cycle check too', () => {
    const result = explore({ model: tokenRingModel(3, 2), properties: [tokenRetired] }, { strategy: 'bfs', maxDepth: 4 });
    expect(result.status).toBe('incomplete');
    expect(result.properties).toEqual([{ name: 'TokenRetired', category: 'liveness', status: 'unknown', reason: 'bound' }]);
  });

  it.each(['bfs', 'dfs'] as const)('stopped at another property first: stopped-at-violation (%s)', (strategy) => {
    const notAt2: Property<{ holder: number }> = { name: 'NotAt2', kind: 'always', category: 'safety', description: 'p2 never holds it', holds: (s) => s.holder !== 2 };
    const result = explore({ model: tokenRingModel(3, 2), properties: [notAt2, tokenRetired] }, { strategy });
    expect(result.status).toBe('violation');
    expect(result.properties).toEqual([
      { name: 'NotAt2', category: 'safety', status: 'violated' },
      { name: 'TokenRetired', category: 'liveness', status: 'unknown', reason: 'stopped-at-violation' },
    ]);
  });

  it.each(['bfs', 'dfs'] as const)('cycleCheck: false on an acyclic ring: still unknown, since cycles were not looked for (%s)', (strategy) => {
    const result = explore({ model: tokenRingModel(3, 2), properties: [holderInRing(3), tokenRetired] }, { strategy, cycleCheck: false });
    expect(result.status).toBe('incomplete');
    expect(result.complete).toBe(false);
    expect(result.properties).toEqual([
      { name: 'HolderInRing', category: 'safety', status: 'holds' },
      { name: 'TokenRetired', category: 'liveness', status: 'unknown', reason: 'cycles-not-checked' },
    ]);
  });

  it('cycleCheck: false with a violation found: the terminal property that did not fail stays unknown', () => {
    const notAt2: Property<{ holder: number }> = { name: 'NotAt2', kind: 'always', category: 'safety', description: 'p2 never holds it', holds: (s) => s.holder !== 2 };
    const result = explore({ model: tokenRingModel(3), properties: [notAt2, tokenRetired] }, { strategy: 'bfs', cycleCheck: false, continueAfterViolation: true });
    expect(result.status).toBe('violation');
    expect(result.complete).toBe(false);
    expect(result.properties.map((p) => [p.status, p.reason])).toEqual([
      ['violated', undefined],
      ['unknown', 'cycles-not-checked'],
    ]);
  });
});

describe('memory of the recorded graph', () => {
  it('is counted in bytesPerState when BFS checks cycles, and is 0 otherwise', () => {
    const model = chainModel(100_000);
    const always: Property<number> = { name: 'Small', kind: 'always', category: 'safety', description: 's ≥ 0', holds: (s) => s >= 0 };
    const plain = explore({ model, properties: [always] }, { strategy: 'bfs' });
    const checked = explore({ model, properties: [alwaysTrueAtEnd()] }, { strategy: 'bfs' });
    const dfs = explore({ model, properties: [alwaysTrueAtEnd()] }, { strategy: 'dfs' });
    const off = explore({ model, properties: [alwaysTrueAtEnd()] }, { strategy: 'bfs', cycleCheck: false });
    expect(checked.status).toBe('ok');
    expect(plain.stats.graphBytesPerState).toBe(0);
    expect(dfs.stats.graphBytesPerState).toBe(0);
    expect(off.stats.graphBytesPerState).toBe(0);
    // Index per table slot (4.4–5.6), offset and target per state (8, plus a partly used chunk of 2^16), Kahn's two arrays (8).
    expect(checked.stats.graphBytesPerState).toBeGreaterThan(20);
    expect(checked.stats.graphBytesPerState).toBeLessThan(25);
    expect(checked.stats.bytesPerState).toBeCloseTo(plain.stats.bytesPerState + checked.stats.graphBytesPerState, 6);
    // With a cycle (the chain's end leads back to 0), Tarjan's five arrays (20) replace Kahn's.
    const ring: Model<number, 'inc'> = { ...model, actions: () => ['inc'], next: (s) => (s === 100_000 ? 0 : s + 1) };
    const cyclic = explore({ model: ring, properties: [alwaysTrueAtEnd()] }, { strategy: 'bfs' });
    expect(cyclic.status).toBe('violation');
    expect(cyclic.stats.graphBytesPerState).toBeGreaterThan(32);
    expect(cyclic.stats.graphBytesPerState).toBeLessThan(37);
  });
});
