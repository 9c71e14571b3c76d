/**
 * Time for a spec's steps: what the timed simulation (engine/timed.ts) asks a
 * spec so that it can run the spec's own actions on a clock. The simulation
 * knows no protocol: a spec says, per enabled action, whose CPU it occupies,
 * which in-flight message it consumes, how long it computes and how long it
 * waits after becoming enabled; per state, which messages are in flight and
 * which processes are blocked or recovering. All times are in milliseconds.
 */

/**
 * The parameters of the timing model every rollback-recovery spec shares.
 * A spec's `timing` reads the ones that apply to it.
 */
export interface TimingParameters {
  /** δ: one-way latency of a small control message, its handling included. */
  readonly latencyMs: number;
  /** β: network bandwidth, in megabits per second: a message of b bytes takes b·8/β µs more. */
  readonly bandwidthMbps: number;
  /** From a crash to its detection (time-outs and retries). */
  readonly detectMs: number;
  /** Restoring a checkpoint from stable storage. */
  readonly restoreMs: number;
  /** One synchronous write to stable storage. */
  readonly stableWriteMs: number;
  /** CPU time to execute (or re-execute) one state interval: what an application delivery costs. */
  readonly cpuMs: number;
}

/** A message in flight, as the simulation sees it. */
export interface TimedMessage {
  /** Equal for identical copies, different for messages that differ (the message's content as text). */
  readonly id: string;
  /** The spec's name of its type (`depReq`, `app`…): messages are counted by it. */
  readonly kind: string;
  /** Sender and addressee, named as Model.describe names processes. */
  readonly from: string;
  readonly to: string;
  /** Its size beyond a small control message, in bytes: adds bytes·8/β to its latency. */
  readonly bytes: number;
  /**
   * Its addressee could take it but holds it back (a Manetho-style hold):
   * from its arrival on, the addressee's held time runs.
   */
  readonly held?: boolean;
}

/** What an enabled action costs in time. */
export interface StepTiming {
  /** The process whose CPU it occupies (none: no CPU, as a drop). */
  readonly actor?: string;
  /** The `id` of the in-flight message it consumes or removes: it cannot happen before that message arrives. */
  readonly consumes?: string;
  /** CPU time after which its actor is free again and what it sent leaves. */
  readonly cpuMs: number;
  /** Time it waits after becoming enabled (a restart: detection and restore; an unblock: the Unblock message). */
  readonly waitMs?: number;
}

/** A spec's timing hook over its states `S` and actions `A`. Pure. */
export interface TimingSpec<S, A> {
  /** The processes, named as Model.describe names them, in the order results list them. */
  readonly processes: readonly string[];
  /** The parameters it was built with (δ and β time the messages). */
  readonly parameters: TimingParameters;
  /** The messages in flight in `state`. */
  inFlight(state: S): readonly TimedMessage[];
  /** The timing of enabled action `action` of `state`. */
  step(state: S, action: A): StepTiming;
  /** The processes blocked in `state`: their blocked time runs while they are listed. */
  blocked(state: S): readonly string[];
  /** The processes not live in `state` (crashed or still recovering). */
  recovering(state: S): readonly string[];
  /** The spec's named crash scenarios (`s1`: one failure, `s2`: a failure during recovery…). */
  readonly scenarios: Readonly<Record<string, TimedScenario>>;
}

/**
 * When an injected crash strikes: once nothing else can happen
 * (`quiescent`), at an absolute time, or `delayMs` after a message of `kind`
 * to `to` is sent (before it arrives, when `delayMs` is shorter than δ).
 */
export type CrashTrigger =
  | { readonly quiescent: true }
  | { readonly atMs: number }
  | { readonly onSend: { readonly kind: string; readonly to: string }; readonly delayMs: number };

/** One crash the scenario injects: of `process`, or (absent) of an up process drawn with the run's seed. */
export interface InjectedCrash {
  readonly process?: string;
  readonly when: CrashTrigger;
}

/**
 * The crashes of a timed run, injected in order: a crash's trigger is armed
 * once the crash before it has happened. The scheduler never chooses a
 * crash by itself.
 */
export interface TimedScenario {
  readonly name: string;
  readonly description: string;
  readonly crashes: readonly InjectedCrash[];
}
