/**
 * A token ring whose only bad behaviour is a cycle: n processes, p0 creates a
 * token, the holder passes it to the next process, and p0 may retire it.
 *
 * - `laps` undefined: the token may be passed forever. Every state without
 *   successors has the token retired, so `retired` holds in all of them; only
 *   the cycle p0 → p1 → … → p0 violates it. States: the one before the token
 *   exists, n holders, one retired token: n + 2. Transitions: 1 + n + 1.
 * - `laps` = L: a pass is enabled only while fewer than L·n passes were made,
 *   so no cycle; runs end with the token retired by p0 after 0, n, …, L·n
 *   passes. States: 1 + (L·n + 1) + (L + 1).
 */
import type { Model, Property } from '../../src/core/index.js';
import { mixInts } from './graphModels.js';

export interface RingState {
  /** -1 before the token is created. */
  readonly holder: number;
  /** Passes made so far (only counted with `laps`; 0 otherwise). */
  readonly passes: number;
  readonly retired: boolean;
}

/** What a step does, and which process does it. */
export interface RingAction {
  readonly act: 'create' | 'pass' | 'retire';
  readonly by: number;
}

export function tokenRingModel(n: number, laps?: number): Model<RingState, RingAction> {
  return {
    init: () => [{ holder: -1, passes: 0, retired: false }],
    actions: (s) => {
      if (s.retired) return [];
      if (s.holder < 0) return [{ act: 'create', by: 0 }];
      const acts: RingAction[] = [];
      if (laps === undefined || s.passes < laps * n) acts.push({ act: 'pass', by: s.holder });
      if (s.holder === 0) acts.push({ act: 'retire', by: 0 });
      return acts;
    },
    next: (s, a) => {
      if (a.act === 'create') return { holder: 0, passes: 0, retired: false };
      if (a.act === 'retire') return { ...s, retired: true };
      return { holder: (s.holder + 1) % n, passes: laps === undefined ? 0 : s.passes + 1, retired: false };
    },
    label: (a) =>
      a.act === 'create' ? 'p0 creates the token' : a.act === 'retire' ? `p${a.by} retires the token` : `p${a.by} passes the token to p${(a.by + 1) % n}`,
    fingerprint: (s, out) => mixInts(out, s.holder + 1, s.passes, s.retired ? 1 : 0),
  };
}

/** Terminal: every run ends with the token retired (a token passed forever violates it by a cycle). */
export const tokenRetired: Property<RingState> = {
  name: 'TokenRetired',
  kind: 'terminal',
  category: 'liveness',
  description: 'the token is eventually retired',
  holds: (s) => s.retired,
  explain: (s) => ({
    summary: `the run ended with p${s.holder} holding the token`,
    reason: 'token-not-retired',
    subjects: [{ process: `p${s.holder}`, role: 'stuck', reason: 'holds-token' }],
  }),
};

/** Safety: the holder is a process of the ring (true; gives the cross-checks an always property). */
export const holderInRing = (n: number): Property<RingState> => ({
  name: 'HolderInRing',
  kind: 'always',
  category: 'safety',
  description: `the holder is one of the ${n} processes, or none before creation`,
  holds: (s) => s.holder >= -1 && s.holder < n,
});
