/**
 * The Merkle–Damgård frame shared by MD5 (RFC 1321 §3.1–3.5) and SHA-1 (RFC 3174 §4,
 * §6): 64-octet blocks; padding 0x80, zeros, then the message length in bits as 64
 * bits; initial chaining words (MD5's A–D are SHA-1's H0–H3); the chaining words `h`
 * written out as the digest. MD5 is little-endian throughout, SHA-1 (20 octets)
 * big-endian: that is the only difference this frame sees.
 *
 * Full blocks are compressed straight from the caller's buffer; only a partial block
 * is copied into `blk`. Nothing allocates after the constructor. The length is kept as
 * a number of octets: exact up to 2^53 octets, far beyond any bundle.
 */
// Methods with many member accesses read `this` once into `self`: the minifier shortens
// a local to one letter but never `this`, and Espruino keeps the source (docs/firmware.md).
export class MdBlock {
  /** Digest length in octets: 16 (MD5) or 20 (SHA-1). */
  readonly size: number;
  /** Big-endian words (SHA-1) or little-endian (MD5). */
  be: boolean;
  /** Chaining words. */
  h: Int32Array;
  /** The block's message words (the looped bodies' schedule). */
  w: Int32Array;
  /** The partial block. */
  blk: Uint8Array;
  /** Octets waiting in `blk` (set by reset). */
  pos!: number;
  /** Octets fed since reset (set by reset). */
  total!: number;

  constructor(size: number) {
    this.size = size;
    this.be = size > 16;
    this.h = new Int32Array(size >> 2);
    this.w = new Int32Array(16);
    this.blk = new Uint8Array(64);
    this.reset();
  }

  /*
   * Initial chaining words: RFC 1321 §3.3 A–D = RFC 3174 §6.1 H0–H3, plus H4 for SHA-1.
   * `| 0` makes the literals signed: engines.md vouches for `| 0` on every engine, not
   * for how a typed-array store converts a double ≥ 2^31.
   */
  reset(): void {
    const h = this.h;
    h[0] = 0x67452301;
    h[1] = 0xefcdab89 | 0;
    h[2] = 0x98badcfe | 0;
    h[3] = 0x10325476;
    if (this.be) h[4] = 0xc3d2e1f0 | 0;
    this.pos = 0;
    this.total = 0;
  }

  /* Loads the 16 message words of the block at m[o…] into `w` (looped bodies). */
  words(m: Uint8Array, o: number): void {
    const be = this.be;
    const w = this.w;
    for (let i = 0; i < 64; i++) w[i >> 2] = (w[i >> 2]! << 8) | m[o + (be ? i : i ^ 3)]!;
  }

  /** Compresses the 64 octets at m[o…] into `h`; the algorithm overrides it. */
  block(_m: Uint8Array, _o: number): void {}

  /* Whole blocks go straight from `b` while `blk` is empty; other octets through `blk`. */
  update(b: Uint8Array, off: number, len: number): void {
    const self = this;
    const blk = self.blk;
    let pos = self.pos;
    const end = off + len;
    self.total += len;
    while (off < end) {
      if (pos === 0 && end - off > 63) {
        self.block(b, off);
        off += 64;
      } else {
        blk[pos++] = b[off++]!;
        if (pos === 64) {
          self.block(blk, 0);
          pos = 0;
        }
      }
    }
    self.pos = pos;
  }

  /*
   * Pads (RFC 1321 §3.1–3.2, RFC 3174 §4), compresses the last block(s), writes `h`.
   * The 64-bit bit count as two words: lo = (octets · 8) mod 2^32 (exact: octets · 8
   * < 2^56 is a representable integer), hi = octets / 2^29 (`>>> 0` truncates it).
   */
  finish(out: Uint8Array, off: number): void {
    const self = this;
    const blk = self.blk;
    const be = self.be;
    const pos = self.pos;
    blk[pos] = 0x80;
    blk.fill(0, pos + 1);
    if (pos > 55) {
      self.block(blk, 0);
      blk.fill(0);
    }
    const lo = (self.total * 8) >>> 0;
    const hi = (self.total / 536870912) >>> 0;
    put32(blk, 56, be ? hi : lo, be);
    put32(blk, 60, be ? lo : hi, be);
    self.block(blk, 0);
    const h = self.h;
    for (let i = 0; i < h.length; i++) put32(out, off + 4 * i, h[i]!, be);
  }
}

/** Writes a 32-bit word at out[o…], big- or little-endian (`& 255`: see reset). */
function put32(out: Uint8Array, o: number, v: number, be: boolean): void {
  for (let i = 0; i < 4; i++) out[o + i] = (v >>> (be ? 24 - 8 * i : 8 * i)) & 255;
}
