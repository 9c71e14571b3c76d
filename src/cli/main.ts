#!/usr/bin/env node
/**
 * The rrcheck executable: wires the real spec registry, the explorer and the
 * process's streams into runCli, and sets the exit code. It never calls
 * process.exit(): a pending write to a pipe would be cut off.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defaultSpecId, specRegistry } from '../../specs/index.js';
import { explore } from '../engine/index.js';
import { runCli, reportError } from './cli.js';
import { displayPath } from './commands/gate.js';
import { inlineRunner, workerRunner } from './gate/pool.js';
import { keepClosedPipesQuiet, processIo } from './output.js';

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

keepClosedPipesQuiet();
try {
  const matrix = defaultMatrix();
  const code = runCli(process.argv.slice(2), {
    registry: specRegistry,
    defaultSpec: defaultSpecId,
    explore: (target, options) => explore(target, options),
    io: processIo,
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
      workers <= 1 ? inlineRunner(specRegistry, (target, options) => explore(target, options)) : workerRunner(new URL('./gate/worker.js', import.meta.url), workers),
  });
  if (typeof code === 'number') process.exitCode = code;
  else void code.then((c) => (process.exitCode = c));
} catch (error) {
  process.exitCode = reportError(error, processIo);
}
