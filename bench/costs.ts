/**
 * bench/quickjs-costs.json: what each ciphersuite costs per byte in an interpreter,
 * for the simulator (sim/) to turn "bytes digested on the board" into cycles.
 *
 * Measured inside QuickJS (quickjs-emscripten) with pibkit built as for a
 * microcontroller (one 256-entry CRC table). cyclesPerByte = host clock ÷ QuickJS
 * throughput at 64 KiB, i.e. host cycles the interpreter spends per octet;
 * cyclesPerCall = the fixed cost of one digest (HMAC: key schedule and outer hash),
 * from the 64 B time minus 64 × cyclesPerByte. On a board at f Hz, digesting n octets
 * in c calls takes (n × cyclesPerByte + c × cyclesPerCall) / f seconds — assuming the
 * board's interpreter needs as many cycles per operation as QuickJS on this host
 * (a Cortex-M retires fewer instructions per cycle than an x86 core, and Espruino
 * is ~100× slower than QuickJS per engines.md, so this is a lower bound there).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import type { Alg } from "./impls.js";
import type { QuickJsRow } from "./quickjs.js";
import { repoRoot } from "./root.js";

export const COSTS_FORMAT = "pibkit-quickjs-costs/1";
export const COSTS_FILE = join("bench", "quickjs-costs.json");

/** Ciphersuites of draft-irtf-dtnrg-bundle-checksum-02 §3 and the digest each runs. */
export const SUITES: Array<{ suite: number; name: string; alg: Alg }> = [
  { suite: 4, name: "PIB-HMAC", alg: "hmac-sha1" },
  { suite: 5, name: "PIB-INSECURE-MD5", alg: "md5" },
  { suite: 6, name: "PIB-INSECURE-CRC32", alg: "crc32c" },
];

export interface SuiteCost {
  suite: number;
  name: string;
  alg: Alg;
  quickjsBytesPerSecond: number;
  cyclesPerByte: number;
  cyclesPerCall: number;
}

export interface CostsFile {
  format: string;
  meaning: string;
  command: string;
  measuredAt: string;
  host: { cpu: string; clockHz: number; clockSource: string; node: string; quickjs: string };
  build: string;
  suites: SuiteCost[];
}

/** The host clock: /proc/cpuinfo's "cpu MHz" (Linux), else os.cpus()[0].speed. */
export function hostClock(): { hz: number; source: string } {
  try {
    const m = /cpu MHz\s*:\s*([0-9.]+)/.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m) return { hz: Math.round(Number(m[1]) * 1e6), source: "/proc/cpuinfo cpu MHz" };
  } catch {
    // not Linux
  }
  const c = cpus()[0];
  return { hz: (c?.speed ?? 0) * 1e6, source: "os.cpus()[0].speed" };
}

/** Per-suite costs from the microcontroller-build QuickJS rows at 64 B and `largeSize`. */
export function suiteCosts(rows: QuickJsRow[], largeSize: number, clockHz: number): SuiteCost[] {
  return SUITES.map((s) => {
    const large = rows.find((r) => r.alg === s.alg && r.impl === "pibkit" && r.bytes === largeSize);
    const small = rows.find((r) => r.alg === s.alg && r.impl === "pibkit" && r.bytes === 64);
    if (!large || !small) throw new Error(`costs: no QuickJS measurement of ${s.alg}`);
    const bytesPerSecond = large.mbps * 1e6;
    const cpb = clockHz / bytesPerSecond;
    const perCall = Math.max(0, (small.nsPerCall / 1e9) * clockHz - 64 * cpb);
    return {
      suite: s.suite,
      name: s.name,
      alg: s.alg,
      quickjsBytesPerSecond: Math.round(bytesPerSecond),
      cyclesPerByte: Math.round(cpb * 10) / 10,
      cyclesPerCall: Math.round(perCall),
    };
  });
}

export function costsFile(rows: QuickJsRow[], largeSize: number): CostsFile {
  const clock = hostClock();
  const root = repoRoot();
  const qv = (JSON.parse(readFileSync(join(root, "node_modules/quickjs-emscripten/package.json"), "utf8")) as { version: string }).version;
  return {
    format: COSTS_FORMAT,
    meaning:
      "Cost of each ciphersuite's digest in an interpreter. cyclesPerByte = host clock / QuickJS throughput at " +
      `${largeSize} B; cyclesPerCall = fixed cost of one digest (64 B call time minus 64 x cyclesPerByte). ` +
      "Digesting n octets in c calls costs n*cyclesPerByte + c*cyclesPerCall cycles; divide by a board's clock for seconds. " +
      "Assumes the board's interpreter needs as many cycles per operation as QuickJS on this host (a lower bound on a Cortex-M, far more on Espruino).",
    command: "pibkit bench --write-costs",
    measuredAt: new Date().toISOString(),
    host: { cpu: cpus()[0]?.model ?? "unknown", clockHz: clock.hz, clockSource: clock.source, node: process.version, quickjs: `quickjs-emscripten ${qv}` },
    build: "src/ bundled by esbuild (es2020, minified) with __PIBKIT_CRC_SLICES__=1: the microcontroller CRC table",
    suites: suiteCosts(rows, largeSize, clock.hz),
  };
}

export function writeCosts(c: CostsFile): string {
  const path = join(repoRoot(), COSTS_FILE);
  writeFileSync(path, JSON.stringify(c, null, 2) + "\n");
  return path;
}
