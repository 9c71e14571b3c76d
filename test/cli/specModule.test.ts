/**
 * Spec modules in-process: what counts as a path, the export contract, every
 * loading error with its own exit code and one line, and the commands (check,
 * list, replay, render) on a module through runCli, with the module and its
 * digest recorded in the counterexample file and a warning when it changed.
 * The fixture modules are written to a scratch folder and import nothing, so
 * they load the same under the test runner as under node.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, specPositional } from '../../src/cli/cli.js';
import { loadSpecModule, looksLikePath, parseSpecArg, pickSpec, specsOfExports } from '../../src/cli/specModule.js';
import { decodeCounterexample } from '../../src/trace/counterexampleFile.js';
import { defaultSpecId, specRegistry } from '../../specs/index.js';
import { explore, ExitCode, UserError } from '../../src/index.js';
import { runRrcheckAsync } from './fixtures/runRrcheck.js';

const dir = mkdtempSync(join(tmpdir(), 'rrcheck-spec-module-'));

/** A self-contained spec module: a counter 0…max that steps up or resets; `bad` lets it pass max. */
const COUNTER = `
const fp = (s, out) => { out[0] = s.v; out[1] = 0; };
export default {
  id: 'counter',
  title: 'a counter',
  params: [
    { name: 'max', type: 'integer', description: 'greatest value', defaultValue: 3, min: 1, max: 9 },
    { name: 'bad', type: 'choice', choices: ['no', 'yes'], description: 'yes: one step too far', defaultValue: 'no' },
  ],
  build({ max, bad }) {
    const top = bad === 'yes' ? max + 1 : max;
    return {
      model: {
        init: () => [{ v: 0 }],
        actions: (s) => (s.v < top ? ['up', 'reset'] : ['reset']),
        next: (s, a) => (a === 'up' ? { v: s.v + 1 } : { v: 0 }),
        label: (a) => a,
        fingerprint: fp,
      },
      properties: [{ name: 'bounded', kind: 'always', category: 'safety', description: 'v ≤ max', holds: (s) => s.v <= max, explain: (s) => 'v = ' + s.v }],
      view: (s) => s,
      diagram: (states, labels, h) => ({
        title: '', processes: ['c'], labels, highlights: [], property: h.property, explanation: h.finding.summary,
        events: labels.map((l, i) => ({ kind: 'mark', time: i + 1, lane: 0, text: l })),
      }),
    };
  },
};
`;

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function run(args: string[]) {
  return runRrcheckAsync(args);
}

async function loadError(path: string): Promise<UserError> {
  try {
    await loadSpecModule(path);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error(`${path} loaded`);
}

describe('spec arguments', () => {
  it('a path contains / or ends in .js, .mjs or .cjs; anything else is a spec id', () => {
    expect(['./x', 'a/b', 'x.mjs', 'x.js', 'x.cjs', 'x.mjs#id', 'dir\\x']).toEqual(['./x', 'a/b', 'x.mjs', 'x.js', 'x.cjs', 'x.mjs#id', 'dir\\x'].filter(looksLikePath));
    expect(['nonblocking', 'x.ts', 'x-mjs', 'mjs']).toEqual(['nonblocking', 'x.ts', 'x-mjs', 'mjs'].filter((a) => !looksLikePath(a)));
    expect(parseSpecArg('./m.mjs#two')).toEqual({ kind: 'module', path: './m.mjs', id: 'two' });
    expect(parseSpecArg('./m.mjs#')).toEqual({ kind: 'module', path: './m.mjs' });
    expect(parseSpecArg('naive')).toEqual({ kind: 'id', id: 'naive' });
  });

  it('the spec positional is found before parsing, past flags and their values', () => {
    expect(specPositional(['check', '--n', '3', '--json', 'x.mjs', '--f', '1'])).toBe('x.mjs');
    expect(specPositional(['check', '--strategy=dfs', '--continue', 'naive'])).toBe('naive');
    expect(specPositional(['simulate', '--seed', '4'])).toBeUndefined();
    expect(specPositional(['list', 'm.mjs'])).toBe('m.mjs');
    expect(specPositional(['replay', 'm.mjs'])).toBeUndefined();
  });
});

describe('the export contract', () => {
  it('the default export, else the export named spec; a spec or an array of them', () => {
    const spec = { id: 'a', title: 'A', params: [], build: () => ({}) };
    expect(specsOfExports({ default: spec }, 'm').map((s) => s.id)).toEqual(['a']);
    expect(specsOfExports({ spec: [spec, { ...spec, id: 'b' }] }, 'm').map((s) => s.id)).toEqual(['a', 'b']);
    expect(specsOfExports({ default: spec }, 'm')[0]!.summary).toBe('');
  });

  it('every shape problem is named in one line, exit code 11', () => {
    const problem = (exports: Record<string, unknown>) => {
      try {
        specsOfExports(exports, 'm.mjs');
      } catch (error) {
        expect(error).toBeInstanceOf(UserError);
        expect((error as UserError).exitCode).toBe(ExitCode.badModule);
        return (error as UserError).message;
      }
      throw new Error('accepted');
    };
    expect(problem({ helper: 1 })).toBe('spec module m.mjs exports no spec: it needs a default export or an export named spec (it exports helper)');
    expect(problem({ default: [] })).toBe('spec module m.mjs does not export a SpecDefinition: default export is an empty array');
    expect(problem({ default: 'x' })).toBe('spec module m.mjs does not export a SpecDefinition: default export is string "x", not a spec object {id, title, params, build}');
    expect(problem({ spec: { id: 'Two Words', title: 1, params: [{ name: 'out', type: 'real', defaultValue: null }], build: 3 } })).toBe(
      'spec module m.mjs does not export a SpecDefinition: export spec.id "Two Words" must be kebab-case (a-z, 0-9, single dashes); ' +
        'export spec.title must be a string; export spec.build must be a function (params) → {model, properties, view}, not number 3; ' +
        'export spec.params[0].name out clashes with the command option --out; export spec.params[0].type must be "integer", "choice" or "set", not string "real"; ' +
        'export spec.params[0].description is missing; export spec.params[0].defaultValue must be a number, a string or a function of the parameters before it',
    );
    const params = [
      { name: 'k', type: 'integer', description: 'k', defaultValue: 0, min: 1 },
      { name: 'c', type: 'choice', description: 'c', defaultValue: 'maybe', choices: ['yes', 'no'] },
      { name: 'd', type: 'integer', description: 'd', defaultValue: (p: Record<string, number>) => p['k'] },
    ];
    expect(problem({ default: { id: 'p', title: 'P', params, build: () => ({}) } })).toBe(
      'spec module m.mjs does not export a SpecDefinition: default export.params[0].defaultValue number 0 is not an integer within its min and max; ' +
        'default export.params[1].defaultValue string "maybe" is not one of its choices (yes, no)',
    );
    const a = { id: 'a', title: 'A', params: [{ name: 'k', type: 'choice', description: 'k', defaultValue: 'x' }], build: () => ({}) };
    expect(problem({ default: [a, { ...a, params: [] }] })).toBe(
      'spec module m.mjs does not export a SpecDefinition: default export[0].params[0].choices must be a non-empty array of strings for type choice; default export[1].id: a second spec with id a',
    );
  });

  it('pickSpec: the sole spec, or the one named after #', () => {
    const specs = specsOfExports({ default: [{ id: 'a', title: 'A', params: [], build: () => ({}) }, { id: 'b', title: 'B', params: [], build: () => ({}) }] }, 'm');
    expect(pickSpec({ given: 'm.mjs', specs }, 'b').id).toBe('b');
    expect(() => pickSpec({ given: 'm.mjs', specs }, undefined)).toThrow('spec module m.mjs exports 2 specs (a, b): name one as m.mjs#<id>');
    expect(() => pickSpec({ given: 'm.mjs', specs }, 'c')).toThrow('spec module m.mjs has no spec c (it exports a, b)');
  });
});

describe('loading errors', () => {
  it('missing file: 9; throws on import: 10 (first line only); no export: 11', async () => {
    const missing = await loadError(join(dir, 'nope.mjs'));
    expect([missing.exitCode, missing.message]).toEqual([ExitCode.moduleNotFound, `spec module ${join(dir, 'nope.mjs')} not found`]);
    const throws = await loadError(write('throws.mjs', 'throw new Error("boom\\nsecond line");\n'));
    expect([throws.exitCode, throws.message]).toEqual([ExitCode.moduleThrows, `spec module ${join(dir, 'throws.mjs')} throws on import: boom`]);
    const syntax = await loadError(write('syntax.mjs', 'export default {\n'));
    expect(syntax.exitCode).toBe(ExitCode.moduleThrows);
    const none = await loadError(write('none.mjs', 'export const x = 1;\n'));
    expect([none.exitCode, none.message]).toEqual([ExitCode.badModule, `spec module ${join(dir, 'none.mjs')} exports no spec: it needs a default export or an export named spec (it exports x)`]);
  });

  it('a CommonJS module: module.exports is its default export', async () => {
    const path = write('c.cjs', "module.exports = { id: 'cjs', title: 'CJS', params: [], build: () => ({}) };\n");
    const module = await loadSpecModule(path);
    expect(module.specs.map((s) => s.id)).toEqual(['cjs']);
    expect(module.url).toMatch(/c\.cjs\?sha256=[0-9a-f]{16}$/);
  });

  it('a build that throws is the module\'s fault (10); one that returns no target is badModule (11); a UserError keeps its code', async () => {
    const path = write(
      'builds.mjs',
      `class UserError extends Error { constructor(m, c) { super(m); this.name = 'UserError'; this.exitCode = c; } }
       const spec = (id, build) => ({ id, title: id, params: [], build });
       export default [
         spec('throws', () => { throw new TypeError('x is undefined'); }),
         spec('empty', () => ({ model: {} })),
         spec('user', () => { throw new UserError('n must be even', 3); }),
       ];\n`,
    );
    const { specs } = await loadSpecModule(path, undefined, 'builds.mjs');
    const error = (id: string) => {
      try {
        specs.find((s) => s.id === id)!.build({});
      } catch (e) {
        return [(e as UserError).exitCode, (e as Error).message];
      }
      return undefined;
    };
    expect(error('throws')).toEqual([ExitCode.moduleThrows, 'spec throws of builds.mjs: build throws: x is undefined']);
    expect(error('empty')).toEqual([
      ExitCode.badModule,
      'spec empty of builds.mjs: build returns no model.init, model.actions, model.next, model.label, model.fingerprint, properties, view (a CheckTarget has model, properties and view)',
    ]);
    expect(error('user')).toEqual([ExitCode.badSpec, 'n must be even']);
  });

  it('through runCli: one line on stderr, no stack trace, the exit code', async () => {
    write('none2.mjs', 'export const x = 1;\n');
    for (const [args, code] of [
      [['check', join(dir, 'nope.mjs')], ExitCode.moduleNotFound],
      [['check', join(dir, 'throws.mjs')], ExitCode.moduleThrows],
      [['simulate', join(dir, 'none2.mjs')], ExitCode.badModule],
      [['list', join(dir, 'none2.mjs')], ExitCode.badModule],
      [['check', `${join(dir, 'builds.mjs')}#throws`], ExitCode.moduleThrows],
      [['check', join(dir, 'builds.mjs')], ExitCode.badSpec],
    ] as const) {
      const r = await run([...args]);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.err.split('\n').filter((l) => l !== '' && !l.startsWith('checking')), args.join(' ')).toHaveLength(1);
      expect(r.err).not.toMatch(/^\s+at /m);
    }
  });

  it('a model that throws while explored: the module\'s fault, exit 10', async () => {
    const path = write(
      'runtime.mjs',
      `export default { id: 'r', title: 'r', params: [], build: () => ({ model: { init: () => [0], actions: () => ['x'],
         next: () => { throw new Error('next broke'); }, label: (a) => a, fingerprint: (s, o) => { o[0] = s; o[1] = 0; } }, properties: [], view: (s) => s }) };\n`,
    );
    const r = await run(['check', path, '--progress-interval', '0']);
    expect(r.code).toBe(ExitCode.moduleThrows);
    expect(r.err).toContain(`rrcheck: spec module ${path} threw: next broke\n`);
  });
});

describe('the commands on a module', () => {
  const counter = write('counter.mjs', COUNTER);

  it('check: the spec parameters are the flags; a violation saved with the module and its digest', async () => {
    const ok = await run(['check', counter, '--max', '4', '--progress-interval', '0', '--out', join(dir, 'cx')]);
    expect(ok.code).toBe(ExitCode.ok);
    expect(ok.out).toMatch(/distinct states +5\n/);
    const json = JSON.parse((await run(['check', counter, '--json', '--progress-interval', '0'])).out) as { spec: string; module: { path: string; digest: string } };
    expect(json.spec).toBe('counter');
    expect(json.module.path).toBe(counter);
    expect(json.module.digest).toMatch(/^[0-9a-f]{64}$/);
    const unknown = await run(['check', counter, '--n', '3']);
    expect(unknown.code).toBe(ExitCode.usage);
    const bad = await run(['check', counter, '--bad', 'yes', '--progress-interval', '0', '--out', join(dir, 'cx')]);
    expect(bad.code).toBe(ExitCode.safetyViolation);
    const saved = /saved (\S+\.itf\.json)/.exec(bad.out)![1]!;
    const file = decodeCounterexample(readFileSync(saved, 'utf8'));
    expect(file.status).toBe('ok');
    if (file.status !== 'ok') return;
    expect(file.file.meta.spec).toBe('counter');
    expect(file.file.meta.module?.path).toBe('../counter.mjs');
    expect(file.file.meta.module?.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(file.file.meta.labels).toEqual(['up', 'up', 'up', 'up']);

    // replay and render resolve the module from the file, relative to its folder.
    const replay = await run(['replay', saved]);
    expect(replay.code).toBe(ExitCode.safetyViolation);
    expect(replay.err).toBe('');
    expect(replay.out).toContain('reproduced: bounded is violated after step 4, as recorded.');
    const render = await run(['render', saved]);
    expect(render.code).toBe(ExitCode.ok);
    expect(render.out).toContain('counter — max=3 bad=yes\nbounded violated in 4 steps: v = 4');

    // The module changes: one warning line, the replay goes on and its verdict decides.
    writeFileSync(counter, `${COUNTER}// edited\n`);
    const changed = await run(['replay', saved]);
    expect(changed.code).toBe(ExitCode.safetyViolation);
    expect(changed.err).toMatch(/^rrcheck: warning: \S*counter\.mjs changed since the counterexample was saved \(sha256 [0-9a-f]{12}… then, [0-9a-f]{12}… now\)\n$/);
    const drawn = await run(['render', saved]);
    expect(drawn.code).toBe(ExitCode.ok);
    expect(drawn.err).toBe(changed.err);
    expect(drawn.out).toBe(render.out);
  });

  it('list: the module\'s specs with their parameters; --json names the module and its digest', async () => {
    const text = await run(['list', counter]);
    expect(text.code).toBe(ExitCode.ok);
    expect(text.out).toContain('counter (default) — a counter\n');
    expect(text.out).toContain('--max  integer 1…9, default 3');
    expect(text.out).toContain(`Run one with: rrcheck check ${counter} [--<parameter> <value>…]`);
    const json = JSON.parse((await run(['list', counter, '--json'])).out) as { module: { path: string; digest: string }; specs: { id: string }[] };
    expect(json.module.path).toBe(counter);
    expect(json.specs.map((s) => s.id)).toEqual(['counter']);
    const one = await run(['list', 'naive']);
    expect(one.code).toBe(ExitCode.ok);
    expect(one.out.startsWith('naive — broken: no incvector filter\n')).toBe(true);
    expect(one.out).not.toContain('nonblocking');
    expect((await run(['list', 'nosuch'])).code).toBe(ExitCode.badSpec);
  });

  it('a file of a registry spec (no module) still replays synchronously', () => {
    const code = runCli(['replay', 'counterexamples/naive-safety-0c835442.itf.json'], {
      registry: specRegistry,
      defaultSpec: defaultSpecId,
      explore: (t, o) => explore(t, o),
      io: { out: () => undefined, err: () => undefined },
      version: 'test',
    });
    expect(code).toBe(ExitCode.safetyViolation);
  });

  it('a recorded module that is gone: exit 9, naming the file that records it', async () => {
    const cx = join(dir, 'gone');
    const path = write('gone.mjs', COUNTER);
    const bad = await run(['check', path, '--bad', 'yes', '--progress-interval', '0', '--out', cx]);
    const saved = /saved (\S+\.itf\.json)/.exec(bad.out)![1]!;
    writeFileSync(path, ''); // still there: an empty module exports nothing
    expect((await run(['replay', saved])).code).toBe(ExitCode.badModule);
    const { rmSync } = await import('node:fs');
    rmSync(path);
    const r = await run(['replay', saved]);
    expect(r.code).toBe(ExitCode.moduleNotFound);
    expect(r.err).toBe(`rrcheck: spec module ../gone.mjs, recorded in ${saved}, not found (looked for ${path})\n`);
  });
});

describe('gate matrix entries that name a module', () => {
  it('matrixModules lists each module once; parseMatrix takes the loaded ones, spec optional for a sole spec', async () => {
    const { matrixModules, parseMatrix } = await import('../../src/cli/gate/matrix.js');
    const text = JSON.stringify({
      checks: [
        { module: './c.mjs', params: { max: [2, 3] }, expect: 'holds' },
        { module: './c.mjs', spec: 'counter', params: { bad: 'yes' }, expect: 'violates bounded', steps: 4 },
        { spec: 'naive', params: { n: 3, f: 1 }, expect: 'violates safety' },
      ],
    });
    expect(matrixModules(text)).toEqual(['./c.mjs']);
    expect(matrixModules('not json')).toEqual([]);
    const module = await loadSpecModule(write('c.mjs', COUNTER), undefined, './c.mjs');
    const { checks } = parseMatrix(text, 'm.json', specRegistry, new Map([['./c.mjs', module]]));
    expect(checks.map((c) => [c.name, c.spec, c.module?.given])).toEqual([
      ['counter max=2', 'counter', './c.mjs'],
      ['counter max=3', 'counter', './c.mjs'],
      ['counter bad=yes', 'counter', './c.mjs'],
      ['naive n=3 f=1', 'naive', undefined],
    ]);
    expect(checks[0]!.params).toEqual({ max: 2, bad: 'no' });
    const bad = (entry: Record<string, unknown>, modules = new Map([['./c.mjs', module]])) => () =>
      parseMatrix(JSON.stringify({ checks: [entry] }), 'm.json', specRegistry, modules);
    expect(bad({ module: './c.mjs', spec: 'nope', expect: 'holds' })).toThrow('bad gate matrix m.json: checks[0].spec: spec module ./c.mjs has no spec nope (it exports counter)');
    expect(bad({ module: './c.mjs', params: { max: 12 }, expect: 'holds' })).toThrow('bad gate matrix m.json: checks[0] (counter).params: bad parameter max=12: must be ≤ 9');
    expect(bad({ module: './c.mjs', expect: 'violates safety' })).toThrow('bad gate matrix m.json: checks[0] (counter).expect: unknown property safety (known: bounded)');
    expect(bad({ module: 7, expect: 'holds' })).toThrow('bad gate matrix m.json: checks[0].module: must be the path of a spec module, relative to the matrix');
    expect(bad({ module: './other.mjs', expect: 'holds' })).toThrow('bad gate matrix m.json: checks[0].module: spec module ./other.mjs is not loaded');
  });

  it('gate in-process: a module entry runs in this thread; its unknown module stops the gate with exit 9', async () => {
    const matrix = join(dir, 'gate-m.json');
    writeFileSync(matrix, JSON.stringify({ checks: [{ module: './c.mjs', params: { max: 2 }, expect: 'holds' }] }));
    const ok = await run(['gate', matrix, '--workers', '1']);
    expect(ok.code).toBe(ExitCode.ok);
    expect(ok.out).toMatch(/^PASS {2}counter max=2 +expected holds +got holds +3 states/m);
    // The gate names the module as check --json does: {path, digest}.
    const json = JSON.parse((await run(['gate', matrix, '--workers', '1', '--json'])).out) as { checks: { name: string; spec: string; module: { path: string; digest: string } }[] };
    expect(json.checks.map((c) => [c.name, c.spec, c.module.path])).toEqual([['counter max=2', 'counter', './c.mjs']]);
    expect(json.checks[0]!.module.digest).toMatch(/^[0-9a-f]{64}$/);
    writeFileSync(matrix, JSON.stringify({ checks: [{ module: './gone.mjs', expect: 'holds' }] }));
    const gone = await run(['gate', matrix, '--workers', '1']);
    expect(gone.code).toBe(ExitCode.moduleNotFound);
    expect(gone.err).toBe(`rrcheck: bad gate matrix ${matrix}: module ./gone.mjs: spec module ./gone.mjs not found (${join(dir, 'gone.mjs')})\n`);
  });
});

describe('the module record of a counterexample file', () => {
  const base = readFileSync('counterexamples/naive-safety-0c835442.itf.json', 'utf8');
  const withModule = (module: unknown) => {
    const json = JSON.parse(base) as { '#meta': { rrcheck: Record<string, unknown> } };
    json['#meta'].rrcheck['module'] = module;
    return JSON.stringify(json);
  };

  it('a file without one decodes as before; a good one decodes to {path, digest}', () => {
    const old = decodeCounterexample(base);
    expect(old.status === 'ok' && old.file.meta.module).toBeUndefined();
    const good = decodeCounterexample(withModule({ path: '../m.mjs', digest: 'a'.repeat(64) }));
    expect(good.status === 'ok' && good.file.meta.module).toEqual({ path: '../m.mjs', digest: 'a'.repeat(64) });
  });

  it('a malformed one is a malformed file (exit 4 from replay), the field named', async () => {
    expect(decodeCounterexample(withModule('m.mjs'))).toEqual({ status: 'malformed', message: 'not an rrcheck counterexample file: #meta.rrcheck.module must be an object {path, digest}' });
    expect(decodeCounterexample(withModule({ path: 'm.mjs', digest: 'XYZ' }))).toEqual({
      status: 'malformed',
      message: 'not an rrcheck counterexample file: #meta.rrcheck.module.digest must be a sha256 in hex (64 characters 0-9a-f)',
    });
    const path = write('bad-module.itf.json', withModule({ digest: 'a'.repeat(64) }));
    const r = await run(['replay', path]);
    expect(r.code).toBe(ExitCode.malformedFile);
    expect(r.err).toBe(`rrcheck: ${path}: not an rrcheck counterexample file: #meta.rrcheck.module.path is missing\n`);
  });
});
