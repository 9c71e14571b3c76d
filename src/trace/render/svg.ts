/**
 * A space-time diagram as hand-written SVG (no browser, no dependency), in
 * the style of the paper's Figure 1 turned on its side: one horizontal line
 * per process, time flowing left to right one column per step, messages as
 * arrows from the send to the delivery (they may cross), crashes, restarts,
 * gathering rounds, rejected and dropped messages, messages still in flight
 * at the end, and the lanes the violation is about in red. A legend, the
 * violated property with its explanation, and the numbered step labels
 * follow the picture. Pure and deterministic: a Diagram in, a string out.
 */
import { type Diagram, type DiagramEvent, type DiagramMessage, type LanePhase, diagramMessages, highlightLine } from '../../core/diagram.js';
import {
  bandRect,
  Boxes,
  COLOURS,
  crashGlyph,
  escapeXml,
  FONT,
  legendItems,
  markers,
  num,
  restartGlyph,
  roundGlyph,
  text,
  type TextOptions,
  textWidth,
  wrap,
} from './svgParts.js';
import { sendWithContent } from './logging.js';
import { loggingLegendItems, loggingMark } from './svgLogging.js';

const DX = 64;
const LANE_GAP = 104;
const LEFT = 96;
const TOP = 100;

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

/** The diagram as a standalone SVG document (deterministic: equal diagrams give equal text). */
export function renderSvg(diagram: Diagram): string {
  const { processes, labels, events } = diagram;
  const T = labels.length;
  const x = (t: number) => LEFT + 24 + t * DX;
  const y = (lane: number) => TOP + lane * LANE_GAP;
  const xEnd = x(T) + DX * 0.8;
  const messages = diagramMessages(diagram);
  const highlightOf = new Map(diagram.highlights.map((h) => [h.lane, h]));
  const boxes = new Boxes();
  const back: string[] = []; // grid, bands, lanes
  const lines: string[] = []; // arrows
  const glyphs: string[] = [];
  const labelsSvg: string[] = [];

  // Faint time grid and the step axis.
  const axisY = y(processes.length - 1) + 62;
  for (let t = 0; t <= T; t++) {
    back.push(`<line x1="${num(x(t))}" y1="${TOP - 44}" x2="${num(x(t))}" y2="${axisY - 12}" stroke="${COLOURS.grid}" stroke-width="1"/>`);
    back.push(text(x(t), axisY, String(t), { size: 10, fill: '#888', anchor: 'middle' }));
  }
  back.push(text(LEFT - 8, axisY, 'step', { size: 10, fill: '#888', anchor: 'end' }));
  if (diagram.loopStart !== undefined) {
    const ly = axisY + 14;
    back.push(`<path d="M${num(x(diagram.loopStart))},${ly - 6} v6 H${num(x(T))} v-6" fill="none" stroke="${COLOURS.cause}" stroke-width="1.5"/>`);
    back.push(text((x(diagram.loopStart) + x(T)) / 2, ly + 12, `↺ steps ${diagram.loopStart + 1}–${T} repeat forever`, { size: 10, fill: COLOURS.cause, anchor: 'middle' }));
  }

  // Lanes, in segments by phase; a highlighted lane red on a pale red band from the violation's cause.
  processes.forEach((name, lane) => {
    const h = highlightOf.get(lane);
    const ly = y(lane);
    if (h !== undefined) {
      const cause = events.find((e) => e.lane === lane && e.emphasis === 'cause');
      const from = x(cause?.time ?? 0) - 12;
      back.push(`<rect x="${num(from)}" y="${ly - 22}" width="${num(xEnd - from + 10)}" height="44" rx="6" fill="${COLOURS.cause}" fill-opacity="0.09"/>`);
    }
    back.push(text(LEFT - 8, ly + 5, name, { size: 15, bold: true, anchor: 'end', fill: h ? COLOURS.cause : COLOURS.ink }));
    if (h !== undefined) back.push(text(LEFT - 8, ly + 19, h.kind, { size: 10, bold: true, anchor: 'end', fill: COLOURS.cause }));
    let start = x(0) - 12;
    let phase: LanePhase = 'live';
    const segment = (end: number) => {
      const style = h !== undefined && phase === 'live' ? `stroke="${COLOURS.cause}" stroke-width="2.5"` : LANE_STYLE[phase];
      if (end > start) back.push(`<line x1="${num(start)}" y1="${ly}" x2="${num(end)}" y2="${ly}" ${style}/>`);
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
    back.push(bandRect(x(e.time), y(e.lane), (end === undefined ? xEnd : x(end.time)) - x(e.time), e.restart ? COLOURS.roundRestart : COLOURS.round));
  }

  // Messages: arrows from the send to where the message ended. One still in
  // flight points towards its addressee and stops at the right edge.
  const arrows = messages.map((m) => {
    const { send, end } = m;
    const style = messageStyle(m);
    const x1 = x(send.time);
    const y1 = y(send.lane);
    const dy = y(send.to) - y1;
    const x2 = end === undefined ? xEnd - 4 : x(end.time);
    const y2 = end === undefined ? y1 + Math.sign(dy) * (LANE_GAP * 0.22 + Math.abs(dy) * 0.26) : y(end.lane);
    const dash = style.dash === undefined ? '' : ` stroke-dasharray="${style.dash}"`;
    const curve = y1 === y2 ? ` Q${num((x1 + x2) / 2)},${num(y1 - 36)} ` : ' L';
    const fate = end === undefined ? ', still in flight at the end' : `; ${end.text} at step ${end.time}`;
    lines.push(
      `<path d="M${num(x1)},${num(y1)}${curve}${num(x2)},${num(y2)}" fill="none" stroke="${style.colour}" stroke-width="${style.width}"${dash} marker-end="url(#${style.marker})">` +
        `<title>${escapeXml(`${send.text}, sent at step ${send.time}${fate}`)}</title></path>`,
    );
    glyphs.push(`<circle cx="${num(x1)}" cy="${num(y1)}" r="2.8" fill="${style.colour}"/>`);
    return { m, style, x1, y1, x2, y2 };
  });

  // Glyphs on the lanes; each one's box keeps labels off it.
  const glyphBox = (cx: number, cy: number, r: number) => boxes.add({ x0: cx - r, y0: cy - r, x1: cx + r, y1: cy + r });
  const pending: { e: DiagramEvent; content: string; side: 'above' | 'below'; o: TextOptions }[] = [];
  const label = (e: DiagramEvent, side: 'above' | 'below', content: string, o: TextOptions) => pending.push({ e, content, side, o });
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
      label(e, logging.side, logging.text, logging.options);
    }
    switch (e.kind) {
      case 'receive': {
        const colour = e.emphasis === 'cause' ? COLOURS.cause : e.stale ? COLOURS.stale : COLOURS.ink;
        glyphs.push(`<circle cx="${num(ex)}" cy="${ey}" r="${e.emphasis === 'cause' ? 5 : 3.2}" fill="${colour}"/>`);
        if (e.emphasis === 'lost') {
          glyphs.push(`<circle cx="${num(ex)}" cy="${ey}" r="8" fill="none" stroke="${COLOURS.cause}" stroke-width="1.8" stroke-dasharray="3 2"/>`);
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
        glyphs.push(crashGlyph(ex, ey));
        glyphBox(ex, ey, 9);
        label(e, 'below', 'crash', { size: 11, fill: COLOURS.crash, bold: true });
        break;
      case 'restart':
        glyphs.push(restartGlyph(ex, ey));
        glyphBox(ex, ey, 7);
        label(e, 'below', `restart, inc ${e.incarnation}`, { size: 10, fill: COLOURS.restart, bold: true });
        break;
      case 'round': {
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

  // The violation at the end of each highlighted lane, labelled first so it gets the best place.
  const rowsOf = (side: 'above' | 'below', ly: number) =>
    [0, 1, 2, 3, 4].map((r) => (side === 'below' ? ly + 27 + r * 13 : ly - 16 - r * 13));
  for (const h of diagram.highlights) {
    const ey = y(h.lane);
    glyphs.push(`<circle cx="${num(x(T))}" cy="${ey}" r="9" fill="none" stroke="${COLOURS.cause}" stroke-width="2.5"/>`);
    glyphBox(x(T), ey, 10);
    const line = highlightLine(h);
    const right = Math.max(xEnd + 6, x(0) - 12 + textWidth(line, 11));
    const candidates = rowsOf('below', ey).map((ly) => [right, ly] as const);
    labelsSvg.push(boxes.place(candidates, line, { size: 11, fill: COLOURS.cause, bold: true, anchor: 'end' }));
  }
  for (const { e, content, side, o } of pending) {
    const ex = side === 'below' ? x(e.time) : x(e.time) - 4;
    const candidates = rowsOf(side, y(e.lane)).map((ly) => [ex, ly] as const);
    labelsSvg.push(boxes.place(candidates, content, { ...o, anchor: side === 'below' ? 'middle' : 'start' }));
  }
  // Arrow labels last, each at the first free place along its arrow; a control
  // message's label is left out where there is no room (its tooltip keeps it).
  for (const { m, style, x1, y1, x2, y2 } of arrows) {
    const control = m.send.messageClass === 'control';
    const along = m.end === undefined ? [0.85, 0.7, 0.55] : control ? [0.3, 0.4, 0.2, 0.5, 0.6] : [0.5, 0.4, 0.6, 0.3, 0.7];
    const candidates = along.map((a) => [x1 + (x2 - x1) * a + 5, (y1 === y2 ? y1 - 24 : y1 + (y2 - y1) * a) - 3] as const);
    const o: TextOptions = control ? { size: 9, fill: style.colour } : { size: 13, fill: style.colour, bold: true };
    labelsSvg.push(boxes.place(candidates, arrowName(m, processes), o, control));
  }

  const width = Math.ceil(Math.max(boxes.right + 16, xEnd + 48, 760));
  const content = width - 40;
  const foot: string[] = [];

  // Legend, caption (the violated property and why), then the numbered steps.
  let cy = axisY + (diagram.loopStart === undefined ? 30 : 52);
  let lx = 20;
  for (const item of [...legendItems(), ...loggingLegendItems(events)]) {
    const w = 34 + textWidth(item.label, 10) + 16;
    if (lx + w > content + 20) {
      lx = 20;
      cy += 20;
    }
    foot.push(`<g transform="translate(${num(lx)},${cy})">${item.glyph}${text(34, 4, item.label, { size: 10, fill: '#444' })}</g>`);
    lx += w;
  }
  if (diagram.property !== '') {
    cy += 30;
    foot.push(text(20, cy, `${diagram.property} violated`, { size: 13, bold: true, fill: COLOURS.cause }));
    for (const line of wrap(diagram.explanation, 11, content)) {
      cy += 16;
      foot.push(text(20, cy, line, { size: 11, fill: COLOURS.ink }));
    }
  }
  cy += diagram.property === '' ? 34 : 24;
  const colWidth = Math.max(...labels.map((l, i) => textWidth(`${i + 1}  ${l}`, 10)), 120) + 24;
  const cols = Math.max(1, Math.floor(content / colWidth));
  const perCol = Math.max(1, Math.ceil(T / cols));
  labels.forEach((l, i) => {
    const tx = 20 + Math.floor(i / perCol) * colWidth;
    const ty = cy + (i % perCol) * 14;
    foot.push(text(tx + 18, ty, String(i + 1), { size: 10, fill: '#888', anchor: 'end' }) + text(tx + 24, ty, l, { size: 10, fill: '#444' }));
  });
  const height = cy + perCol * 14 + 10;

  const title = diagram.title === '' ? 'space-time diagram' : diagram.title;
  const steps = `${T} step${T === 1 ? '' : 's'}`;
  const verdict = diagram.property === '' ? steps : `${diagram.property} violated after ${steps}`;
  const head = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`,
    `<title>${escapeXml(`${title}: ${verdict}`)}</title>`,
    `<defs>${markers()}</defs>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    text(20, 28, title, { size: 15, bold: true, fill: COLOURS.ink }),
    text(20, 46, `${verdict} · time flows left to right, one column per step`, { size: 11, fill: '#666' }),
  ];
  const parts = [...head, ...back, ...lines, ...glyphs, ...labelsSvg.filter((l) => l !== ''), ...foot, '</svg>'];
  return `${parts.join('\n')}\n`;
}
