/**
 * The SVG layout's guarantees, checked on every counterexample file the
 * repository ships (counterexamples/, docs/, test/corpus/modules/) and on
 * hand-built diagrams: the <text> elements of the document are exactly the
 * boxes layoutSvg reports, no two of them overlap, every one lies inside the
 * picture, the legend lists only the symbols drawn, and a message still in
 * flight ends on its addressee's lane. The checker itself is shown to catch
 * overlapping texts.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { specRegistry } from '../../specs/index.js';
import { diagramOfFile } from '../../src/cli/commands/render.js';
import { recordedModule } from '../../src/cli/specModule.js';
import type { Diagram, DiagramEvent } from '../../src/index.js';
import { decodeCounterexample } from '../../src/trace/index.js';
import { layoutSvg, type SvgLayout } from '../../src/trace/render/svg.js';
import { type Anchor, type Box, Boxes, boxesOverlap, escapeXml, LEGEND, type LegendKey, segmentCrosses, textWidth, wrap } from '../../src/trace/render/svgParts.js';
import { renderText, TEXT_LEGEND } from '../../src/trace/render/text.js';
import { small } from './smallDiagram.js';
import { xmlProblems } from './xml.js';

interface DrawnText {
  readonly x: number;
  readonly y: number;
  readonly size: number;
  readonly anchor: Anchor;
  readonly bold: boolean;
  /** As written in the document (escaped). */
  readonly content: string;
}

/** Every <text> element of an SVG document, in document order, read from its attributes. */
function textsOf(svg: string): DrawnText[] {
  return [...svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map(([, attrs, content]) => {
    const attr = (name: string) => new RegExp(`(?:^| )${name}="([^"]*)"`).exec(attrs!)?.[1];
    return {
      x: Number(attr('x')),
      y: Number(attr('y')),
      size: Number(attr('font-size')),
      anchor: (attr('text-anchor') ?? 'start') as Anchor,
      bold: attr('font-weight') === 'bold',
      content: content!,
    };
  });
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** The box of a drawn text, by the renderer's own width estimate. */
const boxOf = (t: DrawnText): Box => Boxes.ofText(t.x, t.y, unescape(t.content), t.size, t.anchor, t.bold);

/** The pairs of texts whose boxes overlap, as "a" × "b". */
function overlaps(texts: readonly DrawnText[]): string[] {
  const boxes = texts.map(boxOf);
  const out: string[] = [];
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      if (boxesOverlap(boxes[i]!, boxes[j]!)) out.push(`"${texts[i]!.content}" × "${texts[j]!.content}"`);
    }
  }
  return out;
}

/** The texts whose boxes reach outside a width × height picture. */
function outside(texts: readonly DrawnText[], width: number, height: number): string[] {
  return texts.filter((t) => {
    const b = boxOf(t);
    return b.x0 < 0 || b.y0 < 0 || b.x1 > width || b.y1 > height;
  }).map((t) => t.content);
}

/** The size the document declares. */
function sizeOf(svg: string): { width: number; height: number } {
  const m = /^<svg [^>]*width="(\d+)" height="(\d+)" viewBox="0 0 \1 \2"/.exec(svg);
  expect(m).not.toBeNull();
  return { width: Number(m![1]), height: Number(m![2]) };
}

/** What every laid-out picture must satisfy; returns nothing, fails the test on a breach. */
function expectClean(layout: SvgLayout): void {
  const texts = textsOf(layout.svg);
  expect(texts).toEqual(layout.texts.map((t) => ({ x: t.x, y: t.y, size: t.size, anchor: t.anchor, bold: t.bold, content: escapeXml(t.content) })));
  expect(overlaps(texts)).toEqual([]);
  const { width, height } = sizeOf(layout.svg);
  expect([width, height]).toEqual([layout.width, layout.height]);
  expect(outside(texts, width, height)).toEqual([]);
  expect(xmlProblems(layout.svg)).toEqual([]);
}

/** The legend keys a diagram's events call for, by kind (the arrows' keys are checked through their markers). */
function expectLegendMatches(diagram: Diagram, layout: SvgLayout): void {
  const has = (kind: DiagramEvent['kind']) => diagram.events.some((e) => e.kind === kind);
  const legend = new Set(layout.legend);
  expect(legend.has('crash')).toBe(has('crash'));
  expect(legend.has('restart')).toBe(has('restart'));
  expect(legend.has('round')).toBe(diagram.events.some((e) => e.kind === 'round' && !e.restart));
  expect(legend.has('roundRestart')).toBe(diagram.events.some((e) => e.kind === 'round' && e.restart));
  expect(legend.has('violation')).toBe(diagram.highlights.length > 0);
  expect(legend.has('hosts')).toBe(has('hosts'));
  expect(legend.has('stableWrite')).toBe(has('stableWrite'));
  expect(legend.has('violationMark')).toBe(has('violation'));
  expect(legend.has('rejected')).toBe(layout.svg.includes('marker-end="url(#bar-stale)"'));
  expect(legend.has('dropped')).toBe(layout.svg.includes('marker-end="url(#drop)"'));
  expect(legend.has('inFlight')).toBe(/marker-end="url\(#open-/.test(layout.svg));
  expect(legend.has('cause')).toBe(layout.svg.includes('marker-end="url(#head-cause)"'));
  // In LEGEND's order, each once, and its labels drawn.
  expect(layout.legend).toEqual(LEGEND.map((item) => item.key).filter((key) => legend.has(key)));
  const drawn = new Set(textsOf(layout.svg).map((t) => unescape(t.content)));
  for (const item of LEGEND) expect(drawn.has(item.label), item.label).toBe(legend.has(item.key));
}

/** Each message in flight at the end: its arrow ends on its addressee's lane (the y of the lane's name, less 5). */
function expectStubsOnTheirLanes(diagram: Diagram, layout: SvgLayout): number {
  const laneY = new Map(layout.texts.filter((t) => t.size === 15 && t.anchor === 'end').map((t) => [t.content, t.y - 5]));
  const stubs = [...layout.svg.matchAll(/<path d="M[\d.]+,[\d.]+ L[\d.]+,([\d.]+)"[^>]* marker-end="url\(#open-[a-z]+\)"><title>[^<]*, still in flight to ([^<]*) at the end<\/title>/g)];
  const inFlight = diagram.events.filter((e) => e.kind === 'send').length - diagram.events.filter((e) => e.kind === 'receive' || e.kind === 'reject' || e.kind === 'drop').length;
  expect(stubs).toHaveLength(inFlight);
  for (const [, y2, to] of stubs) expect(Number(y2), `stub to ${to}`).toBe(laneY.get(unescape(to!)));
  return stubs.length;
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const corpus = ['counterexamples/', 'docs/', 'test/corpus/modules/'].flatMap((folder) =>
  readdirSync(`${root}${folder}`)
    .filter((name) => name.endsWith('.itf.json'))
    .sort()
    .map((name) => `${folder}${name}`),
);

// A module's counterexample loads its module, which imports the package rrcheck: this repository's dist/.
beforeAll(() => {
  execFileSync(`${root}node_modules/.bin/tsc`, ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'pipe' });
}, 120_000);

describe('the SVG of every corpus file', () => {
  it('covers the whole corpus: 23 counterexamples, the README picture, a spec module', () => {
    expect(corpus.filter((f) => f.startsWith('counterexamples/'))).toHaveLength(23);
    expect(corpus).toContain('docs/naive-2.2.itf.json');
    expect(corpus).toContain('test/corpus/modules/two-phase-commit-TCConsistent-8b738a1b.itf.json');
  });

  it.each(corpus)('%s: texts as laid out, none overlapping, all inside; legend of what is drawn; stubs on their lanes', async (file) => {
    const path = `${root}${file}`;
    const decoded = decodeCounterexample(readFileSync(path, 'utf8'));
    if (decoded.status !== 'ok') throw new Error(decoded.message);
    const { meta } = decoded.file;
    const registry = meta.module === undefined ? specRegistry : (await recordedModule(meta.module, path)).module.specs;
    const diagram = diagramOfFile(decoded.file, path, { registry });
    const layout = layoutSvg(diagram);
    expectClean(layout);
    // Every label found a free place among its own candidates, none moved away or left out.
    expect(layout.crowded).toBe(0);
    expectLegendMatches(diagram, layout);
    expectStubsOnTheirLanes(diagram, layout);
  });
});

describe('the checks catch what they should', () => {
  it('two texts at one place overlap; side by side, or one under the other, they do not', () => {
    const a = { x: 10, y: 20, size: 10, anchor: 'start' as const, bold: false, content: 'resend?→p2 …' };
    expect(overlaps([a, { ...a, content: 'resend?→p0 …' }])).toEqual(['"resend?→p2 …" × "resend?→p0 …"']);
    expect(overlaps([a, { ...a, x: 12 + textWidth(a.content, 10) }])).toEqual([]);
    expect(overlaps([a, { ...a, y: 31 }])).toEqual([]);
    expect(overlaps([a, { ...a, y: 28 }])).toHaveLength(1);
    expect(outside([{ ...a, x: 700 }], 760, 100)).toEqual(['resend?→p2 …']);
  });

  it('reads the texts of a document with their anchors and weights', () => {
    const svg = '<svg><text x="5" y="9.5" font-size="13" text-anchor="end" font-weight="bold">a &amp; b</text><text x="1" y="2" font-size="9">c</text></svg>';
    expect(textsOf(svg)).toEqual([
      { x: 5, y: 9.5, size: 13, anchor: 'end', bold: true, content: 'a &amp; b' },
      { x: 1, y: 2, size: 9, anchor: 'start', bold: false, content: 'c' },
    ]);
  });

  it('Boxes: a label whose only place is taken moves to the nearest free one (an optional one is left out), and is counted as crowded', () => {
    const boxes = new Boxes({ left: 4, top: 0 });
    const placed = [1, 2, 3, 4, 5].map(() => boxes.place([[50, 100]], 'resend?→p2 …', { size: 9 }));
    expect(placed.map((svg) => /y="([\d.]+)"/.exec(svg)?.[1])).toEqual(['100', '111', '89', '122', '78']);
    expect(boxes.place([[50, 100]], 'dep r1', { size: 9 }, true)).toBe('');
    expect(boxes.crowded).toBe(5);
    expect(overlaps(textsOf(placed.join('')))).toEqual([]);
    expect(boxes.texts.map((t) => t.y)).toEqual([100, 111, 89, 122, 78]);
  });

  it('a segment crosses a box it passes through, not one it passes by', () => {
    const box = { x0: 0, y0: 0, x1: 10, y1: 10 };
    expect(segmentCrosses(box, -5, 5, 15, 5)).toBe(true);
    expect(segmentCrosses(box, -5, -5, 15, 15)).toBe(true);
    expect(segmentCrosses(box, -5, 12, 15, 12)).toBe(false);
    expect(segmentCrosses(box, 12, -5, 30, 20)).toBe(false);
  });
});

/** `count` messages from a to b, all sent at step 0 and received at step 1, with long names: their labels would all fall at one place. */
function crowd(count: number): Diagram {
  const events: DiagramEvent[] = [];
  for (let i = 0; i < count; i++) {
    events.push({ kind: 'send', time: 0, lane: 0, message: i, to: 1, messageClass: 'application', name: `message number ${i}`, text: `message ${i}` });
  }
  for (let i = 0; i < count; i++) events.push({ kind: 'receive', time: 1, lane: 1, message: i, text: `gets ${i}` });
  return { title: '', processes: ['a', 'b'], labels: ['b gets them all'], events, highlights: [], property: '', explanation: '' };
}

describe('placement', () => {
  it('keeps the labels of arrows that share their ends apart, widening the columns when they do not fit', () => {
    const three = layoutSvg(crowd(3));
    expectClean(three);
    expect(three.columnWidth).toBe(110); // one step spread over the narrowest picture, as far as MAX_DX
    const twelve = layoutSvg(crowd(12));
    expectClean(twelve);
    expect(twelve.columnWidth).toBeGreaterThan(110);
    expect(textsOf(twelve.svg).filter((t) => t.content.startsWith('message number '))).toHaveLength(12);
  });

  it('places the labels of small, a diagram with every kind of event, apart and inside', () => {
    const layout = layoutSvg(small);
    expectClean(layout);
    expect(layout.crowded).toBe(0);
    expectLegendMatches(small, layout);
    expect(expectStubsOnTheirLanes(small, layout)).toBe(1);
  });

  it('wraps a long explanation and a long highlight to the picture, and cuts a word longer than a line', () => {
    const long = 'the explanation goes on and on, '.repeat(12) + 'x'.repeat(200);
    const diagram: Diagram = { ...crowd(1), property: 'safety', explanation: long, highlights: [{ lane: 1, kind: 'orphan', text: `orphan: ${long}` }] };
    const layout = layoutSvg(diagram);
    expectClean(layout);
    expect(layout.width).toBe(760);
    const lines = layout.texts.filter((t) => t.size === 11 && !t.bold).map((t) => t.content);
    expect(lines.join(' ').replace(/x /g, 'x')).toContain('on and on, the explanation');
    expect(lines.length).toBeGreaterThan(5);
    expect(layout.texts.filter((t) => t.bold && t.size === 11 && t.anchor === 'end').length).toBeGreaterThan(5); // the highlight's lines
  });

  it('wraps a heading longer than the picture, and moves the lanes below it', () => {
    const title = `spec — ${Array.from({ length: 30 }, (_, i) => `param${i}=value${i}`).join(' ')}`;
    const layout = layoutSvg({ ...crowd(1), title });
    expectClean(layout);
    expect(layout.width).toBe(760);
    expect(layout.texts.filter((t) => t.size === 15 && t.bold && t.anchor === 'start').length).toBeGreaterThan(2);
  });

  it('makes room left of the lanes for long process names', () => {
    const layout = layoutSvg({ ...crowd(2), processes: ['the-coordinator-process', 'a-participant'] });
    expectClean(layout);
  });

  it('wrap() keeps words whole where they fit and cuts only a word wider than the line', () => {
    expect(wrap('aaa bbb ccc', 10, textWidth('aaa bbb', 10))).toEqual(['aaa bbb', 'ccc']);
    expect(wrap('x'.repeat(30), 10, textWidth('x'.repeat(10), 10))).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(10)]);
    expect(wrap('', 10, 100)).toEqual([]);
  });
});

describe('legends of the symbols used', () => {
  const quiet = crowd(1);

  it('SVG: a picture without crashes, rounds or violations has none of their entries', () => {
    const layout = layoutSvg(quiet);
    expect(layout.legend).toEqual(['application']);
    expect(layout.svg).not.toContain('>crash</text>');
    expect(layout.svg).not.toContain('>the violation (orphan, stuck…)</text>');
  });

  it('SVG: small has every entry but the copy (its copy ends rejected), the stale accepted (drawn as the cause) and the blocked, replaying and restarted-round lanes', () => {
    const missing: LegendKey[] = ['hosts', 'stableWrite', 'violationMark', 'copy', 'staleAccepted', 'roundRestart', 'replaying', 'blocked'];
    expect(layoutSvg(small).legend).toEqual(LEGEND.map((i) => i.key).filter((k) => !missing.includes(k)));
  });

  it('text: only the marks drawn', () => {
    expect(renderText(quiet).trimEnd().split('\n').at(-1)).toBe('legend: ○ send  ● receive; lanes: │ live');
    expect(renderText(small)).not.toContain(TEXT_LEGEND);
    // b's round begins where it restarts, and ends where it receives r: one glyph a cell, the restart's and the receipt's.
    expect(renderText(small)).toContain('\nlegend: ○ send  ● receive  ⊣ rejected  ∘ dropped  ✕ crash  ↻ restart  ! cause/lost; lanes: │ live  ┆ recovering\n');
  });
});
