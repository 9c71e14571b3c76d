/**
 * The timed runs of the FBL specs: the paper's §5 figures reproduced within
 * 10 %, the sensitivity sweep's ratios, every run a trace the checker
 * replays, seeded jitter, random schedules, and the star workload.
 */
import { describe, expect, it } from 'vitest';
import { replayLabels, resolveParams, type Model } from '../../src/index.js';
import { specRegistry } from '../../specs/index.js';
import { starProgram } from '../../specs/fbl/workloads.js';
import { PAPER_TIMING } from '../../specs/fbl/timing.js';
import { fblTimedRun, liveBlockedMs, paperReproduction, secondPhase, sensitivitySweep, type FblTimedRun } from '../../specs/timed.js';

const paper = paperReproduction();
const figure = (id: string) => {
  const f = paper.figures.find((x) => x.id === id);
  if (f === undefined) throw new Error(`no figure ${id}`);
  return f;
};

/** The run's labels replayed by the checker from the initial state reach the run's final state. */
function expectReplays(run: FblTimedRun): void {
  const model = run.target.model as Model<unknown, unknown>;
  const replayed = replayLabels(model, run.result.labels);
  expect(replayed.status).toBe('ok');
  const [a, b] = [new Uint32Array(2), new Uint32Array(2)];
  model.fingerprint(replayed.states.at(-1), a);
  model.fingerprint(run.result.finalState, b);
  expect([...a]).toEqual([...b]);
}

describe("the paper's §5, n = 8, k = 20, calibrated parameters", () => {
  it('S1: the blocking baseline blocks each live process about 50 ms (within 10 %): 2δ + k(2δ + t_app) plus the copies\' transmission', () => {
    const f = figure('s1-blocking-blocked');
    expect(f.paper).toBe(50);
    expect(Math.abs(f.ratio! - 1)).toBeLessThanOrEqual(0.1);
    // 50 ms, plus 20 copies of 1,024 bytes and the replies' 21 determinants of 16 bytes at 155 Mb/s.
    expect(f.ours).toBeCloseTo(50 + (20 * 1024 * 8) / 155_000 + (21 * 16 * 8) / 155_000, 6);
    // Every live process, not only on average.
    for (const p of paper.runs['s1/blocking']!.result.processes.slice(1)) expect(p.blockedMs).toBeCloseTo(f.ours, 9);
  });

  it('S1: the non-blocking algorithm blocks nobody, and p0 recovers in exactly the same time under both (≈ 5.08 s)', () => {
    expect(figure('s1-nonblocking-blocked').ours).toBe(0);
    expect(paper.runs['s1/nonblocking']!.result.totals.blockedMs).toBe(0);
    expect(figure('s1-blocking-recovery').ours).toBe(figure('s1-nonblocking-recovery').ours);
    expect(figure('s1-recovery-ratio').ours).toBe(1);
    // t_B = T_det + T_rest + 2λ_sw + 2δ + k(2δ + t_app), plus transmission.
    expect(figure('s1-nonblocking-recovery').ours).toBeCloseTo(5081.07, 1);
  });

  it('S2: both recovering processes need about five seconds from the gathering\'s start (within 10 %), under both algorithms', () => {
    for (const id of ['s2-nonblocking-recovery-p0', 's2-nonblocking-recovery-p7', 's2-blocking-recovery-p0', 's2-blocking-recovery-p7']) {
      const f = figure(id);
      expect(f.paper).toBe(5000);
      expect(Math.abs(f.ratio! - 1), id).toBeLessThanOrEqual(0.1);
    }
    expect(figure('s2-blocking-recovery-p0').ours).toBe(figure('s2-nonblocking-recovery-p0').ours);
    expect(figure('s2-nonblocking-recovery-p0').ours).toBeCloseTo(5079.47, 1);
    expect(figure('s2-nonblocking-recovery-p7').ours).toBeCloseTo(5035.54, 1);
  });

  it('S2: the blocking baseline blocks each live process about as long (within 10 % of 5 s); the non-blocking algorithm blocks nobody', () => {
    const f = figure('s2-blocking-blocked');
    expect(Math.abs(f.ratio! - 1)).toBeLessThanOrEqual(0.1);
    expect(f.ours).toBeCloseTo(figure('s2-blocking-recovery-p0').ours, 9);
    expect(figure('s2-nonblocking-blocked').ours).toBe(0);
  });

  it("S2: the non-blocking second phase costs a few milliseconds (5δ: IncReq/IncRep, DepReq/DepRep, DepInfo) and 2n − 2 = 14 messages", () => {
    expect(figure('s2-nonblocking-second-phase-messages').ours).toBe(14);
    const ms = figure('s2-nonblocking-second-phase').ours;
    expect(Math.abs(ms / (5 * PAPER_TIMING.latencyMs) - 1)).toBeLessThanOrEqual(0.1);
  });

  it('the Manetho-style baseline pays one synchronous stable write per gathering on its critical path, and holds nothing on the star', () => {
    expect(figure('s1-manetho-recovery').ours - figure('s1-nonblocking-recovery').ours).toBeCloseTo(PAPER_TIMING.stableWriteMs, 9);
    expect(figure('s2-manetho-recovery-p0').ours - figure('s2-nonblocking-recovery-p0').ours).toBeCloseTo(PAPER_TIMING.stableWriteMs, 9);
    expect(figure('s1-manetho-held').ours).toBe(0);
    expect(figure('s2-manetho-held').ours).toBe(0);
  });

  it('every run of the reproduction ends quiescent, with the crashes it meant, and the correct algorithms break no property there', () => {
    for (const [key, run] of Object.entries(paper.runs)) {
      expect(run.result.status, key).toBe('quiescent');
      expect(run.result.crashes.map((c) => c.process), key).toEqual(key.startsWith('s1') ? ['p0'] : ['p0', 'p7']);
      expect(run.result.crashesNotInjected, key).toBe(0);
      // The Manetho-style baseline's live processes write to stable storage during recovery, which nonBlocking forbids.
      expect(run.failing, key).toEqual(key.endsWith('manetho') ? ['nonBlocking'] : []);
    }
  });

  it("every run of the reproduction is a sequence of the spec's actions: the checker replays its labels to its final state", () => {
    for (const run of Object.values(paper.runs)) expectReplays(run);
  });
});

describe('the sensitivity sweep', () => {
  it('for any choice of the open parameters, blocked ≈ replay time for one failure and ≈ detection + restore for two (within 10 %); recovery times equal; non-blocking 0', () => {
    const points = sensitivitySweep({ factors: [0.25, 4], messages: [5, 60] });
    expect(points).toHaveLength(12);
    for (const p of points) {
      const where = `${p.parameter} = ${p.value}`;
      expect(p.s1Ratio, where).toBeGreaterThanOrEqual(1);
      expect(p.s1Ratio, where).toBeLessThanOrEqual(1.1);
      expect(p.s2Ratio, where).toBeGreaterThanOrEqual(1);
      expect(p.s2Ratio, where).toBeLessThanOrEqual(1.1);
      expect(p.s1RecoveryRatio, where).toBe(1);
      expect(p.nonblockingBlockedMs, where).toBe(0);
    }
    // The figures do move with the parameters: S2's blocked time follows T_det.
    const detect = points.filter((p) => p.parameter === 'detectMs').map((p) => p.s2BlockedMs);
    expect(detect[1]! - detect[0]!).toBeCloseTo(PAPER_TIMING.detectMs * (4 - 0.25), 6);
  });
});

describe('timed runs', () => {
  it('jitter is seeded: the same seed gives the same figures; another seed other times, the same messages and verdict', () => {
    const run = (seed: number) => fblTimedRun({ spec: 'blocking', n: 8, scenario: 's2', seed, jitter: 0.3 });
    const [a, b, c] = [run(1), run(1), run(2)];
    expect(a.result.processes).toEqual(b.result.processes);
    expect(a.result.labels).toEqual(b.result.labels);
    expect(c.result.endMs).not.toBe(a.result.endMs);
    expect(liveBlockedMs(c.result)).not.toBe(liveBlockedMs(a.result));
    expect(c.result.totals.sent).toEqual(a.result.totals.sent);
    expect(c.failing).toEqual(a.failing);
    expect(c.failing).toEqual([]);
    // Jitter of 30 % moves the 5-second figures by far less than 10 %.
    expect(Math.abs(liveBlockedMs(c.result) / 5000 - 1)).toBeLessThanOrEqual(0.1);
    expectReplays(c);
  });

  it('random crash schedules: crashes within the budget, runs that replay, and the non-blocking algorithm blocks nobody and breaks nothing', () => {
    for (let seed = 1; seed <= 6; seed++) {
      for (const spec of ['nonblocking', 'blocking']) {
        const run = fblTimedRun({ spec, n: 5, scenario: 'random', messages: 8, seed, jitter: 0.2, crashes: 2 });
        expect(run.result.status).toBe('quiescent');
        expect(run.result.crashes.length + run.result.crashesNotInjected).toBe(2);
        expect(run.failing, `${spec} seed ${seed}`).toEqual([]);
        if (spec === 'nonblocking') expect(run.result.totals.blockedMs).toBe(0);
        expectReplays(run);
      }
    }
  });

  it('scales with n: S1 at n = 2 … 8 sends 2(n − 1) depinfo messages and 2k replay messages', () => {
    for (const n of [2, 3, 5, 8]) {
      const { result } = fblTimedRun({ spec: 'nonblocking', n, scenario: 's1' });
      expect(result.totals.sent['depReq']).toBe(n - 1);
      expect(result.totals.sent['depRep']).toBe(n - 1);
      expect(result.totals.sent['replayReq']).toBe(20);
    }
  });

  it('secondPhase is NaN for a run without one', () => {
    expect(secondPhase(fblTimedRun({ spec: 'nonblocking', n: 3, scenario: 's1' }).result, 'p2').messages).toBeNaN();
  });
});

describe('the star workload', () => {
  it('p1 … p(n-1) send k messages to p0 round-robin; p0 answers each of them after its k-th delivery', () => {
    expect(starProgram(4, 7)).toEqual([[[], [], [], [], [], [], [], [1, 2, 3]], [[0, 0, 0]], [[0, 0]], [[0, 0]]]);
  });

  it('--messages applies to it, and refuses other workloads as before', () => {
    const spec = specRegistry.find((s) => s.id === 'nonblocking')!;
    expect(resolveParams(spec.params, { workload: 'star', n: 8, messages: 20 }, spec.id)['messages']).toBe(20);
    expect(() => resolveParams(spec.params, { workload: 'chain', messages: 20 }, spec.id)).toThrow('applies only with workload=random or workload=star');
  });
});
