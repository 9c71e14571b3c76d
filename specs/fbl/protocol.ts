/**
 * FBL message logging (brief §2, FF-1…FF-4) and the recovery algorithms
 * (brief §3.4 RC-1…RC-17; the blocking baseline §4.1 BL-1…BL-5), as handlers
 * for the system kit. Rule names in comments are the brief's.
 *
 * Handlers compute new per-process values with pure functions over the state
 * before the step plus the values already changed in this step (step.ts), and
 * write them into the immer draft at the end. Helpers live beside this file:
 * determinants.ts (logs), identities.ts (interned ids), manetho.ts (MS-2…MS-6),
 * variant.ts (what tells the specs apart).
 */
import type { Draft } from 'immer';
import {
  allOf,
  fateOf,
  insert,
  popcount,
  union,
  vectorMax,
  type GuardVerdict,
  type InternalEvent as KitEvent,
  type MessageFate,
  type Outbox,
  type ProtocolHandlers,
  type SystemAction,
} from '../../src/index.js';
import { fblAmple, partialOrderApplies } from './partialOrder.js';
import { destinations } from './workloads.js';
import { logDets, mergeLog, sameMessage } from './determinants.js';
import { processName, type Identities } from './identities.js';
import { Step, withChanges } from './step.js';
import { afterAnnouncement, contradictsAnnouncement, contradictsReply, holdsAfterReply } from './manetho.js';
import type { FblConfig } from './variant.js';
import {
  entryDet,
  entryHosts,
  packDet,
  packEntry,
  unpackDet,
  type FblState,
  type Globals,
  type InternalEvent,
  type LeaderState,
  type Message,
  type SentEntry,
  type Stable,
  type Volatile,
} from './types.js';

export type AppDisposition = 'deliver' | 'replay' | 'duplicate' | 'stale' | 'orphan' | 'wait';

type Msg<K extends Message['kind']> = Extract<Message, { kind: K }>;

export class FblProtocol implements ProtocolHandlers<Volatile, Stable, Message, Globals, InternalEvent> {
  readonly crashBudget: number;
  readonly network: 'unordered' | 'fifo';
  readonly eagerDrop: boolean;
  /** Every handler writes through Step.commit, or (onCrash) assigns root fields itself. */
  readonly rootWritesOnly = true;
  private readonly n: number;
  private readonly allProcesses: number;
  private readonly stableHost: number;
  /** Shared initial Manetho-style bounds (none announced). */
  private readonly noBoundInc: readonly number[];
  private readonly noBoundRsn: readonly number[];
  private readonly zeroVector: readonly number[];
  /** `--reduce …,partial-order` (partialOrder.ts), where it applies to the variant. */
  readonly ample?: (state: FblState, actions: readonly SystemAction<InternalEvent>[]) => readonly number[] | undefined;
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
    this.stableHost = 1 << config.n;
    this.noBoundInc = new Array<number>(config.n).fill(-1);
    this.noBoundRsn = new Array<number>(config.n).fill(0);
    this.zeroVector = new Array<number>(config.n).fill(0);
    if (config.reductions.partialOrder && partialOrderApplies(this)) this.ample = (state, actions) => fblAmple(this, state, actions);
  }

  /** f = n: the never-failing stable-storage host S takes part (paper §3.3). */
  get hasStableHost(): boolean {
    return this.config.f === this.n && this.config.stableHost;
  }

  processName(pid: number): string {
    return processName(pid, this.n);
  }

  initialState(): FblState {
    const procs = [];
    const net: Message[] = [];
    for (let pid = 0; pid < this.n; pid++) {
      const iv = new Array<number>(this.n).fill(0);
      const vol = this.appStep(this.freshVolatile('Live', iv), pid, 0, { send: (m) => void net.push(m) });
      procs.push({ stable: { inc: 0, ord: 0, keptIv: null }, vol });
    }
    const global: Globals = { ordCtr: 0, roundCtr: 0, restarts: 0, aborted: false, sLog: [], liveStableWrites: 0 };
    return { procs, net, global, crashes: 0 };
  }

  private freshVolatile(status: Volatile['status'], iv: readonly number[]): Volatile {
    return {
      status,
      hist: [],
      sendLog: [],
      dl: [],
      iv,
      past: [],
      lead: null,
      replay: [],
      enrolled: 0,
      blocked: false,
      holds: [],
      boundInc: this.noBoundInc,
      boundRsn: this.noBoundRsn,
      pendingAdoption: NONE,
    };
  }

  // ---- FF-1 APPSTEP: the program's sends after the current delivery count.
  private appStep(vol: Volatile, pid: number, inc: number, out: Outbox<Message> | null): Volatile {
    const dests = destinations(this.config.program, pid, vol.hist.length);
    if (dests.length === 0) return vol;
    const pb = this.piggyback(vol.dl);
    const sendLog = vol.sendLog.slice();
    for (const dest of dests) {
      const ssn = sendLog.length + 1;
      const data = this.ids.data(pid, ssn, vol.hist);
      sendLog.push({ dest, data, pb, past: vol.past });
      out?.send({ kind: 'app', from: pid, to: dest, ssn, inc, data, pb, past: vol.past });
    }
    return withChanges(vol, { sendLog });
  }

  /** The log entries a send piggybacks: those not known to be at f + 1 hosts nor at S. */
  private piggyback(dl: readonly number[]): readonly number[] {
    const stopAt = this.config.variant.replication === 'f+1' ? this.config.f + 1 : this.config.f;
    const out: number[] = [];
    for (const e of dl) {
      const hosts = entryHosts(e);
      if ((hosts & this.stableHost) === 0 && popcount(hosts & this.allProcesses) < stopAt) out.push(e);
    }
    return out.length === dl.length ? dl : out;
  }

  // ---- FF-2 DELIVER / RC-14 REPLAYDELIVER: history, ghost past, determinants, program step.
  private deliver(vol: Volatile, pid: number, m: Msg<'app'>, inc: number, out: Outbox<Message> | null): Volatile {
    const rsn = vol.hist.length + 1;
    const message = this.ids.message(m.from, m.ssn, m.data);
    const hist = [...vol.hist, message];
    const past = insert(union(vol.past, m.past), this.ids.record(pid, rsn, message));
    const self = 1 << pid;
    const destInc = this.config.variant.manethoStyle ? inc : 0; // MS-0
    const dl = mergeLog(mergeLog(vol.dl, m.pb, self), [packEntry(packDet(m.from, m.ssn, pid, rsn, destInc), self)], 0);
    return this.appStep(withChanges(vol, { hist, past, dl }), pid, inc, out);
  }

  /** How process `to` would treat an application message now (FF-2, FF-3, RC-14). */
  appDisposition(state: FblState, m: Msg<'app'>): AppDisposition {
    const vol = state.procs[m.to]!.vol;
    if (vol === null || vol.status === 'Waiting') return 'wait';
    // BL-2: a blocked process delivers nothing; the brief's reading has it discard nothing either.
    const blocked = vol.status === 'Live' && vol.blocked;
    if (blocked && this.config.reading === 'brief') return 'wait';
    if (this.delivered(vol, m.from, m.ssn)) return 'duplicate';
    const replaying = vol.status === 'Replaying';
    if (replaying || this.config.variant.incarnationFilter) {
      const known = vol.iv[m.from]!;
      const stale = replaying && this.config.variant.replayStaleTest === 'not-newer' ? m.inc <= known : m.inc < known;
      if (stale) return 'stale';
    }
    if (blocked) return 'wait';
    if (this.config.variant.manethoStyle) {
      if (contradictsAnnouncement(vol, m)) return 'orphan'; // MS-6
      if (vol.status === 'Live' && contradictsReply(vol, m)) return 'wait'; // MS-5: held
    }
    if (vol.status === 'Live') return 'deliver';
    if (!this.config.variant.orderedReplay) {
      // Variant (e): any message of the replay list, in arrival order.
      return this.pendingReplays(vol).some((det) => sameMessage(det, m.from, m.ssn)) ? 'replay' : 'wait';
    }
    const next = this.nextReplay(vol);
    return next !== undefined && sameMessage(next, m.from, m.ssn) ? 'replay' : 'wait';
  }



  /** Replay-list determinants whose message the process has not delivered yet. */
  private pendingReplays(vol: Volatile): readonly number[] {
    return vol.replay.filter((det) => {
      const d = unpackDet(det);
      return !this.delivered(vol, d.source, d.ssn);
    });
  }

  private delivered(vol: Volatile, source: number, ssn: number): boolean {
    for (const id of vol.hist) {
      if (this.ids.messageSource(id) === source && this.ids.messageSsn(id) === ssn) return true;
    }
    return false;
  }

  /** The replay-list determinant for the next rsn, if any. */
  private nextReplay(vol: Volatile): number | undefined {
    const rsn = vol.hist.length + 1;
    for (const det of vol.replay) if (unpackDet(det).rsn === rsn) return det;
    return undefined;
  }

  // ---- the network: what can happen to each message now (kit.fateOf: the consuming
  // rule's guard, and whether a drop rule (RC-17, RC-7, RC-11) applies).
  fate(state: FblState, m: Message): MessageFate {
    switch (m.kind) {
      case 'app':
        return this.appDisposition(state, m) === 'wait' ? 'wait' : 'consume';
      case 'incReq': // RC-4: any non-crashed addressee answers, whatever the round
        return state.procs[m.to]!.vol === null ? 'wait' : 'consume';
      case 'incRep': // RC-5, else dropped (RC-17)
        return fateOf(this.incReplyGuard(state, m), true);
      case 'depReq': {
        // RC-7: S and up processes answer, whatever the round; a Waiting addressee drops it.
        if (m.to === this.n) return 'consume';
        const vol = state.procs[m.to]!.vol;
        if (vol === null) return 'wait';
        return vol.status === 'Waiting' ? 'drop' : 'consume';
      }
      case 'depRep': // RC-8, else dropped (RC-17)
        return fateOf(this.depReplyGuard(state, m), true);
      case 'depInfo': {
        // RC-11: a Waiting addressee takes it; a Live or Replaying one drops it.
        const vol = state.procs[m.to]!.vol;
        return fateOf(this.handOutGuard(state, m), vol !== null && vol.status !== 'Waiting');
      }
      case 'replayReq': {
        const vol = state.procs[m.to]!.vol; // RC-13: served once the sender has the message
        return vol === null || vol.status === 'Waiting' || vol.sendLog.length < m.ssn ? 'wait' : 'consume';
      }
      case 'resendReq': {
        const vol = state.procs[m.to]!.vol; // RC-16
        return vol === null || vol.status === 'Waiting' ? 'wait' : 'consume';
      }
      case 'announce': // MS-4: taken by any non-crashed addressee
        return state.procs[m.to]!.vol === null ? 'wait' : 'consume';
    }
  }

  /** A round, once over, never resumes: round ids are fresh. */
  private roundConjunct(lead: LeaderState | null, round: number): GuardVerdict {
    return lead !== null && lead.round === round ? 'now' : 'never';
  }

  /** RC-5: the leader's current round is the reply's, in its Inc phase. */
  private incReplyGuard(state: FblState, m: Msg<'incRep'>): GuardVerdict {
    const lead = state.procs[m.to]!.vol?.lead ?? null;
    return allOf(this.roundConjunct(lead, m.round), lead?.phase === 'Inc' ? 'now' : 'later');
  }

  /** RC-8: the leader's current round is the reply's (not in variant (g)), in its Dep phase, and the responder is pending. */
  private depReplyGuard(state: FblState, m: Msg<'depRep'>): GuardVerdict {
    const lead = state.procs[m.to]!.vol?.lead ?? null;
    const round = this.config.variant.replyRoundCheck ? this.roundConjunct(lead, m.round) : 'now';
    const phase = lead?.phase === 'Dep' ? 'now' : 'later';
    const pending = lead !== null && (lead.pending & (1 << m.from)) !== 0 ? 'now' : 'later';
    return allOf(round, phase, pending);
  }

  /** RC-11: the addressee is Waiting; a Live or Replaying one is Waiting again only after a crash. */
  private handOutGuard(state: FblState, m: Msg<'depInfo'>): GuardVerdict {
    const vol = state.procs[m.to]!.vol;
    if (vol === null) return 'later';
    if (vol.status === 'Waiting') return 'now';
    return state.crashes < this.crashBudget ? 'later' : 'never';
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

  /** The label of the step consuming `m`, e.g. "deliver p0→p1 #2 (inc 0)". */
  private consumptionLabel(state: FblState, m: Message): string {
    const ends = `${this.processName(m.from)}→${this.processName(m.to)}`;
    switch (m.kind) {
      case 'app': {
        const d = this.appDisposition(state, m);
        const id = `${ends} #${m.ssn} (inc ${m.inc}`;
        if (d === 'deliver') return `deliver ${id})`;
        if (d === 'replay') return `replay ${id})`;
        return `discard ${id}, ${d})`;
      }
      case 'incReq':
      case 'incRep':
      case 'depReq':
      case 'depRep':
      case 'depInfo':
        return this.roundMessageName(m);
      case 'replayReq':
        return `replay-request ${ends} #${m.ssn}`;
      case 'resendReq':
        return `resend-request ${ends}`;
      case 'announce':
        return `announce ${ends} (inc ${m.inc})`;
    }
  }

  dropLabel(m: Message): string {
    if (!('round' in m)) throw new Error(`internal: no drop rule for ${m.kind} messages`);
    const key = memoKey(ROUND_CODES[m.kind] + DROP, m.from, m.to, 0, m.round);
    return this.labels.get(key) ?? this.keepLabel(key, `drop ${this.roundMessageName(m)}`);
  }

  /** The drop rules: RC-17 (stale replies), RC-7 (a request to a Waiting process), RC-11 (a hand-out to a Live or Replaying one). */
  hasDropRule(m: Message): boolean {
    return m.kind === 'incRep' || m.kind === 'depRep' || m.kind === 'depReq' || m.kind === 'depInfo';
  }

  /** "depinfo-reply p2→p0 (round 1)": a round message as the labels of its consumption and its drop name it. */
  private roundMessageName(m: Extract<Message, { round: number }>): string {
    return `${KIND_NAMES[m.kind]} ${this.processName(m.from)}→${this.processName(m.to)} (round ${m.round})`;
  }

  isOrdered(m: Message): boolean {
    return m.kind === 'app';
  }

  /** FIFO binds Live receivers only: a Replaying process takes the one message it needs [choice]. */
  consumesInOrder(state: FblState, m: Message): boolean {
    return state.procs[m.to]?.vol?.status === 'Live';
  }

  onMessage(draft: Draft<FblState>, m: Message, base: FblState, out: Outbox<Message>): void {
    const step = new Step(base, out);
    this.consume(step, m);
    step.commit(draft);
  }

  private consume(step: Step, m: Message): void {
    const base = step.base;
    const out = step.out;
    switch (m.kind) {
      case 'app': {
        const d = this.appDisposition(base, m);
        if (d === 'deliver') step.setVol(m.to, this.deliver(step.live(m.to), m.to, m, step.inc(m.to), out));
        else if (d === 'replay') {
          step.setVol(m.to, this.deliver(step.live(m.to), m.to, m, step.inc(m.to), null));
          this.finishIfDone(step, m.to);
        }
        // 'duplicate', 'stale' (FF-3) and 'orphan' (MS-6): the message is simply removed.
        return;
      }
      case 'incReq': {
        // RC-4: answer with the incarnation; a Waiting process is enrolled in the round.
        out.send({ kind: 'incRep', from: m.to, to: m.from, round: m.round, inc: step.inc(m.to) });
        if (step.live(m.to).status === 'Waiting' && this.config.variant.enrollment) step.patch(m.to, { enrolled: m.round });
        return;
      }
      case 'incRep': {
        // RC-5, then RC-6 once every member of R has answered.
        const vol = step.live(m.to);
        const lead = vol.lead!;
        const rinc = lead.rinc.slice();
        rinc[m.from] = m.inc;
        step.patch(m.to, { lead: { ...lead, rinc } });
        if (this.allIncarnationsKnown(rinc, lead.recovering)) this.enterDep(step, m.to);
        return;
      }
      case 'depReq': {
        if (m.to === this.n) {
          // S answers with its log; it has no incarnation view.
          out.send({ kind: 'depRep', from: this.n, to: m.from, round: m.round, dets: base.global.sLog, iv: [] });
          return;
        }
        // RC-7, one atomic step (A7): reply with the log and the own view, adopt the incvector.
        const vol = step.live(m.to);
        let ownView: readonly number[] = this.zeroVector;
        if (this.config.variant.incarnationsInReplies) {
          const view = vol.iv.slice();
          view[m.to] = step.inc(m.to);
          ownView = view;
        }
        const dets = logDets(vol.dl);
        out.send({ kind: 'depRep', from: m.to, to: m.from, round: m.round, dets, iv: ownView });
        if (this.config.variant.manethoStyle) {
          // MS-2: the reply is written to stable storage (by a live process: N3); nothing is adopted.
          step.patch(m.to, { holds: holdsAfterReply(vol, dets, m.rinc, this.config.variant.holdsByIncarnation) });
          if (vol.status === 'Live') step.setGlobal({ liveStableWrites: 1 });
          return;
        }
        const blocked = vol.blocked || (this.config.variant.blocking && vol.status === 'Live'); // BL-1
        if (!this.config.variant.atomicAdoption) {
          // Variant (f): adopted later, by an `adopt` step.
          step.patch(m.to, { pendingAdoption: vectorMax(vol.pendingAdoption.length > 0 ? vol.pendingAdoption : vol.iv, m.iv), blocked });
          return;
        }
        step.patch(m.to, { iv: vectorMax(vol.iv, m.iv), blocked });
        return;
      }
      case 'depRep': {
        // RC-8: collect, merge the responder's incarnations (A13), complete when nobody is pending.
        const vol = step.live(m.to);
        const lead = vol.lead!;
        const pending = lead.pending & ~(1 << m.from);
        const next: LeaderState = { ...lead, pending, collected: union(lead.collected, m.dets) };
        step.patch(m.to, { lead: next, iv: vectorMax(vol.iv, m.iv) });
        if (pending === 0) this.complete(step, m.to);
        return;
      }
      case 'depInfo':
        this.receiveDepInfo(step, m.to, m.dets, m.iv);
        return;
      case 'replayReq': {
        // RC-13: serve a copy from the send log, tagged with the current incarnation.
        const entry = step.live(m.to).sendLog[m.ssn - 1]!;
        out.send(this.copy(m.to, m.ssn, entry, step.inc(m.to)));
        return;
      }
      case 'resendReq': {
        // RC-16: re-send everything logged for the requester.
        const inc = step.inc(m.to);
        step.live(m.to).sendLog.forEach((entry, i) => {
          if (entry.dest === m.from) out.send(this.copy(m.to, i + 1, entry, inc));
        });
        return;
      }
      case 'announce':
        step.patch(m.to, afterAnnouncement(step.live(m.to), m, this.config.variant.holdsByIncarnation)); // MS-4
        return;
    }
  }


  private copy(from: number, ssn: number, e: SentEntry, inc: number): Message {
    return { kind: 'app', from, to: e.dest, ssn, inc, data: e.data, pb: e.pb, past: e.past };
  }

  private allIncarnationsKnown(rinc: readonly number[], recovering: number): boolean {
    for (let j = 0; j < this.n; j++) if (recovering & (1 << j) && rinc[j]! < 0) return false;
    return true;
  }

  // ---- RC-3 BEGINROUND and RC-9 DETECTRESTART: a fresh round over the current R and L.
  private beginRound(step: Step, leader: number): void {
    const round = step.global.roundCtr + 1;
    step.setGlobal({ roundCtr: round });
    let recovering = 0;
    const rinc = new Array<number>(this.n).fill(-1);
    for (let j = 0; j < this.n; j++) if (step.vol(j)?.status === 'Waiting') recovering |= 1 << j;
    rinc[leader] = step.inc(leader);
    const lead: LeaderState = { round, phase: 'Inc', recovering, rinc, pending: 0, collected: [], responders: 0 };
    step.patch(leader, { lead });
    for (let j = 0; j < this.n; j++) {
      if (j !== leader && recovering & (1 << j)) step.out.send({ kind: 'incReq', from: leader, to: j, round });
    }
    if (this.allIncarnationsKnown(rinc, recovering)) this.enterDep(step, leader);
  }

  // ---- RC-6 ENTERDEP: announce the incvector to every up process not in R (A14) and S.
  private enterDep(step: Step, leader: number): void {
    const vol = step.live(leader);
    const lead = vol.lead!;
    const iv = vectorMax(vol.iv, lead.rinc.map((c) => Math.max(c, 0)));
    let responders = 0;
    for (let j = 0; j < this.n; j++) {
      const s = step.vol(j)?.status;
      if (s === 'Live' || (s === 'Replaying' && this.config.variant.replayingResponders)) responders |= 1 << j;
    }
    if (this.hasStableHost) responders |= this.stableHost;
    for (let j = 0; j <= this.n; j++) {
      if (responders & (1 << j)) {
        const rinc = this.config.variant.manethoStyle ? lead.rinc : NO_RINC; // MS-1
        step.out.send({ kind: 'depReq', from: leader, to: j, round: lead.round, iv, rinc });
      }
    }
    step.patch(leader, { iv, lead: { ...lead, phase: 'Dep', pending: responders, collected: [], responders } });
    if (responders === 0) this.complete(step, leader);
  }

  // ---- RC-10 COMPLETE: hand out the union and the incvector to R; the leader applies it itself.
  private complete(step: Step, leader: number): void {
    const vol = step.live(leader);
    const lead = vol.lead!;
    for (let j = 0; j < this.n; j++) {
      if (j !== leader && lead.recovering & (1 << j)) {
        step.out.send({ kind: 'depInfo', from: leader, to: j, round: lead.round, dets: lead.collected, iv: vol.iv });
      }
    }
    step.patch(leader, { lead: null });
    this.receiveDepInfo(step, leader, lead.collected, vol.iv);
  }

  // ---- RC-11 DEPINFO: the replay list is the contiguous run of recorded rsns from the next one.
  private receiveDepInfo(step: Step, pid: number, dets: readonly number[], iv: readonly number[]): void {
    const vol = step.live(pid);
    // Per position, the determinant of the latest incarnation (MS-0; always 0 outside
    // the Manetho-style baseline, where conflicts arise only in broken variants).
    const byRsn = new Map<number, number>();
    for (const det of dets) {
      const d = unpackDet(det);
      if (d.dest !== pid) continue;
      const known = byRsn.get(d.rsn);
      if (known === undefined || unpackDet(known).destInc < d.destInc) byRsn.set(d.rsn, det);
    }
    const replay: number[] = [];
    for (let rsn = vol.hist.length + 1; byRsn.has(rsn); rsn++) replay.push(byRsn.get(rsn)!);
    // RC-11 leaves the enrollment as it is (it is read only while Waiting).
    step.patch(pid, { status: 'Replaying', replay, iv: vectorMax(vol.iv, iv) });
    if (this.config.variant.manethoStyle) {
      // MS-3: announce what was recovered to every other process.
      const inc = step.inc(pid);
      for (let j = 0; j < this.n; j++) {
        if (j !== pid) step.out.send({ kind: 'announce', from: pid, to: j, inc, maxRsn: vol.hist.length + replay.length });
      }
    }
    this.finishIfDone(step, pid);
  }

  // ---- RC-15 FINISHRECOVERY: Live, re-send the send log, ask every sender to re-send (A16).
  private finishIfDone(step: Step, pid: number): void {
    const vol = step.live(pid);
    if (vol.status !== 'Replaying' || this.nextReplay(vol) !== undefined) return;
    step.patch(pid, { status: 'Live', replay: [] });
    const inc = step.inc(pid);
    vol.sendLog.forEach((entry, i) => step.out.send(this.copy(pid, i + 1, entry, inc)));
    if (this.config.variant.resendRequests) {
      for (let s = 0; s < this.n; s++) if (s !== pid) step.out.send({ kind: 'resendReq', from: pid, to: s });
    }
  }

  // ---- internal events: RC-3, RC-9, RC-12, FF-4.
  internalEvents(state: FblState): readonly KitEvent<InternalEvent>[] {
    const events: KitEvent<InternalEvent>[] = [];
    const anyCrashed = state.procs.some((p) => p.vol === null);
    let leader = -1;
    state.procs.forEach((p, pid) => {
      if (p.vol?.lead) leader = pid;
    });
    if (!anyCrashed && leader < 0) {
      const candidate = this.lowestOrdinalWaiting(state);
      if (candidate >= 0 && !this.enrolled(state, candidate)) {
        events.push({ event: { kind: 'beginRound', pid: candidate }, label: `begin-round ${this.processName(candidate)}` });
      }
    }
    if (leader >= 0 && !this.config.variant.restartOnFailure) {
      // Variant (b): the leader gives up on a failed responder (crashed, or restarted and waiting).
      const lead = state.procs[leader]!.vol!.lead!;
      for (let j = 0; lead.phase === 'Dep' && j < this.n; j++) {
        const failed = state.procs[j]!.vol;
        if (lead.pending & (1 << j) && (failed === null || failed.status === 'Waiting')) {
          events.push({
            event: { kind: 'dropResponder', pid: leader, failed: j },
            label: `drop-responder ${this.processName(leader)} (${this.processName(j)} failed)`,
          });
        }
      }
    }
    if (!anyCrashed && leader >= 0 && this.config.variant.restartOnFailure) {
      const lead = state.procs[leader]!.vol!.lead!;
      if (lead.phase === 'Dep') {
        for (let j = 0; j < this.n; j++) {
          if (lead.pending & (1 << j) && state.procs[j]!.vol?.status === 'Waiting') {
            events.push({
              event: { kind: 'detectRestart', pid: leader, failed: j },
              label: `detect-restart ${this.processName(leader)} (${this.processName(j)} failed)`,
            });
            break; // every failed responder leads to the same new round
          }
        }
      }
    }
    state.procs.forEach((p, pid) => {
      const vol = p.vol;
      if (vol?.status === 'Replaying') {
        // RC-12 asks for the next recorded message only; variant (e) asks for any missing one.
        const next = this.nextReplay(vol);
        const wanted = this.config.variant.orderedReplay ? (next === undefined ? [] : [next]) : this.pendingReplays(vol);
        for (const det of wanted) {
          if (!this.mayAskReplay(state, pid, det)) continue;
          const d = unpackDet(det);
          events.push({
            event: { kind: 'askReplay', pid, det },
            label: `ask-replay ${this.processName(pid)} (${this.processName(d.source)} #${d.ssn})`,
          });
        }
      }
      if (this.hasStableHost && vol !== null && vol.status !== 'Waiting' && vol.dl.some((e) => (entryHosts(e) & this.stableHost) === 0)) {
        events.push({ event: { kind: 'flush', pid }, label: `flush ${this.processName(pid)}` });
      }
      if (vol !== null && vol.pendingAdoption.length > 0) {
        events.push({ event: { kind: 'adopt', pid }, label: `adopt ${this.processName(pid)}` });
      }
    });
    if (this.config.variant.blocking && state.procs.every((p) => p.vol?.status === 'Live')) {
      // BL-4, abstractly (as the brief's prototype does): once every process is live, each blocked one unblocks.
      state.procs.forEach((p, pid) => {
        if (p.vol!.blocked) events.push({ event: { kind: 'unblock', pid }, label: `unblock ${this.processName(pid)}` });
      });
    }
    return events;
  }

  private lowestOrdinalWaiting(state: FblState): number {
    let best = -1;
    state.procs.forEach((p, pid) => {
      if (p.vol?.status === 'Waiting' && (best < 0 || p.stable.ord < state.procs[best]!.stable.ord)) best = pid;
    });
    return best;
  }

  /** A12: enrolled in a round whose DepInfo is still on its way (no leader runs when this is asked). */
  private enrolled(state: FblState, pid: number): boolean {
    const round = state.procs[pid]!.vol!.enrolled;
    return round !== 0 && state.net.some((m) => m.kind === 'depInfo' && m.to === pid && m.round === round);
  }

  /** RC-12: only the next needed message, once, and not while a copy is on its way. */
  private mayAskReplay(state: FblState, pid: number, det: number): boolean {
    const d = unpackDet(det);
    return !state.net.some(
      (m) =>
        (m.kind === 'app' && m.to === pid && m.from === d.source && m.ssn === d.ssn) ||
        (m.kind === 'replayReq' && m.from === pid && m.to === d.source && m.ssn === d.ssn),
    );
  }

  onInternal(draft: Draft<FblState>, e: InternalEvent, base: FblState, out: Outbox<Message>): void {
    const step = new Step(base, out);
    this.perform(step, e);
    step.commit(draft);
  }

  private perform(step: Step, e: InternalEvent): void {
    const base = step.base;
    const out = step.out;
    switch (e.kind) {
      case 'beginRound':
        if (step.global.aborted) {
          // A leader take-over after a leader died mid-round counts as a restart (A11, A20).
          step.setGlobal({ restarts: step.global.restarts + 1, aborted: false });
        }
        this.beginRound(step, e.pid);
        return;
      case 'detectRestart':
        step.setGlobal({ restarts: step.global.restarts + 1 });
        this.beginRound(step, e.pid);
        return;
      case 'dropResponder': {
        const vol = step.live(e.pid);
        const lead = vol.lead!;
        const pending = lead.pending & ~(1 << e.failed);
        step.patch(e.pid, { lead: { ...lead, pending } });
        if (pending === 0) this.complete(step, e.pid);
        return;
      }
      case 'askReplay': {
        const d = unpackDet(e.det);
        out.send({ kind: 'replayReq', from: e.pid, to: d.source, ssn: d.ssn });
        return;
      }
      case 'unblock':
        step.patch(e.pid, { blocked: false });
        return;
      case 'adopt': {
        const vol = step.live(e.pid);
        step.patch(e.pid, { iv: vectorMax(vol.iv, vol.pendingAdoption), pendingAdoption: NONE });
        return;
      }
      case 'flush': {
        // FF-4 (f = n): one asynchronous write of every determinant not yet at S.
        const vol = step.live(e.pid);
        step.setGlobal({ sLog: union(base.global.sLog, logDets(vol.dl)) });
        step.patch(e.pid, { dl: vol.dl.map((x) => packEntry(entryDet(x), entryHosts(x) | this.stableHost)) });
        return;
      }
    }
  }

  // ---- RC-1 CRASH (the kit erased the volatile part) and RC-2 RESTART.
  onCrash(draft: Draft<FblState>, pid: number, base: FblState): void {
    const before = base.procs[pid]!;
    if (before.vol?.lead) (draft as { global: Globals }).global = { ...base.global, aborted: true };
    if (this.config.reading === 'reference') {
      // The references keep a crashed process's incvector for its restart.
      const keptIv = before.vol!.iv;
      (draft as { procs: FblState['procs'] }).procs = draft.procs.map((p, j) =>
        j === pid ? { stable: { ...before.stable, keptIv }, vol: null } : (p as FblState['procs'][number]),
      );
    }
  }

  onRestart(draft: Draft<FblState>, pid: number, base: FblState, out: Outbox<Message>): void {
    const step = new Step(base, out);
    const inc = base.procs[pid]!.stable.inc + 1;
    const ord = base.global.ordCtr + 1;
    step.setGlobal({ ordCtr: ord });
    step.setStable(pid, { inc, ord, keptIv: null });
    // RC-2: the checkpoint's incvector (zero), with the new own incarnation.
    const iv = (base.procs[pid]!.stable.keptIv ?? this.zeroVector).slice();
    iv[pid] = inc;
    // Restore the initial checkpoint and regenerate its sends into the send log, unsent.
    step.setVol(pid, this.appStep(this.freshVolatile('Waiting', iv), pid, inc, null));
    if (!this.config.variant.waitForHandout) {
      // `early-replay`: no gathering, no hand-out; replay at once from the logs of the up processes.
      let fetched: readonly number[] = [];
      for (const p of base.procs) if (p.vol !== null && p.vol.status !== 'Waiting') fetched = union(fetched, logDets(p.vol.dl));
      this.receiveDepInfo(step, pid, fetched, iv);
    }
    step.commit(draft);
  }
}

const NO_RINC: readonly number[] = [];
const NONE: readonly number[] = [];

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

/** The round messages' kinds as step labels name them. */
const KIND_NAMES: Record<Extract<Message, { round: number }>['kind'], string> = {
  incReq: 'incarnation-request',
  incRep: 'incarnation-reply',
  depReq: 'depinfo-request',
  depRep: 'depinfo-reply',
  depInfo: 'depinfo',
};
