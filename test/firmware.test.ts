/**
 * Checks on the exact firmware files (dist/): the Espruino language check, the
 * load-time allocation probe (Moddable preload freezes module-level buffers), the
 * shape of each upload form, and the Moddable manifest.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { ensureFirmware, FEATURES, loadBoard, loaderScript, loadTimeAllocations, relayFeature, suiteFeature, type Feature } from "../targets/hosts/engineRun.js";
import { checkEspruinoSource, formatViolations } from "../targets/build/espruinoCheck.js";

const builds: Array<[string, Feature]> = [
  ["pibkit", FEATURES["full"]!],
  ["pibkit-pib-path", FEATURES["pib-path"]!],
  ["pibkit-pib-path+keys", FEATURES["pib-path+keys"]!],
  ["pibkit-crc-only", FEATURES["crc-only"]!],
  ["pibkit-insecure-crc32", suiteFeature(["insecure-crc32"])],
  ["pibkit-relay-insecure-crc32", relayFeature(["insecure-crc32"])],
  ["pibkit-relay", relayFeature([])],
];
const files: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  for (const [name, f] of builds) files[name] = await ensureFirmware(f, name);
});

describe.each(builds.map((b) => b[0]))("%s", (name) => {
  test("Espruino language check passes on the exact .min.js and .addcached.js", () => {
    for (const key of ["espruino", "addCached", "generic"]) {
      const file = files[name]![key]!;
      const v = checkEspruinoSource(readFileSync(file, "utf8"));
      expect(v, formatViolations(file, v)).toEqual([]);
    }
  });

  test("nothing at module top level creates a typed array, ArrayBuffer, DataView, Map or Set", async () => {
    expect(await loadTimeAllocations(loaderScript(files[name]!["generic"]!, "generic", false))).toEqual([]);
    expect(await loadTimeAllocations(loaderScript(files[name]!["espruino"]!, "espruino", false))).toEqual([]);
  });

  test("Espruino forms: exports assignments, no esbuild export helper, ASCII, no comments", () => {
    const min = readFileSync(files[name]!["espruino"]!, "utf8");
    const cached = readFileSync(files[name]!["addCached"]!, "utf8");
    expect(min).toMatch(/exports\.\w+=[\w$]+;\n$/);
    expect(min).not.toMatch(/__export|__defProp|Object\.defineProperty\(exports|\bexport\s*\{|\bimport\b/);
    expect(/^[\x09\x0a\x20-\x7e]*$/.test(min)).toBe(true);
    expect(min).not.toContain("/*");
    expect(min.trimEnd().split("\n")).toHaveLength(1);
    expect(cached.startsWith('Modules.addCached("pibkit",function(){')).toBe(true);
    expect(cached.endsWith("});\n")).toBe(true);
    expect(cached).toContain(min.trimEnd());
  });
});

describe("Moddable", () => {
  test("manifest lists the module under modules and preload, creation from the board profile", () => {
    const m = JSON.parse(readFileSync(files["pibkit"]!["manifest"]!, "utf8"));
    expect(m.modules).toEqual({ pibkit: "./pibkit" });
    expect(m.preload).toEqual(["pibkit"]);
    const board = loadBoard("moddable-esp32");
    expect(m.creation.static).toBe(board["moddable"].creation.static.value);
    expect(m.creation.stack).toBe(board["moddable"].creation.stack.value);
    expect(m.creation.heap).toEqual(board["moddable"].creation.heap.value);
  });
  test("the module is ESM with exports and no lowering helpers", () => {
    const mod = readFileSync(files["pibkit"]!["moddable"]!, "utf8");
    expect(mod).toMatch(/export\s*\{[^}]+\}\s*;?\s*$/);
  });
});

describe("the checks can fail", () => {
  test("load-time probe catches a module-level Uint8Array and Map", async () => {
    const made = await loadTimeAllocations("var T = new Uint8Array(256); var M = new Map(); function f() { return new Uint8Array(4); }");
    expect(made).toEqual(["Uint8Array(256)", "Map()"]);
  });
  test("language check catches an unguarded Math.imul in a built-looking file", () => {
    const v = checkEspruinoSource('var a=function(b,c){return Math.imul(b,c)};exports.a=a;');
    expect(v.map((x) => x.rule)).toEqual(["missing-builtin"]);
  });
});
