/**
 * `pibkit sim` — the radiation-error simulator (sim/), `pibkit sim sweep` for grids of
 * campaigns (cli/simSweep.ts), and `pibkit sim merge` for either split into shards.
 */
import { SUITES } from "../src/core/suites.js";
import { boardNames, DEFAULT_BOARD } from "../sim/boards.js";
import { runCampaign, SIM_MODES, SUITE_IDS, type SimMode } from "../sim/campaign.js";
import { htmlReport } from "../sim/report/html.js";
import { summaryText } from "../sim/report/text.js";
import { mergeResults, RESULT_FORMAT, type SimResult } from "../sim/result.js";
import { DEFAULT_SCENARIO, loadScenario, scenarioNames } from "../sim/scenario.js";
import { resolveShard, shardText, type ShardSpec } from "../sim/shard.js";
import { parse, usageError } from "./common.js";
import { checkOut } from "./outDir.js";
import { checkRam, requireFirmware } from "./simRam.js";
import { emitResult, mergeResultFiles, type ResultKind } from "./simOutput.js";
import { isSweepFile, mergeSweepFiles, sweep } from "./simSweep.js";
import { MAX_DAYS, parseChecks, parseDays, parseSuites, safe, wholeOption } from "./simOptions.js";
import { count } from "./plural.js";
import { progressReporter } from "./progress.js";

/**
 * What a bare `pibkit sim` runs: the mission's flight sizes (200 MB images, the
 * scenario's daily volume, the board's RAM) in statistical mode. Engine mode streams
 * every image through the built firmware in QuickJS within the board's RAM too, but a
 * flight-size day of it takes over half an hour of CPU (docs/simulator.md, "Performance"),
 * so it is asked for with --mode engine.
 */
const DEFAULT_MODE: SimMode = "stat";
const DEFAULT_SCALE = "flight";

const HELP = `usage: pibkit sim [options]
       pibkit sim sweep [options]                      (pibkit sim sweep --help)
       pibkit sim merge FILE... [--out DIR] [--json]   (pibkit sim merge --help)

Simulates image bundles on a satellite's solid-state recorder hit by radiation, signed
by the pibkit firmware with one PIB per ciphersuite, downlinked and relayed; reports
per suite what was delivered intact, detected, MISSED, falsely discarded, lost to
out-of-memory, or corrupted before signing (exposure window, no checksum can see it).
The summary goes to stdout, progress to stderr; no file is written without --out.

options:
  --scenario NAME     scenario file sim/scenarios/NAME.json (default ${DEFAULT_SCENARIO})
  --board NAME        board profile targets/boards/NAME.json (default ${DEFAULT_BOARD})
  --suites LIST       suites to sign with, in signing order: ids or names
                      (${SUITES.map((s) => `${s.id}|${s.cli}`).join(", ")}; default ${SUITE_IDS.join(",")})
  --days N            days of imaging to simulate, above 0 and at most ${MAX_DAYS}
                      (fractions allowed; default: the scenario's)
  --seed S            random seed, 0 to 2^53-1 (default 1); same seed, same report
  --mode MODE         stat (default): verdicts from each bundle's flipped bits (CRC-32C
                      by its syndrome, exact; MD5/HMAC: any flip is caught), bytes only
                      for the rare bundle hit in its header; a flight-size day in ~1 s
                      engine: the built firmware file in QuickJS under the board's RAM,
                      every image streamed through it (flight size: ~3 min of CPU
                      per image with three suites; sim size: seconds a day)
                      fast: the same agent on the Node build, for large campaigns
  --scale SCALE       flight (default): the mission's real sizes (200 MB images);
                      sim: the scenario's sizes divided by its scale, for quick runs
  --ram BYTES         give the device this much RAM instead of the board's (what-if;
                      labelled as an assumption in the report)
  --onboard-cpu PCT   share of the satellite processor's time its PIB checks before
                      downlink may take, 0 to 100 (draft §5's CPU threshold): a check
                      takes its cycles at the board's clock, so it can make a bundle
                      miss its pass; over the share a bundle goes unchecked; 0 never
                      checks on board (default 25, an assumption)
  --checks WHERE      where PIBs are checked: none, onboard (before downlink, within
                      --onboard-cpu), relays (ground station on), ground (destination
                      only); default: on board within --onboard-cpu and at the ground
                      station
  --shard I/N         run shard I of N (bundles k with k mod N = I); without it the index
                      comes from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX
  --shards N          shard count when the index comes from the environment
                      (Slurm sets SLURM_ARRAY_TASK_COUNT itself)
  --json              print the full result as JSON on stdout (what merge reads)
  --out DIR           write DIR/result.json (result-I-of-N.json for a shard) and
                      DIR/report.html (one self-contained file with the plots); DIR is
                      created, and checked to be writable before the run starts
  --quiet             no progress on stderr
  -h, --help          this text (pibkit sim merge --help: merging shards)
  --version           print pibkit's version and exit

exit status: 0 done, 2 bad usage (one line on stderr naming the value and what is allowed)

examples:
  pibkit sim --days 2 --out out/report      # out/ is ignored by git
  pibkit sim --days 365 --quiet             # a flight-size year in stat mode, seconds
  pibkit sim --mode engine --scale sim      # the built firmware on every bundle, 1 MB images
  pibkit sim --mode engine --days 0.25      # flight size on the exact firmware: minutes per image
  pibkit sim --mode fast --scale sim --days 30 --shard 0/4 --out out/runs --quiet

scenarios: ${safe(scenarioNames).join(", ")}
boards: ${safe(boardNames).join(", ")}
`;

const MERGE_HELP = `usage: pibkit sim merge FILE... [--out DIR] [--json] [--partial]

Adds shard results (the result-I-of-N.json files of --out, or saved --json output) into
the result of the whole campaign — exactly the totals of one run — and prints it like a
run: the summary on stdout (--json: the merged result), DIR/result.json and
DIR/report.html with --out. Shards of a sweep (sweep-I-of-N.json) merge the same way
into the whole sweep (DIR/sweep.json, DIR/sweep.html). Every shard must be given once:
a missing shard is an error naming it, unless --partial is given.

options:
  --json              print the merged result as JSON on stdout
  --out DIR           write DIR/result.json and DIR/report.html (DIR is created)
  --partial           merge the shards that are there: the summary and the result's
                      missingShards name the others (no report.html: its rates would
                      be of part of the campaign)
  -h, --help          this text
  --version           print pibkit's version and exit

exit status: 0 done, 2 bad usage or results that do not belong together

examples:
  pibkit sim merge out/runs/result-*-of-4.json --out out/merged
  pibkit sim merge out/sweep/sweep-*-of-2.json --out out/sweep
`;

const OPTIONS = {
  scenario: { type: "string" },
  board: { type: "string" },
  suites: { type: "string" },
  days: { type: "string" },
  seed: { type: "string" },
  mode: { type: "string" },
  scale: { type: "string" },
  ram: { type: "string" },
  "onboard-cpu": { type: "string" },
  checks: { type: "string" },
  shard: { type: "string" },
  shards: { type: "string" },
  json: { type: "boolean" },
  out: { type: "string" },
  quiet: { type: "boolean" },
} as const;

const MERGE_OPTIONS = {
  json: { type: "boolean" },
  out: { type: "string" },
  partial: { type: "boolean" },
} as const;

function parseSeed(text: string | undefined): number {
  return text === undefined ? 1 : wholeOption("seed", text, 0, "a seed");
}

function parseCpu(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^[0-9]+(\.[0-9]+)?%?$/.test(text) ? Number(text.replace(/%$/, "")) : NaN;
  if (!(n >= 0 && n <= 100)) usageError(`--onboard-cpu must be a percentage from 0 to 100 (e.g. 25), got "${text}"`);
  return n;
}

/** Progress on stderr (cli/progress.ts): exact counts and percentage. */
function progress(quiet: boolean, label: string): ((done: number, total: number) => void) | undefined {
  if (quiet) return undefined;
  const report = progressReporter(label, { write: (t) => process.stderr.write(t), tty: process.stderr.isTTY === true });
  return (done, total) => report(done, total, `${done.toLocaleString("en-US")}/${count(total, "bundle")}`);
}

/** A campaign's files (cli/simOutput.ts); a partial merge records the shards it lacks in the result. */
const CAMPAIGN: ResultKind<SimResult> = {
  stem: "result",
  htmlName: "report.html",
  format: RESULT_FORMAT,
  wrongFormat: `not a pibkit sim result (${RESULT_FORMAT})`,
  html: htmlReport,
  text: summaryText,
  merge: mergeResults,
  written: (r, missing) => {
    // a field carried over from a partial input is recomputed
    const { missingShards: _stale, ...whole } = r as SimResult & { missingShards?: number[] };
    return missing.length > 0 ? ({ ...whole, missingShards: missing } as SimResult) : whole;
  },
};

function merge(argv: string[]): number {
  const a = parse(argv, MERGE_OPTIONS, MERGE_HELP);
  if (!a) return 0;
  if (a.positionals.length === 0) usageError("merge needs at least one result file (see --help)");
  if (a.positionals.some(isSweepFile)) return mergeSweepFiles(a.positionals, a.values);
  return mergeResultFiles(CAMPAIGN, a.positionals, a.values);
}

export async function run(argv: string[]): Promise<number> {
  if (argv[0] === "merge") return merge(argv.slice(1));
  if (argv[0] === "sweep") return sweep(argv.slice(1));
  const a = parse(argv, OPTIONS, HELP, false);
  if (!a) return 0;
  const v = a.values;
  const scenarioName = v.scenario ?? DEFAULT_SCENARIO;
  let scenario;
  try {
    scenario = loadScenario(scenarioName);
  } catch (e) {
    usageError((e as Error).message);
  }
  const board = v.board ?? DEFAULT_BOARD;
  const names = boardNames();
  if (!names.includes(board)) usageError(`unknown board "${board}" (known: ${names.join(", ")})`);
  const mode = (v.mode ?? DEFAULT_MODE) as SimMode;
  if (!SIM_MODES.includes(mode)) usageError(`--mode must be engine, fast or stat, got "${mode}"`);
  const scale = v.scale ?? DEFAULT_SCALE;
  if (scale !== "sim" && scale !== "flight") usageError(`--scale must be sim or flight, got "${scale}"`);
  let shard: ShardSpec;
  try {
    shard = resolveShard(v.shard, v.shards, process.env);
  } catch (e) {
    usageError((e as Error).message);
  }
  const label = shard.count > 1 ? `sim shard ${shardText(shard)}` : "sim";
  const suites = parseSuites(v.suites);
  const days = parseDays(v.days, scenario.sim.days.value);
  const seed = parseSeed(v.seed);
  const ramBytes = v.ram === undefined ? undefined : wholeOption("ram", v.ram, 1, "a number of bytes");
  const onboardCpuPercent = parseCpu(v["onboard-cpu"]);
  const checks = parseChecks(v.checks);
  if (checks !== undefined && checks !== "onboard" && onboardCpuPercent !== undefined) usageError(`--onboard-cpu applies to checks on board; --checks ${checks} has none`);
  requireFirmware(board, mode);
  if (ramBytes !== undefined) await checkRam(ramBytes, mode, scenario, board, scale === "flight", suites);
  checkOut(v.out);
  const r = await runCampaign({
    scenario: scenarioName,
    board,
    suites,
    days,
    seed,
    mode,
    scale,
    ramBytes,
    onboardCpuPercent,
    checks,
    shard,
    onProgress: progress(v.quiet === true || v.json === true && !process.stderr.isTTY, label),
  });
  emitResult(CAMPAIGN, r, v.json === true, v.out, shard);
  return 0;
}
