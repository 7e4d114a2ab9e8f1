/**
 * What a hop that checks one suite does with a copy, from that check's verdicts: the
 * simulator's rule, one place for the engine and fast modes (bundleLife.ts) and the
 * statistical mode (headerHit.ts).
 *
 * The mission signs every bundle with the suite under test: the checksum draft's
 * custody rule (draft-irtf-dtnrg-bundle-checksum-02 §3.1: bundles of non-error-tolerant
 * applications requesting custody MUST carry an unkeyed or NULL-keyed PIB suite). So a
 * hop passes a copy only when its first PIB of that suite verifies. A PIB that does not
 * (Mismatch, Malformed, an unknown key: a key id that was hit), and a copy in which no
 * PIB of the suite is left (its ciphersuite octet or block type was hit, so it reads as
 * another suite or as no PIB), are discarded: forwarding them would carry data nothing
 * has checked. The library's relay (src/ground/relay.ts) forwards such a bundle, as a
 * relay that cannot know what the source signed with must; here the policy is known.
 * A PIB skipped for the check budget was not checked, and is forwarded.
 */

import { Verdict } from "../src/core/verdict.js";

/** Whether a hop discards a copy whose first PIB of the suite it checks has `verdict`. */
export function discardsOnVerdict(verdict: number): boolean {
  return verdict !== Verdict.Ok && verdict !== Verdict.SkippedFragment && verdict !== Verdict.SkippedBudget;
}

/** Whether a hop discards a copy in which it found no PIB of the suite it checks: always (see above). */
export const DISCARDS_WITHOUT_PIB = true;

/**
 * Whether a hop checking suite kind `kind` discards a copy, from its check: `count` < 0
 * when the copy did not parse (every suite discards it: it cannot be forwarded as a
 * bundle), else `verdicts` holds kind × 16 + verdict per PIB, in wire order.
 */
export function discardsCopy(c: { count: number; verdicts: readonly number[] }, kind: number): boolean {
  if (c.count < 0) return true;
  for (const v of c.verdicts) if (v >> 4 === kind) return discardsOnVerdict(v & 15);
  return DISCARDS_WITHOUT_PIB;
}
