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
 * Signer or KeyTable sharing this Verifier may run.
 *
 * It also signs bundles larger than RAM, in the two ways a store does it (the PIB goes
 * before the payload, so its result is needed before the payload is written): a bundle
 * stored with its PIB's result octets reserved is pushed once and `seal` gives the
 * result to write over them (in place); or an unsigned bundle on a source that can be
 * read twice is pushed once after `begin(kind, keyId)` (pass 1: digest) and read again
 * through `copy` (pass 2: the output, PIB put in). Signing counts the new PIB in
 * `maxBlocks`, `maxPibs` and the lanes, and needs window room for it beside the blocks
 * before the payload.
 *
 * The streaming code is the end of ./pibPath.ts and is in the build only where the
 * `__PIBKIT_STREAM__` switch is 1 (the `pib-path+stream` firmware).
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
  /**
   * Forgets any bundle in progress (`end` does it too). With a suite `kind` (SuiteKind
   * 1..3; `keyId` for PIB-HMAC, the newest candidate of `keys` signs): the bundle
   * pushed next is signed in two passes, pass 1 of which is push … end (see `copy`).
   */
  begin: (kind?: number, keyId?: number) => void;
  /** The next piece buf[off, off + len): 0, or the final -Err.X (HeaderTooLarge, TrailerTooLarge, TooManyDigests, or the bundle's own error). */
  push: (buf: Uint8Array, off: number, len: number) => number;
  /**
   * The number of PIBs, or -Err.X: what verifyAll gives for the octets pushed; then ready
   * for the next bundle. Signing: the signed bundle's length, or the -Err.X Signer.sign
   * gives for the same octets (NoPayload, UnknownKey…); the tables then describe the
   * output, its new PIB 0 checked before its result was written.
   */
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
  /**
   * Two-pass signing, pass 2: after `begin(kind, keyId)`, the unsigned bundle pushed and
   * `end()` ≥ 0, the same octets again from their start, in pieces of any size, each
   * written to out[outOff…] with the new PIB, result included, put in after the primary
   * block (and any BABs right after it) when the piece reaches that point. Returns the
   * offset after what it wrote: out needs room for the piece and, once, the PIB
   * (end's length minus the input's, at most 44 octets). The pieces written, in order,
   * are octet for octet what Signer.sign writes. The window holds the PIB until the next
   * `begin`: nothing else may run on this object between the passes.
   */
  copy: (buf: Uint8Array, off: number, len: number, out: Uint8Array, outOff: number) => number;
}

export const StreamVerifier = function (maxBlocks: number, maxEidRefs: number, maxPibs: number, window: number, maxStreams: number): StreamVerifier {
  const v = new Verifier(maxBlocks, maxEidRefs, maxPibs);
  (v as VerifierState).openStream_!(window, maxStreams);
  return v as StreamVerifier;
} as unknown as new (maxBlocks: number, maxEidRefs: number, maxPibs: number, window: number, maxStreams: number) => StreamVerifier;
