/**
 * Command lines and input files that once ended in exit 255, a silent
 * misreading, a hang or a message megabytes long (issue 11), run in-process:
 * each ends in its documented exit code with one short line on stderr, or
 * runs as it should.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkedFlags } from '../../src/cli/cli.js';
import { MAX_INPUT_BYTES, readInputText } from '../../src/cli/inputFiles.js';
import { cutText, echo, safeLine } from '../../src/core/echo.js';
import { ExitCode } from '../../src/index.js';
import { type CliRun, runRrcheck, runRrcheckAsync } from './fixtures/runRrcheck.js';

const scratch = mkdtempSync(join(tmpdir(), 'rrcheck-hardening-'));
const out = join(scratch, 'out');
/** naive on pingpong: 40 states to its first violation, 71 in all. */
const tiny = ['naive', '--workload', 'pingpong', '--progress-interval', '0', '--out', out];
const corpusFile = new URL('../../counterexamples/naive-safety-0c835442.itf.json', import.meta.url);

/** The one line a refused input leaves on stderr, checked to be one line. */
function oneLine(run: CliRun): string {
  expect(run.err.endsWith('\n')).toBe(true);
  expect(run.err.split('\n')).toHaveLength(2);
  return run.err.trimEnd();
}

describe('flags yargs would misread', () => {
  it.each(['n', 'f', 'crashes', 'out', 'max-states', 'json'])('--no-%s is a usage error, not exit 255', (flag) => {
    const run = runRrcheck(['check', ...tiny, `--no-${flag}`]);
    expect(run.code).toBe(ExitCode.usage);
    expect(oneLine(run)).toBe(`rrcheck: --no-${flag}: rrcheck has no --no- flags (a boolean flag is off when left out; a value flag needs a value) (rrcheck --help for usage)`);
  });

  it.each([
    [['--strategy', 'dfs', '--strategy', 'dfs'], 'strategy'],
    [['--strategy=dfs', '--strategy', 'bfs'], 'strategy'],
    [['--json', '--json'], 'json'],
    [['--maxStates', '5', '--max-states', '5'], 'max-states'],
    [['-h', '--help'], 'help'],
  ])('a flag given twice (%j) is a usage error', (flags, name) => {
    const run = runRrcheck(['check', ...tiny, ...flags]);
    expect(run.code).toBe(ExitCode.usage);
    expect(oneLine(run)).toBe(`rrcheck: --${name} given 2 times (rrcheck --help for usage)`);
  });

  it('--strategy dfs once searches depth-first and saves its counterexample', () => {
    const run = runRrcheck(['check', ...tiny, '--strategy', 'dfs', '--json']);
    expect(run.code).toBe(ExitCode.safetyViolation);
    const json = JSON.parse(run.out) as { strategy: string; counterexamples: { saved: string }[] };
    expect(json.strategy).toBe('dfs');
    expect(json.counterexamples.map((c) => c.saved)).toEqual([expect.stringMatching(/^(written|kept)$/)]);
  });

  it.each(['yes', 'true', 'YES'])('--continue=%s keeps searching after the violation (71 states, complete)', (word) => {
    const run = runRrcheck(['check', ...tiny, `--continue=${word}`, '--json']);
    expect(run.code).toBe(ExitCode.safetyViolation);
    const json = JSON.parse(run.out) as { complete: boolean; stats: { distinct: number } };
    expect(json).toMatchObject({ complete: true, stats: { distinct: 71 } });
  });

  it.each(['no', 'false'])('--continue=%s stops at the first violation', (word) => {
    const run = runRrcheck(['check', ...tiny, `--continue=${word}`, '--json']);
    expect(run.code).toBe(ExitCode.safetyViolation);
    expect(JSON.parse(run.out)).toMatchObject({ complete: false });
  });

  it('a boolean flag with another word is a usage error', () => {
    const run = runRrcheck(['check', ...tiny, '--continue=maybe']);
    expect(run.code).toBe(ExitCode.usage);
    expect(oneLine(run)).toBe('rrcheck: --continue takes no value, or one of true, yes, false, no; not "maybe" (rrcheck --help for usage)');
  });

  it('"--" is refused instead of dropping the flags after it', () => {
    const run = runRrcheck(['check', '--', '--n', '4', '--max-states', '5', '--json']);
    expect(run.code).toBe(ExitCode.usage);
    expect(run.out).toBe('');
    expect(oneLine(run)).toBe('rrcheck: "--" is not accepted: rrcheck reads no arguments after it; give every flag before it, or none (rrcheck --help for usage)');
  });

  it('--n.x is an unknown flag, not an object handed to the spec', () => {
    const run = runRrcheck(['check', ...tiny, '--n.x', '3']);
    expect(run.code).toBe(ExitCode.usage);
    expect(oneLine(run)).toBe('rrcheck: Unknown argument: n.x (rrcheck --help for usage)');
  });

  it('checkedFlags passes ordinary command lines through unchanged', () => {
    const args = ['check', 'naive', '--n', '3', '--max-depth', '-1', '--json', '--out=x', '-'];
    expect(checkedFlags(args)).toEqual(args);
    expect(checkedFlags(['list', '--json=yes'])).toEqual(['list', '--json=true']);
  });
});

describe('echoed values', () => {
  const huge = 'x'.repeat(5 * 2 ** 20);

  it.each([
    ['a spec parameter', ['check', 'naive', '--n', huge]],
    ['an unknown command', [huge]],
    ['an unknown spec', ['check', huge]],
    ['a choice', ['check', 'naive', '--strategy', huge]],
    ['an unknown flag', ['check', `--${huge}`]],
    ['a counterexample path', ['replay', huge]],
  ])('a 5 MB value as %s is cut: the message stays one line under 1,000 characters', (_what, args) => {
    const run = runRrcheck(args);
    expect([ExitCode.usage, ExitCode.badSpec, ExitCode.malformedFile]).toContain(run.code);
    const line = oneLine(run);
    expect(line.length).toBeLessThan(1000);
    // Cut where it is echoed (a parameter keeps 40 characters) or, at the latest, by the one-line writer (200).
    expect(line).toMatch(/x{40,200}…/);
    expect(line).not.toMatch(/x{201}/);
  });

  it('an ESC byte or a newline in a value never reaches stderr as it is', () => {
    const run = runRrcheck(['check', 'naive', '--workload', '\u001b[2J\nchain']);
    expect(run.code).toBe(ExitCode.badSpec);
    expect(oneLine(run)).toContain('\\u001b[2J');
    expect(run.err).not.toContain('\u001b');
  });

  it('cutText, echo and safeLine', () => {
    expect(cutText('abcdef', 4)).toBe('abcd… (2 more characters)');
    expect(cutText('ab😀cd', 3)).toBe('ab… (4 more characters)');
    expect(echo('a\u001bb\n')).toBe('a\\u001bb\\u000a');
    expect(safeLine('one\ntwo\t three\u0007')).toBe('one two three\\u0007');
  });
});

describe('input files', () => {
  const bytes = readFileSync(corpusFile);

  it('a FIFO is refused at once, not read forever', () => {
    const fifo = join(scratch, 'fifo.itf.json');
    execFileSync('mkfifo', [fifo]);
    for (const command of ['replay', 'render']) {
      const run = runRrcheck([command, fifo]);
      expect(run.code).toBe(ExitCode.malformedFile);
      expect(oneLine(run)).toBe(`rrcheck: cannot read ${fifo}: not a regular file (a FIFO)`);
    }
  });

  it.each([
    ['/dev/zero', 'a character device'],
    [tmpdir(), 'a folder'],
  ])('%s is refused before a byte is read', (path, kind) => {
    const run = runRrcheck(['render', path]);
    expect(run.code).toBe(ExitCode.malformedFile);
    expect(oneLine(run)).toBe(`rrcheck: cannot read ${path}: not a regular file (${kind})`);
  });

  it('a file above the size cap is refused by its size (a sparse file: no disk used)', () => {
    const big = join(scratch, 'big.itf.json');
    writeFileSync(big, '');
    truncateSync(big, MAX_INPUT_BYTES + 1);
    const run = runRrcheck(['replay', big]);
    expect(run.code).toBe(ExitCode.malformedFile);
    expect(oneLine(run)).toBe(`rrcheck: cannot read ${big}: 67,108,865 bytes, above the 67,108,864-byte limit of an input file`);
  });

  it('readInputText reads a regular file under its cap and refuses one above it', () => {
    const small = join(scratch, 'small.txt');
    writeFileSync(small, 'abcd');
    expect(readInputText(small, 4)).toBe('abcd');
    expect(() => readInputText(small, 3)).toThrow('4 bytes, above the 3-byte limit of an input file');
  });

  it('a file starting with a UTF-8 byte-order mark replays like the file without it', () => {
    const withBom = join(scratch, 'bom.itf.json');
    writeFileSync(withBom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]));
    const plain = runRrcheck(['replay', corpusFile.pathname, '--json']);
    const run = runRrcheck(['replay', withBom, '--json']);
    expect(run.code).toBe(ExitCode.safetyViolation);
    expect(JSON.parse(run.out)).toEqual({ ...JSON.parse(plain.out), file: withBom });
    expect(runRrcheck(['render', withBom, '--format', 'mermaid']).code).toBe(ExitCode.ok);
  });

  it('a spec module that is a device or a FIFO is refused, not hashed forever (a spec argument, a file\'s recorded module)', async () => {
    const fifo = join(scratch, 'module-fifo.mjs');
    execFileSync('mkfifo', [fifo]);
    const device = await runRrcheckAsync(['check', '/dev/zero']);
    expect(device.code).toBe(ExitCode.moduleNotFound);
    expect(oneLine(device)).toBe('rrcheck: spec module /dev/zero cannot be read: not a regular file (a character device)');
    const pipe = await runRrcheckAsync(['list', fifo]);
    expect(pipe.code).toBe(ExitCode.moduleNotFound);
    expect(oneLine(pipe)).toBe(`rrcheck: spec module ${fifo} cannot be read: not a regular file (a FIFO)`);
    const recording = join(scratch, 'records-a-device.itf.json');
    writeFileSync(recording, bytes.toString('utf8').replace('"rrcheck": {', `"rrcheck": {"module": {"path": "/dev/zero", "digest": "${'a'.repeat(64)}"},`));
    const replay = await runRrcheckAsync(['replay', recording]);
    expect(replay.code).toBe(ExitCode.moduleNotFound);
    expect(oneLine(replay)).toBe(`rrcheck: spec module /dev/zero, recorded in ${recording}, cannot be read: not a regular file (a character device) (looked for /dev/zero)`);
  });

  it('bytes that are not UTF-8 are refused in one line', () => {
    const latin1 = join(scratch, 'latin1.itf.json');
    writeFileSync(latin1, Buffer.concat([bytes.subarray(0, 40), Buffer.from([0xe9, 0xff]), bytes.subarray(40)]));
    const run = runRrcheck(['replay', latin1]);
    expect(run.code).toBe(ExitCode.malformedFile);
    expect(oneLine(run)).toBe(`rrcheck: cannot read ${latin1}: not UTF-8 text`);
  });
});
