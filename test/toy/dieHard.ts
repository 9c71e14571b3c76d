/**
 * The Die Hard water-jug puzzle (DieHard.tla from Lamport's TLA+ course): a
 * 5-gallon and a 3-gallon jug; fill, empty, or pour one into the other. The
 * "invariant" NotSolved (big /= 4) is violated by a solution, and the shortest
 * solution takes 6 steps. 16 (big, small) pairs are reachable.
 */
import type { Model, Property } from '../../src/core/index.js';

export interface Jugs {
  readonly big: number;
  readonly small: number;
}

export type JugAction = 'FillSmallJug' | 'FillBigJug' | 'EmptySmallJug' | 'EmptyBigJug' | 'SmallToBig' | 'BigToSmall';

const ACTIONS: readonly JugAction[] = ['FillSmallJug', 'FillBigJug', 'EmptySmallJug', 'EmptyBigJug', 'SmallToBig', 'BigToSmall'];

export const dieHardModel: Model<Jugs, JugAction> = {
  init: () => [{ big: 0, small: 0 }],
  // As in DieHard.tla every action is always enabled (filling a full jug is a no-op step).
  actions: () => ACTIONS,
  next(s, a) {
    switch (a) {
      case 'FillSmallJug':
        return { big: s.big, small: 3 };
      case 'FillBigJug':
        return { big: 5, small: s.small };
      case 'EmptySmallJug':
        return { big: s.big, small: 0 };
      case 'EmptyBigJug':
        return { big: 0, small: s.small };
      case 'SmallToBig': {
        const poured = Math.min(s.small, 5 - s.big);
        return { big: s.big + poured, small: s.small - poured };
      }
      case 'BigToSmall': {
        const poured = Math.min(s.big, 3 - s.small);
        return { big: s.big - poured, small: s.small + poured };
      }
    }
  },
  label: (a) => a,
  // A deliberately weak fingerprint (the store must spread it itself).
  fingerprint(s, out) {
    out[0] = s.big;
    out[1] = s.small;
  },
};

export const notSolved: Property<Jugs> = {
  name: 'NotSolved',
  kind: 'always',
  category: 'safety',
  description: 'the big jug never holds exactly 4 gallons',
  holds: (s) => s.big !== 4,
};

export const dieHard = { model: dieHardModel, properties: [notSolved] };
