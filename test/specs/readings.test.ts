/**
 * The two places where the numbered rules of docs/rules.md (`--reading brief`, the
 * default) and the reference implementations (`--reading reference`) part,
 * each at its first parting state (README "Literal rules and the reference
 * implementations"), and the verdicts they agree on.
 */
import { describe, expect, it } from 'vitest';
import { replayLabels } from '../../src/trace/index.js';
import type { FblState } from '../../specs/fbl/types.js';
import type { Variant } from '../../specs/index.js';
import { ALL_HOLD, build, check, variants, verdicts } from './support.js';

function replay(reading: 'brief' | 'reference', labels: readonly string[], variant: Variant = variants.nonblocking, workload = 'fig1', f = 2) {
  const target = build(variant, { workload, f, reduce: 'none', reading });
  const outcome = replayLabels(target.model, labels);
  if (outcome.status !== 'ok') throw new Error(`drift at step ${outcome.step + 1}: ${outcome.label}`);
  return { target, states: outcome.states as readonly FblState[] };
}

describe('a restarted process: the checkpoint\'s zero incvector (RC-2) or the one it had (references)', () => {
  const labels = ['crash p0', 'restart p0', 'begin-round p0', 'depinfo-request p0→p1 (round 1)', 'crash p1', 'restart p1'];

  it('the states are equal up to the crash of a process whose incvector is not zero', () => {
    const brief = replay('brief', labels).states;
    const reference = replay('reference', labels).states;
    expect(brief[4]!.procs[1]!.vol!.iv).toEqual([1, 0, 0]);
    expect(reference[4]!.procs[1]!.vol!.iv).toEqual([1, 0, 0]);
    expect(brief[5]!.procs[1]!.stable.keptIv).toBeNull();
    expect(reference[5]!.procs[1]!.stable.keptIv).toEqual([1, 0, 0]);
    expect(brief[6]!.procs[1]!.vol!.iv).toEqual([0, 1, 0]);
    expect(reference[6]!.procs[1]!.vol!.iv).toEqual([1, 1, 0]);
  });

  it('both readings hold every property on FIG1 f = 2 (87,004 and 87,764 literal states)', () => {
    for (const [reading, distinct] of [['brief', 87_004], ['reference', 87_764]] as const) {
      const result = check(variants.nonblocking, { workload: 'fig1', f: 2, reduce: 'none', reading });
      expect(verdicts(result)).toEqual(ALL_HOLD);
      expect(result.stats.distinct).toBe(distinct);
    }
  });
});

describe('a blocked process: discards nothing (BL-2) or discards stale and duplicate messages (references)', () => {
  const labels = ['deliver p1→p0 #1 (inc 0)', 'crash p0', 'restart p0', 'begin-round p0', 'depinfo-request p0→p1 (round 1)'];
  const stale = 'discard p0→p1 #1 (inc 0, stale)';

  it('after p1 blocks, only the references\' reading lets it discard the stale m′', () => {
    for (const reading of ['brief', 'reference'] as const) {
      const { target, states } = replay(reading, labels, variants.blocking, 'pingpong', 1);
      const last = states.at(-1)!;
      expect(last.procs[1]!.vol!.blocked).toBe(true);
      const enabled = target.model.actions(last).map((a) => target.model.label(a));
      expect(enabled.includes(stale)).toBe(reading === 'reference');
      expect(enabled).not.toContain('deliver p0→p1 #1 (inc 0)');
    }
  });

  it('both readings give the same verdicts on blocking PINGPONG and FIG1, f = 1 (91 and 107, 565 and 674 states)', () => {
    for (const [workload, brief, reference] of [['pingpong', 91, 107], ['fig1', 565, 674]] as const) {
      const counts = (['brief', 'reference'] as const).map((reading) => {
        const result = check(variants.blocking, { workload, f: 1, reduce: 'none', reading }, { continueAfterViolation: true });
        expect(verdicts(result)).toEqual({ ...ALL_HOLD, nonBlocking: 'violated' });
        return result.stats.distinct;
      });
      expect(counts).toEqual([brief, reference]);
    }
  });
});
