/**
 * Shrinking is bounded in time: by what --timeout leaves (at least
 * SHRINK_FLOOR_MS), and by a grace period after an interruption; a cut-short
 * shrink keeps the best trace so far and the report says so.
 */
import { describe, expect, it } from 'vitest';
import { specRegistry } from '../../specs/index.js';
import { explore, resolveParams } from '../../src/index.js';
import { INTERRUPT_GRACE_MS, keptText, SHRINK_FLOOR_MS, shrinkFound, shrinkStop } from '../../src/cli/counterexamples.js';

describe('shrinkStop', () => {
  it('stops at the --timeout deadline, pushed to the floor when less is left at the first poll', () => {
    let now = 900;
    const stop = shrinkStop({ clock: () => now, deadlineMs: 1000 });
    expect(stop.reached()).toBe(false);
    now = 900 + SHRINK_FLOOR_MS - 1;
    expect(stop.reached()).toBe(false);
    expect(stop.reason).toBeUndefined();
    now = 900 + SHRINK_FLOOR_MS;
    expect(stop.reached()).toBe(true);
    expect(stop.reason).toBe('timeout');
  });

  it('with time left, stops at the deadline itself', () => {
    let now = 0;
    const stop = shrinkStop({ clock: () => now, deadlineMs: 10_000 });
    expect(stop.reached()).toBe(false);
    now = 9_999;
    expect(stop.reached()).toBe(false);
    now = 10_000;
    expect(stop.reached()).toBe(true);
  });

  it('stops INTERRUPT_GRACE_MS after the interruption is first seen', () => {
    let now = 0;
    let interrupted = false;
    const stop = shrinkStop({ clock: () => now, interrupted: () => interrupted });
    now = 5_000;
    expect(stop.reached()).toBe(false);
    interrupted = true;
    now = 6_000;
    expect(stop.reached()).toBe(false);
    now = 6_000 + INTERRUPT_GRACE_MS;
    expect(stop.reached()).toBe(true);
    expect(stop.reason).toBe('interrupted');
  });
});

describe('a shrink cut short', () => {
  it('keeps the found trace when stopped before the first candidate, and says so', () => {
    const spec = specRegistry.find((s) => s.id === 'naive')!;
    const target = spec.build(resolveParams(spec.params, {}, spec.id));
    const result = explore(target, { strategy: 'dfs' });
    if (result.status !== 'violation') throw new Error('naive has a violation');
    const violation = result.violations[0]!;
    const stop = { reached: () => true, reason: 'timeout' as const };
    const shrunk = shrinkFound(target, violation, { strategy: 'dfs', explore, stop });
    expect(shrunk.finished).toBe(false);
    expect(shrunk.candidates).toBe(0);
    expect(shrunk.violation.trace.labels).toEqual(violation.trace.labels);
    const whole = shrinkFound(target, violation, { strategy: 'dfs', explore });
    expect(whole.finished).toBe(true);
    expect(whole.shrunkLength).toBeLessThan(violation.trace.labels.length);
    const text = keptText([{ property: 'safety', foundLength: 10, shrunkLength: 10, saved: { path: 'x.itf.json', status: 'written' }, shrinkCut: 'timeout' }]);
    expect(text).toBe('Counterexample\n  safety: found at length 10, shrunk to 10 (shrinking cut short by --timeout); saved x.itf.json\n');
  });
});
