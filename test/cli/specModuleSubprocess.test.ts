/**
 * Spec modules through the built executable, in a scratch folder laid out as
 * a user's project (node_modules/rrcheck links to this repository): a
 * parallel check whose worker threads import the module, the gate with
 * module entries (on worker threads) and a corpus replay of a changed module,
 * `rrcheck init` and its starter spec, and a module that cannot import
 * rrcheck.
 */
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildExecutable, BUILD_MS, repoRoot, runBuilt, type ProcessRun } from './fixtures/builtCli.js';
import { STARTER_SPEC } from '../../src/cli/commands/init.js';
import { ExitCode } from '../../src/index.js';

/** A scratch project: its own folder, with rrcheck importable as a package. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rrcheck-module-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(repoRoot, join(dir, 'node_modules', 'rrcheck'), 'dir');
  copyFileSync(join(repoRoot, 'examples', 'two-phase-commit.mjs'), join(dir, 'tpc.mjs'));
  return dir;
}

function rrcheck(cwd: string, ...args: string[]): Promise<ProcessRun> {
  return runBuilt(args, { cwd });
}

const noStack = (text: string) => !/^\s+at /m.test(text);
const distinct = (out: string) => /distinct states +([\d,]+)/.exec(out)?.[1];

beforeAll(buildExecutable, BUILD_MS);

describe('spec modules (subprocess)', () => {
  it('--workers 2: the worker threads import the module; the same 50,816 states as one thread', async () => {
    const dir = project();
    const [one, two] = [
      await rrcheck(dir, 'check', 'tpc.mjs', '--rms', '6', '--workers', '1', '--progress-interval', '0'),
      await rrcheck(dir, 'check', 'tpc.mjs', '--rms', '6', '--workers', '2', '--progress-interval', '0'),
    ];
    expect([one.code, two.code]).toEqual([ExitCode.ok, ExitCode.ok]);
    expect([distinct(one.out), distinct(two.out)]).toEqual(['50,816', '50,816']);
    expect(two.out).toMatch(/^ {2}workers +2$/m);
    expect(two.out).toMatch(/^ {2}TCConsistent +holds /m);
  });

  it('gate: module entries on 2 workers, the unexpected violation saved with its module; a changed module warns in the corpus replay', async () => {
    const dir = project();
    writeFileSync(
      join(dir, 'gate.json'),
      JSON.stringify({
        corpus: 'cx',
        checks: [
          { module: './tpc.mjs', params: { rms: 3 }, expect: 'holds' },
          { module: './tpc.mjs', spec: 'two-phase-commit', params: { rms: 3, bug: 'early' }, expect: 'violates TCConsistent', steps: 3 },
          { name: 'early commit holds?', module: './tpc.mjs', params: { rms: 2, bug: 'early' }, expect: 'holds' },
        ],
      }),
    );
    const r = await rrcheck(dir, 'gate', 'gate.json', '--workers', '2');
    expect(r.code).toBe(ExitCode.gateMismatch);
    expect(r.out).toMatch(/^PASS {2}two-phase-commit rms=3 +expected holds +got holds +288 states/m);
    expect(r.out).toMatch(/^PASS {2}two-phase-commit rms=3 bug=early +expected violates TCConsistent \(3 steps\) +got violates TCConsistent \(3 steps\)/m);
    expect(r.out).toMatch(/^FAIL {2}early commit holds\? +expected holds +got violates TCConsistent \(3 steps\)/m);
    expect(r.out).toContain('gate: 2 passed, 1 failed\n');
    const [saved] = readdirSync(join(dir, 'cx'));
    expect(saved).toMatch(/^two-phase-commit-TCConsistent-[0-9a-f]{8}\.itf\.json$/);
    const meta = JSON.parse(readFileSync(join(dir, 'cx', saved!), 'utf8'))['#meta'].rrcheck as { module: { path: string; digest: string } };
    expect(meta.module.path).toBe('../tpc.mjs');

    appendFileSync(join(dir, 'tpc.mjs'), '// a comment changes the digest\n');
    const replay = await rrcheck(dir, 'gate', 'gate.json', '--filter', 'replay', '--workers', '1');
    expect(replay.code).toBe(ExitCode.ok);
    expect(replay.out).toMatch(/^rrcheck: warning: tpc\.mjs changed since the counterexample was saved \(sha256 [0-9a-f]{12}… then, [0-9a-f]{12}… now\)$/m);
    expect(replay.out).toMatch(/^PASS {2}replay cx\/two-phase-commit-TCConsistent-[0-9a-f]{8}\.itf\.json +expected violates TCConsistent +got violates TCConsistent \(3 steps\)/m);

    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ checks: [{ module: './nope.mjs', expect: 'holds' }] }));
    const missing = await rrcheck(dir, 'gate', 'bad.json');
    expect(missing.code).toBe(ExitCode.moduleNotFound);
    expect(missing.err).toBe(`rrcheck: bad gate matrix bad.json: module ./nope.mjs: spec module ./nope.mjs not found (${join(dir, 'nope.mjs')})\n`);
  });

  it('init: a starter spec that check runs at once (a lost update, exit 12; --atomic yes holds), never overwritten', async () => {
    const dir = project();
    const init = await rrcheck(dir, 'init');
    expect(init.code).toBe(ExitCode.ok);
    expect(init.out.split('\n')[0]).toBe('wrote my-spec.mjs: a starter spec (workers incrementing a shared counter, with a lost update on purpose)');
    expect(readFileSync(join(dir, 'my-spec.mjs'), 'utf8')).toBe(STARTER_SPEC.replaceAll('FILE', 'my-spec.mjs'));
    const check = await rrcheck(dir, 'check', 'my-spec.mjs', '--progress-interval', '0');
    expect(check.code).toBe(ExitCode.safetyViolation);
    expect(check.out).toContain('Violation of noLostUpdate (safety): 4 steps');
    expect(check.out).toContain('  Why: counter = 1 after 2 increments');
    const fixed = await rrcheck(dir, 'check', 'my-spec.mjs', '--atomic', 'yes', '--n', '3', '--progress-interval', '0');
    expect(fixed.code).toBe(ExitCode.ok);
    expect(distinct(fixed.out)).toBe('8');
    expect(fixed.out).toMatch(/^ {2}terminates +holds /m);

    writeFileSync(join(dir, 'mine.mjs'), 'keep me\n');
    const again = await rrcheck(dir, 'init', 'mine.mjs');
    expect(again.code).toBe(ExitCode.usage);
    expect(again.err).toBe('rrcheck: mine.mjs exists; rrcheck init never overwrites a file (name another: rrcheck init FILE) (rrcheck --help for usage)\n');
    expect(readFileSync(join(dir, 'mine.mjs'), 'utf8')).toBe('keep me\n');
    const wrongName = await rrcheck(dir, 'init', 'spec.ts');
    expect(wrongName.code).toBe(ExitCode.usage);
    expect(existsSync(join(dir, 'spec.ts'))).toBe(false);
  });

  it('every module error: one line, its own exit code, no stack trace', async () => {
    const dir = project();
    const bare = mkdtempSync(join(tmpdir(), 'rrcheck-bare-')); // no node_modules: 'rrcheck' cannot be imported
    copyFileSync(join(repoRoot, 'examples', 'two-phase-commit.mjs'), join(bare, 'tpc.mjs'));
    writeFileSync(join(dir, 'throws.mjs'), "import 'rrcheck';\nthrow new RangeError('no model here');\n");
    writeFileSync(join(dir, 'shape.mjs'), "export const spec = { id: 'x', title: 'x', params: {}, build() {} };\n");
    const cases: [string[], number, string][] = [
      [['check', 'missing.mjs'], ExitCode.moduleNotFound, `rrcheck: spec module missing.mjs not found (${join(dir, 'missing.mjs')})`],
      [['simulate', './throws.mjs'], ExitCode.moduleThrows, 'rrcheck: spec module ./throws.mjs throws on import: no model here'],
      [['check', 'shape.mjs'], ExitCode.badModule, 'rrcheck: spec module shape.mjs does not export a SpecDefinition: export spec.params must be an array of parameters'],
      [['list', 'tpc.mjs#nope'], ExitCode.badSpec, 'rrcheck: spec module tpc.mjs has no spec nope (it exports two-phase-commit)'],
      [['check', 'tpc.mjs', '--rms', '9'], ExitCode.badSpec, 'rrcheck: bad parameter rms=9: must be ≤ 6'],
    ];
    for (const [args, code, line] of cases) {
      const r = await rrcheck(dir, ...args, '--progress-interval', '0');
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.err.split('\n').filter((l) => !/^(checking|simulating) /.test(l)).join('\n'), args.join(' ')).toBe(`${line}\n`);
      expect(noStack(r.err)).toBe(true);
    }
    const r = await rrcheck(bare, 'check', 'tpc.mjs');
    expect(r.code).toBe(ExitCode.moduleThrows);
    expect(r.err).toMatch(/^rrcheck: spec module tpc\.mjs throws on import: Cannot find package 'rrcheck' imported from .*tpc\.mjs \(add rrcheck as a development dependency of the module's project\)\n$/);
  });
});
