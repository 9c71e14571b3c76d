#!/usr/bin/env node
/**
 * The rrcheck executable: wires the real spec registry, the explorer and the
 * process's streams into runCli, and sets the exit code. It never calls
 * process.exit(): a pending write to a pipe would be cut off (ecosystem.md §6).
 */
import { readFileSync } from 'node:fs';
import { defaultSpecId, specRegistry } from '../../specs/index.js';
import { explore } from '../engine/index.js';
import { runCli, reportError } from './cli.js';
import { processIo } from './output.js';

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

try {
  process.exitCode = runCli(process.argv.slice(2), {
    registry: specRegistry,
    defaultSpec: defaultSpecId,
    explore: (target, options) => explore(target, options),
    io: processIo,
    version: packageVersion(),
  });
} catch (error) {
  process.exitCode = reportError(error, processIo);
}
