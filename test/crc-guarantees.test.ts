/**
 * CRC-32C's published guarantees, checked exhaustively on pibkit's own CRC (src/core/crc32c.ts)
 * through syndromes (sim/syndrome.ts): a CRC is linear, so whether an error is caught
 * depends only on the error pattern, and a k-bit error is missed exactly when k single-bit
 * syndromes XOR to 0. Figures from Koopman's CRC tables (0x8F6E37A0 = CRC-32C):
 * HD 6 up to 5,243 data bits, HD 4 up to 2^31 bits, every burst ≤ 32 bits, every odd
 * number of bit errors (generator divisible by x + 1). See docs/radiation.md.
 *
 * Then the method itself is validated where misses are frequent enough to count: a
 * deliberately short check (CRC-32C truncated to 8 or 16 bits, used only here) misses
 * random multi-bit errors at 2^-k. And every check is shown able to fail, on CRCs with
 * a deliberately broken property.
 */
import { describe, expect, it } from "vitest";
import { Crc32c } from "../src/core/crc32c.js";
import { Rng } from "../sim/rng.js";
import {
  bitSyndromes, checkFieldSyndromes, concat, directSyndromes, firstEvenParity, firstZero,
  hasDuplicate, missedInWindow, pairXorsDistinct, truncate, windowIndependent,
} from "../sim/syndrome.js";

const SEED = Number(process.env["PIBKIT_SEED"] ?? 20080311);

/** pibkit's CRC-32C as a black box. */
const pibkit = new Crc32c();
function pibkitCrc(msg: Uint8Array): number {
  pibkit.reset();
  pibkit.update(msg, 0, msg.length);
  return pibkit.value();
}

/** A reflected table CRC-32 with any polynomial: test-only, for CRCs with broken properties. */
function reflectedCrc(poly: number): (msg: Uint8Array) => number {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t[n] = c >>> 0;
  }
  return (msg) => {
    let c = 0xffffffff;
    for (let i = 0; i < msg.length; i++) c = (c >>> 8) ^ t[(c ^ msg[i]!) & 255]!;
    return (c ^ 0xffffffff) >>> 0;
  };
}

function reflect32(v: number): number {
  let r = 0;
  for (let i = 0; i < 32; i++) r = (r << 1) | ((v >>> i) & 1);
  return r >>> 0;
}
function popcount(v: number): number { let n = 0; while (v) { n += v & 1; v >>>= 1; } return n; }

/** Castagnoli's generator, normal form without the x^32 term (RFC 3720 B.4). */
const CASTAGNOLI = 0x1edc6f41;
/** Data-word bits up to which Koopman's tables give CRC-32C Hamming distance 6. */
const HD6_BITS = 5243;

/**
 * Syndromes of a codeword: `dataBits` data bits (the last dataBits positions of a
 * whole-byte message: leading zero bits do not change a CRC's linear part) followed by
 * the 32 transmitted check bits, in transmission order.
 */
function codewordSyndromes(crc: (m: Uint8Array) => number, dataBits: number): Uint32Array {
  const nBytes = Math.ceil(dataBits / 8);
  const all = bitSyndromes(crc, nBytes);
  return concat(all.subarray(nBytes * 8 - dataBits), checkFieldSyndromes(32));
}

describe("the syndrome method on pibkit's CRC-32C", () => {
  it("pibkit's CRC is the Castagnoli polynomial: its syndromes equal a reference CRC built from 0x1EDC6F41", () => {
    const ref = reflectedCrc(reflect32(CASTAGNOLI));
    expect(reflect32(CASTAGNOLI)).toBe(0x82f63b78);
    expect(directSyndromes(pibkitCrc, 40)).toEqual(directSyndromes(ref, 40));
  });

  it("fast syndromes (derived shift map) equal direct ones, byte for byte", () => {
    expect(bitSyndromes(pibkitCrc, 300)).toEqual(directSyndromes(pibkitCrc, 300));
  });

  it("crc(m ⊕ e) ⊕ crc(m) is the XOR of e's single-bit syndromes for random m, e in 64 KiB", () => {
    const n = 65536;
    const syn = bitSyndromes(pibkitCrc, n);
    const rng = new Rng(SEED).fork("linearity");
    const m = new Uint8Array(n);
    for (let i = 0; i < n; i++) m[i] = rng.u32() & 255;
    const base = pibkitCrc(m);
    for (let trial = 0; trial < 40; trial++) {
      const w = 1 + rng.below(6);
      let s = 0;
      const pos: number[] = [];
      while (pos.length < w) { const p = rng.below(n * 8); if (!pos.includes(p)) pos.push(p); }
      for (const p of pos) { m[p >>> 3] = m[p >>> 3]! ^ (1 << (p & 7)); s ^= syn[p]!; }
      const got = (pibkitCrc(m) ^ base) >>> 0;
      for (const p of pos) m[p >>> 3] = m[p >>> 3]! ^ (1 << (p & 7));
      if (got !== s >>> 0) throw new Error(`seed ${SEED}: syndrome mismatch at ${pos.join(",")}`);
    }
  });
});

describe("CRC-32C guarantees (Koopman), exhaustively", () => {
  it("the generator has an even number of terms (18), so x + 1 divides it, and a constant term", () => {
    const terms = popcount(CASTAGNOLI) + 1;    // + the x^32 term
    expect(terms).toBe(18);
    expect(terms % 2).toBe(0);                 // G(1) = 0 ⇔ (x + 1) | G
    expect(CASTAGNOLI & 1).toBe(1);            // G(0) = 1: x does not divide G
  });

  it(`every 1..5-bit error in a ${HD6_BITS}-bit data word (+ its 32 check bits) is caught`, () => {
    const syn = codewordSyndromes(pibkitCrc, HD6_BITS);
    expect(syn.length).toBe(HD6_BITS + 32);
    expect(firstZero(syn)).toBe(-1);           // weight 1
    expect(hasDuplicate(syn)).toBe(false);     // weight 2: all single-bit syndromes distinct
    expect(firstEvenParity(syn)).toBe(-1);     // weights 3, 5 (every odd weight): parity of a syndrome = parity of the error
    expect(pairXorsDistinct(syn)).toBe(true);  // weight 4: all ~13.9 M pairwise XORs distinct (and non-zero)
  });

  it(`…and the bound is tight: at ${HD6_BITS + 1} bits some 4-bit error is missed (Koopman: HD 4 from there on)`, () => {
    const syn = codewordSyndromes(pibkitCrc, HD6_BITS + 1);
    expect(pairXorsDistinct(syn)).toBe(false);
  });

  it("every 1..3-bit error and every odd number of flips in a 64 KiB (524,288-bit) bundle is caught", () => {
    const syn = codewordSyndromes(pibkitCrc, 524288);
    expect(firstZero(syn)).toBe(-1);
    expect(hasDuplicate(syn)).toBe(false);
    expect(firstEvenParity(syn)).toBe(-1);
  });

  it("every burst of ≤ 32 bits anywhere in a 64 KiB bundle and its check field is caught", () => {
    // Algebra: a burst is x^i·B(x), B ≠ 0, deg B < 32; G has degree 32 and G(0) = 1, so
    // gcd(G, x^i) = 1 and G cannot divide B — never missed. Exactly the same statement:
    // every 32 consecutive syndromes are linearly independent (all 2^32 − 1 patterns).
    const syn = codewordSyndromes(pibkitCrc, 524288);
    let bad = -1;
    for (let i = 0; i + 32 <= syn.length; i++) if (!windowIndependent(syn, i, 32)) { bad = i; break; }
    expect(bad).toBe(-1);
    // and literally, pattern by pattern, at sampled offsets (incl. across the data/check boundary)
    const rng = new Rng(SEED).fork("bursts");
    const offsets = [0, syn.length - 32 - 12, rng.below(syn.length - 32)];
    for (const off of offsets) expect(missedInWindow(syn, off, 22)).toBe(0);
  });
});

describe("the method on a deliberately short check: misses at 2^-k", () => {
  /** 99.9 % two-sided interval of a Poisson count with this mean (exact quantiles). */
  function poissonInterval(mean: number): [number, number] {
    let p = Math.exp(-mean), cdf = p, k = 0;
    if (p === 0) { const sd = Math.sqrt(mean); return [Math.floor(mean - 3.29 * sd), Math.ceil(mean + 3.29 * sd)]; }
    let lo = -1;
    while (cdf < 0.9995) {
      if (lo < 0 && cdf > 0.0005) lo = k;
      k++; p *= mean / k; cdf += p;
    }
    return [Math.max(lo, 0), k];
  }

  for (const k of [8, 16]) {
    it(`CRC-32C truncated to ${k} bits misses random 2..12-bit errors in ${HD6_BITS} bits at 2^-${k}`, () => {
      const syn = truncate(codewordSyndromes(pibkitCrc, HD6_BITS), k);
      const trials = k === 8 ? 200_000 : 3_000_000;
      const rng = new Rng(SEED).fork(`short-${k}`);
      let missed = 0;
      const n = syn.length;
      const used = new Uint8Array(n);
      const pos: number[] = [];
      for (let t = 0; t < trials; t++) {
        const w = 2 + rng.below(11);
        let s = 0;
        pos.length = 0;
        while (pos.length < w) {
          const p = rng.below(n);
          if (used[p]) continue;
          used[p] = 1; pos.push(p); s ^= syn[p]!;
        }
        for (const p of pos) used[p] = 0;
        if (s === 0) missed++;
      }
      const mean = trials / 2 ** k;
      const [lo, hi] = poissonInterval(mean);
      if (missed < lo || missed > hi) {
        throw new Error(`seed ${SEED}: ${missed} misses of ${trials}, expected ${mean.toFixed(1)} (99.9 %: ${lo}..${hi})`);
      }
      expect(missed).toBeGreaterThan(0);
    });
  }
});

describe("the checks can fail: CRCs with a deliberately broken property", () => {
  it("CRC-32 (IEEE 802.3, 15 terms: x + 1 does not divide it) lets odd-weight and 4-bit errors through at 5,243 bits", () => {
    expect((popcount(0x04c11db7) + 1) % 2).toBe(1);
    const syn = codewordSyndromes(reflectedCrc(0xedb88320), HD6_BITS);
    expect(firstZero(syn)).toBe(-1);
    expect(firstEvenParity(syn)).not.toBe(-1);   // parity argument unavailable
    expect(pairXorsDistinct(syn)).toBe(false);   // Koopman: HD 4 at this length — some 4-bit error is missed
  });

  it("a generator x^32 + 1 (period 32) misses 2-bit errors 32 apart", () => {
    const syn = directSyndromes(reflectedCrc(0x00000001), 64);
    expect(hasDuplicate(syn)).toBe(true);
  });

  it("a generator divisible by x misses some 32-bit bursts", () => {
    const crc = reflectedCrc(0x02f63b78);      // Castagnoli with the constant term removed
    expect(() => bitSyndromes(crc, 64)).toThrow(/not independent/);
    const syn = directSyndromes(crc, 64);
    let bad = -1;
    for (let i = 0; i + 32 <= syn.length; i++) if (!windowIndependent(syn, i, 32)) { bad = i; break; }
    expect(bad).not.toBe(-1);
  });

  it("a zero syndrome is reported (1-bit miss) and duplicate detection works on a tampered syndrome list", () => {
    const syn = bitSyndromes(pibkitCrc, 64);
    const broken = syn.slice(); broken[100] = 0;
    expect(firstZero(broken)).toBe(100);
    const dup = syn.slice(); dup[7] = dup[300]!;
    expect(hasDuplicate(dup)).toBe(true);
  });
});
