/**
 * Zero allocation of the 4 KiB paths of the ON-BOARD firmware (targets/size/allocSuite.ts
 * explains the method), on the exact pib-path+keys Espruino file — the on-board
 * Verifier and Signer (src/onboard/) with the key table add-on: canonicalize-and-verify
 * per suite (CRC-32C, MD5, NULL-key HMAC, keyed HMAC through the key table, both keys
 * tried during a rollover) and sign into a fixed buffer per suite — 300 calls each in
 * QuickJS under zero headroom (allocSuite.ts says why that count proves it), and no
 * heap growth in XS. The relay check is in test/alloc-relay.test.ts (its own firmware).
 */
import { allocBuildExports, allocSuite, type AllocBuild } from "../targets/size/allocSuite.js";
import { FEATURES } from "../targets/hosts/engineRun.js";

const build: AllocBuild = { label: "pib-path+keys", feature: FEATURES["pib-path+keys"]!, name: "pibkit-pib-path+keys" };
allocSuite(true, { ...build, exports: await allocBuildExports(build) });
