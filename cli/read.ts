/**
 * Reading a command's input piece by piece through one fixed buffer: a file (a
 * positional read per piece) or stdin. Apart from cli/stream.ts, which puts the PIB
 * path behind it, so that `pibkit digest`, whose start-up counts against a bare
 * `node -e 0` (`pibkit bench --process`), loads neither the bundle parser nor the PIB
 * code it never runs.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import { fileError, readStdin } from "./common.js";
import { FILE_PROGRESS_FROM_BYTES, fileProgress } from "./progress.js";

/**
 * Progress for a large regular file when stderr is a terminal, else null. Asked only once
 * FILE_PROGRESS_FROM_BYTES have been read, so a pass of small bundles pays nothing.
 */
export function largeFileProgress(fd: number, path: string): { tick: (pos: number) => void; end: () => void } | null {
  // node:tty is loaded only here, for a large file: it brings Node's stream modules
  const { isatty } = createRequire(import.meta.url)("node:tty") as typeof import("node:tty");
  if (!isatty(2)) return null;
  const size = fstatSync(fd).size;
  if (size < FILE_PROGRESS_FROM_BYTES) return null;
  return fileProgress(`pibkit ${process.argv[2] ?? ""}`, path, size, { write: (t) => void writeSync(2, t), tty: true });
}

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
  let progress: ReturnType<typeof largeFileProgress> | undefined;
  try {
    let pos = 0;
    for (;;) {
      if (progress === undefined && pos >= FILE_PROGRESS_FROM_BYTES) progress = largeFileProgress(fd, path);
      if (progress) progress.tick(pos);
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
    progress?.end();
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
