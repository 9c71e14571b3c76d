/**
 * Files written whole and folders checked first (src/cli/files.ts and its
 * users), in-process on the real file system in a temporary folder: an
 * atomic create that never replaces a file, an atomic replace that swaps the
 * directory entry (a hard link to the old file keeps the old text), and an
 * unwritable `--out` noticed before the search, not after it.
 */
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { DEFAULT_OUT, nodeFiles } from '../../src/cli/counterexamples.js';
import { createAtomically, ensureWritableFile, ensureWritableFolder, writeAtomically } from '../../src/cli/files.js';
import { ExitCode, explore, type ExploreOptions } from '../../src/index.js';
import { pingSpec } from './fixtures/pingSpec.js';
import { runRrcheck } from './fixtures/runRrcheck.js';

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'rrcheck-files-'));
}

/** A path whose parent is a regular file: no folder can be made there, whoever runs the test (root included). */
function underAFile(dir: string): string {
  writeFileSync(join(dir, 'a-file'), 'x');
  return join(dir, 'a-file', 'out');
}

/** runCli on the ping spec with the real files; counts the searches it starts. */
function cli(...args: string[]) {
  let out = '';
  let err = '';
  let searches = 0;
  const code = runCli(args, {
    registry: [pingSpec],
    defaultSpec: 'ping',
    explore: (target, options: ExploreOptions) => {
      searches++;
      return explore(target, options);
    },
    io: { out: (t) => void (out += t), err: (t) => void (err += t) },
    version: '9.9.9',
  });
  if (typeof code !== 'number') throw new Error('expected a command that completes at once');
  return { code, out, err, searches };
}

describe('createAtomically', () => {
  it('creates a file whole, leaves no temporary file, and never replaces an existing one', () => {
    const dir = folder();
    const path = join(dir, 'x.itf.json');
    expect(createAtomically(path, 'first')).toBe(true);
    expect(createAtomically(path, 'second')).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('first');
    expect(readdirSync(dir)).toEqual(['x.itf.json']);
  });

  it('nodeFiles.createText creates the missing folders one by one and keeps an existing file', () => {
    const dir = folder();
    const path = join(dir, 'a', 'b', 'c.txt');
    expect(nodeFiles.createText(path, 'one')).toBe(true);
    expect(nodeFiles.createText(path, 'two')).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('one');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['c.txt']);
  });
});

describe('writeAtomically', () => {
  it('replaces the directory entry, never the old file in place: a hard link to the old file keeps its text', () => {
    const dir = folder();
    const path = join(dir, 'report.xml');
    writeFileSync(path, 'old');
    linkSync(path, join(dir, 'reader-copy'));
    writeAtomically(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readFileSync(join(dir, 'reader-copy'), 'utf8')).toBe('old');
    expect(readdirSync(dir).sort()).toEqual(['reader-copy', 'report.xml']);
  });

  it('a failure is one line naming the file, and leaves no temporary file', () => {
    const dir = folder();
    mkdirSync(join(dir, 'taken'));
    expect(() => writeAtomically(join(dir, 'taken'), 'x')).toThrow(`cannot write ${join(dir, 'taken')}: EISDIR`);
    expect(readdirSync(dir)).toEqual(['taken']);
  });
});

describe('ensureWritableFolder, ensureWritableFile', () => {
  it('creates the folder and leaves nothing in it', () => {
    const dir = join(folder(), 'new', 'deeper');
    ensureWritableFolder(dir, '--out');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a folder under a file, and a report path that is a folder, in one line naming the flag', () => {
    const dir = folder();
    expect(() => ensureWritableFolder(underAFile(dir), '--out')).toThrow(`--out: cannot write into ${join(dir, 'a-file', 'out')}: ENOTDIR`);
    expect(() => ensureWritableFile(dir, '--junit')).toThrow(`--junit: cannot write ${dir}: it is a folder`);
  });
});

describe('check and simulate check --out before the search', () => {
  it('check: an unwritable --out is exit 2 in one line, and nothing is explored', () => {
    const out = underAFile(folder());
    const r = cli('check', '--rounds', '5', '--limit', '2', '--out', out);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err).toBe(`rrcheck: --out: cannot write into ${out}: ENOTDIR (rrcheck --help for usage)\n`);
    expect(r.out).toBe('');
    expect(r.searches).toBe(0);
  });

  it('check: also when the spec holds (then nothing would be saved, but the folder is named on purpose)', () => {
    const out = underAFile(folder());
    const r = cli('check', '--rounds', '2', '--out', out);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.searches).toBe(0);
  });

  it('simulate: an unwritable --out is exit 2 in one line, before any walk', () => {
    const out = underAFile(folder());
    const r = cli('simulate', '--rounds', '6', '--limit', '2', '--seed', '4', '--out', out);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err).toBe(`rrcheck: --out: cannot write into ${out}: ENOTDIR (rrcheck --help for usage)\n`);
    expect(r.out).toBe('');
  });

  it('a writable --out: the counterexample is saved there, and a rerun keeps it (no -2)', () => {
    const out = join(folder(), 'cx');
    const first = cli('check', '--rounds', '5', '--limit', '2', '--out', out);
    expect(first.code).toBe(ExitCode.safetyViolation);
    const names = readdirSync(out);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^ping-bounded-[0-9a-f]{8}\.itf\.json$/);
    const again = cli('check', '--rounds', '5', '--limit', '2', '--out', out, '--strategy', 'dfs');
    expect(again.out).toContain(`already saved as ${join(out, names[0]!)}`);
    expect(readdirSync(out)).toEqual(names);
  });
});

describe('the default --out is not the regression corpus', () => {
  it('is rrcheck-out, which git ignores', () => {
    expect(DEFAULT_OUT).toBe('rrcheck-out');
    const ignored = readFileSync(new URL('../../.gitignore', import.meta.url), 'utf8').split('\n');
    expect(ignored).toContain('rrcheck-out/');
    expect(existsSync(new URL('../../counterexamples/README.md', import.meta.url))).toBe(true);
  });
});

describe('render --output and init write whole files', () => {
  it('render --output replaces the file as a whole: a reader holding the old one (a hard link) keeps it', () => {
    const dir = folder();
    const output = join(dir, 'naive.svg');
    writeFileSync(output, '<old/>');
    linkSync(output, join(dir, 'held.svg'));
    const r = runRrcheck(['render', fileURLToPath(new URL('../../docs/naive-2.2.itf.json', import.meta.url)), '--format', 'svg', '--output', output]);
    expect(r.code).toBe(ExitCode.ok);
    expect(readFileSync(join(dir, 'held.svg'), 'utf8')).toBe('<old/>');
    expect(readFileSync(output, 'utf8')).toMatch(/^<svg [\s\S]*<\/svg>\n$/);
    expect(readdirSync(dir).sort()).toEqual(['held.svg', 'naive.svg']);
  });

  it('render --output into a folder that does not exist: exit 2, one line, nothing left behind', () => {
    const dir = folder();
    const output = join(dir, 'missing', 'naive.svg');
    const r = runRrcheck(['render', fileURLToPath(new URL('../../docs/naive-2.2.itf.json', import.meta.url)), '--output', output]);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err).toBe(`rrcheck: cannot write ${output}: ENOENT (rrcheck --help for usage)\n`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('init creates its module whole, in a new folder, and leaves no temporary file', () => {
    const dir = folder();
    const file = join(dir, 'model', 'my-spec.mjs');
    const r = runRrcheck(['init', file]);
    expect(r.code).toBe(ExitCode.ok);
    expect(readdirSync(join(dir, 'model'))).toEqual(['my-spec.mjs']);
    expect(readFileSync(file, 'utf8')).toContain('export default');
  });
});
