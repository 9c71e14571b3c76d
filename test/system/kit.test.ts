/**
 * The system kit on a toy protocol whose state spaces are counted by hand:
 * p0 starts with tokens in flight to p1, which appends each token it consumes
 * to its history. Tokens marked `junk` can never be used: a drop step removes
 * them, or with eager dropping the step that created the state does; a crash
 * erases the history, and a restart brings back an empty one.
 */
import { describe, expect, it } from 'vitest';
import { allOf, fateOf, ModelError, SystemModel, type Envelope, type ProtocolHandlers, type SystemState } from '../../src/index.js';

interface Token extends Envelope {
  readonly kind: 'token';
  readonly seq: number;
  readonly junk: boolean;
}
interface Vol {
  readonly hist: readonly number[];
}
type S = SystemState<Vol, { restarts: number }, Token, null>;

function toy(options: {
  tokens: number[];
  junk?: number[];
  network?: 'unordered' | 'fifo';
  crashBudget?: number;
  eagerDrop?: boolean;
  /** A broken label: every token gets the same one. */
  sameLabel?: boolean;
}) {
  const handlers: ProtocolHandlers<Vol, { restarts: number }, Token, null, never> = {
    crashBudget: options.crashBudget ?? 0,
    network: options.network ?? 'unordered',
    eagerDrop: options.eagerDrop ?? true,
    initialState: () => ({
      procs: [
        { stable: { restarts: 0 }, vol: { hist: [] } },
        { stable: { restarts: 0 }, vol: { hist: [] } },
      ],
      net: [
        ...options.tokens.map((seq) => ({ kind: 'token' as const, from: 0, to: 1, seq, junk: false })),
        ...(options.junk ?? []).map((seq) => ({ kind: 'token' as const, from: 0, to: 1, seq, junk: true })),
      ],
      global: null,
      crashes: 0,
    }),
    fate: (state, m) => fateOf(m.junk ? 'never' : state.procs[m.to]!.vol === null ? 'later' : 'now', m.junk),
    messageLabel: (_state, m) => (options.sameLabel ? 'deliver a token' : `deliver token ${m.seq}`),
    dropLabel: (m) => `drop token ${m.seq}`,
    isOrdered: () => true,
    consumesInOrder: () => true,
    onMessage: (draft, m) => {
      draft.procs[m.to]!.vol!.hist.push(m.seq);
    },
    internalEvents: () => [],
    onInternal: () => undefined,
    onCrash: () => undefined,
    onRestart: (draft, pid) => {
      draft.procs[pid]!.vol = { hist: [] };
      draft.procs[pid]!.stable.restarts += 1;
    },
    processName: (pid) => `p${pid}`,
  };
  return new SystemModel(handlers, { autoFreeze: true });
}

/** Every reachable state, by exhaustive search with exact (JSON) keys. */
function reachable(model: ReturnType<typeof toy>): S[] {
  const seen = new Map<string, S>();
  const fpSeen = new Set<string>();
  const fp = new Uint32Array(2);
  const queue = [...model.init()];
  for (const s of queue) seen.set(JSON.stringify(s), s);
  for (let i = 0; i < queue.length; i++) {
    model.fingerprint(queue[i]!, fp);
    fpSeen.add(`${fp[0]}:${fp[1]}`);
    for (const a of model.actions(queue[i]!)) {
      const next = model.next(queue[i]!, a);
      const key = JSON.stringify({ ...next, net: [...next.net].map((m) => JSON.stringify(m)).sort() });
      if (!seen.has(key)) {
        seen.set(key, next);
        queue.push(next);
      }
    }
  }
  // Fingerprints identify exactly the states the exact keys do.
  expect(fpSeen.size).toBe(queue.length);
  return queue;
}

describe('SystemModel', () => {
  it('an unordered network delivers in any order: 2 tokens give 5 states', () => {
    expect(reachable(toy({ tokens: [1, 2] }))).toHaveLength(5);
  });

  it('a FIFO channel delivers in send order: 2 tokens give 3 states, and the order is part of the fingerprint', () => {
    const model = toy({ tokens: [1, 2], network: 'fifo' });
    const states = reachable(model);
    expect(states).toHaveLength(3);
    expect(states.at(-1)!.procs[1]!.vol!.hist).toEqual([1, 2]);
    const swapped = toy({ tokens: [2, 1], network: 'fifo' });
    const a = new Uint32Array(2);
    const b = new Uint32Array(2);
    model.fingerprint(model.init()[0]!, a);
    swapped.fingerprint(swapped.init()[0]!, b);
    expect([...a]).not.toEqual([...b]);
  });

  it('identical copies of a message give one action, and the multiset keeps both', () => {
    const model = toy({ tokens: [7, 7] });
    const init = model.init()[0]!;
    expect(model.actions(init).map((a) => model.label(a))).toEqual(['deliver token 7']);
    expect(reachable(model)).toHaveLength(3);
  });

  it('messages that can never be useful are dropped eagerly, with no step of their own', () => {
    const model = toy({ tokens: [1], junk: [9] });
    expect(model.init()[0]!.net.map((m) => m.seq)).toEqual([1]);
    expect(reachable(model)).toHaveLength(2);
  });

  it('without eager dropping, a dead message leaves by a drop step of its own: 4 states instead of 2', () => {
    const model = toy({ tokens: [1], junk: [9], eagerDrop: false });
    const init = model.init()[0]!;
    expect(init.net.map((m) => m.seq)).toEqual([1, 9]);
    expect(model.actions(init).map((a) => model.label(a))).toEqual(['deliver token 1', 'drop token 9']);
    expect(reachable(model)).toHaveLength(4);
  });

  it('two different messages with one label are a ModelError naming the label', () => {
    const model = toy({ tokens: [1, 2], sameLabel: true });
    expect(() => model.actions(model.init()[0]!)).toThrow(ModelError);
    expect(() => model.actions(model.init()[0]!)).toThrow(
      'two different messages in one state have the step label "deliver a token"; labels must tell messages apart',
    );
  });

  it('guard verdicts: never beats later beats now, and only a never-consumable message with a drop rule is dead', () => {
    expect(allOf()).toBe('now');
    expect(allOf('now', 'later')).toBe('later');
    expect(allOf('later', 'never', 'now')).toBe('never');
    expect(fateOf('now', true)).toBe('consume');
    expect(fateOf('later', true)).toBe('drop');
    expect(fateOf('never', true)).toBe('dead');
    expect(fateOf('never', false)).toBe('wait');
    expect(fateOf('later', false)).toBe('wait');
  });

  it('crashes stay within the budget; a crash erases volatile state and messages to a crashed process wait', () => {
    const model = toy({ tokens: [1], crashBudget: 1 });
    const init = model.init()[0]!;
    expect(model.actions(init).map((a) => model.label(a))).toEqual(['deliver token 1', 'crash p0', 'crash p1']);
    const crashed = model.next(init, model.actions(init).find((a) => a.label === 'crash p1')!);
    expect(crashed.procs[1]!.vol).toBeNull();
    expect(crashed.crashes).toBe(1);
    expect(model.actions(crashed).map((a) => model.label(a))).toEqual(['restart p1']);
    const restarted = model.next(crashed, model.actions(crashed)[0]!);
    expect(restarted.procs[1]!.stable.restarts).toBe(1);
    expect(model.actions(restarted).map((a) => model.label(a))).toEqual(['deliver token 1']);
    expect(init.crashes).toBe(0); // next never touched its input (frozen)
  });
});
