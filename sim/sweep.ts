/**
 * Campaign sweeps: the grid an operator decides from — scenarios × where the checks
 * run (campaign.ts PLACEMENTS) × seeds, each cell one campaign with every suite under
 * test plus the no-checksum baseline on the same bytes — and the rates with their
 * confidence intervals (stats.ts).
 *
 * Cells are numbered scenario-major, then placement, then seed; shard I of N runs the
 * cells k with k mod N = I (shard.ts: the same rule and the same Slurm / Kubernetes
 * indexes as a single campaign). A cell keeps integer totals only, so merging shards is
 * a concatenation and the merged sweep equals one run exactly; every rate and interval
 * is computed from the merged integers when reported.
 */
import { BASELINE, runCampaign, suiteLabel, type Placement, type SimMode } from "./campaign.js";
import { OUTCOMES } from "./classify.js";
import { MergeError } from "./result.js";
import { loadScenario } from "./scenario.js";
import { ownsItem, WHOLE, type ShardSpec } from "./shard.js";
import { garwood, meanInterval, wilson, type Interval } from "./stats.js";

export const SWEEP_FORMAT = "pibkit-sim-sweep/1";

/** Everything that determines a sweep's cells. */
export interface SweepConfig {
  scenarios: string[];
  checks: Placement[];
  /** Suites signed in every cell (the baseline, suite 0, is always there). */
  suites: number[];
  seeds: number[];
  days: number;
  board: string;
  mode: SimMode;
  scale: "sim" | "flight";
  /** --ram what-if, or null for the board's. */
  ramBytes: number | null;
}

/** One suite's integer totals in one cell. */
export interface CellSuite {
  suite: number;
  outcomes: number[];
  detectedAt: Record<string, number>;
  lost: number;
  wastedDownlinkBytes: number;
  resends: number;
  cycles: number;
  bytesDigested: number;
}

/** One campaign of the grid. */
export interface SweepCell {
  index: number;
  scenario: string;
  checks: Placement;
  seed: number;
  bundles: number;
  /** Payload octets imaged (bundles × image size at the scale run). */
  imagedBytes: number;
  corruptedBundles: number;
  upsets: number;
  exactBundles: number;
  /** The board's clock (Hz) that turns cycles into processor seconds. */
  clockHz: number;
  suites: CellSuite[];
}

export interface SweepResult {
  format: typeof SWEEP_FORMAT;
  config: SweepConfig;
  shardCount: number;
  shards: number[];
  /** Sorted by index. */
  cells: SweepCell[];
}

/** The grid's cells in order: index, scenario, placement, seed. */
export function sweepCells(c: SweepConfig): Array<{ index: number; scenario: string; checks: Placement; seed: number }> {
  const out: Array<{ index: number; scenario: string; checks: Placement; seed: number }> = [];
  for (const scenario of c.scenarios) for (const checks of c.checks) for (const seed of c.seeds) out.push({ index: out.length, scenario, checks, seed });
  return out;
}

/** Runs this shard's cells of the sweep. `onProgress(done, total)` after each cell. */
export async function runSweep(c: SweepConfig, shard: ShardSpec = WHOLE, onProgress?: (done: number, total: number) => void): Promise<SweepResult> {
  if (c.scenarios.length === 0 || c.checks.length === 0 || c.seeds.length === 0) throw new Error("a sweep needs at least one scenario, one placement and one seed");
  const mine = sweepCells(c).filter((k) => ownsItem(shard, k.index));
  const cells: SweepCell[] = [];
  for (const k of mine) {
    const r = await runCampaign({
      scenario: k.scenario,
      board: c.board,
      suites: c.suites,
      days: c.days,
      seed: k.seed,
      mode: c.mode,
      scale: c.scale,
      ramBytes: c.ramBytes ?? undefined,
      checks: k.checks,
    });
    const s = loadScenario(k.scenario);
    const image = c.scale === "flight" ? Math.round(s.flight.imageBytes.value) : s.sim.imageBytes.value;
    cells.push({
      index: k.index,
      scenario: k.scenario,
      checks: k.checks,
      seed: k.seed,
      bundles: r.bundles,
      imagedBytes: r.bundles * image,
      corruptedBundles: r.corruptedBundles,
      upsets: r.upsets.total,
      exactBundles: r.exactBundles ?? 0,
      clockHz: r.config.clockHz,
      suites: r.suites.map((t) => ({
        suite: t.suite,
        outcomes: t.outcomes.slice(),
        detectedAt: { ...t.detectedAt },
        lost: t.lost,
        wastedDownlinkBytes: t.wastedDownlinkBytes,
        resends: t.resends,
        cycles: t.cycles,
        bytesDigested: t.bytesDigested,
      })),
    });
    onProgress?.(cells.length, mine.length);
  }
  return { format: SWEEP_FORMAT, config: c, shardCount: shard.count, shards: [shard.index], cells };
}

/** Merges shards of ONE sweep (same configuration and shard count, no shard twice). */
export function mergeSweeps(parts: SweepResult[]): SweepResult {
  if (parts.length === 0) throw new MergeError("nothing to merge");
  const first = parts[0]!;
  const cfg = JSON.stringify(first.config);
  const shards = new Set<number>();
  const cells: SweepCell[] = [];
  for (const p of parts) {
    if (p.format !== SWEEP_FORMAT) throw new MergeError(`not a pibkit sim sweep (format "${String(p.format)}")`);
    if (JSON.stringify(p.config) !== cfg) throw new MergeError("sweeps differ (scenarios, placements, suites, seeds, days, board, mode, scale or RAM)");
    if (p.shardCount !== first.shardCount) throw new MergeError(`shard counts differ: ${first.shardCount} and ${p.shardCount}`);
    for (const s of p.shards) {
      if (shards.has(s)) throw new MergeError(`shard ${s}/${p.shardCount} appears twice`);
      shards.add(s);
    }
    cells.push(...p.cells);
  }
  cells.sort((a, b) => a.index - b.index);
  for (let i = 1; i < cells.length; i++) if (cells[i]!.index === cells[i - 1]!.index) throw new MergeError(`cell ${cells[i]!.index} appears twice`);
  return { format: SWEEP_FORMAT, config: first.config, shardCount: first.shardCount, shards: [...shards].sort((a, b) => a - b), cells };
}

export function isCompleteSweep(r: SweepResult): boolean {
  return r.shards.length === r.shardCount;
}

const TB = 1e12;
const MISSED = OUTCOMES.indexOf("missed");
const EXPOSURE = OUTCOMES.indexOf("exposure");
const DETECTED = OUTCOMES.indexOf("detected");

/** One point of the trade-off: a suite at a placement in a scenario, over every seed run. */
export interface SweepRow {
  scenario: string;
  checks: Placement;
  suite: number;
  name: string;
  seeds: number;
  bundles: number;
  imagedBytes: number;
  /** Bundles delivered with corrupted data (missed by the checks, or hit before signing), per 10^12 octets imaged: Garwood. */
  corruptedPerTB: Interval;
  /** Of those, missed by the checks (corrupted after signing): Garwood. */
  missedPerTB: Interval;
  /** Detected ÷ (detected + missed): Wilson. */
  detectedShare: Interval;
  /** Bundles never delivered ÷ bundles: Wilson. */
  lostShare: Interval;
  /** The satellite processor's seconds per simulated day spent on this suite (signing and on-board checks), mean over seeds: t. */
  cpuSecondsPerDay: Interval;
  /** Downlink octets per day spent on copies the ground discarded, mean over seeds: t. */
  wastedBytesPerDay: Interval;
}

/** The rates of every (scenario, placement, suite), baseline first within each, in grid order. */
export function sweepRows(r: SweepResult): SweepRow[] {
  const c = r.config;
  const rows: SweepRow[] = [];
  const ids = [BASELINE, ...c.suites];
  for (const scenario of c.scenarios) {
    for (const checks of c.checks) {
      const cells = r.cells.filter((x) => x.scenario === scenario && x.checks === checks);
      if (cells.length === 0) continue;
      ids.forEach((id, si) => {
        let bundles = 0, imaged = 0, corrupted = 0, missed = 0, detected = 0, lost = 0;
        const cpu: number[] = [];
        const wasted: number[] = [];
        for (const cell of cells) {
          const t = cell.suites[si]!;
          bundles += cell.bundles;
          imaged += cell.imagedBytes;
          missed += t.outcomes[MISSED]!;
          corrupted += t.outcomes[MISSED]! + t.outcomes[EXPOSURE]!;
          detected += t.outcomes[DETECTED]!;
          lost += t.lost;
          cpu.push(cell.clockHz > 0 ? t.cycles / cell.clockHz / c.days : NaN);
          wasted.push(t.wastedDownlinkBytes / c.days);
        }
        rows.push({
          scenario,
          checks,
          suite: id,
          name: suiteLabel(id),
          seeds: cells.length,
          bundles,
          imagedBytes: imaged,
          corruptedPerTB: garwood(corrupted, imaged / TB),
          missedPerTB: garwood(missed, imaged / TB),
          detectedShare: wilson(detected, detected + missed),
          lostShare: wilson(lost, bundles),
          cpuSecondsPerDay: meanInterval(cpu),
          wastedBytesPerDay: meanInterval(wasted),
        });
      });
    }
  }
  return rows;
}
