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
import { KeyTable } from "../src/ground/keys.js";
import { StreamVerifier as GroundStreamVerifier } from "../src/ground/stream.js";
import { Verifier } from "../src/onboard/index.js";
import { StreamVerifier } from "../src/onboard/streamVerifier.js";
import { ensureFirmware, FEATURES } from "../targets/hosts/engineRun.js";
import { groundSigned, unsignedBundle } from "./onboardHelpers.js";
import { evalOnFirmware } from "./support/firmwareVm.js";

const PIECE = 97;
const hexBytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, "hex"));

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
    type Checker = { allOk(): boolean };
    const whole = (v: Checker & { verifyAll(b: Uint8Array, o: number, e: number): number }, x: Uint8Array) => [v.verifyAll(x, 0, x.length), v.allOk()];
    const streamed = (v: Checker & { begin(): void; push(b: Uint8Array, o: number, n: number): number; end(): number }, x: Uint8Array) => {
      v.begin();
      pushAll(v, x);
      return [v.end(), v.allOk()];
    };
    const gv = new GroundVerifier(9, 8, 1);
    const gs = new GroundStreamVerifier(9, 8, 1, 256, 1);
    const ov = new Verifier(9, 8, 1);
    const os = new StreamVerifier(9, 8, 1, 256, 1);
    const all = (x: Uint8Array) => [whole(gv, x), streamed(gs, x), whole(ov, x), streamed(os, x)];
    expect(all(b)).toEqual(Array(4).fill([-Err.TooManyPibs, false]));
    // and a good bundle after it is Ok again on each
    expect(all(groundSigned(unsignedBundle(3000, 1), SuiteKind.Md5))).toEqual(Array(4).fill([1, true]));
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

describe("keyed PIB-HMAC during a rollover: the key table as verifyAll leaves it, for every cut", () => {
  // Key id 7 with a rollover pending: the old key and the new one. Two PIBs under key id
  // 7, the outer (nearest the primary, checked first) under the new key, the inner under
  // the old: the outer's success retires the old key, so the inner no longer verifies.
  // Streamed in more than one piece, both PIBs' candidates were taken as the payload
  // began and the inner PIB was Ok under the retired key; one piece (verifyAll on the
  // window) said Mismatch.
  const OLD = hexBytes("0102030405060708090a0b0c0d0e0f1011121314");
  const NEW = hexBytes("a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4");
  const TWO_UNDER_7 = hexBytes(
    "0681102b0004000e001800188768009c101d64746e002f2f6473742f617070002f2f7372632f617070006e6f6e65000301170405070301070402000c0c050a1b197c987b6467cc0b4c0301170405070301070402000c0c050afd920add23854cfa006501080c48656c6c6f2c20776f726c64",
  );
  // The outer PIB under the new key 7, then a CRC-32C PIB: with room for one PIB, TooManyPibs
  // after the first is checked, and its success retires the old key, as verifyAll does.
  const NEW_THEN_CRC = hexBytes(
    "0681102b0004000e001800188768009c101d64746e002f2f6473742f617070002f2f7372632f617070006e6f6e65000301170405070301070402000c0c050a8539f33fe2b17058448a03010e0605040402000c060504dac9975e01080c48656c6c6f2c20776f726c64",
  );
  const table = (): KeyTable => {
    const t = new KeyTable(4, 8);
    expect(t.install(7, OLD, 0, 20)).toBe(0);
    expect(t.rollover(7, NEW, 0, 20)).toBe(0);
    return t;
  };
  const state = (r: number, v: { count: number; verdict: ArrayLike<number> }, t: KeyTable): string =>
    `${r} [${Array.from({ length: Math.max(r, 0) }, (_, k) => v.verdict[k]).join()}] count ${t.count(7)} pending ${t.rolloverPending(7)} verifications ${t.verifications}`;

  for (const [name, bytes, pibs] of [
    ["two PIBs under key id 7, new over old", TWO_UNDER_7, 4],
    ["room for one PIB of two", NEW_THEN_CRC, 1],
  ] as const) {
    it(`${name}: ground and on-board streaming, every cut into two pieces and 1-octet pieces`, () => {
      const wt = table();
      const w = new GroundVerifier(9, 8, pibs);
      w.keys = wt;
      const want = state(w.verifyAll(bytes, 0, bytes.length), w, wt);
      expect(want).toMatch(pibs === 4 ? /^2 \[0,1\] count 1 pending false/ : /^-48 \[\] count 1 pending false/);
      const cuts: number[][] = [[], Array.from({ length: bytes.length - 1 }, (_, i) => i + 1)];
      for (let c = 1; c < bytes.length; c++) cuts.push([c]);
      for (const cut of cuts) {
        for (const make of [() => new GroundStreamVerifier(9, 8, pibs, 1 << 16, 4), () => new StreamVerifier(9, 8, pibs, 1 << 16, 4)]) {
          const t = table();
          const s = make();
          s.keys = t;
          s.begin();
          let at = 0;
          for (const c of [...cut, bytes.length]) {
            s.push(bytes, at, c - at);
            at = c;
          }
          expect(state(s.end(), s, t), `${s instanceof GroundStreamVerifier ? "ground" : "on board"}, cut at ${cut.length > 2 ? "every octet" : cut.join(",")}`).toBe(want);
        }
      }
    });
  }
});
