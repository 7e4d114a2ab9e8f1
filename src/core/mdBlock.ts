/**
 * The Merkle–Damgård frame shared by MD5 (RFC 1321 §3.1–3.5) and SHA-1 (RFC 3174 §4,
 * §6): 64-octet blocks; padding 0x80, zeros, then the message length in bits as 64
 * bits; initial chaining words (MD5's A–D are SHA-1's H0–H3); the chaining words `h`
 * written out as the digest. MD5 is little-endian throughout, SHA-1 (20 octets)
 * big-endian: that is the only difference this frame sees.
 *
 * Two shapes, chosen at build time like the compression bodies (md5.ts, sha1.ts):
 * - Node: full blocks are compressed straight from the caller's buffer; only a partial
 *   block is copied into `blk`. On a little-endian machine (`__PIBKIT_WORD_VIEWS__`,
 *   wordView.ts; in the XS speed build one view kept in the object) the bodies take blocks as words of an Int32Array view: every whole
 *   block of a run in one call when it starts at a 4-aligned address of the caller's
 *   buffer, and `blk` (as `blkIn_`, its own view); a block at another address is read
 *   from its octets;
 * - microcontrollers (`__PIBKIT_HASH_LOOPS__` = 1, src/core/build.ts): every octet is shifted straight into
 *   the 16 message words `w` that the looped bodies read (`put`), so there is no block
 *   buffer and no separate word-loading pass: less code and 64 octets less RAM.
 * Nothing allocates after the constructor. The length is kept as a number of octets
 * (`total_`): exact up to 2^53 octets, far beyond any bundle; the fill of the current
 * block is `total_ & 63` (`&` keeps the low 32 bits, so also exact).
 */
// Methods with many member accesses read `this` once into `self`: the minifier shortens
// a local to one letter but never `this`, and Espruino keeps the source (docs/firmware.md).

import type {} from "./build.js";
import { LITTLE_ENDIAN, wordView } from "./wordView.js";

export abstract class MdBlock {
  /** Digest length in octets: 16 (MD5) or 20 (SHA-1). */
  readonly size: number;
  /** 1: big-endian words (SHA-1), 0: little-endian (MD5); a number, to index and scale with. */
  be: number;
  /** Chaining words: five, of which MD5 uses four (one spare word costs less than a branch). */
  h: Int32Array;
  /** Microcontroller build only: the message words of the block being filled. */
  w!: Int32Array;
  /** Unrolled bodies only: the partial block, and the same 64 octets as the bodies take them (16 words with word views on a little-endian machine, else `blk_` itself). */
  blk_!: Uint8Array;
  blkIn_!: Uint8Array | Int32Array;
  /** Octets fed since reset (set by reset). */
  total_!: number;
  /** XS speed build only (`__PIBKIT_WORD_VIEWS__` = 2): the buffer last fed and its whole-word view (update). */
  viewOf_!: ArrayBufferLike | null;
  view_!: Int32Array;

  constructor(size: number) {
    this.size = size;
    this.be = size > 16 ? 1 : 0;
    this.h = new Int32Array(5);
    if ((typeof __PIBKIT_HASH_LOOPS__ === "number" ? __PIBKIT_HASH_LOOPS__ : 0) === 1) this.w = new Int32Array(16);
    else {
      const blk = (this.blk_ = new Uint8Array(64));
      this.blkIn_ = (typeof __PIBKIT_WORD_VIEWS__ === "number" ? __PIBKIT_WORD_VIEWS__ : 1) !== 0 && LITTLE_ENDIAN ? new Int32Array(blk.buffer) : blk;
      if ((typeof __PIBKIT_WORD_VIEWS__ === "number" ? __PIBKIT_WORD_VIEWS__ : 1) === 2) this.viewOf_ = null;
    }
    this.reset();
  }

  /*
   * Initial chaining words: RFC 1321 §3.3 A–D = RFC 3174 §6.1 H0–H3 (C and D are the
   * complements of A and B), plus H4 (SHA-1; MD5 ignores it). `| 0` makes the literals signed:
   * `| 0` gives the same result on every engine (ToInt32), not how a typed-array store
   * converts a double ≥ 2^31.
   */
  reset(): void {
    const h = this.h;
    h[0] = 0x67452301;
    h[1] = 0xefcdab89 | 0;
    h[2] = ~h[0];
    h[3] = ~h[1]!;
    h[4] = 0xc3d2e1f0 | 0;
    this.total_ = 0;
  }

  /**
   * Word views (the Node and QuickJS speed builds): where the run of blocks that block_ takes as words ends (a
   * word index). A field, not a third argument: the microcontroller builds, which never
   * set it, would carry an unused parameter in every body.
   */
  wordsEnd_!: number;

  /**
   * Compresses into `h`: the 64 octets at m[o…] (unrolled bodies); when m is an Int32Array
   * (word views on a little-endian machine) every block at words m[o … wordsEnd_),
   * in one call; or the words in `w` (microcontroller build, called without arguments).
   */
  abstract block_(m?: Uint8Array | Int32Array, o?: number): void;

  /*
   * Microcontroller build: appends one octet to the block. Big-endian words take it in
   * at the bottom, little-endian ones at the top, so after four octets each word holds
   * them in its own order and the previous block's word is shifted out entirely.
   */
  put_(x: number): void {
    const self = this;
    const w = self.w;
    const p = self.total_++ & 63;
    const j = p >> 2;
    w[j] = self.be ? (w[j]! << 8) | x : (w[j]! >>> 8) | (x << 24);
    if (p === 63) self.block_();
  }

  /*
   * Microcontroller build: octet by octet through `put`. Node: whole blocks go straight
   * from `b` while `blk` is empty; other octets through `blk`.
   */
  update(b: Uint8Array, off: number, len: number): void {
    if ((typeof __PIBKIT_HASH_LOOPS__ === "number" ? __PIBKIT_HASH_LOOPS__ : 0) === 1) {
      for (len += off; off < len; ) this.put_(b[off++]!);
    } else {
      const self = this;
      const end = off + len;
      const blk = self.blk_;
      let pos = self.total_ & 63;
      self.total_ += len;
      // word views (wordView.ts; null on a big-endian machine): a block at a 4-aligned address of b's buffer goes as its words
      let w = (typeof __PIBKIT_WORD_VIEWS__ === "number" ? __PIBKIT_WORD_VIEWS__ : 1) === 1 && len > 63 ? wordView(b) : null;
      if ((typeof __PIBKIT_WORD_VIEWS__ === "number" ? __PIBKIT_WORD_VIEWS__ : 1) === 2 && len > 63 && LITTLE_ENDIAN) {
        // the XS speed build keeps the view of the last buffer fed in this object, not in
        // wordView.ts's WeakMap: a Moddable preload freezes module state. A board feeds the
        // same few buffers over and over, so a view is made when another buffer comes.
        const buf = b.buffer;
        if (self.viewOf_ !== buf || self.view_.length !== buf.byteLength >> 2) {
          self.viewOf_ = buf;
          self.view_ = new Int32Array(buf, 0, buf.byteLength >> 2);
        }
        w = self.view_;
      }
      const at = b.byteOffset;
      while (off < end) {
        if (pos === 0 && end - off > 63) {
          if (w !== null && ((at + off) & 3) === 0) {
            // every whole block of the run in one call (genUnrolled.mjs: the chaining words stay in registers)
            const n = end - off - ((end - off) % 64);
            const j = (at + off) >> 2;
            self.wordsEnd_ = j + n / 4;
            self.block_(w, j);
            off += n;
          } else {
            // any other block straight from its octets: copying it into `blk` first cost 10–25 %
            self.block_(b, off);
            off += 64;
          }
        } else {
          blk[pos++] = b[off++]!;
          if (pos === 64) {
            self.wordsEnd_ = 16;
            self.block_(self.blkIn_, 0);
            pos = 0;
          }
        }
      }
    }
  }

  /*
   * Pads (RFC 1321 §3.1–3.2, RFC 3174 §4), compresses the last block(s), writes `h`.
   * The 64-bit bit count as two words: lo = (octets · 8) mod 2^32 (exact: octets · 8
   * < 2^56 is a representable integer), hi = octets / 2^29 (`| 0` truncates it).
   */
  finish(out: Uint8Array, off: number): void {
    const self = this;
    const be = self.be;
    const w = self.w;
    const lo = (self.total_ * 8) | 0;
    const hi = (self.total_ / 536870912) | 0;
    if ((typeof __PIBKIT_HASH_LOOPS__ === "number" ? __PIBKIT_HASH_LOOPS__ : 0) === 1) {
      self.put_(0x80);
      while ((self.total_ & 63) !== 56) self.put_(0);
      w[14 + be] = lo;
      w[15 - be] = hi;
      self.block_();
    } else {
      const blk = self.blk_;
      const m = self.blkIn_;
      const pos = self.total_ & 63;
      self.wordsEnd_ = 16;
      blk[pos] = 0x80;
      blk.fill(0, pos + 1);
      if (pos > 55) {
        self.block_(m, 0);
        blk.fill(0);
      }
      put32(blk, 56, be ? hi : lo, be);
      put32(blk, 60, be ? lo : hi, be);
      self.block_(m, 0);
    }
    const h = self.h;
    for (let i = 0; i < self.size; i++) out[off + i] = (h[i >> 2]! >>> (8 * ((i & 3) ^ (3 * be)))) & 255;
  }
}

/** Writes a 32-bit word at out[o…], big- or little-endian (`& 255`: see reset). */
function put32(out: Uint8Array, o: number, v: number, be: number): void {
  for (let i = 0; i < 4; i++) out[o + i] = (v >>> (be ? 24 - 8 * i : 8 * i)) & 255;
}
