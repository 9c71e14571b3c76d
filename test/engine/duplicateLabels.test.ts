/**
 * Two enabled actions of one state with the same label break the Model
 * contract: a trace of labels could not say which was taken. The explorer
 * (both strategies), random walks and replay all refuse such a state with the
 * same ModelError (exit code 8), naming the label and the state.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { ExitCode, type Model, ModelError, type SpecDefinition } from '../../src/core/index.js';
import { explore, randomWalks } from '../../src/engine/index.js';
import { judgeLabels, replayLabels } from '../../src/trace/index.js';
import { alwaysTrueAtEnd, mixInts } from '../toy/graphModels.js';
import { memoryFiles } from '../cli/fixtures/memoryFiles.js';

/**
 * 0 → 1 → … → depth along `step`; the state `depth` has two actions labelled
 * "same" (to depth + 1 and depth + 2, both without successors).
 */
function clash(depth: number, roots: readonly number[] = [0]): Model<number, number> {
  return {
    init: () => roots,
    actions: (s) => (s < depth ? [s + 1] : s === depth ? [depth + 1, depth + 2] : []),
    next: (_s, to) => to,
    label: (to) => (to > depth ? 'same' : `step ${to}`),
    fingerprint: (s, out) => mixInts(out, s),
  };
}

const rule = "(labels must be unique among a state's enabled actions)";
const AT_2 = `model error: two enabled actions of the state reached by "step 1" → "step 2" have the same label "same" ${rule}`;

function thrown(f: () => unknown): ModelError {
  try {
    f();
  } catch (error) {
    if (error instanceof ModelError) return error;
    throw error;
  }
  throw new Error('expected a ModelError');
}

describe('duplicate labels', () => {
  it.each(['bfs', 'dfs'] as const)('%s throws ModelError naming the label and the trace to the state', (strategy) => {
    const error = thrown(() => explore({ model: clash(2), properties: [alwaysTrueAtEnd()] }, { strategy }));
    expect(error.message).toBe(AT_2);
    expect(error.kind).toBe('duplicate-label');
    expect(error.exitCode).toBe(ExitCode.badModel);
    expect(error.exitCode).toBe(8);
  });

  it('names an initial state by its index', () => {
    expect(thrown(() => explore({ model: clash(0), properties: [] }, { strategy: 'bfs' })).message).toBe(
      `model error: two enabled actions of the initial state #0 have the same label "same" ${rule}`,
    );
    // Roots 5 and 0 with depth 0: the clash is at the second initial state.
    expect(thrown(() => explore({ model: clash(0, [5, 0]), properties: [] }, { strategy: 'dfs' })).message).toBe(
      `model error: two enabled actions of the initial state #1 have the same label "same" ${rule}`,
    );
  });

  it('abbreviates a long trace: its length, the first three labels and the last two', () => {
    expect(thrown(() => explore({ model: clash(10), properties: [] }, { strategy: 'bfs' })).message).toBe(
      `model error: two enabled actions of the state reached by 10 steps "step 1" → "step 2" → "step 3" → … → "step 9" → "step 10" have the same label "same" ${rule}`,
    );
  });

  it('random walks throw it too', () => {
    expect(thrown(() => randomWalks({ model: clash(2), properties: [] }, { seed: 1, runs: 5, maxSteps: 10 })).message).toBe(AT_2);
  });

  it('replay does not pick the first of two equal labels: strict replay and judging (strict and lenient) throw it', () => {
    const model = clash(2);
    expect(thrown(() => replayLabels(model, ['step 1', 'step 2', 'same'])).message).toBe(AT_2);
    for (const lenient of [false, true]) {
      expect(thrown(() => judgeLabels(model, alwaysTrueAtEnd<number>(), ['step 1', 'step 2', 'same'], { lenient })).message).toBe(AT_2);
    }
    // Up to the clash, replay is as before.
    expect(replayLabels(model, ['step 1', 'step 2'])).toEqual({ status: 'ok', states: [0, 1, 2] });
  });

  it('the CLI prints it as one line and exits 8', () => {
    const spec: SpecDefinition = {
      id: 'clash',
      title: 'clash: two actions with one label',
      summary: 'a model that breaks the label contract',
      params: [],
      build: () => ({ model: clash(2) as Model<unknown, unknown>, properties: [alwaysTrueAtEnd()], view: (s) => s }),
    };
    for (const strategy of ['bfs', 'dfs']) {
      let out = '';
      let err = '';
      const code = runCli(['check', 'clash', '--strategy', strategy, '--progress-interval', '0'], {
        registry: [spec],
        defaultSpec: 'clash',
        explore: (target, options) => explore(target, options),
        io: { out: (t) => void (out += t), err: (t) => void (err += t) },
        version: '9.9.9',
        files: memoryFiles(),
      });
      expect(code).toBe(ExitCode.badModel);
      expect(out).toBe('');
      expect(err).toBe(`checking clash  (${strategy})\nrrcheck: ${AT_2}\n`);
    }
  });
});
