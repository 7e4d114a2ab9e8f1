/**
 * How PIB verification finds HMAC keys, without knowing how they are stored.
 * `keys.ts` implements it (key table, rollover by trial verification,
 * draft-rescorla-tcp-auth-arch-00 §4); `pib.ts` only calls it.
 * Key id 0 is the NULL key of RFC 5327 §2.1 and never reaches a KeyLookup.
 */
import type { HmacSha1 } from "./hmac.js";

export interface KeyLookup {
  /** How many keys to try for `keyId`: 0 = unknown key, 2 while a rollover is pending. */
  count(keyId: number): number;
  /** Loads the i-th candidate key for `keyId` into `mac` (its setKey). */
  load(keyId: number, i: number, mac: HmacSha1): void;
  /** The i-th candidate verified a PIB; the first success under a new key retires the old one. */
  verified(keyId: number, i: number): void;
}
