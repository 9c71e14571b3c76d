/**
 * The worker thread of one search from the explorer's page (started by
 * searchThread.ts's workerLauncher): builds the check target as the parallel
 * BFS's workers do (the WorkerTarget's module and export), runs the search
 * with the engine's BFS until it ends or the stop flag is raised, posts its
 * progress now and then, then its end, and exits.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CheckTarget } from '../../core/model.js';
import { explore } from '../../engine/index.js';
import { failureOf } from './failure.js';
import { bfsEngine, runSearch, type SearchEnd, type SearchWorkerData, type SearchWorkerMessage } from './searchThread.js';

/** The target, built as the WorkerTarget says, or why it could not be (a failure of the search, not of the spec's steps). */
async function buildTarget(data: SearchWorkerData): Promise<{ readonly target: CheckTarget<unknown, unknown> } | { readonly failed: SearchEnd }> {
  try {
    const module = (await import(data.target.module)) as Record<string, unknown>;
    const build = module[data.target.exportName];
    if (typeof build !== 'function') throw new Error(`${data.target.module} has no function export ${data.target.exportName}`);
    // A fresh target (no shared memory): only labels and findings go back, never states.
    return { target: (await build(data.target.args, undefined)) as CheckTarget<unknown, unknown> };
  } catch (error) {
    const failure = failureOf(error);
    return { failed: { kind: 'failed', code: failure.code, error: `the search's thread could not build the spec: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}` } };
  }
}

async function runWorker(data: SearchWorkerData): Promise<void> {
  const post = (message: SearchWorkerMessage) => parentPort!.postMessage(message);
  const built = await buildTarget(data);
  if ('failed' in built) {
    post({ kind: 'end', end: built.failed });
    return;
  }
  const { target } = built;
  const flag = new Int32Array(data.stopFlag);
  const engine = bfsEngine((t, options) => explore(t, options), data.memoryBytes);
  const end: SearchEnd = runSearch(target, data.job, engine, () => Atomics.load(flag, 0) !== 0, (progress) => post({ kind: 'progress', progress }));
  post({ kind: 'end', end });
}

void runWorker(workerData as SearchWorkerData);
