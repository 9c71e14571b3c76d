/**
 * The command's thread of the rrcheck executable (main.ts starts it): wires
 * the real spec registry, the explorer and the process's descriptors into
 * runCli, polls the interruption flag the main thread raises, and posts the
 * exit code back. Kept apart from main.ts so that the main thread, which
 * only waits and relays signals, loads none of this.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { defaultSpecId, specRegistry } from '../../specs/index.js';
import { explore } from '../engine/index.js';
import { runCli, reportError } from './cli.js';
import type { CommandThreadData } from './main.js';
import { displayPath } from './commands/gate.js';
import { inlineRunner, workerRunner } from './gate/pool.js';
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

/** The command's thread: runs the command line and posts its exit code. */
function runCommand(data: CommandThreadData): void {
  const flag = new Int32Array(data.interruptFlag);
  // Polling also tells the main thread that this command stops cleanly at a signal.
  const interrupted = (): boolean => {
    Atomics.store(flag, 1, 1);
    return Atomics.load(flag, 0) !== 0;
  };
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
      // The explorer's searches run on a worker thread of this script (compiled beside this file).
      searchWorker: new URL('./explore/searchWorker.js', import.meta.url),
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

runCommand(workerData as CommandThreadData);
