/**
 * Names and one-line messages for every `Err` code. Only ground tools (CLI,
 * simulator reports) import this file; firmware carries bare numbers.
 * test/errors.test.ts checks that every member of `Err` has exactly one row here.
 */
import { Err } from "./errors.js";

export const ERROR_TEXT: ReadonlyArray<readonly [code: number, name: string, message: string]> = [
  [Err.Ok, "Ok", "no error"],
  [Err.SdnvTruncated, "SdnvTruncated", "SDNV has no terminating octet before the end of its range"],
  [Err.SdnvTooLong, "SdnvTooLong", "SDNV is longer than 10 octets"],
  [Err.SdnvOverflow, "SdnvOverflow", "SDNV value is above 2^64-1 (a 10-octet SDNV must start with 0x81)"],
  [Err.SdnvUnsafe, "SdnvUnsafe", "SDNV value is above 2^53-1 where an exact number is required"],
  [Err.NoRoom, "NoRoom", "output buffer has no room for what must be written"],
  [Err.BadVersion, "BadVersion", "primary block version is not 6 (RFC 5050)"],
  [Err.PrimaryTruncated, "PrimaryTruncated", "primary block ends before all its fields"],
  [Err.PrimaryLengthMismatch, "PrimaryLengthMismatch", "primary block length disagrees with its fields"],
  [Err.DictOffsetOutOfRange, "DictOffsetOutOfRange", "EID reference points outside the dictionary"],
  [Err.DictStringUnterminated, "DictStringUnterminated", "dictionary string has no NUL terminator"],
  [Err.BlockPastEnd, "BlockPastEnd", "block runs past the end of the bundle"],
  [Err.DataAfterLastBlock, "DataAfterLastBlock", "octets follow the block flagged as last"],
  [Err.NoLastBlock, "NoLastBlock", "no block carries the last-block flag"],
  [Err.EidRefCountZero, "EidRefCountZero", "EID-reference list with count 0 (RFC 6257 §2.1)"],
  [Err.TooManyBlocks, "TooManyBlocks", "more blocks than the parser's fixed block table holds"],
  [Err.TooManyEidRefs, "TooManyEidRefs", "more EID references than the parser's fixed table holds"],
  [Err.DuplicatePayload, "DuplicatePayload", "more than one payload block (RFC 5050 §4.5.3)"],
  [Err.NoPayload, "NoPayload", "bundle has no payload block"],
  [Err.EidMalformed, "EidMalformed", "EID text is not scheme:ssp with a NUL-free scheme and SSP of at most 1023 octets each (RFC 5050 §4.4)"],
  [Err.HeaderTooLarge, "HeaderTooLarge", "the blocks before the payload do not fit the streaming window"],
  [Err.TrailerTooLarge, "TrailerTooLarge", "the blocks before and after the payload do not fit the streaming window together"],
  [Err.NotSecurityBlock, "NotSecurityBlock", "block is not a security block this suite can read"],
  [Err.AsbMalformed, "AsbMalformed", "abstract security block fields do not fit the block (RFC 6257 §2.1)"],
  [Err.TlvMalformed, "TlvMalformed", "parameter or result TLV items do not fit their field (RFC 6257 §2.6)"],
  [Err.UnknownSuite, "UnknownSuite", "ciphersuite id is not configured"],
  [Err.UnknownKey, "UnknownKey", "key id is not in the key table"],
  [Err.ResultLengthWrong, "ResultLengthWrong", "security result has the wrong length for its suite"],
  [Err.RangeOutsidePayload, "RangeOutsidePayload", "covered range lies outside the payload"],
  [Err.NoResult, "NoResult", "PIB carries no security result"],
  [Err.TooManyPibs, "TooManyPibs", "more PIBs than the verifier's fixed verdict table holds"],
  [Err.NoPib, "NoPib", "bundle carries no payload integrity block"],
  [Err.CorrelatorPresent, "CorrelatorPresent", "single-instance checksum PIB carries a correlator (RFC 6257 §3.8)"],
  [Err.KeyIdMissing, "KeyIdMissing", "PIB-HMAC parameters carry no key-information item (type 3)"],
  [Err.TooManyDigests, "TooManyDigests", "more payload digests at once than the streaming verifier made at start-up"],
  [Err.KeyTableFull, "KeyTableFull", "key table is full"],
  [Err.KeyReused, "KeyReused", "key (or derived key) was installed before; reuse refused"],
  [Err.KeyBadLength, "KeyBadLength", "key is not 20 octets (40 hex digits), the one key length of the PIB-HMAC key table"],
  [Err.KeyIdReserved, "KeyIdReserved", "key id must be an integer 1 to 2^53-1 (0 is the NULL key of RFC 5327)"],
  [Err.KeyIdExists, "KeyIdExists", "key id is already installed; use a rollover to change its key"],
  [Err.RolloverPending, "RolloverPending", "a key rollover is already pending for this key id"],
  [Err.UsedKeyTableFull, "UsedKeyTableFull", "used-key table is full; no new key can be checked for reuse"],
  [Err.KeyWrongRole, "KeyWrongRole", "a master key only derives association keys and a MAC key never derives"],
];

/** Name of a code (positive or negated), e.g. "SdnvTruncated"; "E<n>" when unknown. */
export function errorName(code: number): string {
  const c = code < 0 ? -code : code;
  for (const row of ERROR_TEXT) if (row[0] === c) return row[1];
  return "E" + c;
}

/** One-line message of a code (positive or negated). */
export function errorMessage(code: number): string {
  const c = code < 0 ? -code : code;
  for (const row of ERROR_TEXT) if (row[0] === c) return row[2];
  return "unknown error " + c;
}
