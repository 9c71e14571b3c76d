/**
 * The SVG marks of what a diagram says about the logging (see logging.ts):
 * for each such event an optional glyph on the lane and a short label, which
 * svg.ts places with the other labels (Boxes keeps them apart).
 */
import type { DiagramEvent } from '../../core/diagram.js';
import { loggingText } from './logging.js';
import { COLOURS, type LegendKey, stableWriteGlyph, type TextOptions, violationGlyph } from './svgParts.js';

export interface LoggingMark {
  /** SVG drawn on the lane at the event, and the radius its box keeps free. */
  readonly glyph?: { readonly svg: string; readonly radius: number };
  readonly side: 'above' | 'below';
  readonly text: string;
  readonly options: TextOptions;
  /** The legend entry that explains it, if any. */
  readonly legend?: LegendKey;
}

/** The mark of a logging event at (x, y), or undefined for any other event. */
export function loggingMark(e: DiagramEvent, x: number, y: number, processes: readonly string[]): LoggingMark | undefined {
  const text = loggingText(e, processes);
  if (text === undefined) return undefined;
  const cause = e.emphasis === 'cause';
  switch (e.kind) {
    case 'hosts':
      return { side: 'above', text, options: { size: 9, fill: e.stable ? COLOURS.logged : '#555' }, legend: 'hosts' };
    case 'logged':
      return { side: 'above', text, options: { size: 9, fill: e.enough && !cause ? COLOURS.logged : COLOURS.cause, bold: !e.enough || cause } };
    case 'hostsLost': {
      if (e.dependents.length === 0 && !cause) return { side: 'below', text, options: { size: 9, fill: '#555' } };
      const beyond = e.hosts.length >= e.needed;
      return { side: 'below', text, options: { size: 9, fill: beyond ? COLOURS.beyond : COLOURS.cause, bold: true } };
    }
    case 'adopt':
      return { side: 'above', text, options: { size: 9, fill: COLOURS.restart, italic: true } };
    case 'stableWrite': {
      const colour = cause ? COLOURS.cause : COLOURS.stableWrite;
      return { glyph: { svg: stableWriteGlyph(x, y, colour), radius: 8 }, side: 'below', text, options: { size: 10, fill: colour, bold: cause }, legend: 'stableWrite' };
    }
    case 'violation':
      return { glyph: { svg: violationGlyph(x, y), radius: 7 }, side: 'below', text, options: { size: 10, fill: COLOURS.cause, bold: true }, legend: 'violationMark' };
    case 'receive':
      return { side: 'below', text, options: { size: 10, fill: COLOURS.cause, bold: true } };
    default:
      return undefined;
  }
}
