/**
 * The gate's files, in-process on the ping spec in a temporary folder: an
 * unwritable `--junit` or `--out` stops the gate before any check runs, in one
 * line with exit 2; the JUnit report replaces the old one as a whole file
 * (a temporary name renamed), never in place.
 */
import { linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { ExitCode, explore } from '../../src/index.js';
import { coveredPing } from './fixtures/coveredPing.js';

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'rrcheck-gate-files-'));
}

/** A matrix of two quick checks, one of which violates as expected. */
function matrix(dir: string): string {
  const path = join(dir, 'gate.json');
  writeFileSync(
    path,
    JSON.stringify({
      checks: [
        { spec: 'ping', params: { rounds: 2 }, expect: 'holds' },
        { spec: 'ping', params: { rounds: 5, limit: 2 }, expect: 'violates bounded', steps: 3 },
      ],
    }),
  );
  return path;
}

async function gate(args: string[]) {
  let out = '';
  let err = '';
  let searches = 0;
  const code = await runCli(['gate', ...args], {
    registry: [coveredPing],
    defaultSpec: 'ping',
    explore: (target, options) => {
      searches++;
      return explore(target, options);
    },
    io: { out: (t) => void (out += t), err: (t) => void (err += t) },
    version: '9.9.9',
  });
  return { code, out, err, searches };
}

describe('gate: report and output folders are checked before the checks run', () => {
  it('--junit under a file: exit 2, one line, no check run', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'a-file'), 'x');
    const junit = join(dir, 'a-file', 'junit.xml');
    const r = await gate([matrix(dir), '--junit', junit]);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err).toBe(`rrcheck: --junit: cannot write into ${join(dir, 'a-file')}: ENOTDIR (rrcheck --help for usage)\n`);
    expect(r.out).toBe('');
    expect(r.searches).toBe(0);
  });

  it('--junit naming a folder: exit 2, one line, no check run', async () => {
    const dir = folder();
    mkdirSync(join(dir, 'reports'));
    const r = await gate([matrix(dir), '--junit', join(dir, 'reports'), '--json']);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err).toBe(`rrcheck: --junit: cannot write ${join(dir, 'reports')}: it is a folder (rrcheck --help for usage)\n`);
    expect(r.out).toBe('');
    expect(r.searches).toBe(0);
  });

  it('--out under a file: exit 2, one line, no check run', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'a-file'), 'x');
    const r = await gate([matrix(dir), '--out', join(dir, 'a-file', 'cx')]);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err).toBe(`rrcheck: --out: cannot write into ${join(dir, 'a-file', 'cx')}: ENOTDIR (rrcheck --help for usage)\n`);
    expect(r.searches).toBe(0);
  });

  it('a writable --junit in a folder that does not exist yet: created, the report written whole, nothing else left there', async () => {
    const dir = folder();
    const junit = join(dir, 'reports', 'junit.xml');
    const r = await gate([matrix(dir), '--junit', junit]);
    expect(r.code).toBe(ExitCode.ok);
    expect(r.searches).toBe(2);
    expect(readdirSync(join(dir, 'reports'))).toEqual(['junit.xml']);
    expect(readFileSync(junit, 'utf8')).toMatch(/^<\?xml [^\n]*\n<testsuites [^>]*tests="2" failures="0" errors="0"[\s\S]*<\/testsuites>\n$/);
  });
});

describe('gate: the JUnit report replaces the old one as a whole file', () => {
  it('a reader holding the old report (a hard link) still reads the old one, whole', async () => {
    const dir = folder();
    const junit = join(dir, 'junit.xml');
    writeFileSync(junit, '<old/>\n');
    linkSync(junit, join(dir, 'held-by-a-reader.xml'));
    const r = await gate([matrix(dir), '--junit', junit]);
    expect(r.code).toBe(ExitCode.ok);
    expect(readFileSync(join(dir, 'held-by-a-reader.xml'), 'utf8')).toBe('<old/>\n');
    expect(readFileSync(junit, 'utf8')).toContain('<testsuites ');
  });
});

describe('gate: what it saves (README, "Adding rrcheck as a gate", step 3)', () => {
  it('a violation the matrix expects is never saved; one nobody expected is saved into the corpus by default', async () => {
    const dir = folder();
    const path = join(dir, 'gate.json');
    const expected = { spec: 'ping', params: { rounds: 5, limit: 2 }, expect: 'violates bounded', steps: 3 };
    writeFileSync(path, JSON.stringify({ corpus: 'cx', checks: [expected] }));
    const quiet = await gate([path]);
    expect(quiet.code).toBe(ExitCode.ok);
    expect(readdirSync(dir)).toEqual(['gate.json']);

    writeFileSync(path, JSON.stringify({ corpus: 'cx', checks: [expected, { spec: 'ping', params: { rounds: 3, limit: 2 }, expect: 'holds' }] }));
    const failing = await gate([path]);
    expect(failing.code).toBe(ExitCode.gateMismatch);
    const saved = readdirSync(join(dir, 'cx'));
    expect(saved).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(dir, 'cx', saved[0]!), 'utf8'))['#meta'].rrcheck.params).toEqual({ rounds: 3, limit: 2, loss: 'no' });
  });
});
