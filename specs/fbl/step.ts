import type { Outbox } from '../../src/index.js';
import type { FblDraft, FblState, Globals, Message, Stable, Volatile } from './types.js';

/**
 * The values a step has changed so far, over the state before the step.
 * Handlers read and write through it; `commit` then assigns them to the
 * draft's root fields in one go. Writing only at the root lets the kit run
 * the handlers on a shallow copy of the state rather than an immer draft
 * (`rootWritesOnly`), whose proxies cost about as much as the step itself.
 */
export class Step {
  /** The new volatile and stable parts by pid (a hole: unchanged); arrays created on the first write. */
  private vols: (Volatile | undefined)[] | undefined;
  private stables: (Stable | undefined)[] | undefined;
  private globals: Globals;
  private globalsChanged = false;
  constructor(
    readonly base: FblState,
    readonly out: Outbox<Message>,
  ) {
    this.globals = base.global;
  }
  vol(pid: number): Volatile | null {
    return this.vols?.[pid] ?? this.base.procs[pid]!.vol;
  }
  live(pid: number): Volatile {
    const v = this.vol(pid);
    if (v === null) throw new Error(`internal: p${pid} is crashed`);
    return v;
  }
  setVol(pid: number, vol: Volatile): void {
    (this.vols ??= [])[pid] = vol;
  }
  patch(pid: number, changes: Partial<Volatile>): Volatile {
    const next = withChanges(this.live(pid), changes);
    this.setVol(pid, next);
    return next;
  }
  setStable(pid: number, stable: Stable): void {
    (this.stables ??= [])[pid] = stable;
  }
  inc(pid: number): number {
    return (this.stables?.[pid] ?? this.base.procs[pid]!.stable).inc;
  }
  get global(): Globals {
    return this.globals;
  }
  setGlobal(changes: Partial<Globals>): void {
    this.globals = { ...this.globals, ...changes };
    this.globalsChanged = true;
  }
  commit(draft: FblDraft): void {
    const vols = this.vols;
    const stables = this.stables;
    if (vols !== undefined || stables !== undefined) {
      (draft as { procs: FblState['procs'] }).procs = this.base.procs.map((p, pid) => {
        const vol = vols?.[pid];
        const stable = stables?.[pid];
        return vol === undefined && stable === undefined ? p : { stable: stable ?? p.stable, vol: vol ?? p.vol };
      });
    }
    if (this.globalsChanged) (draft as { global: Globals }).global = this.globals;
  }
}

/**
 * `vol` with `changes` applied, i.e. `{ ...vol, ...changes }` (no field of a
 * Volatile is ever undefined). Built field by field: V8 copies an object
 * whose hash the fingerprint stored in it (a non-enumerable property) by a
 * slow path, and a spread cost about as much as the rest of a step.
 */
export function withChanges(vol: Volatile, changes: Partial<Volatile>): Volatile {
  return {
    status: or(changes.status, vol.status),
    hist: or(changes.hist, vol.hist),
    sendLog: or(changes.sendLog, vol.sendLog),
    dl: or(changes.dl, vol.dl),
    iv: or(changes.iv, vol.iv),
    past: or(changes.past, vol.past),
    lead: or(changes.lead, vol.lead),
    replay: or(changes.replay, vol.replay),
    enrolled: or(changes.enrolled, vol.enrolled),
    blocked: or(changes.blocked, vol.blocked),
    holds: or(changes.holds, vol.holds),
    boundInc: or(changes.boundInc, vol.boundInc),
    boundRsn: or(changes.boundRsn, vol.boundRsn),
    pendingAdoption: or(changes.pendingAdoption, vol.pendingAdoption),
  };
}

function or<T>(value: T | undefined, otherwise: T): T {
  return value === undefined ? otherwise : value;
}
