/**
 * The Espruino two-pass signing example (targets/examples/espruino/storage-copy-sign.js)
 * on the exact pib-path+stream Espruino file, in QuickJS without Espruino's missing
 * built-ins and with a heap limit below what the StorageFiles hold: a stand-in for
 * Storage.open/StorageFile keeps the files on the host (as flash would), appending what
 * write() gives and handing out read(len) pieces. An unsigned bundle with a payload of
 * about 200 KB, stored as one hex line, is signed into another StorageFile with each
 * suite: octet for octet what the ground Signer writes, Ok for the ground Verifier. A
 * bundle signed already gets a second PIB that covers the first, unless that PIB finds
 * its payload changed; a missing or malformed source is reported by its pibkit error
 * code, a source that is not hex as such.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { SuiteKind } from "../src/core/suites.js";
import { Verifier } from "../src/ground/pib.js";
import { ensureFirmware, ESPRUINO_PRELUDE, FEATURES } from "../targets/hosts/engineRun.js";
import { QuickJsHost } from "../targets/hosts/quickjs.js";
import { storageFileShims } from "./support/storageFile.js";
import { groundSigned, unsignedBundle } from "./onboardHelpers.js";
import { espruinoLanguageTest, EXAMPLE_SUITES } from "./support/espruinoExample.js";

const ROOT = join(import.meta.dirname, "..");
const EXAMPLE = join(ROOT, "targets/examples/espruino/storage-copy-sign.js");
const PAYLOAD = 200_000;
/** Heap for the whole VM (QuickJS's own objects, the firmware, the example): below the bundle, let alone its hex. */
const HEAP = 150_000;
let firmware: string;

/** Runs the example with suite `suite` on the host's StorageFiles `files` (changed in place); its printed lines, or the VM's error. */
async function run(files: Map<string, string>, suite: number, script = ""): Promise<{ lines: string[]; error: string }> {
  const h = await QuickJsHost.create({ memoryLimit: HEAP });
  try {
    const shims = storageFileShims(h, files, firmware);
    const text = script || readFileSync(EXAMPLE, "utf8").replace("var SUITE = 3;", `var SUITE = ${suite};`);
    const r = h.load(ESPRUINO_PRELUDE + shims + text, "storage-copy-sign.js");
    const out = h.eval<string[]>("__out");
    return { lines: out.ok ? (out.value as string[]) : [], error: r.ok ? "" : r.error };
  } finally {
    h.dispose();
  }
}

const hexLine = (b: Uint8Array): string => Buffer.from(b).toString("hex") + "\n";

beforeAll(async () => {
  firmware = readFileSync((await ensureFirmware(FEATURES["pib-path+stream"]!, "pibkit-pib-path+stream"))["espruino"]!, "utf8");
}, 120_000);

describe("Espruino StorageFile example: a stored unsigned bundle copied into a signed one, in two passes", () => {
  const plain = unsignedBundle(PAYLOAD, 0xc0b1);

  espruinoLanguageTest(EXAMPLE);

  for (const [suite, name] of EXAMPLE_SUITES) {
    test(`${name}: a ${PAYLOAD.toLocaleString("en-US")}-octet payload under a ${HEAP.toLocaleString("en-US")}-octet heap, the ground Signer's octets`, async () => {
      expect(plain.length).toBeGreaterThan(HEAP);
      const want = groundSigned(plain, suite);
      const files = new Map([["bundle", hexLine(plain)]]);
      const got = await run(files, suite);
      expect(got.error).toBe("");
      expect(got.lines).toEqual([`bundle.signed: ${want.length} octets, signed`]);
      const line = files.get("bundle.signed")!;
      expect(line.endsWith("\n")).toBe(true);
      const signed = Uint8Array.from(Buffer.from(line.slice(0, -1), "hex"));
      expect(Buffer.compare(signed, want)).toBe(0);
      const v = new Verifier(8, 8, 4);
      expect(v.verifyAll(signed, 0, signed.length)).toBe(1);
      expect(v.allOk()).toBe(true);
      expect(v.kind[0]).toBe(suite);
      // the source is left as it was
      expect(files.get("bundle")).toBe(hexLine(plain));
    }, 120_000);
  }

  test("a bundle signed already: the new PIB goes before the old one and covers it", async () => {
    const inner = groundSigned(plain, SuiteKind.Crc32);
    const want = groundSigned(inner, SuiteKind.Md5);
    const files = new Map([["bundle", hexLine(inner)]]);
    const got = await run(files, SuiteKind.Md5);
    expect(got.lines).toEqual([`bundle.signed: ${want.length} octets, signed`]);
    const signed = Uint8Array.from(Buffer.from(files.get("bundle.signed")!.slice(0, -1), "hex"));
    expect(Buffer.compare(signed, want)).toBe(0);
    const v = new Verifier(8, 8, 4);
    expect(v.verifyAll(signed, 0, signed.length)).toBe(2);
    expect(v.allOk()).toBe(true);
  }, 120_000);

  test("a bundle whose PIB finds its payload changed is not signed over: the new PIB would vouch for the change", async () => {
    const inner = groundSigned(plain, SuiteKind.Crc32);
    inner[inner.length - PAYLOAD / 2]! ^= 0x10; // a payload octet, after signing
    const files = new Map([["bundle", hexLine(inner)], ["bundle.signed", "an older file\n"]]);
    const got = await run(files, SuiteKind.Md5);
    expect(got.error).toBe("");
    expect(got.lines).toEqual(["bundle.signed: a PIB already there does not match its payload: not signed"]);
    expect(files.get("bundle.signed")).toBe("an older file\n");
  }, 120_000);

  test("a source that is not lowercase hex is named, and nothing is signed", async () => {
    const line = hexLine(plain);
    const files = new Map([["bundle", line.slice(0, 100) + "zz" + line.slice(102)]]);
    const got = await run(files, SuiteKind.Crc32);
    expect(got.lines).toEqual(["bundle.signed: bundle is not lowercase hex"]);
    expect(files.has("bundle.signed")).toBe(false);
    // a digit too many is not silently dropped; a CR LF line end is a line end
    const odd = new Map([["bundle", line.slice(0, -1) + "a\n"]]);
    expect((await run(odd, SuiteKind.Crc32)).lines).toEqual(["bundle.signed: bundle is not lowercase hex"]);
    expect(odd.has("bundle.signed")).toBe(false);
    const crlf = new Map([["bundle", line.slice(0, -1) + "\r\n"]]);
    expect((await run(crlf, SuiteKind.Crc32)).lines).toEqual([`bundle.signed: ${groundSigned(plain, SuiteKind.Crc32).length} octets, signed`]);
  }, 120_000);

  test("no source, a source cut short: the pibkit error, no signed file", async () => {
    const none = new Map<string, string>();
    expect((await run(none, SuiteKind.Crc32)).lines).toEqual(["bundle.signed: pibkit error 10"]);
    expect(none.has("bundle.signed")).toBe(false);
    const cut = new Map([["bundle", Buffer.from(plain.subarray(0, plain.length - 3000)).toString("hex")]]);
    expect((await run(cut, SuiteKind.Crc32)).lines).toEqual(["bundle.signed: pibkit error 15"]);
    expect(cut.has("bundle.signed")).toBe(false);
  }, 120_000);

  test("the same heap cannot hold the bundle whole (the limit is real)", async () => {
    const got = await run(new Map(), SuiteKind.Crc32, `var whole = new Uint8Array(${plain.length}); print("held " + whole.length);`);
    expect(got.lines).toEqual([]);
    expect(got.error).toMatch(/memory/i);
  });
});
