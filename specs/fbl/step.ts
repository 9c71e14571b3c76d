import type { Draft } from 'immer';
import type { Outbox } from '../../src/index.js';
import type { FblState, Globals, Message, Stable, Volatile } from './types.js';

/**
 * The values a step has changed so far, over the state before the step.
 * Handlers read and write through it; `commit` then assigns them to the
 * draft's root fields in one go. Writing only at the root keeps immer from
 * creating nested drafts and from walking every new sub-object at
 * finalization, which cost more than the protocol step itself.
 */
export class Step {
  private readonly vols = new Map<number, Volatile | null>();
  private readonly stables = new Map<number, Stable>();
  private globals: Globals;
  private globalsChanged = false;
  constructor(
    readonly base: FblState,
    readonly out: Outbox<Message>,
  ) {
    this.globals = base.global;
  }
  vol(pid: number): Volatile | null {
    return this.vols.has(pid) ? this.vols.get(pid)! : this.base.procs[pid]!.vol;
  }
  live(pid: number): Volatile {
    const v = this.vol(pid);
    if (v === null) throw new Error(`internal: p${pid} is crashed`);
    return v;
  }
  setVol(pid: number, vol: Volatile): void {
    this.vols.set(pid, vol);
  }
  patch(pid: number, changes: Partial<Volatile>): Volatile {
    const next = { ...this.live(pid), ...changes };
    this.setVol(pid, next);
    return next;
  }
  setStable(pid: number, stable: Stable): void {
    this.stables.set(pid, stable);
  }
  inc(pid: number): number {
    return (this.stables.get(pid) ?? this.base.procs[pid]!.stable).inc;
  }
  get global(): Globals {
    return this.globals;
  }
  setGlobal(changes: Partial<Globals>): void {
    this.globals = { ...this.globals, ...changes };
    this.globalsChanged = true;
  }
  commit(draft: Draft<FblState>): void {
    if (this.vols.size > 0 || this.stables.size > 0) {
      (draft as { procs: FblState['procs'] }).procs = this.base.procs.map((p, pid) =>
        this.vols.has(pid) || this.stables.has(pid)
          ? { stable: this.stables.get(pid) ?? p.stable, vol: this.vol(pid) }
          : p,
      );
    }
    if (this.globalsChanged) (draft as { global: Globals }).global = this.globals;
  }
}
