/**
 * The state of the FBL model: message logging plus recovery
 * (docs/protocol.md § The state; the rules in docs/rules.md). Sets are
 * sorted number arrays, records have a fixed shape (no optional fields), so
 * equal states hash equally.
 *
 * Encodings (all plain numbers, so states are small and cheap to hash):
 * - a determinant ⟨source, ssn, dest, rsn⟩ packs into `det`
 *   (see packDet); a determinant-log entry packs det and its known host set
 *   as `det * HOST_SPACE + hosts`, so a sorted log is sorted by det;
 * - host sets and process sets are bit masks (bit i = p_i, bit n = the
 *   stable-storage host S of f = n);
 * - a message identity ⟨source, ssn, data⟩ and a delivery record
 *   ⟨process, rsn, message identity⟩ are interned ids (see Interner).
 */
import type { ProtocolHandlers, SystemState } from '../../src/index.js';

export type Status = 'Waiting' | 'Replaying' | 'Live';

export interface SentEntry {
  readonly dest: number;
  readonly data: number;
  /** Piggybacked determinant-log entries (packed det·hosts). */
  readonly pb: readonly number[];
  /** Ghost: delivery records in the sender's causal past at the send. */
  readonly past: readonly number[];
}

export interface LeaderState {
  readonly round: number;
  readonly phase: 'Inc' | 'Dep';
  /** R: the recovering (Waiting) processes of this round, as a mask. */
  readonly recovering: number;
  /** Incarnations collected so far for R (-1 = not yet known), indexed by pid. */
  readonly rinc: readonly number[];
  /** Responders that have not replied yet (mask; bit n = S). */
  readonly pending: number;
  /** Union of the determinants replied so far (packed dets, sorted). */
  readonly collected: readonly number[];
  /** L: the responders asked when the Dep phase began (mask; bit n = S); kept as docs/protocol.md § The state has it, though no rule reads it. */
  readonly responders: number;
}

/** The volatile part of a process: erased by a crash. */
export interface Volatile {
  readonly status: Status;
  /** Delivery history: message identities, position = rsn − 1. */
  readonly hist: readonly number[];
  /** Send log, position = ssn − 1. */
  readonly sendLog: readonly SentEntry[];
  /** Determinant log: packed det·hosts entries, sorted. */
  readonly dl: readonly number[];
  /** Incarnation vector. */
  readonly iv: readonly number[];
  /** Ghost causal past: sorted delivery-record ids. */
  readonly past: readonly number[];
  readonly lead: LeaderState | null;
  /** Replay list: packed dets with dest = this process, in rsn order. */
  readonly replay: readonly number[];
  /** Round this Waiting process was enrolled in by an incarnation request (0 = none). */
  readonly enrolled: number;
  /** Blocking baseline only: delivers nothing while true. */
  readonly blocked: boolean;
  /**
   * Manetho-style baseline only (MS-2, MS-4): for each (recovering process,
   * incarnation) this process replied about, the determinants it reported with
   * that process as destination; messages that contradict them are held.
   */
  readonly holds: readonly Hold[];
  /** Manetho-style only (MS-4): per process, the last announced incarnation (-1: none) … */
  readonly boundInc: readonly number[];
  /** … and the number of deliveries it recovered then. */
  readonly boundRsn: readonly number[];
  /** Variant (f) only: an incvector replied to but not adopted yet (empty: none). */
  readonly pendingAdoption: readonly number[];
}

export interface Hold {
  readonly proc: number;
  readonly inc: number;
  /** Sorted packed dets. */
  readonly dets: readonly number[];
}

export interface Stable {
  readonly inc: number;
  readonly ord: number;
  /**
   * The `reference` reading only: the incvector a crashed process had, which
   * its restart keeps (RC-2 of docs/rules.md restores the checkpoint's zero
   * vector). null otherwise, and once restarted.
   */
  readonly keptIv: readonly number[] | null;
}

export interface Globals {
  /** The stable ordinal counter. */
  readonly ordCtr: number;
  readonly roundCtr: number;
  /** Gathering restarts plus leader take-overs so far. */
  readonly restarts: number;
  /** A leader crashed with its round unfinished; the next round begun counts as a restart. */
  readonly aborted: boolean;
  /** The stable host S's determinant log (f = n only): sorted packed dets. */
  readonly sLog: readonly number[];
  /**
   * Stable-storage writes by Live processes while a recovery is in progress
   * (N3), saturating at 1: the property needs to know whether one happened,
   * and a running count would split otherwise equal states.
   */
  readonly liveStableWrites: number;
}

export type Message =
  | {
      readonly kind: 'app';
      readonly from: number;
      readonly to: number;
      readonly ssn: number;
      readonly inc: number;
      readonly data: number;
      readonly pb: readonly number[];
      readonly past: readonly number[];
    }
  | { readonly kind: 'incReq'; readonly from: number; readonly to: number; readonly round: number }
  | { readonly kind: 'incRep'; readonly from: number; readonly to: number; readonly round: number; readonly inc: number }
  | {
      readonly kind: 'depReq';
      readonly from: number;
      readonly to: number;
      readonly round: number;
      readonly iv: readonly number[];
      /** Manetho-style (MS-1): R's incarnations (-1 outside R); empty otherwise. */
      readonly rinc: readonly number[];
    }
  | {
      readonly kind: 'depRep';
      readonly from: number;
      readonly to: number;
      readonly round: number;
      readonly dets: readonly number[];
      /** The responder's incarnation vector with its own incarnation (empty for S). */
      readonly iv: readonly number[];
    }
  | {
      readonly kind: 'depInfo';
      readonly from: number;
      readonly to: number;
      readonly round: number;
      readonly dets: readonly number[];
      readonly iv: readonly number[];
    }
  | { readonly kind: 'replayReq'; readonly from: number; readonly to: number; readonly ssn: number }
  | { readonly kind: 'resendReq'; readonly from: number; readonly to: number }
  /** Manetho-style (MS-3): what the recovering `from` recovered, in incarnation `inc`. */
  | { readonly kind: 'announce'; readonly from: number; readonly to: number; readonly inc: number; readonly maxRsn: number };

export type InternalEvent =
  | { readonly kind: 'beginRound'; readonly pid: number }
  | { readonly kind: 'detectRestart'; readonly pid: number; readonly failed: number }
  | { readonly kind: 'dropResponder'; readonly pid: number; readonly failed: number }
  | { readonly kind: 'askReplay'; readonly pid: number; readonly det: number }
  | { readonly kind: 'flush'; readonly pid: number }
  /** BL-4 in its abstract form: a blocked process unblocks once every process is live. */
  | { readonly kind: 'unblock'; readonly pid: number }
  /** Variant (f): the responder adopts the incvector it replied to, in a step of its own. */
  | { readonly kind: 'adopt'; readonly pid: number };

export type FblState = SystemState<Volatile, Stable, Message, Globals>;

/** The message of one kind. */
export type Msg<K extends Message['kind']> = Extract<Message, { kind: K }>;
export type AppMessage = Msg<'app'>;
export type DepRep = Msg<'depRep'>;
/** The kinds of the control (non-application) messages. */
export type ControlKind = Exclude<Message['kind'], 'app'>;
/** The internal event of one kind. */
export type Event<K extends InternalEvent['kind']> = Extract<InternalEvent, { kind: K }>;

/** The handlers the system kit takes for this model. */
export type FblHandlers = ProtocolHandlers<Volatile, Stable, Message, Globals, InternalEvent>;
/** What the kit hands a handler to write the next state into (its root fields only: see Step). */
export type FblDraft = Parameters<FblHandlers['onCrash']>[0];

// Packing: source and dest < 16 (n ≤ 15 plus S), ssn and rsn < 64, destInc < 16.
export const MAX_PROCESSES = 15;
export const MAX_SEQ = 63;
const HOST_SPACE = 65536;

/**
 * A determinant ⟨source, ssn, dest, rsn⟩, plus the receiver's incarnation at
 * delivery (MS-0), which only the Manetho-style baseline records (0 otherwise).
 */
export function packDet(source: number, ssn: number, dest: number, rsn: number, destInc = 0): number {
  return (((source * 64 + ssn) * 16 + dest) * 64 + rsn) * 16 + destInc;
}

export function unpackDet(det: number): { source: number; ssn: number; dest: number; rsn: number; destInc: number } {
  const destInc = det % 16;
  const rest = Math.floor(det / 16);
  const rsn = rest % 64;
  const dest = Math.floor(rest / 64) % 16;
  const ssn = Math.floor(rest / 1024) % 64;
  const source = Math.floor(rest / 65536);
  return { source, ssn, dest, rsn, destInc };
}

/** The delivery a determinant records, without the receiver's incarnation. */
export function detDelivery(det: number): number {
  return Math.floor(det / 16);
}

export function packEntry(det: number, hosts: number): number {
  return det * HOST_SPACE + hosts;
}

export function entryDet(entry: number): number {
  return Math.floor(entry / HOST_SPACE);
}

export function entryHosts(entry: number): number {
  return entry % HOST_SPACE;
}
