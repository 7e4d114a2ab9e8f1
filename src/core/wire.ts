/**
 * Numbers of the wire formats, named once for every module that reads or writes
 * bundles and PIBs: RFC 5050 (bundles), RFC 6257 (Abstract Security Blocks, the PIB,
 * mutable canonicalization), draft-irtf-dtnrg-bundle-checksum-02 (docs/bundles.md,
 * docs/pib.md). A const enum: esbuild writes the numbers in place, so naming them
 * costs no firmware octet.
 */
export const enum Wire {
  /** The bundle protocol version read and written (RFC 5050 §4.5.1). */
  Version = 6,
  /** Bundle processing flag bit 0: the bundle is a fragment (RFC 5050 §4.2). */
  IsFragment = 0x01,

  /** Block types (RFC 5050 §4.5.3, RFC 6257 §2.1): payload, BAB, PIB, PCB. */
  Payload = 1,
  Bab = 2,
  Pib = 3,
  Pcb = 4,

  /**
   * Block processing flags (RFC 5050 §4.3): bit 0 replicate in every fragment, bit 3
   * last block, bit 6 EID-reference list present.
   */
  Replicate = 0x01,
  Last = 0x08,
  HasEids = 0x40,

  /**
   * Mutable canonicalization masks (RFC 6257 §3.4.2): the primary block's processing
   * flags and every other block's; DTN2 masks blocks with 0x57 instead (docs/pib.md,
   * named profiles).
   */
  PrimaryMask = 0x7c1be,
  BlockMask = 0x77,
  Dtn2BlockMask = 0x57,

  /** ASB ciphersuite flags (RFC 6257 §2.1): result, correlator, params, destination, source present. */
  CsRes = 0x01,
  CsCorr = 0x02,
  CsParm = 0x04,
  CsDest = 0x08,
  CsSrc = 0x10,

  /** ASB TLV item types (RFC 6257 §2.6): key information, fragment range, integrity signature. */
  ItemKey = 3,
  ItemRange = 4,
  ItemResult = 5,
}
