/**
 * The properties of docs/protocol.md § Properties, named as in all output: safety (S1), liveness
 * (L1), restartBound (B1 and B2), nonBlocking (N1, N3), alwaysNoOrphans (S3),
 * recoverability (S4).
 * Each has an `explain` that gives a Finding: the orphan, the stuck process
 * or the offending counter as data (subjects with a role and a reason code),
 * and one sentence for people.
 */
import { sortedSetHas, popcount, type DeliveryRef, type Finding, type FindingSubject, type MessageRef, type Property } from '../../src/index.js';
import { detDelivery, entryDet, packDet, type FblState } from './types.js';
import type { Identities } from './identities.js';

export interface PropertyContext {
  readonly n: number;
  readonly f: number;
  readonly ids: Identities;
  /** f = n with the stable host S taking part. */
  readonly stableHost: boolean;
}

/** The first S1 violation: a Live process depending on a delivery a Live process no longer has. */
function findOrphan(state: FblState, ids: Identities): { orphan: number; record: number } | undefined {
  const procs = state.procs;
  for (let j = 0; j < procs.length; j++) {
    const vol = procs[j]!.vol;
    if (vol?.status !== 'Live') continue;
    for (const record of vol.past) {
      const k = procs[ids.recordProcess(record)]!.vol;
      if (k?.status !== 'Live') continue;
      if (k.hist[ids.recordRsn(record) - 1] !== ids.recordMessage(record)) return { orphan: j, record };
    }
  }
  return undefined;
}

function name(pid: number, n: number): string {
  return pid === n ? 'S' : `p${pid}`;
}

function describeMessage(ids: Identities, message: number, n: number): string {
  const m = ids.messageParts(message);
  return `${name(m.source, n)}'s #${m.ssn} (data d${m.data})`;
}

/** An application message (interned id) as data. */
function messageRef(ids: Identities, message: number, n: number): MessageRef {
  const m = ids.messageParts(message);
  return { source: name(m.source, n), ssn: m.ssn, data: m.data };
}

/** A delivery record (interned id) as data: whose delivery, its position, the message. */
function deliveryRef(ids: Identities, record: number, n: number): DeliveryRef {
  const e = ids.recordParts(record);
  return { process: name(e.process, n), rsn: e.rsn, message: messageRef(ids, e.message, n) };
}

/** What a property's explain says of a state where it holds (never asked by the checker). */
function holdsFinding(summary: string): Finding {
  return { summary, reason: 'holds', subjects: [] };
}

export function safety(ctx: PropertyContext): Property<FblState> {
  return {
    name: 'safety',
    kind: 'always',
    category: 'safety',
    description:
      'no orphans: every delivery a live process causally depends on is in its deliverer\'s current history, at the same position, with the same message and data (S1)',
    holds: (s) => findOrphan(s, ctx.ids) === undefined,
    explain: (s) => {
      const found = findOrphan(s, ctx.ids);
      if (!found) return holdsFinding('no orphan');
      const e = ctx.ids.recordParts(found.record);
      const deliverer = s.procs[e.process]!.vol!;
      const actual = deliverer.hist[e.rsn - 1];
      const has = actual === undefined ? `has delivered only ${deliverer.hist.length} message(s)` : `delivered ${describeMessage(ctx.ids, actual, ctx.n)} there`;
      return {
        summary:
          `orphan: ${name(found.orphan, ctx.n)} depends on ${name(e.process, ctx.n)}'s delivery #${e.rsn} ` +
          `(${describeMessage(ctx.ids, e.message, ctx.n)}), but ${name(e.process, ctx.n)}'s recovered state ${has}`,
        reason: 'orphan',
        subjects: [
          {
            process: name(found.orphan, ctx.n),
            role: 'orphan',
            // The deliverer's recovered history is shorter, or holds another message at that position.
            reason: actual === undefined ? 'delivery-lost' : 'delivery-replaced',
            dependsOn: deliveryRef(ctx.ids, found.record, ctx.n),
            detail:
              actual === undefined
                ? { delivererHistory: deliverer.hist.length }
                : { delivererHistory: deliverer.hist.length, replacedBy: { ...messageRef(ctx.ids, actual, ctx.n) } },
          },
        ],
      };
    },
  };
}

/**
 * Why a terminal state is not a good end, or undefined if it is (L1): one
 * subject per problem, each with its sentence (joined by `; ` into the summary).
 */
function stuck(state: FblState, ctx: PropertyContext): Finding | undefined {
  const problems: string[] = [];
  const subjects: FindingSubject[] = [];
  const n = ctx.n;
  state.procs.forEach((p, pid) => {
    if (p.vol === null) {
      problems.push(`${name(pid, n)} is crashed`);
      subjects.push({ process: name(pid, n), role: 'crashed', reason: 'never-restarted' });
    } else if (p.vol.status !== 'Live') {
      problems.push(`${name(pid, n)} is stuck ${p.vol.status}`);
      subjects.push({ process: name(pid, n), role: 'stuck', reason: 'not-live', detail: { status: p.vol.status } });
    } else if (p.vol.blocked) {
      problems.push(`${name(pid, n)} is blocked forever`);
      subjects.push({ process: name(pid, n), role: 'blocked', reason: 'blocked-forever' });
    }
  });
  if (state.net.length > 0) {
    const kinds = state.net.map((m) => `${m.kind} ${name(m.from, n)}→${name(m.to, n)}`);
    problems.push(`${state.net.length} message(s) never consumed: ${kinds.join(', ')}`);
    for (const m of state.net) {
      const message: MessageRef = m.kind === 'app' ? { source: name(m.from, n), ssn: m.ssn, data: m.data, kind: m.kind } : { source: name(m.from, n), kind: m.kind };
      subjects.push({ process: name(m.to, n), role: 'pending', reason: 'never-consumed', message });
    }
  }
  state.procs.forEach((p, pid) => {
    p.vol?.sendLog.forEach((entry, i) => {
      const dest = state.procs[entry.dest]!.vol;
      const message = ctx.ids.message(pid, i + 1, entry.data);
      if (dest !== null && !dest.hist.includes(message)) {
        problems.push(`${name(pid, n)}'s logged message #${i + 1} to ${name(entry.dest, n)} was never delivered`);
        subjects.push({ process: name(entry.dest, n), role: 'undelivered', reason: 'logged-message-undelivered', message: { source: name(pid, n), ssn: i + 1, data: entry.data } });
      }
    });
  });
  return problems.length === 0 ? undefined : { summary: problems.join('; '), reason: 'bad-terminal-state', subjects };
}

export function liveness(ctx: PropertyContext): Property<FblState> {
  return {
    name: 'liveness',
    kind: 'terminal',
    category: 'liveness',
    description:
      'every run ends with every process live and unblocked, the network empty, and every logged message delivered by its destination (L1)',
    holds: (s) => stuck(s, ctx) === undefined,
    explain: (s) => stuck(s, ctx) ?? holdsFinding('a good terminal state'),
  };
}

export function restartBound(ctx: PropertyContext): Property<FblState> {
  const tight = (s: FblState): number => Math.max(0, s.crashes - 1);
  return {
    name: 'restartBound',
    kind: 'always',
    category: 'safety',
    description: 'gathering restarts plus leader take-overs stay ≤ f (B1) and ≤ crashes − 1 (B2)',
    holds: (s) => s.global.restarts <= ctx.f && s.global.restarts <= tight(s),
    explain: (s): Finding => {
      const restarts = s.global.restarts;
      if (restarts > ctx.f) return { summary: `${restarts} restarts > f = ${ctx.f} (B1)`, reason: 'restarts-above-f', subjects: [], detail: { restarts, bound: ctx.f, rule: 'B1' } };
      return { summary: `${restarts} restarts > crashes − 1 = ${tight(s)} (B2)`, reason: 'restarts-above-crashes', subjects: [], detail: { restarts, bound: tight(s), rule: 'B2' } };
    },
  };
}

export function nonBlocking(ctx: PropertyContext): Property<FblState> {
  return {
    name: 'nonBlocking',
    kind: 'always',
    category: 'safety',
    description: 'no live process is ever blocked (N1) or writes to stable storage during a recovery (N3)',
    holds: (s) => s.global.liveStableWrites === 0 && !s.procs.some((p) => p.vol?.status === 'Live' && p.vol.blocked),
    explain: (s): Finding => {
      const blocked = s.procs.flatMap((p, pid) => (p.vol?.status === 'Live' && p.vol.blocked ? [name(pid, ctx.n)] : []));
      if (blocked.length > 0) {
        return {
          summary: `live process ${blocked.join(', ')} blocked by the recovery`,
          reason: 'blocked',
          subjects: blocked.map((process) => ({ process, role: 'blocked', reason: 'blocked-by-recovery' })),
        };
      }
      return {
        summary: 'a live process wrote to stable storage during a recovery (N3)',
        reason: 'stable-write-during-recovery',
        subjects: [],
        detail: { liveStableWrites: s.global.liveStableWrites },
      };
    },
  };
}

/**
 * Log(e) (docs/protocol.md § Vocabulary) as a mask: the surviving processes whose determinant
 * log holds the determinant of delivery record `record`, and bit n for S.
 */
function holders(state: FblState, ctx: PropertyContext, record: number): number {
  const e = ctx.ids.recordParts(record);
  const m = ctx.ids.messageParts(e.message);
  const delivery = detDelivery(packDet(m.source, m.ssn, e.process, e.rsn));
  let log = 0;
  state.procs.forEach((q, pid) => {
    if (q.vol?.dl.some((x) => detDelivery(entryDet(x)) === delivery)) log |= 1 << pid;
  });
  if (state.global.sLog.some((d) => detDelivery(d) === delivery)) log |= 1 << ctx.n;
  return log;
}

/** The names of a holders mask's processes (and S), in pid order. */
function hostNames(mask: number, n: number): string[] {
  const names: string[] = [];
  for (let h = 0; h <= n; h++) if (mask & (1 << h)) names.push(name(h, n));
  return names;
}

/** The first S3 violation in a crash-free state: a dependent outside the ≤ f holders. */
function findUnlogged(state: FblState, ctx: PropertyContext): { record: number; dependent: number } | undefined {
  if (state.crashes > 0) return undefined;
  const seen = new Set<number>();
  const stable = 1 << ctx.n;
  for (const p of state.procs) {
    for (const record of p.vol?.past ?? []) {
      if (seen.has(record)) continue;
      seen.add(record);
      const log = holders(state, ctx, record);
      if (log & stable || popcount(log) > ctx.f) continue;
      for (let j = 0; j < state.procs.length; j++) {
        const v = state.procs[j]!.vol;
        if (v !== null && sortedSetHas(v.past, record) && (log & (1 << j)) === 0) return { record, dependent: j };
      }
    }
  }
  return undefined;
}

export function alwaysNoOrphans(ctx: PropertyContext): Property<FblState> {
  return {
    name: 'alwaysNoOrphans',
    kind: 'always',
    category: 'safety',
    description:
      'FBL\'s condition in every crash-free state: a determinant logged at ≤ f hosts (and not at S) is held by every process that depends on it (S3)',
    holds: (s) => findUnlogged(s, ctx) === undefined,
    explain: (s): Finding => {
      const found = findUnlogged(s, ctx);
      if (!found) return holdsFinding('condition holds');
      const e = ctx.ids.recordParts(found.record);
      const hosts = holders(s, ctx, found.record);
      return {
        summary:
          `${name(found.dependent, ctx.n)} depends on ${name(e.process, ctx.n)}'s delivery #${e.rsn} ` +
          `(${describeMessage(ctx.ids, e.message, ctx.n)}) but does not hold its determinant, which is logged at ≤ f = ${ctx.f} hosts`,
        reason: 'determinant-not-held',
        subjects: [
          {
            process: name(found.dependent, ctx.n),
            role: 'at-risk',
            reason: 'determinant-not-held',
            dependsOn: deliveryRef(ctx.ids, found.record, ctx.n),
            detail: { f: ctx.f, loggedAt: hostNames(hosts, ctx.n) },
          },
        ],
      };
    },
  };
}

/**
 * The first S4 violation: a live process depending on a delivery of a process
 * that is not live, whose determinant no surviving process (nor S) holds.
 */
function findUnrecoverable(state: FblState, ctx: PropertyContext): { dependent: number; record: number } | undefined {
  const procs = state.procs;
  for (let j = 0; j < procs.length; j++) {
    const vol = procs[j]!.vol;
    if (vol?.status !== 'Live') continue;
    for (const record of vol.past) {
      if (procs[ctx.ids.recordProcess(record)]!.vol?.status === 'Live') continue;
      if (holders(state, ctx, record) === 0) return { dependent: j, record };
    }
  }
  return undefined;
}

export function recoverability(ctx: PropertyContext): Property<FblState> {
  return {
    name: 'recoverability',
    kind: 'always',
    category: 'safety',
    description:
      'every delivery a live process depends on, made by a process that is not live, is still logged by a surviving process or S (S4, the early warning of safety)',
    holds: (s) => findUnrecoverable(s, ctx) === undefined,
    explain: (s): Finding => {
      const found = findUnrecoverable(s, ctx);
      if (!found) return holdsFinding('every dependency is recoverable');
      const e = ctx.ids.recordParts(found.record);
      return {
        summary:
          `${name(found.dependent, ctx.n)} depends on ${name(e.process, ctx.n)}'s delivery #${e.rsn} ` +
          `(${describeMessage(ctx.ids, e.message, ctx.n)}), whose determinant no surviving process${ctx.stableHost ? ' nor S' : ''} holds`,
        reason: 'determinant-lost',
        subjects: [
          {
            process: name(found.dependent, ctx.n),
            role: 'at-risk',
            reason: 'determinant-lost',
            dependsOn: deliveryRef(ctx.ids, found.record, ctx.n),
            detail: { delivererStatus: s.procs[e.process]!.vol?.status ?? 'Crashed' },
          },
        ],
      };
    },
  };
}

export function fblProperties(ctx: PropertyContext): readonly Property<FblState>[] {
  return [safety(ctx), liveness(ctx), restartBound(ctx), nonBlocking(ctx), alwaysNoOrphans(ctx), recoverability(ctx)];
}
