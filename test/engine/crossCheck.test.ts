/**
 * BFS and DFS must agree: on every toy model and every registered spec (small
 * configurations), with continueAfterViolation, both count the same distinct
 * states and give every property the same verdict (cycles included: BFS
 * checks them over its recorded graph, DFS as back edges). The toy models
 * are also compared with the reference explorer's state count.
 */
import { describe, expect, it } from 'vitest';
import { specRegistry } from '../../specs/index.js';
import type { CheckResult, Model, Property } from '../../src/core/index.js';
import { resolveParams } from '../../src/core/params.js';
import { explore } from '../../src/engine/index.js';
import { dieHard } from '../toy/dieHard.js';
import { alwaysTrueAtEnd, chainModel, graphModel, gridModel, lassoModel } from '../toy/graphModels.js';
import { allDone, locksModel } from '../toy/locks.js';
import { referenceExplore } from '../toy/reference.js';
import { holderInRing, tokenRetired, tokenRingModel } from '../toy/tokenRing.js';
import { twoPhase } from '../toy/twoPhase.js';

interface Target {
  readonly model: Model<unknown, unknown>;
  readonly properties: readonly Property<unknown>[];
}

const t = <S, A>(model: Model<S, A>, properties: readonly Property<S>[]): Target => ({ model, properties }) as unknown as Target;

/** name → [target, expected distinct states, expected verdicts]. */
const toys: [string, Target, number, Record<string, string>][] = [
  ['die hard (cycles everywhere)', t(dieHard.model, [...dieHard.properties, alwaysTrueAtEnd()]), 16, { NotSolved: 'violated', Terminates: 'violated' }],
  ['chain 20', t(chainModel(20), [alwaysTrueAtEnd()]), 21, { Terminates: 'holds' }],
  ['grid 4×3', t(gridModel(4, 3), [alwaysTrueAtEnd()]), 20, { Terminates: 'holds' }],
  ['lasso', t(lassoModel, [alwaysTrueAtEnd()]), 5, { Terminates: 'violated' }],
  ['self-loop graph', t(graphModel([[1], [1, 2], []]), [alwaysTrueAtEnd()]), 3, { Terminates: 'violated' }],
  ['locks, crossed order', t(locksModel(true), [allDone, alwaysTrueAtEnd()]), 13, { AllDone: 'violated', Terminates: 'holds' }],
  ['locks, same order', t(locksModel(false), [allDone]), 12, { AllDone: 'holds' }],
  // Receiving a message again changes nothing: self-loops.
  ['two-phase commit, 3 RMs', t(twoPhase(3).model, [...twoPhase(3).properties, alwaysTrueAtEnd()]), 288, { TCConsistent: 'holds', Terminates: 'violated' }],
  ['token ring 3, forever', t(tokenRingModel(3), [holderInRing(3), tokenRetired]), 5, { HolderInRing: 'holds', TokenRetired: 'violated' }],
  ['token ring 4, 2 laps', t(tokenRingModel(4, 2), [holderInRing(4), tokenRetired]), 13, { HolderInRing: 'holds', TokenRetired: 'holds' }],
];

function both(target: Target): { bfs: CheckResult<unknown>; dfs: CheckResult<unknown> } {
  const run = (strategy: 'bfs' | 'dfs') => explore(target, { strategy, continueAfterViolation: true });
  return { bfs: run('bfs'), dfs: run('dfs') };
}

const verdicts = (r: CheckResult<unknown>) => Object.fromEntries(r.properties.map((p) => [p.name, p.status]));

describe('BFS and DFS agree on the toy models', () => {
  it.each(toys)('%s', (_name, target, distinct, expected) => {
    const { bfs, dfs } = both(target);
    const reference = referenceExplore(target.model);
    expect(reference.depth.size).toBe(distinct);
    // Terminates holds in every state without successors: only a cycle violates it.
    if (expected['Terminates'] !== undefined) expect(expected['Terminates'] === 'violated').toBe(reference.hasCycle);
    for (const r of [bfs, dfs]) {
      expect(r.complete).toBe(true);
      expect(r.stats.distinct).toBe(distinct);
      expect(verdicts(r)).toEqual(expected);
    }
    expect(bfs.properties).toEqual(dfs.properties);
    expect(bfs.stats.transitions).toBe(dfs.stats.transitions);
  });
});

/**
 * Small configurations for every spec in the registry (specs added later are
 * included): each spec gets the parameters it declares among these, and a
 * configuration it rejects is skipped (each spec must accept at least one).
 */
const configs: Record<string, string | number>[] = [
  { workload: 'chain', n: 3, f: 1 },
  { workload: 'pingpong', f: 1 },
];

describe('BFS and DFS agree on every registered spec (small configurations)', () => {
  it.each(specRegistry.map((spec) => [spec.id, spec] as const))('%s', (_id, spec) => {
    const names = new Set(spec.params.map((p) => p.name));
    let ran = 0;
    for (const config of configs) {
      const given = Object.fromEntries(Object.entries(config).filter(([k]) => names.has(k)));
      let target: Target;
      try {
        target = spec.build(resolveParams(spec.params, given, spec.id)) as Target;
      } catch (error) {
        if (error instanceof Error && error.name === 'UserError') continue;
        throw error;
      }
      ran++;
      const { bfs, dfs } = both(target);
      const where = `${spec.id} ${JSON.stringify(given)}`;
      expect(bfs.complete, where).toBe(true);
      expect(dfs.complete, where).toBe(true);
      expect(bfs.stats.distinct, where).toBe(dfs.stats.distinct);
      expect(bfs.stats.transitions, where).toBe(dfs.stats.transitions);
      expect(bfs.properties, where).toEqual(dfs.properties);
      // A lasso from either strategy is a real cycle: its last state repeats the loop start.
      for (const r of [bfs, dfs]) {
        if (r.status !== 'violation') continue;
        for (const v of r.violations) {
          if (v.trace.loopStart === undefined) continue;
          const fp = (s: unknown) => {
            const out = new Uint32Array(2);
            target.model.fingerprint(s, out);
            return [...out];
          };
          expect(fp(v.trace.states.at(-1)), where).toEqual(fp(v.trace.states[v.trace.loopStart]));
        }
      }
    }
    expect(ran).toBeGreaterThan(0);
  });
});
