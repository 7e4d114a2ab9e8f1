/**
 * The public face every PIB verifier and signer shares: the ground classes
 * (src/ground/pib.ts), the on-board ones (src/onboard/verifier.ts, signer.ts), and
 * whatever drives them — src/ground/relay.ts, the differential tests, the firmware
 * examples. Types only: nothing here reaches a firmware file.
 */
import type { KeyLookup } from "./keyLookup.js";
import type { SuiteDigests } from "./suiteDigests.js";

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

/**
 * The `share` parameter of a Signer's and a KeyTable's constructor: a Verifier on the
 * same node whose state the new object borrows instead of making its own. A node
 * checks, signs and manages keys one at a time, never two at once, and every check
 * or signature loads its key into the shared HMAC-SHA1 before use, so one copy
 * serves all three and its RAM is paid once.
 *
 * - ground Signer (src/ground/pib.ts): the Verifier's digests and canonicalizer, and
 *   its Bundle when that has room for the output (maxBlocks + 1 blocks, maxEidRefs
 *   references): `sign` then leaves the Verifier's `bundle` describing the signed
 *   output, so read a verification's results (`describePibs`, `bundle` fields) first.
 * - on-board Signer (src/onboard/signer.ts): the Verifier's path, digests and scratch;
 *   nothing new is allocated (9 JsVars in Espruino 2v29). Without it a Verifier with
 *   empty tables is made for its path, a second copy of the digests and the path's
 *   closures (~480 JsVars, 18 % of a Puck.js).
 * - KeyTable (src/ground/keys.ts): the HMAC-SHA1 object, for fingerprints and key
 *   derivation (one SHA-1 state and six typed arrays less).
 *
 * Either side's Verifier satisfies this interface; the Signers ask for their own
 * side's Verifier, whose further state they borrow.
 */
export interface SharedVerifier {
  digests_: SuiteDigests;
}
