/**
 * The Manetho-style baseline's own rules (brief §4.2, MS-2 … MS-6), as pure
 * functions over a process's volatile state: holds created by replies,
 * released by announcements, and the checks that hold or discard messages.
 */
import { has } from '../../src/index.js';
import { entryDet, unpackDet, type Hold, type Message, type Volatile } from './types.js';

type App = Extract<Message, { kind: 'app' }>;
type Announce = Extract<Message, { kind: 'announce' }>;

/** MS-6: the message depends on a delivery of an earlier incarnation that its recovery did not recover. */
export function contradictsAnnouncement(vol: Volatile, m: App): boolean {
  return m.pb.some((e) => {
    const d = unpackDet(entryDet(e));
    const announced = vol.boundInc[d.dest]!;
    return announced >= 0 && d.destInc < announced && d.rsn > vol.boundRsn[d.dest]!;
  });
}

/** MS-5: the message carries a determinant of an older incarnation that this process's reply did not report. */
export function contradictsReply(vol: Volatile, m: App): boolean {
  if (vol.holds.length === 0) return false;
  return m.pb.some((e) => {
    const det = entryDet(e);
    const d = unpackDet(det);
    return vol.holds.some((h) => h.proc === d.dest && d.destInc < h.inc && !has(h.dets, det));
  });
}

/**
 * MS-2: for every member of R whose incarnation is newer than any announced,
 * the determinants the reply reported about it become a hold, keyed by
 * process and incarnation (a re-asked responder replaces its hold). With
 * `byIncarnation` false (variant (j)) a hold is keyed by the process only: a
 * new one replaces any hold for that process.
 */
export function holdsAfterReply(vol: Volatile, reply: readonly number[], rinc: readonly number[], byIncarnation = true): readonly Hold[] {
  let holds = vol.holds;
  rinc.forEach((inc, k) => {
    if (inc < 0 || inc <= vol.boundInc[k]!) return;
    const about = reply.filter((det) => unpackDet(det).dest === k);
    const replaced = (h: Hold): boolean => h.proc === k && (!byIncarnation || h.inc === inc);
    holds = [...holds.filter((h) => !replaced(h)), { proc: k, inc, dets: about }].sort(
      (a, b) => a.proc - b.proc || a.inc - b.inc,
    );
  });
  return holds;
}

/**
 * MS-4: learn the incarnation, release the holds it answers, remember the
 * bound if newer. With `byIncarnation` false (variant (j)) any announcement of
 * the process releases its hold, even one of an older incarnation.
 */
export function afterAnnouncement(vol: Volatile, m: Announce, byIncarnation = true): Partial<Volatile> {
  const iv = vol.iv.slice();
  iv[m.from] = Math.max(iv[m.from]!, m.inc);
  const holds = vol.holds.filter((h) => !(h.proc === m.from && (!byIncarnation || h.inc <= m.inc)));
  if (m.inc <= vol.boundInc[m.from]!) return { iv, holds };
  const boundInc = vol.boundInc.slice();
  const boundRsn = vol.boundRsn.slice();
  boundInc[m.from] = m.inc;
  boundRsn[m.from] = m.maxRsn;
  return { iv, holds, boundInc, boundRsn };
}
