/**
 * Reads over the state that several rules share: who leads, what a process
 * has delivered or still has to replay, and the names the step labels use.
 * Pure functions; nothing here writes.
 */
import { sameMessage } from '../determinants.js';
import { unpackDet, type AppMessage, type FblState, type LeaderState, type Message, type SentEntry, type Volatile } from '../types.js';
import type { Context } from './unit.js';

/** The process running a round (at most one does), or -1. */
export function leaderOf(state: FblState): number {
  let leader = -1;
  state.procs.forEach((p, pid) => {
    if (p.vol?.lead) leader = pid;
  });
  return leader;
}

/** The round state of process `pid`, or null (crashed, or no round). */
export function leadOf(state: FblState, pid: number): LeaderState | null {
  return state.procs[pid]!.vol?.lead ?? null;
}

export function anyCrashed(state: FblState): boolean {
  return state.procs.some((p) => p.vol === null);
}

/** ids(H): whether the process has delivered message (source, ssn). */
export function delivered(c: Context, vol: Volatile, source: number, ssn: number): boolean {
  for (const id of vol.hist) {
    if (c.ids.messageSource(id) === source && c.ids.messageSsn(id) === ssn) return true;
  }
  return false;
}

/** The replay-list determinant for the next rsn, |H| + 1, if any. */
export function nextReplay(vol: Volatile): number | undefined {
  const rsn = vol.hist.length + 1;
  for (const det of vol.replay) if (unpackDet(det).rsn === rsn) return det;
  return undefined;
}

/** Replay-list determinants whose message the process has not delivered yet. */
export function pendingReplays(c: Context, vol: Volatile): readonly number[] {
  return vol.replay.filter((det) => {
    const d = unpackDet(det);
    return !delivered(c, vol, d.source, d.ssn);
  });
}

/** Whether `det` records the delivery of `m`. */
export function records(det: number, m: AppMessage): boolean {
  return sameMessage(det, m.from, m.ssn);
}

/** A copy of send-log entry `ssn` of `from`, tagged with its current incarnation (RC-13, RC-15, RC-16). */
export function copy(from: number, ssn: number, e: SentEntry, inc: number): Message {
  return { kind: 'app', from, to: e.dest, ssn, inc, data: e.data, pb: e.pb, past: e.past };
}

/** "p0→p1 #2 (inc 0": an application message as the labels of its consumption name it. */
export function appName(c: Context, m: AppMessage): string {
  return `${c.processName(m.from)}→${c.processName(m.to)} #${m.ssn} (inc ${m.inc}`;
}

/** The round messages' kinds as step labels name them. */
const KIND_NAMES: Record<Extract<Message, { round: number }>['kind'], string> = {
  incReq: 'incarnation-request',
  incRep: 'incarnation-reply',
  depReq: 'depinfo-request',
  depRep: 'depinfo-reply',
  depInfo: 'depinfo',
};

/** "depinfo-reply p2→p0 (round 1)": a round message as the labels of its consumption and its drop name it. */
export function roundMessageName(c: Context, m: Extract<Message, { round: number }>): string {
  return `${KIND_NAMES[m.kind]} ${c.processName(m.from)}→${c.processName(m.to)} (round ${m.round})`;
}
