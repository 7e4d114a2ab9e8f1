/**
 * The zero-allocation test suite body, shared by test/alloc.test.ts (small hot paths)
 * and test/alloc-bundles.test.ts (the 4 KiB canonicalize/verify/sign paths), so the
 * two halves run in parallel test workers.
 *
 * QuickJS: 10,000 calls per path under the zero-headroom limit (the figure);
 * PIBKIT_ALLOC_QUICK=1 runs 300 for the 4 KiB paths while developing. XS: 1,000 calls
 * (100 for the 4 KiB paths) must add no heap slots.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { quickJsZeroHeadroom, xsHeapGrowth } from "./allocProbe.js";
import { readFileSync } from "node:fs";
import { ensureFirmware, loaderScript, type Feature } from "./engineRun.js";
import { XsHost, xsnapWorkerPath } from "./hosts/xs.js";
import { commonSetup, CONTROL_PATHS, HOT_PATHS } from "./hotPaths.js";

/** A feature build to probe instead of the full library: its paths are those whose `needs` it exports. */
export interface AllocBuild {
  label: string;
  feature: Feature;
  name: string;
}

/** Builds `b` and lists the names its Espruino file exports (`exports.x=` assignments). */
export async function allocBuildExports(b: AllocBuild): Promise<string[]> {
  const files = await ensureFirmware(b.feature, b.name);
  return [...readFileSync(files["espruino"]!, "utf8").matchAll(/exports\.([\w$]+)=/g)].map((m) => m[1]!);
}

export function allocSuite(bundles: boolean, build?: AllocBuild & { exports: string[] }): void {
  const quick = process.env["PIBKIT_ALLOC_QUICK"] === "1";
  const paths = HOT_PATHS.filter((p) => !!p.bigIterations === bundles && (!build || p.needs.every((n) => build.exports.includes(n))));
  const prefix = build ? build.label + ": " : "";
  // a build whose exports match no path would prove nothing
  test(`${prefix}${paths.length} hot paths to probe`, () => expect(paths.length).toBeGreaterThan(0));
  let loader = "";
  let xs: XsHost | undefined;

  beforeAll(async () => {
    const files = build ? await ensureFirmware(build.feature, build.name) : await ensureFirmware();
    // the Espruino file with Espruino's missing built-ins removed: the fallbacks run
    loader = loaderScript(files["espruino"]!, "espruino", true) + commonSetup();
    if (xsnapWorkerPath()) {
      xs = new XsHost();
      const r = await xs.evaluate(loader);
      if (!r.ok) throw new Error("XS setup: " + r.error);
    }
  });
  afterAll(async () => {
    await xs?.close();
  });

  describe("QuickJS, zero headroom", () => {
    for (const p of paths) {
      const iterations = p.bigIterations && quick ? 300 : (p.quickJsIterations ?? 10_000);
      test(`${prefix}${p.name}: ${iterations} calls allocate nothing`, async () => {
        const r = await quickJsZeroHeadroom(loader, { ...p, iterations });
        expect(r.error ?? "", `${p.name} allocates (limit ${r.limit} B)`).toBe("");
        expect(r.ok).toBe(true);
      }, 600_000); // 10,000 HMACs of 4 KiB in a WebAssembly interpreter on a busy CI machine
    }
    if (!bundles) {
      for (const c of CONTROL_PATHS) {
        test(`${c.name} is caught`, async () => {
          const r = await quickJsZeroHeadroom(loader, c);
          expect(r.ok).toBe(false);
          expect(r.error).toMatch(/out of memory/);
        });
      }
    }
  });

  describe.skipIf(!xsnapWorkerPath())("XS, currentHeapCount per call", () => {
    for (const p of paths) {
      const iterations = p.bigIterations ? 100 : 1000;
      test(`${prefix}${p.name}: heap count does not grow over ${iterations} calls`, async () => {
        const r = await xsHeapGrowth(xs!, null, p, iterations);
        expect(r.error ?? "").toBe("");
        expect(r.grown, `${p.name}: run(${iterations}) added ${r.grown} slots, run(0) ${r.base}`).toBe(r.base);
      });
    }
    if (!bundles) {
      for (const c of CONTROL_PATHS) {
        test(`${c.name} is caught`, async () => {
          const r = await xsHeapGrowth(xs!, null, c, 5000);
          expect(r.grown).toBeGreaterThan(r.base);
        });
      }
    }
  });
}
