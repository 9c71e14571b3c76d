/**
 * Findings as data: every FBL property's finding pinned field by field on one
 * violation (the shortest counterexamples of test/specs/violations.test.ts),
 * the toy models' findings, and the diagram reading only a finding's
 * structured parts: a reworded summary draws the same highlights.
 */
import { describe, expect, it } from 'vitest';
import { buildFbl, variants, type Variant } from '../../specs/index.js';
import { explore, findingOf, type CheckResult, type Finding, type Violation } from '../../src/index.js';
import { diagramFacts, judgeLabels, replayLabels, traceRecord } from '../../src/trace/index.js';
import { defaultSpecId, specRegistry } from '../../specs/index.js';
import { runCli } from '../../src/cli/cli.js';
import { runJob } from '../../src/cli/gate/job.js';
import { memoryFiles } from '../cli/fixtures/memoryFiles.js';
import { STORY_2_2 } from '../specs/stories.js';
import { lassoModel, alwaysTrueAtEnd } from '../toy/graphModels.js';
import { allDone, locksModel } from '../toy/locks.js';
import { tokenRetired, tokenRingModel } from '../toy/tokenRing.js';
import { twoPhase } from '../toy/twoPhase.js';
import { tcConsistentSets, twoPhaseSets } from '../toy/twoPhaseSets.js';
import { pingSpec } from '../cli/fixtures/pingSpec.js';

function fbl(variant: Variant, params: Record<string, string | number>) {
  return buildFbl(variant, { workload: 'chain', n: 3, f: 1, network: 'unordered', reduce: 'eager-drop', reading: 'brief', 'stable-host': 'on', ...params, crashes: params['crashes'] ?? params['f'] ?? 1 });
}

function first<S>(result: CheckResult<S>): Violation<S> {
  if (result.status !== 'violation') throw new Error(`expected a violation, got ${result.status}`);
  return result.violations[0]!;
}

/** The finding of `property` at the end of `labels`, by strict replay. */
function findingAt(target: ReturnType<typeof fbl>, property: string, labels: readonly string[]): Finding {
  const p = target.properties.find((q) => q.name === property)!;
  const j = judgeLabels(target.model, p, labels, { lenient: false });
  if (j.status !== 'violated') throw new Error(`${property} is not violated: ${j.status}`);
  return j.finding;
}

describe('FBL findings, one violation per property', () => {
  it('safety: the orphan, the delivery it depends on, and what the deliverer recovered', () => {
    const target = fbl(variants.naive, { f: 1 });
    const v = first(explore(target, { strategy: 'bfs' }));
    expect(v.property).toBe('safety');
    expect(v.finding.summary).toBe(v.explanation);
    expect(v.finding).toEqual({
      summary: "orphan: p1 depends on p0's delivery #1 (p2's #1 (data d1)), but p0's recovered state has delivered only 0 message(s)",
      reason: 'orphan',
      subjects: [
        {
          process: 'p1',
          role: 'orphan',
          reason: 'delivery-lost',
          dependsOn: { process: 'p0', rsn: 1, message: { source: 'p2', ssn: 1, data: 1 } },
          detail: { delivererHistory: 0 },
        },
      ],
    });
  });

  it("safety, the §2.2 story: the orphan p2 depends on p0's lost delivery of p2's own message", () => {
    const f = findingAt(fbl(variants.naive, { f: 2 }), 'safety', STORY_2_2);
    expect(f.subjects).toEqual([
      {
        process: 'p2',
        role: 'orphan',
        reason: 'delivery-lost',
        dependsOn: { process: 'p0', rsn: 1, message: { source: 'p2', ssn: 1, data: 1 } },
        detail: { delivererHistory: 0 },
      },
    ]);
  });

  it('recoverability: the dependent at risk, the delivery whose determinant is lost', () => {
    const target = fbl(variants.crashBeyondF, { workload: 'fig1', f: 1, crashes: 2 });
    const f = findingAt(target, 'recoverability', ['deliver p2→p0 #1 (inc 0)', 'deliver p0→p1 #1 (inc 0)', 'deliver p1→p2 #1 (inc 0)', 'crash p0', 'crash p1']);
    expect(f).toEqual({
      summary: "p2 depends on p0's delivery #1 (p2's #1 (data d1)), whose determinant no surviving process holds",
      reason: 'determinant-lost',
      subjects: [
        {
          process: 'p2',
          role: 'at-risk',
          reason: 'determinant-lost',
          dependsOn: { process: 'p0', rsn: 1, message: { source: 'p2', ssn: 1, data: 1 } },
          detail: { delivererStatus: 'Crashed' },
        },
      ],
    });
  });

  it('nonBlocking (N1): the blocked live process', () => {
    const target = fbl(variants.blocking, { workload: 'fig1', f: 1 });
    const f = findingAt(target, 'nonBlocking', ['crash p0', 'restart p0', 'begin-round p0', 'depinfo-request p0→p1 (round 1)']);
    expect(f).toEqual({
      summary: 'live process p1 blocked by the recovery',
      reason: 'blocked',
      subjects: [{ process: 'p1', role: 'blocked', reason: 'blocked-by-recovery' }],
    });
  });

  it('nonBlocking (N3): a stable write during a recovery, with no process to blame', () => {
    const target = fbl(variants.manetho, { workload: 'fig1', f: 1 });
    const f = findingAt(target, 'nonBlocking', ['crash p0', 'restart p0', 'begin-round p0', 'depinfo-request p0→p1 (round 1)']);
    expect(f).toEqual({
      summary: 'a live process wrote to stable storage during a recovery (N3)',
      reason: 'stable-write-during-recovery',
      subjects: [],
      detail: { liveStableWrites: 1 },
    });
  });

  it('liveness: the process that never receives a logged message', () => {
    const target = fbl(variants.noResend, { workload: 'fig1', f: 1 });
    const v = first(explore(target, { strategy: 'bfs' }));
    expect(v.property).toBe('liveness');
    expect(v.finding.reason).toBe('bad-terminal-state');
    expect(v.finding.subjects).toEqual([
      { process: 'p0', role: 'undelivered', reason: 'logged-message-undelivered', message: { source: 'p2', ssn: 1, data: 1 } },
    ]);
    expect(v.finding.summary).toBe("p2's logged message #1 to p0 was never delivered");
  });

  it('restartBound: the counters and the rule (B1)', () => {
    const target = fbl(variants.nonblocking, { f: 1, crashes: 3 });
    const only = { model: target.model, properties: target.properties.filter((p) => p.name === 'restartBound') };
    const v = first(explore(only as never, { strategy: 'bfs' }) as CheckResult<unknown>);
    expect(v.finding).toEqual({ summary: '2 restarts > f = 1 (B1)', reason: 'restarts-above-f', subjects: [], detail: { restarts: 2, bound: 1, rule: 'B1' } });
  });

  it('alwaysNoOrphans: the dependent without the determinant, and where it is logged', () => {
    const target = buildFbl(variants.fHosts, { workload: 'pingpong', n: 2, f: 1, crashes: 1, network: 'unordered' });
    const v = first(explore(target, { strategy: 'bfs' }));
    expect(v.property).toBe('alwaysNoOrphans');
    expect(v.finding.reason).toBe('determinant-not-held');
    expect(v.finding.subjects).toEqual([
      {
        process: 'p1',
        role: 'at-risk',
        reason: 'determinant-not-held',
        dependsOn: { process: 'p0', rsn: 1, message: { source: 'p1', ssn: 1, data: 1 } },
        detail: { f: 1, loggedAt: ['p0'] },
      },
    ]);
  });

  it('a lasso has a cycle finding; a finding is plain JSON', () => {
    const cycle = judgeLabels(lassoModel, alwaysTrueAtEnd<number>(), ['a', 'b', 'c', 'back'], { lenient: false });
    expect(cycle.status === 'violated' && cycle.finding).toEqual({
      summary: 'a cycle of 3 step(s) returns to state 1 of the trace: no state without successors is reached along it',
      reason: 'cycle',
      subjects: [],
      detail: { steps: 3, loopStart: 1 },
    });
    const target = fbl(variants.naive, { f: 1 });
    const v = first(explore(target, { strategy: 'bfs' }));
    expect(JSON.parse(JSON.stringify(v.finding))).toEqual(v.finding);
  });
});

describe('toy findings', () => {
  it('two-phase commit: the resource managers, as data', () => {
    const v = first(explore(twoPhase(2, { commitWithoutAllPrepared: true }), { strategy: 'bfs' }));
    expect(v.finding.reason).toBe('aborted-and-committed');
    expect(v.finding.detail?.['rmState']).toEqual(expect.arrayContaining(['aborted', 'committed']));
  });

  it('two-phase commit over sets: the same finding', () => {
    const v = first(explore(twoPhaseSets(2, { commitWithoutAllPrepared: true }), { strategy: 'bfs' }));
    expect(v.finding.reason).toBe('aborted-and-committed');
    expect(v.finding.detail?.['rmState']).toEqual(expect.arrayContaining(['aborted', 'committed']));
  });

  it('the ping fixture: too many hits, and the lost ball', () => {
    const bounded = first(explore(pingSpec.build({ rounds: 3, limit: 1, loss: 'no' }), { strategy: 'bfs' }));
    expect(bounded.finding).toEqual({ summary: '2 hits exceed the limit 1', reason: 'too-many-hits', subjects: [], detail: { hits: 2, limit: 1 } });
    const lost = first(explore(pingSpec.build({ rounds: 3, limit: 6, loss: 'yes' }), { strategy: 'bfs' }));
    expect(lost.finding).toEqual({ summary: 'the run ended after 0 hits: the ball was lost', reason: 'ball-lost', subjects: [], detail: { hits: 0 } });
  });

  it('a property that explains itself with a plain sentence gets a finding without subjects', () => {
    const plain = { ...tcConsistentSets, explain: () => 'aborted and committed at once' };
    const v = first(explore({ model: twoPhaseSets(2, { commitWithoutAllPrepared: true }).model, properties: [plain] }, { strategy: 'bfs' }));
    expect(v.finding).toEqual({ summary: 'aborted and committed at once', reason: 'explained', subjects: [] });
    expect(v.explanation).toBe('aborted and committed at once');
  });

  it('locks: the deadlocked processes, each with the lock it holds', () => {
    const v = first(explore({ model: locksModel(true), properties: [allDone] }, { strategy: 'bfs' }));
    expect(v.finding).toMatchObject({ reason: 'deadlock' });
    expect(v.finding.subjects.map((s) => [s.process, s.role, s.reason])).toEqual([
      ['p0', 'stuck', 'waits-for-lock'],
      ['p1', 'stuck', 'waits-for-lock'],
    ]);
  });

  it('token ring: only a cycle violates it (a cycle finding); its own finding names the holder', () => {
    const v = first(explore({ model: tokenRingModel(3), properties: [tokenRetired] }, { strategy: 'dfs' }));
    expect(v.finding).toMatchObject({ reason: 'cycle', subjects: [], detail: { steps: 3 } });
    expect(findingOf(tokenRetired, { holder: 2, passes: 2, retired: false })).toEqual({
      summary: 'the run ended with p2 holding the token',
      reason: 'token-not-retired',
      subjects: [{ process: 'p2', role: 'stuck', reason: 'holds-token' }],
    });
  });
});

describe('the diagram reads findings, never their summaries', () => {
  const target = fbl(variants.naive, { f: 2 });
  const replayed = replayLabels(target.model, STORY_2_2);
  if (replayed.status !== 'ok') throw new Error('the story drifts');
  const facts = diagramFacts(target, 'safety', { states: replayed.states, labels: STORY_2_2 });

  it('a reworded summary draws the same highlights and emphasis', () => {
    const original = target.diagram!(replayed.states, STORY_2_2, facts);
    const reworded = target.diagram!(replayed.states, STORY_2_2, { ...facts, finding: { ...facts.finding, summary: 'Waise: p2 hängt von einer verlorenen Zustellung ab' } });
    expect(original.highlights).toEqual([{ lane: 2, kind: 'orphan', text: "orphan: depends on p0's delivery of m, lost when it crashed" }]);
    expect(reworded.highlights).toEqual(original.highlights);
    expect(reworded.events).toEqual(original.events);
    expect(reworded.explanation).toBe('Waise: p2 hängt von einer verlorenen Zustellung ab');
  });

  it('a summary that reads like an orphan but a finding without subjects draws no highlight', () => {
    const d = target.diagram!(replayed.states, STORY_2_2, { ...facts, finding: { summary: facts.finding.summary, reason: 'orphan', subjects: [] } });
    expect(d.highlights).toEqual([]);
    expect(d.events.some((e) => e.emphasis !== undefined)).toBe(false);
  });

  it('recoverability: the process at risk is highlighted from its subject (crash-beyond-f, FIG1)', () => {
    const t = fbl(variants.crashBeyondF, { workload: 'fig1', f: 1, crashes: 2 });
    const labels = ['deliver p2→p0 #1 (inc 0)', 'deliver p0→p1 #1 (inc 0)', 'deliver p1→p2 #1 (inc 0)', 'crash p0', 'crash p1'];
    const r = replayLabels(t.model, labels);
    if (r.status !== 'ok') throw new Error('drift');
    const d = t.diagram!(r.states, labels, diagramFacts(t, 'recoverability', { states: r.states, labels }));
    expect(d.highlights).toEqual([{ lane: 2, kind: 'at-risk', text: "depends on p0's delivery #1 (of m), whose determinant no survivor holds" }]);
  });

  it('subjects alone make the highlights: a liveness finding given by hand', () => {
    const finding: Finding = {
      summary: '',
      reason: 'bad-terminal-state',
      subjects: [
        { process: 'p1', role: 'stuck', reason: 'not-live', detail: { status: 'Waiting' } },
        { process: 'p1', role: 'blocked', reason: 'blocked-forever' },
        { process: 'p0', role: 'crashed', reason: 'never-restarted' },
        { process: 'p2', role: 'pending', reason: 'never-consumed', message: { source: 'p1', kind: 'app' } },
      ],
    };
    const d = target.diagram!(replayed.states, STORY_2_2, { ...facts, property: 'liveness', finding });
    expect(d.highlights).toEqual([
      { lane: 0, kind: 'stuck', text: 'crashed for good' },
      { lane: 1, kind: 'stuck', text: 'stuck Waiting; blocked forever' },
    ]);
  });
});

describe('one trace record for check --json and gate jobs', () => {
  it('check --json prints the trace record, finding included; a gate job hands over the same record', () => {
    let out = '';
    const code = runCli(['check', 'naive', '--workload', 'pingpong', '--json', '--out', 'out', '--workers', '1'], {
      files: memoryFiles(),
      registry: specRegistry,
      defaultSpec: defaultSpecId,
      explore: (t, o) => explore(t, o),
      io: { out: (t) => void (out += t), err: () => undefined },
      version: 'test',
    });
    expect(code).toBe(12);
    const trace = (JSON.parse(out) as { trace: Record<string, unknown> }).trace;
    expect(Object.keys(trace)).toEqual(['property', 'category', 'initIndex', 'labels', 'explanation', 'finding']);
    expect(trace['finding']).toMatchObject({ reason: 'orphan', subjects: [{ process: 'p1', role: 'orphan', dependsOn: { process: 'p0', rsn: 1 } }] });

    const params = { workload: 'pingpong', n: 2, f: 1, crashes: 1, network: 'unordered', 'stable-host': 'on', reading: 'brief', reduce: 'eager-drop' };
    const job = runJob(specRegistry, { index: 0, spec: 'naive', params, strategy: 'bfs', continueAfterViolation: false, coverage: false }, (t, o) => explore(t, o));
    expect(job.status).toBe('violation');
    const direct = first(explore(fbl(variants.naive, { workload: 'pingpong', n: 2, f: 1 }), { strategy: 'bfs' }));
    if (job.status === 'error') return;
    expect(job.violations[0]).toEqual(traceRecord(direct));
    // The check's shrunk trace is the BFS one: the same labels as the gate's record.
    expect(trace['labels']).toEqual(job.violations[0]!.labels);
    expect(structuredClone(job.violations[0])).toEqual(job.violations[0]);
  });
});
