/**
 * The README's "Writing your own spec", run as written: its example is byte
 * for byte examples/two-phase-commit.mjs, and every `$ node
 * dist/src/cli/main.js …` command of the section runs (in order, in a
 * scratch folder laid out like this repository: examples/ and rrcheck
 * importable as a package) through the built executable, printing every line
 * the README shows (a `…` line stands for lines left out), with the exit
 * codes, the 288 states, the saved file, the replay and the diagrams the
 * prose promises (the generic ones: neither module draws its own).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const main = `${root}dist/src/cli/main.js`;
const EXAMPLE = 'examples/two-phase-commit.mjs';
const SAVED = 'examples/counterexamples/two-phase-commit-TCConsistent-8b738a1b.itf.json';
const STARTER_SAVED = 'examples/counterexamples/counter-noLostUpdate-351d4e45.itf.json';

/** The README's section, from its heading to the next `## ` heading. */
function section(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Writing your own spec\n');
  expect(start).toBeGreaterThan(0);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** The fenced code blocks of a Markdown text, with their info strings. */
function blocks(markdown: string): { info: string; text: string }[] {
  const out: { info: string; text: string }[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (let m = fence.exec(markdown); m !== null; m = fence.exec(markdown)) out.push({ info: m[1]!, text: m[2]! });
  return out;
}

interface Step {
  readonly command: string;
  /** The output lines the README shows under the command. */
  readonly shown: readonly string[];
}

/** Every `$ …` command of the section's plain blocks, with the lines shown under it. */
function transcript(markdown: string): Step[] {
  const steps: { command: string; shown: string[] }[] = [];
  for (const block of blocks(markdown).filter((b) => b.info === '')) {
    // Lines before a block's first command are not a command's output (the warning, an error line).
    let current: { command: string; shown: string[] } | undefined;
    for (const line of block.text.replace(/\n$/, '').split('\n')) {
      if (line.startsWith('$ ')) steps.push((current = { command: line.slice(2), shown: [] }));
      else current?.shown.push(line);
    }
  }
  return steps;
}

/** Runs a README command (`node dist/src/cli/main.js ARGS`, arguments without quotes) in `cwd`. */
function run(command: string, cwd: string): { code: number | null; out: string; err: string } {
  const prefix = 'node dist/src/cli/main.js ';
  expect(command.startsWith(prefix), command).toBe(true);
  const r = spawnSync(process.execPath, [main, ...command.slice(prefix.length).split(' ')], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Whether `shown` (but its `…` lines) occurs in `lines` in order. */
function missingFrom(lines: readonly string[], shown: readonly string[]): string[] {
  const missing: string[] = [];
  let at = 0;
  for (const line of shown.filter((l) => l !== '…')) {
    const found = lines.indexOf(line, at);
    if (found < 0) missing.push(line);
    else at = found + 1;
  }
  return missing;
}

let dir: string;

beforeAll(() => {
  execFileSync(`${root}node_modules/.bin/tsc`, ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
  expect(existsSync(main)).toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'rrcheck-readme-'));
  mkdirSync(join(dir, 'examples'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'rrcheck'), 'dir');
  copyFileSync(join(root, EXAMPLE), join(dir, EXAMPLE));
}, 120_000);

describe('README: Writing your own spec', () => {
  const text = section();

  it('the example in the README is examples/two-phase-commit.mjs, byte for byte', () => {
    const js = blocks(text).filter((b) => b.info === 'js');
    expect(js).toHaveLength(1);
    expect(js[0]!.text).toBe(readFileSync(join(root, EXAMPLE), 'utf8'));
  });

  it('the commands run as shown: init, check, list, 288 states, the violation saved, replayed and rendered', () => {
    const steps = transcript(text);
    expect(steps.map((s) => s.command)).toEqual([
      'node dist/src/cli/main.js init my-spec.mjs',
      'node dist/src/cli/main.js check my-spec.mjs --out examples/counterexamples --progress-interval 0',
      `node dist/src/cli/main.js render ${STARTER_SAVED}`,
      `node dist/src/cli/main.js list ${EXAMPLE}`,
      `node dist/src/cli/main.js check ${EXAMPLE} --out examples/counterexamples --progress-interval 0`,
      `node dist/src/cli/main.js check ${EXAMPLE} --bug early --out examples/counterexamples --progress-interval 0`,
      `node dist/src/cli/main.js replay ${SAVED}`,
      `node dist/src/cli/main.js render ${SAVED}`,
    ]);
    const results = steps.map((step) => {
      const r = run(step.command, dir);
      expect(missingFrom(r.out.split('\n'), step.shown), step.command).toEqual([]);
      return r;
    });
    const [init, starter, starterRender, list, holds, violated, replay, render] = results;
    expect(init!.code).toBe(ExitCode.ok);
    expect(starter!.code).toBe(ExitCode.safetyViolation);
    // Neither the starter nor the example draws a diagram: render draws the generic one.
    expect(starterRender!.code).toBe(ExitCode.ok);
    expect(starterRender!.out).toContain(' step  w0  w1\n');
    expect(list!.code).toBe(ExitCode.ok);
    expect(holds!.code).toBe(ExitCode.ok);
    expect(holds!.out).toMatch(/^ {2}distinct states +288$/m);
    expect(holds!.out).toMatch(/^ {2}TCConsistent +holds /m);
    expect(violated!.code).toBe(ExitCode.safetyViolation);
    expect(violated!.out).toMatch(/^ {2}TCConsistent +VIOLATED /m);
    expect(replay!.code).toBe(ExitCode.safetyViolation);
    expect(replay!.err).toBe('');
    expect(render!.code).toBe(ExitCode.ok);
    expect(render!.out).toContain(' step  TM  r1  r2  r3\n');
    expect(render!.out).toContain('in flight at the end: Commit TM→r1 (sent at 1), Commit TM→r3 (sent at 1)\n');

    // The saved file records the module as the README shows it.
    const saved = JSON.parse(readFileSync(join(dir, SAVED), 'utf8'))['#meta'].rrcheck as { module: unknown };
    const digest = createHash('sha256').update(readFileSync(join(root, EXAMPLE))).digest('hex');
    expect(saved.module).toEqual({ path: '../two-phase-commit.mjs', digest });
    // Nothing went to the default folder.
    expect(existsSync(join(dir, 'counterexamples'))).toBe(false);
    const json = blocks(text).filter((b) => b.info === 'json');
    const record = json.find((b) => b.text.includes('"module": {'))!.text.split('\n').filter((l) => l !== '');
    expect(missingFrom(readFileSync(join(dir, SAVED), 'utf8').split('\n'), record)).toEqual([]);

    // The module changes: the warning line the README shows, and the replay's verdict.
    const warning = blocks(text).find((b) => b.text.startsWith('rrcheck: warning: '))!.text;
    appendFileSync(join(dir, EXAMPLE), '// my change\n');
    const changed = run(`node dist/src/cli/main.js replay ${SAVED}`, dir);
    expect(changed.err).toBe(warning);
    expect(changed.code).toBe(ExitCode.safetyViolation);
    copyFileSync(join(root, EXAMPLE), join(dir, EXAMPLE));

    // The gate entry the README shows, in a matrix one folder down.
    const entry = json.find((b) => b.text.includes('"module": "../examples/'))!.text;
    mkdirSync(join(dir, 'model'));
    writeFileSync(join(dir, 'model', 'gate.json'), `{ "checks": [ ${entry} ] }\n`);
    const gate = run('node dist/src/cli/main.js gate model/gate.json --workers 1', dir);
    expect(gate.code).toBe(ExitCode.ok);
    expect(gate.out).toMatch(/^PASS {2}two-phase-commit rms=3 bug=early +expected violates TCConsistent \(3 steps\) +got violates TCConsistent \(3 steps\) +49 states/m);
  });
});
