/**
 * What the verifiers and the streaming API answer when they are used in ways their
 * docs rule out or that stop early, on the ground library (src/ground/), the on-board
 * path (src/onboard/) and the exact pib-path+stream Espruino file in QuickJS: a code,
 * never an exception, never a count for octets a typed array dropped, and never
 * allOk() after a check that stopped before the last PIB.
 *
 * - TooManyPibs: a bundle with a good PIB nearest the primary and a corrupted one after
 *   it, checked with room for one PIB, returns -TooManyPibs; allOk() must then say no
 *   (it said yes: the one PIB checked was Ok).
 * - seal(k) for a k that is no PIB (-1, NaN, 0.5, past the count): NoPib, nothing written;
 *   seal into too little room: NoRoom, nothing written.
 * - copy into an output exactly the signed length, filled piece by piece, is the signer's
 *   bundle (copy does not check its output's room: docs/onboard.md).
 * - after two-pass signing, the next bundle pushed without begin() is verified, as "begin
 *   is implied" says: end() gives its PIB count, not a signed length.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { Err } from "../src/core/errors.js";
import { SuiteKind } from "../src/core/suites.js";
import { Verdict } from "../src/core/verdict.js";
import { Verifier as GroundVerifier } from "../src/ground/pib.js";
import { StreamVerifier as GroundStreamVerifier } from "../src/ground/stream.js";
import { Verifier } from "../src/onboard/index.js";
import { StreamVerifier } from "../src/onboard/streamVerifier.js";
import { ensureFirmware, FEATURES } from "../targets/hosts/engineRun.js";
import { groundSigned, unsignedBundle } from "./onboardHelpers.js";
import { evalOnFirmware } from "./support/firmwareVm.js";

const PIECE = 97;

/** A CRC-32C PIB whose payload was changed after signing, under a good MD5 PIB (nearest the primary: checked first). */
function goodOverBad(): Uint8Array {
  const inner = groundSigned(unsignedBundle(3000, 0xbad), SuiteKind.Crc32);
  inner[inner.length - 1500]! ^= 0x40; // a payload octet (a 12-octet block follows the payload): the CRC-32C PIB no longer matches
  return groundSigned(inner, SuiteKind.Md5);
}

/** Pushes b in PIECE-octet pieces into anything with push(). */
function pushAll(s: { push(b: Uint8Array, off: number, len: number): number }, b: Uint8Array): void {
  for (let k = 0; k < b.length; k += PIECE) s.push(b, k, Math.min(PIECE, b.length - k));
}

describe("allOk() after a check that stopped at TooManyPibs", () => {
  const b = goodOverBad();

  it("with room for both PIBs the corrupted one is found (the bundle is what the test says)", () => {
    const v = new GroundVerifier(9, 8, 2);
    expect(v.verifyAll(b, 0, b.length)).toBe(2);
    expect([v.verdict[0], v.verdict[1]]).toEqual([Verdict.Ok, Verdict.Mismatch]);
    expect(v.allOk()).toBe(false);
  });

  it("ground Verifier and StreamVerifier, on-board Verifier and StreamVerifier: -TooManyPibs and allOk() false", () => {
    const gv = new GroundVerifier(9, 8, 1);
    expect(gv.verifyAll(b, 0, b.length)).toBe(-Err.TooManyPibs);
    expect(gv.allOk()).toBe(false);
    const gs = new GroundStreamVerifier(9, 8, 1, 256, 1);
    gs.begin();
    pushAll(gs, b);
    expect(gs.end()).toBe(-Err.TooManyPibs);
    expect(gs.allOk()).toBe(false);
    const ov = new Verifier(9, 8, 1);
    expect(ov.verifyAll(b, 0, b.length)).toBe(-Err.TooManyPibs);
    expect(ov.allOk()).toBe(false);
    const os = new StreamVerifier(9, 8, 1, 256, 1);
    os.begin();
    pushAll(os, b);
    expect(os.end()).toBe(-Err.TooManyPibs);
    expect(os.allOk()).toBe(false);
    // and a good bundle after it is Ok again on each
    const good = groundSigned(unsignedBundle(3000, 1), SuiteKind.Md5);
    expect(gv.verifyAll(good, 0, good.length)).toBe(1);
    expect(gv.allOk()).toBe(true);
    expect(ov.verifyAll(good, 0, good.length)).toBe(1);
    expect(ov.allOk()).toBe(true);
    gs.begin();
    pushAll(gs, good);
    expect(gs.end()).toBe(1);
    expect(gs.allOk()).toBe(true);
  });
});

describe("seal() and copy() answer with codes", () => {
  const signed = groundSigned(unsignedBundle(3000, 0x5ea1), SuiteKind.Crc32);
  const plain = unsignedBundle(3000, 0xc0b1);
  const want = groundSigned(plain, SuiteKind.Md5);

  it("seal(k) for a k that is no streamed PIB: NoPib on both; into too little room: NoRoom; nothing written", () => {
    const g = new GroundStreamVerifier(9, 8, 2, 256, 2);
    g.begin();
    pushAll(g, signed);
    expect(g.end()).toBe(1);
    const o = new StreamVerifier(9, 8, 2, 256, 2);
    o.begin();
    pushAll(o, signed);
    expect(o.end()).toBe(1);
    for (const s of [g, o]) {
      const out = new Uint8Array(8).fill(0xee);
      for (const k of [-1, Number.NaN, 0.5, 1, 2 ** 40]) expect(s.seal(k, out, 0), `k ${k}`).toBe(-Err.NoPib);
      expect(s.seal(0, out, 5)).toBe(-Err.NoRoom);
      expect(s.seal(0, new Uint8Array(3), 0)).toBe(-Err.NoRoom);
      expect(out.every((x) => x === 0xee)).toBe(true);
      expect(s.seal(0, out, 4)).toBe(4);
    }
  });

  it("copy into exactly the signed length, piece by piece: the signer's octets", () => {
    const s = new StreamVerifier(9, 8, 2, 256, 2);
    s.begin(SuiteKind.Md5, 0);
    pushAll(s, plain);
    expect(s.end()).toBe(want.length);
    const out = new Uint8Array(want.length);
    let o = 0;
    for (let k = 0; k < plain.length; k += PIECE) o = s.copy(plain, k, Math.min(PIECE, plain.length - k), out, o);
    expect(o).toBe(want.length);
    expect(Buffer.compare(out, want)).toBe(0);
  });

  it("after two-pass signing, a bundle pushed without begin() is verified", () => {
    const s = new StreamVerifier(9, 8, 2, 256, 2);
    s.begin(SuiteKind.Md5, 0);
    pushAll(s, plain);
    expect(s.end()).toBe(want.length);
    pushAll(s, signed);
    expect(s.end()).toBe(1);
    expect(s.allOk()).toBe(true);
  });
});

describe("the same on the pib-path+stream Espruino file, in QuickJS", () => {
  let firmware: string;
  beforeAll(async () => {
    firmware = readFileSync((await ensureFirmware(FEATURES["pib-path+stream"]!, "pibkit-pib-path+stream"))["espruino"]!, "utf8");
  }, 120_000);
  const push = (s: string) => `for (k = 0; k < inp.length; k += ${PIECE}) ${s}.push(inp, k, inp.length - k < ${PIECE} ? inp.length - k : ${PIECE});`;

  it("TooManyPibs leaves allOk() false; seal with a bad k or too little room: codes; after signing, a push without begin verifies", async () => {
    const got = await evalOnFirmware(
      firmware,
      goodOverBad(),
      `(function () {
        var k, r = [], v = new p.Verifier(9, 8, 1), s = new p.StreamVerifier(9, 8, 1, 256, 1), out = new Uint8Array(20);
        r.push(v.verifyAll(inp, 0, inp.length), v.allOk());
        s.begin(); ${push("s")} r.push(s.end(), s.allOk());
        var t = new p.StreamVerifier(9, 8, 3, 256, 3);
        t.begin(); ${push("t")} r.push(t.end(), t.allOk());
        r.push(t.seal(-1, out, 0), t.seal(NaN, out, 0), t.seal(0.5, out, 0), t.seal(0, out, 18), t.seal(0, out, 4));
        t.begin(2, 0); ${push("t")} r.push(t.end() > 0);
        ${push("t")} r.push(t.end());
        return r.join();
      })()`,
      "misuse.js",
    );
    expect(got).toBe([-Err.TooManyPibs, false, -Err.TooManyPibs, false, 2, false, -Err.NoPib, -Err.NoPib, -Err.NoPib, -Err.NoRoom, 16, true, 2].join());
  });
});
