/**
 * Error patterns as the simulator passes them around: sorted lists of distinct bit
 * positions (byte·8 + bit, LSB first) at which a copy differs from what was written or
 * signed. A copy is its reference plus such a list, so a 200 MB bundle read a dozen
 * times costs the handful of bits its upsets flipped, never another 200 MB.
 */

/** The sorted positions in exactly one of two sorted lists: an error followed by another. */
export function symmetricDifference(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out.push(a[i++]!);
    else if (i >= a.length || b[j]! < a[i]!) out.push(b[j++]!);
    else {
      i++;
      j++;
    }
  }
  return out;
}

/** Whether two patterns are the same. */
export function samePattern(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Bits of the pattern outside octets [from, to): a bundle's data bits when [from, to) holds its PIBs (a hit in a PIB corrupts no data). */
export function bitsOutside(bits: readonly number[], from: number, to: number): number {
  const b0 = from * 8, b1 = to * 8;
  let n = 0;
  for (const p of bits) if (p < b0 || p >= b1) n++;
  return n;
}

/** Index of the first position ≥ bit (binary search). */
export function firstAtOrAfter(bits: readonly number[], bit: number): number {
  let lo = 0, hi = bits.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (bits[m]! < bit) lo = m + 1;
    else hi = m;
  }
  return lo;
}
