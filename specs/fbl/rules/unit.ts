/**
 * The shape of a rule unit: one numbered rule of docs/rules.md (FF-1…FF-4,
 * RC-1…RC-17) as a value holding its guard, its step label and its effect,
 * and the shape of a delta (BL-1…BL-5, MS-0…MS-6, the broken variants): a
 * function from the correct rule set to the rule set of a baseline or a
 * variant, which replaces, adds or removes units. FblProtocol (protocol.ts)
 * is the one dispatcher from the system kit's callbacks to these units.
 *
 * A unit's functions take the context `c` first: the configuration, the
 * interned identities and the composed rule set. A rule that runs another
 * rule inside its own step (the "(internal)" rules of docs/rules.md, such as RC-6 or
 * RC-15) calls it through `c.rules`, so a delta that replaces the callee
 * reaches every caller.
 *
 * Effects write the next state through a Step (step.ts): `step.patch(pid,
 * { … })`, `step.setGlobal({ … })`, `step.out.send(…)`, never into the state
 * they read.
 */
import type { GuardVerdict, Outbox } from '../../../src/index.js';
import type { Identities } from '../identities.js';
import type { Step } from '../step.js';
import type { FblConfig } from '../variant.js';
import type {
  AppMessage,
  ControlKind,
  DepRep,
  Event,
  FblDraft,
  FblState,
  InternalEvent,
  Message,
  Msg,
  Volatile,
} from '../types.js';

/** The protocol phase a rule belongs to (docs/rules.md groups the rules by it). */
export type Phase = 'logging' | 'gathering' | 'replay' | 'restart';

/** How an up process treats an application message now: the reception rules' verdicts. */
export type AppDisposition = 'deliver' | 'replay' | 'duplicate' | 'stale' | 'orphan' | 'wait';

/** What every unit has: its number in docs/rules.md, its name there, and its phase. */
export interface Unit {
  readonly id: string;
  readonly name: string;
  readonly phase: Phase;
}

/**
 * A rule that takes application messages (FF-2, FF-3, RC-14, BL-2, MS-5,
 * MS-6). The reception rules are asked in the rule set's `reception` order and
 * the first that applies decides: a later rule's guard implicitly has "no
 * earlier rule applies" as a conjunct (FF-2 "not a duplicate, not stale" is
 * FF-3 asked first). No rule applying means the message waits.
 */
export interface ReceptionRule extends Unit {
  /** The rule's verdict on `m` at its up addressee (`vol`), or undefined when the rule does not apply. */
  disposition(c: Context, vol: Volatile, m: AppMessage): AppDisposition | undefined;
  /** The step's label for a verdict other than 'wait' (absent: the rule only ever holds messages). */
  label?(c: Context, m: AppMessage, d: AppDisposition): string;
  /** The effect of consuming `m` (none: the message is only removed, as FF-3 discards). */
  effect?(c: Context, step: Step, m: AppMessage): void;
}

/** A rule that consumes a control message of kind K (RC-4, RC-5, RC-7, RC-8, RC-11, RC-13, RC-16, MS-4). */
export interface MessageRule<K extends ControlKind = ControlKind> extends Unit {
  readonly consumes: K;
  /** Whether the rule can consume `m` now, later, or never again (see GuardVerdict). */
  guard(c: Context, state: FblState, m: Msg<K>): GuardVerdict;
  /**
   * The rule's drop clause (RC-17): whether a step may remove `m` while the
   * guard does not hold now. Absent: the message waits until the guard holds.
   */
  drops?(c: Context, state: FblState, m: Msg<K>): boolean;
  label(c: Context, m: Msg<K>): string;
  effect(c: Context, step: Step, m: Msg<K>): void;
}

/**
 * A rule that fires on its own (RC-3, RC-9, RC-12, FF-4, BL-4 and the
 * variants' extra steps). A `system` rule looks at the whole state; a
 * `process` rule at one process, and the kit offers consecutive process
 * rules process by process (p0's, then p1's, …).
 */
export type InternalRule<K extends InternalEvent['kind'] = InternalEvent['kind']> = SystemRule<K> | ProcessRule<K>;

interface InternalUnit<K extends InternalEvent['kind']> extends Unit {
  readonly event: K;
  label(c: Context, e: Event<K>): string;
  effect(c: Context, step: Step, e: Event<K>): void;
}
export interface SystemRule<K extends InternalEvent['kind'] = InternalEvent['kind']> extends InternalUnit<K> {
  readonly scope: 'system';
  /** The events the guard enables in `state`. */
  enabled(c: Context, state: FblState): readonly Event<K>[];
}
export interface ProcessRule<K extends InternalEvent['kind'] = InternalEvent['kind']> extends InternalUnit<K> {
  readonly scope: 'process';
  /** The events the guard enables at process `pid` (`vol`: its volatile part, null while crashed). */
  enabled(c: Context, state: FblState, pid: number, vol: Volatile | null): readonly Event<K>[];
}

// ---- the units with clauses of their own (named parts that deltas replace) --

/** FF-1 APPSTEP: run inside FF-2 (transmitting) and RC-2/RC-14 (into the send log only). */
export interface AppStepRule extends Unit {
  /** The stop rule: whether a log entry with these hosts is still piggybacked (A2, A3). */
  piggybacks(c: Context, hosts: number): boolean;
  /** The program's sends after the current delivery count; `out` null: logged, not transmitted. */
  run(c: Context, vol: Volatile, pid: number, inc: number, out: Outbox<Message> | null): Volatile;
}

/** FF-2 DELIVER: a reception rule whose effect RC-14 shares. */
export interface DeliverRule extends ReceptionRule {
  /** The determinant the receiver logs for its delivery number `rsn` (MS-0 adds its incarnation). */
  determinant(c: Context, pid: number, m: AppMessage, rsn: number, inc: number): number;
  /** History, ghost past, determinant log, then FF-1; `out` null: the program's sends are not transmitted. */
  record(c: Context, vol: Volatile, pid: number, m: AppMessage, inc: number, out: Outbox<Message> | null): Volatile;
}

/** FF-3 DISCARD: duplicates, and messages of a dead incarnation. */
export interface DiscardRule extends ReceptionRule {
  /** The incarnation test (A17): `m`'s tag is older than the addressee's incvector entry. */
  stale(c: Context, vol: Volatile, m: AppMessage): boolean;
}

/** RC-3 BEGINROUND, whose round start RC-9 repeats. */
export interface BeginRoundRule extends SystemRule<'beginRound'> {
  /** A fresh round over the current R: the incarnation requests, then RC-6 once R's incarnations are known. */
  startRound(c: Context, step: Step, leader: number): void;
}

/** RC-6 ENTERDEP, run inside RC-3/RC-9 and RC-5. */
export interface EnterDepRule extends Unit {
  /** L: the processes asked for their determinants (A14), as a mask (S added by the rule). */
  responders(c: Context, step: Step): number;
  /** What a depinfo request tells of R's incarnations (MS-1; empty in the algorithm). */
  announced(c: Context, rinc: readonly number[]): readonly number[];
  run(c: Context, step: Step, leader: number): void;
}

/** RC-7 DEPREQ: one atomic step (A7) that replies and adopts. */
export interface DepReqRule extends MessageRule<'depReq'> {
  /** The reply of a process (A13, A23). */
  reply(c: Context, step: Step, m: Msg<'depReq'>): DepRep;
  /** What the responder does with the request besides replying: adopt the announced incvector. */
  adopt(c: Context, step: Step, m: Msg<'depReq'>, reply: DepRep): void;
}

/** RC-10 COMPLETE, run inside RC-6 and RC-8. */
export interface CompleteRule extends Unit {
  run(c: Context, step: Step, leader: number): void;
}

/** RC-11 DEPINFO, whose hand-out the leader (RC-10) and `early-replay` (RC-2) also take. */
export interface HandOutRule extends MessageRule<'depInfo'> {
  /** Take the hand-out: replay list, incvector, Replaying (MS-3 also announces). */
  take(c: Context, step: Step, pid: number, dets: readonly number[], iv: readonly number[]): void;
  /** `take`, then RC-15's check. */
  handOut(c: Context, step: Step, pid: number, dets: readonly number[], iv: readonly number[]): void;
}

/** RC-12 REQUESTREPLAY. */
export interface AskReplayRule extends ProcessRule<'askReplay'> {
  /** The replay-list determinants a replaying process may ask for (A15: the next one only). */
  wanted(c: Context, vol: Volatile): readonly number[];
}

/** RC-14 REPLAYDELIVER. */
export interface ReplayRule extends ReceptionRule {
  /** Whether `m` is a message the replaying process takes now (the next recorded one). */
  expects(c: Context, vol: Volatile, m: AppMessage): boolean;
}

/** RC-15 FINISHRECOVERY, run after RC-11 and RC-14. */
export interface FinishRule extends Unit {
  /** A16: after the re-sends, ask every other process to re-send what it logged for `pid`. */
  askResend(c: Context, step: Step, pid: number): void;
  run(c: Context, step: Step, pid: number): void;
}

/** RC-1 CRASH: the kit has erased the volatile part; this is the rest of the rule. */
export interface CrashRule extends Unit {
  onCrash(c: Context, draft: FblDraft, pid: number, base: FblState): void;
}

/** RC-2 RESTART. */
export interface RestartRule extends Unit {
  /** The incvector the restarted process starts from, before its own entry is set. */
  checkpointIv(c: Context, base: FblState, pid: number): readonly number[];
  effect(c: Context, step: Step, pid: number): void;
}

/** RC-17 DROP: the label of the drop steps the rules' drop clauses allow. */
export interface DropRule extends Unit {
  label(c: Context, m: Extract<Message, { round: number }>): string;
}

/** The units by id: the correct rules, and the optional ones that deltas add. */
export interface Units {
  readonly 'FF-1': AppStepRule;
  readonly 'FF-2': DeliverRule;
  readonly 'FF-3': DiscardRule;
  readonly 'FF-4': ProcessRule<'flush'>;
  readonly 'RC-1': CrashRule;
  readonly 'RC-2': RestartRule;
  readonly 'RC-3': BeginRoundRule;
  readonly 'RC-4': MessageRule<'incReq'>;
  readonly 'RC-5': MessageRule<'incRep'>;
  readonly 'RC-6': EnterDepRule;
  readonly 'RC-7': DepReqRule;
  readonly 'RC-8': MessageRule<'depRep'>;
  /** Absent in `no-restart`. */
  readonly 'RC-9'?: SystemRule<'detectRestart'>;
  readonly 'RC-10': CompleteRule;
  readonly 'RC-11': HandOutRule;
  readonly 'RC-12': AskReplayRule;
  readonly 'RC-13': MessageRule<'replayReq'>;
  readonly 'RC-14': ReplayRule;
  readonly 'RC-15': FinishRule;
  readonly 'RC-16': MessageRule<'resendReq'>;
  readonly 'RC-17': DropRule;
  readonly 'BL-2'?: ReceptionRule;
  readonly 'BL-4'?: SystemRule<'unblock'>;
  readonly 'MS-4'?: MessageRule<'announce'>;
  readonly 'MS-5'?: ReceptionRule;
  readonly 'MS-6'?: ReceptionRule;
  /** `no-restart` (variant (b)). */
  readonly 'drop-responder'?: SystemRule<'dropResponder'>;
  /** `split-adoption` (variant (f)). */
  readonly adopt?: ProcessRule<'adopt'>;
}

export type UnitId = keyof Units;

/** A composed rule set: the units, and the order in which the kit asks them. */
export interface RuleSet {
  readonly units: Units;
  /** Reception rules for application messages, first match wins. */
  readonly reception: readonly UnitId[];
  /** Internal rules, in the order their events are offered. */
  readonly internal: readonly UnitId[];
}

/**
 * A delta: a baseline's rule (BL-x, MS-x) or a broken variant, as a change of
 * the rule set. `over` names the units it replaces or extends (empty: it only
 * adds units, or it is not modelled and `apply` is the identity; see its
 * comment).
 */
export interface Delta {
  readonly id: string;
  readonly name: string;
  readonly over: readonly UnitId[];
  apply(rules: RuleSet): RuleSet;
}

/** What a rule reads besides the state. */
export interface Context {
  readonly config: FblConfig;
  readonly ids: Identities;
  /** The number of application processes; pid n is the stable-storage host S. */
  readonly n: number;
  /** S's bit in host sets and responder masks (bit n). */
  readonly stableHostBit: number;
  /** f = n with S taking part. */
  readonly hasStableHost: boolean;
  /** The mask of every application process. */
  readonly allProcesses: number;
  /** The zero incvector (shared, never written). */
  readonly zeroVector: readonly number[];
  /** MS-4's bounds before any announcement: no incarnation (-1), no deliveries (shared, never written). */
  readonly noBoundInc: readonly number[];
  readonly noBoundRsn: readonly number[];
  /** The composed units, for the rules a rule runs inside its own step. */
  readonly rules: Units;
  processName(pid: number): string;
}

// ---- composing deltas ---------------------------------------------------------

/** `rules` with unit `id` replaced by `change(old unit)`. */
export function replace<K extends UnitId>(rules: RuleSet, id: K, change: (unit: NonNullable<Units[K]>) => NonNullable<Units[K]>): RuleSet {
  const unit = rules.units[id];
  if (unit === undefined) throw new Error(`internal: no unit ${id} to replace`);
  return { ...rules, units: { ...rules.units, [id]: change(unit as NonNullable<Units[K]>) } };
}

/** `rules` with unit `id` added, and listed in `list` just before `before` (or last). */
export function add<K extends UnitId>(rules: RuleSet, id: K, unit: NonNullable<Units[K]>, list?: { readonly reception?: UnitId | 'last'; readonly internal?: UnitId | 'last' }): RuleSet {
  return {
    units: { ...rules.units, [id]: unit },
    reception: list?.reception === undefined ? rules.reception : insertBefore(rules.reception, id, list.reception),
    internal: list?.internal === undefined ? rules.internal : insertBefore(rules.internal, id, list.internal),
  };
}

/** `rules` without unit `id`. */
export function remove(rules: RuleSet, id: UnitId): RuleSet {
  const units: Record<string, unknown> = { ...rules.units };
  delete units[id];
  return { units: units as unknown as Units, reception: rules.reception.filter((x) => x !== id), internal: rules.internal.filter((x) => x !== id) };
}

function insertBefore(list: readonly UnitId[], id: UnitId, before: UnitId | 'last'): readonly UnitId[] {
  const rest = list.filter((x) => x !== id);
  const at = before === 'last' ? -1 : rest.indexOf(before);
  if (before !== 'last' && at < 0) throw new Error(`internal: no unit ${before} to insert ${id} before`);
  return at < 0 ? [...rest, id] : [...rest.slice(0, at), id, ...rest.slice(at)];
}

/** No events: the shared empty list the guards return. */
export const NO_EVENTS: readonly never[] = [];
