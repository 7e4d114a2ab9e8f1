/**
 * `pibkit digest --alg crc32c|md5|sha1|hmac-sha1|hmac-sha1-80 [--key HEX] FILE|-`
 *
 * Runs the firmware's own digests (src/) over a file or stdin, streamed in fixed
 * 1 MiB chunks through two reusable buffers (never read whole): the first chunk is
 * read with readSync, and a file larger than one chunk goes on reading the next chunk
 * on libuv's threads while this one is digested (cli/read.ts). Awaiting each read in
 * turn, with nothing beside it, cost more than the CRC itself on a 96 MiB file; a
 * larger chunk means fewer calls into the digest (`pibkit bench`, whole-process section). Prints lowercase hex:
 * CRC-32C as its 32-bit value (e3069283 for "123456789"; on the wire a PIB carries the
 * same value least significant octet first, 83 92 06 e3), digests in their RFC order.
 * HMAC without --key uses the NULL key (RFC 5327 §2.1) — which is no security.
 */
import { Crc32c } from "../src/core/crc32c.js";
import { crc32cJoin } from "../src/core/crc32cShift.js";
import type { Digest } from "../src/core/digest.js";
import { HmacSha1 } from "../src/core/hmac.js";
import { Md5 } from "../src/core/md5.js";
import { Sha1 } from "../src/core/sha1.js";
import { hexOption, parse, toHex, usageError } from "./common.js";
import { crcHandoff } from "./crcThreads.js";
import { feed } from "./read.js";
import { writeOut } from "./stdout.js";

const ALGS = ["crc32c", "md5", "sha1", "hmac-sha1", "hmac-sha1-80"];
/** Octets per read and per `update` call. */
export const CHUNK = 1 << 20;

const HELP = `usage: pibkit digest --alg ALG [--key HEX] FILE|-

Digest of FILE (or stdin for -) with pibkit's own firmware code, as lowercase hex.

  --alg ALG   crc32c        CRC-32C (Castagnoli), printed as the 32-bit value
                            ("123456789" -> e3069283); PIB-INSECURE-CRC32
              md5           MD5 (RFC 1321); PIB-INSECURE-MD5
              sha1          SHA-1 (RFC 3174)
              hmac-sha1     HMAC-SHA1 (RFC 2104), 20 octets
              hmac-sha1-80  HMAC-SHA1 truncated to its leftmost 10 octets; PIB-HMAC
  --key HEX   HMAC key (any length). Without it: the NULL key
              c37b7e6492584340bed12207808941155068f738 (key id 0) — no security.
  -h, --help  this text

The input is streamed in 1 MiB chunks; the CRC-32C of a file larger than 512 MiB is
computed on two cores, its halves joined (environment: PIBKIT_CRC_THREAD_FROM=N octets
moves that size; larger than any file: one). Exit 0 ok, 2 bad usage or unreadable input.
`;

function makeDigest(alg: string, keyHex: string | undefined): Digest {
  const hmac = alg === "hmac-sha1" || alg === "hmac-sha1-80";
  if (keyHex !== undefined && !hmac) usageError(`--key applies to hmac-sha1 and hmac-sha1-80 only, not ${alg}`);
  if (alg === "crc32c") return new Crc32c();
  if (alg === "md5") return new Md5();
  if (alg === "sha1") return new Sha1();
  const mac = new HmacSha1(alg === "hmac-sha1" ? 20 : 10);
  if (keyHex !== undefined) {
    const key = hexOption("--key", keyHex.replace(/^0x/i, ""));
    mac.setKey(key, 0, key.length);
  }
  return mac;
}

/**
 * Feeds the whole of `path` (or stdin for "-") to `d`, CHUNK octets at a time through
 * two buffers (one read ahead); the far half of a large file's CRC-32C on another
 * thread (cli/crcThreads.ts).
 */
async function feedDigest(path: string, d: Digest): Promise<void> {
  const crc = d instanceof Crc32c ? d : null;
  await feed(
    path,
    new Uint8Array(CHUNK),
    (piece, off, n) => {
      d.update(piece, off, n);
      return 0;
    },
    new Uint8Array(CHUNK),
    undefined,
    crc === null
      ? undefined
      : (fd, pos) =>
          crcHandoff(
            {
              // to the file's end, where crcHandoff stops the stretch
              crcTail: () => Number.MAX_SAFE_INTEGER,
              skipCrc: (n, r) => crc32cJoin(crc, n, r),
            },
            fd,
            pos,
            CHUNK,
          ),
  );
}

export async function run(argv: string[]): Promise<number> {
  const a = parse(argv, { alg: { type: "string" }, key: { type: "string" } }, HELP);
  if (!a) return 0;
  const alg = a.values.alg;
  if (alg === undefined) usageError("--alg is required: " + ALGS.join(", "));
  if (!ALGS.includes(alg)) usageError(`unknown --alg "${alg}" (one of ${ALGS.join(", ")})`);
  if (a.positionals.length !== 1) usageError("give exactly one FILE, or - for stdin");
  const d = makeDigest(alg, a.values.key);
  await feedDigest(a.positionals[0]!, d);
  let hex: string;
  if (d instanceof Crc32c) {
    hex = d.value().toString(16).padStart(8, "0");
  } else {
    const out = new Uint8Array(d.size);
    d.finish(out, 0);
    hex = toHex(out);
  }
  writeOut(hex + "\n");
  return 0;
}
