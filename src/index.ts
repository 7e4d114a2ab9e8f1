/**
 * pibkit firmware entry: everything a node needs on the PIB path (RFC 5050 bundle
 * parsing and writing, RFC 6257 PIBs with mutable canonicalization, the three
 * checksum ciphersuites of draft-irtf-dtnrg-bundle-checksum-02, keys). The firmware
 * builds (targets/firmware.mjs) bundle this file for Espruino, Moddable XS and
 * generic hosts; feature builds with fewer suites have their own entries in
 * src/entries/. Ground-only modules (errorText) stay out: firmware carries bare codes.
 */
export * from "./sdnv.js";
export * from "./crc32c.js";
export * from "./md5.js";
export * from "./sha1.js";
export * from "./hmac.js";
export * from "./bundle.js";
export * from "./eid.js";
export * from "./bundleWriter.js";
export * from "./asb.js";
export * from "./profiles.js";
export * from "./canon.js";
export * from "./suites.js";
export * from "./pib.js";
export * from "./relay.js";
export * from "./keys.js";
