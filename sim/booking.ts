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
import { sdnvLength } from "../src/core/sdnv.js";
import { makeAgent } from "./agent.js";
import { HEAD_BYTES, nodeLib, pieceFor, WINDOW_BYTES } from "./device.js";
import { linkErrorRate, linkFlips } from "./bundleLife.js";
import { sameSdnvLength } from "./layout.js";
import type { Orbit } from "./orbit.js";
import { PATH_ASSUMPTIONS, type FatePredictor } from "./path.js";
import { holdImage, holdSigned } from "./heldImage.js";
import type { Rng } from "./rng.js";
import type { Scenario } from "./scenario.js";

/**
 * Octets a signed bundle adds around its payload: they depend only on the SDNV lengths
 * of its sequence number, creation time and payload length and on the suites, so one
 * signing per combination (with the Node build, the same bytes the firmware writes).
 */
class Headers {
  private readonly known = new Map<string, number>();
  constructor(private readonly kinds: readonly number[]) {}

  bytes(seq: number, ctime: number, payload: number): number {
    const key = `${sdnvLength(seq)}/${sdnvLength(ctime)}/${sdnvLength(payload)}`;
    let h = this.known.get(key);
    if (h === undefined) {
      const stand = sameSdnvLength(payload);
      // only the length matters: the payload is zeros and nothing is kept
      const agent = makeAgent(nodeLib, {
        read: (t, off, _src, n) => {
          t.fill(0, off, off + n);
          return n;
        },
        write: (_b, _off, n) => n,
      });
      agent.init(pieceFor(stand), HEAD_BYTES, WINDOW_BYTES, this.kinds.length);
      agent.clearSuites();
      for (const k of this.kinds) agent.addSuite(k);
      const n = agent.sign(stand, sameSdnvLength(seq), sameSdnvLength(ctime));
      if (n < 0) throw new Error(`simulator: the Node build could not sign a ${stand}-octet bundle (E${-n})`);
      h = n - stand;
      this.known.set(key, h);
    }
    return h;
  }
}

/**
 * The predictor of a campaign: `groundChecks` whether a ground hop checks (a discard
 * there asks for a resend), `kinds` the suites signed (the header's length).
 */
export function fatePredictor(s: Scenario, orbit: Orbit, rootRng: Rng, kinds: readonly number[], groundChecks: boolean): FatePredictor {
  const headers = new Headers(kinds);
  const linkRate = linkErrorRate(s);
  const maxTx = PATH_ASSUMPTIONS.maxTransmissions.value;
  return (slot) => {
    const rng = rootRng.fork(`bundle/${slot.index}`);
    // the same region, stream and operations as bundleLife.ts, without the bytes
    const held = holdImage(s, orbit, rng, slot);
    const rec = held.rec;
    const header = headers.bytes(slot.index, Math.floor(slot.signedAt), slot.payloadBytes);
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
