/**
 * The Storage example (targets/examples/espruino/storage-verify.js) on the exact
 * pib-path+stream Espruino file, in QuickJS without Espruino's missing built-ins and
 * with a heap limit below the bundle's size: a bundle of about 600 KB in "Storage"
 * (the host's copy, read out in pieces as Storage.read reads flash), signed
 * with all three suites, verifies piece by piece; with one payload bit flipped every PIB
 * is a mismatch; and the same heap cannot even hold the bundle whole.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { SuiteKind } from "../src/core/suites.js";
import { BundleWriter, writeBlock } from "../src/ground/bundleWriter.js";
import { Signer } from "../src/ground/pib.js";
import { ensureFirmware, ESPRUINO_PRELUDE, FEATURES } from "../targets/hosts/engineRun.js";
import { QuickJsHost } from "../targets/hosts/quickjs.js";
import { imagerPrimary, seededPayload } from "./onboardHelpers.js";
import { espruinoLanguageTest } from "./support/espruinoExample.js";

const ROOT = join(import.meta.dirname, "..");
const EXAMPLE = join(ROOT, "targets/examples/espruino/storage-verify.js");
const PAYLOAD = 600_000;
/** Heap for the whole VM (QuickJS's own objects, the firmware, the example): below the bundle's size. */
const HEAP = 520_000;
let firmware: string;

/** A bundle with a PAYLOAD-octet payload, signed with CRC-32C, MD5 and HMAC (NULL key) by the ground Signer. */
function bigBundle(): Uint8Array {
  const spec = imagerPrimary("dtn://sat-1/imager");
  const payload = seededPayload(PAYLOAD, 0x5109);
  let b = new Uint8Array(PAYLOAD + 256);
  let n = new BundleWriter().writePrimary(b, 0, b.length, spec);
  n = writeBlock(b, n, b.length, 1, 0, true, payload, 0, PAYLOAD);
  b = b.slice(0, n);
  for (const kind of [SuiteKind.Crc32, SuiteKind.Md5, SuiteKind.Hmac]) {
    const out = new Uint8Array(b.length + 64);
    const m = new Signer(8, 8).sign(b, 0, b.length, out, 0, out.length, kind, 0);
    expect(m).toBeGreaterThan(0);
    b = out.slice(0, m);
  }
  return b;
}

/** Runs the example over `bundle` as Storage file "bundle.bin"; its printed lines, or the VM's error. */
async function run(bundle: Uint8Array, script: string): Promise<{ lines: string[]; error: string }> {
  const h = await QuickJsHost.create({ memoryLimit: HEAP });
  try {
    // flash: the host's copy of the bundle, handed out in pieces (strings cross the
    // bridge as C strings, so octets come across as bytes and become the string in the VM)
    h.defineByteSource("__storageCopy", (name, off, len) => {
      if (name !== "bundle.bin") return new Uint8Array(0);
      const o = off as number;
      return bundle.slice(o, Math.min(bundle.length, o + (len as number)));
    });
    const shims = `var __out = []; function print(s) { __out.push(String(s)); }
var __mod = (function () { var exports = {}; var module = { exports: exports };
${firmware}
return exports; })();
var __piece = new Uint8Array(4096);
var __storage = { read: function (name, off, len) {
  var n = __storageCopy(__piece, 0, name, off, len), s = "";
  for (var i = 0; i < n; i++) s += String.fromCharCode(__piece[i]);
  return s;
} };
function require(n) { if (n === "pibkit") return __mod; if (n === "Storage") return __storage; throw new Error("no module " + n); }
`;
    const r = h.load(ESPRUINO_PRELUDE + shims + script, "storage-verify.js");
    const out = h.eval<string[]>("__out");
    return { lines: out.ok ? (out.value as string[]) : [], error: r.ok ? "" : r.error };
  } finally {
    h.dispose();
  }
}

beforeAll(async () => {
  firmware = readFileSync((await ensureFirmware(FEATURES["pib-path+stream"]!, "pibkit-pib-path+stream"))["espruino"]!, "utf8");
}, 120_000);

describe("Espruino Storage example: a bundle larger than the heap, verified piece by piece", () => {
  const bundle = bigBundle();
  espruinoLanguageTest(EXAMPLE);
  test(`a ${PAYLOAD.toLocaleString("en-US")}-octet payload under a ${HEAP.toLocaleString("en-US")}-octet heap: three PIBs ok, intact`, async () => {
    expect(bundle.length).toBeGreaterThan(HEAP);
    const got = await run(bundle, readFileSync(EXAMPLE, "utf8"));
    expect(got.error).toBe("");
    expect(got.lines).toEqual([
      "bundle.bin: PIB 0 PIB-HMAC ok",
      "bundle.bin: PIB 1 PIB-INSECURE-MD5 ok",
      "bundle.bin: PIB 2 PIB-INSECURE-CRC32 ok",
      "bundle.bin: intact",
    ]);
  }, 120_000);
  test("one payload bit flipped: every PIB a mismatch", async () => {
    const bad = bundle.slice();
    bad[bad.length - 1000]! ^= 0x20;
    const got = await run(bad, readFileSync(EXAMPLE, "utf8"));
    expect(got.error).toBe("");
    expect(got.lines).toEqual([
      "bundle.bin: PIB 0 PIB-HMAC MISMATCH",
      "bundle.bin: PIB 1 PIB-INSECURE-MD5 MISMATCH",
      "bundle.bin: PIB 2 PIB-INSECURE-CRC32 MISMATCH",
      "bundle.bin: NOT intact",
    ]);
  }, 120_000);
  test("the same heap cannot hold the bundle whole (the limit is real)", async () => {
    const got = await run(bundle, `var whole = new Uint8Array(${bundle.length}); print("held " + whole.length);`);
    expect(got.lines).toEqual([]);
    expect(got.error).toMatch(/memory/i);
  });
});
