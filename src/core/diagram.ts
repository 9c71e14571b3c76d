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

/** Something drawn on a lane at a time: a message's send and its end (receive, reject, drop), a crash, a restart, a round, a phase change, a mark. */
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
    })
  | (EventBase & {
      readonly kind: 'receive';
      readonly message: number;
      /** Delivered as a replay (a recovering process re-executing its past). */
      readonly replay?: boolean;
      /** Carried the tag of a dead incarnation of its sender (accepted anyway: the broken filter). */
      readonly stale?: boolean;
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
  | (EventBase & { readonly kind: 'mark' });

/** The `kind` of a DiagramEvent. */
export type DiagramEventKind = DiagramEvent['kind'];

/** A lane drawn as the reason for the violation. */
export interface LaneHighlight {
  readonly lane: number;
  /** The part the process plays: a finding subject's role (the renderers print it as it is). */
  readonly kind: SubjectRole;
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
