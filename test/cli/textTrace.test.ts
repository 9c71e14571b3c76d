import { describe, expect, it } from 'vitest';
import {
  type CheckTarget,
  type Trace,
  diffValues,
  formatChanges,
  formatValue,
  formatViolation,
  traceSteps,
} from '../../src/index.js';
import { type PingState, pingSpec } from './fixtures/pingSpec.js';

describe('diffValues', () => {
  it('reports changed leaves by path, with old and new values', () => {
    const before = { procs: { p0: { status: 'Live', inc: 0 }, p1: { status: 'Live', inc: 0 } }, crashes: 0 };
    const after = { procs: { p0: { status: 'Crashed', inc: 0 }, p1: { status: 'Live', inc: 0 } }, crashes: 1 };
    expect(formatChanges(diffValues(before, after))).toEqual(['procs.p0.status: "Live" → "Crashed"', 'crashes: 0 → 1']);
  });

  it('shows a message taken out of the middle of the network as one removal, not a shift', () => {
    const changes = diffValues({ net: ['a', 'b', 'c', 'd'] }, { net: ['a', 'c', 'd', 'e'] });
    expect(formatChanges(changes)).toEqual(['net: − "b"', 'net: + "e"']);
  });

  it('compares records facing each other in an array field by field', () => {
    const before = { procs: [{ id: 0, h: [] }, { id: 1, h: ['x'] }] };
    const after = { procs: [{ id: 0, h: [] }, { id: 1, h: ['x', 'y'] }] };
    expect(formatChanges(diffValues(before, after))).toEqual(['procs[1].h: + "y"']);
  });

  it('gathers three or more fields removed from one record on one line', () => {
    const before = { p: { status: 'Live', a: 1, b: [2], c: null } };
    const after = { p: { status: 'Crashed' } };
    expect(formatChanges(diffValues(before, after))).toEqual(['p.status: "Live" → "Crashed"', 'p: − a, b, c']);
    expect(formatChanges(diffValues(after, before))).toEqual(['p.status: "Crashed" → "Live"', 'p: + a: 1, b: [2], c: null']);
  });

  it('finds nothing to report between equal values built separately', () => {
    expect(diffValues({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] })).toEqual([]);
  });

  it('renders values compactly and cuts long ones', () => {
    expect(formatValue({ kind: 'app', 'odd key': [1, 'x'] })).toBe('{kind: "app", "odd key": [1, "x"]}');
    expect(formatValue('x'.repeat(50), 10)).toBe(`"${'x'.repeat(8)}…`);
  });
});

describe('text traces', () => {
  const target = pingSpec.build({ rounds: 3, limit: 3, loss: 'yes' }) as unknown as CheckTarget<PingState, unknown>;
  const [s0] = target.model.init();
  const path = ['deliver ball→p0', 'deliver ball→p1', 'lose ball→p0'];
  const states: PingState[] = [s0!];
  for (const label of path) {
    const last = states[states.length - 1]!;
    const action = target.model.actions(last).find((a) => target.model.label(a) === label);
    states.push(target.model.next(last, action!));
  }
  const trace: Trace<PingState> = { initIndex: 0, labels: path, states };

  it('numbers the steps and lists what changed under each, with the spec description', () => {
    const steps = traceSteps(target, trace);
    expect(steps.map((s) => s.label)).toEqual(path);
    expect(steps[2]!.detail).toBe('the network drops the ball');
    const text = formatViolation(target, {
      property: 'done',
      category: 'liveness',
      trace,
      explanation: 'the run ended after 2 hits: the ball was lost',
    });
    expect(text).toBe(
      [
        'Violation of done (liveness): 3 steps',
        '  0. initial state',
        '  1. deliver ball→p0',
        '       hits.p0: 0 → 1',
        '       ball: "→p0" → "→p1"',
        '  2. deliver ball→p1',
        '       hits.p1: 0 → 1',
        '       ball: "→p1" → "→p0"',
        '  3. lose ball→p0 — the network drops the ball',
        '       ball: "→p0" → null',
        '       lost: false → true',
        '  Why: the run ended after 2 hits: the ball was lost',
        '',
      ].join('\n'),
    );
  });

  it('marks where a lasso loops back', () => {
    const text = formatViolation(target, { property: 'done', category: 'liveness', trace: { ...trace, loopStart: 1 }, explanation: 'cycle' });
    expect(text).toContain('a lasso of 3 steps');
    expect(text).toContain('↺ step 3 returns to state 1: steps 2–3 repeat forever');
  });
});
