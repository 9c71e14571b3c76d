/**
 * FBL's timing hook for the timed simulation (docs/timing.md): how long each
 * of the model's steps takes, which messages are in flight and how big they
 * are, who is blocked, who holds a message back, who is recovering, and the
 * two crash scenarios of the paper's §5.
 *
 * What a step costs:
 * - a control message takes δ from its send to the end of its handling
 *   (handling is part of δ), so consuming one takes no CPU;
 * - a delivered or replayed application message costs the receiver the CPU
 *   of one state interval (`cpuMs`);
 * - a restart waits detection + restore + two synchronous stable writes
 *   (the incarnation and the ordinal) after the crash;
 * - the Manetho-style responder writes its reply to stable storage before
 *   sending it (MS-2): `stableWriteMs` of CPU;
 * - a blocked process unblocks δ after every process is live (the Unblock
 *   message of BL-4's abstract form);
 * - the f = n flush to S is asynchronous: it lands `stableWriteMs` later;
 * - every other step (beginning a round, asking for a replay, dropping a
 *   message, adopting) is instantaneous.
 * Sizes beyond a small control message: an application message carries
 * APP_PAYLOAD_BYTES plus DET_BYTES per piggybacked determinant; a depinfo
 * reply or hand-out DET_BYTES per determinant.
 */
import type { Model, StepTiming, SystemAction, TimedMessage, TimedScenario, TimingParameters, TimingSpec } from '../../src/index.js';
import type { FblProtocol } from './protocol.js';
import type { FblState, InternalEvent, Message } from './types.js';

/** The parameters calibrated to the paper's testbed (§5: DEC 5000/200 workstations, 155 Mb/s ATM, 1 MB processes). */
export const PAPER_TIMING: TimingParameters = {
  latencyMs: 1,
  bandwidthMbps: 155,
  detectMs: 4000,
  restoreMs: 1000,
  stableWriteMs: 15,
  cpuMs: 0.4,
};

/** The application data of one message, in bytes. */
export const APP_PAYLOAD_BYTES = 1024;
/** One determinant ⟨source, ssn, dest, rsn⟩ on the wire, in bytes. */
export const DET_BYTES = 16;

type Action = SystemAction<InternalEvent>;

/** The process that crashes during the recovery in scenario s2: the last one. */
export function secondVictim(n: number): string {
  return `p${n - 1}`;
}

/** FBL's timing hook under `parameters`, over the model `model` built on `protocol`. */
export function fblTiming(protocol: FblProtocol, model: Model<FblState, Action>, parameters: TimingParameters): TimingSpec<FblState, Action> {
  const name = (pid: number) => protocol.processName(pid);
  const n = protocol.n;
  const processes = Array.from({ length: n + (protocol.hasStableHost ? 1 : 0) }, (_, pid) => name(pid));
  const manetho = protocol.config.variant.manethoStyle;
  const id = (m: Message) => JSON.stringify(m);
  const bytes = (m: Message): number => {
    switch (m.kind) {
      case 'app':
        return APP_PAYLOAD_BYTES + DET_BYTES * m.pb.length;
      case 'depRep':
      case 'depInfo':
        return DET_BYTES * m.dets.length;
      default:
        return 0;
    }
  };
  /** Held: the addressee is Live and not blocked, yet leaves the message in the network (MS-5). */
  const held = (state: FblState, m: Message): boolean => {
    if (m.kind !== 'app') return false;
    const vol = state.procs[m.to]!.vol;
    return vol !== null && vol.status === 'Live' && !vol.blocked && protocol.appDisposition(state, m) === 'wait';
  };
  const q = secondVictim(n);
  const scenarios: Record<string, TimedScenario> = {
    s1: {
      name: 's1',
      description: 'one failure: p0 crashes once the failure-free run is over',
      crashes: [{ process: 'p0', when: { quiescent: true } }],
    },
    s2: {
      name: 's2',
      description: `a failure during recovery: p0 crashes once the failure-free run is over; ${q} crashes δ/2 after p0's recovery sends it a depinfo request (before it can answer)`,
      crashes: [
        { process: 'p0', when: { quiescent: true } },
        { process: q, when: { onSend: { kind: 'depReq', to: q }, delayMs: parameters.latencyMs / 2 } },
      ],
    },
  };
  return {
    processes,
    parameters,
    scenarios,
    inFlight: (state) =>
      state.net.map((m): TimedMessage => {
        const message = { id: id(m), kind: m.kind, from: name(m.from), to: name(m.to), bytes: bytes(m) };
        return held(state, m) ? { ...message, held: true } : message;
      }),
    step(state, action): StepTiming {
      switch (action.kind) {
        case 'message': {
          const m = state.net[action.index]!;
          let cpuMs = 0;
          if (m.kind === 'app') {
            const d = protocol.appDisposition(state, m);
            if (d === 'deliver' || d === 'replay') cpuMs = parameters.cpuMs;
          } else if (m.kind === 'depReq' && manetho) cpuMs = parameters.stableWriteMs;
          return { actor: name(m.to), consumes: id(m), cpuMs };
        }
        case 'drop':
          return { consumes: id(state.net[action.index]!), cpuMs: 0 };
        case 'internal': {
          const actor = model.describe?.(state, action).actor;
          const waitMs = action.event.kind === 'unblock' ? parameters.latencyMs : action.event.kind === 'flush' ? parameters.stableWriteMs : 0;
          return { ...(actor === undefined ? {} : { actor }), cpuMs: 0, waitMs };
        }
        case 'restart':
          return { actor: name(action.pid), cpuMs: 0, waitMs: parameters.detectMs + parameters.restoreMs + 2 * parameters.stableWriteMs };
        case 'crash':
          return { actor: name(action.pid), cpuMs: 0 };
      }
    },
    blocked: (state) => state.procs.flatMap((p, pid) => (p.vol?.blocked === true ? [name(pid)] : [])),
    recovering: (state) => state.procs.flatMap((p, pid) => (p.vol === null || p.vol.status !== 'Live' ? [name(pid)] : [])),
  };
}
