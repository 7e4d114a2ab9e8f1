/**
 * Mutable canonicalization (RFC 6257 §3.4.2), byte for byte: the worked examples'
 * canonical streams under profiles R, R′, DTN2 and IBR (docs/pib.md), and the exact
 * octets IBR-DTN and DTN2 digested for the real signatures in the external corpus's
 * canon/ folder (skipped with a message when the corpus is missing).
 */
import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Bundle } from "../src/ground/bundle.js";
import { Canonicalizer } from "../src/ground/canon.js";
import { Crc32c } from "../src/core/crc32c.js";
import {
  PROFILE_DTN2,
  PROFILE_IBR,
  PROFILE_RFC6257,
  PROFILE_RFC6257_PACKED,
  profileByName,
  type CanonProfile,
} from "../src/ground/profiles.js";
import {
  corpusFile,
  corpusFolder,
  EX1_CANON_DTN2,
  EX1_CANON_IBR,
  EX1_CANON_R,
  EX1_CRC,
  EX1_HMAC,
  EX1_MD5,
  EX2,
  EX2_CANON_R,
  hex,
  needsCorpus,
  RecordingDigest,
  toHex,
} from "./support/pibVectors.js";

const HAVE_CORPUS = needsCorpus("7 canonical streams IBR-DTN and DTN2 digested for real signatures (corpus canon/)");

const NULL_KEY = hex("c37b7e6492584340bed12207808941155068f738");

function parsed(bytes: Uint8Array): Bundle {
  const b = new Bundle(16, 16);
  const e = b.parse(bytes, 0, bytes.length);
  expect(e, "parse").toBe(0);
  return b;
}

function canon(bytes: Uint8Array, pibIndex: number, p: CanonProfile): Uint8Array {
  const d = new RecordingDigest();
  const e = new Canonicalizer().run(parsed(bytes), pibIndex, p, d);
  expect(e, "canonicalize").toBe(0);
  return d.result();
}

function crcOf(bytes: Uint8Array, pibIndex: number, p: CanonProfile): number {
  const c = new Crc32c();
  expect(new Canonicalizer().run(parsed(bytes), pibIndex, p, c)).toBe(0);
  return c.value() >>> 0;
}

/** Block index of the n-th block of `type` counted from the front. */
function nthBlock(b: Bundle, type: number, n: number): number {
  for (let i = 0; i < b.blockCount; i++) if (b.blockType[i] === type && n-- === 0) return i;
  throw new Error(`no block ${type} #${n}`);
}

describe("§4.5 example 1 (PIB at block index 0)", () => {
  const crcBundle = hex(EX1_CRC);
  it("profile R: 165 octets byte for byte, CRC-32C 0x81E1F50A, MD5 and NULL-key HMAC cross-checks", () => {
    const c = canon(crcBundle, 0, PROFILE_RFC6257);
    expect(toHex(c)).toBe(EX1_CANON_R);
    expect(c.length).toBe(165);
    expect(crcOf(crcBundle, 0, PROFILE_RFC6257)).toBe(0x81e1f50a);
    expect(createHash("md5").update(c).digest("hex")).toBe("7a4745518aa3a4a0b577239504510e4a");
    expect(createHmac("sha1", NULL_KEY).update(c).digest("hex")).toBe("f0084aa7adf5bafdc8bfa28839fe0273d3c19d9b");
  });
  it("profile R′ (packed ASB): 137 octets, only the PIB segment differs, CRC-32C 0x162D1A99", () => {
    const c = canon(crcBundle, 0, PROFILE_RFC6257_PACKED);
    expect(c.length).toBe(137);
    const r = hex(EX1_CANON_R);
    // primary (83) + type + flags + u64 length are shared; then the packed ASB body; then the payload
    expect(toHex(c.subarray(0, 83 + 17))).toBe(toHex(r.subarray(0, 83 + 17)));
    expect(toHex(c.subarray(100, 108))).toBe("0605040402000c06");
    expect(toHex(c.subarray(108))).toBe(toHex(r.subarray(136)));
    expect(crcOf(crcBundle, 0, PROFILE_RFC6257_PACKED)).toBe(0x162d1a99);
  });
  it("profile DTN2: 109 octets (current PIB skipped, no colon, mask 0x57), CRC-32C 0xBB106B34", () => {
    expect(toHex(canon(crcBundle, 0, PROFILE_DTN2))).toBe(EX1_CANON_DTN2);
    expect(crcOf(crcBundle, 0, PROFILE_DTN2)).toBe(0xbb106b34);
  });
  it("profile IBR: 153 octets (u32 0/1 flags, lengths 0x46 and 0x2a), CRC-32C 0x5A6A15AA", () => {
    expect(toHex(canon(crcBundle, 0, PROFILE_IBR))).toBe(EX1_CANON_IBR);
    expect(crcOf(crcBundle, 0, PROFILE_IBR)).toBe(0x5a6a15aa);
  });
  it("MD5 and HMAC bundles differ from the CRC stream only in the PIB segment (§5.3)", () => {
    const r = hex(EX1_CANON_R);
    const md5 = canon(hex(EX1_MD5), 0, PROFILE_RFC6257);
    expect(toHex(md5)).toBe(
      toHex(r.subarray(0, 92)) +
        "000000000000001a" + "0000000000000005" + "0000000000000005" + "0000000000000004" + "0402000c" +
        "0000000000000012" + toHex(r.subarray(136)),
    );
    const hm = canon(hex(EX1_HMAC), 0, PROFILE_RFC6257);
    expect(hm.length).toBe(168);
    expect(toHex(hm)).toBe(
      toHex(r.subarray(0, 92)) +
        "0000000000000017" + "0000000000000004" + "0000000000000005" + "0000000000000007" + "03010004" + "02000c" +
        "000000000000000c" + toHex(r.subarray(136)),
    );
  });
  it("a canonical form never depends on the current PIB's result octets", () => {
    const a = hex(EX1_CRC);
    const b = hex(EX1_CRC);
    b[63]! ^= 0xff; // inside the result value 0a f5 e1 81
    for (const p of [PROFILE_RFC6257, PROFILE_RFC6257_PACKED, PROFILE_DTN2, PROFILE_IBR]) {
      expect(toHex(canon(a, 0, p)), p.name).toBe(toHex(canon(b, 0, p)));
    }
  });
});

describe("§4.6 example 2 (fragment, security-destination reference)", () => {
  const ex2 = hex(EX2);
  it("profile R: 170 octets byte for byte, CRC-32C 0xB9EA7BA9 (the bundle's own result)", () => {
    // The PIB's range (7, 5) equals the fragment: the whole fragment payload is covered.
    const c = canon(ex2, 0, PROFILE_RFC6257);
    expect(toHex(c)).toBe(EX2_CANON_R);
    expect(c.length).toBe(170);
    expect(crcOf(ex2, 0, PROFILE_RFC6257)).toBe(0xb9ea7ba9);
  });
  it("profile DTN2 reproduces its fragment-field bug: CRC-32C 0xCAAF4F13", () => {
    const c = canon(ex2, 0, PROFILE_DTN2);
    // header_len 0x60 = 96 (16 more for the fragment fields), then u64 100 ('d') and u64 116 ('t')
    expect(toHex(c.subarray(9, 13))).toBe("00000060");
    expect(toHex(c.subarray(9 + 4 + 4 * 3 + 12 + 12 + 7 + 24, 9 + 4 + 12 + 31 + 24 + 16))).toBe(
      "0000000000000064" + "0000000000000074",
    );
    expect(crcOf(ex2, 0, PROFILE_DTN2)).toBe(0xcaaf4f13);
  });
  it("profile IBR: u32 12 before dtn://relay/, u32 0/1 flags: CRC-32C 0xE1C7D0F0", () => {
    const c = toHex(canon(ex2, 0, PROFILE_IBR));
    expect(c).toContain("0000000c" + toHex(new TextEncoder().encode("dtn://relay/")));
    expect(crcOf(ex2, 0, PROFILE_IBR)).toBe(0xe1c7d0f0);
  });
});

describe.runIf(HAVE_CORPUS)("corpus: the exact bytes IBR-DTN and DTN2 digested for their real signatures", () => {
  const files = corpusFolder("canon").filter((f) => f.endsWith("-mutable.canon"));
  it("there are seven mutable-canonicalization files to reproduce", () => {
    expect(files.length).toBe(7);
  });
  for (const f of files) {
    it(f, () => {
      const m = /^(.+)\.(pib(\d+)|pi2)\.(ibr|dtn2)-mutable\.canon$/.exec(f)!;
      expect(m, f).not.toBeNull();
      const bundle = corpusFile(`${m[1]}.bin`);
      const b = parsed(bundle);
      // IBR: the N-th type-3 block from the front; DTN2 writes its PI2 in block type 4.
      const index = m[4] === "ibr" ? nthBlock(b, 3, Number(m[3])) : nthBlock(b, 4, 0);
      const p = profileByName(m[4]!)!;
      const want = corpusFile(`canon/${f}`);
      const got = canon(bundle, index, p);
      expect(toHex(got)).toBe(toHex(want));
    });
  }
});

describe("profiles are frozen data", () => {
  it("each profile is frozen and found by its CLI name", () => {
    for (const p of [PROFILE_RFC6257, PROFILE_RFC6257_PACKED, PROFILE_DTN2, PROFILE_IBR]) {
      expect(Object.isFrozen(p)).toBe(true);
      expect(profileByName(p.name)).toBe(p);
    }
    expect(profileByName("rfc5050")).toBeNull();
  });
});
