import { describe, expect, it } from 'vitest';
import { ExitCode, type ParamSchema, UserError, defaultParams, resolveParams } from '../../src/index.js';
import { userErrorOf } from '../support/helpers.js';

const schema: ParamSchema[] = [
  { name: 'n', type: 'integer', description: 'processes', defaultValue: 3, min: 2, max: 15 },
  { name: 'f', type: 'integer', description: 'failures', defaultValue: 1, min: 1 },
  { name: 'crashes', type: 'integer', description: 'budget', defaultValue: (p) => Number(p['f']), min: 0 },
  { name: 'network', type: 'choice', description: 'channels', defaultValue: 'unordered', choices: ['unordered', 'fifo'] },
];


describe('resolveParams', () => {
  it('applies defaults in schema order, function defaults seeing the parameters before them', () => {
    expect(defaultParams(schema)).toEqual({ n: 3, f: 1, crashes: 1, network: 'unordered' });
    expect(resolveParams(schema, { f: '2' })).toEqual({ n: 3, f: 2, crashes: 2, network: 'unordered' });
    expect(resolveParams(schema, { f: 2, crashes: '0' })).toMatchObject({ f: 2, crashes: 0 });
  });

  it('keeps schema order in the result whatever order the values came in', () => {
    expect(Object.keys(resolveParams(schema, { network: 'fifo', n: '4' }))).toEqual(['n', 'f', 'crashes', 'network']);
  });

  it('parses integers from strings and rejects non-integers', () => {
    expect(resolveParams(schema, { n: ' 5 ' })['n']).toBe(5);
    for (const bad of ['abc', '2.5', '', '1e3', '0x4']) {
      const e = userErrorOf(() => resolveParams(schema, { n: bad }));
      expect(e.exitCode).toBe(ExitCode.badSpec);
      expect(e.message).toBe(`bad parameter n=${bad}: must be an integer`);
    }
  });

  it('checks min, max and choices with one-line messages', () => {
    expect(userErrorOf(() => resolveParams(schema, { n: '1' })).message).toBe('bad parameter n=1: must be ≥ 2');
    expect(userErrorOf(() => resolveParams(schema, { n: 16 })).message).toBe('bad parameter n=16: must be ≤ 15');
    expect(userErrorOf(() => resolveParams(schema, { network: 'tcp' })).message).toBe(
      'bad parameter network=tcp: must be one of unordered, fifo',
    );
  });

  it('rejects unknown parameter names, naming the spec and the known ones', () => {
    const e = userErrorOf(() => resolveParams(schema, { m: '3' }, 'nonblocking'));
    expect(e.exitCode).toBe(ExitCode.badSpec);
    expect(e.message).toBe('unknown parameter m for spec nonblocking (known: n, f, crashes, network)');
    // undefined means "not given"
    expect(resolveParams(schema, { m: undefined })).toEqual(defaultParams(schema));
  });

  it('treats a default that breaks its own schema as a spec bug, not a user error', () => {
    const broken: ParamSchema[] = [{ name: 'k', type: 'integer', description: '', defaultValue: 0, min: 1 }];
    expect(() => resolveParams(broken, {})).toThrow(/spec bug/);
    expect(() => resolveParams(broken, {})).not.toThrow(UserError);
  });
});

describe('resolveParams: parsed values, parameters that apply only sometimes, switches recorded when changed', () => {
  const program: ParamSchema = {
    name: 'program',
    type: 'choice',
    description: 'a named program or a list of numbers',
    defaultValue: 'one',
    choices: ['one', 'random'],
    parse: (text) => (/^\d+(,\d+)*$/.test(text.replace(/\s/g, '')) ? { value: text.replace(/\s/g, '') } : { why: 'must be one, random or numbers separated by commas' }),
  };
  const seeded: ParamSchema[] = [
    program,
    { name: 'seed', type: 'integer', description: '', defaultValue: 1, min: 0, appliesWhen: { holds: (p) => p['program'] === 'random', text: 'program=random' } },
    { name: 'filter', type: 'choice', description: '', defaultValue: 'on', choices: ['on', 'off'], recordDefault: false },
  ];

  it('takes a value beyond the choices in the canonical form parse gives, or its reason, with a long value cut', () => {
    expect(resolveParams(seeded, { program: ' 1, 2 ,3' })['program']).toBe('1,2,3');
    expect(userErrorOf(() => resolveParams(seeded, { program: 'two' })).message).toBe('bad parameter program=two: must be one, random or numbers separated by commas');
    expect(userErrorOf(() => resolveParams(seeded, { program: `x${'1'.repeat(60)}` })).message).toBe(`bad parameter program=x${'1'.repeat(39)}…: must be one, random or numbers separated by commas`);
  });

  it('leaves out a parameter that does not apply, and refuses it given', () => {
    expect(resolveParams(seeded, {})).toEqual({ program: 'one' });
    expect(resolveParams(seeded, { program: 'random' })).toEqual({ program: 'random', seed: 1 });
    const e = userErrorOf(() => resolveParams(seeded, { seed: '4' }));
    expect([e.exitCode, e.message]).toEqual([ExitCode.badSpec, 'bad parameter seed=4: applies only with program=random']);
  });

  it('records a recordDefault: false parameter only when it departs from its default; defaultParams lists every one', () => {
    expect(resolveParams(seeded, { filter: 'on' })).toEqual({ program: 'one' });
    expect(resolveParams(seeded, { filter: 'off' })).toEqual({ program: 'one', filter: 'off' });
    expect(defaultParams(seeded)).toEqual({ program: 'one', seed: 1, filter: 'on' });
  });
});
