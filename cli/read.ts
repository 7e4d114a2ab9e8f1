/**
 * Reading a command's input piece by piece through fixed buffers: a file (a positional
 * read per piece) or stdin. Apart from cli/stream.ts, which puts the PIB path behind it,
 * so that `pibkit digest`, whose start-up counts against a bare `node -e 0`
 * (`pibkit bench --process`), loads neither the bundle parser nor the PIB code it never
 * runs.
 *
 * A file larger than one piece is read ahead: while `take` digests one piece, the next
 * is read into a second buffer on one of libuv's threads, so the kernel's copy of the
 * file (about 0.2 s of system time per GiB on the machine of docs/bench.md) runs beside
 * the digest instead of before it: less wall-clock time on any machine with a second
 * core, for a little more CPU time (handing pieces between threads; docs/bench.md,
 * fourth round). A pass of small files keeps to synchronous reads, where a thread per
 * read cost more than it saved.
 */
import { closeSync, fstatSync, openSync, read, readSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import { fileError, isCliError, readStdin } from "./common.js";
import { FILE_PROGRESS_FROM_BYTES, fileProgress } from "./progress.js";

/** Takes a piece, piece[off, off + n); a result < 0 stops the reading. */
export type Take = (piece: Uint8Array, off: number, n: number) => number;

/**
 * Where the reader should put the file's octets in its buffer: `wordPhase` is a residue
 * r mod 4 such that octets at file offsets ≡ r should land at 4-aligned places, or -1
 * for no preference (StreamVerifier and StreamSigner are one). Read before each read ahead.
 */
export interface Phase {
  readonly wordPhase: number;
}

/**
 * A stretch [from, to) of a regular file that another thread takes in place of `take`
 * (cli/crcThreads.ts): the reader hands `take` the octets up to `from`, then waits for
 * join(), which accounts for the stretch, and goes on at `to`. settle() stops the other
 * thread if it still runs; the reader calls it before it closes the file, also when
 * `take` stopped early, so no thread is left reading a closed descriptor.
 */
export interface Handoff {
  readonly from: number;
  readonly to: number;
  join(): Promise<void>;
  settle(): Promise<void>;
}

/** Asked once, when a file turns out larger than one piece and `pos` octets of it have been taken: a Handoff, or null to read it all here. */
export type Split = (fd: number, pos: number) => Handoff | null;

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

/**
 * Reads FILE (stdin for -) piece by piece, handing each to `take`; stops when it returns
 * < 0. With `spare` (a second buffer of buf's length) a file larger than `buf` is read
 * ahead (feedAhead), and `split` may give part of it to another thread (Handoff);
 * without `spare` every read waits. A file read without waiting (one that
 * fits `buf`, or without `spare`) is done on return, with nothing to wait for: a pass of
 * many small bundles then costs no promise per bundle. Otherwise the promise to wait for.
 */
export function feed(path: string, buf: Uint8Array, take: Take, spare?: Uint8Array, phase?: Phase, split?: Split): Promise<void> | undefined {
  if (path === "-") return feedStdin(buf, take);
  if (spare === undefined) {
    feedFile(path, buf, take);
    return undefined;
  }
  const fd = feedFirst(path, buf, take);
  return fd < 0 ? undefined : feedRest(fd, path, buf, spare, take, phase, split);
}

/** feed for stdin, read as it arrives. */
async function feedStdin(buf: Uint8Array, take: Take): Promise<void> {
  try {
    for (;;) {
      const n = await readStdin(buf);
      if (n <= 0 || take(buf, 0, n) < 0) return;
    }
  } catch (e) {
    fileError("read", "-", e);
  }
}

/**
 * The first piece of FILE (not stdin), read without waiting: -1 when that was the whole
 * file (or `take` stopped), closed; else the descriptor, still open, of a file that
 * filled `buf` and goes on (feedRest). A small bundle so costs one open, one read and
 * one close. What cannot be read at a position is read here to its end.
 */
function feedFirst(path: string, buf: Uint8Array, take: Take): number {
  const fd = openRead(path);
  let more = false;
  try {
    const n = readPiece(fd, path, buf, 0);
    if (n === ESPIPE) feedFrom(fd, path, -1, buf, take);
    else if (n > 0) more = take(buf, 0, n) >= 0 && n === buf.length;
  } finally {
    if (!more) closeSync(fd);
  }
  return more ? fd : -1;
}

/** The rest of a file whose first piece filled `buf` (feedFirst), read ahead through `spare`, part of it maybe on another thread (`split`); closes fd. */
async function feedRest(fd: number, path: string, buf: Uint8Array, spare: Uint8Array, take: Take, phase?: Phase, split?: Split): Promise<void> {
  const h = split === undefined ? null : split(fd, buf.length);
  try {
    await feedAhead(fd, path, buf.length, buf, spare, take, phase, h);
  } finally {
    if (h !== null) await h.settle();
    closeSync(fd);
  }
}

/**
 * feed for a FILE that is not stdin, every read waiting: no promise, which for a pass
 * of many small files is most of what it could cost. Reads are positional (pread), so
 * a read shorter than asked ends a regular file and no second read has to find the
 * end: a small bundle costs one open, one read and one close. What cannot be read at a
 * position (a named pipe, a terminal: ESPIPE) is read from its current position until
 * a read returns 0.
 */
export function feedFile(path: string, buf: Uint8Array, take: Take): void {
  const fd = openRead(path);
  try {
    feedFrom(fd, path, 0, buf, take);
  } finally {
    closeSync(fd);
  }
}

/** A first read that found a file which cannot be read at a position. */
const ESPIPE = -2;

/**
 * One read into buf at `pos` (null: the current position): its octets, or ESPIPE when
 * the first read (at 0) finds a file that cannot be read at a position; any other
 * error is the command's usage error naming the file.
 */
function readPiece(fd: number, path: string, buf: Uint8Array, pos: number | null): number {
  try {
    return readSync(fd, buf, 0, buf.length, pos);
  } catch (e) {
    if (pos !== 0 || (e as NodeJS.ErrnoException).code !== "ESPIPE") fileError("read", path, e);
    return ESPIPE;
  }
}

/** The rest of fd from `pos` (-1: from its current position, not seekable), every read waiting. */
function feedFrom(fd: number, path: string, pos: number, buf: Uint8Array, take: Take): void {
  let progress: ReturnType<typeof largeFileProgress> | undefined;
  try {
    for (;;) {
      if (progress === undefined && pos >= FILE_PROGRESS_FROM_BYTES) progress = largeFileProgress(fd, path);
      if (progress) progress.tick(pos);
      const n = readPiece(fd, path, buf, pos < 0 ? null : pos);
      if (n === ESPIPE) {
        pos = -1;
        continue;
      }
      if (n <= 0 || take(buf, 0, n) < 0) return;
      if (pos < 0) continue;
      if (n < buf.length) return;
      pos += n;
    }
  } finally {
    progress?.end();
  }
}

/**
 * The rest of a regular file from `pos`, the piece before it having filled `a`: each
 * next piece is read into the other buffer while `take` has this one. With `phase`, a
 * piece starts 0–3 octets into its buffer so that the digest's blocks sit at 4-aligned
 * places (Phase). With a Handoff `h`, reading stops at h.from, h.join() is waited for,
 * and reading goes on at h.to. A read is never left running when this returns (the
 * descriptor is closed after it), also when `take` stops early. An error of a write
 * (`take` writing the signed bundle, or the other thread) or one `take` already worded
 * goes up as it is, for the caller to name the file it wrote.
 */
async function feedAhead(fd: number, path: string, pos: number, a: Uint8Array, b: Uint8Array, take: Take, phase: Phase | undefined, h: Handoff | null): Promise<void> {
  let progress: ReturnType<typeof largeFileProgress> | undefined;
  let cur = b;
  let next = a;
  let stop = h === null ? Infinity : h.from;
  let at = shift(pos, phase);
  let pending: Promise<number> | null = readAt(fd, cur, at, pos, stop);
  try {
    while (pending !== null) {
      const n = await pending;
      pending = null;
      if (n <= 0) return;
      const from = at;
      pos += n;
      const handing = pos === stop;
      if (!handing && n === cur.length - from) {
        at = shift(pos, phase);
        pending = readAt(fd, next, at, pos, stop);
      }
      if (progress === undefined && pos >= FILE_PROGRESS_FROM_BYTES) progress = largeFileProgress(fd, path);
      if (progress) progress.tick(pos - n);
      if (take(cur, from, n) < 0) return;
      if (handing) {
        // the other thread's stretch: its result joins here, in order, then the rest
        await h!.join();
        pos = h!.to;
        stop = Infinity;
        at = shift(pos, phase);
        pending = readAt(fd, next, at, pos, stop);
      }
      const t = cur;
      cur = next;
      next = t;
    }
  } catch (e) {
    if (isCliError(e) || (e as { syscall?: string }).syscall === "write") throw e;
    fileError("read", path, e);
  } finally {
    if (pending !== null) await pending.catch(() => 0);
    progress?.end();
  }
}

/** Where in its buffer the piece read at file offset `pos` starts (Phase): 0–3. */
function shift(pos: number, phase?: Phase): number {
  const r = phase === undefined ? -1 : phase.wordPhase;
  return r < 0 ? 0 : (((pos - r) % 4) + 4) % 4;
}

/** One positional read on libuv's threads, into buf[at…], of no octet at or past file offset `stop`. */
function readAt(fd: number, buf: Uint8Array, at: number, pos: number, stop: number): Promise<number> {
  const n = Math.min(buf.length - at, stop - pos);
  return new Promise((resolve, reject) => read(fd, buf, at, n, pos, (e, m) => (e ? reject(e) : resolve(m))));
}

/** Opens FILE for reading: its descriptor, or a usage error naming it. */
export function openRead(path: string): number {
  try {
    return openSync(path, "r");
  } catch (e) {
    fileError("read", path, e);
  }
}
