/**
 * What `pibkit bench` prints: the text tables (MB/s with the ratio of pibkit to the
 * fastest pure-JS peer and to native), the performance goals with what was reached, and
 * the `--json` rows.
 */
import type { Alg, Kind } from "./impls.js";

/** One measurement. `engine`/`op` qualify {alg, impl, bytes, mbps}. */
export interface Row {
  alg: string;
  impl: string;
  bytes: number;
  mbps: number;
  engine: "node" | "quickjs";
  op: "digest" | "sign" | "verify";
  kind: Kind;
  /** Median nanoseconds per call (per digest, per sign, per verify). */
  nsPerOp: number;
  /** Set on rows of a pibkit build other than the default: "firmware" (dist/generic, in QuickJS). */
  variant?: string;
  /** On verify rows: the raw digest of the same suite, MB/s, timed interleaved with the verify. */
  rawMbps?: number;
}

/** One performance goal and what a run reached. */
export interface Goal {
  goal: string;
  reached: string;
  ok: boolean;
}

export const ALG_TITLE: Record<Alg, string> = {
  crc32c: "CRC-32C",
  md5: "MD5",
  sha1: "SHA-1",
  "hmac-sha1": "HMAC-SHA1 (re-keyed per call)",
};

export function sizeLabel(n: number): string {
  if (n >= 1 << 20 && n % (1 << 20) === 0) return `${n >> 20} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n >> 10} KiB`;
  return `${n} B`;
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return "-";
  const digits = x >= 100 ? 0 : x >= 10 ? 1 : 2;
  return x.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function ratio(x: number): string {
  return Number.isFinite(x) && x > 0 ? `${x.toFixed(2)}×` : "-";
}

function pad(s: string, n: number, left = false): string {
  return left ? s.padEnd(n) : s.padStart(n);
}

export function find(rows: Row[], engine: string, op: string, alg: string, impl: string, bytes: number): Row | undefined {
  return rows.find((r) => r.engine === engine && r.op === op && r.alg === alg && r.impl === impl && r.bytes === bytes && !r.variant);
}

/** Fastest pure-JS peer (not pibkit) for alg/size/engine. */
export function fastestPeer(rows: Row[], engine: string, alg: string, bytes: number): Row | undefined {
  let best: Row | undefined;
  for (const r of rows) {
    if (r.engine === engine && r.op === "digest" && r.alg === alg && r.bytes === bytes && r.kind === "js" && (!best || r.mbps > best.mbps)) best = r;
  }
  return best;
}

export function nativeRow(rows: Row[], alg: string, bytes: number): Row | undefined {
  return rows.find((r) => r.engine === "node" && r.op === "digest" && r.alg === alg && r.bytes === bytes && r.kind === "native");
}

/** The Node digest tables, one per algorithm: impls × sizes, then pibkit's ratios. */
export function nodeTables(rows: Row[], algs: Alg[], sizes: number[]): string {
  const w = 11;
  // the first column as wide as its longest text in every table, so the size columns line up under their heads
  const nodeRows = rows.filter((r) => r.engine === "node" && r.op === "digest");
  const w0 = Math.max(...algs.map((a) => ALG_TITLE[a].length + 7), "pibkit ÷ fastest pure-JS peer".length + 3, ...nodeRows.map((r) => r.impl.length + 12));
  let s = "";
  for (const alg of algs) {
    const mine = rows.filter((r) => r.engine === "node" && r.op === "digest" && r.alg === alg);
    const impls: Array<[string, Kind]> = [];
    for (const r of mine) if (!impls.some((i) => i[0] === r.impl)) impls.push([r.impl, r.kind]);
    s += `\n${pad(ALG_TITLE[alg] + ", MB/s", w0, true)}${sizes.map((n) => pad(sizeLabel(n), w)).join("")}\n`;
    for (const [impl, kind] of impls) {
      const label = kind === "native" ? `${impl} (native)` : kind === "wasm" ? `${impl} (wasm)` : impl;
      s += `  ${pad(label, w0 - 2, true)}${sizes.map((n) => pad(fmt(find(rows, "node", "digest", alg, impl, n)?.mbps ?? NaN), w)).join("")}\n`;
    }
    const vsPeer = sizes.map((n) => (find(rows, "node", "digest", alg, "pibkit", n)?.mbps ?? NaN) / (fastestPeer(rows, "node", alg, n)?.mbps ?? NaN));
    const vsNative = sizes.map((n) => (find(rows, "node", "digest", alg, "pibkit", n)?.mbps ?? NaN) / (nativeRow(rows, alg, n)?.mbps ?? NaN));
    s += `  ${pad("pibkit ÷ fastest pure-JS peer", w0 - 2, true)}${vsPeer.map((x) => pad(ratio(x), w)).join("")}\n`;
    s += `  ${pad("pibkit ÷ native", w0 - 2, true)}${vsNative.map((x) => pad(ratio(x), w)).join("")}\n`;
  }
  return s;
}

/** The QuickJS table at one size: one line per algorithm. */
export function quickJsTable(rows: Row[], algs: Alg[], size: number): string {
  const q = rows.filter((r) => r.engine === "quickjs" && r.op === "digest" && r.bytes === size);
  let s = `\nQuickJS (interpreter in WebAssembly), ${sizeLabel(size)}, MB/s\n`;
  for (const alg of algs) {
    const here = q.filter((r) => r.alg === alg);
    const parts = here.map((r) => `${r.variant ? `pibkit (${r.variant})` : r.impl} ${fmt(r.mbps)}`);
    const mine = find(rows, "quickjs", "digest", alg, "pibkit", size);
    const peer = fastestPeer(rows, "quickjs", alg, size);
    const nodeMine = find(rows, "node", "digest", alg, "pibkit", size);
    s += `  ${pad(ALG_TITLE[alg].replace(/ \(.*\)/, ""), 10, true)} ${parts.join(" | ")}\n`;
    s += `  ${pad("", 10, true)} pibkit ÷ fastest pure-JS peer ${ratio((mine?.mbps ?? NaN) / (peer?.mbps ?? NaN))}` +
      `; Node ÷ QuickJS for pibkit ${ratio((nodeMine?.mbps ?? NaN) / (mine?.mbps ?? NaN))}\n`;
  }
  return s;
}

/** JSON rows: {alg, impl, bytes, mbps}, plus engine/op/nsPerOp (and variant). */
export function jsonRows(rows: Row[]): unknown[] {
  return rows.map((r) => {
    const o: Record<string, unknown> = {
      alg: r.alg,
      impl: r.impl,
      bytes: r.bytes,
      mbps: Math.round(r.mbps * 100) / 100,
      engine: r.engine,
      op: r.op,
      nsPerOp: Math.round(r.nsPerOp),
    };
    if (r.variant) o["variant"] = r.variant;
    if (r.rawMbps !== undefined) o["rawMbps"] = Math.round(r.rawMbps * 100) / 100;
    return o;
  });
}
