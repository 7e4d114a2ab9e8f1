/**
 * The on-board PIB path (src/onboard/, Profile R of RFC 6257 §3.4.2 only): what a
 * node runs to sign and verify PIBs with the three suites of
 * draft-irtf-dtnrg-bundle-checksum-02 — parse, canonicalize, sign, verify — and
 * nothing else, plus each suite's digest for a node that uses one directly (the
 * modules of the suite table's rows, src/core/suites.ts). The key table
 * (./pib-path-keys.ts), the relay (ROLE=relay) and the bundle writer (the full
 * library) are add-ons with their own size rows.
 * Budget: ≤ 8,192 bytes minified in the Espruino file (targets/size/budgets.json).
 */
export * from "../onboard/index.js";
export { Crc32c } from "../core/crc32c.js";
export { Md5 } from "../core/md5.js";
export { Sha1 } from "../core/sha1.js";
export { HmacSha1, nullKey } from "../core/hmac.js";
