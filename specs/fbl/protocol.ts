/**
 * The dispatcher from the system kit's callbacks (ProtocolHandlers) to the
 * rule units of one variant (rules/: one unit per rule of docs/rules.md,
 * composed once by rulesFor). It holds no rule of its own: a message goes
 * to the unit that consumes its kind (application messages to the reception
 * rules, first match), an internal event to the unit that offered it, a crash
 * and a restart to RC-1 and RC-2.
 *
 * Every effect writes through a Step and commits whole root fields
 * (`rootWritesOnly`): the kit then hands a shallow copy of the state rather
 * than an immer draft, whose proxies cost about as much as the step itself.
 */
import { fateOf, type InternalEvent as KitEvent, type MessageFate, type Outbox, type SystemAction } from '../../src/index.js';
import { processName, type Identities } from './identities.js';
import { fblAmple, partialOrderApplies } from './partialOrder.js';
import { initialState } from './rules/logging.js';
import { rulesFor } from './rules/index.js';
import type { AppDisposition, Context, InternalRule, MessageRule, ProcessRule, ReceptionRule, RuleSet, SystemRule, Units } from './rules/unit.js';
import { Step } from './step.js';
import type { FblConfig } from './variant.js';
import type { AppMessage, ControlKind, FblDraft, FblHandlers, FblState, InternalEvent, Message } from './types.js';

export type { AppDisposition } from './rules/unit.js';

/** The internal rules in the order offered: a system rule alone, or a run of process rules offered process by process. */
type InternalPart = { readonly scope: 'system'; readonly rule: SystemRule } | { readonly scope: 'process'; readonly rules: readonly ProcessRule[] };

export class FblProtocol implements FblHandlers, Context {
  readonly crashBudget: number;
  readonly network: 'unordered' | 'fifo';
  readonly eagerDrop: boolean;
  /** Every effect writes through Step.commit, or (RC-1) assigns root fields itself. */
  readonly rootWritesOnly = true;
  readonly n: number;
  readonly allProcesses: number;
  readonly stableHostBit: number;
  /** f = n: the never-failing stable-storage host S takes part (paper §3.3). */
  readonly hasStableHost: boolean;
  readonly zeroVector: readonly number[];
  readonly noBoundInc: readonly number[];
  readonly noBoundRsn: readonly number[];
  /** The variant's rule set, and its units by id. */
  readonly ruleSet: RuleSet;
  readonly rules: Units;
  /** `--reduce …,partial-order` (partialOrder.ts), where it applies to the variant. */
  readonly ample?: (state: FblState, actions: readonly SystemAction<InternalEvent>[]) => readonly number[] | undefined;
  private readonly reception: readonly ReceptionRule[];
  private readonly consumers: Partial<Record<ControlKind, MessageRule>> = {};
  private readonly internal: readonly InternalPart[];
  private readonly offering: Partial<Record<InternalEvent['kind'], InternalRule>> = {};
  /** Step labels by memoKey, built once each: actions() asks for those of every expanded state. */
  private readonly labels = new Map<number, string>();

  constructor(
    readonly config: FblConfig,
    readonly ids: Identities,
  ) {
    this.crashBudget = config.crashBudget;
    this.network = config.network;
    this.eagerDrop = config.reductions.eagerDrop;
    this.n = config.n;
    this.allProcesses = (1 << config.n) - 1;
    this.stableHostBit = 1 << config.n;
    this.hasStableHost = config.f === config.n && config.stableHost;
    this.zeroVector = new Array<number>(config.n).fill(0);
    this.noBoundInc = new Array<number>(config.n).fill(-1);
    this.noBoundRsn = new Array<number>(config.n).fill(0);
    this.ruleSet = rulesFor(config.variant, config.reading);
    this.rules = this.ruleSet.units;
    const unit = (id: keyof Units) => this.rules[id]!;
    this.reception = this.ruleSet.reception.map((id) => unit(id) as ReceptionRule);
    for (const u of Object.values(this.rules) as object[]) {
      if ('consumes' in u) this.consumers[(u as MessageRule).consumes] = u as MessageRule;
      if ('event' in u) this.offering[(u as InternalRule).event] = u as InternalRule;
    }
    const parts: InternalPart[] = [];
    for (const id of this.ruleSet.internal) {
      const rule = unit(id) as InternalRule;
      const last = parts.at(-1);
      if (rule.scope === 'system') parts.push({ scope: 'system', rule });
      else if (last?.scope === 'process') parts[parts.length - 1] = { scope: 'process', rules: [...last.rules, rule] };
      else parts.push({ scope: 'process', rules: [rule] });
    }
    this.internal = parts;
    if (config.reductions.partialOrder && partialOrderApplies(this)) this.ample = (state, actions) => fblAmple(this, state, actions);
  }

  processName(pid: number): string {
    return processName(pid, this.n);
  }

  initialState(): FblState {
    return initialState(this);
  }

  // ---- application messages: the reception rules, first match ----------------

  /** How process `to` would treat an application message now (FF-2, FF-3, RC-14 and the deltas' reception rules). */
  appDisposition(state: FblState, m: AppMessage): AppDisposition {
    const vol = state.procs[m.to]!.vol;
    if (vol === null) return 'wait';
    for (const rule of this.reception) {
      const d = rule.disposition(this, vol, m);
      if (d !== undefined) return d;
    }
    return 'wait';
  }

  /** The reception rule that consumes `m` now. */
  private receiver(state: FblState, m: AppMessage): { rule: ReceptionRule; d: AppDisposition } | undefined {
    const vol = state.procs[m.to]!.vol;
    if (vol === null) return undefined;
    for (const rule of this.reception) {
      const d = rule.disposition(this, vol, m);
      if (d !== undefined) return d === 'wait' ? undefined : { rule, d };
    }
    return undefined;
  }

  private consumer<K extends ControlKind>(kind: K): MessageRule<K> {
    const rule = this.consumers[kind];
    if (rule === undefined) throw new Error(`internal: no rule consumes ${kind} messages`);
    return rule as unknown as MessageRule<K>;
  }

  // ---- the kit's callbacks --------------------------------------------------------

  /** The consuming rule's guard, and its drop clause (RC-17) when the guard does not hold now (kit.fateOf). */
  fate(state: FblState, m: Message): MessageFate {
    if (m.kind === 'app') return this.appDisposition(state, m) === 'wait' ? 'wait' : 'consume';
    const rule = this.consumer(m.kind) as MessageRule;
    const verdict = rule.guard(this, state, m as never);
    if (verdict === 'now') return 'consume';
    return fateOf(verdict, rule.drops?.(this, state, m as never) ?? false);
  }

  messageLabel(state: FblState, m: Message): string {
    const key = this.messageKey(state, m);
    return this.labels.get(key) ?? this.keepLabel(key, this.consumptionLabel(state, m));
  }

  private keepLabel(key: number, label: string): string {
    this.labels.set(key, label);
    return label;
  }

  /** What tells the labels of consuming messages apart (see memoKey). */
  private messageKey(state: FblState, m: Message): number {
    switch (m.kind) {
      case 'app':
        return memoKey(DISPOSITION_CODES[this.appDisposition(state, m)], m.from, m.to, m.ssn, m.inc);
      case 'replayReq':
        return memoKey(Code.ReplayReq, m.from, m.to, m.ssn, 0);
      case 'resendReq':
        return memoKey(Code.ResendReq, m.from, m.to, 0, 0);
      case 'announce':
        return memoKey(Code.Announce, m.from, m.to, 0, m.inc);
      default:
        return memoKey(ROUND_CODES[m.kind], m.from, m.to, 0, m.round);
    }
  }

  /** The label of the step consuming `m`, e.g. "deliver p0→p1 #2 (inc 0)": its rule's. */
  private consumptionLabel(state: FblState, m: Message): string {
    if (m.kind !== 'app') return (this.consumer(m.kind) as MessageRule).label(this, m as never);
    const taken = this.receiver(state, m);
    if (taken?.rule.label === undefined) throw new Error(`internal: no reception rule consumes ${m.from}→${m.to} #${m.ssn}`);
    return taken.rule.label(this, m, taken.d);
  }

  dropLabel(m: Message): string {
    if (!('round' in m)) throw new Error(`internal: no drop rule for ${m.kind} messages`);
    const key = memoKey(ROUND_CODES[m.kind] + DROP, m.from, m.to, 0, m.round);
    return this.labels.get(key) ?? this.keepLabel(key, this.rules['RC-17'].label(this, m));
  }

  /** Whether the consuming rule has a drop clause (RC-5, RC-7, RC-8, RC-11). */
  hasDropRule(m: Message): boolean {
    return m.kind !== 'app' && this.consumers[m.kind]?.drops !== undefined;
  }

  isOrdered(m: Message): boolean {
    return m.kind === 'app';
  }

  /** FIFO binds Live receivers only: a Replaying process takes the one message it needs [choice]. */
  consumesInOrder(state: FblState, m: Message): boolean {
    return state.procs[m.to]?.vol?.status === 'Live';
  }

  onMessage(draft: FblDraft, m: Message, base: FblState, out: Outbox<Message>): void {
    const step = new Step(base, out);
    if (m.kind === 'app') this.receiver(base, m)?.rule.effect?.(this, step, m);
    else (this.consumer(m.kind) as MessageRule).effect(this, step, m as never);
    step.commit(draft);
  }

  internalEvents(state: FblState): readonly KitEvent<InternalEvent>[] {
    const events: KitEvent<InternalEvent>[] = [];
    for (const part of this.internal) {
      if (part.scope === 'system') {
        for (const event of part.rule.enabled(this, state)) events.push({ event, label: part.rule.label(this, event as never) });
        continue;
      }
      state.procs.forEach((p, pid) => {
        for (const rule of part.rules) {
          for (const event of rule.enabled(this, state, pid, p.vol)) events.push({ event, label: rule.label(this, event as never) });
        }
      });
    }
    return events;
  }

  onInternal(draft: FblDraft, e: InternalEvent, base: FblState, out: Outbox<Message>): void {
    const rule = this.offering[e.kind];
    if (rule === undefined) throw new Error(`internal: no rule offers ${e.kind} events`);
    const step = new Step(base, out);
    rule.effect(this, step, e as never);
    step.commit(draft);
  }

  onCrash(draft: FblDraft, pid: number, base: FblState): void {
    this.rules['RC-1'].onCrash(this, draft, pid, base);
  }

  onRestart(draft: FblDraft, pid: number, base: FblState, out: Outbox<Message>): void {
    const step = new Step(base, out);
    this.rules['RC-2'].effect(this, step, pid);
    step.commit(draft);
  }
}

/** What a memoKey names: the kind of a step label. */
const enum Code {
  Deliver,
  Replay,
  Duplicate,
  Stale,
  Orphan,
  Wait,
  IncReq,
  IncRep,
  DepReq,
  DepRep,
  DepInfo,
  ReplayReq,
  ResendReq,
  Announce,
}
/** Added to a round message's code for the label of its drop. */
const DROP = 32;

/** A label's key: its code (< 64), two pids (< 16), a sequence number (< 64) and a count (round, incarnation). */
function memoKey(code: number, p: number, q: number, seq: number, count: number): number {
  return (((count * 64 + seq) * 16 + q) * 16 + p) * 64 + code;
}

const DISPOSITION_CODES: Record<AppDisposition, Code> = {
  deliver: Code.Deliver,
  replay: Code.Replay,
  duplicate: Code.Duplicate,
  stale: Code.Stale,
  orphan: Code.Orphan,
  wait: Code.Wait,
};
const ROUND_CODES: Record<Extract<Message, { round: number }>['kind'], Code> = {
  incReq: Code.IncReq,
  incRep: Code.IncRep,
  depReq: Code.DepReq,
  depRep: Code.DepRep,
  depInfo: Code.DepInfo,
};
