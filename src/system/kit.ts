/**
 * The distributed-system kit: builds a core Model from a protocol's handlers.
 *
 * system/ owns what every protocol of this kind shares: processes with a
 * stable part (survives crashes) and a volatile part (erased by a crash), an
 * unordered network (a multiset, FIFO per channel as an option), crashes under
 * a total crash budget, restart, drop steps for messages a protocol's drop
 * rules remove, and (the `eager-drop` reduction) their eager removal when the
 * consuming rule's guard can never hold again. It imports core only; it knows nothing of FBL.
 *
 * Protocol handlers are immer recipes: they mutate a draft of the whole system
 * state (assigning whole root fields where speed matters: immer then creates
 * no nested drafts and does not walk the new values) (the guards of recovery protocols read global facts, such as "no
 * process is crashed", through the perfect-but-delayed failure detector) and
 * send messages through an outbox. The kit wraps them in `produce`, or, for
 * handlers that declare `rootWritesOnly`, runs them on a shallow copy of the
 * state (a proxy per step costs about as much as the step).
 */
import { freeze, Immer, type Draft } from 'immer';
import type { ActionDescription, FindingDetail, Model } from '../core/model.js';
import { StructuralHasher } from '../core/hash.js';
import { ModelError } from '../core/exitCodes.js';

/** A process id: its index in `SystemState.procs`. */
export type Pid = number;

/** Every message names its endpoints; `kind` tells the protocol's message types apart. */
export interface Envelope {
  readonly kind: string;
  readonly from: Pid;
  readonly to: Pid;
}

/** One process of the system state: the part that survives crashes and the part that does not. */
export interface ProcSlot<V, T> {
  /** Survives crashes (stable storage). */
  readonly stable: T;
  /** Erased by a crash: null while the process is crashed. */
  readonly vol: V | null;
}

/** The whole state of a system the kit models: processes, network, protocol-wide variables, crashes. */
export interface SystemState<V, T, M extends Envelope, G> {
  readonly procs: readonly ProcSlot<V, T>[];
  /** In-flight messages: a multiset (order carries meaning only for FIFO channels). */
  readonly net: readonly M[];
  /** Protocol-wide variables (stable counters, ghost counters). */
  readonly global: G;
  /** Crashes so far in this run. */
  readonly crashes: number;
}

/** `unordered`: any in-flight message may be consumed next; `fifo`: ordered messages (`isOrdered`) are consumed in order per channel. */
export type NetworkKind = 'unordered' | 'fifo';

/**
 * Whether a rule's guard holds now, may hold in some later state, or can
 * never hold again. `never` must follow from facts that only move one way
 * along a run (round numbers, incarnations, a crash budget spent…), so that
 * a rule written with one conjunct less (a broken variant) changes it too.
 */
export type GuardVerdict = 'now' | 'later' | 'never';

/** The conjunction of guard verdicts: `never` wins over `later`, which wins over `now`. */
export function allOf(...verdicts: readonly GuardVerdict[]): GuardVerdict {
  let result: GuardVerdict = 'now';
  for (const v of verdicts) {
    if (v === 'never') return 'never';
    if (v === 'later') result = 'later';
  }
  return result;
}

/**
 * What can happen to a message in the current state:
 * - consume: the rule that consumes it is enabled (a step of its own);
 * - drop: a drop rule (RC-17 style) removes it by a step of its own, while its
 *   consuming rule may still become enabled later;
 * - dead: the drop rule is enabled and the consuming rule's guard can never
 *   hold again: with the `eager-drop` reduction it is removed in the step that
 *   made it so, without a step of its own; without it, like `drop`;
 * - wait: it stays in the network.
 */
export type MessageFate = 'consume' | 'drop' | 'dead' | 'wait';

/**
 * The fate derived from the consuming rule's guard and whether a drop rule
 * applies: a message is `dead` only when its consumption can never be
 * enabled again, so eager dropping never removes a message a rule could take.
 */
export function fateOf(consume: GuardVerdict, dropRule: boolean): MessageFate {
  if (consume === 'now') return 'consume';
  if (!dropRule) return 'wait';
  return consume === 'never' ? 'dead' : 'drop';
}

/** Where a handler sends messages: they are appended to the network after the handler ran. */
export interface Outbox<M> {
  send(message: M): void;
}

/** A step a process may take on its own (no message consumed), with its unique label. */
export interface InternalEvent<E> {
  readonly event: E;
  readonly label: string;
}

/** An action of a SystemModel: consume or drop the message at `index` of the network, an internal event, a crash or a restart. */
export type SystemAction<E> =
  | { readonly kind: 'message'; readonly index: number; readonly label: string }
  | { readonly kind: 'drop'; readonly index: number; readonly label: string }
  | { readonly kind: 'internal'; readonly event: E; readonly label: string }
  | { readonly kind: 'crash'; readonly pid: Pid; readonly label: string }
  | { readonly kind: 'restart'; readonly pid: Pid; readonly label: string };

type State<V, T, M extends Envelope, G> = SystemState<V, T, M, G>;

/** A protocol as the kit runs it: its initial state, the guards and labels of its steps, and their handlers (immer recipes). */
export interface ProtocolHandlers<V, T, M extends Envelope, G, E> {
  readonly crashBudget: number;
  readonly network: NetworkKind;
  /**
   * The `eager-drop` reduction: remove `dead` messages in the step that made
   * them so. Sound because a dead message can never be consumed and its drop
   * rule stays enabled, so every run with its drop step later reaches the
   * same states without the message; nothing may read dead messages.
   */
  readonly eagerDrop: boolean;
  /**
   * The handlers only ever assign whole root fields of the draft (`procs`,
   * `global`, `crashes`), never write below the root. The kit then runs them
   * on a shallow copy of the state instead of an immer draft: a proxy and its
   * finalization cost about as much as a protocol step. With `autoFreeze` the
   * states are still deep-frozen, so a write below the root throws in tests.
   */
  readonly rootWritesOnly?: boolean;
  initialState(): State<V, T, M, G>;
  /** The fate of `message` in `state` (the guards of its consuming and drop rules, see fateOf). */
  fate(state: State<V, T, M, G>, message: M): MessageFate;
  /** The label of the step consuming `message`; asked only when its fate is 'consume'. */
  messageLabel(state: State<V, T, M, G>, message: M): string;
  /** The label of the step dropping `message` (fate 'drop', or 'dead' without eager dropping). */
  dropLabel(message: M): string;
  /**
   * Whether a drop rule may ever remove `message` (optional). When false,
   * its fate is never 'drop' nor 'dead', and eager dropping does not ask for
   * it: the fates of messages without a drop rule cost a guard evaluation per
   * successor for nothing.
   */
  hasDropRule?(message: M): boolean;
  /** Messages that travel on FIFO channels (the application's), for the state's fingerprint. */
  isOrdered(message: M): boolean;
  /**
   * Whether channel order constrains consumption of `message` now (under
   * FIFO). A protocol may exempt receivers that consume selectively, as a
   * replaying process fetching one specific message does.
   */
  consumesInOrder(state: State<V, T, M, G>, message: M): boolean;
  /** Consumes `message` (already removed from the network). `base` is the state before the step. */
  onMessage(draft: Draft<State<V, T, M, G>>, message: M, base: State<V, T, M, G>, out: Outbox<M>): void;
  internalEvents(state: State<V, T, M, G>): readonly InternalEvent<E>[];
  /**
   * Partial-order reduction (optional): a persistent, invisible subset of
   * `actions` (the enabled actions of `state`, in the kit's order) to
   * explore instead of all; see Model.ample for the contract.
   */
  ample?(state: State<V, T, M, G>, actions: readonly SystemAction<E>[]): readonly number[] | undefined;
  onInternal(draft: Draft<State<V, T, M, G>>, event: E, base: State<V, T, M, G>, out: Outbox<M>): void;
  /** Bookkeeping after the kit erased the volatile part of `pid` (e.g. "a leader died mid-round"). */
  onCrash(draft: Draft<State<V, T, M, G>>, pid: Pid, base: State<V, T, M, G>): void;
  /** Rebuilds the volatile part of a crashed process from stable storage; must set `procs[pid].vol`. */
  onRestart(draft: Draft<State<V, T, M, G>>, pid: Pid, base: State<V, T, M, G>, out: Outbox<M>): void;
  processName(pid: Pid): string;
}

/** Indices of ordered messages that are not at the head of their FIFO channel. */
function blockedByFifo<M extends Envelope>(net: readonly M[], inOrder: (m: M) => boolean): Set<number> {
  const seen = new Set<number>();
  const blocked = new Set<number>();
  for (let i = 0; i < net.length; i++) {
    const m = net[i]!;
    if (!inOrder(m)) continue;
    const channel = m.from * 65536 + m.to;
    if (seen.has(channel)) blocked.add(i);
    else seen.add(channel);
  }
  return blocked;
}

/** How a SystemModel treats its states: freezing them, symmetry reduction, and describing steps. */
export interface SystemModelOptions<S = unknown, M = never, E = never> {
  /**
   * Deep-freeze every state immer produces, so a handler that mutates its
   * input throws. On in tests of model laws; off on the explorer's hot path,
   * where it costs about a third of a step.
   */
  readonly autoFreeze?: boolean;
  /**
   * Symmetry reduction: images of a state under renamings that the rules and
   * the properties commute with, the same set for a state and each of its
   * renamings (all of them, or those that sort the processes by a
   * renaming-invariant key). The fingerprint is then the least of the
   * images' fingerprints, so a state and its renamings count as one state;
   * the states explored, stored and replayed stay the actual ones.
   */
  readonly images?: (state: S) => Iterable<S>;
  /**
   * What the protocol adds to the kit's descriptions of steps (Model.describe);
   * the kit alone knows the endpoints of messages, crashes and restarts.
   */
  readonly describe?: StepDescriber<S, M, E>;
}

/** What a protocol's own step is, as data: the kit fills in endpoints and faults. */
export interface StepFacts {
  /** The process taking an internal step (by pid: the kit names it). */
  readonly actor?: Pid;
  readonly kind?: string;
  readonly detail?: FindingDetail;
}

/**
 * A protocol's descriptions of its own steps (all optional): a consumed
 * message's kind and detail (say, that an application message is replayed or
 * discarded as stale), and an internal event's actor and kind.
 */
export interface StepDescriber<S, M, E> {
  message?(state: S, message: M): StepFacts;
  event?(state: S, event: E): StepFacts;
}

/**
 * A core Model over SystemState. Actions, in this fixed order: message
 * consumptions and drop steps (network order; identical copies give one
 * action), internal events, crashes (while the budget lasts), restarts.
 */
export class SystemModel<V, T, M extends Envelope, G, E> implements Model<State<V, T, M, G>, SystemAction<E>> {
  private readonly hasher = new StructuralHasher();
  private readonly immer: Immer;
  private readonly autoFreeze: boolean;
  private readonly images: ((state: State<V, T, M, G>) => Iterable<State<V, T, M, G>>) | undefined;
  private readonly describer: StepDescriber<State<V, T, M, G>, M, E> | undefined;
  private readonly imageFingerprint = new Uint32Array(2);
  /** The handlers' partial-order reduction, if they have one (Model.ample). */
  readonly ample?: (state: State<V, T, M, G>, actions: readonly SystemAction<E>[]) => readonly number[] | undefined;

  /** Labels of the crash and restart steps, per process (built once: actions() is hot). */
  private readonly crashLabels: string[] = [];
  private readonly restartLabels: string[] = [];

  constructor(
    private readonly handlers: ProtocolHandlers<V, T, M, G, E>,
    options: SystemModelOptions<State<V, T, M, G>, M, E> = {},
  ) {
    this.images = options.images;
    this.describer = options.describe;
    if (handlers.ample !== undefined) this.ample = (state, actions) => handlers.ample!(state, actions);
    // One Immer per model: its settings are not shared with other checks in the process.
    this.autoFreeze = options.autoFreeze ?? false;
    this.immer = new Immer({ autoFreeze: this.autoFreeze, useStrictShallowCopy: false, useStrictIteration: false });
  }

  init(): readonly State<V, T, M, G>[] {
    const state = this.dropUseless(this.handlers.initialState());
    return [this.autoFreeze && this.handlers.rootWritesOnly === true ? freeze(state, true) : state];
  }

  actions(state: State<V, T, M, G>): readonly SystemAction<E>[] {
    this.rememberHashes(state);
    const h = this.handlers;
    const actions: SystemAction<E>[] = [];
    const labels = new Map<string, number>();
    const fifoBlocked = h.network === 'fifo' ? blockedByFifo(state.net, (m) => h.isOrdered(m) && h.consumesInOrder(state, m)) : undefined;
    for (let index = 0; index < state.net.length; index++) {
      if (fifoBlocked?.has(index)) continue;
      const message = state.net[index]!;
      const fate = h.fate(state, message);
      if (fate === 'wait') continue;
      if (fate !== 'consume' && h.hasDropRule?.(message) === false) {
        throw new Error(`internal: a message without a drop rule has the fate '${fate}' (see ProtocolHandlers.hasDropRule)`);
      }
      if (fate === 'dead' && h.eagerDrop) continue;
      const kind = fate === 'consume' ? 'message' : 'drop';
      const label = kind === 'message' ? h.messageLabel(state, message) : h.dropLabel(message);
      const first = labels.get(label);
      if (first !== undefined) {
        // Identical copies of one message give one action; anything else is a broken model.
        if (this.sameMessage(state.net[first]!, message)) continue;
        throw new ModelError(`two different messages in one state have the step label "${label}"; labels must tell messages apart`, 'duplicate-label');
      }
      labels.set(label, index);
      actions.push({ kind, index, label });
    }
    for (const e of h.internalEvents(state)) actions.push({ kind: 'internal', event: e.event, label: e.label });
    const procs = state.procs;
    if (state.crashes < h.crashBudget) {
      for (let pid = 0; pid < procs.length; pid++) {
        if (procs[pid]!.vol !== null) actions.push({ kind: 'crash', pid, label: this.stepLabel(this.crashLabels, 'crash', pid) });
      }
    }
    for (let pid = 0; pid < procs.length; pid++) {
      if (procs[pid]!.vol === null) actions.push({ kind: 'restart', pid, label: this.stepLabel(this.restartLabels, 'restart', pid) });
    }
    return actions;
  }

  /** Whether two messages are equal as values (by fingerprint: only asked when their labels collide). */
  private sameMessage(a: M, b: M): boolean {
    const fa = new Uint32Array(2);
    const fb = new Uint32Array(2);
    this.hasher.fingerprint(a, fa);
    this.hasher.fingerprint(b, fb);
    return fa[0] === fb[0] && fa[1] === fb[1];
  }

  private stepLabel(cache: string[], verb: string, pid: Pid): string {
    return (cache[pid] ??= `${verb} ${this.handlers.processName(pid)}`);
  }

  next(state: State<V, T, M, G>, action: SystemAction<E>): State<V, T, M, G> {
    if (action.kind === 'drop') return this.dropUseless({ ...state, net: without(state.net, action.index) });
    // The network is edited outside the recipe (a consumed message removed before,
    // sent ones appended after): array proxies would cost more than the step itself.
    const out = new SentMessages<M>();
    const net = action.kind === 'message' ? without(state.net, action.index) : state.net;
    if (this.handlers.rootWritesOnly === true) {
      // Recipes that assign root fields only: a shallow copy is all the draft they need.
      const draft = { ...state, net } as Draft<State<V, T, M, G>>;
      this.apply(draft, state, action, out);
      if (out.sent !== undefined) draft.net = draft.net.concat(out.sent as Draft<M>[]);
      const after = this.dropUseless(draft as State<V, T, M, G>);
      return this.autoFreeze ? freeze(after, true) : after;
    }
    let after = this.immer.produce(net === state.net ? state : { ...state, net }, (draft) => this.apply(draft, state, action, out));
    if (out.sent !== undefined) after = { ...after, net: after.net.concat(out.sent) };
    return this.dropUseless(after);
  }

  /** The recipe of a step other than a drop: `state` is the state before the step. */
  private apply(draft: Draft<State<V, T, M, G>>, state: State<V, T, M, G>, action: SystemAction<E>, out: Outbox<M>): void {
    const h = this.handlers;
    switch (action.kind) {
      case 'message':
        h.onMessage(draft, state.net[action.index]!, state, out);
        break;
      case 'internal':
        h.onInternal(draft, action.event, state, out);
        break;
      case 'crash':
        // Root-level assignments only: nested drafts make immer walk new sub-objects.
        (draft as { procs: readonly ProcSlot<V, T>[] }).procs = state.procs.map((p, pid) =>
          pid === action.pid ? { stable: p.stable, vol: null } : p,
        );
        draft.crashes = state.crashes + 1;
        h.onCrash(draft, action.pid, state);
        break;
      case 'restart':
        h.onRestart(draft, action.pid, state, out);
        break;
    }
  }

  label(action: SystemAction<E>): string {
    return action.label;
  }

  /**
   * A step as data (Model.describe): a consumption names its sender and its
   * receiver (the actor), a drop step its sender only (nobody consumes the
   * message), a crash is a fault, a restart is the restarted process's; the
   * protocol's describer adds kinds and details and names the actors of its
   * internal events.
   */
  describe(state: State<V, T, M, G>, action: SystemAction<E>): ActionDescription {
    const name = (pid: Pid) => this.handlers.processName(pid);
    switch (action.kind) {
      case 'message': {
        const m = state.net[action.index]!;
        const facts = this.describer?.message?.(state, m) ?? {};
        return withFacts({ actor: name(m.to), sender: name(m.from), receiver: name(m.to), fault: false, kind: m.kind }, facts);
      }
      case 'drop': {
        const m = state.net[action.index]!;
        return { sender: name(m.from), fault: false, kind: 'drop', detail: { message: m.kind, to: name(m.to) } };
      }
      case 'internal': {
        const facts = this.describer?.event?.(state, action.event) ?? {};
        return withFacts(facts.actor === undefined ? { fault: false } : { actor: name(facts.actor), fault: false }, facts);
      }
      case 'crash':
        return { actor: name(action.pid), fault: true, kind: 'crash' };
      case 'restart':
        return { actor: name(action.pid), fault: false, kind: 'restart' };
    }
  }

  fingerprint(state: State<V, T, M, G>, out: Uint32Array): void {
    if (this.images === undefined) return this.contentFingerprint(state, out);
    // Symmetry: the least fingerprint of the images (the same for every state of an orbit).
    const fp = this.imageFingerprint;
    let first = true;
    for (const image of this.images(state)) {
      this.contentFingerprint(image, fp);
      if (first || fp[0]! < out[0]! || (fp[0] === out[0] && fp[1]! < out[1]!)) {
        out[0] = fp[0]!;
        out[1] = fp[1]!;
        first = false;
      }
    }
  }

  private contentFingerprint(state: State<V, T, M, G>, out: Uint32Array): void {
    if (this.handlers.network === 'fifo') {
      // FIFO: the order of ordered messages within a channel is part of the state.
      const channels = new Map<number, M[]>();
      const rest: M[] = [];
      for (const m of state.net) {
        if (!this.handlers.isOrdered(m)) {
          rest.push(m);
          continue;
        }
        const key = m.from * 65536 + m.to;
        const queue = channels.get(key);
        if (queue) queue.push(m);
        else channels.set(key, [m]);
      }
      const ordered = [...channels.entries()].sort((a, b) => a[0] - b[0]);
      this.hasher.fingerprintParts([state.procs, state.global, state.crashes, ordered, rest], FIFO_MULTISETS, out, FIFO_NAMES, false);
      return;
    }
    this.hasher.fingerprintParts([state.procs, state.global, state.crashes, state.net], UNORDERED_MULTISETS, out, UNORDERED_NAMES, false);
  }

  /**
   * Stores the hashes of a state's process slots, global part and messages
   * in them when the state is expanded: its successors share most of them
   * whole. Not of what they contain (a queued state comes back as a fresh
   * tree, and storing a hash costs more than computing a record's), nor of
   * the arrays `procs` and `net` (successors seldom share them). A
   * successor's fingerprint stores nothing: most successors are known
   * states, dropped at once.
   */
  private rememberHashes(state: State<V, T, M, G>): void {
    this.hasher.rememberEach(state.procs, 'state.procs');
    this.hasher.remember(state.global, 'state.global');
    this.hasher.rememberEach(state.net, 'state.net');
  }

  /** With the eager-drop reduction, removes every message whose fate is 'dead'. */
  private dropUseless(state: State<V, T, M, G>): State<V, T, M, G> {
    const h = this.handlers;
    if (!h.eagerDrop) return state;
    let kept: M[] | undefined;
    for (let i = 0; i < state.net.length; i++) {
      const m = state.net[i]!;
      const drop = h.hasDropRule?.(m) !== false && h.fate(state, m) === 'dead';
      if (drop && kept === undefined) kept = state.net.slice(0, i);
      else if (!drop && kept !== undefined) kept.push(m);
    }
    return kept === undefined ? state : { ...state, net: kept };
  }
}

/** `base` with a protocol's kind and detail (they win over the kit's). */
function withFacts(base: ActionDescription, facts: StepFacts): ActionDescription {
  return {
    ...base,
    ...(facts.kind === undefined ? {} : { kind: facts.kind }),
    ...(facts.detail === undefined ? {} : { detail: facts.detail }),
  };
}

/** The messages a step sends, appended to the network after its recipe. */
class SentMessages<M> implements Outbox<M> {
  sent: M[] | undefined = undefined;
  send(message: M): void {
    (this.sent ??= []).push(message);
  }
}

/** A copy of `items` without the element at `index`. */
function without<T>(items: readonly T[], index: number): T[] {
  const out = items.slice(0, index);
  for (let i = index + 1; i < items.length; i++) out.push(items[i]!);
  return out;
}

const UNORDERED_MULTISETS = [false, false, false, true] as const;
const FIFO_MULTISETS = [false, false, false, false, true] as const;
/** How an unhashable value's path is named in a ModelError. */
const UNORDERED_NAMES = ['state.procs', 'state.global', 'state.crashes', 'state.net'] as const;
const FIFO_NAMES = ['state.procs', 'state.global', 'state.crashes', 'state.net (FIFO channels)', 'state.net (unordered)'] as const;
