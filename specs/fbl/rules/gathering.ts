/**
 * The gathering (docs/rules.md § Gathering): a round collects R's
 * incarnations, then every responder's determinants, and hands them out.
 * RC-3 BEGINROUND, RC-4 INCREQ, RC-5 INCREP, RC-6 ENTERDEP, RC-7 DEPREQ,
 * RC-8 DEPREP, RC-10 COMPLETE, RC-11 DEPINFO, RC-17 DROP.
 */
import { allOf, sortedSetUnion, vectorMax, type GuardVerdict } from '../../../src/index.js';
import { logDets } from '../determinants.js';
import { unpackDet, type FblState, type LeaderState } from '../types.js';
import { anyCrashed, leaderOf, leadOf, roundMessageName } from './queries.js';
import {
  NO_EVENTS,
  type BeginRoundRule,
  type CompleteRule,
  type DepReqRule,
  type DropRule,
  type EnterDepRule,
  type HandOutRule,
  type MessageRule,
} from './unit.js';

/**
 * RC-3 BEGINROUND: once no process is crashed and none leads, the Waiting
 * process with the lowest ordinal begins a round, unless it is enrolled
 * (A12). Taking over from a leader that died mid-round counts as a restart
 * (A11, A20).
 */
export const RC3: BeginRoundRule = {
  id: 'RC-3',
  name: 'BEGINROUND',
  phase: 'gathering',
  event: 'beginRound',
  scope: 'system',
  enabled(_c, state) {
    if (anyCrashed(state) || leaderOf(state) >= 0) return NO_EVENTS;
    const candidate = lowestOrdinalWaiting(state);
    return candidate >= 0 && !enrolled(state, candidate) ? [{ kind: 'beginRound', pid: candidate }] : NO_EVENTS;
  },
  label: (c, e) => `begin-round ${c.processName(e.pid)}`,
  effect(c, step, e) {
    if (step.global.aborted) step.setGlobal({ restarts: step.global.restarts + 1, aborted: false });
    c.rules['RC-3'].startRound(c, step, e.pid);
  },
  startRound(c, step, leader) {
    // A fresh round id; R: the Waiting processes now; the leader knows its own incarnation.
    const round = step.global.roundCtr + 1;
    step.setGlobal({ roundCtr: round });
    let recovering = 0;
    const rinc = new Array<number>(c.n).fill(-1);
    for (let j = 0; j < c.n; j++) if (step.vol(j)?.status === 'Waiting') recovering |= 1 << j;
    rinc[leader] = step.inc(leader);
    const lead: LeaderState = { round, phase: 'Inc', recovering, rinc, pending: 0, collected: [], responders: 0 };
    step.patch(leader, { lead });
    for (let j = 0; j < c.n; j++) {
      if (j !== leader && recovering & (1 << j)) step.out.send({ kind: 'incReq', from: leader, to: j, round });
    }
    if (allIncarnationsKnown(c.n, rinc, recovering)) c.rules['RC-6'].run(c, step, leader);
  },
};

function lowestOrdinalWaiting(state: FblState): number {
  let best = -1;
  state.procs.forEach((p, pid) => {
    if (p.vol?.status === 'Waiting' && (best < 0 || p.stable.ord < state.procs[best]!.stable.ord)) best = pid;
  });
  return best;
}

/** A12: enrolled in a round whose hand-out is still on its way (asked when no leader runs, so no round is still running). */
function enrolled(state: FblState, pid: number): boolean {
  const round = state.procs[pid]!.vol!.enrolled;
  return round !== 0 && state.net.some((m) => m.kind === 'depInfo' && m.to === pid && m.round === round);
}

function allIncarnationsKnown(n: number, rinc: readonly number[], recovering: number): boolean {
  for (let j = 0; j < n; j++) if (recovering & (1 << j) && rinc[j]! < 0) return false;
  return true;
}

/** RC-4 INCREQ: any up addressee answers with its incarnation, whatever the round; a Waiting one is enrolled in the round (A12). */
export const RC4: MessageRule<'incReq'> = {
  id: 'RC-4',
  name: 'INCREQ',
  phase: 'gathering',
  consumes: 'incReq',
  guard: (_c, state, m) => (state.procs[m.to]!.vol === null ? 'later' : 'now'),
  label: roundMessageName,
  effect(_c, step, m) {
    step.out.send({ kind: 'incRep', from: m.to, to: m.from, round: m.round, inc: step.inc(m.to) });
    if (step.live(m.to).status === 'Waiting') step.patch(m.to, { enrolled: m.round });
  },
};

/** A round, once over, never resumes: round ids are fresh. */
function sameRound(lead: LeaderState | null, round: number): GuardVerdict {
  return lead !== null && lead.round === round ? 'now' : 'never';
}

/** RC-5 INCREP: the leader of the reply's round, in its Inc phase, records the incarnation; RC-6 once R's are all known. Otherwise dropped. */
export const RC5: MessageRule<'incRep'> = {
  id: 'RC-5',
  name: 'INCREP',
  phase: 'gathering',
  consumes: 'incRep',
  guard(_c, state, m) {
    const lead = leadOf(state, m.to);
    return allOf(sameRound(lead, m.round), lead?.phase === 'Inc' ? 'now' : 'later');
  },
  drops: () => true,
  label: roundMessageName,
  effect(c, step, m) {
    const lead = step.live(m.to).lead!;
    const rinc = lead.rinc.slice();
    rinc[m.from] = m.inc;
    step.patch(m.to, { lead: { ...lead, rinc } });
    if (allIncarnationsKnown(c.n, rinc, lead.recovering)) c.rules['RC-6'].run(c, step, m.to);
  },
};

/**
 * RC-6 ENTERDEP: the leader merges R's incarnations into its incvector and
 * sends it in a depinfo request to L, every up process not in R (A14) and S;
 * RC-10 at once if L is empty.
 */
export const RC6: EnterDepRule = {
  id: 'RC-6',
  name: 'ENTERDEP',
  phase: 'gathering',
  responders(c, step) {
    let responders = 0;
    for (let j = 0; j < c.n; j++) {
      const s = step.vol(j)?.status;
      if (s === 'Live' || s === 'Replaying') responders |= 1 << j;
    }
    return responders;
  },
  announced: () => NO_RINC,
  run(c, step, leader) {
    const rule = c.rules['RC-6'];
    const vol = step.live(leader);
    const lead = vol.lead!;
    const iv = vectorMax(vol.iv, lead.rinc.map((inc) => Math.max(inc, 0)));
    let responders = rule.responders(c, step);
    if (c.hasStableHost) responders |= c.stableHostBit;
    const rinc = rule.announced(c, lead.rinc);
    for (let j = 0; j <= c.n; j++) {
      if (responders & (1 << j)) step.out.send({ kind: 'depReq', from: leader, to: j, round: lead.round, iv, rinc });
    }
    step.patch(leader, { iv, lead: { ...lead, phase: 'Dep', pending: responders, collected: [], responders } });
    if (responders === 0) c.rules['RC-10'].run(c, step, leader);
  },
};

const NO_RINC: readonly number[] = [];

/**
 * RC-7 DEPREQ: an up responder (S always) answers, whatever the round, in
 * one atomic step (A7): it replies with its determinants (A23) and its
 * incarnation view (A13), and adopts the announced incvector. A request
 * reaching a Waiting process is dropped (the leader notices by RC-9).
 */
export const RC7: DepReqRule = {
  id: 'RC-7',
  name: 'DEPREQ',
  phase: 'gathering',
  consumes: 'depReq',
  guard(c, state, m) {
    if (m.to === c.n) return 'now';
    const vol = state.procs[m.to]!.vol;
    return vol === null || vol.status === 'Waiting' ? 'later' : 'now';
  },
  drops: (_c, state, m) => state.procs[m.to]!.vol?.status === 'Waiting',
  label: roundMessageName,
  effect(c, step, m) {
    if (m.to === c.n) {
      // S answers with its log; it has no incarnation view (A3).
      step.out.send({ kind: 'depRep', from: c.n, to: m.from, round: m.round, dets: step.global.sLog, iv: [] });
      return;
    }
    const rule = c.rules['RC-7'];
    const reply = rule.reply(c, step, m);
    step.out.send(reply);
    rule.adopt(c, step, m, reply);
  },
  reply(_c, step, m) {
    const vol = step.live(m.to);
    const view = vol.iv.slice();
    view[m.to] = step.inc(m.to);
    return { kind: 'depRep', from: m.to, to: m.from, round: m.round, dets: logDets(vol.dl), iv: view };
  },
  adopt(_c, step, m) {
    step.patch(m.to, { iv: vectorMax(step.live(m.to).iv, m.iv) });
  },
};

/**
 * RC-8 DEPREP: the leader of the reply's round (A8), in its Dep phase, takes
 * a pending responder's reply: it collects the determinants, merges the
 * incarnations (A13), and runs RC-10 when nobody is pending. Otherwise dropped.
 */
export const RC8: MessageRule<'depRep'> = {
  id: 'RC-8',
  name: 'DEPREP',
  phase: 'gathering',
  consumes: 'depRep',
  guard(_c, state, m) {
    const lead = leadOf(state, m.to);
    return allOf(sameRound(lead, m.round), inDepPhase(lead), pendingFrom(lead, m.from));
  },
  drops: () => true,
  label: roundMessageName,
  effect(c, step, m) {
    const vol = step.live(m.to);
    const lead = vol.lead!;
    const pending = lead.pending & ~(1 << m.from);
    step.patch(m.to, { lead: { ...lead, pending, collected: sortedSetUnion(lead.collected, m.dets) }, iv: vectorMax(vol.iv, m.iv) });
    if (pending === 0) c.rules['RC-10'].run(c, step, m.to);
  },
};

export function inDepPhase(lead: LeaderState | null): GuardVerdict {
  return lead?.phase === 'Dep' ? 'now' : 'later';
}

export function pendingFrom(lead: LeaderState | null, responder: number): GuardVerdict {
  return lead !== null && (lead.pending & (1 << responder)) !== 0 ? 'now' : 'later';
}

/** RC-10 COMPLETE: the leader hands the union and its incvector to R, and takes the hand-out itself. */
export const RC10: CompleteRule = {
  id: 'RC-10',
  name: 'COMPLETE',
  phase: 'gathering',
  run(c, step, leader) {
    const vol = step.live(leader);
    const lead = vol.lead!;
    for (let j = 0; j < c.n; j++) {
      if (j !== leader && lead.recovering & (1 << j)) {
        step.out.send({ kind: 'depInfo', from: leader, to: j, round: lead.round, dets: lead.collected, iv: vol.iv });
      }
    }
    step.patch(leader, { lead: null });
    c.rules['RC-11'].handOut(c, step, leader, lead.collected, vol.iv);
  },
};

/**
 * RC-11 DEPINFO: a Waiting process takes the hand-out, whatever its round
 * (A10): its replay list is the contiguous run of recorded rsns from the
 * next one; it merges the incvector and is Replaying; then RC-15's check.
 * A hand-out reaching a Live or Replaying process is dropped.
 */
export const RC11: HandOutRule = {
  id: 'RC-11',
  name: 'DEPINFO',
  phase: 'gathering',
  consumes: 'depInfo',
  guard(c, state, m) {
    // A Live or Replaying addressee is Waiting again only after a crash.
    const vol = state.procs[m.to]!.vol;
    if (vol === null) return 'later';
    if (vol.status === 'Waiting') return 'now';
    return state.crashes < c.config.crashBudget ? 'later' : 'never';
  },
  drops(_c, state, m) {
    const vol = state.procs[m.to]!.vol;
    return vol !== null && vol.status !== 'Waiting';
  },
  label: roundMessageName,
  effect: (c, step, m) => c.rules['RC-11'].handOut(c, step, m.to, m.dets, m.iv),
  take(_c, step, pid, dets, iv) {
    const vol = step.live(pid);
    // Per position, the determinant of the latest incarnation (MS-0; the
    // incarnation is always 0 outside the Manetho-style baseline, where two
    // determinants for one position arise only in broken variants).
    const byRsn = new Map<number, number>();
    for (const det of dets) {
      const d = unpackDet(det);
      if (d.dest !== pid) continue;
      const known = byRsn.get(d.rsn);
      if (known === undefined || unpackDet(known).destInc < d.destInc) byRsn.set(d.rsn, det);
    }
    const replay: number[] = [];
    for (let rsn = vol.hist.length + 1; byRsn.has(rsn); rsn++) replay.push(byRsn.get(rsn)!);
    // The enrollment stays as it is: it is read only while Waiting.
    step.patch(pid, { status: 'Replaying', replay, iv: vectorMax(vol.iv, iv) });
  },
  handOut(c, step, pid, dets, iv) {
    c.rules['RC-11'].take(c, step, pid, dets, iv);
    c.rules['RC-15'].run(c, step, pid);
  },
};

/**
 * RC-17 DROP: a message whose rule's drop clause holds (RC-5, RC-7, RC-8,
 * RC-11) is removed by a step of its own; with the `eager-drop` reduction, in
 * the step that made its rule's guard false forever.
 */
export const RC17: DropRule = {
  id: 'RC-17',
  name: 'DROP',
  phase: 'gathering',
  label: (c, m) => `drop ${roundMessageName(c, m)}`,
};
