/**
 * The Espruino signing example (targets/examples/espruino/storage-sign.js) on the exact
 * pib-path+stream Espruino file, in QuickJS without Espruino's missing built-ins and
 * with a heap limit below what the StorageFile ends up holding: a stand-in for
 * Storage.open/StorageFile keeps the file on the host (as flash would), appending what
 * write() gives and handing out read(len) pieces. Readings are signed with each suite,
 * appended one hex line per bundle, and checked back piece by piece; every stored line
 * also verifies with the ground Verifier; a changed payload digit makes exactly that
 * bundle not intact; a last line cut short is reported incomplete.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { SuiteKind } from "../src/core/suites.js";
import { Verifier } from "../src/ground/pib.js";
import { ensureFirmware, ESPRUINO_PRELUDE, FEATURES } from "../targets/hosts/engineRun.js";
import { QuickJsHost } from "../targets/hosts/quickjs.js";
import { storageFileShims } from "./support/storageFile.js";
import { espruinoLanguageTest, EXAMPLE_SUITES } from "./support/espruinoExample.js";

const ROOT = join(import.meta.dirname, "..");
const EXAMPLE = join(ROOT, "targets/examples/espruino/storage-sign.js");
/** Heap for the whole VM (QuickJS's own objects, the firmware, the example): below what the file holds. */
const HEAP = 150_000;
const READINGS = 1000;
let firmware: string;

interface Run {
  /** Lines the example printed. */
  lines: string[];
  /** What the VM returned for `after`, or its error. */
  value: unknown;
  error: string;
  /** The host's StorageFiles. */
  files: Map<string, string>;
}

/**
 * Loads the example (its timer not started), then evaluates `after` in the VM; `files`
 * is the flash the StorageFiles start from (and end in).
 */
async function run(after: string, files = new Map<string, string>()): Promise<Run> {
  const h = await QuickJsHost.create({ memoryLimit: HEAP });
  try {
    const shims = storageFileShims(h, files, firmware, `var E = { getTemperature: function () { return 21.37; } };
var __timer = null; function setInterval(f, ms) { __timer = f; return 1; }
`);
    const r = h.load(ESPRUINO_PRELUDE + shims + readFileSync(EXAMPLE, "utf8"), "storage-sign.js");
    let value: unknown;
    let error = r.ok ? "" : r.error;
    if (r.ok) {
      const v = h.eval(after);
      if (v.ok) value = v.value;
      else error = v.error;
    }
    const out = h.eval<string[]>("__out");
    return { lines: out.ok ? (out.value as string[]) : [], value, error, files };
  } finally {
    h.dispose();
  }
}

/** Records `n` readings (at 20.00 + k/100 degC, one a minute) with suite kind `suite`; the lowest value record() returned. */
const recordAll = (n: number, suite: number) => `(function () {
  SUITE = ${suite};
  var worst = 1e9;
  for (var k = 0; k < ${n}; k++) { var r = record(20 + k / 100, 800000000 + 60 * k); if (r < worst) worst = r; }
  return worst;
})()`;

beforeAll(async () => {
  firmware = readFileSync((await ensureFirmware(FEATURES["pib-path+stream"]!, "pibkit-pib-path+stream"))["espruino"]!, "utf8");
}, 120_000);

describe("Espruino StorageFile example: signed readings appended to flash, checked back piece by piece", () => {
  espruinoLanguageTest(EXAMPLE);

  for (const [suite, name] of EXAMPLE_SUITES) {
    test(`${name}: ${READINGS.toLocaleString("en-US")} readings, more than the ${HEAP.toLocaleString("en-US")}-octet heap, all intact`, async () => {
      const got = await run(`${recordAll(READINGS, suite)} + " " + checkAll()`);
      expect(got.error).toBe("");
      const [worst, notIntact] = String(got.value).split(" ").map(Number);
      expect(worst).toBeGreaterThan(0);
      expect(notIntact).toBe(0);
      expect(got.lines).toEqual([`readings: ${READINGS} bundles, ${READINGS} intact`]);
      const stored = got.files.get("readings")!;
      expect(stored.length).toBeGreaterThan(HEAP);
      // every line is a bundle the ground library verifies, with the suite asked for
      const lines = stored.split("\n");
      expect(lines.pop()).toBe("");
      expect(lines).toHaveLength(READINGS);
      const v = new Verifier(8, 8, 4);
      for (const [k, line] of lines.entries()) {
        const b = Uint8Array.from(Buffer.from(line, "hex"));
        expect(v.verifyAll(b, 0, b.length), `bundle ${k}`).toBe(1);
        expect(v.verdict[0], `bundle ${k}`).toBe(0);
        expect(v.kind[0]).toBe(suite);
        // the payload: the sequence number, then 1/100 degC
        expect(Buffer.from(b.subarray(b.length - 8)).readUInt32BE(0)).toBe(k);
        expect(Buffer.from(b.subarray(b.length - 8)).readInt32BE(4)).toBe(2000 + k);
      }
    }, 120_000);
  }

  test("one payload digit changed in flash: that bundle, and only it, not intact", async () => {
    const files = new Map<string, string>();
    await run(recordAll(40, SuiteKind.Crc32), files);
    const lines = files.get("readings")!.split("\n");
    const at = lines[17]!.length - 3; // a digit of the payload's last octet
    lines[17] = lines[17]!.slice(0, at) + (lines[17]![at] === "0" ? "1" : "0") + lines[17]!.slice(at + 1);
    files.set("readings", lines.join("\n"));
    const got = await run("checkAll()", files);
    expect(got.error).toBe("");
    expect(got.value).toBe(1);
    expect(got.lines).toEqual(["readings: bundle 17: NOT intact", "readings: 40 bundles, 39 intact"]);
  }, 120_000);

  test("a last line cut short (power lost while appending): incomplete, the others intact", async () => {
    const files = new Map<string, string>();
    await run(recordAll(10, SuiteKind.Crc32), files);
    files.set("readings", files.get("readings")!.slice(0, -40));
    const got = await run("checkAll()", files);
    expect(got.value).toBe(1);
    expect(got.lines).toEqual(["readings: bundle 9: incomplete", "readings: 10 bundles, 9 intact"]);
  }, 120_000);

  test("the same heap cannot hold the stored file whole (the limit is real)", async () => {
    const got = await run(`var whole = new Uint8Array(${HEAP}); whole.length`);
    expect(got.value).toBeUndefined();
    expect(got.error).toMatch(/memory/i);
  });
});
