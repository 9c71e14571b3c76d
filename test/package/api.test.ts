/**
 * The public API's runtime names, pinned: adding or removing one is a
 * deliberate change to this list, the README's "Using rrcheck as a library"
 * and the version. Types are checked by the packed-package test.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import * as testing from '../../src/testing/index.js';

describe('the public API', () => {
  it('rrcheck exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'COST_STATISTICS',
      'COUNTEREXAMPLE_FORMAT_VERSION',
      'ExitCode',
      'Interner',
      'ItfTuple',
      'ModelError',
      'PARTIAL_ORDER_REDUCTION',
      'StructuralHasher',
      'SystemModel',
      'TEXT_LEGEND',
      'UserError',
      'allOf',
      'collisionProbability',
      'computeMetrics',
      'costReductionsOf',
      'counterexampleFileName',
      'coverageCollector',
      'coverageValue',
      'cycleFinding',
      'decodeCounterexample',
      'decodeSnapshot',
      'defaultParams',
      'describeAction',
      'describeSteps',
      'diagramFacts',
      'diagramMessages',
      'diffValues',
      'encodeCounterexample',
      'encodeSnapshot',
      'explore',
      'fateOf',
      'findingOf',
      'formatChange',
      'formatChanges',
      'formatSteps',
      'formatValue',
      'formatViolation',
      'genericDiagram',
      'itfProblem',
      'itfSome',
      'plainFinding',
      'popcount',
      'randomScenario',
      'randomWalks',
      'renderMermaid',
      'renderSvg',
      'renderText',
      'replayLabels',
      'resolveParams',
      'setMembers',
      'shrinkViolation',
      'simulateTimed',
      'sortedSetHas',
      'sortedSetInsert',
      'sortedSetUnion',
      'traceFinding',
      'traceRecord',
      'traceSteps',
      'vectorMax',
    ]);
  });

  it('rrcheck/testing exports exactly these values', () => {
    expect(Object.keys(testing).sort()).toEqual(['MODEL_LAWS', 'ModelLawError', 'checkModelLaws']);
  });

  it('names every export (no `export *` in the entry modules)', () => {
    for (const entry of ['../../src/index.ts', '../../src/testing/index.ts']) {
      expect(readFileSync(new URL(entry, import.meta.url), 'utf8')).not.toMatch(/export\s*\*/);
    }
  });
});
