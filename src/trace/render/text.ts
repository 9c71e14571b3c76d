/**
 * A space-time diagram for the terminal: time flows down, one narrow column
 * per process (as the paper's Figure 1 draws them, vertically), a glyph where
 * something happens on a lane, and on the right the step's label with what
 * the picture cannot say (message names, when a message was sent, stale,
 * dropped). Pure and deterministic: a Diagram in, a string out.
 */
import { type Diagram, type DiagramEvent, type LanePhase, diagramMessages, highlightLine } from '../../core/diagram.js';
import { visibleControls } from '../../core/echo.js';
import { loggingText, sendWithContent } from './logging.js';

const LANE: Record<LanePhase, string> = { live: '│', crashed: ' ', recovering: '┆', replaying: '╎', blocked: '‖' };

/** The glyph of the most telling event of a lane at one time (earlier in this list wins). */
const GLYPHS: readonly [DiagramEvent['kind'], string][] = [
  ['crash', '✕'],
  ['restart', '↻'],
  ['round', '◆'],
  ['reject', '⊣'],
  ['receive', '●'],
  ['drop', '∘'],
  ['roundEnd', '◇'],
  ['send', '○'],
  ['mark', '•'],
];

/** What each mark means, in the order a legend lists them: the event glyphs, then the lanes' styles. */
const MEANINGS: readonly (readonly [string, string])[] = [
  ['○', 'send'],
  ['●', 'receive'],
  ['⊣', 'rejected'],
  ['∘', 'dropped'],
  ['✕', 'crash'],
  ['↻', 'restart'],
  ['◆', 'round begins'],
  ['◇', 'round ends'],
  ['•', 'mark'],
  ['!', 'cause/lost'],
];
const LANE_MEANINGS: readonly (readonly [LanePhase, string])[] = [
  ['live', 'live'],
  ['recovering', 'recovering'],
  ['replaying', 'replaying'],
  ['blocked', 'blocked'],
  ['crashed', 'crashed'],
];

/** The key to the marks in `used` (every one when not given), one line: `legend: ○ send  ● receive; lanes: │ live`. */
export function textLegend(used?: ReadonlySet<string>): string {
  const has = (mark: string) => used === undefined || used.has(mark);
  const marks = MEANINGS.filter(([mark]) => has(mark)).map(([mark, meaning]) => `${mark} ${meaning}`);
  const lanes = LANE_MEANINGS.filter(([phase]) => has(LANE[phase])).map(([phase, meaning]) => `${LANE[phase] === ' ' ? '(blank)' : LANE[phase]} ${meaning}`);
  return `legend: ${[...(marks.length === 0 ? [] : [marks.join('  ')]), `lanes: ${lanes.join('  ')}`].join('; ')}`;
}

/** The key to every mark renderText() can draw; a diagram's own legend lists only the marks it has (textLegend). */
export const TEXT_LEGEND = textLegend();

/** The diagram as monospaced text for a terminal (see the module comment), ending in a newline; control characters in its texts are shown as `\u001b`. */
export function renderText(diagram: Diagram): string {
  const { processes, labels } = diagram;
  const T = labels.length;
  const width = Math.max(...processes.map((p) => [...p].length), 1) + 2;
  const byTime: DiagramEvent[][] = Array.from({ length: T + 1 }, () => []);
  for (const e of diagram.events) byTime[e.time]?.push(e);
  const messages = diagramMessages(diagram);
  const sentAt = new Map(messages.map((m) => [m.send.message, m.send]));
  const highlighted = new Set(diagram.highlights.map((h) => h.lane));

  const lines: string[] = [];
  if (diagram.title !== '') lines.push(diagram.title);
  const steps = `${T} step${T === 1 ? '' : 's'}`;
  lines.push(diagram.property === '' ? steps : `${diagram.property} violated in ${steps}: ${diagram.explanation}`, '');
  const header = processes.map((p, i) => `${p}${highlighted.has(i) ? '!' : ''}`.padEnd(width)).join('');
  lines.push(` step  ${header}`.trimEnd());

  const phase: LanePhase[] = processes.map(() => 'live');
  const used = new Set<string>(); // the marks drawn, for the legend
  for (let t = 0; t <= T; t++) {
    const events = byTime[t]!;
    for (const e of events) if (e.kind === 'phase') phase[e.lane] = e.phase;
    const cells = processes.map((_, lane) => {
      const here = events.filter((e) => e.lane === lane);
      const glyph = GLYPHS.find(([kind]) => here.some((e) => e.kind === kind))?.[1];
      // A lane's glyph shows the phase it was in up to this step when something happened on it.
      const mark = glyph ?? LANE[phase[lane]!];
      const emphasised = here.some((e) => e.emphasis !== undefined) || (t === T && highlighted.has(lane));
      used.add(mark);
      if (emphasised) used.add('!');
      return `${mark}${emphasised ? '!' : ''}`.padEnd(width);
    });
    const label = t === 0 ? '(initial state)' : labels[t - 1]!;
    const notes = describe(events, sentAt, processes);
    lines.push(`${String(t).padStart(5)}  ${cells.join('')}${label}${notes === '' ? '' : `  — ${notes}`}`.trimEnd());
  }

  if (diagram.loopStart !== undefined) lines.push(`${' '.repeat(7)}↺ steps ${diagram.loopStart + 1}–${T} repeat forever`);
  lines.push('');
  const inFlight = messages.filter((m) => m.end === undefined);
  if (inFlight.length > 0) {
    const list = inFlight.map(({ send }) => `${send.name} ${processes[send.lane]}→${processes[send.to]} (sent at ${send.time})`);
    lines.push(`in flight at the end: ${list.join(', ')}`);
  }
  for (const h of diagram.highlights) lines.push(`${processes[h.lane]} — ${highlightLine(h)}`);
  lines.push(textLegend(used));
  // Text from a counterexample file (the title's parameters) must not drive the terminal: no control character is printed as it is.
  return `${lines.map(visibleControls).join('\n')}\n`;
}

/** What a step's events say beyond its label. */
function describe(events: readonly DiagramEvent[], sentAt: ReadonlyMap<number, Extract<DiagramEvent, { kind: 'send' }>>, processes: readonly string[]): string {
  const notes: string[] = [];
  const sends = new Map<string, string[]>();
  for (const e of events) {
    switch (e.kind) {
      case 'receive':
      case 'reject':
      case 'drop': {
        const send = sentAt.get(e.message);
        const name = send?.name ?? '?';
        const when = send === undefined ? '' : ` sent at ${send.time}`;
        if (e.kind === 'drop') notes.push(`${name} ${processes[send?.lane ?? 0]}→${processes[e.lane]} dropped`);
        else if (e.kind === 'reject') notes.push(`${name}${when} rejected (${e.reason})`);
        else {
          const tags = [e.stale ? 'stale' : '', e.replay ? 'replayed' : '', loggingText(e, processes) ?? ''].filter((x) => x !== '');
          notes.push(`${name}${when}${tags.length > 0 ? `, ${tags.join(', ')}` : ''}`);
        }
        if (e.emphasis === 'cause') notes.push('the violation’s cause');
        if (e.emphasis === 'lost') notes.push('delivery later lost');
        break;
      }
      case 'send': {
        const who = processes[e.lane]!;
        const list = sends.get(who) ?? [];
        list.push(`${sendWithContent(e, processes)}→${processes[e.to]}${e.messageClass === 'copy' ? ' (copy)' : ''}`);
        sends.set(who, list);
        break;
      }
      case 'restart':
        notes.push(`${processes[e.lane]} inc ${e.incarnation}`);
        break;
      case 'round':
      case 'roundEnd':
      case 'mark':
        notes.push(`${processes[e.lane]} ${e.text}${e.emphasis === 'cause' ? ' (the violation’s cause)' : ''}`);
        break;
      case 'hosts':
      case 'logged':
      case 'hostsLost':
      case 'adopt':
      case 'stableWrite':
      case 'violation':
        notes.push(`${processes[e.lane]} ${loggingText(e, processes)}${e.emphasis === 'cause' ? ' (the violation’s cause)' : ''}`);
        break;
      default:
        break;
    }
  }
  for (const [who, list] of sends) notes.push(`${who} sends ${list.join(', ')}`);
  return notes.join('; ');
}
