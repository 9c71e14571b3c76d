/**
 * A space-time diagram of a trace, as a plain value: one lane per process,
 * events at logical times (the step index: 0 is the initial state, k the
 * state after the k-th label), and messages linking a send to what became of
 * it. A spec builds it from its own states (CheckTarget.diagram), or
 * trace/genericDiagram builds it from the steps' descriptions; the renderers
 * in trace/render draw it without knowing any protocol.
 */
import type { ActionDescription, Finding, SubjectRole } from './model.js';

/** Application messages, copies of them (replayed or re-sent), protocol control messages. */
export type MessageClass = 'application' | 'copy' | 'control';

/** What a lane is doing from an event on: drawn as the lane's style. */
export type LanePhase = 'live' | 'crashed' | 'recovering' | 'replaying' | 'blocked';

/** Why an event is drawn emphasised: it caused the violation, or it was lost by a crash. */
export type Emphasis = 'cause' | 'lost';

interface EventBase {
  /** Step index: 0 for the initial state, k for the step of labels[k-1]. */
  readonly time: number;
  /** Index into Diagram.processes. */
  readonly lane: number;
  /** Short text drawn beside the event. */
  readonly text: string;
  readonly emphasis?: Emphasis;
}

/**
 * A determinant: the receipt order of one delivery (which message its
 * deliverer took at which position), what message logging must keep so that
 * a crashed deliverer can replay it.
 */
export interface DeterminantRef {
  /** The name drawn: `#m` for the receipt order of m. */
  readonly name: string;
  /** Lane of the process that made the delivery. */
  readonly deliverer: number;
  /** The delivery's position in the deliverer's history (1-based). */
  readonly rsn: number;
}

/** One entry of an incarnation vector: the incarnation of the process of `lane`. */
export interface LaneIncarnation {
  readonly lane: number;
  readonly incarnation: number;
}

/**
 * What a message carried that the logging is about: the determinants
 * piggybacked on an application message, or reported by a reply or a
 * hand-out, and the incarnations a reply or a hand-out reported.
 */
export interface MessageContent {
  readonly determinants: readonly DeterminantRef[];
  /** The incarnations reported above 0 (absent: the message carries no incarnation vector). */
  readonly incarnations?: readonly LaneIncarnation[];
}

/** Something drawn on a lane at a time: a message's send and its end (receive, reject, drop), a crash, a restart, a round, a phase change, a mark, and what the logging did (determinant hosts, adoption, stable writes). */
export type DiagramEvent =
  | (EventBase & {
      readonly kind: 'send';
      /** Unique in the diagram; the consuming or dropping event carries the same id. */
      readonly message: number;
      /** Lane of the addressee. */
      readonly to: number;
      readonly messageClass: MessageClass;
      /** A compact name for the arrow: m, m′, dep? r1… */
      readonly name: string;
      /** The determinants and incarnations it carried (absent: none worth drawing). */
      readonly carries?: MessageContent;
    })
  | (EventBase & {
      readonly kind: 'receive';
      readonly message: number;
      /** Delivered as a replay (a recovering process re-executing its past). */
      readonly replay?: boolean;
      /** Carried the tag of a dead incarnation of its sender (accepted anyway: the broken filter). */
      readonly stale?: boolean;
      /** A replay taken at another position than its determinant recorded: the recorded order broken. */
      readonly misplaced?: { readonly at: number; readonly recorded: number };
    })
  /** Consumed and discarded by the addressee (stale or duplicate): an arrow ending in a bar. */
  | (EventBase & { readonly kind: 'reject'; readonly message: number; readonly reason: string })
  /** Vanished with no step of its own (useless from then on): an arrow ending in a small circle. */
  | (EventBase & { readonly kind: 'drop'; readonly message: number })
  | (EventBase & { readonly kind: 'crash' })
  | (EventBase & { readonly kind: 'restart'; readonly incarnation: number })
  /** A gathering round begins on the leader's lane; `restart` when it replaces a round or a dead leader. */
  | (EventBase & { readonly kind: 'round'; readonly round: number; readonly restart: boolean })
  | (EventBase & { readonly kind: 'roundEnd'; readonly round: number; readonly outcome: 'complete' | 'restarted' | 'aborted' })
  | (EventBase & { readonly kind: 'phase'; readonly phase: LanePhase })
  | (EventBase & { readonly kind: 'mark' })
  /**
   * The processes holding a determinant grew: this lane holds it from this
   * step on, and `hosts` (lanes, in order) hold it after the step. `stable`:
   * it survives any f crashes (at least `needed` = f + 1 hosts, or stable
   * storage among them).
   */
  | (EventBase & { readonly kind: 'hosts'; readonly determinant: DeterminantRef; readonly hosts: readonly number[]; readonly needed: number; readonly stable: boolean })
  /**
   * This lane first sent an application message without a determinant it
   * holds: it treats the determinant as logged, knowing of the `known` hosts.
   * `enough`: they are at least `needed` = f + 1 (or include stable storage);
   * false is the rule broken, a determinant taken as logged too early.
   * `holders`: the lanes that really hold it then (fewer when a known host
   * has crashed since).
   */
  | (EventBase & {
      readonly kind: 'logged';
      readonly determinant: DeterminantRef;
      readonly known: readonly number[];
      readonly needed: number;
      readonly enough: boolean;
      readonly holders: readonly number[];
    })
  /**
   * The last host of a determinant crashed (on this lane): nobody holds it
   * now. `hosts`: the lanes that held it, all crashed. `dependents`: the up
   * processes (other than the deliverer) that depend on the delivery; with
   * none, nothing was lost that matters. Else fewer than `needed` = f + 1
   * hosts means it was lost to at most f crashes (a bug), at least `needed`
   * that more than f crashed (beyond the bound the protocol promises).
   */
  | (EventBase & {
      readonly kind: 'hostsLost';
      readonly determinant: DeterminantRef;
      readonly hosts: readonly number[];
      readonly needed: number;
      readonly dependents: readonly number[];
    })
  /**
   * This lane's incarnation vector took newer incarnations (a responder
   * adopting a recovering process's new incarnation); `deferred`: it only
   * noted them, to adopt in a later step of its own.
   */
  | (EventBase & { readonly kind: 'adopt'; readonly incarnations: readonly LaneIncarnation[]; readonly deferred?: boolean })
  /** A live process wrote to stable storage while a recovery was in progress (what a non-blocking protocol must not do). */
  | (EventBase & { readonly kind: 'stableWrite' })
  /** Where the violation happens when no other event shows it (a logged message never re-sent, a step that repeats forever): a red mark. */
  | (EventBase & { readonly kind: 'violation' });

/** The `kind` of a DiagramEvent. */
export type DiagramEventKind = DiagramEvent['kind'];

/** A lane drawn as the reason for the violation. */
export interface LaneHighlight {
  readonly lane: number;
  /** The part the process plays: a finding subject's role, or the live process that wrote to stable storage during a recovery (the renderers print it as it is). */
  readonly kind: SubjectRole | 'stable-writer';
  /** One line, e.g. "orphan: depends on p0's lost delivery of m". */
  readonly text: string;
}

/** A space-time diagram of a trace, which the renderers (renderSvg, renderMermaid, renderText) draw. */
export interface Diagram {
  /** Heading, e.g. "naive — workload=chain n=3 f=2"; empty when the caller gives none. */
  readonly title: string;
  readonly processes: readonly string[];
  /** The trace's labels: time k is labels[k-1]. */
  readonly labels: readonly string[];
  /** In time order; within one time, in the order they happened. */
  readonly events: readonly DiagramEvent[];
  readonly highlights: readonly LaneHighlight[];
  readonly property: string;
  /** The finding's summary, printed under the diagram. */
  readonly explanation: string;
  /** For a lasso: the time from which the steps repeat forever. */
  readonly loopStart?: number;
}

/**
 * What the diagram hook is told about the trace and the violation it draws,
 * as data: the property's finding (whose subjects become the highlights; its
 * summary is only printed) and what each step did (Model.describe).
 */
export interface DiagramHighlight {
  readonly property: string;
  readonly finding: Finding;
  /** steps[k] describes labels[k]; `{ fault: false }` for a model without descriptions. */
  readonly steps: readonly ActionDescription[];
}

/** A message with both ends: the send, and its receive, rejection or drop (none: still in flight at the end). */
export interface DiagramMessage {
  readonly send: Extract<DiagramEvent, { kind: 'send' }>;
  readonly end?: Extract<DiagramEvent, { kind: 'receive' | 'reject' | 'drop' }>;
}

/** Every message of the diagram, in order of sending, paired with its end. */
export function diagramMessages(diagram: Diagram): DiagramMessage[] {
  const ends = new Map<number, Extract<DiagramEvent, { kind: 'receive' | 'reject' | 'drop' }>>();
  for (const e of diagram.events) {
    if (e.kind === 'receive' || e.kind === 'reject' || e.kind === 'drop') ends.set(e.message, e);
  }
  const out: DiagramMessage[] = [];
  for (const e of diagram.events) {
    if (e.kind !== 'send') continue;
    const end = ends.get(e.message);
    out.push(end === undefined ? { send: e } : { send: e, end });
  }
  return out;
}

/** A highlight as one line: its text, after its kind unless the text begins with it. */
export function highlightLine(h: LaneHighlight): string {
  return h.text.startsWith(h.kind) ? h.text : `${h.kind}: ${h.text}`;
}
