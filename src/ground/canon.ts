/**
 * Mutable canonicalization (RFC 6257 §3.4.2; docs/pib.md) streamed into a
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
// Methods with many member accesses read `this` once into `self`: the minifier shortens
// a local to one letter but never `this`, and Espruino keeps the source (docs/firmware.md).
import { Asb } from "./asb.js";
import type { Bundle } from "./bundle.js";
import type { Digest } from "../core/digest.js";
import { EidEmitter, eidLength } from "./eid.js";
import type { CanonProfile } from "./profiles.js";
import { readSdnv, U64 } from "../core/sdnv.js";
import { Wire } from "../core/wire.js";

/** Octets the stage holds; pieces at least STAGE_DIRECT long go straight to the digest. */
const STAGE_SIZE = 64;
const STAGE_DIRECT = 32;

/*
 * Collects the many small pieces of a canonical form (u8/u32/u64 fields, EID text)
 * into one 64-octet buffer and hands them to the digest together: one `update` per
 * ~64 octets instead of one per field, which is most of the cost for small bundles.
 * Large pieces (payload, params) pass straight through.
 */
class Stage implements Digest {
  readonly size: number;
  buf: Uint8Array;
  fill: number;
  target: Digest | null;

  constructor() {
    this.size = 0;
    this.buf = new Uint8Array(STAGE_SIZE);
    this.fill = 0;
    this.target = null;
  }

  reset(): void {
    this.fill = 0;
  }

  update(buf: Uint8Array, off: number, len: number): void {
    const self = this;
    if (len <= 0) return;
    if (len >= STAGE_DIRECT) {
      self.flush_();
      (self.target as Digest).update(buf, off, len);
      return;
    }
    if (self.fill + len > STAGE_SIZE) self.flush_();
    const s = self.buf;
    let f = self.fill;
    for (let i = 0; i < len; i++) s[f++] = buf[off + i]!;
    self.fill = f;
  }

  u8(v: number): void {
    if (this.fill + 1 > STAGE_SIZE) this.flush_();
    this.buf[this.fill++] = v;
  }

  u32(v: number): void {
    const self = this;
    if (self.fill + 4 > STAGE_SIZE) self.flush_();
    const s = self.buf;
    const f = self.fill;
    s[f] = v >>> 24;
    s[f + 1] = v >>> 16;
    s[f + 2] = v >>> 8;
    s[f + 3] = v;
    self.fill = f + 4;
  }

  /*
   * Big-endian u64 from (hi, lo) words: exact over the whole 64-bit range. Two u32s:
   * the digest sees the same octets (only the points where the stage flushes move).
   */
  u64_(hi: number, lo: number): void {
    this.u32(hi);
    this.u32(lo);
  }

  flush_(): void {
    const self = this;
    if (self.fill > 0) (self.target as Digest).update(self.buf, 0, self.fill);
    self.fill = 0;
  }

  finish(): void {
    this.flush_();
  }
}

export class Canonicalizer {
  /** The ASB of the security block being written. */
  asb_: Asb;
  /** DTN2 fragment quirk: the two SDNVs read from the dictionary. */
  quirk_: U64;
  /** Streams EID text (colon, length prefix, CBHE digits). */
  eid_: EidEmitter;
  /** Batches small pieces for the digest. */
  stage_: Stage;

  constructor() {
    this.stage_ = new Stage();
    this.asb_ = new Asb();
    this.quirk_ = new U64();
    this.eid_ = new EidEmitter();
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
  runCovered(b: Bundle, pibIndex: number, p: CanonProfile, digest: Digest, coverOff: number, coverLen: number): number {
    const d = this.stage_;
    d.target = digest;
    d.reset();
    const e = this.walk_(b, pibIndex, p, d, coverOff, coverLen);
    d.flush_();
    return e;
  }

  /** The canonical form, piece by piece, into the stage. */
  walk_(b: Bundle, pibIndex: number, p: CanonProfile, d: Stage, coverOff: number, coverLen: number): number {
    const e = this.primary_(b, p, d);
    if (e < 0) return e;
    let i = pibIndex < 0 ? 0 : p.coverCurrentPib_ ? pibIndex : pibIndex + 1;
    for (; i < b.blockCount; i++) {
      const type = b.blockType[i]!;
      if (type !== Wire.Payload && type !== Wire.Pib && type !== Wire.Pcb) continue;
      d.u8(type);
      this.flags(d, p, b.blockFlags[i]! & p.blockFlagsMask_);
      this.blockEids_(b, i, p, d);
      if (type === Wire.Payload) {
        this.payload_(b, i, d, coverOff, coverLen);
      } else {
        const r = this.securityBlock_(b, i, i === pibIndex, p, d);
        if (r < 0) return r;
      }
    }
    return 0;
  }

  /*
   * The payload's canonical form: u64 covered length, then the covered octets. A method
   * of its own so that the streaming verifier (stream.ts), whose payload is not in
   * memory, can stand in for it and feed the octets as they arrive.
   */
  payload_(b: Bundle, i: number, d: Stage, coverOff: number, coverLen: number): void {
    d.u64_(0, coverLen);
    d.update(b.buf, b.blockDataOff[i]! + coverOff, coverLen);
  }

  /** Canonical primary block (RFC 6257 §3.4.2; docs/pib.md R1 and the named profiles). */
  primary_(b: Bundle, p: CanonProfile, d: Stage): number {
    const self = this;
    const colon = p.eidColon_;
    const less = colon ? 0 : 1;
    const ld = eidLength(b, b.destScheme, b.destSsp) - less;
    const ls = eidLength(b, b.srcScheme, b.srcSsp) - less;
    const lr = eidLength(b, b.rptScheme, b.rptSsp) - less;
    const quirk = p.dtn2FragmentQuirk_ && b.isFragment;
    let length = 12 + ld + ls + lr + 24;
    if (p.primaryLengthWhole_) length += 1 + (p.flagsAsBool_ ? 4 : 8) + 4 + (quirk ? 16 : 0);
    d.u8(b.version);
    self.flags(d, p, b.flags & p.primaryFlagsMask_);
    d.u32(length);
    // Lengths measured once above, so emit() need not measure them again.
    d.u32(ld);
    self.eid_.emit(b, b.destScheme, b.destSsp, colon, false, d);
    d.u32(ls);
    self.eid_.emit(b, b.srcScheme, b.srcSsp, colon, false, d);
    d.u32(lr);
    self.eid_.emit(b, b.rptScheme, b.rptSsp, colon, false, d);
    d.u64_(b.ctime.hi, b.ctime.lo);
    d.u64_(b.seq.hi, b.seq.lo);
    d.u64_(b.lifetime.hi, b.lifetime.lo);
    if (quirk) return self.dtn2Quirk_(b, d);
    return 0;
  }

  /*
   * DTN2's read_primary() leaves its cursor at the dictionary and reads "fragment
   * offset" and "total length" from there (docs/pib.md, named profiles), so a fragment's digest holds the
   * first dictionary octets decoded as two SDNVs. Reproduced for interop only.
   */
  dtn2Quirk_(b: Bundle, d: Stage): number {
    const q = this.quirk_;
    let at = readSdnv(b.buf, b.dictOff, b.end, q);
    if (at < 0) return at;
    d.u64_(q.hi, q.lo);
    at = readSdnv(b.buf, at, b.end, q);
    if (at < 0) return at;
    d.u64_(q.hi, q.lo);
    return 0;
  }

  /** A flags field: u64 of the masked value, or IBR's u32 0/1 (docs/pib.md, named profiles). */
  flags(d: Stage, p: CanonProfile, masked: number): void {
    if (p.flagsAsBool_) d.u32(masked !== 0 ? 1 : 0);
    else d.u64_(0, masked >>> 0);
  }

  /** EID references of block i as text; IBR puts a u32 length before each. */
  blockEids_(b: Bundle, i: number, p: CanonProfile, d: Stage): void {
    const first = b.blockEidFirst[i]!;
    const n = b.blockEidCount[i]!;
    for (let k = first; k < first + n; k++) {
      this.eid_.emit(b, b.eidScheme[k]!, b.eidSsp[k]!, p.eidColon_, p.blockEidLengthPrefix_, d);
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
  securityBlock_(b: Bundle, i: number, current: boolean, p: CanonProfile, d: Stage): number {
    const buf = b.buf;
    const off = b.blockDataOff[i]!;
    const len = b.blockDataLen[i]!;
    const dropResult = current || !p.includeOtherResults_;
    const a = this.asb_;
    const e = p.asbPacked_ && !dropResult ? -1 : a.parse(buf, off, len);
    if (e < 0) {
      if (current) return e;
      d.u64_(0, len);
      d.update(buf, off, len);
      return 0;
    }
    const res = a.has(Wire.CsRes);
    if (p.asbPacked_) {
      d.u64_(0, len);
      d.update(buf, off, (res ? a.resultOff : a.dataEnd_) - off);
      return 0;
    }
    const corr = a.has(Wire.CsCorr);
    const parm = a.has(Wire.CsParm);
    if (p.ibrSyntheticLength_) {
      const synthetic = 16 + (corr ? 8 : 0) + (parm ? 8 + a.paramsLen : 0) + (res ? 8 + a.resultLen : 0);
      d.u64_(0, synthetic);
    } else {
      d.u64_(0, len);
    }
    d.u64_(a.csId.hi, a.csId.lo);
    d.u64_(a.csFlags.hi, a.csFlags.lo);
    if (corr) d.u64_(a.corr.hi, a.corr.lo);
    if (parm) {
      d.u64_(0, a.paramsLen);
      d.update(buf, a.paramsOff, a.paramsLen);
    }
    if (res) {
      d.u64_(0, a.resultLen);
      if (!dropResult) d.update(buf, a.resultOff, a.resultLen);
    }
    return 0;
  }

}
