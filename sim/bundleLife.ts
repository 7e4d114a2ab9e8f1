/**
 * One bundle's life, from the image landing in memory to delivery or loss, with every
 * outcome classified from ground truth (campaign.ts runs it for each bundle of a shard).
 *
 * 1. t_img: the image lands in memory (its own recorder region, sized for the bundle);
 * 2. until t_sign = t_img + exposure: upsets hit the image before any PIB exists —
 *    the exposure window (classify.ts), counted from the recorder's ground truth;
 * 3. t_sign: the device (firmware agent) builds the bundle around the image as it now
 *    is and adds one PIB per suite under test; the bundle is written to the recorder;
 * 4. at each transmission (times from path.ts: the timetable books the first, with
 *    the on-board check's processor time; resendAfter the others): the recorder is
 *    read; the satellite checks that copy before sending it when the check runs on
 *    board (a failure there means recorder damage: the bundle is dropped, no downlink
 *    spent); the downlink and the ground hops before the checking one add their
 *    residual bit errors (scenario `link`, fresh for every transmission); the checking
 *    ground hop checks what arrives; a discard on the ground costs the downlink bytes
 *    and, by custody transfer (RFC 5050 §5.10), brings a resend of the custodian's
 *    (satellite's) copy — read afresh, so link damage is cured but recorder damage
 *    comes back, as it would in flight.
 *
 * Each suite's fate is decided from its own PIB's verdict on the shared bytes, as if it
 * were the only check on the path; suite 0 (no checksum) delivers everything.
 */
import type { BoardInfo } from "./boards.js";
import { concatSource, withFlips } from "./byteSource.js";
import { classify, outcomeIndex, type PathFacts } from "./classify.js";
import { cyclesFor, type CostTable } from "./costs.js";
import type { Checked, Device, DeviceFailure } from "./device.js";
import { bitsOutside, samePattern, symmetricDifference } from "./errorBits.js";
import { holdImage } from "./heldImage.js";
import { layoutOf } from "./layout.js";
import type { Orbit } from "./orbit.js";
import { PATH_ASSUMPTIONS, resendAfter, type BundleSlot, type Hop, type Timetable, type Transmission } from "./path.js";
import type { Recorder } from "./recorder.js";
import type { SimResult } from "./result.js";
import type { Rng } from "./rng.js";
import type { Scenario } from "./scenario.js";
import { discardsCopy } from "./checkRule.js";

/** Seconds per bin of the upset time series in reports. */
export const BIN_SECONDS = 600;


/** One transmission of a bundle: what the recorder gave, what arrived, and what the checks said. */
interface Attempt {
  start: number;
  end: number;
  /** The recorder copy (what the satellite checks and sends): the bits that differ from the signed bundle. */
  bits: number[];
  /** Data flips in the recorder copy, and in what arrived (recorder + link). */
  onboardDataFlips: number;
  dataFlips: number;
  onboard: Checked | DeviceFailure | null; // null: not checked on board
  ground: Checked | DeviceFailure;
}

/** Residual bit errors per bit on the downlink and the ground hops (scenario `link`; 0 when absent). */
export function linkErrorRate(s: Scenario): number {
  return s.link?.residualBitErrorRate.value ?? 0;
}

/**
 * The bit positions (sorted, distinct) the downlink and the ground hops flip in one
 * received copy of `bits` bits: Poisson with mean rate × bits, uniform positions, from
 * the transmission's own stream (so every suite sees the same errors on it).
 */
export function linkFlips(rng: Rng, rate: number, bits: number): number[] {
  if (!(rate > 0)) return [];
  const n = rng.poisson(rate * bits);
  const out = new Set<number>();
  for (let i = 0; i < n; i++) out.add(rng.below(bits));
  return [...out].sort((a, b) => a - b);
}

const TWO_32 = 4294967296;

/** FNV-1a over a tag, some bytes and some numbers: a fingerprint of what the firmware did. */
function fnv(tag: number, bytes: Uint8Array, nums: number[]): number {
  let h = 0x811c9dc5 ^ tag;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  for (const v of nums) h = Math.imul(h ^ (v & 0xffffffff), 0x01000193);
  return h >>> 0;
}

/** Fingerprint of one check's verdicts (bundle, transmission, count, each kind×16+verdict). */
function mixVerdicts(bundle: number, attempt: number, c: Checked): number {
  return fnv(bundle * 8 + attempt, new Uint8Array(0), [c.count, ...c.verdicts]);
}

export interface Context {
  s: Scenario;
  board: BoardInfo;
  tt: Timetable;
  orbit: Orbit;
  device: Device;
  setupFailure: DeviceFailure | null;
  costs: CostTable;
  suites: number[];
  kinds: number[];
  rootRng: Rng;
  result: SimResult;
  /**
   * The ground hop that checks PIBs (discards and asks the custodian for a resend), or
   * null when nothing on the ground checks; absent: the ground station.
   */
  groundCheck?: Hop | null;
}

function addBins(bins: number[], t: number): void {
  const i = Math.floor(t / BIN_SECONDS);
  while (bins.length <= i) bins.push(0);
  bins[i]!++;
}

/** Simulates bundle `slot` and adds its contribution to ctx.result. */
export function simulateBundle(ctx: Context, slot: BundleSlot): void {
  const r = ctx.result;
  const rng = ctx.rootRng.fork(`bundle/${slot.index}`);
  // 1–2. the image in memory, exposed until its PIBs are computed (the recorder keeps the
  // error pattern; the content is regenerated whenever the device reads a piece)
  const { rec, exposureFlips, imaged } = holdImage(ctx.s, ctx.orbit, rng, slot);
  r.bundles++;
  const failAll = (f: DeviceFailure): void => {
    if (!f.oom) throw new Error(`simulator: firmware ${f.operation} failed on bundle ${slot.index}: ${f.error}`);
    r.oomEvents.push({ bundle: slot.index, operation: f.operation, time: Math.round(slot.signedAt), bundleBytes: slot.payloadBytes });
    for (const t of r.suites) t.outcomes[outcomeIndex("out-of-memory")]!++;
    for (const t of r.suites) t.lost++;
    countUpsets(ctx, rec, slot.imagedAt, slot.signedAt, slot.signedAt);
  };
  if (ctx.setupFailure) return failAll(ctx.setupFailure);
  // 3. build and sign on the device: the bundle is its header, then the image as it was read
  const ctime = Math.floor(slot.signedAt);
  const signedR = ctx.device.sign(imaged, slot.index, ctime);
  if (!signedR.ok) return failAll(signedR);
  const signed = concatSource(signedR.header, imaged);
  const len = signed.length;
  r.bundleBytes += len;
  const lay = layoutOf(ctx.kinds, slot.index, ctime, slot.payloadBytes);
  if (lay.headerBytes !== signedR.header.length) throw new Error("simulator: the firmware's header differs in length from its layout");
  // what the firmware produced: its PIBs carry the digests of the whole bundle
  r.deviceDigest = (r.deviceDigest + fnv(slot.index, signedR.header.subarray(0, lay.pibTo), [len])) % TWO_32;
  for (let i = 0; i < ctx.suites.length; i++) {
    // Signer.sign canonicalizes the whole bundle once per suite
    const t = r.suites[i + 1]!;
    t.bytesDigested += len;
    t.cycles += cyclesFor(ctx.costs, ctx.suites[i]!, len, 1);
  }
  const bundleSlot = rec.writeLength(len, slot.signedAt, signed);
  // 4. transmissions, shared by every suite still waiting for its bundle
  const attempts: Array<Attempt | DeviceFailure> = [];
  const linkRate = linkErrorRate(ctx.s);
  const dataFlipsOf = (bits: number[]): number => bitsOutside(bits, lay.pibFrom, lay.pibTo);
  const attemptAt = (tx: Transmission): Attempt | DeviceFailure => {
    rec.advance(tx.readAt);
    const bits = rec.readErrors(bundleSlot);
    const onboardDataFlips = dataFlipsOf(bits);
    // A check is a pure function of the bytes: a resend that reads the same bytes as
    // the previous transmission gets the previous verdicts (the cost is still counted).
    const prev = attempts.length > 0 ? attempts[attempts.length - 1] : undefined;
    const same = prev !== undefined && !("ok" in prev) && samePattern(prev.bits, bits);
    let recorderVerdict: Checked | DeviceFailure | null = null;
    const reuse = same ? (prev as Attempt).onboard : null;
    const check = (): Checked | DeviceFailure => (recorderVerdict ??= reuse ?? ctx.device.verify(withFlips(signed, bits), -1));
    let onboard: Checked | DeviceFailure | null = null;
    if (tx.checked) {
      onboard = check();
      if (!onboard.ok) return onboard;
      for (let i = 0; i < ctx.suites.length; i++) {
        const t = r.suites[i + 1]!;
        t.bytesDigested += len;
        t.cycles += cyclesFor(ctx.costs, ctx.suites[i]!, len, 1);
      }
    }
    // What arrives: the recorder copy with this transmission's link errors.
    const flips = linkFlips(rng.fork(`link/${attempts.length}`), linkRate, len * 8);
    const arrived = flips.length === 0 ? bits : symmetricDifference(bits, flips);
    // Untouched on the way: the ground's check is the same pure function of the same bytes.
    const ground = flips.length === 0 ? check() : ctx.device.verify(withFlips(signed, arrived), -1);
    if (!ground.ok) return ground;
    r.deviceDigest = (r.deviceDigest + mixVerdicts(slot.index, attempts.length, ground)) % TWO_32;
    return { start: tx.start, end: tx.end, bits, onboardDataFlips, dataFlips: flips.length === 0 ? onboardDataFlips : dataFlipsOf(arrived), onboard, ground };
  };
  const first = attemptAt({ readAt: slot.readAt, checked: slot.checked, start: slot.sendStart, end: slot.sendEnd });
  if ("ok" in first) return failAll(first);
  attempts.push(first);
  let lastRead = slot.readAt;
  let corrupted = first.dataFlips > 0 || first.onboardDataFlips > 0;
  // Per suite (index 0 = baseline): walk the transmissions.
  for (let si = 0; si < r.suites.length; si++) {
    const t = r.suites[si]!;
    const kind = si === 0 ? 0 : ctx.kinds[si - 1]!;
    const facts: PathFacts = { oom: false, delivered: false, deliveredDataFlipsAfterSigning: 0, exposureFlips, discardedCorruptData: false, discardedIntactData: false };
    let firstDetect: string | null = null;
    const groundHop = ctx.groundCheck === undefined ? "ground-station" : ctx.groundCheck;
    let deliveredAt = -1;
    for (let a = 0; a < PATH_ASSUMPTIONS.maxTransmissions.value; a++) {
      let at = attempts[a];
      if (!at) {
        const prev = attempts[a - 1] as Attempt;
        const tx = slot.resends[a - 1] ?? resendAfter(ctx.tt, prev.end, len);
        if (!tx) break; // no pass left in the horizon: given up
        at = attemptAt(tx);
        attempts.push(at);
        lastRead = Math.max(lastRead, tx.readAt);
        if ("ok" in at) {
          if (!at.oom) throw new Error(`simulator: firmware ${at.operation} failed on bundle ${slot.index}: ${at.error}`);
          r.oomEvents.push({ bundle: slot.index, operation: at.operation, time: Math.round(tx.readAt), bundleBytes: slot.payloadBytes });
        } else if (at.dataFlips > 0 || at.onboardDataFlips > 0) corrupted = true;
      }
      if ("ok" in at) {
        facts.oom = true;
        break;
      }
      const onboardDiscard = kind !== 0 && at.onboard !== null && discardsCopy(at.onboard as Checked, kind);
      const groundDiscard = kind !== 0 && groundHop !== null && discardsCopy(at.ground as Checked, kind);
      if (onboardDiscard || groundDiscard) {
        if ((onboardDiscard ? at.onboardDataFlips : at.dataFlips) > 0) facts.discardedCorruptData = true;
        else facts.discardedIntactData = true;
        if (firstDetect === null) firstDetect = onboardDiscard ? "satellite" : groundHop;
        // the custodian's own copy failed: the damage is in the recorder, a resend would
        // carry it again, and the image is not re-taken: dropped (PATH_ASSUMPTIONS.onboardDiscard)
        if (onboardDiscard) break;
        t.wastedDownlinkBytes += len;
        if (a + 1 < PATH_ASSUMPTIONS.maxTransmissions.value) t.resends++;
        continue;
      }
      facts.delivered = true;
      facts.deliveredDataFlipsAfterSigning = at.dataFlips;
      deliveredAt = at.end;
      break;
    }
    const outcome = classify(facts);
    t.outcomes[outcomeIndex(outcome)]!++;
    if (outcome === "detected" && firstDetect !== null) t.detectedAt[firstDetect] = (t.detectedAt[firstDetect] ?? 0) + 1;
    if (!facts.delivered) t.lost++;
    if (facts.delivered && (facts.discardedCorruptData || facts.discardedIntactData)) {
      if (facts.discardedCorruptData) t.recovered++;
      t.resendDelaySeconds += Math.round(deliveredAt - slot.sendEnd);
    }
  }
  r.downlinkedBytes += len;
  if (corrupted) r.corruptedBundles++;
  countUpsets(ctx, rec, slot.imagedAt, slot.signedAt, lastRead);
}

/** Upsets that hit this bundle's region while it was held, binned by time. */
export function countUpsets(ctx: Context, rec: Recorder, from: number, signedAt: number, to: number): void {
  const r = ctx.result;
  for (const u of rec.upsetLog()) {
    if (u.t < from || u.t > to) continue;
    r.upsets.total++;
    if (u.width > 1) r.upsets.multiBit++;
    addBins(r.upsetBins, u.t);
    if (u.t < signedAt) {
      r.upsets.exposure++;
      addBins(r.exposureBins, u.t);
    }
  }
}

