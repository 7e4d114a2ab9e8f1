/**
 * Bundles with a payload of any length for the streaming tests: the worked example's
 * primary block, `n` seeded random payload octets, optionally a block after the payload,
 * signed by the given suites in turn (the last one's PIB nearest the primary block).
 */
import type { KeyTable } from "../../src/ground/keys.js";
import { Signer } from "../../src/ground/pib.js";
import type { CanonProfile } from "../../src/ground/profiles.js";
import { writeSdnv } from "../../src/core/sdnv.js";
import { EX1_UNSIGNED, hex } from "./pibVectors.js";
import { rng } from "./rng.js";

/** [SuiteKind, key id] pairs, signed in this order. */
export type Signings = ReadonlyArray<readonly [number, number]>;

export function bigBundle(n: number, seed: number, profile: CanonProfile, trailer: boolean, signings: Signings, keys: KeyTable | null = null): Uint8Array {
  const r = rng(seed);
  const payload = new Uint8Array(n);
  for (let i = 0; i < n; i++) payload[i] = (r() * 256) | 0;
  const primary = hex(EX1_UNSIGNED).subarray(0, hex(EX1_UNSIGNED).length - 15);
  const parts: number[] = [...primary, 1, trailer ? 0 : 8];
  const len = new Uint8Array(10);
  const e = writeSdnv(len, 0, 10, n);
  parts.push(...len.subarray(0, e));
  let bytes = new Uint8Array(parts.length + n + (trailer ? 6 : 0));
  bytes.set(parts, 0);
  bytes.set(payload, parts.length);
  if (trailer) bytes.set([0xc0, 0x08, 3, 1, 2, 3], parts.length + n);
  const g = new Signer(32, 32);
  g.profile = profile;
  g.keys = keys;
  for (const [kind, keyId] of signings) {
    const out = new Uint8Array(bytes.length + 128);
    const m = g.sign(bytes, 0, bytes.length, out, 0, out.length, kind, keyId);
    if (m < 0) throw new Error(`bigBundle: sign gave ${m}`);
    bytes = out.slice(0, m);
  }
  return bytes;
}
