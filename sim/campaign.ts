/**
 * A simulation campaign: every image bundle of `days` days of the scenario, through
 * the recorder and the DTN path (path.ts), with the firmware signing and checking it
 * (device.ts) and each outcome classified from ground truth (bundleLife.ts). Produces a
 * mergeable SimResult (result.ts).
 *
 * Suites are compared on the same bytes: one bundle carries one PIB per suite (signed
 * in the order given; LIFO puts the last nearest the primary block). Suite 0 ("no
 * checksum") is the baseline: everything is delivered, corrupted or not.
 *
 * Independence: each bundle has its own random stream (`bundle/<k>` forked from the
 * seed) and its own recorder region, so shards (shard.ts) merge exactly.
 */
import { DEFAULT_SUITE_IDS, SUITES, suiteKind, suiteName } from "../src/core/suites.js";
import { boardNames, loadBoard } from "./boards.js";
import { BIN_SECONDS, simulateBundle, type Context } from "./bundleLife.js";
import { fatePredictor } from "./booking.js";
import { checkSeconds, groundCheckSeconds, loadCosts, signSeconds } from "./costs.js";
import { DEFAULT_STACK_BYTES, firmwarePath, makeDevice, repoRoot, type DeviceMode } from "./device.js";
import { firmwareWitness } from "./witness.js";
import { assumptionsOf, figuresOf } from "./labels.js";
import { Orbit } from "./orbit.js";
import { HOPS, PATH_ASSUMPTIONS, timetable, type Hop, type OnboardChecks } from "./path.js";
import { addCheckTiming, addSignTiming, emptySuite, RESULT_FORMAT, type SimResult, zeroTotals } from "./result.js";
import { Rng } from "./rng.js";
import { loadScenario, type Scenario } from "./scenario.js";
import { ownsItem, WHOLE, type ShardSpec } from "./shard.js";
import { simulateBundleStat, StatState } from "./statistical.js";

export { BIN_SECONDS };

/** The draft's suite ids (the suite table, docs/pib.md); 0 is the no-checksum baseline. */
export const SUITE_IDS: readonly number[] = SUITES.map((s) => s.id);
export const BASELINE = 0;

/**
 * How the campaign is run: "engine" and "fast" run the firmware on every bundle's
 * bytes (device.ts); "stat" decides verdicts from each bundle's error pattern
 * (statistical.ts) and runs the fast path only for the bundles that need bytes.
 */
export type SimMode = DeviceMode | "stat";
export const SIM_MODES: readonly SimMode[] = ["engine", "fast", "stat"];

/**
 * Where PIBs are checked (what an operator chooses): nowhere; on board before the
 * downlink only (within the processor share, --onboard-cpu); at the ground relays (the
 * ground station first, custody resends on a discard); at the destination only.
 * Without a placement a run checks on board within the share and at the ground station.
 */
export const PLACEMENTS = ["none", "onboard", "relays", "ground"] as const;
export type Placement = (typeof PLACEMENTS)[number];

/** Whether the satellite checks, and the checking ground hop, of a placement. */
export function placementChecks(p: Placement): { onboard: boolean; groundCheck: Hop | null } {
  if (p === "onboard") return { onboard: true, groundCheck: null };
  if (p === "relays") return { onboard: false, groundCheck: "ground-station" };
  if (p === "ground") return { onboard: false, groundCheck: "destination" };
  return { onboard: false, groundCheck: null };
}

export interface CampaignOptions {
  scenario: string;
  board: string;
  /** Ciphersuite ids to sign with, in signing order (4, 5, 6). */
  suites: number[];
  days: number;
  seed: number;
  mode: SimMode;
  shard?: ShardSpec;
  /** Where PIBs are checked (default: on board within the processor share, and at the ground station). */
  checks?: Placement | undefined;
  /** "sim" (default): the scenario's scaled sizes; "flight": the mission's real sizes. */
  scale?: "sim" | "flight";
  /** Replaces the board's RAM (bytes): "what if my board had more"; labelled in reports. */
  ramBytes?: number | undefined;
  /**
   * Share of the satellite processor's time its checks may take, percent 0 … 100
   * (draft §5's CPU threshold; 0 = no check on board). Default PATH_ASSUMPTIONS.onboardCpuPercent.
   */
  onboardCpuPercent?: number | undefined;
  /** Called after each bundle this shard simulates. */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/** Validates suite ids; throws a one-line Error. */
export function checkSuites(suites: number[]): void {
  if (suites.length === 0) throw new Error(`at least one suite is needed (${SUITES.map((r) => `${r.id} ${r.name}`).join(", ")})`);
  const seen = new Set<number>();
  for (const s of suites) {
    if (!SUITE_IDS.includes(s)) throw new Error(`unknown suite ${s} (known: ${SUITES.map((r) => `${r.id} ${r.name}`).join(", ")})`);
    if (seen.has(s)) throw new Error(`suite ${s} given twice`);
    seen.add(s);
  }
}

/** Human name of a suite id (INSECURE where it applies; NULL-keyed HMAC says so). */
export function suiteLabel(id: number): string {
  if (id === BASELINE) return "no checksum (baseline)";
  return `0x0${id} ${suiteName(suiteKind(DEFAULT_SUITE_IDS, 0, id), 0)}`;
}

/** The largest bundle the device handles: one image at the scale run, and room for the primary block and PIBs (its piece buffer is at most this). */
export function bundleCapacity(s: Scenario, flight: boolean): number {
  return (flight ? Math.round(s.flight.imageBytes.value) : s.sim.imageBytes.value) + PATH_ASSUMPTIONS.headerRoom.value;
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
  // the cost figures and the firmware of the build this board really gets (its profile's primitives)
  const costs = loadCosts(repoRoot(), board.primitives === "speed" ? board.name : undefined);
  const placed = o.checks === undefined ? null : placementChecks(o.checks);
  const cpuPercent = o.onboardCpuPercent ?? PATH_ASSUMPTIONS.onboardCpuPercent.value;
  if (!(cpuPercent >= 0 && cpuPercent <= 100)) throw new Error(`--onboard-cpu must be a percentage from 0 to 100, got ${cpuPercent}`);
  // one check of every PIB of a flight-size bundle at the board's clock (path.ts)
  const onboard: OnboardChecks = {
    seconds: checkSeconds(costs, o.suites, payload * scale, board.clockHz),
    utilisation: placed && !placed.onboard ? 0 : cpuPercent / 100,
    // signing takes the processor too, within the same share (path.ts)
    signSeconds: signSeconds(costs, o.suites, payload * scale, board.clockHz),
    groundSeconds: placed && placed.groundCheck === null ? 0 : groundCheckSeconds(o.suites, payload * scale),
  };
  // every transmission of every bundle booked from the bundles' error patterns, in every shard alike
  const fates = fatePredictor(s, orbit, rootRng, o.suites.map((id) => suiteKind(DEFAULT_SUITE_IDS, 0, id)), placed ? placed.groundCheck !== null : true);
  const tt = timetable(s, orbit, o.days, payload, rate, onboard, fates);
  const kinds = o.suites.map((id) => suiteKind(DEFAULT_SUITE_IDS, 0, id));
  const capacity = bundleCapacity(s, flight);
  const device = await makeDevice(o.mode === "stat" ? "fast" : o.mode, board.ramBytes, DEFAULT_STACK_BYTES, firmwarePath(board));
  let setupFailure = device.setup(capacity, kinds);
  // Stat mode signs on the Node build, so the board's exact firmware signs beside it
  // first (witness.ts): its RAM high-water mark, measured in QuickJS, is the run's RAM
  // figure, the quantity the board's limit and engine mode count; if it runs out of
  // that RAM, so does every bundle of the run, as in engine mode.
  const first = tt.bundles[0];
  const witness = o.mode === "stat" && first !== undefined
    ? await firmwareWitness(firmwarePath(board), board.ramBytes, DEFAULT_STACK_BYTES, capacity, kinds, first.payloadBytes, tt.bundles.length - 1, Math.floor(first.signedAt))
    : undefined;
  if (setupFailure === null && witness?.outOfMemoryIn) setupFailure = { ok: false, oom: true, operation: witness.outOfMemoryIn, error: witness.failure ?? "" };
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
      clockHz: board.clockHz,
      onboardCpuPercent: Math.round(onboard.utilisation * 1e6) / 1e4,
      onboardCheckSeconds: Math.round(onboard.seconds * 1000) / 1000,
      onboardSignSeconds: Math.round((onboard.signSeconds ?? 0) * 1000) / 1000,
      groundCheckSeconds: Math.round((onboard.groundSeconds ?? 0) * 1000) / 1000,
      stackLimitBytes: DEFAULT_STACK_BYTES,
      costSource: costs.source,
      ...(o.checks === undefined ? {} : { checks: o.checks }),
    },
    shardCount: shard.count,
    shards: [shard.index],
    ...zeroTotals([BASELINE, ...o.suites].map((id) => emptySuite(id, suiteLabel(id), hops))),
    boardRam: boardNames().map((b) => ({ board: b, ramBytes: loadBoard(b).ramBytes })),
    oomEvents: [],
    saa: tt.saa,
    passes: tt.passes.filter((p) => p[0] < tt.horizon),
    horizonSeconds: tt.horizon,
    figures: figuresOf(s, board, flight, payload, rate, onboard),
    assumptions: assumptionsOf(s, board, costs, onboard.utilisation * 100, o.onboardCpuPercent === undefined),
  };
  const ctx: Context = { s, board, tt, orbit, device, setupFailure, costs, suites: o.suites, kinds, rootRng, result };
  if (placed) ctx.groundCheck = placed.groundCheck;
  const stat = o.mode === "stat" ? new StatState() : null;
  const mine = tt.bundles.filter((b) => ownsItem(shard, b.index));
  let done = 0;
  // while a bundle is in the firmware (minutes at flight size in engine mode), the reads
  // it makes keep the progress line going: same count, the seconds moving on
  const onProgress = o.onProgress;
  if (onProgress) device.onRead(() => onProgress(done, mine.length));
  try {
    for (const b of mine) {
      if (stat === null) simulateBundle(ctx, b);
      else if (!simulateBundleStat(ctx, stat, b)) {
        // bytes needed: the fast path, whose firmware output stays out of the fingerprint (stat mode computes none)
        const digest = result.deviceDigest;
        simulateBundle(ctx, b);
        result.deviceDigest = digest;
        result.exactBundles = (result.exactBundles ?? 0) + 1;
      }
      // a device that never started signed and checked nothing: no processor time to report
      if (setupFailure === null) {
        addCheckTiming(result, b, placed ? placed.onboard : true);
        addSignTiming(result, b, onboard.signSeconds ?? 0);
      }
      done++;
      o.onProgress?.(done, mine.length);
    }
    if (witness !== undefined) result.firmwareWitness = witness;
  } finally {
    // a witness that got as far as the engine measured it; one whose firmware did not load has no figure
    result.ramHighWaterBytes = witness !== undefined && witness.ramHighWaterBytes > 0 ? witness.ramHighWaterBytes : device.ramHighWater();
    if (stat !== null) result.exactBundles = result.exactBundles ?? 0;
    device.dispose();
  }
  // Bins run to the horizon in every shard, so shard results have equal shapes.
  const nBins = Math.ceil(tt.horizon / BIN_SECONDS);
  while (result.upsetBins.length < nBins) result.upsetBins.push(0);
  while (result.exposureBins.length < nBins) result.exposureBins.push(0);
  return result;
}

