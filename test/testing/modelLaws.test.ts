/**
 * rrcheck/testing's model laws: they pass well-behaved models, and each law
 * fails on a toy model broken in just that way, with an error that names the
 * law, the state and how it is reached, and the action.
 */
import { describe, expect, it } from 'vitest';
import type { Model } from '../../src/index.js';
import { checkModelLaws, MODEL_LAWS, ModelLawError, type ModelLaw, type ModelLawsOptions } from '../../src/testing/index.js';
import { chainModel, gridModel, lassoModel, mixInts } from '../toy/graphModels.js';

interface Bag {
  readonly items: readonly number[];
}

/** A well-behaved model over records with arrays: add 1 or 2 to the bag, up to 3 items. */
function bagModel(overrides: Partial<Model<Bag, number>> = {}): Model<Bag, number> {
  return {
    init: () => [{ items: [] }],
    actions: (s) => (s.items.length < 3 ? [1, 2] : []),
    next: (s, a) => ({ items: [...s.items, a] }),
    label: (a) => `add ${a}`,
    fingerprint: (s, out) => mixInts(out, s.items.reduce((h, x) => h * 3 + x, 1)),
    ...overrides,
  };
}

/** A box whose structured clone loses its class (a plain object), so the default clone is not equal. */
class Box {
  constructor(readonly n: number) {}
}

interface Tally {
  readonly n: number;
  /** A Map stays writable when deep-frozen: only the before/after comparison sees writes to it. */
  readonly counts: Map<number, number>;
}

/** Counts to 2; `next` also writes into its input's `counts` map. */
const tallyMutatingMap: Model<Tally, number> = {
  init: () => [{ n: 0, counts: new Map() }],
  actions: (s) => (s.n < 2 ? [1] : []),
  next: (s, a) => {
    s.counts.set(a, (s.counts.get(a) ?? 0) + 1);
    return { n: s.n + a, counts: new Map(s.counts) };
  },
  label: (a) => `add ${a}`,
  fingerprint: (s, out) => mixInts(out, s.n),
};

/** A counter that starts at the first call and flips between calls. */
function flipping(): () => boolean {
  let k = 0;
  return () => k++ % 2 === 1;
}

interface Broken {
  readonly law: ModelLaw;
  readonly why: string;
  readonly run: () => unknown;
  readonly message: string;
  readonly labels: readonly string[];
  readonly action: string | undefined;
}

const broken: readonly Broken[] = [
  {
    law: 'init repeatable',
    why: 'init() returns another state each time',
    run: () => checkModelLaws(bagModel({ init: (() => { let k = 0; return () => [{ items: [k++] }]; })() })),
    message: 'model law "init repeatable" fails: the second call of init() gives {"items":[1]} instead in state {"items":[0]} (initial state #0)',
    labels: [],
    action: undefined,
  },
  {
    law: 'fingerprint stable',
    why: 'fingerprint() of a non-initial state reads a hidden counter',
    run: () => {
      let k = 0;
      return checkModelLaws(bagModel({ fingerprint: (s, out) => mixInts(out, s.items.length === 0 ? 0 : k++) }));
    },
    message: 'model law "fingerprint stable" fails: equal states get different fingerprints in state {"items":[1]} (reached from initial state #0 by: add 1)',
    labels: ['add 1'],
    action: undefined,
  },
  {
    law: 'fingerprint stable',
    why: 'fingerprint() depends on object identity',
    run: () =>
      checkModelLaws(
        bagModel({
          // The same initial object each time, so that init() itself looks repeatable.
          init: (() => { const start: Bag = { items: [] }; return () => [start]; })(),
          fingerprint: (() => {
            const ids = new WeakMap<object, number>();
            let next = 0;
            return (s: Bag, out: Uint32Array) => {
              if (!ids.has(s)) ids.set(s, next++);
              mixInts(out, ids.get(s)!);
            };
          })(),
        }),
      ),
    message: 'model law "fingerprint stable" fails: an equal copy gets another fingerprint in state {"items":[]} (initial state #0)',
    labels: [],
    action: undefined,
  },
  {
    law: 'clone',
    why: 'states hold class instances, which structuredClone turns into plain objects',
    run: () =>
      checkModelLaws<{ readonly box: Box }, number>({
        init: () => [{ box: new Box(0) }],
        actions: (s) => (s.box.n < 2 ? [1] : []),
        next: (s, a) => ({ box: new Box(s.box.n + a) }),
        label: (a) => `add ${a}`,
        fingerprint: (s, out) => mixInts(out, s.box.n),
      }),
    message: 'model law "clone" fails: the copy differs from the state (pass a clone option) in state {"box":{"n":0}} (initial state #0)',
    labels: [],
    action: undefined,
  },
  {
    law: 'actions repeatable',
    why: 'actions() changes order between calls',
    run: () => {
      const flip = flipping();
      return checkModelLaws(bagModel({ actions: () => (flip() ? [1, 2] : [2, 1]) }));
    },
    message: 'model law "actions repeatable" fails: actions() gave [add 2, add 1] then [add 1, add 2] in state {"items":[]} (initial state #0)',
    labels: [],
    action: undefined,
  },
  {
    law: 'labels unique',
    why: 'two actions share a label',
    run: () => checkModelLaws(bagModel({ label: () => 'add' })),
    message: 'model law "labels unique" fails: label "add" appears twice among the actions in state {"items":[]} (initial state #0)',
    labels: [],
    action: 'add',
  },
  {
    law: 'label stable',
    why: 'label() of one action changes after its first call',
    run: () => {
      // Actions are objects here, so label() can tell a second call on the same action.
      const labelled = new WeakSet<object>();
      return checkModelLaws<Bag, { readonly n: number }>({
        init: () => [{ items: [] }],
        actions: (s) => (s.items.length < 2 ? [{ n: 1 }, { n: 2 }] : []),
        next: (s, a) => ({ items: [...s.items, a.n] }),
        label: (a) => {
          const again = labelled.has(a);
          labelled.add(a);
          return again ? `add ${a.n} again` : `add ${a.n}`;
        },
        fingerprint: (s, out) => mixInts(out, s.items.reduce((h, x) => h * 3 + x, 1)),
      });
    },
    message: 'model law "label stable" fails: action #0 is labelled "add 1" then "add 1 again" in state {"items":[]} (initial state #0)',
    labels: [],
    action: 'add 1',
  },
  {
    law: 'next pure',
    why: 'next() writes into its input (a frozen copy throws)',
    run: () =>
      checkModelLaws(
        bagModel({
          next: (s, a) => {
            (s.items as number[]).push(a);
            return { items: [...s.items] };
          },
        }),
      ),
    message:
      'model law "next pure" fails: next(…, "add 1") threw on a frozen state (does it mutate its input?): Cannot add property 0, object is not extensible in state {"items":[]} (initial state #0)',
    labels: [],
    action: 'add 1',
  },
  {
    law: 'next pure',
    why: 'next() writes into a Map of its input (freezing does not stop that)',
    run: () => checkModelLaws(tallyMutatingMap),
    message: 'model law "next pure" fails: next(…, "add 1") mutated its input in state {"n":0,"counts":{}} (initial state #0)',
    labels: [],
    action: 'add 1',
  },
  {
    law: 'next deterministic',
    why: 'next() reads a hidden counter',
    run: () => {
      const flip = flipping();
      return checkModelLaws(bagModel({ next: (s, a) => ({ items: [...s.items, a + (flip() ? 1 : 0)] }) }));
    },
    message: 'model law "next deterministic" fails: next(…, "add 1") gave {"items":[1]} on an equal copy, {"items":[2]} on the state itself in state {"items":[]} (initial state #0)',
    labels: [],
    action: 'add 1',
  },
];

function thrown(run: () => unknown): ModelLawError {
  try {
    run();
  } catch (e) {
    if (e instanceof ModelLawError) return e;
    throw e;
  }
  throw new Error('no law failed');
}

describe('checkModelLaws', () => {
  it('passes well-behaved models and counts what it checked', () => {
    expect(checkModelLaws(bagModel())).toEqual({ states: 15, transitions: 14 });
    expect(checkModelLaws(chainModel(4))).toEqual({ states: 5, transitions: 4 });
    expect(checkModelLaws(gridModel(3, 3), { samples: 5 }).states).toBe(5);
    expect(checkModelLaws(lassoModel).states).toBe(5);
  });

  it('accepts a clone option for states structuredClone cannot copy', () => {
    const options: ModelLawsOptions<{ readonly box: Box }> = { clone: (s) => ({ box: new Box(s.box.n) }) };
    const model: Model<{ readonly box: Box }, number> = {
      init: () => [{ box: new Box(0) }],
      actions: (s) => (s.box.n < 2 ? [1] : []),
      next: (s, a) => ({ box: new Box(s.box.n + a) }),
      label: (a) => `add ${a}`,
      fingerprint: (s, out) => mixInts(out, s.box.n),
    };
    expect(checkModelLaws(model, options)).toEqual({ states: 3, transitions: 2 });
  });

  it('has a broken model for every law', () => {
    expect(new Set(broken.map((b) => b.law))).toEqual(new Set(MODEL_LAWS));
  });

  it.each(broken)('fails the law "$law" when $why', ({ law, run, message, labels, action }) => {
    const error = thrown(run);
    expect(error.name).toBe('ModelLawError');
    expect(error.law).toBe(law);
    expect(error.message).toBe(message);
    expect(error.labels).toEqual(labels);
    expect(error.initIndex).toBe(0);
    expect(error.action).toBe(action);
  });

  it('names the path to a state deep in the model', () => {
    // next() mutates its input only in states with two items: the error gives the labels that reach one.
    const error = thrown(() =>
      checkModelLaws(
        bagModel({
          next: (s, a) => {
            if (s.items.length === 2) (s.items as number[]).push(a);
            return { items: [...s.items.slice(0, 2), a] };
          },
        }),
      ),
    );
    expect(error.law).toBe('next pure');
    expect(error.labels).toEqual(['add 1', 'add 1']);
    expect(error.state).toEqual({ items: [1, 1] });
    expect(error.message).toMatch(/ in state \{"items":\[1,1\]\} \(reached from initial state #0 by: add 1, add 1\)$/);
  });
});
