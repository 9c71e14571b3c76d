/**
 * Failure-free FBL logging (docs/rules.md § Logging): FF-1 APPSTEP, FF-2
 * DELIVER, FF-3 DISCARD, FF-4 FLUSH, and the initial state.
 */
import { sortedSetInsert, popcount, sortedSetUnion } from '../../../src/index.js';
import { logDets, mergeLog } from '../determinants.js';
import { withChanges } from '../step.js';
import { destinations } from '../workloads.js';
import { entryDet, entryHosts, packDet, packEntry, type FblState, type Globals, type Message, type Status, type Volatile } from '../types.js';
import { appName, delivered } from './queries.js';
import { NO_EVENTS, type AppStepRule, type Context, type DeliverRule, type DiscardRule, type ProcessRule } from './unit.js';

/** FF-1 APPSTEP: after its k-th delivery a process sends to Prog_i(k), logging each message in its send log. */
export const FF1: AppStepRule = {
  id: 'FF-1',
  name: 'APPSTEP',
  phase: 'logging',
  // A2, A3: an entry travels on while at most f processes are known to hold it, and S does not.
  piggybacks: (c, hosts) => (hosts & c.stableHostBit) === 0 && popcount(hosts & c.allProcesses) <= c.config.f,
  run(c, vol, pid, inc, out) {
    const dests = destinations(c.config.program, pid, vol.hist.length);
    if (dests.length === 0) return vol;
    const pb = piggyback(c, vol.dl);
    const sendLog = vol.sendLog.slice();
    for (const dest of dests) {
      const ssn = sendLog.length + 1;
      const data = c.ids.data(pid, ssn, vol.hist);
      sendLog.push({ dest, data, pb, past: vol.past });
      out?.send({ kind: 'app', from: pid, to: dest, ssn, inc, data, pb, past: vol.past });
    }
    return withChanges(vol, { sendLog });
  },
};

/** pb: the log entries a send carries (the log itself when it carries all of them). */
function piggyback(c: Context, dl: readonly number[]): readonly number[] {
  const piggybacks = c.rules['FF-1'].piggybacks;
  const out: number[] = [];
  for (const e of dl) if (piggybacks(c, entryHosts(e))) out.push(e);
  return out.length === dl.length ? dl : out;
}

/**
 * FF-2 DELIVER: a Live process delivers a message that no reception rule
 * asked before it took (FF-3: not a duplicate, not stale; BL-2: not
 * blocked): history, ghost past, determinants, then FF-1 transmitting.
 */
export const FF2: DeliverRule = {
  id: 'FF-2',
  name: 'DELIVER',
  phase: 'logging',
  disposition: (_c, vol) => (vol.status === 'Live' ? 'deliver' : undefined),
  label: (c, m) => `deliver ${appName(c, m)})`,
  determinant: (_c, pid, m, rsn) => packDet(m.from, m.ssn, pid, rsn),
  effect(c, step, m) {
    step.setVol(m.to, c.rules['FF-2'].record(c, step.live(m.to), m.to, m, step.inc(m.to), step.out));
  },
  record(c, vol, pid, m, inc, out) {
    const rsn = vol.hist.length + 1;
    const message = c.ids.message(m.from, m.ssn, m.data);
    const hist = [...vol.hist, message];
    const past = sortedSetInsert(sortedSetUnion(vol.past, m.past), c.ids.record(pid, rsn, message));
    // Merge the piggybacked entries, adding the receiver as a host; log the new determinant at the receiver.
    const self = 1 << pid;
    const det = c.rules['FF-2'].determinant(c, pid, m, rsn, inc);
    const dl = mergeLog(mergeLog(vol.dl, m.pb, self), [packEntry(det, self)], 0);
    return c.rules['FF-1'].run(c, withChanges(vol, { hist, past, dl }), pid, inc, out);
  },
};

/** FF-3 DISCARD: a Live or Replaying process removes a duplicate, or a message of a dead incarnation (A17). */
export const FF3: DiscardRule = {
  id: 'FF-3',
  name: 'DISCARD',
  phase: 'logging',
  stale: (_c, vol, m) => m.inc < vol.iv[m.from]!,
  disposition(c, vol, m) {
    if (vol.status === 'Waiting') return undefined;
    if (delivered(c, vol, m.from, m.ssn)) return 'duplicate';
    return c.rules['FF-3'].stale(c, vol, m) ? 'stale' : undefined;
  },
  label: (c, m, d) => `discard ${appName(c, m)}, ${d})`,
};

/** FF-4 FLUSH (f = n): one asynchronous write of every determinant of an up process not yet at S. */
export const FF4: ProcessRule<'flush'> = {
  id: 'FF-4',
  name: 'FLUSH',
  phase: 'logging',
  event: 'flush',
  scope: 'process',
  enabled: (c, _state, pid, vol) =>
    c.hasStableHost && vol !== null && vol.status !== 'Waiting' && vol.dl.some((e) => (entryHosts(e) & c.stableHostBit) === 0)
      ? [{ kind: 'flush', pid }]
      : NO_EVENTS,
  label: (c, e) => `flush ${c.processName(e.pid)}`,
  effect(c, step, e) {
    const vol = step.live(e.pid);
    step.setGlobal({ sLog: sortedSetUnion(step.global.sLog, logDets(vol.dl)) });
    step.patch(e.pid, { dl: vol.dl.map((x) => packEntry(entryDet(x), entryHosts(x) | c.stableHostBit)) });
  },
};

/** The volatile part of the initial checkpoint (A22): nothing delivered, sent or logged. */
export function checkpointVolatile(c: Context, status: Status, iv: readonly number[]): Volatile {
  return {
    status,
    hist: [],
    sendLog: [],
    dl: [],
    iv,
    past: [],
    lead: null,
    replay: [],
    enrolled: 0,
    blocked: false,
    holds: [],
    boundInc: c.noBoundInc,
    boundRsn: c.noBoundRsn,
    pendingAdoption: NONE,
  };
}

/** The initial state: every process Live at its checkpoint, having run FF-1 for k = 0 (its initial sends in transit). */
export function initialState(c: Context): FblState {
  const procs = [];
  const net: Message[] = [];
  for (let pid = 0; pid < c.n; pid++) {
    const iv = new Array<number>(c.n).fill(0);
    const vol = c.rules['FF-1'].run(c, checkpointVolatile(c, 'Live', iv), pid, 0, { send: (m) => void net.push(m) });
    procs.push({ stable: { inc: 0, ord: 0, keptIv: null }, vol });
  }
  const global: Globals = { ordCtr: 0, roundCtr: 0, restarts: 0, aborted: false, sLog: [], liveStableWrites: 0 };
  return { procs, net, global, crashes: 0 };
}

/** The empty list (no adoption pending). */
export const NONE: readonly number[] = [];
