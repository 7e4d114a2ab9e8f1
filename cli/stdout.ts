/**
 * Writing a command's report to stdout (fd 1) in order with its stderr lines, and
 * quietly when the reader has gone: `pibkit verify … | head -1` or `pibkit inspect
 * FILE… | less` closed early must not end in an EPIPE stack trace. Writes are
 * synchronous (writeAll waits while a non-blocking pipe is full), so a line on stderr
 * after them comes after them; once stdout is closed by its reader the rest of the
 * report is dropped, and the command's exit status still says what it found.
 */
import { writeAll } from "./stream.js";

/** stdout was closed by its reader. */
let gone = false;

/** Writes b[0, n) to stdout; nothing once the reader has gone. */
export function putOut(b: Uint8Array, n: number): void {
  if (n === 0 || gone) return;
  try {
    writeAll(1, b, 0, n);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPIPE") throw e;
    gone = true;
  }
}

/** Writes text (UTF-8) to stdout, as putOut. */
export function writeOut(text: string): void {
  const b = Buffer.from(text);
  putOut(b, b.length);
}
