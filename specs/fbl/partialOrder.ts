/**
 * Partial-order reduction for FBL (`--reduce …,partial-order`): the steps
 * that may be taken alone, ahead of every other enabled step (Model.ample's
 * one-action persistent sets, in the spirit of Spin's safe local moves and
 * of eagerly taking the steps that are provably independent and invisible).
 *
 * Every rule needs the crash budget spent (`crashes` never decreases, so no
 * process crashes again): a crash of a step's own process disables it and
 * is visible, so with crashes left no step is persistent alone. It needs an
 * unordered network (a copy served or discarded changes no channel order),
 * and none of the baselines or variants whose steps the argument below does
 * not cover (blocking: a reply blocks its responder; Manetho-style: replies
 * write stable storage; variant (b): a leader drops a failed responder;
 * early-replay: a restart goes straight to replaying).
 *
 * For each safe step `a` of process `p` in state `s`, the README
 * ("Partial-order reduction") gives the argument that along every run from
 * `s` that does not take `a`,
 * 1. every step taken is independent of `a`: it does not write what `a`
 *    reads, nor read what `a` writes, and does not disable `a` (so `a` stays
 *    enabled with the same effect, and the two orders reach one state);
 * 2. `a` changes nothing that a safety property reads (statuses Live or
 *    not, histories, causal pasts, determinant logs, S's log, crash and
 *    restart counters, the blocked flag, N3's counter).
 * The safe steps:
 * - the drop of a dead message (its consuming rule can never be enabled
 *   again): it removes only that message, which nothing reads;
 * - discarding a duplicate (at a Live or Replaying process) or a stale copy
 *   (at a Live one): a history only grows and an incarnation vector only
 *   rises while the process is up, so the copy stays useless;
 * - RC-4, answering an incarnation request of a leader still running that
 *   round: the round cannot finish (nor another begin) without this
 *   answer; the answer writes only the enrollment, which the begin-round
 *   guard reads when no round runs;
 * - RC-5, a leader (Waiting) recording an incarnation, also when that
 *   starts the Dep phase: no process replays, no hand-out is on its way
 *   (so no status a responder set reads can change) and some process is
 *   Live or S takes part (so the Dep phase cannot complete at once);
 * - RC-8, a leader (Waiting, no hand-out on its way to it) collecting a
 *   depinfo reply: every pending responder, the sender included, is up and
 *   not Waiting (so no detect-restart), replies commute (pending bits, unions, vector
 *   maxima), and the determinants collected already give the leader a
 *   non-empty replay list, so completing the round leaves it Replaying;
 * - RC-13, serving a replay request: it reads one send-log entry and the
 *   incarnation, which do not change while the process is up.
 */
import type { SystemAction } from '../../src/index.js';
import type { FblProtocol } from './protocol.js';
import { unpackDet, type FblState, type InternalEvent, type Message } from './types.js';

/** Whether the reduction can apply to this configuration at all. */
export function partialOrderApplies(protocol: FblProtocol): boolean {
  const { config } = protocol;
  const v = config.variant;
  return config.network === 'unordered' && !v.blocking && !v.manethoStyle && v.restartOnFailure && v.waitForHandout;
}

/** The first safe step among `actions`, as a one-action persistent set, or undefined. */
export function fblAmple(protocol: FblProtocol, state: FblState, actions: readonly SystemAction<InternalEvent>[]): readonly number[] | undefined {
  if (state.crashes < protocol.config.crashBudget) return undefined;
  for (let i = 0; i < actions.length; i++) {
    const action = actions[i]!;
    if (action.kind === 'drop' && protocol.fate(state, state.net[action.index]!) === 'dead') return [i];
    if (action.kind === 'message' && safeConsumption(protocol, state, state.net[action.index]!)) return [i];
  }
  return undefined;
}

function safeConsumption(protocol: FblProtocol, state: FblState, m: Message): boolean {
  const procs = state.procs;
  switch (m.kind) {
    case 'app': {
      const disposition = protocol.appDisposition(state, m);
      return disposition === 'duplicate' || (disposition === 'stale' && procs[m.to]!.vol!.status === 'Live');
    }
    case 'incReq': {
      if (procs[m.from]!.vol?.lead?.round !== m.round) return false;
      if (procs[m.to]!.vol!.status !== 'Waiting') return true;
      // A Waiting addressee's enrollment: no other request, no hand-out may reach it first.
      return !state.net.some((x) => x.to === m.to && ((x.kind === 'incReq' && x.round !== m.round) || x.kind === 'depInfo'));
    }
    case 'incRep': {
      if (procs[m.to]!.vol!.status !== 'Waiting') return false;
      if (procs.some((p) => p.vol?.status === 'Replaying')) return false;
      if (state.net.some((x) => x.kind === 'depInfo')) return false;
      return protocol.hasStableHost || procs.some((p) => p.vol?.status === 'Live');
    }
    case 'depRep': {
      const leader = m.to;
      const vol = procs[leader]!.vol!;
      const lead = vol.lead!;
      if (vol.status !== 'Waiting') return false;
      if (state.net.some((x) => x.kind === 'depInfo' && x.to === leader)) return false;
      // Every pending responder, this reply's sender included (it may have crashed since it replied):
      // up and not Waiting, so that no detect-restart can replace the round first.
      for (let j = 0; j < procs.length; j++) {
        if ((lead.pending & (1 << j)) === 0) continue;
        const responder = procs[j]!.vol;
        if (responder === null || responder.status === 'Waiting') return false;
      }
      const next = vol.hist.length + 1;
      const recorded = (det: number): boolean => {
        const d = unpackDet(det);
        return d.dest === leader && d.rsn === next;
      };
      return lead.collected.some(recorded) || m.dets.some(recorded);
    }
    case 'replayReq':
      return true;
    default:
      return false;
  }
}
