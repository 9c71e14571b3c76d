/**
 * `rrcheck check --coverage` in-process on the real FBL registry: the
 * coverage section (steps, crash points, recovery paths, gauges, points never
 * taken), its JSON form, and the one-line error for a spec without coverage;
 * and a gate entry whose required recovery path is not reached failing.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSpecId, specRegistry } from '../../specs/index.js';
import { runCli } from '../../src/cli/cli.js';
import { ExitCode, explore } from '../../src/index.js';
import { pingSpec } from '../cli/fixtures/pingSpec.js';

async function run(args: string[], registry = specRegistry) {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    registry,
    defaultSpec: registry === specRegistry ? defaultSpecId : 'ping',
    explore: (target, options) => explore(target, options),
    io: { out: (t) => void (out += t), err: (t) => void (err += t) },
    version: '0.0.0',
  });
  return { code, out, err };
}

describe('rrcheck check --coverage', () => {
  it('nonblocking chain n=3 f=2: gathering restarts and leader take-overs reached, the leader never crashed in incarnation gathering', async () => {
    const r = await run(['check', '--f', '2', '--coverage', '--progress-interval', '0']);
    expect(r.code).toBe(ExitCode.ok);
    const section = r.out.slice(r.out.indexOf('Coverage ('));
    expect(section).toMatch(/^ {2}protocol steps$/m);
    expect(section).toMatch(/^ {2}crashes, by what the crashed process was doing$/m);
    expect(section).toMatch(/^ {4}gathering-restart +[1-9][\d,]* steps +[1-9][\d,]* states +gathering restarted/m);
    expect(section).toMatch(/^ {4}leader-take-over +[1-9][\d,]* steps +[1-9][\d,]* states /m);
    expect(section).toMatch(/^ {4}crash-leader-dep +[1-9][\d,]* steps +[1-9][\d,]* states +leader crashed during depinfo gathering$/m);
    expect(section).toMatch(/^ {4}max-restarts +1 +gathering restarts plus leader take-overs in one run$/m);
    expect(section).toMatch(/^ {2}never taken \(1\): crash-leader-inc \(leader crashed during incarnation gathering\)$/m);
  });

  it('with f = 1 (one crash) no restart path can be taken, and the report says so', async () => {
    const r = await run(['check', '--coverage', '--progress-interval', '0']);
    expect(r.code).toBe(ExitCode.ok);
    const never = r.out.split('\n').find((l) => l.startsWith('  never taken'))!;
    for (const name of ['gathering-restart', 'leader-take-over', 'crash-leader-dep', 'crash-responder']) expect(never).toContain(`${name} (`);
  });

  it('--json carries the counts as stepCoverage, next to the unchanged report fields', async () => {
    const r = await run(['check', '--f', '2', '--coverage', '--json']);
    const json = JSON.parse(r.out) as { status: string; stats: { transitions: number }; stepCoverage: { points: { name: string; group: string; steps: number; states: number }[]; gauges: { name: string; max: number }[]; neverTaken: string[] } };
    expect(json.status).toBe('ok');
    const steps = json.stepCoverage.points.filter((p) => p.group === 'protocol steps');
    expect(steps.reduce((s, p) => s + p.steps, 0)).toBe(json.stats.transitions);
    expect(json.stepCoverage.neverTaken).toEqual(['crash-leader-inc']);
    expect(json.stepCoverage.gauges).toContainEqual({ name: 'max-restarts', max: 1 });
  });

  it('a spec that declares no coverage points: one line, exit 3', async () => {
    const r = await run(['check', 'ping', '--coverage'], [pingSpec]);
    expect(r.code).toBe(ExitCode.badSpec);
    expect(r.err.trim()).toBe('rrcheck: spec ping declares no coverage points (--coverage needs them)');
    expect(r.out).toBe('');
  });
});

describe('gate coverage requirements on the real spec', () => {
  it('"gathering-restart >= 1": f = 1 (one crash, no restart possible) fails though every property holds; f = 2 passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rrcheck-cov-'));
    const matrix = join(dir, 'gate.json');
    writeFileSync(matrix, JSON.stringify({ checks: [{ spec: 'nonblocking', params: { f: [1, 2] }, expect: 'holds', require: { 'gathering-restart': '>= 1', 'max-restarts': '>= 1' } }] }));
    const r = await run(['gate', matrix]);
    expect(r.code).toBe(ExitCode.gateMismatch);
    expect(r.out).toMatch(/^FAIL {2}nonblocking f=1 +expected holds +got holds +309 states +\S+ \S+ {2}coverage 0\/2$/m);
    expect(r.out).toContain('      - coverage: gathering-restart = 0, required gathering-restart >= 1\n      - coverage: max-restarts = 0, required max-restarts >= 1\n');
    expect(r.out).toMatch(/^PASS {2}nonblocking f=2 +expected holds +got holds +28,447 states +\S+ \S+ {2}coverage 2\/2$/m);
    expect(r.out).toMatch(/^gate: 1 passed, 1 failed$/m);
  });
});
