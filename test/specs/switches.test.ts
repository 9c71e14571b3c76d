/**
 * The variant switches as spec parameters: every preset is nonblocking with
 * its switches set (the same variant, the same states and verdicts), a
 * combination no preset ships is checked, meaningless combinations are
 * refused, and a record names only the switches that depart from its preset.
 */
import { describe, expect, it } from 'vitest';
import { findSpec, specRegistry, variants, type Variant } from '../../specs/index.js';
import { VARIANT_SWITCHES, variantOf } from '../../specs/fbl/switches.js';
import { ExitCode, explore, resolveParams, type CheckResult, type ParamValue } from '../../src/index.js';
import { userErrorOf } from '../support/helpers.js';

/** The switches (as typed) where `preset` departs from nonblocking. */
function departures(preset: Variant): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of VARIANT_SWITCHES) {
    if (preset[s.field] !== variants.nonblocking[s.field]) out[s.name] = s.values[s.fieldValues.indexOf(preset[s.field])]!;
  }
  return out;
}

function run(spec: string, given: Record<string, ParamValue>): CheckResult<unknown> {
  const definition = findSpec(spec)!;
  const target = definition.build(resolveParams(definition.params, given, spec));
  return explore(target, { strategy: 'bfs' });
}

/** What two checks must share to be the same check. */
function summary(result: CheckResult<unknown>) {
  return {
    status: result.status,
    states: result.stats.distinct,
    transitions: result.stats.transitions,
    verdicts: result.properties.map((p) => [p.name, p.status]),
    trace: result.status === 'violation' ? result.violations[0]!.trace.labels : [],
  };
}


describe('variant switches', () => {
  it('cover every field of Variant but its id, each with two values', () => {
    const fields = Object.keys(variants.nonblocking).filter((k) => k !== 'id').sort();
    expect(VARIANT_SWITCHES.map((s) => s.field).sort()).toEqual(fields);
    for (const spec of specRegistry) {
      const names = spec.params.map((p) => p.name);
      for (const s of VARIANT_SWITCHES) expect(names, spec.id).toContain(s.name);
    }
  });

  it.each(Object.values(variants))('preset $id is nonblocking with its switches set', (preset) => {
    const { id: _ignored, ...fields } = preset;
    const { id: _nb, ...built } = variantOf(variants.nonblocking, departures(preset));
    expect(built).toEqual(fields);
    // Its own parameters default to its own settings: nothing departs from it.
    expect(variantOf(preset, resolveParams(findSpec(preset.id)!.params, {}, preset.id))).toEqual(preset);
  });

  it.each([
    ['naive', { 'incarnation-filter': 'off' }, {}],
    ['f-hosts', { replication: 'f' }, {}],
    ['blocking', { blocking: 'on' }, {}],
    ['no-enrollment', { enrollment: 'off', 'incarnations-in-replies': 'off' }, { f: 2 }],
    ['strict-replay-filter', { 'replay-stale-test': 'not-newer' }, {}],
    ['crash-beyond-f', { crashes: 2 }, {}],
  ] as const)('check nonblocking with the switches of %s = check of that preset (same states, transitions, verdicts, trace)', (preset, switches, extra) => {
    const workload = { workload: 'chain', n: 3, ...extra };
    expect(summary(run('nonblocking', { ...workload, ...switches }))).toEqual(summary(run(preset, workload)));
  });

  it.each(Object.values(variants).map((v) => [v.id, v] as const))('%s on PINGPONG, f = 1, searched to the end: the same states, transitions and verdicts as nonblocking with its switches set', (id, preset) => {
    const full = (spec: string, given: Record<string, ParamValue>) => {
      const definition = findSpec(spec)!;
      const result = explore(definition.build(resolveParams(definition.params, { workload: 'pingpong', f: 1, ...given }, spec)), { strategy: 'bfs', continueAfterViolation: true });
      return { states: result.stats.distinct, transitions: result.stats.transitions, verdicts: result.properties.map((p) => [p.name, p.status]) };
    };
    const crashes = id === 'crash-beyond-f' ? { crashes: 2 } : {};
    expect(full('nonblocking', { ...departures(preset), ...crashes })).toEqual(full(id, {}));
  });

  it('checks a combination no preset ships: naive and f-hosts together (incarnation filter off, replication f)', () => {
    const result = run('nonblocking', { workload: 'pingpong', 'incarnation-filter': 'off', replication: 'f' });
    expect(result.status).toBe('violation');
    if (result.status !== 'violation') return;
    const v = result.violations[0]!;
    expect([v.property, v.trace.labels]).toEqual(['alwaysNoOrphans', ['deliver p1→p0 #1 (inc 0)', 'deliver p0→p1 #1 (inc 0)']]);
    // Searched to the end: a model of its own (66 states, where naive has 71 and f-hosts 70), violating what f-hosts violates.
    const all = (spec: string, given: Record<string, ParamValue>) => {
      const definition = findSpec(spec)!;
      return explore(definition.build(resolveParams(definition.params, { workload: 'pingpong', ...given })), { strategy: 'bfs', continueAfterViolation: true });
    };
    const combined = all('nonblocking', { 'incarnation-filter': 'off', replication: 'f' });
    const violated = (r: CheckResult<unknown>) => r.properties.filter((p) => p.status === 'violated').map((p) => p.name);
    expect([combined.stats.distinct, violated(combined)]).toEqual([66, ['safety', 'alwaysNoOrphans', 'recoverability']]);
    expect([all('naive', {}).stats.distinct, violated(all('naive', {}))]).toEqual([71, ['safety']]);
    expect(all('f-hosts', {}).stats.distinct).toBe(70);
  });

  it.each([
    [{ 'holds-by-incarnation': 'off' }, 'bad parameter combination: holds-by-incarnation=off needs manetho-style=on (only the Manetho-style recovery holds messages)'],
    [{ 'manetho-style': 'on', blocking: 'on' }, 'bad parameter combination: blocking=on with manetho-style=on: a Manetho-style responder writes its reply to stable storage and never blocks'],
    [{ 'manetho-style': 'on', 'atomic-adoption': 'off' }, 'bad parameter combination: atomic-adoption=off with manetho-style=on: a Manetho-style responder adopts no incvector when it replies'],
  ])('refuses %j at build, in one line', (switches, message) => {
    const spec = findSpec('nonblocking')!;
    const e = userErrorOf(() => spec.build(resolveParams(spec.params, switches)));
    expect([e.exitCode, e.message]).toEqual([ExitCode.badSpec, message]);
  });

  it('refuses a value a switch does not take, naming its values', () => {
    const spec = findSpec('naive')!;
    expect(userErrorOf(() => resolveParams(spec.params, { replication: 'f+2' })).message).toBe('bad parameter replication=f+2: must be one of f+1, f');
  });

  it('records only the switches that depart from the preset, so old records read the same', () => {
    const naive = findSpec('naive')!;
    expect(Object.keys(resolveParams(naive.params, {}))).toEqual(['workload', 'n', 'f', 'crashes', 'network', 'stable-host', 'reading', 'reduce']);
    expect(resolveParams(naive.params, { 'incarnation-filter': 'off' })).not.toHaveProperty('incarnation-filter');
    expect(resolveParams(naive.params, { 'incarnation-filter': 'on' })).toMatchObject({ 'incarnation-filter': 'on' });
    const nonblocking = findSpec('nonblocking')!;
    const record = resolveParams(nonblocking.params, { 'incarnation-filter': 'off', blocking: 'off' });
    expect(Object.keys(record).slice(8)).toEqual(['incarnation-filter']);
    // naive with its filter back on is nonblocking.
    expect(summary(run('naive', { workload: 'pingpong', 'incarnation-filter': 'on' }))).toEqual(summary(run('nonblocking', { workload: 'pingpong' })));
  });
});
