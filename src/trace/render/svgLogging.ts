/**
 * The SVG marks of what a diagram says about the logging (see logging.ts):
 * for each such event an optional glyph on the lane and a short label, which
 * svg.ts places with the other labels (Boxes keeps them apart).
 */
import type { DiagramEvent } from '../../core/diagram.js';
import { loggingText } from './logging.js';
import { COLOURS, num, type TextOptions } from './svgParts.js';

const GOOD = '#2e7d32';
const BEYOND = '#9c5700';

export interface LoggingMark {
  /** SVG drawn on the lane at the event, and the radius its box keeps free. */
  readonly glyph?: { readonly svg: string; readonly radius: number };
  readonly side: 'above' | 'below';
  readonly text: string;
  readonly options: TextOptions;
}

/** A small disk: stable storage written to. */
export const stableWriteGlyph = (x: number, y: number, colour: string): string =>
  `<g fill="${colour}" stroke="#fff" stroke-width="0.8"><rect x="${num(x - 5)}" y="${num(y - 6)}" width="10" height="12" rx="1.5"/>` +
  `<ellipse cx="${num(x)}" cy="${num(y - 6)}" rx="5" ry="2"/></g>`;

/** A red ring with a cross: where the violation happens. */
export const violationGlyph = (x: number, y: number): string =>
  `<circle cx="${num(x)}" cy="${num(y)}" r="6" fill="#fff" stroke="${COLOURS.cause}" stroke-width="2"/>` +
  `<path d="M${num(x - 3)},${num(y - 3)} L${num(x + 3)},${num(y + 3)} M${num(x - 3)},${num(y + 3)} L${num(x + 3)},${num(y - 3)}" stroke="${COLOURS.cause}" stroke-width="1.6"/>`;

/** The mark of a logging event at (x, y), or undefined for any other event. */
export function loggingMark(e: DiagramEvent, x: number, y: number, processes: readonly string[]): LoggingMark | undefined {
  const text = loggingText(e, processes);
  if (text === undefined) return undefined;
  const cause = e.emphasis === 'cause';
  switch (e.kind) {
    case 'hosts':
      return { side: 'above', text, options: { size: 9, fill: e.stable ? GOOD : '#555' } };
    case 'logged':
      return { side: 'above', text, options: { size: 9, fill: e.enough && !cause ? GOOD : COLOURS.cause, bold: !e.enough || cause } };
    case 'hostsLost': {
      if (e.dependents.length === 0 && !cause) return { side: 'below', text, options: { size: 9, fill: '#555' } };
      const beyond = e.hosts.length >= e.needed;
      return { side: 'below', text, options: { size: 9, fill: beyond ? BEYOND : COLOURS.cause, bold: true } };
    }
    case 'adopt':
      return { side: 'above', text, options: { size: 9, fill: COLOURS.restart, italic: true } };
    case 'stableWrite': {
      const colour = cause ? COLOURS.cause : '#6d4c41';
      return { glyph: { svg: stableWriteGlyph(x, y, colour), radius: 8 }, side: 'below', text, options: { size: 10, fill: colour, bold: cause } };
    }
    case 'violation':
      return { glyph: { svg: violationGlyph(x, y), radius: 7 }, side: 'below', text, options: { size: 10, fill: COLOURS.cause, bold: true } };
    case 'receive':
      return { side: 'below', text, options: { size: 10, fill: COLOURS.cause, bold: true } };
    default:
      return undefined;
  }
}

/** Legend entries for the logging marks the diagram uses (glyph 28 px wide around (0, 0), and its meaning). */
export function loggingLegendItems(events: readonly DiagramEvent[]): { glyph: string; label: string }[] {
  const items: { glyph: string; label: string }[] = [];
  const has = (kind: DiagramEvent['kind']) => events.some((e) => e.kind === kind);
  if (has('hosts')) items.push({ glyph: `<text x="0" y="4" font-size="9" fill="${GOOD}">#m ✓</text>`, label: 'hosts of m’s determinant (✓: f+1)' });
  if (has('stableWrite')) items.push({ glyph: stableWriteGlyph(14, 0, '#6d4c41'), label: 'stable-storage write' });
  if (has('violation')) items.push({ glyph: violationGlyph(14, 0), label: 'where it goes wrong' });
  return items;
}
