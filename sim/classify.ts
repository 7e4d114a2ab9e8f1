/**
 * Outcome classes of one bundle under one checksum suite, decided from ground truth
 * the firmware never sees (what was imaged, what was signed, what arrived).
 *
 * The classes answer the user's question "what does this suite catch, miss and cost":
 * - intact: delivered, and the data is what was imaged;
 * - detected: a hop's PIB check discarded a copy whose data had been corrupted after
 *   signing (recovered when custody transfer later delivered a good copy);
 * - missed: delivered with data corrupted after signing and every check passed;
 * - false-alarm: a copy was discarded although only PIB bytes had been hit (the data
 *   itself was intact) — RFC 6257 §3 checks cannot tell the two apart;
 * - out-of-memory: the firmware ran out of the board's RAM signing or checking it;
 * - exposure: delivered with corruption that happened between the image landing in
 *   memory and the PIB being computed — signed as if correct, so no checksum can see it
 *   (Stone & Partridge, SIGCOMM 2000; docs/radiation.md).
 */

export const OUTCOMES = ["intact", "detected", "missed", "false-alarm", "out-of-memory", "exposure"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** What the path observed for one bundle under one suite. */
export interface PathFacts {
  /** The firmware ran out of RAM on this bundle (signing or checking). */
  oom: boolean;
  /** A copy reached the destination. */
  delivered: boolean;
  /** Flips in the delivered copy's data (everything but PIB blocks) versus what was signed. */
  deliveredDataFlipsAfterSigning: number;
  /** Flips that landed in the image before its PIBs were computed (exposure window). */
  exposureFlips: number;
  /** Some hop discarded a copy whose data differed from what was signed. */
  discardedCorruptData: boolean;
  /** Some hop discarded a copy whose data was intact (only PIB bytes hit). */
  discardedIntactData: boolean;
}

/**
 * One class per (bundle, suite), in this priority: a firmware failure hides every
 * other fact; a miss is the worst thing a check can do, so it outranks an exposure
 * that rode along; a detection outranks a false alarm on another copy.
 */
export function classify(f: PathFacts): Outcome {
  if (f.oom) return "out-of-memory";
  if (f.delivered && f.deliveredDataFlipsAfterSigning > 0) return "missed";
  if (f.delivered && f.exposureFlips > 0) return "exposure";
  if (f.discardedCorruptData) return "detected";
  if (f.discardedIntactData) return "false-alarm";
  if (!f.delivered) return "detected"; // lost without a copy ever reaching a check: cannot happen on a path that checks; kept total
  return "intact";
}

/** Index of an outcome in OUTCOMES, for counters kept as plain integer arrays. */
export function outcomeIndex(o: Outcome): number {
  return OUTCOMES.indexOf(o);
}
