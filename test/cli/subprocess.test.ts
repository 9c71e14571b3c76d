/**
 * The built executable as a user runs it (node dist/src/cli/main.js), on the
 * real spec registry: exit codes, one-line errors without stack traces,
 * stdout/stderr separation, list and --json.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildExecutable, BUILD_MS, repoRoot, runBuilt, type ProcessRun } from './fixtures/builtCli.js';
import { ExitCode } from '../../src/index.js';

/** Runs the executable; resolves with its exit code and everything it wrote to stdout and stderr. */
function rrcheck(...args: string[]): Promise<ProcessRun> {
  return runBuilt(args);
}

beforeAll(buildExecutable, BUILD_MS);

const noStack = (text: string) => !/^\s+at /m.test(text);

/** Counterexample files of these runs go to a scratch folder, not the committed corpus. */
const out = mkdtempSync(join(tmpdir(), 'rrcheck-subprocess-'));

describe.concurrent('rrcheck (subprocess)', () => {
  it('check on the default spec: exit 0, six named verdicts, an exhaustive coverage sentence that names the reductions', async () => {
    const r = await rrcheck('check', '--progress-interval', '0');
    expect(r.code).toBe(ExitCode.ok);
    for (const name of ['safety', 'liveness', 'restartBound', 'nonBlocking', 'alwaysNoOrphans', 'recoverability']) {
      expect(r.out).toMatch(new RegExp(`^ {2}${name} +holds `, 'm'));
    }
    expect(r.out).toContain(
      'exhaustive: every interleaving of 3 processes (chain, f = 1), up to 1 crash, unordered network, stable-host=on reading=brief, reductions: eager-drop.',
    );
    expect(r.err).toContain('checking nonblocking');
  });

  it('--json: exactly one JSON object on stdout, nothing else', async () => {
    const r = await rrcheck('check', 'nonblocking', '--json');
    expect(r.code).toBe(ExitCode.ok);
    const json = JSON.parse(r.out) as Record<string, unknown>;
    expect(json).toMatchObject({
      status: 'ok',
      complete: true,
      spec: 'nonblocking',
      params: { n: 3, f: 1, crashes: 1, workload: 'chain', network: 'unordered', reduce: 'eager-drop', reading: 'brief', 'stable-host': 'on' },
      reductions: ['eager-drop'],
    });
    const stats = json['stats'] as Record<string, number>;
    for (const key of ['distinct', 'transitions', 'maxDepth', 'elapsedMs']) expect(typeof stats[key]).toBe('number');
    expect(stats['distinct']).toBeGreaterThan(stats['maxDepth']!);
    expect((json['properties'] as { name: string; status: string }[]).map((p) => `${p.name}:${p.status}`)).toEqual([
      'safety:holds',
      'liveness:holds',
      'restartBound:holds',
      'nonBlocking:holds',
      'alwaysNoOrphans:holds',
      'recoverability:holds',
    ]);
  });

  it('--reduce none: the literal rules, named in the sentence and in JSON', async () => {
    const r = await rrcheck('check', 'nonblocking', '--workload', 'fig1', '--f', '2', '--reduce', 'none', '--json');
    expect(r.code).toBe(ExitCode.ok);
    const json = JSON.parse(r.out) as { reductions: string[]; coverage: string; stats: { distinct: number } };
    expect(json.reductions).toEqual([]);
    expect(json.stats.distinct).toBe(87_004);
    expect(json.coverage).toMatch(/no reduction \(every rule literal\)\.$/);
    const walk = await rrcheck('simulate', '--reduce', 'none', '--runs', '1', '--seed', '1', '--json');
    expect((JSON.parse(walk.out) as { reductions: string[] }).reductions).toEqual([]);
    const bad = await rrcheck('check', '--reduce', 'eager-drop,por');
    expect(bad.code).toBe(ExitCode.badSpec);
    expect(bad.err).toBe('rrcheck: bad parameter reduce=eager-drop,por: must be none or a comma-separated list of eager-drop, symmetry, partial-order\n');
  });

  it('a safety violation: exit 12, numbered steps with their changes, the explanation', async () => {
    const r = await rrcheck('check', 'naive', '--workload', 'pingpong', '--out', out);
    expect(r.code).toBe(ExitCode.safetyViolation);
    expect(r.out).toMatch(/Violation of safety \(safety\): \d+ steps/);
    expect(r.out).toMatch(/^ +1\. deliver p\d→p\d #\d+ \(inc \d+\)\n +\S.*: /m);
    expect(r.out).toMatch(/^ +\d+\. crash p\d$/m);
    expect(r.out).toMatch(/Why: .*orphan/);
    expect(r.out).toMatch(/^ {2}safety +VIOLATED/m);
    const json = JSON.parse((await rrcheck('check', 'naive', '--workload', 'pingpong', '--json', '--out', out)).out) as {
      status: string;
      trace: { property: string; labels: string[]; explanation: string };
    };
    expect(json.status).toBe('violation');
    expect(json.trace.property).toBe('safety');
    expect(json.trace.labels.length).toBeGreaterThan(0);
    expect(json.trace.explanation).toMatch(/orphan/);
  });

  it('a state budget that cuts the search: exit 14 and the bound named in the coverage sentence', async () => {
    const r = await rrcheck('check', '--max-states', '50');
    expect(r.code).toBe(ExitCode.incomplete);
    expect(r.out).toMatch(/^incomplete: stopped by --max-states 50 at depth \d+; /m);
    expect(r.out).toMatch(/^ {2}safety +unknown/m);
  });

  it.each([
    [['check', '--max-states', 'abc'], ExitCode.usage],
    [['check', '--no-such-flag'], ExitCode.usage],
    [['check', '--strategy', 'random'], ExitCode.usage],
    [['explode'], ExitCode.usage],
    [['check', '--n', '1'], ExitCode.badSpec],
    [['check', '--f', '5'], ExitCode.badSpec],
    [['check', '--workload', 'nosuch'], ExitCode.badSpec],
    [['check', 'nosuch'], ExitCode.badSpec],
  ])('%j: exit %i with one line on stderr and no stack trace', async (args, code) => {
    const r = await rrcheck(...args);
    expect(r.code).toBe(code);
    expect(r.out).toBe('');
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^rrcheck: /);
    expect(noStack(r.err)).toBe(true);
  });

  it('replay: a committed file reproduces; corrupted copies get one line, their own exit code, no stack trace', async () => {
    const good = `${repoRoot}counterexamples/naive-safety-ecfe62b7.itf.json`;
    const ok = await rrcheck('replay', good);
    expect(ok.code).toBe(ExitCode.safetyViolation);
    expect(ok.out.trimEnd().split('\n').at(-1)).toBe('reproduced: safety is violated after step 9, as recorded.');
    const text = readFileSync(good, 'utf8');
    const json = () => JSON.parse(text) as { '#meta': { rrcheck: { labels: string[]; formatVersion: number } } };
    const unknownLabel = json();
    unknownLabel['#meta'].rrcheck.labels[3] = 'begin-round p7';
    const otherVersion = json();
    otherVersion['#meta'].rrcheck.formatVersion = 2;
    const cases: [string, string, number, RegExp][] = [
      ['truncated', text.slice(0, text.length / 2), ExitCode.malformedFile, /: not JSON: /],
      ['label', JSON.stringify(unknownLabel), ExitCode.replayDrift, /: step 4, "begin-round p7", is not enabled; enabled: "deliver p0→p1 #1 \(inc 0\)", "begin-round p0"$/],
      ['version', JSON.stringify(otherVersion), ExitCode.unsupportedVersion, /: format version 2 is not supported \(this rrcheck reads version 1\)$/],
    ];
    for (const [name, content, code, message] of cases) {
      const file = join(out, `corrupt-${name}.itf.json`);
      writeFileSync(file, content);
      const r = await rrcheck('replay', file);
      expect(r.code, name).toBe(code);
      expect(r.err.trimEnd().split('\n'), name).toHaveLength(1);
      expect(r.err.trimEnd(), name).toMatch(message);
      expect(noStack(r.err), name).toBe(true);
    }
    const missing = await rrcheck('replay', join(out, 'missing.itf.json'));
    expect(missing.code).toBe(ExitCode.malformedFile);
    expect(missing.err).toMatch(/^rrcheck: cannot read .*missing\.itf\.json: ENOENT/);
  });

  it('list: every spec with title, summary and parameters with defaults and limits', async () => {
    const r = await rrcheck('list');
    expect(r.code).toBe(ExitCode.ok);
    for (const id of ['nonblocking (default)', 'blocking', 'naive']) expect(r.out).toMatch(new RegExp(`^${id.replace(/[()]/g, '\\$&')} — `, 'm'));
    expect(r.out).toMatch(/--n +integer 2…\d+, default 3/);
    expect(r.out).toMatch(/--f +integer ≥ 1, default 1/);
    expect(r.out).toMatch(/--crashes +integer ≥ 0, default 1 \(computed\)/);
    expect(r.out).toMatch(/--workload +chain \| ring \| sender-chain \| pingpong \| order2 \| fig1 \| fig1s \| w4 \| w5 \| all-to-all \| all-to-all-forward \| random \| star \| FILE\.json, default chain/);
    expect(r.out).toMatch(/^naive — .*\n(.*\n)*? +switches: as nonblocking, except incarnation-filter=off\n/m);
    expect(r.out).toMatch(/--network +unordered \| fifo, default unordered/);
    expect(r.out).toMatch(/--reduce +none or a comma-separated list of eager-drop, symmetry, partial-order, default eager-drop/);
    expect(r.out).toMatch(/--reading +brief \| reference, default brief/);
    expect(r.out).toMatch(/^crash-beyond-f — .*\n(.*\n)*? +--crashes +integer ≥ 0, default 2 \(computed\)/m);
  });
});
