/**
 * Runners for the gate's jobs: in this thread, one after another (tests, and
 * `--workers 1`), or on a pool of worker threads, one job per worker at a
 * time, handed out in matrix order. Either way each outcome is reported as
 * it arrives; the gate restores the matrix order for its output.
 *
 * A worker that dies (out of memory, a crash in the runtime) fails only the
 * job it was running, with an error outcome, and is replaced.
 */
import { Worker } from 'node:worker_threads';
import type { SpecDefinition } from '../../core/spec.js';
import type { Explore } from '../commands/check.js';
import { type GateJob, type JobOutcome, runGateJob } from './job.js';

export interface GateRunner {
  /** How many jobs run at once. */
  readonly workers: number;
  /** Runs every job; `onDone` is called once per job, in completion order. */
  run(jobs: readonly GateJob[], onDone: (job: GateJob, outcome: JobOutcome) => void): Promise<void>;
}

/** Runs the jobs in this thread, one at a time, yielding to the event loop between jobs so output is flushed. */
export function inlineRunner(registry: readonly SpecDefinition[], explore: Explore, interrupted?: () => boolean): GateRunner {
  return {
    workers: 1,
    async run(jobs, onDone) {
      for (const job of jobs) {
        // Interrupted: the jobs not started are not run (the gate reports them so).
        if (interrupted?.() === true) return;
        await new Promise<void>((resolve) => setImmediate(resolve));
        onDone(job, await runGateJob(registry, job, explore, interrupted));
      }
    },
  };
}

/**
 * Runs the jobs on `workers` threads started from `script` (the compiled
 * worker.js, which answers each GateJob message with its JobOutcome and
 * exits when sent null).
 */
/**
 * Runs the jobs on `workers` threads of `script` (gate/worker.js). With
 * `interruptFlag` (an Int32Array's buffer; [0] non-zero: interrupted), the
 * workers' searches stop when it is raised, and no further job is started.
 */
export function workerRunner(script: URL, workers: number, interruptFlag?: SharedArrayBuffer): GateRunner {
  const flag = interruptFlag === undefined ? undefined : new Int32Array(interruptFlag);
  // [1]: this gate polls the flag, so a first signal stops it cleanly (main.ts).
  if (flag !== undefined) Atomics.store(flag, 1, 1);
  if (!Number.isSafeInteger(workers) || workers < 1) throw new RangeError(`workerRunner: workers must be a positive integer, got ${workers}`);
  return {
    workers,
    run(jobs, onDone) {
      return new Promise<void>((resolve) => {
        let next = 0;
        let running = 0;
        const settle = (job: GateJob, outcome: JobOutcome) => onDone(job, outcome);
        const start = (): void => {
          const worker = new Worker(script, { workerData: { interruptFlag } });
          running++;
          let current: GateJob | undefined;
          let done = false;
          const feed = (): void => {
            const stopped = flag !== undefined && Atomics.load(flag, 0) !== 0;
            current = next < jobs.length && !stopped ? jobs[next++] : undefined;
            if (stopped) next = jobs.length;
            if (current === undefined) {
              done = true;
              worker.postMessage(null);
            } else worker.postMessage(current);
          };
          worker.on('message', (outcome: JobOutcome) => {
            if (current !== undefined) settle(current, outcome);
            feed();
          });
          worker.on('error', (error: Error) => {
            // The worker is gone: its job fails, a fresh worker takes the remaining jobs.
            if (current !== undefined) settle(current, { status: 'error', message: `worker died: ${error.message}` });
            current = undefined;
            done = true;
          });
          worker.on('exit', (code) => {
            running--;
            if (!done && current !== undefined) settle(current, { status: 'error', message: `worker exited with code ${code}` });
            if (next < jobs.length) start();
            else if (running === 0) resolve();
          });
          feed();
        };
        if (jobs.length === 0) {
          resolve();
          return;
        }
        for (let w = 0; w < Math.min(workers, jobs.length); w++) start();
      });
    },
  };
}
