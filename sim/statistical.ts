/**
 * The statistical mode (`--mode stat`): a bundle's life decided from its error pattern
 * alone, without the image's bytes, so a 200 MB image costs what its upsets cost.
 *
 * Why that is exact for CRC-32C: the CRC is affine over GF(2), so the check on a copy
 * whose bits E differ from what was signed fails exactly when the syndrome of E (the
 * XOR of E's single-bit syndromes, syndrome.ts) is not 0 — whatever the data. The
 * payload is the last thing the PIB's canonical form digests (RFC 6257 §3.4.2: blocks
 * in bundle order, the payload block last), so a payload bit's syndrome depends only on
 * how many octets follow it.
 *
 * What it assumes for MD5 and HMAC-SHA1: a non-empty error changes the digest. A miss
 * needs a second preimage of the stored result: 2^-128 (MD5) or 2^-80 (HMAC-SHA1, 10
 * octets) per corrupted copy for errors that no adversary chose — below one in 10^24
 * checks. test/sim-stat.test.ts checks both modes give the same counts on shared seeds.
 *
 * Link errors (the scenario's optional residual bit error rate of the downlink and ground
 * hops) are drawn as bundleLife.ts draws them, from each transmission's own stream, and
 * added to the recorder's pattern for the ground's check (the satellite checks the
 * recorder copy).
 *
 * When the pattern alone is not enough, the bundle goes to the exact path
 * (bundleLife.ts on the Node build, as in fast mode), which makes the same random draws
 * and so gives the same outcome:
 * - an upset or a link error in the bundle's header (primary block, PIBs, payload
 *   block header: a few hundred octets before the payload) — the parse and the
 *   canonical form then depend on the bytes;
 * - a stuck cell under the bundle's header. A stuck cell's error depends on the value
 *   written over it: under the image, that is the image (regenerated from its seed
 *   where a stuck cell sits, byteSource.ts, as bundleLife.ts makes it); under the
 *   header, it would need the PIBs' results, which this mode never computes.
 * Nothing is added to the result before that decision, so a handed-over bundle counts
 * once.
 *
 * Where the PIBs and the payload start comes from the bundle's layout (layout.ts).
 */
import { Crc32c } from "../src/core/crc32c.js";
import { sdnvLength, writeSdnv } from "../src/core/sdnv.js";
import { countUpsets, linkErrorRate, linkFlips, type Context } from "./bundleLife.js";
import { classify, outcomeIndex, type PathFacts } from "./classify.js";
import { cyclesFor } from "./costs.js";
import type { DeviceFailure } from "./device.js";
import { PATH_ASSUMPTIONS, resendAfter, type BundleSlot, type Transmission } from "./path.js";
import { bitsOutside, symmetricDifference } from "./errorBits.js";
import { HeaderJudge, type Undecided } from "./headerHit.js";
import { holdImage, holdSigned } from "./heldImage.js";
import { layoutOf, sameSdnvLength, type Layout } from "./layout.js";
import { TailSyndromes } from "./syndrome.js";

/** SuiteKind of PIB-INSECURE-CRC32 (src/core/suites.ts). */
const KIND_CRC32 = 3;

let crcSyndromes: TailSyndromes | null = null;

/** The CRC-32C syndromes, from pibkit's own CRC as a black box (made once per process). */
export function crc32cSyndromes(): TailSyndromes {
  if (crcSyndromes === null) {
    const c = new Crc32c();
    crcSyndromes = new TailSyndromes((m) => {
      c.reset();
      c.update(m, 0, m.length);
      return c.value() >>> 0;
    });
  }
  return crcSyndromes;
}

/** Header-hit copies decided and not decided, summed over every campaign of the process (tests and measurements read it). */
export const headerHitTotals = { decided: 0, undecided: { "payload-read": 0, "result-read": 0, placement: 0, other: 0 } as Record<Undecided, number> };

/** Per-campaign state of the statistical mode. */
export class StatState {
  /** Bundles handed to the exact path, and why. */
  headerHits = 0;
  /** (a stuck cell under the header) */
  stuckCells = 0;
  /** Copies hit in the header and decided from it (headerHit.ts); copies it could not decide, by reason. */
  headerDecided = 0;
  undecided: Record<Undecided, number> = { "payload-read": 0, "result-read": 0, placement: 0, other: 0 };

  /**
   * The judge of header hits for bundle `seq` signed at `ctime`: the device's own header
   * for it, signed around a stand-in payload with the same SDNV length, its payload
   * length then written in (results are replaced by the judge).
   */
  judge(ctx: Context, seq: number, ctime: number, payloadBytes: number, lay: Layout): HeaderJudge {
    const stand = sameSdnvLength(payloadBytes);
    const signed = ctx.device.sign(new Uint8Array(stand), seq, ctime);
    if (!signed.ok) throw new Error(`simulator: the firmware could not sign a ${stand}-octet bundle for its header: ${signed.error}`);
    const header = signed.header;
    if (header.length !== lay.headerBytes) throw new Error("simulator: the header's length differs from the layout's");
    const k = sdnvLength(payloadBytes);
    if (writeSdnv(header, header.length - k, header.length, payloadBytes) !== header.length) throw new Error("simulator: the payload length does not fit its field");
    return new HeaderJudge(header, header.length + payloadBytes, ctx.kinds.length, crc32cSyndromes());
  }

}

/** One transmission: when, the payload bits that differ from what was signed, each suite's two checks. */
interface StatAttempt {
  start: number;
  end: number;
  /** Data flips in the recorder copy (what the satellite checks), and in what arrived (with the link's). */
  onboardDataFlips: number;
  dataFlips: number;
  /** Per suite under test (ctx.suites order): the satellite's check discards it; null = not checked (over budget). */
  onboard: boolean[] | null;
  ground: boolean[];
}

/**
 * Simulates bundle `slot` from its error pattern and adds it to ctx.result; returns
 * false, having added nothing, when the bundle needs the exact path (see the header).
 */
export function simulateBundleStat(ctx: Context, st: StatState, slot: BundleSlot): boolean {
  const r = ctx.result;
  const rng = ctx.rootRng.fork(`bundle/${slot.index}`);
  // the same recorder as bundleLife.ts (same stream, same start), without the bytes
  const held = holdImage(ctx.s, ctx.orbit, rng, slot);
  const { rec, exposureFlips } = held;
  const failAll = (f: DeviceFailure): true => {
    if (!f.oom) throw new Error(`simulator: firmware ${f.operation} failed on bundle ${slot.index}: ${f.error}`);
    r.bundles++;
    r.oomEvents.push({ bundle: slot.index, operation: f.operation, time: Math.round(slot.signedAt), bundleBytes: slot.payloadBytes });
    for (const t of r.suites) t.outcomes[outcomeIndex("out-of-memory")]!++;
    for (const t of r.suites) t.lost++;
    countUpsets(ctx, rec, slot.imagedAt, slot.signedAt, slot.signedAt);
    return true;
  };
  if (ctx.setupFailure) return failAll(ctx.setupFailure);
  const ctime = Math.floor(slot.signedAt);
  const lay = layoutOf(ctx.kinds, slot.index, ctime, slot.payloadBytes);
  const len = lay.headerBytes + slot.payloadBytes;
  const bundleSlot = holdSigned(held, lay.headerBytes, slot.signedAt);
  if (bundleSlot < 0) {
    st.stuckCells++;
    return false;
  }
  const syn = crc32cSyndromes();
  const headerBits = lay.headerBytes * 8;
  const attempts: StatAttempt[] = [];
  let judge: HeaderJudge | null = null;
  /**
   * Per suite: whether a check discards a copy whose bits `bits` (from the bundle's
   * start) differ from what was signed; null when a header hit needs the bytes.
   */
  const decide = (bits: number[]): boolean[] | null => {
    if (bits.length > 0 && bits[0]! < headerBits) {
      judge ??= st.judge(ctx, slot.index, ctime, slot.payloadBytes, lay);
      const d = judge.decide(bits, ctx.kinds);
      if (d === null) {
        st.undecided[judge.lastUndecided]++;
        headerHitTotals.undecided[judge.lastUndecided]++;
      } else {
        st.headerDecided++;
        headerHitTotals.decided++;
      }
      return d;
    }
    const discard: boolean[] = [];
    let crcSeen: boolean | null = null;
    for (const kind of ctx.kinds) {
      if (bits.length === 0) discard.push(false);
      else if (kind === KIND_CRC32) {
        if (crcSeen === null) crcSeen = syndromeOf(bits) !== 0;
        discard.push(crcSeen);
      } else discard.push(true); // MD5, HMAC-SHA1: see the header
    }
    return discard;
  };
  // The syndrome of payload bits (from the bundle's start: the payload ends the bundle and
  // the canonical form, so the distance from the end is the same), kept from one call to
  // the next: only the bits that changed since (new upsets, link errors) cost a shift.
  let lastBits: number[] = [];
  let lastSyndrome = 0;
  const syndromeOf = (bits: number[]): number => {
    lastSyndrome = (lastSyndrome ^ syn.ofError(symmetricDifference(lastBits, bits), len)) >>> 0;
    lastBits = bits;
    return lastSyndrome;
  };
  /** Bits outside the PIBs: data, as bundleLife.ts counts it (a hit in a PIB corrupts no data). */
  const dataBits = (b: number[]): number => bitsOutside(b, lay.pibFrom, lay.pibTo);
  const linkRate = linkErrorRate(ctx.s);
  /** A transmission, or null when a header hit (recorder or link) cannot be decided without the bytes: exact path needed. */
  const attemptAt = (tx: Transmission): StatAttempt | null => {
    const start = tx.start;
    const end = tx.end;
    rec.advance(tx.readAt);
    const bits = rec.readErrors(bundleSlot);
    // what arrives: the recorder copy with this transmission's link errors (bundleLife.ts's draws)
    const flips = linkFlips(rng.fork(`link/${attempts.length}`), linkRate, len * 8);
    const recorder = decide(bits);
    if (recorder === null) return null;
    let arrived = bits;
    let ground = recorder;
    if (flips.length > 0) {
      arrived = symmetricDifference(bits, flips);
      const g = decide(arrived);
      if (g === null) return null;
      ground = g;
    }
    const onboardDataFlips = dataBits(bits);
    return { start, end, onboardDataFlips, dataFlips: flips.length > 0 ? dataBits(arrived) : onboardDataFlips, onboard: tx.checked ? recorder : null, ground };
  };
  const first = attemptAt({ readAt: slot.readAt, checked: slot.checked, start: slot.sendStart, end: slot.sendEnd });
  if (first === null) {
    st.headerHits++;
    return false;
  }
  attempts.push(first);
  let lastRead = slot.readAt;
  let corrupted = first.dataFlips > 0 || first.onboardDataFlips > 0;
  // Decide every suite's walk before adding anything: a later transmission may need the exact path.
  const walks: Array<{ facts: PathFacts; firstDetect: string | null; deliveredAt: number; wasted: number; resends: number }> = [];
  for (let si = 0; si < r.suites.length; si++) {
    const kindIndex = si - 1; // -1: the baseline
    const facts: PathFacts = { oom: false, delivered: false, deliveredDataFlipsAfterSigning: 0, exposureFlips, discardedCorruptData: false, discardedIntactData: false };
    let firstDetect: string | null = null;
    let deliveredAt = -1;
    let wasted = 0;
    let resends = 0;
    const groundHop = ctx.groundCheck === undefined ? "ground-station" : ctx.groundCheck;
    for (let a = 0; a < PATH_ASSUMPTIONS.maxTransmissions.value; a++) {
      let at = attempts[a];
      if (!at) {
        const prev = attempts[a - 1]!;
        const tx = slot.resends[a - 1] ?? resendAfter(ctx.tt, prev.end, len);
        if (!tx) break; // no pass left in the horizon: given up
        const next = attemptAt(tx);
        if (next === null) {
          st.headerHits++;
          return false;
        }
        at = next;
        attempts.push(at);
        lastRead = Math.max(lastRead, tx.readAt);
        if (at.dataFlips > 0 || at.onboardDataFlips > 0) corrupted = true;
      }
      const onboardDiscard = kindIndex >= 0 && at.onboard !== null && at.onboard[kindIndex]!;
      const groundDiscard = kindIndex >= 0 && groundHop !== null && at.ground[kindIndex]!;
      if (onboardDiscard || groundDiscard) {
        if ((onboardDiscard ? at.onboardDataFlips : at.dataFlips) > 0) facts.discardedCorruptData = true;
        else facts.discardedIntactData = true;
        if (firstDetect === null) firstDetect = onboardDiscard ? "satellite" : groundHop;
        if (onboardDiscard) break; // the custodian's own copy failed: there is no fresh copy on board
        wasted += len;
        if (a + 1 < PATH_ASSUMPTIONS.maxTransmissions.value) resends++;
        continue;
      }
      facts.delivered = true;
      facts.deliveredDataFlipsAfterSigning = at.dataFlips;
      deliveredAt = at.end;
      break;
    }
    walks.push({ facts, firstDetect, deliveredAt, wasted, resends });
  }
  // Every transmission is known: add the bundle to the result, as bundleLife.ts does.
  r.bundles++;
  r.bundleBytes += len;
  for (let i = 0; i < ctx.suites.length; i++) {
    const t = r.suites[i + 1]!;
    t.bytesDigested += len; // signing canonicalizes the whole bundle once per suite
    t.cycles += cyclesFor(ctx.costs, ctx.suites[i]!, len, 1);
    for (const a of attempts) {
      if (a.onboard === null) continue;
      t.bytesDigested += len;
      t.cycles += cyclesFor(ctx.costs, ctx.suites[i]!, len, 1);
    }
  }
  for (let si = 0; si < r.suites.length; si++) {
    const t = r.suites[si]!;
    const w = walks[si]!;
    const outcome = classify(w.facts);
    t.outcomes[outcomeIndex(outcome)]!++;
    if (outcome === "detected" && w.firstDetect !== null) t.detectedAt[w.firstDetect] = (t.detectedAt[w.firstDetect] ?? 0) + 1;
    if (!w.facts.delivered) t.lost++;
    t.wastedDownlinkBytes += w.wasted;
    t.resends += w.resends;
    if (w.facts.delivered && (w.facts.discardedCorruptData || w.facts.discardedIntactData)) {
      if (w.facts.discardedCorruptData) t.recovered++;
      t.resendDelaySeconds += Math.round(w.deliveredAt - slot.sendEnd);
    }
  }
  r.downlinkedBytes += len;
  if (corrupted) r.corruptedBundles++;
  countUpsets(ctx, rec, slot.imagedAt, slot.signedAt, lastRead);
  return true;
}
