/** Shared helpers for the spec tests: build a configuration, explore it, read verdicts. */
import { buildFbl, variants, type Variant } from '../../specs/index.js';
import { findWorkload } from '../../specs/fbl/workloads.js';
import { explore, type ExploreOptions } from '../../src/engine/index.js';
import type { CheckResult } from '../../src/index.js';

export interface Config {
  workload?: string;
  n?: number;
  f?: number;
  crashes?: number;
  network?: 'unordered' | 'fifo';
  /** `--reduce`: 'eager-drop' (the default) or 'none'. */
  reduce?: string;
  reading?: 'brief' | 'reference';
  stableHost?: 'on' | 'off';
}

export function build(variant: Variant, config: Config = {}) {
  const f = config.f ?? 1;
  const workload = config.workload ?? 'chain';
  return buildFbl(variant, {
    workload,
    n: config.n ?? findWorkload(workload)?.fixedN ?? 3,
    f,
    crashes: config.crashes ?? f,
    network: config.network ?? 'unordered',
    reduce: config.reduce ?? 'eager-drop',
    reading: config.reading ?? 'brief',
    'stable-host': config.stableHost ?? 'on',
  });
}

/** The literal rules as the reference implementations read them, without S: the setting of their counts. */
export const REFERENCE: Config = { reduce: 'none', reading: 'reference', stableHost: 'off' };

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
  recoverability: 'holds',
};

export { variants };
