/**
 * The cost counters of the FBL specs (docs/costs.md): control messages sent
 * by type, application copies replayed and re-sent, steps during which a live
 * process is blocked or holds a deliverable message, stable-storage accesses
 * by role, rounds, restarts, rejections and crashes. `rrcheck metrics`
 * aggregates them over the explored graph; they are never part of a state.
 *
 * Everything is derived from the step as data: the action (a SystemAction),
 * the statuses and counters of the states before and after, and the
 * messages the step sends, which `measure` obtains by running the step's
 * handler once more on a copy of `before` (the handlers are pure). Reading
 * the sends from the network difference alone would miss a message that
 * the eager-drop reduction removes in the very step that sends it, and the
 * figures would then depend on the reduction.
 */
import type { CostCounter, CostSpec, Draft, SystemAction } from '../../src/index.js';
import type { FblProtocol } from './protocol.js';
import type { FblState, InternalEvent, Message, Volatile } from './types.js';

type Action = SystemAction<InternalEvent>;

const CONTROL = 'control messages';
const APPLICATION = 'application messages';
const BLOCKING = 'blocking';
const STABLE = 'stable storage';
const RECOVERY = 'recovery';

/** Every FBL counter, in report order; every configuration declares all of them (a counter a variant cannot reach stays 0). */
export const FBL_COST_COUNTERS: readonly CostCounter[] = [
  { name: 'inc-req', group: CONTROL, description: 'IncReq sent by a leader to a member of R other than itself (RC-3, RC-9)' },
  { name: 'inc-rep', group: CONTROL, description: 'IncRep sent by a waiting process to the leader (RC-4)' },
  { name: 'dep-req', group: CONTROL, description: 'DepReq sent by a leader to a responder (RC-6)' },
  { name: 'dep-rep', group: CONTROL, description: 'DepRep sent by a responder (a process or S) to the leader (RC-7)' },
  { name: 'dep-info', group: CONTROL, description: 'DepInfo handed by a leader to a member of R other than itself (RC-10)' },
  { name: 'replay-req', group: CONTROL, description: 'ReplayReq sent by a replaying process for its next logged message (RC-12)' },
  { name: 'resend-req', group: CONTROL, description: 'ResendReq sent by a process that finished recovery (RC-15)' },
  { name: 'announce', group: CONTROL, description: 'Announce sent by a recovering process (Manetho-style, MS-3)' },
  { name: 'unblock', group: CONTROL, description: 'a blocked process unblocked (blocking baseline, BL-4: one Unblock each)' },
  { name: 'app-sent', group: APPLICATION, description: 'application messages sent by a live process in failure-free operation (FF-1 after a delivery)' },
  { name: 'replay-copy', group: APPLICATION, description: 'application copies sent in answer to a ReplayReq (RC-13)' },
  { name: 'resent-copy', group: APPLICATION, description: "application copies of a recovered process's own send log, re-sent as it becomes live (RC-15)" },
  { name: 'resent-on-request', group: APPLICATION, description: 'application copies sent in answer to a ResendReq (RC-16)' },
  {
    name: 'blocked-steps',
    group: BLOCKING,
    description: 'per step, the number of Live processes blocked in the state before it (blocking baseline, BL-2)',
  },
  {
    name: 'held-steps',
    group: BLOCKING,
    description: 'per step, the number of Live, unblocked processes with an application message addressed to them that they hold (Manetho-style, MS-5)',
  },
  { name: 'stable-read-recovering', group: STABLE, description: 'checkpoint read by a restarting process (RC-2)' },
  {
    name: 'stable-write-recovering',
    group: STABLE,
    description: 'stable writes by a recovering process: incarnation and ordinal at restart (RC-2: 2), and Manetho-style reply writes of a Replaying responder',
  },
  { name: 'stable-write-live', group: STABLE, description: 'synchronous reply writes of a Live responder (Manetho-style, MS-2)' },
  { name: 'stable-write-s', group: STABLE, description: 'flushes of a process’s determinants to the stable host S (f = n, FF-4)' },
  { name: 'stable-read-s', group: STABLE, description: "reads of S's determinant log to answer a DepReq (f = n, RC-7)" },
  { name: 'rounds', group: RECOVERY, description: 'gathering rounds begun (RC-3, RC-9)' },
  { name: 'restarts', group: RECOVERY, description: 'gathering restarts plus leader take-overs (the global restarts counter, A20)' },
  { name: 'crashes', group: RECOVERY, description: 'process crashes (RC-1)' },
  { name: 'stale-rejections', group: RECOVERY, description: 'application messages discarded as from an older incarnation (FF-3)' },
  { name: 'orphan-rejections', group: RECOVERY, description: 'application messages discarded as contradicting an announced recovery (Manetho-style, MS-6)' },
  { name: 'duplicates', group: RECOVERY, description: 'application copies discarded as already delivered (FF-3)' },
  {
    name: 'dropped',
    group: RECOVERY,
    description: 'protocol messages removed as useless (RC-17): by a drop step, or by the eager-drop reduction inside another step',
  },
];

const index = new Map(FBL_COST_COUNTERS.map((c, i) => [c.name, i]));
function at(name: string): number {
  const i = index.get(name);
  if (i === undefined) throw new Error(`internal: no FBL cost counter ${name}`);
  return i;
}

const C = {
  incReq: at('inc-req'),
  incRep: at('inc-rep'),
  depReq: at('dep-req'),
  depRep: at('dep-rep'),
  depInfo: at('dep-info'),
  replayReq: at('replay-req'),
  resendReq: at('resend-req'),
  announce: at('announce'),
  unblock: at('unblock'),
  appSent: at('app-sent'),
  replayCopy: at('replay-copy'),
  resentCopy: at('resent-copy'),
  resentOnRequest: at('resent-on-request'),
  blockedSteps: at('blocked-steps'),
  heldSteps: at('held-steps'),
  readRecovering: at('stable-read-recovering'),
  writeRecovering: at('stable-write-recovering'),
  writeLive: at('stable-write-live'),
  writeS: at('stable-write-s'),
  readS: at('stable-read-s'),
  rounds: at('rounds'),
  restarts: at('restarts'),
  crashes: at('crashes'),
  stale: at('stale-rejections'),
  orphans: at('orphan-rejections'),
  duplicates: at('duplicates'),
  dropped: at('dropped'),
} as const;

/** The counter of each control message kind sent. */
const SENT: Record<Exclude<Message['kind'], 'app'>, number> = {
  incReq: C.incReq,
  incRep: C.incRep,
  depReq: C.depReq,
  depRep: C.depRep,
  depInfo: C.depInfo,
  replayReq: C.replayReq,
  resendReq: C.resendReq,
  announce: C.announce,
};

/** Where the sends of a step are collected. */
class Recorder {
  readonly sent: Message[] = [];
  send(m: Message): void {
    this.sent.push(m);
  }
}

function isLive(vol: Volatile | null | undefined): boolean {
  return vol?.status === 'Live';
}

/** The FBL cost spec of one configuration (every preset and switch: the counters read the protocol's own rules). */
export function fblCosts(protocol: FblProtocol): CostSpec<FblState, unknown> {
  const name = (pid: number) => protocol.processName(pid);
  const manetho = protocol.config.variant.manethoStyle;

  /** The messages `action` sends from `before` (the handler run once more, on a copy). */
  const sends = (before: FblState, action: Action): readonly Message[] => {
    const out = new Recorder();
    switch (action.kind) {
      case 'message': {
        const net = before.net.filter((_, i) => i !== action.index);
        protocol.onMessage({ ...before, net } as Draft<FblState>, before.net[action.index]!, before, out);
        break;
      }
      case 'internal':
        protocol.onInternal({ ...before } as Draft<FblState>, action.event, before, out);
        break;
      case 'restart':
        protocol.onRestart({ ...before } as Draft<FblState>, action.pid, before, out);
        break;
      default:
        break;
    }
    return out.sent;
  };

  return {
    counters: FBL_COST_COUNTERS,
    measure(before: FblState, raw: unknown, after: FblState, add): void {
      const action = raw as Action;
      const consumedIndex = action.kind === 'message' || action.kind === 'drop' ? action.index : undefined;
      const consumed = consumedIndex === undefined ? undefined : before.net[consumedIndex]!;

      // Per-step gauges of the state before the step.
      before.procs.forEach((p, pid) => {
        const vol = p.vol;
        if (vol === null || vol.status !== 'Live') return;
        if (vol.blocked) add(C.blockedSteps, 1, name(pid));
        else if (vol.holds.length > 0 && holdsDeliverable(before, pid)) add(C.heldSteps, 1, name(pid));
      });

      // Messages sent, by kind and, for application copies, by why they are sent.
      const sent = sends(before, action);
      for (const m of sent) {
        if (m.kind !== 'app') {
          add(SENT[m.kind], 1, name(m.from));
          continue;
        }
        let counter: number = C.appSent;
        if (consumed?.kind === 'replayReq') counter = C.replayCopy;
        else if (consumed?.kind === 'resendReq') counter = C.resentOnRequest;
        else if (!isLive(before.procs[m.from]?.vol) && isLive(after.procs[m.from]?.vol)) counter = C.resentCopy;
        add(counter, 1, name(m.from));
      }

      switch (action.kind) {
        case 'message': {
          const m = consumed!;
          if (m.kind === 'app') {
            const disposition = protocol.appDisposition(before, m);
            if (disposition === 'stale') add(C.stale, 1, name(m.to));
            else if (disposition === 'orphan') add(C.orphans, 1, name(m.to));
            else if (disposition === 'duplicate') add(C.duplicates, 1, name(m.to));
          } else if (m.kind === 'depReq' && sent.some((r) => r.kind === 'depRep')) {
            // A reply was given: S reads its log; a Manetho-style responder writes the reply first.
            if (m.to === protocol.n) add(C.readS, 1, name(m.to));
            else if (manetho) add(isLive(before.procs[m.to]!.vol) ? C.writeLive : C.writeRecovering, 1, name(m.to));
          }
          break;
        }
        case 'drop':
          add(C.dropped, 1, name(consumed!.from));
          break;
        case 'internal': {
          const e = action.event;
          if (e.kind === 'unblock') add(C.unblock, 1, name(e.pid));
          else if (e.kind === 'flush') add(C.writeS, 1, name(e.pid));
          break;
        }
        case 'crash':
          add(C.crashes, after.crashes - before.crashes, name(action.pid));
          break;
        case 'restart':
          add(C.readRecovering, 1, name(action.pid));
          add(C.writeRecovering, 2, name(action.pid));
          break;
      }

      const rounds = after.global.roundCtr - before.global.roundCtr;
      const restarts = after.global.restarts - before.global.restarts;
      const actor = action.kind === 'internal' ? name(action.event.pid) : undefined;
      if (rounds > 0) add(C.rounds, rounds, actor);
      if (restarts > 0) add(C.restarts, restarts, actor);

      // Messages the eager-drop reduction removed inside this step.
      for (const m of eagerlyDropped(before, consumedIndex, sent, after)) {
        if (m.kind !== 'app') add(C.dropped, 1, name(m.from));
        else {
          // No FBL rule drops application messages eagerly today; should one, it is a rejection by its receiver.
          const disposition = protocol.appDisposition(before, m);
          add(disposition === 'duplicate' ? C.duplicates : disposition === 'orphan' ? C.orphans : C.stale, 1, name(m.to));
        }
      }
    },
  };

  /** Whether Live `pid` has an application message addressed to it that it neither takes nor discards now (held, MS-5). */
  function holdsDeliverable(state: FblState, pid: number): boolean {
    for (const m of state.net) if (m.kind === 'app' && m.to === pid && protocol.appDisposition(state, m) === 'wait') return true;
    return false;
  }
}

/**
 * The messages of `before.net` (without the one at `consumedIndex`) and of
 * `sent` that `after.net` no longer holds. The kit appends the sends to the
 * network and then filters it in order, so `after.net` is a subsequence of
 * that list and a greedy match finds what was removed.
 */
function eagerlyDropped(before: FblState, consumedIndex: number | undefined, sent: readonly Message[], after: FblState): readonly Message[] {
  const expected: Message[] = [];
  before.net.forEach((m, i) => {
    if (i !== consumedIndex) expected.push(m);
  });
  expected.push(...sent);
  if (expected.length === after.net.length) return [];
  const removed: Message[] = [];
  let j = 0;
  for (const m of expected) {
    if (j < after.net.length && sameMessage(m, after.net[j]!)) j++;
    else removed.push(m);
  }
  return removed;
}

/** Value equality of two messages (plain records of numbers, strings and number arrays). */
function sameMessage(a: Message, b: Message): boolean {
  if (a === b) return true;
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  const keys = Object.keys(ra);
  if (keys.length !== Object.keys(rb).length) return false;
  for (const k of keys) {
    const x = ra[k];
    const y = rb[k];
    if (x === y) continue;
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  }
  return true;
}
