/**
 * The toy models as a parallel search's workers build them (engine
 * WorkerTarget): `buildToy({ name, ... })` returns the same model and
 * properties, in the same order, as the tests build in their own thread.
 * Compiled into dist/ with the rest (tsconfig.build.json), since worker
 * threads load compiled modules.
 */
import type { Model, Property } from '../../src/core/index.js';
import { dieHard } from './dieHard.js';
import { alwaysTrueAtEnd, lassoModel } from './graphModels.js';
import { allDone, locksModel } from './locks.js';
import { holderInRing, tokenRetired, tokenRingModel } from './tokenRing.js';
import { twoPhase } from './twoPhase.js';
import { twoPhaseSets } from './twoPhaseSets.js';
import { diamondModel, ignoringModel, lastBelow, neverGone } from './ignoring.js';

export type ToyName = 'two-phase' | 'two-phase-broken' | 'two-phase-sets' | 'token-ring' | 'locks-crossed' | 'locks' | 'die-hard' | 'lasso' | 'diamond-reduced' | 'ignoring-reduced';

export interface ToyArgs {
  readonly name: ToyName;
  readonly size?: number;
}

export function buildToy(args: ToyArgs): { model: Model<unknown, unknown>; properties: readonly Property<unknown>[] } {
  const size = args.size ?? 3;
  const target = (() => {
    switch (args.name) {
      case 'two-phase':
        return twoPhase(size);
      case 'two-phase-broken':
        return twoPhase(size, { commitWithoutAllPrepared: true });
      case 'two-phase-sets':
        return twoPhaseSets(size);
      case 'token-ring':
        return { model: tokenRingModel(size, 2), properties: [holderInRing(size), tokenRetired] };
      case 'locks-crossed':
        return { model: locksModel(true), properties: [allDone] };
      case 'locks':
        return { model: locksModel(false), properties: [allDone] };
      case 'die-hard':
        return dieHard;
      case 'diamond-reduced':
        // Partial-order reduction: `size` counters counted to 3, the last one observed.
        return { model: diamondModel(size, 3, { ample: true }), properties: [lastBelow(size, 3)] };
      case 'ignoring-reduced':
        // Partial-order reduction's ignoring problem, behind `size` escapes to terminal states.
        return { model: ignoringModel({ ample: true, escapes: size }), properties: [neverGone] };
      case 'lasso':
        return { model: lassoModel, properties: [alwaysTrueAtEnd()] };
    }
  })();
  return target as unknown as { model: Model<unknown, unknown>; properties: readonly Property<unknown>[] };
}
