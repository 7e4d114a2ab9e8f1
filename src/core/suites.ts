/**
 * The checksum ciphersuites of draft-irtf-dtnrg-bundle-checksum-02 §3: the suite table
 * (SUITES, one row per suite) and the small functions the firmware uses.
 *
 * The ids are configurable: the draft's 0x04/0x05/0x06 clash with RFC 6257 §9.2
 * (0x04 = ESB-RSA-AES128-EXT), DTN2 (0x05 BA5, 0x06 PI6) and ION (docs/pib.md). They mean a checksum suite only inside a PIB (block type 3).
 *
 * Adding a suite (docs/design.md "Adding a ciphersuite"): a SuiteKind, a SuiteIds
 * field, a row in SUITES, and the branches below and in suiteDigests.ts,
 * src/onboard/suiteIds.ts and src/onboard/pibPath.ts. The command line (`--suite`,
 * `--suite-ids`, inspect), the firmware builds (`SUITES=…`), bench and the simulator
 * read the table; test/suite-table.test.ts walks every row through all of them and
 * fails on a row one of them does not know.
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

/** The ciphersuite ids in use, one field per suite (its row's `key`). Plain data so a configuration can carry other numbers. */
export interface SuiteIds {
  readonly hmac: number;
  readonly md5: number;
  readonly crc32: number;
}

/** One row of the suite table. */
export interface Suite {
  /** SuiteKind: what sign() takes and Verifier.kind holds. Its build bit is `1 << kind` (suiteBit). */
  readonly kind: number;
  /** Its field in SuiteIds; `--suite-ids` lists the ids in table order. */
  readonly key: keyof SuiteIds;
  /** The draft's ciphersuite id (DEFAULT_SUITE_IDS). */
  readonly id: number;
  /** Octets of the security result (resultSize). */
  readonly size: number;
  /** The draft's mnemonic (suiteName; key id 0 of a keyed suite adds the NULL-key warning). */
  readonly name: string;
  /** Name on the command line: `--suite`, `SUITES=` of a firmware build, `sim --suites`. */
  readonly cli: string;
  /** What it computes, for help text. */
  readonly algorithm: string;
  /** Keyed (PIB-HMAC: a key id parameter; key id 0 = the published NULL key). Unkeyed suites authenticate nothing. */
  readonly keyed: boolean;
  /** `pibkit digest --alg` name of the raw digest a PIB of this suite computes (bench compares the two). */
  readonly digest: string;
  /**
   * Its digest's modules in src/core/: in a firmware build with the suite, absent from
   * one without it; a build with fewer suites exports what they export (firmware.mjs suiteFeature).
   */
  readonly modules: readonly string[];
  /** targets/hosts/conformance.js groups that test its digest; a relay build runs `relay-<key>`. */
  readonly groups: readonly string[];
}

/**
 * The suite table, in draft order. Ground tools, build scripts, bench and simulator
 * read it; no firmware carries it (src/entries/full.ts does not export it), so its
 * text costs no flash.
 */
export const SUITES: readonly Suite[] = [
  {
    kind: SuiteKind.Hmac, key: "hmac", id: 4, size: 10, name: "PIB-HMAC", cli: "hmac",
    algorithm: "HMAC-SHA1 truncated to 10 octets", keyed: true, digest: "hmac-sha1",
    modules: ["hmac", "sha1"], groups: ["sha1", "hmac"],
  },
  {
    kind: SuiteKind.Md5, key: "md5", id: 5, size: 16, name: "PIB-INSECURE-MD5", cli: "insecure-md5",
    algorithm: "MD5", keyed: false, digest: "md5",
    modules: ["md5"], groups: ["md5"],
  },
  {
    kind: SuiteKind.Crc32, key: "crc32", id: 6, size: 4, name: "PIB-INSECURE-CRC32", cli: "insecure-crc32",
    algorithm: "CRC-32C", keyed: false, digest: "crc32c",
    modules: ["crc32c"], groups: ["crc"],
  },
];

/**
 * Other numberings' ciphersuites, for naming a security block that is not one of the
 * table's (inspect): RFC 6257 §9.2 (ids 1–4, as read in BAB/PIB/PCB/ESB), DTN2's own
 * (docs/pib.md), and bplib's 2022 BIB, a BPSec-draft layout in block type 3.
 */
export const RFC6257_SUITE_NAMES: Readonly<Record<number, string>> = {
  1: "BAB-HMAC", 2: "PIB-RSA-SHA256", 3: "PCB-RSA-AES128-PAYLOAD-PIB-PCB", 4: "ESB-RSA-AES128-EXT",
};
export const DTN2_SUITE_NAMES: Readonly<Record<number, string>> = {
  5: "BAB-HMAC-SHA256 (DTN2 BA5)", 6: "PIB-ECDSA-SHA256 (DTN2 PI6)", 10: "PIB-ECDSA-SHA384 (DTN2 PI10)",
};
export const BPLIB_BIB_SUITE_NAMES: Readonly<Record<number, string>> = { 10: "CRC-16/X.25", 11: "CRC-32C" };

/** The table row a suiteName() text names (`PIB-HMAC (NULL key — no security)` → PIB-HMAC), or undefined. */
export function suiteByName(text: string): Suite | undefined {
  for (const s of SUITES) if (text === s.name || text.startsWith(s.name + " ")) return s;
  return undefined;
}

/** A suite's bit in a build's `__PIBKIT_SUITES__` (src/core/build.ts). */
export function suiteBit(kind: number): number {
  return 1 << kind;
}

/** The row of `kind`, or undefined. */
export function suiteByKind(kind: number): Suite | undefined {
  for (const s of SUITES) if (s.kind === kind) return s;
  return undefined;
}

/** The row named `name` on a command line (`insecure-crc32`), or undefined. */
export function suiteByCli(name: string): Suite | undefined {
  for (const s of SUITES) if (s.cli === name) return s;
  return undefined;
}

/** SuiteIds from ids listed in table order (`--suite-ids 4,5,6`). */
export function suiteIdsOf(ids: readonly number[]): SuiteIds {
  const out: Record<string, number> = {};
  for (let i = 0; i < SUITES.length; i++) out[SUITES[i]!.key] = ids[i]!;
  return out as unknown as SuiteIds;
}

// The table's ids, written out: SUITES is kept out of firmware. `@__PURE__`: a firmware
// that never names the ids (src/onboard/) drops them at build time.
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

/**
 * True when a check with this suite/key proves nothing about who sent it (draft §3.1):
 * every suite but a keyed one, and a keyed one with the NULL key.
 */
export function isUnauthenticated(kind: number, keyId: number): boolean {
  return kind !== SuiteKind.None && (kind !== SuiteKind.Hmac || keyId === 0);
}

/** The suite named on a command line (a row's `cli`); 0 if none. */
export function suiteKindByName(name: string): number {
  if (name === "hmac") return SuiteKind.Hmac;
  if (name === "insecure-md5") return SuiteKind.Md5;
  if (name === "insecure-crc32") return SuiteKind.Crc32;
  return SuiteKind.None;
}
