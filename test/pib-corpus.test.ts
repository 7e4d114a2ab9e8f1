/**
 * The 38 real bundles of the external corpus through verify and sign: foreign security
 * blocks (IBR/DTN2 RSA PIBs, DTN2's PIB in block type 4, bplib's CRC blocks in types 3
 * and 13, BABs, PCBs, ESBs) are never taken for pibkit's suites; signing any of them
 * adds exactly one PIB, forwards every other octet unchanged, and verifies under every
 * profile.
 */
import { describe, expect, it } from "vitest";
import { Bundle } from "../src/ground/bundle.js";
import { errorName } from "../src/core/errorText.js";
import { Signer, Verifier } from "../src/ground/pib.js";
import { Verdict } from "../src/core/verdict.js";
import { PROFILE_DTN2, PROFILE_IBR, PROFILE_RFC6257, PROFILE_RFC6257_PACKED } from "../src/ground/profiles.js";
import { SuiteKind } from "../src/core/suites.js";
import { corpusBundles, corpusFile, needsCorpus, toHex } from "./support/pibVectors.js";

const HAVE_CORPUS = needsCorpus("38 corpus bundles (IBR-DTN, DTN2, ION, DTNME, bplib, uPCN) through verify and sign");
const files = corpusBundles();
const PROFILES = [PROFILE_RFC6257, PROFILE_RFC6257_PACKED, PROFILE_DTN2, PROFILE_IBR];
const SUITES = [SuiteKind.Hmac, SuiteKind.Md5, SuiteKind.Crc32];

/** Verdicts expected for the security blocks the producers wrote (README table). */
const FOREIGN: Record<string, Array<[number, number]>> = {
  // [verdict, suite id or -1]
  "ibrdtn-cbhe-pib.bin": [[Verdict.UnknownSuite, 2]],
  "ibrdtn-fragment-pib.bin": [[Verdict.UnknownSuite, 2]],
  "ibrdtn-pib-rsa-sha256.bin": [[Verdict.UnknownSuite, 2]],
  "ibrdtn-pib-rsa-sha256-secsrc.bin": [[Verdict.UnknownSuite, 2], [Verdict.UnknownSuite, 2]],
  "ibrdtn-pib-then-bab.bin": [[Verdict.UnknownSuite, 2]],
  "dtn2-pi2.bin": [[Verdict.UnknownSuite, 2]],
};

function verifier(): Verifier {
  return new Verifier(16, 16, 8);
}

describe.runIf(HAVE_CORPUS)("corpus: what verify reports for real bundles", () => {
  it("has 38 bundles", () => expect(files.length).toBe(38));
  for (const f of files) {
    it(f, () => {
      const bytes = corpusFile(f);
      const v = verifier();
      const n = v.verifyAll(bytes, 0, bytes.length);
      expect(n, errorName(n)).toBeGreaterThanOrEqual(0);
      const got: Array<[number, number]> = [];
      for (let k = 0; k < n; k++) {
        // Never one of ours, never ok or mismatch.
        expect(v.kind[k], f).toBe(SuiteKind.None);
        expect([Verdict.UnknownSuite, Verdict.Malformed]).toContain(v.verdict[k]);
        got.push([v.verdict[k]!, v.suite[k]!]);
      }
      if (f.startsWith("bplib6gen-crc")) {
        // bplib's type-3 CRC blocks use a BPSec-draft layout: not an RFC 6257 ASB.
        expect(n).toBe(1);
      } else {
        expect(got).toEqual(FOREIGN[f] ?? []);
      }
    });
  }
});

describe.runIf(HAVE_CORPUS)("corpus: sign each bundle with each suite, verify under each profile", () => {
  for (const f of files) {
    it(f, () => {
      const input = corpusFile(f);
      const inB = new Bundle(16, 16);
      expect(inB.parse(input, 0, input.length)).toBe(0);
      expect(inB.payloadIndex, "every corpus bundle has a payload").toBeGreaterThanOrEqual(0);
      const s = new Signer(16, 16);
      const out = new Uint8Array(input.length + 64);
      for (const p of PROFILES) {
        s.profile = p;
        for (const kind of SUITES) {
          const n = s.sign(input, 0, input.length, out, 0, out.length, kind, 0);
          expect(n, `${p.name} ${kind}: ${errorName(n)}`).toBeGreaterThan(input.length);
          const signed = out.subarray(0, n);
          const ob = new Bundle(17, 16);
          expect(ob.parse(signed, 0, n)).toBe(0);
          // Exactly one new block, type 3, after the primary and any leading BABs; the rest byte-exact.
          let j = 0;
          while (ob.blockType[j] === 2) j++;
          expect(ob.blockType[j]).toBe(3);
          const at = ob.blockStart[j]!;
          const len = (j + 1 < ob.blockCount ? ob.blockStart[j + 1]! : n) - at;
          expect(len).toBe(n - input.length);
          expect(toHex(signed.subarray(0, at))).toBe(toHex(input.subarray(0, at)));
          expect(toHex(signed.subarray(at + len))).toBe(toHex(input.subarray(at)));
          const v = verifier();
          v.profile = p;
          const m = v.verifyAll(signed, 0, n);
          expect(m).toBeGreaterThanOrEqual(1);
          expect(v.verdict[0], `${f} ${p.name} ${kind}`).toBe(Verdict.Ok);
          expect(v.block[0]).toBe(j);
        }
      }
    });
  }
});
