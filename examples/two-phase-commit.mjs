// Two-phase commit (Lamport's TwoPhase.tla, as Stateright's 2pc example
// writes it): a transaction manager (TM) and resource managers r1, r2, …
// With 3 resource managers there are 288 reachable states.
//
//   rrcheck check examples/two-phase-commit.mjs               TCConsistent holds
//   rrcheck check examples/two-phase-commit.mjs --bug early   the TM commits before
//                                                             every RM prepared: violated
import { StructuralHasher } from 'rrcheck';

const rmName = (rm) => `r${rm + 1}`;
const withMsg = (msgs, m) => (msgs.includes(m) ? msgs : [...msgs, m].sort());
const setAt = (list, index, value) => list.map((v, i) => (i === index ? value : v));
const stepKinds = { TMCommit: 'commit', TMAbort: 'abort', RMPrepare: 'prepare', RMChooseToAbort: 'abort' };

function twoPhaseCommit({ rms: count, bug }) {
  const rms = Array.from({ length: count }, (_, i) => i);
  const hasher = new StructuralHasher();
  const model = {
    init: () => [{ rmState: rms.map(() => 'working'), tmState: 'init', tmPrepared: rms.map(() => false), msgs: [] }],
    actions(s) {
      const out = [];
      const allPrepared = s.tmPrepared.every((p) => p);
      if (s.tmState === 'init' && (allPrepared || bug === 'early')) out.push({ kind: 'TMCommit' });
      if (s.tmState === 'init') out.push({ kind: 'TMAbort' });
      for (const rm of rms) {
        if (s.tmState === 'init' && s.msgs.includes(`Prepared ${rmName(rm)}`)) out.push({ kind: 'TMRcvPrepared', rm });
        if (s.rmState[rm] === 'working') out.push({ kind: 'RMPrepare', rm }, { kind: 'RMChooseToAbort', rm });
        if (s.msgs.includes('Commit')) out.push({ kind: 'RMRcvCommitMsg', rm });
        if (s.msgs.includes('Abort')) out.push({ kind: 'RMRcvAbortMsg', rm });
      }
      return out;
    },
    next(s, a) {
      switch (a.kind) {
        case 'TMCommit': return { ...s, tmState: 'committed', msgs: withMsg(s.msgs, 'Commit') };
        case 'TMAbort': return { ...s, tmState: 'aborted', msgs: withMsg(s.msgs, 'Abort') };
        case 'TMRcvPrepared': return { ...s, tmPrepared: setAt(s.tmPrepared, a.rm, true) };
        case 'RMPrepare': return { ...s, rmState: setAt(s.rmState, a.rm, 'prepared'), msgs: withMsg(s.msgs, `Prepared ${rmName(a.rm)}`) };
        case 'RMChooseToAbort': return { ...s, rmState: setAt(s.rmState, a.rm, 'aborted') };
        case 'RMRcvCommitMsg': return { ...s, rmState: setAt(s.rmState, a.rm, 'committed') };
        case 'RMRcvAbortMsg': return { ...s, rmState: setAt(s.rmState, a.rm, 'aborted') };
      }
    },
    label: (a) => ('rm' in a ? `${a.kind}(${rmName(a.rm)})` : a.kind),
    fingerprint: (s, out) => hasher.fingerprint(s, out),
    // Each step as data: who takes it and, for a receipt, whose message it
    // consumes. rrcheck render draws the space-time diagram from these.
    describe(s, a) {
      const rm = 'rm' in a ? rmName(a.rm) : 'TM';
      switch (a.kind) {
        case 'TMRcvPrepared': return { actor: 'TM', sender: rm, receiver: 'TM', fault: false, kind: 'Prepared' };
        case 'RMRcvCommitMsg': return { actor: rm, sender: 'TM', receiver: rm, fault: false, kind: 'Commit' };
        case 'RMRcvAbortMsg': return { actor: rm, sender: 'TM', receiver: rm, fault: false, kind: 'Abort' };
        default: return { actor: rm, fault: false, kind: stepKinds[a.kind] };
      }
    },
  };
  const tcConsistent = {
    name: 'TCConsistent',
    kind: 'always',
    category: 'safety',
    description: 'no resource manager has aborted while another has committed',
    holds: (s) => !(s.rmState.includes('aborted') && s.rmState.includes('committed')),
    explain: (s) => `rmState = [${s.rmState.join(', ')}]`,
  };
  // The diagram's lanes, in this order.
  const processes = ['TM', ...rms.map(rmName)];
  return { model, properties: [tcConsistent], view: (s) => s, processes };
}

export default {
  id: 'two-phase-commit',
  title: 'two-phase commit',
  summary: 'a transaction manager and resource managers agree to commit or abort (TwoPhase.tla)',
  params: [
    { name: 'rms', type: 'integer', description: 'number of resource managers', defaultValue: 3, min: 1, max: 6 },
    { name: 'bug', type: 'choice', choices: ['none', 'early'], description: 'early: the TM may commit before every RM prepared', defaultValue: 'none' },
  ],
  build: twoPhaseCommit,
};
