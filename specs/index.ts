/**
 * The registry of specs, by the id typed on the command line. Each spec is the
 * FBL logging layer with one recovery algorithm; see README "Protocol model
 * and choices" for every resolution of the paper's ambiguities.
 */
import type { CheckTarget, ParamValue, SpecDefinition } from '../src/index.js';
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
  atomicAdoption: true,
  replyRoundCheck: true,
  replayingResponders: true,
  enrollment: true,
  incarnationsInReplies: true,
  holdsByIncarnation: true,
  replayStaleTest: 'older',
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
  splitAdoption: { id: 'split-adoption', ...correct, atomicAdoption: false },
  oldRoundReplies: { id: 'old-round-replies', ...correct, replyRoundCheck: false },
  liveOnlyResponders: { id: 'live-only-responders', ...correct, replayingResponders: false },
  noEnrollment: { id: 'no-enrollment', ...correct, enrollment: false, incarnationsInReplies: false },
  manethoProcessHolds: { id: 'manetho-process-holds', ...correct, manethoStyle: true, holdsByIncarnation: false },
  noResend: { id: 'no-resend', ...correct, resendRequests: false },
  crashBeyondF: { id: 'crash-beyond-f', ...correct },
  strictReplayFilter: { id: 'strict-replay-filter', ...correct, replayStaleTest: 'not-newer' },
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
    'the paper\'s §5 comparison: a live responder blocks from its depinfo reply until every process is live again (docs/rules.md § Blocking baseline)',
  ),
  fblSpec(
    variants.manetho,
    'FBL + the Manetho-style recovery baseline',
    'the paper\'s §2.2 alternative: no incvector at reply time; each reply written to stable storage; messages that could contradict a reply are held until the recovering process announces what it recovered (docs/rules.md § Manetho-style baseline)',
  ),
  fblSpec(
    variants.naive,
    'broken: no incvector filter',
    'live processes accept messages of any incarnation (restart logic intact; docs/protocol.md variant (d)): violates safety with one failure; with two, the paper\'s §2.2 story',
  ),
  fblSpec(
    variants.noRestart,
    'broken: no gathering restart',
    'the leader drops a responder that failed before replying instead of restarting the gathering (docs/protocol.md variant (b)): violates safety with two failures',
  ),
  fblSpec(
    variants.fHosts,
    'broken: determinants replicated at f hosts',
    'piggybacking stops once f hosts (not f + 1) hold a determinant (docs/protocol.md variant (c)): violates alwaysNoOrphans with no crash, safety after crashes',
  ),
  fblSpec(
    variants.unorderedReplay,
    'broken: replay in arrival order',
    'a replaying process delivers the logged messages in the order they arrive, not in the recorded order (docs/protocol.md variant (e)): violates safety',
  ),
  fblSpec(
    variants.earlyReplay,
    'broken: replay before the hand-out',
    'a restarted process does not wait for the leader: it replays at once from the logs it can fetch then, and no incvector is announced: violates safety',
  ),
  fblSpec(
    variants.splitAdoption,
    'broken: reply and incvector adoption in two steps',
    'a responder replies, and adopts the announced incvector only in a later step (A7, docs/protocol.md variant (f)): a stale message slips in between; violates safety with one failure',
  ),
  fblSpec(
    variants.oldRoundReplies,
    'broken: the leader takes replies of older rounds',
    'after a gathering restart the leader counts a depinfo reply of the previous round (A8, docs/protocol.md variant (g)): violates safety with two failures',
  ),
  fblSpec(
    variants.liveOnlyResponders,
    'broken: only live processes answer depinfo requests',
    'Replaying processes are not asked (A14, docs/protocol.md variant (h)) and never learn a later failure\'s incarnation: violates safety with two failures (workload w5)',
  ),
  fblSpec(
    variants.noEnrollment,
    'broken: no enrollment, no incarnations in replies',
    'a waiting process that answered an incarnation request may lead its own round before its hand-out arrives, and replies carry no incarnations (A12 and A13, docs/protocol.md variant (i)): violates safety with two failures',
  ),
  fblSpec(
    variants.manethoProcessHolds,
    'broken: Manetho-style holds keyed by process only',
    'a hold is replaced and released by any announcement of the process, whatever its incarnation (docs/protocol.md variant (j)): violates safety with two failures',
  ),
  fblSpec(
    variants.noResend,
    'broken: no resend requests after recovery',
    'a recovered process does not ask the other processes to re-send what they logged for it (A16, docs/protocol.md variant (k)): a message is never delivered; violates liveness',
  ),
  fblSpec(
    variants.crashBeyondF,
    'the correct algorithm with one crash more than f',
    'nonblocking with a crash budget of f + 1 by default (docs/protocol.md variant (l)): both f + 1 holders of a determinant can fail; violates recoverability, then safety — the bound f is tight',
    { crashesAboveF: 1 },
  ),
  fblSpec(
    variants.strictReplayFilter,
    'broken: replay rejects copies of the current incarnation',
    'a replaying process rejects a copy whose incarnation is not newer than its incvector entry (≤ instead of <), so it asks again forever: the only violation is a non-progress cycle (liveness)',
  ),
];

export const defaultSpecId = 'nonblocking';

export function findSpec(id: string): SpecDefinition | undefined {
  return specRegistry.find((s) => s.id === id);
}

export type { FblTarget } from './fbl/spec.js';
export { buildFbl } from './fbl/spec.js';
export type { Variant } from './fbl/variant.js';
export { VARIANT_SWITCHES, variantOf, type VariantSwitch } from './fbl/switches.js';
export { parseProgram, programText, randomProgram } from './fbl/userWorkloads.js';

/**
 * How a worker thread of a parallel search builds the target of a
 * registered spec (engine WorkerTarget: this module, this export, the spec
 * id and its resolved parameters), attached to the caller's shared memory.
 */
export function buildRegistered(args: { readonly spec: string; readonly params: Readonly<Record<string, ParamValue>> }, shared: unknown): CheckTarget<unknown, unknown> {
  const spec = specRegistry.find((s) => s.id === args.spec);
  if (spec === undefined) throw new Error(`unknown spec ${args.spec}`);
  return spec.build(args.params, { shared });
}
