/**
 * The on-board Signer: the ground Signer's contract (src/ground/pib.ts) with its
 * defaults — Profile R, suite ids 4/5/6, block flags 0x01, no security-destination — on
 * the on-board path of ./pibPath.ts. Its output is octet for octet the ground Signer's.
 */
import type { KeyLookup } from "../core/keyLookup.js";
import type { PibSigner } from "../core/pibContract.js";
import type { SignPath } from "./pibPath.js";
import { Verifier } from "./verifier.js";

export class Signer implements PibSigner {
  /** Keys for PIB-HMAC with key id ≠ 0 (the newest candidate signs); null = NULL key only. */
  keys: KeyLookup | null;
  /** Blocks and EID references the input may have. */
  maxBlocks_: number;
  maxEidRefs_: number;
  /**
   * Reads the bundle in inBuf[inOff, inEnd) and writes it with a new PIB of suite `kind`
   * (SuiteKind 1..3) into out[outOff, outEnd): octets written, or -Err.X (nothing
   * useful written then). `keyId` matters for HMAC. inBuf and out must not overlap.
   * The Verifier's path (pibPath.ts), called as a method of this Signer.
   */
  sign: SignPath;

  /** `share`: see SharedVerifier (src/core/pibContract.ts); a node that verifies too should pass its Verifier. */
  constructor(maxBlocks: number, maxEidRefs: number, share?: Verifier) {
    this.keys = null;
    this.maxBlocks_ = maxBlocks;
    this.maxEidRefs_ = maxEidRefs;
    this.sign = (share || new Verifier(0, 0, 0)).path;
  }
}
