/**
 * Progress reporting: the engine calls the listener every few seconds; this
 * turns each call into one plain line on stderr, the same in a terminal and in
 * CI (no cursor tricks, no progress library: see README, Dependencies).
 */
import type { StopReason } from '../core/result.js';
import type { ExploreListener, ExploreProgress } from '../engine/index.js';
import { count, duration, type Io } from './output.js';

/** `progress 6.0 s: depth 14, 1,234,567 states generated, 234,567 distinct, 12,345 queued, 39,000 distinct/s` */
export function progressLine(p: ExploreProgress): string {
  return (
    `progress ${duration(p.elapsedMs)}: depth ${count(p.depth)}, ${count(p.transitions)} states generated, ` +
    `${count(p.distinct)} distinct, ${count(p.queued)} queued, ${count(p.statesPerSecond)} distinct/s\n`
  );
}

const boundNames: Record<StopReason, string> = {
  depth: '--max-depth',
  states: '--max-states',
  time: '--timeout',
  memory: '--memory',
  interrupted: 'an interruption (SIGINT or SIGTERM)',
};

/** A listener that prints progress, violations and bounds to `io.err` as they happen. */
export function progressListener(io: Io, enabled: boolean): ExploreListener {
  const listener: ExploreListener = {
    onViolation: (property, depth) => io.err(`violation of ${property} at depth ${depth}\n`),
    onBound: (reason) => io.err(`bound reached: ${boundNames[reason]}\n`),
  };
  if (enabled) listener.onProgress = (p) => io.err(progressLine(p));
  return listener;
}

export function boundFlag(reason: StopReason): string {
  return boundNames[reason];
}
