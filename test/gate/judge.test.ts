/**
 * One check, end to end without threads: the job runs the hand-counted ping
 * spec (runJob), and judge compares its outcome with the matrix entry. Every
 * way of failing is shown: a violation where "holds" was expected, a bound
 * that cut an exhaustive search, the wrong property first, a different
 * shortest length, a verdict that differs, coverage not reached, an error.
 */
import { describe, expect, it } from 'vitest';
import { runJob } from '../../src/cli/gate/job.js';
import { judge } from '../../src/cli/gate/judge.js';
import { parseMatrix } from '../../src/cli/gate/matrix.js';
import { explore } from '../../src/index.js';
import { coveredPing } from './fixtures/coveredPing.js';

const registry = [coveredPing];

/** Parses a one-entry matrix, runs its check in this thread, judges it. */
function gate(entry: Record<string, unknown>) {
  const [check] = parseMatrix(JSON.stringify({ checks: [{ spec: 'ping', ...entry }] }), 'm.json', registry).checks;
  const outcome = runJob(
    registry,
    {
      index: 0,
      spec: check!.spec,
      params: check!.params,
      strategy: check!.strategy,
      continueAfterViolation: check!.expect.kind === 'verdicts',
      coverage: check!.require.length > 0,
      ...(check!.maxStates === undefined ? {} : { maxStates: check!.maxStates }),
    },
    (target, options) => explore(target, options),
  );
  return { outcome, ...judge(check!, outcome) };
}

describe('judge', () => {
  it('holds, exhaustively: passes', () => {
    const r = gate({ params: { rounds: 4 }, expect: 'holds' });
    expect(r).toMatchObject({ passed: true, got: 'holds', problems: [] });
    expect(r.outcome).toMatchObject({ status: 'ok', stats: { distinct: 5 } });
  });

  it('a violation where "holds" was expected: fails, names the property and its explanation, hands the violation over for saving', () => {
    const r = gate({ params: { rounds: 5, limit: 2 }, expect: 'holds' });
    expect(r.passed).toBe(false);
    expect(r.got).toBe('violates bounded (3 steps)');
    expect(r.problems).toEqual(['violates bounded (3 steps): 3 hits exceed the limit 2']);
    expect(r.unexpected).toMatchObject({ property: 'bounded', labels: ['deliver ball→p0', 'deliver ball→p1', 'deliver ball→p0'] });
  });

  it('a bound that stops an exhaustive check: fails, even with no violation', () => {
    const r = gate({ params: { rounds: 4 }, expect: 'holds', maxStates: 3 });
    expect(r.passed).toBe(false);
    expect(r.got).toBe('incomplete (--max-states)');
    expect(r.problems).toEqual(['stopped by --max-states after 3 states, before the search was complete']);
    expect(r.unexpected).toBeUndefined();
  });

  it('the expected violation with its shortest length: passes; another length: fails', () => {
    expect(gate({ params: { rounds: 5, limit: 2 }, expect: 'violates bounded', steps: 3 })).toMatchObject({ passed: true, got: 'violates bounded (3 steps)' });
    const r = gate({ params: { rounds: 5, limit: 2 }, expect: 'violates bounded', steps: 4 });
    expect(r.passed).toBe(false);
    expect(r.problems).toEqual(['the shortest counterexample has 3 steps, not 4']);
  });

  it('the wrong property first: fails and saves that violation; no violation at all: fails', () => {
    const wrong = gate({ params: { rounds: 2, loss: 'yes' }, expect: 'violates bounded' });
    expect(wrong.passed).toBe(false);
    expect(wrong.problems).toEqual(['violates done first (1 step), not bounded: the run ended after 0 hits: the ball was lost']);
    expect(wrong.unexpected?.property).toBe('done');
    const none = gate({ params: { rounds: 2 }, expect: 'violates bounded' });
    expect(none).toMatchObject({ passed: false, got: 'holds', problems: ['no violation of bounded: every property holds'] });
  });

  it('verdict objects: every property decided (the search continues after a violation); a property not named must hold', () => {
    expect(gate({ params: { rounds: 2, loss: 'yes' }, expect: { done: 'violated' } })).toMatchObject({ passed: true, got: 'violates done only' });
    const r = gate({ params: { rounds: 3, limit: 2, loss: 'yes' }, expect: { done: 'violated' } });
    expect(r.passed).toBe(false);
    expect(r.got).toBe('violates bounded, done only');
    expect(r.problems).toEqual(['bounded: expected holds, got violated']);
    expect(r.unexpected?.property).toBe('bounded');
    const missing = gate({ params: { rounds: 2 }, expect: { done: 'violated' } });
    expect(missing.problems).toEqual(['done: expected violated, got holds']);
  });

  it('coverage requirements: met, not met (a fault never injected), a gauge', () => {
    expect(gate({ params: { rounds: 2, loss: 'yes' }, expect: { done: 'violated' }, require: { lose: '>= 1', hits: '== 2' } }).passed).toBe(true);
    const r = gate({ params: { rounds: 2 }, expect: 'holds', require: { lose: '>= 1', deliver: 2, hits: '< 2' } });
    expect(r.passed).toBe(false);
    expect(r.problems).toEqual(['coverage: lose = 0, required lose >= 1', 'coverage: hits = 2, required hits < 2']);
  });

  it('a job that could not run: fails with its message', () => {
    const [check] = parseMatrix(JSON.stringify({ checks: [{ spec: 'ping', expect: 'holds' }] }), 'm.json', registry).checks;
    expect(judge(check!, { status: 'error', message: 'worker died: out of memory' })).toEqual({
      passed: false,
      got: 'error',
      problems: ['error: worker died: out of memory'],
    });
  });
});
