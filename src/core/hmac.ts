/**
 * HMAC-SHA1 (RFC 2104) for PIB-HMAC, full (20 octets) or HMAC-SHA1-80: the leftmost
 * 10 octets (RFC 2104 §5; LTP's HMAC-SHA1-80, RFC 5327 §2.1; draft-irtf-dtnrg-bundle-checksum-02 §3).
 *
 * setKey hashes the padded key blocks (K ^ ipad, K ^ opad) once and keeps the two
 * SHA-1 chaining states, so reset() and finish() spend no compression on the key, and
 * trying several keys during rollover allocates nothing. One SHA-1 object serves as
 * inner hash and then, in finish, as outer hash (less RAM on a mote). Until setKey is
 * called the object holds the NULL key.
 */
// Methods with many member accesses read `this` once into `self`: the minifier shortens
// a local to one letter but never `this`, and Espruino keeps the source (docs/firmware.md).
import type {} from "./build.js";
import type { Digest } from "./digest.js";
import { Sha1 } from "./sha1.js";

/** A fresh copy of the NULL key of key id 0, c37b7e6492584340bed12207808941155068f738 (RFC 5327 §2.1). */
export function nullKey(): Uint8Array {
  return new Uint8Array([
    0xc3, 0x7b, 0x7e, 0x64, 0x92, 0x58, 0x43, 0x40, 0xbe, 0xd1, 0x22, 0x07, 0x80, 0x89, 0x41, 0x15, 0x50, 0x68, 0xf7,
    0x38,
  ]);
}

export class HmacSha1 implements Digest {
  /** 20, or 10 for HMAC-SHA1-80 (any size up to 20 gives the leftmost `size` octets). */
  readonly size: number;
  /** SHA-1((K ^ ipad) || message), then SHA-1((K ^ opad) || inner digest). */
  s: Sha1;
  /** Chaining states after the ipad block and after the opad block. */
  ih: Int32Array;
  oh: Int32Array;
  /**
   * Scratch: a hashed long key, the inner and outer digests (20 octets); in the Node
   * build also the padded key block (64).
   */
  kb: Uint8Array;

  constructor(size: number) {
    this.size = size;
    this.s = new Sha1();
    this.ih = new Int32Array(5);
    this.oh = new Int32Array(5);
    this.kb = new Uint8Array((typeof __PIBKIT_HASH_LOOPS__ === "number" ? __PIBKIT_HASH_LOOPS__ : 0) === 1 ? 20 : 64);
    this.setKey(nullKey(), 0, 20);
  }

  /*
   * Any key length; a key longer than the 64-octet block is replaced by its SHA-1
   * (RFC 2104 §2). K ^ ipad (0x36), then K ^ opad (0x5c): hash each block, keep the
   * state. The microcontroller build feeds the padded octets straight into SHA-1's
   * words (MdBlock.put_), so it needs no 64-octet key block; the Node build builds the
   * block in `kb` and hashes it whole. Either way the scratch copy is wiped.
   */
  setKey(key: Uint8Array, off: number, len: number): void {
    const self = this;
    const kb = self.kb;
    const s = self.s;
    if (len > 64) {
      s.reset();
      s.update(key, off, len);
      s.finish(kb, 0);
      key = kb;
      off = 0;
      len = 20;
    }
    if ((typeof __PIBKIT_HASH_LOOPS__ === "number" ? __PIBKIT_HASH_LOOPS__ : 0) !== 1) {
      for (let i = 0; i < len; i++) kb[i] = key[off + i]!;
      kb.fill(0, len);
    }
    for (let p = 0; p < 2; p++) {
      s.reset();
      if ((typeof __PIBKIT_HASH_LOOPS__ === "number" ? __PIBKIT_HASH_LOOPS__ : 0) === 1) {
        for (let i = 0; i < 64; i++) s.put_((i < len ? key[off + i]! : 0) ^ (p ? 0x5c : 0x36));
      } else {
        for (let i = 0; i < 64; i++) kb[i]! ^= p ? 0x6a : 0x36; // 0x5c = 0x36 ^ 0x6a
        s.update(kb, 0, 64);
      }
      (p ? self.oh : self.ih).set(s.h);
    }
    kb.fill(0);
    self.reset();
  }

  reset(): void {
    this.restart_(this.ih);
  }

  /** Copies the current key's two chaining states out: a key kept without its octets. */
  saveKey_(ih: Int32Array, oh: Int32Array): void {
    ih.set(this.ih);
    oh.set(this.oh);
  }

  /** Takes a key saved by saveKey (no SHA-1 block computed) and resets. */
  loadKey_(ih: Int32Array, oh: Int32Array): void {
    this.ih.set(ih);
    this.oh.set(oh);
    this.reset();
  }

  /* Continues from a saved chaining state, one block (64 octets) already hashed. */
  restart_(h: Int32Array): void {
    const s = this.s;
    s.h.set(h);
    s.total_ = 64;
  }

  update(buf: Uint8Array, off: number, len: number): void {
    this.s.update(buf, off, len);
  }

  /* The leftmost `size` octets of the MAC, through the scratch block. */
  finish(out: Uint8Array, off: number): void {
    const kb = this.kb;
    this.finishFull(kb, 0);
    for (let i = 0; i < this.size; i++) out[off + i] = kb[i]!;
  }

  /** Like finish, but all 20 octets whatever `size` is (a derived key is the whole MAC). */
  finishFull(out: Uint8Array, off: number): void {
    const self = this;
    const kb = self.kb;
    const s = self.s;
    s.finish(kb, 0);
    self.restart_(self.oh);
    s.update(kb, 0, 20);
    s.finish(out, off);
  }
}
