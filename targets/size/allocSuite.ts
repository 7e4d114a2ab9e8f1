/**
 * The zero-allocation test suite body, shared by test/alloc.test.ts (small hot paths)
 * and the test files of the 4 KiB canonicalize/verify/sign paths (one per firmware
 * build), so they run in parallel test workers.
 *
 * How many calls prove zero allocation. In QuickJS every call runs under a heap limit
 * of 1 byte, below what the heap holds, at which run(0) still succeeds (it allocates
 * nothing): there is no headroom at all, so ANY allocation in ANY call, even one
 * freed a moment later, fails that call at once. A path that
 * allocates on every call is therefore caught by its first call; repeating the call
 * adds only what depends on state carried from call to call: an allocation every
 * k-th call (a counter wrapping, a table filling up, a cache being refilled), which
 * N calls catch for every k <= N. Within one call of a 4 KiB path the inner loops
 * already run many times (64 digest blocks of 64 octets, each with its 64/80 rounds;
 * CRC-32C over 4,096 octets; 4 KiB of canonical stream through the canonicalizer's
 * chunk loop), so the per-block and per-chunk code is exercised thousands of times
 * in a few hundred calls. Hence:
 *   - small paths (64-octet digests, SDNVs, parses): 10,000 calls, cheap;
 *   - 4 KiB paths: BIG_CALLS (300) calls, which catches allocations recurring with a
 *     period up to 300 calls; a control that allocates on one call in 50 of a 4 KiB
 *     path shows that this count fails such a path. (10,000 calls of a 4 KiB HMAC in
 *     a WebAssembly interpreter cost minutes per path and catch only periods between
 *     300 and 10,000, which nothing in the verifier, signer or relay has: what they
 *     carry from call to call is fixed typed arrays, reset per bundle, and number
 *     counters, which never allocate.)
 * All paths of one file share one QuickJS VM with the firmware loaded once; each probe
 * runs under the zero-headroom limit in that VM (allocProbe.ts). XS: 1,000 calls (100 for the 4 KiB
 * paths) must add no heap slots, in one xsnap worker per file.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { QuickJsAllocProbe, xsHeapGrowth, type AllocPath } from "./allocProbe.js";
import { readFileSync } from "node:fs";
import { ensureFirmware, loaderScript, type Feature } from "../hosts/engineRun.js";
import { XsHost, xsnapWorkerPath } from "../hosts/xs.js";
import { commonSetup, CONTROL_PATHS, HOT_PATHS } from "./hotPaths.js";

/** A feature build to probe instead of the ground library (`full`): its paths are those whose `needs` it exports. */
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

/** QuickJS calls per 4 KiB path under zero headroom (see the file comment). */
export const BIG_CALLS = 300;
/** XS calls per path: 4 KiB paths and small ones. */
const XS_BIG_CALLS = 100;
const XS_CALLS = 1000;

/**
 * The control of a 4 KiB suite: its first path plus one small allocation every 50th
 * call, run with BIG_CALLS like the paths themselves. It must be caught, or the
 * reduced count would not be shown to catch an occasional allocation.
 */
export function occasionalControl(p: AllocPath): AllocPath {
  return {
    name: `control: ${p.name}, plus one allocation every 50 calls`,
    setup: p.setup,
    body: p.body + " if (i % 50 === 49) { var a = [i, i]; if (a.length !== 2) throw new Error(); }",
    iterations: BIG_CALLS,
  };
}

export function allocSuite(bundles: boolean, build?: AllocBuild & { exports: string[] }): void {
  const paths = HOT_PATHS.filter((p) => !!p.bigIterations === bundles && (!build || p.needs.every((n) => build.exports.includes(n))));
  const prefix = build ? build.label + ": " : "";
  // a build whose exports match no path would prove nothing
  test(`${prefix}${paths.length} hot paths to probe`, () => expect(paths.length).toBeGreaterThan(0));
  const controls: AllocPath[] = bundles ? (paths[0] ? [occasionalControl(paths[0])] : []) : CONTROL_PATHS;
  let qjs: QuickJsAllocProbe | undefined;
  let xs: XsHost | undefined;
  const xsOn = !!xsnapWorkerPath();

  beforeAll(async () => {
    const files = build ? await ensureFirmware(build.feature, build.name) : await ensureFirmware();
    // the Espruino file with Espruino's missing built-ins removed: the fallbacks run
    const loader = loaderScript(files["espruino"]!, "espruino", true) + commonSetup();
    qjs = await QuickJsAllocProbe.create(loader);
    if (xsOn) {
      xs = new XsHost();
      const r = await xs.evaluate(loader);
      if (!r.ok) throw new Error("XS setup: " + r.error);
    }
  });
  afterAll(async () => {
    qjs?.dispose();
    await xs?.close();
  });

  describe("QuickJS, zero headroom", () => {
    for (const p of paths) {
      const iterations = p.bigIterations ? BIG_CALLS : (p.quickJsIterations ?? 10_000);
      test(`${prefix}${p.name}: ${iterations} calls allocate nothing`, async () => {
        const r = await qjs!.probe({ ...p, iterations });
        expect(r.error ?? "", `${p.name} allocates (limit ${r.limit} B)`).toBe("");
        expect(r.ok).toBe(true);
      }, 300_000); // a few hundred 4 KiB HMACs in a WebAssembly interpreter on a busy CI machine
    }
    for (const c of controls) {
      test(`${c.name} is caught (${c.iterations ?? 10_000} calls)`, async () => {
        const r = await qjs!.probe(c);
        expect(r.ok).toBe(false);
        expect(r.error).toMatch(/out of memory/);
      }, 300_000);
    }
  });

  describe.skipIf(!xsOn)("XS, currentHeapCount per call", () => {
    for (const p of paths) {
      const iterations = p.bigIterations ? XS_BIG_CALLS : XS_CALLS;
      test(`${prefix}${p.name}: heap count does not grow over ${iterations} calls`, async () => {
        const r = await xsHeapGrowth(xs!, p, iterations);
        expect(r.error ?? "").toBe("");
        expect(r.grown, `${p.name}: run(${iterations}) added ${r.grown} slots, run(0) ${r.base}`).toBe(r.base);
      });
    }
    for (const c of controls) {
      // enough calls for the occasional controls to allocate at least twice
      const iterations = bundles ? XS_BIG_CALLS : 5000;
      test(`${c.name} is caught`, async () => {
        const r = await xsHeapGrowth(xs!, c, iterations);
        expect(r.grown).toBeGreaterThan(r.base);
      });
    }
  });
}
