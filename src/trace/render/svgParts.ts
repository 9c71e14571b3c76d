/**
 * The pieces svg.ts draws with: colours, XML escaping, text and its rough
 * width, label placement without overlaps, arrow markers and the legend.
 */
import { visibleControls } from '../../core/echo.js';

export const COLOURS = {
  ink: '#222',
  application: '#1f4e9c',
  copy: '#0b8a7a',
  control: '#8c8c8c',
  stale: '#e07b00',
  cause: '#d62728',
  crash: '#d62728',
  restart: '#1f77b4',
  round: '#f2c200',
  roundRestart: '#f08c00',
  roundText: '#7a5000',
  recovering: '#9a9a9a',
  replaying: '#56b4e9',
  blocked: '#8e44ad',
  crashed: '#b0b0b0',
  grid: '#ececec',
} as const;

export const FONT = 'DejaVu Sans, Verdana, Arial, sans-serif';

export const num = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(1));

/**
 * Text made safe for XML character data and attribute values: markup
 * characters as entities, control characters (which XML 1.0 forbids, or
 * which would only vanish) written visibly as `\u000b`, and what else XML
 * cannot hold replaced by U+FFFD. Text from a counterexample file passes
 * here, so a file cannot make the SVG ill-formed.
 */
export function escapeXml(text: string): string {
  return visibleControls(text)
    .replace(LONE_SURROGATE_OR_NONCHARACTER, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** What XML 1.0 forbids besides control characters: a surrogate without its pair, U+FFFE and U+FFFF. */
const LONE_SURROGATE_OR_NONCHARACTER = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g;

/** A rough width of `text` at `size` px in DejaVu Sans (layout only needs it approximately). */
export function textWidth(text: string, size: number): number {
  return [...text].length * size * 0.6;
}

/** Words of `text` in lines no wider than `width`. */
export function wrap(text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line === '' ? word : `${line} ${word}`;
    if (line !== '' && textWidth(next, size) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line !== '') lines.push(line);
  return lines;
}

export type Anchor = 'start' | 'middle' | 'end';

export interface TextOptions {
  readonly size?: number;
  readonly fill?: string;
  readonly anchor?: Anchor;
  readonly bold?: boolean;
  readonly italic?: boolean;
  /** A white outline, so the text reads over lines. */
  readonly halo?: boolean;
}

export function text(x: number, y: number, content: string, o: TextOptions = {}): string {
  const attrs = [`x="${num(x)}"`, `y="${num(y)}"`, `font-size="${o.size ?? 11}"`];
  if (o.fill !== undefined) attrs.push(`fill="${o.fill}"`);
  if (o.anchor !== undefined && o.anchor !== 'start') attrs.push(`text-anchor="${o.anchor}"`);
  if (o.bold) attrs.push('font-weight="bold"');
  if (o.italic) attrs.push('font-style="italic"');
  if (o.halo) attrs.push('stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"');
  return `<text ${attrs.join(' ')}>${escapeXml(content)}</text>`;
}

interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** Boxes already taken by glyphs and labels; a label goes to the first candidate place that is free. */
export class Boxes {
  private readonly taken: Box[] = [];
  /** The right end of everything placed, so that the picture can be made wide enough. */
  right = 0;

  add(box: Box): void {
    this.taken.push(box);
    this.right = Math.max(this.right, box.x1);
  }

  /** The box of a text whose baseline starts (or is anchored) at x, y. */
  static ofText(x: number, y: number, content: string, size: number, anchor: Anchor): Box {
    const w = textWidth(content, size);
    const x0 = anchor === 'start' ? x : anchor === 'middle' ? x - w / 2 : x - w;
    return { x0, y0: y - size * 0.8, x1: x0 + w, y1: y + size * 0.25 };
  }

  free(box: Box): boolean {
    return this.taken.every((b) => box.x1 + 2 <= b.x0 || b.x1 + 2 <= box.x0 || box.y1 <= b.y0 || b.y1 <= box.y0);
  }

  /**
   * Places a text at the first free candidate position and returns its SVG.
   * If none is free: at the first candidate, or nowhere ('') when `optional`.
   */
  place(candidates: readonly (readonly [number, number])[], content: string, o: TextOptions, optional = false): string {
    const size = o.size ?? 11;
    const anchor = o.anchor ?? 'start';
    const boxes = candidates.map(([x, y]) => Boxes.ofText(x, y, content, size, anchor));
    const found = boxes.findIndex((b) => this.free(b));
    if (found < 0 && optional) return '';
    const i = Math.max(0, found);
    this.add(boxes[i]!);
    const [x, y] = candidates[i]!;
    return text(x, y, content, { ...o, halo: true });
  }
}

/** Arrow ends: one filled head per message colour, open heads for messages in flight, a bar, a circle. */
export function markers(): string {
  const head = (id: string, colour: string) =>
    `<marker id="head-${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto" markerUnits="userSpaceOnUse">` +
    `<path d="M0,0 L10,5 L0,10 z" fill="${colour}"/></marker>`;
  const open = (id: string, colour: string) =>
    `<marker id="open-${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto" markerUnits="userSpaceOnUse">` +
    `<path d="M0,0 L10,5 L0,10" fill="none" stroke="${colour}" stroke-width="1.5"/></marker>`;
  return [
    head('application', COLOURS.application),
    head('copy', COLOURS.copy),
    head('control', COLOURS.control),
    head('stale', COLOURS.stale),
    head('cause', COLOURS.cause),
    open('application', COLOURS.application),
    open('copy', COLOURS.copy),
    open('control', COLOURS.control),
    `<marker id="bar-stale" viewBox="0 0 4 16" refX="2" refY="8" markerWidth="4" markerHeight="16" orient="auto" markerUnits="userSpaceOnUse"><rect x="0" y="0" width="4" height="16" fill="${COLOURS.stale}"/></marker>`,
    `<marker id="drop" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="8" markerHeight="8" orient="auto" markerUnits="userSpaceOnUse"><circle cx="5" cy="5" r="3.5" fill="#fff" stroke="${COLOURS.control}" stroke-width="1.5"/></marker>`,
  ].join('');
}

export const crashGlyph = (x: number, y: number, s = 7): string =>
  `<path d="M${num(x - s)},${num(y - s)} L${num(x + s)},${num(y + s)} M${num(x - s)},${num(y + s)} L${num(x + s)},${num(y - s)}" stroke="${COLOURS.crash}" stroke-width="3.2" stroke-linecap="round"/>`;

export const restartGlyph = (x: number, y: number): string =>
  `<rect x="${num(x - 6)}" y="${num(y - 6)}" width="12" height="12" fill="${COLOURS.restart}" stroke="#fff" stroke-width="1"/>`;

export const roundGlyph = (x: number, y: number, fill: string, stroke: string): string =>
  `<path d="M${num(x)},${num(y - 9)} L${num(x + 9)},${num(y)} L${num(x)},${num(y + 9)} L${num(x - 9)},${num(y)} z" fill="${fill}" stroke="${stroke}" stroke-width="1.2"/>`;

export const bandRect = (x: number, y: number, w: number, colour: string): string =>
  `<rect x="${num(x)}" y="${num(y - 9)}" width="${num(w)}" height="18" rx="4" fill="${colour}" fill-opacity="0.28" stroke="${colour}" stroke-opacity="0.7"/>`;

/** Legend entries: a glyph 28 px wide around (0, 0), and its meaning. */
export function legendItems(): { glyph: string; label: string }[] {
  const line = (colour: string, w: number, dash = '', marker = '') =>
    `<line x1="0" y1="0" x2="28" y2="0" stroke="${colour}" stroke-width="${w}"${dash === '' ? '' : ` stroke-dasharray="${dash}"`}${marker === '' ? '' : ` marker-end="url(#${marker})"`}/>`;
  return [
    { glyph: line(COLOURS.application, 2, '', 'head-application'), label: 'application message' },
    { glyph: line(COLOURS.copy, 2, '8 3', 'head-copy'), label: 'replayed or re-sent copy' },
    { glyph: line(COLOURS.control, 1.1, '', 'head-control'), label: 'control message' },
    { glyph: line(COLOURS.stale, 2, '6 3', 'bar-stale'), label: 'rejected (stale/duplicate)' },
    { glyph: line(COLOURS.stale, 2, '', 'head-stale'), label: 'stale, accepted' },
    { glyph: line(COLOURS.control, 1.1, '1 3', 'drop'), label: 'dropped unread' },
    { glyph: line(COLOURS.control, 1.1, '3 3', 'open-control'), label: 'in flight at the end' },
    { glyph: crashGlyph(14, 0, 6), label: 'crash' },
    { glyph: restartGlyph(14, 0), label: 'restart (new incarnation)' },
    { glyph: bandRect(0, 0, 28, COLOURS.round) + roundGlyph(6, 0, COLOURS.round, '#7a5c00'), label: 'gathering round' },
    { glyph: bandRect(0, 0, 28, COLOURS.roundRestart) + roundGlyph(6, 0, COLOURS.roundRestart, '#7a5c00'), label: 'restarted round' },
    { glyph: line(COLOURS.recovering, 5, '10 3'), label: 'recovering (waiting)' },
    { glyph: line(COLOURS.replaying, 5), label: 'replaying' },
    { glyph: line(COLOURS.blocked, 5), label: 'blocked' },
    { glyph: line(COLOURS.crashed, 1.5, '2 4'), label: 'crashed' },
    {
      glyph: `<line x1="0" y1="0" x2="28" y2="0" stroke="${COLOURS.cause}" stroke-width="2.5"/><circle cx="22" cy="0" r="6" fill="none" stroke="${COLOURS.cause}" stroke-width="2"/>`,
      label: 'the violation (orphan, stuck…)',
    },
  ];
}
