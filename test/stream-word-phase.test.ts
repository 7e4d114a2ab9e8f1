/**
 * The streaming ground path tells its reader where to put the payload in its buffer
 * (StreamVerifier.wordPhase, StreamSigner.wordPhase; cli/read.ts): read that way, every
 * whole MD5 or SHA-1 block after the first piece reaches the digest at a 4-aligned
 * address and goes through the word path (mdBlock.ts), whatever the header's length.
 * Counted by wrapping the digests' block_: a block given as octets (a Uint8Array) is
 * one the word path missed. Without the phase most of them are (the control).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { feed } from "../cli/read.js";
import type { MdBlock } from "../src/core/mdBlock.js";
import { SuiteKind } from "../src/core/suites.js";
import { StreamSigner, StreamVerifier } from "../src/ground/stream.js";

const PIBKIT = join(import.meta.dirname, "..", "bin", "pibkit");
const PIECE = 4096;
const PAYLOAD = 64 * 1024 + 5;
let dir = "";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "pibkit-word-phase-"));
  const payload = Buffer.alloc(PAYLOAD, 0x5a);
  writeFileSync(join(dir, "payload.bin"), payload);
  // source EIDs of four lengths: the payload starts at each residue mod 4
  for (const src of ["dtn://a/x", "dtn://ab/x", "dtn://abc/x", "dtn://abcd/x"]) {
    const b = join(dir, `${src.length}.bin`);
    expect(spawnSync(PIBKIT, ["make-bundle", b, "--src", src, "--dst", "dtn://b/y", "--ctime", "1", "--payload-file", join(dir, "payload.bin")]).status).toBe(0);
    for (const suite of ["insecure-md5", "hmac"]) expect(spawnSync(PIBKIT, ["sign", b, join(dir, `${src.length}-${suite}.bin`), "--suite", suite]).status).toBe(0);
  }
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Wraps m.block_ to count the blocks it is given as octets. */
function countOctetBlocks(m: MdBlock): { n: number } {
  const c = { n: 0 };
  const orig = m.block_.bind(m);
  m.block_ = (x?: Uint8Array | Int32Array, o?: number) => {
    if (x instanceof Uint8Array) c.n++;
    orig(x, o);
  };
  return c;
}

describe("streaming ground path: the payload where the digests take words", () => {
  for (const phased of [true, false]) {
    test(`verify and sign, headers of four lengths ${phased ? "(reader told the phase)" : "(control: no phase, blocks missed)"}`, async () => {
      let missedTotal = 0;
      for (const len of [9, 10, 11, 12]) {
        const v = new StreamVerifier(8, 8, 4, 1 << 16, 4);
        const md5 = countOctetBlocks(v.md5s[0]!);
        const sha = countOctetBlocks(v.macs[0]!.s);
        for (const suite of ["insecure-md5", "hmac"]) {
          v.begin();
          await feed(join(dir, `${len}-${suite}.bin`), new Uint8Array(PIECE), (p, off, n) => v.push(p, off, n), new Uint8Array(PIECE), phased ? v : undefined);
          expect(v.end()).toBe(1);
          expect(v.allOk()).toBe(true);
        }
        const g = new StreamSigner(8, 8, 1 << 16);
        const signMd5 = countOctetBlocks(g.digests_.md5);
        const signSha = countOctetBlocks(g.digests_.keyMac_.s);
        for (const kind of [SuiteKind.Md5, SuiteKind.Hmac]) {
          const d = kind === SuiteKind.Md5 ? signMd5 : signSha;
          const before = d.n;
          g.begin(kind, 0);
          await feed(join(dir, `${len}.bin`), new Uint8Array(PIECE), (p, off, n) => g.push(p, off, n), new Uint8Array(PIECE), phased ? g : undefined);
          expect(g.end()).toBeGreaterThan(PAYLOAD);
          missedTotal += d.n - before;
          if (phased) expect(d.n - before, `sign ${kind}, ${len}`).toBeLessThanOrEqual(PIECE / 64);
        }
        missedTotal += md5.n + sha.n;
        // only blocks in the first piece (read before the header is known) may go as octets
        if (phased) expect(md5.n + sha.n, `verify, ${len}`).toBeLessThanOrEqual((2 * PIECE) / 64);
      }
      // the control: without the phase most headers leave the payload's blocks unaligned
      if (!phased) expect(missedTotal).toBeGreaterThan((4 * PAYLOAD) / 64);
    });
  }
});
