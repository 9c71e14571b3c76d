/**
 * An Io that writes straight to file descriptors 1 and 2 with writeSync, for
 * the command's thread (main.ts). A worker thread's process.stdout and
 * process.stderr pass their data to the main thread only when the worker's
 * event loop runs, and a search never lets it run: its progress lines would
 * come out at the end, all at once. Writing to the descriptors directly
 * keeps them live, and in order.
 *
 * A pipe in non-blocking mode answers EAGAIN when it is full: the write waits
 * a millisecond and tries again. A closed pipe (EPIPE: the reader is gone,
 * as in `rrcheck check | head -1`) ends the output quietly: nobody reads it.
 */
import { writeSync } from 'node:fs';
import type { Io } from './output.js';

/** Writes all of `text` to `fd`; false once the reader is gone (EPIPE). */
function writeAll(fd: number, text: string, pause: Int32Array): boolean {
  let bytes = Buffer.from(text, 'utf8');
  while (bytes.length > 0) {
    try {
      const written = writeSync(fd, bytes);
      bytes = bytes.subarray(written);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 1);
        continue;
      }
      if (code === 'EPIPE') return false;
      throw error;
    }
  }
  return true;
}

/** An Io on descriptors 1 (out) and 2 (err), synchronous (see the module comment). */
export function syncIo(): Io {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const open = { out: true, err: true };
  return {
    out: (text) => void (open.out &&= writeAll(1, text, pause)),
    err: (text) => void (open.err &&= writeAll(2, text, pause)),
  };
}
