/**
 * The slower exhaustive runs (n = 4, f = 2): each pins the verdict and the
 * distinct-state count. They run in CI like every test; their times are the
 * baseline later performance work is measured against (README "State counts").
 */
import { describe, expect, it } from 'vitest';
import { ALL_HOLD, check, variants, verdicts } from './support.js';

describe('nonblocking, n = 4, f = 2: every property holds, exhaustively', () => {
  it('chain n=4 f=2', () => {
    const result = check(variants.nonblocking, { workload: 'chain', n: 4, f: 2 });
    expect(result.status).toBe('ok');
    expect(verdicts(result)).toEqual(ALL_HOLD);
    expect(result.stats.distinct).toBe(410_792);
    expect(result.stats.maxDepth).toBe(37);
  });

  it('ring n=4 f=2', () => {
    const result = check(variants.nonblocking, { workload: 'ring', n: 4, f: 2 });
    expect(result.status).toBe('ok');
    expect(verdicts(result)).toEqual(ALL_HOLD);
    expect(result.stats.distinct).toBe(729_567);
    expect(result.stats.maxDepth).toBe(39);
  });
});
