/**
 * Board profiles (targets/boards/<name>.json, written with the firmware builds) as the
 * simulator uses them: the RAM the device gets as its QuickJS heap limit, its clock
 * (to turn cycles into time) and a name for reports.
 *
 * Heap limit: the board's whole `ramBytes`. The agent streams each bundle through
 * fixed buffers (a piece, a header window, the digest lanes), so a bundle of any size
 * fits when they do; `jsHeapBytes` (the firmware's own heap figure, which the size
 * report's board fit uses) is not the simulator's limit. QuickJS's own runtime (a few
 * hundred KiB) counts against the limit too, which makes microcontroller boards run out
 * of memory at load: that is the honest answer for a Puck.js asked to sign a 200 MB image.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./device.js";

export interface BoardInfo {
  name: string;
  title: string;
  engine: string;
  ramBytes: number;
  clockHz: number;
  jsHeapBytes: number | null;
  /** "source" or "assumed: why" for the RAM figure. */
  ramProvenance: string;
  /** The primitives its firmware is built with (profile "primitives"; targets/build/firmware.mjs boardPrimitives). */
  primitives: "size" | "speed";
}

export const DEFAULT_BOARD = "ssr-200mhz";

function boardDir(): string {
  return join(repoRoot(), "targets", "boards");
}

export function boardNames(): string[] {
  const dir = boardDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -5))
    .sort();
}

interface Fig {
  value?: unknown;
  source?: string;
  assumed?: string;
}

function num(f: unknown): number | null {
  const v = (f as Fig | undefined)?.value;
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** Loads a board; throws an Error naming the valid boards when `name` is unknown. */
export function loadBoard(name: string): BoardInfo {
  const names = boardNames();
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name) || !names.includes(name)) {
    throw new Error(`unknown board "${name}" (known: ${names.join(", ") || "none — targets/boards/ is empty"})`);
  }
  const raw = JSON.parse(readFileSync(join(boardDir(), name + ".json"), "utf8")) as Record<string, unknown>;
  const ram = num(raw["ramBytes"]);
  if (ram === null || ram <= 0) throw new Error(`board ${name}: ramBytes missing`);
  const rf = raw["ramBytes"] as Fig;
  return {
    name,
    title: typeof raw["title"] === "string" ? raw["title"] : name,
    engine: typeof raw["engine"] === "string" ? raw["engine"] : "?",
    ramBytes: ram,
    clockHz: num(raw["clockHz"]) ?? 0,
    jsHeapBytes: num(raw["jsHeapBytes"]),
    ramProvenance: rf.source !== undefined ? `source: ${rf.source}` : `assumed: ${rf.assumed ?? "no provenance given"}`,
    primitives: (raw["primitives"] as Fig | undefined)?.value === "speed" ? "speed" : "size",
  };
}
