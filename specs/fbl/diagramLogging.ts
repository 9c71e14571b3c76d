/**
 * What FBL's logging did along a trace, as diagram events (used by
 * diagram.ts): read from the determinant logs of consecutive states, never
 * from labels.
 *
 * Only the determinants that matter are followed: those of deliveries some
 * process other than the deliverer depends on (in its ghost causal past) at
 * some state of the trace. For each, the processes holding it (their
 * determinant logs, and S's) as they grow, with whether they make f + 1; the
 * first application message each holder sends without it (FF-1 stops
 * piggybacking it: the holder takes it as logged, knowing of the hosts its
 * log entry names, f + 1 in the correct rule and f in `f-hosts`); and the
 * crash after which nobody holds it.
 */
import { popcount, type DeterminantRef, type DiagramEvent, type LaneIncarnation, type MessageContent } from '../../src/index.js';
import type { Identities } from './identities.js';
import type { FblProtocol } from './protocol.js';
import { detDelivery, entryDet, entryHosts, packDet, unpackDet, type FblState, type Message } from './types.js';

/** The lanes of a process mask (bit i = lane i; bit n = S, drawn as lane n). */
export function lanesOf(mask: number): number[] {
  const lanes: number[] = [];
  for (let i = 0; 1 << i <= mask; i++) if (mask & (1 << i)) lanes.push(i);
  return lanes;
}

/** The incarnations of a vector above 0, as data. */
export function incarnationsOf(iv: readonly number[]): LaneIncarnation[] {
  return iv.flatMap((incarnation, lane) => (incarnation > 0 ? [{ lane, incarnation }] : []));
}

/** Lanes as a set for people: `{p0,p1}`. */
export function laneSet(lanes: readonly number[], processes: readonly string[]): string {
  return `{${lanes.map((l) => processes[l]).join(',')}}`;
}

export class LoggingFacts {
  /** f + 1: the hosts a determinant needs to survive any f crashes. */
  readonly needed: number;
  private readonly tracked = new Set<number>();
  /** Determinants by delivery key (detDelivery), named at their delivery. */
  private readonly refs = new Map<number, DeterminantRef>();
  /** Per followed determinant, every lane that held it since it last had no holder. */
  private readonly everHeld = new Map<number, number>();
  /** `lane:key` of the holders that already sent a message without it. */
  private readonly loggedBy = new Set<string>();

  constructor(
    private readonly protocol: FblProtocol,
    private readonly ids: Identities,
    private readonly processes: readonly string[],
    states: readonly FblState[],
    /** The name of the latest application message sent by `source` with `ssn`, if any. */
    private readonly messageName: (source: number, ssn: number) => string | undefined,
  ) {
    this.needed = protocol.config.f + 1;
    for (const state of states) {
      state.procs.forEach((p, pid) => {
        for (const record of p.vol?.past ?? []) {
          const r = ids.recordParts(record);
          if (r.process === pid) continue;
          const msg = ids.messageParts(r.message);
          this.tracked.add(detDelivery(packDet(msg.source, msg.ssn, r.process, r.rsn)));
        }
      });
    }
  }

  /** The determinant of a delivery, named after its message (`#m′`): called at each delivery and replay. */
  delivered(source: number, ssn: number, deliverer: number, rsn: number, messageName: string): DeterminantRef {
    const key = detDelivery(packDet(source, ssn, deliverer, rsn));
    const ref = { name: `#${messageName}`, deliverer, rsn };
    this.refs.set(key, ref);
    return ref;
  }

  /** Whether the determinant of this delivery is followed (some other process depends on it). */
  follows(source: number, ssn: number, deliverer: number, rsn: number): boolean {
    return this.tracked.has(detDelivery(packDet(source, ssn, deliverer, rsn)));
  }

  /** A determinant by its delivery key: as named at its delivery, or after its message's latest name. */
  private ref(key: number): DeterminantRef {
    const known = this.refs.get(key);
    if (known !== undefined) return known;
    const d = unpackDet(key * 16);
    const name = this.messageName(d.source, d.ssn) ?? `${this.processes[d.source]}#${d.ssn}`;
    return { name: `#${name}`, deliverer: d.dest, rsn: d.rsn };
  }

  private refsOf(dets: readonly number[]): DeterminantRef[] {
    const keys = [...new Set(dets.map(detDelivery))];
    return keys.map((key) => this.ref(key));
  }

  /** What a message carries worth drawing: a fresh application message's piggybacked followed determinants; a reply's or hand-out's determinants and incarnations. */
  carries(m: Message, fresh: boolean): MessageContent | undefined {
    switch (m.kind) {
      case 'app': {
        if (!fresh) return undefined;
        const determinants = this.refsOf(m.pb.map(entryDet).filter((det) => this.tracked.has(detDelivery(det))));
        return determinants.length === 0 ? undefined : { determinants };
      }
      case 'depRep':
      case 'depInfo': {
        const determinants = this.refsOf(m.dets);
        // S replies with no incarnation view (an empty vector).
        return m.iv.length === 0 ? { determinants } : { determinants, incarnations: incarnationsOf(m.iv) };
      }
      default:
        return undefined;
    }
  }

  /** The holders of a determinant in a state, as a mask (bit n: S's log). */
  private holders(state: FblState, key: number): number {
    let mask = 0;
    state.procs.forEach((p, pid) => {
      if (p.vol?.dl.some((e) => detDelivery(entryDet(e)) === key)) mask |= 1 << pid;
    });
    if (this.protocol.hasStableHost && state.global.sLog.some((d) => detDelivery(d) === key)) mask |= this.protocol.stableHostBit;
    return mask;
  }

  private enough(mask: number): boolean {
    return (mask & this.protocol.stableHostBit) !== 0 || popcount(mask & this.protocol.allProcesses) >= this.needed;
  }

  /** A count of hosts against f + 1, for the texts: `2/3`, or `S` when stable storage holds it. */
  private tally(mask: number): string {
    return (mask & this.protocol.stableHostBit) !== 0 ? 'at S' : `${popcount(mask & this.protocol.allProcesses)}/${this.needed}`;
  }

  /** Step `time` (before → after): the followed determinants' new hosts, and those nobody holds any more. */
  hostChanges(time: number, before: FblState, after: FblState): DiagramEvent[] {
    const events: DiagramEvent[] = [];
    for (const [key, determinant] of this.refs) {
      if (!this.tracked.has(key)) continue;
      const was = this.holders(before, key);
      const is = this.holders(after, key);
      if (is !== 0) this.everHeld.set(key, (this.everHeld.get(key) ?? 0) | is);
      const hosts = lanesOf(is);
      const stable = this.enough(is);
      for (const lane of lanesOf(is & ~was)) {
        const text = `${determinant.name} held by ${laneSet(hosts, this.processes)}: ${this.tally(is)}${stable ? ', survives f crashes' : ''}`;
        events.push({ kind: 'hosts', time, lane, determinant, hosts, needed: this.needed, stable, text });
      }
      if (was !== 0 && is === 0) {
        const held = lanesOf(this.everHeld.get(key)!);
        this.everHeld.delete(key);
        const lane = lanesOf(was)[0]!;
        const dependents = this.dependents(after, key);
        const beyond = held.length >= this.needed;
        const text =
          dependents.length === 0
            ? `${determinant.name} lost with its host(s) ${laneSet(held, this.processes)}; no process depended on it then`
            : beyond
              ? `${determinant.name} lost: all its ${held.length} hosts ${laneSet(held, this.processes)} crashed, more than f = ${this.needed - 1} crashes`
              : `${determinant.name} lost: its only ${held.length} host(s) ${laneSet(held, this.processes)} crashed, fewer than f + 1 = ${this.needed}`;
        events.push({ kind: 'hostsLost', time, lane, determinant, hosts: held, needed: this.needed, dependents, text });
      }
    }
    return events;
  }

  /** The up processes other than its deliverer whose causal past holds the delivery of a determinant. */
  private dependents(state: FblState, key: number): number[] {
    const d = unpackDet(key * 16);
    const lanes: number[] = [];
    state.procs.forEach((p, pid) => {
      if (pid === d.dest || p.vol === null) return;
      const depends = p.vol.past.some((record) => {
        const r = this.ids.recordParts(record);
        return r.process === d.dest && r.rsn === d.rsn && this.ids.messageSource(r.message) === d.source && this.ids.messageSsn(r.message) === d.ssn;
      });
      if (depends) lanes.push(pid);
    });
    return lanes;
  }

  /**
   * A fresh application message `m` sent at `time`: for each followed
   * determinant its sender holds but did not piggyback, the first time, that
   * the sender takes it as logged.
   */
  sentWithout(time: number, m: Extract<Message, { kind: 'app' }>, after: FblState): DiagramEvent[] {
    const events: DiagramEvent[] = [];
    const carried = new Set(m.pb.map((e) => detDelivery(entryDet(e))));
    for (const entry of after.procs[m.from]!.vol?.dl ?? []) {
      const key = detDelivery(entryDet(entry));
      const seenKey = `${m.from}:${key}`;
      if (!this.tracked.has(key) || carried.has(key) || this.loggedBy.has(seenKey)) continue;
      this.loggedBy.add(seenKey);
      const mask = entryHosts(entry);
      const known = lanesOf(mask);
      const enough = this.enough(mask);
      const determinant = this.ref(key);
      const holders = lanesOf(this.holders(after, key));
      const stale = known.some((l) => !holders.includes(l)) ? `; only ${laneSet(holders, this.processes)} hold it now` : '';
      const text = enough
        ? `takes ${determinant.name} as logged: it knows of hosts ${laneSet(known, this.processes)}, ${this.tally(mask)}${stale}`
        : `takes ${determinant.name} as logged with hosts ${laneSet(known, this.processes)} only: ${this.tally(mask)}, fewer than f + 1${stale}`;
      events.push({ kind: 'logged', time, lane: m.from, determinant, known, needed: this.needed, enough, holders, text });
    }
    return events;
  }
}
