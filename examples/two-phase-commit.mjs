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
  };
  const tcConsistent = {
    name: 'TCConsistent',
    kind: 'always',
    category: 'safety',
    description: 'no resource manager has aborted while another has committed',
    holds: (s) => !(s.rmState.includes('aborted') && s.rmState.includes('committed')),
    explain: (s) => `rmState = [${s.rmState.join(', ')}]`,
  };
  return { model, properties: [tcConsistent], view: (s) => s, diagram };
}

// The space-time diagram `rrcheck render` draws: lane 0 is the TM, lane k the RM rk.
// Each message is sent once (msgs is a set); its first receipt ends its arrow.
function diagram(states, labels, { property, explanation }) {
  const events = [];
  const ids = new Map(); // "Prepared 1→0" → message id
  const send = (time, from, to, name) => {
    ids.set(`${name} ${from}→${to}`, ids.size);
    events.push({ kind: 'send', time, lane: from, to, message: ids.size - 1, messageClass: 'application', name, text: name });
  };
  const receive = (time, from, to, name) => {
    const message = ids.get(`${name} ${from}→${to}`);
    const first = message !== undefined && !events.some((e) => e.kind === 'receive' && e.message === message);
    events.push(first ? { kind: 'receive', time, lane: to, message, text: name } : { kind: 'mark', time, lane: to, text: name });
  };
  const rmCount = states[0].rmState.length;
  labels.forEach((label, i) => {
    const [, kind, r] = /^(\w+?)(?:\(r(\d+)\))?$/.exec(label);
    const time = i + 1;
    const rm = Number(r);
    if (kind === 'RMPrepare') send(time, rm, 0, 'Prepared');
    if (kind === 'TMRcvPrepared') receive(time, rm, 0, 'Prepared');
    if (kind === 'RMChooseToAbort') events.push({ kind: 'mark', time, lane: rm, text: 'abort' });
    if (kind === 'TMCommit' || kind === 'TMAbort') for (let to = 1; to <= rmCount; to++) send(time, 0, to, kind.slice(2));
    if (kind === 'RMRcvCommitMsg') receive(time, 0, rm, 'Commit');
    if (kind === 'RMRcvAbortMsg') receive(time, 0, rm, 'Abort');
  });
  const processes = ['TM', ...states[0].rmState.map((_, rm) => rmName(rm))];
  return { title: '', processes, labels, events, highlights: [], property, explanation };
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
