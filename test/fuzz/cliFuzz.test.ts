/**
 * Fuzzed command lines run in-process (fuzzInputs.ts says what is drawn and
 * the property every run must meet). A fixed seed and a small budget keep it
 * a standing test; `npm run fuzz` runs the same property on many more inputs
 * (RRCHECK_FUZZ_RUNS, RRCHECK_FUZZ_SEED).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/index.js';
import { runRrcheckAsync } from '../cli/fixtures/runRrcheck.js';
import { type CodeCounts, codesText, commandLine, corpusFiles, countCode, FUZZ_RUNS, FUZZ_SEED, FUZZ_TEST_TIMEOUT_MS, logProgress, propertyProblem } from './fuzzInputs.js';

const RUNS = FUZZ_RUNS;
const SEED = FUZZ_SEED;

/** An argument as a message shows it: quoted, cut. */
const shown = (arg: string) => JSON.stringify(arg.length > 60 ? `${arg.slice(0, 60)}…(${arg.length})` : arg);

describe('fuzzed command lines', () => {
  it(`${RUNS} command lines, seed ${SEED}: each ends in a documented exit code, a refusal in one short line; never 255`, async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'rrcheck-fuzz-cli-'));
    const files = corpusFiles().map((f) => f.path);
    const counts: CodeCounts = new Map();
    const started = performance.now();
    let done = 0;
    await fc.assert(
      fc.asyncProperty(commandLine(scratch, files), async (args) => {
        const t0 = performance.now();
        const run = await runRrcheckAsync(args);
        countCode(counts, run.code);
        logProgress('command lines', ++done, started, counts);
        const problem = propertyProblem(run, performance.now() - t0);
        if (problem !== undefined) throw new Error(`rrcheck ${args.map(shown).join(' ')}: ${problem}`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(`fuzz (command lines): ${RUNS} inputs, seed ${SEED}, ${seconds.toFixed(1)} s (${(RUNS / seconds).toFixed(0)}/s); exit codes ${codesText(counts)}`);
    // The inputs reach both sides: runs that went through, and refusals.
    expect(counts.get(ExitCode.usage) ?? 0).toBeGreaterThan(0);
    expect((counts.get(ExitCode.ok) ?? 0) + (counts.get(ExitCode.safetyViolation) ?? 0) + (counts.get(ExitCode.incomplete) ?? 0)).toBeGreaterThan(0);
  }, FUZZ_TEST_TIMEOUT_MS);
});
