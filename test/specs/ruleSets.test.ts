/**
 * The rule sets: the correct rules read no Variant switch nor the reading
 * (a variant is a delta over them, applied once by rulesFor), and a preset's
 * rule set differs from the correct one exactly in the units its deltas name.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { correctRules, deltasFor, rulesFor } from '../../specs/fbl/rules/index.js';
import type { UnitId } from '../../specs/fbl/rules/unit.js';
import { variants } from '../../specs/index.js';

const source = (file: string) => readFileSync(fileURLToPath(new URL(`../../specs/fbl/rules/${file}`, import.meta.url)), 'utf8');

describe('rule sets', () => {
  it.each(['logging.ts', 'restart.ts', 'gathering.ts', 'replay.ts'])('the correct rules in %s test no variant switch and no reading', (file) => {
    const code = source(file).replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(code).not.toMatch(/\bvariant\b|\.reading\b/);
  });

  it('the non-blocking algorithm is the correct rule set itself', () => {
    expect(deltasFor(variants.nonblocking, 'brief')).toEqual([]);
    expect(rulesFor(variants.nonblocking, 'brief')).toBe(correctRules);
  });

  it.each(Object.values(variants).map((v) => [v.id, v] as const))('%s changes only the units its deltas name', (_id, variant) => {
    const before = { ...correctRules.units };
    const rules = rulesFor(variant, 'brief');
    expect(correctRules.units).toEqual(before); // composing never edits the correct set
    const named = new Set<string>(deltasFor(variant, 'brief').flatMap((d) => d.over));
    const changed = (Object.keys(rules.units) as UnitId[]).filter((id) => rules.units[id] !== correctRules.units[id]);
    const removed = (Object.keys(correctRules.units) as UnitId[]).filter((id) => !(id in rules.units));
    const added = changed.filter((id) => !(id in correctRules.units));
    expect(changed.filter((id) => !added.includes(id)).every((id) => named.has(id))).toBe(true);
    expect(removed.every((id) => named.has(id))).toBe(true);
    // every reception and internal rule named in the orders exists
    for (const id of [...rules.reception, ...rules.internal]) expect(rules.units[id]).toBeDefined();
  });

  it('the baselines order the reception rules as the rules table says', () => {
    expect(rulesFor(variants.blocking, 'brief').reception).toEqual(['BL-2', 'FF-3', 'FF-2', 'RC-14']);
    expect(rulesFor(variants.blocking, 'reference').reception).toEqual(['FF-3', 'BL-2', 'FF-2', 'RC-14']);
    expect(rulesFor(variants.manetho, 'brief').reception).toEqual(['FF-3', 'MS-6', 'MS-5', 'FF-2', 'RC-14']);
    expect(rulesFor(variants.noRestart, 'brief').internal).toEqual(['RC-3', 'drop-responder', 'RC-12', 'FF-4']);
    expect(rulesFor({ ...variants.blocking, atomicAdoption: false }, 'brief').internal).toEqual(['RC-3', 'RC-9', 'RC-12', 'FF-4', 'adopt', 'BL-4']);
  });
});
