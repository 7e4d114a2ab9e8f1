/**
 * The streaming build with PIB-INSECURE-CRC32 only (feature insecure-crc32+stream, the
 * streaming build within pib-path's 8,192-octet budget), its exact Espruino file run in
 * QuickJS without Espruino's missing built-ins: two-pass copy signing writes the ground
 * Signer's octets, in-place sealing and streaming verification agree with the ground
 * Verifier, and the suites the build leaves out are unknown (signing with them returns
 * UnknownSuite, a PIB of theirs verifies as an unknown suite), as in the whole-buffer
 * SUITES=insecure-crc32 build.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { Err } from "../src/core/errors.js";
import { SuiteKind } from "../src/core/suites.js";
import { Verdict } from "../src/core/verdict.js";
import { Verifier } from "../src/ground/pib.js";
import { ensureFirmware, FEATURES } from "../targets/hosts/engineRun.js";
import { evalOnFirmware } from "./support/firmwareVm.js";
import { groundSigned, unsignedBundle } from "./onboardHelpers.js";

let firmware: string;

/** Evaluates `script` after the firmware (as the Storage module `p`), with `input` as the Uint8Array `inp`; its value. */
const inVm = (input: Uint8Array, script: string): Promise<unknown> => evalOnFirmware(firmware, input, script, "crc-stream.js");

/** Two-pass signing in the VM with suite `kind`: "length:hex" of the output, or the error code. */
const twoPass = (kind: number, piece: number) => `(function () {
  var s = new p.StreamVerifier(8, 8, 2, 256, 2), out = new Uint8Array(inp.length + 64), o = 0, k;
  s.begin(${kind}, 0);
  for (k = 0; k < inp.length; k += ${piece}) s.push(inp, k, inp.length - k < ${piece} ? inp.length - k : ${piece});
  var n = s.end();
  if (n < 0) return String(n);
  for (k = 0; k < inp.length; k += ${piece + 7}) o = s.copy(inp, k, inp.length - k < ${piece + 7} ? inp.length - k : ${piece + 7}, out, o);
  return n + ":" + hex(out, o);
})()`;

beforeAll(async () => {
  firmware = readFileSync((await ensureFirmware(FEATURES["insecure-crc32+stream"]!, "pibkit-insecure-crc32+stream"))["espruino"]!, "utf8");
}, 120_000);

describe("insecure-crc32+stream: streaming with PIB-INSECURE-CRC32 only, on its Espruino file", () => {
  it("carries CRC-32C and the StreamVerifier, no MD5, SHA-1 or HMAC", async () => {
    expect(await inVm(new Uint8Array(1), "[typeof p.StreamVerifier, typeof p.Crc32c, typeof p.Md5, typeof p.Sha1, typeof p.HmacSha1].join()")).toBe("function,function,undefined,undefined,undefined");
  });

  for (const size of [0, 1, 300, 5000]) {
    it(`two-pass copy signing, ${size}-octet payload: the ground Signer's octets, Ok on the ground`, async () => {
      const input = unsignedBundle(size, 0xc5 + size);
      const want = groundSigned(input, SuiteKind.Crc32);
      expect(await inVm(input, twoPass(SuiteKind.Crc32, 64))).toBe(`${want.length}:${Buffer.from(want).toString("hex")}`);
      const v = new Verifier(8, 8, 4);
      expect(v.verifyAll(want, 0, want.length)).toBe(1);
      expect(v.allOk()).toBe(true);
    });
  }

  it("the suites left out: signing with them is UnknownSuite, their PIBs unknown suites", async () => {
    const input = unsignedBundle(2000, 7);
    expect(await inVm(input, twoPass(SuiteKind.Md5, 100))).toBe(String(-Err.UnknownSuite));
    expect(await inVm(input, twoPass(SuiteKind.Hmac, 100))).toBe(String(-Err.UnknownSuite));
    // an MD5 PIB, then a CRC-32C PIB over it: streamed, the CRC-32C one is checked, the MD5 one is not known
    const both = groundSigned(groundSigned(input, SuiteKind.Md5), SuiteKind.Crc32);
    const got = await inVm(both, `(function () {
      var s = new p.StreamVerifier(8, 8, 2, 256, 2);
      s.begin();
      for (var k = 0; k < inp.length; k += 50) s.push(inp, k, inp.length - k < 50 ? inp.length - k : 50);
      return s.end() + ":" + s.verdict[0] + ":" + s.verdict[1];
    })()`);
    expect(got).toBe(`2:${Verdict.Ok}:${Verdict.UnknownSuite}`);
  });

  it("in-place sealing: the stored bundle with its result zeroed, pushed in pieces, sealed to the signer's octets", async () => {
    const signed = groundSigned(unsignedBundle(3000, 9), SuiteKind.Crc32);
    const v = new Verifier(8, 8, 4);
    v.verifyAll(signed, 0, signed.length);
    const at = v.resultOff[0]!;
    const stored = signed.slice();
    stored.fill(0, at, at + 4);
    const got = await inVm(stored, `(function () {
      var s = new p.StreamVerifier(8, 8, 2, 256, 2);
      s.begin();
      for (var k = 0; k < inp.length; k += 33) s.push(inp, k, inp.length - k < 33 ? inp.length - k : 33);
      var r = s.end();
      return r + ":" + s.seal(0, inp, ${at}) + ":" + hex(inp, inp.length);
    })()`);
    expect(got).toBe(`1:4:${Buffer.from(signed).toString("hex")}`);
  });
});
