/**
 * `rrcheck render` in-process on the real specs: the paper's §2.2
 * counterexample (naive, chain n=3 f=2) as a counterexample file, drawn as
 * text, SVG and Mermaid, to stdout or a file; and the exit codes of a file
 * that cannot be read, is malformed, has another format version, or drifts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { specRegistry } from '../../specs/index.js';
import { encodeCounterexample, ExitCode, findingOf, replayLabels } from '../../src/index.js';
import { runRrcheck } from './fixtures/runRrcheck.js';
import { STORY_2_2 } from '../specs/stories.js';
import { xmlProblems } from '../trace/xml.js';

const dir = mkdtempSync(join(tmpdir(), 'rrcheck-render-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  return runRrcheck(args, { version: '9.9.9' });
}

/** A counterexample file of `spec` with `labels`, as `rrcheck check` writes them. */
function counterexampleFile(name: string, spec: string, labels: readonly string[], overrides: Record<string, unknown> = {}): string {
  const params = { workload: 'chain', n: 3, f: 2, crashes: 2, network: 'unordered' };
  const target = specRegistry.find((s) => s.id === spec)!.build(params);
  const replayed = replayLabels(target.model, labels);
  const states = replayed.states;
  const safety = target.properties.find((p) => p.name === 'safety')!;
  const text = encodeCounterexample({
    toolVersion: '9.9.9',
    spec,
    params,
    property: 'safety',
    category: 'safety',
    expected: 'violates',
    initIndex: 0,
    labels: labels.slice(0, states.length - 1),
    explanation: findingOf(safety, states.at(-1)).summary,
    strategy: 'bfs',
    foundLength: labels.length,
    views: states.map((s) => target.view(s)),
  });
  const json = JSON.parse(text) as { '#meta': { rrcheck: Record<string, unknown> } };
  Object.assign(json['#meta'].rrcheck, overrides);
  const path = join(dir, name);
  writeFileSync(path, Object.keys(overrides).length === 0 ? text : JSON.stringify(json));
  return path;
}

const story = counterexampleFile('naive-safety.itf.json', 'naive', STORY_2_2);

describe('rrcheck render on the §2.2 counterexample', () => {
  it('draws it as text on stdout by default: the crashes, the rounds, the stale m″ and the orphan', () => {
    const r = run('render', story);
    expect(r.code).toBe(ExitCode.ok);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('naive — workload=chain n=3 f=2 crashes=2 network=unordered');
    expect(lines[1]).toMatch(/^safety violated in 16 steps: orphan: p2 depends on p0's delivery #1/);
    expect(r.out).toMatch(/^ {4}3 {2}✕ {3}│ {3}│ {3}crash p0$/m);
    expect(r.out).toMatch(/^ {4}8 {2}┆ {3}✕ {3}│ {3}crash p1 {2}— /m); // p0's dep? r1 waits for p1's restart (RC-7)
    expect(r.out).toContain('in flight at the end: dep? r1 p0→p1 (sent at 5), resend? p0→p1 (sent at 14)');
    expect(r.out).toMatch(/^ {3}10 {2}◆ {3}┆ {3}│ {3}detect-restart p0 \(p1 failed\) {2}— p0 round 1 restarted; p0 round 2: restart \(p1 failed\)/m);
    expect(r.out).toMatch(/^ {3}16 {2}│ {3}│ {3}●! {2}deliver p1→p2 #1 \(inc 0\) {2}— m″ sent at 2, stale; the violation’s cause; p2 #m {p2} 1\/3; p2 #m′ {p2} 1\/3$/m);
    // What the logging did: m′ carries #m, p1 holds it with p0, both crash before anyone depends on it.
    expect(r.out).toMatch(/^ {4}2 {2}│ {3}● {3}│ {3}deliver p0→p1 #1 \(inc 0\) {2}— m′ sent at 1; p1 #m {p0,p1} 2\/3; p1 #m′ {p1} 1\/3; p1 sends m″ \+#m′,#m→p2$/m);
    expect(r.out).toContain('8  ┆   ✕   │   crash p1  — p1 #m gone with {p0,p1}; no process depended on it; p1 #m′ gone with {p1}; no process depended on it');
    expect(r.out).toContain("p2 — orphan: depends on p0's delivery of m, lost when it crashed");
  });

  it('draws it as SVG, well-formed, with the crashes, the gathering, the stale message and the orphan', () => {
    const r = run('render', story, '--format', 'svg');
    expect(r.code).toBe(ExitCode.ok);
    expect(xmlProblems(r.out)).toEqual([]);
    expect(r.out.match(/font-size="11" fill="#d62728"[^>]*>crash<\/text>/g)).toHaveLength(2); // not the legend's
    expect(r.out.match(/>restart, inc 1<\/text>/g)).toHaveLength(2);
    expect(r.out).toContain('>gathering round 1</text>');
    expect(r.out).toContain('>↻ round 2: restart (p1 failed)</text>');
    expect(r.out).toContain('>m″ +#m′,#m (stale)</text>');
    expect(r.out).toContain('>#m {p0,p1} 2/3</text>');
    expect(r.out).toContain('>lost (crash at 3)</text>');
    expect(r.out).toContain(">orphan: depends on p0's delivery of m, lost when it crashed</text>");
    expect(r.out).toContain('>safety violated</text>');
  });

  it("draws docs/naive-2.2.itf.json as the README's picture, docs/naive-2.2.svg", async () => {
    const r = run('render', fileURLToPath(new URL('../../docs/naive-2.2.itf.json', import.meta.url)), '--format', 'svg');
    expect(r.code).toBe(ExitCode.ok);
    await expect(r.out).toMatchFileSnapshot('../../docs/naive-2.2.svg');
  });

  it('writes Mermaid to --output, and says so on stderr', () => {
    const out = join(dir, 'story.mmd');
    const r = run('render', story, '--format', 'mermaid', '--output', out);
    expect(r.code).toBe(ExitCode.ok);
    expect(r.out).toBe('');
    expect(r.err).toBe(`wrote ${out}\n`);
    const mermaid = readFileSync(out, 'utf8');
    expect(mermaid.startsWith('sequenceDiagram\n')).toBe(true);
    expect(mermaid).toContain('  rect rgb(255, 215, 215)\n    p1->>p2: [16] m″ +#35;m′,#35;m (stale), sent at 2\n');
    expect(mermaid).toContain('  Note over p2: [6] adopts inc p0=1\n');
    expect(mermaid).toContain('  participant p2 as p2 (orphan)\n');
  });
});

describe('rrcheck render: files it cannot draw', () => {
  it('exits 4 for a file that does not exist or is not a counterexample', () => {
    expect(run('render', join(dir, 'nope.itf.json')).code).toBe(ExitCode.malformedFile);
    const junk = join(dir, 'junk.json');
    writeFileSync(junk, '{"states": [');
    const r = run('render', junk);
    expect(r.code).toBe(ExitCode.malformedFile);
    expect(r.err).toMatch(/^rrcheck: .*junk\.json: not JSON/);
  });

  it('exits 5 for another format version', () => {
    const future = counterexampleFile('future.itf.json', 'naive', STORY_2_2, { formatVersion: 99 });
    const r = run('render', future);
    expect(r.code).toBe(ExitCode.unsupportedVersion);
    expect(r.err).toContain('format version 99 is not supported');
  });

  it('exits 6 when a label is not enabled any more (the correct algorithm discards the stale m″)', () => {
    const drifting = counterexampleFile('drift.itf.json', 'naive', STORY_2_2, { spec: 'nonblocking' });
    const r = run('render', drifting);
    expect(r.code).toBe(ExitCode.replayDrift);
    expect(r.err).toContain('step 16, "deliver p1→p2 #1 (inc 0)", is not enabled; enabled: "discard p1→p2 #1 (inc 0, stale)"');
  });

  it('exits 3 for an unknown spec and 2 for an unknown format', () => {
    expect(run('render', counterexampleFile('unknown.itf.json', 'naive', STORY_2_2, { spec: 'no-such-spec' })).code).toBe(ExitCode.badSpec);
    expect(run('render', story, '--format', 'png').code).toBe(ExitCode.usage);
  });
});
