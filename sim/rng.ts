/**
 * The simulator's only source of randomness: seeded, deterministic, forkable.
 *
 * Generator: xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", ACM TOMS 2021), 128-bit state, period 2^128 − 1, seeded through
 * splitmix32 so that nearby seeds give unrelated states.
 *
 * Streams: `fork(label)` derives a child from the parent's *seed key* and the label,
 * not from the parent's current state, so forking never advances the parent and the
 * child does not depend on how much the parent (or any sibling) has been used. The
 * orbit, the recorder's upsets, each shard and each firmware buffer therefore draw
 * from their own sequence: adding a draw in one module cannot shift another's.
 */

/** splitmix32 step (the 32-bit variant of Steele, Lea & Flood's SplitMix): a good mixer of one word. */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a over the UTF-16 code units of a label: turns a stream name into a word. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

const TWO_32 = 4294967296;
const TWO_53 = 9007199254740992;

/** log(k!) for the Poisson rejection sampler: exact table below 10, Stirling series above. */
const LOG_FACT_SMALL = [0, 0, 0.6931471805599453, 1.791759469228055, 3.1780538303479458,
  4.787491742782046, 6.579251212010101, 8.525161361065415, 10.60460290274525,
  12.801827480081469];
function logFactorial(k: number): number {
  if (k < 10) return LOG_FACT_SMALL[k]!;
  const x = k + 1;
  return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) +
    1 / (12 * x) - 1 / (360 * x * x * x) + 1 / (1260 * x * x * x * x * x);
}

export class Rng {
  /** The key this stream was made from; forks derive from it (and only from it). */
  readonly key: number;
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Rng: seed must be a finite number, got ${seed}`);
    // Seeds above 2^32 keep their high part (a seed is often a date or a big shard id).
    const lo = seed >>> 0;
    const hi = Math.floor(Math.abs(seed) / TWO_32) >>> 0;
    this.key = mix32(lo ^ mix32(hi));
    let x = this.key;
    x = mix32(x); this.s0 = x;
    x = mix32(x); this.s1 = x;
    x = mix32(x); this.s2 = x;
    x = mix32(x); this.s3 = x;
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the one forbidden state
  }

  /** An independent stream named `label`; the same (seed, label) always gives the same stream. */
  fork(label: string): Rng {
    return new Rng(mix32(this.key ^ mix32(hashLabel(label))));
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  u32(): number {
    const s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    const m = Math.imul(s1, 5);
    const r = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    let n2 = s2 ^ s0;
    let n3 = s3 ^ s1;
    const n1 = s1 ^ n2;
    const n0 = s0 ^ n3;
    n2 ^= t;
    n3 = (n3 << 11) | (n3 >>> 21);
    this.s0 = n0 | 0; this.s1 = n1 | 0; this.s2 = n2 | 0; this.s3 = n3 | 0;
    return r;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  float(): number {
    const hi = this.u32() >>> 5;   // 27 bits
    const lo = this.u32() >>> 6;   // 26 bits
    return (hi * 67108864 + lo) / TWO_53;
  }

  /** Uniform in (0, 1]: safe under log(). */
  floatOpen0(): number {
    return 1 - this.float();
  }

  /** Uniform integer in [0, n) for 1 <= n <= 2^53 (bias below 2^-53 × n, i.e. none that matters for n < 2^40). */
  below(n: number): number {
    if (n <= TWO_32 && (n & (n - 1)) === 0 && n >= 1) {
      // powers of two up to 2^32: exact from the top bits
      return n === TWO_32 ? this.u32() : (n === 1 ? 0 : this.u32() >>> (32 - Math.log2(n)));
    }
    return Math.floor(this.float() * n);
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -Math.log(this.floatOpen0()) * mean;
  }

  /** Standard normal (Box–Muller, one of the pair; the simulator needs few). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(this.floatOpen0())) * Math.cos(2 * Math.PI * this.float());
  }

  /**
   * Poisson-distributed count with the given mean, exactly (no normal approximation):
   * mean < 10 — multiplication of uniforms (Knuth, TAOCP vol. 2 §3.4.1);
   * mean >= 10 — transformed rejection with squeeze, PTRS (Hörmann, "The transformed
   * rejection method for generating Poisson random variables", Insurance: Mathematics
   * and Economics 12, 1993), exact for any mean and O(1) per draw.
   */
  poisson(mean: number): number {
    if (!(mean >= 0) || !Number.isFinite(mean)) throw new Error(`Rng.poisson: bad mean ${mean}`);
    if (mean === 0) return 0;
    if (mean < 10) {
      const limit = Math.exp(-mean);
      let k = 0;
      let p = this.floatOpen0();
      while (p > limit) { k++; p *= this.floatOpen0(); }
      return k;
    }
    const slam = Math.sqrt(mean);
    const logLam = Math.log(mean);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.float() - 0.5;
      const v = this.floatOpen0();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor((2 * a / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <=
          -mean + k * logLam - logFactorial(k)) {
        return k;
      }
    }
  }

  /** Index drawn with probability proportional to weights[i] (weights >= 0, sum > 0). */
  pick(weights: ReadonlyArray<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i]!;
    let x = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }
}
