/**
 * The worked examples of pibkit's wire format (docs/bundles.md, docs/pib.md) and test
 * helpers shared by the PIB test files. Example 1: a 12-octet payload "Hello, world"
 * from dtn://src/app to dtn://dst/app, with one PIB per checksum ciphersuite of
 * draft-irtf-dtnrg-bundle-checksum-02 §3 (0x04 PIB-HMAC with the NULL key, 0x05
 * PIB-INSECURE-MD5, 0x06 PIB-INSECURE-CRC32); its canonical streams under RFC 6257 §3.4.2
 * mutable canonicalization as pibkit reads it (profile R) and as DTN2 and IBR-DTN compute
 * it. Example 2: a fragment carrying "world" whose PIB names a security-destination
 * (RFC 6257 §2.1). The hex was computed by two independent implementations outside this
 * repository and is copied here, not computed by pibkit.
 */
import type { Digest } from "../../src/core/digest.js";

export { CORPUS, corpusBundles, corpusFile, corpusFolder, corpusPath, extraBundles, needsCorpus } from "./shared.js";

export function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+/g, ""), "hex"));
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString("hex");
}

/** A test-only Digest that records every octet it is fed, in order. */
export class RecordingDigest implements Digest {
  readonly size = 0;
  bytes: number[] = [];
  reset(): void {
    this.bytes = [];
  }
  update(buf: Uint8Array, off: number, len: number): void {
    for (let i = 0; i < len; i++) this.bytes.push(buf[off + i]!);
  }
  finish(): void {}
  result(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** Example 1 without its PIB: primary + payload (payload flagged last). */
export const EX1_PRIMARY =
  "068a81182d0004000e00180018fba29000019c101d64746e002f2f6473742f617070002f2f7372632f617070006e6f6e6500";
export const EX1_PAYLOAD = "01080c48656c6c6f2c20776f726c64";
export const EX1_UNSIGNED = EX1_PRIMARY + EX1_PAYLOAD;

/** Example 1 complete, one bundle per suite, the PIB right after the primary block. */
export const EX1_CRC =
  "068a81182d0004000e00180018fba29000019c101d64746e002f2f6473742f617070002f2f7372632f617070006e6f6e650003010e0605040402000c0605040af5e18101080c48656c6c6f2c20776f726c64";
export const EX1_MD5 =
  "068a81182d0004000e00180018fba29000019c101d64746e002f2f6473742f617070002f2f7372632f617070006e6f6e650003011a0505040402000c1205108b14dd4a1b63fae7f6580f3820dad93a01080c48656c6c6f2c20776f726c64";
export const EX1_HMAC =
  "068a81182d0004000e00180018fba29000019c101d64746e002f2f6473742f617070002f2f7372632f617070006e6f6e65000301170405070301000402000c0c050a1e97315fc98653b9d67b01080c48656c6c6f2c20776f726c64";

/** Example 1's canonical streams (CRC-32C bundle) under profiles R, DTN2 and IBR. */
export const EX1_CANON_R =
  "060000000000028098000000530000000d64746e3a2f2f6473742f6170700000000d64746e3a2f2f7372632f6170" +
  "700000000864746e3a6e6f6e65000000000f68880000000000000000010000000000000e100300000000000000010000" +
  "00000000000e0000000000000006000000000000000500000000000000040402000c000000000000000601000000" +
  "0000000000000000000000000c48656c6c6f2c20776f726c64";
export const EX1_CANON_DTN2 =
  "060000000000028098000000500000000c64746e2f2f6473742f6170700000000c64746e2f2f7372632f6170700000" +
  "000764746e6e6f6e65000000000f68880000000000000000010000000000000e1001000000000000000000000000" +
  "0000000c48656c6c6f2c20776f726c64";
export const EX1_CANON_IBR =
  "0600000001000000460000000d64746e3a2f2f6473742f6170700000000d64746e3a2f2f7372632f617070000000" +
  "0864746e3a6e6f6e65000000000f68880000000000000000010000000000000e100300000001000000000000002a" +
  "0000000000000006000000000000000500000000000000040402000c000000000000000601000000000000000000" +
  "00000c48656c6c6f2c20776f726c64";

/** Example 2: fragment carrying "world" (octets 7–11 of 12), PIB with a security-destination reference. */
export const EX2 =
  "068a8119380004000e00180018fba29000019c102664746e002f2f6473742f617070002f2f7372632f617070006e6f6e65002f2f72656c61792f00070c034101001d0e060d0404020705060504a97beab9010805776f726c64";
export const EX2_CANON_R =
  "060000000000028098000000530000000d64746e3a2f2f6473742f6170700000000d64746e3a2f2f7372632f6170" +
  "700000000864746e3a6e6f6e65000000000f68880000000000000000010000000000000e10030000000000000041" +
  "64746e3a2f2f72656c61792f000000000000000e0000000000000006000000000000000d000000000000000404" +
  "02070500000000000000060100000000000000000000000000000005776f726c64";
