/**
 * The on-board PIB path (docs/onboard.md): sign and verify PIBs with the checksum
 * suites of draft-irtf-dtnrg-bundle-checksum-02 under Profile R, and the SDNV helpers a
 * node uses directly. Same public names as the ground library, so examples, engine
 * scripts, src/ground/relay.ts and src/ground/keys.ts work on it unchanged. The
 * firmware entries add the suites' digests (src/entries/pib-path.ts: all of them; a
 * build with fewer suites: only its own, targets/build/firmware.mjs suiteFeature).
 */
export { Verifier } from "./verifier.js";
export { Signer } from "./signer.js";
export { U64, readSdnv, writeSdnv, sdnvLength } from "../core/sdnv.js";
