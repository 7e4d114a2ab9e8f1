/**
 * The on-board Signer: the ground Signer's contract (pib.ts) with its defaults —
 * Profile R, suite ids 4/5/6, block flags 0x01, no security-destination — on the lean
 * path of ./pibPath.ts. Its output is octet for octet the ground Signer's.
 */
import type { KeyLookup } from "../keyLookup.js";
import { SuiteDigests } from "../suiteDigests.js";
import { pibPath, type PibPath } from "./pibPath.js";
import type { Verifier } from "./verifier.js";

export class Signer {
  /** Keys for PIB-HMAC with key id ≠ 0 (the newest candidate signs); null = NULL key only. */
  keys: KeyLookup | null;
  path: PibPath;
  maxBlocks: number;
  /** EID references the input may carry: the shared Verifier's when its tables are used (as pib.ts does). */
  maxEidRefs: number;

  /**
   * `share`: a Verifier on the same node whose digests and scratch this Signer uses
   * (they are never busy at the same time): nothing new is allocated then.
   */
  constructor(maxBlocks: number, maxEidRefs: number, share?: Verifier) {
    this.keys = null;
    this.maxBlocks = maxBlocks;
    const p = share !== undefined ? share.path : pibPath(null, new SuiteDigests(), 0, 0);
    this.path = p;
    // pib.ts reuses the Verifier's Bundle (and so its EID-reference capacity) when it is large enough.
    this.maxEidRefs = p.maxBlocks > maxBlocks && p.maxEidRefs >= maxEidRefs ? p.maxEidRefs : maxEidRefs;
  }

  /**
   * Reads the bundle in inBuf[inOff, inEnd) and writes it with a new PIB of suite `kind`
   * (SuiteKind 1..3) into out[outOff, outEnd): octets written, or -Err.X (nothing
   * useful written then). `keyId` matters for HMAC. inBuf and out must not overlap.
   */
  sign(inBuf: Uint8Array, inOff: number, inEnd: number, out: Uint8Array, outOff: number, outEnd: number, kind: number, keyId: number): number {
    const self = this;
    return self.path.sign(self.keys, self.maxBlocks, self.maxEidRefs, inBuf, inOff, inEnd, out, outOff, outEnd, kind, keyId);
  }
}
