/**
 * Zero allocation of the ground library's 4 KiB paths (targets/size/allocSuite.ts explains
 * the method) on the exact full Espruino file — the one dist/generic/pibkit.js shares
 * its code with, which the simulator runs on its QuickJS "device": canonicalize-and-
 * verify per suite (keyed and rollover included), the relay check, and sign into a
 * fixed buffer per suite, 300 calls each in QuickJS under zero headroom (allocSuite.ts
 * says why that count proves it) and no heap growth in XS. The on-board firmware's paths are in test/alloc-bundles.test.ts.
 */
import { allocBuildExports, allocSuite, type AllocBuild } from "../targets/size/allocSuite.js";
import { FEATURES } from "../targets/hosts/engineRun.js";

const build: AllocBuild = { label: "full", feature: FEATURES["full"]!, name: "pibkit" };
allocSuite(true, { ...build, exports: await allocBuildExports(build) });
