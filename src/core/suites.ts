/**
 * The three checksum ciphersuites of draft-irtf-dtnrg-bundle-checksum-02 §3:
 * what each one is, how long its result is, and the
 * names a person reads.
 *
 * The ids are configurable: the draft's 0x04/0x05/0x06 clash with RFC 6257 §9.2
 * (0x04 = ESB-RSA-AES128-EXT), DTN2 (0x05 BA5, 0x06 PI6) and ION (docs/pib.md). They mean a checksum suite only inside a PIB (block type 3).
 */

/** Which algorithm a suite runs; 0 = not one of ours. */
export const enum SuiteKind {
  None = 0,
  /** PIB-HMAC: HMAC-SHA1 keeping the leftmost 10 octets (RFC 2104 §5). */
  Hmac = 1,
  /** PIB-INSECURE-MD5 (RFC 1321), 16 octets. */
  Md5 = 2,
  /** PIB-INSECURE-CRC32: CRC-32C (RFC 3309), 4 octets least significant first. */
  Crc32 = 3,
}

/** The ciphersuite ids in use. Plain data so a configuration can carry other numbers. */
export interface SuiteIds {
  readonly hmac: number;
  readonly md5: number;
  readonly crc32: number;
}

// `@__PURE__`: a firmware that never names the ids (src/onboard/) drops them at build time.
export const DEFAULT_SUITE_IDS: SuiteIds =
  typeof Object.freeze === "function" ? /* @__PURE__ */ Object.freeze({ hmac: 4, md5: 5, crc32: 6 }) : { hmac: 4, md5: 5, crc32: 6 };

/** Result octets of HMAC-SHA1-80 (draft §3: "ten-octet result"). */
export const HMAC_RESULT_SIZE = 10;

/** The kind of ciphersuite `csId` is under `ids` (hi = high 32 bits of the SDNV). */
export function suiteKind(ids: SuiteIds, hi: number, lo: number): number {
  if (hi !== 0) return SuiteKind.None;
  if (lo === ids.hmac) return SuiteKind.Hmac;
  if (lo === ids.md5) return SuiteKind.Md5;
  if (lo === ids.crc32) return SuiteKind.Crc32;
  return SuiteKind.None;
}

/** Octets of the security result a suite writes (item 5's value length). */
export function resultSize(kind: number): number {
  if (kind === SuiteKind.Hmac) return HMAC_RESULT_SIZE;
  if (kind === SuiteKind.Md5) return 16;
  if (kind === SuiteKind.Crc32) return 4;
  return 0;
}

/** The id `kind` has under `ids`; -1 for SuiteKind.None. */
export function suiteId(ids: SuiteIds, kind: number): number {
  if (kind === SuiteKind.Hmac) return ids.hmac;
  if (kind === SuiteKind.Md5) return ids.md5;
  if (kind === SuiteKind.Crc32) return ids.crc32;
  return -1;
}

/**
 * The draft's mnemonic. Unauthenticated suites MUST say INSECURE (draft §3), and a
 * NULL-keyed HMAC authenticates nothing either (its key is published, RFC 5327 §2.1).
 */
export function suiteName(kind: number, keyId: number): string {
  if (kind === SuiteKind.Hmac) return keyId === 0 ? "PIB-HMAC (NULL key — no security)" : "PIB-HMAC";
  if (kind === SuiteKind.Md5) return "PIB-INSECURE-MD5";
  if (kind === SuiteKind.Crc32) return "PIB-INSECURE-CRC32";
  return "unknown suite";
}

/** True when a check with this suite/key proves nothing about who sent it (draft §3.1). */
export function isUnauthenticated(kind: number, keyId: number): boolean {
  return kind === SuiteKind.Md5 || kind === SuiteKind.Crc32 || (kind === SuiteKind.Hmac && keyId === 0);
}

/** The suite named on a command line: `hmac`, `insecure-md5`, `insecure-crc32`; 0 if none. */
export function suiteKindByName(name: string): number {
  if (name === "hmac") return SuiteKind.Hmac;
  if (name === "insecure-md5") return SuiteKind.Md5;
  if (name === "insecure-crc32") return SuiteKind.Crc32;
  return SuiteKind.None;
}
