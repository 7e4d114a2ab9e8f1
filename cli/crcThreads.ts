/**
 * CRC-32C of a large file on two cores. A CRC register is linear
 * (src/core/crc32cShift.ts), so a second thread can digest the far part of a payload,
 * [from, to), from a zero register while this one digests the near part, and the two
 * join exactly: register(near + far) = crc32cShift(register(near), |far|) ^ register(far).
 * One Node process digests CRC-32C at its kernel's speed on one core (docs/bench.md);
 * for a 1 GiB bundle that leaves a whole-process `verify` below the kernel's throughput
 * by Node's start-up alone. MD5 and SHA-1 cannot be split this way (each block needs
 * the state after the one before), so only a payload whose every running digest is a
 * CRC-32C is split (StreamVerifier / StreamSigner `crcTail`), and only when the stretch
 * is long enough to pay for starting a thread.
 *
 * The other thread (cli/crcWorker.ts) reads the file through the same descriptor
 * (threads share a process's descriptors; positional reads need no shared offset) into
 * one buffer of its own, and for `sign` writes what it read to its place in the output,
 * so memory stays fixed: one more piece buffer and the thread's own heap.
 */
import { fstatSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { crcOfStretch, type Stretch } from "./crcStretch.js";
import { usageError } from "./common.js";
import type { Handoff } from "./read.js";

/** What the stretch's result joins: StreamVerifier, StreamSigner, or `digest`'s CRC. */
export interface CrcJoin {
  /** The file offset where the CRC-only stretch ends, or -1 when it cannot be split now. */
  crcTail(): number;
  /** The next n octets' register, fed from 0, is r. */
  skipCrc(n: number, r: number): void;
}

/** Where the other thread writes what it reads: octet at file offset p goes to output offset p + shift. */
export interface CrcCopy {
  fd: number;
  shift: number;
}

/**
 * The shortest stretch worth a thread. Starting one took 53–67 ms here (until a worker
 * posted its first message; 2-core EPYC), in which this thread digests ~120 MB, and a
 * 300 MiB `verify` gained nothing measurable (docs/bench.md). The environment variable
 * PIBKIT_CRC_THREAD_FROM (octets) sets it: 0 for tests on small files, a number larger
 * than any file to keep to one thread (a disk that seeks between two places is slower
 * than one reader).
 */
const THREAD_FROM = threadFrom(process.env["PIBKIT_CRC_THREAD_FROM"]);
/** Octets this thread takes beyond half, while the other thread starts (see THREAD_FROM). */
const LEAD = 128 << 20;

/** The variable's value; unset or empty: 512 MiB; anything but a whole number of octets is a usage error. */
function threadFrom(v: string | undefined): number {
  if (v === undefined || v === "") return 512 << 20;
  if (!/^\d+$/.test(v)) usageError(`PIBKIT_CRC_THREAD_FROM="${v}": expected a whole number of octets (0 or more)`);
  return Number(v);
}

/**
 * A Handoff of the far part of the CRC-only stretch from file offset `pos` (nothing
 * pending past it) to `target.crcTail()`, digested on another thread with pieces of
 * `piece` octets; null when there is none, it is too short, or this machine has one core.
 * `copy`: the other thread also writes what it reads (`sign` into a file).
 */
export function crcHandoff(target: CrcJoin, fd: number, pos: number, piece: number, copy?: CrcCopy): Handoff | null {
  // a file cut inside its payload: the stretch ends at the file's end, and the parse after it names the cut
  const end = Math.min(target.crcTail(), fstatSync(fd).size);
  if (end < 0 || end - pos < Math.max(THREAD_FROM, 2 * piece) || availableParallelism() < 2) return null;
  // this thread takes half and the lead (a quarter of the stretch at most: small stretches
  // are split only in tests), the other thread the rest; each at least a piece
  const lead = Math.min(LEAD, Math.floor((end - pos) / 4));
  const from = Math.min(end - piece, pos + Math.max(piece, Math.ceil((end - pos + lead) / 2)));
  const data: Stretch = { fd, from, to: end, piece, out: copy ? copy.fd : -1, shift: copy ? copy.shift : 0 };
  let worker: Worker;
  try {
    // loaded here, not with the command: node:worker_threads costs every start-up ~4 ms
    const { Worker } = createRequire(import.meta.url)("node:worker_threads") as typeof import("node:worker_threads");
    worker = new Worker(new URL("./crcWorker.cjs", import.meta.url), { workerData: data });
  } catch {
    return null; // no thread to be had: the whole stretch here, as on one core
  }
  /** The register, an I/O error of the stretch (rejects), or null when the thread itself failed. */
  const result = new Promise<number | null>((resolve, reject) => {
    worker.once("message", (m: { crc: number } | { code?: string; syscall?: string; message: string }) => {
      if ("crc" in m) resolve(m.crc);
      else reject(Object.assign(new Error(m.message), { code: m.code, syscall: m.syscall }));
    });
    worker.once("error", () => resolve(null));
    worker.once("exit", () => resolve(null));
  });
  // a reader that stopped before `from` never joins; its settle() ends the thread
  result.catch(() => undefined);
  return {
    from,
    to: end,
    join: async () => {
      // a thread that could not start or died (no memory for its heap, a process limit)
      // costs time, never the result: the stretch is digested here instead
      const r = (await result) ?? crcOfStretch(data);
      target.skipCrc(end - from, r);
    },
    settle: async () => {
      await worker.terminate();
    },
  };
}

