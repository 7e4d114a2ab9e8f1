/**
 * What the downlink queue and the satellite's processor must know ahead of each
 * bundle's exact simulation: whether a transmission of it will be discarded on the
 * ground (a resend, which takes downlink capacity from the bundles queued behind it),
 * or on board (dropped), or delivered. path.ts books every transmission of every bundle
 * from these answers, in imaging order, in every shard alike, so that the bundles a
 * shard simulates see the same queue as in one run and shards still merge exactly.
 *
 * The answer comes from the bundle's error pattern, with the same random draws as
 * bundleLife.ts (its recorder region and stream, the link errors of each transmission):
 * a hop that checks discards a copy whose bits differ from what was signed. That is
 * the verdict of every suite on every pattern but two: a CRC-32C error with syndrome 0
 * (2^-32 of random errors) and a hit in a field the canonical form leaves out; there
 * the exact simulation follows its own verdicts, while the queue keeps the booking.
 * Without a byte of content, so a 200 MB image costs what its upsets cost.
 */
import { linkErrorRate, linkFlips } from "./bundleLife.js";
import { layoutOf } from "./layout.js";
import type { Orbit } from "./orbit.js";
import { PATH_ASSUMPTIONS, type FatePredictor } from "./path.js";
import { holdImage, holdSigned } from "./heldImage.js";
import type { Rng } from "./rng.js";
import type { Scenario } from "./scenario.js";

/**
 * The predictor of a campaign: `groundChecks` whether a ground hop checks (a discard
 * there asks for a resend), `kinds` the suites signed (the header's length).
 */
export function fatePredictor(s: Scenario, orbit: Orbit, rootRng: Rng, kinds: readonly number[], groundChecks: boolean): FatePredictor {
  const linkRate = linkErrorRate(s);
  const maxTx = PATH_ASSUMPTIONS.maxTransmissions.value;
  return (slot) => {
    const rng = rootRng.fork(`bundle/${slot.index}`);
    // the same region, stream and operations as bundleLife.ts, without the bytes
    const held = holdImage(s, orbit, rng, slot);
    const rec = held.rec;
    const header = layoutOf(kinds, slot.index, Math.floor(slot.signedAt), slot.payloadBytes).headerBytes;
    const len = header + slot.payloadBytes;
    const copy = holdSigned(held, header, slot.signedAt);
    if (copy < 0) return { transmission: () => "deliver" }; // a stuck cell under the header: its error needs the PIBs' results, not booked
    return {
      transmission(tx, index) {
        rec.advance(tx.readAt);
        const stored = rec.readErrors(copy);
        if (tx.checked && stored.length > 0) return "drop";
        if (!groundChecks) return "deliver";
        const link = linkFlips(rng.fork(`link/${index}`), linkRate, len * 8);
        // the received copy differs unless the link flipped back exactly the recorder's bits
        const differs = stored.length !== link.length || stored.some((p, i) => p !== link[i]);
        // a discard of the last transmission gives the bundle up: nothing more to book
        return differs && index + 1 < maxTx ? "resend" : "deliver";
      },
    };
  };
}
