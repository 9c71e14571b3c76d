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
  /** A determinant held by f + 1 hosts. */
  logged: '#2e7d32',
  /** Beyond the failure bound (more than f crashes): not a bug of the protocol. */
  beyond: '#9c5700',
  stableWrite: '#6d4c41',
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

/**
 * Advance widths of DejaVu Sans (the first font of FONT), in thousandths of
 * an em, for the printable ASCII characters from U+0020: regular and bold
 * (oblique has the regular widths). Read from the font's hmtx table.
 */
const ASCII_WIDTHS = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838,
  531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390,
  838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337,
  636, 838,
] as const;
const ASCII_WIDTHS_BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838,
  580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457,
  838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365,
  712, 838,
] as const;
/** Widths of the other characters the diagrams use; any character not listed counts a full em (no DejaVu Sans glyph is much wider). */
const OTHER_WIDTHS: Readonly<Record<string, number>> = { '′': 264, '″': 447, '’': 380, '‘': 380, '·': 380, '–': 500 };
/** A margin for fonts that replace DejaVu Sans (Verdana is a little wider). */
const WIDTH_MARGIN = 1.04;

/**
 * The width of `text` at `size` px as text() draws it (control characters
 * made visible), from DejaVu Sans's metrics with a small margin: the layout
 * keeps labels apart by these widths.
 */
export function textWidth(text: string, size: number, bold = false): number {
  const table = bold ? ASCII_WIDTHS_BOLD : ASCII_WIDTHS;
  let em = 0;
  for (const c of visibleControls(text)) {
    const code = c.codePointAt(0)!;
    em += (code >= 32 && code < 127 ? table[code - 32]! : (OTHER_WIDTHS[c] ?? 1000)) / 1000;
  }
  return em * size * WIDTH_MARGIN;
}

/** Words of `text` in lines no wider than `width` (a word wider than that is cut between characters). */
export function wrap(text: string, size: number, width: number, bold = false): string[] {
  const lines: string[] = [];
  let line = '';
  const fits = (s: string) => textWidth(s, size, bold) <= width;
  for (const word of text.split(' ')) {
    const next = line === '' ? word : `${line} ${word}`;
    if (fits(next)) {
      line = next;
      continue;
    }
    if (line !== '') lines.push(line);
    line = '';
    for (const c of word) {
      if (line !== '' && !fits(line + c)) {
        lines.push(line);
        line = '';
      }
      line += c;
    }
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

/** A rectangle in the picture's coordinates: x0 ≤ x1 left to right, y0 ≤ y1 top to bottom. */
export interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** A text as drawn: where text() put it, what it says, and the box it takes. */
export interface LaidOutText {
  readonly x: number;
  readonly y: number;
  readonly content: string;
  readonly size: number;
  readonly anchor: Anchor;
  readonly bold: boolean;
  readonly box: Box;
}

/** Where labels may go: nothing left of `left` or above `top`. */
export interface Bounds {
  readonly left: number;
  readonly top: number;
}

/** The gap kept between two labels side by side (a halo is 1.5 px each side). */
const GAP = 2;

/** Whether two boxes overlap (touching edges do not), with `gap` kept between them side by side. */
export function boxesOverlap(a: Box, b: Box, gap = 0): boolean {
  return !(a.x1 + gap <= b.x0 || b.x1 + gap <= a.x0 || a.y1 <= b.y0 || b.y1 <= a.y0);
}

/** How much of the segment from (x1, y1) to (x2, y2) lies inside `box`, in px (Liang–Barsky clipping); -1 when none does. */
export function segmentInside(box: Box, x1: number, y1: number, x2: number, y2: number): number {
  let t0 = 0;
  let t1 = 1;
  const dx = x2 - x1;
  const dy = y2 - y1;
  const edges: [number, number][] = [
    [-dx, x1 - box.x0],
    [dx, box.x1 - x1],
    [-dy, y1 - box.y0],
    [dy, box.y1 - y1],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return -1;
      continue;
    }
    const r = q / p;
    if (p < 0) t0 = Math.max(t0, r);
    else t1 = Math.min(t1, r);
    if (t0 > t1) return -1;
  }
  return (t1 - t0) * Math.hypot(dx, dy);
}

/** Whether the segment from (x1, y1) to (x2, y2) passes through `box`. */
export function segmentCrosses(box: Box, x1: number, y1: number, x2: number, y2: number): boolean {
  return segmentInside(box, x1, y1, x2, y2) >= 0;
}

/** How many candidate places further down its list a label rather goes than cross a line. */
const CROSSING_COST = 10;

type Segment = readonly [number, number, number, number];

/**
 * The one way every text of the picture is placed: boxes already taken by
 * glyphs and labels, and lines (arrows, lanes) a label should rather not
 * cross. `place` puts a label at the best of its candidate places, `fixed`
 * records one whose place is given; `texts` lists them all, in order, so a
 * test can check that no two overlap. Deterministic: the same calls give the
 * same places.
 */
export class Boxes {
  private readonly taken: Box[] = [];
  private readonly lines: Segment[] = [];
  private readonly placed: LaidOutText[] = [];
  /** The right end of everything placed, so that the picture can be made wide enough. */
  right = 0;
  /** The lower end of everything placed, so that what follows the picture goes below it. */
  bottom = 0;
  /** Labels that found no free candidate place: moved further away, or left out when optional. */
  crowded = 0;

  constructor(private readonly bounds: Bounds = { left: 0, top: 0 }) {}

  /** Every text placed so far, in the order placed. */
  get texts(): readonly LaidOutText[] {
    return this.placed;
  }

  add(box: Box): void {
    this.taken.push(box);
    this.right = Math.max(this.right, box.x1);
    this.bottom = Math.max(this.bottom, box.y1);
  }

  /** A line labels should not cross (they may when every other place is taken); a curve is given as its chords. */
  addLine(x1: number, y1: number, x2: number, y2: number): void {
    this.lines.push([x1, y1, x2, y2]);
  }

  /** The box of a text whose baseline starts (or is anchored) at x, y. */
  static ofText(x: number, y: number, content: string, size: number, anchor: Anchor, bold = false): Box {
    const w = textWidth(content, size, bold);
    const x0 = anchor === 'start' ? x : anchor === 'middle' ? x - w / 2 : x - w;
    return { x0, y0: y - size * 0.8, x1: x0 + w, y1: y + size * 0.25 };
  }

  /** Inside the bounds and overlapping nothing taken. */
  free(box: Box): boolean {
    return box.x0 >= this.bounds.left && box.y0 >= this.bounds.top && this.taken.every((b) => !boxesOverlap(box, b, GAP));
  }

  /** How many of the lines pass through `box`. */
  crossings(box: Box): number {
    return this.lines.filter(([x1, y1, x2, y2]) => segmentCrosses(box, x1, y1, x2, y2)).length;
  }

  /**
   * What the lines through `box` cost a label there: each one crossing it,
   * and more the further it runs inside (a line along a text hides more of
   * it than one across).
   */
  private crossingCost(box: Box): number {
    let cost = 0;
    for (const [x1, y1, x2, y2] of this.lines) {
      const inside = segmentInside(box, x1, y1, x2, y2);
      if (inside >= 0) cost += CROSSING_COST * (1 + inside / 15);
    }
    return cost;
  }

  /**
   * Places a text at the best candidate position and returns its SVG (with a
   * white halo, so that it reads over lines): of the free ones, the earliest,
   * where crossing a line costs as much as going CROSSING_COST places down
   * the list, and as much again for every 15 px of it inside the label. If
   * none is free, the label counts as crowded and is left out ('') when
   * `optional`, else moved from the first candidate up or down, step by
   * step, to the nearest free place: a label never overlaps another.
   */
  place(candidates: readonly (readonly [number, number])[], content: string, o: TextOptions, optional = false): string {
    const size = o.size ?? 11;
    const anchor = o.anchor ?? 'start';
    const bold = o.bold ?? false;
    let best: { i: number; cost: number } | undefined;
    candidates.forEach(([x, y], i) => {
      const box = Boxes.ofText(x, y, content, size, anchor, bold);
      if (!this.free(box)) return;
      const cost = i + this.crossingCost(box);
      if (best === undefined || cost < best.cost) best = { i, cost };
    });
    if (best !== undefined) {
      const [x, y] = candidates[best.i]!;
      return this.fixed(x, y, content, { ...o, halo: true });
    }
    this.crowded++;
    if (optional || candidates.length === 0) return '';
    const [x0, y0] = candidates[0]!;
    const x = x0 + Math.max(0, this.bounds.left - Boxes.ofText(x0, y0, content, size, anchor, bold).x0);
    const step = size + 2;
    for (let k = 1; ; k++) {
      for (const y of [y0 + k * step, y0 - k * step]) {
        if (this.free(Boxes.ofText(x, y, content, size, anchor, bold))) return this.fixed(x, y, content, { ...o, halo: true });
      }
    }
  }

  /**
   * Places the lines of a block of text (one under the other, `leading` px
   * apart) at the best candidate for the block's first baseline, as place()
   * does for one line.
   */
  placeLines(candidates: readonly (readonly [number, number])[], lines: readonly string[], o: TextOptions, leading: number): string {
    if (lines.length <= 1) return this.place(candidates, lines[0] ?? '', o);
    const size = o.size ?? 11;
    const anchor = o.anchor ?? 'start';
    const bold = o.bold ?? false;
    const blockAt = (x: number, y: number): Box => {
      const boxes = lines.map((l, i) => Boxes.ofText(x, y + i * leading, l, size, anchor, bold));
      return { x0: Math.min(...boxes.map((b) => b.x0)), y0: boxes[0]!.y0, x1: Math.max(...boxes.map((b) => b.x1)), y1: boxes.at(-1)!.y1 };
    };
    const fits = (x: number, y: number) => this.free(blockAt(x, y));
    let at: readonly [number, number] | undefined;
    let best = Infinity;
    candidates.forEach(([x, y], i) => {
      if (!fits(x, y)) return;
      const cost = i + this.crossingCost(blockAt(x, y));
      if (cost < best) [at, best] = [[x, y], cost];
    });
    if (at === undefined) {
      this.crowded++;
      const [x0, y0] = candidates[0] ?? [0, 0];
      const x = x0 + Math.max(0, this.bounds.left - blockAt(x0, y0).x0);
      for (let k = 1; at === undefined; k++) {
        at = [y0 + k * (size + 2), y0 - k * (size + 2)].filter((y) => fits(x, y)).map((y) => [x, y] as const)[0];
      }
    }
    const [x, y] = at;
    return lines.map((l, i) => this.fixed(x, y + i * leading, l, { ...o, halo: true })).join('\n');
  }

  /** A text at a given place (a heading, a lane's name, the legend): recorded and taken, returned as SVG. */
  fixed(x: number, y: number, content: string, o: TextOptions = {}): string {
    const size = o.size ?? 11;
    const anchor = o.anchor ?? 'start';
    const bold = o.bold ?? false;
    // The place as text() writes it, so that the record matches the SVG to the digit.
    const [rx, ry] = [Number(num(x)), Number(num(y))];
    const box = Boxes.ofText(rx, ry, content, size, anchor, bold);
    this.add(box);
    this.placed.push({ x: rx, y: ry, content, size, anchor, bold, box });
    return text(rx, ry, content, o);
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

/** A small disk: stable storage written to. */
export const stableWriteGlyph = (x: number, y: number, colour: string): string =>
  `<g fill="${colour}" stroke="#fff" stroke-width="0.8"><rect x="${num(x - 5)}" y="${num(y - 6)}" width="10" height="12" rx="1.5"/>` +
  `<ellipse cx="${num(x)}" cy="${num(y - 6)}" rx="5" ry="2"/></g>`;

/** A red ring with a cross: where the violation happens. */
export const violationGlyph = (x: number, y: number): string =>
  `<circle cx="${num(x)}" cy="${num(y)}" r="6" fill="#fff" stroke="${COLOURS.cause}" stroke-width="2"/>` +
  `<path d="M${num(x - 3)},${num(y - 3)} L${num(x + 3)},${num(y + 3)} M${num(x - 3)},${num(y + 3)} L${num(x + 3)},${num(y - 3)}" stroke="${COLOURS.cause}" stroke-width="1.6"/>`;

/** A green tick: drawn in the legend for the determinant-host labels (their ✓). */
const tickGlyph = (x: number, y: number): string =>
  `<path d="M${num(x - 5)},${num(y)} L${num(x - 1)},${num(y + 4)} L${num(x + 6)},${num(y - 5)}" fill="none" stroke="${COLOURS.logged}" stroke-width="2.2"/>`;

/**
 * What a legend can explain, one key per kind of symbol. A renderer collects
 * the keys of what it drew and the legend shows only those; a new kind of
 * symbol adds its key here and its entry to LEGEND.
 */
export type LegendKey =
  | 'application'
  | 'copy'
  | 'control'
  | 'rejected'
  | 'staleAccepted'
  | 'cause'
  | 'dropped'
  | 'inFlight'
  | 'crash'
  | 'restart'
  | 'round'
  | 'roundRestart'
  | 'recovering'
  | 'replaying'
  | 'blocked'
  | 'crashed'
  | 'violation'
  | 'hosts'
  | 'stableWrite'
  | 'violationMark';

/** A legend entry: a glyph 28 px wide around (0, 0), and its meaning. */
export interface LegendItem {
  readonly key: LegendKey;
  readonly glyph: string;
  readonly label: string;
}

const legendLine = (colour: string, w: number, dash = '', marker = '') =>
  `<line x1="0" y1="0" x2="28" y2="0" stroke="${colour}" stroke-width="${w}"${dash === '' ? '' : ` stroke-dasharray="${dash}"`}${marker === '' ? '' : ` marker-end="url(#${marker})"`}/>`;

/** Every legend entry, in the order a legend lists them. */
export const LEGEND: readonly LegendItem[] = [
  { key: 'application', glyph: legendLine(COLOURS.application, 2, '', 'head-application'), label: 'application message' },
  { key: 'copy', glyph: legendLine(COLOURS.copy, 2, '8 3', 'head-copy'), label: 'replayed or re-sent copy' },
  { key: 'control', glyph: legendLine(COLOURS.control, 1.1, '', 'head-control'), label: 'control message' },
  { key: 'rejected', glyph: legendLine(COLOURS.stale, 2, '6 3', 'bar-stale'), label: 'rejected (stale/duplicate)' },
  { key: 'staleAccepted', glyph: legendLine(COLOURS.stale, 2, '', 'head-stale'), label: 'stale, accepted' },
  { key: 'cause', glyph: legendLine(COLOURS.cause, 2.8, '', 'head-cause'), label: 'the message that causes the violation' },
  { key: 'dropped', glyph: legendLine(COLOURS.control, 1.1, '1 3', 'drop'), label: 'dropped unread' },
  { key: 'inFlight', glyph: legendLine(COLOURS.control, 1.1, '3 3', 'open-control'), label: 'in flight at the end (to the lane it points at)' },
  { key: 'crash', glyph: crashGlyph(14, 0, 6), label: 'crash' },
  { key: 'restart', glyph: restartGlyph(14, 0), label: 'restart (new incarnation)' },
  { key: 'round', glyph: bandRect(0, 0, 28, COLOURS.round) + roundGlyph(6, 0, COLOURS.round, '#7a5c00'), label: 'gathering round' },
  { key: 'roundRestart', glyph: bandRect(0, 0, 28, COLOURS.roundRestart) + roundGlyph(6, 0, COLOURS.roundRestart, '#7a5c00'), label: 'restarted round' },
  { key: 'recovering', glyph: legendLine(COLOURS.recovering, 5, '10 3'), label: 'recovering (waiting)' },
  { key: 'replaying', glyph: legendLine(COLOURS.replaying, 5), label: 'replaying' },
  { key: 'blocked', glyph: legendLine(COLOURS.blocked, 5), label: 'blocked' },
  { key: 'crashed', glyph: legendLine(COLOURS.crashed, 1.5, '2 4'), label: 'crashed' },
  {
    key: 'violation',
    glyph: `<line x1="0" y1="0" x2="28" y2="0" stroke="${COLOURS.cause}" stroke-width="2.5"/><circle cx="22" cy="0" r="6" fill="none" stroke="${COLOURS.cause}" stroke-width="2"/>`,
    label: 'the violation (orphan, stuck…)',
  },
  { key: 'hosts', glyph: tickGlyph(14, 0), label: '#m at {hosts} k/f+1: who holds m’s receipt order (✓: f+1, logged)' },
  { key: 'stableWrite', glyph: stableWriteGlyph(14, 0, COLOURS.stableWrite), label: 'stable-storage write' },
  { key: 'violationMark', glyph: violationGlyph(14, 0), label: 'where it goes wrong' },
];

/** The legend entries of the symbols `used` (every entry when not given), in LEGEND's order. */
export function legendItems(used?: ReadonlySet<LegendKey>): LegendItem[] {
  return LEGEND.filter((item) => used === undefined || used.has(item.key));
}
