/**
 * Collision-free identities of message data, messages and delivery records
 * (interned tuples, docs/protocol.md § System model and § The state), and process names. Shared by the
 * protocol, the properties, the views and the diagrams.
 */
import type { Interner } from '../../src/index.js';

/** Identities shared by the protocol, the properties and the views: interned tuples. */
export class Identities {
  constructor(private readonly interner: Interner) {}
  /** Message data: a collision-free digest of sender, ssn and the sender's whole delivery history. */
  data(sender: number, ssn: number, hist: readonly number[]): number {
    return this.interner.intern([1, sender, ssn, ...hist]);
  }
  /** A message's identity ⟨source, ssn, data⟩, as kept in delivery histories. */
  message(source: number, ssn: number, data: number): number {
    return this.interner.intern([0, source, ssn, data]);
  }
  /** A delivery record ⟨process, rsn, message identity⟩: the ghost events of causal pasts. */
  record(process: number, rsn: number, message: number): number {
    return this.interner.intern([2, process, rsn, message]);
  }
  messageParts(id: number): { source: number; ssn: number; data: number } {
    const [, source, ssn, data] = this.interner.tuple(id) as [number, number, number, number];
    return { source, ssn, data };
  }
  // Single fields, for the hot paths (no object per call).
  messageSource(id: number): number {
    return this.interner.field(id, 1);
  }
  messageSsn(id: number): number {
    return this.interner.field(id, 2);
  }
  recordProcess(id: number): number {
    return this.interner.field(id, 1);
  }
  recordRsn(id: number): number {
    return this.interner.field(id, 2);
  }
  recordMessage(id: number): number {
    return this.interner.field(id, 3);
  }
  recordParts(id: number): { process: number; rsn: number; message: number } {
    const [, process, rsn, message] = this.interner.tuple(id) as [number, number, number, number];
    return { process, rsn, message };
  }
}

/** `p0`, `p1`, …; pid n is the stable-storage host S of f = n. */
export function processName(pid: number, n: number): string {
  return pid === n ? 'S' : `p${pid}`;
}
