/**
 * pibkit firmware entry: everything a node needs on the PIB path (RFC 5050 bundle
 * parsing and writing, RFC 6257 PIBs with mutable canonicalization, the three
 * checksum ciphersuites of draft-irtf-dtnrg-bundle-checksum-02, keys). The firmware
 * builds (targets/build/firmware.mjs) bundle this file for Espruino, Moddable XS and
 * generic hosts; feature builds with fewer suites have their own entries in
 * src/entries/. Ground-only modules (errorText) stay out: firmware carries bare codes.
 */
export * from "../core/sdnv.js";
export * from "../core/crc32c.js";
export * from "../core/md5.js";
export * from "../core/sha1.js";
export * from "../core/hmac.js";
export * from "../ground/bundle.js";
export * from "../ground/eid.js";
export * from "../ground/bundleWriter.js";
export * from "../ground/asb.js";
export * from "../ground/profiles.js";
export * from "../ground/canon.js";
// the suites' functions; the suite table (SUITES) is text for ground tools and builds, not firmware
export { DEFAULT_SUITE_IDS, HMAC_RESULT_SIZE, SuiteKind, isUnauthenticated, resultSize, suiteId, suiteKind, suiteKindByName, suiteName } from "../core/suites.js";
export type { SuiteIds } from "../core/suites.js";
export * from "../core/verdict.js";
export * from "../ground/pib.js";
export * from "../ground/describe.js";
export * from "../ground/relay.js";
export * from "../ground/keys.js";
