/**
 * Writing files so that nothing is lost: a folder is checked before the work
 * that fills it starts, and a file is written under a temporary name and
 * renamed, so a reader (or a kill, or a full disk) never leaves half a file
 * under the final name.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, UserError } from '../core/exitCodes.js';

/** Creates `folder` if needed and proves it writable (a probe file, removed), or throws a one-line UserError naming `flag`. */
export function ensureWritableFolder(folder: string, flag: string): void {
  const probe = join(folder, `.rrcheck-probe-${process.pid}`);
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    throw new UserError(`${flag}: cannot write into ${folder}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, ExitCode.usage);
  }
}

/** Writes `text` to a temporary name beside `path` and renames it over `path`; returns `path`. */
export function writeAtomically(path: string, text: string): string {
  const temporary = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new UserError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, ExitCode.usage);
  }
  return path;
}
