/**
 * The CRC-32C of one stretch of a file, fed from a zero register: the work of the second
 * thread of cli/crcThreads.ts (cli/crcWorker.ts runs it), and of the first thread when
 * no second one could start. A file of its own, so that the worker loads nothing else.
 */
import { readSync, writeSync } from "node:fs";
import { Crc32c } from "../src/core/crc32c.js";

/** A stretch of a file for crcOfStretch. */
export interface Stretch {
  fd: number;
  from: number;
  to: number;
  piece: number;
  /** With out ≥ 0, octet at file offset p is also written at offset p + shift of `out`. */
  out: number;
  shift: number;
}

/**
 * The CRC-32C register, fed from 0, of file octets [from, to), read through one buffer
 * of `piece` octets (and written to `out`); what the other thread runs (cli/crcWorker.ts).
 */
export function crcOfStretch(s: Stretch): number {
  const crc = new Crc32c();
  crc.c = 0;
  const buf = new Uint8Array(s.piece);
  for (let pos = s.from; pos < s.to; ) {
    const n = readSync(s.fd, buf, 0, Math.min(s.piece, s.to - pos), pos);
    if (n <= 0) throw Object.assign(new Error("the file ended before its payload did (was it cut while being read?)"), { syscall: "read" });
    crc.update(buf, 0, n);
    for (let o = 0; s.out >= 0 && o < n; ) o += writeSync(s.out, buf, o, n - o, pos + s.shift + o);
    pos += n;
  }
  return crc.c;
}
