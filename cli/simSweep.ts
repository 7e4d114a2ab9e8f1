/**
 * `pibkit sim sweep` — a grid of campaigns (scenarios × where the checks run × seeds,
 * every suite in each) with confidence intervals on every rate, sharded like a single
 * campaign and merged exactly by `pibkit sim merge`.
 */
import { readFileSync } from "node:fs";
import { boardNames, DEFAULT_BOARD } from "../sim/boards.js";
import { PLACEMENTS, SIM_MODES, type Placement, type SimMode } from "../sim/campaign.js";
import { sweepHtml, sweepText } from "../sim/report/sweep.js";
import { DEFAULT_SCENARIO, loadScenario, scenarioNames } from "../sim/scenario.js";
import { resolveShard, shardText, type ShardSpec } from "../sim/shard.js";
import { mergeSweeps, runSweep, SWEEP_FORMAT, sweepCells, type SweepConfig, type SweepResult } from "../sim/sweep.js";
import { parse, usageError } from "./common.js";
import { checkOut } from "./outDir.js";
import { checkRam, requireFirmware } from "./simRam.js";
import { emitResult, mergeResultFiles, type ResultKind } from "./simOutput.js";
import { count } from "./plural.js";
import { progressReporter } from "./progress.js";
import { parseDays, parseSuites, safe, wholeOption } from "./simOptions.js";

const HELP = `usage: pibkit sim sweep [options]

Runs a grid of campaigns — every scenario × every placement of the checks × every
seed, each campaign signing one PIB per suite (plus the no-checksum baseline) on the
same bytes — and reports per scenario, placement and suite the rates an operator
decides from, each with a 95 % interval: corrupted bundles delivered per TB imaged
(Garwood), missed per TB, detected and lost shares (Wilson), satellite CPU seconds per
day and downlink wasted per day (mean over seeds, t). The HTML report plots corrupted
bundles per TB against CPU seconds per day and against downlink wasted, one point per
suite × placement. Shard it like a campaign; merge the shards with pibkit sim merge.

options:
  --scenarios LIST    comma-separated scenarios (default ${DEFAULT_SCENARIO})
  --checks LIST       placements of the checks, from: none (nothing checks), onboard
                      (the satellite before downlink), relays (the ground station on),
                      ground (the destination only); default all four
  --suites LIST       suites to sign with (4|hmac, 5|insecure-md5, 6|insecure-crc32;
                      none is always there as the baseline; default 4,5,6)
  --seeds N           seeds per scenario and placement, 1 to 100000 (default 10)
  --first-seed S      the seeds are S, S+1, … (default 1)
  --days N            days of imaging per campaign, above 0 and at most 3650 (default 30)
  --board NAME        board profile (default ${DEFAULT_BOARD})
  --mode MODE         stat (default: verdicts from the flipped bits), fast or engine
  --scale SCALE       flight (default: the mission's 200 MB images, as pibkit sim) or
                      sim (the scenario's sizes divided by its scale, for quick runs)
  --ram BYTES         the device's RAM instead of the board's (what-if)
  --shard I/N         run the campaigns k with k mod N = I; without it the index comes
                      from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX
  --shards N          shard count when the index comes from the environment
  --json              print the sweep result as JSON on stdout (what merge reads)
  --out DIR           write DIR/sweep.json (sweep-I-of-N.json for a shard) and, when
                      complete, DIR/sweep.html with the trade-off plots
  --quiet             no progress on stderr
  -h, --help          this text

exit status: 0 done, 2 bad usage

examples:
  pibkit sim sweep --days 30 --seeds 20 --out out/sweep
  seq 0 1 | xargs -P 2 -I{} bin/pibkit sim sweep --days 30 --seeds 100 --shard {}/2 --out out/sweep --quiet
  pibkit sim merge out/sweep/sweep-*-of-2.json --out out/sweep
  pibkit sim sweep --scale sim --days 30 --seeds 100 --out out/sweep-sim
  sbatch --array=0-31 --wrap 'bin/pibkit sim sweep --days 365 --seeds 100 --out out/sweep --quiet'

scenarios: ${safe(scenarioNames).join(", ")}
`;

const OPTIONS = {
  scenarios: { type: "string" },
  checks: { type: "string" },
  suites: { type: "string" },
  seeds: { type: "string" },
  "first-seed": { type: "string" },
  days: { type: "string" },
  board: { type: "string" },
  mode: { type: "string" },
  scale: { type: "string" },
  ram: { type: "string" },
  shard: { type: "string" },
  shards: { type: "string" },
  json: { type: "boolean" },
  out: { type: "string" },
  quiet: { type: "boolean" },
} as const;

function list(text: string): string[] {
  return text.split(",").map((x) => x.trim()).filter((x) => x !== "");
}

function once<T>(items: T[], what: string): T[] {
  const twice = items.find((x, i) => items.indexOf(x) !== i);
  if (twice !== undefined) usageError(`${what} lists "${String(twice)}" twice`);
  return items;
}

function parseConfig(v: Partial<Record<keyof typeof OPTIONS, string | boolean>>): SweepConfig {
  const str = (k: keyof typeof OPTIONS): string | undefined => (typeof v[k] === "string" ? (v[k] as string) : undefined);
  const scenarios = once(list(str("scenarios") ?? DEFAULT_SCENARIO), "--scenarios");
  if (scenarios.length === 0) usageError("--scenarios needs at least one scenario");
  for (const s of scenarios) {
    try {
      loadScenario(s);
    } catch (e) {
      usageError((e as Error).message);
    }
  }
  const checks = once(list(str("checks") ?? PLACEMENTS.join(",")), "--checks");
  if (checks.length === 0) usageError("--checks needs at least one placement");
  for (const c of checks) if (!(PLACEMENTS as readonly string[]).includes(c)) usageError(`--checks: unknown placement "${c}" (known: ${PLACEMENTS.join(", ")})`);
  const suiteText = str("suites");
  const signed = suiteText === undefined ? undefined : list(suiteText).filter((x) => x.toLowerCase() !== "none" && x !== "0").join(",");
  if (signed === "") usageError("--suites needs a suite to sign with besides none (the no-checksum baseline is in every sweep)");
  const suites = parseSuites(signed);
  const seedCount = wholeOption("seeds", str("seeds") ?? "10", 1, "a number of seeds", 100000);
  const firstSeed = wholeOption("first-seed", str("first-seed") ?? "1", 0, "a seed");
  if (!Number.isSafeInteger(firstSeed + seedCount)) usageError("--first-seed + --seeds must stay below 2^53");
  const board = str("board") ?? DEFAULT_BOARD;
  const boards = boardNames();
  if (!boards.includes(board)) usageError(`unknown board "${board}" (known: ${boards.join(", ")})`);
  const mode = (str("mode") ?? "stat") as SimMode;
  if (!SIM_MODES.includes(mode)) usageError(`--mode must be stat, fast or engine, got "${mode}"`);
  const scale = str("scale") ?? "flight";
  if (scale !== "sim" && scale !== "flight") usageError(`--scale must be sim or flight, got "${scale}"`);
  const ram = str("ram");
  return {
    scenarios,
    checks: checks as Placement[],
    suites,
    seeds: Array.from({ length: seedCount }, (_, i) => firstSeed + i),
    days: parseDays(str("days"), 30),
    board,
    mode,
    scale,
    ramBytes: ram === undefined ? null : wholeOption("ram", ram, 1, "a number of bytes"),
  };
}


/** pibkit sim sweep */
export async function sweep(argv: string[]): Promise<number> {
  const a = parse(argv, OPTIONS, HELP, false);
  if (!a) return 0;
  const v = a.values;
  const config = parseConfig(v);
  // the same checks as one campaign's (cli/simRam.ts), for every scenario of the grid:
  // below the floor every cell would be 100 % lost, which reads as a finding
  requireFirmware(config.board, config.mode);
  if (config.ramBytes !== null) for (const s of config.scenarios) await checkRam(config.ramBytes, config.mode, loadScenario(s), config.board, config.scale === "flight", config.suites);
  let shard: ShardSpec;
  try {
    shard = resolveShard(v.shard, v.shards, process.env);
  } catch (e) {
    usageError((e as Error).message);
  }
  checkOut(v.out);
  const total = sweepCells(config).length;
  const quiet = v.quiet === true || (v.json === true && !process.stderr.isTTY);
  const report = quiet ? null : progressReporter(shard.count > 1 ? `sim sweep shard ${shardText(shard)}` : "sim sweep", { write: (t) => process.stderr.write(t), tty: process.stderr.isTTY === true });
  const r = await runSweep(config, shard, report === null ? undefined : (done, n) => report(done, n, `${done.toLocaleString("en-US")}/${count(n, "campaign")}${n === total ? "" : ` (of ${total.toLocaleString("en-US")} in the sweep)`}`));
  emitResult(SWEEP, r, v.json === true, v.out, shard);
  return 0;
}

/** Whether a file is a sweep result (merge hands those here). */
export function isSweepFile(path: string): boolean {
  try {
    return (JSON.parse(readFileSync(path, "utf8")) as { format?: unknown }).format === SWEEP_FORMAT;
  } catch {
    return false;
  }
}

/** A sweep's files (cli/simOutput.ts). */
const SWEEP: ResultKind<SweepResult> = {
  stem: "sweep",
  htmlName: "sweep.html",
  format: SWEEP_FORMAT,
  wrongFormat: `not a pibkit sim sweep (${SWEEP_FORMAT}); campaign results and sweeps do not merge together`,
  html: sweepHtml,
  text: sweepText,
  merge: mergeSweeps,
};

/** `pibkit sim merge` on sweep files: the same rules as for campaign shards. */
export function mergeSweepFiles(paths: string[], values: { json?: boolean | undefined; out?: string | undefined; partial?: boolean | undefined }): number {
  return mergeResultFiles(SWEEP, paths, values);
}
