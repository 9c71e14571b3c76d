/**
 * Interrupting the built executable (node dist/src/cli/main.js) with SIGINT
 * and SIGTERM while it searches: the run stops cleanly with its summary and
 * JSON (`stoppedBy: interrupted`), exit 14 when nothing was found, the
 * violation's own code (and its saved counterexample) when one was; a second
 * signal exits at once with 130 / 143.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildExecutable, BUILD_MS, builtMain, repoRoot } from './fixtures/builtCli.js';
import { decodeCounterexample, ExitCode } from '../../src/index.js';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
  /** Milliseconds from the first signal to the exit. */
  stopMs: number;
}

/**
 * Runs the executable; once stderr matches `when`, sends `signals` (the
 * next one `gapMs` after the previous, or, with `gapMs` a pattern, once
 * stderr matches it: signals sent back to back may merge into one) and
 * resolves at the exit.
 */
function interrupt(args: readonly string[], when: RegExp, signals: readonly NodeJS.Signals[], gapMs: number | RegExp = 300): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [builtMain, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let sentAt: number | undefined;
    let sent = 0;
    const send = (k: number): void => {
      if (k >= signals.length || child.exitCode !== null) return;
      child.kill(signals[k]!);
      sent = k + 1;
      if (typeof gapMs === 'number') setTimeout(() => send(k + 1), gapMs);
    };
    child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      err += t;
      if (sentAt === undefined && when.test(err)) {
        sentAt = performance.now();
        send(0);
      } else if (sent === 1 && gapMs instanceof RegExp && gapMs.test(err)) {
        send(1);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, out, err, stopMs: sentAt === undefined ? NaN : performance.now() - sentAt }));
  });
}

beforeAll(buildExecutable, BUILD_MS);

/** A search of about a minute on one thread (4 processes, f = 2, 2 crashes, no reduction): it is still running when signalled. */
const LONG = ['--workload', 'chain', '--n', '4', '--f', '2', '--crashes', '2', '--reduce', 'none', '--workers', '1', '--progress-interval', '1'];

describe.concurrent('interrupting rrcheck check', () => {
  it('SIGINT: the JSON summary says incomplete, stopped by interrupted; exit 14', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rrcheck-interrupt-'));
    const r = await interrupt(['check', 'nonblocking', ...LONG, '--json', '--out', out], /^progress /m, ['SIGINT']);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(ExitCode.incomplete);
    expect(r.err).toContain('rrcheck: SIGINT: stopping (a second signal exits at once)');
    expect(r.err).toContain('bound reached: an interruption (SIGINT or SIGTERM)');
    const json = JSON.parse(r.out) as { status: string; stoppedBy: string; coverage: string; stats: { distinct: number; queued: number }; properties: { status: string; reason: string }[] };
    expect(json.status).toBe('incomplete');
    expect(json.stoppedBy).toBe('interrupted');
    expect(json.coverage).toMatch(/^incomplete: interrupted at depth \d+; every interleaving of at most \d+ steps of 4 processes/);
    // Cut mid-run: states were stored, and some were still waiting to be expanded.
    expect(json.stats.distinct).toBeGreaterThan(0);
    expect(json.stats.queued).toBeGreaterThan(0);
    expect(json.properties.every((p) => p.status === 'unknown' && p.reason === 'bound')).toBe(true);
    expect(r.stopMs).toBeLessThan(5000);
  }, 60_000);

  it('SIGTERM: the text summary ends with the interrupted coverage sentence; exit 14', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rrcheck-interrupt-'));
    const r = await interrupt(['check', 'nonblocking', ...LONG, '--out', out], /^progress /m, ['SIGTERM']);
    expect(r.code).toBe(ExitCode.incomplete);
    expect(r.err).toContain('rrcheck: SIGTERM: stopping');
    expect(r.out).toContain('unknown: the run was interrupted; run it again (with --checkpoint a run can be resumed)');
    expect(r.out).toMatch(/^incomplete: interrupted at depth \d+; every interleaving of at most \d+ steps of 4 processes \(chain, f = 2\)/m);
    expect(r.out).toMatch(/^ {2}distinct states +[\d,]+$/m);
  }, 60_000);

  it('a violation found before the interruption is shrunk, saved and reported: exit 12, the file replays', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rrcheck-interrupt-'));
    // --continue: the search goes on after the violation (at depth 11) until it is interrupted.
    const r = await interrupt(['check', 'naive', ...LONG, '--continue', '--json', '--out', out], /violation of safety at depth/, ['SIGINT']);
    expect(r.code).toBe(ExitCode.safetyViolation);
    const json = JSON.parse(r.out) as { status: string; stoppedBy: string; counterexamples: { property: string; file: string; saved: string; shrunkLength: number }[] };
    expect(json.status).toBe('violation');
    expect(json.stoppedBy).toBe('interrupted');
    expect(json.counterexamples).toHaveLength(1);
    const kept = json.counterexamples[0]!;
    expect(kept.property).toBe('safety');
    expect(kept.saved).toBe('written');
    const file = decodeCounterexample(readFileSync(kept.file, 'utf8'));
    expect(file.status).toBe('ok');
    if (file.status === 'ok') expect(file.file.meta.labels).toHaveLength(kept.shrunkLength);
    const replay = spawnSync(process.execPath, [builtMain, 'replay', kept.file], { cwd: repoRoot, encoding: 'utf8' });
    expect(replay.stdout).toContain('reproduced: safety is violated after step');
    expect(replay.status).toBe(ExitCode.safetyViolation);
  }, 60_000);

  it('a second SIGINT exits at once with 130, a second SIGTERM with 143', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rrcheck-interrupt-'));
    // The second signal as soon as the first is acknowledged: the run is still stopping.
    const int = await interrupt(['check', 'nonblocking', ...LONG, '--out', out], /^progress /m, ['SIGINT', 'SIGINT'], /SIGINT: stopping/);
    expect(int.code).toBe(130);
    expect(int.out).toBe('');
    const term = await interrupt(['check', 'nonblocking', ...LONG, '--out', out], /^progress /m, ['SIGTERM', 'SIGTERM'], /SIGTERM: stopping/);
    expect(term.code).toBe(143);
  }, 60_000);

  it('simulate: SIGINT stops the walks; the JSON says stoppedBy interrupted; exit 14', async () => {
    const out = mkdtempSync(join(tmpdir(), 'rrcheck-interrupt-'));
    const args = ['simulate', 'nonblocking', '--n', '5', '--f', '2', '--crashes', '2', '--runs', '10000000', '--seed', '7', '--progress-interval', '1', '--json', '--out', out];
    const r = await interrupt(args, /^progress /m, ['SIGINT']);
    expect(r.code).toBe(ExitCode.incomplete);
    const json = JSON.parse(r.out) as { status: string; stoppedBy: string; coverage: string; stats: { walks: number } };
    expect(json.status).toBe('incomplete');
    expect(json.stoppedBy).toBe('interrupted');
    expect(json.coverage).toMatch(/^incomplete: interrupted; no violation in [\d,]+ random walks of at most 200 steps of 5 processes/);
    expect(json.stats.walks).toBeGreaterThan(0);
    expect(json.stats.walks).toBeLessThan(10_000_000);
    expect(r.stopMs).toBeLessThan(5000);
  }, 60_000);

  it('gate: SIGINT stops the running check; the checks not run are reported so; exit 14', async () => {
    const r = await interrupt(['gate', '--workers', '1', '--json'], /^rrcheck gate /m, ['SIGINT'], 0);
    expect(r.code).toBe(ExitCode.incomplete);
    const checks = Number(/^rrcheck gate \S+: ([\d,]+) checks/m.exec(r.err)![1]!.replace(/,/g, ''));
    const json = JSON.parse(r.out) as { status: string; stoppedBy: string; passed: number; failed: number; checks: { got: string }[] };
    expect(json.stoppedBy).toBe('interrupted');
    expect(json.passed + json.failed).toBe(checks);
    expect(json.checks.filter((c) => c.got === 'not run').length).toBeGreaterThan(checks - 5);
    expect(r.err).toMatch(/^gate: interrupted \(the corpus was not replayed\): \d+ passed, \d+ failed$/m);
  }, 60_000);

  it('a command that does not stop cleanly (metrics) ends at the first signal, with 130', async () => {
    const r = await interrupt(['metrics', 'nonblocking', '--workload', 'chain', '--n', '4', '--f', '2', '--crashes', '2', '--progress-interval', '1'], /^progress /m, ['SIGINT']);
    expect(r.code).toBe(130);
    expect(r.out).toBe('');
    expect(r.err).not.toContain('stopping (a second signal');
  }, 60_000);
});
