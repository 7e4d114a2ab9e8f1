/**
 * What the three suites detect, bit by bit, on the worked examples (docs/pib.md,
 * examples 1 and 2). Every single-bit flip of a covered octet is caught by every suite. What
 * the canonical form leaves out (custodian, dictionary layout, last-block bit, fragment
 * bit and fields, reserved flag bits; draft-irtf-dtnrg-bundle-checksum-02 App. A.1) is NOT caught:
 * the tests below say so explicitly, since the draft warns about exactly this.
 */
import { describe, expect, it } from "vitest";
import { Bundle } from "../src/ground/bundle.js";
import { Signer, Verifier } from "../src/ground/pib.js";
import { Verdict } from "../src/core/verdict.js";
import { PROFILE_DTN2, PROFILE_IBR, PROFILE_RFC6257, type CanonProfile } from "../src/ground/profiles.js";
import { SuiteKind, suiteName } from "../src/core/suites.js";
import { EX1_PAYLOAD, EX1_UNSIGNED, EX2, hex } from "./support/pibVectors.js";

const SUITES = [SuiteKind.Hmac, SuiteKind.Md5, SuiteKind.Crc32];

function sign(input: Uint8Array, kind: number, p: CanonProfile = PROFILE_RFC6257): Uint8Array {
  const s = new Signer(8, 8);
  s.profile = p;
  const out = new Uint8Array(input.length + 64);
  const n = s.sign(input, 0, input.length, out, 0, out.length, kind, 0);
  expect(n).toBeGreaterThan(0);
  return out.slice(0, n);
}

/** "ok" when the (first) PIB verifies; otherwise what stopped it. */
function outcome(v: Verifier, bytes: Uint8Array): "ok" | "rejected" | "mismatch" {
  const n = v.verifyAll(bytes, 0, bytes.length);
  if (n <= 0) return "rejected"; // parse error or no PIB left: `verify` exits 2
  if (v.verdict[0] === Verdict.Ok) return "ok";
  return v.verdict[0] === Verdict.Mismatch ? "mismatch" : "rejected";
}

/** Example 2 without its PIB (a fragment carrying "world" at offset 7 of 12). */
function ex2Unsigned(): Uint8Array {
  const ex2 = hex(EX2);
  const b = new Bundle(8, 8);
  expect(b.parse(ex2, 0, ex2.length)).toBe(0);
  return new Uint8Array([...ex2.subarray(0, b.primaryEnd), ...ex2.subarray(b.blockStart[1]!)]);
}

/*
 * (byte, bit) positions the canonical form of profile R leaves out, in bundles whose
 * flags SDNV is 3 octets at 1..3 and whose custodian offsets are octets 11 and 12:
 * reserved processing-flag bits 6, 9–13, 19–20 (value bit v sits in octet 3 − ⌊v/7⌋,
 * bit v mod 7), and the custodian offsets (RFC 6257 §3.4.2 excludes the custodian).
 */
function unprotectedR(totalLengthAt: number, unreferenced: [number, number]): Set<string> {
  const s = new Set<string>();
  for (const v of [6, 9, 10, 11, 12, 13, 19, 20]) s.add(`${3 - Math.floor(v / 7)}.${v % 7}`);
  for (const at of [11, 12]) for (let bit = 0; bit < 8; bit++) s.add(`${at}.${bit}`);
  // A fragment's total ADU length is not covered either (and the range does not name it).
  if (totalLengthAt >= 0) for (let bit = 0; bit < 8; bit++) s.add(`${totalLengthAt}.${bit}`);
  // Dictionary octets no EID refers to (dictionary layout is not protected).
  for (let at = unreferenced[0]; at < unreferenced[1]; at++) for (let bit = 0; bit < 8; bit++) s.add(`${at}.${bit}`);
  return s;
}

describe("every single-bit flip, profile R, each suite", () => {
  // Example 2 without its PIB keeps "//relay/\0" (octets 50..58) in its dictionary, unreferenced.
  const cases: Array<[string, Uint8Array, number, [number, number]]> = [
    ["example 1", hex(EX1_UNSIGNED), -1, [0, 0]],
    ["example 2 (fragment)", ex2Unsigned(), 60, [50, 59]],
  ];
  for (const [name, unsigned, totalAt, unref] of cases) {
    for (const kind of SUITES) {
      it(`${name}, ${suiteName(kind, 0)}: caught everywhere but in the unprotected fields`, () => {
        const signed = sign(unsigned, kind);
        const v = new Verifier(8, 8, 4);
        expect(outcome(v, signed)).toBe("ok");
        const allowed = unprotectedR(totalAt, unref);
        const missed: string[] = [];
        let caught = 0;
        for (let i = 0; i < signed.length; i++) {
          for (let bit = 0; bit < 8; bit++) {
            const f = signed.slice();
            f[i]! ^= 1 << bit;
            const o = outcome(v, f);
            if (o === "ok") missed.push(`${i}.${bit}`);
            else caught++;
            // An unprotected field never changes the digest: a flip there is never a mismatch.
            if (allowed.has(`${i}.${bit}`)) expect(o, `${i}.${bit}`).not.toBe("mismatch");
          }
        }
        for (const m of missed) expect(allowed.has(m), `flip at octet.bit ${m} went undetected`).toBe(true);
        // The reserved flag bits are really not protected (the draft's warning):
        for (const v of [6, 9, 13, 19, 20]) expect(missed).toContain(`${3 - Math.floor(v / 7)}.${v % 7}`);
        expect(caught).toBeGreaterThan(signed.length * 8 - allowed.size - 1);
      });
    }
  }
});

describe("covered octets under DTN2 and IBR profiles: EID text and payload flips are caught", () => {
  for (const p of [PROFILE_DTN2, PROFILE_IBR]) {
    for (const kind of SUITES) {
      it(`${p.name}, ${suiteName(kind, 0)}`, () => {
        const signed = sign(hex(EX1_UNSIGNED), kind, p);
        const v = new Verifier(8, 8, 4);
        v.profile = p;
        expect(outcome(v, signed)).toBe("ok");
        const dictionary = [21, 50]; // octets 21..49 are the dictionary of example 1
        const payload = [signed.length - 12, signed.length];
        for (const [from, to] of [dictionary, payload]) {
          for (let i = from!; i < to!; i++) {
            for (let bit = 0; bit < 8; bit++) {
              const f = signed.slice();
              f[i]! ^= 1 << bit;
              expect(outcome(v, f), `${i}.${bit}`).not.toBe("ok");
            }
          }
        }
      });
    }
  }
});

describe("NOT detected: what the canonical form leaves out (draft App. A.1)", () => {
  const payload = hex(EX1_PAYLOAD);
  for (const kind of SUITES) {
    const signed = sign(hex(EX1_UNSIGNED), kind);
    const pib = signed.subarray(50, signed.length - payload.length);
    const v = new Verifier(8, 8, 4);

    it(`${suiteName(kind, 0)}: a different custodian is not detected`, () => {
      const f = signed.slice();
      f[12] = 14; // custodian dtn:none -> dtn://src/app
      expect(outcome(v, f)).toBe("ok");
    });

    it(`${suiteName(kind, 0)}: a different dictionary layout is not detected`, () => {
      // "dtn\0none\0//src/app\0//dst/app\0": same EIDs, other offsets.
      const dict = new TextEncoder().encode("dtn\0none\0//src/app\0//dst/app\0");
      const primary = [0x06, 0x8a, 0x81, 0x18, 0x2d, 0, 19, 0, 9, 0, 4, 0, 4, 0xfb, 0xa2, 0x90, 0x00, 0x01, 0x9c, 0x10, 29, ...dict];
      const f = new Uint8Array([...primary, ...pib, ...payload]);
      expect(f.length).toBe(signed.length);
      expect(outcome(v, f)).toBe("ok");
    });

    it(`${suiteName(kind, 0)}: moving the last-block bit to a new trailing block is not detected`, () => {
      const p = payload.slice();
      p[1] = 0x00; // payload no longer last
      const f = new Uint8Array([...signed.subarray(0, 50), ...pib, ...p, 0xc0, 0x08, 0x00]);
      expect(outcome(v, f)).toBe("ok");
    });

    it(`${suiteName(kind, 0)}: setting the fragment bit (with fields offset 0, total 12) is not detected`, () => {
      const primary = signed.slice(0, 50);
      primary[3] = 0x19; // flags 0x28098 -> 0x28099
      primary[4] = 0x2f; // block length 45 -> 47
      const f = new Uint8Array([...primary, 0x00, 0x0c, ...pib, ...payload]);
      expect(outcome(v, f)).toBe("ok");
    });

    it(`${suiteName(kind, 0)}: block flag bit 5 (forwarded unprocessed) is caught by R, not by DTN2's mask 0x57`, () => {
      const f = signed.slice();
      f[signed.length - payload.length + 1] = 0x28; // payload flags 0x08 -> 0x28
      expect(outcome(v, f)).toBe("mismatch");
      const dtn2 = sign(hex(EX1_UNSIGNED), kind, PROFILE_DTN2);
      const g = dtn2.slice();
      g[dtn2.length - payload.length + 1] = 0x28;
      const w = new Verifier(8, 8, 4);
      w.profile = PROFILE_DTN2;
      expect(outcome(w, g)).toBe("ok");
    });
  }
});
