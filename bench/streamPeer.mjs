// A peer library run the way `pibkit digest FILE` runs: its own `node` process that
// streams FILE through the library in 1 MiB positional reads into one buffer, a short
// read being the end, and prints the digest as lowercase hex, CRC-32C as its 32-bit
// value. The reads are synchronous, as a small script would do them; cli/read.ts reads
// the same pieces but, past the first, ahead on another thread, which costs pibkit a
// little more CPU time (the basis of the whole-process goals) and saves it wall time.
// The whole-process section of `pibkit bench` (bench/process.ts) times it next to pibkit.
//
//   node bench/streamPeer.mjs crc32c|md5|hmac-sha1 FILE [KEY_HEX]
//
// crc32c: crc-32 (crc-32/crc32c, `buf(data, seed)` carries the CRC across chunks);
// md5: spark-md5 (its incremental ArrayBuffer API); hmac-sha1: @noble/hashes
// (`hmac.create(sha1, key)`, then update per chunk). Plain JavaScript, so no build step
// stands between the file and the process being timed.
import { closeSync, openSync, readSync } from "node:fs";

const CHUNK = 1 << 20;
const [alg, file, keyHex] = process.argv.slice(2);
const buf = new Uint8Array(CHUNK);

/** Calls f(chunk) for each read of FILE; a short last chunk is its own view. */
function each(f) {
  const fd = openSync(file, "r");
  try {
    for (let pos = 0, n = CHUNK; n === CHUNK; pos += n) {
      n = readSync(fd, buf, 0, CHUNK, pos);
      if (n > 0) f(n === CHUNK ? buf : buf.subarray(0, n), n);
    }
  } finally {
    closeSync(fd);
  }
}

const hex = (b) => Array.from(b, (x) => (x < 16 ? "0" : "") + x.toString(16)).join("");
let out;
if (alg === "crc32c") {
  const { default: CRC32C } = await import("crc-32/crc32c.js");
  let c = 0;
  each((chunk) => {
    c = CRC32C.buf(chunk, c);
  });
  out = (c >>> 0).toString(16).padStart(8, "0");
} else if (alg === "md5") {
  const { default: SparkMD5 } = await import("spark-md5");
  const s = new SparkMD5.ArrayBuffer();
  each((chunk, n) => s.append(n === CHUNK ? chunk.buffer : chunk.buffer.slice(0, n)));
  out = s.end();
} else if (alg === "hmac-sha1") {
  const { hmac } = await import("@noble/hashes/hmac");
  const { sha1 } = await import("@noble/hashes/legacy");
  const key = Uint8Array.from((keyHex ?? "").match(/../g) ?? [], (h) => parseInt(h, 16));
  const mac = hmac.create(sha1, key);
  each((chunk) => mac.update(chunk));
  out = hex(mac.digest());
} else {
  process.stderr.write(`streamPeer: unknown algorithm "${alg}" (crc32c, md5, hmac-sha1)\n`);
  process.exit(2);
}
process.stdout.write(out + "\n");
