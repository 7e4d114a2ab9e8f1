/**
 * Quick checks of the on-board PIB path (src/onboard/) on the worked examples of
 * docs/pib.md: the three suites on example 1 and example 2 (fragment + EID
 * reference) verify, signing example 1's unsigned bundle gives the ground Signer's octets,
 * and a flipped payload bit is a mismatch. The differential and fuzz suites are
 * test/onboard.test.ts and test/onboard-fuzz.test.ts.
 */
import { describe, expect, it } from "vitest";
import { Signer } from "../src/ground/pib.js";
import { Signer as OnboardSigner, Verifier as OnboardVerifier } from "../src/onboard/index.js";
import { EX1_CRC, EX1_HMAC, EX1_MD5, EX1_UNSIGNED, EX2, hex, toHex } from "./support/pibVectors.js";

const SIGNED: Array<[string, string, number]> = [
  ["PIB-INSECURE-CRC32", EX1_CRC, 3],
  ["PIB-INSECURE-MD5", EX1_MD5, 2],
  ["PIB-HMAC (NULL key)", EX1_HMAC, 1],
];

describe("on-board Verifier on the worked examples", () => {
  for (const [name, h, kind] of SIGNED) {
    it(`example 1 ${name} verifies ok`, () => {
      const v = new OnboardVerifier(9, 8, 4);
      const b = hex(h);
      expect(v.verifyAll(b, 0, b.length)).toBe(1);
      expect(v.verdict[0]).toBe(0);
      expect(v.kind[0]).toBe(kind);
      expect(v.allOk()).toBe(true);
      expect(v.bytes).toBe(b.length);
    });
    it(`example 1 ${name}: a flipped payload bit is a mismatch`, () => {
      const v = new OnboardVerifier(9, 8, 4);
      const b = hex(h);
      b[b.length - 1]! ^= 0x01;
      expect(v.verifyAll(b, 0, b.length)).toBe(1);
      expect(v.verdict[0]).toBe(1);
      expect(v.allOk()).toBe(false);
    });
  }
  it("example 2, a fragment with an EID reference, verifies ok", () => {
    const v = new OnboardVerifier(9, 8, 4);
    const b = hex(EX2);
    expect(v.verifyAll(b, 0, b.length)).toBe(1);
    expect(v.verdict[0]).toBe(0);
    expect(v.kind[0]).toBe(3);
  });
});

describe("on-board Signer on example 1's unsigned bundle", () => {
  for (const [name, h, kind] of SIGNED) {
    it(`${name}: the ground Signer's octets and example 1's bundle`, () => {
      const input = hex(EX1_UNSIGNED);
      const ground = new Uint8Array(200);
      const onboard = new Uint8Array(200);
      const n = new Signer(8, 8).sign(input, 0, input.length, ground, 0, ground.length, kind, 0);
      const v = new OnboardVerifier(9, 8, 4);
      const m = new OnboardSigner(8, 8, v).sign(input, 0, input.length, onboard, 0, onboard.length, kind, 0);
      expect(m).toBe(n);
      expect(toHex(onboard.subarray(0, m))).toBe(toHex(ground.subarray(0, n)));
      expect(toHex(onboard.subarray(0, m))).toBe(h);
    });
  }
});
