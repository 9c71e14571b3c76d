/**
 * Crashes and restarts (docs/rules.md § Restart): RC-1 CRASH, RC-2 RESTART,
 * and RC-9 DETECTRESTART, the gathering's restart when a responder failed.
 */
import type { FblState, Globals } from '../types.js';
import { checkpointVolatile } from './logging.js';
import { anyCrashed, leaderOf } from './queries.js';
import { NO_EVENTS, type CrashRule, type RestartRule, type SystemRule } from './unit.js';

/**
 * RC-1 CRASH: the kit erases the volatile part and counts the crash (within
 * the budget); a leader's unfinished round is marked aborted, so that the
 * next round begun counts as a restart (A11, A20).
 */
export const RC1: CrashRule = {
  id: 'RC-1',
  name: 'CRASH',
  phase: 'restart',
  onCrash(_c, draft, pid, base) {
    if (base.procs[pid]!.vol?.lead) (draft as { global: Globals }).global = { ...base.global, aborted: true };
  },
};

/**
 * RC-2 RESTART: restore the checkpoint (A22), incarnation + 1, a new ordinal
 * from the stable counter (A4), the checkpoint's incvector with the new own
 * incarnation, FF-1 regenerating the initial sends into the send log without
 * sending them; Waiting.
 */
export const RC2: RestartRule = {
  id: 'RC-2',
  name: 'RESTART',
  phase: 'restart',
  checkpointIv: (c) => c.zeroVector,
  effect(c, step, pid) {
    const base = step.base;
    const inc = base.procs[pid]!.stable.inc + 1;
    const ord = base.global.ordCtr + 1;
    step.setGlobal({ ordCtr: ord });
    step.setStable(pid, { inc, ord, keptIv: null });
    const iv = c.rules['RC-2'].checkpointIv(c, base, pid).slice();
    iv[pid] = inc;
    step.setVol(pid, c.rules['FF-1'].run(c, checkpointVolatile(c, 'Waiting', iv), pid, inc, null));
  },
};

/**
 * RC-9 DETECTRESTART ("if q failed goto 4"): once no process is crashed, a
 * leader in its Dep phase whose pending responder has restarted (it failed
 * before its reply arrived) begins a new round as RC-3 does (A8), counted as
 * a restart. One step per leader: every failed responder leads to the same
 * round, so the lowest is named.
 */
export const RC9: SystemRule<'detectRestart'> = {
  id: 'RC-9',
  name: 'DETECTRESTART',
  phase: 'restart',
  event: 'detectRestart',
  scope: 'system',
  enabled(c, state) {
    const leader = leaderOf(state);
    if (leader < 0 || anyCrashed(state)) return NO_EVENTS;
    const failed = failedResponders(c.n, state, leader, (vol) => vol?.status === 'Waiting');
    return failed.length === 0 ? NO_EVENTS : [{ kind: 'detectRestart', pid: leader, failed: failed[0]! }];
  },
  label: (c, e) => `detect-restart ${c.processName(e.pid)} (${c.processName(e.failed)} failed)`,
  effect(c, step, e) {
    step.setGlobal({ restarts: step.global.restarts + 1 });
    c.rules['RC-3'].startRound(c, step, e.pid);
  },
};

/** The pending responders of the leader's Dep phase that `failed` says have failed, in pid order. */
export function failedResponders(
  n: number,
  state: FblState,
  leader: number,
  failed: (vol: FblState['procs'][number]['vol']) => boolean,
): readonly number[] {
  const lead = state.procs[leader]!.vol!.lead!;
  const out: number[] = [];
  if (lead.phase !== 'Dep') return out;
  for (let j = 0; j < n; j++) if (lead.pending & (1 << j) && failed(state.procs[j]!.vol)) out.push(j);
  return out;
}
