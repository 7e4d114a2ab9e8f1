/**
 * The on-board PIB path: what a node runs to sign and verify Payload Integrity Blocks
 * with the three suites of draft-irtf-dtnrg-bundle-checksum-02 §3 (RFC 5050
 * bundles, RFC 6257 PIBs) under Profile R only (docs/pib.md), reading the caller's buffer in place.
 * `verifier.ts` and `signer.ts` are the public classes around it; the ground path
 * (pib.ts, canon.ts, bundle.ts) stays the oracle it must agree with octet for octet.
 *
 * Why one closure and no tables (docs/onboard.md): Espruino keeps and runs the source
 * text, and a minifier shortens local names but never property names, so all state
 * lives in closure variables and the helpers are arrows (one letter each once
 * minified, so the long names below cost nothing). Nothing is kept per block:
 * `parseBundle` checks the whole bundle once (every rejection of bundle.ts), then
 * every later step walks the blocks again with the same header reader
 * `readBlockHeader`, and the canonical form re-reads primary EIDs, times and ASB fields
 * from the wire. RAM is the suite digests, the per-PIB tables and one 64-octet
 * scratch; after construction no call allocates or throws.
 *
 * Sections, each mirroring the ground module it must agree with:
 *   SDNV and dictionary readers   src/core/sdnv.ts, src/ground/bundle.ts (`num_`)
 *   EID text into the digest      src/ground/eid.ts (EidEmitter)
 *   Parse                         src/ground/bundle.ts (Bundle.parse)
 *   Canonical stream              src/ground/canon.ts (Canonicalizer), src/ground/asb.ts
 *   Check                         src/ground/pib.ts (Verifier.verifyAll, checkOne)
 *   Sign                          src/ground/pib.ts (Signer.sign)
 *
 * Canonical form, Profile R (RFC 6257 §3.4.2; docs/pib.md R1–R5), streamed into the digest:
 *   u8 version | u64 flags & 0x7C1BE | u32 length | 3 × (u32 len | EID text with colon)
 *   | u64 ctime | u64 seq | u64 lifetime, then from the current PIB to the last block,
 *   payload/PIB/PCB only: u8 type | u64 flags & 0x77 | EID texts | u64 length | body,
 *   a security block's body as unpacked ASB (its result data left out when current).
 */
import type { Digest } from "../core/digest.js";
import { HmacSha1 } from "../core/hmac.js";
import { Md5 } from "../core/md5.js";
import type {} from "../core/build.js";
import { Err } from "../core/errors.js";
import type { KeyLookup } from "../core/keyLookup.js";
import type { PibVerifier } from "../core/pibContract.js";
import { Verdict, VerdictPacking } from "../core/verdict.js";
import { Wire } from "../core/wire.js";
import { readSdnv, sdnvLength, U64, writeSdnv } from "../core/sdnv.js";
import type { SuiteDigests } from "../core/suiteDigests.js";
import { SuiteKind } from "../core/suites.js";
import { CRC32_ID, HMAC_ID, MD5_ID } from "./suiteIds.js";

/** Signer.sign, called as a method of the Signer (its keys and limits): the part of the path a Signer shares. */
export type SignPath = (this: SignerState, inBuf: Uint8Array, inOff: number, inEnd: number, out: Uint8Array, outOff: number,
  outEnd: number, kind: number, keyId: number) => number;

/** What `verifyAll` reads and writes on its Verifier (verifier.ts): the public contract, plus what pibPath attaches. */
export interface VerifierState extends PibVerifier, Partial<StreamState> {
  digests_: SuiteDigests;
  path: SignPath;
  /** Builds with streaming: makes the stream's window and `lanes` digest lanes, attaches begin, push, end. */
  openStream_?: (window: number, lanes: number) => void;
  /*
   * Streaming only (the end of pibPath): which part of the canonical form
   * streamCanonical emits (0 or unset all, 1 up to the payload's length, 2 what follows
   * the payload), and the stream's hook into verifyAll while it checks a skeleton.
   * Properties, not closure locals: a build without streaming keeps no trace of them
   * (a closure local would stay, one JsVar per Verifier on Espruino).
   */
  streamMode_?: number;
  streamHook_?: ((k: number, j: number, p: number) => number) | 0;
}

/** What the streaming verifier adds to its Verifier (streamVerifier.ts), in builds with streaming. */
export interface StreamState {
  begin: (kind?: number, keyId?: number) => void;
  push: (buf: Uint8Array, off: number, len: number) => number;
  end: () => number;
  seal: (k: number, out: Uint8Array, off: number) => number;
  copy: (buf: Uint8Array, off: number, len: number, out: Uint8Array, outOff: number) => number;
}

/** What `signBundle` reads on its Signer (signer.ts). */
export interface SignerState {
  keys: KeyLookup | null;
  maxBlocks_: number;
  maxEidRefs_: number;
}

/* The path's own numbers (a const enum: esbuild writes them in place, as it does Wire's). */
const enum Limit {
  /** The fixed part of the canonical primary length: u8 + u64 + u32 + 3 u32 + 3 u64 (docs/pib.md R1). */
  PrimaryFixed = 49,
  /** "No limit" for EID references when re-reading an already parsed bundle. */
  Any = 1e9,
  /** Scratch octets (layout at `scratch` below). */
  Scratch = 64,
}
/** 2^32 (the weight of an SDNV's high word), 2^53 − 1 (the largest exact number). */
const enum Num {
  TwoPow32 = 4294967296,
  MaxSafeInteger = 9007199254740991,
}

/*
 * Sets up Verifier `v` (limits `maxBlocks`, `maxEidRefs`, tables for `maxPibs` PIBs,
 * on the suites' digests `v.digests_` it made) and attaches its path: `v.verifyAll`, `v.allOk`, and `v.path`
 * for signing (a Signer made with `v` shares it; one made alone makes a Verifier with
 * empty tables for it).
 *
 * Convention inside: offsets are >= 0, errors -Err.X; `readSdnvWords` and `readNumber`
 * pass an error offset through unchanged, so a chain of reads is checked once at its end.
 */
export function pibPath(v: VerifierState, maxBlocks: number, maxEidRefs: number, maxPibs: number): void {
  // The streaming switch (src/core/build.ts), read once here: esbuild folds a constant
  // local to its literal, so `streaming && …` code leaves a build without it.
  const streaming = typeof __PIBKIT_STREAM__ === "number" ? __PIBKIT_STREAM__ : 1;
  // Whether the build has PIB-HMAC, read the same way: without it no PIB has a key (its
  // id is -1, ./suiteIds.ts), so the key candidates and KeyLookup calls leave the build.
  const keyed = (typeof __PIBKIT_SUITES__ === "number" ? __PIBKIT_SUITES__ : -1) & (1 << 1) /* SuiteKind.Hmac, written out: an imported enum folds too late */;
  v.keys = null;
  v.budget = -1;
  v.bytes = v.count = 0;
  const verdicts = (v.verdict = new Uint8Array(maxPibs));
  const kinds = (v.kind = new Uint8Array(maxPibs));
  const codes = (v.code = new Int32Array(maxPibs));
  const digests = v.digests_;
  const sdnv = new U64();
  // Scratch layout (Limit.Scratch = 64 octets), each part used at a different time:
  //   [0, 8)   a big-endian u64 (or u32, u8) on its way into the digest (digestBigEndian);
  //   [8, 24)  a computed result before the comparison: at most 16 octets (MD5; HMAC-SHA1-80
  //            10, CRC-32C 4, draft-irtf-dtnrg-bundle-checksum-02 §3);
  //   [20, 64) a new PIB while signBundle builds it backwards from the end: at most 44
  //            octets (PIB-HMAC: 3-octet block header; cs-id, cs-flags, params length; a
  //            key-id item of up to 10 octets; a range item of up to 15, an offset of up to
  //            8 SDNV octets and a payload length of up to 5; a 13-octet result field;
  //            docs/pib.md), copied out before any digest runs.
  const scratch = new Uint8Array(Limit.Scratch);
  let buf: Uint8Array;
  let digest: Digest;
  /* The last SDNV readSdnvWords read, as (hi, lo) words; the last readNumber read, as a
     number; the first of a readEidRef pair and its high word; EID references the bundle
     may still carry. */
  let sdnvHi: number;
  let sdnvLo: number;
  let sdnvValue: number;
  let firstValue: number;
  let firstHi: number;
  let eidRefRoom: number;
  /* Bundle, set by parseBundle: range, dictionary, last NUL in it, primary flags, where the
     primary EID offsets and the creation time start, primary end, fragment offset,
     payload (offset -1 when none), and where a new PIB goes. */
  let start: number;
  let end: number;
  let dictOff: number;
  let dictLen: number;
  let lastNul: number;
  let primaryFlags: number;
  let primaryEidsAt: number;
  let primaryEidTextLength: number;
  let creationTimeAt: number;
  let primaryEnd: number;
  let fragmentOffset: number;
  let payloadOff: number;
  let payloadLen: number;
  let newPibAt: number;
  /* Block header, set by readBlockHeader: type, flags (low word), EID list and count, data. */
  let blockType: number;
  let blockFlags: number;
  let eidRefsAt: number;
  let eidRefCount: number;
  let dataOff: number;
  let dataLen: number;
  /* ASB, set by readAsb: cs-id (-1 above 32 bits), cs-flags, params and result fields. */
  let asbCsId: number;
  let csFlags: number;
  let paramsOff: number;
  let paramsLen: number;
  let resultOff: number;
  let resultLen: number;
  /* TLV item, set by findItem: value range (its one or two SDNVs: `sdnvValue`, or `firstValue` and `sdnvValue`). */
  let valueOff: number;
  let valueLen: number;
  /* Some verdict of the last verifyAll was not Ok. */
  let someNotOk: number;
  /* Where signBundle's next SDNV ends in the scratch (the PIB is built backwards). */
  let pibStart: number;
  /* What checkPib leaves for verifyAll to compute and compare (see checkPib). */
  let checkDigest: Digest | null;
  let checkKeyId: number;
  let coveredOff: number;
  let coveredLen: number;
  let receivedResultAt: number;
  let resultSize: number;

  /* ---- SDNV and dictionary readers (src/core/sdnv.ts, src/ground/bundle.ts) ---- */

  /* One SDNV in buf[p, e) into sdnvHi, sdnvLo (sdnv.ts readSdnv). */
  const readSdnvWords = (p: number, e: number): number => {
    if (p >= 0) {
      p = readSdnv(buf, p, e, sdnv);
      sdnvHi = sdnv.hi;
      sdnvLo = sdnv.lo;
    }
    return p;
  };

  /* An SDNV that must be < 2^53 into sdnvValue (bundle.ts `num_`). */
  const readNumber = (p: number, e: number): number => {
    p = readSdnvWords(p, e);
    // sdnvLo alone when it fits: an integer, never a float, indexes buffers (QuickJS allocates for a float index).
    sdnvValue = sdnvHi ? sdnvHi * Num.TwoPow32 + sdnvLo : sdnvLo;
    return p >= 0 && sdnvHi > 0x1fffff ? -Err.SdnvUnsafe : p;
  };

  /* Two such SDNVs, an EID reference (RFC 5050 §4.5.1): the first into firstValue (its high word into firstHi), the second into sdnvValue. */
  const readEidRef = (p: number, e: number): number => {
    p = readNumber(p, e);
    firstValue = sdnvValue;
    firstHi = sdnvHi;
    return readNumber(p, e);
  };

  /*
   * A dictionary offset must lie inside the dictionary, before its last NUL (RFC 5050
   * §4.5.1), which also keeps it inside; anything goes under CBHE.
   */
  const checkDictOffset = (rel: number): number => (dictLen && dictOff + rel > lastNul ? -Err.DictOffsetOutOfRange : 0);

  /* ---- EID text into the digest (src/ground/eid.ts EidEmitter) ---- */

  /*
   * The last n octets (8, 4 or 1) of the big-endian u64 (h, l) into the digest; no h
   * is 0 (`undefined >>> k` is 0, on Espruino too). Shift counts stay in 0..24:
   * Espruino shifts with C's `>>`, where a count outside 0..31 is undefined (no mod 32).
   */
  const digestBigEndian = (n: number, l: number, h?: number): void => {
    for (let i = 0; i < 4; i++) {
      scratch[i] = (h as number) >>> (24 - 8 * i);
      scratch[i + 4] = l >>> (24 - 8 * i);
    }
    digest.update(scratch, 8 - n, n);
  };

  /* Decimal digits of v < 2^53 (CBHE text), streamed when `emit`; returns how many.
     A loop, not recursion: a frame per digit would be 16 XS stack frames at 2^53.
     p = 10^k ≤ 10^15 is exact, and v / p never rounds up to the next integer (its
     fraction is at most 1 − 10^-15, below 10 the gap to 1 is over half an ulp), so
     each digit and each v − q·p is exact. */
  const decimalDigits = (v: number, emit: number): number => {
    let p = 1;
    let n = 1;
    for (; p * 10 <= v; n++) p *= 10;
    for (; emit && p >= 1; p /= 10) {
      const q = Math.floor(v / p);
      digestBigEndian(1, 48 + q);
      v -= q * p;
    }
    return n;
  };

  /* Length of the dictionary string at `rel` (parseBundle checked its NUL). */
  const dictStringLength = (rel: number): number => {
    let i = dictOff + rel;
    while (buf[i]) i++;
    return i - dictOff - rel;
  };

  /*
   * Length of the EID text `scheme:ssp` (docs/pib.md R3; under CBHE `ipn:node.service`,
   * docs/pib.md). mode 1 also streams the text (a block's EID reference), mode 2
   * a u32 length and the text (a primary EID).
   */
  const eidText = (a: number, b: number, mode: number): number => {
    const cbhe = !dictLen;
    // scheme text ("ipn" under CBHE), then SSP text (node "." service)
    const la = cbhe ? 3 : dictStringLength(a);
    const lb = cbhe ? decimalDigits(a, 0) + 1 + decimalDigits(b, 0) : dictStringLength(b);
    if (mode > 1) digestBigEndian(4, la + 1 + lb);
    if (mode) {
      if (cbhe) digestBigEndian(3, 0x69706e);
      else digest.update(buf, dictOff + a, la);
      digestBigEndian(1, 0x3a);
      if (cbhe) {
        decimalDigits(a, 1);
        digestBigEndian(1, 0x2e);
        decimalDigits(b, 1);
      } else digest.update(buf, dictOff + b, lb);
    }
    return la + 1 + lb;
  };

  /* ---- Parse (src/ground/bundle.ts Bundle.parse) ---- */

  /*
   * Block header at p (RFC 5050 §4.5.2): type, flags, [EID-reference list], data length.
   * Returns the offset after the block's data or -Err.X.
   */
  const readBlockHeader = (p: number): number => {
    blockType = buf[p]!;
    p = readSdnvWords(p + 1, end);
    blockFlags = sdnvLo;
    eidRefCount = 0;
    if (p >= 0 && blockFlags & Wire.HasEids) {
      p = readNumber(p, end);
      eidRefCount = sdnvValue;
      eidRefsAt = p;
      // A count of zero is not allowed (RFC 6257 §2.1).
      if (p >= 0 && (!sdnvValue || sdnvValue > eidRefRoom)) return sdnvValue ? -Err.TooManyEidRefs : -Err.EidRefCountZero;
      for (let k = 0; k < eidRefCount && p >= 0; k++) {
        p = readEidRef(p, end);
        // The ground table holds 32-bit references.
        if (p >= 0) p = firstHi || sdnvHi ? -Err.DictOffsetOutOfRange : checkDictOffset(firstValue) || checkDictOffset(sdnvValue) || p;
      }
    }
    p = readNumber(p, end);
    dataOff = p;
    dataLen = sdnvValue;
    return p < 0 ? p : sdnvValue > end - p ? -Err.BlockPastEnd : p + sdnvValue;
  };

  /*
   * Checks the bundle in b[off, e) as bundle.ts does (same rejections): 0 or -Err.X.
   * Primary block: RFC 5050 §4.5.1; CBHE (dictionary length 0): RFC 6260 §2.2.
   */
  const parseBundle = (b: Uint8Array, off: number, e: number, blocks: number, refLimit: number): number => {
    if (e > b.length) e = b.length;
    buf = b;
    start = off;
    end = e;
    fragmentOffset = 0;
    payloadOff = -1;
    payloadLen = 0;
    eidRefRoom = refLimit;
    if (off < 0 || off >= e || b[off] !== Wire.Version) return -Err.BadVersion;
    // all 64 flag positions are legal (RFC 6256 §3.3); every bit read, and the mask 0x7C1BE, is in the low word
    let p = readSdnvWords(off + 1, e);
    primaryFlags = sdnvLo;
    p = readNumber(p, e);
    if (p < 0 || sdnvValue > e - p) return -Err.PrimaryTruncated;
    const pe = p + sdnvValue;
    primaryEnd = pe;
    primaryEidsAt = p;
    for (let k = 0; k < 8; k++) p = readNumber(p, pe);
    creationTimeAt = p;
    for (let k = 0; k < 3; k++) p = readSdnvWords(p, pe);
    p = readNumber(p, pe);
    // Any field cut short or running past the declared length: the length is wrong.
    if (p < 0 || sdnvValue > pe - p) return -Err.PrimaryLengthMismatch;
    dictOff = p;
    dictLen = sdnvValue;
    p += sdnvValue;
    // Fragment offset and total ADU length only when flag bit 0 is set (RFC 5050 §4.2).
    if (primaryFlags & Wire.IsFragment) {
      p = readSdnvWords(p, pe);
      fragmentOffset = sdnvHi * Num.TwoPow32 + sdnvLo;
      p = readSdnvWords(p, pe);
    }
    if (p !== pe) return -Err.PrimaryLengthMismatch;
    lastNul = dictOff + dictLen - 1;
    while (lastNul >= dictOff && b[lastNul]) lastNul--;
    // The four primary EIDs point into the dictionary; the first three are digested (length now).
    p = primaryEidsAt;
    primaryEidTextLength = 0;
    for (let k = 0; k < 4; k++) {
      p = readEidRef(p, pe);
      const r = checkDictOffset(firstValue) || checkDictOffset(sdnvValue);
      if (r < 0) return r;
      if (k < 3) primaryEidTextLength += eidText(firstValue, sdnvValue, 0);
    }
    // Blocks up to the one flagged last (RFC 5050 §4.5.2).
    p = pe;
    newPibAt = pe;
    let last = 0;
    for (let n = 0; p < e; n++) {
      if (last || n >= blocks) return last ? -Err.DataAfterLastBlock : -Err.TooManyBlocks;
      const q = readBlockHeader(p);
      if (q < 0) return q;
      eidRefRoom -= eidRefCount;
      if (blockType === Wire.Payload) {
        if (payloadOff >= 0) return -Err.DuplicatePayload;
        payloadOff = dataOff;
        payloadLen = dataLen;
      }
      // A new PIB goes after the primary and the BABs right after it (RFC 6257 §3.2, docs/pib.md).
      if (blockType === Wire.Bab && newPibAt === p) newPibAt = q;
      last = blockFlags & Wire.Last;
      p = q;
    }
    // Later walks re-read this bundle: no limit there.
    eidRefRoom = Limit.Any;
    return last ? 0 : -Err.NoLastBlock;
  };

  /* ---- Canonical stream (src/ground/canon.ts Canonicalizer, src/ground/asb.ts) ---- */

  /*
   * The ASB in buf[p, e) (RFC 6257 §2.1): cs-id, cs-flags, [correlator], [params],
   * [result]; 0 or -Err.X. mode 0 only reads it; 1 and 2 also stream it unpacked
   * (docs/pib.md R4: each SDNV as u64, params and result as length u64 + octets), 1
   * without the result data (the current PIB, R5). Field f is present when cs-flag
   * `bit` is set, bit = nibble f of 0x14200: 0, 0 (always), 2 corr, 4 params, 1 result.
   */
  const readAsb = (p: number, e: number, mode: number): number => {
    // Absent params or result read as empty: no item found in them.
    paramsLen = resultLen = 0;
    for (let f = 0; f < 5; f++) {
      const bit = (0x14200 >> (4 * f)) & 15;
      if (!bit || csFlags & bit) {
        p = readSdnvWords(p, e);
        if (!f) asbCsId = sdnvHi ? -1 : sdnvLo;
        if (f === 1) csFlags = sdnvLo;
        // (mode > 0 only for an ASB that read without error)
        if (mode) digestBigEndian(8, sdnvLo, sdnvHi);
        if (f > 2) {
          const n = sdnvLo;
          if (p < 0 || sdnvHi || n > e - p) return -Err.AsbMalformed;
          if (mode > (f < 4 ? 0 : 1)) digest.update(buf, p, n);
          if (f < 4) {
            paramsOff = p;
            paramsLen = n;
          } else {
            resultOff = p;
            resultLen = n;
          }
          p += n;
        }
      }
    }
    return p === e ? 0 : -Err.AsbMalformed;
  };

  /*
   * Streams the canonical form for the PIB whose block starts at `cur` into `dig`,
   * covering payload octets [o, o + n) (RFC 6257 §3.4.2 "effective block"). Blocks
   * before the current PIB were added later and are left out (LIFO, RFC 6257 §3.2).
   */
  const streamCanonical = (cur: number, o: number, n: number): void => {
    // The canonical primary block (RFC 6257 §3.4.2; docs/pib.md R1: the length counts the
    // whole structure), here and not in a function of its own: one XS frame less on
    // the deepest call chain (streamCanonical → eidText → digestBigEndian → digest).
    let p = primaryEidsAt;
    // (Streaming, part 2: no primary, and from the payload block on, which is left out.)
    if (!(streaming && v.streamMode_! > 1)) {
      digestBigEndian(1, Wire.Version);
      digestBigEndian(8, primaryFlags & Wire.PrimaryMask);
      digestBigEndian(4, Limit.PrimaryFixed + primaryEidTextLength);
      for (let k = 0; k < 3; k++) {
        p = readEidRef(p, end);
        eidText(firstValue, sdnvValue, 2);
      }
      p = creationTimeAt;
      for (let k = 0; k < 3; k++) {
        p = readSdnvWords(p, end);
        digestBigEndian(8, sdnvLo, sdnvHi);
      }
    }
    p = cur;
    for (;;) {
      const q = readBlockHeader(p);
      // payload (1), PIB (3), PCB (4): bits of 26
      if (blockType < 5 && (26 >> blockType) & 1 && !(streaming && v.streamMode_! > 1 && p === cur)) {
        digestBigEndian(1, blockType);
        digestBigEndian(8, blockFlags & Wire.BlockMask);
        let r = eidRefsAt;
        for (let k = 0; k < eidRefCount; k++) {
          r = readEidRef(r, end);
          eidText(firstValue, sdnvValue, 1);
        }
        if (blockType === Wire.Payload) {
          digestBigEndian(8, n);
          // (Streaming, part 1: the payload octets follow as they arrive.)
          if (streaming && v.streamMode_) return;
          digest.update(buf, dataOff + o, n);
        } else {
          digestBigEndian(8, dataLen);
          // A block that is no RFC 6257 ASB is digested raw, as canon.ts does.
          if (readAsb(dataOff, q, 0) < 0) digest.update(buf, dataOff, dataLen);
          else readAsb(dataOff, q, p === cur ? 1 : 2);
        }
      }
      if (blockFlags & Wire.Last) return;
      p = q;
    }
  };

  /* ---- Check (src/ground/pib.ts Verifier.verifyAll, checkOne) ---- */

  /*
   * Finds the one item of type `ty` in buf[p, e) (RFC 6257 §2.6; the whole sequence
   * must be well formed) and reads its value as exactly `count` SDNVs: one (a key id,
   * any 64-bit value) into sdnvHi and sdnvLo, two (a range, each < 2^53) into firstValue
   * and sdnvValue. 1 found, 0 absent, or -Err.TlvMalformed.
   */
  const findItem = (p: number, e: number, ty: number, count: number): number => {
    let found = 0;
    while (p < e) {
      const it = buf[p]!;
      p = readSdnvWords(p + 1, e);
      if (p < 0 || sdnvHi || sdnvLo > e - p || (it === ty && found)) return -Err.TlvMalformed;
      if (it === ty) {
        found = 1;
        valueOff = p;
        valueLen = sdnvLo;
      }
      p += sdnvLo;
    }
    if (found && count) {
      const ve = valueOff + valueLen;
      p = count > 1 ? readEidRef(valueOff, ve) : readSdnvWords(valueOff, ve);
      if (p !== ve) return -Err.TlvMalformed;
    }
    return found;
  };

  /* 0 when the computed result in s[8, 8 + size) equals the `size` octets at buf[res] (constant time). */
  const differs = (res: number, size: number): number => {
    let diff = 0;
    for (let i = 0; i < size; i++) diff |= scratch[8 + i]! ^ buf[res + i]!;
    return diff;
  };

  /*
   * Checks everything of the PIB whose block starts at `cur` but its result, into slot
   * k (pib.ts checkOne): returns verdict | code << VerdictPacking.Shift, or -1 when the result is to be
   * computed (digest `checkDigest`, null for a keyed HMAC with key `checkKeyId`; payload
   * range `coveredOff`, `coveredLen`; received result at `receivedResultAt`, `resultSize`
   * octets). verifyAll computes it, so
   * this wide frame is not on the stack while the digest runs.
   */
  const checkPib = (cur: number, k: number): number => {
    readBlockHeader(cur);
    let e = readAsb(dataOff, dataOff + dataLen, 0);
    if (e < 0) return Verdict.Malformed - e * (1 << VerdictPacking.Shift);
    // Ids 4–6 are checksum suites only inside a PIB (docs/pib.md).
    const kind = blockType !== Wire.Pib ? 0 : asbCsId === HMAC_ID ? SuiteKind.Hmac : asbCsId === MD5_ID ? SuiteKind.Md5 : asbCsId === CRC32_ID ? SuiteKind.Crc32 : 0;
    if (!kind) return Verdict.UnknownSuite;
    kinds[k] = kind;
    // One instance per suite: no correlator (RFC 6257 §2.1, §3.8). A result must be
    // there (without cs-flag 1 it reads as empty: NoResult below).
    if (csFlags & Wire.CsCorr) return Verdict.Malformed | (Err.CorrelatorPresent << VerdictPacking.Shift);
    const hmac = keyed && kind === SuiteKind.Hmac;
    let keyId = -1;
    let rOff = -1;
    let rLen = 0;
    // Params (empty without cs-flag 4): key id (PIB-HMAC), covered range.
    const pe = paramsOff + paramsLen;
    if (hmac) {
      e = findItem(paramsOff, pe, Wire.ItemKey, 1);
      // an id above 2^53−1 kept rounded: no key table holds one (KeyTable.install refuses it), so it is an unknown key
      if (e > 0) keyId = sdnvHi * Num.TwoPow32 + sdnvLo;
    }
    if (e >= 0) e = findItem(paramsOff, pe, Wire.ItemRange, 2);
    if (e < 0) return Verdict.Malformed - e * (1 << VerdictPacking.Shift);
    if (e) {
      rOff = firstValue;
      rLen = sdnvValue;
    }
    if (hmac && keyId < 0) return Verdict.Malformed | (Err.KeyIdMissing << VerdictPacking.Shift);
    // The digest (null: keyed HMAC) and its result size (draft §3: 10, 16 or 4 octets).
    // (For the NULL key this loads its states into the shared HMAC already: harmless,
    // every user of that object loads its own key first.)
    const d = (checkDigest = digests.fixed(kind, keyId));
    const size = (resultSize = (d || digests.keyMac_).size);
    e = findItem(resultOff, resultOff + resultLen, Wire.ItemResult, 0);
    if (e < 0) return Verdict.Malformed - e * (1 << VerdictPacking.Shift);
    if (!e || valueLen !== size) return Verdict.Malformed | ((e ? Err.ResultLengthWrong : Err.NoResult) << VerdictPacking.Shift);
    receivedResultAt = valueOff;
    // Covered payload octets (RFC 6257 §2.6 item 4, offset in the original ADU). A
    // fragment is checked only when the range is exactly its payload; no range (-1)
    // never is: such a PIB was made over the whole ADU (docs/pib.md).
    if (primaryFlags & Wire.IsFragment) {
      if (rOff !== fragmentOffset || rLen !== payloadLen) return Verdict.SkippedFragment;
      rOff = 0;
    } else if (rOff < 0) {
      rOff = 0;
      rLen = payloadLen;
    } else if (rOff > payloadLen || rLen > payloadLen - rOff) {
      return Verdict.Malformed | (Err.RangeOutsidePayload << VerdictPacking.Shift);
    }
    const keys = v.keys;
    if (hmac && keyId && !(keys && keys.count(keyId))) return Verdict.UnknownKey;
    // Every check costs the bundle's length; an unknown key cost nothing.
    const cost = end - start;
    if (v.budget >= 0) {
      if (cost > v.budget) return Verdict.SkippedBudget;
      v.budget -= cost;
    }
    v.bytes += cost;
    // `>>> 0`: integer offsets (a float index allocates in QuickJS).
    coveredOff = rOff >>> 0;
    coveredLen = rLen >>> 0;
    checkKeyId = keyId;
    return -1;
  };

  /*
   * Verifier.verifyAll: parses, then checks every PIB in wire order (LIFO: nearest the
   * primary first), and DTN2's PIB in block type 4 (suites 2/6/10, docs/pib.md, named profiles) as an
   * unknown suite. The number of PIBs, or -Err.X.
   */
  const verifyAll = (b: Uint8Array, off: number, e: number): number => {
    let k = (v.count = someNotOk = 0);
    const r = parseBundle(b, off, e, maxBlocks, maxEidRefs);
    if (r < 0) return r;
    if (streaming && v.streamHook_) v.streamHook_(-1, 0, 0);
    let p = primaryEnd;
    for (;;) {
      const q = readBlockHeader(p);
      const last = blockFlags & Wire.Last;
      if (blockType === Wire.Pib || (blockType === Wire.Pcb && readAsb(dataOff, q, 0) >= 0 && asbCsId % 4 === 2 && asbCsId < 11)) {
        // (someNotOk set: the PIBs past maxPibs went unchecked, so allOk must not say yes.)
        if (k >= maxPibs) return (someNotOk = -Err.TooManyPibs);
        kinds[k] = 0;
        let c = checkPib(p, k);
        if (c < 0) {
          // One fixed digest, or trial verification over the key's candidates (rollover, KeyLookup).
          const keys = v.keys;
          const mac = digests.keyMac_;
          let n = keyed && !checkDigest ? keys!.count(checkKeyId) : 1;
          // (A streamed PIB: its lanes hold the candidates as they were when the payload
          // began; told the table's count now, ~n, the hook passes over those an earlier
          // PIB's success under the new key retired since: the ground StreamVerifier's rule.)
          if (streaming && v.streamHook_ && v.streamHook_(k, ~n, p)) n = v.streamHook_(k, ~n, p);
          c = Verdict.Mismatch;
          for (let j = 0; j < n; j++) {
            // (A streamed PIB before the payload: its result is already computed.)
            if (!(streaming && v.streamHook_ && v.streamHook_(k, j, p))) {
              if (keyed && !checkDigest) keys!.load(checkKeyId, j, mac);
              digest = keyed ? checkDigest || mac : checkDigest!;
              digest.reset();
              streamCanonical(p, coveredOff, coveredLen);
              digest.finish(scratch, 8);
            }
            if (!differs(receivedResultAt, resultSize)) {
              if (keyed && !checkDigest) keys!.verified(checkKeyId, j);
              c = Verdict.Ok;
              break;
            }
          }
        }
        verdicts[k] = c & VerdictPacking.Mask;
        someNotOk |= c & VerdictPacking.Mask;
        codes[k] = c >> VerdictPacking.Shift;
        v.count = ++k;
      }
      if (last) return k;
      p = q;
    }
  };

  /* ---- Sign (src/ground/pib.ts Signer.sign) ---- */

  /* Writes `value` as an SDNV just before the part of the PIB already built (signBundle). */
  const prependSdnv = (value: number): number => writeSdnv(scratch, (pibStart -= sdnvLength(value)), Limit.Scratch, value);

  /*
   * Signer.sign (pib.ts sign, docs/pib.md): copies the bundle with one new PIB after the
   * primary and leading BABs, canonicalizes the output with the result data left out,
   * then writes the result in place. Octets written or -Err.X. The PIB is built in
   * scratch[pibStart, 64) from its end backwards, so every length is known when it is
   * written; its result octets are left as they are (the current PIB's result data is
   * not digested):
   *   03 01 len | cs-id 05 | params len [03 n key-id] 04 n offset length | 12/18/6 05 size result
   * Streaming builds also call it with no `out` (the streaming signer, on the Verifier):
   * the bundle is then the one parseBundle read up to its payload's data, and only the
   * PIB is built: its length, its digest made current (`digest`).
   */
  // A function, not an arrow: `this` is the Signer it was called on.
  const signBundle = function (this: SignerState, inBuf: Uint8Array, inOff: number, inEnd: number,
    out: Uint8Array, outOff: number, outEnd: number, kind: number, keyId: number): number {
    const sg = this;
    const keys = sg.keys;
    const blocks = sg.maxBlocks_;
    // pib.ts signs in the Verifier's Bundle (so within its EID-reference room) when that has room for one block more.
    const refLimit = maxBlocks > blocks && maxEidRefs >= sg.maxEidRefs_ ? maxEidRefs : sg.maxEidRefs_;
    if (!(streaming && !out)) {
      const e = parseBundle(inBuf, inOff, inEnd, blocks, refLimit);
      if (e < 0) return e;
      if (payloadOff < 0) return -Err.NoPayload;
    }
    const csId = kind === SuiteKind.Hmac ? HMAC_ID : kind === SuiteKind.Md5 ? MD5_ID : kind === SuiteKind.Crc32 ? CRC32_ID : -1;
    if (csId < 0) return -Err.UnknownSuite;
    let d = digests.fixed(kind, keyId);
    if (keyed && !d) {
      // The newest candidate signs: during a rollover that is the new key.
      const n = keys ? keys.count(keyId) : 0;
      if (!n) return -Err.UnknownKey;
      keys!.load(keyId, n - 1, (d = digests.keyMac_));
    }
    if (fragmentOffset > Num.MaxSafeInteger) return -Err.SdnvUnsafe;
    const size = (digest = d!).size;
    pibStart = Limit.Scratch - size;
    prependSdnv(size);
    prependSdnv(Wire.ItemResult);
    prependSdnv(size + 2);
    const paramsEnd = pibStart;
    prependSdnv(payloadLen);
    prependSdnv(fragmentOffset);
    prependSdnv(paramsEnd - pibStart);
    prependSdnv(Wire.ItemRange);
    if (keyed && kind === SuiteKind.Hmac) {
      const k = pibStart;
      prependSdnv(keyId);
      prependSdnv(k - pibStart);
      prependSdnv(Wire.ItemKey);
    }
    prependSdnv(paramsEnd - pibStart);
    prependSdnv(Wire.CsParm | Wire.CsRes);
    prependSdnv(csId);
    prependSdnv(Limit.Scratch - pibStart);
    prependSdnv(Wire.Replicate);
    prependSdnv(Wire.Pib);
    const pibLen = Limit.Scratch - pibStart;
    if (streaming && !out) return pibLen;
    const total = inEnd - inOff + pibLen;
    if (total > outEnd - outOff) return -Err.NoRoom;
    const pib = outOff + newPibAt - inOff;
    let p = outOff;
    for (let i = inOff; i < inEnd; i++) {
      if (i === newPibAt) for (let j = pibStart; j < Limit.Scratch; j++) out[p++] = scratch[j]!;
      out[p++] = inBuf[i]!;
    }
    // The output parses like the input (one block more); its new PIB is the current one.
    // It does not when the input range passes its buffer, or the output range its own
    // (octets past the last block, or a bundle cut short): negative, as in pib.ts.
    const r = parseBundle(out, outOff, outOff + total, blocks + 1, refLimit);
    if (r < 0) return r;
    // (parseBundle digests nothing: `digest` is still the signing one)
    digest.reset();
    streamCanonical(pib, 0, payloadLen);
    digest.finish(out, pib + pibLen - digest.size);
    return total;
  };

  /* ---- Streaming verify (src/ground/stream.ts StreamVerifier: same contract, same codes) ---- */

  /*
   * The bundle arrives in pieces of any size, in order (push), and is checked at `end`
   * with the verdicts and codes verifyAll gives for the same octets, however they are
   * cut. Working memory is fixed here, at start-up: a window of `window` octets for the
   * blocks before the payload and those after it, and `lanes` digest lanes, one
   * per payload-covering PIB before the payload (per key candidate for a keyed
   * PIB-HMAC): lane 0 digests with the Verifier's own MD5 and HMAC-SHA1, each further
   * lane with its own (CRC-32C lanes share the one table and keep only their register).
   * Nothing allocates per piece.
   *
   * Phases: 0 the window collects the bundle and is parsed (parseBundle) after each
   * piece; while its error says more octets may cure it (truncated primary, SDNV or
   * block, no last block yet) it waits, any other error is final at once (the parse
   * reads in wire order, so the whole bundle gives the same one). When the parse stops
   * at the first payload block's data, every PIB before it is checked as verifyAll
   * would (checkPib; the budget is applied only at the end) and gets its lanes, each
   * digesting the canonical form up to the payload's length (streamMode_ 1). The window
   * then becomes a skeleton: the payload's length field is replaced by one octet 0 (an
   * empty payload) and the payload octets go to the lanes only (phase 1). After them
   * the window collects the blocks that follow (phase 2). `end` runs verifyAll on the
   * skeleton; its hook (streamHook_) restores the real payload length and bundle length
   * and runs each lane over the blocks after the payload (streamMode_ 2), and verifyAll
   * compares the lanes' results instead of computing them. A bundle that fits the
   * window whole is simply verifyAll over the window: the one-piece case.
   * Failure is phase 3 (a final parse error, or a fixed limit: HeaderTooLarge,
   * TrailerTooLarge, TooManyDigests).
   *
   * Signing is the same walk over an input without the new PIB (the PIB goes before the
   * payload, so its result is known only after the payload: RFC 6257 §3.2). As the
   * payload starts, Signer.sign's PIB (signBundle with no output: it reads only the
   * Verifier's `keys`) is put into the window where Signer.sign puts it, so the
   * skeleton is the output's: the new PIB is PIB 0 and gets its lanes like any
   * other; `end` seals it into the window. Pass 2, `copy`, writes the input again with
   * that PIB put in. In-place signing of a stored bundle whose PIB is already written
   * with its result reserved needs no window PIB: push it once and `seal`.
   */
  // (StreamVerifier calls it once, from its constructor.)
  if (streaming) v.openStream_ = (window: number, lanes: number): void => {
    const win = new Uint8Array(window);
    const laneKind = new Uint8Array(lanes);
    const laneOff = new Uint32Array(lanes);
    const laneLen = new Uint32Array(lanes);
    const laneCrc = new Int32Array(lanes);
    // Results by lane, 16 octets each (the largest, MD5's).
    const laneResult = new Uint8Array(16 * lanes);
    // First lane of PIB k (its candidates follow), -1 for none, and how many.
    const laneFirst = new Int32Array(maxPibs);
    const laneCount = new Uint8Array(maxPibs);
    // Where lane L's PIB starts, its key id (-1: the NULL key) and candidate number.
    const laneAt = new Uint32Array(lanes);
    const laneKey = (keyed && new Float64Array(lanes)) as Float64Array;
    const laneCandidate = (keyed && new Uint8Array(lanes)) as Uint8Array;
    // Lane 0 digests with the Verifier's own MD5 and HMAC-SHA1 (no check runs between
    // begin and end, and end finishes every lane before it checks a PIB): one lane costs
    // no digest state, each further lane one MD5 and one HMAC-SHA1.
    const laneMd5: Md5[] = [digests.md5];
    const laneMac: HmacSha1[] = [digests.keyMac_];
    // (only the digests of the build's suites: a build without MD5 or PIB-HMAC carries no such module)
    for (let i = 1; i < lanes; i++) {
      if ((typeof __PIBKIT_SUITES__ === "number" ? __PIBKIT_SUITES__ : -1) & (1 << 2) /* SuiteKind.Md5 */) laneMd5.push(new Md5());
      if ((typeof __PIBKIT_SUITES__ === "number" ? __PIBKIT_SUITES__ : -1) & (1 << 1) /* SuiteKind.Hmac */) laneMac.push(new HmacSha1(10));
    }
    const crc = digests.crc;
    let phase = 0;
    let fill = 0;
    let failure = 0;
    let used = 0;
    let payloadBlockAt = 0;
    let payloadLength = 0;
    let payloadAt = 0;
    let payloadLeft = 0;
    let missing = 0;
    // PIBs before the payload of the bundle `end` last checked, when it streamed (seal).
    let heads = 0;
    // Signing (begin with a suite): its suite kind (0: verifying) and key id; where the
    // new PIB goes in the input (and lies in the window), its length and where its
    // result lies in the window; input octets copied since begin (copy).
    // (set before use: begin, the PIB's insertion, end)
    let signKind: number;
    let signKeyId: number;
    let signAt: number;
    let signLen: number;
    let signResultAt: number;
    let sent: number;

    /* Makes lane L the digest (a CRC lane: the shared CRC-32C with the lane's register). */
    const selectLane = (L: number): void => {
      const kind = laneKind[L];
      digest = kind === SuiteKind.Crc32 ? crc : kind === SuiteKind.Md5 ? laneMd5[L]! : laneMac[L]!;
      if (kind === SuiteKind.Crc32) crc.c = laneCrc[L]!;
    };
    const parkLane = (L: number): void => {
      if (laneKind[L] === SuiteKind.Crc32) laneCrc[L] = crc.c;
    };

    /*
     * The window parsed up to the first payload block's data: gives every PIB before it
     * its lanes, each fed the canonical form up to the payload's length. 0, or
     * -Err.TooManyDigests. The budget is left for `end` (costs need the whole length).
     */
    const startLanes = (): number => {
      const budget = v.budget;
      const bytes = v.bytes;
      const keys = v.keys;
      let k = 0;
      let p = primaryEnd;
      let r = 0;
      v.budget = -1;
      // parseBundle stopped before it lifts the limit for later walks
      eidRefRoom = Limit.Any;
      used = 0;
      for (;;) {
        const q = readBlockHeader(p);
        if (blockType === Wire.Payload) break;
        if (blockType === Wire.Pib || (blockType === Wire.Pcb && readAsb(dataOff, q, 0) >= 0 && asbCsId % 4 === 2 && asbCsId < 11)) {
          // (Past maxPibs verifyAll stops with TooManyPibs: no lanes.)
          if (k < maxPibs) laneFirst[k] = -1;
          if (k < maxPibs && checkPib(p, k) < 0) {
            const n = keyed && !checkDigest ? keys!.count(checkKeyId) : 1;
            if (used + n > lanes) {
              r = -Err.TooManyDigests;
              break;
            }
            laneFirst[k] = used;
            laneCount[k] = n;
            for (let j = 0; j < n; j++) {
              const L = used++;
              laneKind[L] = kinds[k]!;
              laneOff[L] = coveredOff;
              laneLen[L] = coveredLen;
              laneAt[L] = p;
              if (keyed) {
                laneKey[L] = checkDigest ? -1 : checkKeyId;
                laneCandidate[L] = j;
              }
            }
          }
          k++;
        }
        p = q;
      }
      payloadBlockAt = p;
      heads = k;
      v.budget = budget;
      v.bytes = bytes;
      // Then the digests, once no more checks run (checkPib loads the NULL key into the
      // Verifier's HMAC-SHA1, lane 0's).
      for (let L = 0; L < used && !r; L++) {
        if (keyed && laneKind[L] === SuiteKind.Hmac) {
          if (laneKey[L]! < 0) laneMac[L]!.loadKey_(digests.nullIh_, digests.nullOh_);
          else keys!.load(laneKey[L]!, laneCandidate[L]!, laneMac[L]!);
        }
        selectLane(L);
        digest.reset();
        v.streamMode_ = 1;
        streamCanonical(laneAt[L]!, laneOff[L]!, laneLen[L]!);
        v.streamMode_ = 0;
        parkLane(L);
      }
      return r;
    };

    /* Payload octets b[o, o + n), the next of the payload, into every lane whose covered range they meet. */
    const feed = (b: Uint8Array, o: number, n: number): void => {
      for (let L = 0; L < used; L++) {
        const lo = laneOff[L]!;
        const hi = lo + laneLen[L]!;
        const from = lo > payloadAt ? lo : payloadAt;
        const to = hi < payloadAt + n ? hi : payloadAt + n;
        if (from < to) {
          selectLane(L);
          digest.update(b, o + from - payloadAt, to - from);
          parkLane(L);
        }
      }
      payloadAt += n;
    };

    /*
     * verifyAll's hook on a skeleton: k < 0 right after its parse (the real payload
     * length; `start` moved back by the octets the window does not hold, so that end −
     * start, what a check costs, is the bundle's length; each lane over the blocks after
     * the payload, its result kept); for PIB k at p before the payload, j < 0 (~j: how
     * many key candidates the table has now): that many, its lanes' last ones (the first
     * were candidates when the payload began that a rollover has retired since), else 1
     * when candidate j's result is now in scratch[8, 24); 0 for any other PIB (computed
     * as usual).
     */
    let skip = 0;
    const hook = (k: number, j: number, p: number): number => {
      if (k < 0) {
        payloadLen = payloadLength;
        start -= missing;
        v.streamMode_ = 2;
        for (let L = 0; L < used; L++) {
          selectLane(L);
          streamCanonical(payloadBlockAt, 0, 0);
          digest.finish(laneResult, 16 * L);
        }
        v.streamMode_ = 0;
        return 0;
      }
      if (p > payloadBlockAt || laneFirst[k]! < 0) return 0;
      if (j < 0) return (skip = laneCount[k]! - ~j), ~j;
      const at = 16 * (laneFirst[k]! + skip + j);
      for (let i = 0; i < 16; i++) scratch[8 + i] = laneResult[at + i]!;
      return 1;
    };

    const fail = (code: number): number => {
      phase = 3;
      return (failure = code);
    };

    /*
     * In-place signing (ground StreamVerifier.seal): after `end`, the result PIB k
     * (0 ≤ k) before the payload should carry, the newest key candidate's as
     * Signer.sign signs, written to out[off…]; its length, or -Err.NoPib when PIB k
     * was not digested while streaming. The current PIB's result is not in its
     * canonical form (RFC 6257 §3.4.2), so what its reserved octets held does not
     * matter. The lanes run whatever the budget: a PIB skipped for it is sealed too.
     */
    const seal = (v.seal = (k: number, out: Uint8Array, off: number): number => {
      // (Written so that any k that is not a lane's PIB fails it: -1, NaN and 0.5 index nothing.)
      if (!(laneFirst[k]! >= 0 && k < v.count && k < heads)) return -Err.NoPib;
      const L = laneFirst[k]! + laneCount[k]! - 1;
      let i = 0;
      selectLane(L);
      // (A typed array drops what is written past its end: the count returned would lie.)
      if (off + digest.size > out.length) return -Err.NoRoom;
      for (; i < digest.size; i++) out[off + i] = laneResult[16 * L + i]!;
      return i;
    });

    v.begin = (kind?: number, keyId?: number): void => {
      phase = fill = sent = signLen = 0;
      signKind = kind!;
      signKeyId = keyId!;
    };

    /* The next piece, b[off, off + len): 0, or the final -Err.X (every later push and `end` return it too). */
    v.push = (b: Uint8Array, off: number, len: number): number => {
      const e = off + len;
      while (off < e && phase < 3) {
        if (phase === 1) {
          const n = e - off < payloadLeft ? e - off : payloadLeft;
          feed(b, off, n);
          off += n;
          payloadLeft -= n;
          if (!payloadLeft) phase = 2;
          continue;
        }
        const n = e - off < window - fill ? e - off : window - fill;
        for (let i = 0; i < n; i++) win[fill++] = b[off++]!;
        // (The blocks after the payload are parsed at end, or here once they fill the window.)
        if (phase && n) continue;
        const r = parseBundle(win, 0, fill, maxBlocks, maxEidRefs);
        const more = r === -Err.BlockPastEnd || r === -Err.SdnvTruncated || r === -Err.PrimaryTruncated || r === -Err.NoLastBlock;
        // The window is full and octets remain: a limit while more octets could cure what
        // it holds; else what they cannot, as the whole bundle gives it however it is cut
        // (octets after a complete bundle, a second payload block, …).
        if (!n) return fail(more ? (phase ? -Err.TrailerTooLarge : -Err.HeaderTooLarge) : r || -Err.DataAfterLastBlock);
        // (Signing streams a bundle the window holds whole too: its PIB goes in as the payload starts.)
        if (more || (signKind && !r)) {
          // More octets may cure it. Past the first payload's length field (its data
          // cut short, or whole and a later block cut short): streaming starts.
          const whole = payloadOff >= 0;
          if (whole || (r === -Err.BlockPastEnd && blockType === Wire.Payload)) {
            let dataAt = whole ? payloadOff : dataOff;
            const length = whole ? payloadLen : dataLen;
            // (signBundle writes it, checkPib reads the covered range against it)
            payloadLen = length;
            // The octets from the payload's data on go back to the piece: they all came
            // from it (the parse before reached no payload data), and they are read
            // again from there, as payload octets into the lanes, then into the window after
            // the skeleton.
            off -= fill - dataAt;
            fill = dataAt;
            if (signKind) {
              // Signing: the new PIB goes into the window, where the output has it.
              const n = signBundle.call(v as unknown as SignerState, win, 0, 0, 0 as unknown as Uint8Array, 0, 0, signKind, signKeyId);
              if (n < 0) return fail(n);
              if (fill + n > window) return fail(-Err.HeaderTooLarge);
              // (from the end down: what follows newPibAt moves up by n, the PIB fills the gap)
              for (let i = fill + n; i-- > newPibAt; ) win[i] = i < newPibAt + n ? scratch[pibStart + i - newPibAt]! : win[i - n]!;
              signAt = newPibAt;
              signLen = n;
              // (the PIB ends with its result: the signing digest gives its length)
              signResultAt = newPibAt + n - digest.size;
              end = fill += n;
              dataAt += n;
            }
            const s = startLanes();
            if (s < 0) return fail(s);
            // The length field: the SDNV that ends at dataAt (the octet before it ends the flags or an EID reference, high bit clear).
            let lengthAt = dataAt - 1;
            while (win[lengthAt - 1]! & 0x80) lengthAt--;
            payloadLength = length;
            missing = dataAt - lengthAt - 1 + length;
            payloadAt = 0;
            payloadLeft = length;
            // The skeleton: an empty payload.
            win[lengthAt] = 0;
            fill = lengthAt + 1;
            phase = length ? 1 : 2;
          }
        } else if (r < 0) {
          return fail(r);
        }
      }
      return phase > 2 ? failure : 0;
    };

    /*
     * The bundle is complete: what verifyAll returns for it (its tables filled the same
     * way), or the final error. Ready for the next bundle (begin is implied).
     */
    v.end = (): number => {
      let r: number;
      if (phase & 1) {
        // Failed, or the payload cut short: its data runs past the end (bundle.ts).
        v.count = someNotOk = 0;
        r = phase > 2 ? failure : -Err.BlockPastEnd;
      } else {
        if (phase) v.streamHook_ = hook;
        r = verifyAll(win, 0, fill);
        v.streamHook_ = 0;
        // Signing: the result into the new PIB in the window, for copy; the output's length.
        if (signKind && r >= 0) r = phase ? (seal(0, win, signResultAt), fill + missing) : -Err.NoPayload;
      }
      // (Whole in the window: no lanes ran, any left are another bundle's.)
      if (!phase) heads = 0;
      // The next bundle is verified unless a begin says otherwise (begin is implied); a
      // PIB this one signed stays for copy until then.
      phase = fill = signKind = 0;
      return r;
    };

    /*
     * Two-pass signing, pass 2 (after `begin(kind, keyId)`, the input pushed once and
     * `end` ≥ 0): the input again from its start, piece by piece; each piece is
     * written to out[o…] with the new PIB, sealed, put in where it goes, so the
     * pieces written are the signed bundle in order. Returns the offset after what it
     * wrote (the piece's octets, and the PIB's once). Until the next begin; the window
     * holds the PIB meanwhile.
     */
    v.copy = (b: Uint8Array, off: number, len: number, out: Uint8Array, o: number): number => {
      for (len += off; off < len; ) {
        if (sent++ === signAt) for (let j = 0; j < signLen; j++) out[o++] = win[signAt + j]!;
        out[o++] = b[off++]!;
      }
      return o;
    };
  };

  v.verifyAll = verifyAll;
  // At least one PIB and every one Ok (after a verifyAll).
  v.allOk = (): boolean => v.count > 0 && !someNotOk;
  v.path = signBundle;
}
