/**
 * The renderers (trace/render) on a small hand-built diagram with one event
 * of every kind: the SVG, Mermaid and text outputs pinned as golden files
 * (test/trace/golden; to accept a deliberate change, run vitest with -u and
 * look at the picture), the SVG well-formed, every output deterministic.
 */
import { describe, expect, it } from 'vitest';
import { type Diagram, diagramMessages } from '../../src/index.js';
import { renderMermaid, renderSvg, renderText } from '../../src/trace/index.js';
import { xmlProblems } from './xml.js';

/**
 * a sends m to b, which delivers it and later crashes (the delivery is lost);
 * b restarts, gathers from c in round 1, recovers and sends m′, still in
 * flight at the end; c rejects a duplicate copy x and delivers a stale m″
 * from a, the cause of c being an orphan. a drops b's "ask".
 */
export const small: Diagram = {
  title: 'toy — three lanes & every event',
  processes: ['a', 'b', 'c'],
  labels: ['b gets m', 'b crashes', 'b restarts', 'c answers q', 'b gets r', 'c gets m″'],
  events: [
    { kind: 'phase', time: 0, lane: 0, phase: 'live', text: 'live' },
    { kind: 'phase', time: 0, lane: 1, phase: 'live', text: 'live' },
    { kind: 'phase', time: 0, lane: 2, phase: 'live', text: 'live' },
    { kind: 'send', time: 0, lane: 0, message: 1, to: 1, messageClass: 'application', name: 'm', text: 'm to b' },
    { kind: 'send', time: 0, lane: 1, message: 2, to: 2, messageClass: 'copy', name: 'x', text: 'x to c' },
    { kind: 'send', time: 0, lane: 0, message: 3, to: 2, messageClass: 'application', name: 'm″', text: 'm″ to c' },
    { kind: 'receive', time: 1, lane: 1, message: 1, text: 'receives m from a', emphasis: 'lost' },
    { kind: 'send', time: 1, lane: 1, message: 4, to: 0, messageClass: 'control', name: 'ask', text: 'ask to a' },
    { kind: 'crash', time: 2, lane: 1, text: 'crash' },
    { kind: 'phase', time: 2, lane: 1, phase: 'crashed', text: 'crashed' },
    { kind: 'drop', time: 2, lane: 0, message: 4, text: 'ask from b dropped' },
    { kind: 'restart', time: 3, lane: 1, incarnation: 1, text: 'restart, inc 1' },
    { kind: 'phase', time: 3, lane: 1, phase: 'recovering', text: 'recovering' },
    { kind: 'round', time: 3, lane: 1, round: 1, restart: false, text: 'round 1' },
    { kind: 'send', time: 3, lane: 1, message: 5, to: 2, messageClass: 'control', name: 'q r1', text: 'q r1 to c' },
    { kind: 'receive', time: 4, lane: 2, message: 5, text: 'receives q r1 from b' },
    { kind: 'reject', time: 4, lane: 2, message: 2, reason: 'duplicate', text: 'rejects x from b (duplicate)' },
    { kind: 'send', time: 4, lane: 2, message: 6, to: 1, messageClass: 'control', name: 'r r1', text: 'r r1 to b' },
    { kind: 'receive', time: 5, lane: 1, message: 6, text: 'receives r r1 from c' },
    { kind: 'roundEnd', time: 5, lane: 1, round: 1, outcome: 'complete', text: 'round 1 complete' },
    { kind: 'phase', time: 5, lane: 1, phase: 'live', text: 'live' },
    { kind: 'mark', time: 5, lane: 1, text: 'recovered' },
    { kind: 'send', time: 5, lane: 1, message: 7, to: 2, messageClass: 'application', name: 'm′', text: 'm′ to c' },
    { kind: 'receive', time: 6, lane: 2, message: 3, stale: true, text: 'receives m″ from a (stale)', emphasis: 'cause' },
  ],
  highlights: [{ lane: 2, kind: 'orphan', text: "orphan: depends on b's lost delivery of m" }],
  property: 'safety',
  explanation: "orphan: c depends on b's delivery #1 <of m> & more",
};

describe('diagramMessages', () => {
  it('pairs every send with its receive, rejection or drop, and leaves messages in flight unpaired', () => {
    const pairs = diagramMessages(small).map((m) => `${m.send.name}:${m.end?.kind ?? 'in flight'}@${m.end?.time ?? '-'}`);
    expect(pairs).toEqual(['m:receive@1', 'x:reject@4', 'm″:receive@6', 'ask:drop@2', 'q r1:receive@4', 'r r1:receive@5', 'm′:in flight@-']);
  });
});

describe('renderSvg', () => {
  const svg = renderSvg(small);

  it('is well-formed XML, with the special characters of titles and explanations escaped', () => {
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).toContain('toy — three lanes &amp; every event');
    expect(svg).toContain('&lt;of m&gt; &amp; more');
    // and the checker itself catches what it should
    expect(xmlProblems('<svg><g></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg><text>a & b</text></svg>')).not.toEqual([]);
    expect(xmlProblems('<svg x="1" x="2"/>')).not.toEqual([]);
  });

  it('draws one arrow per message, each with a tooltip, and the marks of every event', () => {
    expect(svg.match(/<path d="M[^"]*" fill="none" stroke="[^"]*" stroke-width="[^"]*"(?: stroke-dasharray="[^"]*")? marker-end=/g)).toHaveLength(7);
    expect(svg.match(/<title>/g)).toHaveLength(8); // the document's and one per arrow
    for (const label of ['crash', 'restart, inc 1', 'gathering round 1', 'round 1 complete', 'recovered', 'rejected (duplicate)', 'm″ (stale)', 'm′→c …', 'lost (crash at 2)', 'the violation’s cause', "orphan: depends on b's lost delivery of m"]) {
      expect(svg).toContain(`>${label.replace(/&/g, '&amp;')}</text>`);
    }
    expect(svg).toContain('marker-end="url(#bar-stale)"'); // the rejected copy ends in a bar
    expect(svg).toContain('marker-end="url(#drop)"');
    expect(svg).toContain('marker-end="url(#open-application)"'); // m′ in flight
    expect(svg).toContain('marker-end="url(#head-cause)"'); // m″, the cause, in red
  });

  it('is deterministic and matches its golden file', async () => {
    expect(renderSvg(small)).toBe(svg);
    await expect(svg).toMatchFileSnapshot('./golden/small.svg');
  });
});

describe('a lasso', () => {
  it('every format says from which step the trace repeats forever', () => {
    const lasso = { ...small, loopStart: 3 };
    expect(renderSvg(lasso)).toContain('>↺ steps 4–6 repeat forever</text>');
    expect(renderText(lasso)).toContain('       ↺ steps 4–6 repeat forever\n');
    expect(renderMermaid(lasso)).toContain('  Note over a,c: ↺ steps 4–6 repeat forever\n');
    expect(xmlProblems(renderSvg(lasso))).toEqual([]);
  });
});

describe('renderMermaid', () => {
  const mermaid = renderMermaid(small);

  it('is a sequenceDiagram with a participant per lane and every arrow drawn at its receipt', () => {
    const lines = mermaid.trimEnd().split('\n');
    expect(lines[0]).toBe('sequenceDiagram');
    expect(lines.filter((l) => l.startsWith('  participant'))).toEqual(['  participant a', '  participant b', '  participant c as c (orphan)']);
    expect(mermaid).toContain('  a->>b: [1] m, sent at 0\n');
    expect(mermaid).toContain('  b--xc: [4] x rejected (duplicate), sent at 0\n');
    expect(mermaid).toContain('  b-)c: m′ sent at 5, still in flight at the end\n');
    expect(mermaid).toContain('  Note over b: [2] ✕ crash\n');
    // Mermaid's special characters are entity codes.
    expect(mermaid).toContain('#35;1 #60;of m#62; & more');
  });

  it('is deterministic and matches its golden file', async () => {
    expect(renderMermaid(small)).toBe(mermaid);
    await expect(mermaid).toMatchFileSnapshot('./golden/small.mmd');
  });
});

describe('renderText', () => {
  const text = renderText(small);

  it('has one row per step, a glyph per lane, and the messages in flight, the highlight and a legend after', () => {
    const rows = text.split('\n').filter((l) => /^ +\d+  /.test(l));
    expect(rows).toHaveLength(7);
    expect(rows[2]).toMatch(/^ {4}2 {2}∘ {2}✕ {2}│ {2}b crashes {2}— ask b→a dropped/);
    expect(text).toContain('in flight at the end: m′ b→c (sent at 5)');
    expect(text).toContain("c — orphan: depends on b's lost delivery of m");
    expect(text).toContain('legend:');
  });

  it('is deterministic and matches its golden file', async () => {
    expect(renderText(small)).toBe(text);
    await expect(text).toMatchFileSnapshot('./golden/small.txt');
  });
});
