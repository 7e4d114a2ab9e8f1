/**
 * The published test vectors (SDNV: RFC 5050 §4.1, RFC 6256; CRC-32C: RFC 3720 B.4;
 * MD5: RFC 1321 A.5; SHA-1: RFC 3174; HMAC-SHA1: RFC 2202) and the worked PIB examples
 * (docs/pib.md) run against the EXACT built firmware files in QuickJS, Moddable XS
 * (xsnap-worker) and Node — as the generic script, as the Espruino Storage file and as
 * the Espruino addCached upload. The Espruino forms run after a prelude that deletes
 * the built-ins Espruino lacks, so the fallbacks are what gets tested.
 * The driver is targets/hosts/conformance.js (plain ES5, runs inside each engine).
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, test } from "vitest";
import { conformanceDuktape, conformanceNode, conformanceQuickJs, conformanceXs, conformanceXsModule, dukPath, ensureFirmware, featureInputs, relayFeature, suiteFeature, FEATURES, loaderScript, type ConformanceResult, type LoadForm } from "../targets/hosts/engineRun.js";
import { xsnapWorkerPath } from "../targets/hosts/xs.js";
import { needs } from "./support/shared.js";

const HAVE_XS = needs(
  xsnapWorkerPath() !== undefined,
  "Moddable XS: 4 conformance runs and the XS half of the 8 feature-build runs",
  "@agoric/xsnap's xsnap-worker is not built (npm install builds it; see allowScripts in package.json)",
);
const HAVE_DUK = needs(dukPath() !== undefined, "Duktape 2.7: the 2 ES5-build conformance runs", "duk not found; apt-get install -y duktape (.ci/run installs it)");

let files: Record<string, string>;
let groups: string[];
beforeAll(async () => {
  files = await ensureFirmware();
  groups = FEATURES["full"]!.groups;
});

function expectClean(r: ConformanceResult, min: number): void {
  expect(r.failures).toEqual([]);
  expect(r.ran.length).toBeGreaterThanOrEqual(min);
}

const FORMS: Array<[LoadForm, boolean, string]> = [
  ["generic", false, "dist/generic/pibkit.js"],
  ["espruino", true, "dist/espruino/pibkit.min.js (Espruino built-ins removed)"],
  ["addcached", true, "dist/espruino/pibkit.addcached.js (Espruino built-ins removed)"],
];

function fileOf(form: LoadForm): string {
  return form === "generic" ? files["generic"]! : form === "espruino" ? files["espruino"]! : files["addCached"]!;
}

describe("conformance on the built files", () => {
  for (const [form, prelude, label] of FORMS) {
    test(`QuickJS: ${label}`, async () => {
      expectClean(await conformanceQuickJs(loaderScript(fileOf(form), form, prelude), groups), 60);
    });
    test(`Node vm: ${label}`, () => {
      expectClean(conformanceNode(loaderScript(fileOf(form), form, prelude), groups), 60);
    });
    test.runIf(HAVE_XS)(`XS: ${label}`, async () => {
      expectClean(await conformanceXs(loaderScript(fileOf(form), form, prelude), groups), 60);
    });
  }
  test.runIf(HAVE_XS)("XS: dist/moddable/pibkit.js as an ES module", async () => {
    expectClean(await conformanceXsModule(files["moddable"]!, groups), 60);
  });
  test.runIf(HAVE_DUK)("Duktape 2.7 (Debian duktape): ES5 build of the ground library (full)", async () => {
    expectClean(await conformanceDuktape(FEATURES["full"]!, groups), 60);
  });
  test.runIf(HAVE_DUK)("Duktape 2.7: ES5 build of the on-board path with the key table", async () => {
    expectClean(await conformanceDuktape(FEATURES["pib-path+keys"]!, FEATURES["pib-path+keys"]!.groups), 60);
  });
  test("the driver can fail: a firmware with a broken CRC table is caught", async () => {
    const broken = loaderScript(files["generic"]!, "generic", false) + "\npibkit.Crc32c.prototype.finish = function (o, off) { o[off] = 1; o[off + 1] = 2; o[off + 2] = 3; o[off + 3] = 4; };\n";
    const r = await conformanceQuickJs(broken, ["crc"]);
    expect(r.failures.length).toBeGreaterThan(5);
  });
});

describe("feature builds", () => {
  const builds: Array<[string, () => Promise<{ files: Record<string, string>; groups: string[] }>]> = [
    ["pib-path (on-board)", async () => ({ files: await ensureFirmware(FEATURES["pib-path"]!, "pibkit-pib-path"), groups: FEATURES["pib-path"]!.groups })],
    ["pib-path+keys", async () => ({ files: await ensureFirmware(FEATURES["pib-path+keys"]!, "pibkit-pib-path+keys"), groups: FEATURES["pib-path+keys"]!.groups })],
    ["pib-path+stream", async () => ({ files: await ensureFirmware(FEATURES["pib-path+stream"]!, "pibkit-pib-path+stream"), groups: FEATURES["pib-path+stream"]!.groups })],
    ["crc-only", async () => ({ files: await ensureFirmware(FEATURES["crc-only"]!, "pibkit-crc-only"), groups: FEATURES["crc-only"]!.groups })],
    ["SUITES=insecure-crc32", async () => {
      const f = suiteFeature(["insecure-crc32"]);
      return { files: await ensureFirmware(f, f.name), groups: f.groups };
    }],
    ["SUITES=insecure-md5", async () => {
      const f = suiteFeature(["insecure-md5"]);
      return { files: await ensureFirmware(f, f.name), groups: f.groups };
    }],
    ["SUITES=hmac,insecure-crc32", async () => {
      const f = suiteFeature(["hmac", "insecure-crc32"]);
      return { files: await ensureFirmware(f, f.name), groups: f.groups };
    }],
    ["ROLE=relay SUITES=insecure-crc32", async () => {
      const f = relayFeature(["insecure-crc32"]);
      return { files: await ensureFirmware(f, f.name), groups: f.groups };
    }],
    ["ROLE=relay (all suites)", async () => {
      const f = relayFeature([]);
      return { files: await ensureFirmware(f, f.name), groups: f.groups };
    }],
  ];
  for (const [label, make] of builds) {
    test(`${label}: Espruino file in QuickJS (built-ins removed)${HAVE_XS ? " and XS" : ""}`, async () => {
      const b = await make();
      const loader = loaderScript(b.files["espruino"]!, "espruino", true);
      const min = b.groups.includes("relay") ? 7 : 10; // a relay build runs only the relay group
      expectClean(await conformanceQuickJs(loader, b.groups), min);
      if (HAVE_XS) expectClean(await conformanceXs(loader, b.groups), min);
    });
  }
  test("the on-board path carries none of the ground library's PIB, canonicalizer, parser, writer, key table or relay", async () => {
    const inputs = await featureInputs(FEATURES["pib-path"]!);
    expect(inputs.some((f) => f.startsWith("src/onboard/"))).toBe(true);
    for (const gone of ["src/ground/pib.ts", "src/ground/canon.ts", "src/ground/bundle.ts", "src/ground/bundleWriter.ts", "src/ground/keys.ts", "src/ground/relay.ts", "src/ground/profiles.ts", "src/ground/eid.ts"]) expect(inputs).not.toContain(gone);
    // control: the add-on build does carry the key table
    expect(await featureInputs(FEATURES["pib-path+keys"]!)).toContain("src/ground/keys.ts");
    const files = await ensureFirmware(FEATURES["pib-path"]!, "pibkit-pib-path");
    const r = await conformanceQuickJs(loaderScript(files["espruino"]!, "espruino", true) + "\nif (pibkit.KeyTable || pibkit.Relay || pibkit.BundleWriter || !pibkit.Signer || !pibkit.Verifier) throw new Error('pib-path exports');", []);
    expect(r.failures).toEqual([]);
  });
  test("relay builds carry no Signer, bundle writer or key table; the CRC relay no MD5/SHA-1", async () => {
    for (const f of [relayFeature(["insecure-crc32"]), relayFeature([])]) {
      const inputs = await featureInputs(f);
      for (const there of ["src/ground/relay.ts"]) expect(inputs).toContain(there);
      expect(inputs.some((x) => x.startsWith("src/onboard/"))).toBe(true);
      // the relay runs on the on-board Verifier, not the ground library's
      for (const gone of ["src/ground/pib.ts", "src/ground/canon.ts", "src/ground/bundle.ts", "src/ground/bundleWriter.ts", "src/ground/keys.ts"]) expect(inputs).not.toContain(gone);
      const files = await ensureFirmware(f, f.name);
      const r = await conformanceQuickJs(loaderScript(files["espruino"]!, "espruino", true) + "\nif (pibkit.Signer || pibkit.KeyTable || pibkit.BundleWriter) throw new Error('relay exports a signer, key table or writer');", []);
      expect(r.failures).toEqual([]);
    }
    const crc = await featureInputs(relayFeature(["insecure-crc32"]));
    for (const gone of ["src/core/md5.ts", "src/core/sha1.ts", "src/core/hmac.ts", "src/core/mdBlock.ts"]) expect(crc).not.toContain(gone);
  });
  test("SUITES=insecure-crc32 carries no MD5/SHA-1 and calls other suites unknown", async () => {
    const f = suiteFeature(["insecure-crc32"]);
    const files = await ensureFirmware(f, f.name);
    const inputs = await featureInputs(f);
    expect(inputs).toContain("src/core/crc32c.ts");
    for (const gone of ["src/core/md5.ts", "src/core/sha1.ts", "src/core/hmac.ts", "src/core/mdBlock.ts"]) expect(inputs).not.toContain(gone);
    // control: the whole on-board PIB path does carry them
    const all = await featureInputs(FEATURES["pib-path"]!);
    for (const there of ["src/core/md5.ts", "src/core/sha1.ts", "src/core/hmac.ts"]) expect(all).toContain(there);
    const text = readFileSync(files["espruino"]!, "utf8");
    // MD5's first sine constant 0xd76aa478 and SHA-1's 0x5a827999, in any base esbuild prints
    for (const k of [0xd76aa478, 0x5a827999, 0xd76aa478 | 0, 0x5a827999 | 0]) {
      expect(text).not.toContain(String(k));
      expect(text.toLowerCase()).not.toContain("0x" + (k >>> 0).toString(16));
    }
    const md5Bundle = "068a81182d0004000e00180018fba29000019c101d64746e002f2f6473742f617070002f2f7372632f617070006e6f6e650003011a0505040402000c1205108b14dd4a1b63fae7f6580f3820dad93a01080c48656c6c6f2c20776f726c64";
    const r = await conformanceQuickJs(
      loaderScript(files["espruino"]!, "espruino", true) +
        `\nvar __v = new pibkit.Verifier(8, 8, 4); var __b = new Uint8Array(${JSON.stringify([...Buffer.from(md5Bundle, "hex")])});` +
        `\n__v.verifyAll(__b, 0, __b.length); if (__v.count !== 1 || __v.verdict[0] !== 2) throw new Error("MD5 PIB not UnknownSuite: " + __v.verdict[0]);` +
        `\nvar __s = new pibkit.Signer(8, 8); if (__s.sign(__b, 0, 10, new Uint8Array(64), 0, 64, 2, 0) >= 0) throw new Error("signed MD5");`,
      ["crc"],
    );
    expect(r.failures).toEqual([]);
  });
});
