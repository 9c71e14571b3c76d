/**
 * FBL coverage points (specs/fbl/coverage.ts) through the engine's hook: each
 * transition is exactly one protocol step, each crash exactly one crash
 * point, the points a configuration cannot reach are not declared, and the
 * recovery paths appear exactly when the crash budget allows them.
 */
import { describe, expect, it } from 'vitest';
import { coverageCollector, explore, type CoverageReport } from '../../src/engine/index.js';
import { build, variants, type Config } from '../specs/support.js';
import type { Variant } from '../../specs/index.js';

function covered(variant: Variant, config: Config) {
  const target = build(variant, config);
  const collector = coverageCollector(target.coverage!);
  const result = explore(target as never, { strategy: 'bfs', continueAfterViolation: true, onTransition: collector.onTransition as never });
  return { result, report: collector.report() };
}

const group = (report: CoverageReport, name: string) => report.points.filter((p) => p.group === name);
const point = (report: CoverageReport, name: string) => report.points.find((p) => p.name === name);
const sum = (points: readonly { transitions: number }[]) => points.reduce((s, p) => s + p.transitions, 0);

describe('FBL coverage', () => {
  it('nonblocking chain n=3 f=1: every transition is one protocol step, every crash one crash point; one crash allows no restart', () => {
    const { result, report } = covered(variants.nonblocking, { n: 3, f: 1 });
    expect(result.stats.distinct).toBe(309);
    const steps = group(report, 'protocol steps');
    expect(sum(steps)).toBe(result.stats.transitions);
    expect(steps.reduce((s, p) => s + p.states, 0)).toBe(result.stats.distinct - 1);
    expect(sum(group(report, 'crashes, by what the crashed process was doing'))).toBe(point(report, 'crash')!.transitions);
    // The first crash strikes a system with no recovery under way.
    expect(point(report, 'crash-live-idle')!.transitions).toBe(point(report, 'crash')!.transitions);
    for (const name of ['gathering-restart', 'leader-take-over', 'crash-leader-dep', 'crash-responder', 'joint-round', 'detect-restart']) {
      expect(report.neverReached).toContain(name);
    }
    expect(point(report, 'recovered')!.transitions).toBeGreaterThan(0);
    expect(report.gauges).toEqual([
      expect.objectContaining({ name: 'max-restarts', max: 0 }),
      expect.objectContaining({ name: 'max-down', max: 1 }),
    ]);
  });

  it('nonblocking chain n=3 f=2: gathering restarts, leader take-overs and leader crashes during depinfo gathering are reached; at most one restart per run (B2)', () => {
    const { result, report } = covered(variants.nonblocking, { n: 3, f: 2 });
    expect(result.status).toBe('ok');
    for (const name of ['gathering-restart', 'leader-take-over', 'crash-leader-dep', 'crash-responder', 'joint-round']) {
      expect(point(report, name)!.states).toBeGreaterThan(0);
    }
    // A gathering restart is the detect-restart step.
    expect(point(report, 'gathering-restart')).toMatchObject({ transitions: point(report, 'detect-restart')!.transitions });
    // The leader stays in incarnation gathering only while another waiting process has not answered:
    // two crashes made both, so a third would be needed to crash the leader then.
    expect(report.neverReached).toEqual(['crash-leader-inc']);
    expect(report.gauges.find((g) => g.name === 'max-restarts')!.max).toBe(1);
    expect(report.gauges.find((g) => g.name === 'max-down')!.max).toBe(2);
  });

  it('points are declared only where the variant and configuration can reach them', () => {
    const names = (variant: Variant, config: Config = {}) => build(variant, config).coverage!.points.map((p) => p.name);
    const nonblocking = names(variants.nonblocking);
    for (const absent of ['unblock', 'announce', 'discard-orphan', 'drop-responder', 'flush']) expect(nonblocking).not.toContain(absent);
    expect(nonblocking).toContain('detect-restart');
    expect(names(variants.blocking)).toContain('unblock');
    expect(names(variants.manetho)).toEqual(expect.arrayContaining(['announce', 'discard-orphan']));
    const noRestart = names(variants.noRestart);
    expect(noRestart).toContain('drop-responder');
    expect(noRestart).not.toContain('detect-restart');
    expect(noRestart).not.toContain('gathering-restart');
    expect(names(variants.nonblocking, { workload: 'pingpong', n: 2, f: 2 })).toContain('flush');
  });

  it('blocking PINGPONG f=1: unblock steps are taken', () => {
    const { report } = covered(variants.blocking, { workload: 'pingpong', n: 2, f: 1 });
    expect(point(report, 'unblock')!.transitions).toBeGreaterThan(0);
  });

  it('f = n (PINGPONG f=2): flush steps are taken', () => {
    const { report } = covered(variants.nonblocking, { workload: 'pingpong', n: 2, f: 2 });
    expect(point(report, 'flush')!.transitions).toBeGreaterThan(0);
  });
});
