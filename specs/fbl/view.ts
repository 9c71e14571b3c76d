/**
 * A readable, JSON-able view of an FBL state, for traces and diffs: processes
 * by name, messages and determinants in the notation of docs/rules.md.
 */
import { itfSome } from '../../src/index.js';
import { unpackDet, entryDet, entryHosts, type FblState, type Message } from './types.js';
import type { Identities } from './identities.js';

export function viewer(n: number, ids: Identities): (state: FblState) => unknown {
  const name = (pid: number): string => (pid === n ? 'S' : `p${pid}`);
  const hostsText = (hosts: number): string => {
    const names: string[] = [];
    for (let h = 0; h <= n; h++) if (hosts & (1 << h)) names.push(name(h));
    return `{${names.join(',')}}`;
  };
  const detText = (det: number): string => {
    const d = unpackDet(det);
    return `#(${name(d.source)}#${d.ssn}→${name(d.dest)}@${d.rsn}${d.destInc ? ` inc ${d.destInc}` : ''})`;
  };
  const messageText = (id: number): string => {
    const m = ids.messageParts(id);
    return `${name(m.source)}#${m.ssn}·d${m.data}`;
  };
  const netText = (m: Message): string => {
    const ends = `${name(m.from)}→${name(m.to)}`;
    switch (m.kind) {
      case 'app':
        return `app ${ends} #${m.ssn} inc ${m.inc} d${m.data}${m.pb.length ? ` pb ${m.pb.map((e) => detText(entryDet(e))).join(' ')}` : ''}`;
      case 'incReq':
        return `incarnation-request ${ends} round ${m.round}`;
      case 'incRep':
        return `incarnation-reply ${ends} round ${m.round} inc ${m.inc}`;
      case 'depReq':
        return `depinfo-request ${ends} round ${m.round} iv [${m.iv.join(',')}]`;
      case 'depRep':
        return `depinfo-reply ${ends} round ${m.round} dets ${m.dets.map(detText).join(' ') || '∅'}`;
      case 'depInfo':
        return `depinfo ${ends} round ${m.round} dets ${m.dets.map(detText).join(' ') || '∅'} iv [${m.iv.join(',')}]`;
      case 'replayReq':
        return `replay-request ${ends} #${m.ssn}`;
      case 'resendReq':
        return `resend-request ${ends}`;
      case 'announce':
        return `announce ${ends} inc ${m.inc} recovered ${m.maxRsn}`;
    }
  };
  return (state) => {
    const procs: Record<string, unknown> = {};
    state.procs.forEach((p, pid) => {
      const v = p.vol;
      procs[name(pid)] =
        v === null
          ? { status: 'Crashed', inc: p.stable.inc, ord: p.stable.ord, ...(p.stable.keptIv ? { keptIncvector: `[${p.stable.keptIv.join(',')}]` } : {}) }
          : {
              status: v.status + (v.blocked ? ' (blocked)' : ''),
              inc: p.stable.inc,
              ord: p.stable.ord,
              history: v.hist.map(messageText),
              sendLog: v.sendLog.map((e, i) => `#${i + 1}→${name(e.dest)} d${e.data}`),
              determinants: v.dl.map((e) => `${detText(entryDet(e))}${hostsText(entryHosts(e))}`),
              incvector: `[${v.iv.join(',')}]`,
              leader: v.lead && {
                round: v.lead.round,
                phase: v.lead.phase,
                R: hostsText(v.lead.recovering),
                pending: hostsText(v.lead.pending),
                collected: v.lead.collected.map(detText),
                ...(v.lead.responders !== 0 ? { L: hostsText(v.lead.responders) } : {}),
              },
              replayList: v.replay.map(detText),
              enrolledIn: v.enrolled,
              ...(v.pendingAdoption.length ? { adoptNext: `[${v.pendingAdoption.join(',')}]` } : {}),
              ...(v.holds.length ? { holds: v.holds.map((h) => `${name(h.proc)}@inc ${h.inc}: ${h.dets.map(detText).join(' ') || '∅'}`) } : {}),
              ...(v.boundInc.some((c) => c >= 0)
                ? { announced: v.boundInc.flatMap((c, k) => (c >= 0 ? [`${name(k)}@inc ${c}: ${v.boundRsn[k]} recovered`] : [])) }
                : {}),
            };
    });
    return {
      processes: procs,
      network: state.net.map(netText).sort(),
      crashes: state.crashes,
      restarts: state.global.restarts,
      ...(state.global.sLog.length ? { stableHost: state.global.sLog.map(detText) } : {}),
    };
  };
}

/**
 * The typed view of an FBL state for counterexample files' ITF states
 * (CheckTarget.itfView): the same facts as `viewer` without display strings.
 * Host and process sets are sets of names (`#set`), the determinant log a set
 * of records, the network a list of variants `{tag: kind, value: {...}}` (a
 * multiset: equal messages may repeat), the leader an option (`None` or
 * `{tag: "Some", value}`), and every field is present in every state, so
 * that Quint and Apalache users can type and query them.
 */
export function itfViewer(n: number, ids: Identities): (state: FblState) => unknown {
  const name = (pid: number): string => (pid === n ? 'S' : `p${pid}`);
  const hosts = (mask: number): Set<string> => {
    const names = new Set<string>();
    for (let h = 0; h <= n; h++) if (mask & (1 << h)) names.add(name(h));
    return names;
  };
  const det = (packed: number) => {
    const d = unpackDet(packed);
    return { source: name(d.source), ssn: d.ssn, dest: name(d.dest), rsn: d.rsn, destInc: d.destInc };
  };
  const logEntry = (entry: number) => ({ ...det(entryDet(entry)), hosts: hosts(entryHosts(entry)) });
  const message = (id: number) => {
    const m = ids.messageParts(id);
    return { source: name(m.source), ssn: m.ssn, data: m.data };
  };
  /** A per-process vector as a map from process name to its entry. */
  const vector = (values: readonly number[]): Map<string, number> => new Map(values.map((v, pid) => [name(pid), v]));
  const network = (m: Message) => {
    const ends = { from: name(m.from), to: name(m.to) };
    switch (m.kind) {
      case 'app':
        return { tag: 'app', value: { ...ends, ssn: m.ssn, inc: m.inc, data: m.data, piggyback: new Set(m.pb.map(logEntry)) } };
      case 'incReq':
        return { tag: 'incarnationRequest', value: { ...ends, round: m.round } };
      case 'incRep':
        return { tag: 'incarnationReply', value: { ...ends, round: m.round, inc: m.inc } };
      case 'depReq':
        return { tag: 'depinfoRequest', value: { ...ends, round: m.round, incvector: vector(m.iv) } };
      case 'depRep':
        return { tag: 'depinfoReply', value: { ...ends, round: m.round, dets: new Set(m.dets.map(det)), incvector: vector(m.iv) } };
      case 'depInfo':
        return { tag: 'depinfo', value: { ...ends, round: m.round, dets: new Set(m.dets.map(det)), incvector: vector(m.iv) } };
      case 'replayReq':
        return { tag: 'replayRequest', value: { ...ends, ssn: m.ssn } };
      case 'resendReq':
        return { tag: 'resendRequest', value: ends };
      case 'announce':
        return { tag: 'announce', value: { ...ends, inc: m.inc, recovered: m.maxRsn } };
    }
  };
  return (state) => {
    const processes = new Map<string, unknown>();
    state.procs.forEach((p, pid) => {
      const v = p.vol;
      processes.set(name(pid), {
        status: v === null ? 'Crashed' : v.status,
        blocked: v?.blocked ?? false,
        inc: p.stable.inc,
        ord: p.stable.ord,
        keptIncvector: p.stable.keptIv === null ? null : itfSome(vector(p.stable.keptIv)),
        volatile:
          v === null
            ? null
            : itfSome({
                history: v.hist.map(message),
                sendLog: v.sendLog.map((e, i) => ({ ssn: i + 1, dest: name(e.dest), data: e.data })),
                determinants: new Set(v.dl.map(logEntry)),
                incvector: vector(v.iv),
                leader:
                  v.lead === null
                    ? null
                    : itfSome({
                        round: v.lead.round,
                        phase: v.lead.phase,
                        recovering: hosts(v.lead.recovering),
                        pending: hosts(v.lead.pending),
                        collected: new Set(v.lead.collected.map(det)),
                        responders: hosts(v.lead.responders),
                      }),
                replayList: v.replay.map(det),
                enrolledIn: v.enrolled,
                adoptNext: vector(v.pendingAdoption),
                holds: v.holds.map((h) => ({ process: name(h.proc), inc: h.inc, dets: new Set(h.dets.map(det)) })),
                announced: new Map(v.boundInc.flatMap((c, k) => (c >= 0 ? [[name(k), { inc: c, recovered: v.boundRsn[k]! }] as const] : []))),
              }),
      });
    });
    return {
      processes,
      network: state.net.map(network),
      crashes: state.crashes,
      restarts: state.global.restarts,
      stableHost: new Set(state.global.sLog.map(det)),
    };
  };
}
