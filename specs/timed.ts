/**
 * Timed experiments over the FBL specs (docs/timing.md): one timed run of a
 * registered spec on the star workload, the reproduction of the paper's §5
 * figures, and the sensitivity sweep over the parameters the paper leaves
 * open. Every run is a sequence of the spec's own actions (simulateTimed).
 */
import {
  resolveParams,
  randomScenario,
  simulateTimed,
  UserError,
  ExitCode,
  type CheckTarget,
  type ParamRecord,
  type TimedResult,
  type TimedScenario,
  type TimingParameters,
} from '../src/index.js';
import { specRegistry } from './index.js';
import { PAPER_TIMING, secondVictim } from './fbl/timing.js';

/** The scenarios of a timed run: one failure, a failure during recovery, random crashes. */
export const TIMED_SCENARIOS = ['s1', 's2', 'random'] as const;
export type TimedScenarioName = (typeof TIMED_SCENARIOS)[number];

/** The paper's testbed had 8 workstations; k = 20 replayed messages gives its 50 ms (docs/timing.md § Calibration). */
export const PAPER_N = 8;
export const PAPER_MESSAGES = 20;

/** One timed run of an FBL spec on the star workload. */
export interface FblTimedRunOptions {
  /** A registered spec id: `nonblocking`, `blocking`, `manetho` (or a broken variant). */
  readonly spec: string;
  /** Processes, 2 … 15. */
  readonly n: number;
  readonly scenario: TimedScenarioName;
  /** k: the messages p0 receives before the crash, and replays after it (default 20). */
  readonly messages?: number;
  /** Departures from PAPER_TIMING. */
  readonly timing?: Partial<TimingParameters>;
  readonly seed?: number;
  /** J ∈ [0, 1): each latency is δ·(1 + J·u), u ∈ [−1, 1] (default 0). */
  readonly jitter?: number;
  /** With `random`: how many crashes (default 2). */
  readonly crashes?: number;
}

/** What one timed run gives: the spec parameters and timing used, the run, and the properties its final state breaks. */
export interface FblTimedRun {
  readonly spec: string;
  readonly params: ParamRecord;
  readonly timing: TimingParameters;
  readonly scenario: TimedScenario;
  readonly target: CheckTarget<unknown, unknown>;
  readonly result: TimedResult<unknown>;
  /** Names of the target's properties that do not hold in the final state (none for the correct algorithms). */
  readonly failing: readonly string[];
}

/**
 * The spec parameters of a timed run: the star workload with k messages, f
 * as large as the scenario's crashes (at most n − 1), and a crash budget of
 * exactly those crashes.
 */
export function timedParams(spec: string, n: number, scenario: TimedScenarioName, messages: number, crashes: number): ParamRecord {
  const definition = specRegistry.find((s) => s.id === spec);
  if (definition === undefined) throw new UserError(`unknown spec ${spec} (rrcheck list shows them)`, ExitCode.badSpec);
  const count = scenario === 's1' ? 1 : scenario === 's2' ? 2 : crashes;
  const f = Math.max(1, Math.min(count, n - 1));
  return resolveParams(definition.params, { workload: 'star', n, messages, f, crashes: count }, definition.id);
}

/** Runs `options.spec` at n processes under one scenario (the owner's `compare` builds on this). */
export function fblTimedRun(options: FblTimedRunOptions): FblTimedRun {
  const messages = options.messages ?? PAPER_MESSAGES;
  const crashes = options.crashes ?? 2;
  const params = timedParams(options.spec, options.n, options.scenario, messages, crashes);
  const definition = specRegistry.find((s) => s.id === options.spec)!;
  const target = definition.build(params);
  const timing = { ...PAPER_TIMING, ...options.timing };
  const hook = target.timing?.(timing);
  if (hook === undefined) throw new UserError(`spec ${options.spec} has no timing`, ExitCode.badSpec);
  const seed = options.seed ?? 1;
  const scenario =
    options.scenario === 'random'
      ? randomScenario(seed, crashes, 2 * (timing.detectMs + timing.restoreMs + 2 * timing.stableWriteMs))
      : hook.scenarios[options.scenario]!;
  const result = simulateTimed(target, hook, scenario, { seed, jitter: options.jitter ?? 0 });
  const failing = target.properties.filter((p) => !p.holds(result.finalState)).map((p) => p.name);
  return { spec: options.spec, params, timing, scenario, target, result, failing };
}

/** Mean blocked time of the processes that never crashed. */
export function liveBlockedMs(result: TimedResult<unknown>): number {
  const live = result.processes.filter((p) => p.recoveries.length === 0 && p.process !== 'S');
  return live.length === 0 ? 0 : live.reduce((sum, p) => sum + p.blockedMs, 0) / live.length;
}

/** Mean held time (Manetho-style) of the processes that never crashed. */
export function liveHeldMs(result: TimedResult<unknown>): number {
  const live = result.processes.filter((p) => p.recoveries.length === 0 && p.process !== 'S');
  return live.length === 0 ? 0 : live.reduce((sum, p) => sum + p.heldMs, 0) / live.length;
}

/** When `process` was live again at the end of its last recovery (NaN: never recovered). */
function recoveredAt(result: TimedResult<unknown>, process: string): number {
  const last = result.processes.find((p) => p.process === process)?.recoveries.at(-1);
  return last?.recoveredMs ?? NaN;
}

/** t_A: when p0 restarted, which starts the gathering (the window of the paper's "about five seconds"). */
function gatheringStart(result: TimedResult<unknown>): number {
  return result.processes.find((p) => p.process === 'p0')?.restartsMs[0] ?? NaN;
}

/**
 * The second phase of s2 (the non-blocking algorithm's extra cost): from the
 * leader's detection of the restarted q (RC-9) until q takes its hand-out;
 * its duration and the incarnation and depinfo messages sent meanwhile.
 */
export function secondPhase(result: TimedResult<unknown>, q: string): { readonly ms: number; readonly messages: number } {
  const start = result.steps.findIndex((s) => s.kind === 'detect-restart');
  const end = result.steps.findIndex((s, i) => i > start && s.kind === 'depInfo' && s.actor === q);
  if (start < 0 || end < 0) return { ms: NaN, messages: NaN };
  const kinds = new Set(['incReq', 'incRep', 'depReq', 'depRep']);
  const messages = result.steps.slice(start, end + 1).reduce((sum, s) => sum + s.sent.filter((k) => kinds.has(k)).length, 0);
  return { ms: result.steps[end]!.endMs - result.steps[start]!.startMs, messages };
}

/** One figure of the paper's §5 and ours. */
export interface PaperFigure {
  /** kebab-case: `s1-blocking-blocked`… */
  readonly id: string;
  readonly scenario: 's1' | 's2';
  readonly spec: string;
  readonly what: string;
  readonly unit: 'ms' | 'messages' | 'ratio';
  /** The paper's figure (null: the paper gives no number). */
  readonly paper: number | null;
  /** The paper's words. */
  readonly paperText: string;
  readonly ours: number;
  /** ours ÷ paper (null without a paper figure, or when it is 0). */
  readonly ratio: number | null;
}

export interface PaperReproduction {
  readonly n: number;
  readonly messages: number;
  readonly timing: TimingParameters;
  readonly figures: readonly PaperFigure[];
  /** The runs behind the figures, by `scenario/spec`. */
  readonly runs: Readonly<Record<string, FblTimedRun>>;
}

/**
 * The paper's §5 figures (n = 8) against ours: S1 and S2 for the
 * non-blocking algorithm and the blocking baseline, and the Manetho-style
 * baseline's figures (the paper has none for it).
 */
export function paperReproduction(options: { readonly timing?: Partial<TimingParameters>; readonly seed?: number; readonly jitter?: number } = {}): PaperReproduction {
  const n = PAPER_N;
  const messages = PAPER_MESSAGES;
  const runs: Record<string, FblTimedRun> = {};
  for (const scenario of ['s1', 's2'] as const) {
    for (const spec of ['nonblocking', 'blocking', 'manetho']) {
      runs[`${scenario}/${spec}`] = fblTimedRun({ spec, n, scenario, messages, ...options });
    }
  }
  const r = (key: string) => runs[key]!.result;
  const q = secondVictim(n);
  const figures: PaperFigure[] = [];
  const add = (f: Omit<PaperFigure, 'ratio'>) => figures.push({ ...f, ratio: f.paper === null || f.paper === 0 ? null : f.ours / f.paper });
  const recovery = (key: string, process: string) => recoveredAt(r(key), process) - (r(key).crashes.find((c) => c.process === process)?.atMs ?? NaN);
  const sinceGathering = (key: string, process: string) => recoveredAt(r(key), process) - gatheringStart(r(key));
  add({ id: 's1-blocking-blocked', scenario: 's1', spec: 'blocking', what: 'blocked time per live process', unit: 'ms', paper: 50, paperText: 'about 50 ms on average', ours: liveBlockedMs(r('s1/blocking')) });
  add({ id: 's1-nonblocking-blocked', scenario: 's1', spec: 'nonblocking', what: 'blocked time per live process', unit: 'ms', paper: 0, paperText: 'did not affect the live processes', ours: liveBlockedMs(r('s1/nonblocking')) });
  add({ id: 's1-nonblocking-recovery', scenario: 's1', spec: 'nonblocking', what: 'recovery time of p0 (crash → live)', unit: 'ms', paper: null, paperText: 'the same under both algorithms', ours: recovery('s1/nonblocking', 'p0') });
  add({ id: 's1-blocking-recovery', scenario: 's1', spec: 'blocking', what: 'recovery time of p0 (crash → live)', unit: 'ms', paper: null, paperText: 'the same under both algorithms', ours: recovery('s1/blocking', 'p0') });
  add({ id: 's1-recovery-ratio', scenario: 's1', spec: 'blocking', what: 'recovery time of p0, blocking ÷ non-blocking', unit: 'ratio', paper: 1, paperText: 'the same', ours: recovery('s1/blocking', 'p0') / recovery('s1/nonblocking', 'p0') });
  for (const spec of ['nonblocking', 'blocking']) {
    for (const process of ['p0', q]) {
      add({ id: `s2-${spec}-recovery-${process}`, scenario: 's2', spec, what: `recovery of ${process}, from the gathering's start`, unit: 'ms', paper: 5000, paperText: 'about five seconds', ours: sinceGathering(`s2/${spec}`, process) });
    }
  }
  add({ id: 's2-blocking-blocked', scenario: 's2', spec: 'blocking', what: 'blocked time per live process', unit: 'ms', paper: 5000, paperText: 'the same amount of time', ours: liveBlockedMs(r('s2/blocking')) });
  add({ id: 's2-nonblocking-blocked', scenario: 's2', spec: 'nonblocking', what: 'blocked time per live process', unit: 'ms', paper: 0, paperText: 'did not affect the live processes', ours: liveBlockedMs(r('s2/nonblocking')) });
  const phase = secondPhase(r('s2/nonblocking'), q);
  add({ id: 's2-nonblocking-second-phase', scenario: 's2', spec: 'nonblocking', what: 'second phase: detection of q → q has its hand-out', unit: 'ms', paper: null, paperText: 'negligible, about milliseconds', ours: phase.ms });
  add({ id: 's2-nonblocking-second-phase-messages', scenario: 's2', spec: 'nonblocking', what: 'second phase: incarnation and depinfo messages (2n − 2)', unit: 'messages', paper: null, paperText: '—', ours: phase.messages });
  add({ id: 's1-manetho-recovery', scenario: 's1', spec: 'manetho', what: 'recovery time of p0 (crash → live)', unit: 'ms', paper: null, paperText: '—', ours: recovery('s1/manetho', 'p0') });
  add({ id: 's1-manetho-held', scenario: 's1', spec: 'manetho', what: 'held time per live process', unit: 'ms', paper: null, paperText: '—', ours: liveHeldMs(r('s1/manetho')) });
  add({ id: 's2-manetho-recovery-p0', scenario: 's2', spec: 'manetho', what: "recovery of p0, from the gathering's start", unit: 'ms', paper: null, paperText: '—', ours: sinceGathering('s2/manetho', 'p0') });
  add({ id: 's2-manetho-held', scenario: 's2', spec: 'manetho', what: 'held time per live process', unit: 'ms', paper: null, paperText: '—', ours: liveHeldMs(r('s2/manetho')) });
  return { n, messages, timing: { ...PAPER_TIMING, ...options.timing }, figures, runs };
}

/** A parameter the sweep varies: one of the timing model's, or k. */
export type SweptParameter = 'detectMs' | 'restoreMs' | 'latencyMs' | 'cpuMs' | 'stableWriteMs' | 'messages';

/** One point of the sweep: the measured figures and their ratios to the closed forms. */
export interface SweepPoint {
  readonly parameter: SweptParameter;
  readonly value: number;
  /** S1, blocking: blocked time per live process, and 2δ + k(2δ + t_app). */
  readonly s1BlockedMs: number;
  readonly s1ReplayMs: number;
  readonly s1Ratio: number;
  /** S1: p0's recovery time, blocking ÷ non-blocking. */
  readonly s1RecoveryRatio: number;
  /** S2, blocking: blocked time per live process, and detection + restore. */
  readonly s2BlockedMs: number;
  readonly s2DetectRestoreMs: number;
  readonly s2Ratio: number;
  /** The non-blocking algorithm's largest blocked time per live process over S1 and S2. */
  readonly nonblockingBlockedMs: number;
}

/** The values the sweep tries: the calibrated one times 1/4, 1/2, 1, 2, 4 (k: 5 … 60). */
export const SWEEP_FACTORS = [0.25, 0.5, 1, 2, 4] as const;
const SWEEP_MESSAGES = [5, 10, 20, 40, 60] as const;

/**
 * Varies each parameter the paper leaves open, one at a time around the
 * calibration, and measures S1 and S2 (n = 8) for the non-blocking algorithm
 * and the blocking baseline. The closed forms the paper's figures pin are
 * 2δ + k(2δ + t_app) for S1 and T_det + T_rest for S2.
 */
export function sensitivitySweep(options: { readonly factors?: readonly number[]; readonly messages?: readonly number[] } = {}): SweepPoint[] {
  const factors = options.factors ?? SWEEP_FACTORS;
  const ks = options.messages ?? SWEEP_MESSAGES;
  const points: SweepPoint[] = [];
  const parameters: SweptParameter[] = ['detectMs', 'restoreMs', 'latencyMs', 'cpuMs', 'stableWriteMs', 'messages'];
  for (const parameter of parameters) {
    const values = parameter === 'messages' ? ks : factors.map((f) => PAPER_TIMING[parameter] * f);
    for (const value of values) {
      const timing: TimingParameters = parameter === 'messages' ? PAPER_TIMING : { ...PAPER_TIMING, [parameter]: value };
      const k = parameter === 'messages' ? value : PAPER_MESSAGES;
      const run = (spec: string, scenario: 's1' | 's2') => fblTimedRun({ spec, n: PAPER_N, scenario, messages: k, timing }).result;
      const [s1nb, s1b, s2nb, s2b] = [run('nonblocking', 's1'), run('blocking', 's1'), run('nonblocking', 's2'), run('blocking', 's2')];
      const recovery = (result: TimedResult<unknown>) => recoveredAt(result, 'p0') - result.crashes[0]!.atMs;
      const s1ReplayMs = 2 * timing.latencyMs + k * (2 * timing.latencyMs + timing.cpuMs);
      const s2DetectRestoreMs = timing.detectMs + timing.restoreMs;
      const s1BlockedMs = liveBlockedMs(s1b);
      const s2BlockedMs = liveBlockedMs(s2b);
      points.push({
        parameter,
        value,
        s1BlockedMs,
        s1ReplayMs,
        s1Ratio: s1BlockedMs / s1ReplayMs,
        s1RecoveryRatio: recovery(s1b) / recovery(s1nb),
        s2BlockedMs,
        s2DetectRestoreMs,
        s2Ratio: s2BlockedMs / s2DetectRestoreMs,
        nonblockingBlockedMs: Math.max(liveBlockedMs(s1nb), liveBlockedMs(s2nb)),
      });
    }
  }
  return points;
}
