/**
 * Mutable-canonicalization profiles (RFC 6257 §3.4.2; docs/pib.md describes each):
 * each is a small object of switches read by `canon.ts`, never a fork of its code.
 *
 * - PROFILE_RFC6257 = profile R, the default (RFC 6257 §3.4.2 with its gaps filled
 *   by choices R1–R5, docs/pib.md).
 * - PROFILE_RFC6257_PACKED = R′: ASB numbers as their wire SDNVs.
 * - PROFILE_DTN2 = DTN2 2013 and later (`Ciphersuite_integ.cc` `create_digest`):
 *   no colon, block mask 0x57, current PIB skipped, fragment fields included and
 *   read from the dictionary's first bytes (its `read_primary` bug).
 * - PROFILE_IBR = IBR-DTN (`MutableSerializer.cpp`): every flags field a u32 0/1,
 *   primary length counted after the length field, u32 length before block EIDs,
 *   synthetic security-block length, result data of every PIB/PCB omitted.
 */
import { Wire } from "../core/wire.js";

export interface CanonProfile {
  /** Short name used by the CLI (`--profile`). */
  readonly name: string;
  /** Mask applied to the primary processing flags (RFC 6257 §3.4.2: 0x7C1BE). */
  readonly primaryFlagsMask_: number;
  /** Mask applied to every block's processing flags (RFC: 0x77, DTN2: 0x57). */
  readonly blockFlagsMask_: number;
  /** IBR: each masked flags field is digested as u32 1 when non-zero, else u32 0. */
  readonly flagsAsBool_: boolean;
  /** EID text is `scheme:ssp` (true) or `scheme` + `ssp` with no colon (DTN2). */
  readonly eidColon_: boolean;
  /** IBR: each block EID reference is preceded by its u32 text length. */
  readonly blockEidLengthPrefix_: boolean;
  /** Canonical primary length counts the whole structure (R1, DTN2) or only what follows it (IBR). */
  readonly primaryLengthWhole_: boolean;
  /** DTN2: fragment offset and total length digested as u64, read at the dictionary (its bug). */
  readonly dtn2FragmentQuirk_: boolean;
  /** The current PIB itself is covered (R, IBR) or skipped with all before it (DTN2). */
  readonly coverCurrentPib_: boolean;
  /** ASB fields as wire bytes (R′, DTN2) instead of unpacked u64 (R, IBR). */
  readonly asbPacked_: boolean;
  /** Result data of other PIBs/PCBs included (R, DTN2) or omitted (IBR). */
  readonly includeOtherResults_: boolean;
  /** IBR: a security block's length is its own u64-field length, not the wire value. */
  readonly ibrSyntheticLength_: boolean;
}

/** Espruino has no Object.freeze; the profiles stay plain data there. */
function frozen(p: CanonProfile): CanonProfile {
  return typeof Object.freeze === "function" ? Object.freeze(p) : p;
}

// `@__PURE__`: a firmware that never names a profile (the PIB path uses only the
// default, PROFILE_RFC6257) drops it at build time instead of keeping the call.
export const PROFILE_RFC6257: CanonProfile = /* @__PURE__ */ frozen({
  name: "rfc6257",
  primaryFlagsMask_: Wire.PrimaryMask,
  blockFlagsMask_: Wire.BlockMask,
  flagsAsBool_: false,
  eidColon_: true,
  blockEidLengthPrefix_: false,
  primaryLengthWhole_: true,
  dtn2FragmentQuirk_: false,
  coverCurrentPib_: true,
  asbPacked_: false,
  includeOtherResults_: true,
  ibrSyntheticLength_: false,
});

export const PROFILE_RFC6257_PACKED: CanonProfile = /* @__PURE__ */ frozen({
  name: "rfc6257-packed",
  primaryFlagsMask_: Wire.PrimaryMask,
  blockFlagsMask_: Wire.BlockMask,
  flagsAsBool_: false,
  eidColon_: true,
  blockEidLengthPrefix_: false,
  primaryLengthWhole_: true,
  dtn2FragmentQuirk_: false,
  coverCurrentPib_: true,
  asbPacked_: true,
  includeOtherResults_: true,
  ibrSyntheticLength_: false,
});

export const PROFILE_DTN2: CanonProfile = /* @__PURE__ */ frozen({
  name: "dtn2",
  primaryFlagsMask_: Wire.PrimaryMask,
  blockFlagsMask_: Wire.Dtn2BlockMask,
  flagsAsBool_: false,
  eidColon_: false,
  blockEidLengthPrefix_: false,
  primaryLengthWhole_: true,
  dtn2FragmentQuirk_: true,
  coverCurrentPib_: false,
  asbPacked_: true,
  includeOtherResults_: true,
  ibrSyntheticLength_: false,
});

export const PROFILE_IBR: CanonProfile = /* @__PURE__ */ frozen({
  name: "ibr",
  primaryFlagsMask_: Wire.PrimaryMask,
  blockFlagsMask_: Wire.BlockMask,
  flagsAsBool_: true,
  eidColon_: true,
  blockEidLengthPrefix_: true,
  primaryLengthWhole_: false,
  dtn2FragmentQuirk_: false,
  coverCurrentPib_: true,
  asbPacked_: false,
  includeOtherResults_: false,
  ibrSyntheticLength_: true,
});

/** The profile called `name` (`rfc6257`, `rfc6257-packed`, `dtn2`, `ibr`), or null. */
export function profileByName(name: string): CanonProfile | null {
  if (name === "rfc6257") return PROFILE_RFC6257;
  if (name === "rfc6257-packed") return PROFILE_RFC6257_PACKED;
  if (name === "dtn2") return PROFILE_DTN2;
  if (name === "ibr") return PROFILE_IBR;
  return null;
}
