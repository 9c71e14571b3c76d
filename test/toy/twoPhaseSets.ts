/**
 * TwoPhase.tla again (see twoPhase.ts), with the state written the way a user
 * naturally writes it: rmState a Map from RM name to its state, tmPrepared and
 * msgs Sets of strings, each built in whatever order the actions happened to
 * insert into it. The fingerprint must see through that: 288 distinct states
 * with 3 RMs, as for the array version, and the broken TM is still caught.
 * (msgs holds strings: a Set compares objects by identity, so a Set of message
 * records would keep two copies of the same message.)
 */
import { StructuralHasher, type Model, type Property } from '../../src/core/index.js';
import type { RmState, TwoPhaseAction, TwoPhaseOptions, TwoPhaseState } from './twoPhase.js';

export interface TwoPhaseSetsState {
  readonly rmState: ReadonlyMap<string, RmState>;
  readonly tmState: 'init' | 'committed' | 'aborted';
  readonly tmPrepared: ReadonlySet<string>;
  /** 'Abort', 'Commit', 'Prepared r1'… in insertion order. */
  readonly msgs: ReadonlySet<string>;
}

const rmName = (rm: number): string => `r${rm + 1}`;

const addMsg = (msgs: ReadonlySet<string>, m: string): ReadonlySet<string> => (msgs.has(m) ? msgs : new Set(msgs).add(m));

const setRm = (rmState: ReadonlyMap<string, RmState>, rm: number, value: RmState): ReadonlyMap<string, RmState> =>
  new Map(rmState).set(rmName(rm), value);

export function twoPhaseSetsModel(rmCount: number, options: TwoPhaseOptions = {}): Model<TwoPhaseSetsState, TwoPhaseAction> {
  const hasher = new StructuralHasher();
  const rms = Array.from({ length: rmCount }, (_, i) => i);
  return {
    init: () => [
      {
        rmState: new Map(rms.map((rm) => [rmName(rm), 'working' as const])),
        tmState: 'init',
        tmPrepared: new Set(),
        msgs: new Set(),
      },
    ],
    actions(s) {
      const out: TwoPhaseAction[] = [];
      const allPrepared = rms.every((rm) => s.tmPrepared.has(rmName(rm)));
      if (s.tmState === 'init' && (allPrepared || options.commitWithoutAllPrepared)) out.push({ kind: 'TMCommit' });
      if (s.tmState === 'init') out.push({ kind: 'TMAbort' });
      for (const rm of rms) {
        if (s.tmState === 'init' && s.msgs.has(`Prepared ${rmName(rm)}`)) out.push({ kind: 'TMRcvPrepared', rm });
        if (s.rmState.get(rmName(rm)) === 'working') {
          out.push({ kind: 'RMPrepare', rm });
          out.push({ kind: 'RMChooseToAbort', rm });
        }
        if (s.msgs.has('Commit')) out.push({ kind: 'RMRcvCommitMsg', rm });
        if (s.msgs.has('Abort')) out.push({ kind: 'RMRcvAbortMsg', rm });
      }
      return out;
    },
    next(s, a) {
      switch (a.kind) {
        case 'TMCommit':
          return { ...s, tmState: 'committed', msgs: addMsg(s.msgs, 'Commit') };
        case 'TMAbort':
          return { ...s, tmState: 'aborted', msgs: addMsg(s.msgs, 'Abort') };
        case 'TMRcvPrepared':
          return s.tmPrepared.has(rmName(a.rm)) ? s : { ...s, tmPrepared: new Set(s.tmPrepared).add(rmName(a.rm)) };
        case 'RMPrepare':
          return { ...s, rmState: setRm(s.rmState, a.rm, 'prepared'), msgs: addMsg(s.msgs, `Prepared ${rmName(a.rm)}`) };
        case 'RMChooseToAbort':
          return { ...s, rmState: setRm(s.rmState, a.rm, 'aborted') };
        case 'RMRcvCommitMsg':
          return { ...s, rmState: setRm(s.rmState, a.rm, 'committed') };
        case 'RMRcvAbortMsg':
          return { ...s, rmState: setRm(s.rmState, a.rm, 'aborted') };
      }
    },
    label: (a) => ('rm' in a ? `${a.kind}(${rmName(a.rm)})` : a.kind),
    fingerprint: (s, out) => hasher.fingerprint(s, out),
  };
}

/** The same state in the array version's form (twoPhase.ts), for cross-checks. */
export function asArrays(s: TwoPhaseSetsState, rmCount: number): TwoPhaseState {
  const rms = Array.from({ length: rmCount }, (_, i) => rmName(i));
  return {
    rmState: rms.map((rm) => s.rmState.get(rm)!),
    tmState: s.tmState,
    tmPrepared: rms.map((rm) => s.tmPrepared.has(rm)),
    msgs: [...s.msgs].sort(),
  };
}

export const tcConsistentSets: Property<TwoPhaseSetsState> = {
  name: 'TCConsistent',
  kind: 'always',
  category: 'safety',
  description: 'no resource manager has aborted while another has committed',
  holds: (s) => {
    const states = [...s.rmState.values()];
    return !(states.includes('aborted') && states.includes('committed'));
  },
  explain: (s) => ({
    summary: `rmState = [${[...s.rmState.values()].join(', ')}]`,
    reason: 'aborted-and-committed',
    subjects: [],
    detail: { rmState: [...s.rmState.values()] },
  }),
};

export function twoPhaseSets(rmCount: number, options: TwoPhaseOptions = {}) {
  return { model: twoPhaseSetsModel(rmCount, options), properties: [tcConsistentSets] };
}
