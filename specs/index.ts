/**
 * The registry of specs, by the id typed on the command line. Each spec is the
 * FBL logging layer with one recovery algorithm; see README "Protocol model
 * and choices" for every resolution of the paper's ambiguities.
 */
import type { SpecDefinition } from '../src/index.js';
import { fblSpec } from './fbl/spec.js';
import type { Variant } from './fbl/variant.js';

const correct = {
  incarnationFilter: true,
  blocking: false,
  resendRequests: true,
  replication: 'f+1',
  restartOnFailure: true,
  orderedReplay: true,
  waitForHandout: true,
  manethoStyle: false,
} as const;

export const variants = {
  nonblocking: { id: 'nonblocking', ...correct },
  blocking: { id: 'blocking', ...correct, blocking: true },
  manetho: { id: 'manetho', ...correct, manethoStyle: true },
  naive: { id: 'naive', ...correct, incarnationFilter: false },
  noRestart: { id: 'no-restart', ...correct, restartOnFailure: false },
  fHosts: { id: 'f-hosts', ...correct, replication: 'f' },
  unorderedReplay: { id: 'unordered-replay', ...correct, orderedReplay: false },
  earlyReplay: { id: 'early-replay', ...correct, waitForHandout: false },
} as const satisfies Record<string, Variant>;

export const specRegistry: readonly SpecDefinition[] = [
  fblSpec(
    variants.nonblocking,
    'FBL + the 1995 non-blocking recovery',
    "Elnozahy's algorithm (PODC 1995): incarnation gathering, depinfo gathering with incvector adoption, restarts on failures during recovery; live processes never block",
  ),
  fblSpec(
    variants.blocking,
    'FBL + the blocking recovery baseline',
    'the paper\'s §5 comparison: a live responder blocks from its depinfo reply until every recovery has completed (brief §4.1)',
  ),
  fblSpec(
    variants.manetho,
    'FBL + the Manetho-style recovery baseline',
    'the paper\'s §2.2 alternative: no incvector at reply time; each reply written to stable storage; messages that could contradict a reply are held until the recovering process announces what it recovered (brief §4.2)',
  ),
  fblSpec(
    variants.naive,
    'broken: no incvector filter',
    'live processes accept messages of any incarnation (restart logic intact): violates safety with one failure; with two, the paper\'s §2.2 story',
  ),
  fblSpec(
    variants.noRestart,
    'broken: no gathering restart',
    'the leader drops a responder that failed before replying instead of restarting the gathering (brief §5 (b)): violates safety with two failures',
  ),
  fblSpec(
    variants.fHosts,
    'broken: determinants replicated at f hosts',
    'piggybacking stops once f hosts (not f + 1) hold a determinant (brief §5 (c)): violates alwaysNoOrphans with no crash, safety after crashes',
  ),
  fblSpec(
    variants.unorderedReplay,
    'broken: replay in arrival order',
    'a replaying process delivers the logged messages in the order they arrive, not in the recorded order (brief §5 (e)): violates safety',
  ),
  fblSpec(
    variants.earlyReplay,
    'broken: replay before the hand-out',
    'a restarted process does not wait for the leader: it replays at once from the logs it can fetch then, and no incvector is announced: violates safety',
  ),
];

export const defaultSpecId = 'nonblocking';

export function findSpec(id: string): SpecDefinition | undefined {
  return specRegistry.find((s) => s.id === id);
}

export type { FblTarget } from './fbl/spec.js';
export { buildFbl } from './fbl/spec.js';
export type { Variant } from './fbl/variant.js';
