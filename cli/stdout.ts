/**
 * Writing to stdout (fd 1), for every command: in order with its stderr lines, quietly
 * once the reader has gone, and as one error line when stdout cannot take the octets.
 * - Writes are synchronous (writeAll waits while a non-blocking pipe is full), so a line
 *   on stderr after them comes after them.
 * - `pibkit verify … | head -1` or `pibkit inspect FILE… | less` closed early must not
 *   end in an EPIPE stack trace: once the reader has gone, the rest of a report is
 *   dropped (`putOut`), and the exit status still says what the command found.
 * - Any other failure (a full disk, `>&-`) is the command's error, "cannot write stdout:
 *   ENOSPC (no space left on the device)", exit 2: the output is incomplete. So is
 *   EPIPE where the output is the product itself (`sign … -`, `make-bundle -`: `putData`).
 */
import { writeSync } from "node:fs";
import { fileError } from "./cliError.js";

/** stdout was closed by its reader. */
let gone = false;

/** Writes all of buf[off, off + len) to fd, waiting while a non-blocking pipe is full. */
export function writeAll(fd: number, buf: Uint8Array, off: number, len: number): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (len > 0) {
    let n: number;
    try {
      n = writeSync(fd, buf, off, len);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
      Atomics.wait(pause, 0, 0, 5);
      continue;
    }
    off += n;
    len -= n;
  }
}

/** Writes b[0, n) of a report to stdout; nothing once the reader has gone. */
export function putOut(b: Uint8Array, n: number): void {
  if (n === 0 || gone) return;
  try {
    writeAll(1, b, 0, n);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EPIPE") fileError("write", "-", e);
    gone = true;
  }
}

/** Writes report text (UTF-8) to stdout, as putOut. */
export function writeOut(text: string): void {
  const b = Buffer.from(text);
  putOut(b, b.length);
}

/** Writes output that is the command's product to stdout: a reader that went early is an error too. */
export function putData(b: Uint8Array, off: number, n: number): void {
  try {
    writeAll(1, b, off, n);
  } catch (e) {
    fileError("write", "-", e);
  }
}
