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
 *
 * What the logging did comes from the determinant logs (diagramLogging.ts): for
 * every determinant some other process depends on, the processes holding it
 * as they grow (and whether that makes f + 1), the first application message
 * each holder sends without it (it takes it as logged, knowing of so many
 * hosts: below f + 1 is the `f-hosts` bug), and the crash that leaves nobody
 * holding it (fewer than f + 1 hosts lost to ≤ f crashes, or all of f + 1 or
 * more lost to more than f crashes: beyond the bound). Replies and hand-outs
 * carry their determinants and incarnations; a responder's incarnation vector
 * growing is an adoption; a Manetho-style reply by a live process is a write
 * to stable storage (N3).
 *
 * Each property's violation is marked where it happens (emphasis `cause`):
 * the orphan's depending receive (S1), the determinant sent on too early
 * (S3) or lost with its last host (S4), the step a live process blocks or
 * writes to stable storage (N1, N3), the restart beyond the bound (B1, B2),
 * the stuck process and the logged message never re-sent, or what a cycle
 * keeps rejecting (L1).
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
import { LoggingFacts } from './diagramLogging.js';
import type { FblProtocol } from './protocol.js';
import type { Identities } from './identities.js';
import { unpackDet, type FblState, type Message, type Volatile } from './types.js';

type Receive = Extract<DiagramEvent, { kind: 'receive' }>;

/** The names of application messages: m, m′, m″, m‴ as in the paper when there are at most four, else m1, m2… */
function messageNames(keys: readonly string[]): Map<string, string> {
  const primes = ['m', 'm′', 'm″', 'm‴'];
  return new Map(keys.map((key, i) => [key, keys.length <= primes.length ? primes[i]! : `m${i + 1}`]));
}

/** Steps drawn by what they change (crash, restart, rounds) or by the message they send (ask-replay). */
const DRAWN_STEPS = new Set(['crash', 'restart', 'begin-round', 'detect-restart', 'ask-replay', 'adopt']);

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
    const logging = new LoggingFacts(protocol, ids, processes, states, (source, ssn) => latest.get(`${source}:${ssn}`));

    const events: DiagramEvent[] = [];
    const ids_ = new Map<Message, number>();
    const nameOf = new Map<number, string>();
    /** Receives of application messages, for the orphan's cause and the lost delivery. */
    const receives: { event: Receive; index: number; message: Extract<Message, { kind: 'app' }>; rsn: number; inc: number }[] = [];
    /** Restarted rounds (event index) with the restart count they brought, for restartBound's extra restart. */
    const restartCounts = new Map<number, number>();
    /** The index of the write to stable storage that first broke N3. */
    let firstStableWrite = -1;

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
    /** Copies of application messages sent (replayed or re-sent), for what was never re-sent. */
    const copies: { from: number; ssn: number; to: number; time: number }[] = [];
    const send = (time: number, m: Message) => {
      const id = ids_.size + 1;
      ids_.set(m, id);
      let messageClass: MessageClass = 'control';
      if (m.kind === 'app') {
        // A copy: the same message (sender, ssn, data) was sent before, and is replayed or re-sent.
        const key = appKey(m.from, m.ssn, m.data);
        messageClass = sentApp.has(key) ? 'copy' : 'application';
        if (messageClass === 'copy') copies.push({ from: m.from, ssn: m.ssn, to: m.to, time });
        sentApp.add(key);
        latest.set(`${m.from}:${m.ssn}`, appName(m));
      }
      const name = controlName(m);
      nameOf.set(id, name);
      const carries = logging.carries(m, messageClass === 'application');
      events.push({ kind: 'send', time, lane: m.from, message: id, to: m.to, messageClass, name, text: `${name} to ${processes[m.to]}`, ...(carries === undefined ? {} : { carries }) });
      return messageClass;
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
          // A replay taken at another position than its determinant recorded (variant (e)).
          let misplaced: { at: number; recorded: number } | undefined;
          if (replay && consumed.kind === 'app') {
            const at = after.procs[consumed.to]!.vol!.hist.length;
            const recorded = before.procs[consumed.to]!.vol!.replay.map(unpackDet).find((d) => d.source === consumed.from && d.ssn === consumed.ssn)?.rsn;
            if (recorded !== undefined && recorded !== at) misplaced = { at, recorded };
          }
          const note = stale
            ? ` (stale: inc ${consumed.kind === 'app' ? consumed.inc : 0} < ${senderInc})`
            : misplaced !== undefined
              ? ` (replay at #${misplaced.at}, recorded at #${misplaced.recorded})`
              : replay
                ? ' (replay)'
                : '';
          const event: Receive = {
            kind: 'receive',
            time: k,
            lane: consumed.to,
            message: id,
            text: `${replay ? 'replays' : 'receives'} ${name} from ${from}${note}`,
            ...(replay ? { replay } : {}),
            ...(stale ? { stale } : {}),
            ...(misplaced === undefined ? {} : { misplaced }),
          };
          if (consumed.kind === 'app') {
            const vol = after.procs[consumed.to]!.vol!;
            receives.push({ event, index: events.length, message: consumed, rsn: vol.hist.length, inc: after.procs[consumed.to]!.stable.inc });
            logging.delivered(consumed.from, consumed.ssn, consumed.to, vol.hist.length, name);
          }
          events.push(event);
          // A Manetho-style responder writes its reply to stable storage (MS-2): by a live process, against N3.
          if (consumed.kind === 'depReq' && protocol.config.variant.manethoStyle && consumed.to < n && before.procs[consumed.to]!.vol?.status === 'Live') {
            if (after.global.liveStableWrites > before.global.liveStableWrites) firstStableWrite = events.length;
            events.push({ kind: 'stableWrite', time: k, lane: consumed.to, text: `writes its round-${consumed.round} reply to stable storage during a recovery` });
          }
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
          if (after.global.restarts > before.global.restarts) restartCounts.set(events.length, after.global.restarts);
          events.push({ kind: 'round', time: k, lane: pid, round: ra, restart, text: restart ? `round ${ra}: restart (${why})` : `round ${ra}` });
        }
        const phase = phaseOf(pa.vol);
        if (phase !== phaseOf(pb.vol)) events.push({ kind: 'phase', time: k, lane: pid, phase, text: phase });
        if (pb.vol !== null && pb.vol.status !== 'Live' && pa.vol?.status === 'Live') events.push({ kind: 'mark', time: k, lane: pid, text: 'recovered' });
        // A responder (neither recovering nor leading) whose incarnation vector grows adopts the incarnations it was told.
        if (pb.vol !== null && pb.vol.status !== 'Waiting' && pa.vol !== null) {
          const was = pb.vol.iv;
          const incarnations = pa.vol.iv.flatMap((incarnation, j) => (incarnation > (was[j] ?? 0) ? [{ lane: j, incarnation }] : []));
          if (incarnations.length > 0) {
            const list = incarnations.map((i) => `${processes[i.lane]}=${i.incarnation}`).join(', ');
            events.push({ kind: 'adopt', time: k, lane: pid, incarnations, text: `adopts incarnation ${list}` });
          }
          // Variant (f): the reply only notes the vector; a later step adopts it.
          const noted = pa.vol.pendingAdoption;
          if (noted.length > 0 && noted !== pb.vol.pendingAdoption) {
            const deferred = noted.flatMap((incarnation, j) => (incarnation > (pa.vol!.iv[j] ?? 0) ? [{ lane: j, incarnation }] : []));
            if (deferred.length > 0) {
              const list = deferred.map((i) => `${processes[i.lane]}=${i.incarnation}`).join(', ');
              events.push({ kind: 'adopt', time: k, lane: pid, incarnations: deferred, deferred: true, text: `notes incarnation ${list}, to adopt in a later step` });
            }
          }
        }
      }
      events.push(...logging.hostChanges(k, before, after));
      // Any other step with an actor (flush, a variant's own events) is a mark on the actor's lane.
      const actor = step?.actor === undefined ? -1 : lane(step.actor);
      if (consumed === undefined && step !== undefined && step.receiver === undefined && actor >= 0 && !DRAWN_STEPS.has(step.kind ?? '')) {
        events.push({ kind: 'mark', time: k, lane: actor, text: markText(step) });
      }

      for (const m of sent) {
        if (send(k, m) === 'application' && m.kind === 'app') events.push(...logging.sentWithout(k, m, after));
      }
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
      let what = `delivery #${rsn}, lost when it crashed`;
      if (record !== undefined) {
        const e = ids.recordParts(record);
        const msg = ids.messageParts(e.message);
        const m = appName({ from: msg.source, ssn: msg.ssn, data: msg.data });
        // Delivered again, at another position: a replay out of the recorded order (variant (e)), not a loss.
        const now = final.procs[deliverer]!.vol?.hist.indexOf(e.message) ?? -1;
        if (now >= 0) what = `delivery of ${m} at #${rsn}, which it replayed out of order at #${now + 1}`;
        else {
          what = `delivery of ${m}, lost when it crashed`;
          const finalInc = final.procs[deliverer]!.stable.inc;
          const lost = receives.filter((r) => r.event.lane === deliverer && r.rsn === rsn && r.inc < finalInc && ids.message(r.message.from, r.message.ssn, r.message.data) === e.message).at(-1);
          if (lost) emphasise(lost.index, 'lost');
        }
        const cause = dependingReceive(o, record);
        if (cause) emphasise(cause.index, 'cause');
      }
      if (o >= 0) highlights.push({ lane: o, kind: 'orphan', text: `orphan: depends on ${dep.process}'s ${what}` });
    };

    /** The receive of lane `o`'s current incarnation that made it depend on delivery `record`. */
    const dependingReceive = (o: number, record: number) => {
      const inc = final.procs[o]?.stable.inc;
      return receives.find((r) => r.event.lane === o && r.inc === inc && sortedSetHas(r.message.past, record));
    };

    /**
     * A process at risk (S3, S4): the event that makes the determinant it
     * depends on unsafe is the cause — its last host crashing (S4), or a
     * holder taking it as logged below f + 1 (S3) — else its depending receive.
     */
    const atRisk = (subject: FindingSubject) => {
      const dep = subject.dependsOn;
      if (dep === undefined) return;
      const deliverer = lane(dep.process);
      const about = (e: DiagramEvent) =>
        (e.kind === 'hostsLost' || e.kind === 'logged') && e.determinant.deliverer === deliverer && e.determinant.rsn === dep.rsn;
      const unsafe =
        subject.reason === 'determinant-lost'
          ? events.findLastIndex((e) => about(e) && e.kind === 'hostsLost')
          : events.findIndex((e) => about(e) && e.kind === 'logged' && !e.enough);
      if (unsafe >= 0) {
        emphasise(unsafe, 'cause');
        return;
      }
      const d = dep.message;
      const from = lane(d?.source ?? '');
      if (d?.ssn === undefined || d.data === undefined || from < 0) return;
      const cause = dependingReceive(lane(subject.process), ids.record(deliverer, dep.rsn, ids.message(from, d.ssn, d.data)));
      if (cause) emphasise(cause.index, 'cause');
    };

    const emphasiseLast = (l: number, test: (e: DiagramEvent) => boolean) => {
      const i = events.findLastIndex((e) => e.lane === l && test(e));
      if (i >= 0) emphasise(i, 'cause');
    };

    /** A logged message its addressee never delivered: marked on the sender's lane at the end, re-sent since the addressee's last crash or not. */
    const notResent = (from: number, ssn: number, data: number, to: number) => {
      const crashed = events.findLast((e) => e.kind === 'crash' && e.lane === to)?.time ?? -1;
      const resent = copies.some((c) => c.from === from && c.ssn === ssn && c.to === to && c.time > crashed);
      const name = appName({ from, ssn, data });
      const T = states.length - 1;
      const text = `${name} for ${processes[to]} in its send log: ${resent ? 're-sent, never delivered' : `never re-sent${crashed >= 0 ? ` since ${processes[to]}'s crash` : ''}`}`;
      events.push({ kind: 'violation', time: T, lane: from, emphasis: 'cause', text });
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
          emphasiseLast(lane(subject.process), (e) => e.kind === 'crash');
          break;
        case 'stuck': {
          const status = subject.detail?.['status'];
          add(subject.process, 'stuck', typeof status === 'string' ? `stuck ${status}` : 'stuck');
          emphasiseLast(lane(subject.process), (e) => e.kind === 'phase');
          break;
        }
        case 'blocked':
          add(subject.process, 'blocked', subject.reason === 'blocked-forever' ? 'blocked forever' : 'blocked by the recovery');
          emphasiseLast(lane(subject.process), (e) => e.kind === 'phase' && e.phase === 'blocked');
          break;
        case 'undelivered': {
          const m = subject.message;
          if (m === undefined) break;
          const from = lane(m.source);
          const known = m.ssn !== undefined && m.data !== undefined && from >= 0;
          const what = known ? `${appName({ from, ssn: m.ssn!, data: m.data! })} from ${m.source}` : `${m.source}'s message`;
          add(subject.process, 'stuck', `never receives ${what}`);
          if (known) notResent(from, m.ssn!, m.data!, lane(subject.process));
          break;
        }
        case 'at-risk':
          if (dep === undefined) break;
        {
          atRisk(subject);
          const d = dep.message;
          const from = lane(d?.source ?? '');
          const m = d?.ssn === undefined || d.data === undefined || from < 0 ? undefined : appName({ from, ssn: d.ssn, data: d.data });
          const what = m === undefined ? `delivery #${dep.rsn}` : `delivery #${dep.rsn} (of ${m})`;
          const det = m === undefined ? 'its determinant' : `its determinant #${m}`;
          add(
            subject.process,
            'at-risk',
            subject.reason === 'determinant-lost' ? `depends on ${dep.process}'s ${what}, whose determinant no survivor holds` : `depends on ${dep.process}'s ${what} without holding ${det}`,
          );
          break;
        }
        case 'pending':
          break; // messages still in flight: the arrows without an end show them
      }
    }
    for (const [l, { kind, parts }] of [...texts].sort((a, b) => a[0] - b[0])) highlights.push({ lane: l, kind, text: parts.join('; ') });

    // Too many restarts: the rounds that restarted beyond the bound are the cause.
    if (finding.reason === 'restarts-above-f' || finding.reason === 'restarts-above-crashes') {
      const bound = typeof finding.detail?.['bound'] === 'number' ? finding.detail['bound'] : 0;
      const rule = finding.reason === 'restarts-above-f' ? `f = ${bound} (B1)` : `crashes − 1 = ${bound} (B2)`;
      for (const [i, count] of restartCounts) {
        if (count <= bound) continue;
        const e = events[i]!;
        events[i] = { ...e, emphasis: 'cause', text: `${e.text}: restart ${count} > ${rule}` };
      }
    }

    // N3: the first write to stable storage by a live process during a recovery.
    if (finding.reason === 'stable-write-during-recovery' && firstStableWrite >= 0) {
      emphasise(firstStableWrite, 'cause');
      const l = events[firstStableWrite]!.lane;
      highlights.push({ lane: l, kind: 'stable-writer', text: 'stable-writer: wrote its reply to stable storage during a recovery (N3)' });
    }

    // A cycle that never ends well: the processes not live are stuck in it; what they reject in it is the cause.
    if (finding.reason === 'cycle') {
      const from = typeof finding.detail?.['loopStart'] === 'number' ? finding.detail['loopStart'] : states.length - 1;
      final.procs.forEach((p, pid) => {
        if (p.vol?.status === 'Live') return;
        const status = p.vol?.status ?? 'crashed';
        highlights.push({ lane: pid, kind: 'stuck', text: `stuck ${status}: steps ${from + 1}–${states.length - 1} repeat forever` });
        events.forEach((e, i) => {
          if (e.lane === pid && e.time > from && e.kind === 'reject') emphasise(i, 'cause');
        });
      });
      highlights.sort((a, b) => a.lane - b.lane);
    }

    return { title: '', processes, labels: [...labels], events, highlights, property, explanation: finding.summary };
  };
}
