/**
 * A readable, JSON-able view of an FBL state, for traces and diffs: processes
 * by name, messages and determinants in the notation of docs/rules.md.
 */
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
