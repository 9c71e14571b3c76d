/**
 * The built executable with its stdout read by a consumer that stops early
 * (`rrcheck check naive | head -1`): the run ends quietly with its own exit
 * code and saves its counterexample, without an unhandled EPIPE.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildExecutable, BUILD_MS, builtMain, repoRoot } from './fixtures/builtCli.js';
import { ExitCode } from '../../src/index.js';

beforeAll(buildExecutable, BUILD_MS);

/**
 * `rrcheck ARGS | head -1` through the shell (`2>&1` first with `both`), with
 * pipefail so the exit code is rrcheck's; resolves with it, what head printed
 * and what rrcheck wrote to stderr.
 */
function piped(args: readonly string[], both = false): Promise<{ code: number | null; head: string; err: string }> {
  const quoted = args.map((a) => `'${a}'`).join(' ');
  const script = `set -o pipefail; "${process.execPath}" "${builtMain}" ${quoted} ${both ? '2>&1 ' : '2>"$ERR" '}| head -1`;
  const errFile = join(mkdtempSync(join(tmpdir(), 'rrcheck-pipe-err-')), 'err');
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `${script}; code=$?; cat "$ERR" >&2 2>/dev/null; exit $code`], {
      cwd: repoRoot,
      env: { ...process.env, ERR: errFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let head = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (head += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, head, err }));
  });
}

describe('a closed stdout', () => {
  it('check naive | head -1: exit 12, the counterexample saved, no EPIPE', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rrcheck-pipe-'));
    const run = await piped(['check', 'naive', '--out', out, '--progress-interval', '0']);
    expect(run.head).toMatch(/^rrcheck check naive: workload=chain n=3 /);
    expect(run.err).not.toMatch(/EPIPE|Unhandled|^\s+at /m);
    expect(run.code).toBe(ExitCode.safetyViolation);
    expect(readdirSync(out)).toEqual([expect.stringMatching(/^naive-safety-[0-9a-f]{8}\.itf\.json$/)]);
  });

  it('list | head -1 and stderr into the same closed pipe: exit 0, nothing else', async () => {
    const run = await piped(['list'], true);
    expect(run.head).toMatch(/^nonblocking \(default\)/);
    expect(run.err).toBe('');
    expect(run.code).toBe(ExitCode.ok);
  });
});
