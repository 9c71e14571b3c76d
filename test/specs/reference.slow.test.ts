/**
 * The reference counts of more than 100,000 states (see reference.test.ts):
 * literal rules, the references' reading, no stable host S. Together they take
 * about three minutes on one core of a 2-core machine.
 */
import { describe, expect, it } from 'vitest';
import { ALL_HOLD, check, variants, verdicts } from './support.js';
import { config, name, type Row } from './referenceCounts.js';

const NONBLOCKING_SLOW: readonly Row[] = [
  ['w4', 3, 2, 412_625, 35],
  ['w5', 3, 2, 799_682, 32],
  ['fig1s', 4, 2, 1_682_079, 35],
];

describe('nonblocking at --reduce none --reading reference equals the references (large)', () => {
  for (const row of NONBLOCKING_SLOW) {
    it(name(row), () => {
      const result = check(variants.nonblocking, config(row), { continueAfterViolation: true });
      expect(verdicts(result)).toEqual(ALL_HOLD);
      expect([result.stats.distinct, result.stats.maxDepth]).toEqual([row[3], row[4]]);
    });
  }

  it(name(['fig1', 3, 2, 200_955, 31]) + ' (blocking)', () => {
    const result = check(variants.blocking, config(['fig1', 3, 2, 0, 0]), { continueAfterViolation: true });
    expect(verdicts(result)).toEqual({ ...ALL_HOLD, nonBlocking: 'violated' });
    expect([result.stats.distinct, result.stats.maxDepth]).toEqual([200_955, 31]);
  });
});
