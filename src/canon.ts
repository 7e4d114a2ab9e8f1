/**
 * Mutable canonicalization (RFC 6257 §3.4.2; bundle-checksum.md §4) streamed into a
 * Digest piece by piece: the canonical form is never built in memory (the checksum
 * draft's Appendix A.1 asks for exactly this). Every switch comes from a
 * `CanonProfile` (profiles.ts); this file has one code path for all of them.
 *
 *   primary:  u8 version | flags | u32 canonical length | 3 × (u32 len | EID text)
 *             | u64 ctime | u64 seq | u64 lifetime [| DTN2 fragment quirk]
 *   blocks:   from the current PIB on (LIFO, RFC 6257 §3.2), payload/PIB/PCB only:
 *             u8 type | flags | EID texts | u64 length | body
 *
 * u64 values come from (hi, lo) words, so the whole 64-bit range is exact.
 */
import { Asb, CS_CORR, CS_PARM, CS_RES } from "./asb.js";
import type { Bundle } from "./bundle.js";
import type { Digest } from "./digest.js";
import { EidText, eidLength } from "./eid.js";
import type { CanonProfile } from "./profiles.js";
import { readSdnv, U64 } from "./sdnv.js";

/** Block types RFC 6257 §3.4.2 covers: payload, PIB, PCB. */
const TYPE_PAYLOAD = 1;
const TYPE_PIB = 3;
const TYPE_PCB = 4;

export class Canonicalizer {
  /** 8 octets for u8/u32/u64 values and the colon; created once. */
  scratch: Uint8Array;
  /** The ASB of the security block being written. */
  asb: Asb;
  /** DTN2 fragment quirk: the two SDNVs read from the dictionary. */
  quirk: U64;
  /** Streams EID text (colon, length prefix, CBHE digits). */
  eid: EidText;

  constructor() {
    this.scratch = new Uint8Array(8);
    this.asb = new Asb();
    this.quirk = new U64();
    this.eid = new EidText();
  }

  /**
   * Streams the canonical form of `b` for the PIB at block index `pibIndex` (−1 for
   * "no current PIB": every covered block from the first) into `d`, covering the whole
   * payload. Returns 0 or -Err.X (the digest then holds a partial stream).
   */
  run(b: Bundle, pibIndex: number, p: CanonProfile, d: Digest): number {
    const len = b.payloadIndex >= 0 ? b.blockDataLen[b.payloadIndex]! : 0;
    return this.runCovered(b, pibIndex, p, d, 0, len);
  }

  /**
   * As `run`, covering only payload octets [coverOff, coverOff + coverLen) relative to
   * the payload block's data (RFC 6257 §3.4.2: the "effective block"). The caller
   * checked the range lies inside the payload.
   */
  runCovered(b: Bundle, pibIndex: number, p: CanonProfile, d: Digest, coverOff: number, coverLen: number): number {
    const e = this.primary(b, p, d);
    if (e < 0) return e;
    let i = pibIndex < 0 ? 0 : p.coverCurrentPib ? pibIndex : pibIndex + 1;
    for (; i < b.blockCount; i++) {
      const type = b.blockType[i]!;
      if (type !== TYPE_PAYLOAD && type !== TYPE_PIB && type !== TYPE_PCB) continue;
      this.u8(d, type);
      this.flags(d, p, b.blockFlags[i]! & p.blockFlagsMask);
      this.blockEids(b, i, p, d);
      if (type === TYPE_PAYLOAD) {
        this.u64(d, 0, coverLen);
        this.bytes(d, b.buf, b.blockDataOff[i]! + coverOff, coverLen);
      } else {
        const r = this.securityBlock(b, i, i === pibIndex, p, d);
        if (r < 0) return r;
      }
    }
    return 0;
  }

  /** Canonical primary block (RFC 6257 §3.4.2; spec §4.2 R1, §4.3). */
  primary(b: Bundle, p: CanonProfile, d: Digest): number {
    const colon = p.eidColon;
    const less = colon ? 0 : 1;
    const ld = eidLength(b, b.destScheme, b.destSsp) - less;
    const ls = eidLength(b, b.srcScheme, b.srcSsp) - less;
    const lr = eidLength(b, b.rptScheme, b.rptSsp) - less;
    const quirk = p.dtn2FragmentQuirk && b.isFragment;
    let length = 12 + ld + ls + lr + 24;
    if (p.primaryLengthWhole) length += 1 + (p.flagsAsBool ? 4 : 8) + 4 + (quirk ? 16 : 0);
    this.u8(d, b.version);
    this.flags(d, p, b.flags & p.primaryFlagsMask);
    this.u32(d, length);
    this.eid.emit(b, b.destScheme, b.destSsp, colon, true, d);
    this.eid.emit(b, b.srcScheme, b.srcSsp, colon, true, d);
    this.eid.emit(b, b.rptScheme, b.rptSsp, colon, true, d);
    this.u64(d, b.ctime.hi, b.ctime.lo);
    this.u64(d, b.seq.hi, b.seq.lo);
    this.u64(d, b.lifetime.hi, b.lifetime.lo);
    if (quirk) return this.dtn2Quirk(b, d);
    return 0;
  }

  /*
   * DTN2's read_primary() leaves its cursor at the dictionary and reads "fragment
   * offset" and "total length" from there (spec §4.3), so a fragment's digest holds the
   * first dictionary octets decoded as two SDNVs. Reproduced for interop only.
   */
  dtn2Quirk(b: Bundle, d: Digest): number {
    const q = this.quirk;
    let at = readSdnv(b.buf, b.dictOff, b.end, q);
    if (at < 0) return at;
    this.u64(d, q.hi, q.lo);
    at = readSdnv(b.buf, at, b.end, q);
    if (at < 0) return at;
    this.u64(d, q.hi, q.lo);
    return 0;
  }

  /** A flags field: u64 of the masked value, or IBR's u32 0/1 (spec §4.3). */
  flags(d: Digest, p: CanonProfile, masked: number): void {
    if (p.flagsAsBool) this.u32(d, masked !== 0 ? 1 : 0);
    else this.u64(d, 0, masked >>> 0);
  }

  /** EID references of block i as text; IBR puts a u32 length before each. */
  blockEids(b: Bundle, i: number, p: CanonProfile, d: Digest): void {
    const first = b.blockEidFirst[i]!;
    const n = b.blockEidCount[i]!;
    for (let k = first; k < first + n; k++) {
      this.eid.emit(b, b.eidScheme[k]!, b.eidSsp[k]!, p.eidColon, p.blockEidLengthPrefix, d);
    }
  }

  /*
   * A PIB or PCB. Unpacked (R, IBR): u64 length, u64 cs-id, u64 cs-flags,
   * [u64 correlator], [u64 params length | params], [u64 result length | result].
   * Packed (R′, DTN2): u64 length, then the wire octets. Result data is left out for
   * the current PIB (RFC 6257 §4.2) and, under IBR, for every security block.
   * Another block that is not an RFC 6257 ASB is digested as its raw octets, as
   * DTN2 always does, so a foreign block never stops a PIB from being made or checked.
   */
  securityBlock(b: Bundle, i: number, current: boolean, p: CanonProfile, d: Digest): number {
    const buf = b.buf;
    const off = b.blockDataOff[i]!;
    const len = b.blockDataLen[i]!;
    const dropResult = current || !p.includeOtherResults;
    const a = this.asb;
    const e = p.asbPacked && !dropResult ? -1 : a.parse(buf, off, len);
    if (e < 0) {
      if (current) return e;
      this.u64(d, 0, len);
      this.bytes(d, buf, off, len);
      return 0;
    }
    const res = a.has(CS_RES);
    if (p.asbPacked) {
      this.u64(d, 0, len);
      this.bytes(d, buf, off, (res ? a.resultOff : a.dataEnd) - off);
      return 0;
    }
    const corr = a.has(CS_CORR);
    const parm = a.has(CS_PARM);
    if (p.ibrSyntheticLength) {
      const synthetic = 16 + (corr ? 8 : 0) + (parm ? 8 + a.paramsLen : 0) + (res ? 8 + a.resultLen : 0);
      this.u64(d, 0, synthetic);
    } else {
      this.u64(d, 0, len);
    }
    this.u64(d, a.csId.hi, a.csId.lo);
    this.u64(d, a.csFlags.hi, a.csFlags.lo);
    if (corr) this.u64(d, a.corr.hi, a.corr.lo);
    if (parm) {
      this.u64(d, 0, a.paramsLen);
      this.bytes(d, buf, a.paramsOff, a.paramsLen);
    }
    if (res) {
      this.u64(d, 0, a.resultLen);
      if (!dropResult) this.bytes(d, buf, a.resultOff, a.resultLen);
    }
    return 0;
  }

  u8(d: Digest, v: number): void {
    this.scratch[0] = v;
    d.update(this.scratch, 0, 1);
  }

  u32(d: Digest, v: number): void {
    const s = this.scratch;
    s[0] = v >>> 24;
    s[1] = v >>> 16;
    s[2] = v >>> 8;
    s[3] = v;
    d.update(s, 0, 4);
  }

  u64(d: Digest, hi: number, lo: number): void {
    const s = this.scratch;
    s[0] = hi >>> 24;
    s[1] = hi >>> 16;
    s[2] = hi >>> 8;
    s[3] = hi;
    s[4] = lo >>> 24;
    s[5] = lo >>> 16;
    s[6] = lo >>> 8;
    s[7] = lo;
    d.update(s, 0, 8);
  }

  bytes(d: Digest, buf: Uint8Array, off: number, len: number): void {
    if (len > 0) d.update(buf, off, len);
  }
}
