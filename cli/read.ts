/**
 * Reading a command's input piece by piece through one fixed buffer: a file (a
 * positional read per piece) or stdin. Apart from cli/stream.ts, which puts the PIB
 * path behind it, so that `pibkit digest`, whose start-up counts against a bare
 * `node -e 0` (`pibkit bench --process`), loads neither the bundle parser nor the PIB
 * code it never runs.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { fileError, readStdin } from "./common.js";

/** Reads FILE (stdin for -) piece by piece into `buf`, handing each to `take`; stops when it returns < 0. */
export async function feed(path: string, buf: Uint8Array, take: (n: number) => number): Promise<void> {
  if (path === "-") {
    try {
      for (;;) {
        const n = await readStdin(buf);
        if (n <= 0 || take(n) < 0) return;
      }
    } catch (e) {
      fileError("read", "-", e);
    }
  }
  feedFile(path, buf, take);
}

/**
 * feed for a FILE that is not stdin, which needs no waiting. Reads are positional
 * (pread), so a read shorter than asked ends a regular file and no second read has to
 * find the end: a small bundle costs one open, one read and one close, which for a pass
 * of many files is most of the system time. What cannot be read at a position (a named
 * pipe, a terminal: ESPIPE) is read from its current position until a read returns 0.
 */
export function feedFile(path: string, buf: Uint8Array, take: (n: number) => number): void {
  const fd = openRead(path);
  try {
    let pos = 0;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, pos);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ESPIPE" || pos !== 0) fileError("read", path, e);
        pos = -1;
        continue;
      }
      if (n <= 0 || take(n) < 0) return;
      if (pos < 0) continue;
      if (n < buf.length) return;
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
}

/** Opens FILE for reading: its descriptor, or a usage error naming it. */
export function openRead(path: string): number {
  try {
    return openSync(path, "r");
  } catch (e) {
    fileError("read", path, e);
  }
}
