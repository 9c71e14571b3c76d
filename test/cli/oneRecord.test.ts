/**
 * One violation, one record: the same violation reported by `check --json`,
 * `simulate --json`, `replay --json`, `gate --json` (a matrix check and a
 * corpus replay) and the gate's JUnit report carries one TraceRecord, deep
 * equal across all of them and equal to the record a counterexample file's
 * `#meta.rrcheck` extends. On the hand-counted ping spec (one safety
 * violation in 3 steps, one liveness violation in 1 step) in-process, and
 * on the protocol (naive, chain, n = 3, f = 1: 9 steps) through the CLI.
 * Also: `replay --json` for each outcome, with its exit code.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { ExitCode, explore } from '../../src/index.js';
import { decodeCounterexample, traceRecordWithin, type TraceRecord } from '../../src/trace/index.js';
import { xmlProblems } from '../trace/xml.js';
import { pingSpec } from './fixtures/pingSpec.js';

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'rrcheck-record-'));
}

async function rr(...args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    registry: [pingSpec],
    defaultSpec: 'ping',
    explore: (target, options) => explore(target, options),
    io: { out: (t) => void (out += t), err: (t) => void (err += t) },
    version: '9.9.9',
  });
  return { code, out, err };
}

/** The JSON object a command printed: exactly one, alone on stdout. */
function only(out: string): Record<string, any> {
  expect(out.endsWith('\n')).toBe(true);
  expect(out.trimEnd().split('\n')).toHaveLength(1);
  return JSON.parse(out) as Record<string, any>;
}

/** `&quot;` … back to text, for an attribute value. */
function unescapeXml(text: string): string {
  return text.replace(/&(quot|apos|lt|gt|amp|#(\d+));/g, (_m, name: string, code?: string) =>
    code !== undefined ? String.fromCodePoint(Number(code)) : ({ quot: '"', apos: "'", lt: '<', gt: '>', amp: '&' } as Record<string, string>)[name]!,
  );
}

/** The trace records of the JUnit report's test cases, by case name. */
function junitTraces(xml: string): Map<string, TraceRecord> {
  const traces = new Map<string, TraceRecord>();
  for (const m of xml.matchAll(/<testcase name="([^"]*)"[^>]*>\s*<properties>\s*<property name="rrcheck\.trace" value="([^"]*)"\/>/g)) {
    traces.set(unescapeXml(m[1]!), JSON.parse(unescapeXml(m[2]!)) as TraceRecord);
  }
  return traces;
}

/** The one counterexample file in `dir`. */
function savedIn(dir: string): string {
  const names = readdirSync(dir).filter((n) => n.endsWith('.itf.json'));
  expect(names).toHaveLength(1);
  return join(dir, names[0]!);
}

/**
 * Runs the violation of `params` through every reporter and returns the
 * records, by where they came from.
 */
async function everyRecord(params: string[], simulateSeed: string, property: string): Promise<Record<string, TraceRecord>> {
  const dir = folder();
  const check = await rr('check', ...params, '--json', '--out', join(dir, 'check'), '--progress-interval', '0');
  const simulate = await rr('simulate', ...params, '--seed', simulateSeed, '--json', '--out', join(dir, 'simulate'), '--progress-interval', '0');
  const file = savedIn(join(dir, 'check'));
  const replay = await rr('replay', file, '--json');
  const decoded = decodeCounterexample(readFileSync(file, 'utf8'));
  if (decoded.status !== 'ok') throw new Error(decoded.message);

  // A gate whose matrix expects the spec to hold: the violation is unexpected, saved into the corpus, and replayed by the next run.
  const matrixParams: Record<string, string | number> = {};
  for (let i = 0; i < params.length; i += 2) matrixParams[params[i]!.slice(2)] = /^\d+$/.test(params[i + 1]!) ? Number(params[i + 1]) : params[i + 1]!;
  const matrix = join(dir, 'gate.json');
  writeFileSync(matrix, JSON.stringify({ corpus: 'corpus', checks: [{ name: 'bug', spec: 'ping', params: matrixParams, expect: 'holds' }] }));
  const junit = join(dir, 'junit.xml');
  const gate = await rr('gate', matrix, '--json', '--junit', junit);
  const again = await rr('gate', matrix, '--json', '--junit', junit);
  const gated = only(gate.out);
  const regated = only(again.out);
  expect(gated.checks.map((c: { name: string }) => c.name)).toEqual(['bug']);
  const replayRow = regated.checks.find((c: { kind: string }) => c.kind === 'replay');
  const xml = readFileSync(junit, 'utf8');
  expect(xmlProblems(xml)).toEqual([]);
  const fromJunit = junitTraces(xml);
  expect([...fromJunit.keys()]).toEqual(['bug', replayRow.name]);

  const expectedCode = only(check.out)['trace'].category === 'safety' ? ExitCode.safetyViolation : ExitCode.livenessViolation;
  expect([check.code, simulate.code, replay.code, gate.code, again.code]).toEqual([expectedCode, expectedCode, expectedCode, ExitCode.gateMismatch, ExitCode.gateMismatch]);
  expect(only(check.out)['trace'].property).toBe(property);
  return {
    check: only(check.out)['trace'],
    simulate: only(simulate.out)['trace'],
    replay: only(replay.out)['trace'],
    file: traceRecordWithin(decoded.file.meta)!,
    gateCheck: gated.checks[0].trace,
    gateReplay: replayRow.trace,
    junitCheck: fromJunit.get('bug')!,
    junitReplay: fromJunit.get(replayRow.name)!,
  };
}

describe('one trace record for check, simulate, replay and gate', () => {
  it('a safety violation (ping rounds=3 limit=2): the same record from every reporter', async () => {
    const records = await everyRecord(['--rounds', '3', '--limit', '2'], '1', 'bounded');
    const expected: TraceRecord = {
      property: 'bounded',
      category: 'safety',
      initIndex: 0,
      labels: ['deliver ball→p0', 'deliver ball→p1', 'deliver ball→p0'],
      explanation: '3 hits exceed the limit 2',
      finding: { summary: '3 hits exceed the limit 2', reason: 'too-many-hits', subjects: [], detail: { hits: 3, limit: 2 } },
    };
    for (const [from, record] of Object.entries(records)) expect({ from, record }).toEqual({ from, record: expected });
  });

  it('a liveness violation (ping loss=yes): the same record from every reporter', async () => {
    const records = await everyRecord(['--rounds', '2', '--loss', 'yes'], '4', 'done');
    const expected: TraceRecord = {
      property: 'done',
      category: 'liveness',
      initIndex: 0,
      labels: ['lose ball→p0'],
      explanation: 'the run ended after 0 hits: the ball was lost',
      finding: { summary: 'the run ended after 0 hits: the ball was lost', reason: 'ball-lost', subjects: [], detail: { hits: 0 } },
    };
    for (const [from, record] of Object.entries(records)) expect({ from, record }).toEqual({ from, record: expected });
  });

  it('the protocol (naive, chain, n = 3, f = 1), through the built CLI: check, replay, the gate and its JUnit report agree', () => {
    const dir = folder();
    const cli = join(process.cwd(), 'dist/src/cli/main.js');
    const run = (...args: string[]) => {
      try {
        return { code: 0, out: execFileSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
      } catch (error) {
        const e = error as { status: number; stdout: string };
        return { code: e.status, out: e.stdout };
      }
    };
    const check = run('check', 'naive', '--workload', 'chain', '--n', '3', '--f', '1', '--json', '--workers', '1', '--out', 'cx', '--progress-interval', '0');
    expect(check.code).toBe(ExitCode.safetyViolation);
    const trace = only(check.out)['trace'] as TraceRecord;
    expect(trace.labels).toHaveLength(9);
    expect(trace.finding.reason).toBe('orphan');
    const replay = run('replay', savedIn(join(dir, 'cx')), '--json');
    expect(replay.code).toBe(ExitCode.safetyViolation);
    expect(only(replay.out)['trace']).toEqual(trace);
    const gate = run('gate', '--filter', 'naive workload=chain n=3 f=1', '--workers', '1', '--json', '--junit', 'junit.xml');
    expect(gate.code).toBe(ExitCode.ok);
    const row = only(gate.out)['checks'][0];
    expect(row).toMatchObject({ name: 'naive workload=chain n=3 f=1', passed: true, got: 'violates safety (9 steps)' });
    expect(row.trace).toEqual(trace);
    const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
    expect(xmlProblems(xml)).toEqual([]);
    expect(junitTraces(xml).get('naive workload=chain n=3 f=1')).toEqual(trace);
  });
});

describe('replay --json', () => {
  async function saved(): Promise<{ dir: string; file: string; json: Record<string, any> }> {
    const dir = folder();
    await rr('check', '--rounds', '3', '--limit', '2', '--out', dir, '--progress-interval', '0');
    const file = savedIn(dir);
    return { dir, file, json: JSON.parse(readFileSync(file, 'utf8')) };
  }

  it('reproduced: one object with the outcome, the exit code and the trace record; nothing on stderr', async () => {
    const { file } = await saved();
    const r = await rr('replay', file, '--json');
    expect(r.code).toBe(ExitCode.safetyViolation);
    expect(r.err).toBe('');
    const json = only(r.out);
    expect(Object.keys(json)).toEqual(['status', 'spec', 'params', 'exitCode', 'file', 'property', 'category', 'expected', 'recordedSteps', 'steps', 'trace']);
    expect(json).toMatchObject({ status: 'reproduced', exitCode: 12, spec: 'ping', params: { rounds: 3, limit: 2, loss: 'no' }, file, property: 'bounded', category: 'safety', expected: 'violates', recordedSteps: 3, steps: 3 });
  });

  it('violated again, fixed, not reproduced and drift: each outcome with its exit code; the failures also print their line on stderr', async () => {
    const { dir, json } = await saved();
    const write = (name: string, edit: (meta: Record<string, any>) => void) => {
      const copy = structuredClone(json);
      edit(copy['#meta'].rrcheck);
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify(copy));
      return path;
    };
    const again = await rr('replay', write('again.json', (m) => (m.expected = 'fixed')), '--json');
    expect(again.code).toBe(ExitCode.safetyViolation);
    expect(only(again.out)).toMatchObject({ status: 'violated-again', exitCode: 12, expected: 'fixed', trace: { property: 'bounded', labels: json['#meta'].rrcheck.labels } });

    const fixed = await rr('replay', write('fixed.json', (m) => ((m.expected = 'fixed'), (m.params.limit = 3))), '--json');
    expect(fixed.code).toBe(ExitCode.ok);
    expect(fixed.err).toBe('');
    const fixedJson = only(fixed.out);
    expect(fixedJson).toMatchObject({ status: 'fixed', exitCode: 0, steps: 3 });
    expect('trace' in fixedJson).toBe(false);

    const gone = await rr('replay', write('gone.json', (m) => (m.params.limit = 3)), '--json');
    expect(gone.code).toBe(ExitCode.notReproduced);
    const message = `the recorded violation no longer reproduces: bounded is not violated along the 3 steps of ${join(dir, 'gone.json')}`;
    expect(only(gone.out)).toEqual({
      status: 'not-reproduced',
      spec: 'ping',
      params: { rounds: 3, limit: 3, loss: 'no' },
      exitCode: 7,
      file: join(dir, 'gone.json'),
      property: 'bounded',
      category: 'safety',
      expected: 'violates',
      recordedSteps: 3,
      steps: 3,
      message,
    });
    expect(gone.err).toBe(`rrcheck: ${message}\n`);

    const drift = await rr('replay', write('drift.json', (m) => (m.labels[1] = 'deliver ball→p7')), '--json');
    expect(drift.code).toBe(ExitCode.replayDrift);
    const driftJson = only(drift.out);
    expect(driftJson).toMatchObject({ status: 'drift', exitCode: 6, steps: 1, drift: { step: 1, label: 'deliver ball→p7', enabled: ['deliver ball→p1'] } });
    expect(drift.err).toBe(`rrcheck: ${driftJson['message']}\n`);
    expect(driftJson['message']).toBe(`replay drift in ${join(dir, 'drift.json')}: step 2, "deliver ball→p7", is not enabled; enabled: "deliver ball→p1"`);

    // Without --json, the same outcomes are a line on stderr and nothing else changes.
    const textDrift = await rr('replay', join(dir, 'drift.json'));
    expect(textDrift.code).toBe(ExitCode.replayDrift);
    expect(textDrift.err).toBe(`rrcheck: ${driftJson['message']}\n`);
  });

  it('a file that cannot be read is an error before any replay: one line on stderr, nothing on stdout', async () => {
    const r = await rr('replay', join(folder(), 'nope.itf.json'), '--json');
    expect(r.code).toBe(ExitCode.malformedFile);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^rrcheck: cannot read .*nope\.itf\.json: ENOENT/);
  });
});
