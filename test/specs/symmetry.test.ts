/**
 * The `symmetry` reduction (specs/fbl/symmetry.ts): on a symmetric workload a
 * state and its renamings count as one. Checked, not argued: the renamings
 * map reachable states onto reachable states and commute with the steps; the
 * reduced search meets every orbit of the full state space exactly once;
 * every spec gives the same verdicts with symmetry on and off; the broken
 * variants are still caught; and the traces found are real runs.
 */
import { describe, expect, it } from 'vitest';
import { SystemModel, UserError, explore, type CheckResult } from '../../src/index.js';
import { replayLabels } from '../../src/trace/replay.js';
import { specRegistry } from '../../specs/index.js';
import { renamingOf, renamingsOf } from '../../specs/fbl/symmetry.js';
import { findWorkload } from '../../specs/fbl/workloads.js';
import { packDet, type FblState } from '../../specs/fbl/types.js';
import type { FblTarget, Variant } from '../../specs/index.js';
import { ALL_HOLD, build, check, type Config, variants, verdicts } from './support.js';

const SYM = 'eager-drop,symmetry';
const variantById = new Map<string, Variant>(Object.values(variants).map((v) => [v.id, v]));

/** The fingerprint of the state itself, without symmetry, over the target's own interned ids. */
function rawFingerprinter(target: FblTarget): (s: FblState) => string {
  const raw = new SystemModel(target.protocol);
  const fp = new Uint32Array(2);
  return (s) => {
    raw.fingerprint(s, fp);
    return `${fp[0]}:${fp[1]}`;
  };
}

/** Every reachable state (by raw fingerprint), by a plain BFS over the target's model without symmetry. */
function reachable(target: FblTarget): FblState[] {
  const raw = new SystemModel(target.protocol);
  const key = rawFingerprinter(target);
  const states = [...raw.init()];
  const seen = new Set(states.map(key));
  for (let i = 0; i < states.length; i++) {
    const s = states[i]!;
    for (const a of raw.actions(s)) {
      const t = raw.next(s, a);
      const k = key(t);
      if (!seen.has(k)) {
        seen.add(k);
        states.push(t);
      }
    }
  }
  return states;
}

function symmetricFingerprint(target: FblTarget, s: FblState): string {
  const fp = new Uint32Array(2);
  target.model.fingerprint(s, fp);
  return `${fp[0]}:${fp[1]}`;
}

function shape(result: CheckResult<unknown>): [number, number, number] {
  return [result.stats.distinct, result.stats.maxDepth, result.stats.terminal];
}

describe('symmetric workloads', () => {
  it('all-to-all: every process sends to every other at start; all-to-all-forward sends again after the first delivery', () => {
    expect(findWorkload('all-to-all')!.program(3)).toEqual([[[1, 2]], [[0, 2]], [[0, 1]]]);
    expect(findWorkload('all-to-all-forward')!.program(3)).toEqual([
      [[1, 2], [1, 2]],
      [[0, 2], [0, 2]],
      [[0, 1], [0, 1]],
    ]);
    expect(findWorkload('all-to-all')!.symmetric).toBe(true);
    expect(findWorkload('chain')!.symmetric).toBeUndefined();
  });

  it('a renaming maps the program onto itself, reordering a batch\'s ssns where pid order demands it', () => {
    const program = findWorkload('all-to-all')!.program(3);
    // Swap p0 and p1: p2 sent #1 to p0 and #2 to p1; renamed, #1 goes to p1, which p2's program numbers #2.
    expect(renamingOf(program, 3, [1, 0, 2])).toEqual({ pid: [1, 0, 2, 3], ssn: [[0, 1, 2], [0, 1, 2], [0, 2, 1]] });
    expect(renamingsOf(findWorkload('all-to-all')!, program, 3)).toHaveLength(5);
    // The chain is invariant under no renaming, and declares none.
    expect(renamingOf(findWorkload('chain')!.program(3), 3, [1, 0, 2])).toBeUndefined();
    expect(renamingsOf(findWorkload('chain')!, findWorkload('chain')!.program(3), 3)).toEqual([]);
  });

  it('symmetry is refused with a one-line error where it would be a no-op or too costly', () => {
    expect(() => build(variants.nonblocking, { workload: 'chain', reduce: SYM })).toThrow(UserError);
    expect(() => build(variants.nonblocking, { workload: 'chain', reduce: SYM })).toThrow(
      '--reduce symmetry: workload chain declares no symmetry (symmetric workloads: all-to-all, all-to-all-forward)',
    );
    expect(() => build(variants.nonblocking, { workload: 'all-to-all', n: 6, reduce: SYM })).toThrow(/n = 6 has 6! renamings; symmetry takes n ≤ 5/);
    // Off by default.
    expect(build(variants.nonblocking, { workload: 'all-to-all' }).symmetry).toBeUndefined();
  });
});

describe('pinned state counts, symmetry off and on', () => {
  const cases: [string, Config, [number, number, number], [number, number, number]][] = [
    ['all-to-all n = 3, f = 1', { workload: 'all-to-all', n: 3, f: 1 }, [36_431, 19, 24], [6_127, 19, 4]],
    ['all-to-all-forward n = 2, f = 1', { workload: 'all-to-all-forward', n: 2, f: 1 }, [1_099, 16, 6], [551, 16, 3]],
    ['all-to-all n = 2, f = 2 (with S)', { workload: 'all-to-all', n: 2, f: 2 }, [19_288, 30, 12], [9_647, 30, 6]],
  ];
  for (const [name, config, off, on] of cases) {
    it(name, () => {
      const plain = check(variants.nonblocking, config);
      const reduced = check(variants.nonblocking, { ...config, reduce: SYM });
      expect(plain.complete && reduced.complete).toBe(true);
      expect(shape(plain)).toEqual(off);
      expect(shape(reduced)).toEqual(on);
      expect(reduced.stats.distinct).toBeLessThan(plain.stats.distinct);
      expect(verdicts(reduced)).toEqual(ALL_HOLD);
      expect(verdicts(plain)).toEqual(ALL_HOLD);
    });
  }
});

describe('the renamings are symmetries of the state graph', () => {
  // all-to-all n = 3: the full symmetric group S3, with ssn reordering; forward n = 2: causal chains.
  // [name, configuration, distinct states without and with symmetry (pinned above)]
  const configs: [string, Config, number, number][] = [
    ['all-to-all n = 3, f = 1', { workload: 'all-to-all', n: 3, f: 1 }, 36_431, 6_127],
    ['all-to-all-forward n = 2, f = 1', { workload: 'all-to-all-forward', n: 2, f: 1 }, 1_099, 551],
  ];
  for (const [name, config, plainCount, orbitCount] of configs) {
    // One target and its reachable states for both tests of a configuration.
    let fixture: { target: FblTarget; states: FblState[] } | undefined;
    const setup = (): { target: FblTarget; states: FblState[] } => {
      if (fixture === undefined) {
        const target = build(variants.nonblocking, { ...config, reduce: SYM });
        fixture = { target, states: reachable(target) };
      }
      return fixture;
    };

    it(`${name}: they map reachable states onto reachable states with one fingerprint, and the reduced search meets every orbit once`, () => {
      const { target, states } = setup();
      const sym = target.symmetry!;
      const key = rawFingerprinter(target);
      const all = new Set(states.map(key));
      let moved = 0;
      let unreachable = 0;
      let split = 0;
      // Each orbit named by the least raw fingerprint over the whole group (independent of the model's choice of images).
      const orbits = new Set<string>();
      for (const s of states) {
        const own = key(s);
        const fingerprint = symmetricFingerprint(target, s);
        let least = own;
        for (let k = 0; k < sym.order - 1; k++) {
          const image = sym.image(s, k);
          const raw = key(image);
          if (!all.has(raw)) unreachable++;
          if (raw !== own) moved++;
          if (symmetricFingerprint(target, image) !== fingerprint) split++;
          if (raw < least) least = raw;
        }
        orbits.add(least);
      }
      expect(unreachable).toBe(0);
      expect(split).toBe(0);
      expect(moved).toBeGreaterThan((states.length * (sym.order - 1)) / 2);
      // The orbits of the full state space are as many as the states the reduced search stores.
      expect(states.length).toBe(plainCount);
      expect(orbits.size).toBe(orbitCount);
      expect(new Set(states.map((s) => symmetricFingerprint(target, s))).size).toBe(orbitCount);
    });

    it(`${name}: they commute with the steps (the successors of an image are the images of the successors)`, () => {
      const { target, states } = setup();
      const sym = target.symmetry!;
      const raw = new SystemModel(target.protocol);
      const key = rawFingerprinter(target);
      const successors = (s: FblState): string[] => raw.actions(s).map((a) => key(raw.next(s, a))).sort();
      // Every state of the small space; every 13th of the larger one.
      const stride = states.length > 5_000 ? 13 : 1;
      for (let i = 0; i < states.length; i += stride) {
        const s = states[i]!;
        const next = raw.actions(s).map((a) => raw.next(s, a));
        for (let k = 0; k < sym.order - 1; k++) {
          expect(successors(sym.image(s, k))).toEqual(next.map((t) => key(sym.image(t, k))).sort());
        }
      }
    });
  }

  it('a state and its renaming have one fingerprint; different states keep different ones', () => {
    const target = build(variants.nonblocking, { workload: 'all-to-all', n: 3, f: 1, reduce: SYM });
    const key = rawFingerprinter(target);
    const reach = (labels: string[]): FblState => {
      const outcome = replayLabels(target.model, labels);
      if (outcome.status !== 'ok') throw new Error(`replay failed: ${JSON.stringify(outcome)}`);
      return outcome.states.at(-1)! as FblState;
    };
    // p1 delivered p0's #1, then the bystander p2 crashed.
    const s = reach(['deliver p0→p1 #1 (inc 0)', 'crash p2']);
    // Swap p0 and p2: p1 delivered p2's message (p2's #2: its sends go to p0, then p1), and p0 is the crashed one.
    const swap = target.symmetry!.image(s, renamingIndex(3, [2, 1, 0]));
    expect(swap.procs[0]!.vol).toBeNull();
    expect(swap.procs[2]!.vol).not.toBeNull();
    expect(swap.net.some((m) => m.kind === 'app' && m.from === 2 && m.to === 1)).toBe(false);
    expect(swap.net.some((m) => m.kind === 'app' && m.from === 0 && m.to === 1 && m.ssn === 1)).toBe(true);
    expect(key(swap)).not.toBe(key(s));
    expect(symmetricFingerprint(target, swap)).toBe(symmetricFingerprint(target, s));
    // The renamed state is reachable: the renamed run reaches it.
    expect(key(reach(['deliver p2→p1 #2 (inc 0)', 'crash p0']))).toBe(key(swap));
    // A genuinely different state of the same size: the deliverer crashed, not a bystander.
    const other = reach(['deliver p0→p1 #1 (inc 0)', 'crash p1']);
    expect(symmetricFingerprint(target, other)).not.toBe(symmetricFingerprint(target, s));
    for (let k = 0; k < target.symmetry!.order - 1; k++) {
      expect(symmetricFingerprint(target, target.symmetry!.image(other, k))).not.toBe(symmetricFingerprint(target, s));
    }
  });

  it('a state from which RC-11 could choose between two determinants for one delivery is refused', () => {
    const target = build(variants.nonblocking, { workload: 'all-to-all-forward', n: 2, f: 1, reduce: SYM });
    const outcome = replayLabels(target.model, ['crash p0', 'restart p0', 'begin-round p0']);
    if (outcome.status !== 'ok') throw new Error(`replay failed: ${JSON.stringify(outcome)}`);
    const s = outcome.states.at(-1)! as FblState;
    const lead = s.procs[0]!.vol!.lead!;
    expect(() => target.symmetry!.images(s)).not.toThrow();
    // Two different messages of p1 (#1 and #2) both recorded as p0's delivery #1.
    const clash = [packDet(1, 1, 0, 1), packDet(1, 2, 0, 1)];
    const bad: FblState = { ...s, procs: s.procs.map((p, pid) => (pid === 0 ? { ...p, vol: { ...p.vol!, lead: { ...lead, collected: clash } } } : p)) };
    expect(() => target.symmetry!.images(bad)).toThrow(/p0's delivery #1.*renamings do not commute with the rules: check without symmetry/);
  });
});

/** The index in renamingsOf's list (identity left out) of permutation `perm`. */
function renamingIndex(n: number, perm: readonly number[]): number {
  const workload = findWorkload('all-to-all')!;
  const list = renamingsOf(workload, workload.program(n), n);
  const k = list.findIndex((r) => r.pid.slice(0, n).every((p, i) => p === perm[i]));
  if (k < 0) throw new Error(`no renaming ${perm.join(',')}`);
  return k;
}

describe('the same verdicts with symmetry on and off', () => {
  function compare(variant: Variant, config: Config): CheckResult<unknown> {
    const plain = check(variant, config, { continueAfterViolation: true });
    const reduced = check(variant, { ...config, reduce: SYM }, { continueAfterViolation: true });
    expect(plain.complete && reduced.complete).toBe(true);
    expect(verdicts(reduced)).toEqual(verdicts(plain));
    expect(reduced.stats.distinct).toBeLessThan(plain.stats.distinct);
    expect(reduced.stats.maxDepth).toBe(plain.stats.maxDepth);
    return reduced;
  }

  describe('every spec on all-to-all-forward n = 2, f = 1', () => {
    for (const spec of specRegistry) {
      it(spec.id, () => {
        const variant = variantById.get(spec.id)!;
        // crash-beyond-f (two crashes) on the smaller all-to-all.
        compare(variant, spec.id === 'crash-beyond-f' ? { workload: 'all-to-all', n: 2, f: 1, crashes: 2 } : { workload: 'all-to-all-forward', n: 2, f: 1 });
      });
    }
  });

  const caught: [string, Variant, Config, string[]][] = [
    ['naive', variants.naive, { workload: 'all-to-all-forward', n: 2, f: 1 }, ['safety', 'liveness']],
    ['f-hosts', variants.fHosts, { workload: 'all-to-all-forward', n: 2, f: 1 }, ['safety', 'liveness', 'alwaysNoOrphans', 'recoverability']],
    ['no-restart (two failures)', variants.noRestart, { workload: 'all-to-all-forward', n: 2, f: 2, stableHost: 'off' }, ['safety', 'liveness']],
    ['no-resend', variants.noResend, { workload: 'all-to-all', n: 3, f: 1 }, ['liveness']],
  ];
  for (const [name, variant, config, violated] of caught) {
    it(`${name} is still caught with symmetry on (${config.workload} n = ${config.n}, f = ${config.f})`, () => {
      const reduced = compare(variant, config);
      expect(Object.entries(verdicts(reduced)).filter(([, status]) => status === 'violated').map(([p]) => p)).toEqual(violated);
    });
  }

  // Where nothing is caught (all-to-all has no causal chains), the verdicts still agree: S3 with ssn reordering, FIFO.
  const holding: [string, Variant, Config][] = [
    ['nonblocking all-to-all n = 3, f = 1, FIFO', variants.nonblocking, { workload: 'all-to-all', n: 3, f: 1, network: 'fifo' }],
    ['naive all-to-all n = 3, f = 1', variants.naive, { workload: 'all-to-all', n: 3, f: 1 }],
  ];
  for (const [name, variant, config] of holding) {
    it(name, () => {
      compare(variant, config);
    });
  }
});

describe('traces found with symmetry on are real runs', () => {
  function violations(result: CheckResult<unknown>) {
    if (result.status !== 'violation') throw new Error(`expected a violation, got ${result.status}`);
    return result.violations;
  }

  // [name, variant, configuration, search on after violations (a lasso is found after the search)]
  const cases: [string, Variant, Config, boolean][] = [
    ['naive, all-to-all-forward n = 2', variants.naive, { workload: 'all-to-all-forward', n: 2, f: 1 }, true],
    ['no-restart, all-to-all-forward n = 2, f = 2', variants.noRestart, { workload: 'all-to-all-forward', n: 2, f: 2, stableHost: 'off' }, false],
    ['no-resend, all-to-all n = 3', variants.noResend, { workload: 'all-to-all', n: 3, f: 1 }, false],
    ['strict-replay-filter (a lasso), all-to-all-forward n = 2', variants.strictReplayFilter, { workload: 'all-to-all-forward', n: 2, f: 1 }, true],
  ];
  for (const [name, variant, config, continueAfterViolation] of cases) {
    it(`${name}: the labels replay without symmetry through the very states of the trace`, () => {
      const target = build(variant, { ...config, reduce: SYM });
      const found = violations(explore(target as never, { strategy: 'bfs', continueAfterViolation }) as CheckResult<unknown>);
      expect(found.length).toBeGreaterThan(0);
      // The same rules without symmetry, over the same interned ids.
      const raw = new SystemModel(target.protocol);
      const key = rawFingerprinter(target);
      // And a target of its own, as `rrcheck replay` would build it.
      const plain = build(variant, config);
      for (const v of found) {
        const trace = v.trace;
        const states = trace.states as readonly FblState[];
        const outcome = replayLabels(raw, trace.labels, trace.initIndex);
        if (outcome.status !== 'ok') throw new Error(`drift: ${JSON.stringify(outcome)}`);
        expect(outcome.states.map(key)).toEqual(states.map(key));
        const fresh = replayLabels(plain.model, trace.labels, trace.initIndex);
        expect(fresh.status).toBe('ok');
        const property = plain.properties.find((p) => p.name === v.property)!;
        if (trace.loopStart === undefined) {
          expect(property.holds(fresh.states.at(-1)! as FblState)).toBe(false);
        } else {
          // A lasso closes up to renaming: its last state is the loop's first or a renaming of it.
          expect(symmetricFingerprint(target, states.at(-1)!)).toBe(symmetricFingerprint(target, states[trace.loopStart]!));
        }
      }
    });
  }

  it('the lasso of strict-replay-filter is found with symmetry on', () => {
    const target = build(variants.strictReplayFilter, { workload: 'all-to-all-forward', n: 2, f: 1, reduce: SYM });
    const found = violations(explore(target as never, { strategy: 'bfs', continueAfterViolation: true }) as CheckResult<unknown>);
    expect(found.some((v) => v.property === 'liveness' && v.trace.loopStart !== undefined)).toBe(true);
  });
});
