/**
 * Where a search from the explorer's page runs. In the rrcheck executable,
 * on a worker thread of its own (searchWorker.ts), which builds the same
 * check target from the WorkerTarget the parallel BFS's workers use, runs
 * trace/stepping's searchFrom with the session's bounds, and posts its
 * progress and its outcome; the server's thread stays free to answer the
 * other requests, and a stop request raises a shared flag the engine polls.
 * Without a worker script (runCli in a test's process), on the server's own
 * thread, after the start request is answered: the server then answers
 * nothing else until the search ends.
 *
 * Only data crosses between the threads: the path (labels), the bounds, the
 * progress figures and the outcome (labels and the finding), never a state.
 */
import { Worker } from 'node:worker_threads';
import type { CheckTarget, Model, Property } from '../../core/model.js';
import type { CheckResult } from '../../core/result.js';
import type { WorkerTarget } from '../../engine/index.js';
import { searchFrom, type PathRef, type SearchBounds, type SearchEngine, type SearchOutcome, type SearchProgress } from '../../trace/stepping.js';
import type { Explore } from '../commands/check.js';
import { failureOf } from './failure.js';

/** How often a running search reports its progress. */
export const PROGRESS_INTERVAL_MS = 250;

/** One search: from the state `path` reaches, for a violation of `property` (of any, when absent), within the bounds. */
export interface SearchJob {
  readonly path: PathRef;
  readonly property?: string;
  readonly maxStates: number;
  readonly timeoutMs: number;
}

/** How a search ended: its outcome, or the failure (status code and one line) it is answered with. */
export type SearchEnd =
  | { readonly kind: 'outcome'; readonly outcome: SearchOutcome }
  | { readonly kind: 'failed'; readonly code: number; readonly error: string };

/** A started search. */
export interface SearchHandle {
  /**
   * Asks the search to stop; it ends at its next poll of the flag (every 256
   * steps) with `unknown`, reason `interrupted`, and the states it checked.
   */
  stop(): void;
  /** Ends the search's thread at once, with no outcome (the server is closing, or a stop was not heeded). */
  terminate(): Promise<void>;
  /** Settles once, when the search ends (never rejects). */
  readonly ended: Promise<SearchEnd>;
}

/** Starts a search; `onProgress` is told now and then how far it got. */
export type SearchLauncher = (job: SearchJob, onProgress: (progress: SearchProgress) => void) => SearchHandle;

/** What the search worker's thread is started with. */
export interface SearchWorkerData {
  /** How it builds the session's check target (the same as the parallel BFS's workers). */
  readonly target: WorkerTarget;
  readonly job: SearchJob;
  /** The process's memory bound (--memory's default): the engine stops with `memory` past it. */
  readonly memoryBytes?: number;
  /** Int32Array over it: [0] becomes 1 when the search is to stop. */
  readonly stopFlag: SharedArrayBuffer;
}

/** What the search worker posts: progress figures, then one outcome or one failure. */
export type SearchWorkerMessage =
  | { readonly kind: 'progress'; readonly progress: SearchProgress }
  | { readonly kind: 'end'; readonly end: SearchEnd };

/**
 * The engine's breadth-first search as trace/stepping's SearchEngine: the
 * bounds, the interruption, the memory bound and progress reports every
 * PROGRESS_INTERVAL_MS.
 */
export function bfsEngine(explore: Explore, memoryBytes?: number): SearchEngine {
  return <S, A>(target: { readonly model: Model<S, A>; readonly properties: readonly Property<S>[] }, bounds: SearchBounds): CheckResult<S> => {
    const { onProgress } = bounds;
    return explore(target as unknown as CheckTarget<unknown, unknown>, {
      strategy: 'bfs',
      maxStates: bounds.maxStates,
      ...(bounds.timeoutMs === undefined ? {} : { timeoutMs: bounds.timeoutMs }),
      ...(bounds.interrupted === undefined ? {} : { interrupted: bounds.interrupted }),
      ...(memoryBytes === undefined ? {} : { memoryBytes }),
      ...(onProgress === undefined
        ? {}
        : { progressIntervalMs: PROGRESS_INTERVAL_MS, listener: { onProgress: (p) => onProgress({ states: p.distinct, depth: p.depth }) } }),
    }) as CheckResult<S>;
  };
}

/** Runs `job` on this thread to its end; a spec that throws is a failure, as the routes answer it. */
export function runSearch(
  target: CheckTarget<unknown, unknown>,
  job: SearchJob,
  engine: SearchEngine,
  interrupted: (() => boolean) | undefined,
  onProgress: (progress: SearchProgress) => void,
): SearchEnd {
  try {
    const bounds = { maxStates: job.maxStates, timeoutMs: job.timeoutMs, onProgress, ...(interrupted === undefined ? {} : { interrupted }) };
    return { kind: 'outcome', outcome: searchFrom(target, job.path, engine, bounds, job.property) };
  } catch (error) {
    return { kind: 'failed', ...failureOf(error) };
  }
}

/**
 * Searches on the server's thread (no worker script): the search starts
 * once the start request is answered and holds the thread until it ends;
 * `interrupted` (the command's) stops it. A stop request cannot arrive while
 * it runs; terminate has nothing to end.
 */
export function inlineLauncher(target: CheckTarget<unknown, unknown>, engine: SearchEngine, interrupted?: () => boolean): SearchLauncher {
  return (job, onProgress) => ({
    stop: () => undefined,
    terminate: () => Promise.resolve(),
    ended: new Promise((resolve) => setImmediate(() => resolve(runSearch(target, job, engine, interrupted, onProgress)))),
  });
}

/** The first line of an error's message. */
function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

/**
 * Searches on a worker thread running `script` (searchWorker.js), which
 * builds its target from `target`: see the module comment.
 */
export function workerLauncher(script: URL, target: WorkerTarget, memoryBytes?: number): SearchLauncher {
  return (job, onProgress) => {
    const stopFlag = new SharedArrayBuffer(4);
    const data: SearchWorkerData = { target, job, stopFlag, ...(memoryBytes === undefined ? {} : { memoryBytes }) };
    const worker = new Worker(script, { workerData: data });
    const ended = new Promise<SearchEnd>((resolve) => {
      let settled = false;
      const settle = (end: SearchEnd) => {
        if (settled) return;
        settled = true;
        resolve(end);
      };
      worker.on('message', (message: SearchWorkerMessage) => {
        if (message.kind === 'progress') onProgress(message.progress);
        else settle(message.end);
      });
      worker.on('error', (error) => settle({ kind: 'failed', code: 500, error: `the search failed: ${firstLine(error)}` }));
      worker.on('exit', (code) => settle({ kind: 'failed', code: 500, error: `the search's thread ended without an outcome (exit code ${code})` }));
    });
    return {
      stop: () => {
        Atomics.store(new Int32Array(stopFlag), 0, 1);
      },
      terminate: async () => {
        await worker.terminate();
      },
      ended,
    };
  };
}
