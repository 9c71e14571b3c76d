/**
 * Parallel BFS (--workers) gives what one thread gives: the same distinct
 * states, transitions, depth, terminal states and queue at a stop, the same
 * verdicts and the same counterexamples (labels, explanations, lassos), for
 * 2 and 3 workers, on the toy models and on the shipped specs (correct,
 * baselines and broken variants), with --continue, and at a state limit and
 * a depth bound that stop in the middle of a level. `parallelThreshold: 1`
 * makes every level parallel.
 */
import { describe, expect, it } from 'vitest';
import { specRegistry } from '../../specs/index.js';
import type { CheckResult, Model, Property } from '../../src/core/index.js';
import { resolveParams } from '../../src/core/params.js';
import { explore, type ExploreOptions, type WorkerTarget } from '../../src/engine/index.js';
import { buildToy, type ToyArgs } from '../toy/workerTargets.js';

const root = new URL('../../', import.meta.url);
const SPECS_MODULE = new URL('dist/specs/index.js', root).href;
const TOYS_MODULE = new URL('dist/test/toy/workerTargets.js', root).href;

interface Built {
  readonly model: Model<unknown, unknown>;
  readonly properties: readonly Property<unknown>[];
  readonly shared?: unknown;
}

/** What must not depend on the number of workers. */
function outcome(result: CheckResult<unknown>) {
  const { distinct, transitions, maxDepth, queued, terminal } = result.stats;
  return {
    status: result.status,
    stoppedBy: result.status === 'ok' ? undefined : result.stoppedBy,
    stats: { distinct, transitions, maxDepth, queued, terminal },
    partialOrder: result.stats.partialOrder,
    properties: result.properties,
    violations: (result.status === 'violation' ? result.violations : []).map((v) => ({
      property: v.property,
      labels: v.trace.labels,
      loopStart: v.trace.loopStart,
      explanation: v.explanation,
    })),
  };
}

function compare(build: () => Built, workerTarget: WorkerTarget, options: Partial<ExploreOptions> = {}) {
  const base: ExploreOptions = { strategy: 'bfs', ...options };
  const one = explore(build(), { ...base, workers: 1 });
  expect(one.stats.workers).toBe(1);
  for (const workers of [2, 3]) {
    const many = explore(build(), { ...base, workers, workerTarget, parallelThreshold: 1 });
    expect(many.stats.workers).toBe(workers);
    expect(outcome(many)).toEqual(outcome(one));
  }
  return one;
}

function toy(args: ToyArgs, options: Partial<ExploreOptions> = {}) {
  return compare(() => buildToy(args), { module: TOYS_MODULE, exportName: 'buildToy', args }, options);
}

function spec(id: string, raw: Record<string, string | number>, options: Partial<ExploreOptions> = {}) {
  const definition = specRegistry.find((s) => s.id === id)!;
  const params = resolveParams(definition.params, raw, id);
  return compare(() => definition.build(params) as Built, { module: SPECS_MODULE, exportName: 'buildRegistered', args: { spec: id, params } }, options);
}

describe('parallel BFS gives the sequential results', () => {
  it.each([
    [{ name: 'two-phase', size: 3 }, 'ok', 288],
    [{ name: 'two-phase-sets', size: 3 }, 'ok', 288],
    [{ name: 'two-phase-broken', size: 3 }, 'violation', 49],
    [{ name: 'token-ring', size: 4 }, 'ok', 13],
    [{ name: 'locks-crossed' }, 'violation', 7],
    [{ name: 'die-hard' }, 'violation', 14],
    [{ name: 'lasso' }, 'violation', 5],
    [{ name: 'diamond-reduced', size: 4 }, 'violation', 13],
    [{ name: 'ignoring-reduced', size: 4 }, 'incomplete', 7],
  ] as const)('toy %o', (args, status, distinct) => {
    const one = toy(args);
    expect(one.status).toBe(status);
    expect(one.stats.distinct).toBe(distinct);
  });

  it('toys with --continue and mid-level bounds', () => {
    expect(toy({ name: 'two-phase-broken', size: 3 }, { continueAfterViolation: true }).stats.distinct).toBe(623);
    expect(toy({ name: 'two-phase', size: 3 }, { maxStates: 100 }).stats).toMatchObject({ distinct: 100 });
    expect(toy({ name: 'two-phase', size: 3 }, { maxDepth: 4 }).stats).toMatchObject({ maxDepth: 4 });
  });

  it.each([
    ['nonblocking', { workload: 'chain', n: 3, f: 1 }, 'ok'],
    ['nonblocking', { workload: 'chain', n: 3, f: 1, reduce: 'none' }, 'ok'],
    ['blocking', { workload: 'fig1', f: 1 }, 'violation'],
    ['manetho', { workload: 'order2', f: 1 }, 'violation'],
    ['naive', { workload: 'chain', n: 3, f: 2 }, 'violation'],
    ['no-restart', { workload: 'chain', n: 3, f: 2 }, 'violation'],
    ['f-hosts', { workload: 'chain', n: 3, f: 1 }, 'violation'],
    ['unordered-replay', { workload: 'order2', f: 1 }, 'violation'],
    ['crash-beyond-f', { workload: 'chain', n: 3, f: 1 }, 'violation'],
    ['split-adoption', { workload: 'chain', n: 3, f: 2 }, 'violation'],
    ['nonblocking', { workload: 'chain', n: 3, f: 2, reduce: 'eager-drop,partial-order' }, 'ok'],
    ['no-enrollment', { workload: 'chain', n: 3, f: 2, reduce: 'eager-drop,partial-order' }, 'violation'],
    ['old-round-replies', { workload: 'fig1', f: 2, reduce: 'partial-order' }, 'violation'],
  ] as const)('%s %o', (id, params, status) => {
    expect(spec(id, params).status).toBe(status);
  });

  it('specs with --continue and mid-level bounds', () => {
    const continued = spec('naive', { workload: 'chain', n: 3, f: 1 }, { continueAfterViolation: true });
    expect(continued.status).toBe('violation');
    expect(spec('nonblocking', { workload: 'chain', n: 3, f: 2 }, { maxStates: 5000 }).stats.distinct).toBe(5000);
    expect(spec('nonblocking', { workload: 'chain', n: 3, f: 2 }, { maxDepth: 12 }).stats.maxDepth).toBe(12);
    const reduced = { workload: 'chain', n: 3, f: 2, reduce: 'eager-drop,partial-order' };
    expect(spec('nonblocking', reduced, { maxStates: 5000 }).stats.distinct).toBe(5000);
    expect(spec('no-enrollment', reduced, { continueAfterViolation: true }).status).toBe('violation');
  });
});
