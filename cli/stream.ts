/**
 * Bundles of any size through `sign`, `verify` and `inspect` in memory that does not
 * grow with them: the input is read in CHUNK pieces through one buffer into the
 * streaming PIB path (src/ground/stream.ts), whose window holds the blocks before and
 * after the payload (WINDOW octets together). `sign` into a file reads its input once:
 * the PIB goes before the payload, so the octets from the payload on are written at
 * their place in OUT as they pass and the header with the PIB is written last, at the
 * start (signOnePass). Into stdout, which cannot be written out of order, it reads its
 * input twice (once to digest, once to copy with the PIB inserted), so stdin is then
 * first spooled to a temporary file.
 */
import { closeSync, fstatSync, openSync, readSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { StreamPhase, StreamVerifier, type StreamSigner } from "../src/ground/stream.js";
import { Verdict } from "../src/core/verdict.js";
import { fileError } from "./common.js";
import { breathe, BREATHE_EVERY, forget, tempDirRemovedOnInterrupt } from "./interrupt.js";
import { OutFile } from "./outFile.js";
import { writeAll } from "./stdout.js";
import { crcHandoff } from "./crcThreads.js";
import { feed, feedFile, openRead } from "./read.js";
import { otherProfileMatches, otherProfilesBy } from "./pibOptions.js";

export { feed, feedFile, openRead };

/** Octets per read. */
export const CHUNK = 1 << 20;
/** Window for the blocks before the payload plus those after it. */
export const WINDOW = 1 << 20;
/** Payload digests a verify keeps at once (PIBs × key candidates). */
export const STREAMS = 16;
/**
 * The block, EID-reference and PIB tables of every command's verifier and signer: one
 * set, so verify, inspect and sign read the same bundles and fail the same ones the
 * same way (TooManyBlocks where the bundle really has more). The signer keeps one block
 * for the PIB it adds.
 */
export const MAX_BLOCKS = 1024;
export const MAX_EID_REFS = 4096;
export const MAX_PIBS = 256;

/** Streams FILE through the verifier: its end() (PIB count or -Err.X). */
export async function verifyStreamed(v: StreamVerifier, path: string, buf: Uint8Array, spare?: Uint8Array): Promise<number> {
  v.begin();
  await feed(path, buf, (piece, off, n) => v.push(piece, off, n), spare, v, (fd, pos) => crcHandoff(v, fd, pos, buf.length));
  return v.end();
}

/**
 * Whether FILE must be copied before a command that reads it twice or out of order can
 * use it: stdin, and anything that is not a regular file (a named pipe, `<(…)`, a
 * terminal). A path that cannot be looked at, or a folder, is left to the command, which
 * names the error.
 */
export function needsSpool(file: string): boolean {
  if (file === "-") return true;
  try {
    const st = statSync(file);
    return !st.isFile() && !st.isDirectory();
  } catch {
    return false;
  }
}

/** Copies FILE (stdin for -) into a temporary file; its path, and a function that removes it. */
export async function spoolInput(buf: Uint8Array, file: string): Promise<{ path: string; remove: () => void }> {
  const dir = tempDirRemovedOnInterrupt("pibkit-");
  const path = join(dir, "input.bin");
  const remove = () => {
    rmSync(dir, { recursive: true, force: true });
    forget(dir);
  };
  try {
    const fd = openSync(path, "w");
    try {
      await feed(file, buf, (piece, off, n) => {
        writeAll(fd, piece, off, n);
        return 0;
      });
    } finally {
      closeSync(fd);
    }
    // two turns of the event loop, a poll for events between them, before the copy is
    // read: a Ctrl-C or kill that came with the end of the input (a producer killed with
    // its process group ends the pipe too) then ends the command by its signal, not by
    // the parse error of a cut input
    await breathe();
    await breathe();
  } catch (e) {
    remove();
    throw e;
  }
  return { path, remove };
}

/**
 * Whether `sign` can take the one pass (signOnePass): IN a regular file, which can be
 * read again where the header ended, and OUT writable out of order — a regular file, a
 * path not there yet, or /dev/null; not stdout, a pipe or a terminal.
 */
export function signsInOnePass(inPath: string, outPath: string): boolean {
  if (outPath === "-") return false;
  try {
    if (!statSync(inPath).isFile()) return false;
  } catch {
    return false;
  }
  if (outPath === "/dev/null") return true;
  try {
    return statSync(outPath).isFile();
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT";
  }
}

/** Writes all of buf[off, off + len) at position `at` of fd. */
function writeAt(fd: number, buf: Uint8Array, off: number, len: number, at: number): void {
  while (len > 0) {
    const n = writeSync(fd, buf, off, len, at);
    off += n;
    len -= n;
    at += n;
  }
}

/**
 * Signs FILE (not stdin) into OUT (signsInOnePass) reading FILE once. The signed
 * bundle is the header with the PIB, win[0, headLen), then the input from `inputFrom`
 * (the payload's length field) to its end unchanged; both are known as soon as the
 * header is laid out (ready()), so from then on each piece read is also written at
 * its place in OUT, and the header, whose result is known only at the end, is written
 * last at offset 0. Input octets from `inputFrom` read before that (the piece the
 * header ended in) are read again: at most the window. OUT is written as a temporary
 * file beside it and renamed over it at the end (also when OUT is FILE), so an error
 * leaves OUT as it was; /dev/null is written directly. Returns the signed length or
 * -Err.X.
 */
export async function signOnePass(g: StreamSigner, inPath: string, outPath: string, kind: number, keyId: number, buf: Uint8Array, spare: Uint8Array): Promise<number> {
  const input = openRead(inPath);
  let out: OutFile | null = null;
  try {
    out = new OutFile(outPath);
    const outFd = out.fd;
    g.begin(kind, keyId);
    const shift = () => g.headLen - g.inputFrom;
    /** Input octets [copied, read) still to be written; -1 until the header is laid out. */
    let copied = -1;
    let read = 0;
    /** Copies input [from, to) again through `through`, a buffer no read is filling. */
    const copyAgain = (from: number, to: number, through: Uint8Array) => {
      for (let at = from; at < to; ) {
        const m = readSync(input, through, 0, Math.min(through.length, to - at), at);
        if (m <= 0) fileError("read", inPath, new Error("the file changed while it was signed"));
        writeAt(outFd, through, 0, m, at + shift());
        at += m;
      }
    };
    await feed(
      inPath,
      buf,
      (piece, off, m) => {
        const e = g.push(piece, off, m);
        if (e < 0) return e;
        if (copied < 0 && g.ready()) copied = g.inputFrom;
        if (copied >= 0) {
          // this piece's part first (the piece is reused below), then what came before it
          const from = Math.max(copied, read);
          if (from < read + m) writeAt(outFd, piece, off + from - read, read + m - from, from + shift());
          if (copied < read) copyAgain(copied, read, piece);
          copied = read + m;
        }
        read += m;
        return 0;
      },
      spare,
      g,
      // the far part of a CRC-32C payload read, digested and written by another thread:
      // only once everything read so far is written, and counted as read and written when it joins
      (fd, pos) =>
        crcHandoff(
          {
            crcTail: () => (copied === read ? g.crcTail() : -1),
            skipCrc: (n, r) => {
              g.skipCrc(n, r);
              read = copied = read + n;
            },
          },
          fd,
          pos,
          buf.length,
          { fd: outFd, shift: shift() },
        ),
    );
    const n = g.end();
    if (n < 0) return n;
    // a bundle whose header was laid out only at the end (it fit the window whole)
    copyAgain(copied < 0 ? g.inputFrom : copied, read, buf);
    writeAt(outFd, g.win, 0, g.headLen, 0);
    out.done();
    return n;
  } catch (e) {
    if ((e as { exitCode?: number }).exitCode !== undefined) throw e;
    return fileError("write", outPath, e);
  } finally {
    closeSync(input);
    out?.close();
  }
}

/**
 * Signs FILE (a re-readable file, not stdin) into OUT (`-` = stdout) in two passes:
 * the first digests, the second writes the header with the PIB and copies the rest of
 * the input unchanged. Returns the signed length or -Err.X (nothing written then).
 */
export async function signStreamed(g: StreamSigner, inPath: string, outPath: string, kind: number, keyId: number, buf: Uint8Array, spare: Uint8Array): Promise<number> {
  g.begin(kind, keyId);
  await feed(inPath, buf, (piece, off, n) => g.push(piece, off, n), spare, g);
  const n = g.end();
  if (n < 0) return n;
  const input = openRead(inPath);
  // OUT may be IN: the new file replaces it only after the second pass has read it (cli/outFile.ts)
  let out: OutFile | null = null;
  try {
    out = new OutFile(outPath);
    const fd = out.fd;
    try {
      const size = fstatSync(input).size;
      if (g.headLen + (size - g.inputFrom) !== n) fileError("read", inPath, new Error("the file changed between the two passes"));
      writeAll(fd, g.win, 0, g.headLen);
      for (let pos = g.inputFrom, since = 0; pos < size; ) {
        const m = readSync(input, buf, 0, Math.min(buf.length, size - pos), pos);
        if (m <= 0) fileError("read", inPath, new Error("the file changed between the two passes"));
        writeAll(fd, buf, 0, m);
        pos += m;
        if ((since += m) >= BREATHE_EVERY) {
          since = 0;
          await breathe();
        }
      }
      out.done();
    } catch (e) {
      if ((e as { exitCode?: number }).exitCode !== undefined) throw e;
      fileError(outPath === "-" || (e as { syscall?: string }).syscall === "write" ? "write" : "read", (e as { syscall?: string }).syscall === "write" ? outPath : inPath, e);
    }
  } finally {
    closeSync(input);
    out?.close();
  }
  return n;
}

/** The first `max` octets of FILE (fewer if it is shorter). */
export function readHead(path: string, max: number): Uint8Array {
  const buf = new Uint8Array(max);
  const fd = openRead(path);
  try {
    let got = 0;
    while (got < max) {
      const n = readSync(fd, buf, got, max - got, got);
      if (n <= 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } catch (e) {
    fileError("read", path, e);
  } finally {
    closeSync(fd);
  }
}

/*
 * For each PIB that mismatched: the first other named profile it verifies under. A
 * bundle that fit the window is checked again from it; a streamed file is read again
 * once per profile (only when something mismatched); streamed stdin cannot be re-read.
 */
export function otherProfiles(v: StreamVerifier, file: string, buf: Uint8Array): ReadonlyMap<number, string> {
  if (!anyMismatch(v)) return NONE;
  if (v.head.phase === StreamPhase.Head) return otherProfileMatches(v, v.head.win.subarray(0, v.head.fill));
  if (file === "-") return NONE;
  return otherProfilesBy(
    v,
    () => new StreamVerifier(v.bundle.maxBlocks_, v.bundle.maxEidRefs_, v.capacity, v.head.win.length, v.maxStreams),
    (w) => {
      w.begin();
      feedFile(file, buf, (piece, off, n) => w.push(piece, off, n));
      return w.end();
    },
  );
}

/** No other profile to name: shared, so that a pass of bundles that all verify allocates nothing here. */
const NONE: ReadonlyMap<number, string> = new Map();

function anyMismatch(v: StreamVerifier): boolean {
  for (let k = 0; k < v.count; k++) if (v.verdict[k] === Verdict.Mismatch) return true;
  return false;
}
