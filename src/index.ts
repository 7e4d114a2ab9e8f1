/**
 * pibkit firmware entry: everything a node needs on the PIB path (RFC 5050 bundle
 * parsing, RFC 6257 PIBs with mutable canonicalization, the three checksum
 * ciphersuites of draft-irtf-dtnrg-bundle-checksum-02, keys). The firmware builds
 * (targets/firmware.mjs) bundle this file for Espruino, Moddable XS and generic hosts;
 * feature builds with fewer suites have their own entries in src/entries/.
 */
export * from "./sdnv.js";
export * from "./bundle.js";
export * from "./suites.js";
export * from "./profiles.js";
