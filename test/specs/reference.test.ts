/**
 * The literal rules (`--reduce none`) as the reference implementations read
 * them (`--reading reference`, no stable host S) give exactly the distinct
 * states and BFS depths of the two independent references. The
 * configurations of more than 100,000 states are in reference.slow.test.ts.
 * README "Literal mode and the references".
 */
import { describe, expect, it } from 'vitest';
import { ALL_HOLD, check, variants, verdicts } from './support.js';
import { BLOCKING_ROWS, config, name, NONBLOCKING_ROWS } from './referenceCounts.js';

describe('nonblocking at --reduce none --reading reference equals the references', () => {
  for (const row of NONBLOCKING_ROWS) {
    it(name(row), () => {
      const result = check(variants.nonblocking, config(row), { continueAfterViolation: true });
      expect(verdicts(result)).toEqual(ALL_HOLD);
      expect([result.stats.distinct, result.stats.maxDepth]).toEqual([row[3], row[4]]);
    });
  }
});

describe('blocking at --reduce none --reading reference equals the references', () => {
  for (const row of BLOCKING_ROWS) {
    it(name(row), () => {
      const result = check(variants.blocking, config(row), { continueAfterViolation: true });
      expect(verdicts(result)).toEqual({ ...ALL_HOLD, nonBlocking: 'violated' });
      expect([result.stats.distinct, result.stats.maxDepth]).toEqual([row[3], row[4]]);
    });
  }
});
