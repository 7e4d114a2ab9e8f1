/**
 * Ciphersuite ids of the on-board path: draft-irtf-dtnrg-bundle-checksum-02 §3
 * 0x04 PIB-HMAC, 0x05 PIB-INSECURE-MD5, 0x06 PIB-INSECURE-CRC32 (the suite table's
 * ids, src/core/suites.ts; one `<KEY>_ID` per row), meaningful only inside a PIB
 * (block type 3): the same numbers are other suites in RFC 6257 §9.2, DTN2 and ION.
 *
 * A suite the build leaves out (`__PIBKIT_SUITES__`, src/core/build.ts; `make firmware
 * SUITES=…`) has id -1: no SDNV reads as -1, so verification calls it an unknown
 * suite, and signing with it returns -Err.UnknownSuite before any digest is touched.
 */
import type {} from "../core/build.js";

export const HMAC_ID = (typeof __PIBKIT_SUITES__ === "number" ? __PIBKIT_SUITES__ : -1) & (1 << 1) /* SuiteKind.Hmac */ ? 4 : -1;
export const MD5_ID = (typeof __PIBKIT_SUITES__ === "number" ? __PIBKIT_SUITES__ : -1) & (1 << 2) /* SuiteKind.Md5 */ ? 5 : -1;
export const CRC32_ID = (typeof __PIBKIT_SUITES__ === "number" ? __PIBKIT_SUITES__ : -1) & (1 << 3) /* SuiteKind.Crc32 */ ? 6 : -1;
