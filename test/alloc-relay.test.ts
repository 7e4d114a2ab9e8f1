/**
 * Zero allocation of the relay firmware's hot path (targets/size/allocSuite.ts explains the
 * method): Relay.check on a 4 KiB bundle with a PIB-INSECURE-CRC32 plus tick(), on the
 * exact ROLE=relay SUITES=insecure-crc32 Espruino file (the on-board Verifier + Relay),
 * 300 calls in QuickJS under zero headroom (allocSuite.ts says why that count proves
 * it) and no heap growth in XS.
 */
import { allocBuildExports, allocSuite, type AllocBuild } from "../targets/size/allocSuite.js";
import { relayFeature } from "../targets/hosts/engineRun.js";

const f = relayFeature(["insecure-crc32"]);
const build: AllocBuild = { label: "relay-crc32", feature: f, name: f.name! };
allocSuite(true, { ...build, exports: await allocBuildExports(build) });
