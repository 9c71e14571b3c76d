#!/usr/bin/env node
/**
 * The rrcheck executable: wires the real spec registry, the explorer and the
 * process's streams into runCli, and sets the exit code. It never calls
 * process.exit() for a finished command (a pending write to a pipe would be
 * cut off), only at a second interruption, which means "now".
 *
 * Interruption: a search is synchronous, and a signal handler runs only when
 * its thread's event loop does, so the command runs on a worker thread
 * (commandThread.ts) and the main thread stays idle, sees SIGINT and SIGTERM
 * at once and raises a shared flag. The commands poll it through
 * `interrupted` (the engine where it reads its clock): the search stops,
 * a violation found is shrunk within a short bound and saved, and the
 * summary and JSON are printed as for any incomplete run. A second signal
 * exits at once, with 130 (SIGINT) or 143 (SIGTERM), as shells report a
 * process killed by it.
 */
import { writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { ExitCode, SignalExitCode } from '../core/exitCodes.js';

/** What the main thread hands the command's thread. */
export interface CommandThreadData {
  readonly argv: readonly string[];
  /**
   * Int32Array over it: [0] becomes 1 at the first SIGINT or SIGTERM; the
   * command's thread sets [1] to 1 when it first polls [0] (a command that
   * never polls, such as list or metrics, cannot stop cleanly: a signal
   * ends it at once).
   */
  readonly interruptFlag: SharedArrayBuffer;
}

/** Exit codes of a second signal, as shells report a process killed by it (128 + signal number). */
const SIGNAL_EXIT_CODES = { SIGINT: SignalExitCode.interrupted, SIGTERM: SignalExitCode.terminated } as const;

/** Writes a line to stderr; a stderr nobody reads any more (EPIPE) is not an error. */
function writeQuietly(line: string): void {
  try {
    writeSync(2, line);
  } catch {
    // The reader is gone: the line has nobody to reach.
  }
}

/** The main thread: starts the command's thread, relays signals to it as a flag, and takes its exit code. */
function superviseCommand(): void {
  const flag = new Int32Array(new SharedArrayBuffer(8));
  const data: CommandThreadData = { argv: process.argv.slice(2), interruptFlag: flag.buffer as SharedArrayBuffer };
  const thread = new Worker(new URL('./commandThread.js', import.meta.url), { workerData: data });
  let received = 0;
  const onSignal = (signal: keyof typeof SIGNAL_EXIT_CODES): void => {
    // A second signal, or one to a command that does not poll the flag: end now.
    if (received++ > 0 || Atomics.load(flag, 1) === 0) process.exit(SIGNAL_EXIT_CODES[signal]);
    Atomics.store(flag, 0, 1);
    // Through the descriptor, as the command's thread writes (syncIo), so the lines stay in order.
    writeQuietly(`rrcheck: ${signal}: stopping (a second signal exits at once)\n`);
  };
  const handlers = { SIGINT: () => onSignal('SIGINT'), SIGTERM: () => onSignal('SIGTERM') };
  process.on('SIGINT', handlers.SIGINT);
  process.on('SIGTERM', handlers.SIGTERM);
  thread.on('message', (code: number) => (process.exitCode = code));
  // The command's thread reports its own errors; one that escapes it is a bug in rrcheck.
  thread.on('error', (error) => {
    writeQuietly(`rrcheck: internal error: ${error.message.replace(/\s+/g, ' ').trim()}\n`);
    process.exitCode = ExitCode.internal;
  });
  thread.on('exit', () => {
    process.off('SIGINT', handlers.SIGINT);
    process.off('SIGTERM', handlers.SIGTERM);
  });
}

superviseCommand();
