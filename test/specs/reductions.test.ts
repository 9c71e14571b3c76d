/**
 * Every reduction is a switch whose soundness is checked, not argued: every
 * spec of the registry (the correct algorithm, the baselines, every broken
 * variant) gives the same verdict for every property with `--reduce
 * eager-drop` (the default) and `--reduce none` (the literal rules), on the
 * small configurations, with the search going on after violations. And the
 * eager drops are derived from the consuming rule's guard: the broken
 * variant (g), whose RC-8 guard lacks the round conjunct, keeps the
 * old-round reply that the correct spec drops.
 */
import { describe, expect, it } from 'vitest';
import { specRegistry } from '../../specs/index.js';
import { replayLabels } from '../../src/trace/replay.js';
import { build, check, type Config, variants, verdicts } from './support.js';
import { OLD_ROUND_G } from './stories.js';
import type { Variant } from '../../specs/index.js';
import type { FblState } from '../../specs/fbl/types.js';

const variantById = new Map<string, Variant>(Object.values(variants).map((v) => [v.id, v]));

/**
 * The small configurations each spec is compared on. The Manetho-style ones
 * stay at f = 1 or n = 2 (FIG1 f = 2 has 1.6 M literal states). The FIG1 f = 2
 * comparison of split-adoption and no-enrollment (450,000 and 900,000 literal
 * states, a minute or more each) runs in the gate's reductions group instead.
 */
function configsOf(id: string): Config[] {
  if (id.startsWith('manetho')) return [{ workload: 'pingpong', f: 1 }, { workload: 'pingpong', f: 2, stableHost: 'off' }, { workload: 'fig1', f: 1 }];
  const small: Config[] = [{ workload: 'pingpong', f: 1 }, { workload: 'pingpong', f: 2 }, { workload: 'order2', f: 1 }, { workload: 'fig1', f: 1 }];
  if (id === 'split-adoption' || id === 'no-enrollment' || id === 'crash-beyond-f') return small;
  return [...small, { workload: 'fig1', f: 2 }];
}

describe('--reduce eager-drop gives the verdicts of --reduce none, for every spec', () => {
  for (const spec of specRegistry) {
    const variant = variantById.get(spec.id);
    if (variant === undefined) throw new Error(`no variant for spec ${spec.id}`);
    for (const config of configsOf(spec.id)) {
      const crashes = spec.id === 'crash-beyond-f' ? (config.f ?? 1) + 1 : undefined;
      const full: Config = { ...config, ...(crashes === undefined ? {} : { crashes }) };
      it(`${spec.id} ${config.workload} f=${config.f}`, () => {
        const literal = check(variant, { ...full, reduce: 'none' }, { continueAfterViolation: true });
        const reduced = check(variant, { ...full, reduce: 'eager-drop' }, { continueAfterViolation: true });
        expect(literal.complete && reduced.complete).toBe(true);
        expect(verdicts(reduced)).toEqual(verdicts(literal));
        expect(reduced.stats.distinct).toBeLessThanOrEqual(literal.stats.distinct);
        // A literal terminal state holds no dead message (its drop step would be enabled): the same terminal states.
        expect(reduced.stats.terminal).toBe(literal.stats.terminal);
      });
    }
  }
});

describe('the reduction factor', () => {
  it('eager-drop cuts FIG1 f = 2 from 87,004 to 28,447 states (3.1×), with the same depth and terminal states', () => {
    const literal = check(variants.nonblocking, { workload: 'fig1', f: 2, reduce: 'none' });
    const reduced = check(variants.nonblocking, { workload: 'fig1', f: 2 });
    expect([literal.stats.distinct, literal.stats.maxDepth, literal.stats.terminal]).toEqual([87_004, 29, 27]);
    expect([reduced.stats.distinct, reduced.stats.maxDepth, reduced.stats.terminal]).toEqual([28_447, 29, 27]);
  });

  it('with one crash nothing is ever dead: the counts are equal', () => {
    for (const workload of ['fig1', 'w4', 'fig1s']) {
      expect(check(variants.nonblocking, { workload, reduce: 'none' }).stats.distinct).toBe(
        check(variants.nonblocking, { workload }).stats.distinct,
      );
    }
  });
});

describe('eager drops are derived from the consuming guard', () => {
  // Trace (g) of docs/protocol.md up to the leader's second round, before the old reply is taken.
  const traceG = OLD_ROUND_G.slice(0, 10);

  function oldReplies(variant: Variant): string[] {
    const target = build(variant, { workload: 'fig1', f: 2 });
    const outcome = replayLabels(target.model, traceG);
    if (outcome.status !== 'ok') throw new Error(`replay failed: ${JSON.stringify(outcome)}`);
    const last = outcome.states.at(-1) as FblState;
    return last.net.filter((m) => m.kind === 'depRep').map((m) => `${m.from}→${m.to} round ${m.round}`);
  }

  it('the correct RC-8 guard can never take a round-1 reply in round 2: it is gone with eager-drop', () => {
    expect(oldReplies(variants.nonblocking)).toEqual([]);
  });

  it('variant (g), without the round conjunct, keeps it: a later Dep phase could take it', () => {
    expect(oldReplies(variants.oldRoundReplies)).toEqual(['2→0 round 1']);
  });

  it('the literal rules keep it in both, until a drop step', () => {
    const target = build(variants.nonblocking, { workload: 'fig1', f: 2, reduce: 'none' });
    const outcome = replayLabels(target.model, [...traceG, 'drop depinfo-reply p2→p0 (round 1)']);
    expect(outcome.status).toBe('ok');
  });
});
