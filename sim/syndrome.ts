/**
 * CRC syndromes by linearity: what a CRC can and cannot catch, computed exactly.
 *
 * A CRC (with preset and final XOR) is affine over GF(2): crc(m ⊕ e) ⊕ crc(m) = L(e),
 * a linear function of the error pattern e alone — the *syndrome*. An error is missed
 * exactly when its syndrome is 0, and the syndrome of a multi-bit error is the XOR of
 * the single-bit syndromes. So "does the CRC catch every k-bit error in n bits" becomes
 * a question about n 32-bit numbers: no syndrome is 0 (k = 1), all are distinct (k = 2),
 * all pairwise XORs are distinct (k = 4), and so on — no CRC is recomputed per pattern.
 *
 * Bit numbering: bit b (mask 1 << b) of byte j is position 8·j + b — the order in which a
 * reflected CRC such as CRC-32C (RFC 3720 B.4) consumes the bits, so adjacent positions
 * are adjacent polynomial terms and a burst is a run of positions.
 *
 * The single-bit syndromes are obtained from the CRC under test itself, as a black box
 * `crc(bytes) → 32-bit value`: directly for the last 8 bytes of a message, then extended
 * backwards one byte at a time with the "one more trailing byte" map Z, which is linear and
 * is *derived from those direct syndromes* (Z maps the syndromes of the last 4 bytes onto
 * those of the 4 bytes before them; 32 independent vectors determine it). The extension
 * is checked against direct syndromes on the way.
 */

/** A complete CRC (preset, final XOR and all) of a whole message, as an unsigned 32-bit value. */
export type CrcFunction = (msg: Uint8Array) => number;

/**
 * Syndromes computed the slow, obvious way: crc(e_p) ⊕ crc(0) for every bit p of an
 * nBytes-long message. O(nBytes²): for short messages and for cross-checks.
 */
export function directSyndromes(crc: CrcFunction, nBytes: number): Uint32Array {
  const zero = new Uint8Array(nBytes);
  const base = crc(zero);
  const out = new Uint32Array(nBytes * 8);
  for (let p = 0; p < nBytes * 8; p++) {
    zero[p >>> 3] = 1 << (p & 7);
    out[p] = (crc(zero) ^ base) >>> 0;
    zero[p >>> 3] = 0;
  }
  return out;
}

/** A linear map on 32-bit vectors, as four byte-indexed tables (v → ⊕ t[k][byte k of v]). */
class LinearMap32 {
  readonly t: Uint32Array = new Uint32Array(1024);
  constructor(images: Uint32Array /* images of the 32 unit vectors */) {
    for (let k = 0; k < 4; k++) {
      for (let v = 0; v < 256; v++) {
        let r = 0;
        for (let b = 0; b < 8; b++) if ((v >>> b) & 1) r ^= images[8 * k + b]!;
        this.t[256 * k + v] = r >>> 0;
      }
    }
  }
  apply(v: number): number {
    const t = this.t;
    return (t[v & 255]! ^ t[256 | ((v >>> 8) & 255)]! ^ t[512 | ((v >>> 16) & 255)]! ^ t[768 | (v >>> 24)]!) >>> 0;
  }
}

/**
 * The linear map Z with Z(from[i]) = to[i] for 32 vectors `from` spanning GF(2)^32
 * (Gauss–Jordan on the pairs); throws if they do not span.
 */
function solveLinearMap(from: Uint32Array, to: Uint32Array): LinearMap32 {
  const v = Array.from(from), w = Array.from(to);
  const images = new Uint32Array(32);
  for (let bit = 0; bit < 32; bit++) {
    const m = (1 << bit) >>> 0;
    let piv = -1;
    for (let i = bit; i < 32; i++) if ((v[i]! & m) !== 0) { piv = i; break; }
    if (piv < 0) throw new Error("syndromes: the last 32 single-bit syndromes are not independent (generator divisible by x?)");
    [v[bit], v[piv]] = [v[piv]!, v[bit]!];
    [w[bit], w[piv]] = [w[piv]!, w[bit]!];
    for (let i = 0; i < 32; i++) {
      if (i !== bit && (v[i]! & m) !== 0) { v[i] = (v[i]! ^ v[bit]!) >>> 0; w[i] = (w[i]! ^ w[bit]!) >>> 0; }
    }
  }
  for (let bit = 0; bit < 32; bit++) images[bit] = w[bit]!;
  return new LinearMap32(images);
}

/**
 * The syndromes of the last byte's 8 bits (tail[b], then the 7 bytes before it at
 * tail[k·8 + b]) and the "one more trailing byte" map Z, derived from them and checked
 * against them (throws if the CRC is not linear).
 */
function shiftMap(crc: CrcFunction): { tail: Uint32Array; z: LinearMap32 } {
  const DIRECT = 8;
  // tail[k·8 + b]: syndrome of bit b of the byte that has k zero bytes after it
  const direct = directSyndromes(crc, DIRECT);
  const tail = new Uint32Array(DIRECT * 8);
  for (let k = 0; k < DIRECT; k++) for (let b = 0; b < 8; b++) tail[k * 8 + b] = direct[(DIRECT - 1 - k) * 8 + b]!;
  const z = solveLinearMap(tail.subarray(0, 32), tail.subarray(8, 40));
  for (let i = 32; i < 64 - 8; i++) {
    if (z.apply(tail[i]!) !== tail[i + 8]) throw new Error("syndromes: the CRC is not linear (shift map disagrees with direct syndromes)");
  }
  return { tail, z };
}

/** a ∘ b: the linear map v → a(b(v)). */
function compose(a: LinearMap32, b: LinearMap32): LinearMap32 {
  const images = new Uint32Array(32);
  for (let i = 0; i < 32; i++) images[i] = a.apply(b.apply((1 << i) >>> 0));
  return new LinearMap32(images);
}

/**
 * Single-bit syndromes at any distance from the end of the CRC's input, without a
 * table as long as the message: the syndrome of bit b of the byte with k bytes after
 * it is Z^k applied to the last byte's, and Z^k is a product of the powers Z^(2^i)
 * (one per set bit of k), so a syndrome costs at most log2(k) table lookups of four
 * bytes each. What the statistical mode uses to decide a CRC-32C verdict on a 200 MB
 * payload from the flipped bits alone.
 */
export class TailSyndromes {
  private readonly last: Uint32Array;
  /** pow[i] = Z^(2^i) */
  private readonly pow: LinearMap32[] = [];
  /** digits[256·m + j] = Z^(j·256^m), made on first use: a shift is then one table step per base-256 digit (m < 7: distances below 2^56). */
  private readonly digits: Array<LinearMap32 | null> = new Array<LinearMap32 | null>(7 * 256).fill(null);

  constructor(crc: CrcFunction) {
    const { tail, z } = shiftMap(crc);
    this.last = tail.slice(0, 8);
    this.pow.push(z);
    for (let i = 1; i < 53; i++) this.pow.push(compose(this.pow[i - 1]!, this.pow[i - 1]!));
  }

  /** Syndrome of bit b (mask 1 << b) of the byte that has k bytes after it in the CRC's input. */
  at(k: number, b: number): number {
    return this.shift(this.last[b]!, k);
  }

  /**
   * Z^k(v): what a register difference v becomes after k more zero bytes (the same
   * linear map that moves a syndrome one byte further from the end), in at most
   * log2(k) table steps.
   */
  shift(v: number, k: number): number {
    for (let m = 0; k > 0; m++, k = Math.floor(k / 256)) {
      const j = k % 256;
      if (j !== 0) v = this.digit(m, j).apply(v);
    }
    return v >>> 0;
  }

  /** Z^(j·256^m), built from the binary powers the first time it is asked for. */
  private digit(m: number, j: number): LinearMap32 {
    let d = this.digits[256 * m + j]!;
    if (d === null) {
      const n = j * 256 ** m;
      const images = new Uint32Array(32);
      for (let i = 0; i < 32; i++) {
        let v = (1 << i) >>> 0;
        for (let b = 0, k = n; k > 0; b++, k = Math.floor(k / 2)) if (k % 2 === 1) v = this.pow[b]!.apply(v);
        images[i] = v;
      }
      d = this.digits[256 * m + j] = new LinearMap32(images);
    }
    return d;
  }

  /**
   * crc(A ‖ B) from crc(A), crc(B) and B's length, for a CRC whose preset equals its
   * final XOR (CRC-32C: both all ones). With n = |B|, L the linear part and X the
   * final XOR: crc(A ‖ B) = Z^n(crc(A) ⊕ X) ⊕ L(B) ⊕ X and crc(B) = Z^n(preset) ⊕
   * L(B) ⊕ X, so when preset = X the two differ by Z^n(crc(A)) — zlib's crc32_combine.
   */
  combine(crcA: number, crcB: number, lenB: number): number {
    return (this.shift(crcA, lenB) ^ crcB) >>> 0;
  }

  /** crc of n zero bytes, for a CRC whose preset and final XOR are `preset`: Z^n(preset) ⊕ preset. */
  zeros(n: number, preset: number): number {
    return (this.shift(preset >>> 0, n) ^ preset) >>> 0;
  }

  /**
   * Syndrome of an error in the last `len` bytes of the CRC's input, given as bit
   * offsets from the start of those bytes (byte·8 + bit): 0 exactly when the CRC cannot see it.
   */
  ofError(bits: readonly number[], len: number): number {
    // bits of one byte share its distance: XOR their last-byte syndromes, shift once
    let s = 0;
    for (let i = 0; i < bits.length; ) {
      const byte = Math.floor(bits[i]! / 8);
      let v = 0;
      for (; i < bits.length && Math.floor(bits[i]! / 8) === byte; i++) v ^= this.last[bits[i]! % 8]!;
      s ^= this.shift(v, len - 1 - byte);
    }
    return s >>> 0;
  }
}

/**
 * Single-bit syndromes of every bit position of an nBytes-long message (see the header
 * for numbering), from the CRC as a black box: O(nBytes). Throws if the extension
 * disagrees with a direct computation (the CRC is then not linear).
 */
export function bitSyndromes(crc: CrcFunction, nBytes: number): Uint32Array {
  const { tail, z } = shiftMap(crc);
  const out = new Uint32Array(nBytes * 8);
  let cur = new Uint32Array(8);
  for (let b = 0; b < 8; b++) cur[b] = tail[b]!;
  for (let k = 0; k < nBytes; k++) {
    const j = nBytes - 1 - k;
    for (let b = 0; b < 8; b++) out[j * 8 + b] = cur[b]!;
    const next = new Uint32Array(8);
    for (let b = 0; b < 8; b++) next[b] = z.apply(cur[b]!);
    cur = next;
  }
  return out;
}

/** Syndromes of the 32 bits of a transmitted CRC field: an error there is compared bit for bit. */
export function checkFieldSyndromes(width: number): Uint32Array {
  const out = new Uint32Array(width);
  for (let i = 0; i < width; i++) out[i] = (1 << i) >>> 0;
  return out;
}

export function concat(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Keeps only the low `bits` bits of every syndrome: a truncated (shorter) check. */
export function truncate(syn: Uint32Array, bits: number): Uint32Array {
  const mask = bits >= 32 ? 0xffffffff : (1 << bits) - 1;
  return syn.map((s) => (s & mask) >>> 0);
}

function parity32(v: number): number {
  v ^= v >>> 16; v ^= v >>> 8; v ^= v >>> 4; v ^= v >>> 2; v ^= v >>> 1;
  return v & 1;
}

/** First position whose syndrome is 0 (a missed 1-bit error), or -1. */
export function firstZero(syn: Uint32Array): number {
  for (let i = 0; i < syn.length; i++) if (syn[i] === 0) return i;
  return -1;
}

/** First position whose syndrome has even parity, or -1 (all odd ⇒ every odd-weight error is caught). */
export function firstEvenParity(syn: Uint32Array): number {
  for (let i = 0; i < syn.length; i++) if (parity32(syn[i]!) === 0) return i;
  return -1;
}

/** True if some value repeats (sorts a copy). Distinct single-bit syndromes ⇔ every 2-bit error is caught. */
export function hasDuplicate(values: Uint32Array): boolean {
  const s = values.slice().sort();
  for (let i = 1; i < s.length; i++) if (s[i] === s[i - 1]) return true;
  return false;
}

/**
 * Every 4-bit error among these positions is caught ⇔ no two distinct pairs have the same
 * XOR (and no pair XORs to 0, i.e. no 2-bit miss). n·(n−1)/2 values, sorted in place.
 */
export function pairXorsDistinct(syn: Uint32Array): boolean {
  const n = syn.length;
  const x = new Uint32Array(n * (n - 1) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const si = syn[i]!;
    for (let j = i + 1; j < n; j++) x[k++] = (si ^ syn[j]!) >>> 0;
  }
  x.sort();
  if (x[0] === 0) return false;
  for (let i = 1; i < x.length; i++) if (x[i] === x[i - 1]) return false;
  return true;
}

/** Rank over GF(2) of a set of 32-bit vectors. */
export function rank32(vectors: ArrayLike<number>): number {
  const basis = new Uint32Array(32);   // basis[b] has highest set bit b, or 0
  let r = 0;
  for (let i = 0; i < vectors.length; i++) {
    let v = vectors[i]! >>> 0;
    while (v !== 0) {
      const hb = 31 - Math.clz32(v);
      if (basis[hb] === 0) { basis[hb] = v; r++; break; }
      v = (v ^ basis[hb]!) >>> 0;
    }
  }
  return r;
}

/**
 * Every non-zero error confined to positions [start, start + width) is caught ⇔ those
 * `width` syndromes are linearly independent. For width 32 that is all 2^32 − 1 burst
 * patterns of length ≤ 32 starting in the window, decided exactly.
 */
export function windowIndependent(syn: Uint32Array, start: number, width: number): boolean {
  return rank32(syn.subarray(start, start + width)) === width;
}

/**
 * Enumerates every non-zero error pattern confined to [start, start + width) (Gray code:
 * one XOR per pattern) and counts those with syndrome 0. Literal exhaustive check; 2^width steps.
 */
export function missedInWindow(syn: Uint32Array, start: number, width: number): number {
  let s = 0, missed = 0;
  const n = 2 ** width;
  for (let i = 1; i < n; i++) {
    // the bit that changes between Gray codes i-1 and i is the lowest set bit of i
    const low = i & -i;
    s ^= syn[start + 31 - Math.clz32(low)]!;
    if (s === 0) missed++;
  }
  return missed;
}
