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
 * minified). Nothing is kept per block: `parse` checks the whole bundle once (every
 * rejection of bundle.ts), then every later step walks the blocks again with the same
 * header reader `head`, and the canonical form re-reads primary EIDs, times and ASB
 * fields from the wire. RAM is the suite digests, the per-PIB tables and one 64-octet
 * scratch; after construction no call allocates or throws.
 *
 * Canonical form, Profile R (RFC 6257 §3.4.2; docs/pib.md R1–R5), streamed into the digest:
 *   u8 version | u64 flags & 0x7C1BE | u32 length | 3 × (u32 len | EID text with colon)
 *   | u64 ctime | u64 seq | u64 lifetime, then from the current PIB to the last block,
 *   payload/PIB/PCB only: u8 type | u64 flags & 0x77 | EID texts | u64 length | body,
 *   a security block's body as unpacked ASB (its result data left out when current).
 */
import type { Digest } from "../core/digest.js";
import { Err } from "../core/errors.js";
import type { KeyLookup } from "../core/keyLookup.js";
import type { PibVerifier } from "../core/pibContract.js";
import { Verdict } from "../core/verdict.js";
import { readSdnv, sdnvLength, U64, writeSdnv } from "../core/sdnv.js";
import type { SuiteDigests } from "../core/suiteDigests.js";
import { SuiteKind } from "../core/suites.js";
import { CRC32_ID, HMAC_ID, MD5_ID } from "./suiteIds.js";

/** Signer.sign, called as a method of the Signer (its keys and limits): the part of the path a Signer shares. */
export type SignPath = (this: SignerState, inBuf: Uint8Array, inOff: number, inEnd: number, out: Uint8Array, outOff: number,
  outEnd: number, kind: number, keyId: number) => number;

/** What `verify` reads and writes on its Verifier (verifier.ts): the public contract, plus what pibPath attaches. */
export interface VerifierState extends PibVerifier {
  digests_: SuiteDigests;
  path: SignPath;
}

/** What `sign` reads on its Signer (signer.ts). */
export interface SignerState {
  keys: KeyLookup | null;
  maxBlocks_: number;
  maxEidRefs_: number;
}

/* Wire constants (a const enum: esbuild writes the numbers in place). */
const enum W {
  /** Block types (RFC 5050 §4.5.3, RFC 6257 §2.1): payload, BAB, PIB, PCB. */
  Payload = 1,
  Bab = 2,
  Pib = 3,
  Pcb = 4,
  /** Block flags (RFC 5050 §4.3): last block, EID-reference list present. */
  Last = 0x08,
  HasEids = 0x40,
  /** Canonical masks (RFC 6257 §3.4.2): primary flags, block flags. */
  PrimaryMask = 0x7c1be,
  BlockMask = 0x77,
  /** cs-flags (RFC 6257 §2.1): result, correlator, params. */
  CsRes = 1,
  CsCorr = 2,
  CsParm = 4,
  /** RFC 6257 §2.6 items: key information, fragment range, integrity signature. */
  ItemKey = 3,
  ItemRange = 4,
  ItemResult = 5,
  /** The fixed part of the canonical primary length: u8 + u64 + u32 + 3 u32 + 3 u64 (docs/pib.md R1). */
  PrimaryFixed = 49,
  /** "No limit" for EID references when re-reading an already parsed bundle. */
  Any = 1e9,
  /** Scratch octets: a whole new PIB is built at its end (sign), a u64 or a result at its start. */
  Scratch = 64,
}
/** 2^32, 2^53 − 1. */
const enum N {
  Two32 = 4294967296,
  Safe = 9007199254740991,
}

/*
 * Sets up Verifier `v` (limits `maxBlocks`, `maxEidRefs`, tables for `maxPibs` PIBs,
 * on the suites' digests `v.digests_` it made) and attaches its path: `v.verifyAll`, `v.allOk`, and `v.path`
 * for signing (a Signer made with `v` shares it; one made alone makes a Verifier with
 * empty tables for it).
 *
 * Convention inside: offsets are >= 0, errors -Err.X; `rd` and `num` pass an error
 * offset through unchanged, so a chain of reads is checked once at its end.
 */
export function pibPath(v: VerifierState, maxBlocks: number, maxEidRefs: number, maxPibs: number): void {
  v.keys = null;
  v.budget = -1;
  v.bytes = 0;
  v.count = 0;
  const verdict = (v.verdict = new Uint8Array(maxPibs));
  const kinds = (v.kind = new Uint8Array(maxPibs));
  const code = (v.code = new Int32Array(maxPibs));
  const digests = v.digests_;
  const t = new U64();
  // [0, 8): a big-endian u64 for the digest, [8, 24): a computed result (≤ 16 octets);
  // sign builds its whole PIB (≤ 44 octets, docs/pib.md) at the end before copying it out.
  const s = new Uint8Array(W.Scratch);
  let buf: Uint8Array;
  let dig: Digest;
  /* The last SDNV `rd` read, as (hi, lo) words; the last `num` read, as a number; the
     first of a `pair` and its high word; EID references the bundle may still carry. */
  let hi: number;
  let lo: number;
  let val: number;
  let first: number;
  let firstHi: number;
  let room: number;
  /* Bundle, set by parse: range, dictionary, last NUL in it, primary flags, where the
     primary EID offsets and the creation time start, primary end, fragment offset,
     payload (offset -1 when none), and where a new PIB goes. */
  let start: number;
  let end: number;
  let dictOff: number;
  let dictLen: number;
  let lastNul: number;
  let flagsP: number;
  let eidsAt: number;
  let eidTotal: number;
  let timeAt: number;
  let primaryEnd: number;
  let frag: number;
  let payOff: number;
  let payLen: number;
  let insertAt: number;
  /* Block header, set by head: type, flags (low word), EID list and count, data. */
  let type: number;
  let flags: number;
  let refsAt: number;
  let refs: number;
  let dataOff: number;
  let dataLen: number;
  /* ASB, set by asb: cs-id (-1 above 32 bits), cs-flags, params and result fields. */
  let suite: number;
  let csFlags: number;
  let paramsOff: number;
  let paramsLen: number;
  let resultOff: number;
  let resultLen: number;
  /* TLV item, set by item: value range (its one or two SDNVs: `val`, or `first` and `val`). */
  let valueOff: number;
  let valueLen: number;
  /* Some verdict of the last verify was not Ok. */
  let bad: number;
  /* Where sign's next SDNV ends in the scratch (the PIB is built backwards). */
  let back: number;
  /* What check leaves for verify to compute and compare (see check). */
  let cd: Digest | null;
  let cKey: number;
  let cOff: number;
  let cLen: number;
  let cRes: number;
  let cSize: number;

  /* One SDNV in buf[p, e) into t (sdnv.ts readSdnv). */
  const rd = (p: number, e: number): number => {
    if (p >= 0) {
      p = readSdnv(buf, p, e, t);
      hi = t.hi;
      lo = t.lo;
    }
    return p;
  };

  /* An SDNV that must be < 2^53 into `val` (bundle.ts `num`). */
  const num = (p: number, e: number): number => {
    p = rd(p, e);
    // `lo` alone when it fits: an integer, never a float, indexes buffers (QuickJS allocates for a float index).
    val = hi ? hi * N.Two32 + lo : lo;
    return p >= 0 && hi > 0x1fffff ? -Err.SdnvUnsafe : p;
  };

  /* Two such SDNVs, an EID reference (RFC 5050 §4.5.1): the first into `first` (its high word into `firstHi`), the second into `val`. */
  const pair = (p: number, e: number): number => {
    p = num(p, e);
    first = val;
    firstHi = hi;
    return num(p, e);
  };

  /*
   * A dictionary offset must lie inside the dictionary, before its last NUL (RFC 5050
   * §4.5.1), which also keeps it inside; anything goes under CBHE.
   */
  const ref = (rel: number): number => (dictLen && dictOff + rel > lastNul ? -Err.DictOffsetOutOfRange : 0);

  /*
   * The last n octets (8, 4 or 1) of the big-endian u64 (h, l) into the digest; no h
   * is 0 (`undefined >>> k` is 0, on Espruino too). Shift counts stay in 0..24:
   * Espruino shifts with C's `>>`, where a count outside 0..31 is undefined (no mod 32).
   */
  const put = (n: number, l: number, h?: number): void => {
    for (let i = 0; i < 4; i++) {
      s[i] = (h as number) >>> (24 - 8 * i);
      s[i + 4] = l >>> (24 - 8 * i);
    }
    dig.update(s, 8 - n, n);
  };

  /* Decimal digits of v < 2^53 (CBHE text), streamed when `emit`; returns how many.
     A loop, not recursion: a frame per digit would be 16 XS stack frames at 2^53.
     p = 10^k ≤ 10^15 is exact, and v / p never rounds up to the next integer (its
     fraction is at most 1 − 10^-15, below 10 the gap to 1 is over half an ulp), so
     each digit and each v − q·p is exact. */
  const dec = (v: number, emit: number): number => {
    let p = 1;
    let n = 1;
    for (; p * 10 <= v; n++) p *= 10;
    for (; emit && p >= 1; p /= 10) {
      const q = Math.floor(v / p);
      put(1, 48 + q);
      v -= q * p;
    }
    return n;
  };

  /* Length of the dictionary string at `rel` (parse checked its NUL). */
  const str = (rel: number): number => {
    let i = dictOff + rel;
    while (buf[i]) i++;
    return i - dictOff - rel;
  };

  /*
   * Length of the EID text `scheme:ssp` (docs/pib.md R3; under CBHE `ipn:node.service`,
   * docs/pib.md). mode 1 also streams the text (a block's EID reference), mode 2
   * a u32 length and the text (a primary EID).
   */
  const eid = (a: number, b: number, mode: number): number => {
    const cbhe = !dictLen;
    // scheme text ("ipn" under CBHE), then SSP text (node "." service)
    const la = cbhe ? 3 : str(a);
    const lb = cbhe ? dec(a, 0) + 1 + dec(b, 0) : str(b);
    if (mode > 1) put(4, la + 1 + lb);
    if (mode) {
      if (cbhe) put(3, 0x69706e);
      else dig.update(buf, dictOff + a, la);
      put(1, 0x3a);
      if (cbhe) {
        dec(a, 1);
        put(1, 0x2e);
        dec(b, 1);
      } else dig.update(buf, dictOff + b, lb);
    }
    return la + 1 + lb;
  };

  /*
   * Block header at p (RFC 5050 §4.5.2): type, flags, [EID-reference list], data length.
   * Returns the offset after the block's data or -Err.X.
   */
  const head = (p: number): number => {
    type = buf[p]!;
    p = rd(p + 1, end);
    flags = lo;
    refs = 0;
    if (p >= 0 && flags & W.HasEids) {
      p = num(p, end);
      refs = val;
      refsAt = p;
      // A count of zero is not allowed (RFC 6257 §2.1).
      if (p >= 0 && (!val || val > room)) return val ? -Err.TooManyEidRefs : -Err.EidRefCountZero;
      for (let k = 0; k < refs && p >= 0; k++) {
        p = pair(p, end);
        // The ground table holds 32-bit references.
        if (p >= 0) p = firstHi || hi ? -Err.DictOffsetOutOfRange : ref(first) || ref(val) || p;
      }
    }
    p = num(p, end);
    dataOff = p;
    dataLen = val;
    return p < 0 ? p : val > end - p ? -Err.BlockPastEnd : p + val;
  };

  /*
   * Checks the bundle in b[off, e) as bundle.ts does (same rejections): 0 or -Err.X.
   * Primary block: RFC 5050 §4.5.1; CBHE (dictionary length 0): RFC 6260 §2.2.
   */
  const parse = (b: Uint8Array, off: number, e: number, blocks: number, refLimit: number): number => {
    if (e > b.length) e = b.length;
    buf = b;
    start = off;
    end = e;
    frag = 0;
    payOff = -1;
    payLen = 0;
    room = refLimit;
    if (off < 0 || off >= e || b[off] !== 6) return -Err.BadVersion;
    let p = num(off + 1, e);
    flagsP = val;
    p = num(p, e);
    if (p < 0 || val > e - p) return -Err.PrimaryTruncated;
    const pe = p + val;
    primaryEnd = pe;
    eidsAt = p;
    for (let k = 0; k < 8; k++) p = num(p, pe);
    timeAt = p;
    for (let k = 0; k < 3; k++) p = rd(p, pe);
    p = num(p, pe);
    // Any field cut short or running past the declared length: the length is wrong.
    if (p < 0 || val > pe - p) return -Err.PrimaryLengthMismatch;
    dictOff = p;
    dictLen = val;
    p += val;
    // Fragment offset and total ADU length only when flag bit 0 is set (RFC 5050 §4.2).
    if (flagsP & 1) {
      p = rd(p, pe);
      frag = hi * N.Two32 + lo;
      p = rd(p, pe);
    }
    if (p !== pe) return -Err.PrimaryLengthMismatch;
    lastNul = dictOff + dictLen - 1;
    while (lastNul >= dictOff && b[lastNul]) lastNul--;
    // The four primary EIDs point into the dictionary; the first three are digested (length now).
    p = eidsAt;
    eidTotal = 0;
    for (let k = 0; k < 4; k++) {
      p = pair(p, pe);
      const r = ref(first) || ref(val);
      if (r < 0) return r;
      if (k < 3) eidTotal += eid(first, val, 0);
    }
    // Blocks up to the one flagged last (RFC 5050 §4.5.2).
    p = pe;
    insertAt = pe;
    let last = 0;
    for (let n = 0; p < e; n++) {
      if (last || n >= blocks) return last ? -Err.DataAfterLastBlock : -Err.TooManyBlocks;
      const q = head(p);
      if (q < 0) return q;
      room -= refs;
      if (type === W.Payload) {
        if (payOff >= 0) return -Err.DuplicatePayload;
        payOff = dataOff;
        payLen = dataLen;
      }
      // A new PIB goes after the primary and the BABs right after it (RFC 6257 §3.2, docs/pib.md).
      if (type === W.Bab && insertAt === p) insertAt = q;
      last = flags & W.Last;
      p = q;
    }
    // Later walks re-read this bundle: no limit there.
    room = W.Any;
    return last ? 0 : -Err.NoLastBlock;
  };

  /*
   * The ASB in buf[p, e) (RFC 6257 §2.1): cs-id, cs-flags, [correlator], [params],
   * [result]; 0 or -Err.X. mode 0 only reads it; 1 and 2 also stream it unpacked
   * (docs/pib.md R4: each SDNV as u64, params and result as length u64 + octets), 1
   * without the result data (the current PIB, R5). Field f is present when cs-flag
   * `bit` is set, bit = nibble f of 0x14200: 0, 0 (always), 2 corr, 4 params, 1 result.
   */
  const asb = (p: number, e: number, mode: number): number => {
    // Absent params or result read as empty: no item found in them.
    paramsLen = resultLen = 0;
    for (let f = 0; f < 5; f++) {
      const bit = (0x14200 >> (4 * f)) & 15;
      if (!bit || csFlags & bit) {
        p = rd(p, e);
        if (!f) suite = hi ? -1 : lo;
        if (f === 1) csFlags = lo;
        // (mode > 0 only for an ASB that read without error)
        if (mode) put(8, lo, hi);
        if (f > 2) {
          const n = lo;
          if (p < 0 || hi || n > e - p) return -Err.AsbMalformed;
          if (mode > (f < 4 ? 0 : 1)) dig.update(buf, p, n);
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
  const walk = (cur: number, o: number, n: number): void => {
    // The canonical primary block (RFC 6257 §3.4.2; docs/pib.md R1: the length counts the
    // whole structure), here and not in a function of its own: one XS frame less on
    // the deepest call chain (walk → eid → put → digest).
    put(1, 6);
    put(8, flagsP & W.PrimaryMask);
    put(4, W.PrimaryFixed + eidTotal);
    let p = eidsAt;
    for (let k = 0; k < 3; k++) {
      p = pair(p, end);
      eid(first, val, 2);
    }
    p = timeAt;
    for (let k = 0; k < 3; k++) {
      p = rd(p, end);
      put(8, lo, hi);
    }
    p = cur;
    for (;;) {
      const q = head(p);
      // payload (1), PIB (3), PCB (4): bits of 26
      if (type < 5 && (26 >> type) & 1) {
        put(1, type);
        put(8, flags & W.BlockMask);
        let r = refsAt;
        for (let k = 0; k < refs; k++) {
          r = pair(r, end);
          eid(first, val, 1);
        }
        if (type === W.Payload) {
          put(8, n);
          dig.update(buf, dataOff + o, n);
        } else {
          put(8, dataLen);
          // A block that is no RFC 6257 ASB is digested raw, as canon.ts does.
          if (asb(dataOff, q, 0) < 0) dig.update(buf, dataOff, dataLen);
          else asb(dataOff, q, p === cur ? 1 : 2);
        }
      }
      if (flags & W.Last) return;
      p = q;
    }
  };

  /*
   * Finds the one item of type `ty` in buf[p, e) (RFC 6257 §2.6; the whole sequence
   * must be well formed) and reads its value as exactly `count` SDNV numbers (< 2^53):
   * one into `val`, two into `first` and `val`. 1 found, 0 absent, or -Err.TlvMalformed.
   */
  const item = (p: number, e: number, ty: number, count: number): number => {
    let found = 0;
    while (p < e) {
      const it = buf[p]!;
      p = rd(p + 1, e);
      if (p < 0 || hi || lo > e - p || (it === ty && found)) return -Err.TlvMalformed;
      if (it === ty) {
        found = 1;
        valueOff = p;
        valueLen = lo;
      }
      p += lo;
    }
    if (found && count) {
      const ve = valueOff + valueLen;
      p = count > 1 ? pair(valueOff, ve) : num(valueOff, ve);
      if (p !== ve) return -Err.TlvMalformed;
    }
    return found;
  };

  /* 0 when the computed result in s[8, 8 + size) equals the `size` octets at buf[res] (constant time). */
  const differs = (res: number, size: number): number => {
    let diff = 0;
    for (let i = 0; i < size; i++) diff |= s[8 + i]! ^ buf[res + i]!;
    return diff;
  };

  /*
   * Checks everything of the PIB whose block starts at `cur` but its result, into slot
   * k (pib.ts checkOne): returns verdict | code << 3, or -1 when the result is to be
   * computed (digest `cd`, null for a keyed HMAC with key `cKey`; payload range
   * `cOff`, `cLen`; received result at `cRes`, `cSize` octets). verify computes it, so
   * this wide frame is not on the stack while the digest runs.
   */
  const check = (cur: number, k: number): number => {
    head(cur);
    let e = asb(dataOff, dataOff + dataLen, 0);
    if (e < 0) return Verdict.Malformed - 8 * e;
    // Ids 4–6 are checksum suites only inside a PIB (docs/pib.md).
    const kind = type !== W.Pib ? 0 : suite === HMAC_ID ? SuiteKind.Hmac : suite === MD5_ID ? SuiteKind.Md5 : suite === CRC32_ID ? SuiteKind.Crc32 : 0;
    if (!kind) return Verdict.UnknownSuite;
    kinds[k] = kind;
    // One instance per suite: no correlator (RFC 6257 §2.1, §3.8). A result must be
    // there (without cs-flag 1 it reads as empty: NoResult below).
    if (csFlags & W.CsCorr) return Verdict.Malformed | (Err.CorrelatorPresent << 3);
    const hmac = kind === SuiteKind.Hmac;
    let keyId = -1;
    let rOff = -1;
    let rLen = 0;
    // Params (empty without cs-flag 4): key id (PIB-HMAC), covered range.
    const pe = paramsOff + paramsLen;
    if (hmac) {
      e = item(paramsOff, pe, W.ItemKey, 1);
      if (e > 0) keyId = val;
    }
    if (e >= 0) e = item(paramsOff, pe, W.ItemRange, 2);
    if (e < 0) return Verdict.Malformed - 8 * e;
    if (e) {
      rOff = first;
      rLen = val;
    }
    if (hmac && keyId < 0) return Verdict.Malformed | (Err.KeyIdMissing << 3);
    // The digest (null: keyed HMAC) and its result size (draft §3: 10, 16 or 4 octets).
    // (For the NULL key this loads its states into the shared HMAC already: harmless,
    // every user of that object loads its own key first.)
    const d = (cd = digests.fixed(kind, keyId));
    const size = (cSize = (d || digests.keyMac_).size);
    e = item(resultOff, resultOff + resultLen, W.ItemResult, 0);
    if (e < 0) return Verdict.Malformed - 8 * e;
    if (!e || valueLen !== size) return Verdict.Malformed | ((e ? Err.ResultLengthWrong : Err.NoResult) << 3);
    cRes = valueOff;
    // Covered payload octets (RFC 6257 §2.6 item 4, offset in the original ADU). A
    // fragment is checked only when the range is exactly its payload; no range (-1)
    // never is: such a PIB was made over the whole ADU (docs/pib.md).
    if (flagsP & 1) {
      if (rOff !== frag || rLen !== payLen) return Verdict.SkippedFragment;
      rOff = 0;
    } else if (rOff < 0) {
      rOff = 0;
      rLen = payLen;
    } else if (rOff > payLen || rLen > payLen - rOff) {
      return Verdict.Malformed | (Err.RangeOutsidePayload << 3);
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
    cOff = rOff >>> 0;
    cLen = rLen >>> 0;
    cKey = keyId;
    return -1;
  };

  /*
   * Verifier.verifyAll: parses, then checks every PIB in wire order (LIFO: nearest the
   * primary first), and DTN2's PIB in block type 4 (suites 2/6/10, docs/pib.md, named profiles) as an
   * unknown suite. The number of PIBs, or -Err.X.
   */
  const verify = (b: Uint8Array, off: number, e: number): number => {
    let k = (v.count = bad = 0);
    const r = parse(b, off, e, maxBlocks, maxEidRefs);
    if (r < 0) return r;
    let p = primaryEnd;
    for (;;) {
      const q = head(p);
      const last = flags & W.Last;
      if (type === W.Pib || (type === W.Pcb && asb(dataOff, q, 0) >= 0 && suite % 4 === 2 && suite < 11)) {
        if (k >= maxPibs) return -Err.TooManyPibs;
        kinds[k] = 0;
        let c = check(p, k);
        if (c < 0) {
          // One fixed digest, or trial verification over the key's candidates (rollover, KeyLookup).
          const keys = v.keys;
          const mac = digests.keyMac_;
          const n = cd ? 1 : keys!.count(cKey);
          c = Verdict.Mismatch;
          for (let j = 0; j < n; j++) {
            if (!cd) keys!.load(cKey, j, mac);
            dig = cd || mac;
            dig.reset();
            walk(p, cOff, cLen);
            dig.finish(s, 8);
            if (!differs(cRes, cSize)) {
              if (!cd) keys!.verified(cKey, j);
              c = Verdict.Ok;
              break;
            }
          }
        }
        verdict[k] = c & 7;
        bad |= c & 7;
        code[k] = c >> 3;
        v.count = ++k;
      }
      if (last) return k;
      p = q;
    }
  };

  /* Writes `value` as an SDNV just before the part of the PIB already built (sign). */
  const before = (value: number): void => {
    back -= sdnvLength(value);
    writeSdnv(s, back, W.Scratch, value);
  };

  /*
   * Signer.sign (pib.ts sign, docs/pib.md): copies the bundle with one new PIB after the
   * primary and leading BABs, canonicalizes the output with the result data left out,
   * then writes the result in place. Octets written or -Err.X. The PIB is built from
   * its end backwards, so every length is known when it is written:
   *   03 01 len | cs-id 05 | params len [03 n key-id] 04 n offset length | 12/18/6 05 size result
   */
  // A function, not an arrow: `this` is the Signer it was called on.
  const sign = function (this: SignerState, inBuf: Uint8Array, inOff: number, inEnd: number,
    out: Uint8Array, outOff: number, outEnd: number, kind: number, keyId: number): number {
    const sg = this;
    const keys = sg.keys;
    const blocks = sg.maxBlocks_;
    // pib.ts signs in the Verifier's Bundle (so within its EID-reference room) when that has room for one block more.
    const refLimit = maxBlocks > blocks && maxEidRefs >= sg.maxEidRefs_ ? maxEidRefs : sg.maxEidRefs_;
    const e = parse(inBuf, inOff, inEnd, blocks, refLimit);
    if (e < 0) return e;
    if (payOff < 0) return -Err.NoPayload;
    const csId = kind === SuiteKind.Hmac ? HMAC_ID : kind === SuiteKind.Md5 ? MD5_ID : kind === SuiteKind.Crc32 ? CRC32_ID : -1;
    if (csId < 0) return -Err.UnknownSuite;
    let d = digests.fixed(kind, keyId);
    if (!d) {
      // The newest candidate signs: during a rollover that is the new key.
      const n = keys ? keys.count(keyId) : 0;
      if (!n) return -Err.UnknownKey;
      const mac = digests.keyMac_;
      keys!.load(keyId, n - 1, mac);
      d = mac;
    }
    if (frag > N.Safe) return -Err.SdnvUnsafe;
    // The result's octets do not matter until it is written (the current PIB's result data is not digested).
    const size = d.size;
    back = W.Scratch - size;
    before(size);
    before(W.ItemResult);
    before(size + 2);
    const paramsEnd = back;
    before(payLen);
    before(frag);
    before(paramsEnd - back);
    before(W.ItemRange);
    if (kind === SuiteKind.Hmac) {
      const k = back;
      before(keyId);
      before(k - back);
      before(W.ItemKey);
    }
    before(paramsEnd - back);
    before(W.CsParm | W.CsRes);
    before(csId);
    before(W.Scratch - back);
    // flags 0x01: replicate in every fragment
    before(1);
    before(W.Pib);
    const pibLen = W.Scratch - back;
    const total = inEnd - inOff + pibLen;
    if (total > outEnd - outOff) return -Err.NoRoom;
    const pib = outOff + insertAt - inOff;
    let p = outOff;
    for (let i = inOff; i < inEnd; i++) {
      if (i === insertAt) for (let j = back; j < W.Scratch; j++) out[p++] = s[j]!;
      out[p++] = inBuf[i]!;
    }
    // The output parses like the input (one block more); its new PIB is the current one.
    // It does not when the input range passes its buffer, or the output range its own
    // (octets past the last block, or a bundle cut short): negative, as in pib.ts.
    const r = parse(out, outOff, outOff + total, blocks + 1, refLimit);
    if (r < 0) return r;
    dig = d;
    d.reset();
    walk(pib, 0, payLen);
    d.finish(out, pib + pibLen - size);
    return total;
  };

  v.verifyAll = verify;
  // At least one PIB and every one Ok (after a verifyAll).
  v.allOk = (): boolean => v.count > 0 && !bad;
  v.path = sign;
}
