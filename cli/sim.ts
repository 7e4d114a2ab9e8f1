/**
 * `pibkit sim` — the radiation-error simulator (sim/), and `pibkit sim merge` for
 * campaigns split into shards.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { suiteKindByName } from "../src/suites.js";
import { boardNames, DEFAULT_BOARD } from "../sim/boards.js";
import { runCampaign, SUITE_IDS } from "../sim/campaign.js";
import { htmlReport } from "../sim/report/html.js";
import { summaryText } from "../sim/report/text.js";
import { isComplete, mergeResults, MergeError, RESULT_FORMAT, type SimResult } from "../sim/result.js";
import { DEFAULT_SCENARIO, loadScenario, scenarioNames } from "../sim/scenario.js";
import { resolveShard, shardText, type ShardSpec } from "../sim/shard.js";
import { intOption, parse, usageError } from "./common.js";

const HELP = `usage: pibkit sim [options]
       pibkit sim merge FILE... [--out DIR] [--json]

Simulates image bundles on a satellite's solid-state recorder hit by radiation, signed
by the pibkit firmware with one PIB per ciphersuite, downlinked and relayed; reports
per suite what was delivered intact, detected, MISSED, falsely discarded, lost to
out-of-memory, or corrupted before signing (exposure window, no checksum can see it).

options:
  --scenario NAME     scenario file sim/scenarios/NAME.json (default ${DEFAULT_SCENARIO})
  --board NAME        board profile targets/boards/NAME.json (default ${DEFAULT_BOARD})
  --suites LIST       suites to sign with, in signing order: ids or names
                      (4|hmac, 5|insecure-md5, 6|insecure-crc32; default 4,5,6)
  --days N            days of imaging to simulate (default: the scenario's)
  --seed S            random seed, a non-negative integer (default 1); same seed, same report
  --mode MODE         engine: the built firmware in QuickJS under the board's RAM (default)
                      fast: the same agent on the Node build, for large campaigns
  --scale SCALE       sim: the scenario's scaled sizes (default); flight: real sizes
  --ram BYTES         give the device this much RAM instead of the board's (what-if;
                      labelled as an assumption in the report)
  --onboard-budget B  bytes per bundle the satellite may check before downlink, at
                      flight size (unlimited or =-1: all, 0: never; default 16 MiB, an
                      assumption)
  --shard I/N         run shard I of N (bundles k with k mod N = I); without it the index
                      comes from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX
  --shards N          shard count when the index comes from the environment
                      (Slurm sets SLURM_ARRAY_TASK_COUNT itself)
  --json              print the full result as JSON on stdout (what merge reads)
  --out DIR           write DIR/result.json (result-I-of-N.json for a shard) and
                      DIR/report.html (one self-contained file with the plots)
  --quiet             no progress on stderr

merge: adds shard results (JSON files from --json or --out) into the result of the
whole campaign — exactly the totals of one run — and prints/writes it like a run.

scenarios: ${safe(scenarioNames).join(", ")}
boards: ${safe(boardNames).join(", ")}
`;

function safe(f: () => string[]): string[] {
  try {
    return f();
  } catch {
    return [];
  }
}

const OPTIONS = {
  scenario: { type: "string" },
  board: { type: "string" },
  suites: { type: "string" },
  days: { type: "string" },
  seed: { type: "string" },
  mode: { type: "string" },
  scale: { type: "string" },
  ram: { type: "string" },
  "onboard-budget": { type: "string" },
  shard: { type: "string" },
  shards: { type: "string" },
  json: { type: "boolean" },
  out: { type: "string" },
  quiet: { type: "boolean" },
} as const;

const MERGE_OPTIONS = {
  json: { type: "boolean" },
  out: { type: "string" },
} as const;

const SUITE_BY_KIND: Record<number, number> = { 1: 4, 2: 5, 3: 6 };

function parseSuites(text: string | undefined): number[] {
  if (text === undefined) return [...SUITE_IDS];
  const out: number[] = [];
  for (const part of text.split(",")) {
    const p = part.trim().toLowerCase();
    if (/^(0x)?[0-9a-f]+$/.test(p) && /^(0x0?)?[456]$/.test(p)) out.push(Number(p.replace(/^0x/, "")));
    else if (suiteKindByName(p) !== 0) out.push(SUITE_BY_KIND[suiteKindByName(p)]!);
    else usageError(`unknown suite "${part}" (known: 4 or hmac, 5 or insecure-md5, 6 or insecure-crc32)`);
  }
  if (new Set(out).size !== out.length) usageError("--suites lists a suite twice");
  return out;
}

function parseDays(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text)) usageError(`--days must be a positive number, got "${text}"`);
  const d = Number(text);
  if (!(d > 0) || d > 3650) usageError(`--days must be in (0, 3650], got "${text}"`);
  return d;
}

function parseSeed(text: string | undefined): number {
  if (text === undefined) return 1;
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(Number(text))) usageError(`--seed must be a non-negative integer below 2^53, got "${text}"`);
  return Number(text);
}

/** Progress on stderr: a bar on a terminal, a line per 10 % otherwise. */
function progress(quiet: boolean, label: string): ((done: number, total: number) => void) | undefined {
  if (quiet) return undefined;
  const tty = process.stderr.isTTY === true;
  let lastTenth = -1;
  return (done, total) => {
    if (tty) {
      const w = 30;
      const k = total > 0 ? Math.round((done / total) * w) : w;
      process.stderr.write(`\r${label} [${"#".repeat(k)}${".".repeat(w - k)}] ${done}/${total} bundles`);
      if (done === total) process.stderr.write("\n");
      return;
    }
    const tenth = total > 0 ? Math.floor((done * 10) / total) : 10;
    if (tenth !== lastTenth) {
      lastTenth = tenth;
      process.stderr.write(`${label}: ${done}/${total} bundles (${tenth * 10}%)\n`);
    }
  };
}

function emit(r: SimResult, json: boolean, out: string | undefined, shard: ShardSpec | null): void {
  if (out !== undefined) {
    mkdirSync(out, { recursive: true });
    const name = shard && shard.count > 1 ? `result-${shard.index}-of-${shard.count}.json` : "result.json";
    writeFileSync(join(out, name), JSON.stringify(r) + "\n");
    if (isComplete(r)) writeFileSync(join(out, "report.html"), htmlReport(r));
  }
  if (json) process.stdout.write(JSON.stringify(r) + "\n");
  else process.stdout.write(summaryText(r));
  if (out !== undefined && !json) {
    process.stdout.write(isComplete(r) ? `report: ${join(out, "report.html")}\n` : `shard result: ${out} (merge all shards with pibkit sim merge)\n`);
  }
}

function readResult(path: string): SimResult {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    const err = e as { code?: string; message?: string };
    usageError(`${path}: ${err.code === "ENOENT" ? "no such file" : "not JSON (" + (err.message ?? "") + ")"}`);
  }
  if (typeof raw !== "object" || raw === null || (raw as { format?: unknown }).format !== RESULT_FORMAT) usageError(`${path}: not a pibkit sim result (${RESULT_FORMAT})`);
  return raw as SimResult;
}

function merge(argv: string[]): number {
  const a = parse(argv, MERGE_OPTIONS, HELP);
  if (!a) return 0;
  if (a.positionals.length === 0) usageError("merge needs at least one result file (see --help)");
  let r: SimResult;
  try {
    r = mergeResults(a.positionals.map(readResult));
  } catch (e) {
    if (e instanceof MergeError) usageError(e.message);
    throw e;
  }
  emit(r, a.values.json === true, a.values.out, null);
  return 0;
}

export async function run(argv: string[]): Promise<number> {
  if (argv[0] === "merge") return merge(argv.slice(1));
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
  const mode = v.mode ?? "engine";
  if (mode !== "engine" && mode !== "fast") usageError(`--mode must be engine or fast, got "${mode}"`);
  const scale = v.scale ?? "sim";
  if (scale !== "sim" && scale !== "flight") usageError(`--scale must be sim or flight, got "${scale}"`);
  let shard: ShardSpec;
  try {
    shard = resolveShard(v.shard, v.shards, process.env);
  } catch (e) {
    usageError((e as Error).message);
  }
  const label = shard.count > 1 ? `sim shard ${shardText(shard)}` : "sim";
  const r = await runCampaign({
    scenario: scenarioName,
    board,
    suites: parseSuites(v.suites),
    days: parseDays(v.days, scenario.sim.days.value),
    seed: parseSeed(v.seed),
    mode,
    scale,
    ramBytes: v.ram === undefined ? undefined : intOption("ram", v.ram, 0) || usageError("--ram must be above 0"),
    onboardBudgetBytes: v["onboard-budget"] === "-1" || v["onboard-budget"] === "unlimited" ? -1 : v["onboard-budget"] === undefined ? undefined : intOption("onboard-budget", v["onboard-budget"], 0),
    shard,
    onProgress: progress(v.quiet === true || v.json === true && !process.stderr.isTTY, label),
  });
  emit(r, v.json === true, v.out, shard);
  return 0;
}
