/**
 * Every error pibkit's firmware can report, as one numbered table.
 *
 * Hot-path functions never throw: they return a negative number, `-Err.X`, where a
 * non-negative value would be a result (an offset, a length). A `const enum` is
 * inlined by esbuild, so the firmware carries plain integers and no table; the
 * names and one-line messages live in `errorText.ts`, which only ground tools load.
 *
 * Ranges: 1–9 SDNV and buffers, 10–39 bundle parsing, 40–69 canonicalization and
 * PIBs, 70–89 keys. A code, once published, keeps its number.
 */
export const enum Err {
  Ok = 0,
  // SDNV (RFC 5050 §4.1, RFC 6256 §3)
  SdnvTruncated = 1,
  SdnvTooLong = 2,
  SdnvOverflow = 3,
  SdnvUnsafe = 4,
  NoRoom = 5,
  // Bundles (RFC 5050 §4)
  BadVersion = 10,
  PrimaryTruncated = 11,
  PrimaryLengthMismatch = 12,
  DictOffsetOutOfRange = 13,
  DictStringUnterminated = 14,
  BlockPastEnd = 15,
  DataAfterLastBlock = 16,
  NoLastBlock = 17,
  EidRefCountZero = 18,
  TooManyBlocks = 19,
  TooManyEidRefs = 20,
  DuplicatePayload = 21,
  NoPayload = 22,
  EidMalformed = 23,
  // Streaming (ground tools): the fixed window given at start-up is too small
  HeaderTooLarge = 24,
  TrailerTooLarge = 25,
  // Canonicalization and PIBs (RFC 6257 §2, §3.4.2; bundle-checksum draft §3)
  NotSecurityBlock = 40,
  AsbMalformed = 41,
  TlvMalformed = 42,
  UnknownSuite = 43,
  UnknownKey = 44,
  ResultLengthWrong = 45,
  RangeOutsidePayload = 46,
  NoResult = 47,
  TooManyPibs = 48,
  NoPib = 49,
  CorrelatorPresent = 50,
  KeyIdMissing = 51,
  TooManyDigests = 52,
  // Keys (draft-rescorla-tcp-auth-arch-00)
  KeyTableFull = 70,
  KeyReused = 71,
  KeyBadLength = 72,
  KeyIdReserved = 73,
  KeyIdExists = 74,
  RolloverPending = 75,
  UsedKeyTableFull = 76,
  KeyWrongRole = 77,
}
