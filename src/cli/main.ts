#!/usr/bin/env node
/**
 * The rrcheck executable: wires the real spec registry, the explorer and the
 * process's streams into runCli, and sets the exit code. It never calls
 * process.exit() for a finished command (a pending write to a pipe would be
 * cut off), only at a second interruption, which means "now".
 *
 * Interruption: a search is synchronous, and a signal handler runs only when
 * its thread's event loop does, so the command runs on a worker thread
 * (this same file) and the main thread stays idle, sees SIGINT and SIGTERM
 * at once and raises a shared flag. The commands poll it through
 * `interrupted` (the engine where it reads its clock): the search stops,
 * a violation found is shrunk within a short bound and saved, and the
 * summary and JSON are printed as for any incomplete run. A second signal
 * exits at once, with 130 (SIGINT) or 143 (SIGTERM), as shells report a
 * process killed by it.
 */
import { existsSync, readFileSync, writeSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { defaultSpecId, specRegistry } from '../../specs/index.js';
import { explore } from '../engine/index.js';
import { runCli, reportError } from './cli.js';
import { displayPath } from './commands/gate.js';
import { inlineRunner, workerRunner } from './gate/pool.js';
import { processIo } from './output.js';
import { syncIo } from './syncIo.js';

/** The version in the nearest package.json above this file (dist/src/cli or src/cli). */
function packageVersion(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'rrcheck' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}

/** The repository's gate matrix, specs/gate.json next to package.json (run from dist/ or from the sources). */
function defaultMatrix(): string | undefined {
  for (const up of ['../../specs/gate.json', '../../../specs/gate.json']) {
    const path = fileURLToPath(new URL(up, import.meta.url));
    if (existsSync(path)) return displayPath(path);
  }
  return undefined;
}

/** What the main thread hands the command's thread. */
interface CommandThreadData {
  readonly argv: readonly string[];
  /** Int32Array over it: [0] becomes 1 at the first SIGINT or SIGTERM. */
  readonly interruptFlag: SharedArrayBuffer;
}

/** Exit codes of a process killed by a signal, as shells report them (128 + signal number). */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** The main thread: starts the command's thread, relays signals to it as a flag, and takes its exit code. */
function superviseCommand(): void {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const data: CommandThreadData = { argv: process.argv.slice(2), interruptFlag: flag.buffer as SharedArrayBuffer };
  const thread = new Worker(new URL(import.meta.url), { workerData: data });
  let received = 0;
  const onSignal = (signal: keyof typeof SIGNAL_EXIT_CODES): void => {
    if (received++ > 0) process.exit(SIGNAL_EXIT_CODES[signal]);
    Atomics.store(flag, 0, 1);
    // Through the descriptor, as the command's thread writes (syncIo), so the lines stay in order.
    writeSync(2, `rrcheck: ${signal}: stopping; the summary follows (a second signal exits at once)\n`);
  };
  const handlers = { SIGINT: () => onSignal('SIGINT'), SIGTERM: () => onSignal('SIGTERM') };
  process.on('SIGINT', handlers.SIGINT);
  process.on('SIGTERM', handlers.SIGTERM);
  thread.on('message', (code: number) => (process.exitCode = code));
  thread.on('error', (error) => (process.exitCode = reportError(error, processIo)));
  thread.on('exit', () => {
    process.off('SIGINT', handlers.SIGINT);
    process.off('SIGTERM', handlers.SIGTERM);
  });
}

/** The command's thread: runs the command line and posts its exit code. */
function runCommand(data: CommandThreadData): void {
  const flag = new Int32Array(data.interruptFlag);
  const interrupted = (): boolean => Atomics.load(flag, 0) !== 0;
  const post = (code: number): void => parentPort!.postMessage(code);
  const io = syncIo();
  try {
    const matrix = defaultMatrix();
    const code = runCli(data.argv, {
      interrupted,
      registry: specRegistry,
      defaultSpec: defaultSpecId,
      explore: (target, options) => explore(target, options),
      io,
      // A parallel check's workers build the spec from the registry module beside this one, or from the user's spec module.
      workerTarget: (spec, params, module) =>
        module === undefined
          ? { module: new URL('../../specs/index.js', import.meta.url).href, exportName: 'buildRegistered', args: { spec, params } }
          : { module: new URL('./specModule.js', import.meta.url).href, exportName: 'buildFromModule', args: { module, spec, params } },
      defaultWorkers: availableParallelism(),
      defaultMemoryBytes: Math.floor(totalmem() / 2),
      version: packageVersion(),
      ...(matrix === undefined ? {} : { defaultMatrix: matrix }),
      // Gate checks run on worker threads (gate/worker.js, compiled beside this file); one worker runs them here.
      gateRunner: (workers) =>
        workers <= 1
          ? inlineRunner(specRegistry, (target, options) => explore(target, options), interrupted)
          : workerRunner(new URL('./gate/worker.js', import.meta.url), workers, data.interruptFlag),
    });
    if (typeof code === 'number') post(code);
    else void code.then(post);
  } catch (error) {
    post(reportError(error, io));
  }
}

if (isMainThread) superviseCommand();
else runCommand(workerData as CommandThreadData);
