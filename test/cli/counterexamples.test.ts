/**
 * check, simulate and replay in-process on the hand-counted ping spec, with
 * counterexample files in memory: what is printed and saved, names that never
 * overwrite a different file, and every replay outcome with its exit code.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { ExitCode, explore } from '../../src/index.js';
import { decodeCounterexample, encodeCounterexample } from '../../src/trace/index.js';
import { memoryFiles } from './fixtures/memoryFiles.js';
import { pingSpec } from './fixtures/pingSpec.js';

function cli(files = memoryFiles(), drawSeed?: () => number) {
  return (...args: string[]) => {
    let out = '';
    let err = '';
    const code = runCli(args, {
      registry: [pingSpec],
      defaultSpec: 'ping',
      explore: (target, options) => explore(target, options),
      io: { out: (t) => void (out += t), err: (t) => void (err += t) },
      version: '9.9.9',
      files,
      ...(drawSeed === undefined ? {} : { drawSeed }),
    });
    return { code, out, err, files };
  };
}

const oneLine = (text: string) => text.trimEnd().split('\n').length === 1 && !/\n\s+at /.test(text);

/** The one saved file of a run: its path and text. */
function savedFile(files: ReturnType<typeof memoryFiles>): [string, string] {
  expect(files.files.size).toBe(1);
  return [...files.files.entries()][0]!;
}

describe('check saves shrunk counterexamples', () => {
  it('prints found and shrunk lengths and the path; the file decodes to the shown trace', () => {
    const r = cli()('check', '--rounds', '5', '--limit', '2');
    expect(r.code).toBe(ExitCode.safetyViolation);
    const [path, text] = savedFile(r.files);
    expect(path).toMatch(/^rrcheck-out\/ping-bounded-[0-9a-f]{8}\.itf\.json$/);
    expect(r.out).toContain(`Counterexample\n  bounded: found at length 3, shrunk to 3; saved ${path}\n`);
    expect(r.err).toContain('shrinking the violation of bounded (3 steps)');
    const decoded = decodeCounterexample(text);
    expect(decoded.status).toBe('ok');
    if (decoded.status !== 'ok') return;
    expect(decoded.file.meta).toMatchObject({
      toolVersion: '9.9.9',
      spec: 'ping',
      params: { rounds: 5, limit: 2, loss: 'no' },
      property: 'bounded',
      category: 'safety',
      expected: 'violates',
      labels: ['deliver ball→p0', 'deliver ball→p1', 'deliver ball→p0'],
      explanation: '3 hits exceed the limit 2',
      strategy: 'bfs',
      foundLength: 3,
      shrunkLength: 3,
    });
    expect('seed' in decoded.file.meta).toBe(false);
    expect(decoded.file.vars).toEqual(['hits', 'ball', 'lost']);
    expect(decoded.file.states[3]).toEqual({
      '#meta': { index: 3, action: 'deliver ball→p0' },
      hits: { p0: { '#bigint': '2' }, p1: { '#bigint': '1' } },
      ball: '→p1',
      lost: false,
    });
  });

  it('--out chooses the folder; --json lists the files', () => {
    const r = cli()('check', '--rounds', '5', '--limit', '2', '--json', '--out', 'elsewhere/cx');
    const [path] = savedFile(r.files);
    expect(path).toMatch(/^elsewhere\/cx\/ping-bounded-[0-9a-f]{8}\.itf\.json$/);
    const json = JSON.parse(r.out) as Record<string, unknown>;
    expect(json['counterexamples']).toEqual([{ property: 'bounded', foundLength: 3, shrunkLength: 3, file: path, saved: 'written' }]);
  });

  it('never overwrites: the same counterexample is kept as it is, a different file under its name gets a suffix', () => {
    const files = memoryFiles();
    const first = cli(files)('check', '--rounds', '5', '--limit', '2');
    const [path, text] = savedFile(files);
    const again = cli(files)('check', '--rounds', '5', '--limit', '2', '--strategy', 'dfs');
    expect(again.out).toContain(`bounded: found at length 3, shrunk to 3; already saved as ${path}\n`);
    expect(files.files.get(path)).toBe(text);
    expect(first.code).toBe(again.code);

    const taken = memoryFiles({ [path]: '{"something": "else"}' });
    const third = cli(taken)('check', '--rounds', '5', '--limit', '2');
    const suffixed = path.replace('.itf.json', '-2.itf.json');
    expect(third.out).toContain(`saved ${suffixed}\n`);
    expect(taken.files.get(path)).toBe('{"something": "else"}');
    expect(taken.files.get(suffixed)).toBe(text);
  });

  it('a file that cannot be written after the search: the report is printed all the same, then exit 2, one line naming the file and --out', () => {
    const readOnly = { ...memoryFiles(), createText: () => { throw new Error("EACCES: permission denied, open 'ro/x'"); } };
    const r = cli(readOnly)('check', '--rounds', '5', '--limit', '2', '--out', 'ro');
    expect(r.code).toBe(ExitCode.usage);
    const message = /cannot write ro\/ping-bounded-[0-9a-f]{8}\.itf\.json \(--out\): EACCES: permission denied, open 'ro\/x'/;
    expect(r.err.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^rrcheck: ${message.source} \\(rrcheck --help for usage\\)$`));
    expect(r.out).toContain('Violation of bounded (safety): 3 steps');
    expect(r.out).toMatch(new RegExp(`^ {2}bounded: found at length 3, shrunk to 3; not saved: ${message.source}$`, 'm'));
    const json = cli(readOnly)('check', '--rounds', '5', '--limit', '2', '--out', 'ro', '--json');
    expect(json.code).toBe(ExitCode.usage);
    const record = JSON.parse(json.out) as { status: string; counterexamples: Record<string, unknown>[] };
    expect(record.status).toBe('violation');
    expect(record.counterexamples).toEqual([{ property: 'bounded', foundLength: 3, shrunkLength: 3, saved: 'failed', error: expect.stringMatching(message) }]);
  });

  it('a liveness counterexample is saved with its category', () => {
    const r = cli()('check', '--loss', 'yes');
    expect(r.code).toBe(ExitCode.livenessViolation);
    const [path, text] = savedFile(r.files);
    expect(path).toMatch(/ping-done-[0-9a-f]{8}\.itf\.json$/);
    expect(JSON.parse(text)['#meta'].rrcheck).toMatchObject({ property: 'done', category: 'liveness', labels: ['lose ball→p0'] });
  });
});

describe('simulate', () => {
  it('prints the seed, the walks and the shrunk violation, and saves it with its seed; exit 12', () => {
    const r = cli()('simulate', '--rounds', '6', '--limit', '2', '--seed', '4', '--progress-interval', '0');
    expect(r.code).toBe(ExitCode.safetyViolation);
    expect(r.out).toMatch(/^rrcheck simulate ping: rounds=6 limit=2 loss=no \(seed 4\)\n/);
    expect(r.out).toContain('Violation of bounded (safety): 3 steps');
    expect(r.out).toMatch(/^ {2}seed +4$/m);
    expect(r.out).toMatch(/^ {2}walks +1 of at most 1,000 \(0 reached a state without successors\)$/m);
    expect(r.out).toMatch(/^ {2}bounded: found at length 3, shrunk to 3; saved rrcheck-out\/ping-bounded-[0-9a-f]{8}\.itf\.json$/m);
    expect(r.out.trimEnd().split('\n').at(-1)).toBe('incomplete: a violation of bounded in random walk 1 (seed 4); random walks cover nothing exhaustively.');
    expect(r.err).toContain('simulating ping rounds=6 limit=2 loss=no: seed 4, up to 1,000 walks of at most 200 steps');
    const [, text] = savedFile(r.files);
    expect(JSON.parse(text)['#meta'].rrcheck).toMatchObject({ strategy: 'simulate', seed: 4, foundLength: 3, shrunkLength: 3 });
  });

  it('the same seed gives the same file, byte for byte', () => {
    const a = cli()('simulate', '--loss', 'yes', '--seed', '11');
    const b = cli()('simulate', '--loss', 'yes', '--seed', '11');
    expect(a.code).toBe(ExitCode.livenessViolation);
    expect(savedFile(b.files)).toEqual(savedFile(a.files));
  });

  it('draws, prints and records a seed when none is given', () => {
    const r = cli(memoryFiles(), () => 123)('simulate', '--loss', 'yes', '--json');
    const json = JSON.parse(r.out) as Record<string, any>;
    expect(json['seed']).toBe(123);
    expect(json['status']).toBe('violation');
    expect(json['trace'].labels.length).toBeGreaterThan(0);
    expect(JSON.parse(savedFile(r.files)[1])['#meta'].rrcheck.seed).toBe(123);
  });

  it('without a violation: exit 14 and a sentence saying random walks cover nothing exhaustively', () => {
    const r = cli()('simulate', '--seed', '1', '--runs', '20', '--max-steps', '50');
    expect(r.code).toBe(ExitCode.incomplete);
    expect(r.out).toMatch(/^ {2}walks +20 of at most 20 \(20 reached a state without successors\)$/m);
    expect(r.out).toMatch(/^ {2}steps +80 \(longest walk 4, at most 50\)$/m);
    expect(r.out.trimEnd().split('\n').at(-1)).toBe(
      'incomplete: no violation in 20 random walks of at most 50 steps of rounds=4 limit=4 loss=no (seed 1); random walks cover nothing exhaustively: rrcheck check explores every interleaving.',
    );
    expect(r.files.files.size).toBe(0);
  });

  it.each([
    [['simulate', '--seed', 'abc'], /--seed must be an integer 0…2147483647, not "abc"/],
    [['simulate', '--seed', '-3'], /--seed must be an integer/],
    [['simulate', '--runs', '0'], /--runs must be an integer ≥ 1, not "0"/],
    [['simulate', '--max-steps', 'x'], /--max-steps must be an integer ≥ 1, not "x"/],
    [['simulate', '--strategy', 'bfs'], /Unknown argument: strategy/],
  ])('%j is a usage error: exit 2, one line', (args, message) => {
    const r = cli()(...args);
    expect(r.code).toBe(ExitCode.usage);
    expect(r.err).toMatch(message);
    expect(oneLine(r.err)).toBe(true);
  });
});

describe('replay', () => {
  /** A memory folder with the ping violation saved by check, and its path. */
  function saved(): { files: ReturnType<typeof memoryFiles>; path: string; text: string } {
    const files = memoryFiles();
    cli(files)('check', '--rounds', '5', '--limit', '2');
    const [path, text] = savedFile(files);
    return { files, path, text };
  }
  const edited = (text: string, edit: (meta: Record<string, any>) => void) => {
    const json = JSON.parse(text);
    edit(json['#meta'].rrcheck);
    return JSON.stringify(json);
  };

  it('reproduces the recorded violation: each step, its changes and verdict; exit 12', () => {
    const { files, path } = saved();
    const r = cli(files)('replay', path);
    expect(r.code).toBe(ExitCode.safetyViolation);
    expect(r.out).toContain(`rrcheck replay ${path}\nspec ping: rounds=5 limit=2 loss=no\nproperty bounded (safety), expected: violates, 3 steps\n`);
    expect(r.out).toContain('  0. initial state  [bounded holds]\n  1. deliver ball→p0  [bounded holds]\n       hits.p0: 0 → 1\n       ball: "→p0" → "→p1"\n');
    expect(r.out).toContain('  3. deliver ball→p0  [bounded VIOLATED]\n');
    expect(r.out).toContain('  Why: 3 hits exceed the limit 2\n');
    expect(r.out.trimEnd().split('\n').at(-1)).toBe('reproduced: bounded is violated after step 3, as recorded.');
    expect(r.err).toBe('');
  });

  it('a file marked fixed that no longer violates: exit 0; one still expected to violate: exit 7', () => {
    const { path, text } = saved();
    const fixed = edited(text, (m) => ((m.expected = 'fixed'), (m.params.limit = 5)));
    const ok = cli(memoryFiles({ [path]: fixed }))('replay', path);
    expect(ok.code).toBe(ExitCode.ok);
    expect(ok.out).toContain('  3. deliver ball→p0  [bounded holds]\n');
    expect(ok.out.trimEnd().split('\n').at(-1)).toBe('fixed: bounded is not violated along the 3 steps, as the file expects.');

    const gone = cli(memoryFiles({ [path]: edited(text, (m) => (m.params.limit = 5)) }))('replay', path);
    expect(gone.code).toBe(ExitCode.notReproduced);
    expect(gone.err).toBe(`rrcheck: the recorded violation no longer reproduces: bounded is not violated along the 3 steps of ${path}\n`);
  });

  it('a file marked fixed that violates again: exit 12', () => {
    const { path, text } = saved();
    const r = cli(memoryFiles({ [path]: edited(text, (m) => (m.expected = 'fixed')) }))('replay', path);
    expect(r.code).toBe(ExitCode.safetyViolation);
    expect(r.out.trimEnd().split('\n').at(-1)).toBe('violated again: bounded is violated after step 3, though the file is marked fixed.');
  });

  it('a liveness file reproduces with exit 13', () => {
    const files = memoryFiles();
    cli(files)('check', '--loss', 'yes');
    const [path] = savedFile(files);
    const r = cli(files)('replay', path);
    expect(r.code).toBe(ExitCode.livenessViolation);
    expect(r.out).toContain('  0. initial state\n  1. lose ball→p0 — the network drops the ball  [done VIOLATED]\n');
  });

  it('drift: the label that is not enabled and the enabled ones are named; exit 6', () => {
    const { path, text } = saved();
    const bad = edited(text, (m) => (m.labels[1] = 'deliver ball→p7'));
    const r = cli(memoryFiles({ [path]: bad }))('replay', path);
    expect(r.code).toBe(ExitCode.replayDrift);
    expect(r.err).toBe(`rrcheck: replay drift in ${path}: step 2, "deliver ball→p7", is not enabled; enabled: "deliver ball→p1"\n`);
    expect(r.out).toContain('  1. deliver ball→p0  [bounded holds]\n');
    expect(r.out).not.toContain('  2.');
  });

  it.each([
    ['truncated JSON', (t: string) => t.slice(0, 120), ExitCode.malformedFile, /^rrcheck: counterexamples\/x\.itf\.json: not JSON: /],
    ['a missing label list', (t: string) => edited(t, (m) => delete m.labels), ExitCode.malformedFile, /: not an rrcheck counterexample file: #meta\.rrcheck\.labels is missing$/],
    ['format version 2', (t: string) => edited(t, (m) => (m.formatVersion = 2)), ExitCode.unsupportedVersion, /: format version 2 is not supported \(this rrcheck reads version 1\)$/],
    ['an unknown spec', (t: string) => edited(t, (m) => (m.spec = 'pong')), ExitCode.badSpec, /^rrcheck: unknown spec pong \(known: ping; see rrcheck list\)$/],
    ['a bad parameter', (t: string) => edited(t, (m) => (m.params.rounds = 0)), ExitCode.badSpec, /^rrcheck: bad parameter rounds=0: must be ≥ 1$/],
    ['an unknown property', (t: string) => edited(t, (m) => (m.property = 'tidy')), ExitCode.badSpec, /^rrcheck: spec ping has no property tidy \(properties: bounded, done\)$/],
  ])('%s: one line on stderr and its own exit code', (_what, corrupt, code, message) => {
    const { text } = saved();
    const r = cli(memoryFiles({ 'counterexamples/x.itf.json': corrupt(text) }))('replay', 'counterexamples/x.itf.json');
    expect(r.code).toBe(code);
    expect(r.err.trimEnd()).toMatch(message);
    expect(oneLine(r.err)).toBe(true);
    expect(r.out).toBe('');
  });

  it('a file that cannot be read: exit 4; no file argument: usage error', () => {
    const r = cli()('replay', 'nowhere.itf.json');
    expect(r.code).toBe(ExitCode.malformedFile);
    expect(r.err).toBe("rrcheck: cannot read nowhere.itf.json: ENOENT: no such file or directory, open 'nowhere.itf.json'\n");
    const u = cli()('replay');
    expect(u.code).toBe(ExitCode.usage);
    expect(oneLine(u.err)).toBe(true);
  });

  it('a file written by hand with encodeCounterexample replays like one written by check', () => {
    const text = encodeCounterexample({
      toolVersion: 'x',
      spec: 'ping',
      params: { rounds: 2, limit: 2, loss: 'no' },
      property: 'done',
      category: 'liveness',
      expected: 'fixed',
      initIndex: 0,
      labels: ['deliver ball→p0', 'deliver ball→p1'],
      explanation: '',
      strategy: 'bfs',
      foundLength: 2,
      views: [0, 1, 2],
    });
    const r = cli(memoryFiles({ 'f.itf.json': text }))('replay', 'f.itf.json');
    expect(r.code).toBe(ExitCode.ok);
    expect(r.out).toContain('  2. deliver ball→p1  [done not violated]\n');
  });
});
