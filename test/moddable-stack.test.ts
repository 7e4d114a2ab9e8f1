/**
 * XS stack: the Moddable example (targets/examples/moddable/main.js) run on each exact built
 * file of dist/moddable/ in XS with a stack limit, to find the fewest stack slots it
 * needs; every generated manifest and the example's own manifest must give that
 * plus the device's base use plus a margin, and the on-board path stays within its
 * budget.
 *
 * The limit: xsnap-worker has no stack flag, but XS reads its creation record back
 * from a snapshot, so the worker starts from a snapshot whose `stackCount` is its
 * resting stack + N slots (targets/hosts/xs.ts `stackSlots`). Past the limit XS
 * reports a stack overflow, as a device aborts. XS counts the same slots on a device
 * (arguments, locals, captured variables and temporaries of each frame); what the
 * worker needs to run an empty `main` is measured and taken off, so `need` is what
 * main.js and pibkit add. The Moddable SDK 8.2.3 built for Linux ran the same example
 * 16–18 slots above this figure (its own frames under main): DEVICE_BASE.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { ensureFirmware, FEATURES, loadBoard, suiteFeature } from "../targets/hosts/engineRun.js";
import { XsHost, xsnapWorkerPath } from "../targets/hosts/xs.js";
import { layOut, resolveManifest, startModule } from "../targets/build/moddableGraph.js";
import { needs } from "./support/shared.js";

const ROOT = join(import.meta.dirname, "..");
const MANIFEST = join(ROOT, "targets/examples/moddable/manifest.json");
/** Slots the SDK's own frames under main take on a device beyond xsnap's empty-main figure (measured: 16–18). */
const DEVICE_BASE = 20;
/** Room left above the measured need: code changes and other call paths (the example signs and verifies CRC-32C only). */
const MARGIN = 64;
/**
 * Builds the example runs on (it needs Signer, Verifier and the CRC suite), with the
 * most slots each may need (measured with xsnap 0.15 / XS 12 on 2026-12-07: full 208, on-board 204, CRC-only 203).
 * The on-board path has no recursion and keeps its wide frames off the deepest chain.
 */
const BUDGET: Record<string, number> = {
  pibkit: 248,
  "pibkit-pib-path": 204,
  "pibkit-pib-path+keys": 204,
  "pibkit-pib-path+writer": 204,
  "pibkit-insecure-crc32": 204,
};

const HAVE_XS = needs(xsnapWorkerPath() !== undefined, "Moddable XS stack need of the example", "@agoric/xsnap's xsnap-worker is not built (npm install builds it)");

beforeAll(async () => {
  await ensureFirmware();
  await ensureFirmware(FEATURES["pib-path"]!, "pibkit-pib-path");
  await ensureFirmware(FEATURES["pib-path+keys"]!, "pibkit-pib-path+keys");
  await ensureFirmware(FEATURES["pib-path+writer"]!, "pibkit-pib-path+writer");
  const crc = suiteFeature(["insecure-crc32"]);
  await ensureFirmware(crc, crc.name);
}, 120_000);

/** True when `module` runs to `globalThis.__main === "ok"` in XS with `slots` stack slots beyond the worker's resting stack. */
async function runsWith(module: string, slots: number): Promise<boolean> {
  const xs = new XsHost({ stackSlots: slots });
  try {
    await xs.evaluate("globalThis.trace = function () {};");
    const r = await xs.importModule(module);
    if (!r.ok) return false;
    const v = await xs.evalString("globalThis.__main");
    return v.ok && v.reply === "ok";
  } finally {
    await xs.close();
  }
}

/** The fewest slots with which `module` runs (bisection in (lo, hi]). */
async function fewestSlots(module: string, lo = 0, hi = 1024): Promise<number> {
  if (!(await runsWith(module, hi))) throw new Error(`${module} does not run even with ${hi} stack slots`);
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (await runsWith(module, mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

describe.runIf(HAVE_XS)("XS stack need of the Moddable example on each build", () => {
  let emptyMain = 0;
  const need: Record<string, number> = {};

  test("the stack limit is real: a runaway recursion fails under it and an empty main runs", async () => {
    const g = resolveManifest(MANIFEST);
    const dir = layOut(g);
    const empty = join(dir, "__empty.js");
    writeFileSync(empty, `function main() { return "ok"; }\nglobalThis.__main = main();\n`);
    emptyMain = await fewestSlots(empty, 0, 256);
    const deep = join(dir, "__deep.js");
    writeFileSync(deep, `function f(n) { return n ? f(n - 1) + 1 : 0; }\nglobalThis.__main = f(40) === 40 ? "ok" : "bad";\n`);
    expect(await runsWith(deep, 4000)).toBe(true);
    expect(await runsWith(deep, emptyMain + 100)).toBe(false);
  }, 60_000);

  for (const name of Object.keys(BUDGET)) {
    test(`${name}: the example needs at most ${BUDGET[name]} slots, and its manifest gives that + ${DEVICE_BASE} + ${MARGIN}`, async () => {
      expect(emptyMain, "the stack-limit test runs first").toBeGreaterThan(0);
      const g = resolveManifest(MANIFEST);
      g.modules["pibkit"] = join(ROOT, "dist/moddable", name + ".js");
      const dir = layOut(g);
      const start = startModule(dir, g);
      need[name] = (await fewestSlots(start, emptyMain, emptyMain + 1024)) - emptyMain;
      console.log(`XS stack: the Moddable example on ${name}.js needs ${need[name]} slots beyond an empty main`);
      expect(need[name]).toBeLessThanOrEqual(BUDGET[name]!);
      const manifest = resolveManifest(join(ROOT, "dist/moddable", name === "pibkit" ? "manifest.json" : name + ".manifest.json"));
      expect(manifest.creation["stack"], `${name} manifest stack`).toBeGreaterThanOrEqual(need[name]! + DEVICE_BASE + MARGIN);
    }, 120_000);
  }

  test("the example's manifest and both Moddable board profiles give the largest need + base + margin", () => {
    expect(Object.keys(need).sort(), "every build measured").toEqual(Object.keys(BUDGET).sort());
    const most = Math.max(...Object.values(need));
    expect(resolveManifest(MANIFEST).creation["stack"]).toBeGreaterThanOrEqual(most + DEVICE_BASE + MARGIN);
    for (const b of ["moddable-esp32", "moddable-esp8266"]) {
      expect(loadBoard(b)["moddable"].creation.stack.value, b).toBeGreaterThanOrEqual(most + DEVICE_BASE + MARGIN);
    }
  });
});
