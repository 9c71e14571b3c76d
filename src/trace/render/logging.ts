/**
 * Short texts for what a diagram says about the logging (determinant hosts,
 * what messages carried, adoptions, stable writes, misplaced replays), built
 * from the events' fields. Shared by the SVG, Mermaid and text renderers so
 * that the three say the same thing.
 */
import type { DiagramEvent, MessageContent } from '../../core/diagram.js';

/** At most this many determinant names in a message's content; the rest are counted. */
const MAX_NAMES = 3;

const set = (lanes: readonly number[], processes: readonly string[]): string => `{${lanes.map((l) => processes[l] ?? '?').join(',')}}`;

/** A message's content, e.g. `{#m,#m′} inc p0=1`; an application message's piggyback as `+#m`. */
export function contentText(c: MessageContent, processes: readonly string[], application: boolean): string {
  const names = c.determinants.map((d) => d.name);
  const shown = names.length > MAX_NAMES ? [...names.slice(0, MAX_NAMES), `+${names.length - MAX_NAMES}`] : names;
  if (application) return `+${shown.join(',')}`;
  const incs = c.incarnations === undefined || c.incarnations.length === 0 ? '' : ` inc ${c.incarnations.map((i) => `${processes[i.lane] ?? '?'}=${i.incarnation}`).join(',')}`;
  return `{${shown.join(',')}}${incs}`;
}

/** A send's name with what it carried: `m′ +#m`, `dep r1 {#m} inc p0=1`. */
export function sendWithContent(e: Extract<DiagramEvent, { kind: 'send' }>, processes: readonly string[]): string {
  return e.carries === undefined ? e.name : `${e.name} ${contentText(e.carries, processes, e.messageClass !== 'control')}`;
}

/** The short label of a logging event (or of a misplaced replay), or undefined for any other event. */
export function loggingText(e: DiagramEvent, processes: readonly string[]): string | undefined {
  switch (e.kind) {
    case 'hosts': {
      const tally = e.stable && e.hosts.length < e.needed ? 'at S' : `${e.hosts.length}/${e.needed}`;
      return `${e.determinant.name} ${set(e.hosts, processes)} ${tally}${e.stable ? ' ✓' : ''}`;
    }
    case 'logged': {
      const now = e.known.some((l) => !e.holders.includes(l)) ? `, held by ${set(e.holders, processes)} only` : '';
      return e.enough
        ? `treats ${e.determinant.name} as logged at ${set(e.known, processes)}: ${e.known.length}/${e.needed} ✓${now}`
        : `treats ${e.determinant.name} as logged at ${set(e.known, processes)}: ${e.known.length} < f+1 = ${e.needed} ✗${now}`;
    }
    case 'hostsLost':
      if (e.dependents.length === 0) return `${e.determinant.name} gone with ${set(e.hosts, processes)}; no process depended on it`;
      return e.hosts.length >= e.needed
        ? `${e.determinant.name} lost: all ${e.hosts.length} ≥ f+1 hosts ${set(e.hosts, processes)} crashed (beyond f)`
        : `${e.determinant.name} lost: its only ${e.hosts.length} < f+1 hosts ${set(e.hosts, processes)} crashed`;
    case 'adopt':
      return `${e.deferred ? 'will adopt' : 'adopts'} inc ${e.incarnations.map((i) => `${processes[i.lane] ?? '?'}=${i.incarnation}`).join(',')}${e.deferred ? ' later' : ''}`;
    case 'stableWrite':
      return e.emphasis === 'cause' ? 'stable write during recovery (N3)' : 'stable write';
    case 'violation':
      return e.text;
    case 'receive':
      return e.misplaced === undefined ? undefined : `replayed at #${e.misplaced.at} (recorded #${e.misplaced.recorded})`;
    default:
      return undefined;
  }
}
