/**
 * A toy with messages, a fault and a step of nobody, for the generic
 * space-time diagram (trace/genericDiagram): processes a, b, c over a bag of
 * messages. c's `hi` to a and `hello` to b are there from the start; a sends
 * `ping` to b, which answers `pong`; b reads `hello` only once it has
 * opened; `tick` is a step its description gives no process; `crash b` is a
 * fault. `noCrash` fails once b has crashed: its finding names b (crashed)
 * and, while pong is unread, a (pending).
 */
import type { ActionDescription, CheckTarget, Finding, FindingSubject, Model } from '../../src/index.js';
import { StructuralHasher } from '../../src/index.js';

export interface GreetMessage {
  readonly from: string;
  readonly to: string;
  readonly kind: string;
}

export interface GreetState {
  readonly net: readonly GreetMessage[];
  readonly pinged: boolean;
  readonly open: boolean;
  readonly crashed: boolean;
  readonly ticks: number;
}

export type GreetAction =
  | { readonly kind: 'consume'; readonly message: GreetMessage }
  | { readonly kind: 'ping' | 'open' | 'crash' | 'tick' };

const hasher = new StructuralHasher();

export const greetModel: Model<GreetState, GreetAction> = {
  init: () => [
    {
      net: [
        { from: 'c', to: 'a', kind: 'hi' },
        { from: 'c', to: 'b', kind: 'hello' },
      ],
      pinged: false,
      open: false,
      crashed: false,
      ticks: 0,
    },
  ],
  actions(s) {
    const out: GreetAction[] = [];
    for (const m of s.net) {
      if (m.to === 'b' && s.crashed) continue;
      if (m.kind === 'hello' && !s.open) continue;
      out.push({ kind: 'consume', message: m });
    }
    if (!s.pinged) out.push({ kind: 'ping' });
    if (!s.open && !s.crashed) out.push({ kind: 'open' });
    if (s.ticks === 0) out.push({ kind: 'tick' });
    if (!s.crashed) out.push({ kind: 'crash' });
    return out;
  },
  next(s, a) {
    switch (a.kind) {
      case 'consume': {
        const net = s.net.filter((m) => m !== a.message);
        return { ...s, net: a.message.kind === 'ping' ? [...net, { from: 'b', to: 'a', kind: 'pong' }] : net };
      }
      case 'ping':
        return { ...s, pinged: true, net: [...s.net, { from: 'a', to: 'b', kind: 'ping' }] };
      case 'open':
        return { ...s, open: true };
      case 'tick':
        return { ...s, ticks: s.ticks + 1 };
      case 'crash':
        return { ...s, crashed: true };
    }
  },
  label: (a) => (a.kind === 'consume' ? `${a.message.to} gets ${a.message.kind} from ${a.message.from}` : a.kind === 'ping' ? 'a pings' : a.kind === 'open' ? 'b opens' : a.kind === 'crash' ? 'crash b' : 'tick'),
  fingerprint: (s, out) => hasher.fingerprint(s, out),
  describe(_s, a): ActionDescription {
    switch (a.kind) {
      case 'consume':
        return { actor: a.message.to, sender: a.message.from, receiver: a.message.to, fault: false, kind: a.message.kind };
      case 'ping':
        return { actor: 'a', fault: false, kind: 'ping' };
      case 'open':
        return { actor: 'b', fault: false, kind: 'open' };
      case 'crash':
        return { actor: 'b', fault: true, kind: 'crash' };
      case 'tick':
        return { fault: false };
    }
  },
};

function noCrashFinding(s: GreetState): Finding {
  const subjects: FindingSubject[] = [{ process: 'b', role: 'crashed', reason: 'fault' }];
  const pong = s.net.find((m) => m.kind === 'pong');
  if (pong !== undefined) subjects.push({ process: 'a', role: 'pending', reason: 'unread', message: { source: 'b', kind: 'pong' } });
  return { summary: 'b crashed', reason: 'crashed', subjects };
}

/** The toy as a check target; `processes` orders the lanes (none: first mention). */
export function greetTarget(processes?: readonly string[]): CheckTarget<GreetState, GreetAction> {
  return {
    model: greetModel,
    properties: [
      {
        name: 'noCrash',
        kind: 'always',
        category: 'safety',
        description: 'b never crashes',
        holds: (s) => !s.crashed,
        explain: noCrashFinding,
      },
    ],
    view: (s) => s,
    ...(processes === undefined ? {} : { processes }),
  };
}

/** A run of every kind of step: a receipt of a message of the initial state, a send and its receipt, a step of nobody, an arrival, a fault. */
export const GREET_TRACE = ['a gets hi from c', 'a pings', 'b gets ping from a', 'tick', 'b opens', 'b gets hello from c', 'crash b'] as const;
