/**
 * The timed simulation: a discrete-event run of a model's own actions on a
 * clock. It knows no protocol. In each state it lists the enabled actions,
 * asks the spec's timing hook (core/timing.ts) what each one costs, and takes
 * the one that is ready first; crashes are never chosen by the scheduler but
 * injected by a scenario. The run is therefore one sequence of the model's
 * labels, which replay (trace/replay.ts) reproduces step by step.
 *
 * Time semantics (milliseconds):
 * - an action is ready at the latest of: now; the time it became enabled
 *   plus its wait; the time its actor's CPU is free; the arrival of the
 *   message it consumes (the earliest copy in flight);
 * - the action with the least ready time is taken (ties: by a hash of the
 *   seed and the label, so that the same seed takes the same order); its
 *   effect on the state is atomic at that time, its actor is busy for its
 *   CPU time, and what it sends or enables is ready only after that;
 * - a message sent by a step arrives at its end plus δ·(1 + J·u) plus
 *   bytes·8/β, where u ∈ [−1, 1] is a hash of the seed, the message and how
 *   many identical copies were sent before (so two runs that send the same
 *   message see the same latency, whatever else differs).
 *
 * Measured per process: blocked time (while the hook lists it as blocked),
 * held time (while a message the hook flags as held has arrived for it),
 * each recovery (from the crash to the end of the step after which it is no
 * longer recovering), messages sent by kind and the spec's cost counters
 * (CheckTarget.costs), both counted from the first injected crash on (the
 * failure-free prefix is the same for every recovery algorithm; from the
 * start when the scenario injects none).
 */
import type { CostSpec } from '../core/costs.js';
import type { CheckTarget, Model } from '../core/model.js';
import type { InjectedCrash, TimedMessage, TimedScenario, TimingSpec } from '../core/timing.js';

/** How simulateTimed runs. */
export interface TimedOptions {
  /** Seed of the jitter, the tie-breaks and the victims of crashes that name none (default 1). */
  readonly seed?: number;
  /** J ∈ [0, 1): each message's latency is δ·(1 + J·u), u ∈ [−1, 1] (default 0: no jitter). */
  readonly jitter?: number;
  /** Steps at most (default 100,000): a run that reaches it ends with status `step-limit`. */
  readonly maxSteps?: number;
}

/** One step of a timed run. */
export interface TimedStep {
  readonly label: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly actor?: string;
  /** What kind of step, as Model.describe says (`restart`, `depInfo`, `detect-restart`…). */
  readonly kind?: string;
  /** An injected crash. */
  readonly fault: boolean;
  /** The kinds of the messages it sent, one per copy. */
  readonly sent: readonly string[];
}

/** One recovery of a process: from its crash until it was no longer recovering (null: not by the end of the run). */
export interface TimedRecovery {
  readonly crashMs: number;
  readonly recoveredMs: number | null;
}

/** What one process did and suffered in a timed run. */
export interface TimedProcessResult {
  readonly process: string;
  /** Time the hook listed it as blocked. */
  readonly blockedMs: number;
  /** Time during which a message held back by it had arrived. */
  readonly heldMs: number;
  readonly recoveries: readonly TimedRecovery[];
  /** Sum of its recoveries' durations (null: it never crashed, or a recovery did not end). */
  readonly recoveryMs: number | null;
  /** Start times of its restarts (steps the model describes as `restart`). */
  readonly restartsMs: readonly number[];
  /** Messages it sent, by kind, from the first crash on. */
  readonly sent: Readonly<Record<string, number>>;
  readonly messagesSent: number;
  /** The spec's cost counters attributed to it, by counter name, from the first crash on. */
  readonly costs: Readonly<Record<string, number>>;
}

/** The result of one timed run. */
export interface TimedResult<S> {
  readonly status: 'quiescent' | 'step-limit';
  readonly scenario: string;
  readonly seed: number;
  readonly jitter: number;
  /** The action labels taken, in order: the run as a trace. */
  readonly labels: readonly string[];
  readonly steps: readonly TimedStep[];
  readonly finalState: S;
  /** The crashes injected, in order. */
  readonly crashes: readonly { readonly process: string; readonly atMs: number }[];
  /** Crashes of the scenario that were not injected (their trigger never fired, or the victim was down). */
  readonly crashesNotInjected: number;
  /** Where messages and costs started to be counted: the first crash (0 when the scenario has none). */
  readonly countedFromMs: number;
  /** When the last step ended. */
  readonly endMs: number;
  readonly processes: readonly TimedProcessResult[];
  readonly totals: {
    readonly blockedMs: number;
    readonly heldMs: number;
    readonly messagesSent: number;
    readonly sent: Readonly<Record<string, number>>;
    /** Every counter of the spec's costs (those no process was named for included), by name. */
    readonly costs: Readonly<Record<string, number>>;
  };
  /** The spec's cost counters' groups, by counter name (empty without costs). */
  readonly costGroups: Readonly<Record<string, string>>;
}

const DEFAULT_MAX_STEPS = 100_000;

/**
 * Runs `target`'s model from its first initial state under `timing` and
 * `scenario` until nothing can happen any more (no action and no crash to
 * inject) or `maxSteps`. Deterministic: the same arguments give the same run.
 * Throws RangeError for a jitter outside [0, 1).
 */
export function simulateTimed<S, A>(
  target: CheckTarget<S, A>,
  timing: TimingSpec<S, A>,
  scenario: TimedScenario,
  options: TimedOptions = {},
): TimedResult<S> {
  const seed = options.seed ?? 1;
  const jitter = options.jitter ?? 0;
  if (!(jitter >= 0 && jitter < 1)) throw new RangeError(`jitter must be in [0, 1), not ${jitter}`);
  const run = new Run(target.model, timing, target.costs, seed, jitter, scenario.crashes.length === 0);
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const crashes: { process: string; atMs: number }[] = [];
  let next = 0; // the scenario's next crash to inject
  let dueMs: number | undefined = dueOf(scenario.crashes[0]);
  let notInjected = 0;
  let status: TimedResult<S>['status'] = 'quiescent';
  for (;;) {
    if (run.steps.length >= maxSteps) {
      status = 'step-limit';
      break;
    }
    const best = run.best();
    const crash = scenario.crashes[next];
    // A due crash strikes before any action ready later; a quiescent one once nothing else can happen.
    const strikes = crash !== undefined && (dueMs !== undefined ? best === undefined || dueMs <= best.readyMs : 'quiescent' in crash.when && best === undefined);
    if (strikes) {
      const atMs = dueMs === undefined ? run.quietMs() : Math.max(run.now, dueMs);
      const victim = run.crash(crash, atMs, next);
      if (victim === undefined) notInjected++;
      else crashes.push({ process: victim, atMs });
      next++;
      dueMs = dueOf(scenario.crashes[next]);
      continue;
    }
    if (best === undefined) break;
    const sent = run.take(best.action, best.readyMs, best.timing);
    // An onSend trigger is armed once the crashes before it happened.
    const armed = scenario.crashes[next];
    if (armed !== undefined && dueMs === undefined && 'onSend' in armed.when) {
      const { kind, to } = armed.when.onSend;
      if (sent.some((m) => m.kind === kind && m.to === to)) dueMs = run.lastEndMs + armed.when.delayMs;
    }
  }
  notInjected += scenario.crashes.length - next;
  return run.result(status, scenario.name, crashes, notInjected);
}

/** When an armed crash is due: its time, or undefined (quiescent, or waiting for its message). */
function dueOf(crash: InjectedCrash | undefined): number | undefined {
  return crash !== undefined && 'atMs' in crash.when ? crash.when.atMs : undefined;
}

interface Candidate<A> {
  readonly action: A;
  readonly readyMs: number;
  readonly timing: ReturnType<TimingSpec<unknown, A>['step']>;
}

/** The mutable state of one timed run (local to simulateTimed). */
class Run<S, A> {
  now = 0;
  lastEndMs = 0;
  readonly steps: TimedStep[] = [];
  private state: S;
  private flights: readonly TimedMessage[];
  /** Arrival times of the copies in flight, by message id, earliest first. */
  private readonly arrivals = new Map<string, number[]>();
  /** Copies sent so far, by message id (the jitter's input). */
  private readonly copiesSent = new Map<string, number>();
  private readonly cpuFreeMs = new Map<string, number>();
  /** When each enabled action (by label) became enabled. */
  private enabledSince = new Map<string, number>();
  private visibleMs = 0;
  private blockedNow: readonly string[];
  private recoveringNow: Set<string>;
  private counting = false;
  private countedFromMs = 0;
  private readonly perProcess = new Map<string, ProcessTally>();
  private readonly totals: { blockedMs: number; heldMs: number; messagesSent: number; sent: Record<string, number>; costs: Record<string, number> } = {
    blockedMs: 0,
    heldMs: 0,
    messagesSent: 0,
    sent: {},
    costs: {},
  };

  constructor(
    private readonly model: Model<S, A>,
    private readonly timing: TimingSpec<S, A>,
    private readonly costs: CostSpec<S, A> | undefined,
    private readonly seed: number,
    private readonly jitter: number,
    /** Count from the start: the scenario injects no crash. */
    countAll: boolean,
  ) {
    this.counting = countAll;
    for (const p of timing.processes) this.perProcess.set(p, newTally());
    const init = model.init()[0];
    if (init === undefined) throw new RangeError('the model has no initial state');
    this.state = init;
    this.flights = timing.inFlight(init);
    for (const m of this.flights) this.send(m, 0);
    this.blockedNow = timing.blocked(init);
    this.recoveringNow = new Set(timing.recovering(init));
  }

  private tally(process: string): ProcessTally {
    let t = this.perProcess.get(process);
    if (t === undefined) this.perProcess.set(process, (t = newTally()));
    return t;
  }

  /** When every step taken so far has ended. */
  quietMs(): number {
    return Math.max(this.now, this.lastEndMs, ...this.cpuFreeMs.values());
  }

  /** The enabled action ready first (faults excluded), or undefined when none is enabled. */
  best(): Candidate<A> | undefined {
    const actions = this.model.actions(this.state);
    const since = new Map<string, number>();
    let best: (Candidate<A> & { tie: number }) | undefined;
    for (const action of actions) {
      const label = this.model.label(action);
      since.set(label, this.enabledSince.get(label) ?? this.visibleMs);
      if (this.model.describe?.(this.state, action).fault === true) continue;
      const timing = this.timing.step(this.state, action);
      let ready = Math.max(this.now, since.get(label)! + (timing.waitMs ?? 0));
      if (timing.actor !== undefined) ready = Math.max(ready, this.cpuFreeMs.get(timing.actor) ?? 0);
      if (timing.consumes !== undefined) ready = Math.max(ready, this.arrivals.get(timing.consumes)?.[0] ?? this.now);
      const tie = hash32(label, this.seed);
      if (best === undefined || ready < best.readyMs || (ready === best.readyMs && tie < best.tie)) best = { action, readyMs: ready, timing, tie };
    }
    this.enabledSince = since;
    return best;
  }

  /** Injects `crash` at `atMs`; returns the victim, or undefined when no such crash is enabled. */
  crash(crash: InjectedCrash, atMs: number, index: number): string | undefined {
    const faults: { action: A; actor: string }[] = [];
    for (const action of this.model.actions(this.state)) {
      const d = this.model.describe?.(this.state, action);
      if (d?.fault === true && d.actor !== undefined) faults.push({ action, actor: d.actor });
    }
    const chosen =
      crash.process === undefined
        ? faults[faults.length === 0 ? 0 : hash32(`crash ${index}`, this.seed) % faults.length]
        : faults.find((f) => f.actor === crash.process);
    if (chosen === undefined) return undefined;
    this.take(chosen.action, atMs, { actor: chosen.actor, cpuMs: 0 }, true);
    return chosen.actor;
  }

  /** Takes `action` at `startMs`; returns the messages it sent. */
  take(action: A, startMs: number, timing: Candidate<A>['timing'], fault = false): readonly TimedMessage[] {
    this.advance(startMs);
    if (fault && !this.counting) {
      this.counting = true;
      this.countedFromMs = startMs;
    }
    const before = this.state;
    const description = this.model.describe?.(before, action);
    const after = this.model.next(before, action);
    const endMs = startMs + timing.cpuMs;
    if (timing.actor !== undefined) this.cpuFreeMs.set(timing.actor, endMs);
    const label = this.model.label(action);
    if (description?.kind === 'restart' && description.actor !== undefined) this.tally(description.actor).restartsMs.push(startMs);
    const flights = this.timing.inFlight(after);
    const sent = this.diffFlights(flights, endMs);
    this.steps.push({
      label,
      startMs,
      endMs,
      ...(timing.actor === undefined ? {} : { actor: timing.actor }),
      ...(description?.kind === undefined ? {} : { kind: description.kind }),
      fault,
      sent: sent.map((m) => m.kind),
    });
    if (this.counting) {
      for (const m of sent) {
        const t = this.tally(m.from);
        t.sent[m.kind] = (t.sent[m.kind] ?? 0) + 1;
        t.messagesSent++;
        this.totals.sent[m.kind] = (this.totals.sent[m.kind] ?? 0) + 1;
        this.totals.messagesSent++;
      }
      this.costs?.measure(before, action, after, (counter, amount, process) => {
        const name = this.costs!.counters[counter]!.name;
        this.totals.costs[name] = (this.totals.costs[name] ?? 0) + amount;
        if (process !== undefined) {
          const t = this.tally(process);
          t.costs[name] = (t.costs[name] ?? 0) + amount;
        }
      });
    }
    // Recoveries: a process starts one when it becomes recovering, ends it when it stops.
    const recovering = new Set(this.timing.recovering(after));
    for (const p of recovering) if (!this.recoveringNow.has(p)) this.tally(p).recoveries.push({ crashMs: startMs, recoveredMs: null });
    for (const p of this.recoveringNow) {
      if (recovering.has(p)) continue;
      const episodes = this.tally(p).recoveries;
      const last = episodes[episodes.length - 1];
      if (last !== undefined && last.recoveredMs === null) last.recoveredMs = endMs;
    }
    this.recoveringNow = recovering;
    this.state = after;
    this.flights = flights;
    this.blockedNow = this.timing.blocked(after);
    this.visibleMs = endMs;
    this.lastEndMs = endMs;
    return sent;
  }

  /** Updates the copies in flight from `flights` (the state after a step ending at `endMs`); returns the new ones. */
  private diffFlights(flights: readonly TimedMessage[], endMs: number): TimedMessage[] {
    const count = new Map<string, number>();
    for (const m of flights) count.set(m.id, (count.get(m.id) ?? 0) + 1);
    // Copies gone: the earliest arrivals first (the consumed copy is the earliest one in flight).
    for (const [id, times] of this.arrivals) {
      const keep = count.get(id) ?? 0;
      if (times.length > keep) times.splice(0, times.length - keep);
      if (times.length === 0) this.arrivals.delete(id);
    }
    const sent: TimedMessage[] = [];
    const seen = new Map<string, number>();
    for (const m of flights) {
      const k = (seen.get(m.id) ?? 0) + 1;
      seen.set(m.id, k);
      if (k > (this.arrivals.get(m.id)?.length ?? 0)) {
        this.send(m, endMs);
        sent.push(m);
      }
    }
    return sent;
  }

  /** Puts a copy of `m` in flight, sent at `atMs`. */
  private send(m: TimedMessage, atMs: number): void {
    const copy = this.copiesSent.get(m.id) ?? 0;
    this.copiesSent.set(m.id, copy + 1);
    const p = this.timing.parameters;
    const u = (hash32(`${m.id}#${copy}`, this.seed) / 0xffffffff) * 2 - 1;
    const arrival = atMs + p.latencyMs * (1 + this.jitter * u) + (m.bytes * 8) / (p.bandwidthMbps * 1000);
    const times = this.arrivals.get(m.id);
    if (times === undefined) this.arrivals.set(m.id, [arrival]);
    else {
      times.push(arrival);
      times.sort((a, b) => a - b);
    }
  }

  /** Moves the clock to `toMs`, adding the blocked and held time of the current state. */
  private advance(toMs: number): void {
    const span = toMs - this.now;
    if (span > 0) {
      for (const p of this.blockedNow) {
        this.tally(p).blockedMs += span;
        this.totals.blockedMs += span;
      }
      const heldFrom = new Map<string, number>();
      for (const m of this.flights) {
        if (m.held !== true) continue;
        const arrival = this.arrivals.get(m.id)?.[0] ?? this.now;
        heldFrom.set(m.to, Math.min(heldFrom.get(m.to) ?? Infinity, arrival));
      }
      for (const [p, from] of heldFrom) {
        const held = toMs - Math.max(this.now, from);
        if (held <= 0) continue;
        this.tally(p).heldMs += held;
        this.totals.heldMs += held;
      }
      this.now = toMs;
    }
  }

  result(status: TimedResult<S>['status'], scenario: string, crashes: TimedResult<S>['crashes'], notInjected: number): TimedResult<S> {
    const endMs = Math.max(this.now, this.lastEndMs);
    const names = [...this.timing.processes, ...[...this.perProcess.keys()].filter((p) => !this.timing.processes.includes(p))];
    const processes = names.map((process): TimedProcessResult => {
      const t = this.perProcess.get(process) ?? newTally();
      const ended = t.recoveries.every((r) => r.recoveredMs !== null);
      const recoveryMs = t.recoveries.length === 0 || !ended ? null : t.recoveries.reduce((sum, r) => sum + r.recoveredMs! - r.crashMs, 0);
      return {
        process,
        blockedMs: t.blockedMs,
        heldMs: t.heldMs,
        recoveries: t.recoveries.map((r) => ({ ...r })),
        recoveryMs,
        restartsMs: t.restartsMs,
        sent: t.sent,
        messagesSent: t.messagesSent,
        costs: t.costs,
      };
    });
    const costGroups: Record<string, string> = {};
    for (const c of this.costs?.counters ?? []) costGroups[c.name] = c.group;
    return {
      status,
      scenario,
      seed: this.seed,
      jitter: this.jitter,
      labels: this.steps.map((s) => s.label),
      steps: this.steps,
      finalState: this.state,
      crashes,
      crashesNotInjected: notInjected,
      countedFromMs: this.countedFromMs,
      endMs,
      processes,
      totals: this.totals,
      costGroups,
    };
  }
}

interface ProcessTally {
  blockedMs: number;
  heldMs: number;
  recoveries: { crashMs: number; recoveredMs: number | null }[];
  restartsMs: number[];
  sent: Record<string, number>;
  messagesSent: number;
  costs: Record<string, number>;
}

function newTally(): ProcessTally {
  return { blockedMs: 0, heldMs: 0, recoveries: [], restartsMs: [], sent: {}, messagesSent: 0, costs: {} };
}

/**
 * A random crash schedule: `count` crashes of processes drawn by the run's
 * seed, at times drawn by `seed` uniformly in [0, windowMs], in order.
 */
export function randomScenario(seed: number, count: number, windowMs: number): TimedScenario {
  const times = Array.from({ length: count }, (_, i) => (hash32(`crash time ${i}`, seed) / 0xffffffff) * windowMs).sort((a, b) => a - b);
  return {
    name: 'random',
    description: `${count} crash(es) of processes drawn by the seed, at times drawn uniformly in [0, ${windowMs} ms]`,
    crashes: times.map((atMs) => ({ when: { atMs } })),
  };
}

/** A 32-bit hash of `text` and `seed` (FNV-1a, then a murmur3 finaliser): the run's only source of chance. */
export function hash32(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}
