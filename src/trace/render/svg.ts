/**
 * A space-time diagram as hand-written SVG (no browser, no dependency), in
 * the style of the paper's Figure 1 turned on its side: one horizontal line
 * per process, time flowing left to right one column per step, messages as
 * arrows from the send to the delivery (they may cross), crashes, restarts,
 * gathering rounds, rejected and dropped messages, messages still in flight
 * at the end (running to their addressee's lane past the last step), and the
 * lanes the violation is about in red. A legend of the symbols drawn, the
 * violated property with its explanation, and the numbered step labels
 * follow the picture. Pure and deterministic: a Diagram in, a string out.
 *
 * Layout guarantees (test/trace/svgLayout.test.ts checks them on every
 * corpus file): every text is placed through `Boxes`, no two texts overlap,
 * and every text lies inside the picture; notes wrap to the picture's width.
 * When a label finds no free place near what it names, the columns and lanes
 * are spaced wider and the picture is laid out again.
 */
import { type Diagram, type DiagramMessage, type LanePhase, diagramMessages, highlightLine } from '../../core/diagram.js';
import {
  bandRect,
  Boxes,
  COLOURS,
  crashGlyph,
  escapeXml,
  FONT,
  type LaidOutText,
  type LegendKey,
  legendItems,
  markers,
  num,
  restartGlyph,
  roundGlyph,
  type TextOptions,
  textWidth,
  wrap,
} from './svgParts.js';
import { sendWithContent } from './logging.js';
import { loggingMark } from './svgLogging.js';

/** The default width of a step's column and gap between lanes, and the height of the first lane, in px. */
const DX = 64;
const MAX_DX = 110;
const LANE_GAP = 104;
const TOP = 100;
/** How far the layout may widen columns (and, half as much, lane gaps) to give every label a free place. */
const SCALES = [1, 1.25, 1.5, 1.75, 2, 2.5] as const;
/** How many rows above or below its lane an event's label may take (further off, it would not read as the event's). */
const EVENT_ROWS = 3;
/** The narrowest picture. */
const MIN_WIDTH = 760;
/** The picture's margin left and right of the notes, legend and step labels. */
const MARGIN = 20;

const LANE_STYLE: Record<LanePhase, string> = {
  live: `stroke="${COLOURS.ink}" stroke-width="2"`,
  crashed: `stroke="${COLOURS.crashed}" stroke-width="1.5" stroke-dasharray="2 4"`,
  recovering: `stroke="${COLOURS.recovering}" stroke-width="5" stroke-dasharray="10 3"`,
  replaying: `stroke="${COLOURS.replaying}" stroke-width="5" stroke-opacity="0.85"`,
  blocked: `stroke="${COLOURS.blocked}" stroke-width="5"`,
};

interface Style {
  readonly colour: string;
  readonly width: number;
  readonly dash?: string;
  readonly marker: string;
}

function messageStyle(m: DiagramMessage): Style {
  const { send, end } = m;
  if (end?.emphasis === 'cause') return { colour: COLOURS.cause, width: 2.8, marker: 'head-cause' };
  if (end?.kind === 'reject') return { colour: COLOURS.stale, width: 2, dash: '6 3', marker: 'bar-stale' };
  if (end?.kind === 'receive' && end.stale) return { colour: COLOURS.stale, width: 2, marker: 'head-stale' };
  const base =
    send.messageClass === 'application'
      ? { colour: COLOURS.application, width: 2, marker: 'head-application' }
      : send.messageClass === 'copy'
        ? { colour: COLOURS.copy, width: 2, dash: '8 3', marker: 'head-copy' }
        : { colour: COLOURS.control, width: 1.1, marker: 'head-control' };
  if (end === undefined) return { ...base, dash: '3 3', marker: base.marker.replace('head', 'open') };
  if (end.kind === 'drop') return { ...base, dash: '1 3', marker: 'drop' };
  return base;
}

/** The legend entries of a message's arrow as messageStyle() draws it: its colour, or what overrides it. */
function messageKeys(m: DiagramMessage): LegendKey[] {
  const { send, end } = m;
  if (end?.emphasis === 'cause') return ['cause'];
  if (end?.kind === 'reject') return ['rejected'];
  if (end?.kind === 'receive' && end.stale) return ['staleAccepted'];
  if (end === undefined) return [send.messageClass, 'inFlight'];
  if (end.kind === 'drop') return [send.messageClass, 'dropped'];
  return [send.messageClass];
}

/** The text beside an arrow: its name and what became of it. */
function arrowName(m: DiagramMessage, processes: readonly string[]): string {
  const { send, end } = m;
  const name = sendWithContent(send, processes);
  if (end === undefined) return `${name}→${processes[send.to]} …`;
  if (end.kind === 'reject') return `${name} ⊣ ${end.reason}`;
  if (end.kind === 'receive' && end.stale) return `${name} (stale)`;
  if (end.kind === 'receive' && end.replay) return `${name} (replay)`;
  return name;
}

/** The diagram laid out: the SVG document, its size, and every text in it with the box it takes. */
export interface SvgLayout {
  readonly svg: string;
  readonly width: number;
  readonly height: number;
  /** Every <text> of `svg`, in document order, with its box; no two boxes overlap. */
  readonly texts: readonly LaidOutText[];
  /** The legend's entries: the symbols drawn, in the legend's fixed order. */
  readonly legend: readonly LegendKey[];
  /** The width of a step's column and the gap between lanes the layout settled on, in px. */
  readonly columnWidth: number;
  readonly laneGap: number;
  /** Labels that found no free place near what they name even at the widest spacing (moved further away, or a control message's name left out). */
  readonly crowded: number;
}

/** The diagram as a standalone SVG document (deterministic: equal diagrams give equal text). */
export function renderSvg(diagram: Diagram): string {
  return layoutSvg(diagram).svg;
}

/**
 * The diagram laid out (see SvgLayout): at the default spacing if every
 * label finds a free place there, else at the first wider spacing where all
 * do (or the widest).
 */
export function layoutSvg(diagram: Diagram): SvgLayout {
  let last: SvgLayout | undefined;
  // A short trace spreads over the narrowest picture (up to MAX_DX a step) rather than leave it empty on the right.
  const T = diagram.labels.length;
  const base = Math.max(DX, Math.min(MAX_DX, Math.floor((MIN_WIDTH - 48 - 24 - 96) / (T + 0.8))));
  for (const scale of SCALES) {
    const dx = Math.round(base * scale);
    const laneGap = Math.round(LANE_GAP * (1 + (scale - 1) / 2));
    // The heading wraps to the picture's width, and the lanes start low
    // enough for it and for the labels above the first lane: lay out again
    // (everything below the heading moves with `top`) until they agree.
    let top = TOP;
    let attempt = layoutOnce(diagram, dx, laneGap, top);
    for (let i = 0; i < 4 && attempt.top !== top; i++) {
      top = attempt.top;
      attempt = layoutOnce(diagram, dx, laneGap, top);
    }
    last = attempt.layout;
    if (last.crowded === 0) return last;
  }
  return last!;
}

/** The heading's lines: the title and the verdict, wrapped to `width`. */
function headingLines(diagram: Diagram, width: number): { title: string[]; verdict: string[] } {
  const T = diagram.labels.length;
  const title = diagram.title === '' ? 'space-time diagram' : diagram.title;
  const steps = `${T} step${T === 1 ? '' : 's'}`;
  const verdict = diagram.property === '' ? steps : `${diagram.property} violated after ${steps}`;
  return { title: wrap(title, 15, width, true), verdict: wrap(`${verdict} · time flows left to right, one column per step`, 11, width) };
}

/** One layout at the given spacing, with the first lane at `top`; `top` in the result is where the first lane must be for the heading to fit above. */
function layoutOnce(diagram: Diagram, dx: number, laneGap: number, top: number): { layout: SvgLayout; top: number } {
  const { processes, labels, events } = diagram;
  const T = labels.length;
  const highlightOf = new Map(diagram.highlights.map((h) => [h.lane, h]));
  // Room left of the lanes for the longest name (and the role under a highlighted one).
  const nameWidth = Math.max(
    ...processes.map((p) => textWidth(p, 15, true)),
    ...diagram.highlights.map((h) => textWidth(h.kind, 10, true)),
    textWidth('step', 10),
  );
  const LEFT = Math.max(96, Math.ceil(nameWidth) + 16);
  const x = (t: number) => LEFT + 24 + t * dx;
  const y = (lane: number) => top + lane * laneGap;
  const xEnd = x(T) + Math.max(dx * 0.8, 52);
  const messages = diagramMessages(diagram);
  // Labels may go anywhere right of the picture's edge; the caller moves the lanes down if they rise into the heading.
  const boxes = new Boxes({ left: 4, top: -Infinity });
  const used = new Set<LegendKey>();
  const back: string[] = []; // grid, bands, lanes
  const lines: string[] = []; // arrows
  const glyphs: string[] = [];
  const labelsSvg: string[] = [];

  // Faint time grid and the step axis.
  const axisY = y(processes.length - 1) + 62;
  for (let t = 0; t <= T; t++) {
    back.push(`<line x1="${num(x(t))}" y1="${top - 44}" x2="${num(x(t))}" y2="${axisY - 12}" stroke="${COLOURS.grid}" stroke-width="1"/>`);
    back.push(boxes.fixed(x(t), axisY, String(t), { size: 10, fill: '#888', anchor: 'middle' }));
  }
  back.push(boxes.fixed(LEFT - 8, axisY, 'step', { size: 10, fill: '#888', anchor: 'end' }));
  if (diagram.loopStart !== undefined) {
    const ly = axisY + 14;
    back.push(`<path d="M${num(x(diagram.loopStart))},${ly - 6} v6 H${num(x(T))} v-6" fill="none" stroke="${COLOURS.cause}" stroke-width="1.5"/>`);
    back.push(boxes.fixed((x(diagram.loopStart) + x(T)) / 2, ly + 12, `↺ steps ${diagram.loopStart + 1}–${T} repeat forever`, { size: 10, fill: COLOURS.cause, anchor: 'middle' }));
  }

  // Lanes, in segments by phase; a highlighted lane red on a pale red band from the violation's cause.
  processes.forEach((name, lane) => {
    const h = highlightOf.get(lane);
    const ly = y(lane);
    if (h !== undefined) {
      used.add('violation');
      const cause = events.find((e) => e.lane === lane && e.emphasis === 'cause');
      const from = x(cause?.time ?? 0) - 12;
      back.push(`<rect x="${num(from)}" y="${ly - 22}" width="${num(xEnd - from + 10)}" height="44" rx="6" fill="${COLOURS.cause}" fill-opacity="0.09"/>`);
    }
    back.push(boxes.fixed(LEFT - 8, ly + 5, name, { size: 15, bold: true, anchor: 'end', fill: h ? COLOURS.cause : COLOURS.ink }));
    if (h !== undefined) back.push(boxes.fixed(LEFT - 8, ly + 19, h.kind, { size: 10, bold: true, anchor: 'end', fill: COLOURS.cause }));
    boxes.addLine(x(0) - 12, ly, xEnd, ly);
    let start = x(0) - 12;
    let phase: LanePhase = 'live';
    const segment = (end: number) => {
      const style = h !== undefined && phase === 'live' ? `stroke="${COLOURS.cause}" stroke-width="2.5"` : LANE_STYLE[phase];
      if (end <= start) return;
      back.push(`<line x1="${num(start)}" y1="${ly}" x2="${num(end)}" y2="${ly}" ${style}/>`);
      if (phase !== 'live') used.add(phase);
    };
    for (const e of events) {
      if (e.kind !== 'phase' || e.lane !== lane) continue;
      if (e.time > 0) {
        segment(x(e.time));
        start = x(e.time);
      }
      phase = e.phase;
    }
    segment(xEnd);
  });

  // Gathering rounds: a band on the leader's lane from the round's beginning to its end.
  for (const e of events) {
    if (e.kind !== 'round') continue;
    const end = events.find((f) => f.kind === 'roundEnd' && f.lane === e.lane && f.round === e.round);
    const right = end === undefined ? xEnd : x(end.time);
    back.push(bandRect(x(e.time), y(e.lane), right - x(e.time), e.restart ? COLOURS.roundRestart : COLOURS.round));
    // The band's edges, so that labels keep off it too.
    for (const edge of [y(e.lane) - 9, y(e.lane) + 9]) boxes.addLine(x(e.time), edge, right, edge);
  }

  // Messages: arrows from the send to where the message ended. One still in
  // flight runs to its addressee's lane past the last step, with an open
  // head; several to one lane end side by side.
  const inFlightTo = new Map<number, number>();
  const arrows = messages.map((m) => {
    const { send, end } = m;
    const style = messageStyle(m);
    for (const key of messageKeys(m)) used.add(key);
    const x1 = x(send.time);
    const y1 = y(send.lane);
    let x2: number;
    let y2: number;
    if (end === undefined) {
      const k = inFlightTo.get(send.to) ?? 0;
      inFlightTo.set(send.to, k + 1);
      x2 = Math.max(xEnd - 4 - 12 * k, x1 + 12);
      y2 = y(send.to);
    } else {
      x2 = x(end.time);
      y2 = y(end.lane);
    }
    const dash = style.dash === undefined ? '' : ` stroke-dasharray="${style.dash}"`;
    const curved = y1 === y2;
    const curve = curved ? ` Q${num((x1 + x2) / 2)},${num(y1 - 36)} ` : ' L';
    const fate = end === undefined ? `, still in flight to ${processes[send.to]} at the end` : `; ${end.text} at step ${end.time}`;
    lines.push(
      `<path d="M${num(x1)},${num(y1)}${curve}${num(x2)},${num(y2)}" fill="none" stroke="${style.colour}" stroke-width="${style.width}"${dash} marker-end="url(#${style.marker})">` +
        `<title>${escapeXml(`${send.text}, sent at step ${send.time}${fate}`)}</title></path>`,
    );
    glyphs.push(`<circle cx="${num(x1)}" cy="${num(y1)}" r="2.8" fill="${style.colour}"/>`);
    // The arrow as a point at fraction a of its way (a curve peaks 18 px above its lane).
    const at = (a: number): readonly [number, number] => [x1 + (x2 - x1) * a, curved ? y1 - 72 * a * (1 - a) : y1 + (y2 - y1) * a];
    if (curved) for (let i = 0; i < 8; i++) boxes.addLine(...at(i / 8), ...at((i + 1) / 8));
    else boxes.addLine(x1, y1, x2, y2);
    return { m, style, at, curved, descending: y2 > y1 };
  });

  // Glyphs on the lanes; each one's box keeps labels off it.
  const glyphBox = (cx: number, cy: number, r: number) => boxes.add({ x0: cx - r, y0: cy - r, x1: cx + r, y1: cy + r });
  for (const { at } of arrows) glyphBox(...at(0), 3);
  const pending: { time: number; lane: number; content: string; side: 'above' | 'below'; o: TextOptions }[] = [];
  const label = (e: { time: number; lane: number }, side: 'above' | 'below', content: string, o: TextOptions) => pending.push({ time: e.time, lane: e.lane, content, side, o });
  for (const e of events) {
    const ex = x(e.time);
    const ey = y(e.lane);
    // What the logging did (svgLogging.ts): a glyph and a label, placed like the others.
    const logging = loggingMark(e, ex, ey, processes);
    if (logging !== undefined) {
      if (logging.glyph !== undefined) {
        glyphs.push(logging.glyph.svg);
        glyphBox(ex, ey, logging.glyph.radius);
      }
      if (logging.legend !== undefined) used.add(logging.legend);
      label(e, logging.side, logging.text, logging.options);
    }
    switch (e.kind) {
      case 'receive': {
        const colour = e.emphasis === 'cause' ? COLOURS.cause : e.stale ? COLOURS.stale : COLOURS.ink;
        glyphs.push(`<circle cx="${num(ex)}" cy="${ey}" r="${e.emphasis === 'cause' ? 5 : 3.2}" fill="${colour}"/>`);
        glyphBox(ex, ey, e.emphasis === 'cause' ? 6 : 4);
        if (e.emphasis === 'lost') {
          glyphs.push(`<circle cx="${num(ex)}" cy="${ey}" r="8" fill="none" stroke="${COLOURS.cause}" stroke-width="1.8" stroke-dasharray="3 2"/>`);
          glyphBox(ex, ey, 9);
          const crash = events.find((c) => c.kind === 'crash' && c.lane === e.lane && c.time > e.time);
          label(e, 'below', crash === undefined ? 'lost' : `lost (crash at ${crash.time})`, { size: 10, fill: COLOURS.cause, bold: true });
        }
        if (e.emphasis === 'cause') label(e, 'below', 'the violation’s cause', { size: 10, fill: COLOURS.cause, bold: true });
        break;
      }
      case 'reject':
        glyphBox(ex, ey, 8);
        label(e, 'below', `rejected (${e.reason})`, { size: 10, fill: COLOURS.stale, bold: true });
        break;
      case 'crash':
        used.add('crash');
        glyphs.push(crashGlyph(ex, ey));
        glyphBox(ex, ey, 9);
        label(e, 'below', 'crash', { size: 11, fill: COLOURS.crash, bold: true });
        break;
      case 'restart':
        used.add('restart');
        glyphs.push(restartGlyph(ex, ey));
        glyphBox(ex, ey, 7);
        label(e, 'below', `restart, inc ${e.incarnation}`, { size: 10, fill: COLOURS.restart, bold: true });
        break;
      case 'round': {
        used.add(e.restart ? 'roundRestart' : 'round');
        const cause = e.emphasis === 'cause';
        glyphs.push(roundGlyph(ex, ey, e.restart ? COLOURS.roundRestart : COLOURS.round, cause ? COLOURS.cause : '#7a5c00'));
        glyphBox(ex, ey, 10);
        label(e, 'above', e.restart ? `↻ ${e.text}` : `gathering ${e.text}`, { size: 10, fill: cause ? COLOURS.cause : COLOURS.roundText, bold: true });
        break;
      }
      case 'roundEnd':
        if (e.outcome === 'complete') label(e, 'above', `round ${e.round} complete`, { size: 9, fill: COLOURS.roundText });
        break;
      case 'mark':
        label(e, 'above', e.text, { size: 10, fill: '#555', italic: true });
        break;
      default:
        break;
    }
  }

  // Rows above or below a lane for the labels of its events, nearest first;
  // in each row the place centred on the event, then beginning or ending at it.
  const rows = (side: 'above' | 'below', ly: number) => [0, 1, 2, 3, 4].map((r) => (side === 'below' ? ly + 27 + r * 13 : ly - 16 - r * 13));
  const around = (ex: number, side: 'above' | 'below', ly: number, w: number) =>
    rows(side, ly)
      .slice(0, EVENT_ROWS)
      .flatMap((ry) => [ex, ex + w / 2 - 6, ex - w / 2 + 6].map((cx) => [cx, ry] as const));

  // The violation at the end of each highlighted lane, labelled first so it gets the best place;
  // wrapped to fit between the first step and the right edge of the narrowest picture.
  const noteWidth = Math.max(xEnd + 48, MIN_WIDTH) - 26 - (x(0) - 12);
  for (const h of diagram.highlights) {
    const ey = y(h.lane);
    glyphs.push(`<circle cx="${num(x(T))}" cy="${ey}" r="9" fill="none" stroke="${COLOURS.cause}" stroke-width="2.5"/>`);
    glyphBox(x(T), ey, 10);
    const o: TextOptions = { size: 11, fill: COLOURS.cause, bold: true, anchor: 'end' };
    const wrapped = wrap(highlightLine(h), 11, noteWidth, true);
    const right = Math.max(xEnd + 6, x(0) - 12 + Math.max(...wrapped.map((l) => textWidth(l, 11, true))));
    const candidates = [...rows('below', ey), ...rows('above', ey - (wrapped.length - 1) * 14)].map((ly) => [right, ly] as const);
    labelsSvg.push(boxes.placeLines(candidates, wrapped, o, 14));
  }
  for (const { time, lane, content, side, o } of pending) {
    const w = textWidth(content, o.size ?? 11, o.bold);
    const ex = x(time);
    labelsSvg.push(boxes.place(around(ex, side, y(lane), w), content, { ...o, anchor: 'middle' }));
  }

  // Arrow labels last, each beside its arrow (on the side its own line does
  // not cross), at the first free place along it; application messages
  // first. A control message's label is left out where there is no room
  // (its tooltip keeps it), and the layout counts it as crowded.
  const order = [...arrows.filter((a) => a.m.send.messageClass !== 'control'), ...arrows.filter((a) => a.m.send.messageClass === 'control')];
  for (const { m, style, at, curved, descending } of order) {
    const control = m.send.messageClass === 'control';
    const o: TextOptions = control ? { size: 9, fill: style.colour } : { size: 13, fill: style.colour, bold: true };
    const size = o.size!;
    const content = arrowName(m, processes);
    const w = textWidth(content, size, o.bold);
    const along = control ? [0.3, 0.4, 0.2, 0.5, 0.6, 0.7, 0.8] : [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8];
    const candidates: (readonly [number, number])[] = [];
    for (const gap of [3, 12]) {
      for (const a of along) {
        const [px, py] = at(a);
        const above = py - gap - size * 0.25; // baseline of a label whose box ends `gap` above the point
        const below = py + gap + size * 0.8;
        if (curved) candidates.push([px - w / 2, above]);
        else if (descending) candidates.push([px + gap, above], [px - gap - w, below]);
        else candidates.push([px + gap, below], [px - gap - w, above]);
      }
    }
    labelsSvg.push(boxes.place(candidates, content, o, control));
  }

  // The picture's width: what the diagram needs, at least MIN_WIDTH and the widest step label's column.
  const colWidth = Math.max(...labels.map((l, i) => textWidth(String(i + 1), 10) + textWidth(l, 10)), 120) + 30;
  const width = Math.ceil(Math.max(boxes.right + 16, xEnd + 48, MIN_WIDTH, colWidth + 2 * MARGIN));
  const content = width - 2 * MARGIN;
  const foot: string[] = [];

  // Legend (of what was drawn), caption (the violated property and why), then the numbered steps.
  let cy = Math.ceil(Math.max(boxes.bottom, axisY + (diagram.loopStart === undefined ? 4 : 30))) + 26;
  let lx = MARGIN;
  const legend = legendItems(used);
  for (const item of legend) {
    const w = 34 + textWidth(item.label, 10) + 16;
    if (lx > MARGIN && lx + w > content + MARGIN) {
      lx = MARGIN;
      cy += 20;
    }
    foot.push(`<g transform="translate(${num(lx)},${cy})">${item.glyph}</g>${boxes.fixed(lx + 34, cy + 4, item.label, { size: 10, fill: '#444' })}`);
    lx += w;
  }
  if (diagram.property !== '') {
    cy += legend.length === 0 ? 10 : 30;
    for (const line of wrap(`${diagram.property} violated`, 13, content, true)) {
      foot.push(boxes.fixed(MARGIN, cy, line, { size: 13, bold: true, fill: COLOURS.cause }));
      cy += 16;
    }
    for (const line of wrap(diagram.explanation, 11, content)) {
      foot.push(boxes.fixed(MARGIN, cy, line, { size: 11, fill: COLOURS.ink }));
      cy += 16;
    }
    cy -= 16;
  }
  cy += diagram.property === '' ? 34 : 24;
  const cols = Math.max(1, Math.floor(content / colWidth));
  const perCol = Math.max(1, Math.ceil(T / cols));
  labels.forEach((l, i) => {
    const tx = MARGIN + Math.floor(i / perCol) * colWidth;
    const ty = cy + (i % perCol) * 14;
    foot.push(boxes.fixed(tx + 18, ty, String(i + 1), { size: 10, fill: '#888', anchor: 'end' }) + boxes.fixed(tx + 24, ty, l, { size: 10, fill: '#444' }));
  });
  const height = Math.ceil(Math.max(cy + perCol * 14 + 10, boxes.bottom + 10));
  const bodyTop = Math.min(top - 44, ...boxes.texts.map((t) => t.box.y0));

  // The heading, wrapped to the width: if it takes another number of lines than assumed, the caller lays out again.
  const heading = headingLines(diagram, content);
  const head: string[] = [];
  let hy = 28;
  for (const line of heading.title) {
    head.push(boxes.fixed(MARGIN, hy, line, { size: 15, bold: true, fill: COLOURS.ink }));
    hy += 19;
  }
  for (const line of heading.verdict) {
    head.push(boxes.fixed(MARGIN, hy - 1, line, { size: 11, fill: '#666' }));
    hy += 14;
  }

  const steps = `${T} step${T === 1 ? '' : 's'}`;
  const titleText = `${diagram.title === '' ? 'space-time diagram' : diagram.title}: ${diagram.property === '' ? steps : `${diagram.property} violated after ${steps}`}`;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`,
    `<title>${escapeXml(titleText)}</title>`,
    `<defs>${markers()}</defs>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...head,
    ...back,
    ...lines,
    ...glyphs,
    ...labelsSvg.filter((l) => l !== ''),
    ...foot,
    '</svg>',
  ];
  // The texts in document order, as the SVG has them.
  const placed = boxes.texts;
  const body = placed.slice(0, placed.length - head.length);
  const layout: SvgLayout = {
    svg: `${parts.join('\n')}\n`,
    width,
    height,
    texts: [...placed.slice(body.length), ...body],
    legend: legend.map((item) => item.key),
    columnWidth: dx,
    laneGap,
    crowded: boxes.crowded,
  };
  // The lanes as low as the heading needs: its last line's box, a gap, then the grid or the highest label.
  const headBottom = hy - 15 + 11 * 0.25;
  const needed = top + Math.max(0, Math.ceil(headBottom + 6 - bodyTop));
  return { layout, top: needed };
}
