/**
 * Files as a user's process sees them (node dist/src/cli/main.js, in a
 * temporary working folder): a write cut short leaves no partial
 * counterexample under its final name (so the rerun writes the same name, no
 * `-2`), a `--out` under /proc is refused at once instead of spinning, and
 * the default `--out` is `rrcheck-out/`, never the corpus `counterexamples/`,
 * and two processes replacing one report (two gates sharing `--junit`) never
 * leave or show a mixture of the two.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildExecutable, BUILD_MS, builtMain, repoRoot } from './fixtures/builtCli.js';
import { ExitCode } from '../../src/index.js';

beforeAll(buildExecutable, BUILD_MS);

/** The shortest violation of naive on pingpong (7 steps, a file of about 13 kB): quick to find. */
const NAIVE = ['check', 'naive', '--workload', 'pingpong', '--progress-interval', '0'];

/** Runs rrcheck in `cwd` (through bash when `shellPrefix` sets a limit first), bounded by 20 s. */
function rrcheck(cwd: string, args: readonly string[], shellPrefix?: string) {
  const command = shellPrefix === undefined ? [builtMain, ...args] : ['-c', `${shellPrefix}; exec "$0" "$@"`, process.execPath, builtMain, ...args];
  const r = spawnSync(shellPrefix === undefined ? process.execPath : 'bash', command, { cwd, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

describe('files (subprocess)', () => {
  it('a write cut short (file size limit 4 kB) leaves no partial file under the final name; the rerun writes that name, without -2', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'rrcheck-files-'));
    // Node ignores SIGXFSZ, so the write fails with EFBIG: exit 2, one line.
    const cut = rrcheck(cwd, [...NAIVE, '--out', 'cx'], 'ulimit -f 4');
    expect(cut.code).toBe(ExitCode.usage);
    expect(cut.err.trimEnd().split('\n').at(-1)).toMatch(/^rrcheck: cannot write cx\/naive-safety-[0-9a-f]{8}\.itf\.json \(--out\): .*EFBIG/);
    expect(readdirSync(join(cwd, 'cx')).filter((n) => n.endsWith('.itf.json'))).toEqual([]);
    // The verdict, trace and statistics are printed all the same.
    expect(cut.out).toContain('Violation of safety (safety): 7 steps');
    expect(cut.out).toMatch(/^ {2}safety: found at length 7, shrunk to 7; not saved: cannot write cx\/naive-safety-[0-9a-f]{8}\.itf\.json \(--out\): .*EFBIG/m);

    const rerun = rrcheck(cwd, [...NAIVE, '--out', 'cx']);
    expect(rerun.code).toBe(ExitCode.safetyViolation);
    const saved = readdirSync(join(cwd, 'cx')).filter((n) => n.endsWith('.itf.json'));
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatch(/^naive-safety-[0-9a-f]{8}\.itf\.json$/);
    expect(rerun.out).toContain(`safety: found at length 7, shrunk to 7; saved cx/${saved[0]}\n`);
    // The file is whole: it replays to the recorded violation.
    const replay = rrcheck(cwd, ['replay', `cx/${saved[0]}`]);
    expect(replay.code).toBe(ExitCode.safetyViolation);
  });

  it('--out under /proc: exit 2 in one line within seconds (a recursive mkdir there spins at full CPU forever)', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'rrcheck-files-'));
    for (const command of [NAIVE, ['simulate', 'naive', '--seed', '1', '--progress-interval', '0']]) {
      const r = rrcheck(cwd, [...command, '--out', '/proc/self/rrcheck-out/cx']);
      expect(r.signal).toBe(null);
      expect(r.code).toBe(ExitCode.usage);
      expect(r.err).toBe('rrcheck: --out: cannot write into /proc/self/rrcheck-out/cx: ENOENT (rrcheck --help for usage)\n');
      expect(r.out).toBe('');
    }
  });

  it('the default --out is rrcheck-out/: a run from a folder with a corpus leaves the corpus alone', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'rrcheck-files-'));
    mkdirSync(join(cwd, 'counterexamples'));
    writeFileSync(join(cwd, 'counterexamples', 'README.md'), 'the corpus\n');
    const r = rrcheck(cwd, NAIVE);
    expect(r.code).toBe(ExitCode.safetyViolation);
    const saved = readdirSync(join(cwd, 'rrcheck-out'));
    expect(saved).toHaveLength(1);
    expect(r.out).toContain(`saved rrcheck-out/${saved[0]}\n`);
    expect(readdirSync(join(cwd, 'counterexamples'))).toEqual(['README.md']);
    expect(JSON.parse(readFileSync(join(cwd, 'rrcheck-out', saved[0]!), 'utf8'))['#meta'].rrcheck.spec).toBe('naive');
  });

  it('two processes replacing one report 30 times each (two gates sharing --junit): every read, and the last file, is one whole report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rrcheck-files-'));
    const report = join(dir, 'junit.xml');
    // Each writer's report is 2 MB, long enough that a write in place would be read half done.
    const writer = (name: string) =>
      `import { writeAtomically } from ${JSON.stringify(`${repoRoot}dist/src/cli/files.js`)};
       const text = '<testsuites name="${name}">' + '<testcase name="${name}"/>'.repeat(80000) + '</testsuites>\\n';
       for (let i = 0; i < 30; i++) writeAtomically(${JSON.stringify(report)}, text);`;
    const whole = new Set(['a', 'b'].map((n) => `<testsuites name="${n}">${`<testcase name="${n}"/>`.repeat(80000)}</testsuites>\n`));
    const ended = ['a', 'b'].map(
      (name) =>
        new Promise<number | null>((resolve) => spawn(process.execPath, ['--input-type=module', '-e', writer(name)], { stdio: 'ignore' }).on('close', resolve)),
    );
    let running = true;
    void Promise.all(ended).then(() => (running = false));
    let reads = 0;
    while (running) {
      if (existsSync(report)) {
        expect(whole.has(readFileSync(report, 'utf8'))).toBe(true);
        reads++;
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(await Promise.all(ended)).toEqual([0, 0]);
    expect(whole.has(readFileSync(report, 'utf8'))).toBe(true);
    expect(reads).toBeGreaterThan(0);
    expect(readdirSync(dir)).toEqual(['junit.xml']);
  }, 60_000);
});
