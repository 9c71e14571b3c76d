/**
 * The commands in-process, on the hand-counted ping spec and the real
 * explorer: exit codes, the report's verdicts, numbers and coverage sentence,
 * the --json object, usage and parameter errors.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { ExitCode, explore } from '../../src/index.js';
import { memoryFiles } from './fixtures/memoryFiles.js';
import { pingSpec } from './fixtures/pingSpec.js';

function run(...args: string[]) {
  let out = '';
  let err = '';
  const code = runCli(args, {
    registry: [pingSpec],
    defaultSpec: 'ping',
    explore: (target, options) => explore(target, options),
    io: { out: (t) => void (out += t), err: (t) => void (err += t) },
    version: '9.9.9',
    // Counterexample files stay in memory.
    files: memoryFiles(),
  });
  return { code, out, err };
}

describe('rrcheck check (in-process, ping spec)', () => {
  it('exits 0 on a complete search with every property holding, and says it was exhaustive', () => {
    const r = run('check', 'ping', '--rounds', '4');
    expect(r.code).toBe(ExitCode.ok);
    expect(r.out).toMatch(/^ {2}bounded +holds +safety +at most 4 hits in all$/m);
    expect(r.out).toMatch(/^ {2}done +holds +liveness/m);
    expect(r.out).toMatch(/^ {2}distinct states +5$/m);
    expect(r.out).toMatch(/^ {2}transitions +4$/m);
    expect(r.out).toMatch(/^ {2}depth +4$/m);
    expect(r.out).toMatch(/^ {2}collision probability +\d\.\de-\d+ /m);
    expect(r.out.trimEnd().split('\n').at(-1)).toBe('exhaustive: every interleaving of rounds=4 limit=4 loss=no.');
    expect(r.err).toContain('checking ping rounds=4 limit=4 loss=no (bfs)');
  });

  it('exits 12 on a safety violation and prints the shortest trace with the explanation', () => {
    const r = run('check', '--rounds', '5', '--limit', '2');
    expect(r.code).toBe(ExitCode.safetyViolation);
    expect(r.out).toContain('Violation of bounded (safety): 3 steps');
    expect(r.out).toMatch(/ {2}1\. deliver ball→p0\n {7}hits\.p0: 0 → 1\n/);
    expect(r.out).toContain('  3. deliver ball→p0\n');
    expect(r.out).toContain('Why: 3 hits exceed the limit 2');
    expect(r.out).toMatch(/^ {2}bounded +VIOLATED/m);
    expect(r.out).toMatch(/^ {2}done +unknown/m);
    expect(r.out).toContain('incomplete: stopped at the first violation (bounded, depth 3)');
    expect(r.err).toContain('violation of bounded at depth 3');
  });

  it('exits 13 when only the liveness property is violated', () => {
    const r = run('check', '--loss', 'yes');
    expect(r.code).toBe(ExitCode.livenessViolation);
    expect(r.out).toContain('Violation of done (liveness): 1 step\n');
    expect(r.out).toContain('1. lose ball→p0 — the network drops the ball');
  });

  it('with --continue, reports every violated property and exits 12 when one is safety', () => {
    const r = run('check', '--rounds', '5', '--limit', '2', '--loss', 'yes', '--continue', '--json');
    expect(r.code).toBe(ExitCode.safetyViolation);
    const json = JSON.parse(r.out) as { complete: boolean; properties: { name: string; status: string }[]; trace: { property: string } };
    expect(json.complete).toBe(true);
    expect(json.properties.map((p) => p.status)).toEqual(['violated', 'violated']);
    // BFS: the liveness violation (depth 1) comes before the safety one (depth 3).
    expect(json.trace.property).toBe('done');
  });

  it('exits 14 when a bound cuts the search, and says which bound and what was covered', () => {
    const r = run('check', '--rounds', '10', '--max-states', '4');
    expect(r.code).toBe(ExitCode.incomplete);
    expect(r.out).toMatch(/^ {2}bounded +unknown/m);
    expect(r.out).toContain(
      'incomplete: stopped by --max-states 4 at depth 3; every interleaving of at most 2 steps of rounds=10 limit=10 loss=no was checked.',
    );
    const d = run('check', '--rounds', '10', '--max-depth', '6');
    expect(d.code).toBe(ExitCode.incomplete);
    expect(d.out).toContain('incomplete: stopped by --max-depth 6; every interleaving of at most 6 steps');
  });

  it('says under each unknown verdict why it is unknown and what decides it, in text and JSON', () => {
    const v = run('check', '--rounds', '5', '--limit', '2');
    expect(v.out).toMatch(/^ {2}done +unknown +liveness +every run ends after 5 hits\n {11}unknown: the search stopped at the first violation of bounded; --continue decides it\n/m);
    const b = run('check', '--rounds', '10', '--max-states', '4');
    expect(b.out).toMatch(/^ {2}bounded +unknown +safety .*\n {11}unknown: stopped by --max-states 4; raise the bound\n {2}done +unknown +liveness .*\n {11}unknown: stopped by --max-states 4; raise the bound\n/m);
    const json = JSON.parse(run('check', '--rounds', '10', '--max-depth', '6', '--json').out) as { properties: unknown[] };
    expect(json.properties).toEqual([
      { name: 'bounded', category: 'safety', status: 'unknown', reason: 'bound', why: 'stopped by --max-depth 6; raise the bound' },
      { name: 'done', category: 'liveness', status: 'unknown', reason: 'bound', why: 'stopped by --max-depth 6; raise the bound' },
    ]);
    // Properties that are decided carry no reason.
    const ok = JSON.parse(run('check', '--json').out) as { properties: unknown[] };
    expect(ok.properties).toEqual([
      { name: 'bounded', category: 'safety', status: 'holds' },
      { name: 'done', category: 'liveness', status: 'holds' },
    ]);
  });

  it('an explorer that does not check cycles leaves terminal properties unknown and exits 14', () => {
    let out = '';
    const code = runCli(['check', '--json'], {
      registry: [pingSpec],
      defaultSpec: 'ping',
      explore: (target, options) => explore(target, { ...options, cycleCheck: false }),
      io: { out: (t) => void (out += t), err: () => undefined },
      version: '9.9.9',
      files: memoryFiles(),
    });
    expect(code).toBe(ExitCode.incomplete);
    const json = JSON.parse(out) as Record<string, unknown>;
    expect(json).toMatchObject({ status: 'incomplete', complete: false });
    expect('stoppedBy' in json).toBe(false);
    expect(json['coverage']).toBe(
      'incomplete: every interleaving of rounds=4 limit=4 loss=no was explored, but cycles were not checked, so properties required in states without successors are unknown.',
    );
    expect(json['properties']).toEqual([
      { name: 'bounded', category: 'safety', status: 'holds' },
      {
        name: 'done',
        category: 'liveness',
        status: 'unknown',
        reason: 'cycles-not-checked',
        why: 'cycles not checked (the search ran with cycle checking off); a check with it on, as rrcheck check runs, decides it',
      },
    ]);
  });

  it('--json prints exactly one object of the documented shape', () => {
    const r = run('check', '--rounds', '3', '--limit', '1', '--json');
    expect(r.code).toBe(ExitCode.safetyViolation);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    const json = JSON.parse(r.out) as Record<string, unknown>;
    expect(json).toMatchObject({
      status: 'violation',
      complete: false,
      spec: 'ping',
      params: { rounds: 3, limit: 1, loss: 'no' },
      stats: { distinct: 3, transitions: 2, maxDepth: 2 },
      properties: [
        { name: 'bounded', status: 'violated' },
        { name: 'done', status: 'unknown' },
      ],
      trace: {
        property: 'bounded',
        labels: ['deliver ball→p0', 'deliver ball→p1'],
        explanation: '2 hits exceed the limit 1',
      },
    });
    expect(typeof (json['stats'] as { elapsedMs: unknown }).elapsedMs).toBe('number');
    const ok = JSON.parse(run('check', '--json').out) as Record<string, unknown>;
    expect(ok['status']).toBe('ok');
    expect(ok['complete']).toBe(true);
    expect('trace' in ok).toBe(false);
  });

  it('prints progress lines on stderr only, never on stdout', () => {
    const r = run('check', '--rounds', '50', '--progress-interval', '0.001', '--json');
    expect(r.err).toMatch(/^progress [\d.]+ (ms|s): depth \d+, [\d,]+ states generated, [\d,]+ distinct, [\d,]+ queued, [\d,]+ distinct\/s$/m);
    expect(() => JSON.parse(r.out)).not.toThrow();
    const quiet = run('check', '--progress-interval', '0');
    expect(quiet.err).not.toContain('progress');
  });
});

describe('errors (in-process)', () => {
  const oneLine = (text: string) => text.trimEnd().split('\n').length === 1 && !/\n\s+at /.test(text);

  it.each([
    [['check', '--bogus'], /Unknown argument: bogus/],
    [['check', '--max-states', 'abc'], /--max-states must be an integer ≥ 1, not "abc"/],
    [['check', '--max-states'], /Not enough arguments following: max-states/],
    [['check', '--strategy', 'sideways'], /Invalid values/],
    [['check', '--rounds', '3', '--rounds', '4'], /--rounds given 2 times/],
    [['check', '--timeout', '-1'], /--timeout must be a number of seconds > 0/],
    [['frob'], /unknown command frob \(commands: check, [\w, ]*simulate, replay, [\w, ]*list[\w, ]*\)/],
    [[], /missing command/],
  ])('%j is a usage error: exit 2 and one line', (args, message) => {
    const r = run(...args);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err).toMatch(message);
    expect(r.err.startsWith('rrcheck: ')).toBe(true);
    expect(oneLine(r.err)).toBe(true);
    expect(r.out).toBe('');
  });

  it.each([
    [['check', 'nope'], 'rrcheck: unknown spec nope (known: ping; see rrcheck list)'],
    [['check', '--rounds', '0'], 'rrcheck: bad parameter rounds=0: must be ≥ 1'],
    [['check', '--rounds', 'x'], 'rrcheck: bad parameter rounds=x: must be an integer'],
    [['check', '--loss', 'maybe'], 'rrcheck: bad parameter loss=maybe: must be one of no, yes'],
    [['check', '--rounds', '2', '--limit', '5'], 'rrcheck: bad parameter limit=5: must be ≤ 2·rounds (4)'],
  ])('%j is a bad spec or parameter: exit 3 and one line', (args, message) => {
    const r = run(...args);
    expect(r.code).toBe(ExitCode.badSpec);
    expect(r.err.trimEnd()).toBe(message);
    expect(r.out).toBe('');
  });

  it('an exception inside the model is an internal error: exit 255, one line, no stack', () => {
    let out = '';
    let err = '';
    const code = runCli(['check'], {
      registry: [pingSpec],
      defaultSpec: 'ping',
      explore: () => {
        throw new TypeError('cannot read x of undefined');
      },
      io: { out: (t) => void (out += t), err: (t) => void (err += t) },
      version: '0',
    });
    expect(code).toBe(ExitCode.internal);
    expect(err).toContain('rrcheck: internal error: cannot read x of undefined\n');
    expect(err).not.toMatch(/\n\s+at /);
    expect(out).toBe('');
  });

  it('--help and --version go to stdout with exit 0', () => {
    const help = run('check', '--help');
    expect(help.code).toBe(ExitCode.ok);
    expect(help.out).toContain('--max-states');
    expect(help.out).toContain('--rounds');
    expect(run('--version').out.trim()).toBe('9.9.9');
  });
});

describe('rrcheck list (in-process)', () => {
  it('prints every spec with its parameters, limits and defaults', () => {
    const r = run('list');
    expect(r.code).toBe(ExitCode.ok);
    expect(r.out).toContain('ping (default) — ping: one ball between two processes');
    expect(r.out).toMatch(/--rounds +integer 1…1000, default 4\n +hits before the ball stops/);
    expect(r.out).toMatch(/--limit +integer ≥ 0, default 4 \(computed\)/);
    expect(r.out).toMatch(/--loss +no \| yes, default no/);
  });

  it('--json lists the same as one object', () => {
    const json = JSON.parse(run('list', '--json').out) as { specs: { id: string; params: { name: string; default: unknown }[] }[] };
    expect(json.specs.map((s) => s.id)).toEqual(['ping']);
    expect(json.specs[0]!.params.map((p) => [p.name, p.default])).toEqual([
      ['rounds', 4],
      ['limit', 4],
      ['loss', 'no'],
    ]);
  });
});
