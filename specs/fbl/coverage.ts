/**
 * Coverage points of the FBL specs: which protocol step each transition is,
 * where a crash struck (what the crashed process was doing), and which
 * recovery paths were taken (gathering restarts, leader take-overs, rounds
 * recovering several processes, recoveries completed). `rrcheck check
 * --coverage` reports them and a gate entry can require them, so a bound too
 * small to exercise a recovery path cannot pass unnoticed.
 *
 * Only points the variant and configuration can reach are declared: `drop`
 * needs two crashes or more (a dropped message is of a round or a hand-out
 * that a later failure made useless), `unblock` exists in the blocking
 * baseline only, `adopt` in `split-adoption` only, `announce` and `discard-orphan` in the
 * Manetho-style one only, `detect-restart` only where failed
 * responders restart the gathering, `drop-responder` only where they do not,
 * `flush` only with f = n. A declared point never reached is then news.
 */
import type { CoveragePoint, CoverageSpec, SystemAction } from '../../src/index.js';
import type { AppDisposition, FblProtocol } from './protocol.js';
import type { FblState, InternalEvent, Message, Volatile } from './types.js';

type Action = SystemAction<InternalEvent>;

const STEPS = 'protocol steps';
const CRASHES = 'crashes, by what the crashed process was doing';
const RECOVERY = 'recovery paths';

interface Point extends CoveragePoint {
  /** Whether this configuration can reach the point at all. */
  readonly when?: (p: FblProtocol) => boolean;
}

const stepPoints: readonly Point[] = [
  { name: 'deliver', group: STEPS, description: 'a live process delivers an application message (FF-2)' },
  { name: 'replay', group: STEPS, description: 'a replaying process delivers a logged message (RC-14)' },
  { name: 'discard-duplicate', group: STEPS, description: 'a message already delivered is removed' },
  { name: 'discard-stale', group: STEPS, description: 'a message of a dead incarnation is rejected (FF-3)' },
  {
    name: 'discard-orphan',
    group: STEPS,
    description: 'a message contradicting an announced recovery is rejected (MS-6)',
    when: (p) => p.config.variant.manethoStyle,
  },
  { name: 'incarnation-request', group: STEPS, description: 'a waiting process answers the leader with its incarnation (RC-4)' },
  { name: 'incarnation-reply', group: STEPS, description: 'the leader collects an incarnation (RC-5)' },
  { name: 'depinfo-request', group: STEPS, description: 'a responder replies with its log and adopts the incvector (RC-7)' },
  { name: 'depinfo-reply', group: STEPS, description: 'the leader collects a depinfo reply (RC-8)' },
  { name: 'depinfo', group: STEPS, description: 'a recovering process receives the hand-out (RC-11)' },
  { name: 'replay-request', group: STEPS, description: 'a sender serves a logged message for replay (RC-13)' },
  { name: 'resend-request', group: STEPS, description: 'a process re-sends what it logged for a recovered one (RC-16)' },
  {
    name: 'drop',
    group: STEPS,
    description: 'a protocol message is dropped by a step of its own (RC-7, RC-11, RC-17)',
    when: (p) => p.crashBudget >= 2,
  },
  { name: 'unblock', group: STEPS, description: 'a blocked process is released once every process is live (BL-4)', when: (p) => p.config.variant.blocking },
  {
    name: 'adopt',
    group: STEPS,
    description: 'a responder adopts the incvector after its reply (variant (f))',
    when: (p) => !p.config.variant.atomicAdoption,
  },
  {
    name: 'announce',
    group: STEPS,
    description: 'a process learns what a recovered process recovered (MS-4)',
    when: (p) => p.config.variant.manethoStyle,
  },
  { name: 'begin-round', group: STEPS, description: 'the lowest-ordinal waiting process begins a round (RC-3)' },
  {
    name: 'detect-restart',
    group: STEPS,
    description: 'the leader restarts the gathering after a responder failed (RC-9)',
    when: (p) => p.config.variant.restartOnFailure,
  },
  {
    name: 'drop-responder',
    group: STEPS,
    description: 'the leader gives up on a failed responder (variant (b))',
    when: (p) => !p.config.variant.restartOnFailure,
  },
  { name: 'ask-replay', group: STEPS, description: 'a replaying process asks for its next logged message (RC-12)' },
  { name: 'flush', group: STEPS, description: 'a process writes its determinants to the stable host S (FF-4)', when: (p) => p.hasStableHost },
  { name: 'crash', group: STEPS, description: 'a process crashes (RC-1)' },
  { name: 'restart', group: STEPS, description: 'a crashed process restarts from stable storage (RC-2)' },
];

const crashPoints: readonly Point[] = [
  { name: 'crash-leader-inc', group: CRASHES, description: 'leader crashed during incarnation gathering' },
  { name: 'crash-leader-dep', group: CRASHES, description: 'leader crashed during depinfo gathering' },
  { name: 'crash-responder', group: CRASHES, description: 'responder crashed before replying to the leader' },
  { name: 'crash-waiting', group: CRASHES, description: 'recovering process crashed while waiting for a round' },
  { name: 'crash-replaying', group: CRASHES, description: 'recovering process crashed while replaying' },
  { name: 'crash-live-recovery', group: CRASHES, description: 'live process crashed while another one recovers' },
  { name: 'crash-live-idle', group: CRASHES, description: 'live process crashed with no recovery under way' },
];

const recoveryPoints: readonly Point[] = [
  {
    name: 'gathering-restart',
    group: RECOVERY,
    description: 'gathering restarted because a responder failed (detect-restart)',
    when: (p) => p.config.variant.restartOnFailure,
  },
  { name: 'leader-take-over', group: RECOVERY, description: 'a waiting process took over from a leader that died mid-round' },
  { name: 'joint-round', group: RECOVERY, description: 'a round began that recovers two or more processes at once' },
  { name: 'recovered', group: RECOVERY, description: 'a recovering process finished replaying and became live' },
];

function isLive(vol: Volatile | null): boolean {
  return vol !== null && vol.status === 'Live';
}

/** The coverage classification of one FBL configuration. */
export function fblCoverage(protocol: FblProtocol): CoverageSpec<FblState, unknown> {
  const points = [...stepPoints, ...crashPoints, ...recoveryPoints].filter((p) => p.when?.(protocol) ?? true);
  const index = new Map(points.map((p, i) => [p.name, i]));
  /** Index of a declared point; -1 for one this configuration cannot reach (never hit). */
  const at = (name: string): number => index.get(name) ?? -1;
  const message: Record<Message['kind'], number> = {
    app: -1,
    incReq: at('incarnation-request'),
    incRep: at('incarnation-reply'),
    depReq: at('depinfo-request'),
    depRep: at('depinfo-reply'),
    depInfo: at('depinfo'),
    replayReq: at('replay-request'),
    resendReq: at('resend-request'),
    announce: at('announce'),
  };
  const disposition: Record<Exclude<AppDisposition, 'wait'>, number> = {
    deliver: at('deliver'),
    replay: at('replay'),
    duplicate: at('discard-duplicate'),
    stale: at('discard-stale'),
    orphan: at('discard-orphan'),
  };
  const internal: Record<InternalEvent['kind'], number> = {
    beginRound: at('begin-round'),
    detectRestart: at('detect-restart'),
    dropResponder: at('drop-responder'),
    askReplay: at('ask-replay'),
    flush: at('flush'),
    unblock: at('unblock'),
    adopt: at('adopt'),
  };
  const drop = at('drop');
  const crash = at('crash');
  const restart = at('restart');
  const crashLeaderInc = at('crash-leader-inc');
  const crashLeaderDep = at('crash-leader-dep');
  const crashResponder = at('crash-responder');
  const crashWaiting = at('crash-waiting');
  const crashReplaying = at('crash-replaying');
  const crashLiveRecovery = at('crash-live-recovery');
  const crashLiveIdle = at('crash-live-idle');
  const gatheringRestart = at('gathering-restart');
  const takeOver = at('leader-take-over');
  const jointRound = at('joint-round');
  const recovered = at('recovered');

  /** Where a crash of `pid` in `state` strikes: the first of the crash points that fits. */
  const crashPoint = (state: FblState, pid: number): number => {
    const vol = state.procs[pid]!.vol!;
    if (vol.lead !== null) return vol.lead.phase === 'Inc' ? crashLeaderInc : crashLeaderDep;
    for (const p of state.procs) if (p.vol?.lead && (p.vol.lead.pending & (1 << pid)) !== 0) return crashResponder;
    if (vol.status === 'Waiting') return crashWaiting;
    if (vol.status === 'Replaying') return crashReplaying;
    return state.procs.every((p) => isLive(p.vol)) ? crashLiveIdle : crashLiveRecovery;
  };

  return {
    points: points.map(({ name, group, description }) => ({ name, group, description })),
    gauges: [
      { name: 'max-restarts', description: 'gathering restarts plus leader take-overs in one run', measure: (s: FblState) => s.global.restarts },
      { name: 'max-down', description: 'processes crashed or recovering at the same time', measure: (s: FblState) => s.procs.filter((p) => !isLive(p.vol)).length },
    ],
    classify(before: FblState, raw: unknown, after: FblState, hit: (point: number) => void): void {
      const action = raw as Action;
      const hitIf = (i: number): void => {
        if (i >= 0) hit(i);
      };
      switch (action.kind) {
        case 'message': {
          const m = before.net[action.index]!;
          if (m.kind === 'app') {
            const d = protocol.appDisposition(before, m);
            if (d !== 'wait') hitIf(disposition[d]);
          } else hitIf(message[m.kind]);
          break;
        }
        case 'drop':
          hitIf(drop);
          break;
        case 'internal': {
          const e = action.event;
          hitIf(internal[e.kind]);
          if (e.kind === 'detectRestart') hitIf(gatheringRestart);
          if (e.kind === 'beginRound' && before.global.aborted) hitIf(takeOver);
          if (e.kind === 'beginRound' || e.kind === 'detectRestart') {
            // The round's R: the processes waiting when it begins.
            if (before.procs.filter((p) => p.vol?.status === 'Waiting').length >= 2) hitIf(jointRound);
          }
          break;
        }
        case 'crash':
          hitIf(crash);
          hitIf(crashPoint(before, action.pid));
          return;
        case 'restart':
          // (early-replay can recover within the restart step itself)
          hitIf(restart);
          break;
      }
      for (let pid = 0; pid < after.procs.length; pid++) {
        if (!isLive(before.procs[pid]!.vol) && isLive(after.procs[pid]!.vol)) hitIf(recovered);
      }
    },
  };
}
