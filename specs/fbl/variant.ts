/**
 * The switches that tell the specs apart (the correct algorithm, the
 * baselines, the broken variants), and a configuration of the FBL model.
 */
import type { Program } from './workloads.js';

/** What distinguishes the specs (the correct algorithm, baselines, broken variants). */
export interface Variant {
  readonly id: string;
  /** FF-2/FF-3: a Live process rejects messages of dead incarnations (false in `naive`). */
  readonly incarnationFilter: boolean;
  /** BL-1…BL-4: a Live responder blocks from its reply until recovery completes. */
  readonly blocking: boolean;
  /** RC-15/A16: a recovered process asks every sender to re-send (false: `no-resend`, variant (k) of docs/protocol.md). */
  readonly resendRequests: boolean;
  /** FBL's stop rule: piggybacking stops once this many hosts are known (f + 1; `f` is variant (c)). */
  readonly replication: 'f+1' | 'f';
  /** RC-9: a responder that failed before replying restarts the gathering (false: `no-restart`, variant (b), drops it). */
  readonly restartOnFailure: boolean;
  /** RC-12/RC-14: replay follows the recorded order (false: `unordered-replay`, variant (e), takes any logged message as it arrives). */
  readonly orderedReplay: boolean;
  /** RC-11 waits for the leader's hand-out (false: `early-replay` replays at restart from the logs it can fetch then). */
  readonly waitForHandout: boolean;
  /**
   * The Manetho-style baseline (docs/rules.md, MS-0…MS-6): no incvector adoption
   * at reply time; the reply is written to stable storage; messages that could
   * contradict a reply are held until the recovering process announces what
   * it recovered.
   */
  readonly manethoStyle: boolean;
  /** RC-7 (A7): the responder adopts the incvector in the step that replies (false: variant (f), a later `adopt` step). */
  readonly atomicAdoption: boolean;
  /** RC-8 (A8): the leader takes only replies of its current round (false: variant (g) takes older rounds' too). */
  readonly replyRoundCheck: boolean;
  /** RC-6 (A14): Replaying processes answer depinfo requests too (false: variant (h), Live ones only). */
  readonly replayingResponders: boolean;
  /** RC-4 (A12): a Waiting process that answers an incarnation request is enrolled in that round (false: half of variant (i)). */
  readonly enrollment: boolean;
  /** RC-7/RC-8 (A13): replies carry the responder's incarnation view, which the leader merges (false: half of variant (i)). */
  readonly incarnationsInReplies: boolean;
  /** MS-2/MS-4: holds keyed by process and incarnation (false: variant (j), by process only). */
  readonly holdsByIncarnation: boolean;
  /**
   * RC-14: a replaying process rejects a copy whose incarnation tag is older
   * than its incvector entry (`older`); `not-newer` (off by one: ≤) rejects
   * every copy of a sender that never failed, so it asks for it forever.
   */
  readonly replayStaleTest: 'older' | 'not-newer';
}

/** The reductions an FBL check may apply (`--reduce`); each is a switch, and the tests compare verdicts with it on and off. */
export interface FblReductions {
  /** RC-17 made eager: a message whose consuming guard can never hold again is removed without a step of its own. */
  readonly eagerDrop: boolean;
  /**
   * A state and its renamings under the workload's declared symmetry count as
   * one state (symmetry.ts); the protocol's rules never read it.
   */
  readonly symmetry: boolean;
  /** Safe steps are taken alone, ahead of the others (partialOrder.ts; Model.ample). */
  readonly partialOrder: boolean;
}

/**
 * Where the numbered rules of docs/rules.md and the independent reference
 * implementations read the protocol differently (README "Literal mode"):
 * `brief` (the value's name) follows the rules; `reference` follows the
 * references.
 */
export type Reading = 'brief' | 'reference';

export interface FblConfig {
  readonly n: number;
  readonly f: number;
  readonly crashBudget: number;
  readonly network: 'unordered' | 'fifo';
  readonly program: Program;
  readonly variant: Variant;
  readonly reductions: FblReductions;
  readonly reading: Reading;
  /** f = n: the never-failing stable-storage host S takes part (paper §3.3); off leaves it out, as the references do. */
  readonly stableHost: boolean;
}
