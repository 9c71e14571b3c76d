/**
 * The counterexample file format: ITF values, the encoded shape (the contract
 * the diagram renderer reads too), names, and every way decoding refuses a file.
 */
import { describe, expect, it } from 'vitest';
import {
  COUNTEREXAMPLE_FORMAT_VERSION,
  counterexampleFileName,
  decodeCounterexample,
  encodeCounterexample,
  fromItf,
  itfProblem,
  ItfTuple,
  itfSome,
  sameCounterexample,
  toItf,
  type CounterexampleInput,
} from '../../src/trace/index.js';
import { defaultSpecId, specRegistry } from '../../specs/index.js';
import { runCli } from '../../src/cli/cli.js';
import { ExitCode, explore } from '../../src/index.js';
import { memoryFiles } from '../cli/fixtures/memoryFiles.js';

const input: CounterexampleInput = {
  toolVersion: '9.9.9',
  spec: 'ping',
  params: { rounds: 3, limit: 1, loss: 'no' },
  property: 'bounded',
  category: 'safety',
  expected: 'violates',
  initIndex: 0,
  labels: ['deliver ball→p0', 'deliver ball→p1'],
  explanation: '2 hits exceed the limit 1',
  strategy: 'dfs',
  foundLength: 5,
  views: [
    { hits: { p0: 0, p1: 0 }, ball: '→p0', lost: false },
    { hits: { p0: 1, p1: 0 }, ball: '→p1', lost: false },
    { hits: { p0: 1, p1: 1 }, ball: null, lost: false, extra: [1] },
  ],
};

describe('ITF values', () => {
  it('encodes integers as #bigint, null as None, records and lists as themselves', () => {
    expect(toItf({ a: 1, b: [true, 'x', null], c: undefined, d: -7 })).toEqual({
      a: { '#bigint': '1' },
      b: [true, 'x', { tag: 'None', value: { '#tup': [] } }],
      d: { '#bigint': '-7' },
    });
    expect(toItf(1.5)).toEqual({ '#unserializable': '1.5' });
    expect(toItf({ '#x': 1 })).toEqual({ '#map': [['#x', { '#bigint': '1' }]] });
  });

  it('fromItf inverts toItf on plain views', () => {
    const view = { processes: { p0: { status: 'Live', inc: 2, history: ['a', 'b'], leader: null } }, crashes: 1 };
    expect(fromItf(toItf(view))).toEqual(view);
    expect(fromItf({ '#bigint': '9007199254740993' })).toBe(9007199254740993n);
  });

  it('encodes Set as #set, Map as #map, ItfTuple as #tup, and an option as Quint writes it; fromItf reads them back', () => {
    const view = { hosts: new Set(['p0', 'S']), iv: new Map([['p0', 1]]), byNumber: new Map([[1, 'a']]), pair: new ItfTuple([1, 'x']), leader: itfSome({ round: 2 }) };
    const itf = toItf(view);
    expect(itf).toEqual({
      hosts: { '#set': ['p0', 'S'] },
      iv: { '#map': [['p0', { '#bigint': '1' }]] },
      byNumber: { '#map': [[{ '#bigint': '1' }, 'a']] },
      pair: { '#tup': [{ '#bigint': '1' }, 'x'] },
      leader: { tag: 'Some', value: { round: { '#bigint': '2' } } },
    });
    expect(itfProblem(itf)).toBeUndefined();
    expect(fromItf(itf)).toEqual({ hosts: new Set(['p0', 'S']), iv: { p0: 1 }, byNumber: new Map([[1, 'a']]), pair: [1, 'x'], leader: { tag: 'Some', value: { round: 2 } } });
  });

  it.each([
    [{ '#set': 'x' }, '$.#set must be an array'],
    [{ '#bigint': '1.5' }, '$.#bigint must be a string of digits'],
    [{ '#map': [[1]] }, '$.#map[0] must be a [key, value] pair'],
    [{ '#set': [1], x: 2 }, '$: an object with #set, x is neither a record nor one of #bigint, #tup, #set, #map, #unserializable'],
    [{ a: [{ b: 1.5 }] }, '$.a[0].b: 1.5 is not an integer'],
    [{ a: null }, '$.a: null is no ITF value'],
  ])('itfProblem names the first place that breaks the grammar: %j', (value, problem) => {
    expect(itfProblem(value)).toBe(problem);
  });
});

describe('an FBL counterexample file written by check', () => {
  const files = memoryFiles();
  let err = '';
  const code = runCli(['check', 'blocking', '--workload', 'fig1', '--f', '1', '--out', 'out', '--progress-interval', '0'], {
    registry: specRegistry,
    defaultSpec: defaultSpecId,
    explore: (t, o) => explore(t, o),
    io: { out: () => undefined, err: (t) => void (err += t) },
    version: 'test',
    files,
  });
  const [path, text] = [...files.files.entries()][0] ?? ['', ''];
  const json = JSON.parse(text === '' ? '{}' : text) as { '#meta': { rrcheck: Record<string, unknown> }; states: Record<string, unknown>[] };

  it('is written, for the nonBlocking violation', () => {
    expect(code).toBe(ExitCode.safetyViolation);
    expect(err).toContain('violation of nonBlocking at depth 4');
    expect(path).toMatch(/^out\/blocking-nonBlocking-[0-9a-f]{8}\.itf\.json$/);
  });

  it('has typed ITF states: every state fits the ITF value grammar, sets are #set, vectors #map, options None or Some', () => {
    json.states.forEach((state, i) => {
      const { '#meta': meta, ...vars } = state;
      expect(meta).toEqual({ index: i, action: i === 0 ? 'init' : json['#meta'].rrcheck['labels'] && (json['#meta'].rrcheck['labels'] as string[])[i - 1] });
      expect(itfProblem(vars), `state ${i}`).toBeUndefined();
    });
    const last = json.states.at(-1)! as Record<string, any>;
    const procs = last['processes']['#map'] as [string, any][];
    expect(procs.map(([name]) => name)).toEqual(['p0', 'p1', 'p2']);
    const p0 = procs[0]![1];
    expect(p0.status).toBe('Waiting'); // the recovering leader
    expect(p0.inc).toEqual({ '#bigint': '1' });
    expect(p0.volatile.tag).toBe('Some');
    expect(Object.keys(p0.volatile.value.determinants)).toEqual(['#set']);
    expect(p0.volatile.value.incvector['#map'][0]).toEqual(['p0', { '#bigint': '1' }]);
    const leader = p0.volatile.value.leader;
    expect(leader.tag).toBe('Some');
    expect(leader.value.recovering).toEqual({ '#set': ['p0'] });
    // p1 is blocked by the depinfo request it answered.
    expect(procs[1]![1].blocked).toBe(true);
    expect(last['stableHost']).toEqual({ '#set': [] });
    // fig1's first application message is still in flight: a variant with its piggybacked determinants as a set.
    expect(last['network'].map((m: any) => m.tag)).toEqual(['app', 'depinfoRequest', 'depinfoReply']);
    expect(last['network'][0].value).toMatchObject({ from: 'p2', to: 'p0', ssn: { '#bigint': '1' } });
    expect(Object.keys(last['network'][0].value.piggyback)).toEqual(['#set']);
  });

  it('records the finding as data beside the summary', () => {
    expect(json['#meta'].rrcheck['explanation']).toBe('live process p1 blocked by the recovery');
    expect(json['#meta'].rrcheck['finding']).toEqual({
      summary: 'live process p1 blocked by the recovery',
      reason: 'blocked',
      subjects: [{ process: 'p1', role: 'blocked', reason: 'blocked-by-recovery' }],
    });
    const decoded = decodeCounterexample(text);
    expect(decoded.status === 'ok' && decoded.file.meta.finding?.subjects[0]?.process).toBe('p1');
  });
});

describe('encodeCounterexample', () => {
  it('writes the contract shape: ITF #meta, vars, states with index and action, rrcheck record', () => {
    const text = encodeCounterexample(input);
    expect(text.endsWith('}\n')).toBe(true);
    const json = JSON.parse(text) as Record<string, any>;
    expect(Object.keys(json)).toEqual(['#meta', 'vars', 'states']);
    expect(json['#meta']).toEqual({
      format: 'ITF',
      'format-description': 'https://apalache-mc.org/docs/adr/015adr-trace.html',
      source: 'rrcheck',
      description: 'ping violates bounded (safety) with rounds=3 limit=1 loss=no: 2 steps, found by dfs at length 5',
      rrcheck: {
        formatVersion: 1,
        toolVersion: '9.9.9',
        spec: 'ping',
        params: { rounds: 3, limit: 1, loss: 'no' },
        property: 'bounded',
        category: 'safety',
        expected: 'violates',
        initIndex: 0,
        labels: ['deliver ball→p0', 'deliver ball→p1'],
        explanation: '2 hits exceed the limit 1',
        strategy: 'dfs',
        foundLength: 5,
        shrunkLength: 2,
      },
    });
    // A variable missing from some view is None there: ITF wants every variable in every state.
    expect(json['vars']).toEqual(['hits', 'ball', 'lost', 'extra']);
    expect(json['states']).toHaveLength(3);
    expect(json['states'][0]).toEqual({
      '#meta': { index: 0, action: 'init' },
      hits: { p0: { '#bigint': '0' }, p1: { '#bigint': '0' } },
      ball: '→p0',
      lost: false,
      extra: { tag: 'None', value: { '#tup': [] } },
    });
    expect(json['states'][2]['#meta']).toEqual({ index: 2, action: 'deliver ball→p1' });
    expect(json['states'][2]['ball']).toEqual({ tag: 'None', value: { '#tup': [] } });
    // One line per state, for readable diffs.
    expect(text.split('\n').filter((l) => l.startsWith('    {"#meta":{"index"'))).toHaveLength(3);
  });

  it('records the seed and a lasso (ITF loop) when there is one, and a view that is not a record as the variable state', () => {
    const json = JSON.parse(encodeCounterexample({ ...input, seed: 7, strategy: 'simulate', loopStart: 1, views: [0, 1, 1] })) as Record<string, any>;
    expect(json['#meta'].rrcheck.seed).toBe(7);
    expect(json['#meta'].rrcheck.loopStart).toBe(1);
    expect(json['loop']).toBe(1);
    expect(json['vars']).toEqual(['state']);
    expect(json['states'][1]).toEqual({ '#meta': { index: 1, action: 'deliver ball→p0' }, state: { '#bigint': '1' } });
    expect(json['#meta'].description).toContain('found by simulate (seed 7) at length 5');
  });

  it('refuses views that do not match the labels', () => {
    expect(() => encodeCounterexample({ ...input, views: input.views.slice(1) })).toThrow('2 labels need 3 views, got 2');
  });

  it('names files <spec>-<property>-<8 hex>.itf.json, from spec, parameters and labels only', () => {
    const name = counterexampleFileName(input);
    expect(name).toMatch(/^ping-bounded-[0-9a-f]{8}\.itf\.json$/);
    expect(counterexampleFileName({ ...input, params: { loss: 'no', limit: 1, rounds: 3 } })).toBe(name);
    expect(counterexampleFileName({ ...input, labels: ['deliver ball→p0'] })).not.toBe(name);
    expect(counterexampleFileName({ ...input, params: { ...input.params, rounds: 4 } })).not.toBe(name);
  });
});

describe('decodeCounterexample', () => {
  const text = encodeCounterexample(input);

  it('round-trips what encode wrote', () => {
    const decoded = decodeCounterexample(text);
    expect(decoded.status).toBe('ok');
    if (decoded.status !== 'ok') return;
    expect(decoded.file.meta).toMatchObject({ formatVersion: COUNTEREXAMPLE_FORMAT_VERSION, spec: 'ping', labels: input.labels, shrunkLength: 2 });
    expect(decoded.file.vars).toEqual(['hits', 'ball', 'lost', 'extra']);
    expect(decoded.file.states).toHaveLength(3);
    expect(fromItf(decoded.file.states[1]!['hits'])).toEqual({ p0: 1, p1: 0 });
    const again = decodeCounterexample(encodeCounterexample({ ...input, foundLength: 2, strategy: 'bfs' }));
    expect(again.status === 'ok' && sameCounterexample(decoded.file.meta, again.file.meta)).toBe(true);
  });

  const edit = (f: (json: any) => void) => {
    const json = JSON.parse(text);
    f(json);
    return JSON.stringify(json);
  };

  it.each([
    ['truncated JSON', text.slice(0, 200), /^not JSON: /],
    ['a JSON array', '[]', /^not an rrcheck counterexample file: the top level must be a JSON object$/],
    ['no #meta', edit((j) => delete j['#meta']), /^not an rrcheck counterexample file: #meta is missing$/],
    ['an ITF trace of another tool', edit((j) => delete j['#meta'].rrcheck), /: #meta\.rrcheck is missing$/],
    ['labels not strings', edit((j) => (j['#meta'].rrcheck.labels = [1])), /: #meta\.rrcheck\.labels must be an array of strings$/],
    ['an unknown verdict', edit((j) => (j['#meta'].rrcheck.expected = 'maybe')), /: #meta\.rrcheck\.expected must be "violates" or "fixed"$/],
    ['a negative initIndex', edit((j) => (j['#meta'].rrcheck.initIndex = -1)), /: #meta\.rrcheck\.initIndex must be an integer ≥ 0$/],
    ['a loopStart past the end', edit((j) => (j['#meta'].rrcheck.loopStart = 2)), /loopStart must be less than the number of labels$/],
    ['no states', edit((j) => delete j.states), /: states is missing$/],
    ['a finding without subjects', edit((j) => (j['#meta'].rrcheck.finding = { summary: 's', reason: 'r' })), /: #meta\.rrcheck\.finding must be a finding \(summary, reason, subjects\)$/],
  ])('%s is malformed, with a one-line message', (_what, bad, message) => {
    const decoded = decodeCounterexample(bad);
    expect(decoded.status).toBe('malformed');
    if (decoded.status === 'ok') return;
    expect(decoded.message).toMatch(message);
    expect(decoded.message).not.toContain('\n');
  });

  it('another format version is unsupported, whatever the other fields say', () => {
    const decoded = decodeCounterexample(edit((j) => (j['#meta'].rrcheck = { formatVersion: 2 })));
    expect(decoded).toEqual({ status: 'unsupportedVersion', message: 'format version 2 is not supported (this rrcheck reads version 1)' });
  });
});
