/**
 * The rule sets: the correct rules (FF-1…FF-4, RC-1…RC-17), and
 * `rulesFor(variant, reading)`, which applies to them, once, the deltas the
 * Variant's switches select. docs/rules.md is the table of every unit.
 */
import type { Reading, Variant } from '../variant.js';
import { blockingBaseline } from './blocking.js';
import { RC3, RC4, RC5, RC6, RC7, RC8, RC10, RC11, RC17 } from './gathering.js';
import { FF1, FF2, FF3, FF4 } from './logging.js';
import { manethoBaseline } from './manetho.js';
import { RC12, RC13, RC14, RC15, RC16 } from './replay.js';
import { RC1, RC2, RC9 } from './restart.js';
import type { Delta, RuleSet } from './unit.js';
import {
  earlyReplay,
  fHosts,
  liveOnlyResponders,
  naive,
  noEnrollment,
  noIncarnationsInReplies,
  noRestart,
  noResend,
  oldRoundReplies,
  processHolds,
  referenceReading,
  splitAdoption,
  strictReplayFilter,
  unorderedReplay,
} from './variants.js';

/** The non-blocking algorithm: every correct rule. */
export const correctRules: RuleSet = {
  units: {
    'FF-1': FF1,
    'FF-2': FF2,
    'FF-3': FF3,
    'FF-4': FF4,
    'RC-1': RC1,
    'RC-2': RC2,
    'RC-3': RC3,
    'RC-4': RC4,
    'RC-5': RC5,
    'RC-6': RC6,
    'RC-7': RC7,
    'RC-8': RC8,
    'RC-9': RC9,
    'RC-10': RC10,
    'RC-11': RC11,
    'RC-12': RC12,
    'RC-13': RC13,
    'RC-14': RC14,
    'RC-15': RC15,
    'RC-16': RC16,
    'RC-17': RC17,
  },
  // Application messages: discard (FF-3) before delivery (FF-2) and replay (RC-14).
  reception: ['FF-3', 'FF-2', 'RC-14'],
  // Internal steps: a round begins, a gathering restarts, then per process: ask for replay, flush.
  internal: ['RC-3', 'RC-9', 'RC-12', 'FF-4'],
};

/**
 * Which deltas each Variant switch selects, in the order they are applied:
 * a later delta over the same unit is applied over the earlier one (so the
 * Manetho-style MS-2 replaces whatever adoption RC-7 had, and BL-1 blocks
 * after a split adoption too).
 */
export const switches: readonly { readonly field: keyof Variant; readonly selects: (v: Variant) => boolean; readonly deltas: readonly Delta[] }[] = [
  { field: 'incarnationFilter', selects: (v) => !v.incarnationFilter, deltas: [naive] },
  { field: 'replayStaleTest', selects: (v) => v.replayStaleTest === 'not-newer', deltas: [strictReplayFilter] },
  { field: 'replication', selects: (v) => v.replication === 'f', deltas: [fHosts] },
  { field: 'restartOnFailure', selects: (v) => !v.restartOnFailure, deltas: [noRestart] },
  { field: 'orderedReplay', selects: (v) => !v.orderedReplay, deltas: [unorderedReplay] },
  { field: 'waitForHandout', selects: (v) => !v.waitForHandout, deltas: [earlyReplay] },
  { field: 'atomicAdoption', selects: (v) => !v.atomicAdoption, deltas: [splitAdoption] },
  { field: 'replyRoundCheck', selects: (v) => !v.replyRoundCheck, deltas: [oldRoundReplies] },
  { field: 'replayingResponders', selects: (v) => !v.replayingResponders, deltas: [liveOnlyResponders] },
  { field: 'enrollment', selects: (v) => !v.enrollment, deltas: [noEnrollment] },
  { field: 'incarnationsInReplies', selects: (v) => !v.incarnationsInReplies, deltas: [noIncarnationsInReplies] },
  { field: 'resendRequests', selects: (v) => !v.resendRequests, deltas: [noResend] },
  { field: 'blocking', selects: (v) => v.blocking, deltas: blockingBaseline },
  { field: 'manethoStyle', selects: (v) => v.manethoStyle, deltas: manethoBaseline },
  // Holds exist only in the Manetho-style baseline: the switch alone changes nothing.
  { field: 'holdsByIncarnation', selects: (v) => v.manethoStyle && !v.holdsByIncarnation, deltas: [processHolds] },
];

/** The deltas a variant and a reading select, in the order applied. */
export function deltasFor(variant: Variant, reading: Reading): readonly Delta[] {
  const deltas = switches.filter((s) => s.selects(variant)).flatMap((s) => s.deltas);
  return reading === 'reference' ? [...deltas, referenceReading] : deltas;
}

/** The rule set of a variant under a reading: the correct rules with the selected deltas applied. */
export function rulesFor(variant: Variant, reading: Reading): RuleSet {
  return deltasFor(variant, reading).reduce((rules, delta) => delta.apply(rules), correctRules);
}
