/**
 * The gate matrix: expansion of parameter lists, expectations, coverage
 * requirements, bounds and defaults; and a one-line error with exit code 3,
 * naming the file and the entry, for every kind of mistake.
 */
import { describe, expect, it } from 'vitest';
import { expectationText, meets, parseMatrix } from '../../src/cli/gate/matrix.js';
import { ExitCode, UserError } from '../../src/index.js';
import { coveredPing } from './fixtures/coveredPing.js';

const registry = [coveredPing];
const parse = (matrix: unknown) => parseMatrix(JSON.stringify(matrix), 'm.json', registry);

function error(matrix: unknown, raw = false): UserError {
  try {
    if (raw) parseMatrix(matrix as string, 'm.json', registry);
    else parse(matrix);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('the matrix was accepted');
}

describe('parseMatrix', () => {
  it('expands list-valued parameters into their cross product, in key order, each named by spec and given parameters', () => {
    const m = parse({ checks: [{ spec: 'ping', params: { rounds: [2, 3], loss: ['no', 'yes'] }, expect: 'holds' }] });
    expect(m.checks.map((c) => c.name)).toEqual([
      'ping rounds=2 loss=no',
      'ping rounds=2 loss=yes',
      'ping rounds=3 loss=no',
      'ping rounds=3 loss=yes',
    ]);
    // Parameters are resolved: the computed default of limit is there.
    expect(m.checks[2]!.params).toEqual({ rounds: 3, limit: 3, loss: 'no' });
    expect(m.checks[0]).toMatchObject({ spec: 'ping', strategy: 'bfs', expect: { kind: 'holds' }, require: [] });
  });

  it('reads the three forms of expectation, steps, requirements, bounds, defaults and the corpus', () => {
    const m = parse({
      corpus: '../cx',
      defaults: { maxStates: 1000, timeoutSeconds: 60, strategy: 'dfs' },
      checks: [
        { name: 'too many hits', spec: 'ping', params: { rounds: 5, limit: 2 }, expect: 'violates bounded', steps: 3, maxStates: 50 },
        { spec: 'ping', params: { loss: 'yes' }, expect: { done: 'violated', bounded: 'holds' }, require: { lose: '>= 1', hits: 4, overflow: '== 0' }, strategy: 'bfs' },
      ],
    });
    expect(m.corpus).toBe('../cx');
    expect(m.checks[0]).toMatchObject({
      name: 'too many hits',
      expect: { kind: 'violates', property: 'bounded', steps: 3 },
      maxStates: 50,
      timeoutSeconds: 60,
      strategy: 'dfs',
    });
    expect(m.checks[1]).toMatchObject({
      name: 'ping loss=yes',
      expect: { kind: 'verdicts', verdicts: { done: 'violated', bounded: 'holds' } },
      require: [
        { name: 'lose', op: '>=', value: 1 },
        { name: 'hits', op: '>=', value: 4 },
        { name: 'overflow', op: '==', value: 0 },
      ],
      maxStates: 1000,
      strategy: 'bfs',
    });
    expect(m.checks.map((c) => expectationText(c.expect))).toEqual(['violates bounded (3 steps)', 'violates done only']);
  });

  it('compares coverage values with every operator', () => {
    const r = (op: '>=' | '>' | '<=' | '<' | '==') => ({ name: 'x', op, value: 2 });
    expect([1, 2, 3].map((v) => meets(r('>='), v))).toEqual([false, true, true]);
    expect([1, 2, 3].map((v) => meets(r('>'), v))).toEqual([false, false, true]);
    expect([1, 2, 3].map((v) => meets(r('<='), v))).toEqual([true, true, false]);
    expect([1, 2, 3].map((v) => meets(r('<'), v))).toEqual([true, false, false]);
    expect([1, 2, 3].map((v) => meets(r('=='), v))).toEqual([false, true, false]);
  });

  const one = (entry: Record<string, unknown>) => ({ checks: [{ spec: 'ping', expect: 'holds', ...entry }] });
  it.each([
    ['not JSON', '{"checks": [', /^bad gate matrix m\.json: not JSON \(/],
    ['an array', '[]', /must be a JSON object with a "checks" array$/],
    ['no checks', '{"checks": []}', /checks: must be a non-empty array$/],
    ['an unknown top-level field', '{"checks": [], "check": 1}', /check: unknown field \(known: /],
  ])('rejects %s', (_what, text, message) => {
    const e = error(text, true);
    expect(e.exitCode).toBe(ExitCode.badSpec);
    expect(e.message).toMatch(message);
    expect(e.message).not.toContain('\n');
  });

  it.each([
    ['an unknown spec', { spec: 'pong' }, 'checks[0].spec: unknown spec pong (known: ping)'],
    ['an unknown field', { expected: 'holds' }, 'checks[0].expected: unknown field'],
    ['an unknown parameter', { params: { rnds: 3 } }, 'checks[0] (ping).params: unknown parameter rnds for spec ping (known: rounds, limit, loss)'],
    ['a parameter out of range', { params: { rounds: 0 } }, 'checks[0] (ping).params: bad parameter rounds=0: must be ≥ 1'],
    ['parameters the spec rejects', { params: { rounds: 2, limit: 9 } }, 'checks[0] (ping).params: bad parameter limit=9: must be ≤ 2·rounds (4)'],
    ['a misspelt expectation', { expect: 'violate bounded' }, 'checks[0] (ping).expect: "violate bounded" is not "holds" or "violates <property>"'],
    ['no expectation', { expect: undefined }, 'checks[0] (ping).expect: missing'],
    ['an unknown property', { expect: 'violates safety' }, 'checks[0] (ping).expect: unknown property safety (known: bounded, done)'],
    ['a bad verdict', { expect: { done: 'fails' } }, 'checks[0] (ping).expect.done: must be "holds" or "violated", not "fails"'],
    ['steps with holds', { steps: 3 }, 'checks[0] (ping).steps: only goes with "violates <property>"'],
    ['an unknown coverage point', { require: { lost: '>= 1' } }, 'checks[0] (ping).require: lost is not a coverage point or gauge of this configuration (known: deliver, lose, overflow, hits)'],
    ['a malformed condition', { require: { lose: 'at least 1' } }, 'checks[0] (ping).require.lose: "at least 1" is not a condition such as ">= 1" or "== 0"'],
    ['a negative bound', { maxStates: -5 }, 'checks[0] (ping).maxStates: must be a positive integer'],
    ['a bad strategy', { strategy: 'random' }, 'checks[0] (ping).strategy: must be bfs or dfs'],
    ['one name for several checks', { name: 'x', params: { rounds: [1, 2] } }, 'checks[0] (ping).name: names one check but params expand to 2'],
  ])('rejects %s with one line naming the entry', (_what, entry, message) => {
    const e = error(one(entry));
    expect(e.exitCode).toBe(ExitCode.badSpec);
    expect(e.message.startsWith(`bad gate matrix m.json: ${message}`)).toBe(true);
    expect(e.message).not.toContain('\n');
  });

  it('rejects two checks with the same name', () => {
    const e = error({ checks: [{ spec: 'ping', expect: 'holds' }, { spec: 'ping', expect: 'holds' }] });
    expect(e.message).toBe('bad gate matrix m.json: checks[1]: a second check named "ping" (give each entry a distinct name)');
  });

  it('rejects a requirement on a spec without coverage points', async () => {
    const { pingSpec } = await import('../cli/fixtures/pingSpec.js');
    expect(() => parseMatrix(JSON.stringify(one({ require: { lose: 1 } })), 'm.json', [pingSpec])).toThrow(
      'bad gate matrix m.json: checks[0] (ping).require: spec ping declares no coverage points',
    );
  });
});
