/**
 * Reading an input file (a counterexample, a parameter file, a gate matrix,
 * the spec module a counterexample records, hashed before it is imported)
 * so that no file can hang or exhaust the process: only a regular file is
 * read, only up to a size cap, both checked on the opened file before a byte
 * is read (a FIFO would block a plain read forever, /dev/zero grow it until
 * the process aborts). The text must be UTF-8; a leading byte-order mark is
 * dropped.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** The largest input file read: far above any counterexample, matrix or workload rrcheck writes or reads (they are kilobytes). */
export const MAX_INPUT_BYTES = 64 * 2 ** 20;

/** The file's text, or an Error whose message says in a few words why not (the caller names the file). */
export function readInputText(path: string, maxBytes = MAX_INPUT_BYTES): string {
  const bytes = readInputBytes(path, maxBytes);
  try {
    // fatal: bytes that are not UTF-8 are refused, not replaced; the default drops a leading byte-order mark.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error('not UTF-8 text');
  }
}

/**
 * The file's bytes, read only if it is a regular file of at most `maxBytes`
 * (checked on the opened file). A folder is refused with the code EISDIR,
 * as reading one would.
 */
export function readInputBytes(path: string, maxBytes = MAX_INPUT_BYTES): Uint8Array {
  // O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting for one.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw Object.assign(new Error(`not a regular file (${kindOf(stats)})`), stats.isDirectory() ? { code: 'EISDIR' } : {});
    if (stats.size > maxBytes) throw new Error(`${stats.size.toLocaleString('en-US')} bytes, above the ${maxBytes.toLocaleString('en-US')}-byte limit of an input file`);
    // One byte more than the size: a file that grows while it is read (a log, a device posing as a file) is refused, not cut.
    const buffer = Buffer.alloc(stats.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > stats.size) throw new Error('it grew while it was read');
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}
