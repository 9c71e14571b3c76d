/**
 * The Manetho-style baseline (docs/rules.md § Manetho-style baseline):
 * MS-0…MS-6 as deltas over the non-blocking rules. No incvector is adopted
 * at reply time; the reply is written to stable storage; messages that could
 * contradict a reply are held until the recovering process announces what it
 * recovered.
 */
import { sortedSetHas } from '../../../src/index.js';
import { entryDet, packDet, unpackDet, type AppMessage, type Hold, type Msg, type Volatile } from '../types.js';
import { appName } from './queries.js';
import { add, replace, type Delta, type DepReqRule, type MessageRule, type ReceptionRule } from './unit.js';

/** MS-0 (over FF-2): a determinant also records the receiver's incarnation at delivery. */
export const MS0: Delta = {
  id: 'MS-0',
  name: 'determinants carry the incarnation',
  over: ['FF-2'],
  apply: (rules) => replace(rules, 'FF-2', (ff2) => ({ ...ff2, determinant: (_c, pid, m, rsn, inc) => packDet(m.from, m.ssn, pid, rsn, inc) })),
};

/** MS-1 (over RC-6): a depinfo request also carries R's incarnations. */
export const MS1: Delta = {
  id: 'MS-1',
  name: 'requests carry R',
  over: ['RC-6'],
  apply: (rules) => replace(rules, 'RC-6', (rc6) => ({ ...rc6, announced: (_c, rinc) => rinc })),
};

/** How holds are keyed: by process and incarnation (MS-2, MS-4), or by process only (variant (j)). */
export interface HoldKeying {
  /** Whether a new hold about (process k, incarnation inc) replaces hold h. */
  replaces(h: Hold, k: number, inc: number): boolean;
  /** Whether an announcement of process k in incarnation inc releases hold h. */
  releases(h: Hold, k: number, inc: number): boolean;
}

export const byIncarnation: HoldKeying = {
  replaces: (h, k, inc) => h.proc === k && h.inc === inc,
  releases: (h, k, inc) => h.proc === k && h.inc <= inc,
};

/**
 * MS-2 (over RC-7): the responder adopts nothing; it writes the reply to
 * stable storage (by a Live process: N3, kept as a flag) and, for every member
 * of R whose incarnation is newer than any announced, holds the determinants
 * the reply reported about it.
 */
export function holdOnReply(keying: HoldKeying): DepReqRule['adopt'] {
  return (_c, step, m, reply) => {
    const vol = step.live(m.to);
    step.patch(m.to, { holds: holdsAfterReply(vol, reply.dets, m.rinc, keying) });
    if (vol.status === 'Live') step.setGlobal({ liveStableWrites: 1 });
  };
}

export const MS2: Delta = {
  id: 'MS-2',
  name: 'hold instead of adopting',
  over: ['RC-7'],
  apply: (rules) => replace(rules, 'RC-7', (rc7) => ({ ...rc7, adopt: holdOnReply(byIncarnation) })),
};

/** The holds after replying `reply` to a request announcing R's incarnations `rinc` (a re-asked responder replaces its hold). */
function holdsAfterReply(vol: Volatile, reply: readonly number[], rinc: readonly number[], keying: HoldKeying): readonly Hold[] {
  let holds = vol.holds;
  rinc.forEach((inc, k) => {
    if (inc < 0 || inc <= vol.boundInc[k]!) return;
    const about = reply.filter((det) => unpackDet(det).dest === k);
    holds = [...holds.filter((h) => !keying.replaces(h, k, inc)), { proc: k, inc, dets: about }].sort((a, b) => a.proc - b.proc || a.inc - b.inc);
  });
  return holds;
}

/** MS-3 (over RC-11): a recovering process, once it has its replay list, announces what it recovered to every other process. */
export const MS3: Delta = {
  id: 'MS-3',
  name: 'announce',
  over: ['RC-11'],
  apply: (rules) =>
    replace(rules, 'RC-11', (rc11) => ({
      ...rc11,
      take(c, step, pid, dets, iv) {
        rc11.take(c, step, pid, dets, iv);
        const vol = step.live(pid);
        const inc = step.inc(pid);
        const maxRsn = vol.hist.length + vol.replay.length;
        for (let j = 0; j < c.n; j++) if (j !== pid) step.out.send({ kind: 'announce', from: pid, to: j, inc, maxRsn });
      },
    })),
};

/**
 * MS-4 ANNOUNCE: any up addressee learns the incarnation, releases the holds
 * the announcement answers, and remembers the bound if newer.
 */
export function announcement(keying: HoldKeying): MessageRule<'announce'> {
  return {
    id: 'MS-4',
    name: 'ANNOUNCE',
    phase: 'replay',
    consumes: 'announce',
    guard: (_c, state, m) => (state.procs[m.to]!.vol === null ? 'later' : 'now'),
    label: (c, m) => `announce ${c.processName(m.from)}→${c.processName(m.to)} (inc ${m.inc})`,
    effect(_c, step, m) {
      step.patch(m.to, afterAnnouncement(step.live(m.to), m, keying));
    },
  };
}

export const MS4: Delta = {
  id: 'MS-4',
  name: 'take announcements',
  over: [],
  apply: (rules) => add(rules, 'MS-4', announcement(byIncarnation)),
};

function afterAnnouncement(vol: Volatile, m: Msg<'announce'>, keying: HoldKeying): Partial<Volatile> {
  const iv = vol.iv.slice();
  iv[m.from] = Math.max(iv[m.from]!, m.inc);
  const holds = vol.holds.filter((h) => !keying.releases(h, m.from, m.inc));
  if (m.inc <= vol.boundInc[m.from]!) return { iv, holds };
  const boundInc = vol.boundInc.slice();
  const boundRsn = vol.boundRsn.slice();
  boundInc[m.from] = m.inc;
  boundRsn[m.from] = m.maxRsn;
  return { iv, holds, boundInc, boundRsn };
}

/** MS-5 (over FF-2): a Live process holds a message carrying a determinant of an older incarnation that its reply did not report. */
export const MS5: Delta = {
  id: 'MS-5',
  name: 'hold contradicting messages',
  over: ['FF-2'],
  apply: (rules) => add(rules, 'MS-5', holdContradicting, { reception: 'FF-2' }),
};

const holdContradicting: ReceptionRule = {
  id: 'MS-5',
  name: 'HOLD',
  phase: 'logging',
  disposition: (_c, vol, m) => (vol.status === 'Live' && contradictsReply(vol, m) ? 'wait' : undefined),
};

function contradictsReply(vol: Volatile, m: AppMessage): boolean {
  if (vol.holds.length === 0) return false;
  return m.pb.some((e) => {
    const det = entryDet(e);
    const d = unpackDet(det);
    return vol.holds.some((h) => h.proc === d.dest && d.destInc < h.inc && !sortedSetHas(h.dets, det));
  });
}

/** MS-6 (over FF-3): a Live or Replaying process discards a message depending on a delivery of an earlier incarnation that its recovery did not recover. */
export const MS6: Delta = {
  id: 'MS-6',
  name: 'discard orphans',
  over: ['FF-3'],
  apply: (rules) => add(rules, 'MS-6', discardOrphan, { reception: 'FF-2' }),
};

const discardOrphan: ReceptionRule = {
  id: 'MS-6',
  name: 'ORPHAN',
  phase: 'logging',
  disposition: (_c, vol, m) => (vol.status !== 'Waiting' && contradictsAnnouncement(vol, m) ? 'orphan' : undefined),
  label: (c, m, d) => `discard ${appName(c, m)}, ${d})`,
};

function contradictsAnnouncement(vol: Volatile, m: AppMessage): boolean {
  return m.pb.some((e) => {
    const d = unpackDet(entryDet(e));
    const announced = vol.boundInc[d.dest]!;
    return announced >= 0 && d.destInc < announced && d.rsn > vol.boundRsn[d.dest]!;
  });
}

/** The Manetho-style baseline, in the order applied (MS-6 before MS-5: an orphan is discarded even where it would be held). */
export const manethoBaseline: readonly Delta[] = [MS0, MS1, MS2, MS3, MS4, MS6, MS5];
