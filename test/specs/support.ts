/** Shared helpers for the spec tests: build a configuration, explore it, read verdicts. */
import { buildFbl, variants, type Variant } from '../../specs/index.js';
import { explore, type ExploreOptions } from '../../src/engine/index.js';
import type { CheckResult } from '../../src/index.js';

export interface Config {
  workload?: string;
  n?: number;
  f?: number;
  crashes?: number;
  network?: 'unordered' | 'fifo';
}

export function build(variant: Variant, config: Config = {}) {
  const f = config.f ?? 1;
  return buildFbl(variant, {
    workload: config.workload ?? 'chain',
    n: config.n ?? 3,
    f,
    crashes: config.crashes ?? f,
    network: config.network ?? 'unordered',
  });
}

export function check(
  variant: Variant,
  config: Config = {},
  options: Partial<ExploreOptions> = {},
): CheckResult<unknown> {
  return explore(build(variant, config) as never, { strategy: 'bfs', ...options }) as CheckResult<unknown>;
}

/** Property name → status, for compact assertions. */
export function verdicts(result: CheckResult<unknown>): Record<string, string> {
  return Object.fromEntries(result.properties.map((p) => [p.name, p.status]));
}

export const ALL_HOLD = {
  safety: 'holds',
  liveness: 'holds',
  restartBound: 'holds',
  nonBlocking: 'holds',
  alwaysNoOrphans: 'holds',
};

export { variants };
