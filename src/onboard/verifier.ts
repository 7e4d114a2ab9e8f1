/**
 * The on-board Verifier: the ground Verifier's contract (src/ground/pib.ts) with its
 * defaults — Profile R (docs/pib.md), suite ids 4/5/6 (./suiteIds.ts), TLV params only,
 * no budget — on the on-board path of ./pibPath.ts. Configure `keys` and `budget`, then
 * call `verifyAll` per bundle; per PIB k < count (LIFO: nearest the primary first) the
 * tables hold the verdict (src/core/verdict.ts), the suite kind (src/core/suites.ts) and,
 * for a malformed PIB, the positive Err code.
 */
import type { KeyLookup } from "../core/keyLookup.js";
import type { PibVerifier } from "../core/pibContract.js";
import { SuiteDigests } from "../core/suiteDigests.js";
import { pibPath, type SignPath } from "./pibPath.js";

export class Verifier implements PibVerifier {
  /** Keys for PIB-HMAC with key id ≠ 0; null = only the NULL key (key id 0) is known. */
  keys!: KeyLookup | null;
  /** Octets this verifier may still digest; < 0 = unlimited. Each check costs the bundle's length. */
  budget!: number;
  /** Octets digested by checks so far (never reset here). */
  bytes!: number;
  /** PIBs found by the last verifyAll. */
  count!: number;
  verdict!: Uint8Array;
  kind!: Uint8Array;
  code!: Int32Array;
  /** The suites' digests; a KeyTable or a Signer made with this Verifier borrows them. */
  digests_!: SuiteDigests;
  /**
   * Parses buf[off, end) and checks every PIB: their number, or -Err.X (bundle
   * unparseable, TooManyPibs). Set by pibPath (a closure: see pibPath.ts).
   */
  verifyAll!: (buf: Uint8Array, off: number, end: number) => number;
  /** True when the last verifyAll found at least one PIB and every one is Ok. Set by pibPath. */
  allOk!: () => boolean;
  /** Signing on this Verifier's path and digests (signer.ts). */
  path!: SignPath;

  /** Every other field is set by pibPath (keys null, budget -1, bytes and count 0). */
  constructor(maxBlocks: number, maxEidRefs: number, maxPibs: number) {
    // Made here, not in pibPath: HMAC's key set-up runs a SHA-1 block, which would
    // otherwise sit on top of pibPath's wide frame on the XS stack.
    this.digests_ = new SuiteDigests();
    pibPath(this, maxBlocks, maxEidRefs, maxPibs);
  }

}
