/**
 * PIB sign and verify: example 1 (docs/pib.md) byte for byte in both directions, the other profiles'
 * results of §5.3/§4.5/§4.6, every verdict, keyed HMAC with rollover, bare params,
 * configurable ids, NoRoom with guard bytes, human-readable names.
 */
import { createHash, createHmac } from "node:crypto";
import { crc32c } from "@node-rs/crc32";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { needsCorpus } from "./support/shared.js";
import { Bundle } from "../src/ground/bundle.js";
import { Canonicalizer } from "../src/ground/canon.js";
import { Crc32c } from "../src/core/crc32c.js";
import { errorName } from "../src/core/errorText.js";
import { Err } from "../src/core/errors.js";
import { KeyTable } from "../src/ground/keys.js";
import { describePibs } from "../src/ground/describe.js";
import { Signer, Verifier } from "../src/ground/pib.js";
import { Verdict } from "../src/core/verdict.js";
import {
  PROFILE_DTN2,
  PROFILE_IBR,
  PROFILE_RFC6257,
  PROFILE_RFC6257_PACKED,
  type CanonProfile,
} from "../src/ground/profiles.js";
import { isUnauthenticated, SuiteKind, suiteName, type SuiteIds } from "../src/core/suites.js";
import { corpusFile, EX1_CRC, EX1_HMAC, EX1_MD5, EX1_UNSIGNED, EX2, hex, toHex } from "./support/pibVectors.js";

/** IBR-DTN's bundle with a BAB (3 blocks) from the real-bundle corpus: two sign tests need it. */
const HAVE_CORPUS = needsCorpus("sign after IBR-DTN's leading BAB, and a 3-block input refused by a 2-block table (corpus ibrdtn-bab-hmac-sha1.bin)");

const SUITES = [SuiteKind.Hmac, SuiteKind.Md5, SuiteKind.Crc32];

function sign(input: Uint8Array, kind: number, opts: { profile?: CanonProfile; keyId?: number; keys?: KeyTable; ids?: SuiteIds } = {}): Uint8Array {
  const s = new Signer(16, 16);
  if (opts.profile) s.profile = opts.profile;
  if (opts.keys) s.keys = opts.keys;
  if (opts.ids) s.ids = opts.ids;
  const out = new Uint8Array(input.length + 64);
  const n = s.sign(input, 0, input.length, out, 0, out.length, kind, opts.keyId ?? 0);
  expect(n, n < 0 ? errorName(n) : "").toBeGreaterThan(0);
  return out.slice(0, n);
}

function verify(bytes: Uint8Array, opts: { profile?: CanonProfile; keys?: KeyTable; acceptBare?: boolean; budget?: number; ids?: SuiteIds } = {}): Verifier {
  const v = new Verifier(16, 16, 8);
  if (opts.profile) v.profile = opts.profile;
  if (opts.keys) v.keys = opts.keys;
  if (opts.acceptBare) v.acceptBare = true;
  if (opts.budget !== undefined) v.budget = opts.budget;
  if (opts.ids) v.ids = opts.ids;
  const n = v.verifyAll(bytes, 0, bytes.length);
  expect(n, n < 0 ? errorName(n) : "").toBeGreaterThanOrEqual(0);
  return v;
}

function verdicts(v: Verifier): number[] {
  return Array.from(v.verdict.subarray(0, v.count));
}

/** The result value octets of the (first) PIB written by `sign`. */
function resultOf(bytes: Uint8Array): string {
  const v = verify(bytes, { profile: PROFILE_RFC6257 });
  const off = v.resultOff[0]!;
  return toHex(bytes.subarray(off, off + v.resultLen[0]!));
}

describe("example 1: sign reproduces the three complete bundles from Example 1", () => {
  const unsigned = hex(EX1_UNSIGNED);
  it("PIB-INSECURE-CRC32: 82 octets", () => expect(toHex(sign(unsigned, SuiteKind.Crc32))).toBe(EX1_CRC));
  it("PIB-INSECURE-MD5: 94 octets", () => expect(toHex(sign(unsigned, SuiteKind.Md5))).toBe(EX1_MD5));
  it("PIB-HMAC with the NULL key: 91 octets", () => expect(toHex(sign(unsigned, SuiteKind.Hmac, { keyId: 0 }))).toBe(EX1_HMAC));
});

describe("example 1: verify accepts them, and rejects them under another profile", () => {
  for (const [name, h] of [["CRC32", EX1_CRC], ["MD5", EX1_MD5], ["HMAC", EX1_HMAC]] as const) {
    it(name, () => {
      const v = verify(hex(h));
      expect(v.count).toBe(1);
      expect(verdicts(v)).toEqual([Verdict.Ok]);
      expect(v.allOk()).toBe(true);
      for (const p of [PROFILE_RFC6257_PACKED, PROFILE_DTN2, PROFILE_IBR]) {
        expect(verdicts(verify(hex(h), { profile: p })), p.name).toEqual([Verdict.Mismatch]);
      }
    });
  }
});

describe("the other profiles' results for Example 1 (docs/pib.md, worked examples), both directions", () => {
  const unsigned = hex(EX1_UNSIGNED);
  // CRC values of §4.5 in SCTP octet order; MD5 and HMAC values of §5.3.
  const want: Record<string, Record<number, string>> = {
    "rfc6257-packed": { [SuiteKind.Crc32]: "991a2d16", [SuiteKind.Md5]: "7bf13c3832da9f1102755647f82f8bb7", [SuiteKind.Hmac]: "77f72485da79412711f5" },
    dtn2: { [SuiteKind.Crc32]: "346b10bb", [SuiteKind.Md5]: "dee17b43b9f816c0a9615bc18b079c88", [SuiteKind.Hmac]: "a9ba904a38b7d2cfb48c" },
    ibr: { [SuiteKind.Crc32]: "aa156a5a", [SuiteKind.Md5]: "e919dc33fe2250ab29ae71a088cd4b33", [SuiteKind.Hmac]: "5fca339d45ccf6b9a2ed" },
  };
  for (const p of [PROFILE_RFC6257_PACKED, PROFILE_DTN2, PROFILE_IBR]) {
    for (const kind of SUITES) {
      it(`${p.name} ${suiteName(kind, 0)}`, () => {
        const signed = sign(unsigned, kind, { profile: p });
        expect(resultOf(signed)).toBe(want[p.name]![kind]);
        expect(verdicts(verify(signed, { profile: p }))).toEqual([Verdict.Ok]);
        expect(verdicts(verify(signed, { profile: PROFILE_RFC6257 }))).toEqual([Verdict.Mismatch]);
      });
    }
  }
});

describe("example 2: fragment with a security-destination reference", () => {
  it("verifies under profile R (range 7+5 matches the fragment)", () => {
    const v = verify(hex(EX2));
    expect(verdicts(v)).toEqual([Verdict.Ok]);
    expect([v.rangeOff[0], v.rangeLen[0]]).toEqual([7, 5]);
  });
  it("verifies under DTN2 and IBR with their CRC values of §4.6 written in", () => {
    for (const [p, crc] of [[PROFILE_DTN2, 0xcaaf4f13], [PROFILE_IBR, 0xe1c7d0f0]] as const) {
      const b = hex(EX2);
      const at = b.length - 8 - 4; // result value is the last 4 octets of the PIB
      b[at] = crc & 0xff;
      b[at + 1] = (crc >>> 8) & 0xff;
      b[at + 2] = (crc >>> 16) & 0xff;
      b[at + 3] = crc >>> 24;
      expect(verdicts(verify(b, { profile: p })), p.name).toEqual([Verdict.Ok]);
      expect(verdicts(verify(b)), "R").toEqual([Verdict.Mismatch]);
    }
  });
  it("a fragment whose range does not match is skipped, never ok", () => {
    const b = hex(EX2);
    b[b.length - 16] = 0x04; // range length 5 -> 4: the fragment has 5 octets
    expect(toHex(b)).toContain("04020704");
    const v = verify(b);
    expect(verdicts(v)).toEqual([Verdict.SkippedFragment]);
    expect(v.allOk()).toBe(false);
  });
  it("sign reproduces the §4.6 bundle byte for byte (security-destination dtn://relay/ at (0, 29))", () => {
    const ex2 = hex(EX2);
    const b = new Bundle(8, 8);
    expect(b.parse(ex2, 0, ex2.length)).toBe(0);
    const unsigned = new Uint8Array([...ex2.subarray(0, b.primaryEnd), ...ex2.subarray(b.blockStart[1]!)]);
    const s = new Signer(8, 8);
    s.destScheme = 0;
    s.destSsp = 29;
    const out = new Uint8Array(200);
    const n = s.sign(unsigned, 0, unsigned.length, out, 0, out.length, SuiteKind.Crc32, 0);
    expect(toHex(out.subarray(0, n))).toBe(EX2);
    // Under DTN2 and IBR the same PIB carries their §4.6 CRC values (least significant octet first).
    for (const [p, crc] of [[PROFILE_DTN2, "134fafca"], [PROFILE_IBR, "f0d0c7e1"]] as const) {
      s.profile = p;
      const m = s.sign(unsigned, 0, unsigned.length, out, 0, out.length, SuiteKind.Crc32, 0);
      expect(toHex(out.subarray(m - 12, m - 8)), p.name).toBe(crc);
      expect(verdicts(verify(out.slice(0, m), { profile: p }))).toEqual([Verdict.Ok]);
    }
    // MD5 and HMAC with the same destination verify under every profile.
    for (const p of [PROFILE_RFC6257, PROFILE_RFC6257_PACKED, PROFILE_DTN2, PROFILE_IBR]) {
      s.profile = p;
      for (const kind of [SuiteKind.Md5, SuiteKind.Hmac]) {
        const m = s.sign(unsigned, 0, unsigned.length, out, 0, out.length, kind, 0);
        expect(verdicts(verify(out.slice(0, m), { profile: p })), `${p.name} ${kind}`).toEqual([Verdict.Ok]);
      }
    }
    // A destination outside the dictionary is refused before anything is written.
    s.destSsp = 38;
    out.fill(0xee);
    expect(s.sign(unsigned, 0, unsigned.length, out, 0, out.length, SuiteKind.Crc32, 0)).toBe(-Err.DictOffsetOutOfRange);
    expect(out.every((x) => x === 0xee)).toBe(true);
  });
  it("sign on a fragment records (fragment offset, length) and verifies", () => {
    const ex2 = hex(EX2);
    const b = new Bundle(8, 8);
    expect(b.parse(ex2, 0, ex2.length)).toBe(0);
    // Example 2 without its PIB: primary + payload.
    const unsigned = new Uint8Array([...ex2.subarray(0, b.primaryEnd), ...ex2.subarray(b.blockStart[1]!)]);
    for (const kind of SUITES) {
      const signed = sign(unsigned, kind);
      const v = verify(signed);
      expect(verdicts(v)).toEqual([Verdict.Ok]);
      expect([v.rangeOff[0], v.rangeLen[0]]).toEqual([7, 5]);
    }
  });
});

describe("verdicts", () => {
  it("UnknownSuite: a cs-id that is not configured", () => {
    const b = hex(EX1_CRC);
    b[53] = 0x07; // cs-id 6 -> 7
    expect(verdicts(verify(b))).toEqual([Verdict.UnknownSuite]);
  });
  it("Malformed: a correlator, no result, a short result, a range past the payload", () => {
    const csFlagsAt = 54;
    let b = hex(EX1_CRC);
    expect(b[csFlagsAt]).toBe(0x05);
    b[csFlagsAt] = 0x04; // no result: the ASB then has octets left over
    let v = verify(b);
    expect(verdicts(v)).toEqual([Verdict.Malformed]);
    b = hex(EX1_CRC);
    b[csFlagsAt] = 0x07; // correlator flag: the params length is read as correlator
    expect(verdicts(verify(b))).toEqual([Verdict.Malformed]);
    b = hex(EX1_CRC);
    b[62] = 0x03; // item 5 length 4 -> 3: the result item no longer fills its field
    v = verify(b);
    expect(verdicts(v)).toEqual([Verdict.Malformed]);
    expect(errorName(v.code[0]!)).toBe("TlvMalformed");
    b = hex(EX1_CRC);
    b[59] = 0x0d; // covered length 12 -> 13
    v = verify(b);
    expect(verdicts(v)).toEqual([Verdict.Malformed]);
    expect(v.code[0]).toBe(Err.RangeOutsidePayload);
  });
  it("SkippedBudget: a budget below the bundle's size skips the check; skipped is not ok", () => {
    const v = verify(hex(EX1_CRC), { budget: 81 });
    expect(verdicts(v)).toEqual([Verdict.SkippedBudget]);
    expect(v.allOk()).toBe(false);
    const w = verify(hex(EX1_CRC), { budget: 82 });
    expect(verdicts(w)).toEqual([Verdict.Ok]);
    expect(w.budget).toBe(0);
  });
  it("several PIBs: LIFO order, one verdict each", () => {
    const once = sign(hex(EX1_UNSIGNED), SuiteKind.Crc32);
    const twice = sign(once, SuiteKind.Md5);
    const thrice = sign(twice, SuiteKind.Hmac);
    const v = verify(thrice);
    expect(verdicts(v)).toEqual([Verdict.Ok, Verdict.Ok, Verdict.Ok]);
    expect(Array.from(v.kind.subarray(0, 3))).toEqual([SuiteKind.Hmac, SuiteKind.Md5, SuiteKind.Crc32]);
    // The outer PIB covers the inner ones, results included (profile R, R5).
    thrice[thrice.length - 15 - 3]! ^= 1; // last octet of the innermost (CRC) result
    expect(verdicts(verify(thrice))).toEqual([Verdict.Mismatch, Verdict.Mismatch, Verdict.Mismatch]);
  });
});

describe("PIB-HMAC with real keys (KeyLookup, rollover by trial verification)", () => {
  const k1 = hex("0102030405060708090a0b0c0d0e0f1011121314");
  const k2 = hex("a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4");
  function table(): KeyTable {
    const t = new KeyTable(4, 8);
    expect(t.install(7, k1, 0, 20)).toBe(0);
    return t;
  }
  it("signs with key id 7 as item 3, verifies with the key, UnknownKey without it, Mismatch with another", () => {
    const signed = sign(hex(EX1_UNSIGNED), SuiteKind.Hmac, { keyId: 7, keys: table() });
    expect(toHex(signed)).toContain("0301070402000c");
    const v = verify(signed, { keys: table() });
    expect(verdicts(v)).toEqual([Verdict.Ok]);
    expect(v.keyId[0]).toBe(7);
    expect(verdicts(verify(signed))).toEqual([Verdict.UnknownKey]);
    const other = new KeyTable(4, 8);
    expect(other.install(7, k2, 0, 20)).toBe(0);
    expect(verdicts(verify(signed, { keys: other }))).toEqual([Verdict.Mismatch]);
    const s = new Signer(8, 8);
    const out = new Uint8Array(200);
    const input = hex(EX1_UNSIGNED);
    expect(s.sign(input, 0, input.length, out, 0, out.length, SuiteKind.Hmac, 7)).toBe(-Err.UnknownKey);
  });
  it("during a rollover the new key signs; the first verification under it retires the old key", () => {
    const sender = table();
    const receiver = table();
    const old = sign(hex(EX1_UNSIGNED), SuiteKind.Hmac, { keyId: 7, keys: sender });
    expect(sender.rollover(7, k2, 0, 20)).toBe(0);
    expect(receiver.rollover(7, k2, 0, 20)).toBe(0);
    const fresh = sign(hex(EX1_UNSIGNED), SuiteKind.Hmac, { keyId: 7, keys: sender });
    let v = verify(old, { keys: receiver });
    expect(verdicts(v)).toEqual([Verdict.Ok]);
    expect(v.keyIndex[0]).toBe(0);
    expect(receiver.rolloverSeq).toBe(0);
    v = verify(fresh, { keys: receiver });
    expect(verdicts(v)).toEqual([Verdict.Ok]);
    expect(v.keyIndex[0]).toBe(1);
    expect(receiver.rolloverSeq).toBe(1);
    expect(verdicts(verify(old, { keys: receiver }))).toEqual([Verdict.Mismatch]);
  });
});

describe("options", () => {
  /** Example 1 with the PIB's params as the draft's bare SDNVs and/or a raw result, result computed. */
  function bareBundle(bareParams: boolean, rawResult: boolean): Uint8Array {
    const primary = hex(EX1_UNSIGNED).subarray(0, 50);
    const payload = hex(EX1_UNSIGNED).subarray(50);
    const params = bareParams ? [0x00, 0x0c] : [0x04, 0x02, 0x00, 0x0c];
    const result = rawResult ? [0, 0, 0, 0] : [0x05, 0x04, 0, 0, 0, 0];
    const body = [0x06, 0x05, params.length, ...params, result.length, ...result];
    const b = new Uint8Array([...primary, 0x03, 0x01, body.length, ...body, ...payload]);
    const parsed = new Bundle(8, 8);
    expect(parsed.parse(b, 0, b.length)).toBe(0);
    const crc = new Crc32c();
    expect(new Canonicalizer().run(parsed, 0, PROFILE_RFC6257, crc)).toBe(0);
    crc.finish(b, parsed.blockStart[1]! - 4);
    return b;
  }
  it("bare-SDNV params and a raw result are Malformed by default and Ok with acceptBare", () => {
    for (const [bp, rr] of [[true, false], [false, true], [true, true]] as const) {
      const b = bareBundle(bp, rr);
      expect(verdicts(verify(b)), `${bp} ${rr}`).toEqual([Verdict.Malformed]);
      expect(verdicts(verify(b, { acceptBare: true })), `${bp} ${rr}`).toEqual([Verdict.Ok]);
    }
    expect(verdicts(verify(bareBundle(false, false)))).toEqual([Verdict.Ok]);
  });
  it("configurable suite ids: 200/201/202 sign and verify; the default ids do not know them", () => {
    const ids = { hmac: 200, md5: 201, crc32: 202 };
    for (const kind of SUITES) {
      const signed = sign(hex(EX1_UNSIGNED), kind, { ids });
      expect(verdicts(verify(signed, { ids }))).toEqual([Verdict.Ok]);
      expect(verdicts(verify(signed))).toEqual([Verdict.UnknownSuite]);
    }
    // And the draft's ids mean nothing under other ids.
    expect(verdicts(verify(hex(EX1_CRC), { ids }))).toEqual([Verdict.UnknownSuite]);
  });
  it("block flags of the PIB are configurable (default 0x01, docs/pib.md)", () => {
    const s = new Signer(8, 8);
    s.blockFlags = 0x10;
    const input = hex(EX1_UNSIGNED);
    const out = new Uint8Array(200);
    const n = s.sign(input, 0, input.length, out, 0, out.length, SuiteKind.Crc32, 0);
    expect(out[50]).toBe(3);
    expect(out[51]).toBe(0x10);
    expect(verdicts(verify(out.slice(0, n)))).toEqual([Verdict.Ok]);
  });
});

describe("sign into a fixed buffer", () => {
  it("one octet too small: NoRoom and not one octet written, guards intact", () => {
    const input = hex(EX1_UNSIGNED);
    const s = new Signer(8, 8);
    for (const kind of SUITES) {
      const need = sign(input, kind).length;
      const buf = new Uint8Array(need + 32).fill(0xa5);
      expect(s.sign(input, 0, input.length, buf, 16, 16 + need - 1, kind, 0)).toBe(-Err.NoRoom);
      expect(buf.every((x) => x === 0xa5)).toBe(true);
      expect(s.sign(input, 0, input.length, buf, 16, 16 + need, kind, 0)).toBe(need);
      expect(buf.subarray(0, 16).every((x) => x === 0xa5)).toBe(true);
      expect(buf.subarray(16 + need).every((x) => x === 0xa5)).toBe(true);
    }
  });
  it.skipIf(!HAVE_CORPUS)("after a BAB: the PIB follows the leading BAB, every other block byte-exact", () => {
    const input = corpusFile("ibrdtn-bab-hmac-sha1.bin");
    const inB = new Bundle(8, 8);
    expect(inB.parse(input, 0, input.length)).toBe(0);
    const signed = sign(input, SuiteKind.Crc32);
    const outB = new Bundle(8, 8);
    expect(outB.parse(signed, 0, signed.length)).toBe(0);
    expect(Array.from(outB.blockType.subarray(0, outB.blockCount))).toEqual([2, 3, 1, 2]);
    const at = outB.blockStart[1]!;
    const pibLen = outB.blockStart[2]! - at;
    expect(toHex(signed.subarray(0, at))).toBe(toHex(input.subarray(0, at)));
    expect(toHex(signed.subarray(at + pibLen))).toBe(toHex(input.subarray(at)));
    expect(verdicts(verify(signed))).toEqual([Verdict.Ok]);
  });
  it("no payload block: NoPayload; unknown suite kind: UnknownSuite", () => {
    const s = new Signer(8, 8);
    const input = hex(EX1_UNSIGNED);
    const out = new Uint8Array(200);
    expect(s.sign(input, 0, input.length, out, 0, out.length, 9, 0)).toBe(-Err.UnknownSuite);
    // Payload turned into an unknown block type 192.
    input[50] = 192;
    expect(s.sign(input, 0, input.length, out, 0, out.length, SuiteKind.Crc32, 0)).toBe(-Err.NoPayload);
  });
});

describe("a Signer sharing a Verifier's digests and canonicalizer", () => {
  it("signs and verifies interleaved exactly as two independent objects do", () => {
    const v = new Verifier(8, 8, 4);
    const s = new Signer(8, 8, v);
    expect(s.digests_).toBe(v.digests_);
    expect(s.canon).toBe(v.canon);
    const input = hex(EX1_UNSIGNED);
    const out = new Uint8Array(200);
    for (const [kind, want] of [[SuiteKind.Crc32, EX1_CRC], [SuiteKind.Md5, EX1_MD5], [SuiteKind.Hmac, EX1_HMAC]] as const) {
      expect(v.verifyAll(hex(EX1_CRC), 0, 82)).toBe(1);
      const n = s.sign(input, 0, input.length, out, 0, out.length, kind, 0);
      expect(toHex(out.subarray(0, n))).toBe(want);
      expect(v.verifyAll(out, 0, n)).toBe(1);
      expect(v.verdict[0]).toBe(Verdict.Ok);
    }
  });
  it.skipIf(!HAVE_CORPUS)("refuses an input with more blocks than its table (one more is reserved for the PIB)", () => {
    const s = new Signer(2, 4); // its Bundle holds 3 blocks, for the output
    const input = corpusFile("ibrdtn-bab-hmac-sha1.bin"); // 3 blocks
    const out = new Uint8Array(input.length + 64);
    expect(s.sign(input, 0, input.length, out, 0, out.length, SuiteKind.Crc32, 0)).toBe(-Err.TooManyBlocks);
  });
});

describe("names a person reads", () => {
  it("INSECURE wherever it applies; NULL-keyed HMAC says no security", () => {
    expect(suiteName(SuiteKind.Md5, -1)).toBe("PIB-INSECURE-MD5");
    expect(suiteName(SuiteKind.Crc32, -1)).toBe("PIB-INSECURE-CRC32");
    expect(suiteName(SuiteKind.Hmac, 0)).toBe("PIB-HMAC (NULL key — no security)");
    expect(suiteName(SuiteKind.Hmac, 3)).toBe("PIB-HMAC");
    expect(isUnauthenticated(SuiteKind.Hmac, 0)).toBe(true);
    expect(isUnauthenticated(SuiteKind.Hmac, 3)).toBe(false);
  });
  it("describePibs lists suite, name, key id, range, result and verdict", () => {
    const v = verify(hex(EX1_HMAC));
    expect(describePibs(v, errorName)).toEqual([
      {
        block: 0,
        blockOffset: 50,
        blockType: 3,
        suite: 4,
        suiteName: "PIB-HMAC (NULL key — no security)",
        keyId: 0,
        offset: 0,
        length: 12,
        result: "1e97315fc98653b9d67b",
        verdict: "ok",
        verdictCode: Verdict.Ok,
        code: 0,
      },
    ]);
    const c = describePibs(verify(hex(EX1_CRC)), errorName)[0]!;
    expect(c.suiteName).toBe("PIB-INSECURE-CRC32");
    expect(c.keyId).toBeNull();
  });
});

/*
 * Property: for random bundles (random EIDs and dictionary order, flags with reserved
 * and high bits, 64-bit times, unknown extension blocks, foreign PIBs with EID
 * references after ours, random payloads) the result `sign` writes equals node:crypto /
 * @node-rs/crc32 over a canonical form built independently here with BigInt, straight
 * from the canonical form of docs/pib.md (profile R) and its named profiles (DTN2, IBR) — and
 * `verify` accepts it.
 */
describe("property: sign = node:crypto over independent R, DTN2 and IBR canonical forms", () => {
  const enc = new TextEncoder();
  function sdnv(v: bigint): number[] {
    const out = [Number(v & 0x7fn)];
    for (v >>= 7n; v > 0n; v >>= 7n) out.unshift(Number(v & 0x7fn) | 0x80);
    return out;
  }
  const u32 = (v: number) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
  const u64 = (v: bigint) => [...u32(Number((v >> 32n) & 0xffffffffn)), ...u32(Number(v & 0xffffffffn))];
  const part = fc.stringMatching(/^[a-z0-9/.]{1,12}$/);
  const eid = fc.tuple(part, part);
  const big = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
  const model = fc.record({
    dest: eid, src: eid, rpt: eid, cust: eid, extra: eid,
    flags: fc.bigInt({ min: 0n, max: (1n << 40n) - 1n }).map((f) => f & ~1n), // not a fragment
    ctime: big, seq: big, life: big,
    reverseDict: fc.boolean(),
    payload: fc.uint8Array({ maxLength: 300 }),
    payloadFlags: fc.constantFrom(0, 0x01, 0x10, 0x20, 0x02),
    unknownBlock: fc.boolean(),
    foreignPib: fc.boolean(),
    foreignResult: fc.uint8Array({ minLength: 1, maxLength: 20 }),
    kind: fc.constantFrom(SuiteKind.Hmac, SuiteKind.Md5, SuiteKind.Crc32),
  });
  type M = typeof model extends fc.Arbitrary<infer T> ? T : never;

  /** Bundle bytes (dictionary in insertion or reverse order) and what the canon needs. */
  function build(m: M) {
    const strings: string[] = [];
    const add = (s: string) => { if (!strings.includes(s)) strings.push(s); };
    for (const e of [m.dest, m.src, m.rpt, m.cust, m.extra]) { add(e[0]); add(e[1]); }
    if (m.reverseDict) strings.reverse();
    const dict: number[] = [];
    const at = new Map<string, number>();
    for (const s of strings) { at.set(s, dict.length); dict.push(...enc.encode(s), 0); }
    const ref = (e: [string, string]) => [...sdnv(BigInt(at.get(e[0])!)), ...sdnv(BigInt(at.get(e[1])!))];
    const body = [...ref(m.dest), ...ref(m.src), ...ref(m.rpt), ...ref(m.cust), ...sdnv(m.ctime), ...sdnv(m.seq), ...sdnv(m.life), ...sdnv(BigInt(dict.length)), ...dict];
    const primary = [6, ...sdnv(m.flags), ...sdnv(BigInt(body.length)), ...body];
    const blocks: number[] = [];
    if (m.unknownBlock) blocks.push(192, 0x10, 3, 1, 2, 3);
    let foreign: number[] = [];
    if (m.foreignPib) {
      // RFC 6257 PIB-RSA-SHA256 shape with a security-destination reference: cs 2, flags dest|res.
      foreign = [2, 0x09, ...sdnv(BigInt(m.foreignResult.length + 2)), 5, m.foreignResult.length, ...m.foreignResult];
      blocks.push(3, 0x40, 1, ...ref(m.extra), ...sdnv(BigInt(foreign.length)), ...foreign);
    }
    blocks.push(1, m.payloadFlags | 0x08, ...sdnv(BigInt(m.payload.length)), ...m.payload);
    return { bytes: new Uint8Array([...primary, ...blocks]), foreign };
  }

  function canonR(m: M, pib: Uint8Array, foreign: number[]): Uint8Array {
    const text = (e: [string, string]) => [...enc.encode(e[0] + ":" + e[1])];
    const d = text(m.dest), s = text(m.src), r = text(m.rpt);
    const out: number[] = [6, ...u64(m.flags & 0x7c1ben), ...u32(1 + 8 + 4 + 4 + d.length + 4 + s.length + 4 + r.length + 24)];
    out.push(...u32(d.length), ...d, ...u32(s.length), ...s, ...u32(r.length), ...r, ...u64(m.ctime), ...u64(m.seq), ...u64(m.life));
    const f = pibFields(pib);
    out.push(3, ...u64(0x01n), ...u64(BigInt(f.len)), ...u64(BigInt(f.csId)), ...u64(5n), ...u64(BigInt(f.paramsLen)), ...f.params, ...u64(BigInt(f.resultLen)));
    if (m.foreignPib) {
      out.push(3, ...u64(0x40n), ...text(m.extra), ...u64(BigInt(foreign.length)), ...u64(2n), ...u64(9n), ...u64(BigInt(foreign[2]!)), ...foreign.slice(3));
    }
    out.push(1, ...u64(BigInt(m.payloadFlags & 0x77)), ...u64(BigInt(m.payload.length)), ...m.payload);
    return new Uint8Array(out);
  }

  /** The current PIB's ASB fields, read back from what sign wrote. */
  function pibFields(pib: Uint8Array) {
    expect([pib[0], pib[1]]).toEqual([3, 0x01]);
    const len = pib[2]!; // < 128 for every suite here
    const asb = pib.subarray(3, 3 + len);
    const paramsLen = asb[2]!;
    return { len, csId: asb[0]!, paramsLen, params: [...asb.subarray(3, 3 + paramsLen)], resultLen: asb[3 + paramsLen]! };
  }

  /** DTN2 2013+ (docs/pib.md, named profiles): no colon, mask 0x57, blocks strictly after the current PIB, raw bodies. */
  function canonDtn2(m: M, foreign: number[]): Uint8Array {
    const text = (e: [string, string]) => [...enc.encode(e[0] + e[1])];
    const d = text(m.dest), s = text(m.src), r = text(m.rpt);
    const out: number[] = [6, ...u64(m.flags & 0x7c1ben), ...u32(1 + 8 + 4 + 12 + d.length + s.length + r.length + 24)];
    out.push(...u32(d.length), ...d, ...u32(s.length), ...s, ...u32(r.length), ...r, ...u64(m.ctime), ...u64(m.seq), ...u64(m.life));
    if (m.foreignPib) out.push(3, ...u64(0x40n), ...text(m.extra), ...u64(BigInt(foreign.length)), ...foreign);
    out.push(1, ...u64(BigInt(m.payloadFlags & 0x57)), ...u64(BigInt(m.payload.length)), ...m.payload);
    return new Uint8Array(out);
  }

  /** IBR-DTN (docs/pib.md, named profiles): u32 0/1 flags, short primary length, u32 before block EIDs, synthetic lengths, no results. */
  function canonIbr(m: M, pib: Uint8Array, foreign: number[]): Uint8Array {
    const text = (e: [string, string]) => [...enc.encode(e[0] + ":" + e[1])];
    const d = text(m.dest), s = text(m.src), r = text(m.rpt);
    const out: number[] = [6, ...u32((m.flags & 0x7c1ben) !== 0n ? 1 : 0), ...u32(12 + d.length + s.length + r.length + 24)];
    out.push(...u32(d.length), ...d, ...u32(s.length), ...s, ...u32(r.length), ...r, ...u64(m.ctime), ...u64(m.seq), ...u64(m.life));
    const f = pibFields(pib);
    out.push(3, ...u32(1), ...u64(BigInt(16 + 8 + f.paramsLen + 8 + f.resultLen)), ...u64(BigInt(f.csId)), ...u64(5n));
    out.push(...u64(BigInt(f.paramsLen)), ...f.params, ...u64(BigInt(f.resultLen)));
    if (m.foreignPib) {
      const x = text(m.extra);
      out.push(3, ...u32(1), ...u32(x.length), ...x, ...u64(BigInt(16 + 8 + foreign[2]!)), ...u64(2n), ...u64(9n), ...u64(BigInt(foreign[2]!)));
    }
    out.push(1, ...u32((m.payloadFlags & 0x77) !== 0 ? 1 : 0), ...u64(BigInt(m.payload.length)), ...m.payload);
    return new Uint8Array(out);
  }

  const nullKey = hex("c37b7e6492584340bed12207808941155068f738");
  function reference(kind: number, canon: Uint8Array): string {
    if (kind === SuiteKind.Md5) return createHash("md5").update(canon).digest("hex");
    if (kind === SuiteKind.Hmac) return createHmac("sha1", nullKey).update(canon).digest("hex").slice(0, 20);
    const c = crc32c(Buffer.from(canon)) >>> 0;
    return Buffer.from([c & 255, (c >>> 8) & 255, (c >>> 16) & 255, c >>> 24]).toString("hex"); // LSB first
  }

  for (const p of [PROFILE_RFC6257, PROFILE_DTN2, PROFILE_IBR]) {
    it(`${p.name}: holds for 200 random bundles`, () => {
      fc.assert(
        fc.property(model, (m) => {
          const { bytes, foreign } = build(m);
          const signed = sign(bytes, m.kind, { profile: p });
          const b = new Bundle(8, 8);
          expect(b.parse(signed, 0, signed.length)).toBe(0);
          const pib = signed.subarray(b.blockStart[0]!, b.blockStart[1]!);
          const canon = p === PROFILE_DTN2 ? canonDtn2(m, foreign) : p === PROFILE_IBR ? canonIbr(m, pib, foreign) : canonR(m, pib, foreign);
          expect(resultOf(signed)).toBe(reference(m.kind, canon));
          expect(verdicts(verify(signed, { profile: p }))).toEqual(m.foreignPib ? [Verdict.Ok, Verdict.UnknownSuite] : [Verdict.Ok]);
        }),
        { numRuns: 200, seed: 20260323 },
      );
    });
  }
});
