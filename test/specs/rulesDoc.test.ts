/**
 * docs/rules.md and specs/fbl/rules/ name the same rules: every rule id of
 * the table (FF-*, RC-*, BL-*, MS-*) has exactly one unit, exported under the
 * name and from the file the table gives, and every unit or baseline delta
 * has exactly one row. Every variant delta has a row in the table of deltas.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as blocking from '../../specs/fbl/rules/blocking.js';
import * as gathering from '../../specs/fbl/rules/gathering.js';
import { correctRules, switches } from '../../specs/fbl/rules/index.js';
import * as logging from '../../specs/fbl/rules/logging.js';
import * as manetho from '../../specs/fbl/rules/manetho.js';
import * as replay from '../../specs/fbl/rules/replay.js';
import * as restart from '../../specs/fbl/rules/restart.js';

const modules: Record<string, Record<string, unknown>> = {
  'rules/logging.ts': logging,
  'rules/restart.ts': restart,
  'rules/gathering.ts': gathering,
  'rules/replay.ts': replay,
  'rules/blocking.ts': blocking,
  'rules/manetho.ts': manetho,
};

const doc = readFileSync(fileURLToPath(new URL('../../docs/rules.md', import.meta.url)), 'utf8');

/** The rows of the rule tables: id, the exported name and the module of its unit. */
const rows = [...doc.matchAll(/^\| ((?:FF|RC|BL|MS)-\d+) \|.*?\| `(\w+)` in `(rules\/\w+\.ts)` \|/gm)].map((m) => ({ id: m[1]!, name: m[2]!, file: m[3]! }));

/** Every unit of the correct rules, and every delta of the baselines. */
const units = [...Object.entries(correctRules.units).map(([key, unit]) => ({ key, id: unit.id })), ...[...blocking.blockingBaseline, ...manetho.manethoBaseline].map((d) => ({ key: d.id, id: d.id }))];

describe('docs/rules.md and the rule units', () => {
  it('the table has every numbered rule, once each', () => {
    const ids = rows.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const expected = [
      ...range('FF', 1, 4),
      ...range('RC', 1, 17),
      ...range('BL', 1, 5),
      ...range('MS', 0, 6),
    ];
    expect([...ids].sort()).toEqual([...expected].sort());
  });

  it('each unit is filed under its own id, and has exactly one row', () => {
    for (const u of units) expect(u.id).toBe(u.key);
    const ids = units.map((u) => u.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(rows.map((r) => r.id).sort());
  });

  it('each row names the export that holds its unit', () => {
    for (const row of rows) {
      const unit = modules[row.file]?.[row.name] as { id?: string } | undefined;
      expect(`${row.id}: ${row.file} ${row.name} → ${unit?.id}`).toBe(`${row.id}: ${row.file} ${row.name} → ${row.id}`);
    }
  });

  it('every delta a Variant switch selects is in the table of deltas, and changes documented rules', () => {
    const documented = new Set(rows.map((r) => r.id));
    for (const s of switches) {
      expect(doc).toContain(`| \`${s.field}\` (`);
      for (const delta of s.deltas) {
        if (!documented.has(delta.id)) expect(doc).toContain(`| \`${delta.id}\` |`);
        for (const over of delta.over) expect(documented).toContain(over);
      }
    }
  });
});

function range(prefix: string, from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, i) => `${prefix}-${from + i}`);
}
