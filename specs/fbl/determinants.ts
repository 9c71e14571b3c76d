/**
 * Pure functions over determinants and determinant logs (sorted arrays of
 * packed det·hosts entries, see types.ts).
 */
import { entryDet, entryHosts, packEntry, unpackDet } from './types.js';

export function sameMessage(det: number, source: number, ssn: number): boolean {
  const d = unpackDet(det);
  return d.source === source && d.ssn === ssn;
}

/** Dets of a determinant log, without host sets (A23: depinfo is the whole log). */
export function logDets(dl: readonly number[]): readonly number[] {
  return dl.map(entryDet);
}

/**
 * Merges log entries `incoming` into `log` (both sorted by det): host sets are
 * united, and every incoming entry also gets `extraHosts` (the receiver).
 */
export function mergeLog(log: readonly number[], incoming: readonly number[], extraHosts: number): readonly number[] {
  if (incoming.length === 0) return log;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < log.length || j < incoming.length) {
    const a = i < log.length ? entryDet(log[i]!) : Infinity;
    const b = j < incoming.length ? entryDet(incoming[j]!) : Infinity;
    if (a < b) out.push(log[i++]!);
    else if (b < a) out.push(packEntry(b, entryHosts(incoming[j++]!) | extraHosts));
    else {
      out.push(packEntry(a, entryHosts(log[i++]!) | entryHosts(incoming[j++]!) | extraHosts));
    }
  }
  return out;
}
