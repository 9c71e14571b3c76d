/**
 * The coverage section that `rrcheck check --coverage` prints, and the JSON
 * form that `--json` and the gate's summary carry. Pure functions of a
 * CoverageReport (engine/coverage.ts).
 */
import type { CoverageReport } from '../engine/index.js';
import { columns, count } from './output.js';

/**
 * Points grouped under their headings (in declaration order), each with the
 * steps taken at it and the distinct states first reached through it; then
 * the gauges; then the points never taken, which is what shows a bound too
 * small to exercise a recovery path.
 */
export function coverageText(report: CoverageReport): string {
  const groups: string[] = [];
  for (const p of report.points) if (!groups.includes(p.group)) groups.push(p.group);
  const rows: string[][] = [];
  const headings = new Map<number, string>();
  for (const g of groups) {
    headings.set(rows.length, `  ${g}`);
    for (const p of report.points) {
      if (p.group !== g) continue;
      rows.push([`    ${p.name}`, `${count(p.transitions)} steps`, `${count(p.states)} states`, p.description]);
    }
  }
  const lines = columns(rows, '  ', ['l', 'r', 'r', 'l']);
  const body: string[] = [];
  lines.forEach((line, i) => {
    const heading = headings.get(i);
    if (heading !== undefined) body.push(heading);
    body.push(line);
  });
  const out = ['Coverage (steps taken at each point; distinct states first reached through it)', ...body];
  if (report.gauges.length > 0) {
    out.push('  greatest value reached');
    const gaugeRows = report.gauges.map((g) => [`    ${g.name}`, g.max === undefined ? '—' : count(g.max), g.description]);
    out.push(...columns(gaugeRows, '  ', ['l', 'r', 'l']));
  }
  const never = report.points.filter((p) => p.transitions === 0);
  out.push(
    never.length === 0
      ? '  never taken: none'
      : `  never taken (${never.length}): ${never.map((p) => `${p.name} (${p.description})`).join('; ')}`,
  );
  return `${out.join('\n')}\n`;
}

/** The JSON form: stable field names, every point and gauge, and the names never taken. */
export function coverageJson(report: CoverageReport): Record<string, unknown> {
  return {
    points: report.points.map((p) => ({ name: p.name, group: p.group, steps: p.transitions, states: p.states })),
    gauges: report.gauges.map((g) => ({ name: g.name, max: g.max ?? null })),
    neverTaken: report.neverReached,
  };
}
