/**
 * What the corpus pictures say about the logging and the violation, as the
 * diagrams' data (specs/fbl/diagram.ts) and as drawn (renderSvg): every
 * file's violation is marked at the step and lane where it happens, by the
 * mark its property calls for; the broken `f-hosts` rule and the correct
 * algorithm past its bound of f crashes read differently; the Manetho-style
 * stable write (N3) is marked; the unordered replay is shown as misplaced,
 * not as lost.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { specRegistry } from '../../specs/index.js';
import { diagramOfFile } from '../../src/cli/commands/render.js';
import type { Diagram, DiagramEvent } from '../../src/index.js';
import { decodeCounterexample } from '../../src/trace/index.js';
import { renderMermaid } from '../../src/trace/render/mermaid.js';
import { renderSvg } from '../../src/trace/render/svg.js';
import { renderText } from '../../src/trace/render/text.js';

const dir = fileURLToPath(new URL('../../counterexamples/', import.meta.url));
const names = readdirSync(dir)
  .filter((name) => name.endsWith('.itf.json'))
  .sort();

function diagramOf(name: string): Diagram {
  const decoded = decodeCounterexample(readFileSync(`${dir}${name}`, 'utf8'));
  if (decoded.status !== 'ok') throw new Error(`${name}: ${decoded.message}`);
  return diagramOfFile(decoded.file, name, { registry: specRegistry });
}

const lanes = (d: Diagram, ls: readonly number[]) => `{${ls.map((l) => d.processes[l]).join(',')}}`;

/** The logging events and the emphasised ones, one line each (time, lane, kind, facts). */
function facts(d: Diagram, kinds: readonly DiagramEvent['kind'][]): string[] {
  return d.events
    .filter((e) => kinds.includes(e.kind))
    .map((e) => {
      const head = `${e.time} ${d.processes[e.lane]} ${e.kind}`;
      const cause = e.emphasis === undefined ? '' : ` !${e.emphasis}`;
      switch (e.kind) {
        case 'hosts':
          return `${head} ${e.determinant.name} ${lanes(d, e.hosts)} of ${e.needed}${e.stable ? ' stable' : ''}${cause}`;
        case 'logged':
          return `${head} ${e.determinant.name} knowing ${lanes(d, e.known)} of ${e.needed}${e.enough ? '' : ' too early'}${cause}`;
        case 'hostsLost':
          return `${head} ${e.determinant.name} ${lanes(d, e.hosts)} of ${e.needed}, dependents ${lanes(d, e.dependents)}${cause}`;
        default:
          return `${head}${cause}: ${e.text}`;
      }
    });
}

const byName = (prefix: string) => {
  const name = names.find((n) => n.startsWith(prefix));
  if (name === undefined) throw new Error(`no corpus file ${prefix}…`);
  return name;
};

describe('f-hosts and the tight bound read differently', () => {
  it('f-hosts (f = 2): p1 takes #m as logged with f = 2 hosts, and both crash (2 ≤ f crashes): the broken rule', () => {
    const d = diagramOf(byName('f-hosts-safety-'));
    expect(facts(d, ['hosts', 'logged', 'hostsLost'])).toEqual([
      '1 p0 hosts #m {p0} of 3',
      '2 p1 hosts #m {p0,p1} of 3',
      '2 p1 hosts #m′ {p1} of 3',
      '2 p1 logged #m knowing {p0,p1} of 3 too early',
      '3 p2 hosts #m′ {p1,p2} of 3',
      '5 p1 hostsLost #m {p0,p1} of 3, dependents {p2}',
    ]);
    const svg = renderSvg(d);
    expect(svg).toContain('>treats #m as logged at {p0,p1}: 2 &lt; f+1 = 3 ✗</text>');
    expect(svg).toContain('>#m lost: its only 2 &lt; f+1 hosts {p0,p1} crashed</text>');
    expect(svg).not.toContain('beyond f');
  });

  it('the correct algorithm with f + 1 = 2 crashes: #m reached f + 1 hosts, and all of them crashed (beyond the bound)', () => {
    const d = diagramOf(byName('crash-beyond-f-recoverability-'));
    expect(facts(d, ['hosts', 'logged', 'hostsLost'])).toEqual([
      '1 p0 hosts #m {p0} of 2',
      '2 p1 hosts #m {p0,p1} of 2 stable',
      '2 p1 hosts #m′ {p1} of 2',
      '2 p1 logged #m knowing {p0,p1} of 2',
      '3 p2 hosts #m′ {p1,p2} of 2 stable',
      '5 p1 hostsLost #m {p0,p1} of 2, dependents {p2} !cause',
    ]);
    const svg = renderSvg(d);
    expect(svg).toContain('>#m {p0,p1} 2/2 ✓</text>');
    expect(svg).toContain('>treats #m as logged at {p0,p1}: 2/2 ✓</text>');
    expect(svg).toContain('>#m lost: all 2 ≥ f+1 hosts {p0,p1} crashed (beyond f)</text>');
    expect(svg).not.toContain('✗');
    expect(renderMermaid(d)).toContain('  rect rgb(255, 215, 215)\n    Note over p1: [5] #35;m lost: all 2 ≥ f+1 hosts {p0,p1} crashed (beyond f)\n  end\n');
  });

  it('the same trace of the correct algorithm, checked for safety, reads as beyond the bound too', () => {
    const d = diagramOf(byName('nonblocking-safety-'));
    expect(facts(d, ['logged', 'hostsLost'])).toEqual(['2 p1 logged #m knowing {p0,p1} of 2', '5 p1 hostsLost #m {p0,p1} of 2, dependents {p2}']);
  });
});

describe('a host known but crashed', () => {
  it('naive: p1 takes #m as logged knowing of p0, which crashed before: p1 alone holds it', () => {
    const d = diagramOf(byName('naive-safety-ecfe62b7'));
    const logged = d.events.filter((e) => e.kind === 'logged');
    expect(logged.map((e) => e.kind === 'logged' && [e.time, e.lane, e.known, e.holders, e.enough])).toEqual([[6, 1, [0, 1], [1], true]]);
    expect(renderSvg(d)).toContain('>treats #m as logged at {p0,p1}: 2/2 ✓, held by {p1} only</text>');
  });
});

describe('depinfo replies and incarnation adoption', () => {
  it('a reply carries the responder’s determinants and incarnations; the responder adopts the recovering process’s new incarnation', () => {
    const d = diagramOf(byName('f-hosts-safety-'));
    const reply = d.events.find((e) => e.kind === 'send' && e.name === 'dep r1');
    expect(reply?.kind === 'send' && reply.carries).toEqual({
      determinants: [
        { name: '#m′', deliverer: 1, rsn: 1 },
        { name: '#m″', deliverer: 2, rsn: 1 },
      ],
      incarnations: [],
    });
    expect(facts(d, ['adopt'])).toEqual(['11 p2 adopt: adopts incarnation p0=1, p1=1']);
    const svg = renderSvg(d);
    expect(svg).toContain('>dep r1 {#m′,#m″}</text>');
    expect(svg).toContain('>adopts inc p0=1,p1=1</text>');
  });

  it('split-adoption: the responder replies and only notes the incarnation; the stale m′ comes before it adopts it', () => {
    const d = diagramOf(byName('split-adoption-'));
    expect(d.events.filter((e) => e.kind === 'adopt')).toEqual([
      { kind: 'adopt', time: 5, lane: 1, incarnations: [{ lane: 0, incarnation: 1 }], deferred: true, text: 'notes incarnation p0=1, to adopt in a later step' },
    ]);
    expect(renderSvg(d)).toContain('>will adopt inc p0=1 later</text>');
  });
});

describe('the Manetho-style stable write (N3)', () => {
  it('is marked where p1 writes its reply, as the violation’s cause, and p1 is the highlighted lane', () => {
    const d = diagramOf(byName('manetho-nonBlocking-'));
    expect(facts(d, ['stableWrite'])).toEqual(['4 p1 stableWrite !cause: writes its round-1 reply to stable storage during a recovery']);
    expect(d.highlights).toEqual([{ lane: 1, kind: 'stable-writer', text: 'stable-writer: wrote its reply to stable storage during a recovery (N3)' }]);
    expect(renderSvg(d)).toContain('>stable write during recovery (N3)</text>');
    expect(renderText(d)).toContain('p1 stable write during recovery (N3) (the violation’s cause)');
  });

  it('is drawn, not as the cause, where the violation is another property’s', () => {
    const d = diagramOf(byName('manetho-process-holds-'));
    expect(facts(d, ['stableWrite'])).toEqual([
      '4 p1 stableWrite: writes its round-1 reply to stable storage during a recovery',
      '10 p1 stableWrite: writes its round-2 reply to stable storage during a recovery',
    ]);
  });
});

describe('unordered-replay: m was replayed at the wrong position, not lost', () => {
  const d = diagramOf(byName('unordered-replay-'));

  it('the replays are misplaced, and no delivery is emphasised as lost', () => {
    const misplaced = d.events.flatMap((e) => (e.kind === 'receive' && e.misplaced !== undefined ? [`${e.time} ${d.processes[e.lane]} at #${e.misplaced.at} recorded #${e.misplaced.recorded}`] : []));
    expect(misplaced).toEqual(['13 p0 at #1 recorded #2', '14 p0 at #2 recorded #1']);
    expect(d.events.filter((e) => e.emphasis === 'lost')).toEqual([]);
    expect(d.highlights).toEqual([{ lane: 1, kind: 'orphan', text: "orphan: depends on p0's delivery of m at #1, which it replayed out of order at #2" }]);
  });

  it('says so in the picture and the text, and nowhere “lost”', () => {
    const svg = renderSvg(d);
    expect(svg).toContain('>replayed at #2 (recorded #1)</text>');
    expect(svg).not.toMatch(/>[^<]*lost[^<]*<\/text>/);
    const lines = renderText(d).split('\n');
    expect(lines.filter((l) => l.includes('lost') && !l.startsWith('legend:'))).toEqual([]);
  });
});

/** The mark each property's violation gets, as the events and highlights that make it. */
const MARKS: Record<string, (d: Diagram) => string[]> = {
  // the receive that made the orphan depend, and the orphan's lane
  safety: (d) => [...facts(d, ['receive']).filter((f) => f.includes('!cause')), ...d.highlights.map((h) => `${d.processes[h.lane]} ${h.kind}`)],
  // a taken-as-logged too early, or the dependent's receive
  alwaysNoOrphans: (d) => [...facts(d, ['logged', 'receive']).filter((f) => f.includes('!cause')), ...d.highlights.map((h) => `${d.processes[h.lane]} ${h.kind}`)],
  // the crash after which no survivor holds the determinant
  recoverability: (d) => [...facts(d, ['hostsLost']).filter((f) => f.includes('!cause')), ...d.highlights.map((h) => `${d.processes[h.lane]} ${h.kind}`)],
  // the restart beyond the bound
  restartBound: (d) => facts(d, ['round']).filter((f) => f.includes('!cause')),
  // a live process blocked from a step on, or a live process's stable write
  nonBlocking: (d) => [...facts(d, ['phase', 'stableWrite']).filter((f) => f.includes('!cause')), ...d.highlights.map((h) => `${d.processes[h.lane]} ${h.kind}`)],
  // what was never re-sent, or what a cycle keeps rejecting, and who is stuck
  liveness: (d) => [...facts(d, ['violation', 'reject', 'phase']).filter((f) => f.includes('!cause')), ...d.highlights.map((h) => `${d.processes[h.lane]} ${h.kind}`)],
};

describe('every corpus file’s violation is marked where it happens', () => {
  const expected: Record<string, string[]> = {
    'blocking-nonBlocking-31108af0': ['4 p1 phase !cause: blocked', 'p1 blocked'],
    'crash-beyond-f-recoverability-a628d200': ['5 p1 hostsLost #m {p0,p1} of 2, dependents {p2} !cause', 'p2 at-risk'],
    'early-replay-safety-c329456d': ['4 p1 receive !cause: receives m′ from p0 (stale: inc 0 < 1)', 'p1 orphan'],
    'f-hosts-alwaysNoOrphans-65101ac3': ['2 p1 logged #m knowing {p0,p1} of 3 too early !cause', 'p2 at-risk'],
    'f-hosts-alwaysNoOrphans-8e917199': ['1 p0 logged #m knowing {p0} of 2 too early !cause', 'p1 at-risk'],
    'f-hosts-safety-027f3cdf': ['3 p2 receive !cause: receives m″ from p1', 'p2 orphan'],
    'live-only-responders-safety-c154198a': ['17 p0 receive !cause: receives m‴ from p1 (stale: inc 0 < 1)', 'p0 orphan'],
    'manetho-nonBlocking-cfc33b7f': ['4 p1 stableWrite !cause: writes its round-1 reply to stable storage during a recovery', 'p1 stable-writer'],
    'manetho-process-holds-safety-26b7f57c': ['12 p1 receive !cause: receives m′ from p0 (stale: inc 1 < 2)', 'p1 orphan'],
    'naive-safety-0c835442': ['6 p1 receive !cause: receives m′ from p0 (stale: inc 0 < 1)', 'p1 orphan'],
    'naive-safety-2504d3b1': ['6 p1 receive !cause: receives m′ from p0 (stale: inc 0 < 1)', 'p1 orphan'],
    'naive-safety-84d71194': ['6 p1 receive !cause: receives m′ from p0 (stale: inc 0 < 1)', 'p1 orphan'],
    'naive-safety-ecfe62b7': ['6 p1 receive !cause: receives m′ from p0 (stale: inc 0 < 1)', 'p1 orphan'],
    'no-enrollment-safety-6a737e16': ['16 p1 receive !cause: receives m′ from p0 (stale: inc 0 < 1)', 'p1 orphan'],
    'no-resend-liveness-d25eaf4e': ["9 p2 violation !cause: m for p0 in its send log: never re-sent since p0's crash", 'p0 stuck'],
    'no-restart-safety-e37cca2a': ['7 p2 receive !cause: receives m″ from p1', 'p2 orphan'],
    'nonblocking-restartBound-24848ddf': ['9 p0 round !cause: round 3: restart (take-over): restart 2 > f = 1 (B1)'],
    'nonblocking-safety-161a3d2c': ['3 p2 receive !cause: receives m″ from p1', 'p2 orphan'],
    'old-round-replies-safety-073f10b1': ['7 p2 receive !cause: receives m″ from p1', 'p2 orphan'],
    'old-round-replies-safety-76a4ae25': ['7 p2 receive !cause: receives m″ from p1', 'p2 orphan'],
    'split-adoption-safety-900ffdce': ['6 p1 receive !cause: receives m′ from p0 (stale: inc 0 < 1)', 'p1 orphan'],
    'strict-replay-filter-liveness-0606b066': ['12 p0 reject !cause: rejects m from p2 (stale)', 'p0 stuck'],
    'unordered-replay-safety-23a32a0d': ['3 p1 receive !cause: receives m″ from p0', 'p1 orphan'],
  };

  it('covers every file of the corpus', () => {
    expect(Object.keys(expected).map((n) => `${n}.itf.json`)).toEqual(names);
  });

  for (const name of names) {
    it(name, () => {
      const d = diagramOf(name);
      const mark = MARKS[d.property];
      expect(mark, `a mark for ${d.property}`).toBeDefined();
      expect(mark!(d), JSON.stringify(mark!(d))).toEqual(expected[name.replace('.itf.json', '')]);
    });
  }
});
