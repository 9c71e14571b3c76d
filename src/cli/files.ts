/**
 * Writing files so that nothing is lost: a folder is checked before the work
 * that fills it starts, and a file is written under a temporary name and
 * renamed, so a reader (or a kill, or a full disk) never leaves half a file
 * under the final name.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
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

/**
 * Writes `parts` one after another to a temporary name beside `path`, syncs
 * it to the disk and renames it over `path`: a kill or a full disk at any
 * moment leaves the previous file whole. Returns the bytes written.
 */
export function writeBytesAtomically(path: string, parts: readonly Uint8Array[]): number {
  const temporary = `${path}.tmp-${process.pid}`;
  let total = 0;
  try {
    const fd = openSync(temporary, 'w');
    try {
      for (const part of parts) {
        for (let at = 0; at < part.length; ) at += writeSync(fd, part, at, part.length - at);
        total += part.length;
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new UserError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, ExitCode.usage);
  }
  return total;
}
