/**
 * The result of a campaign (or of one shard of it) as plain JSON, and the exact merge.
 *
 * Every total is an integer sum over bundles (counts, bytes, whole cycles, whole
 * seconds) or a maximum, so adding shards in any order gives bit-for-bit the totals
 * of one run; lists are kept sorted by bundle number for the same reason.
 */
import { OUTCOMES } from "./classify.js";
import type { FirmwareWitness } from "./witness.js";

export const RESULT_FORMAT = "pibkit-sim-result/1";

/** A figure the run depends on that no published source backs yet. */
export interface Assumption {
  name: string;
  value: string;
  why: string;
}

/** A figure with its source, as shown in the report. */
export interface Figure {
  name: string;
  value: string;
  source: string;
}

/** Everything that determines a run's output except which shard it is. */
export interface RunConfig {
  scenario: string;
  board: string;
  suites: number[];
  days: number;
  seed: number;
  mode: "engine" | "fast" | "stat";
  /** Seconds per bin of the upset time series. */
  binSeconds: number;
  /** Bundles in the whole campaign (all shards). */
  totalBundles: number;
  /** Payload bytes imaged per day (the recorder volume per day). */
  bytesPerDay: number;
  ramLimitBytes: number;
  /** The board's clock (Hz), to turn cycles into seconds on the board; 0 when unknown. */
  clockHz: number;
  /** Share of the satellite processor's time its checks may take, percent (0: no check on board). */
  onboardCpuPercent: number;
  /** Processor seconds one on-board check of a bundle takes (all its PIBs, flight size, board clock). */
  onboardCheckSeconds: number;
  /** Processor seconds the device takes to sign one bundle (every PIB, in place, flight size, board clock). */
  onboardSignSeconds?: number;
  /** Seconds from a bundle's last octet at the checking ground hop to its verdict (0: nothing checks on the ground). */
  groundCheckSeconds?: number;
  stackLimitBytes: number;
  costSource: string;
  /** Where PIBs are checked (campaign.ts PLACEMENTS); absent: on board within the budget and at the ground station. */
  checks?: string;
}

export interface SuiteTotals {
  /** Ciphersuite id (0 = no checksum: the baseline every suite is compared with). */
  suite: number;
  name: string;
  /** Counts per class, indexed like OUTCOMES. */
  outcomes: number[];
  /** Detections by the hop whose check first discarded a corrupted copy. */
  detectedAt: Record<string, number>;
  /** Detected bundles whose custodian later delivered a good copy. */
  recovered: number;
  /** Bundles that never reached the destination. */
  lost: number;
  /** Downlink bytes spent on copies a ground hop then discarded. */
  wastedDownlinkBytes: number;
  /** Copies sent again after a discard (custody transfer). */
  resends: number;
  /** Sum over recovered bundles of the extra delay a resend cost, whole seconds. */
  resendDelaySeconds: number;
  /** Deterministic cost on the board: bytes through the suite × cycles per byte, whole cycles. */
  cycles: number;
  /** Octets the suite's digest processed on the board (sign + on-board checks). */
  bytesDigested: number;
}

export interface OomEvent {
  bundle: number;
  operation: string;
  time: number;
  bundleBytes: number;
}

export interface SimResult {
  format: typeof RESULT_FORMAT;
  config: RunConfig;
  shardCount: number;
  /** Shard indexes merged into this result (all of 0..shardCount-1 when complete). */
  shards: number[];
  bundles: number;
  bundleBytes: number;
  downlinkedBytes: number;
  /** Upsets that hit held bundles, per time bin of config.binSeconds. */
  upsetBins: number[];
  /** Upsets that hit an image before its PIBs were computed, per time bin. */
  exposureBins: number[];
  upsets: { total: number; multiBit: number; exposure: number };
  /** Bundles whose data reached a check corrupted (any suite sees the same bytes). */
  corruptedBundles: number;
  suites: SuiteTotals[];
  /**
   * The satellite's checks before first transmissions (the timetable's, the same in every
   * mode): bundles checked, bundles sent unchecked because the processor share was used
   * up, and the seconds the checks delayed first transmissions (a check that does not
   * end in time makes its bundle miss that moment of a pass, or the pass).
   */
  onboardChecks: { checked: number; skipped: number; delaySeconds: number; passesMissed: number };
  /**
   * The satellite's signing (the timetable's): bundles signed, the processor seconds it
   * took (whole seconds per bundle), and how much later first transmissions could start
   * than with instant signing (waiting for the processor or the share, then signing),
   * in seconds, and how many that put in a later pass.
   */
  onboardSigning?: { signed: number; cpuSeconds: number; delaySeconds: number; passesMissed: number };
  ramHighWaterBytes: number;
  /**
   * Sum mod 2^32 over bundles of a fingerprint of what the firmware produced (the signed
   * bundle up to its payload, PIB results included) and said (every check's verdicts):
   * engine and fast mode agree on every bundle iff these agree (up to hash collisions).
   */
  deviceDigest: number;
  /** Every board profile's RAM, to show which boards the high-water mark fits. */
  boardRam: Array<{ board: string; ramBytes: number }>;
  oomEvents: OomEvent[];
  /**
   * Statistical mode only: bundles it handed to the exact path because their bytes
   * mattered (an upset in the header, a stuck cell); the others were decided from their
   * error pattern.
   */
  exactBundles?: number;
  /**
   * Statistical mode only: the board's exact firmware in QuickJS under its RAM, signing a
   * stand-in with the run's SDNV lengths beside the Node build (witness.ts); the same in
   * every shard of a campaign.
   */
  firmwareWitness?: FirmwareWitness;
  /** Orbit landmarks over the campaign (identical in every shard). */
  saa: Array<[number, number]>;
  passes: Array<[number, number]>;
  horizonSeconds: number;
  figures: Figure[];
  assumptions: Assumption[];
}

export function emptySuite(suite: number, name: string, hops: readonly string[]): SuiteTotals {
  const detectedAt: Record<string, number> = {};
  for (const h of hops) detectedAt[h] = 0;
  return {
    suite,
    name,
    outcomes: OUTCOMES.map(() => 0),
    detectedAt,
    recovered: 0,
    lost: 0,
    wastedDownlinkBytes: 0,
    resends: 0,
    resendDelaySeconds: 0,
    cycles: 0,
    bytesDigested: 0,
  };
}

/** The totals a shard adds up, all zero; `suites` = one SuiteTotals per suite, zeroed too. */
export function zeroTotals(suites: SuiteTotals[]): Pick<SimResult, "bundles" | "bundleBytes" | "downlinkedBytes" | "upsetBins" | "exposureBins" | "upsets" | "corruptedBundles" | "suites" | "onboardChecks" | "onboardSigning" | "ramHighWaterBytes" | "deviceDigest"> {
  return {
    bundles: 0,
    bundleBytes: 0,
    downlinkedBytes: 0,
    upsetBins: [],
    exposureBins: [],
    upsets: { total: 0, multiBit: 0, exposure: 0 },
    corruptedBundles: 0,
    suites,
    onboardChecks: { checked: 0, skipped: 0, delaySeconds: 0, passesMissed: 0 },
    onboardSigning: { signed: 0, cpuSeconds: 0, delaySeconds: 0, passesMissed: 0 },
    ramHighWaterBytes: 0,
    deviceDigest: 0,
  };
}

/** Adds one bundle's first-transmission check (path.ts BundleSlot) to r.onboardChecks. */
export function addCheckTiming(r: SimResult, slot: { checked: boolean; checkDelay: number; passMissed: boolean }, checksOnBoard: boolean): void {
  if (!checksOnBoard) return;
  const c = r.onboardChecks;
  if (slot.checked) c.checked++;
  else c.skipped++;
  c.delaySeconds += Math.round(slot.checkDelay);
  if (slot.passMissed) c.passesMissed++;
}

/** Adds one bundle's signing (path.ts BundleSlot) to r.onboardSigning; `seconds` one signing's processor time. */
export function addSignTiming(r: SimResult, slot: { signDelay: number; signPassMissed: boolean }, seconds: number): void {
  const c = (r.onboardSigning ??= { signed: 0, cpuSeconds: 0, delaySeconds: 0, passesMissed: 0 });
  c.signed++;
  c.cpuSeconds += Math.round(seconds);
  c.delaySeconds += Math.round(slot.signDelay);
  if (slot.signPassMissed) c.passesMissed++;
}

function addArrays(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((a[i] ?? 0) + (b[i] ?? 0));
  return out;
}

function addSuite(a: SuiteTotals, b: SuiteTotals): SuiteTotals {
  const detectedAt: Record<string, number> = { ...a.detectedAt };
  for (const k of Object.keys(b.detectedAt)) detectedAt[k] = (detectedAt[k] ?? 0) + (b.detectedAt[k] ?? 0);
  return {
    suite: a.suite,
    name: a.name,
    outcomes: addArrays(a.outcomes, b.outcomes),
    detectedAt,
    recovered: a.recovered + b.recovered,
    lost: a.lost + b.lost,
    wastedDownlinkBytes: a.wastedDownlinkBytes + b.wastedDownlinkBytes,
    resends: a.resends + b.resends,
    resendDelaySeconds: a.resendDelaySeconds + b.resendDelaySeconds,
    cycles: a.cycles + b.cycles,
    bytesDigested: a.bytesDigested + b.bytesDigested,
  };
}

/** Thrown when results cannot be merged; the message is one line for the user. */
export class MergeError extends Error {}

/**
 * Merges shard results of ONE campaign: same configuration, same shard count, no shard
 * twice. The result is complete when every shard index is present.
 */
export function mergeResults(parts: SimResult[]): SimResult {
  if (parts.length === 0) throw new MergeError("nothing to merge");
  const first = parts[0]!;
  const cfg = JSON.stringify(first.config);
  const seen = new Set<number>();
  // start from the first part's campaign-wide fields (config, orbit landmarks, labels) with zero totals
  const out: SimResult = {
    ...first,
    shards: [],
    ...zeroTotals(first.suites.map((s) => emptySuite(s.suite, s.name, Object.keys(s.detectedAt)))),
    oomEvents: [],
  };
  delete out.exactBundles; // summed below, from the parts that have it
  for (const p of parts) {
    if (p.format !== RESULT_FORMAT) throw new MergeError(`not a pibkit sim result (format "${String(p.format)}")`);
    if (JSON.stringify(p.config) !== cfg) throw new MergeError("results come from different campaigns (scenario, board, suites, days, seed or mode differ)");
    if (p.shardCount !== first.shardCount) throw new MergeError(`shard counts differ: ${first.shardCount} and ${p.shardCount}`);
    for (const s of p.shards) {
      if (seen.has(s)) throw new MergeError(`shard ${s}/${p.shardCount} appears twice`);
      seen.add(s);
    }
    out.bundles += p.bundles;
    out.bundleBytes += p.bundleBytes;
    out.downlinkedBytes += p.downlinkedBytes;
    out.upsetBins = addArrays(out.upsetBins, p.upsetBins);
    out.exposureBins = addArrays(out.exposureBins, p.exposureBins);
    out.upsets = {
      total: out.upsets.total + p.upsets.total,
      multiBit: out.upsets.multiBit + p.upsets.multiBit,
      exposure: out.upsets.exposure + p.upsets.exposure,
    };
    out.corruptedBundles += p.corruptedBundles;
    out.onboardChecks = {
      checked: out.onboardChecks.checked + p.onboardChecks.checked,
      skipped: out.onboardChecks.skipped + p.onboardChecks.skipped,
      delaySeconds: out.onboardChecks.delaySeconds + p.onboardChecks.delaySeconds,
      passesMissed: out.onboardChecks.passesMissed + p.onboardChecks.passesMissed,
    };
    if (out.onboardSigning !== undefined || p.onboardSigning !== undefined) {
      const a = out.onboardSigning ?? { signed: 0, cpuSeconds: 0, delaySeconds: 0, passesMissed: 0 };
      const b = p.onboardSigning ?? { signed: 0, cpuSeconds: 0, delaySeconds: 0, passesMissed: 0 };
      out.onboardSigning = { signed: a.signed + b.signed, cpuSeconds: a.cpuSeconds + b.cpuSeconds, delaySeconds: a.delaySeconds + b.delaySeconds, passesMissed: a.passesMissed + b.passesMissed };
    }
    out.suites = out.suites.map((s, i) => {
      const o = p.suites[i];
      if (!o || o.suite !== s.suite) throw new MergeError("results list different suites");
      return addSuite(s, o);
    });
    out.ramHighWaterBytes = Math.max(out.ramHighWaterBytes, p.ramHighWaterBytes);
    out.deviceDigest = (out.deviceDigest + p.deviceDigest) % 4294967296;
    out.oomEvents = out.oomEvents.concat(p.oomEvents);
    if (p.exactBundles !== undefined) out.exactBundles = (out.exactBundles ?? 0) + p.exactBundles;
  }
  out.shards = [...seen].sort((a, b) => a - b);
  out.oomEvents.sort((a, b) => a.bundle - b.bundle || (a.operation < b.operation ? -1 : a.operation > b.operation ? 1 : 0));
  return out;
}

/** Whether every shard of the campaign is in this result. */
export function isComplete(r: SimResult): boolean {
  return r.shards.length === r.shardCount;
}
