/**
 * The docs/firmware.md examples run: the Puck.js sensor script (targets/espruino/
 * puck-sensor.js) passes the Espruino language check and, on the SUITES=insecure-crc32
 * firmware in QuickJS without Espruino's missing built-ins, emits bundles whose
 * PIB-INSECURE-CRC32 verifies with the library (and fails once a bit flips).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { Verifier } from "../src/pib.js";
import { ensureFirmware, ESPRUINO_PRELUDE, suiteFeature } from "../targets/engineRun.js";
import { checkEspruinoSource, formatViolations } from "../targets/espruinoCheck.js";
import { QuickJsHost } from "../targets/hosts/quickjs.js";

const ROOT = join(import.meta.dirname, "..");
const PUCK = join(ROOT, "targets/espruino/puck-sensor.js");
let firmware: string;

beforeAll(async () => {
  const f = suiteFeature(["insecure-crc32"]);
  firmware = readFileSync((await ensureFirmware(f, f.name))["espruino"]!, "utf8");
});

describe("Puck.js sensor example", () => {
  test("passes the Espruino language check", () => {
    const v = checkEspruinoSource(readFileSync(PUCK, "utf8"));
    expect(v, formatViolations(PUCK, v)).toEqual([]);
  });
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
        b[b.length - 1]! ^= 0x01;
        v.verifyAll(b, 0, b.length);
        expect(v.verdict[0]).toBe(1);
      });
    } finally {
      h.dispose();
    }
  });
});
