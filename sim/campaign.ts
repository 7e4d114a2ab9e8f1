/**
 * A simulation campaign: every image bundle of `days` days of the scenario, through
 * the recorder and the DTN path, with the firmware signing and checking it, and each
 * outcome classified from ground truth. Produces a mergeable SimResult (result.ts).
 *
 * One bundle's life (path.ts gives the times):
 * 1. t_img: the image lands in memory (its own recorder region, sized for the bundle);
 * 2. until t_sign = t_img + exposure: upsets hit the image before any PIB exists —
 *    the exposure window (classify.ts), counted from the recorder's ground truth;
 * 3. t_sign: the device (firmware agent) builds the bundle around the image as it now
 *    is and adds one PIB per suite under test; the bundle is written to the recorder;
 * 4. at each transmission: the recorder is read; the satellite checks the bundle
 *    before sending (relay policy, under its byte budget); the ground station, relay
 *    and destination check what arrives (no budget); a discard on the ground costs
 *    the downlink bytes and, by custody transfer (RFC 5050 §5.10), brings a resend of
 *    the custodian's (satellite's) copy at the next pass — read afresh, so transient
 *    damage is cured but recorder damage comes back, as it would in flight.
 *
 * Suites are compared on the same bytes: one bundle carries one PIB per suite (signed
 * in the order given; LIFO puts the last nearest the primary block), and each suite's
 * fate is decided from its own PIB's verdict, as if it were the only check on the path.
 * Suite 0 ("no checksum") is the baseline: everything is delivered, corrupted or not.
 *
 * Independence: each bundle has its own random stream (`bundle/<k>` forked from the
 * seed) and its own recorder region, so shards (shard.ts) merge exactly.
 */
import { Bundle } from "../src/bundle.js";
import { DEFAULT_SUITE_IDS, suiteKind, suiteName } from "../src/suites.js";
import { loadBoard, type BoardInfo } from "./boards.js";
import { classify, outcomeIndex, type PathFacts } from "./classify.js";
import { cyclesFor, loadCosts, type CostTable } from "./costs.js";
import { DEFAULT_STACK_BYTES, makeDevice, repoRoot, type Checked, type Device, type DeviceFailure, type DeviceMode } from "./device.js";
import { Orbit } from "./orbit.js";
import { HOPS, timetable, transmit, type BundleSlot, type Timetable } from "./path.js";
import { Recorder } from "./recorder.js";
import { emptySuite, RESULT_FORMAT, type Assumption, type Figure, type SimResult } from "./result.js";
import { Rng } from "./rng.js";
import { assumptions as scenarioAssumptions, figures as scenarioFigures, loadScenario, type Scenario } from "./scenario.js";
import { ownsItem, WHOLE, type ShardSpec } from "./shard.js";

/** The draft's suite ids (README decision 3); 0 is the no-checksum baseline. */
export const SUITE_IDS = [4, 5, 6] as const;
export const BASELINE = 0;

export interface CampaignOptions {
  scenario: string;
  board: string;
  /** Ciphersuite ids to sign with, in signing order (4, 5, 6). */
  suites: number[];
  days: number;
  seed: number;
  mode: DeviceMode;
  shard?: ShardSpec;
  /** "sim" (default): the scenario's scaled sizes; "flight": the mission's real sizes. */
  scale?: "sim" | "flight";
  /** Replaces the board's RAM (bytes): "what if my board had more"; labelled in reports. */
  ramBytes?: number | undefined;
  /** The satellite's per-bundle check budget at FLIGHT size in bytes (-1 = unlimited, 0 = never checks). */
  onboardBudgetBytes?: number | undefined;
  /** Called after each bundle this shard simulates. */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/** Seconds per bin of the upset time series in reports. */
export const BIN_SECONDS = 600;

/**
 * Path figures no source gives; shown as assumptions in every report.
 * Flight-size byte budgets are divided by the scenario's scale at sim size.
 */
export const PATH_ASSUMPTIONS = {
  onboardBudgetFlightBytes: {
    value: 16 * 1024 * 1024,
    why: "the satellite's relay check budget per bundle (one tick per bundle): at ~2,000 cycles/octet for three suites a 200 MHz processor checks ~100 kB/s, so ~16 MiB is minutes of CPU; bigger bundles are forwarded unchecked (SkippedBudget) and checked on the ground",
  },
  maxTransmissions: {
    value: 3,
    why: "custody retransmissions: the first transmission and two resends, then the bundle is given up",
  },
  resendTiming: {
    value: "next pass",
    why: "a resend starts at the next pass after the discard, ahead of the queue, without delaying other bundles",
  },
  headerRoom: { value: 1024, why: "octets reserved beside the payload for primary block and PIBs" },
};

/** One transmission of a bundle: what the recorder gave and what the checks said. */
interface Attempt {
  start: number;
  end: number;
  bytes: Uint8Array;
  dataFlips: number;
  onboard: Checked | DeviceFailure | null; // null: not checked (over budget)
  ground: Checked | DeviceFailure;
}

/** Relay decision for suite `id` from a check (pib.ts Relay.check's rule, per suite). */
function discards(c: Checked, kind: number): boolean {
  if (c.count < 0) return true; // does not parse: cannot be forwarded as a bundle
  for (const v of c.verdicts) {
    if (v >> 4 !== kind) continue;
    const verdict = v & 15;
    return verdict === 1 /* Mismatch */ || verdict === 4 /* Malformed */;
  }
  return false;
}

const DIFF_CHUNK = 65536;

/** Bits that differ between a and b over [from, to); compares natively, counts bits only in differing chunks. */
function bitsDiffering(a: Uint8Array, b: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let c = from; c < to; c += DIFF_CHUNK) {
    const e = Math.min(to, c + DIFF_CHUNK);
    if (Buffer.from(a.buffer, a.byteOffset + c, e - c).equals(Buffer.from(b.buffer, b.byteOffset + c, e - c))) continue;
    for (let i = c; i < e; i++) {
      let x = a[i]! ^ b[i]!;
      while (x !== 0) {
        x &= x - 1;
        n++;
      }
    }
  }
  return n;
}

/** A fast deterministic image: xorshift32 from a seed (the content does not matter, only that it is fixed). */
function imageBytes(len: number, seed: number): Uint8Array {
  const out = new Uint8Array(len);
  const words = new Uint32Array(out.buffer, 0, len >>> 2);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  for (let i = words.length * 4; i < len; i++) out[i] = i & 0xff;
  return out;
}

interface Context {
  s: Scenario;
  board: BoardInfo;
  tt: Timetable;
  orbit: Orbit;
  device: Device;
  setupFailure: DeviceFailure | null;
  costs: CostTable;
  suites: number[];
  kinds: number[];
  onboardBudget: number;
  rootRng: Rng;
  result: SimResult;
}

function addBins(bins: number[], t: number): void {
  const i = Math.floor(t / BIN_SECONDS);
  while (bins.length <= i) bins.push(0);
  bins[i]!++;
}

/** Simulates bundle `slot` and adds its contribution to ctx.result. */
function simulateBundle(ctx: Context, slot: BundleSlot): void {
  const r = ctx.result;
  const rng = ctx.rootRng.fork(`bundle/${slot.index}`);
  const headerRoom = PATH_ASSUMPTIONS.headerRoom.value;
  const regionBytes = Math.ceil((slot.payloadBytes + headerRoom) / 8) * 8;
  const rec = new Recorder(ctx.s, regionBytes, rng.fork("recorder"), { orbit: ctx.orbit });
  const image = imageBytes(slot.payloadBytes, rng.fork("image").u32());
  // 1–2. the image in memory, exposed until its PIBs are computed
  const imageSlot = rec.write(image, slot.imagedAt);
  rec.advance(slot.signedAt);
  const exposureFlips = rec.flipsIn(imageSlot);
  const imaged = new Uint8Array(slot.payloadBytes);
  rec.read(imageSlot, imaged);
  rec.release(imageSlot);
  r.bundles++;
  const failAll = (f: DeviceFailure): void => {
    if (!f.oom) throw new Error(`simulator: firmware ${f.operation} failed on bundle ${slot.index}: ${f.error}`);
    r.oomEvents.push({ bundle: slot.index, operation: f.operation, time: Math.round(slot.signedAt), bundleBytes: slot.payloadBytes });
    for (const t of r.suites) t.outcomes[outcomeIndex("out-of-memory")]!++;
    for (const t of r.suites) t.lost++;
    countUpsets(ctx, rec, slot.imagedAt, slot.signedAt, slot.signedAt);
  };
  if (ctx.setupFailure) return failAll(ctx.setupFailure);
  // 3. build and sign on the device
  const signedR = ctx.device.sign(imaged, slot.index, Math.floor(slot.signedAt));
  if (!signedR.ok) return failAll(signedR);
  const signed = signedR.bundle.slice();
  r.bundleBytes += signed.length;
  const parsed = new Bundle(16, 16);
  if (parsed.parse(signed, 0, signed.length) < 0 || parsed.payloadIndex < 0) throw new Error("simulator: the firmware produced a bundle that does not parse");
  const pibFrom = parsed.primaryEnd;
  const pibTo = parsed.blockStart[parsed.payloadIndex]!;
  for (let i = 0; i < ctx.suites.length; i++) {
    // Signer.sign canonicalizes the whole bundle once per suite
    const t = r.suites[i + 1]!;
    t.bytesDigested += signed.length;
    t.cycles += cyclesFor(ctx.costs, ctx.suites[i]!, signed.length, 1);
  }
  const bundleSlot = rec.write(signed, slot.signedAt);
  // 4. transmissions, shared by every suite still waiting for its bundle
  const attempts: Array<Attempt | DeviceFailure> = [];
  const attemptAt = (start: number, end: number): Attempt | DeviceFailure => {
    rec.advance(start);
    const bytes = new Uint8Array(signed.length);
    rec.read(bundleSlot, bytes);
    const dataFlips = bitsDiffering(bytes, signed, 0, pibFrom) + bitsDiffering(bytes, signed, pibTo, signed.length);
    // A check is a pure function of the bytes: a resend that reads the same bytes as
    // the previous transmission gets the previous verdicts (the cost is still counted).
    const prev = attempts.length > 0 ? attempts[attempts.length - 1] : undefined;
    const same = prev !== undefined && !("ok" in prev) && Buffer.from(prev.bytes.buffer, prev.bytes.byteOffset, prev.bytes.length).equals(bytes);
    const check = (): Checked | DeviceFailure => (same ? (prev as Attempt).ground : ctx.device.verify(bytes, -1));
    let onboard: Checked | DeviceFailure | null = null;
    if (bytes.length <= ctx.onboardBudget) {
      onboard = check();
      if (!onboard.ok) return onboard;
      for (let i = 0; i < ctx.suites.length; i++) {
        const t = r.suites[i + 1]!;
        t.bytesDigested += bytes.length;
        t.cycles += cyclesFor(ctx.costs, ctx.suites[i]!, bytes.length, 1);
      }
    }
    // The ground's check is the same pure function of the same bytes: reuse it.
    const ground = onboard ?? check();
    if (!ground.ok) return ground;
    return { start, end, bytes, dataFlips, onboard, ground };
  };
  const first = attemptAt(slot.sendStart, slot.sendEnd);
  if ("ok" in first) return failAll(first);
  attempts.push(first);
  let lastRead = slot.sendStart;
  let corrupted = first.dataFlips > 0;
  // Per suite (index 0 = baseline): walk the transmissions.
  for (let si = 0; si < r.suites.length; si++) {
    const t = r.suites[si]!;
    const kind = si === 0 ? 0 : ctx.kinds[si - 1]!;
    const facts: PathFacts = { oom: false, delivered: false, deliveredDataFlipsAfterSigning: 0, exposureFlips, discardedCorruptData: false, discardedIntactData: false };
    let firstDetect: string | null = null;
    let deliveredAt = -1;
    for (let a = 0; a < PATH_ASSUMPTIONS.maxTransmissions.value; a++) {
      let at = attempts[a];
      if (!at) {
        const prev = attempts[a - 1] as Attempt;
        const tx = transmit(ctx.tt.passes, prev.end, signed.length, ctx.tt.downlinkBytesPerSecond);
        if (!tx) break; // no pass left in the horizon: given up
        at = attemptAt(tx[0], tx[1]);
        attempts.push(at);
        lastRead = Math.max(lastRead, tx[0]);
        if ("ok" in at) {
          if (!at.oom) throw new Error(`simulator: firmware ${at.operation} failed on bundle ${slot.index}: ${at.error}`);
          r.oomEvents.push({ bundle: slot.index, operation: at.operation, time: Math.round(tx[0]), bundleBytes: slot.payloadBytes });
        } else if (at.dataFlips > 0) corrupted = true;
      }
      if ("ok" in at) {
        facts.oom = true;
        break;
      }
      const onboardDiscard = kind !== 0 && at.onboard !== null && discards(at.onboard as Checked, kind);
      const groundDiscard = kind !== 0 && discards(at.ground as Checked, kind);
      if (onboardDiscard || groundDiscard) {
        if (at.dataFlips > 0) facts.discardedCorruptData = true;
        else facts.discardedIntactData = true;
        if (firstDetect === null) firstDetect = onboardDiscard ? "satellite" : "ground-station";
        if (onboardDiscard) break; // the custodian's own copy failed: there is no fresh copy on board
        t.wastedDownlinkBytes += at.bytes.length;
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
  r.downlinkedBytes += first.bytes.length;
  if (corrupted) r.corruptedBundles++;
  countUpsets(ctx, rec, slot.imagedAt, slot.signedAt, lastRead);
}

/** Upsets that hit this bundle's region while it was held, binned by time. */
function countUpsets(ctx: Context, rec: Recorder, from: number, signedAt: number, to: number): void {
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

/** Validates suite ids; throws a one-line Error. */
export function checkSuites(suites: number[]): void {
  if (suites.length === 0) throw new Error("at least one suite is needed (4 PIB-HMAC, 5 PIB-INSECURE-MD5, 6 PIB-INSECURE-CRC32)");
  const seen = new Set<number>();
  for (const s of suites) {
    if (!(SUITE_IDS as readonly number[]).includes(s)) throw new Error(`unknown suite ${s} (known: 4 PIB-HMAC, 5 PIB-INSECURE-MD5, 6 PIB-INSECURE-CRC32)`);
    if (seen.has(s)) throw new Error(`suite ${s} given twice`);
    seen.add(s);
  }
}

/** Human name of a suite id (INSECURE where it applies; NULL-keyed HMAC says so). */
export function suiteLabel(id: number): string {
  if (id === BASELINE) return "no checksum (baseline)";
  return `0x0${id} ${suiteName(suiteKind(DEFAULT_SUITE_IDS, 0, id), 0)}`;
}

/** Runs the campaign (or this process's shard of it). */
export async function runCampaign(o: CampaignOptions): Promise<SimResult> {
  checkSuites(o.suites);
  if (!(o.days > 0) || o.days > 3650) throw new Error(`--days must be in (0, 3650], got ${o.days}`);
  const s = loadScenario(o.scenario);
  let board = loadBoard(o.board);
  if (o.ramBytes !== undefined) {
    if (!(o.ramBytes > 0) || !Number.isSafeInteger(o.ramBytes)) throw new Error(`--ram must be a positive number of bytes, got ${o.ramBytes}`);
    board = { ...board, ramBytes: o.ramBytes, ramProvenance: "assumed: set with --ram (what-if), not the board profile's figure" };
  }
  const shard = o.shard ?? WHOLE;
  const flight = o.scale === "flight";
  const payload = flight ? Math.round(s.flight.imageBytes.value) : s.sim.imageBytes.value;
  const rate = flight ? s.flight.downlinkBitsPerSecond.value : s.sim.downlinkBitsPerSecond.value;
  const scale = flight ? 1 : s.sim.scale.value;
  const rootRng = new Rng(o.seed);
  const orbit = new Orbit(s, rootRng.fork("orbit"));
  const tt = timetable(s, orbit, o.days, payload, rate);
  const costs = loadCosts(repoRoot());
  const kinds = o.suites.map((id) => suiteKind(DEFAULT_SUITE_IDS, 0, id));
  const capacity = payload + PATH_ASSUMPTIONS.headerRoom.value;
  const device = await makeDevice(o.mode, board.ramBytes, DEFAULT_STACK_BYTES);
  const setupFailure = device.setup(capacity, kinds);
  const budgetFlight = o.onboardBudgetBytes ?? PATH_ASSUMPTIONS.onboardBudgetFlightBytes.value;
  const onboardBudget = budgetFlight < 0 ? Infinity : Math.floor(budgetFlight / scale);
  const hops = HOPS as readonly string[];
  const result: SimResult = {
    format: RESULT_FORMAT,
    config: {
      scenario: s.name,
      board: board.name,
      suites: o.suites.slice(),
      days: o.days,
      seed: o.seed,
      mode: o.mode,
      binSeconds: BIN_SECONDS,
      totalBundles: tt.bundles.length,
      bytesPerDay: Math.round((tt.bundles.length * payload) / o.days),
      ramLimitBytes: board.ramBytes,
      onboardBudgetFlightBytes: budgetFlight,
      stackLimitBytes: DEFAULT_STACK_BYTES,
      costSource: costs.source,
    },
    shardCount: shard.count,
    shards: [shard.index],
    bundles: 0,
    bundleBytes: 0,
    downlinkedBytes: 0,
    upsetBins: [],
    exposureBins: [],
    upsets: { total: 0, multiBit: 0, exposure: 0 },
    corruptedBundles: 0,
    suites: [BASELINE, ...o.suites].map((id) => emptySuite(id, suiteLabel(id), hops)),
    ramHighWaterBytes: 0,
    oomEvents: [],
    saa: tt.saa,
    passes: tt.passes.filter((p) => p[0] < tt.horizon),
    horizonSeconds: tt.horizon,
    figures: figuresOf(s, board, flight, payload, rate, onboardBudget),
    assumptions: assumptionsOf(s, board, costs, budgetFlight),
  };
  const ctx: Context = { s, board, tt, orbit, device, setupFailure, costs, suites: o.suites, kinds, onboardBudget, rootRng, result };
  const mine = tt.bundles.filter((b) => ownsItem(shard, b.index));
  let done = 0;
  try {
    for (const b of mine) {
      simulateBundle(ctx, b);
      done++;
      o.onProgress?.(done, mine.length);
    }
  } finally {
    result.ramHighWaterBytes = device.ramHighWater();
    device.dispose();
  }
  // Bins run to the horizon in every shard, so shard results have equal shapes.
  const nBins = Math.ceil(tt.horizon / BIN_SECONDS);
  while (result.upsetBins.length < nBins) result.upsetBins.push(0);
  while (result.exposureBins.length < nBins) result.exposureBins.push(0);
  return result;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString("en-US") : String(n);
}

function figuresOf(s: Scenario, board: BoardInfo, flight: boolean, payload: number, rate: number, budget: number): Figure[] {
  const out: Figure[] = [];
  for (const f of scenarioFigures(s)) {
    if (f.source !== undefined) out.push({ name: `scenario ${f.path}`, value: `${typeof f.value === "number" ? fmt(f.value) : f.value} ${f.unit}`, source: f.source });
  }
  out.push({ name: `board ${board.name} RAM (QuickJS heap limit)`, value: `${fmt(board.ramBytes)} bytes`, source: board.ramProvenance });
  out.push({ name: "run size", value: `${flight ? "flight" : "sim"} scale: ${fmt(payload)}-byte images, ${fmt(rate)} bit/s downlink, on-board check budget ${budget === Infinity ? "unlimited" : fmt(budget) + " bytes"} per bundle`, source: "scenario file and path assumptions" });
  return out;
}

function assumptionsOf(s: Scenario, board: BoardInfo, costs: CostTable, budgetFlight: number): Assumption[] {
  const out: Assumption[] = scenarioAssumptions(s).map((a) => ({ name: `scenario ${a.path}`, value: `${typeof a.value === "number" ? fmt(a.value) : a.value} ${a.unit}`, why: a.assumed }));
  if (board.ramProvenance.startsWith("assumed")) out.push({ name: `board ${board.name} ramBytes`, value: `${fmt(board.ramBytes)} bytes`, why: board.ramProvenance.slice(9) });
  const budgetText = budgetFlight < 0 ? "unlimited (--onboard-budget -1)" : `${fmt(budgetFlight)} bytes per bundle`;
  const budgetWhy = budgetFlight === PATH_ASSUMPTIONS.onboardBudgetFlightBytes.value ? PATH_ASSUMPTIONS.onboardBudgetFlightBytes.why : "set with --onboard-budget";
  out.push({ name: "path: on-board check budget (flight size)", value: budgetText, why: budgetWhy });
  out.push({ name: "path: transmissions per bundle", value: String(PATH_ASSUMPTIONS.maxTransmissions.value), why: PATH_ASSUMPTIONS.maxTransmissions.why });
  out.push({ name: "path: resend timing", value: PATH_ASSUMPTIONS.resendTiming.value, why: PATH_ASSUMPTIONS.resendTiming.why });
  out.push({ name: "path: imaging pace", value: "one image per downlink-time of an image", why: "images of a session follow each other at the radio's pace (path.ts)" });
  out.push({ name: "device stack limit", value: `${fmt(DEFAULT_STACK_BYTES)} bytes`, why: "board profiles give no stack figure; QuickJS's native stack limit" });
  if (costs.source.startsWith("FALLBACK")) out.push({ name: "cost per octet", value: "HMAC 1200, MD5 600, CRC-32C 200 cycles/octet", why: costs.source });
  return out;
}
