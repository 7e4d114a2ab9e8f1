/**
 * What `sim` and `sim sweep` check before a run about the device they are asked for: that
 * the firmware its board runs is built (engine and stat modes load it), and that
 * `--ram BYTES` lets the device start.
 */
import { existsSync } from "node:fs";
import { relative } from "node:path";
import { DEFAULT_SUITE_IDS, suiteKind } from "../src/core/suites.js";
import { loadBoard } from "../sim/boards.js";
import { bundleCapacity, type SimMode } from "../sim/campaign.js";
import { DEFAULT_STACK_BYTES, firmwarePath, repoRoot, smallestRam, startsWith, type DeviceMode } from "../sim/device.js";
import { fmtBytes } from "../sim/report/svg.js";
import type { Scenario } from "../sim/scenario.js";
import { usageError } from "./common.js";

/**
 * Engine and stat modes run the board's firmware file (stat mode's witness signs with it):
 * a clone where only the ground tools are built has none yet. A usage error naming the
 * file and the command that builds it, before the run, where the run itself would fail
 * on its first bundle (and `--ram` would find no RAM enough).
 */
export function requireFirmware(board: string, mode: SimMode): void {
  if (mode === "fast") return;
  const path = firmwarePath(loadBoard(board));
  if (!existsSync(path)) usageError(`${relative(repoRoot(), path)}, the firmware ${board} runs in ${mode} mode, is not built: run \`make\` (or \`node targets/build/build.mjs\`) first`);
}

/**
 * Checks before the run that `--ram BYTES` lets the device start: the board's own
 * firmware loaded (a speed-first board's build, with its larger tables, where it has one)
 * and the buffers for one of the scenario's bundles allocated. Below that every bundle would
 * be out of memory (fast mode) or the VM could not even define its host functions
 * (engine mode): a usage error naming the smallest value that starts. Fast mode counts
 * the agent's buffers only; in engine and stat modes signing needs more than starting,
 * so at that value bundles may still run out of memory, and are counted so.
 */
export async function checkRam(ram: number, simMode: SimMode, scenario: Scenario, board: string, flight: boolean, suites: number[]): Promise<void> {
  requireFirmware(board, simMode);
  // stat mode's RAM is engine mode's: its witness signs with the firmware in the engine
  const mode: DeviceMode = simMode === "stat" ? "engine" : simMode;
  const capacity = bundleCapacity(scenario, flight);
  const kinds = suites.map((id) => suiteKind(DEFAULT_SUITE_IDS, 0, id));
  const firmware = firmwarePath(loadBoard(board));
  if (await startsWith(mode, ram, capacity, kinds, DEFAULT_STACK_BYTES, firmware)) return;
  const min = await smallestRam(mode, capacity, kinds, DEFAULT_STACK_BYTES, firmware);
  const bundle = `one ${scenario.name} bundle (${capacity.toLocaleString("en-US")} octets at ${flight ? "flight" : "sim"} scale) in ${simMode} mode`;
  const what = mode === "fast" ? `the buffers for ${bundle}` : `${board}'s firmware and the buffers for ${bundle}`;
  if (min < 0) usageError(`--ram ${ram}: ${what} do not start with any RAM up to 2^40 bytes`);
  const more = mode === "fast" ? "" : "; signing needs more than starting, so bundles may still run out of memory there";
  usageError(`--ram ${ram} is too small for ${what}: the smallest --ram with which the device starts is ${min} (${fmtBytes(min)})${more}`);
}
