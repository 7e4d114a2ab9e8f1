/**
 * The on-board PIB path: what a node runs to sign and verify Payload Integrity Blocks
 * with the three suites of draft-irtf-dtnrg-bundle-checksum-02 (bundle-checksum.md
 * §2–§5) under Profile R only (spec §4.2), reading the caller's buffer in place.
 * `verifier.ts` and `signer.ts` are the public classes around it; the ground path
 * (pib.ts, canon.ts, bundle.ts) stays the oracle it must agree with octet for octet.
 *
 * Why one closure and no tables (docs/onboard.md): Espruino keeps and runs the source
 * text, and a minifier shortens local names but never property names, so all state
 * lives in closure variables (one letter each once minified). Nothing is kept per
 * block: `parse` checks the whole bundle once (every rejection of bundle.ts), then
 * every later step walks the blocks again with the same header reader `head`, and
 * the canonical form re-reads primary EIDs, times and ASB fields from the wire. RAM is
 * the suite digests plus one 24-octet scratch; no call allocates or throws.
 *
 * Canonical form, Profile R (RFC 6257 §3.4.2; spec §4.2 R1–R5), streamed into the digest:
 *   u8 version | u64 flags & 0x7C1BE | u32 length | 3 × (u32 len | EID text with colon)
 *   | u64 ctime | u64 seq | u64 lifetime, then from the current PIB to the last block,
 *   payload/PIB/PCB only: u8 type | u64 flags & 0x77 | EID texts | u64 length | body,
 *   a security block's body as unpacked ASB (its result data left out when current).
 */
import type { Digest } from "../digest.js";
import { Err } from "../errors.js";
import type { KeyLookup } from "../keyLookup.js";
import { Verdict } from "../pib.js";
import { readSdnv, sdnvLength, U64, writeSdnv } from "../sdnv.js";
import type { SuiteDigests } from "../suiteDigests.js";
import { SuiteKind } from "../suites.js";
import { CRC32_ID, HMAC_ID, MD5_ID } from "./suiteIds.js";

/** What `verify` reads and writes on its Verifier (verifier.ts): the public contract. */
export interface VerifierState {
  keys: KeyLookup | null;
  budget: number;
  bytes: number;
  count: number;
  verdict: Uint8Array;
  kind: Uint8Array;
  code: Int32Array;
}

/** The path's two operations and the table limits a sharing Signer compares against. */
export interface PibPath {
  maxBlocks: number;
  maxEidRefs: number;
  /** Verifier.verifyAll (needs the VerifierState given to pibPath). */
  verify(buf: Uint8Array, off: number, end: number): number;
  /** Signer.sign with the signer's keys and limits. */
  sign(keys: KeyLookup | null, maxBlocks: number, maxEidRefs: number, inBuf: Uint8Array, inOff: number, inEnd: number,
    out: Uint8Array, outOff: number, outEnd: number, kind: number, keyId: number): number;
}

/** Block types (RFC 5050 §4.5.3, RFC 6257 §2.1): payload, BAB, PIB, PCB. */
const PAYLOAD = 1;
const BAB = 2;
const PIB = 3;
const PCB = 4;
/** Block flags (RFC 5050 §4.3): last block, EID-reference list present. */
const LAST = 0x08;
const HAS_EIDS = 0x40;
/** Canonical masks (RFC 6257 §3.4.2): primary flags, block flags. */
const PRIMARY_MASK = 0x7c1be;
const BLOCK_MASK = 0x77;
/** cs-flags (RFC 6257 §2.1): result, correlator, params. */
const CS_RES = 1;
const CS_CORR = 2;
const CS_PARM = 4;
/** RFC 6257 §2.6 items: key information, fragment range, integrity signature. */
const ITEM_KEY = 3;
const ITEM_RANGE = 4;
const ITEM_RESULT = 5;
/** The fixed part of the canonical primary length: u8 + u64 + u32 + 3 u32 + 3 u64 (spec §4.2 R1). */
const PRIMARY_FIXED = 49;
/** "No limit" for EID references when re-reading an already parsed bundle. */
const ANY = 1e9;
/** 2^32, 2^53 − 1. */
const TWO32 = 4294967296;
const SAFE = 9007199254740991;

/*
 * `v`: the Verifier whose tables `verify` fills (null for a Signer's own path).
 * `digests`: the suites' digests; `maxBlocks`/`maxEidRefs`: the Verifier's limits.
 */
export function pibPath(v: VerifierState | null, digests: SuiteDigests, maxBlocks: number, maxEidRefs: number): PibPath {
  const t = new U64();
  // [0, 8): a big-endian u64 for the digest; [8, 24): a computed result (≤ 16 octets).
  const s = new Uint8Array(24);
  let buf: Uint8Array = s;
  let dig: Digest = digests.crc;
  /** Value of the last SDNV `num` read. */
  let val = 0;
  /* Bundle, set by parse: range, dictionary, last NUL in it, primary flags, where the
     primary EID offsets and the creation time start, primary end, fragment offset,
     payload data, and where a new PIB goes (after the primary and leading BABs). */
  let start = 0;
  let end = 0;
  let dictOff = 0;
  let dictLen = 0;
  let lastNul = 0;
  let flagsP = 0;
  let eidsAt = 0;
  let timeAt = 0;
  let primaryEnd = 0;
  let frag = 0;
  let payOff = -1;
  let payLen = 0;
  let insertAt = 0;
  /* Block header, set by head: type, flags (low word), EID list and count, data. */
  let type = 0;
  let flags = 0;
  let refsAt = 0;
  let refs = 0;
  let dataOff = 0;
  let dataLen = 0;
  /* ASB, set by asb: cs-id (-1 above 32 bits), cs-flags, params and result fields. */
  let suite = 0;
  let csFlags = 0;
  let paramsOff = 0;
  let paramsLen = 0;
  let resultOff = 0;
  let resultLen = 0;
  /* TLV item, set by item: value range, its first and second SDNV. */
  let valueOff = 0;
  let valueLen = 0;
  let x = 0;
  let y = 0;
  /* Writer state of sign. */
  let wAt = 0;
  let wOut: Uint8Array = s;
  let wEnd = 0;

  /* An SDNV that must be < 2^53 (bundle.ts `num`): the offset after it, or -Err.X; an error offset passes through. */
  function num(p: number, e: number): number {
    if (p < 0) return p;
    p = readSdnv(buf, p, e, t);
    if (p < 0) return p;
    if (t.hi > 0x1fffff) return -Err.SdnvUnsafe;
    val = t.hi ? t.hi * TWO32 + t.lo : t.lo;
    return p;
  }

  /* A dictionary offset must lie inside the dictionary, before its last NUL (RFC 5050 §4.5.1); anything goes under CBHE. */
  function ref(rel: number): number {
    return !dictLen ? 0 : rel >= dictLen ? -Err.DictOffsetOutOfRange : dictOff + rel > lastNul ? -Err.DictStringUnterminated : 0;
  }

  /*
   * Block header at p (RFC 5050 §4.5.2): type, flags, [EID-reference list], data length.
   * Returns the offset after the block's data or -Err.X; `room` bounds the references.
   */
  function head(p: number, e: number, room: number): number {
    type = buf[p]!;
    p = readSdnv(buf, p + 1, e, t);
    if (p < 0) return p;
    flags = t.lo;
    refs = 0;
    refsAt = p;
    if (flags & HAS_EIDS) {
      p = num(p, e);
      if (p < 0) return p;
      refs = val;
      refsAt = p;
      // A count of zero is not allowed (RFC 6257 §2.1).
      if (!val) return -Err.EidRefCountZero;
      if (val > room) return -Err.TooManyEidRefs;
      for (let k = 0; k < refs; k++) {
        p = num(p, e);
        const scheme = val;
        p = num(p, e);
        if (p < 0) return p;
        if (scheme >= TWO32 || val >= TWO32) return -Err.DictOffsetOutOfRange;
        const r = ref(scheme) || ref(val);
        if (r < 0) return r;
      }
    }
    p = num(p, e);
    if (p < 0) return p;
    dataOff = p;
    dataLen = val;
    return val > e - p ? -Err.BlockPastEnd : p + val;
  }

  /*
   * Checks the bundle in b[off, e) as bundle.ts does (same rejections): 0 or -Err.X.
   * Primary block: RFC 5050 §4.5.1; CBHE (dictionary length 0): RFC 6260 §2.2.
   */
  function parse(b: Uint8Array, off: number, e: number, blocks: number, room: number): number {
    if (e > b.length) e = b.length;
    buf = b;
    start = off;
    end = e;
    frag = 0;
    payOff = -1;
    payLen = 0;
    if (off < 0 || off >= e) return -Err.PrimaryTruncated;
    if (b[off] !== 6) return -Err.BadVersion;
    let p = num(off + 1, e);
    flagsP = val;
    p = num(p, e);
    if (p < 0) return p;
    if (val > e - p) return -Err.PrimaryTruncated;
    const pe = p + val;
    primaryEnd = pe;
    eidsAt = p;
    for (let k = 0; k < 8; k++) p = num(p, pe);
    timeAt = p;
    for (let k = 0; k < 3 && p >= 0; k++) p = readSdnv(b, p, pe, t);
    p = num(p, pe);
    if (p >= 0) {
      if (val > pe - p) return -Err.PrimaryLengthMismatch;
      dictOff = p;
      dictLen = val;
      p += val;
      // Fragment offset and total ADU length only when flag bit 0 is set (RFC 5050 §4.2).
      if (flagsP & 1) {
        p = readSdnv(b, p, pe, t);
        frag = t.hi * TWO32 + t.lo;
        if (p >= 0) p = readSdnv(b, p, pe, t);
      }
    }
    // A field cut short by the declared length means the length is wrong.
    if (p === -Err.SdnvTruncated) return -Err.PrimaryLengthMismatch;
    if (p < 0) return p;
    if (p !== pe) return -Err.PrimaryLengthMismatch;
    lastNul = dictOff + dictLen - 1;
    while (lastNul >= dictOff && b[lastNul] !== 0) lastNul--;
    p = eidsAt;
    for (let k = 0; k < 8; k++) {
      p = num(p, pe);
      const r = ref(val);
      if (r < 0) return r;
    }
    // Blocks up to the one flagged last (RFC 5050 §4.5.2).
    p = pe;
    insertAt = pe;
    let n = 0;
    let last = 0;
    while (p < e) {
      if (last) return -Err.DataAfterLastBlock;
      if (n >= blocks) return -Err.TooManyBlocks;
      const q = head(p, e, room);
      if (q < 0) return q;
      room -= refs;
      if (type === PAYLOAD) {
        if (payOff >= 0) return -Err.DuplicatePayload;
        payOff = dataOff;
        payLen = dataLen;
      }
      // A new PIB goes after the primary and the BABs right after it (RFC 6257 §3.2, spec §5.2).
      if (type === BAB && insertAt === p) insertAt = q;
      last = flags & LAST;
      n++;
      p = q;
    }
    return last ? 0 : -Err.NoLastBlock;
  }

  /* The last n octets (8, 4 or 1) of the big-endian u64 (hi, lo) into the digest. */
  function put(hi: number, lo: number, n: number): void {
    for (let i = 0; i < 4; i++) {
      s[i] = hi >>> (24 - 8 * i);
      s[i + 4] = lo >>> (24 - 8 * i);
    }
    dig.update(s, 8 - n, n);
  }

  /* Decimal digits of v < 2^53 (CBHE text), streamed when `emit`; returns how many. */
  function dec(v: number, emit: number): number {
    const q = Math.floor(v / 10);
    const n = q ? dec(q, emit) : 0;
    if (emit) put(0, 48 + v - q * 10, 1);
    return n + 1;
  }

  /* Length of the dictionary string at `rel` (parse checked its NUL). */
  function str(rel: number): number {
    let i = dictOff + rel;
    while (buf[i]) i++;
    return i - dictOff - rel;
  }

  /*
   * Length of the EID text `scheme:ssp` (spec §4.2 R3; under CBHE `ipn:node.service`,
   * spec §7 item 20); also streamed when `emit`.
   */
  function eid(a: number, b: number, emit: number): number {
    if (!dictLen) {
      if (emit) put(0, 0x69706e3a, 4);
      const n = dec(a, emit);
      if (emit) put(0, 0x2e, 1);
      return 5 + n + dec(b, emit);
    }
    const la = str(a);
    const lb = str(b);
    if (emit) {
      dig.update(buf, dictOff + a, la);
      put(0, 0x3a, 1);
      dig.update(buf, dictOff + b, lb);
    }
    return la + 1 + lb;
  }

  /* The three primary EIDs (destination, source, report-to): total text length; u32 length + text each when `emit`. */
  function eids(emit: number): number {
    let p = eidsAt;
    let total = 0;
    for (let k = 0; k < 3; k++) {
      p = num(p, end);
      const a = val;
      p = num(p, end);
      const n = eid(a, val, 0);
      if (emit) {
        put(0, n, 4);
        eid(a, val, 1);
      }
      total += n;
    }
    return total;
  }

  /* Canonical primary block (RFC 6257 §3.4.2; spec §4.2, R1: the length counts the whole structure). */
  function primary(): void {
    put(0, 6, 1);
    put(0, flagsP & PRIMARY_MASK, 8);
    put(0, PRIMARY_FIXED + eids(0), 4);
    eids(1);
    let p = timeAt;
    for (let k = 0; k < 3; k++) {
      p = readSdnv(buf, p, end, t);
      put(t.hi, t.lo, 8);
    }
  }

  /*
   * The ASB in buf[p, e) (RFC 6257 §2.1): cs-id, cs-flags, [correlator], [params],
   * [result]; 0 or -Err.X. mode 0 only reads it; 1 and 2 also stream it unpacked
   * (spec §4.2 R4), 1 without the result data (the current PIB, R5).
   */
  function asb(p: number, e: number, mode: number): number {
    p = readSdnv(buf, p, e, t);
    if (p < 0) return p;
    suite = t.hi ? -1 : t.lo;
    if (mode) put(t.hi, t.lo, 8);
    p = readSdnv(buf, p, e, t);
    if (p < 0) return p;
    csFlags = t.lo;
    if (mode) put(t.hi, t.lo, 8);
    if (csFlags & CS_CORR) {
      p = readSdnv(buf, p, e, t);
      if (p < 0) return p;
      if (mode) put(t.hi, t.lo, 8);
    }
    // params (cs-flag 4), then result (cs-flag 1): length SDNV and octets
    for (let bit = CS_PARM; bit > 0; bit -= 3) {
      if (csFlags & bit) {
        p = readSdnv(buf, p, e, t);
        if (p < 0) return p;
        const n = t.lo;
        if (t.hi || n > e - p) return -Err.AsbMalformed;
        if (mode) {
          put(0, n, 8);
          if (bit > CS_RES || mode > 1) dig.update(buf, p, n);
        }
        if (bit > CS_RES) {
          paramsOff = p;
          paramsLen = n;
        } else {
          resultOff = p;
          resultLen = n;
        }
        p += n;
      }
    }
    return p === e ? 0 : -Err.AsbMalformed;
  }

  /*
   * Streams the canonical form for the PIB whose block starts at `cur` into `dig`,
   * covering payload octets [o, o + n) (RFC 6257 §3.4.2 "effective block"). Blocks
   * before the current PIB were added later and are left out (LIFO, RFC 6257 §3.2).
   */
  function walk(cur: number, o: number, n: number): void {
    primary();
    let p = cur;
    for (;;) {
      const q = head(p, end, ANY);
      if (type === PAYLOAD || type === PIB || type === PCB) {
        put(0, type, 1);
        put(0, flags & BLOCK_MASK, 8);
        let r = refsAt;
        for (let k = 0; k < refs; k++) {
          r = num(r, end);
          const a = val;
          r = num(r, end);
          eid(a, val, 1);
        }
        if (type === PAYLOAD) {
          put(0, n, 8);
          dig.update(buf, dataOff + o, n);
        } else {
          put(0, dataLen, 8);
          // A block that is no RFC 6257 ASB is digested raw, as canon.ts does.
          if (asb(dataOff, q, 0) < 0) dig.update(buf, dataOff, dataLen);
          else asb(dataOff, q, p === cur ? 1 : 2);
        }
      }
      if (flags & LAST) return;
      p = q;
    }
  }

  /*
   * Finds the one item of type `ty` in buf[p, e) (RFC 6257 §2.6; the whole sequence
   * must be well formed) and reads its value as exactly `count` SDNV numbers into x, y.
   * 1 found, 0 absent, or -Err.TlvMalformed.
   */
  function item(p: number, e: number, ty: number, count: number): number {
    let found = 0;
    while (p < e) {
      const it = buf[p]!;
      p = readSdnv(buf, p + 1, e, t);
      if (p < 0 || t.hi || t.lo > e - p || (it === ty && found)) return -Err.TlvMalformed;
      if (it === ty) {
        found = 1;
        valueOff = p;
        valueLen = t.lo;
      }
      p += t.lo;
    }
    if (found && count) {
      const ve = valueOff + valueLen;
      let q = num(valueOff, ve);
      x = val;
      if (count > 1) q = num(q, ve);
      y = val;
      if (q !== ve) return -Err.TlvMalformed;
    }
    return found;
  }

  /* Digests the canonical form for the PIB at `cur` with d; 0 when it equals the `size` octets at buf[res] (constant time). */
  function differs(d: Digest, cur: number, o: number, n: number, res: number, size: number): number {
    dig = d;
    d.reset();
    walk(cur, o, n);
    d.finish(s, 8);
    let diff = 0;
    for (let i = 0; i < size; i++) diff |= s[8 + i]! ^ buf[res + i]!;
    return diff;
  }

  /* Result octets of a suite (draft §3): HMAC-SHA1-80 10, MD5 16, CRC-32C 4. */
  function resultSize(kind: number): number {
    return kind === SuiteKind.Hmac ? 10 : kind === SuiteKind.Md5 ? 16 : 4;
  }

  /*
   * Checks the PIB whose block starts at `cur` into slot k (pib.ts checkOne): returns
   * verdict | code << 3 and sets v.kind[k].
   */
  function check(vs: VerifierState, cur: number, k: number): number {
    head(cur, end, ANY);
    let e = asb(dataOff, dataOff + dataLen, 0);
    if (e < 0) return Verdict.Malformed - 8 * e;
    // Ids 4–6 are checksum suites only inside a PIB (spec §7 item 1).
    const kind = type !== PIB ? 0 : suite === HMAC_ID ? SuiteKind.Hmac : suite === MD5_ID ? SuiteKind.Md5 : suite === CRC32_ID ? SuiteKind.Crc32 : 0;
    if (!kind) return Verdict.UnknownSuite | (Err.UnknownSuite << 3);
    vs.kind[k] = kind;
    // One instance per suite: no correlator (RFC 6257 §2.1, §3.8); a result must be there.
    if (csFlags & CS_CORR) return Verdict.Malformed | (Err.CorrelatorPresent << 3);
    if (!(csFlags & CS_RES)) return Verdict.Malformed | (Err.NoResult << 3);
    const hmac = kind === SuiteKind.Hmac;
    let keyId = -1;
    let rOff = -1;
    let rLen = 0;
    if (csFlags & CS_PARM) {
      const pe = paramsOff + paramsLen;
      if (hmac) {
        e = item(paramsOff, pe, ITEM_KEY, 1);
        if (e > 0) keyId = x;
      }
      if (e >= 0) e = item(paramsOff, pe, ITEM_RANGE, 2);
      if (e < 0) return Verdict.Malformed - 8 * e;
      if (e) {
        rOff = x;
        rLen = y;
      }
    }
    if (hmac && keyId < 0) return Verdict.Malformed | (Err.KeyIdMissing << 3);
    const size = resultSize(kind);
    e = item(resultOff, resultOff + resultLen, ITEM_RESULT, 0);
    if (e < 0) return Verdict.Malformed - 8 * e;
    if (!e) return Verdict.Malformed | (Err.NoResult << 3);
    if (valueLen !== size) return Verdict.Malformed | (Err.ResultLengthWrong << 3);
    const res = valueOff;
    // Covered payload octets (RFC 6257 §2.6 item 4, offset in the original ADU). A
    // fragment is checked only when the range is exactly its payload (spec §7 item 21).
    const fragment = flagsP & 1;
    if (rOff < 0) {
      if (fragment) return Verdict.SkippedFragment;
      rOff = 0;
      rLen = payLen;
    } else if (fragment) {
      if (rOff !== frag || rLen !== payLen) return Verdict.SkippedFragment;
      rOff = 0;
    } else if (rOff > payLen || rLen > payLen - rOff) {
      return Verdict.Malformed | (Err.RangeOutsidePayload << 3);
    }
    const keys = vs.keys;
    if (hmac && keyId !== 0 && (keys === null || keys.count(keyId) === 0)) return Verdict.UnknownKey | (Err.UnknownKey << 3);
    // Every check costs the bundle's length; an unknown key cost nothing.
    const cost = end - start;
    if (vs.budget >= 0) {
      if (cost > vs.budget) return Verdict.SkippedBudget;
      vs.budget -= cost;
    }
    vs.bytes += cost;
    // `>>> 0`: integer offsets (a float index allocates in QuickJS).
    rOff = rOff >>> 0;
    rLen = rLen >>> 0;
    const d = digests.fixed(kind, keyId);
    if (d !== null) return differs(d, cur, rOff, rLen, res, size) ? Verdict.Mismatch : Verdict.Ok;
    // Trial verification over the candidates (rollover, KeyLookup).
    const mac = digests.keyMac;
    const n = keys!.count(keyId);
    for (let c = 0; c < n; c++) {
      keys!.load(keyId, c, mac);
      if (!differs(mac, cur, rOff, rLen, res, size)) {
        keys!.verified(keyId, c);
        return Verdict.Ok;
      }
    }
    return Verdict.Mismatch;
  }

  /*
   * Verifier.verifyAll: parses, then checks every PIB in wire order (LIFO: nearest the
   * primary first), and DTN2's PIB in block type 4 (suites 2/6/10, spec §4.3) as an
   * unknown suite. The number of PIBs, or -Err.X.
   */
  function verify(b: Uint8Array, off: number, e: number): number {
    const vs = v!;
    vs.count = 0;
    const r = parse(b, off, e, maxBlocks, maxEidRefs);
    if (r < 0) return r;
    let p = primaryEnd;
    for (;;) {
      const q = head(p, end, ANY);
      const last = flags & LAST;
      if (type === PIB || (type === PCB && asb(dataOff, q, 0) >= 0 && (suite === 2 || suite === 6 || suite === 10))) {
        const k = vs.count;
        if (k >= vs.verdict.length) return -Err.TooManyPibs;
        vs.kind[k] = 0;
        const c = check(vs, p, k);
        vs.verdict[k] = c & 7;
        vs.code[k] = c >> 3;
        vs.count = k + 1;
      }
      if (last) return vs.count;
      p = q;
    }
  }

  /* Writes one SDNV for sign (bounded by its checked total). */
  function w(value: number): void {
    wAt = writeSdnv(wOut, wAt, wEnd, value);
  }

  /*
   * Signer.sign (pib.ts sign, spec §5.2): copies the bundle with one new PIB after the
   * primary and leading BABs, canonicalizes the output with the result data left out,
   * then writes the result in place. Octets written or -Err.X.
   */
  function sign(keys: KeyLookup | null, blocks: number, room: number, inBuf: Uint8Array, inOff: number, inEnd: number,
    out: Uint8Array, outOff: number, outEnd: number, kind: number, keyId: number): number {
    const e = parse(inBuf, inOff, inEnd, blocks, room);
    if (e < 0) return e;
    if (payOff < 0) return -Err.NoPayload;
    const csId = kind === SuiteKind.Hmac ? HMAC_ID : kind === SuiteKind.Md5 ? MD5_ID : kind === SuiteKind.Crc32 ? CRC32_ID : -1;
    if (csId < 0) return -Err.UnknownSuite;
    let d = digests.fixed(kind, keyId);
    if (d === null) {
      // The newest candidate signs: during a rollover that is the new key.
      const n = keys === null ? 0 : keys.count(keyId);
      if (n === 0) return -Err.UnknownKey;
      d = digests.keyMac;
      keys!.load(keyId, n - 1, digests.keyMac);
    }
    if (frag > SAFE) return -Err.SdnvUnsafe;
    const hmac = kind === SuiteKind.Hmac;
    // params: [03 n keyId] 04 n offset length; result: 05 size digest (spec §5.2)
    const keyItem = hmac ? 2 + sdnvLength(keyId) : 0;
    const rangeLen = sdnvLength(frag) + sdnvLength(payLen);
    const paramsLen = keyItem + 1 + sdnvLength(rangeLen) + rangeLen;
    const size = resultSize(kind);
    const bodyLen = sdnvLength(csId) + 1 + sdnvLength(paramsLen) + paramsLen + 3 + size;
    // type, flags 0x01 (replicate in every fragment), length, body
    const total = inEnd - inOff + 2 + sdnvLength(bodyLen) + bodyLen;
    if (outEnd > out.length) outEnd = out.length;
    // Octets past the input buffer would follow the last block (pib.ts fails there too).
    if (inEnd > inBuf.length || outOff < 0 || total > outEnd - outOff) return -Err.NoRoom;
    const pib = outOff + insertAt - inOff;
    wOut = out;
    wEnd = outOff + total;
    let p = outOff;
    for (let i = inOff; i < insertAt; i++) out[p++] = inBuf[i]!;
    wAt = p;
    w(PIB);
    w(1);
    w(bodyLen);
    w(csId);
    w(CS_PARM | CS_RES);
    w(paramsLen);
    if (hmac) {
      w(ITEM_KEY);
      w(keyItem - 2);
      w(keyId);
    }
    w(ITEM_RANGE);
    w(rangeLen);
    w(frag);
    w(payLen);
    w(size + 2);
    w(ITEM_RESULT);
    w(size);
    const resultAt = wAt;
    p = wAt;
    for (let i = 0; i < size; i++) out[p++] = 0;
    for (let i = insertAt; i < inEnd; i++) out[p++] = inBuf[i]!;
    // The output parses like the input (one block more); its new PIB is the current one.
    const r = parse(out, outOff, wEnd, blocks + 1, room);
    if (r < 0) return r;
    dig = d;
    d.reset();
    walk(pib, 0, payLen);
    d.finish(out, resultAt);
    return total;
  }

  return { maxBlocks: maxBlocks, maxEidRefs: maxEidRefs, verify: verify, sign: sign };
}
