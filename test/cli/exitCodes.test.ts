/**
 * The README's exit-code table and src/core/exitCodes.ts list the same codes:
 * every ExitCode and SignalExitCode value has a row, and every row is one of
 * them; each row says where it stands against TLC's code.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SignalExitCode } from '../../src/core/exitCodes.js';
import { ExitCode } from '../../src/index.js';

/** The rows of the table under `### Exit codes`: code → the row's cells after the code. */
function readmeRows(): Map<number, string[]> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('\n### Exit codes\n'), readme.indexOf('\n### Benchmark\n'));
  const rows = new Map<number, string[]>();
  for (const line of section.split('\n')) {
    const cells = /^\| (\d+) \|(.*)\|$/.exec(line);
    if (cells === null) continue;
    expect(rows.has(Number(cells[1])), `code ${cells[1]} has two rows`).toBe(false);
    rows.set(Number(cells[1]), cells[2]!.split(' | ').map((c) => c.trim()));
  }
  return rows;
}

describe('README § Exit codes', () => {
  const rows = readmeRows();
  const known = [...Object.values(ExitCode), ...Object.values(SignalExitCode)].sort((a, b) => a - b);

  it('has one row per code of ExitCode and SignalExitCode, and no other', () => {
    expect([...rows.keys()].sort((a, b) => a - b)).toEqual(known);
    expect(new Set(known).size).toBe(known.length);
  });

  it('every row has a meaning and a TLC column', () => {
    for (const [code, cells] of rows) {
      expect(cells, `row ${code}`).toHaveLength(2);
      expect(cells[0]!.length, `row ${code}: meaning`).toBeGreaterThan(10);
      expect(cells[1], `row ${code}: TLC`).toMatch(/^(agrees|\*\*disagrees\*\*|nearest|no counterpart|no dedicated code|the same)/);
    }
  });

  it('says where ours and TLC differ: 14 is "incomplete" here, a failed Assert in TLC', () => {
    expect(rows.get(ExitCode.incomplete)![0]).toContain('interrupted');
    expect(rows.get(ExitCode.incomplete)![0]).toContain('--memory');
    expect(rows.get(ExitCode.incomplete)![1]).toMatch(/^\*\*disagrees\*\*: TLC's 14 is a failed `Assert`/);
    expect(rows.get(ExitCode.safetyViolation)![1]).toMatch(/^agrees: 12/);
    expect(rows.get(ExitCode.livenessViolation)![1]).toMatch(/^agrees: 13/);
  });
});
