/**
 * The `symmetry` reduction (README, Scale): a state and its renamings count as
 * one state when the workload is invariant under renaming the processes.
 *
 * A workload declares its symmetry (workloads.ts `symmetric`: every
 * permutation of the n application processes; the stable host S stays). A
 * renaming is a permutation π of the pids together with what it does to send
 * sequence numbers: process i's s-th send (the occurrence of destination d in
 * its k-th batch) becomes the send of π(i) to π(d) in its k-th batch, whose
 * ssn is where π(i)'s program lists π(d) (all-to-all sends in pid order, so a
 * renaming reorders one batch's ssns). `renamingsOf` checks the declaration
 * against the program: every batch of π(i) must be π of i's batch.
 *
 * `images(state)` gives the renamings of the state that sort its processes
 * by a renaming-invariant signature (every order among equal signatures):
 * the same set of states for every state of an orbit. The system kit's
 * fingerprint is the least of theirs (SystemModelOptions.images), while the
 * explored, stored and replayed states stay the actual ones, so traces are
 * real runs. The image renames everything that names a process or an ssn:
 * the order of `procs`, pid-indexed vectors (iv, rinc, boundInc, boundRsn,
 * keptIv, pendingAdoption, the vectors messages carry), masks (R, pending,
 * responders, host sets; bit n = S stays), packed determinants, message
 * endpoints and ssns, and the interned identities (message data ⟨sender,
 * ssn, history⟩, messages ⟨source, ssn, data⟩, delivery records ⟨process,
 * rsn, message⟩), re-interned; sorted sets are sorted again, and a send log
 * is reordered by its new ssns.
 *
 * Soundness (README "What a verdict promises"): every rule but one commutes
 * with renamings. The exception is RC-11's choice between two different
 * determinants for the same delivery of the recovering process ("the first
 * in determinant order": the order depends on the pids). `images` refuses
 * (UserError) any state from which a step could make that choice; from every
 * other state the steps commute, so the reduced search meets a renaming of
 * every reachable state, or of the first state that would make the choice,
 * and then stops with that error.
 */
import { ExitCode, UserError, type Interner } from '../../src/index.js';
import type { Identities } from './identities.js';
import type { FblConfig } from './variant.js';
import { workloads, type Program, type Workload } from './workloads.js';
import {
  entryDet,
  entryHosts,
  packDet,
  packEntry,
  unpackDet,
  type FblState,
  type Hold,
  type LeaderState,
  type Message,
  type SentEntry,
  type Stable,
  type Volatile,
} from './types.js';

/** The symmetry reduction enumerates all n! renamings: up to this n. */
export const MAX_SYMMETRIC_N = 5;

/** A renaming of the processes and of their sends' sequence numbers. */
export interface Renaming {
  /** pid[i]: the new name of process i; pid[n] = n (S stays). */
  readonly pid: readonly number[];
  /** ssn[i][s]: the new ssn of process i's send #s (index 0 unused). */
  readonly ssn: readonly (readonly number[])[];
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const rest of permutations(n - 1)) {
    for (let at = 0; at <= rest.length; at++) out.push([...rest.slice(0, at), n - 1, ...rest.slice(at)]);
  }
  return out;
}

/** Process i's sends in ssn order, as "k:dest:occurrence" (the occurrence of dest within batch k). */
function sendKeys(program: Program, i: number, rename: (pid: number) => number = (p) => p): string[] {
  const keys: string[] = [];
  (program[i] ?? []).forEach((batch, k) => {
    const seen = new Map<number, number>();
    for (const dest of batch) {
      const occurrence = seen.get(dest) ?? 0;
      seen.set(dest, occurrence + 1);
      keys.push(`${k}:${rename(dest)}:${occurrence}`);
    }
  });
  return keys;
}

/** The renaming of permutation `perm`, or undefined if the program is not invariant under it. */
export function renamingOf(program: Program, n: number, perm: readonly number[]): Renaming | undefined {
  const ssn: number[][] = [];
  for (let i = 0; i < n; i++) {
    const image = perm[i]!;
    const mine = sendKeys(program, i, (d) => perm[d]!);
    const theirs = sendKeys(program, image);
    if (mine.length !== theirs.length) return undefined;
    const at = new Map(theirs.map((key, s) => [key, s + 1]));
    const row = [0];
    for (const key of mine) {
      const s = at.get(key);
      if (s === undefined) return undefined;
      row.push(s);
    }
    ssn.push(row);
  }
  return { pid: [...perm, n], ssn };
}

/**
 * The renamings other than the identity that the workload declares, each
 * checked against its program (a wrong declaration is a bug: thrown).
 */
export function renamingsOf(workload: Workload, program: Program, n: number): readonly Renaming[] {
  if (workload.symmetric !== true) return [];
  const out: Renaming[] = [];
  for (const perm of permutations(n)) {
    if (perm.every((p, i) => p === i)) continue;
    const renaming = renamingOf(program, n, perm);
    if (renaming === undefined) throw new Error(`internal: workload ${workload.id} declares symmetry, but renaming [${perm.join(',')}] changes its program`);
    out.push(renaming);
  }
  return out;
}

const numeric = (a: number, b: number): number => a - b;

/**
 * Renames states under one renaming. The images of interned ids are
 * remembered (ids never change), and so are the images of a state's parts
 * (a process's volatile part, a message, the globals), since successors share
 * unchanged parts with their parent: an image then shares them with the
 * parent's image, whose hash the hasher has cached.
 */
class Renamer {
  private readonly dataMemo: number[] = [];
  private readonly messageMemo: number[] = [];
  private readonly recordMemo: number[] = [];
  private readonly parts = new WeakMap<object, { readonly pid: number; readonly image: object }>();
  private readonly appMask: number;

  constructor(
    private readonly r: Renaming,
    private readonly n: number,
    private readonly ids: Identities,
    private readonly interner: Interner,
  ) {
    this.appMask = (1 << n) - 1;
  }

  private pid(p: number): number {
    return this.r.pid[p]!;
  }

  private ssn(p: number, s: number): number {
    const image = this.r.ssn[p]?.[s];
    if (image === undefined) throw new Error(`internal: p${p} has no send #${s} in the program`);
    return image;
  }

  private mask(m: number): number {
    let out = m & ~this.appMask;
    for (let i = 0; i < this.n; i++) if (m & (1 << i)) out |= 1 << this.r.pid[i]!;
    return out;
  }

  /** A pid-indexed vector (empty ones stay empty). */
  private vector<T>(v: readonly T[]): readonly T[] {
    if (v.length === 0) return v;
    if (v.length !== this.n) throw new Error(`internal: a pid-indexed vector of length ${v.length}, n = ${this.n}`);
    const out = new Array<T>(this.n);
    for (let i = 0; i < this.n; i++) out[this.r.pid[i]!] = v[i]!;
    return out;
  }

  private det(det: number): number {
    const d = unpackDet(det);
    return packDet(this.pid(d.source), this.ssn(d.source, d.ssn), this.pid(d.dest), d.rsn, d.destInc);
  }

  private dets(dets: readonly number[]): readonly number[] {
    return dets.length === 0 ? dets : dets.map((x) => this.det(x)).sort(numeric);
  }

  /** Determinant-log entries (det·hosts), sorted again. */
  private entries(entries: readonly number[]): readonly number[] {
    return entries.length === 0 ? entries : entries.map((e) => packEntry(this.det(entryDet(e)), this.mask(entryHosts(e)))).sort(numeric);
  }

  /** Message data ⟨sender, ssn, history⟩ (identities.ts: the interned tuple [tag, sender, ssn, ...history]). */
  data(id: number): number {
    const known = this.dataMemo[id];
    if (known !== undefined) return known;
    const t = this.interner.tuple(id);
    const sender = t[1]!;
    const image = this.ids.data(this.pid(sender), this.ssn(sender, t[2]!), t.slice(3).map((m) => this.message(m)));
    this.dataMemo[id] = image;
    return image;
  }

  message(id: number): number {
    const known = this.messageMemo[id];
    if (known !== undefined) return known;
    const m = this.ids.messageParts(id);
    const image = this.ids.message(this.pid(m.source), this.ssn(m.source, m.ssn), this.data(m.data));
    this.messageMemo[id] = image;
    return image;
  }

  record(id: number): number {
    const known = this.recordMemo[id];
    if (known !== undefined) return known;
    const e = this.ids.recordParts(id);
    const image = this.ids.record(this.pid(e.process), e.rsn, this.message(e.message));
    this.recordMemo[id] = image;
    return image;
  }

  private records(records: readonly number[]): readonly number[] {
    return records.length === 0 ? records : records.map((x) => this.record(x)).sort(numeric);
  }

  /** A send log, reordered by the new ssns (a renaming maps a batch onto itself, so the length stays). */
  private sendLog(p: number, log: readonly SentEntry[]): readonly SentEntry[] {
    if (log.length === 0) return log;
    const out = new Array<SentEntry>(log.length);
    log.forEach((e, i) => {
      const at = this.ssn(p, i + 1) - 1;
      if (at >= log.length) throw new Error(`internal: p${p}'s send log of ${log.length} ends inside a batch`);
      out[at] = { ...e, dest: this.pid(e.dest), data: this.data(e.data), pb: this.entries(e.pb), past: this.records(e.past) };
    });
    return out;
  }

  private lead(lead: LeaderState): LeaderState {
    return {
      ...lead,
      recovering: this.mask(lead.recovering),
      rinc: this.vector(lead.rinc),
      pending: this.mask(lead.pending),
      collected: this.dets(lead.collected),
      responders: this.mask(lead.responders),
    };
  }

  private holds(holds: readonly Hold[]): readonly Hold[] {
    if (holds.length === 0) return holds;
    return holds
      .map((h) => ({ ...h, proc: this.pid(h.proc), dets: this.dets(h.dets) }))
      .sort((a, b) => a.proc - b.proc || a.inc - b.inc);
  }

  /** The image of part `x` of process `p` (-1: of no process), remembered. */
  private part<X extends object>(x: X, p: number, rename: (x: X) => X): X {
    const known = this.parts.get(x);
    if (known !== undefined && known.pid === p) return known.image as X;
    const image = rename(x);
    this.parts.set(x, { pid: p, image });
    return image;
  }

  private vol(p: number, vol: Volatile): Volatile {
    return this.part(vol, p, (v) => this.renameVol(p, v));
  }

  private renameVol(p: number, vol: Volatile): Volatile {
    return {
      ...vol,
      hist: vol.hist.map((m) => this.message(m)),
      sendLog: this.sendLog(p, vol.sendLog),
      dl: this.entries(vol.dl),
      iv: this.vector(vol.iv),
      past: this.records(vol.past),
      lead: vol.lead === null ? null : this.lead(vol.lead),
      // In rsn order, which a renaming keeps.
      replay: vol.replay.map((d) => this.det(d)),
      holds: this.holds(vol.holds),
      boundInc: this.vector(vol.boundInc),
      boundRsn: this.vector(vol.boundRsn),
      pendingAdoption: this.vector(vol.pendingAdoption),
    };
  }

  private stable(stable: Stable): Stable {
    return stable.keptIv === null ? stable : { ...stable, keptIv: this.vector(stable.keptIv) };
  }

  private msg(m: Message): Message {
    const from = this.pid(m.from);
    const to = this.pid(m.to);
    switch (m.kind) {
      case 'app':
        return { ...m, from, to, ssn: this.ssn(m.from, m.ssn), data: this.data(m.data), pb: this.entries(m.pb), past: this.records(m.past) };
      case 'depReq':
        return { ...m, from, to, iv: this.vector(m.iv), rinc: this.vector(m.rinc) };
      case 'depRep':
      case 'depInfo':
        return { ...m, from, to, dets: this.dets(m.dets), iv: this.vector(m.iv) };
      case 'replayReq':
        // The ssn of a send of the addressee.
        return { ...m, from, to, ssn: this.ssn(m.to, m.ssn) };
      case 'incReq':
      case 'incRep':
      case 'resendReq':
      case 'announce':
        return { ...m, from, to };
    }
  }

  state(s: FblState): FblState {
    const procs = new Array<FblState['procs'][number]>(s.procs.length);
    s.procs.forEach((slot, p) => {
      procs[this.pid(p)] = this.part(slot, p, (x) => ({ stable: this.stable(x.stable), vol: x.vol === null ? null : this.vol(p, x.vol) }));
    });
    return {
      procs,
      net: s.net.map((m) => this.part(m, -1, (x) => this.msg(x))),
      global: this.part(s.global, -1, (g) => ({ ...g, sLog: this.dets(g.sLog) })),
      crashes: s.crashes,
    };
  }
}

const STATUS_RANK: Record<Volatile['status'], number> = { Waiting: 1, Replaying: 2, Live: 3 };

function compareSignatures(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** Two different determinants for one delivery (dest = pid, same rsn and destInc) among `dets`, or undefined. */
function clash(dets: readonly number[], pid: number): number | undefined {
  let seen: Map<number, number> | undefined;
  for (const det of dets) {
    const d = unpackDet(det);
    if (d.dest !== pid) continue;
    const key = d.rsn * 16 + d.destInc;
    const who = d.source * 64 + d.ssn;
    seen ??= new Map();
    const known = seen.get(key);
    if (known === undefined) seen.set(key, who);
    else if (known !== who) return d.rsn;
  }
  return undefined;
}

/** The state's renamings under a workload's symmetry, for SystemModelOptions.images. */
export class FblSymmetry {
  private readonly renamers: readonly Renamer[];
  /** Renamer index by permutation (Σ pid[i]·n^i). */
  private readonly byPermutation = new Map<number, number>();

  constructor(
    private readonly config: FblConfig,
    ids: Identities,
    interner: Interner,
    renamings: readonly Renaming[],
  ) {
    this.renamers = renamings.map((r) => new Renamer(r, config.n, ids, interner));
    renamings.forEach((r, k) => this.byPermutation.set(this.key(r.pid), k));
  }

  private key(perm: readonly number[]): number {
    let key = 0;
    for (let i = this.config.n - 1; i >= 0; i--) key = key * this.config.n + perm[i]!;
    return key;
  }

  /** The number of renamings (the order of the group, the identity included). */
  get order(): number {
    return this.renamers.length + 1;
  }

  /**
   * The images whose least fingerprint stands for `state`: its renamings
   * that sort the processes by `signature` (a renaming-invariant summary of
   * each process), trying every order among processes with equal signatures.
   * A renaming g of the state has the same signatures, moved by g, so the
   * sorting renamings of g(s) are those of s composed with g⁻¹ and give the
   * same images: the least fingerprint is the same for the whole orbit. With
   * distinct signatures one image is enough; at worst (all equal) all n!.
   */
  images(state: FblState): FblState[] {
    this.refuseAsymmetricStep(state);
    const out: FblState[] = [];
    for (const perm of this.sortingPermutations(state)) {
      if (perm.every((p, i) => p === i)) out.push(state);
      else out.push(this.renamers[this.byPermutation.get(this.key(perm))!]!.state(state));
    }
    return out;
  }

  /** The image of `state` under renaming #k of the group (the identity is not counted). */
  image(state: FblState, k: number): FblState {
    const r = this.renamers[k];
    if (r === undefined) throw new RangeError(`no renaming #${k} (the group has ${this.order} elements)`);
    return r.state(state);
  }

  /**
   * What a process looks like without its name: crashed or its status, its
   * incarnation and ordinal, the lengths of its history, send log,
   * determinant log, causal past and replay list, whether it leads, its
   * enrollment, whether it is blocked, and how many messages in transit it
   * sent and is to receive. A renaming moves these with the process.
   */
  private signatures(state: FblState): number[][] {
    const n = this.config.n;
    const sent = new Array<number>(n).fill(0);
    const toReceive = new Array<number>(n).fill(0);
    for (const m of state.net) {
      if (m.from < n) sent[m.from]!++;
      if (m.to < n) toReceive[m.to]!++;
    }
    return state.procs.map((slot, p) => {
      const v = slot.vol;
      const head = [slot.stable.inc, slot.stable.ord, sent[p]!, toReceive[p]!];
      if (v === null) return [0, ...head];
      return [
        STATUS_RANK[v.status],
        ...head,
        v.hist.length,
        v.sendLog.length,
        v.dl.length,
        v.past.length,
        v.replay.length,
        v.lead === null ? 0 : 1,
        v.enrolled,
        v.blocked ? 1 : 0,
      ];
    });
  }

  /** The permutations (perm[old pid] = new pid) that sort the processes by signature. */
  private sortingPermutations(state: FblState): number[][] {
    const n = this.config.n;
    const sig = this.signatures(state);
    const order = Array.from({ length: n }, (_, p) => p).sort((a, b) => compareSignatures(sig[a]!, sig[b]!));
    let perms: number[][] = [new Array<number>(n)];
    for (let start = 0; start < n; ) {
      let end = start + 1;
      while (end < n && compareSignatures(sig[order[start]!]!, sig[order[end]!]!) === 0) end++;
      const members = order.slice(start, end);
      const arrangements = permutations(end - start);
      const next: number[][] = [];
      for (const partial of perms) {
        for (const arrangement of arrangements) {
          const perm = partial.slice();
          members.forEach((m, j) => (perm[m] = start + arrangement[j]!));
          next.push(perm);
        }
      }
      perms = next;
      start = end;
    }
    return perms;
  }

  /**
   * Throws if a step from `state` could make RC-11's choice between two
   * determinants for one delivery, the one rule that renamings do not commute
   * with. The inputs of RC-11 (receiveDepInfo) in a step are: a hand-out's
   * dets (depinfo in transit); the leader's collected dets, with a reply's
   * when the reply completes the round (or the responder is dropped); and,
   * in `early-replay`, the up processes' logs at a restart. Checked over
   * every candidate, not only the enabled steps: a superset is still sound.
   */
  private refuseAsymmetricStep(state: FblState): void {
    const refuse = (pid: number, rsn: number): never => {
      throw new UserError(
        `--reduce symmetry: a recovery step here could choose between two determinants for p${pid}'s delivery #${rsn}; that choice depends on process numbering (RC-11 takes the first in determinant order), so renamings do not commute with the rules: check without symmetry`,
        ExitCode.badSpec,
      );
    };
    for (const m of state.net) {
      if (m.kind === 'depInfo') {
        const rsn = clash(m.dets, m.to);
        if (rsn !== undefined) refuse(m.to, rsn);
      } else if (m.kind === 'depRep') {
        const lead = state.procs[m.to]?.vol?.lead;
        if (lead) {
          const rsn = clash([...lead.collected, ...m.dets], m.to);
          if (rsn !== undefined) refuse(m.to, rsn);
        }
      }
    }
    state.procs.forEach((p, pid) => {
      const lead = p.vol?.lead;
      const rsn = lead ? clash(lead.collected, pid) : undefined;
      if (rsn !== undefined) refuse(pid, rsn);
    });
    if (!this.config.variant.waitForHandout) {
      const logs: number[] = [];
      for (const p of state.procs) if (p.vol !== null) for (const e of p.vol.dl) logs.push(entryDet(e));
      state.procs.forEach((p, pid) => {
        const rsn = p.vol === null ? clash(logs, pid) : undefined;
        if (rsn !== undefined) refuse(pid, rsn);
      });
    }
  }
}

/**
 * The symmetry reduction for a configuration: undefined when `symmetry` is
 * off; a UserError when it is on and the workload declares no symmetry (it
 * would be a no-op that the report would still name) or n is too large.
 */
export function fblSymmetry(config: FblConfig, workload: Workload, ids: Identities, interner: Interner): FblSymmetry | undefined {
  if (!config.reductions.symmetry) return undefined;
  if (workload.symmetric !== true) {
    throw new UserError(
      `--reduce symmetry: workload ${workload.id} declares no symmetry (symmetric workloads: ${workloads.filter((w) => w.symmetric === true).map((w) => w.id).join(', ')})`,
      ExitCode.badSpec,
    );
  }
  if (config.n > MAX_SYMMETRIC_N) {
    throw new UserError(`--reduce symmetry: n = ${config.n} has ${config.n}! renamings; symmetry takes n ≤ ${MAX_SYMMETRIC_N}`, ExitCode.badSpec);
  }
  return new FblSymmetry(config, ids, interner, renamingsOf(workload, config.program, config.n));
}
