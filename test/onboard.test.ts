/**
 * The on-board PIB path (src/onboard/, RFC 6257 profile R, suites 4/5/6) against the
 * ground path (src/ground/pib.ts with default options) as the reference: the worked examples
 * (test/support/pibVectors.ts), every single-bit flip of them, the 38 real bundles of
 * the external corpus and its malformed/ (skipped with a message when it is missing),
 * keyed PIB-HMAC through a KeyTable with a pending rollover, the budget over a sequence
 * of calls, guard octets around sign's output and an input that must stay untouched.
 * The comparison itself is shown to fail on a deliberately wrong ground. Fuzzing:
 * test/onboard-fuzz.test.ts.
 */
import { describe, expect, it } from "vitest";
import { Bundle } from "../src/ground/bundle.js";
import { errorName } from "../src/core/errorText.js";
import { Err } from "../src/core/errors.js";
import type { HmacSha1 } from "../src/core/hmac.js";
import type { KeyLookup } from "../src/core/keyLookup.js";
import { KeyTable } from "../src/ground/keys.js";
import { Signer, Verifier } from "../src/ground/pib.js";
import { Verdict } from "../src/core/verdict.js";
import { PROFILE_IBR } from "../src/ground/profiles.js";
import { Signer as OnboardSigner, Verifier as OnboardVerifier } from "../src/onboard/index.js";
import { SuiteKind } from "../src/core/suites.js";
import { buildBundle, diffKeys, diffSign, diffVerify, Diffs, GUARD_BYTE, lastGround, signedOutput, SignScratch, withoutBlock } from "./onboardHelpers.js";
import { corpusBundles, corpusFile, corpusFolder, extraBundles, EX1_CRC, EX1_HMAC, EX1_MD5, EX1_UNSIGNED, EX2, hex, needsCorpus, toHex } from "./support/pibVectors.js";

const HAVE_CORPUS = needsCorpus(
  "38 corpus bundles and malformed/ (on-board = ground), and the 4 corpus inputs of the sharing and budget tests (those run on the worked examples alone)",
);
/** Corpus bundles to add to a list of inputs, when the corpus is there. */
const fromCorpus = (...names: string[]): Uint8Array[] => (HAVE_CORPUS ? names.map(corpusFile) : []);

const SUITES = [SuiteKind.Hmac, SuiteKind.Md5, SuiteKind.Crc32];
const SIGNED: Array<[string, string, number]> = [
  ["PIB-INSECURE-CRC32", EX1_CRC, SuiteKind.Crc32],
  ["PIB-INSECURE-MD5", EX1_MD5, SuiteKind.Md5],
  ["PIB-HMAC (NULL key)", EX1_HMAC, SuiteKind.Hmac],
];

/** The worked bundles every mutation sweep starts from: the three §5.3 PIBs and the §4.6 fragment. */
const WORKED: ReadonlyArray<readonly [string, string]> = [...SIGNED.map((s) => [s[0], s[1]] as const), ["§4.6 fragment", EX2] as const];

function pair(maxBlocks = 16, maxEidRefs = 16, maxPibs = 8): { ground: Verifier; onboard: OnboardVerifier } {
  return { ground: new Verifier(maxBlocks, maxEidRefs, maxPibs), onboard: new OnboardVerifier(maxBlocks, maxEidRefs, maxPibs) };
}

function signers(maxBlocks = 16, maxEidRefs = 16): { ground: Signer; onboard: OnboardSigner } {
  return { ground: new Signer(maxBlocks, maxEidRefs), onboard: new OnboardSigner(maxBlocks, maxEidRefs) };
}

/** Ground-signed copy of `input` with one PIB of `kind` (NULL key for HMAC). */
function groundSign(input: Uint8Array, kind: number, keys: KeyTable | null = null, keyId = 0): Uint8Array {
  const s = new Signer(16, 16);
  s.keys = keys;
  const out = new Uint8Array(input.length + 64);
  const n = s.sign(input, 0, input.length, out, 0, out.length, kind, keyId);
  expect(n, errorName(n)).toBeGreaterThan(0);
  return out.slice(0, n);
}

function leanSign(input: Uint8Array, kind: number, keyId = 0): Uint8Array {
  const s = new OnboardSigner(8, 8);
  const out = new Uint8Array(input.length + 64);
  const n = s.sign(input, 0, input.length, out, 0, out.length, kind, keyId);
  expect(n, n < 0 ? errorName(n) : "").toBeGreaterThan(0);
  return out.slice(0, n);
}

describe("the comparison finds a difference when there is one", () => {
  /** A verifier that checks a copy of its input with one octet flipped. */
  class FlippingVerifier extends Verifier {
    at: number;
    constructor(at: number) {
      super(16, 16, 8);
      this.at = at;
    }
    override verifyAll(buf: Uint8Array, off: number, end: number): number {
      const copy = buf.slice();
      copy[off + this.at]! ^= 0x01;
      return super.verifyAll(copy, off, end);
    }
  }
  /** A verifier that writes to its input and puts it back only after the call returns. */
  class ScribblingVerifier extends Verifier {
    override verifyAll(buf: Uint8Array, off: number, end: number): number {
      buf[off]! ^= 0xff;
      return super.verifyAll(buf, off, end);
    }
  }
  class CountingVerifier extends Verifier {
    override verifyAll(buf: Uint8Array, off: number, end: number): number {
      const n = super.verifyAll(buf, off, end);
      this.bytes += 1;
      return n;
    }
  }
  /** A signer that writes one octet past the end of what it returns. */
  class SpillingSigner extends Signer {
    override sign(inBuf: Uint8Array, inOff: number, inEnd: number, out: Uint8Array, outOff: number, outEnd: number, kind: number, keyId: number): number {
      const n = super.sign(inBuf, inOff, inEnd, out, outOff, outEnd, kind, keyId);
      if (n > 0) out[outOff + n] = 0;
      return n;
    }
  }

  it("a ground Verifier with profile IBR differs from the default on §5.3", () => {
    const wrong = new Verifier(16, 16, 8);
    wrong.profile = PROFILE_IBR;
    const d = diffVerify(new Verifier(16, 16, 8), wrong, hex(EX1_CRC), 0, 82);
    expect(d).toMatch(/PIB 0: verdict 1, ground 0/);
  });
  it("a verifier that sees one flipped payload octet differs; one that writes to its input is caught", () => {
    expect(diffVerify(new Verifier(16, 16, 8), new FlippingVerifier(70), hex(EX1_CRC), 0, 82)).toMatch(/verdict/);
    const b = hex(EX1_CRC);
    expect(diffVerify(new Verifier(16, 16, 8), new ScribblingVerifier(16, 16, 8), b, 0, 82)).toBe("verifyAll wrote to its input buffer");
    expect(toHex(b)).toBe(EX1_CRC);
    expect(diffVerify(new Verifier(16, 16, 8), new CountingVerifier(16, 16, 8), b, 0, 82)).toMatch(/^bytes 83 after the call, ground 82/);
  });
  it("capacity: a verifier with fewer PIB slots or blocks differs in sign of the return", () => {
    const thrice = groundSign(groundSign(hex(EX1_CRC), SuiteKind.Md5), SuiteKind.Hmac);
    expect(diffVerify(new Verifier(16, 16, 8), new Verifier(16, 16, 2), thrice, 0, thrice.length)).toMatch(/returned -48 \(TooManyPibs\), ground 3/);
    expect(diffVerify(new Verifier(16, 16, 8), new Verifier(3, 16, 8), thrice, 0, thrice.length)).toMatch(/TooManyBlocks/);
  });
  it("sign: other block flags, a stray octet past the output, a smaller table", () => {
    const input = hex(EX1_UNSIGNED);
    const scratch = new SignScratch(256);
    const flags = new Signer(16, 16);
    flags.blockFlags = 0x10;
    expect(diffSign(new Signer(16, 16), flags, input, 0, input.length, SuiteKind.Crc32, 0, 3, 120, scratch)).toMatch(/differs at octet 51 of 82/);
    expect(diffSign(new Signer(16, 16), new SpillingSigner(16, 16), input, 0, input.length, SuiteKind.Md5, 0, 0, 120, scratch)).toMatch(/wrote octet 94 .* outside its 94 octets/);
    expect(diffSign(new Signer(16, 16), new Signer(0, 16), input, 0, input.length, SuiteKind.Md5, 0, 0, 120, scratch)).toMatch(/TooManyBlocks/);
    // And the same ground signer twice agrees with itself.
    expect(diffSign(new Signer(16, 16), new Signer(16, 16), input, 0, input.length, SuiteKind.Hmac, 0, 5, 120, scratch)).toBeNull();
  });
  it("key tables: one with a rollover pending differs from one without", () => {
    const a = new KeyTable(2, 4);
    const b = new KeyTable(2, 4);
    const k = hex("0102030405060708090a0b0c0d0e0f1011121314");
    a.install(7, k, 0, 20);
    b.install(7, k, 0, 20);
    expect(diffKeys(a, b, [7])).toBeNull();
    b.rollover(7, hex("a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4"), 0, 20);
    expect(diffKeys(a, b, [7])).toMatch(/count 2, ground 1/);
  });
});

describe("worked examples: on-board = ground, and the published octets", () => {
  it("§2.7 bundle without a PIB: zero PIBs on both", () => {
    const p = pair();
    const b = hex(EX1_UNSIGNED);
    expect(diffVerify(p.ground, p.onboard, b, 0, b.length)).toBeNull();
    expect(p.onboard.count).toBe(0);
  });
  for (const [label, h, kind] of SIGNED) {
    it(`§5.3 ${label}: verifies ok on the on-board path`, () => {
      const p = pair();
      const b = hex(h);
      expect(diffVerify(p.ground, p.onboard, b, 0, b.length)).toBeNull();
      expect(p.onboard.verifyAll(b, 0, b.length)).toBe(1);
      expect(p.onboard.verdict[0]).toBe(Verdict.Ok);
      expect(p.onboard.kind[0]).toBe(kind);
      expect(p.onboard.allOk()).toBe(true);
    });
    it(`§5.3 ${label}: the on-board signer reproduces the bundle byte for byte`, () => {
      expect(toHex(leanSign(hex(EX1_UNSIGNED), kind, 0))).toBe(h);
      const s = signers();
      const input = hex(EX1_UNSIGNED);
      expect(diffSign(s.ground, s.onboard, input, 0, input.length, kind, 0, 0, 200, new SignScratch(256))).toBeNull();
    });
  }
  it("§4.5: the CRC-32C of the profile-R stream, 0x81E1F50A, is what the on-board signer writes (octets 0a f5 e1 81)", () => {
    const out = leanSign(hex(EX1_UNSIGNED), SuiteKind.Crc32);
    expect(toHex(out.subarray(63, 67))).toBe("0af5e181");
  });
  it("§4.6 fragment with a security-destination reference: ok on both, range 7+5", () => {
    const p = pair();
    const b = hex(EX2);
    expect(diffVerify(p.ground, p.onboard, b, 0, b.length)).toBeNull();
    expect(p.onboard.verdict[0]).toBe(Verdict.Ok);
    // Its range made to disagree with the fragment: skipped on both.
    b[b.length - 16] = 0x04;
    expect(diffVerify(p.ground, p.onboard, b, 0, b.length)).toBeNull();
    expect(p.onboard.verdict[0]).toBe(Verdict.SkippedFragment);
  });
  it("§4.6 fragment without its PIB: on-board and ground sign it alike, range (7, 5), every suite", () => {
    const unsigned = withoutBlock(hex(EX2), 0);
    const s = signers();
    const scratch = new SignScratch(256);
    const v = new Verifier(8, 8, 4);
    for (const kind of SUITES) {
      expect(diffSign(s.ground, s.onboard, unsigned, 0, unsigned.length, kind, 0, 0, 200, scratch)).toBeNull();
      const signed = leanSign(unsigned, kind);
      expect(v.verifyAll(signed, 0, signed.length)).toBe(1);
      expect([v.verdict[0], v.rangeOff[0], v.rangeLen[0]]).toEqual([Verdict.Ok, 7, 5]);
    }
  });
  it("three PIBs (LIFO): equal verdicts, and equal after the innermost result is corrupted", () => {
    const thrice = groundSign(groundSign(groundSign(hex(EX1_UNSIGNED), SuiteKind.Crc32), SuiteKind.Md5), SuiteKind.Hmac);
    const p = pair();
    expect(diffVerify(p.ground, p.onboard, thrice, 0, thrice.length)).toBeNull();
    expect(Array.from(p.onboard.verdict.subarray(0, 3))).toEqual([Verdict.Ok, Verdict.Ok, Verdict.Ok]);
    thrice[thrice.length - 18]! ^= 1;
    expect(diffVerify(p.ground, p.onboard, thrice, 0, thrice.length)).toBeNull();
    expect(Array.from(p.onboard.verdict.subarray(0, 3))).toEqual([Verdict.Mismatch, Verdict.Mismatch, Verdict.Mismatch]);
    // The on-board signer adds a fourth in front, as the ground one does.
    const s = signers();
    expect(diffSign(s.ground, s.onboard, thrice, 0, thrice.length, SuiteKind.Crc32, 0, 0, 300, new SignScratch(300))).toBeNull();
  });
});

describe("CBHE node numbers up to 2^53 - 1: the decimal text exact to the last digit (...991 never written as ...992)", () => {
  /** CBHE (RFC 6260, dictionary length 0) with report-to ipn:<node>.128: profile R digests it as decimal text (docs/pib.md R3; CBHE EIDs as ipn text). */
  function cbhe(node: number): Uint8Array {
    return buildBundle({
      cbhe: true,
      eids: [],
      ipn: [[1, 1], [2, 2], [node, 128], [0, 0]],
      flags: 0x28098,
      fragment: false,
      fragOffset: [0, 0],
      totalLength: 0,
      ctime: [0, 1],
      seq: [0, 1],
      lifetime: [0, 3600],
      before: [],
      payload: new Uint8Array([1, 2, 3]),
      payloadFlags: 0,
      after: [],
    });
  }
  it("sign and verifyAll agree for nodes 2^53 - 49 … 2^53 - 1", () => {
    const scratch = new SignScratch(256);
    const p = pair(8, 8, 4);
    const s = signers(8, 8);
    for (const node of [2 ** 53 - 49, 2 ** 53 - 48, 9007199254740967, 2 ** 53 - 1]) {
      const input = cbhe(node);
      for (const kind of SUITES) {
        expect(diffSign(s.ground, s.onboard, input, 0, input.length, kind, 0, 0, 200, scratch), `node ${node} kind ${kind}`).toBeNull();
        const signed = groundSign(input, kind);
        expect(diffVerify(p.ground, p.onboard, signed, 0, signed.length)).toBeNull();
        expect(p.onboard.verdict[0], `node ${node} kind ${kind}`).toBe(Verdict.Ok);
      }
    }
  });
});

describe("payload and fragment-offset lengths at SDNV width boundaries", () => {
  /** Example 1's primary with a fragment offset (or none) and a payload of n octets. */
  function bundle(n: number, frag: [number, number] | null): Uint8Array {
    const payload = new Uint8Array(n);
    for (let i = 0; i < n; i++) payload[i] = (i * 7 + 3) & 0xff;
    return buildBundle({
      cbhe: false,
      eids: ["dtn://dst/app", "dtn://src/app", "dtn:none", "dtn:none"],
      ipn: [],
      flags: 0x28098,
      fragment: frag !== null,
      fragOffset: frag ?? [0, 0],
      totalLength: 0,
      ctime: [0, 258508800],
      seq: [0, 1],
      lifetime: [0, 3600],
      before: [],
      payload,
      payloadFlags: 0,
      after: [],
    });
  }
  it("payloads of 0 … 2^21 + 1 octets (1- to 4-octet length SDNVs): equal signatures, Ok on both", () => {
    const p = pair();
    const s = signers();
    for (const n of [0, 1, 127, 128, 16383, 16384, 65535, 65536, 2 ** 21 - 1, 2 ** 21 + 1]) {
      const input = bundle(n, null);
      const scratch = new SignScratch(input.length + 64);
      for (const kind of SUITES) {
        expect(diffSign(s.ground, s.onboard, input, 0, input.length, kind, 0, 0, input.length + 64, scratch), `n ${n} kind ${kind}`).toBeNull();
        const signed = signedOutput(scratch, 0, lastGround.sign);
        expect(diffVerify(p.ground, p.onboard, signed, 0, signed.length)).toBeNull();
        expect(p.onboard.verdict[0], `n ${n} kind ${kind}`).toBe(Verdict.Ok);
      }
    }
  });
  it("fragment offsets 127 … 2^64 - 1: equal signatures (or equal refusals above 2^53 - 1), equal verdicts", () => {
    const p = pair();
    const s = signers();
    const scratch = new SignScratch(256);
    for (const frag of [[0, 127], [0, 128], [0, 16384], [0, 0xffffffff], [1, 0], [0x1fffff, 0xffffffff], [0x200000, 0], [0xffffffff, 0xffffffff]] as Array<[number, number]>) {
      const input = bundle(5, frag);
      for (const kind of SUITES) {
        expect(diffSign(s.ground, s.onboard, input, 0, input.length, kind, 0, 0, 200, scratch), `frag ${frag} kind ${kind}`).toBeNull();
        const n = lastGround.sign;
        if (n < 0) continue;
        const signed = signedOutput(scratch, 0, n);
        expect(diffVerify(p.ground, p.onboard, signed, 0, signed.length)).toBeNull();
        expect(p.onboard.verdict[0], `frag ${frag} kind ${kind}`).toBe(Verdict.Ok);
      }
    }
  });
});

describe("a Signer sharing its Verifier's state (the contract's `share`)", () => {
  it("interleaved verify and sign give what two ground objects sharing alike give", () => {
    const gv = new Verifier(8, 8, 4);
    const gs = new Signer(8, 8, gv);
    const lv = new OnboardVerifier(8, 8, 4);
    const ls = new OnboardSigner(8, 8, lv);
    const scratch = new SignScratch(256);
    const inputs = [hex(EX1_UNSIGNED), hex(EX1_CRC), hex(EX2), withoutBlock(hex(EX2), 0), ...fromCorpus("ibrdtn-bab-hmac-sha1.bin")];
    for (const a of inputs) {
      for (const b of inputs) {
        for (const kind of SUITES) {
          expect(diffVerify(gv, lv, a, 0, a.length)).toBeNull();
          expect(diffSign(gs, ls, b, 0, b.length, kind, 0, 0, 250, scratch)).toBeNull();
          const signed = groundSign(b, kind);
          expect(diffVerify(gv, lv, signed, 0, signed.length)).toBeNull();
          expect(lv.verdict[0]).toBe(Verdict.Ok);
        }
      }
    }
  });
});

describe("every single-bit flip of the §5.3 and §4.6 bundles: equal verdicts, equal signatures", () => {
  for (const [label, h] of WORKED) {
    it(label, () => {
      const p = pair(8, 8, 4);
      const s = signers(8, 8);
      const scratch = new SignScratch(256);
      const diffs = new Diffs();
      const seen = [0, 0, 0, 0, 0, 0, 0];
      let rejected = 0;
      const clean = hex(h);
      for (let bit = 0; bit < clean.length * 8; bit++) {
        const b = clean.slice();
        b[bit >> 3]! ^= 1 << (bit & 7);
        diffs.add(diffVerify(p.ground, p.onboard, b, 0, b.length), `bit ${bit}`);
        if (p.ground.count < 1) rejected++;
        else seen[p.ground.verdict[0]!]!++;
        for (const kind of SUITES) diffs.add(diffSign(s.ground, s.onboard, b, 0, b.length, kind, 0, 0, 200, scratch), `bit ${bit} sign ${kind}`);
      }
      expect(diffs.summary()).toEqual([]);
      // The flips reach parse errors, mismatches and other verdicts alike.
      expect(rejected).toBeGreaterThan(0);
      expect(seen[Verdict.Mismatch]).toBeGreaterThan(0);
      expect(seen[Verdict.Ok]).toBeGreaterThan(0); // flips in what canonicalization leaves out
    });
  }
});

describe("every SDNV of the §5.3 and §4.6 bundles re-encoded: padded, and with high bits set", () => {
  /** SDNV octets of v, at least minLen of them (leading 0x80s). */
  function sdnv(v: bigint, minLen: number): number[] {
    const out = [Number(v & 0x7fn)];
    for (v >>= 7n; v > 0n; v >>= 7n) out.unshift(Number(v & 0x7fn) | 0x80);
    while (out.length < minLen) out.unshift(0x80);
    return out;
  }
  /** The SDNV that ends right before `to` starts where? (its earlier octets have bit 7 set) */
  function sdnvStart(b: Uint8Array, to: number): number {
    let p = to - 1;
    while (p > 0 && b[p - 1]! & 0x80) p--;
    return p;
  }
  /**
   * `b` (= `clean` with `delta` octets more at `at`) with the length of the block (or
   * the primary block) around `at` grown by `delta`, as a writer would have encoded it.
   */
  function withLength(clean: Uint8Array, at: number, b: Uint8Array, delta: number): Uint8Array {
    const g = new Bundle(16, 16);
    if (g.parse(clean, 0, clean.length) < 0) return b;
    let lenEnd = -1;
    let len = 0;
    const bodyStart = g.primaryEnd - g.primaryLength;
    if (at >= bodyStart && at < g.primaryEnd) [lenEnd, len] = [bodyStart, g.primaryLength];
    for (let i = 0; i < g.blockCount; i++) {
      if (at >= g.blockDataOff[i]! && at < g.blockDataOff[i]! + g.blockDataLen[i]!) [lenEnd, len] = [g.blockDataOff[i]!, g.blockDataLen[i]!];
    }
    if (lenEnd < 0) return b;
    const from = sdnvStart(clean, lenEnd);
    return new Uint8Array([...b.subarray(0, from), ...sdnv(BigInt(len + delta), 0), ...b.subarray(lenEnd)]);
  }
  for (const [label, h] of WORKED) {
    it(label, () => {
      const p = pair(8, 8, 4);
      const s = signers(8, 8);
      const scratch = new SignScratch(256);
      const diffs = new Diffs();
      const clean = hex(h);
      let ok = 0;
      // Every octet is taken as the start of an SDNV: most are not, and that is fine too.
      for (let at = 0; at < clean.length; at++) {
        let end = at;
        let v = 0n;
        while (end < clean.length && clean[end]! & 0x80) v = (v << 7n) | BigInt(clean[end++]! & 0x7f);
        if (end >= clean.length || end - at > 8) continue;
        v = (v << 7n) | BigInt(clean[end++]!);
        const variants = [sdnv(v, end - at + 1), sdnv(v, 9), sdnv(v, 11), sdnv(v + (1n << 32n), 0), sdnv(v + (1n << 53n), 0), sdnv(v + (1n << 63n), 0), sdnv(v + (1n << 64n), 0)];
        for (const [k, enc] of variants.entries()) {
          const b = new Uint8Array([...clean.subarray(0, at), ...enc, ...clean.subarray(end)]);
          // As it is (the enclosing length now wrong), and with the enclosing block's length fixed up.
          for (const [fixed, x] of [[false, b], [true, withLength(clean, at, b, enc.length - (end - at))]] as const) {
            const ctx = `octet ${at} variant ${k}${fixed ? " length fixed" : ""}`;
            diffs.add(diffVerify(p.ground, p.onboard, x, 0, x.length), ctx);
            if (p.ground.count > 0 && p.ground.verdict[0] === Verdict.Ok) ok++;
            for (const kind of SUITES) diffs.add(diffSign(s.ground, s.onboard, x, 0, x.length, kind, 0, 0, 250, scratch), `${ctx} sign ${kind}`);
          }
        }
      }
      expect(diffs.summary()).toEqual([]);
      expect(ok).toBeGreaterThan(0); // padded forms are legal (RFC 6256 §3.1)
    });
  }
});

describe.runIf(HAVE_CORPUS)("corpus: on-board = ground on every real bundle", () => {
  const files = corpusBundles();
  const malformed = corpusFolder("malformed").map((f) => `malformed/${f}`);
  it("has 38 bundles and the malformed ones", () => {
    expect(files.length).toBe(38);
    expect(malformed.length).toBeGreaterThan(0);
  });
  for (const f of [...files, ...extraBundles(), ...malformed]) {
    it(f, () => {
      const input = corpusFile(f);
      const scratch = new SignScratch(input.length + 300);
      const diffs = new Diffs();
      // Roomy tables, and small ones that some of these bundles overflow.
      for (const [mb, me, mp] of [[16, 16, 8], [4, 4, 1]] as const) {
        const p = pair(mb, me, mp);
        diffs.add(diffVerify(p.ground, p.onboard, input, 0, input.length), `verify ${mb}/${me}/${mp}`);
        const s = signers(mb, me);
        for (const kind of SUITES) {
          diffs.add(diffSign(s.ground, s.onboard, input, 0, input.length, kind, 0, 0, input.length + 64, scratch), `sign ${kind} ${mb}/${me}`);
          diffs.add(diffSign(s.ground, s.onboard, input, 0, input.length, kind, 0, 0, input.length + 5, scratch), `sign ${kind} into too small a buffer`);
        }
      }
      // What the ground signer makes of it, verified by both, and signed again.
      const g = new Signer(16, 16);
      const p = pair();
      const s = signers();
      for (const kind of SUITES) {
        const n = g.sign(input, 0, input.length, scratch.a, 0, scratch.a.length, kind, 0);
        if (n < 0) continue;
        const signed = scratch.a.slice(0, n);
        diffs.add(diffVerify(p.ground, p.onboard, signed, 0, n), `verify signed ${kind}`);
        if (p.onboard.verdict[0] !== Verdict.Ok) diffs.add(`on-board verdict ${p.onboard.verdict[0]} on a ground-signed bundle`, `kind ${kind}`);
        for (const again of SUITES) diffs.add(diffSign(s.ground, s.onboard, signed, 0, n, again, 0, 0, n + 64, new SignScratch(n + 64)), `re-sign ${kind} with ${again}`);
      }
      expect(diffs.summary()).toEqual([]);
    });
  }
  it("the malformed ones are refused by both", () => {
    const p = pair();
    for (const f of malformed) {
      const b = corpusFile(f);
      expect(p.onboard.verifyAll(b, 0, b.length), f).toBeLessThan(0);
    }
  });
});

describe("keyed PIB-HMAC through a KeyTable, with a pending rollover", () => {
  const k1 = hex("0102030405060708090a0b0c0d0e0f1011121314");
  const k2 = hex("a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4");
  const k3 = hex("c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4");
  function table(): KeyTable {
    const t = new KeyTable(4, 8);
    expect(t.install(7, k1, 0, 20)).toBe(0);
    expect(t.install(9, k3, 0, 20)).toBe(0);
    return t;
  }
  it("both keys tried, the first success under the new key retires the old one, on both alike", () => {
    const sender = table();
    const unsigned = hex(EX1_UNSIGNED);
    const old = groundSign(unsigned, SuiteKind.Hmac, sender, 7);
    expect(sender.rollover(7, k2, 0, 20)).toBe(0);
    const fresh = groundSign(unsigned, SuiteKind.Hmac, sender, 7);
    const other = groundSign(unsigned, SuiteKind.Hmac, sender, 9);
    const nullKey = hex(EX1_HMAC);
    const wrong = new KeyTable(2, 4);
    expect(wrong.install(7, k3, 0, 20)).toBe(0);
    const forged = groundSign(unsigned, SuiteKind.Hmac, wrong, 7);
    const unknown = (() => {
      const t = new KeyTable(2, 4);
      expect(t.install(5, k2, 0, 20)).toBe(0);
      return groundSign(unsigned, SuiteKind.Hmac, t, 5);
    })();

    const tg = table();
    const tl = table();
    expect(tg.rollover(7, k2, 0, 20)).toBe(0);
    expect(tl.rollover(7, k2, 0, 20)).toBe(0);
    const p = pair();
    p.ground.keys = tg;
    p.onboard.keys = tl;
    // Expected ground verdicts pin the scenario down; the on-board path must match each step.
    const steps: Array<[string, Uint8Array, number, boolean]> = [
      ["old key while pending", old, Verdict.Ok, true],
      ["forged under key 7", forged, Verdict.Mismatch, true],
      ["key 9", other, Verdict.Ok, true],
      ["NULL key", nullKey, Verdict.Ok, true],
      ["unknown key id 5", unknown, Verdict.UnknownKey, true],
      ["new key: retires the old", fresh, Verdict.Ok, false],
      ["old key after the rollover", old, Verdict.Mismatch, false],
      ["new key again", fresh, Verdict.Ok, false],
    ];
    for (const [label, b, want, pending] of steps) {
      expect(diffVerify(p.ground, p.onboard, b, 0, b.length), label).toBeNull();
      expect(p.ground.verdict[0], label).toBe(want);
      expect(diffKeys(tg, tl, [5, 7, 9]), label).toBeNull();
      expect(tl.rolloverPending(7), label).toBe(pending);
    }
    expect(tl.rolloverSeq).toBe(1);
    // Without a key table, keyed PIBs are UnknownKey on both.
    const q = pair();
    expect(diffVerify(q.ground, q.onboard, fresh, 0, fresh.length)).toBeNull();
    expect(q.onboard.verdict[0]).toBe(Verdict.UnknownKey);
  });
  it("the on-board signer signs with the newest key, byte for byte as the ground one; unknown ids refused alike", () => {
    const tg = table();
    const tl = table();
    const s = signers();
    s.ground.keys = tg;
    s.onboard.keys = tl;
    const input = hex(EX1_UNSIGNED);
    const scratch = new SignScratch(256);
    const check = (label: string, keyId: number) => {
      expect(diffSign(s.ground, s.onboard, input, 0, input.length, SuiteKind.Hmac, keyId, 0, 200, scratch), label).toBeNull();
      expect(diffKeys(tg, tl, [7, 9]), label).toBeNull();
    };
    check("key 7", 7);
    check("key 9", 9);
    check("NULL key", 0);
    check("unknown 8", 8);
    expect(tg.rollover(7, k2, 0, 20)).toBe(0);
    expect(tl.rollover(7, k2, 0, 20)).toBe(0);
    check("key 7 during a rollover", 7);
    // No table at all: only the NULL key signs.
    const bare = signers();
    expect(diffSign(bare.ground, bare.onboard, input, 0, input.length, SuiteKind.Hmac, 7, 0, 200, scratch)).toBeNull();
    expect(bare.onboard.sign(input, 0, input.length, scratch.b, 0, 200, SuiteKind.Hmac, 7)).toBe(-Err.UnknownKey);
  });
});

describe("a KeyTable borrowing its Verifier's HMAC (KeyTable share), key management between checks", () => {
  it("installs and rollovers in between verifications leave equal verdicts and equal tables", () => {
    const k = (b: number) => new Uint8Array(20).fill(b);
    const gv = new Verifier(8, 8, 4);
    const lv = new OnboardVerifier(8, 8, 4);
    const tg = new KeyTable(4, 16, gv);
    const tl = new KeyTable(4, 16, lv as unknown as Verifier);
    gv.keys = tg;
    lv.keys = tl;
    const gs = new Signer(8, 8, gv);
    const ls = new OnboardSigner(8, 8, lv);
    gs.keys = tg;
    ls.keys = tl;
    const input = hex(EX1_UNSIGNED);
    const scratch = new SignScratch(256);
    const sender = new KeyTable(4, 16);
    const signed = (keyId: number) => groundSign(input, SuiteKind.Hmac, sender, keyId);
    const both = (f: (t: KeyTable) => number) => expect(f(tl)).toBe(f(tg));
    expect(sender.install(7, k(1), 0, 20)).toBe(0);
    both((t) => t.install(7, k(1), 0, 20));
    const old7 = signed(7);
    for (const step of ["verify", "install 9", "verify", "rollover 7", "verify new", "verify old", "sign 7", "remove 9", "verify"]) {
      if (step === "install 9") {
        both((t) => t.install(9, k(2), 0, 20));
        expect(sender.install(9, k(2), 0, 20)).toBe(0);
      } else if (step === "rollover 7") {
        both((t) => t.rollover(7, k(3), 0, 20));
        expect(sender.rollover(7, k(3), 0, 20)).toBe(0);
      } else if (step === "remove 9") {
        both((t) => t.remove(9));
      } else if (step === "sign 7") {
        expect(diffSign(gs, ls, input, 0, input.length, SuiteKind.Hmac, 7, 0, 200, scratch)).toBeNull();
      } else {
        for (const b of step === "verify old" ? [old7] : [signed(7), hex(EX1_HMAC), old7]) {
          expect(diffVerify(gv, lv, b, 0, b.length), step).toBeNull();
          expect(diffKeys(tg, tl, [7, 9]), step).toBeNull();
        }
      }
    }
    expect(tl.rolloverSeq).toBe(1);
  });
});

describe("a KeyLookup that is not a KeyTable: three candidates, calls logged", () => {
  /** Candidate keys per id; logs every load and verified call (KeyLookup, src/core/keyLookup.ts). */
  class LoggingKeys implements KeyLookup {
    log: string[] = [];
    constructor(readonly keys: Record<number, Uint8Array[]>) {}
    count(keyId: number): number {
      return this.keys[keyId]?.length ?? 0;
    }
    load(keyId: number, i: number, mac: HmacSha1): void {
      this.log.push(`load ${keyId} ${i}`);
      mac.setKey(this.keys[keyId]![i]!, 0, 20);
    }
    verified(keyId: number, i: number): void {
      this.log.push(`verified ${keyId} ${i}`);
    }
  }
  const k = (b: number) => new Uint8Array(20).fill(b);
  it("the same candidates tried in the same order, the same one reported verified; the newest signs", () => {
    const keys = { 7: [k(1), k(2), k(3)], 9: [k(4)] };
    const s = signers();
    s.ground.keys = new LoggingKeys(keys);
    s.onboard.keys = new LoggingKeys(keys);
    const input = hex(EX1_UNSIGNED);
    const scratch = new SignScratch(256);
    for (const keyId of [7, 9, 0, 5]) expect(diffSign(s.ground, s.onboard, input, 0, input.length, SuiteKind.Hmac, keyId, 0, 200, scratch), `key ${keyId}`).toBeNull();
    expect((s.onboard.keys as LoggingKeys).log).toEqual((s.ground.keys as LoggingKeys).log);
    expect((s.onboard.keys as LoggingKeys).log).toEqual(["load 7 2", "load 9 0"]);
    // Bundles signed with each candidate of key 7, one with a key nobody has, and the NULL key.
    const bundles: Uint8Array[] = [0, 1, 2].map((c) => {
      const one = new LoggingKeys({ 7: keys[7].slice(0, c + 1) });
      const g = new Signer(8, 8);
      g.keys = one;
      const out = new Uint8Array(200);
      return out.slice(0, g.sign(input, 0, input.length, out, 0, 200, SuiteKind.Hmac, 7));
    });
    bundles.push(groundSign(input, SuiteKind.Hmac, (() => { const t = new KeyTable(1, 2); t.install(7, k(9), 0, 20); return t; })(), 7));
    bundles.push(hex(EX1_HMAC));
    const p = pair();
    const gk = new LoggingKeys(keys);
    const lk = new LoggingKeys(keys);
    p.ground.keys = gk;
    p.onboard.keys = lk;
    for (const b of bundles) expect(diffVerify(p.ground, p.onboard, b, 0, b.length)).toBeNull();
    expect(lk.log).toEqual(gk.log);
    expect(gk.log).toEqual(["load 7 0", "verified 7 0", "load 7 0", "load 7 1", "verified 7 1", "load 7 0", "load 7 1", "load 7 2", "verified 7 2", "load 7 0", "load 7 1", "load 7 2"]);
  });
});

describe("budget and bytes over a sequence of calls", () => {
  it("equal after every call, through skips, unlimited and a reset budget", () => {
    const p = pair();
    const inputs = [hex(EX1_CRC), hex(EX1_MD5), hex(EX1_HMAC), hex(EX2), hex(EX1_UNSIGNED)];
    for (const b of fromCorpus("ibrdtn-plain.bin", "dtn2-pi2.bin", "ion-hdtn-ion_bundle.bin")) inputs.push(groundSign(b, SuiteKind.Crc32));
    const thrice = groundSign(groundSign(hex(EX1_CRC), SuiteKind.Md5), SuiteKind.Hmac);
    inputs.push(thrice);
    let skipped = 0;
    for (const budget of [300, 82, 81, 0, -1, 1000, 190]) {
      p.ground.budget = budget;
      p.onboard.budget = budget;
      for (let round = 0; round < 2; round++) {
        for (const b of inputs) {
          expect(diffVerify(p.ground, p.onboard, b, 0, b.length), `budget ${budget}`).toBeNull();
          for (let k = 0; k < p.ground.count; k++) if (p.ground.verdict[k] === Verdict.SkippedBudget) skipped++;
        }
      }
    }
    expect(skipped).toBeGreaterThan(10);
    expect(p.onboard.bytes).toBe(p.ground.bytes);
    expect(p.onboard.bytes).toBeGreaterThan(1000);
  });
});

describe("guard octets and an untouched input", () => {
  it("sign writes exactly [outOff, outOff + n): from one octet too small to roomy, at several offsets", () => {
    const input = hex(EX1_UNSIGNED);
    const s = new OnboardSigner(8, 8);
    for (const [kind, h] of [[SuiteKind.Crc32, EX1_CRC], [SuiteKind.Md5, EX1_MD5], [SuiteKind.Hmac, EX1_HMAC]] as const) {
      const need = h.length / 2;
      for (const outOff of [0, 1, 13]) {
        for (const cap of [0, 1, input.length, need - 1, need, need + 1, need + 40]) {
          const out = new Uint8Array(outOff + cap + 16).fill(GUARD_BYTE);
          const n = s.sign(input, 0, input.length, out, outOff, outOff + cap, kind, 0);
          const wrote = n > 0 ? n : 0;
          expect(n, `cap ${cap}`).toBe(cap >= need ? need : -Err.NoRoom);
          for (let i = 0; i < out.length; i++) {
            if (i < outOff || i >= outOff + wrote) expect(out[i], `kind ${kind} cap ${cap} octet ${i}`).toBe(GUARD_BYTE);
          }
          if (n > 0) expect(toHex(out.subarray(outOff, outOff + n))).toBe(h);
        }
      }
    }
  });
  it("an input inside a larger buffer (off > 0, octets after end): same results, nothing written to it", () => {
    const p = pair();
    const s = signers();
    const scratch = new SignScratch(400);
    for (const h of [EX1_CRC, EX1_MD5, EX1_HMAC, EX2, EX1_UNSIGNED]) {
      const inner = hex(h);
      const buf = new Uint8Array(inner.length + 40).fill(0x3c);
      buf.set(inner, 17);
      expect(diffVerify(p.ground, p.onboard, buf, 17, 17 + inner.length)).toBeNull();
      for (const kind of SUITES) expect(diffSign(s.ground, s.onboard, buf, 17, 17 + inner.length, kind, 0, 9, 200, scratch)).toBeNull();
      // One octet short of the end: both refuse or both agree.
      expect(diffVerify(p.ground, p.onboard, buf, 17, 16 + inner.length)).toBeNull();
      expect(diffSign(s.ground, s.onboard, buf, 17, 16 + inner.length, SuiteKind.Crc32, 0, 0, 200, scratch)).toBeNull();
    }
    // The signed output read back from the scratch verifies on the on-board path.
    const input = hex(EX1_UNSIGNED);
    expect(diffSign(s.ground, s.onboard, input, 0, input.length, SuiteKind.Md5, 0, 4, 200, scratch)).toBeNull();
    const out = signedOutput(scratch, 4, 94);
    expect(toHex(out)).toBe(EX1_MD5);
  });
  it("sign with kinds outside 1..3 is refused by both", () => {
    const s = signers();
    const input = hex(EX1_UNSIGNED);
    const scratch = new SignScratch(200);
    for (const kind of [0, 4, 9, 255]) expect(diffSign(s.ground, s.onboard, input, 0, input.length, kind, 0, 0, 200, scratch), `kind ${kind}`).toBeNull();
  });
});
