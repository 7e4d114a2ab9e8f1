/**
 * Options shared by `pibkit sign` and `pibkit verify`: the canonicalization profile
 * and the ciphersuite ids (configurable: the draft's 4/5/6 clash with RFC 6257, DTN2
 * and ION numbering, bundle-checksum.md §7 item 1).
 */
import { profileByName, type CanonProfile } from "../src/profiles.js";
import { DEFAULT_SUITE_IDS, type SuiteIds } from "../src/suites.js";
import { KeyTable } from "../src/keys.js";
import { codeError, hexOption, usageError } from "./common.js";

export const PROFILE_HELP = `  --profile P          canonicalization profile (bundle-checksum.md §4):
                       rfc6257 (default, profile R), rfc6257-packed (R′), dtn2, ibr
  --suite-ids H,M,C    ciphersuite ids of PIB-HMAC, PIB-INSECURE-MD5 and
                       PIB-INSECURE-CRC32 (default 4,5,6, the draft's)`;

export const PROFILE_OPTIONS = {
  profile: { type: "string" },
  "suite-ids": { type: "string" },
} as const;

export function profileOption(text: string | undefined): CanonProfile {
  const p = profileByName(text ?? "rfc6257");
  if (!p) usageError(`--profile must be rfc6257, rfc6257-packed, dtn2 or ibr, got "${text}"`);
  return p;
}

export function suiteIdsOption(text: string | undefined): SuiteIds {
  if (text === undefined) return DEFAULT_SUITE_IDS;
  const m = /^(\d{1,9}),(\d{1,9}),(\d{1,9})$/.exec(text);
  if (!m) usageError(`--suite-ids must be three decimal ids H,M,C, got "${text}"`);
  const ids = { hmac: Number(m[1]), md5: Number(m[2]), crc32: Number(m[3]) };
  if (ids.hmac === ids.md5 || ids.md5 === ids.crc32 || ids.hmac === ids.crc32) usageError("--suite-ids must be three different ids");
  return ids;
}

/** `--key ID=HEX` (repeatable; verify and inspect) into a key table; null when none is given. */
export function keysOption(specs: string[] | undefined): KeyTable | null {
  const keys = specs ?? [];
  if (keys.length === 0) return null;
  const table = new KeyTable(keys.length, keys.length + 1);
  for (const spec of keys) {
    const m = /^(\d{1,15})=(.*)$/.exec(spec);
    if (!m) usageError(`--key must be ID=HEX, got "${spec}"`);
    const key = hexOption("--key", m[2]!);
    const e = table.install(Number(m[1]), key, 0, key.length);
    if (e < 0) codeError(e, `--key ${m[1]}`);
  }
  return table;
}
