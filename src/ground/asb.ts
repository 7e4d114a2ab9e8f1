/**
 * RFC 6257 §2.1 abstract security block (the block-type-specific data of a BAB, PIB,
 * PCB or ESB) and §2.6 TLV items, read in place from the caller's buffer.
 *
 *   ciphersuite ID SDNV | ciphersuite flags SDNV | [correlator SDNV]   (cs-flag 0x02)
 *   [params length SDNV | params]     (cs-flag 0x04)
 *   [result length SDNV | result]     (cs-flag 0x01)
 *
 * The fields must fill the block data exactly: trailing octets mean the block is not
 * an RFC 6257 ASB (bplib's BPSec-draft CRC blocks in type 3 fail here, as they should).
 */
// Methods with many member accesses read `this` once into `self`: the minifier shortens
// a local to one letter but never `this`, and Espruino keeps the source (docs/firmware.md).
import { Err } from "../core/errors.js";
import { readSdnv, U64 } from "../core/sdnv.js";
import { Wire } from "../core/wire.js";

export class Asb {
  /** Ciphersuite id, flags and correlator as (hi, lo) words. */
  csId: U64;
  csFlags: U64;
  corr: U64;
  /** Absolute offsets into the buffer; lengths in octets; -1 offsets when absent. */
  dataOff: number;
  dataEnd_: number;
  paramsOff: number;
  paramsLen: number;
  resultOff: number;
  resultLen: number;
  /** Scratch for length SDNVs. */
  private len: U64;

  constructor() {
    this.csId = new U64();
    this.csFlags = new U64();
    this.corr = new U64();
    this.len = new U64();
    this.dataOff = 0;
    this.dataEnd_ = 0;
    this.paramsOff = -1;
    this.paramsLen = 0;
    this.resultOff = -1;
    this.resultLen = 0;
  }

  /** True when cs-flag `bit` is set (only the low word carries defined flags). */
  has(bit: number): boolean {
    return (this.csFlags.lo & bit) !== 0;
  }

  /**
   * Reads the ASB in `buf[off, off + len)`. Returns 0, -Err.AsbMalformed when a field
   * does not fit (an SDNV cut short by the end of the block data included) or octets
   * are left over, or the SDNV error of a field that is itself bad (too long, too big).
   */
  parse(buf: Uint8Array, off: number, len: number): number {
    const self = this;
    const end = off + len;
    self.dataOff = off;
    self.dataEnd_ = end;
    self.paramsOff = -1;
    self.paramsLen = 0;
    self.resultOff = -1;
    self.resultLen = 0;
    self.corr.hi = 0;
    self.corr.lo = 0;
    // One exit: every field is read only while the previous ones were. The block data's
    // end cuts an SDNV short when a length before it is wrong (a params length running
    // into the result field leaves a result octet of 0x80 or more as the last one):
    // that is a field that does not fit, as the on-board path reports it.
    let p = readSdnv(buf, off, end, self.csId);
    if (p >= 0) p = readSdnv(buf, p, end, self.csFlags);
    const flags = self.csFlags.lo;
    if (p >= 0 && (flags & Wire.CsCorr) !== 0) p = readSdnv(buf, p, end, self.corr);
    if (p >= 0 && (flags & Wire.CsParm) !== 0) {
      p = self.field(buf, p, end);
      self.paramsLen = self.len.lo;
      self.paramsOff = p - self.paramsLen;
    }
    if (p >= 0 && (flags & Wire.CsRes) !== 0) {
      p = self.field(buf, p, end);
      self.resultLen = self.len.lo;
      self.resultOff = p - self.resultLen;
    }
    return p === end ? 0 : p >= 0 || p === -Err.SdnvTruncated ? -Err.AsbMalformed : p;
  }

  /** Reads `length SDNV | octets`, the length into `this.len`; returns the offset after. */
  private field(buf: Uint8Array, p: number, end: number): number {
    const n = this.len;
    p = readSdnv(buf, p, end, n);
    if (p < 0) return p;
    if (n.hi !== 0 || n.lo > end - p) return -Err.AsbMalformed;
    return p + n.lo;
  }
}

/**
 * Finds the one TLV item of `type` in `buf[off, end)` (RFC 6257 §2.6: type octet,
 * length SDNV, value). The whole sequence must be well formed. Fills `valueOff` and
 * `valueLen` of `out` and returns 1 when found, 0 when absent, -Err.TlvMalformed when
 * an item runs past `end` or `type` occurs twice.
 */
export class TlvItem {
  valueOff_: number;
  valueLen_: number;
  private n: U64;
  constructor() {
    this.valueOff_ = -1;
    this.valueLen_ = 0;
    this.n = new U64();
  }
  /** The value found, for readers outside src/ (firmware builds rename `_` members). */
  get valueOff(): number {
    return this.valueOff_;
  }
  get valueLen(): number {
    return this.valueLen_;
  }

  find(buf: Uint8Array, off: number, end: number, type: number): number {
    const self = this;
    let found = 0;
    let p = off;
    self.valueOff_ = -1;
    self.valueLen_ = 0;
    while (p < end) {
      const t = buf[p]!;
      p = readSdnv(buf, p + 1, end, self.n);
      if (p < 0) return -Err.TlvMalformed;
      if (self.n.hi !== 0 || self.n.lo > end - p) return -Err.TlvMalformed;
      if (t === type) {
        if (found) return -Err.TlvMalformed;
        found = 1;
        self.valueOff_ = p;
        self.valueLen_ = self.n.lo;
      }
      p += self.n.lo;
    }
    return found;
  }
}
