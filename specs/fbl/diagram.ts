/**
 * The space-time diagram of an FBL trace (CheckTarget.diagram): lanes p0…p(n-1)
 * (and S when f = n), built by diffing consecutive states.
 *
 * The system kit keeps a message the same object from the step that sends it
 * to the step that consumes it, so sends and ends are matched by identity: a
 * message that leaves the network in the step whose label consumes it is
 * received (or rejected, for `discard …`); any other message that leaves is
 * dropped eagerly (RC-17). Crashes, restarts, rounds and lane phases come
 * from the process records; what a step did (replay, discard and why, who
 * took an internal step) from the model's step descriptions; the orphan or
 * stuck process from the subjects of the property's finding, and the
 * orphan's cause from its ghost causal past. No label or summary is parsed.
 */
import {
  sortedSetHas,
  type ActionDescription,
  type Diagram,
  type DiagramEvent,
  type DiagramHighlight,
  type FindingSubject,
  type LaneHighlight,
  type LanePhase,
  type MessageClass,
} from '../../src/index.js';
import type { FblProtocol } from './protocol.js';
import type { Identities } from './identities.js';
import type { FblState, Message, Volatile } from './types.js';

type Receive = Extract<DiagramEvent, { kind: 'receive' }>;

/** The names of application messages: m, m′, m″, m‴ as in the paper when there are at most four, else m1, m2… */
function messageNames(keys: readonly string[]): Map<string, string> {
  const primes = ['m', 'm′', 'm″', 'm‴'];
  return new Map(keys.map((key, i) => [key, keys.length <= primes.length ? primes[i]! : `m${i + 1}`]));
}

/** Steps drawn by what they change (crash, restart, rounds) or by the message they send (ask-replay). */
const DRAWN_STEPS = new Set(['crash', 'restart', 'begin-round', 'detect-restart', 'ask-replay']);

/** A string field of a step's detail, if it has one. */
function detailText(step: ActionDescription | undefined, key: string): string | undefined {
  const value = step?.detail?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** An internal step as the mark drawn for it: its kind, and the failed process it names. */
function markText(step: ActionDescription): string {
  const failed = detailText(step, 'failed');
  return `${step.kind ?? 'step'}${failed === undefined ? '' : ` (${failed} failed)`}`;
}

const appKey = (source: number, ssn: number, data: number): string => `${source}:${ssn}:${data}`;

function phaseOf(vol: Volatile | null): LanePhase {
  if (vol === null) return 'crashed';
  if (vol.status === 'Waiting') return 'recovering';
  if (vol.status === 'Replaying') return 'replaying';
  return vol.blocked ? 'blocked' : 'live';
}

/** Messages that left and entered the network in one step, by object identity. */
function netDiff(before: readonly Message[], after: readonly Message[]): { gone: Message[]; sent: Message[] } {
  const a = new Set(after);
  const b = new Set(before);
  return { gone: before.filter((m) => !a.has(m)), sent: after.filter((m) => !b.has(m)) };
}

export function fblDiagram(protocol: FblProtocol, ids: Identities) {
  const n = protocol.config.n;
  const processes = Array.from({ length: protocol.hasStableHost ? n + 1 : n }, (_, pid) => protocol.processName(pid));
  const lane = (name: string): number => processes.indexOf(name);

  return (states: readonly FblState[], labels: readonly string[], highlight: DiagramHighlight): Diagram => {
    // Pass 1: application identities in order of first send, for the names.
    const keys: string[] = [];
    const seen = new Set<string>();
    const noteSends = (ms: readonly Message[]) => {
      for (const m of ms) {
        if (m.kind !== 'app') continue;
        const key = appKey(m.from, m.ssn, m.data);
        if (seen.has(key)) continue;
        seen.add(key);
        keys.push(key);
      }
    };
    noteSends(states[0]!.net);
    for (let k = 1; k < states.length; k++) noteSends(netDiff(states[k - 1]!.net, states[k]!.net).sent);
    const names = messageNames(keys);
    const latest = new Map<string, string>(); // "source:ssn" → name of the latest such identity sent
    const appName = (m: { from: number; ssn: number; data: number }) => names.get(appKey(m.from, m.ssn, m.data)) ?? `${processes[m.from]}#${m.ssn}`;

    const events: DiagramEvent[] = [];
    const ids_ = new Map<Message, number>();
    const nameOf = new Map<number, string>();
    /** Receives of application messages, for the orphan's cause and the lost delivery. */
    const receives: { event: Receive; index: number; message: Extract<Message, { kind: 'app' }>; rsn: number; inc: number }[] = [];

    const controlName = (m: Message): string => {
      switch (m.kind) {
        case 'app':
          return appName(m);
        case 'incReq':
          return `inc? r${m.round}`;
        case 'incRep':
          return `inc r${m.round}`;
        case 'depReq':
          return `dep? r${m.round}`;
        case 'depRep':
          return `dep r${m.round}`;
        case 'depInfo':
          return `depinfo r${m.round}`;
        case 'replayReq':
          return `replay? ${latest.get(`${m.to}:${m.ssn}`) ?? `#${m.ssn}`}`;
        case 'resendReq':
          return 'resend?';
        default:
          return m.kind; // unblock, announce…: the kind says it
      }
    };

    const sentApp = new Set<string>();
    const send = (time: number, m: Message) => {
      const id = ids_.size + 1;
      ids_.set(m, id);
      let messageClass: MessageClass = 'control';
      if (m.kind === 'app') {
        // A copy: the same message (sender, ssn, data) was sent before, and is replayed or re-sent.
        const key = appKey(m.from, m.ssn, m.data);
        messageClass = sentApp.has(key) ? 'copy' : 'application';
        sentApp.add(key);
        latest.set(`${m.from}:${m.ssn}`, appName(m));
      }
      const name = controlName(m);
      nameOf.set(id, name);
      events.push({ kind: 'send', time, lane: m.from, message: id, to: m.to, messageClass, name, text: `${name} to ${processes[m.to]}` });
    };

    for (let pid = 0; pid < n; pid++) events.push({ kind: 'phase', time: 0, lane: pid, phase: phaseOf(states[0]!.procs[pid]!.vol), text: 'live' });
    for (const m of states[0]!.net) send(0, m);

    for (let k = 1; k < states.length; k++) {
      const before = states[k - 1]!;
      const after = states[k]!;
      const label = labels[k - 1] ?? '';
      const step = highlight.steps[k - 1];
      const { gone, sent } = netDiff(before.net, after.net);
      const consumed = gone.find((m) => protocol.messageLabel(before, m) === label);

      if (consumed !== undefined) {
        const id = ids_.get(consumed)!;
        const name = nameOf.get(id)!;
        const from = processes[consumed.from]!;
        if (step?.kind === 'discard') {
          const reason = detailText(step, 'reason') ?? 'discarded';
          events.push({ kind: 'reject', time: k, lane: consumed.to, message: id, reason, text: `rejects ${name} from ${from} (${reason})` });
        } else {
          const replay = step?.kind === 'replay';
          const senderInc = before.procs[consumed.from]?.stable.inc ?? 0;
          const stale = consumed.kind === 'app' && consumed.inc < senderInc;
          const note = stale ? ` (stale: inc ${consumed.kind === 'app' ? consumed.inc : 0} < ${senderInc})` : replay ? ' (replay)' : '';
          const event: Receive = {
            kind: 'receive',
            time: k,
            lane: consumed.to,
            message: id,
            text: `${replay ? 'replays' : 'receives'} ${name} from ${from}${note}`,
            ...(replay ? { replay } : {}),
            ...(stale ? { stale } : {}),
          };
          if (consumed.kind === 'app') {
            const vol = after.procs[consumed.to]!.vol!;
            receives.push({ event, index: events.length, message: consumed, rsn: vol.hist.length, inc: after.procs[consumed.to]!.stable.inc });
          }
          events.push(event);
        }
      }

      for (let pid = 0; pid < n; pid++) {
        const pb = before.procs[pid]!;
        const pa = after.procs[pid]!;
        if (pb.vol !== null && pa.vol === null) events.push({ kind: 'crash', time: k, lane: pid, text: 'crash' });
        if (pa.stable.inc !== pb.stable.inc) events.push({ kind: 'restart', time: k, lane: pid, incarnation: pa.stable.inc, text: `restart, inc ${pa.stable.inc}` });
        const rb = pb.vol?.lead?.round ?? 0;
        const ra = pa.vol?.lead?.round ?? 0;
        if (rb !== 0 && ra !== rb) {
          const outcome = pa.vol === null ? 'aborted' : ra !== 0 ? 'restarted' : 'complete';
          events.push({ kind: 'roundEnd', time: k, lane: pid, round: rb, outcome, text: `round ${rb} ${outcome}` });
        }
        if (ra !== 0 && ra !== rb) {
          const failed = step?.kind === 'detect-restart' ? detailText(step, 'failed') : undefined;
          const why = failed !== undefined ? `${failed} failed` : after.global.restarts > before.global.restarts ? 'take-over' : undefined;
          const restart = why !== undefined;
          events.push({ kind: 'round', time: k, lane: pid, round: ra, restart, text: restart ? `round ${ra}: restart (${why})` : `round ${ra}` });
        }
        const phase = phaseOf(pa.vol);
        if (phase !== phaseOf(pb.vol)) events.push({ kind: 'phase', time: k, lane: pid, phase, text: phase });
        if (pb.vol !== null && pb.vol.status !== 'Live' && pa.vol?.status === 'Live') events.push({ kind: 'mark', time: k, lane: pid, text: 'recovered' });
      }
      // Any other step with an actor (flush, a variant's own events) is a mark on the actor's lane.
      const actor = step?.actor === undefined ? -1 : lane(step.actor);
      if (consumed === undefined && step !== undefined && step.receiver === undefined && actor >= 0 && !DRAWN_STEPS.has(step.kind ?? '')) {
        events.push({ kind: 'mark', time: k, lane: actor, text: markText(step) });
      }

      for (const m of sent) send(k, m);
      for (const m of gone) {
        if (m === consumed) continue;
        const id = ids_.get(m)!;
        events.push({ kind: 'drop', time: k, lane: m.to, message: id, text: `${nameOf.get(id)} from ${processes[m.from]} dropped` });
      }
    }

    const final = states[states.length - 1]!;
    const highlights: LaneHighlight[] = [];
    const emphasise = (index: number, emphasis: 'cause' | 'lost') => {
      events[index] = { ...events[index]!, emphasis };
    };
    const { property, finding } = highlight;

    /** The orphan: the delivery it depends on, lost by the deliverer's crash (emphasised), and the receive that made it depend (the cause). */
    const orphan = (subject: FindingSubject) => {
      const dep = subject.dependsOn;
      const o = lane(subject.process);
      if (dep === undefined) return;
      const deliverer = lane(dep.process);
      const rsn = dep.rsn;
      const vol = final.procs[o]?.vol;
      const record = vol?.past.find((r) => {
        const e = ids.recordParts(r);
        return e.process === deliverer && e.rsn === rsn && final.procs[deliverer]!.vol?.hist[rsn - 1] !== e.message;
      });
      let what = `delivery #${rsn}`;
      if (record !== undefined) {
        const e = ids.recordParts(record);
        const msg = ids.messageParts(e.message);
        what = `delivery of ${appName({ from: msg.source, ssn: msg.ssn, data: msg.data })}`;
        const finalInc = final.procs[deliverer]!.stable.inc;
        const lost = receives.filter((r) => r.event.lane === deliverer && r.rsn === rsn && r.inc < finalInc && ids.message(r.message.from, r.message.ssn, r.message.data) === e.message).at(-1);
        if (lost) emphasise(lost.index, 'lost');
        const orphanInc = final.procs[o]!.stable.inc;
        const cause = receives.find((r) => r.event.lane === o && r.inc === orphanInc && sortedSetHas(r.message.past, record));
        if (cause) emphasise(cause.index, 'cause');
      }
      if (o >= 0) highlights.push({ lane: o, kind: 'orphan', text: `orphan: depends on ${dep.process}'s ${what}, lost when it crashed` });
    };

    /** Lanes of the other subjects: one highlight per lane, its parts in the finding's order, its kind the first part's. */
    const texts = new Map<number, { kind: LaneHighlight['kind']; parts: string[] }>();
    const add = (process: string, kind: LaneHighlight['kind'], text: string) => {
      const l = lane(process);
      if (l < 0) return;
      const entry = texts.get(l) ?? { kind, parts: [] };
      entry.parts.push(text);
      texts.set(l, entry);
    };
    for (const subject of finding.subjects) {
      const dep = subject.dependsOn;
      switch (subject.role) {
        case 'orphan':
          orphan(subject);
          break;
        case 'crashed':
          add(subject.process, 'stuck', 'crashed for good');
          break;
        case 'stuck': {
          const status = subject.detail?.['status'];
          add(subject.process, 'stuck', typeof status === 'string' ? `stuck ${status}` : 'stuck');
          break;
        }
        case 'blocked':
          add(subject.process, 'blocked', subject.reason === 'blocked-forever' ? 'blocked forever' : 'blocked by the recovery');
          break;
        case 'undelivered': {
          const m = subject.message;
          if (m === undefined) break;
          const from = lane(m.source);
          const what = m.ssn === undefined || m.data === undefined || from < 0 ? `${m.source}'s message` : `${appName({ from, ssn: m.ssn, data: m.data })} from ${m.source}`;
          add(subject.process, 'stuck', `never receives ${what}`);
          break;
        }
        case 'at-risk':
          if (dep === undefined) break;
          add(
            subject.process,
            'at-risk',
            subject.reason === 'determinant-lost'
              ? `depends on ${dep.process}'s delivery #${dep.rsn}, whose determinant no survivor holds`
              : `depends on ${dep.process}'s delivery #${dep.rsn} without holding its determinant`,
          );
          break;
        case 'pending':
          break; // messages still in flight: the arrows without an end show them
      }
    }
    for (const [l, { kind, parts }] of [...texts].sort((a, b) => a[0] - b[0])) highlights.push({ lane: l, kind, text: parts.join('; ') });

    // Too many restarts: the rounds that restarted are the cause.
    if (finding.reason === 'restarts-above-f' || finding.reason === 'restarts-above-crashes') {
      events.forEach((e, i) => {
        if (e.kind === 'round' && e.restart) emphasise(i, 'cause');
      });
    }

    return { title: '', processes, labels: [...labels], events, highlights, property, explanation: finding.summary };
  };
}
