/**
 * Ciphersuite ids of the on-board path: draft-irtf-dtnrg-bundle-checksum-02 §3
 * 0x04 PIB-HMAC, 0x05 PIB-INSECURE-MD5, 0x06 PIB-INSECURE-CRC32, meaningful only
 * inside a PIB (block type 3): the same numbers are other suites in RFC 6257 §9.2,
 * DTN2 and ION.
 *
 * Feature builds (`make firmware SUITES=…`) replace this file with one where each
 * left-out suite is -1: no SDNV reads as -1, so verification calls it an unknown
 * suite, and signing with it returns -Err.UnknownSuite before any digest is touched.
 */
export const HMAC_ID = 4;
export const MD5_ID = 5;
export const CRC32_ID = 6;
