/**
 * Zero allocation, proved on the exact built firmware (engines.md): every hot path
 * runs 10,000 times in QuickJS under a memory limit with ZERO headroom (the smallest
 * limit at which the 0-iteration call succeeds) and must not run out of memory; in XS
 * `currentHeapCount` must not grow with the number of calls. Deliberately allocating
 * control paths must fail both checks, so the test can fail.
 *
 * Iterations: 10,000 for every path; the 4 KiB canonicalize/sign paths (≈ 40 MiB of
 * hashing each in a WebAssembly interpreter) run 10,000 only with PIBKIT_ALLOC_FULL=1
 * and 300 otherwise — an allocation per call fails on the first iteration anyway, and
 * the cheap paths keep the 10,000-call check for allocations that happen only now and then.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { quickJsZeroHeadroom, xsHeapGrowth } from "../targets/allocProbe.js";
import { ensureFirmware, loaderScript } from "../targets/engineRun.js";
import { XsHost, xsnapWorkerPath } from "../targets/hosts/xs.js";
import { commonSetup, CONTROL_PATHS, HOT_PATHS } from "../targets/hotPaths.js";

const FULL = process.env["PIBKIT_ALLOC_FULL"] === "1";
let loader: string;
let xs: XsHost | undefined;

beforeAll(async () => {
  const files = await ensureFirmware();
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
  for (const p of HOT_PATHS) {
    const iterations = p.bigIterations && !FULL ? 300 : 10_000;
    test(`${p.name}: ${iterations} calls allocate nothing`, async () => {
      const r = await quickJsZeroHeadroom(loader, { ...p, iterations });
      expect(r.error ?? "", `${p.name} allocates (limit ${r.limit} B)`).toBe("");
      expect(r.ok).toBe(true);
    });
  }
  for (const c of CONTROL_PATHS) {
    test(`${c.name} is caught`, async () => {
      const r = await quickJsZeroHeadroom(loader, c);
      expect(r.ok).toBe(false);
      expect(r.error).toMatch(/out of memory/);
    });
  }
});

describe.skipIf(!xsnapWorkerPath())("XS, currentHeapCount per call", () => {
  for (const p of HOT_PATHS) {
    const iterations = p.bigIterations && !FULL ? 100 : 1000;
    test(`${p.name}: heap count does not grow over ${iterations} calls`, async () => {
      const r = await xsHeapGrowth(xs!, null, p, iterations);
      expect(r.error ?? "").toBe("");
      expect(r.grown, `${p.name}: run(${iterations}) added ${r.grown} slots, run(0) ${r.base}`).toBe(r.base);
    });
  }
  for (const c of CONTROL_PATHS) {
    test(`${c.name} is caught`, async () => {
      const r = await xsHeapGrowth(xs!, null, c, 5000);
      expect(r.grown).toBeGreaterThan(r.base);
    });
  }
});
