/**
 * Upsets: a Poisson process in time and space with the orbit's time-varying rate.
 *
 * In a piece of time [a, b) where the rate is a constant λ (events / bit / s), a memory
 * of N bits sees Poisson(λ·N·(b − a)) events, each at a uniform time in [a, b) and a
 * uniform bit. One event flips `width` adjacent bits: 1 for a single-bit upset, or a
 * width drawn from the scenario's cluster distribution for the multi-bit share (the
 * flight reports count a multi-bit upset as one event, so the rate is per event).
 *
 * Bit numbering is physical: bit p is byte p >> 3, mask 1 << (p & 7) — least
 * significant bit first, the order in which CRC-32C (a reflected CRC, RFC 3720 B.4)
 * consumes bits, so a physical cluster is also a burst in the CRC's polynomial.
 */
import type { Orbit } from "./orbit.js";
import type { Rng } from "./rng.js";
import type { Scenario } from "./scenario.js";

/** One upset event: at time t (s), starting at physical bit `bit`, flipping `width` adjacent bits. */
export interface Upset { t: number; bit: number; width: number }

export class UpsetSource {
  readonly orbit: Orbit;
  private readonly mbuFraction: number;
  private readonly widths: number[];
  private readonly weights: number[];

  constructor(s: Scenario, orbit: Orbit) {
    this.orbit = orbit;
    this.mbuFraction = s.radiation.mbuFraction.value;
    this.widths = s.radiation.mbuClusters.widths.slice();
    this.weights = s.radiation.mbuClusters.weights.slice();
  }

  /** Bits flipped by one event: 1, or a multi-bit cluster width with probability mbuFraction. */
  width(rng: Rng): number {
    if (this.mbuFraction > 0 && rng.float() < this.mbuFraction) return this.widths[rng.pick(this.weights)]!;
    return 1;
  }

  /** Expected number of events in [t0, t1) over nBits bits. */
  expected(t0: number, t1: number, nBits: number): number {
    return this.orbit.expectedPerBit(t0, t1) * nBits;
  }

  /** Events in [t0, t1) over a memory of nBits bits, sorted by time (all draws from `rng`). */
  generate(t0: number, t1: number, nBits: number, rng: Rng): Upset[] {
    const out: Upset[] = [];
    if (!(nBits > 0) || !(t1 > t0)) return out;
    for (const sg of this.orbit.segments(t0, t1)) {
      const dt = sg.t1 - sg.t0;
      const n = rng.poisson(sg.rate * dt * nBits);
      for (let i = 0; i < n; i++) {
        const t = sg.t0 + rng.float() * dt;
        const bit = rng.below(nBits);
        out.push({ t, bit, width: this.width(rng) });
      }
    }
    out.sort((a, b) => a.t - b.t || a.bit - b.bit);
    return out;
  }
}

/** Flips the bits of `u` that fall inside buf[off, off + len) (bit numbers relative to off); returns bits flipped. */
export function flipInBuffer(buf: Uint8Array, off: number, len: number, u: Upset): number {
  const nBits = len * 8;
  let flipped = 0;
  for (let k = 0; k < u.width; k++) {
    const p = u.bit + k;
    if (p >= nBits) break;               // a cluster at the very end runs off the buffer
    const i = off + Math.floor(p / 8);
    buf[i] = buf[i]! ^ (1 << (p % 8));
    flipped++;
  }
  return flipped;
}

/**
 * Exposes a host buffer (a firmware working buffer between operations, or an image in
 * processor memory before its PIB is computed) to the environment for [t0, t1): draws
 * the upsets from `rng`, flips them in buf[off, off + len) and returns them.
 */
export function exposeBuffer(buf: Uint8Array, off: number, len: number, source: UpsetSource,
  t0: number, t1: number, rng: Rng): Upset[] {
  const ups = source.generate(t0, t1, len * 8, rng);
  for (const u of ups) flipInBuffer(buf, off, len, u);
  return ups;
}
