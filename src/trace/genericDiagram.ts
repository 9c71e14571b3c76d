/**
 * The space-time diagram of any model, built from what its steps say of
 * themselves (Model.describe) and from the violation's finding, for a spec
 * that draws no diagram of its own (CheckTarget.diagram). It knows no
 * protocol: its words are the model's labels and kinds.
 *
 * - Lanes: the processes of CheckTarget.processes, then every other process a
 *   step names (actor, sender, receiver) or the finding names, in the order
 *   first named. A step that names no process is drawn on a lane of its own,
 *   `model` (`model'`… if a process has that name).
 * - One event per step, at its time, on its actor's lane: a crash for a fault;
 *   for a step that consumes a message (a `receiver`), a receipt on the
 *   receiver's lane; otherwise a mark reading the step's `kind` (its label
 *   when it has none).
 * - Messages: the states do not say what a step sends, but the trace says
 *   when a receipt became possible. A consumption labelled L at step k was
 *   sent by the step after which L has been enabled without a break up to k,
 *   provided that step's actor is the message's sender (a message enabled in
 *   the initial state was sent before the trace: at time 0, from the sender).
 *   The arrow runs from there to the receipt. Otherwise (no sender given, or
 *   L became enabled by another process's step, say the receiver's restart)
 *   the receipt is a mark, "received KIND from SENDER": an arrival whose
 *   send is not known. A message is known by its label and that step, so a
 *   second consumption of the same one (a model whose messages stay, as in a
 *   set) is a mark too. Consumptions still enabled in the last state are
 *   messages in flight at the end, found the same way.
 * - Highlights: each subject of the finding on its process's lane, with its
 *   role, its reason code and the delivery or message it names.
 */
import type { Diagram, DiagramEvent, DiagramHighlight, LaneHighlight } from '../core/diagram.js';
import type { ActionDescription, FindingSubject, Model } from '../core/model.js';
import { describeAction } from './verdict.js';

/** What genericDiagram needs of a check target: its model, and optionally the order of its processes. */
export interface GenericDiagramTarget<S, A> {
  readonly model: Model<S, A>;
  /** CheckTarget.processes: these lanes first, in this order. */
  readonly processes?: readonly string[];
}

/** The name of the lane of steps that name no process (made unique against the processes' names). */
export const UNNAMED_LANE = 'model';

/** A message found: sent at `sentAt` (a time) from `from` to `to`, received at `receivedAt` unless still in flight. */
interface FoundMessage {
  readonly key: string;
  readonly sentAt: number;
  readonly from: string;
  readonly to: string;
  readonly name: string;
  receivedAt?: number;
}

/**
 * The generic space-time diagram of a trace (states[0] initial, states[k]
 * after labels[k-1]) and its violation (see the module comment). Its
 * signature is a diagram hook's with the target in front, so a spec may
 * also return it from its own `diagram`. The title is empty and no
 * loopStart is set: the caller (rrcheck render) adds them.
 */
export function genericDiagram<S, A>(
  target: GenericDiagramTarget<S, A>,
  states: readonly S[],
  labels: readonly string[],
  facts: DiagramHighlight,
): Diagram {
  const { model } = target;
  const T = labels.length;
  const steps: ActionDescription[] = labels.map((_, k) => facts.steps[k] ?? { fault: false });

  // Lanes, in the order processes are first named.
  const processes: string[] = [];
  const laneOf = new Map<string, number>();
  const lane = (name: string): number => {
    let at = laneOf.get(name);
    if (at === undefined) {
      at = processes.push(name) - 1;
      laneOf.set(name, at);
    }
    return at;
  };
  for (const p of target.processes ?? []) lane(p);
  // The consumptions enabled in the last state: messages in flight at the end, if their senders are known.
  const last = states[T];
  const pending = last === undefined ? [] : model.actions(last).map((a) => ({ label: model.label(a), d: describeAction(model, last, a) }));
  const named = new Set<string | undefined>([
    ...(target.processes ?? []),
    ...[...steps, ...pending.map((p) => p.d)].flatMap((d) => [d.actor, d.sender, d.receiver]),
    ...facts.finding.subjects.map((s) => s.process),
  ]);
  let unnamed = UNNAMED_LANE;
  while (named.has(unnamed)) unnamed += "'";

  // Which labels are enabled in states[i], computed once per state asked about.
  const enabledCache = new Map<number, Set<string>>();
  const enabled = (i: number): Set<string> => {
    let set = enabledCache.get(i);
    if (set === undefined) {
      const state = states[i];
      set = new Set(state === undefined ? [] : model.actions(state).map((a) => model.label(a)));
      enabledCache.set(i, set);
    }
    return set;
  };
  /**
   * The time at which the consumption labelled `label`, enabled in states[k],
   * was sent by `sender`: 0 if enabled since the initial state, j + 1 if
   * step j (labels[j]) enabled it and `sender` took that step; undefined when
   * not known.
   */
  const sentAt = (label: string, k: number, sender: string): number | undefined => {
    let j = k - 1;
    while (j >= 0 && enabled(j).has(label)) j--;
    if (j < 0) return 0;
    return steps[j]!.actor === sender ? j + 1 : undefined;
  };

  const messages = new Map<string, FoundMessage>();
  /** Each time's own events, in the order they happened (the step's own event first, then its sends, added later). */
  const own: DiagramEvent[][] = Array.from({ length: T + 1 }, () => []);
  const receipts: { time: number; lane: number; key: string }[] = [];

  steps.forEach((d, k) => {
    const time = k + 1;
    for (const p of [d.actor, d.sender, d.receiver]) if (p !== undefined) lane(p);
    const where = d.actor ?? d.receiver ?? d.sender;
    const at = lane(where ?? unnamed);
    const what = d.kind ?? labels[k]!;
    if (d.fault) {
      own[time]!.push({ kind: 'crash', time, lane: at, text: what });
      return;
    }
    if (d.receiver === undefined) {
      own[time]!.push({ kind: 'mark', time, lane: at, text: what });
      return;
    }
    const name = d.kind ?? 'message';
    const to = lane(d.receiver);
    const sent = d.sender === undefined ? undefined : sentAt(labels[k]!, k, d.sender);
    const key = `${sent}\u0000${labels[k]}`;
    const known = messages.get(key);
    if (d.sender === undefined || sent === undefined || known?.receivedAt !== undefined) {
      own[time]!.push({ kind: 'mark', time, lane: to, text: `received ${name}${d.sender === undefined ? '' : ` from ${d.sender}`}` });
      return;
    }
    messages.set(key, { key, sentAt: sent, from: d.sender, to: d.receiver, name, receivedAt: time });
    receipts.push({ time, lane: to, key });
  });

  // Messages still in flight: consumptions enabled in the last state, sent by an identifiable step, not yet received.
  for (const { label, d } of pending) {
    if (d.receiver === undefined || d.sender === undefined) continue;
    const sent = sentAt(label, T, d.sender);
    if (sent === undefined) continue;
    const key = `${sent}\u0000${label}`;
    if (messages.has(key)) continue;
    lane(d.sender);
    lane(d.receiver);
    messages.set(key, { key, sentAt: sent, from: d.sender, to: d.receiver, name: d.kind ?? 'message' });
  }

  // Message ids in order of sending, then of addressee's lane: sends follow their step's own event.
  const ordered = [...messages.values()].sort(
    (a, b) =>
      a.sentAt - b.sentAt ||
      laneOf.get(a.to)! - laneOf.get(b.to)! ||
      (a.receivedAt ?? T + 1) - (b.receivedAt ?? T + 1) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const idOf = new Map(ordered.map((m, id) => [m.key, id]));
  const sends: DiagramEvent[][] = Array.from({ length: T + 1 }, () => []);
  for (const m of ordered) {
    const message = idOf.get(m.key)!;
    sends[m.sentAt]!.push({ kind: 'send', time: m.sentAt, lane: laneOf.get(m.from)!, to: laneOf.get(m.to)!, message, messageClass: 'application', name: m.name, text: m.name });
  }
  for (const r of receipts) {
    const m = messages.get(r.key)!;
    own[r.time]!.push({ kind: 'receive', time: r.time, lane: r.lane, message: idOf.get(r.key)!, text: m.name });
  }

  // The finding's subjects: one highlight per lane, its subjects' roles in order.
  const byLane = new Map<number, { kind: LaneHighlight['kind']; parts: string[] }>();
  for (const s of facts.finding.subjects) {
    const at = lane(s.process);
    const entry = byLane.get(at) ?? { kind: s.role, parts: [] };
    entry.parts.push(subjectText(s));
    byLane.set(at, entry);
  }
  const highlights: LaneHighlight[] = [...byLane].sort((a, b) => a[0] - b[0]).map(([l, { kind, parts }]) => ({ lane: l, kind, text: parts.join('; ') }));

  if (processes.length === 0) lane(unnamed);
  const events: DiagramEvent[] = [];
  for (let t = 0; t <= T; t++) events.push(...own[t]!, ...sends[t]!);
  return { title: '', processes, labels: [...labels], events, highlights, property: facts.property, explanation: facts.finding.summary };
}

/** A subject as one line in neutral words: its role, its reason code, and the delivery or message it names. */
function subjectText(s: FindingSubject): string {
  const parts = [`${s.role}: ${s.reason}`];
  if (s.dependsOn !== undefined) {
    const m = s.dependsOn.message;
    const what = m === undefined ? '' : ` (${messageText(m)})`;
    parts.push(`depends on ${s.dependsOn.process}'s delivery #${s.dependsOn.rsn}${what}`);
  }
  if (s.message !== undefined) parts.push(messageText(s.message));
  return parts.join(', ');
}

function messageText(m: NonNullable<FindingSubject['message']>): string {
  const kind = m.kind === undefined ? 'message' : m.kind;
  const ssn = m.ssn === undefined ? '' : ` #${m.ssn}`;
  const data = m.data === undefined ? '' : ` (data ${m.data})`;
  return `${kind}${ssn} from ${m.source}${data}`;
}
