/**
 * Builds RFC 5050 bundles into a caller's buffer, for source nodes and tests.
 *
 * The primary block's dictionary is built from the four EIDs the way DTN2 does it
 * (`servlib/bundling/Dictionary.cc` `add_str`, called for dest, source, report-to,
 * custodian in that order, each scheme then SSP): a string already in the dictionary is
 * reused, a new one is appended with its NUL. So `dtn://dst/app`, `dtn://src/app`,
 * `dtn:none`, `dtn:none` give `"dtn\0//dst/app\0//src/app\0none\0"` (example 1, docs/pib.md).
 *
 * Every SDNV is written in minimal form (RFC 6256 §3.1). Nothing is allocated after
 * construction; too small an output is -Err.NoRoom, bad EID text -Err.EidMalformed.
 * Blocks are written one call each, so a caller composes primary, extension blocks and
 * payload in any order; `writeBlock` sets or clears the last-block flag as told.
 */
// Methods with many member accesses read `this` once into `self`: the minifier shortens
// a local to one letter but never `this`, and Espruino keeps the source (docs/firmware.md).
import { Err } from "../core/errors.js";
import { sdnvLength, sdnvLengthU64, U64, writeSdnv, writeSdnvU64 } from "../core/sdnv.js";
import { Wire } from "../core/wire.js";

/** RFC 5050 §4.4: scheme names and SSPs are at most 1023 octets. */
const MAX_EID_PART = 1023;

/*
 * What the primary block carries. EIDs are `scheme:ssp` text as bytes (ASCII), each the
 * whole of its array. Fragment fields are written only when flags bit 0 is set.
 */
export class PrimarySpec {
  flags: number;
  dest: Uint8Array;
  source: Uint8Array;
  reportTo: Uint8Array;
  custodian: Uint8Array;
  ctime: U64;
  seq: U64;
  lifetime: U64;
  fragOffset: U64;
  totalLength: U64;

  constructor() {
    this.flags = 0;
    this.dest = new Uint8Array(0);
    this.source = new Uint8Array(0);
    this.reportTo = new Uint8Array(0);
    this.custodian = new Uint8Array(0);
    this.ctime = new U64();
    this.seq = new U64();
    this.lifetime = new U64();
    this.fragOffset = new U64();
    this.totalLength = new U64();
  }
}

/** Copies src[so, so+n) to dst[at…] octet by octet (no subarray view is made). */
function copyBytes(dst: Uint8Array, at: number, src: Uint8Array, so: number, n: number): void {
  for (let i = 0; i < n; i++) dst[at + i] = src[so + i]!;
}

/* The 8 dictionary strings: index 2k = scheme of EID k, 2k+1 = its SSP (k: dest, source, report-to, custodian). */
export class BundleWriter {
  /** Start and length of each string inside its EID text. */
  strStart_: Int32Array;
  strLen_: Int32Array;
  /** Dictionary offset of each string, and whether this string is the one that adds it. */
  strOff_: Int32Array;
  strNew_: Uint8Array;
  dictLen: number;

  constructor() {
    this.strStart_ = new Int32Array(8);
    this.strLen_ = new Int32Array(8);
    this.strOff_ = new Int32Array(8);
    this.strNew_ = new Uint8Array(8);
    this.dictLen = 0;
  }

  eidText_(s: PrimarySpec, k: number): Uint8Array {
    return k === 0 ? s.dest : k === 1 ? s.source : k === 2 ? s.reportTo : s.custodian;
  }

  /** Splits EID k at its first colon; 0 or -Err.EidMalformed (no colon, NUL, too long, empty scheme). */
  split(s: PrimarySpec, k: number): number {
    const self = this;
    const t = self.eidText_(s, k);
    let colon = -1;
    for (let i = 0; i < t.length; i++) {
      if (t[i] === 0) return -Err.EidMalformed;
      if (colon < 0 && t[i] === 0x3a) colon = i;
    }
    if (colon <= 0 || colon > MAX_EID_PART || t.length - colon - 1 > MAX_EID_PART) return -Err.EidMalformed;
    self.strStart_[2 * k] = 0;
    self.strLen_[2 * k] = colon;
    self.strStart_[2 * k + 1] = colon + 1;
    self.strLen_[2 * k + 1] = t.length - colon - 1;
    return 0;
  }

  /** String j's bytes equal string i's. */
  sameString_(s: PrimarySpec, i: number, j: number): boolean {
    const self = this;
    const n = self.strLen_[i]!;
    if (n !== self.strLen_[j]) return false;
    const a = self.eidText_(s, i >> 1);
    const b = self.eidText_(s, j >> 1);
    const ai = self.strStart_[i]!;
    const bj = self.strStart_[j]!;
    for (let x = 0; x < n; x++) if (a[ai + x] !== b[bj + x]) return false;
    return true;
  }

  /** Lays out the dictionary with DTN2's de-duplication; 0 or -Err.EidMalformed. */
  layout_(s: PrimarySpec): number {
    const self = this;
    for (let k = 0; k < 4; k++) {
      const e = self.split(s, k);
      if (e < 0) return e;
    }
    let len = 0;
    for (let i = 0; i < 8; i++) {
      let found = -1;
      for (let j = 0; j < i && found < 0; j++) if (self.strNew_[j] === 1 && self.sameString_(s, i, j)) found = j;
      if (found >= 0) {
        self.strOff_[i] = self.strOff_[found]!;
        self.strNew_[i] = 0;
      } else {
        self.strOff_[i] = len;
        self.strNew_[i] = 1;
        len += self.strLen_[i]! + 1;
      }
    }
    self.dictLen = len;
    return 0;
  }

  /** Octets after the block-length field (RFC 5050 §4.5.1 "block length"). */
  primaryBodyLength_(s: PrimarySpec): number {
    let n = 0;
    for (let i = 0; i < 8; i++) n += sdnvLength(this.strOff_[i]!);
    n += sdnvLengthU64(s.ctime.hi, s.ctime.lo) + sdnvLengthU64(s.seq.hi, s.seq.lo);
    n += sdnvLengthU64(s.lifetime.hi, s.lifetime.lo);
    n += sdnvLength(this.dictLen) + this.dictLen;
    if ((s.flags & Wire.IsFragment) !== 0) {
      n += sdnvLengthU64(s.fragOffset.hi, s.fragOffset.lo) + sdnvLengthU64(s.totalLength.hi, s.totalLength.lo);
    }
    return n;
  }

  /** Writes the primary block at out[off…]; returns the offset after it or -Err.X. */
  writePrimary(out: Uint8Array, off: number, end: number, s: PrimarySpec): number {
    const self = this;
    const e = self.layout_(s);
    if (e < 0) return e;
    if (end > out.length) end = out.length;
    if (off < 0 || off >= end) return -Err.NoRoom;
    const body = self.primaryBodyLength_(s);
    out[off] = 6;
    let p = writeSdnv(out, off + 1, end, s.flags);
    if (p >= 0) p = writeSdnv(out, p, end, body);
    if (p < 0) return p;
    if (body > end - p) return -Err.NoRoom;
    for (let i = 0; i < 8; i++) p = writeSdnv(out, p, end, self.strOff_[i]!);
    p = writeSdnvU64(out, p, end, s.ctime.hi, s.ctime.lo);
    p = writeSdnvU64(out, p, end, s.seq.hi, s.seq.lo);
    p = writeSdnvU64(out, p, end, s.lifetime.hi, s.lifetime.lo);
    p = writeSdnv(out, p, end, self.dictLen);
    for (let i = 0; i < 8; i++) {
      if (self.strNew_[i] !== 1) continue;
      const t = self.eidText_(s, i >> 1);
      const at = p + self.strOff_[i]!;
      copyBytes(out, at, t, self.strStart_[i]!, self.strLen_[i]!);
      out[at + self.strLen_[i]!] = 0;
    }
    p += self.dictLen;
    if ((s.flags & Wire.IsFragment) !== 0) {
      p = writeSdnvU64(out, p, end, s.fragOffset.hi, s.fragOffset.lo);
      p = writeSdnvU64(out, p, end, s.totalLength.hi, s.totalLength.lo);
    }
    return p;
  }
}

/*
 * Writes one non-primary block (RFC 5050 §4.5.2) without EID references: type, flags
 * (bit 3 set when `last`, cleared otherwise; bit 6 cleared), length, data. Returns the
 * offset after it or -Err.NoRoom.
 */
export function writeBlock(
  out: Uint8Array,
  off: number,
  end: number,
  type: number,
  flags: number,
  last: boolean,
  data: Uint8Array,
  dataOff: number,
  dataLen: number,
): number {
  if (end > out.length) end = out.length;
  if (off < 0 || off >= end) return -Err.NoRoom;
  if (dataOff < 0 || dataLen < 0 || dataOff + dataLen > data.length) return -Err.NoRoom;
  let f = flags & ~(Wire.Last | Wire.HasEids);
  if (f < 0) f += 4294967296;
  if (last) f += Wire.Last;
  out[off] = type & 0xff;
  let p = writeSdnv(out, off + 1, end, f);
  if (p >= 0) p = writeSdnv(out, p, end, dataLen);
  if (p < 0) return p;
  if (dataLen > end - p) return -Err.NoRoom;
  copyBytes(out, p, data, dataOff, dataLen);
  return p + dataLen;
}
