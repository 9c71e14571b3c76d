/**
 * A space-time diagram as a Mermaid `sequenceDiagram`, for Markdown (GitHub
 * renders it). Mermaid draws each arrow at one instant, so a message appears
 * where it was received, rejected or dropped, its text giving the step it was
 * sent at; crashes, restarts, rounds and the violation are notes. Every line
 * starts with the step it belongs to ([k]). Pure and deterministic.
 */
import { type Diagram, type DiagramEvent, diagramMessages, highlightLine } from '../../core/diagram.js';
import { visibleControls } from '../../core/echo.js';
import { loggingText, sendWithContent } from './logging.js';

const ENTITIES: Record<string, string> = { '#': '#35;', ';': '#59;', '<': '#60;', '>': '#62;' };

/**
 * Mermaid reads `#…;` as an entity, `;` as a line break and `<…>` as markup:
 * encode them; a newline would end the statement, so every control
 * character is written visibly (`\u000a`) first.
 */
function clean(text: string): string {
  return visibleControls(text).replace(/[#;<>]/g, (c) => ENTITIES[c]!);
}

/** The diagram as a Mermaid `sequenceDiagram` (see the module comment). */
export function renderMermaid(diagram: Diagram): string {
  const { processes } = diagram;
  const T = diagram.labels.length;
  const sends = new Map(diagramMessages(diagram).map((m) => [m.send.message, m]));
  const highlight = new Map(diagram.highlights.map((h) => [h.lane, h]));
  const lines: string[] = ['sequenceDiagram'];
  // A comment ends at the line's end: only a newline (made visible) could break out of it.
  if (diagram.title !== '') lines.push(`  %% ${visibleControls(diagram.title)}`);
  processes.forEach((p, lane) => {
    const h = highlight.get(lane);
    lines.push(h === undefined ? `  participant ${p}` : `  participant ${p} as ${p} (${h.kind})`);
  });
  const p = (lane: number) => processes[lane]!;
  const note = (e: DiagramEvent, text: string) => lines.push(`  Note over ${p(e.lane)}: ${clean(`[${e.time}] ${text}`)}`);

  for (const e of diagram.events) {
    switch (e.kind) {
      case 'receive':
      case 'reject':
      case 'drop': {
        const m = sends.get(e.message);
        if (m === undefined) break;
        const { send } = m;
        const control = send.messageClass === 'control';
        let arrow = control ? '-->>' : '->>';
        let what = sendWithContent(send, processes);
        if (e.kind === 'reject') {
          arrow = '--x';
          what += ` rejected (${e.reason})`;
        } else if (e.kind === 'drop') {
          arrow = '--x';
          what += ' dropped unread';
        } else {
          if (e.stale) what += ' (stale)';
          if (e.replay) what += ' (replay)';
          if (send.messageClass === 'copy' && !e.replay) what += ' (copy)';
        }
        const text = clean(`[${e.time}] ${what}, sent at ${send.time}`);
        const statement = `${p(send.lane)}${arrow}${p(e.lane)}: ${text}`;
        if (e.emphasis === 'cause') {
          lines.push('  rect rgb(255, 215, 215)', `    ${statement}`, `    Note over ${p(e.lane)}: ${clean(`the violation's cause`)}`, '  end');
        } else lines.push(`  ${statement}`);
        if (e.emphasis === 'lost') note(e, `this delivery (${send.name}) is lost later`);
        if (e.kind === 'receive' && e.misplaced !== undefined) note(e, loggingText(e, processes)!);
        break;
      }
      case 'hosts':
      case 'logged':
      case 'hostsLost':
      case 'adopt':
      case 'stableWrite':
      case 'violation': {
        const text = loggingText(e, processes)!;
        if (e.emphasis === 'cause') lines.push('  rect rgb(255, 215, 215)', `    Note over ${p(e.lane)}: ${clean(`[${e.time}] ${text}`)}`, '  end');
        else note(e, text);
        break;
      }
      case 'crash':
        note(e, '✕ crash');
        break;
      case 'restart':
        note(e, `restart, inc ${e.incarnation}`);
        break;
      case 'round':
        note(e, e.restart ? `↻ ${e.text}` : `gathering ${e.text}`);
        break;
      case 'roundEnd':
        note(e, e.text);
        break;
      case 'mark':
        note(e, e.text);
        break;
      case 'phase':
        if (e.phase === 'blocked') note(e, 'blocked');
        break;
      default:
        break;
    }
  }
  for (const m of sends.values()) {
    if (m.end !== undefined) continue;
    const { send } = m;
    const arrow = send.messageClass === 'control' ? '--)' : '-)';
    lines.push(`  ${p(send.lane)}${arrow}${p(send.to)}: ${clean(`${sendWithContent(send, processes)} sent at ${send.time}, still in flight at the end`)}`);
  }
  for (const h of diagram.highlights) {
    lines.push('  rect rgb(255, 215, 215)', `    Note over ${p(h.lane)}: ${clean(`[${T}] ${highlightLine(h)}`)}`, '  end');
  }
  const span = processes.length > 1 ? `${p(0)},${p(processes.length - 1)}` : p(0);
  if (diagram.loopStart !== undefined) {
    lines.push(`  Note over ${span}: ${clean(`↺ steps ${diagram.loopStart + 1}–${T} repeat forever`)}`);
  }
  if (diagram.property !== '') lines.push(`  Note over ${span}: ${clean(`${diagram.property} violated: ${diagram.explanation}`)}`);
  return `${lines.join('\n')}\n`;
}
