/**
 * Workloads of one's own: the JSON program format (every mistake its own
 * one-line reason, naming its place), its canonical text, a program equal to
 * a named workload checked the same, honest symmetry, and the seeded random
 * generator (pinned for one seed; every drawn program valid, within its
 * budget, and checked without an internal error).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findSpec } from '../../specs/index.js';
import { findWorkload } from '../../specs/fbl/workloads.js';
import { fullySymmetric, parseWorkload, workloadOf } from '../../specs/fbl/spec.js';
import { messageCount, parseProgram, programText, randomProgram } from '../../specs/fbl/userWorkloads.js';
import { ExitCode, explore, resolveParams, type CheckResult, type ParamValue } from '../../src/index.js';
import { userErrorOf } from '../support/helpers.js';

function run(spec: string, given: Record<string, ParamValue>, options: { maxStates?: number } = {}): CheckResult<unknown> {
  const definition = findSpec(spec)!;
  return explore(definition.build(resolveParams(definition.params, given, spec)), { strategy: 'bfs', ...options });
}


const CHAIN3 = { n: 3, processes: [{ after: [[], [1]] }, { after: [[], [2]] }, { after: [[0]] }] };

describe('the JSON program format', () => {
  it('reads a program: after[k] lists the destinations of the sends after the k-th delivery', () => {
    expect(parseProgram(JSON.stringify(CHAIN3))).toEqual({ program: findWorkload('chain')!.program(3) });
    // n may be left out; a description is allowed; trailing empty batches are dropped.
    const loose = { description: 'chain', processes: [{ after: [[], [1], []] }, { after: [[], [2]] }, { after: [[0]] }] };
    expect(parseProgram(JSON.stringify(loose))).toEqual({ program: findWorkload('chain')!.program(3) });
  });

  it('has one canonical text, which reads back to the same program', () => {
    const text = programText(findWorkload('w4')!.program(3));
    expect(text).toBe('{"n":3,"processes":[{"after":[[],[],[1]]},{"after":[[0],[2]]},{"after":[[0]]}]}');
    expect(parseProgram(text)).toEqual({ program: findWorkload('w4')!.program(3) });
    expect(parseWorkload(`  ${JSON.stringify(CHAIN3, null, 2)} `)).toEqual({ value: '{"n":3,"processes":[{"after":[[],[1]]},{"after":[[],[2]]},{"after":[[0]]}]}' });
  });

  it.each([
    ['{"processes": [', /^not JSON: /],
    ['[1, 2]', 'must be a JSON object with "processes" (and optionally "n")'],
    ['{"procs": []}', 'unknown field "procs" (fields: n, processes, description)'],
    ['{"n": 3}', 'processes: missing (one entry per process, each { "after": [...] })'],
    ['{"processes": {"p0": []}}', 'processes: must be an array, one entry per process'],
    ['{"n": 2.5, "processes": [{"after": []}, {"after": []}]}', 'n: must be an integer'],
    ['{"n": 3, "processes": [{"after": [[1]]}, {"after": []}]}', 'n: is 3, but processes lists 2'],
    ['{"processes": [{"after": []}]}', 'processes: lists 1; a program has 2 to 15 processes'],
    ['{"processes": [{"after": [[1]]}, []]}', 'processes[1]: must be an object { "after": [...] }'],
    ['{"processes": [{"after": [[1]]}, {"after": [], "to": 1}]}', 'processes[1]: unknown field "to" (fields: after)'],
    ['{"processes": [{"after": [[1]]}, {}]}', 'processes[1].after: missing (after[k]: the destinations p1 sends to after its k-th delivery)'],
    ['{"processes": [{"after": [[1]]}, {"after": 0}]}', 'processes[1].after: must be an array (after[k]: the destinations after the k-th delivery)'],
    ['{"processes": [{"after": [1]}, {"after": []}]}', 'processes[0].after[0]: must be an array of destination process numbers'],
    ['{"processes": [{"after": [[1]]}, {"after": [[], [], [5]]}, {"after": []}]}', 'processes[1].after[2]: destination 5 is not a process (n = 3)'],
    ['{"processes": [{"after": [["p1"]]}, {"after": []}]}', 'processes[0].after[0]: destination "p1" is not a process number (0…1)'],
    ['{"processes": [{"after": [[0]]}, {"after": []}]}', 'processes[0].after[0]: destination 0 is p0 itself (a process sends only to others)'],
    ['{"processes": [{"after": [[1]]}, {"after": [[], [], [0]]}]}', 'processes[1].after[2]: never reached: the program sends p1 only 1 message'],
    [JSON.stringify({ processes: [{ after: [new Array(64).fill(1)] }, { after: [] }] }), 'processes[0]: sends 64 messages; at most 63 per process'],
    [
      JSON.stringify({ processes: [{ after: [new Array(40).fill(2)] }, { after: [new Array(40).fill(2)] }, { after: [] }] }),
      'processes: p2 receives 80 messages; at most 63 per process',
    ],
  ])('refuses %s: %s', (text, why) => {
    const parsed = parseProgram(text);
    expect('why' in parsed).toBe(true);
    if ('why' in parsed) expect(parsed.why).toMatch(why);
  });

  it('a value that is neither a name nor JSON names the choices', () => {
    expect(parseWorkload('chian')).toEqual({
      why: 'must be one of chain, ring, sender-chain, pingpong, order2, fig1, fig1s, w4, w5, all-to-all, all-to-all-forward, random, star, a .json workload file or a program as JSON text',
    });
    expect(parseWorkload('w.json')).toMatchObject({ why: expect.stringMatching(/\(a \.json file is read by the command line only\)$/) });
  });
});

describe('a program of one\'s own, checked', () => {
  it('written out as chain n = 3, it checks as chain: the same states, verdicts and trace; the record holds the program itself', () => {
    const record = resolveParams(findSpec('naive')!.params, { workload: JSON.stringify(CHAIN3) });
    expect(record).toMatchObject({ workload: programText(findWorkload('chain')!.program(3)), n: 3 });
    const mine = run('naive', record);
    const named = run('naive', { workload: 'chain' });
    expect(mine.stats.distinct).toBe(185);
    expect([mine.stats.distinct, mine.stats.transitions]).toEqual([named.stats.distinct, named.stats.transitions]);
    expect(mine.status === 'violation' && mine.violations[0]!.trace.labels).toEqual(named.status === 'violation' && named.violations[0]!.trace.labels);
  });

  it('n comes from the program; another --n is refused', () => {
    const spec = findSpec('nonblocking')!;
    const e = userErrorOf(() => spec.build(resolveParams(spec.params, { workload: JSON.stringify(CHAIN3), n: 4 })));
    expect([e.exitCode, e.message]).toEqual([ExitCode.badSpec, 'bad parameter n=4: the given program has n = 3']);
  });

  it('is symmetric only if checked so: all-to-all written out reduces as the named one; chain is refused', () => {
    expect(fullySymmetric(findWorkload('all-to-all')!.program(3))).toBe(true);
    expect(fullySymmetric(findWorkload('all-to-all-forward')!.program(4))).toBe(true);
    expect(fullySymmetric(findWorkload('chain')!.program(3))).toBe(false);
    expect(fullySymmetric([[[1]], [[0]], [[0]]])).toBe(false); // invariant under the swap of p0 and p1 only
    const allToAll = programText(findWorkload('all-to-all')!.program(3));
    const reduce = 'eager-drop,symmetry';
    expect(run('nonblocking', { workload: allToAll, reduce }).stats.distinct).toBe(run('nonblocking', { workload: 'all-to-all', n: 3, reduce }).stats.distinct);
    const spec = findSpec('nonblocking')!;
    const e = userErrorOf(() => spec.build(resolveParams(spec.params, { workload: JSON.stringify(CHAIN3), reduce })));
    expect(e.message).toBe(
      '--reduce symmetry: the given program changes under some renaming of the processes (the swap of p0 and p1, or p_i → p_(i+1)), so symmetry does not apply',
    );
  });
});

describe('--workload random', () => {
  it('draws the same program for a seed: pinned for n = 3, 5 messages, seed 7', () => {
    expect(programText(randomProgram(3, 5, 7))).toBe('{"n":3,"processes":[{"after":[[2]]},{"after":[[2]]},{"after":[[0],[0,0]]}]}');
    expect(programText(randomProgram(4, 6, 7))).toBe('{"n":4,"processes":[{"after":[[3]]},{"after":[[2,2]]},{"after":[[1,0]]},{"after":[[],[0]]}]}');
    const record = resolveParams(findSpec('nonblocking')!.params, { workload: 'random', 'workload-seed': 7, messages: 5 });
    expect(record).toMatchObject({ workload: 'random', n: 3, 'workload-seed': 7, messages: 5 });
    expect(workloadOf(record).program(3)).toEqual(randomProgram(3, 5, 7));
    expect(run('nonblocking', record).stats.distinct).toBe(19_138);
  });

  it('takes its seed and budget only with workload=random, and defaults them (seed 1, n + 1 messages)', () => {
    const params = findSpec('nonblocking')!.params;
    expect(resolveParams(params, { workload: 'random', n: 4 })).toMatchObject({ 'workload-seed': 1, messages: 5 });
    expect(resolveParams(params, {})).not.toHaveProperty('messages');
    const e = userErrorOf(() => resolveParams(params, { workload: 'chain', messages: 3 }));
    expect([e.exitCode, e.message]).toEqual([ExitCode.badSpec, 'bad parameter messages=3: applies only with workload=random or workload=star']);
    expect(userErrorOf(() => resolveParams(params, { workload: 'random', messages: 0 })).message).toBe('bad parameter messages=0: must be ≥ 1');
  });

  it('every drawn program is valid, sends exactly its budget, and is checked without an internal error', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 0x7fffffff }), (n, messages, seed) => {
        const program = randomProgram(n, messages, seed);
        expect(parseProgram(programText(program))).toEqual({ program });
        expect(messageCount(program)).toBe(messages);
        expect(programText(randomProgram(n, messages, seed))).toBe(programText(program));
        const result = run('nonblocking', { workload: 'random', n, messages, 'workload-seed': seed }, { maxStates: 3000 });
        expect(['ok', 'violation', 'incomplete']).toContain(result.status);
        if (result.status === 'violation') throw new Error(`nonblocking violated on ${programText(program)}`);
      }),
      { numRuns: 12, seed: 9 },
    );
  });
});
