/**
 * trace/stepping on a model small enough to know every answer: 0 → 1 → 2 → 3,
 * then from 3 either `loop` back to 1 or `stop` at 4 (no successors).
 */
import { describe, expect, it } from 'vitest';
import type { CheckTarget, Model, Property } from '../../src/core/index.js';
import { explore } from '../../src/engine/index.js';
import { pathState, pathVerdict, searchFrom, shownViolation, type SearchEngine } from '../../src/trace/stepping.js';
import { mixInts } from '../toy/graphModels.js';

type Step = 'next' | 'loop' | 'stop';

const model: Model<number, Step> = {
  init: () => [0],
  actions: (s) => (s < 3 ? ['next'] : s === 3 ? ['loop', 'stop'] : []),
  next: (s, a) => (a === 'next' ? s + 1 : a === 'loop' ? 1 : 4),
  label: (a) => a,
  fingerprint: (s, out) => mixInts(out, s),
  describe: (s, a) => ({ actor: 'p', kind: a, fault: a === 'stop' }),
};

const below3: Property<number> = { name: 'below3', kind: 'always', category: 'safety', description: 's < 3', holds: (s) => s < 3 };
const below4: Property<number> = { name: 'below4', kind: 'always', category: 'safety', description: 's < 4', holds: (s) => s < 4 };
const ends: Property<number> = { name: 'ends', kind: 'terminal', category: 'liveness', description: 'runs end', holds: () => true };

const target = (properties: Property<number>[]): CheckTarget<number, Step> => ({ model, properties, view: (s) => ({ s }) });
const engine: SearchEngine = (t, bounds) => explore(t, { strategy: 'bfs', ...bounds });
const path = (...labels: string[]) => ({ initIndex: 0, labels });

describe('pathState', () => {
  it('the initial state: its actions as described, always properties judged, terminal ones not applicable', () => {
    const state = pathState(target([below4, ends]), path());
    if (state.status !== 'ok') throw new Error('drift');
    expect(state.enabled).toEqual([{ label: 'next', actor: 'p', kind: 'next', fault: false }]);
    expect(state.properties.map((p) => [p.name, p.status])).toEqual([['below4', 'holds'], ['ends', 'not-applicable']]);
    expect(state.changes).toEqual([]);
    expect(state.view).toEqual({ s: 0 });
  });

  it('a path that returns to a state: the cycle violates the terminal property, with where it starts', () => {
    const state = pathState(target([below4, ends]), path('next', 'next', 'next', 'loop'));
    if (state.status !== 'ok') throw new Error('drift');
    expect(state).toMatchObject({ loopStart: 1, loopEnd: 4, changes: [{ kind: 'changed', path: 's' }], changeLines: ['s: 3 → 1'] });
    expect(state.properties[1]).toMatchObject({ name: 'ends', status: 'violated', finding: { reason: 'cycle', detail: { steps: 3, loopStart: 1 } } });
    expect(shownViolation(state)).toMatchObject({ property: 'ends', loopStart: 1 });
  });

  it('a state without successors: the terminal property judged; an always property violated with its finding', () => {
    const state = pathState(target([below4, ends]), path('next', 'next', 'next', 'stop'));
    if (state.status !== 'ok') throw new Error('drift');
    expect(state.enabled).toEqual([]);
    expect(state.steps.map((s) => s.fault)).toEqual([false, false, false, true]);
    expect(state.properties.map((p) => [p.name, p.status, p.finding?.summary])).toEqual([
      ['below4', 'violated', 'below4 does not hold'],
      ['ends', 'holds', undefined],
    ]);
  });

  it('a label that is not enabled: the drift, with the enabled labels and the prefix that replays', () => {
    expect(pathState(target([below4]), path('next', 'stop'))).toEqual({ status: 'drift', step: 1, label: 'stop', enabled: ['next'], valid: path('next') });
  });
});

describe('searchFrom', () => {
  const bounds = { maxStates: 1000 };
  it('finds the shortest continuation to an always violation, as the whole path', () => {
    expect(searchFrom(target([below4, ends]), path('next'), engine, bounds, 'below4')).toMatchObject({
      status: 'found',
      path: path('next', 'next', 'next', 'stop'),
      property: 'below4',
      added: 3,
    });
  });

  it('finds a cycle for a terminal property, the path cut at its first repeat', () => {
    const found = searchFrom(target([ends]), path('next', 'next'), engine, bounds);
    expect(found).toMatchObject({ status: 'found', property: 'ends', path: path('next', 'next', 'next', 'loop'), loopStart: 1, added: 2 });
  });

  it('the state itself violating: found, 0 steps on; complete: none; cut by a bound: unknown, never none', () => {
    expect(searchFrom(target([below4, ends]), path('next', 'next', 'next', 'stop'), engine, bounds)).toMatchObject({ status: 'found', property: 'below4', added: 0 });
    expect(searchFrom(target([below4, ends]), path('next', 'next', 'next', 'stop'), engine, bounds, 'ends')).toEqual({ status: 'none', states: 1 });
    expect(searchFrom(target([below4]), path(), engine, { maxStates: 2 })).toEqual({ status: 'unknown', states: 2, reason: 'states' });
  });
});

describe('pathVerdict (what replay will say of a saved path)', () => {
  it("the first property (in the target's order) the path violates, cut at its violation", () => {
    const verdict = pathVerdict(target([below4, below3, ends]), path('next', 'next', 'next', 'loop'));
    expect(verdict).toMatchObject({ status: 'violates', labels: ['next', 'next', 'next'], finding: { summary: 'below3 does not hold' } });
    expect(verdict?.status === 'violates' && verdict.property.name).toBe('below3');
  });

  it('a lasso for a terminal property; fixed for a property the path does not violate; undefined for an unknown one', () => {
    const lasso = pathVerdict(target([ends]), path('next', 'next', 'next', 'loop'));
    expect(lasso).toMatchObject({ status: 'violates', loopStart: 1, labels: ['next', 'next', 'next', 'loop'] });
    const fixed = pathVerdict(target([below4, ends]), path('next'), 'below4');
    expect(fixed).toMatchObject({ status: 'fixed', labels: ['next'] });
    expect(pathVerdict(target([below4]), path(), 'nope')).toBeUndefined();
  });
});
