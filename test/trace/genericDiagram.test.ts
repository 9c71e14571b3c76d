/**
 * The generic space-time diagram (trace/genericDiagram) of toy traces,
 * pinned: lanes (CheckTarget.processes, then first mention, and the lane of
 * steps of nobody), one event per step, messages from the step that made
 * their receipt possible (a message of the initial state from time 0), an
 * arrival whose send is not known, a fault as a crash, a message still in
 * flight, a second receipt of a message that stays, and the finding's
 * subjects highlighted with their roles; then the three renderers on it.
 */
import { describe, expect, it } from 'vitest';
import { type CheckTarget, type Diagram, diagramFacts, genericDiagram, type Model, renderMermaid, renderSvg, renderText, replayLabels, StructuralHasher } from '../../src/index.js';
import { GREET_TRACE, greetTarget } from '../toy/greetings.js';
import { xmlProblems } from './xml.js';

function drawn<S, A>(target: CheckTarget<S, A>, property: string, labels: readonly string[]): Diagram {
  const replay = replayLabels(target.model, labels);
  expect(replay.status).toBe('ok');
  const facts = diagramFacts(target, property, { states: replay.states, labels });
  return genericDiagram(target, replay.states, labels, facts);
}

describe('genericDiagram on the greetings toy', () => {
  const diagram = drawn(greetTarget(['a', 'b', 'c']), 'noCrash', GREET_TRACE);

  it('draws lanes, one event per step, messages and highlights as pinned', () => {
    expect(diagram).toEqual({
      title: '',
      processes: ['a', 'b', 'c', 'model'],
      labels: [...GREET_TRACE],
      events: [
        // c's hi is in the initial state: sent at time 0.
        { kind: 'send', time: 0, lane: 2, to: 0, message: 0, messageClass: 'application', name: 'hi', text: 'hi' },
        { kind: 'receive', time: 1, lane: 0, message: 0, text: 'hi' },
        { kind: 'mark', time: 2, lane: 0, text: 'ping' },
        { kind: 'send', time: 2, lane: 0, to: 1, message: 1, messageClass: 'application', name: 'ping', text: 'ping' },
        { kind: 'receive', time: 3, lane: 1, message: 1, text: 'ping' },
        // pong, sent by b's receipt of ping, is never read: in flight at the end.
        { kind: 'send', time: 3, lane: 1, to: 0, message: 2, messageClass: 'application', name: 'pong', text: 'pong' },
        // tick names no process: the lane `model`; a mark reads the label when there is no kind.
        { kind: 'mark', time: 4, lane: 3, text: 'tick' },
        { kind: 'mark', time: 5, lane: 1, text: 'open' },
        // hello became readable by b's own step (open), not by its sender's: an arrival.
        { kind: 'mark', time: 6, lane: 1, text: 'received hello from c' },
        { kind: 'crash', time: 7, lane: 1, text: 'crash' },
      ],
      highlights: [
        { lane: 0, kind: 'pending', text: 'pending: unread, pong from b' },
        { lane: 1, kind: 'crashed', text: 'crashed: fault' },
      ],
      property: 'noCrash',
      explanation: 'b crashed',
    } satisfies Diagram);
  });

  it('without CheckTarget.processes, orders the lanes by first mention', () => {
    const d = drawn(greetTarget(), 'noCrash', GREET_TRACE);
    expect(d.processes).toEqual(['a', 'c', 'b', 'model']);
    expect(d.highlights.map((h) => [d.processes[h.lane], h.kind])).toEqual([
      ['a', 'pending'],
      ['b', 'crashed'],
    ]);
  });

  it("names the lane of steps of nobody apart from the processes (model'), and keeps a named process that never acts", () => {
    const d = drawn(greetTarget(['model', 'idle']), 'noCrash', GREET_TRACE);
    expect(d.processes).toEqual(['model', 'idle', 'a', 'c', 'b', "model'"]);
    expect(d.events.find((e) => e.time === 4)).toEqual({ kind: 'mark', time: 4, lane: 5, text: 'tick' });
  });

  it('highlights no lane for a finding without subjects, and draws a violation in the initial state', () => {
    const target = { ...greetTarget(['a', 'b', 'c']), properties: [{ name: 'never', kind: 'always', category: 'safety', description: 'x', holds: () => false }] } as const;
    const d = drawn(target, 'never', []);
    expect(d.processes).toEqual(['a', 'b', 'c']);
    expect(d.highlights).toEqual([]);
    expect(d.explanation).toBe('never does not hold');
    // Both messages of the initial state are in flight (hello is not readable yet: not drawn).
    expect(d.events).toEqual([{ kind: 'send', time: 0, lane: 2, to: 0, message: 0, messageClass: 'application', name: 'hi', text: 'hi' }]);
  });

  it('renders as text, SVG (well-formed, with the roles) and Mermaid', () => {
    expect(renderText({ ...diagram, title: 'greetings' })).toBe(
      [
        'greetings',
        'noCrash violated in 7 steps: b crashed',
        '',
        ' step  a!     b!     c      model',
        '    0  │      │      ○      │      (initial state)  — c sends hi→a',
        '    1  ●      │      │      │      a gets hi from c  — hi sent at 0',
        '    2  ○      │      │      │      a pings  — a ping; a sends ping→b',
        '    3  │      ●      │      │      b gets ping from a  — ping sent at 2; b sends pong→a',
        '    4  │      │      │      •      tick  — model tick',
        '    5  │      •      │      │      b opens  — b open',
        '    6  │      •      │      │      b gets hello from c  — b received hello from c',
        '    7  │!     ✕!     │      │      crash b',
        '',
        'in flight at the end: pong b→a (sent at 3)',
        'a — pending: unread, pong from b',
        'b — crashed: fault',
        'legend: ○ send  ● receive  ✕ crash  • mark  ! cause/lost; lanes: │ live', // the marks drawn only
        '',
      ].join('\n'),
    );
    const svg = renderSvg(diagram);
    expect(xmlProblems(svg)).toEqual([]);
    for (const s of ['>pending: unread, pong from b</text>', '>crashed: fault</text>', '>pending</text>', '>crashed</text>', '>received hello from c</text>']) {
      expect(svg).toContain(s);
    }
    const mermaid = renderMermaid(diagram);
    expect(mermaid).toContain('  participant a as a (pending)\n  participant b as b (crashed)\n  participant c\n  participant model\n');
    expect(mermaid).toContain('  c->>a: [1] hi, sent at 0\n');
    expect(mermaid).toContain('  b-)a: pong sent at 3, still in flight at the end\n');
  });
});

/**
 * Messages that stay once sent (a set, as TwoPhase.tla's msgs): TM's go may
 * be read by each of r1 and r2 up to twice.
 */
interface SetState {
  readonly sent: boolean;
  readonly got: readonly number[];
}
const setHasher = new StructuralHasher();
const setModel: Model<SetState, string> = {
  init: () => [{ sent: false, got: [0, 0] }],
  actions: (s) => [...(s.sent ? [] : ['TM sends go']), ...[0, 1].filter((i) => s.sent && s.got[i]! < 2).map((i) => `r${i + 1} gets go`)],
  next: (s, a) => (a === 'TM sends go' ? { ...s, sent: true } : { ...s, got: s.got.map((n, i) => (a === `r${i + 1} gets go` ? n + 1 : n)) }),
  label: (a) => a,
  fingerprint: (s, out) => setHasher.fingerprint(s, out),
  describe: (_s, a) => (a === 'TM sends go' ? { actor: 'TM', fault: false, kind: 'send' } : { actor: a.slice(0, 2), sender: 'TM', receiver: a.slice(0, 2), fault: false, kind: 'go' }),
};

describe('genericDiagram on messages that stay', () => {
  it('ends the arrow at the first receipt, marks the second, and shows a message never read as in flight', () => {
    const target: CheckTarget<SetState, string> = {
      model: setModel,
      properties: [{ name: 'once', kind: 'always', category: 'safety', description: 'r1 reads go once at most', holds: (s) => s.got[0]! < 2 }],
      view: (s) => s,
      processes: ['TM', 'r1', 'r2'],
    };
    const d = drawn(target, 'once', ['TM sends go', 'r1 gets go', 'r1 gets go']);
    expect(d.events).toEqual([
      { kind: 'mark', time: 1, lane: 0, text: 'send' },
      { kind: 'send', time: 1, lane: 0, to: 1, message: 0, messageClass: 'application', name: 'go', text: 'go' },
      { kind: 'send', time: 1, lane: 0, to: 2, message: 1, messageClass: 'application', name: 'go', text: 'go' },
      { kind: 'receive', time: 2, lane: 1, message: 0, text: 'go' },
      { kind: 'mark', time: 3, lane: 1, text: 'received go from TM' },
    ]);
  });
});
