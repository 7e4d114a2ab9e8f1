/**
 * The deterministic cost unit of the simulator: cycles on the board = octets a suite
 * digests × cycles per octet (+ a fixed cost per digest call), never host wall time.
 *
 * The figures come from `bench/quickjs-costs.json`, which `pibkit bench` writes after
 * measuring each suite inside QuickJS (bench/costs.ts explains the unit). When that
 * file is absent the FALLBACK below is used and every report says so.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface SuiteCostFigure {
  cyclesPerByte: number;
  cyclesPerCall: number;
}

export interface CostTable {
  /** Where the figures came from, shown next to every cost in the reports. */
  source: string;
  /** By ciphersuite id of the draft (4 HMAC, 5 MD5, 6 CRC-32C). */
  bySuite: Record<number, SuiteCostFigure>;
}

/**
 * Used only when bench/quickjs-costs.json is missing. ASSUMED from a measured QuickJS
 * CRC-32C throughput (13–16 MB/s on a ~3 GHz x86 core ≈ 200 cycles/octet) and MD5 and
 * SHA-1 being about 3× and 6× the work per octet of a table CRC in an interpreter.
 */
export const FALLBACK_COSTS: CostTable = {
  source: "FALLBACK (assumed: bench/quickjs-costs.json absent; run `pibkit bench` to measure)",
  bySuite: {
    4: { cyclesPerByte: 1200, cyclesPerCall: 200000 },
    5: { cyclesPerByte: 600, cyclesPerCall: 20000 },
    6: { cyclesPerByte: 200, cyclesPerCall: 2000 },
  },
};

/**
 * Reads bench/quickjs-costs.json under `root`, or returns the labelled fallback. With
 * `board` (a board whose profile asks for speed-first primitives), that board's own
 * build's figures (`boards.<name>` of the file, measured by `pibkit bench` on
 * dist/boards/<name>/) — what the board really runs; the size-first figures, labelled
 * so, when the file has none for it. A board entry's `note` (written by hand when the
 * build changed after the figures were measured) goes into the label as it is.
 */
export function loadCosts(root: string, board?: string): CostTable {
  const path = join(root, "bench", "quickjs-costs.json");
  if (!existsSync(path)) return FALLBACK_COSTS;
  try {
    type Suites = Array<{ suite: number; cyclesPerByte: number; cyclesPerCall?: number }>;
    const raw = JSON.parse(readFileSync(path, "utf8")) as {
      format?: string;
      measuredAt?: string;
      suites?: Suites;
      boards?: Record<string, { firmware?: string; suites?: Suites; note?: string }>;
    };
    const own = board === undefined ? undefined : raw.boards?.[board];
    const bySuite: Record<number, SuiteCostFigure> = {};
    for (const s of own?.suites ?? raw.suites ?? []) {
      if (typeof s.suite === "number" && typeof s.cyclesPerByte === "number" && s.cyclesPerByte > 0) {
        bySuite[s.suite] = { cyclesPerByte: s.cyclesPerByte, cyclesPerCall: Math.max(0, s.cyclesPerCall ?? 0) };
      }
    }
    if (!bySuite[4] || !bySuite[5] || !bySuite[6]) return FALLBACK_COSTS;
    const note = typeof own?.note === "string" ? `; ${own.note}` : "";
    const which = board === undefined ? "" : own ? `, ${board}'s speed-first build ${own.firmware ?? ""}`.trimEnd() + note : `, size-first build: none measured for ${board}'s own build`;
    return { source: `bench/quickjs-costs.json (${raw.format ?? "?"}, measured ${raw.measuredAt ?? "?"}${which})`, bySuite };
  } catch {
    return FALLBACK_COSTS;
  }
}

/** Whole cycles for `bytes` octets digested in `calls` digest calls by suite `suite`. */
export function cyclesFor(t: CostTable, suite: number, bytes: number, calls: number): number {
  const f = t.bySuite[suite];
  if (!f) return 0;
  return Math.round(bytes * f.cyclesPerByte + calls * f.cyclesPerCall);
}

/**
 * Seconds the board's processor needs to check every PIB of a `bytes`-octet bundle
 * (one digest pass per suite) at `clockHz`; 0 when the clock is unknown. At sim size,
 * pass the flight-size octets: the timetable keeps flight proportions.
 */
export function checkSeconds(t: CostTable, suites: readonly number[], bytes: number, clockHz: number): number {
  if (!(clockHz > 0)) return 0;
  let cycles = 0;
  for (const s of suites) cycles += cyclesFor(t, s, bytes, 1);
  return cycles / clockHz;
}

/**
 * Seconds the board's processor needs to sign a `bytes`-octet bundle with `suites`, as
 * the device signs in place (agent.ts): one pass over the bundle per suite, each
 * digesting that suite's PIB alone (the inner PIBs, sealed before, are octets of its
 * canonical form, not checked again), so each suite is digested once: the same work
 * as checking the bundle. 0 when the clock is unknown. At sim size, pass the
 * flight-size octets, as for checkSeconds.
 */
export function signSeconds(t: CostTable, suites: readonly number[], bytes: number, clockHz: number): number {
  return checkSeconds(t, suites, bytes, clockHz);
}

/**
 * The checking ground hop's rate per suite, octets per second: it stores what arrives
 * and verifies it with the Node build (`pibkit verify`), at the rates `pibkit bench`
 * measured there for a 16 MiB bundle (docs/bench.md, "PIB sign / verify on Node":
 * CRC-32C 1,209, MD5 502, HMAC-SHA1 with the NULL key 593 MB/s), one suite after the other.
 */
export const GROUND_VERIFY_BYTES_PER_SECOND: Record<number, number> = { 4: 593e6, 5: 502e6, 6: 1209e6 };

/** Seconds from the last octet at the checking ground hop to its verdict on a `bytes`-octet bundle. */
export function groundCheckSeconds(suites: readonly number[], bytes: number): number {
  let s = 0;
  for (const id of suites) s += bytes / (GROUND_VERIFY_BYTES_PER_SECOND[id] ?? Infinity);
  return s;
}
