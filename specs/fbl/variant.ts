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
  /** RC-15/A16: a recovered process asks every sender to re-send (false: the brief's variant (k)). */
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
   * The Manetho-style baseline (brief §4.2, MS-0…MS-6): no incvector adoption
   * at reply time; the reply is written to stable storage; messages that could
   * contradict a reply are held until the recovering process announces what
   * it recovered.
   */
  readonly manethoStyle: boolean;
}

export interface FblConfig {
  readonly n: number;
  readonly f: number;
  readonly crashBudget: number;
  readonly network: 'unordered' | 'fifo';
  readonly program: Program;
  readonly variant: Variant;
}
