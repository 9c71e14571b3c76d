/**
 * A small hand-built diagram with one event of every kind, drawn by the
 * renderer tests (render.test.ts, svgLayout.test.ts).
 */
import type { Diagram } from '../../src/index.js';

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
