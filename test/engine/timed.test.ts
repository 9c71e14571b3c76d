/**
 * The timed simulation on a toy whose times can be worked out by hand:
 * a sends `ping` to b (5 ms after the start), b takes it once it has opened
 * (30 ms after the start) and answers `pong` after 2 ms of CPU; b may crash
 * and restarts 100 ms later. δ = 10 ms, β = 8 Mb/s, a ping of 1,000 bytes
 * takes 1 ms more.
 */
import { describe, expect, it } from 'vitest';
import {
  replayLabels,
  simulateTimed,
  randomScenario,
  StructuralHasher,
  type CheckTarget,
  type Model,
  type TimedScenario,
  type TimingSpec,
} from '../../src/index.js';

interface Msg {
  readonly kind: 'ping' | 'pong';
  readonly from: string;
  readonly to: string;
}
interface State {
  readonly net: readonly Msg[];
  readonly sent: boolean;
  readonly open: boolean;
  readonly bUp: boolean;
  readonly done: boolean;
}
type Action = { readonly kind: 'send' | 'open' | 'crash' | 'restart' | 'ping' | 'pong' };

const hasher = new StructuralHasher();
const model: Model<State, Action> = {
  init: () => [{ net: [], sent: false, open: false, bUp: true, done: false }],
  actions(s) {
    const out: Action[] = [];
    if (!s.sent) out.push({ kind: 'send' });
    if (!s.open && s.bUp) out.push({ kind: 'open' });
    if (s.bUp && s.open && s.net.some((m) => m.kind === 'ping')) out.push({ kind: 'ping' });
    if (s.net.some((m) => m.kind === 'pong')) out.push({ kind: 'pong' });
    out.push({ kind: s.bUp ? 'crash' : 'restart' });
    return out;
  },
  next(s, a) {
    switch (a.kind) {
      case 'send':
        return { ...s, sent: true, net: [...s.net, { kind: 'ping', from: 'a', to: 'b' }] };
      case 'open':
        return { ...s, open: true };
      case 'ping':
        return { ...s, net: [...s.net.filter((m) => m.kind !== 'ping'), { kind: 'pong', from: 'b', to: 'a' }] };
      case 'pong':
        return { ...s, done: true, net: s.net.filter((m) => m.kind !== 'pong') };
      case 'crash':
        return { ...s, bUp: false, open: false };
      case 'restart':
        return { ...s, bUp: true };
    }
  },
  label: (a) => a.kind,
  fingerprint: (s, out) => hasher.fingerprint(s, out),
  describe: (_s, a) => ({ fault: a.kind === 'crash', kind: a.kind, actor: a.kind === 'send' || a.kind === 'pong' ? 'a' : 'b' }),
};

const parameters = { latencyMs: 10, bandwidthMbps: 8, detectMs: 60, restoreMs: 40, stableWriteMs: 0, cpuMs: 2 };
const timing: TimingSpec<State, Action> = {
  processes: ['a', 'b'],
  parameters,
  scenarios: {},
  inFlight: (s) =>
    s.net.map((m) => ({ id: m.kind, kind: m.kind, from: m.from, to: m.to, bytes: m.kind === 'ping' ? 1000 : 0, ...(m.kind === 'ping' && !s.open ? { held: true } : {}) })),
  step(_s, a) {
    switch (a.kind) {
      case 'send':
        return { actor: 'a', cpuMs: 0, waitMs: 5 };
      case 'open':
        return { actor: 'b', cpuMs: 0, waitMs: 30 };
      case 'ping':
        return { actor: 'b', consumes: 'ping', cpuMs: 2 };
      case 'pong':
        return { actor: 'a', consumes: 'pong', cpuMs: 0 };
      case 'restart':
        return { actor: 'b', cpuMs: 0, waitMs: 100 };
      case 'crash':
        return { actor: 'b', cpuMs: 0 };
    }
  },
  blocked: (s) => (s.sent && !s.done ? ['a'] : []),
  recovering: (s) => (s.bUp ? [] : ['b']),
};
const target: CheckTarget<State, Action> = { model, properties: [], view: (s) => s };
const none: TimedScenario = { name: 'none', description: 'no crash', crashes: [] };

describe('simulateTimed', () => {
  it('times each step by its wait, its CPU and its message: a pings at 5, b opens at 30, takes the ping, a has the pong at 42', () => {
    const r = simulateTimed(target, timing, none);
    expect(r.status).toBe('quiescent');
    expect(r.steps.map((s) => [s.label, s.startMs, s.endMs])).toEqual([
      ['send', 5, 5],
      ['open', 30, 30],
      ['ping', 30, 32],
      ['pong', 42, 42],
    ]);
    const [a, b] = r.processes;
    // a is blocked from its ping (5) to the pong (42); the ping, arrived at 16, is held by b until it opens at 30.
    expect(a!.blockedMs).toBe(37);
    expect(b!.heldMs).toBe(14);
    expect(r.totals).toMatchObject({ blockedMs: 37, heldMs: 14, messagesSent: 2, sent: { ping: 1, pong: 1 } });
    expect(a!.sent).toEqual({ ping: 1 });
    expect(r.countedFromMs).toBe(0);
    expect(r.endMs).toBe(42);
  });

  it('injects a crash at its time; the restart waits 100 ms; the recovery and the counts run from the crash', () => {
    const scenario: TimedScenario = { name: 'b', description: 'b crashes at 12', crashes: [{ process: 'b', when: { atMs: 12 } }] };
    const r = simulateTimed(target, timing, scenario);
    expect(r.crashes).toEqual([{ process: 'b', atMs: 12 }]);
    expect(r.steps.map((s) => [s.label, s.startMs])).toEqual([
      ['send', 5],
      ['crash', 12],
      ['restart', 112],
      ['open', 142],
      ['ping', 142],
      ['pong', 154],
    ]);
    expect(r.processes[1]!.recoveries).toEqual([{ crashMs: 12, recoveredMs: 112 }]);
    expect(r.processes[1]!.recoveryMs).toBe(100);
    expect(r.processes[1]!.restartsMs).toEqual([112]);
    // The ping was sent before the crash: only the pong is counted.
    expect(r.totals.sent).toEqual({ pong: 1 });
    expect(r.countedFromMs).toBe(12);
  });

  it('a run is a trace of the model: its labels replay to its final state', () => {
    const r = simulateTimed(target, timing, { name: 'b', description: '', crashes: [{ process: 'b', when: { onSend: { kind: 'ping', to: 'b' }, delayMs: 3 } }] });
    expect(r.crashes).toEqual([{ process: 'b', atMs: 8 }]);
    const replayed = replayLabels(model, r.labels);
    expect(replayed.status).toBe('ok');
    expect(replayed.states.at(-1)).toEqual(r.finalState);
  });

  it('a quiescent crash strikes once nothing else can happen; a crash of a process that is down is not injected', () => {
    const r = simulateTimed(target, timing, {
      name: 'q',
      description: '',
      crashes: [
        { process: 'b', when: { quiescent: true } },
        { process: 'b', when: { atMs: 50 } },
      ],
    });
    expect(r.crashes).toEqual([{ process: 'b', atMs: 42 }]);
    expect(r.crashesNotInjected).toBe(1);
    expect(r.processes[1]!.recoveries).toEqual([{ crashMs: 42, recoveredMs: 142 }]);
  });

  it('jitter is seeded: the same seed gives the same run, another seed other times; latencies stay within δ(1 ± J)', () => {
    const run = (seed: number) => simulateTimed(target, timing, none, { seed, jitter: 0.5 });
    expect(run(7)).toEqual(run(7));
    const [x, y] = [run(7), run(8)];
    expect(x.steps.map((s) => s.label)).toEqual(y.steps.map((s) => s.label));
    expect(x.endMs).not.toBe(y.endMs);
    for (const r of [x, y]) {
      // The pong leaves at 32 and takes δ(1 ± 0.5).
      expect(r.endMs).toBeGreaterThanOrEqual(32 + 5);
      expect(r.endMs).toBeLessThanOrEqual(32 + 15);
    }
  });

  it('a random schedule is drawn from its seed, in order, within its window', () => {
    const s = randomScenario(3, 4, 1000);
    expect(s).toEqual(randomScenario(3, 4, 1000));
    const times = s.crashes.map((c) => ('atMs' in c.when ? c.when.atMs : NaN));
    expect(times).toEqual([...times].sort((p, q) => p - q));
    for (const t of times) expect(t >= 0 && t <= 1000).toBe(true);
    expect(s.crashes.every((c) => c.process === undefined)).toBe(true);
  });

  it('stops at maxSteps, and refuses a jitter outside [0, 1)', () => {
    expect(simulateTimed(target, timing, none, { maxSteps: 2 })).toMatchObject({ status: 'step-limit', labels: ['send', 'open'] });
    expect(() => simulateTimed(target, timing, none, { jitter: 1 })).toThrow('jitter must be in [0, 1), not 1');
  });
});
