/**
 * The model laws (init and actions repeatable, labels unique, next pure,
 * fingerprints stable) on every spec, with immer's auto-freeze on, so that a
 * handler mutating the state it was given throws.
 */
import { describe, expect, it } from 'vitest';
import { buildFbl, variants } from '../../specs/index.js';
import { checkModelLaws } from '../../src/testing/index.js';

const configs = [
  { workload: 'chain', n: 3, f: 2, crashes: 2, network: 'unordered' },
  { workload: 'ring', n: 3, f: 1, crashes: 2, network: 'fifo' },
  { workload: 'pingpong', n: 2, f: 2, crashes: 2, network: 'unordered' }, // f = n: the stable host S
];

describe('model laws hold for every spec', () => {
  for (const variant of Object.values(variants)) {
    for (const config of configs) {
      it(`${variant.id} ${config.workload} n=${config.n} f=${config.f} crashes=${config.crashes} ${config.network}`, () => {
        const target = buildFbl(variant, config, { autoFreeze: true });
        const report = checkModelLaws(target.model, { samples: 400 });
        expect(report.states).toBe(400);
        expect(report.transitions).toBeGreaterThan(400);
      });
    }
  }
});
