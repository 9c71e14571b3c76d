/**
 * Replay (docs/rules.md § Replay): RC-12 REQUESTREPLAY, RC-13 SERVEREPLAY,
 * RC-14 REPLAYDELIVER, RC-15 FINISHRECOVERY, RC-16 RESEND.
 */
import { unpackDet } from '../types.js';
import { appName, copy, nextReplay, records } from './queries.js';
import type { AppMessage, FblState } from '../types.js';
import { NO_EVENTS, type AskReplayRule, type FinishRule, type MessageRule, type ReplayRule } from './unit.js';

/**
 * RC-12 REQUESTREPLAY: a Replaying process asks the sender of its next
 * recorded message for a copy (A15), once: not while a copy or a request
 * is on its way.
 */
export const RC12: AskReplayRule = {
  id: 'RC-12',
  name: 'REQUESTREPLAY',
  phase: 'replay',
  event: 'askReplay',
  scope: 'process',
  wanted(_c, vol) {
    const next = nextReplay(vol);
    return next === undefined ? NO_EVENTS : [next];
  },
  enabled(c, state, pid, vol) {
    if (vol?.status !== 'Replaying') return NO_EVENTS;
    const asks = c.rules['RC-12'].wanted(c, vol).filter((det) => !copyOrRequestInTransit(state, pid, det));
    return asks.length === 0 ? NO_EVENTS : asks.map((det) => ({ kind: 'askReplay', pid, det }));
  },
  label(c, e) {
    const d = unpackDet(e.det);
    return `ask-replay ${c.processName(e.pid)} (${c.processName(d.source)} #${d.ssn})`;
  },
  effect(_c, step, e) {
    const d = unpackDet(e.det);
    step.out.send({ kind: 'replayReq', from: e.pid, to: d.source, ssn: d.ssn });
  },
};

function copyOrRequestInTransit(state: FblState, pid: number, det: number): boolean {
  const d = unpackDet(det);
  return state.net.some(
    (m) =>
      (m.kind === 'app' && m.to === pid && m.from === d.source && m.ssn === d.ssn) ||
      (m.kind === 'replayReq' && m.from === pid && m.to === d.source && m.ssn === d.ssn),
  );
}

/**
 * RC-13 SERVEREPLAY: an up sender that is not Waiting, once its send log
 * has the message (a recovering sender regenerates it first), sends a copy
 * tagged with its current incarnation.
 */
export const RC13: MessageRule<'replayReq'> = {
  id: 'RC-13',
  name: 'SERVEREPLAY',
  phase: 'replay',
  consumes: 'replayReq',
  guard(_c, state, m) {
    const vol = state.procs[m.to]!.vol;
    return vol === null || vol.status === 'Waiting' || vol.sendLog.length < m.ssn ? 'later' : 'now';
  },
  label: (c, m) => `replay-request ${c.processName(m.from)}→${c.processName(m.to)} #${m.ssn}`,
  effect(_c, step, m) {
    step.out.send(copy(m.to, m.ssn, step.live(m.to).sendLog[m.ssn - 1]!, step.inc(m.to)));
  },
};

/**
 * RC-14 REPLAYDELIVER: a Replaying process delivers the copy of its next
 * recorded message (FF-3, asked before it, took duplicates and stale copies)
 * as FF-2 does, its regenerated sends going to the send log only; then
 * RC-15's check. Any other message waits until the process is Live.
 */
export const RC14: ReplayRule = {
  id: 'RC-14',
  name: 'REPLAYDELIVER',
  phase: 'replay',
  expects(_c, vol, m) {
    const next = nextReplay(vol);
    return next !== undefined && records(next, m);
  },
  disposition: (c, vol, m) => (vol.status === 'Replaying' && c.rules['RC-14'].expects(c, vol, m) ? 'replay' : undefined),
  label: (c, m: AppMessage) => `replay ${appName(c, m)})`,
  effect(c, step, m) {
    step.setVol(m.to, c.rules['FF-2'].record(c, step.live(m.to), m.to, m, step.inc(m.to), null));
    c.rules['RC-15'].run(c, step, m.to);
  },
};

/**
 * RC-15 FINISHRECOVERY: a Replaying process with no recorded message left
 * is Live; it re-sends its whole send log, and asks every other process to
 * re-send what it logged for it (A16; receivers de-duplicate).
 */
export const RC15: FinishRule = {
  id: 'RC-15',
  name: 'FINISHRECOVERY',
  phase: 'replay',
  askResend(c, step, pid) {
    for (let s = 0; s < c.n; s++) if (s !== pid) step.out.send({ kind: 'resendReq', from: pid, to: s });
  },
  run(c, step, pid) {
    const vol = step.live(pid);
    if (vol.status !== 'Replaying' || nextReplay(vol) !== undefined) return;
    step.patch(pid, { status: 'Live', replay: [] });
    const inc = step.inc(pid);
    vol.sendLog.forEach((entry, i) => step.out.send(copy(pid, i + 1, entry, inc)));
    c.rules['RC-15'].askResend(c, step, pid);
  },
};

/** RC-16 RESEND: an up process that is not Waiting re-sends every send-log entry addressed to the requester. */
export const RC16: MessageRule<'resendReq'> = {
  id: 'RC-16',
  name: 'RESEND',
  phase: 'replay',
  consumes: 'resendReq',
  guard(_c, state, m) {
    const vol = state.procs[m.to]!.vol;
    return vol === null || vol.status === 'Waiting' ? 'later' : 'now';
  },
  label: (c, m) => `resend-request ${c.processName(m.from)}→${c.processName(m.to)}`,
  effect(_c, step, m) {
    const inc = step.inc(m.to);
    step.live(m.to).sendLog.forEach((entry, i) => {
      if (entry.dest === m.from) step.out.send(copy(m.to, i + 1, entry, inc));
    });
  },
};
