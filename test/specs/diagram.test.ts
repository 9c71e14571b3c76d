/**
 * The FBL space-time diagram (specs/fbl/diagram.ts), event by event: the
 * paper's §2.2 story for `naive` (two crashes, a restarted gathering, the
 * stale m″ that makes p2 an orphan), the same trace rejected by the correct
 * algorithm, a full recovery with replay and copies, and the highlights of
 * the other properties.
 */
import { describe, expect, it } from 'vitest';
import { explore, type CheckResult, type Diagram, type DiagramEvent, type Finding } from '../../src/index.js';
import { diagramFacts, replayLabels } from '../../src/trace/index.js';
import { build, check, variants, type Config } from './support.js';
import type { Variant } from '../../specs/index.js';
import { STORY_2_2, NO_RESTART_B, FULL_RECOVERY } from './stories.js';


/** No violation to highlight. */
const NONE: Finding = { summary: '', reason: 'none', subjects: [] };

/** The diagram of `labels`, with the finding of `property` in the last state (or the `finding` given). */
function diagramOf(variant: Variant, config: Config, labels: readonly string[], property = 'safety', finding?: Finding): Diagram {
  const target = build(variant, config);
  const replayed = replayLabels(target.model, labels);
  if (replayed.status !== 'ok') throw new Error(`drift at ${replayed.label}`);
  const facts = diagramFacts(target, property, { states: replayed.states, labels });
  return target.diagram!(replayed.states, labels, finding === undefined ? facts : { ...facts, finding });
}

/** One line per event: time, lane, kind and what matters for it. */
function summary(d: Diagram, kinds?: readonly DiagramEvent['kind'][]): string[] {
  return d.events
    .filter((e) => kinds === undefined || kinds.includes(e.kind))
    .map((e) => {
      const p = d.processes[e.lane];
      const emphasis = e.emphasis === undefined ? '' : ` !${e.emphasis}`;
      const lanes = (ls: readonly number[]) => `{${ls.map((l) => d.processes[l]).join(',')}}`;
      switch (e.kind) {
        case 'send': {
          const c = e.carries;
          const incs = c?.incarnations === undefined ? '' : ` inc ${c.incarnations.map((i) => `${d.processes[i.lane]}=${i.incarnation}`).join(',') || 'none'}`;
          const carries = c === undefined ? '' : ` carries [${c.determinants.map((x) => `${x.name}@${d.processes[x.deliverer]}#${x.rsn}`).join(' ')}]${incs}`;
          return `${e.time} ${p} send #${e.message} ${e.name} → ${d.processes[e.to]} (${e.messageClass})${carries}`;
        }
        case 'receive': {
          const misplaced = e.misplaced === undefined ? '' : ` at #${e.misplaced.at} recorded #${e.misplaced.recorded}`;
          return `${e.time} ${p} receive #${e.message}${e.stale ? ' stale' : ''}${e.replay ? ' replay' : ''}${misplaced}${emphasis}`;
        }
        case 'hosts':
          return `${e.time} ${p} hosts ${e.determinant.name} ${lanes(e.hosts)} of ${e.needed}${e.stable ? ' stable' : ''}${emphasis}`;
        case 'logged':
          return `${e.time} ${p} logged ${e.determinant.name} knowing ${lanes(e.known)} of ${e.needed}${e.enough ? '' : ' too early'}${emphasis}`;
        case 'hostsLost':
          return `${e.time} ${p} hostsLost ${e.determinant.name} ${lanes(e.hosts)} of ${e.needed}, dependents ${lanes(e.dependents)}${emphasis}`;
        case 'adopt':
          return `${e.time} ${p} adopt ${e.incarnations.map((i) => `${d.processes[i.lane]}=${i.incarnation}`).join(',')}`;
        case 'reject':
          return `${e.time} ${p} reject #${e.message} ${e.reason}`;
        case 'drop':
          return `${e.time} ${p} drop #${e.message}`;
        case 'restart':
          return `${e.time} ${p} restart inc ${e.incarnation}`;
        case 'round':
          return `${e.time} ${p} round ${e.round}${e.restart ? ' restart' : ''}${emphasis}: ${e.text}`;
        case 'roundEnd':
          return `${e.time} ${p} roundEnd ${e.round} ${e.outcome}`;
        case 'phase':
          return `${e.time} ${p} phase ${e.phase}`;
        default:
          return `${e.time} ${p} ${e.kind} ${e.text}`;
      }
    });
}

describe("the §2.2 story (naive, chain n=3 f=2): crashes, a restarted gathering, the stale m″, the orphan p2", () => {
  const d = diagramOf(variants.naive, { workload: 'chain', n: 3, f: 2 }, STORY_2_2);

  it('has exactly the expected events, in order', () => {
    expect(d.processes).toEqual(['p0', 'p1', 'p2']);
    expect(d.labels).toEqual(STORY_2_2);
    expect(summary(d)).toEqual([
      '0 p0 phase live',
      '0 p1 phase live',
      '0 p2 phase live',
      '0 p2 send #1 m → p0 (application)',
      '1 p0 receive #1 !lost',
      // #m at p0 alone (1 of f + 1 = 3), carried on m′; p1 holds it too, and carries both on m″ (2 ≤ f: not yet logged)
      '1 p0 hosts #m {p0} of 3',
      '1 p0 send #2 m′ → p1 (application) carries [#m@p0#1]',
      '2 p1 receive #2',
      '2 p1 hosts #m {p0,p1} of 3',
      '2 p1 hosts #m′ {p1} of 3',
      '2 p1 send #3 m″ → p2 (application) carries [#m′@p1#1 #m@p0#1]',
      '3 p0 crash crash',
      '3 p0 phase crashed',
      '4 p0 restart inc 1',
      '4 p0 phase recovering',
      '5 p0 round 1: round 1',
      '5 p0 send #4 dep? r1 → p1 (control)',
      '5 p0 send #5 dep? r1 → p2 (control)',
      '6 p2 receive #5',
      '6 p2 adopt p0=1', // the responder adopts p0's new incarnation as it replies (RC-7)
      '6 p2 send #6 dep r1 → p0 (control) carries [] inc none',
      '7 p0 receive #6',
      '8 p1 crash crash',
      '8 p1 phase crashed',
      // both hosts crashed; m″, which carries them, is still in flight: nobody depends on them yet
      '8 p1 hostsLost #m {p0,p1} of 3, dependents {}',
      '8 p1 hostsLost #m′ {p1} of 3, dependents {}',
      // p1's request of round 1 waits for it (RC-7 drops it only by a step of its own)
      '9 p1 restart inc 1',
      '9 p1 phase recovering',
      '10 p0 roundEnd 1 restarted',
      '10 p0 round 2 restart: round 2: restart (p1 failed)',
      '10 p0 send #7 inc? r2 → p1 (control)',
      '11 p1 receive #7',
      '11 p1 send #8 inc r2 → p0 (control)',
      '12 p0 receive #8',
      '12 p0 send #9 dep? r2 → p2 (control)',
      '13 p2 receive #9',
      '13 p2 adopt p1=1',
      '13 p2 send #10 dep r2 → p0 (control) carries [] inc p0=1',
      '14 p0 receive #10',
      '14 p0 roundEnd 2 complete',
      '14 p0 phase live',
      '14 p0 mark recovered',
      '14 p0 send #11 depinfo r2 → p1 (control) carries [] inc p0=1,p1=1',
      '14 p0 send #12 resend? → p1 (control)',
      '14 p0 send #13 resend? → p2 (control)',
      '15 p1 receive #11',
      '15 p1 phase live',
      '15 p1 mark recovered',
      '15 p1 send #14 resend? → p0 (control)',
      '15 p1 send #15 resend? → p2 (control)',
      '16 p2 receive #3 stale !cause', // m″, sent at 2 by p1's dead incarnation 0
      '16 p2 hosts #m {p2} of 3',
      '16 p2 hosts #m′ {p2} of 3',
    ]);
  });

  it('highlights p2 as the orphan, naming the lost delivery of m', () => {
    expect(d.property).toBe('safety');
    expect(d.explanation).toMatch(/^orphan: p2 depends on p0's delivery #1/);
    expect(d.highlights).toEqual([{ lane: 2, kind: 'orphan', text: "orphan: depends on p0's delivery of m, lost when it crashed" }]);
  });

  it('is deterministic: the same trace gives the same diagram', () => {
    expect(diagramOf(variants.naive, { workload: 'chain', n: 3, f: 2 }, STORY_2_2)).toEqual(d);
  });
});

describe('the other outcomes a diagram shows', () => {
  it('the correct algorithm rejects the stale m″: a reject event, and no orphan', () => {
    const labels = [...STORY_2_2.slice(0, -1), 'discard p1→p2 #1 (inc 0, stale)'];
    const d = diagramOf(variants.nonblocking, { workload: 'chain', n: 3, f: 2 }, labels, '', NONE);
    expect(summary(d, ['reject'])).toEqual(['16 p2 reject #3 stale']);
    expect(d.highlights).toEqual([]);
    expect(d.events.some((e) => e.emphasis !== undefined)).toBe(false);
  });

  it('a full recovery: replay request, the replayed copy of m, re-sent copies discarded as duplicates', () => {
    const labels = FULL_RECOVERY;
    const d = diagramOf(variants.nonblocking, { workload: 'chain', n: 3, f: 1 }, labels, '', NONE);
    expect(summary(d, ['send', 'receive', 'reject', 'phase', 'mark']).slice(-12)).toEqual([
      '9 p0 phase replaying',
      '10 p2 receive #3',
      '11 p0 send #8 replay? m → p2 (control)',
      '12 p2 receive #8',
      '12 p2 send #9 m → p0 (copy)',
      '13 p0 receive #9 replay',
      '13 p0 phase live',
      '13 p0 mark recovered',
      '13 p0 send #10 m′ → p1 (copy)',
      '13 p0 send #11 resend? → p1 (control)',
      '13 p0 send #12 resend? → p2 (control)',
      '14 p1 reject #10 duplicate',
    ]);
  });

  it("a variant's own internal step is a mark on the lane it names (no-restart drops the failed responder)", () => {
    const labels = NO_RESTART_B;
    const d = diagramOf(variants.noRestart, { workload: 'fig1', n: 3, f: 2 }, labels);
    expect(summary(d, ['mark', 'roundEnd'])).toEqual(['10 p0 roundEnd 1 complete', '10 p0 mark recovered', '10 p0 mark drop-responder (p1 failed)']);
    expect(d.highlights.map((h) => [d.processes[h.lane], h.kind])).toEqual([['p2', 'orphan']]);
  });

  it('liveness: the stuck process is highlighted with the message it never receives', () => {
    const noResend = { ...variants.nonblocking, id: 'no-resend', resendRequests: false };
    const config = { workload: 'fig1', n: 3, f: 1 };
    const result = check(noResend, config);
    if (result.status !== 'violation') throw new Error('expected a violation');
    const v = result.violations[0]!;
    const d = diagramOf(noResend, config, v.trace.labels, 'liveness', v.finding);
    expect(d.highlights).toEqual([{ lane: 0, kind: 'stuck', text: 'never receives m from p2' }]);
  });

  it('nonBlocking: the blocked live process', () => {
    const labels = ['crash p0', 'restart p0', 'begin-round p0', 'depinfo-request p0→p1 (round 1)'];
    const d = diagramOf(variants.blocking, { workload: 'fig1', n: 3, f: 1 }, labels, 'nonBlocking');
    expect(d.highlights).toEqual([{ lane: 1, kind: 'blocked', text: 'blocked by the recovery' }]);
    expect(summary(d, ['phase']).at(-1)).toBe('4 p1 phase blocked');
  });

  it('restartBound: the restart beyond the bound is the cause', () => {
    const config = { workload: 'chain', n: 3, f: 1, crashes: 3 };
    // recoverability fails first with three crashes; restartBound alone is searched for here.
    const target = build(variants.nonblocking, config);
    const only = { model: target.model, properties: target.properties.filter((p) => p.name === 'restartBound') };
    const result = explore(only as never, { strategy: 'bfs' }) as CheckResult<unknown>;
    if (result.status !== 'violation') throw new Error('expected a violation');
    const v = result.violations[0]!;
    const d = diagramOf(variants.nonblocking, config, v.trace.labels, 'restartBound', v.finding);
    expect(summary(d, ['round'])).toEqual([
      '3 p0 round 1: round 1',
      '6 p0 round 2 restart: round 2: restart (take-over)',
      '9 p0 round 3 restart !cause: round 3: restart (take-over): restart 2 > f = 1 (B1)',
    ]);
  });
});
