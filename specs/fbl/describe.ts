/**
 * FBL's descriptions of its own steps (the system kit's StepDescriber), so
 * that shrinking and diagrams read what a step did as data, never from its
 * label: what became of a consumed application message (`deliver`, `replay`
 * or `discard` with the reason), and who takes an internal step.
 */
import type { FindingDetail, StepDescriber, StepFacts } from '../../src/index.js';
import type { FblProtocol } from './protocol.js';
import { unpackDet, type FblState, type InternalEvent, type Message } from './types.js';

/** `beginRound` → `begin-round`: the kinds as the labels spell them. */
function kebab(kind: string): string {
  return kind.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function fblDescriber(protocol: FblProtocol): StepDescriber<FblState, Message, InternalEvent> {
  const name = (pid: number) => protocol.processName(pid);
  return {
    message(state: FblState, m: Message): StepFacts {
      if (m.kind !== 'app') return {};
      const disposition = protocol.appDisposition(state, m);
      if (disposition === 'deliver' || disposition === 'replay') return { kind: disposition, detail: { ssn: m.ssn, inc: m.inc } };
      return { kind: 'discard', detail: { ssn: m.ssn, inc: m.inc, reason: disposition } };
    },
    event(_state: FblState, e: InternalEvent): StepFacts {
      let detail: FindingDetail | undefined;
      switch (e.kind) {
        case 'detectRestart':
        case 'dropResponder':
          detail = { failed: name(e.failed) };
          break;
        case 'askReplay': {
          const d = unpackDet(e.det);
          detail = { source: name(d.source), ssn: d.ssn };
          break;
        }
        default:
          break;
      }
      return detail === undefined ? { actor: e.pid, kind: kebab(e.kind) } : { actor: e.pid, kind: kebab(e.kind), detail };
    },
  };
}
