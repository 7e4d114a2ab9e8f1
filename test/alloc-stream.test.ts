/**
 * Zero allocation of the on-board streaming verifier (targets/size/allocSuite.ts
 * explains the method), on the exact pib-path+stream Espruino file: begin, one push per
 * 64-octet piece and end over a 4 KiB bundle with three PIBs (CRC-32C, MD5, NULL-key
 * HMAC, one digest lane each), 300 times in QuickJS under zero headroom, and no heap
 * growth in XS. Only the streaming path is probed here: the whole-buffer paths the
 * same file carries are those of test/alloc-bundles.test.ts.
 */
import { allocSuite, type AllocBuild } from "../targets/size/allocSuite.js";
import { FEATURES } from "../targets/hosts/engineRun.js";

const build: AllocBuild = { label: "pib-path+stream", feature: FEATURES["pib-path+stream"]!, name: "pibkit-pib-path+stream" };
// the exports the streaming path needs, so that it alone is selected
allocSuite(true, { ...build, exports: ["StreamVerifier", "Signer"] });
