/**
 * Options shared by `pibkit sign` and `pibkit verify`: the canonicalization profile
 * and the ciphersuite ids (configurable: the draft's 4/5/6 clash with RFC 6257, DTN2
 * and ION numbering; docs/pib.md).
 */
import { profileByName, type CanonProfile } from "../src/ground/profiles.js";
import { DEFAULT_SUITE_IDS, SUITES, suiteByCli, suiteIdsOf, type Suite, type SuiteIds } from "../src/core/suites.js";
import { KeyTable } from "../src/ground/keys.js";
import { Verifier } from "../src/ground/pib.js";
import { Verdict } from "../src/core/verdict.js";
import { Err } from "../src/core/errors.js";
import { codeError, hexOption, usageError } from "./common.js";

/** "a, b or c" (`word` "and": "a, b and c") */
function orList(items: readonly string[], word = "or"): string {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} ${word} ${items[items.length - 1]}`;
}

/** The suites' command-line names, as help and errors list them ("hmac, insecure-md5 or insecure-crc32"). */
export const SUITE_CHOICES = orList(SUITES.map((s) => s.cli));

/** `--suite-ids`' placeholder: one letter per suite, in table order (H,M,C). */
const IDS_PLACEHOLDER = SUITES.map((s) => s.key[0]!.toUpperCase()).join(",");
const COUNT_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
const IDS_COUNT = COUNT_WORDS[SUITES.length] ?? String(SUITES.length);

/** `--suite S` lines of a help text: each suite's name, what it is and whether it authenticates. */
export const SUITE_HELP = SUITES.map(
  (s, i) =>
    `${i === 0 ? "  --suite S          " : "                     "}  ${s.cli.padEnd(15)} ${s.name}, ${s.algorithm}${s.keyed ? "" : " (no security: error detection only)"}`,
).join("\n");

export const PROFILE_HELP = `  --profile P          canonicalization profile (RFC 6257 §3.4.2; docs/pib.md):
                       rfc6257 (default, profile R), rfc6257-packed (R′), dtn2, ibr
  --suite-ids ${IDS_PLACEHOLDER.padEnd(9)}ciphersuite ids of ${orList(SUITES.map((s) => s.name), "and")}
                       (default ${SUITES.map((s) => s.id).join(",")}, the draft's)`;

/** `--suite NAME` (sign): the suite table's row; a usage error names the allowed ones. */
export function suiteOption(text: string | undefined): Suite {
  if (text === undefined) usageError(`--suite is required: ${SUITE_CHOICES}`);
  const s = suiteByCli(text);
  if (!s) usageError(`--suite must be ${SUITE_CHOICES}, got "${text}"`);
  return s;
}

export const PROFILE_OPTIONS = {
  profile: { type: "string" },
  "suite-ids": { type: "string" },
} as const;

export const PROFILE_NAMES = ["rfc6257", "rfc6257-packed", "dtn2", "ibr"] as const;

export function profileOption(text: string | undefined): CanonProfile {
  const p = profileByName(text ?? "rfc6257");
  if (!p) usageError(`--profile must be rfc6257, rfc6257-packed, dtn2 or ibr, got "${text}"`);
  return p;
}

/**
 * For each PIB that mismatched under `v.profile`: the first other named profile under
 * which it verifies (same suite ids, keys and options), keyed by its block index. A
 * bundle signed by DTN2 or IBR-DTN canonicalizes differently, and a bare MISMATCH
 * would not say so.
 */
export function otherProfileMatches(v: Verifier, bytes: Uint8Array): Map<number, string> {
  return otherProfilesBy(
    v,
    () => new Verifier(v.bundle.maxBlocks_, v.bundle.maxEidRefs_, v.capacity),
    (w) => w.verifyAll(bytes, 0, bytes.length),
  );
}

/**
 * otherProfileMatches for any way of checking the same bundle again: `make` gives a
 * verifier like v's, set up here with v's suite ids, keys and options and each other
 * profile in turn; `verify` checks the bundle with it (its PIB count or -Err.X).
 */
export function otherProfilesBy<T extends Verifier>(v: Verifier, make: () => T, verify: (w: T) => number): Map<number, string> {
  const found = new Map<number, string>();
  const mismatched: number[] = [];
  for (let k = 0; k < v.count; k++) if (v.verdict[k] === Verdict.Mismatch) mismatched.push(v.block[k]!);
  if (mismatched.length === 0) return found;
  const w = make();
  w.ids = v.ids;
  w.keys = v.keys;
  w.acceptBare = v.acceptBare;
  for (const name of PROFILE_NAMES) {
    const profile = profileByName(name)!;
    if (profile === v.profile) continue;
    w.profile = profile;
    if (verify(w) < 0) continue;
    for (let k = 0; k < w.count; k++) {
      const block = w.block[k]!;
      if (w.verdict[k] === Verdict.Ok && mismatched.includes(block) && !found.has(block)) found.set(block, name);
    }
  }
  return found;
}

/** `--suite-ids` (one id per suite, in table order), or the draft's ids. */
export function suiteIdsOption(text: string | undefined): SuiteIds {
  if (text === undefined) return DEFAULT_SUITE_IDS;
  const parts = text.split(",");
  if (parts.length !== SUITES.length || !parts.every((p) => /^\d{1,9}$/.test(p))) {
    usageError(`--suite-ids must be ${IDS_COUNT} decimal ids ${IDS_PLACEHOLDER}, got "${text}"`);
  }
  const ids = parts.map(Number);
  if (new Set(ids).size !== ids.length) usageError(`--suite-ids must be ${IDS_COUNT} different ids`);
  return suiteIdsOf(ids);
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
    if (e < 0) codeError(e, `--key ${m[1]}${e === -Err.KeyBadLength ? ` (${key.length} octets given)` : ""}`);
  }
  return table;
}
