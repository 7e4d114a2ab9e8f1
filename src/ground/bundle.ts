/**
 * RFC 5050 (BPv6) bundle parser: reads a bundle in place from a caller's buffer into a
 * state object created once, with a block table of fixed capacity. No allocation and no
 * exception after construction: `parse` returns 0 or `-Err.X`.
 *
 * Layout (RFC 5050 §4.5.1; docs/bundles.md): version octet, processing
 * flags SDNV, block length SDNV (octets of every field after it), eight dictionary
 * offsets, creation time, sequence, lifetime, dictionary length, dictionary, and the
 * fragment offset / total ADU length only when flag bit 0 is set. Then blocks
 * (RFC 5050 §4.5.2): type octet, flags SDNV, [EID-reference list if flag bit 6],
 * data length SDNV, data. The block with flag bit 3 ("last block") ends the bundle.
 *
 * CBHE (RFC 6260 §2.2): a dictionary length of 0 means the eight "offsets" carry ipn
 * node and service numbers; they are kept as they are and `eid.ts` makes the text.
 *
 * Every read is bounded by the `end` given to `parse`: SDNVs through `readSdnv*` with
 * that bound, single octets only after an explicit `p < end` check.
 */
// Methods with many member accesses read `this` once into `self`: the minifier shortens
// a local to one letter but never `this`, and Espruino keeps the source (docs/firmware.md).
import { Err } from "../core/errors.js";
import { readSdnv, readSdnvNumber, U64, u64ToNumber } from "../core/sdnv.js";
import { Wire } from "../core/wire.js";

/** Largest value a CBHE block EID reference may carry: the table is Uint32. */
const U32_LIMIT = 4294967296;

/*
 * After parse, every offset is an absolute index into `buf`; EID references
 * (destScheme … custSsp, eidScheme/eidSsp) are dictionary-relative, as on the wire
 * (RFC 5050 §4.5.1), or ipn node/service numbers when dictLen is 0 (RFC 6260).
 */
export class Bundle {
  buf: Uint8Array;
  start: number;
  end: number;
  version: number;
  /**
   * Bundle processing flags (RFC 5050 §4.2), the low 32 of their 64 bit positions
   * (RFC 6256 §3.3): every bit a rule reads, and the BSP mask 0x7C1BE, lie there.
   * `flagsHi` holds bits 32–63, which are reserved: a bundle setting them still parses.
   */
  flags: number;
  flagsHi: number;
  primaryEnd: number;
  primaryLength: number;
  dictOff: number;
  dictLen: number;
  destScheme: number;
  destSsp: number;
  srcScheme: number;
  srcSsp: number;
  rptScheme: number;
  rptSsp: number;
  custScheme: number;
  custSsp: number;
  ctime: U64;
  seq: U64;
  lifetime: U64;
  isFragment: boolean;
  fragOffset: U64;
  totalLength: U64;
  blockCount: number;
  blockType: Uint8Array;
  blockFlags: Uint32Array;
  blockStart: Uint32Array;
  blockDataOff: Uint32Array;
  blockDataLen: Uint32Array;
  blockEidFirst: Uint16Array;
  blockEidCount: Uint16Array;
  eidCount: number;
  eidScheme: Uint32Array;
  eidSsp: Uint32Array;
  payloadIndex: number;
  maxBlocks_: number;
  maxEidRefs_: number;
  /** Offset of the last NUL in the dictionary (absolute), or -1: bounds every string. */
  lastNul_: number;
  tmp: U64;
  /** Value of the last SDNV read by `num`. */
  val_: number;
  /** After a failed parse: offset of the field it stopped at (ground tools report it), else -1. */
  errAt_: number;

  /** errAt_ for readers outside src/ (firmware builds rename `_` members). */
  get errAt(): number {
    return this.errAt_;
  }

  constructor(maxBlocks: number, maxEidRefs: number) {
    this.maxBlocks_ = maxBlocks;
    this.maxEidRefs_ = maxEidRefs;
    this.buf = new Uint8Array(0);
    this.start = 0;
    this.end = 0;
    this.version = 0;
    this.flags = 0;
    this.flagsHi = 0;
    this.primaryEnd = 0;
    this.primaryLength = 0;
    this.dictOff = 0;
    this.dictLen = 0;
    this.destScheme = 0;
    this.destSsp = 0;
    this.srcScheme = 0;
    this.srcSsp = 0;
    this.rptScheme = 0;
    this.rptSsp = 0;
    this.custScheme = 0;
    this.custSsp = 0;
    this.ctime = new U64();
    this.seq = new U64();
    this.lifetime = new U64();
    this.isFragment = false;
    this.fragOffset = new U64();
    this.totalLength = new U64();
    this.blockCount = 0;
    this.blockType = new Uint8Array(maxBlocks);
    this.blockFlags = new Uint32Array(maxBlocks);
    this.blockStart = new Uint32Array(maxBlocks);
    this.blockDataOff = new Uint32Array(maxBlocks);
    this.blockDataLen = new Uint32Array(maxBlocks);
    this.blockEidFirst = new Uint16Array(maxBlocks);
    this.blockEidCount = new Uint16Array(maxBlocks);
    this.eidCount = 0;
    this.eidScheme = new Uint32Array(maxEidRefs);
    this.eidSsp = new Uint32Array(maxEidRefs);
    this.payloadIndex = -1;
    this.lastNul_ = -1;
    this.tmp = new U64();
    this.val_ = 0;
    this.errAt_ = -1;
  }

  /*
   * Reads an SDNV that must be an exact number (< 2^53) into `this.val_`; returns the
   * offset after it or -Err.X (an error `p` comes back unchanged, so reads chain).
   * Most header SDNVs are one octet: that case is read here without the call (same
   * bound check, same result as readSdnvNumber).
   */
  num_(buf: Uint8Array, p: number, end: number): number {
    if (p < 0) return p;
    if (p < end) {
      const c = buf[p]!;
      if (c < 0x80) {
        this.val_ = c;
        return p + 1;
      }
    }
    const t = this.tmp;
    const r = readSdnvNumber(buf, p, end, t);
    // hi === 0 keeps the value an integer in QuickJS: a float-valued index into a
    // typed array costs an atom allocation there (measured by test/alloc.test.ts).
    if (r >= 0) this.val_ = u64ToNumber(t);
    else this.errAt_ = p;
    return r;
  }

  /** readSdnv into `out`, recording where it failed; an error `p` passes through. */
  u64_(buf: Uint8Array, p: number, end: number, out: U64): number {
    if (p < 0) return p;
    const r = readSdnv(buf, p, end, out);
    if (r < 0) this.errAt_ = p;
    return r;
  }

  /** Returns `code` after recording `at` as the failing field's offset. */
  fail_(code: number, at: number): number {
    this.errAt_ = at;
    return code;
  }

  /** Parses the bundle in buf[off, end): 0, or -Err.X naming the first defect found. */
  parse(buf: Uint8Array, off: number, end: number): number {
    const self = this;
    // A range past the buffer is the caller's mistake; never let it make blocks "fit".
    if (end > buf.length) end = buf.length;
    self.buf = buf;
    self.start = off;
    self.end = end;
    self.blockCount = 0;
    self.eidCount = 0;
    self.payloadIndex = -1;
    self.errAt_ = -1;
    self.primaryEnd = 0;
    self.isFragment = false;
    self.fragOffset.hi = 0;
    self.fragOffset.lo = 0;
    self.totalLength.hi = 0;
    self.totalLength.lo = 0;
    const p = self.parsePrimary_(buf, off, end);
    if (p < 0) return p;
    return self.parseBlocks_(buf, p, end);
  }

  /** Primary block (RFC 5050 §4.5.1): returns the offset after it or -Err.X. */
  parsePrimary_(buf: Uint8Array, off: number, end: number): number {
    const self = this;
    if (off < 0 || off >= end) return self.fail_(-Err.PrimaryTruncated, off);
    self.version = buf[off]!;
    if (self.version !== Wire.Version) return self.fail_(-Err.BadVersion, off);
    const t = self.tmp;
    let p = self.u64_(buf, off + 1, end, t);
    if (p < 0) return p;
    self.flags = t.lo;
    self.flagsHi = t.hi;
    const lenAt = p;
    p = self.num_(buf, p, end);
    if (p < 0) return p;
    const len = self.val_;
    if (len > end - p) return self.fail_(-Err.PrimaryTruncated, lenAt);
    const pend = p + len;
    self.primaryLength = len;
    self.primaryEnd = pend;
    // The fields are read within the declared length: running past it means the
    // length disagrees with the fields (a truncated SDNV there is that disagreement).
    p = self.readOffsets_(buf, p, pend);
    if (p < 0) return self.lengthError_(p);
    p = self.u64_(buf, p, pend, self.ctime);
    p = self.u64_(buf, p, pend, self.seq);
    p = self.u64_(buf, p, pend, self.lifetime);
    p = self.num_(buf, p, pend);
    if (p < 0) return self.lengthError_(p);
    const dlen = self.val_;
    if (dlen > pend - p) return self.fail_(-Err.PrimaryLengthMismatch, p);
    self.dictOff = p;
    self.dictLen = dlen;
    p += dlen;
    if ((self.flags & Wire.IsFragment) !== 0) {
      self.isFragment = true;
      p = self.u64_(buf, p, pend, self.fragOffset);
      p = self.u64_(buf, p, pend, self.totalLength);
      if (p < 0) return self.lengthError_(p);
    }
    if (p !== pend) return self.fail_(-Err.PrimaryLengthMismatch, p);
    // a bad EID reference is reported at the first of the eight offsets
    const e = self.checkPrimaryEids_();
    return e < 0 ? self.fail_(e, pend - len) : pend;
  }

  /** An SDNV cut short by the declared primary length means the length is wrong. */
  lengthError_(code: number): number {
    return code === -Err.SdnvTruncated ? -Err.PrimaryLengthMismatch : code;
  }

  /*
   * The eight primary EID offsets (RFC 5050 §4.5.1), each < 2^53. `num` passes an
   * error offset through, so the chain stops reading at the first failure; the fields
   * then hold leftovers, as after any failed parse.
   */
  readOffsets_(buf: Uint8Array, p: number, pend: number): number {
    const self = this;
    p = self.num_(buf, p, pend);
    self.destScheme = self.val_;
    p = self.num_(buf, p, pend);
    self.destSsp = self.val_;
    p = self.num_(buf, p, pend);
    self.srcScheme = self.val_;
    p = self.num_(buf, p, pend);
    self.srcSsp = self.val_;
    p = self.num_(buf, p, pend);
    self.rptScheme = self.val_;
    p = self.num_(buf, p, pend);
    self.rptSsp = self.val_;
    p = self.num_(buf, p, pend);
    self.custScheme = self.val_;
    p = self.num_(buf, p, pend);
    self.custSsp = self.val_;
    return p;
  }

  /** Finds the dictionary's last NUL once, then checks the four primary EIDs (first error, else 0). */
  checkPrimaryEids_(): number {
    const self = this;
    const buf = self.buf;
    let i = self.dictOff + self.dictLen - 1;
    while (i >= self.dictOff && buf[i] !== 0) i--;
    self.lastNul_ = i;
    return (
      self.checkRef_(self.destScheme) ||
      self.checkRef_(self.destSsp) ||
      self.checkRef_(self.srcScheme) ||
      self.checkRef_(self.srcSsp) ||
      self.checkRef_(self.rptScheme) ||
      self.checkRef_(self.rptSsp) ||
      self.checkRef_(self.custScheme) ||
      self.checkRef_(self.custSsp)
    );
  }

  /**
   * A dictionary offset must point inside the dictionary and its string must end
   * with a NUL inside it (RFC 5050 §4.5.1): true exactly when some NUL lies at or
   * after the offset, i.e. offset <= the last NUL. With CBHE (dictLen 0) the value is
   * an ipn number and anything goes.
   */
  checkRef_(rel: number): number {
    if (this.dictLen === 0) return 0;
    if (rel >= this.dictLen) return -Err.DictOffsetOutOfRange;
    if (this.dictOff + rel > this.lastNul_) return -Err.DictStringUnterminated;
    return 0;
  }

  /** Blocks after the primary (RFC 5050 §4.5.2) up to the one flagged last. */
  parseBlocks_(buf: Uint8Array, p: number, end: number): number {
    const self = this;
    const t = self.tmp;
    let last = false;
    while (p < end) {
      if (last) return self.fail_(-Err.DataAfterLastBlock, p);
      const i = self.blockCount;
      if (i >= self.maxBlocks_) return self.fail_(-Err.TooManyBlocks, p);
      self.blockStart[i] = p;
      const type = buf[p]!;
      self.blockType[i] = type;
      p = self.u64_(buf, p + 1, end, t);
      if (p < 0) return p;
      // Flags above bit 31 are kept out of the table: every mask in use (0x77, 0x57,
      // RFC 5050 §4.3 bits 0–6) lies in the low word.
      const flags = t.lo;
      self.blockFlags[i] = flags;
      self.blockEidFirst[i] = self.eidCount;
      self.blockEidCount[i] = 0;
      if ((flags & Wire.HasEids) !== 0) {
        p = self.readEidRefs_(buf, p, end, i);
        if (p < 0) return p;
      }
      const lenAt = p;
      p = self.num_(buf, p, end);
      if (p < 0) return p;
      const len = self.val_;
      if (len > end - p) return self.fail_(-Err.BlockPastEnd, lenAt);
      self.blockDataOff[i] = p;
      self.blockDataLen[i] = len;
      if (type === Wire.Payload) {
        if (self.payloadIndex >= 0) return self.fail_(-Err.DuplicatePayload, self.blockStart[i]!);
        self.payloadIndex = i;
      }
      self.blockCount = i + 1;
      p += len;
      if ((flags & Wire.Last) !== 0) last = true;
    }
    return last ? 0 : self.fail_(-Err.NoLastBlock, end);
  }

  /** EID-reference list of block i: count SDNV (not 0, RFC 6257 §2.1), then pairs. */
  readEidRefs_(buf: Uint8Array, p: number, end: number, i: number): number {
    const self = this;
    const at = p;
    p = self.num_(buf, p, end);
    if (p < 0) return p;
    const count = self.val_;
    if (count === 0) return self.fail_(-Err.EidRefCountZero, at);
    if (count > self.maxEidRefs_ - self.eidCount) return self.fail_(-Err.TooManyEidRefs, at);
    self.blockEidCount[i] = count;
    for (let k = 0; k < count; k++) {
      const pair = p;
      p = self.num_(buf, p, end);
      if (p < 0) return p;
      const scheme = self.val_;
      p = self.num_(buf, p, end);
      if (p < 0) return p;
      const ssp = self.val_;
      if (scheme >= U32_LIMIT || ssp >= U32_LIMIT) return self.fail_(-Err.DictOffsetOutOfRange, pair);
      let e = self.checkRef_(scheme);
      if (e === 0) e = self.checkRef_(ssp);
      if (e < 0) return self.fail_(e, pair);
      self.eidScheme[self.eidCount] = scheme;
      self.eidSsp[self.eidCount] = ssp;
      self.eidCount++;
    }
    return p;
  }
}
