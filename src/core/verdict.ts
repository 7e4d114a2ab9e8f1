/**
 * What a PIB check concludes, in the words both implementations use: the ground
 * Verifier (src/ground/pib.ts) and the on-board one (src/onboard/) fill the same
 * `verdict[]` table with these numbers, and the relay (src/ground/relay.ts) and every
 * firmware driver read it without knowing which one ran.
 */

/** One verdict per PIB. Skipped never counts as Ok (draft-irtf-dtnrg-bundle-checksum-02 §3.1 lets a relay skip, not pass). */
export const enum Verdict {
  Ok = 0,
  Mismatch = 1,
  UnknownSuite = 2,
  UnknownKey = 3,
  Malformed = 4,
  SkippedFragment = 5,
  SkippedBudget = 6,
}

/**
 * A verdict and its Err code in one number, `verdict | code << Shift`: every verdict
 * fits below 8, so a check can return both without a second slot, and the caller
 * splits them with `& Mask` and `>> Shift`. A const enum: the numbers are written in
 * place, so using it costs no firmware octet.
 */
export const enum VerdictPacking {
  Shift = 3,
  Mask = 7,
}

/**
 * Compares `len` octets of `a` from `aOff` with `b` from `bOff` in time that depends
 * only on `len`: every octet is visited and differences are OR-ed together, with no
 * early exit (a MAC compared with an early exit leaks how many leading octets of a
 * forgery are right). The caller guarantees both ranges are in bounds.
 */
export function constantTimeEqual(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number, len: number): boolean {
  let diff = 0;
  for (let i = 0; i < len; i++) {
    diff |= a[aOff + i]! ^ b[bOff + i]!;
  }
  return diff === 0;
}
