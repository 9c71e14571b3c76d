/**
 * `rrcheck gate` in-process (runCli, checks in this thread) on the ping spec
 * with coverage, in a temporary folder: the lines in matrix order, the summary
 * line and the JUnit report that agree with it, exit codes 0 / 15 / 3, the
 * counterexample file of an unexpected violation (and its replay by the next
 * run), the corpus replay, --json, --filter, and a runner that finishes jobs
 * out of order.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import type { GateRunner } from '../../src/cli/gate/pool.js';
import { runJob } from '../../src/cli/gate/job.js';
import { ExitCode, explore } from '../../src/index.js';
import { coveredPing } from './fixtures/coveredPing.js';

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'rrcheck-gate-'));
}

function writeMatrix(dir: string, matrix: unknown): string {
  const path = join(dir, 'gate.json');
  writeFileSync(path, JSON.stringify(matrix));
  return path;
}

async function gate(args: string[], runner?: (workers: number) => GateRunner) {
  let out = '';
  let err = '';
  const code = await runCli(['gate', ...args], {
    registry: [coveredPing],
    defaultSpec: 'ping',
    explore: (target, options) => explore(target, options),
    io: { out: (t) => void (out += t), err: (t) => void (err += t) },
    version: '9.9.9',
    ...(runner === undefined ? {} : { gateRunner: runner }),
  });
  return { code, out, err, lines: out.split('\n') };
}

/** `<testsuites … tests="N" failures="F" errors="E" …>` → numbers. */
function junitCounts(xml: string) {
  const m = /<testsuites [^>]*tests="(\d+)" failures="(\d+)" errors="(\d+)"/.exec(xml)!;
  return { tests: Number(m[1]), failures: Number(m[2]), errors: Number(m[3]), cases: xml.match(/<testcase /g)?.length ?? 0 };
}

/** `gate: N passed, N failed` → numbers. */
function summary(out: string) {
  const m = /^gate: (\d+) passed, (\d+) failed$/m.exec(out)!;
  return { passed: Number(m[1]), failed: Number(m[2]) };
}

const passing = [
  { spec: 'ping', params: { rounds: [2, 4] }, expect: 'holds', require: { deliver: '>= 2' } },
  { name: 'ball lost', spec: 'ping', params: { rounds: 2, loss: 'yes' }, expect: { done: 'violated' }, require: { lose: '>= 1' } },
  { spec: 'ping', params: { rounds: 5, limit: 2 }, expect: 'violates bounded', steps: 3 },
];

describe('rrcheck gate (in-process)', () => {
  it('every check as expected: one PASS line per check in matrix order, summary and JUnit report agree, exit 0', async () => {
    const dir = folder();
    const junit = join(dir, 'reports', 'junit.xml');
    const r = await gate([writeMatrix(dir, { checks: passing }), '--junit', junit]);
    expect(r.code).toBe(ExitCode.ok);
    const rows = r.lines.filter((l) => /^(PASS|FAIL) /.test(l));
    expect(rows.map((l) => l.slice(6).replace(/\s{2,}.*/, ''))).toEqual(['ping rounds=2', 'ping rounds=4', 'ball lost', 'ping rounds=5 limit=2']);
    expect(rows[1]).toMatch(/^PASS {2}ping rounds=4 +expected holds +got holds +5 states +\d+ ms {2}coverage 1\/1$/);
    expect(rows[3]).toMatch(/expected violates bounded \(3 steps\) +got violates bounded \(3 steps\) +\d+ states/);
    expect(summary(r.out)).toEqual({ passed: 4, failed: 0 });
    expect(r.out).toMatch(/^wall time .* on 1 worker; the checks' own times add up to .*$/m);
    const counts = junitCounts(readFileSync(junit, 'utf8'));
    expect(counts).toEqual({ tests: 4, failures: 0, errors: 0, cases: 4 });
    // The summary line is the last line.
    expect(r.out.trimEnd().split('\n').at(-1)).toBe('gate: 4 passed, 0 failed');
  });

  it('an unexpected violation: FAIL with the check name, the property and the new counterexample file; exit 15; the next run replays that file', async () => {
    const dir = folder();
    const matrix = writeMatrix(dir, { corpus: 'cx', checks: [...passing, { name: 'regression', spec: 'ping', params: { rounds: 3, limit: 2 }, expect: 'holds' }] });
    const junit = join(dir, 'junit.xml');
    const r = await gate([matrix, '--junit', junit]);
    expect(r.code).toBe(ExitCode.gateMismatch);
    const at = r.lines.findIndex((l) => l.startsWith('FAIL  regression'));
    expect(r.lines[at]).toMatch(/^FAIL {2}regression +expected holds +got violates bounded \(3 steps\) +\d+ states/);
    expect(r.lines[at + 1]).toBe('      - violates bounded (3 steps): 3 hits exceed the limit 2');
    const saved = /^ {6}- counterexample: saved (.*)$/.exec(r.lines[at + 2]!)![1]!;
    expect(saved).toBe(join(dir, 'cx', readdirSync(join(dir, 'cx'))[0]!));
    expect(saved).toMatch(/ping-bounded-[0-9a-f]+\.itf\.json$/);
    expect(JSON.parse(readFileSync(saved, 'utf8'))['#meta'].rrcheck).toMatchObject({ spec: 'ping', property: 'bounded', expected: 'violates' });
    expect(summary(r.out)).toEqual({ passed: 4, failed: 1 });
    expect(junitCounts(readFileSync(junit, 'utf8'))).toEqual({ tests: 5, failures: 1, errors: 0, cases: 5 });
    expect(readFileSync(junit, 'utf8')).toContain('<failure message="expected holds, got violates bounded (3 steps)" type="mismatch">');

    // The counterexample is now part of the corpus: the next run replays it (and it still reproduces).
    const again = await gate([matrix]);
    expect(again.out).toMatch(new RegExp(`^PASS {2}replay ${saved.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +expected violates bounded +got violates bounded \\(3 steps\\)`, 'm'));
    expect(again.out).toContain('- counterexample: already saved as');
    expect(summary(again.out)).toEqual({ passed: 5, failed: 1 });
  });

  it('corpus: a file that no longer reproduces, a malformed file and a file marked fixed each fail their row, without stopping the gate', async () => {
    const dir = folder();
    const matrix = writeMatrix(dir, { corpus: 'cx', checks: [{ name: 'bug', spec: 'ping', params: { rounds: 3, limit: 2 }, expect: 'holds' }] });
    await gate([matrix]);
    const [file] = readdirSync(join(dir, 'cx'));
    const path = join(dir, 'cx', file!);
    const json = JSON.parse(readFileSync(path, 'utf8'));
    json['#meta'].rrcheck.params.limit = 3; // the same labels no longer violate `bounded`
    writeFileSync(join(dir, 'cx', 'fixed-bug.itf.json'), JSON.stringify(json));
    json['#meta'].rrcheck.params.limit = 2;
    json['#meta'].rrcheck.expected = 'fixed'; // marked fixed, but it still violates
    writeFileSync(join(dir, 'cx', 'not-fixed.itf.json'), JSON.stringify(json));
    writeFileSync(join(dir, 'cx', 'broken.itf.json'), '{"#meta": 1');
    writeFileSync(join(dir, 'cx', 'notes.txt'), 'not a counterexample');
    const r = await gate([matrix, '--filter', 'replay']);
    expect(r.code).toBe(ExitCode.gateMismatch);
    const rows = r.lines.filter((l) => /^(PASS|FAIL) /.test(l));
    expect(rows).toHaveLength(4);
    expect(r.out).toMatch(/^FAIL {2}replay \S*broken\.itf\.json +expected a readable counterexample file +got unreadable/m);
    expect(r.out).toMatch(/^FAIL {2}replay \S*fixed-bug\.itf\.json +expected violates bounded +got bounded not violated/m);
    expect(r.out).toContain('- the recorded violation no longer reproduces: bounded is not violated along the 3 steps');
    expect(r.out).toMatch(/^FAIL {2}replay \S*not-fixed\.itf\.json +expected fixed: bounded not violated +got violates bounded \(3 steps\)/m);
    expect(r.out).toMatch(/^PASS {2}replay \S*ping-bounded-/m);
    expect(summary(r.out)).toEqual({ passed: 1, failed: 3 });
  });

  it('a required coverage point never reached fails the check, though the verdicts are right', async () => {
    const dir = folder();
    const r = await gate([writeMatrix(dir, { checks: [{ spec: 'ping', params: { rounds: 2 }, expect: 'holds', require: { lose: '>= 1', hits: '>= 2' } }] })]);
    expect(r.code).toBe(ExitCode.gateMismatch);
    expect(r.out).toMatch(/^FAIL {2}ping rounds=2 +expected holds +got holds +3 states +\d+ ms {2}coverage 1\/2$/m);
    expect(r.out).toContain('      - coverage: lose = 0, required lose >= 1\n');
  });

  it('--json: exactly one JSON object on stdout, with the same counts; the lines go to stderr', async () => {
    const dir = folder();
    const r = await gate([writeMatrix(dir, { checks: passing }), '--json']);
    expect(r.code).toBe(ExitCode.ok);
    const json = JSON.parse(r.out) as { status: string; passed: number; failed: number; workers: number; checks: { name: string; passed: boolean; got: string; stats?: { distinct: number }; stepCoverage?: unknown; require?: string[] }[] };
    expect(json).toMatchObject({ status: 'passed', passed: 4, failed: 0, workers: 1 });
    expect(json.checks.map((c) => c.name)).toEqual(['ping rounds=2', 'ping rounds=4', 'ball lost', 'ping rounds=5 limit=2']);
    expect(json.checks[1]).toMatchObject({ passed: true, got: 'holds', stats: { distinct: 5 }, require: ['deliver >= 2'] });
    expect(json.checks[1]!.stepCoverage).toMatchObject({ neverTaken: ['lose', 'overflow'] });
    expect(r.err).toContain('gate: 4 passed, 0 failed');
  });

  it('output keeps matrix order when jobs finish out of order', async () => {
    const dir = folder();
    const reversed = (): GateRunner => ({
      workers: 3,
      async run(jobs, onDone) {
        for (const job of [...jobs].reverse()) onDone(job, runJob([coveredPing], job, (t, o) => explore(t, o)));
      },
    });
    const r = await gate([writeMatrix(dir, { checks: passing }), '--workers', '3'], reversed);
    expect(r.code).toBe(ExitCode.ok);
    expect(r.lines.filter((l) => /^PASS /.test(l)).map((l) => l.slice(6).replace(/\s{2,}.*/, ''))).toEqual(['ping rounds=2', 'ping rounds=4', 'ball lost', 'ping rounds=5 limit=2']);
    expect(r.out).toMatch(/on 3 workers/);
  });

  it('bad input: one line and its exit code, nothing run', async () => {
    const dir = folder();
    const bad = await gate([writeMatrix(dir, { checks: [{ spec: 'ping', expect: 'violates safety' }] })]);
    expect(bad.code).toBe(ExitCode.badSpec);
    expect(bad.err).toBe(`rrcheck: bad gate matrix ${join(dir, 'gate.json')}: checks[0] (ping).expect: unknown property safety (known: bounded, done)\n`);
    expect(bad.out).toBe('');
    const missing = await gate([join(dir, 'nope.json')]);
    expect(missing.code).toBe(ExitCode.badSpec);
    expect(missing.err).toMatch(/^rrcheck: cannot read gate matrix .*nope\.json: .*\n$/);
    const none = await gate([]);
    expect(none.code).toBe(ExitCode.usage);
    expect(none.err).toBe('rrcheck: no gate matrix given (rrcheck gate MATRIX) (rrcheck --help for usage)\n');
    const workers = await gate([join(dir, 'gate.json'), '--workers', '0']);
    expect(workers.code).toBe(ExitCode.usage);
    expect(workers.err).toBe('rrcheck: --workers must be an integer ≥ 1, not "0" (rrcheck --help for usage)\n');
    const filtered = await gate([writeMatrix(dir, { checks: passing }), '--filter', 'pong']);
    expect(filtered.code).toBe(ExitCode.usage);
    expect(filtered.err).toMatch(/^rrcheck: no check of .* matches --filter pong/);
  });
});
