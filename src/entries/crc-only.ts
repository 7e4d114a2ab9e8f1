/**
 * CRC-only firmware: CRC-32C (RFC 3309, PIB-INSECURE-CRC32's algorithm) and SDNVs
 * (RFC 5050 §4.1), for a sensor that checksums its records and leaves bundling to a
 * bigger node. Budget: ≤ 1,536 bytes minified (targets/size/budgets.json).
 */
export { Crc32c } from "../core/crc32c.js";
export { U64, readSdnv, readSdnvNumber, writeSdnv, writeSdnvU64, sdnvLength, sdnvLengthU64 } from "../core/sdnv.js";
