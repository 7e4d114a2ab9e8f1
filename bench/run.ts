/**
 * `pibkit bench`: every contender side by side in one run — on Node at each size, then
 * the pure-JS ones inside QuickJS, then (bench/pibBench.ts) PIB sign and verify —
 * with the project's performance goals checked against what was measured.
 */
import { cpus } from "node:os";
import { count } from "../cli/plural.js";
import { benchInput, benchKey, FULL_SIZES, QUICK_SIZES, QUICKJS_SIZE } from "./data.js";
import { costsFile, hostClock, suiteCosts, writeCosts, type CostsFile, type SuiteCost } from "./costs.js";
import { ALGS, type Alg } from "./impls.js";
import { measure, type RoundOptions } from "./measure.js";
import { expectedHex, nodeImpls } from "./nodeImpls.js";
import { PIB_SIZES, PIB_SIZES_QUICK, PIB_SUITES, pibGoals, pibTable, runPibBench, signedBundles } from "./pibBench.js";
import { FIRMWARE_ALGS, runQuickJsFirmware, runQuickJsPeers, runQuickJsStream, speedBoards, STREAM_PIECE } from "./quickjs.js";
import { fastestPeer, find, fmt, type Goal, jsonRows, nodeTables, quickJsTable, ratio, type Row, sizeLabel } from "./report.js";

export interface BenchOptions {
  quick: boolean;
  writeCosts: boolean;
  /** Called as each measurement starts: step `step` of `total` (1-based), and what it measures. */
  progress: (step: number, total: number, msg: string) => void;
}

/** The machine a run was measured on: figures mean little without it. */
export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  clockHz: number;
  clockSource: string;
}

export function machine(): Machine {
  const clock = hostClock();
  return { cpu: cpus()[0]?.model?.trim() || "unknown", cores: cpus().length, node: process.version, clockHz: Math.round(clock.hz), clockSource: clock.source };
}

/** The line naming the machine, printed at the top of the report. */
export function machineLine(m: Machine): string {
  return `Node ${m.node} on ${m.cpu} (${count(m.cores, "core")}, ${(m.clockHz / 1e9).toFixed(2)} GHz)`;
}

/** What --quick says at the top of its report and beside each goal. */
export const QUICK_NOTE =
  "--quick: fewer and shorter rounds, 1 MiB instead of 16 MiB: the figures are INDICATIVE only (a smoke test); quote a full run";

export interface BenchResult {
  rows: Row[];
  sizes: number[];
  goals: Goal[];
  /** With `boards`: the costs of each speed-first board's own build (the simulator reads them for that board). */
  costs: (CostsFile & { boards?: Record<string, { firmware: string; suites: SuiteCost[] }> }) | null;
  costsPath: string | null;
  header: string;
  /** A --quick run: every figure indicative. */
  quick?: boolean;
  machine?: Machine;
}

/**
 * Node: full = 7 rounds × 150 ms after 100 ms warm-up, quick = 3 × 20 ms after 10 ms.
 * QuickJS (no JIT; its VM is warmed up once, see quickjs.ts): 5 × 150 ms, quick 3 × 30 ms.
 */
export function roundOptions(quick: boolean): { node: RoundOptions; quickjs: RoundOptions } {
  return quick
    ? { node: { rounds: 3, roundMs: 20, warmupMs: 10 }, quickjs: { rounds: 3, roundMs: 30, warmupMs: 0 } }
    : { node: { rounds: 7, roundMs: 150, warmupMs: 100 }, quickjs: { rounds: 5, roundMs: 150, warmupMs: 0 } };
}

export async function runBench(o: BenchOptions): Promise<BenchResult> {
  const sizes = o.quick ? QUICK_SIZES : FULL_SIZES;
  const ro = roundOptions(o.quick);
  const key = benchKey();
  const impls = await nodeImpls(key);
  const rows: Row[] = [];
  // Every measurement, counted before the first so progress can say "n of m".
  const quickJsPeers = impls.filter((i) => i.kind === "pibkit" || i.kind === "js").length;
  const fwSizes = [64, QUICKJS_SIZE];
  const fwBundles = signedBundles(fwSizes);
  const boards = speedBoards();
  const total =
    sizes.length * impls.length + quickJsPeers + (1 + boards.length) * FIRMWARE_ALGS.length + (1 + boards.length) * (fwSizes.length * FIRMWARE_ALGS.length + fwBundles.length) + fwBundles.filter((b) => b.payload === QUICKJS_SIZE).length /* whole and in pieces, one interleaved step */ + (o.quick ? PIB_SIZES_QUICK : PIB_SIZES).length * PIB_SUITES.length;
  let step = 0;
  const progress = (msg: string): void => o.progress(++step, total, msg);

  for (const size of sizes) {
    const data = benchInput(size);
    for (const alg of ALGS) {
      const expected = expectedHex(alg, data, key);
      for (const impl of impls.filter((i) => i.alg === alg)) {
        progress(`node ${alg} ${impl.impl} ${sizeLabel(size)}`);
        const m = measure(impl, data, expected, ro.node);
        rows.push({ alg, impl: impl.impl, bytes: size, mbps: m.mbps, engine: "node", op: "digest", kind: impl.kind, nsPerOp: m.nsPerCall });
      }
    }
  }

  // QuickJS: the interpreter build of pibkit against the pure-JS peers at 64 KiB, with the
  // firmware builds (generic, and each speed-first board's) timed in the same VM, interleaved:
  // these are the rows the QuickJS goals compare ...
  for (const r of await runQuickJsPeers([QUICKJS_SIZE], ro.quickjs, progress, [undefined, ...boards])) {
    rows.push({ ...r, engine: "quickjs", kind: r.impl === "pibkit" ? "pibkit" : "js", nsPerOp: r.nsPerCall });
  }
  // ... and the generic firmware (what a board and the simulator run) in a VM of its own, for
  // the cost figures (digests at 64 B and 64 KiB, PIB verify), which the goals do not read.
  const fw = await runQuickJsFirmware(fwSizes, fwBundles, ro.quickjs, progress);
  // ... and the on-board streaming verifier: the same bundles whole and in 64 KiB pieces
  for (const r of await runQuickJsStream(fwBundles.filter((b) => b.payload === QUICKJS_SIZE), ro.quickjs, progress)) {
    rows.push({ ...r, impl: "pibkit", engine: "quickjs", kind: "pibkit", nsPerOp: r.nsPerCall, variant: r.impl });
  }
  const costs: CostsFile & { boards?: Record<string, { firmware: string; suites: SuiteCost[] }> } = costsFile(fw.rows, QUICKJS_SIZE, fw.source);
  // ... and the speed-first firmware of each board that asks for it: its own costs for the simulator
  for (const board of boards) {
    const b = await runQuickJsFirmware(fwSizes, fwBundles, ro.quickjs, progress, board);
    (costs.boards ??= {})[board] = { firmware: b.source, suites: suiteCosts(b.rows, QUICKJS_SIZE, hostClock().hz) };
  }
  const costsPath = o.writeCosts ? writeCosts(costs) : null;

  const pib = await runPibBench(o.quick, ro.node, progress);
  rows.push(...pib);

  const m = machine();
  const header =
    `pibkit bench${o.quick ? " --quick" : ""}: MB/s = 10^6 octets per second of CPU time, median of ${ro.node.rounds} rounds (QuickJS ${ro.quickjs.rounds}); ` +
    `every output checked against node:crypto (CRC-32C: @node-rs/crc32, itself checked on the published vectors).\n` +
    machineLine(m) +
    (o.quick ? `\n${QUICK_NOTE}` : "");
  return { rows, sizes, goals: goals(rows, sizes), costs, costsPath, header, quick: o.quick, machine: m };
}

function minOver(sizes: number[], f: (n: number) => number): { min: number; at: number } {
  let min = Infinity;
  let at = 0;
  for (const n of sizes) {
    const x = f(n);
    if (!(x >= min)) {
      min = x;
      at = n;
    }
  }
  return { min, at };
}

/** The project's performance goals, each with what this run reached. */
export function goals(rows: Row[], sizes: number[]): Goal[] {
  const mb = (alg: Alg, impl: string, n: number): number => find(rows, "node", "digest", alg, impl, n)?.mbps ?? NaN;
  const fromKiB = sizes.filter((n) => n >= 1024);
  const out: Goal[] = [];
  const crc = minOver(fromKiB, (n) => mb("crc32c", "pibkit", n) / mb("crc32c", "crc-32", n));
  out.push({ goal: "CRC-32C ≥ 1.0× crc-32 from 1 KiB up", reached: `${ratio(crc.min)} (lowest, at ${sizeLabel(crc.at)})`, ok: crc.min >= 1 });
  const md5 = minOver(fromKiB, (n) => mb("md5", "pibkit", n) / (fastestPeer(rows, "node", "md5", n)?.mbps ?? NaN));
  out.push({ goal: "MD5 ≥ 1.3× the fastest pure-JS peer (1 KiB up)", reached: `${ratio(md5.min)} (lowest, at ${sizeLabel(md5.at)})`, ok: md5.min >= 1.3 });
  const hm = minOver(fromKiB, (n) => mb("hmac-sha1", "pibkit", n) / mb("hmac-sha1", "@noble/hashes", n));
  out.push({ goal: "HMAC-SHA1 ≥ 2× @noble/hashes (1 KiB up)", reached: `${ratio(hm.min)} (lowest, at ${sizeLabel(hm.at)})`, ok: hm.min >= 2 });
  const behind: string[] = [];
  for (const alg of ALGS) {
    const mine = mb(alg, "pibkit", 64);
    for (const r of rows) {
      if (r.engine === "node" && r.op === "digest" && r.alg === alg && r.bytes === 64 && r.impl !== "pibkit" && !(mine > r.mbps)) {
        behind.push(`${alg} vs ${r.impl} ${ratio(mine / r.mbps)}`);
      }
    }
  }
  out.push({ goal: "at 64 B every primitive ahead of every peer", reached: behind.length ? `behind: ${behind.join(", ")}` : "ahead of all", ok: behind.length === 0 });
  const q: string[] = [];
  let qok = true;
  for (const alg of ALGS) {
    const mine = find(rows, "quickjs", "digest", alg, "pibkit", QUICKJS_SIZE)?.mbps ?? NaN;
    const peer = fastestPeer(rows, "quickjs", alg, QUICKJS_SIZE);
    const x = mine / (peer?.mbps ?? NaN);
    if (!(x > 1)) qok = false;
    q.push(`${alg} ${ratio(x)} vs ${peer?.impl ?? "-"}`);
  }
  out.push({ goal: `QuickJS (${sizeLabel(QUICKJS_SIZE)}): each ahead of the fastest pure-JS peer`, reached: q.join(", "), ok: qok });
  // The same question for the firmware build a board runs (one CRC table, looped MD5/SHA-1: smaller, slower).
  const fw: string[] = [];
  let fwok = true;
  for (const alg of ALGS) {
    const mine = rows.find((r) => r.engine === "quickjs" && r.op === "digest" && r.alg === alg && r.variant === "firmware" && r.bytes === QUICKJS_SIZE);
    if (!mine) continue;
    const peer = fastestPeer(rows, "quickjs", alg, QUICKJS_SIZE);
    const x = mine.mbps / (peer?.mbps ?? NaN);
    if (!(x > 1)) fwok = false;
    fw.push(`${alg} ${ratio(x)} vs ${peer?.impl ?? "-"}`);
  }
  if (fw.length) out.push({ goal: `QuickJS (${sizeLabel(QUICKJS_SIZE)}), firmware build: each ahead of the fastest pure-JS peer`, reached: fw.join(", "), ok: fwok });
  // The size-first build keeps MD5 cheaper than HMAC-SHA1 (the reason the draft offers the MD5 suite)
  const fwMb = (alg: Alg, variant: string): number =>
    rows.find((r) => r.engine === "quickjs" && r.op === "digest" && r.alg === alg && r.variant === variant && r.bytes === QUICKJS_SIZE)?.mbps ?? NaN;
  if (fw.length) {
    const x = fwMb("md5", "firmware") / fwMb("hmac-sha1", "firmware");
    out.push({ goal: "QuickJS, size-first firmware: MD5 at least as fast as HMAC-SHA1", reached: `${ratio(x)} (${fmt(fwMb("md5", "firmware"))} vs ${fmt(fwMb("hmac-sha1", "firmware"))} MB/s)`, ok: x >= 1 });
  }
  // A bundle streamed through the on-board path costs what it costs whole (the pieces only add calls)
  const streamed: string[] = [];
  let sok = true;
  for (const r of rows.filter((x) => x.engine === "quickjs" && x.variant === "on-board stream")) {
    const whole = rows.find((x) => x.variant === "on-board whole" && x.alg === r.alg && x.bytes === r.bytes);
    if (!whole) continue;
    const x = r.mbps / whole.mbps;
    if (!(x >= 0.95)) sok = false;
    streamed.push(`${r.alg} ${Math.round(100 * x)} %`);
  }
  if (streamed.length) out.push({ goal: `QuickJS, on-board streaming verify in ${sizeLabel(STREAM_PIECE)} pieces: ≥ 95 % of the whole-buffer verify`, reached: streamed.join(", "), ok: sok });
  // Boards with room get the speed-first primitives (board profile "primitives": "speed")
  for (const variant of [...new Set(rows.map((r) => r.variant).filter((v): v is string => v !== undefined && v.startsWith("firmware:")))]) {
    const parts: string[] = [];
    let ok = true;
    for (const alg of FIRMWARE_ALGS) {
      const peer = fastestPeer(rows, "quickjs", alg, QUICKJS_SIZE);
      const x = fwMb(alg, variant) / (peer?.mbps ?? NaN);
      if (!(x >= 1.2)) ok = false;
      parts.push(`${alg} ${ratio(x)} vs ${peer?.impl ?? "-"}`);
    }
    out.push({ goal: `QuickJS (${sizeLabel(QUICKJS_SIZE)}), speed-first firmware for ${variant.slice(9)}: each ≥ 1.2× the fastest pure-JS peer`, reached: parts.join(", "), ok });
  }
  out.push(...pibGoals(rows));
  return out;
}

/** What --json prints: the machine, whether the run was --quick (indicative), the rows. */
export function jsonReport(r: BenchResult): { machine: Machine | undefined; quick: boolean; rows: unknown[] } {
  return { machine: r.machine, quick: r.quick === true, rows: jsonRows(r.rows) };
}

/** `[ ok ]`/`[MISS]` on a full run; a --quick run's marks say they are indicative. */
export function goalMark(ok: boolean, quick: boolean): string {
  if (quick) return ok ? "[ok, indicative]  " : "[miss, indicative]"; // same width, so the goals line up
  return ok ? "[ ok ]" : "[MISS]";
}

/** The whole text report. */
export function textReport(r: BenchResult): string {
  let s = r.header + "\n";
  s += nodeTables(r.rows, ALGS, r.sizes);
  s += quickJsTable(r.rows, ALGS, QUICKJS_SIZE);
  s += pibTable(r.rows);
  if (r.costs) {
    const line = (c: SuiteCost): string =>
      `  0x0${c.suite} ${c.name.padEnd(19)} digest ${fmt(c.quickjsBytesPerSecond / 1e6)} MB/s = ${fmt(c.cyclesPerByte)} cycles/byte + ${fmt(c.cyclesPerCall)}/call;` +
      ` verify ${fmt(c.verifyCyclesPerByte)} cycles/byte + ${fmt(c.verifyCyclesPerBundle)}/bundle\n`;
    s += `\nQuickJS cost per suite on ${r.costs.firmware}, host cycles (${r.costsPath ? "written to " + r.costsPath : "not written: add --write-costs"})\n`;
    for (const c of r.costs.suites) s += line(c);
    for (const [board, b] of Object.entries(r.costs.boards ?? {})) {
      s += `  the speed-first build board ${board} gets (${b.firmware}):\n`;
      for (const c of b.suites) s += line(c);
    }
  }
  s += r.quick ? "\nGoals (indicative: a --quick run; judge goals on a full run)\n" : "\nGoals\n";
  for (const g of r.goals) s += `  ${goalMark(g.ok, r.quick === true)} ${g.goal}: ${g.reached}\n`;
  return s;
}
