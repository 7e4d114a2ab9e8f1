/**
 * The docs/firmware.md examples run: the Puck.js sensor script (targets/examples/espruino/
 * puck-sensor.js) passes the Espruino language check and, on the SUITES=insecure-crc32
 * firmware in QuickJS without Espruino's missing built-ins, emits bundles whose
 * PIB-INSECURE-CRC32 verifies with the library (and fails once a bit flips). The
 * example writes its primary block by hand (the on-board path has no writer): it must
 * be octet for octet what the ground library's BundleWriter makes of the same fields.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { Bundle } from "../src/ground/bundle.js";
import { BundleWriter, PrimarySpec, writeBlock } from "../src/ground/bundleWriter.js";
import { Verifier } from "../src/ground/pib.js";
import { ensureFirmware, ESPRUINO_PRELUDE, suiteFeature } from "../targets/hosts/engineRun.js";
import { QuickJsHost } from "../targets/hosts/quickjs.js";
import { espruinoLanguageTest } from "./support/espruinoExample.js";

const ROOT = join(import.meta.dirname, "..");
const PUCK = join(ROOT, "targets/examples/espruino/puck-sensor.js");
let firmware: string;

beforeAll(async () => {
  const f = suiteFeature(["insecure-crc32"]);
  firmware = readFileSync((await ensureFirmware(f, f.name))["espruino"]!, "utf8");
});

describe("Puck.js sensor example", () => {
  espruinoLanguageTest(PUCK);
  test("signs readings that verify, and a flipped bit does not", async () => {
    const h = await QuickJsHost.create({ memoryLimit: 4 << 20 });
    try {
      const shims = `var __out = []; function print(s) { __out.push(String(s)); }
var E = { getTemperature: function () { return 21.37; } };
var __timer = null; function setInterval(f, ms) { __timer = f; return 1; }
var __mod = (function () { var exports = {}; var module = { exports: exports };
${firmware}
return exports; })();
function require(n) { if (n === "pibkit") return __mod; throw new Error("no module " + n); }
`;
      const r = h.load(ESPRUINO_PRELUDE + shims + readFileSync(PUCK, "utf8") + "\n__timer(); __timer();", "puck.js");
      expect(r.ok ? "" : r.error).toBe("");
      const out = h.eval<string[]>("__out");
      expect(out.ok).toBe(true);
      const lines = (out.ok ? out.value : []) as string[];
      expect(lines).toHaveLength(3);
      const v = new Verifier(8, 8, 4);
      lines.forEach((line, i) => {
        expect(line).toMatch(/^bundle [0-9a-f]+$/);
        const b = Uint8Array.from(Buffer.from(line.slice(7), "hex"));
        expect(v.verifyAll(b, 0, b.length)).toBe(1);
        expect(v.verdict[0], `reading ${i}`).toBe(0);
        expect(v.kind[0]).toBe(3);
        // the hand-written bundle = the writer's, with the same fields
        const parsed = new Bundle(8, 8);
        expect(parsed.parse(b, 0, b.length)).toBe(0);
        const spec = new PrimarySpec();
        const ascii = (t: string) => Uint8Array.from(Buffer.from(t, "ascii"));
        spec.flags = 0x90;
        spec.dest = ascii("dtn://ground/sensors");
        spec.source = ascii("dtn://puck-1/temp");
        spec.reportTo = ascii("dtn:none");
        spec.custodian = ascii("dtn:none");
        spec.lifetime.lo = 86400;
        spec.ctime.lo = parsed.ctime.lo;
        spec.seq.lo = parsed.seq.lo;
        expect(parsed.seq.lo).toBe(i);
        const w = new Uint8Array(200);
        let n = new BundleWriter().writePrimary(w, 0, w.length, spec);
        expect(n).toBe(parsed.primaryEnd);
        const payload = b.subarray(b.length - 8);
        n = writeBlock(w, n, w.length, 1, 0x08, true, payload, 0, 8);
        const unsigned = Buffer.concat([b.subarray(0, parsed.primaryEnd), b.subarray(b.length - 11)]);
        expect(Buffer.from(w.subarray(0, n)).toString("hex")).toBe(unsigned.toString("hex"));
        b[b.length - 1]! ^= 0x01;
        v.verifyAll(b, 0, b.length);
        expect(v.verdict[0]).toBe(1);
      });
    } finally {
      h.dispose();
    }
  });
});
