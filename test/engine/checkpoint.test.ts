/**
 * Checkpoints of a breadth-first search (engine/checkpoint.ts): a search
 * resumed from the snapshot of any level boundary ends with the verdicts,
 * counts and counterexample of the search that was never stopped.
 */
import { describe, expect, it } from 'vitest';
import { specRegistry } from '../../specs/index.js';
import { explore, resolveParams, type CheckResult } from '../../src/index.js';
import { decodeSnapshot } from '../../src/engine/index.js';

function build(id: string, params: Record<string, string | number>, shared?: unknown) {
  const spec = specRegistry.find((s) => s.id === id)!;
  return spec.build(resolveParams(spec.params, params, spec.id), shared === undefined ? undefined : { shared });
}

/** What a resumed search must reproduce. */
function outcome(result: CheckResult<unknown>) {
  return {
    status: result.status,
    distinct: result.stats.distinct,
    transitions: result.stats.transitions,
    maxDepth: result.stats.maxDepth,
    terminal: result.stats.terminal,
    properties: result.properties,
    violations: result.status === 'violation' ? result.violations.map((v) => ({ property: v.property, labels: v.trace.labels, explanation: v.explanation })) : [],
  };
}

/** Runs the whole search, snapshotting at every level; then resumes from each snapshot. */
function resumeAtEveryLevel(id: string, params: Record<string, string | number>, options: { continueAfterViolation?: boolean } = {}) {
  const snapshots: { bytes: Uint8Array; depth: number; distinct: number }[] = [];
  const whole = explore(build(id, params), {
    strategy: 'bfs',
    ...options,
    checkpoint: { intervalMs: 0, save: (parts, summary) => snapshots.push({ bytes: Buffer.concat(parts), depth: summary.depth, distinct: summary.distinct }) },
  });
  const resumed = snapshots.map((s) => {
    const snapshot = decodeSnapshot(s.bytes);
    return outcome(explore(build(id, params, snapshot.modelShared), { strategy: 'bfs', ...options, resume: snapshot }));
  });
  return { whole: outcome(whole), snapshots, resumed };
}

describe('checkpoint and resume (BFS)', () => {
  it('nonblocking, 3 processes: every resumed search ends as the whole one (ok, 309 states)', () => {
    const { whole, snapshots, resumed } = resumeAtEveryLevel('nonblocking', { n: 3, f: 1, crashes: 1 });
    expect(whole.status).toBe('ok');
    expect(whole.distinct).toBe(309);
    expect(snapshots.length).toBe(whole.maxDepth);
    expect(snapshots.map((s) => s.depth)).toEqual(Array.from({ length: whole.maxDepth }, (_, k) => k + 1));
    for (const r of resumed) expect(r).toEqual(whole);
  });

  it('naive: the resumed searches find the same shortest counterexample', () => {
    const { whole, snapshots, resumed } = resumeAtEveryLevel('naive', { n: 3, f: 1, crashes: 1 });
    expect(whole.status).toBe('violation');
    expect(snapshots.length).toBeGreaterThan(3);
    for (const r of resumed) expect(r).toEqual(whole);
  });

  it('naive with continueAfterViolation: violations recorded before the snapshot are carried over', () => {
    const { whole, snapshots, resumed } = resumeAtEveryLevel('naive', { n: 3, f: 1, crashes: 1 }, { continueAfterViolation: true });
    expect(whole.violations.length).toBeGreaterThan(0);
    const deepest = snapshots.at(-1)!.depth;
    expect(deepest).toBeGreaterThan(whole.violations[0]!.labels.length);
    for (const r of resumed) expect(r).toEqual(whole);
  });

  it('a damaged snapshot is refused as a malformed file', () => {
    const snapshots: Uint8Array[] = [];
    explore(build('nonblocking', { n: 3 }), { strategy: 'bfs', maxDepth: 3, checkpoint: { intervalMs: 0, save: (parts) => snapshots.push(Buffer.concat(parts)) } });
    const bytes = snapshots[0]!;
    expect(() => decodeSnapshot(bytes.subarray(0, bytes.length - 1))).toThrow("the checkpoint's search snapshot is damaged: it is truncated");
    expect(() => decodeSnapshot(new Uint8Array(20))).toThrow('it does not start with the snapshot mark');
  });
});
