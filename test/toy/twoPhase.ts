/**
 * Lamport's TwoPhase.tla (the TLA+ examples' two-phase commit), transcribed
 * action for action: rmState, tmState, tmPrepared and msgs (a set of
 * messages), with the actions TMRcvPrepared, TMCommit, TMAbort, RMPrepare,
 * RMChooseToAbort, RMRcvCommitMsg and RMRcvAbortMsg. As in TLA+, an action
 * whose effect leaves the state unchanged (TMRcvPrepared of an RM already in
 * tmPrepared, RMRcvCommitMsg by a committed RM…) is still enabled: a self-loop.
 *
 * With 3 resource managers TLC finds 288 distinct states, and Stateright's
 * 2pc example pins the same number. `commitWithoutAllPrepared` is a broken
 * TM that may commit before every RM has prepared, violating TCConsistent.
 */
import { StructuralHasher, type Model, type Property } from '../../src/core/index.js';

export type RmState = 'working' | 'prepared' | 'committed' | 'aborted';

export interface TwoPhaseState {
  readonly rmState: readonly RmState[];
  readonly tmState: 'init' | 'committed' | 'aborted';
  readonly tmPrepared: readonly boolean[];
  /** The set of messages, as sorted strings: 'Abort', 'Commit', 'Prepared r1'… */
  readonly msgs: readonly string[];
}

export type TwoPhaseAction =
  | { readonly kind: 'TMCommit' | 'TMAbort' }
  | {
      readonly kind: 'TMRcvPrepared' | 'RMPrepare' | 'RMChooseToAbort' | 'RMRcvCommitMsg' | 'RMRcvAbortMsg';
      readonly rm: number;
    };

export interface TwoPhaseOptions {
  /** Broken variant: TMCommit is enabled without every RM prepared. */
  readonly commitWithoutAllPrepared?: boolean;
}

const rmName = (rm: number): string => `r${rm + 1}`;

const addMsg = (msgs: readonly string[], m: string): readonly string[] =>
  msgs.includes(m) ? msgs : [...msgs, m].sort();

const setRm = (rmState: readonly RmState[], rm: number, value: RmState): readonly RmState[] =>
  rmState.map((v, i) => (i === rm ? value : v));

export function twoPhaseModel(rmCount: number, options: TwoPhaseOptions = {}): Model<TwoPhaseState, TwoPhaseAction> {
  const hasher = new StructuralHasher();
  const rms = Array.from({ length: rmCount }, (_, i) => i);
  return {
    init: () => [
      {
        rmState: rms.map(() => 'working' as const),
        tmState: 'init',
        tmPrepared: rms.map(() => false),
        msgs: [],
      },
    ],
    actions(s) {
      const out: TwoPhaseAction[] = [];
      // Next == TMCommit \/ TMAbort \/ \E rm \in RM : TMRcvPrepared(rm) \/ RMPrepare(rm) \/ ...
      const allPrepared = s.tmPrepared.every((p) => p);
      if (s.tmState === 'init' && (allPrepared || options.commitWithoutAllPrepared)) out.push({ kind: 'TMCommit' });
      if (s.tmState === 'init') out.push({ kind: 'TMAbort' });
      for (const rm of rms) {
        if (s.tmState === 'init' && s.msgs.includes(`Prepared ${rmName(rm)}`)) out.push({ kind: 'TMRcvPrepared', rm });
        if (s.rmState[rm] === 'working') {
          out.push({ kind: 'RMPrepare', rm });
          out.push({ kind: 'RMChooseToAbort', rm });
        }
        if (s.msgs.includes('Commit')) out.push({ kind: 'RMRcvCommitMsg', rm });
        if (s.msgs.includes('Abort')) out.push({ kind: 'RMRcvAbortMsg', rm });
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
          return { ...s, tmPrepared: s.tmPrepared.map((p, i) => p || i === a.rm) };
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

/** TCConsistent == \A rm1, rm2 \in RM : ~(rmState[rm1] = "aborted" /\ rmState[rm2] = "committed") */
export const tcConsistent: Property<TwoPhaseState> = {
  name: 'TCConsistent',
  kind: 'always',
  category: 'safety',
  description: 'no resource manager has aborted while another has committed',
  holds: (s) => !(s.rmState.includes('aborted') && s.rmState.includes('committed')),
  explain: (s) => ({
    summary: `rmState = [${s.rmState.join(', ')}]`,
    reason: 'aborted-and-committed',
    subjects: [],
    detail: { rmState: [...s.rmState] },
  }),
};

export function twoPhase(rmCount: number, options: TwoPhaseOptions = {}) {
  return { model: twoPhaseModel(rmCount, options), properties: [tcConsistent] };
}
