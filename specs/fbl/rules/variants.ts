/**
 * The broken variants (docs/protocol.md § Broken variants) and the
 * `reference` reading, as deltas over the correct rules. Each names the
 * Variant switch (variant.ts) that selects it.
 */
import { allOf, popcount, sortedSetUnion, vectorMax } from '../../../src/index.js';
import { logDets } from '../determinants.js';
import type { FblState } from '../types.js';
import { inDepPhase, pendingFrom } from './gathering.js';
import { NONE } from './logging.js';
import { announcement, holdOnReply, type HoldKeying } from './manetho.js';
import { leaderOf, leadOf, pendingReplays, records } from './queries.js';
import { failedResponders } from './restart.js';
import { NO_EVENTS, add, remove, replace, type Delta, type ProcessRule, type SystemRule } from './unit.js';

/** `naive` (incarnationFilter off; variant (d)): FF-3's incarnation test is skipped at Live processes. */
export const naive: Delta = {
  id: 'naive',
  name: 'no incvector filter',
  over: ['FF-3'],
  apply: (rules) => replace(rules, 'FF-3', (ff3) => ({ ...ff3, stale: (c, vol, m) => vol.status !== 'Live' && ff3.stale(c, vol, m) })),
};

/** `strict-replay-filter` (replayStaleTest 'not-newer'): a Replaying process rejects copies whose tag is not newer (≤). */
export const strictReplayFilter: Delta = {
  id: 'strict-replay-filter',
  name: 'replay rejects the current incarnation',
  over: ['FF-3'],
  apply: (rules) =>
    replace(rules, 'FF-3', (ff3) => ({
      ...ff3,
      stale: (c, vol, m) => (vol.status === 'Replaying' ? m.inc <= vol.iv[m.from]! : ff3.stale(c, vol, m)),
    })),
};

/** `f-hosts` (replication 'f'; variant (c)): FF-1 stops piggybacking once f hosts are known. */
export const fHosts: Delta = {
  id: 'f-hosts',
  name: 'replicate at f hosts',
  over: ['FF-1'],
  apply: (rules) =>
    replace(rules, 'FF-1', (ff1) => ({
      ...ff1,
      piggybacks: (c, hosts) => (hosts & c.stableHostBit) === 0 && popcount(hosts & c.allProcesses) < c.config.f,
    })),
};

/**
 * `no-restart` (restartOnFailure off; variant (b)): instead of RC-9, the
 * leader gives up on each failed responder (crashed, or restarted and
 * Waiting) by a step of its own, and completes once nobody is pending.
 */
export const noRestart: Delta = {
  id: 'no-restart',
  name: 'drop failed responders',
  over: ['RC-9'],
  apply: (rules) => remove(add(rules, 'drop-responder', dropResponder, { internal: 'RC-9' }), 'RC-9'),
};

const dropResponder: SystemRule<'dropResponder'> = {
  id: 'drop-responder',
  name: 'DROPRESPONDER',
  phase: 'restart',
  event: 'dropResponder',
  scope: 'system',
  enabled(c, state) {
    const leader = leaderOf(state);
    if (leader < 0) return NO_EVENTS;
    return failedResponders(c.n, state, leader, (vol) => vol === null || vol.status === 'Waiting').map((failed) => ({
      kind: 'dropResponder',
      pid: leader,
      failed,
    }));
  },
  label: (c, e) => `drop-responder ${c.processName(e.pid)} (${c.processName(e.failed)} failed)`,
  effect(c, step, e) {
    const lead = step.live(e.pid).lead!;
    const pending = lead.pending & ~(1 << e.failed);
    step.patch(e.pid, { lead: { ...lead, pending } });
    if (pending === 0) c.rules['RC-10'].run(c, step, e.pid);
  },
};

/** `unordered-replay` (orderedReplay off; variant (e)): RC-12 asks for, and RC-14 takes, any message of the replay list not delivered yet. */
export const unorderedReplay: Delta = {
  id: 'unordered-replay',
  name: 'replay in arrival order',
  over: ['RC-12', 'RC-14'],
  apply: (rules) =>
    replace(
      replace(rules, 'RC-12', (rc12) => ({ ...rc12, wanted: (c, vol) => pendingReplays(c, vol) })),
      'RC-14',
      (rc14) => ({ ...rc14, expects: (c, vol, m) => pendingReplays(c, vol).some((det) => records(det, m)) }),
    ),
};

/**
 * `early-replay` (waitForHandout off): no gathering, no hand-out; right after
 * RC-2 the restarted process takes, as its hand-out, the union of the logs of
 * the processes up and not Waiting at that moment.
 */
export const earlyReplay: Delta = {
  id: 'early-replay',
  name: 'replay before the hand-out',
  over: ['RC-2'],
  apply: (rules) =>
    replace(rules, 'RC-2', (rc2) => ({
      ...rc2,
      effect(c, step, pid) {
        rc2.effect(c, step, pid);
        let fetched: readonly number[] = [];
        for (const p of step.base.procs) if (p.vol !== null && p.vol.status !== 'Waiting') fetched = sortedSetUnion(fetched, logDets(p.vol.dl));
        c.rules['RC-11'].handOut(c, step, pid, fetched, step.live(pid).iv);
      },
    })),
};

/**
 * `split-adoption` (atomicAdoption off; variant (f), A7): RC-7 replies and
 * only remembers the incvector; an `adopt` step of its own adopts it later.
 */
export const splitAdoption: Delta = {
  id: 'split-adoption',
  name: 'reply and adopt in two steps',
  over: ['RC-7'],
  apply: (rules) =>
    add(
      replace(rules, 'RC-7', (rc7) => ({
        ...rc7,
        adopt(_c, step, m) {
          const vol = step.live(m.to);
          step.patch(m.to, { pendingAdoption: vectorMax(vol.pendingAdoption.length > 0 ? vol.pendingAdoption : vol.iv, m.iv) });
        },
      })),
      'adopt',
      adopt,
      { internal: 'last' },
    ),
};

const adopt: ProcessRule<'adopt'> = {
  id: 'adopt',
  name: 'ADOPT',
  phase: 'gathering',
  event: 'adopt',
  scope: 'process',
  enabled: (_c, _state, pid, vol) => (vol !== null && vol.pendingAdoption.length > 0 ? [{ kind: 'adopt', pid }] : NO_EVENTS),
  label: (c, e) => `adopt ${c.processName(e.pid)}`,
  effect(_c, step, e) {
    const vol = step.live(e.pid);
    step.patch(e.pid, { iv: vectorMax(vol.iv, vol.pendingAdoption), pendingAdoption: NONE });
  },
};

/** `old-round-replies` (replyRoundCheck off; variant (g), A8): RC-8's guard has no round conjunct. */
export const oldRoundReplies: Delta = {
  id: 'old-round-replies',
  name: 'take replies of older rounds',
  over: ['RC-8'],
  apply: (rules) =>
    replace(rules, 'RC-8', (rc8) => ({
      ...rc8,
      guard(_c, state, m) {
        const lead = leadOf(state, m.to);
        return allOf(inDepPhase(lead), pendingFrom(lead, m.from));
      },
    })),
};

/** `live-only-responders` (replayingResponders off; variant (h), A14): RC-6 asks Live processes only. */
export const liveOnlyResponders: Delta = {
  id: 'live-only-responders',
  name: 'ask Live processes only',
  over: ['RC-6'],
  apply: (rules) =>
    replace(rules, 'RC-6', (rc6) => ({
      ...rc6,
      responders(c, step) {
        let responders = 0;
        for (let j = 0; j < c.n; j++) if (step.vol(j)?.status === 'Live') responders |= 1 << j;
        return responders;
      },
    })),
};

/** Half of `no-enrollment` (enrollment off; variant (i), A12): RC-4 answers without enrolling. */
export const noEnrollment: Delta = {
  id: 'no-enrollment',
  name: 'no enrollment',
  over: ['RC-4'],
  apply: (rules) =>
    replace(rules, 'RC-4', (rc4) => ({
      ...rc4,
      effect(_c, step, m) {
        step.out.send({ kind: 'incRep', from: m.to, to: m.from, round: m.round, inc: step.inc(m.to) });
      },
    })),
};

/** The other half of `no-enrollment` (incarnationsInReplies off; variant (i), A13): RC-7's reply carries the zero vector. */
export const noIncarnationsInReplies: Delta = {
  id: 'no-incarnations-in-replies',
  name: 'replies carry no incarnations',
  over: ['RC-7'],
  apply: (rules) => replace(rules, 'RC-7', (rc7) => ({ ...rc7, reply: (c, step, m) => ({ ...rc7.reply(c, step, m), iv: c.zeroVector }) })),
};

/** `no-resend` (resendRequests off; variant (k), A16): RC-15 asks nobody to re-send. */
export const noResend: Delta = {
  id: 'no-resend',
  name: 'no resend requests',
  over: ['RC-15'],
  apply: (rules) => replace(rules, 'RC-15', (rc15) => ({ ...rc15, askResend: () => undefined })),
};

/** Holds keyed by process only (variant (j)). */
const byProcess: HoldKeying = {
  replaces: (h, k) => h.proc === k,
  releases: (h, k) => h.proc === k,
};

/** `manetho-process-holds` (holdsByIncarnation off, with the Manetho-style baseline; variant (j)): MS-2 and MS-4 key holds by process only. */
export const processHolds: Delta = {
  id: 'manetho-process-holds',
  name: 'holds keyed by process',
  over: ['RC-7', 'MS-4'],
  apply: (rules) => replace(replace(rules, 'RC-7', (rc7) => ({ ...rc7, adopt: holdOnReply(byProcess) })), 'MS-4', () => announcement(byProcess)),
};

/**
 * The `reference` reading (README "Literal rules and the reference
 * implementations"): a crashed process's incvector is kept for its restart
 * (RC-1, RC-2), and a blocked process still discards (BL-2 after FF-3).
 */
export const referenceReading: Delta = {
  id: 'reference',
  name: 'the reference implementations\' reading',
  over: ['RC-1', 'RC-2', 'BL-2'],
  apply(rules) {
    const kept = replace(
      replace(rules, 'RC-1', (rc1) => ({
        ...rc1,
        onCrash(c, draft, pid, base) {
          rc1.onCrash(c, draft, pid, base);
          const before = base.procs[pid]!;
          const keptIv = before.vol!.iv;
          (draft as { procs: FblState['procs'] }).procs = draft.procs.map((p, j) =>
            j === pid ? { stable: { ...before.stable, keptIv }, vol: null } : (p as FblState['procs'][number]),
          );
        },
      })),
      'RC-2',
      (rc2) => ({ ...rc2, checkpointIv: (c, base, pid) => base.procs[pid]!.stable.keptIv ?? c.zeroVector }),
    );
    const blocked = kept.units['BL-2'];
    if (blocked === undefined) return kept;
    const reception = kept.reception.filter((id) => id !== 'BL-2');
    const at = reception.indexOf('FF-3') + 1;
    return { ...kept, reception: [...reception.slice(0, at), 'BL-2', ...reception.slice(at)] };
  },
};
