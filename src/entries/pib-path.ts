/**
 * The whole PIB path a node runs, and nothing a ground tool needs: parse a bundle
 * (RFC 5050), canonicalize (RFC 6257 §3.4.2), sign and verify PIBs with all three
 * suites of draft-irtf-dtnrg-bundle-checksum-02, relay policy, and the key table.
 * Budget: ≤ 8,192 bytes minified in the Espruino file (targets/budgets.json).
 */
export { Signer, Verifier } from "../pib.js";
export { Relay } from "../relay.js";
export { KeyTable } from "../keys.js";
export { Bundle } from "../bundle.js";
export { Crc32c } from "../crc32c.js";
export { Md5 } from "../md5.js";
export { Sha1 } from "../sha1.js";
export { HmacSha1, nullKey } from "../hmac.js";
export { U64, readSdnv, readSdnvNumber, writeSdnv, writeSdnvU64, sdnvLength, sdnvLengthU64 } from "../sdnv.js";
