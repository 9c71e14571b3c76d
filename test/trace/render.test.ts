/**
 * The renderers (trace/render) on a small hand-built diagram with one event
 * of every kind: the SVG, Mermaid and text outputs pinned as golden files
 * (test/trace/golden; to accept a deliberate change, run vitest with -u and
 * look at the picture), the SVG well-formed, every output deterministic.
 */
import { describe, expect, it } from 'vitest';
import { diagramMessages } from '../../src/index.js';
import { renderMermaid, renderSvg, renderText } from '../../src/trace/index.js';
import { small } from './smallDiagram.js';
import { xmlProblems } from './xml.js';

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
