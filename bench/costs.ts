/**
 * bench/quickjs-costs.json: what each ciphersuite costs in an interpreter, for the
 * simulator (sim/) to turn "bytes through the suite on the board" into cycles.
 *
 * Measured inside QuickJS (quickjs-emscripten) on the generic firmware build (one CRC
 * table, looped MD5/SHA-1: what a board runs). A figure is time in QuickJS × host
 * clock, i.e. host cycles the interpreter spends. From a call at 64 octets and one at
 * 64 KiB: cycles per octet (slope) and fixed cycles per call (intercept), for the raw
 * digest and for a whole PIB verify. On a board at f Hz, verifying c bundles with n
 * payload octets takes (n × verifyCyclesPerByte + c × verifyCyclesPerBundle) / f
 * seconds — assuming the board's interpreter needs as many cycles per operation as
 * QuickJS on this host (a Cortex-M retires fewer instructions per cycle than an x86
 * core, and Espruino, which interprets source text, is far slower than QuickJS: a lower bound there).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { SUITES as SUITE_TABLE, type Suite } from "../src/core/suites.js";
import type { Alg } from "./impls.js";
import type { QuickJsRow } from "./quickjs.js";
import { repoRoot } from "../targets/build/root.mjs";

export const COSTS_FORMAT = "pibkit-quickjs-costs/1";
export const COSTS_FILE = join("bench", "quickjs-costs.json");

/** A suite's name in the PIB benchmark's rows (bench/pibBench.ts): its command-line name, and the key for a keyed suite. */
export function pibBenchName(s: Suite, keyId: number): string {
  return s.keyed ? `${s.cli} (${keyId === 0 ? "NULL key" : `key id ${keyId}`})` : s.cli;
}

/** Ciphersuites of draft-irtf-dtnrg-bundle-checksum-02 §3 (the suite table), the digest each runs, and its bench/pibBench.ts name. */
export const SUITES: Array<{ suite: number; name: string; alg: Alg; pib: string }> = SUITE_TABLE.map((s) => ({
  suite: s.id,
  name: s.name,
  alg: s.digest as Alg,
  pib: pibBenchName(s, 0),
}));

export interface SuiteCost {
  suite: number;
  name: string;
  alg: Alg;
  /** Raw digest in QuickJS at the large size, octets per second. */
  quickjsBytesPerSecond: number;
  /** Raw digest: host cycles per octet, and the fixed cycles of one digest call. */
  cyclesPerByte: number;
  cyclesPerCall: number;
  /** PIB verify (parse + canonicalization + digest + compare): cycles per payload octet and per bundle. */
  verifyCyclesPerByte: number;
  verifyCyclesPerBundle: number;
}

export interface CostsFile {
  format: string;
  meaning: string;
  command: string;
  measuredAt: string;
  host: { cpu: string; clockHz: number; clockSource: string; node: string; quickjs: string };
  firmware: string;
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

/** Fixed cost and cost per octet from call times at 64 octets and at `large` octets. */
function linear(ns64: number, nsLarge: number, large: number, clockHz: number): { perByte: number; perCall: number } {
  const perByte = ((nsLarge / 1e9) * clockHz) / large;
  return { perByte, perCall: Math.max(0, (ns64 / 1e9) * clockHz - 64 * perByte) };
}

/** Per-suite costs from the firmware's QuickJS rows at 64 B and `large` (digest and verify). */
export function suiteCosts(rows: QuickJsRow[], large: number, clockHz: number): SuiteCost[] {
  const get = (op: string, alg: string, bytes: number): QuickJsRow => {
    const r = rows.find((x) => x.op === op && x.alg === alg && x.bytes === bytes);
    if (!r) throw new Error(`costs: no QuickJS ${op} measurement of ${alg} at ${bytes} B`);
    return r;
  };
  return SUITES.map((s) => {
    const d = linear(get("digest", s.alg, 64).nsPerCall, get("digest", s.alg, large).nsPerCall, large, clockHz);
    const v = linear(get("verify", s.pib, 64).nsPerCall, get("verify", s.pib, large).nsPerCall, large, clockHz);
    return {
      suite: s.suite,
      name: s.name,
      alg: s.alg,
      quickjsBytesPerSecond: Math.round(get("digest", s.alg, large).mbps * 1e6),
      cyclesPerByte: Math.round(d.perByte * 10) / 10,
      cyclesPerCall: Math.round(d.perCall),
      verifyCyclesPerByte: Math.round(v.perByte * 10) / 10,
      verifyCyclesPerBundle: Math.round(v.perCall),
    };
  });
}

export function costsFile(rows: QuickJsRow[], large: number, firmware: string): CostsFile {
  const clock = hostClock();
  const root = repoRoot();
  const qv = (JSON.parse(readFileSync(join(root, "node_modules/quickjs-emscripten/package.json"), "utf8")) as { version: string }).version;
  return {
    format: COSTS_FORMAT,
    meaning:
      "Cost of each ciphersuite in an interpreter, in host CPU cycles: time in QuickJS x host clock. " +
      `cyclesPerByte/cyclesPerCall: the raw digest (per octet at ${large} B; fixed part = 64 B call minus 64 x cyclesPerByte). ` +
      "verifyCyclesPerByte/verifyCyclesPerBundle: PIB verify of a whole bundle (parse, canonicalization, digest, compare), per payload octet and per bundle. " +
      "n octets in c bundles cost n*verifyCyclesPerByte + c*verifyCyclesPerBundle cycles; divide by a board's clock (Hz) for seconds. " +
      "Assumes the board's interpreter needs as many cycles per operation as QuickJS on this host: a lower bound on a Cortex-M (lower IPC), far more on Espruino (it interprets source text: ~100x slower than QuickJS).",
    command: "pibkit bench --write-costs",
    measuredAt: new Date().toISOString(),
    host: { cpu: cpus()[0]?.model ?? "unknown", clockHz: clock.hz, clockSource: clock.source, node: process.version, quickjs: `quickjs-emscripten ${qv}` },
    firmware,
    suites: suiteCosts(rows, large, clock.hz),
  };
}

export function writeCosts(c: CostsFile): string {
  const path = join(repoRoot(), COSTS_FILE);
  writeFileSync(path, JSON.stringify(c, null, 2) + "\n");
  return path;
}
