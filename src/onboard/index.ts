/**
 * Firmware entry of the on-board PIB path (docs/onboard.md): sign and verify PIBs with
 * the three suites of draft-irtf-dtnrg-bundle-checksum-02 under Profile R, plus the
 * primitives a node uses directly. Same public names as the ground library, so
 * examples, engine scripts, src/ground/relay.ts and src/ground/keys.ts work on it unchanged.
 */
export { Verifier } from "./verifier.js";
export { Signer } from "./signer.js";
export { Crc32c } from "../core/crc32c.js";
export { Md5 } from "../core/md5.js";
export { Sha1 } from "../core/sha1.js";
export { HmacSha1, nullKey } from "../core/hmac.js";
export { U64, readSdnv, writeSdnv, sdnvLength } from "../core/sdnv.js";
