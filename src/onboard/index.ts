/**
 * Firmware entry of the on-board PIB path (docs/onboard.md): sign and verify PIBs with
 * the three suites of draft-irtf-dtnrg-bundle-checksum-02 under Profile R, plus the
 * primitives a node uses directly. Same public names as the ground library, so
 * examples, engine scripts, src/relay.ts and src/keys.ts work on it unchanged.
 */
export { Verifier } from "./verifier.js";
export { Signer } from "./signer.js";
export { Crc32c } from "../crc32c.js";
export { Md5 } from "../md5.js";
export { Sha1 } from "../sha1.js";
export { HmacSha1, nullKey } from "../hmac.js";
export { U64, readSdnv, writeSdnv, sdnvLength } from "../sdnv.js";
