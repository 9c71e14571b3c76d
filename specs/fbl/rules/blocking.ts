/**
 * The blocking baseline (docs/rules.md § Blocking baseline), the paper's §5
 * comparison: BL-1…BL-5 as deltas over the non-blocking rules. A Live
 * responder blocks from its reply until every process is live again.
 */
import { add, replace, type Delta, type ReceptionRule, type SystemRule } from './unit.js';

/** BL-1 (over RC-7): a Live responder also blocks, in the step that replies. */
export const BL1: Delta = {
  id: 'BL-1',
  name: 'block the responder',
  over: ['RC-7'],
  apply: (rules) =>
    replace(rules, 'RC-7', (rc7) => ({
      ...rc7,
      adopt(c, step, m, reply) {
        rc7.adopt(c, step, m, reply);
        if (step.live(m.to).status === 'Live') step.patch(m.to, { blocked: true });
      },
    })),
};

/**
 * BL-2 (over FF-2, FF-3): a blocked process delivers and discards nothing;
 * it still answers control messages and serves replay and resend requests.
 * Asked before FF-3 (the `reference` reading asks it after FF-3: a blocked
 * process still discards).
 */
export const BL2: Delta = {
  id: 'BL-2',
  name: 'no delivery while blocked',
  over: ['FF-2', 'FF-3'],
  apply: (rules) => add(rules, 'BL-2', blockedWaits, { reception: 'FF-3' }),
};

const blockedWaits: ReceptionRule = {
  id: 'BL-2',
  name: 'BLOCKED',
  phase: 'logging',
  disposition: (_c, vol) => (vol.status === 'Live' && vol.blocked ? 'wait' : undefined),
};

/**
 * BL-3 (over RC-15), not modelled: a recovering process would report Done to
 * its leader after replaying. BL-4's abstract form below does not need it.
 */
export const BL3: Delta = { id: 'BL-3', name: 'report done (not modelled)', over: [], apply: (rules) => rules };

/**
 * BL-4 in its abstract form (as the reference implementations do): once every
 * process is Live, each blocked process unblocks by a step of its own.
 */
export const BL4: Delta = {
  id: 'BL-4',
  name: 'unblock',
  over: [],
  apply: (rules) => add(rules, 'BL-4', unblock, { internal: 'last' }),
};

const unblock: SystemRule<'unblock'> = {
  id: 'BL-4',
  name: 'UNBLOCK',
  phase: 'replay',
  event: 'unblock',
  scope: 'system',
  enabled(_c, state) {
    if (!state.procs.every((p) => p.vol?.status === 'Live')) return [];
    const events: { kind: 'unblock'; pid: number }[] = [];
    state.procs.forEach((p, pid) => {
      if (p.vol!.blocked) events.push({ kind: 'unblock', pid });
    });
    return events;
  },
  label: (c, e) => `unblock ${c.processName(e.pid)}`,
  effect(_c, step, e) {
    step.patch(e.pid, { blocked: false });
  },
};

/**
 * BL-5 (over RC-9), not modelled: on a restart the leader would re-ask only
 * the responders that are not blocked. The leader re-asks every up process,
 * as RC-9 does and as the reference implementations do (also safe).
 */
export const BL5: Delta = { id: 'BL-5', name: 're-ask the unblocked only (not modelled)', over: [], apply: (rules) => rules };

/** The blocking baseline, in the order applied. */
export const blockingBaseline: readonly Delta[] = [BL1, BL2, BL3, BL4, BL5];
