/**
 * Writing files so that nothing is lost: a folder is checked before the work
 * that fills it starts, and a file is written under a temporary name and
 * renamed (or linked), so a reader, a kill or a full disk never leaves half a
 * file under the final name, and two writers of one name leave one whole file.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ExitCode, UserError } from '../core/exitCodes.js';

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Creates `folder` and its missing parents one at a time (a bounded loop, one
 * mkdir per missing path component); throws the system error of the first
 * that fails, or ENOTDIR when a component is a file. Node's own recursive
 * mkdir does not return under /proc (`mkdirSync('/proc/self/x/y', {
 * recursive: true })` was still spinning at full CPU after 5 s on Node 20);
 * this one fails there at once, with ENOENT.
 */
function makeFolder(folder: string): void {
  const missing: string[] = [];
  let current = resolve(folder);
  for (;;) {
    let isFolder: boolean;
    try {
      isFolder = statSync(current).isDirectory();
    } catch (error) {
      const parent = dirname(current);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) throw error;
      missing.push(current);
      current = parent;
      continue;
    }
    if (!isFolder) throw Object.assign(new Error(`ENOTDIR: not a directory, ${current}`), { code: 'ENOTDIR' });
    break;
  }
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/**
 * Creates `folder` if needed and proves it writable (a probe file, removed),
 * or throws a one-line UserError (exit 2) naming `flag`. Called before the
 * work whose results go there starts, so an unwritable folder never throws
 * results away.
 */
export function ensureWritableFolder(folder: string, flag: string): void {
  const probe = join(folder, `.rrcheck-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    makeFolder(folder);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    throw new UserError(`${flag}: cannot write into ${folder}: ${codeOf(error)}`, ExitCode.usage);
  }
}

/** A fresh name beside `path`, hidden, that no reader takes for the file (it does not end like it). */
function temporaryBeside(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes `text` to a temporary name beside `path` and renames it over `path`
 * (replacing a file there as a whole: a reader sees the old file or the new
 * one); returns `path`. A failure removes the temporary file and is a
 * one-line UserError (exit 2).
 */
export function writeAtomically(path: string, text: string): string {
  const temporary = temporaryBeside(path);
  try {
    writeFileSync(temporary, text, { flag: 'wx' });
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new UserError(`cannot write ${path}: ${codeOf(error)}`, ExitCode.usage);
  }
  return path;
}

/**
 * Creates `path` with `text` unless a file of that name exists: the text is
 * written to a temporary name, then hard-linked to `path` (which fails if
 * the name is taken, so an existing file is never replaced) and the temporary
 * name removed. True when created; false, writing nothing, when the name is
 * taken. Under `path` there is never a partial file. Other failures throw the
 * system error (the caller names the flag).
 */
export function createAtomically(path: string, text: string): boolean {
  const temporary = temporaryBeside(path);
  try {
    writeFileSync(temporary, text, { flag: 'wx' });
    try {
      linkSync(temporary, path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      // A file system without hard links: the exclusive create (not atomic, but never replacing a file).
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw error;
      try {
        writeFileSync(path, text, { flag: 'wx' });
      } catch (created) {
        if ((created as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw created;
      }
    }
    return true;
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** Creates the folder of `path` (and its parents) if needed; throws the system error. */
export function makeFolderOf(path: string): void {
  makeFolder(dirname(path));
}

/**
 * Proves that `path` can be written (replaced) later: its folder is created
 * and writable, and `path` is not a folder. Throws a one-line UserError
 * (exit 2) naming `flag`; called before the work whose report goes there.
 */
export function ensureWritableFile(path: string, flag: string): void {
  ensureWritableFolder(dirname(path), flag);
  let isFolder = false;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    // Absent (or unreadable): the rename at the end decides.
  }
  if (isFolder) throw new UserError(`${flag}: cannot write ${path}: it is a folder`, ExitCode.usage);
}

/**
 * Writes `parts` one after another to a temporary name beside `path`, syncs
 * it to the disk and renames it over `path`: a kill or a full disk at any
 * moment leaves the previous file whole. Returns the bytes written.
 */
export function writeBytesAtomically(path: string, parts: readonly Uint8Array[]): number {
  const temporary = temporaryBeside(path);
  let total = 0;
  try {
    const fd = openSync(temporary, 'wx');
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
    throw new UserError(`cannot write ${path}: ${codeOf(error)}`, ExitCode.usage);
  }
  return total;
}
