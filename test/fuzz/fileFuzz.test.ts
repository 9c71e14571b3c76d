/**
 * Mutated counterexample files through replay and render, in-process: values
 * replaced by odd JSON (special numbers, deep nesting, huge arrays, `__proto__`
 * keys, control characters), keys deleted, texts cut, bytes that are not
 * UTF-8, a byte-order mark. The property of fuzzInputs.ts holds for each, and
 * what render draws stays safe for its format.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/index.js';
import { runRrcheckAsync } from '../cli/fixtures/runRrcheck.js';
import { xmlProblems } from '../trace/xml.js';
import { type CodeCounts, codesText, corpusFiles, countCode, FUZZ_RUNS, FUZZ_SEED, FUZZ_TEST_TIMEOUT_MS, logProgress, mutatedFile, propertyProblem } from './fuzzInputs.js';

const RUNS = FUZZ_RUNS;
const SEED = FUZZ_SEED;

const commands = [['replay'], ['replay', '--json'], ['render'], ['render', '--format', 'svg'], ['render', '--format', 'mermaid']] as const;

describe('fuzzed counterexample files', () => {
  it(`${RUNS} mutated files, seed ${SEED}: replay and render end in a documented exit code, a refusal in one short line; never 255`, async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'rrcheck-fuzz-files-'));
    const file = join(scratch, 'mutated.itf.json');
    // The small files keep each replay quick; mutations reach every field all the same.
    const texts = corpusFiles()
      .filter((f) => f.text.length < 20_000)
      .map((f) => f.text);
    const counts: CodeCounts = new Map();
    const started = performance.now();
    let done = 0;
    await fc.assert(
      fc.asyncProperty(mutatedFile(texts), fc.constantFrom(...commands), async (bytes, command) => {
        writeFileSync(file, bytes);
        const t0 = performance.now();
        const run = await runRrcheckAsync([command[0], file, ...command.slice(1)]);
        countCode(counts, run.code);
        logProgress('counterexample files', ++done, started, counts);
        const problem = propertyProblem(run, performance.now() - t0);
        if (problem !== undefined) throw new Error(`rrcheck ${command.join(' ')} on a mutated file: ${problem}`);
        if (run.code === ExitCode.ok && command[0] === 'render') {
          if ((command as readonly string[]).includes('svg')) expect(xmlProblems(run.out)).toEqual([]);
          else expect(run.out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(`fuzz (counterexample files): ${RUNS} inputs, seed ${SEED}, ${seconds.toFixed(1)} s (${(RUNS / seconds).toFixed(0)}/s); exit codes ${codesText(counts)}`);
    expect(counts.get(ExitCode.malformedFile) ?? 0).toBeGreaterThan(0);
    expect((counts.get(ExitCode.ok) ?? 0) + (counts.get(ExitCode.safetyViolation) ?? 0)).toBeGreaterThan(0);
  }, FUZZ_TEST_TIMEOUT_MS);
});
