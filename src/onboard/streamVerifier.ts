/**
 * The on-board streaming verifier: the on-board Verifier (./verifier.ts) that also
 * takes a bundle in pieces, for bundles larger than the RAM a node can give them (one
 * in flash or Storage, one arriving over a link). Same contract as the ground
 * StreamVerifier (src/ground/stream.ts): `begin()`, `push(buf, off, len)` per piece in
 * order (0, or the final -Err.X), then `end()` returns what `verifyAll` returns for the
 * same octets and fills the same tables, however they were cut. Working memory is
 * fixed here: a `window` of octets for the blocks before and after the payload, and
 * `maxStreams` digest lanes (one per payload-covering PIB before the payload, one per
 * key candidate for a keyed PIB-HMAC). Lane 0 digests with the Verifier's own MD5 and
 * HMAC-SHA1, each further lane makes one of each; so between `begin` and `end` no
 * Signer or KeyTable sharing this Verifier may run. The streaming code is the end of
 * ./pibPath.ts and is in the build only where the `__PIBKIT_STREAM__` switch is 1 (the
 * `pib-path+stream` firmware).
 */
import type { StreamState, VerifierState } from "./pibPath.js";
import { Verifier } from "./verifier.js";

/**
 * A Verifier with its streaming state opened. Made by a plain function, not a subclass:
 * Espruino (2v29) keeps the class whose constructor a `super()` runs for the whole call,
 * so a subclass of Verifier breaks the `super()` of the Md5 and HmacSha1 that Verifier's
 * constructor makes ("Calling 'super' outside of class"). `new StreamVerifier(…)` works
 * as for a class: a constructor that returns an object gives that object.
 */
export interface StreamVerifier extends Verifier, StreamState {
  /** Forgets any bundle in progress (`end` does it too). */
  begin: () => void;
  /** The next piece buf[off, off + len): 0, or the final -Err.X (HeaderTooLarge, TrailerTooLarge, TooManyDigests, or the bundle's own error). */
  push: (buf: Uint8Array, off: number, len: number) => number;
  /** The number of PIBs, or -Err.X: what verifyAll gives for the octets pushed; then ready for the next bundle. */
  end: () => number;
  /**
   * After `end`: the result PIB k (0 ≤ k, before the payload) should carry, written to
   * out[off…] (the newest key candidate's, as Signer.sign signs); its length, or
   * -Err.NoPib when PIB k was not digested while streaming (after the payload, decided
   * without a digest, or the bundle fitted the window whole, so nothing streamed).
   * A PIB the budget skipped is sealed all the same: its lanes ran.
   * In-place signing: a stored bundle whose PIB has its result octets reserved is
   * pushed once, and this result is written over those octets.
   */
  seal: (k: number, out: Uint8Array, off: number) => number;
}

export const StreamVerifier = function (maxBlocks: number, maxEidRefs: number, maxPibs: number, window: number, maxStreams: number): StreamVerifier {
  const v = new Verifier(maxBlocks, maxEidRefs, maxPibs);
  (v as VerifierState).openStream_!(window, maxStreams);
  return v as StreamVerifier;
} as unknown as new (maxBlocks: number, maxEidRefs: number, maxPibs: number, window: number, maxStreams: number) => StreamVerifier;
