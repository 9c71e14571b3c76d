/**
 * Two processes and two locks. Each process acquires its first lock, then its
 * second, then releases both and is done. With `crossed` order (p: A then B,
 * q: B then A) the system can deadlock after `p acquires A`, `q acquires B`;
 * with the same order for both it always finishes.
 */
import type { Model, Property } from '../../src/core/index.js';

export interface LockState {
  /** Program counter per process: 0 wants first lock, 1 wants second, 2 releases, 3 done. */
  readonly pc: readonly [number, number];
  /** Owner of lock A and lock B: process index, or -1. */
  readonly owner: readonly [number, number];
}

export type LockAction =
  | { readonly proc: 0 | 1; readonly step: 'acquire'; readonly lock: 0 | 1 }
  | { readonly proc: 0 | 1; readonly step: 'release' };

const NAMES = ['p', 'q'] as const;
const LOCKS = ['A', 'B'] as const;

export function locksModel(crossed: boolean): Model<LockState, LockAction> {
  const order: readonly [readonly [0 | 1, 0 | 1], readonly [0 | 1, 0 | 1]] = crossed
    ? [
        [0, 1],
        [1, 0],
      ]
    : [
        [0, 1],
        [0, 1],
      ];
  const wanted = (s: LockState, proc: 0 | 1): 0 | 1 => order[proc][s.pc[proc] as 0 | 1];
  return {
    init: () => [{ pc: [0, 0], owner: [-1, -1] }],
    actions(s) {
      const out: LockAction[] = [];
      for (const proc of [0, 1] as const) {
        const pc = s.pc[proc];
        if (pc < 2 && s.owner[wanted(s, proc)] === -1) out.push({ proc, step: 'acquire', lock: wanted(s, proc) });
        if (pc === 2) out.push({ proc, step: 'release' });
      }
      return out;
    },
    next(s, a) {
      const pc: [number, number] = [s.pc[0], s.pc[1]];
      const owner: [number, number] = [s.owner[0], s.owner[1]];
      if (a.step === 'acquire') owner[a.lock] = a.proc;
      else owner.forEach((o, lock) => (o === a.proc ? (owner[lock] = -1) : undefined));
      pc[a.proc]!++;
      return { pc, owner };
    },
    label: (a) => (a.step === 'release' ? `${NAMES[a.proc]} releases` : `${NAMES[a.proc]} acquires ${LOCKS[a.lock]}`),
    fingerprint(s, out) {
      out[0] = Math.imul(s.pc[0] * 4 + s.pc[1] + 1, 0x9e3779b1);
      out[1] = Math.imul((s.owner[0] + 1) * 3 + s.owner[1] + 2, 0x85ebca77);
    },
  };
}

export const allDone: Property<LockState> = {
  name: 'AllDone',
  kind: 'terminal',
  category: 'liveness',
  description: 'a state without successors has every process done',
  holds: (s) => s.pc[0] === 3 && s.pc[1] === 3,
  explain: (s) => ({
    summary: `stuck with pc = [${s.pc.join(', ')}] and owners = [${s.owner.join(', ')}]`,
    reason: 'deadlock',
    subjects: ([0, 1] as const).flatMap((p) =>
      s.pc[p] === 3 ? [] : [{ process: `p${p}`, role: 'stuck' as const, reason: 'waits-for-lock', detail: { pc: s.pc[p], holds: s.owner.flatMap((o, lock) => (o === p ? [lock] : [])) } }],
    ),
  }),
};
