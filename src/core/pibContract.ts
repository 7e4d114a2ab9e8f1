/**
 * The public face every PIB verifier and signer shares: the ground classes (pib.ts),
 * the on-board ones (onboard/verifier.ts, signer.ts), and whatever drives them —
 * relay.ts, the differential tests, the firmware examples. Types only: nothing here
 * reaches a firmware file.
 */
import type { KeyLookup } from "./keyLookup.js";

export interface PibVerifier {
  /** HMAC keys for key ids ≠ 0; null = only the NULL key (RFC 5327 §2.1). */
  keys: KeyLookup | null;
  /** Octets it may still digest; < 0 = unlimited (relay.ts's per-tick budget). */
  budget: number;
  /** Octets digested so far. */
  bytes: number;
  /** PIBs found by the last verifyAll; per PIB k < count: Verdict, SuiteKind, Err code. */
  count: number;
  verdict: Uint8Array;
  kind: Uint8Array;
  code: Int32Array;
  /** Parses buf[off, end) and checks every PIB (LIFO): the count, or -Err.X. */
  verifyAll(buf: Uint8Array, off: number, end: number): number;
  /** At least one PIB and every verdict Ok. */
  allOk(): boolean;
}

export interface PibSigner {
  keys: KeyLookup | null;
  /** Inserts one PIB of suite `kind` (SuiteKind) after the primary block: octets written or -Err.X. */
  sign(inBuf: Uint8Array, inOff: number, inEnd: number, out: Uint8Array, outOff: number, outEnd: number, kind: number, keyId: number): number;
}
