/**
 * PIB sign and verify throughput: bundles with 64 B, 4 KiB
 * and 16 MiB payloads (1 MiB with --quick), per suite, on Node. Verify at the
 * largest size is compared with the raw digest of the same suite measured in the
 * same run, and a 64-byte-payload CRC bundle gives the per-verify time.
 *
 * Every timed sign is checked (its length, and that the verifier accepts what it
 * wrote) and every timed verify must say Ok; before timing, a flipped payload bit
 * must turn the verdict into Mismatch, so a verifier that checked nothing would fail.
 */
import { BundleWriter, PrimarySpec, writeBlock } from "../src/ground/bundleWriter.js";
import { KeyTable } from "../src/ground/keys.js";
import { Signer, Verifier } from "../src/ground/pib.js";
import { Verdict } from "../src/core/verdict.js";
import { SUITES } from "../src/core/suites.js";
import { pibBenchName } from "./costs.js";
import { benchInput, benchKey } from "./data.js";
import { type Alg, pibkitImpls } from "./impls.js";
import { contender, measureInterleaved, type RoundOptions } from "./measure.js";
import { expectedHex, loadNodePeers } from "./nodeImpls.js";
import type { SignedBundle } from "./quickjs.js";
import { find, fmt, type Goal, type Row, sizeLabel } from "./report.js";

export const PIB_SIZES = [64, 4096, 16 * 1024 * 1024];
export const PIB_SIZES_QUICK = [64, 4096, 1024 * 1024];

/**
 * The suites benchmarked (every row of the suite table, last row first; a keyed suite
 * with the NULL key and with key id 1): name shown, SuiteKind, key id, the raw digest it runs.
 */
export const PIB_SUITES: Array<{ name: string; kind: number; keyId: number; raw: Alg }> = [...SUITES]
  .reverse()
  .flatMap((s) => (s.keyed ? [0, 1] : [0]).map((keyId) => ({ name: pibBenchName(s, keyId), kind: s.kind, keyId, raw: s.digest as Alg })));

function ascii(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** An unsigned bundle (primary + payload of `size` octets) in a buffer of its exact length. */
export function makeBundle(size: number): Uint8Array {
  const spec = new PrimarySpec();
  spec.dest = ascii("dtn://dst/app");
  spec.source = ascii("dtn://src/app");
  spec.reportTo = ascii("dtn:none");
  spec.custodian = ascii("dtn:none");
  spec.ctime.lo = 785000000;
  spec.seq.lo = 1;
  spec.lifetime.lo = 3600;
  const payload = benchInput(size);
  const buf = new Uint8Array(size + 256);
  let p = new BundleWriter().writePrimary(buf, 0, buf.length, spec);
  if (p >= 0) p = writeBlock(buf, p, buf.length, 1, 0, true, payload, 0, size);
  if (p < 0) throw new Error(`bench: cannot build a ${size} B bundle (E${-p})`);
  return buf.slice(0, p);
}

/** A key table holding the bench key under id 1 (PIB-HMAC with a real key). */
function benchKeys(): KeyTable {
  const keys = new KeyTable(2, 4);
  const key = benchKey();
  if (keys.install(1, key, 0, key.length) !== 0) throw new Error("bench: key install failed");
  return keys;
}

/** Signed bundles per suite and payload size, for the QuickJS firmware run. */
export function signedBundles(sizes: number[]): SignedBundle[] {
  const signer = new Signer(8, 8);
  signer.keys = benchKeys();
  const out: SignedBundle[] = [];
  for (const size of sizes) {
    const plain = makeBundle(size);
    const buf = new Uint8Array(plain.length + 64);
    for (const s of PIB_SUITES) {
      const len = signer.sign(plain, 0, plain.length, buf, 0, buf.length, s.kind, s.keyId);
      if (len < 0) throw new Error(`bench: sign ${s.name} failed (E${-len})`);
      out.push({ suite: s.name, payload: size, bytes: buf.slice(0, len) });
    }
  }
  return out;
}

export async function runPibBench(quick: boolean, opts: RoundOptions, progress: (msg: string) => void): Promise<Row[]> {
  await loadNodePeers();
  const sizes = quick ? PIB_SIZES_QUICK : PIB_SIZES;
  const keys = benchKeys();
  const signer = new Signer(8, 8);
  signer.keys = keys;
  const verifier = new Verifier(8, 8, 4);
  verifier.keys = keys;
  const raw = pibkitImpls(benchKey());
  const rows: Row[] = [];
  for (const size of sizes) {
    const plain = makeBundle(size);
    const out = new Uint8Array(plain.length + 64);
    for (const s of PIB_SUITES) {
      progress(`pib ${s.name} ${sizeLabel(size)}`);
      const len = signer.sign(plain, 0, plain.length, out, 0, out.length, s.kind, s.keyId);
      if (len < 0) throw new Error(`bench: sign ${s.name} failed (E${-len})`);
      const signed = out.slice(0, len);
      // The verifier must notice a flipped payload bit before it is timed.
      signed[signed.length - 1]! ^= 1;
      if (verifier.verifyAll(signed, 0, signed.length) !== 1 || verifier.verdict[0] === Verdict.Ok) throw new Error(`bench: ${s.name} verify missed a flipped bit`);
      signed[signed.length - 1]! ^= 1;
      const checkVerify = (r: unknown): void => {
        if (r !== 1 || !verifier.allOk()) throw new Error(`bench: ${s.name} verify of a ${size} B bundle did not say ok (${String(r)})`);
      };
      const checkSign = (r: unknown): void => {
        if (r !== len) throw new Error(`bench: ${s.name} sign gave ${String(r)}`);
        checkVerify(verifier.verifyAll(out, 0, len));
      };
      // The raw digest of the same suite, rounds interleaved with sign and verify.
      const rawImpl = raw.find((i) => i.alg === s.raw)!;
      const payload = plain.subarray(plain.length - size);
      const [rawM, sign, verify] = measureInterleaved(
        [
          contender(rawImpl, payload, expectedHex(s.raw, payload, benchKey())),
          {
            batch: (n) => {
              let r = 0;
              for (let i = 0; i < n; i++) r = signer.sign(plain, 0, plain.length, out, 0, out.length, s.kind, s.keyId);
              return r;
            },
            bytes: size,
            check: checkSign,
          },
          {
            batch: (n) => {
              let r = 0;
              for (let i = 0; i < n; i++) r = verifier.verifyAll(signed, 0, signed.length);
              return r;
            },
            bytes: size,
            check: checkVerify,
          },
        ],
        opts,
      );
      rows.push({ alg: s.name, impl: "pibkit", bytes: size, mbps: sign!.mbps, engine: "node", op: "sign", kind: "pibkit", nsPerOp: sign!.nsPerCall });
      rows.push({
        alg: s.name,
        impl: "pibkit",
        bytes: size,
        mbps: verify!.mbps,
        engine: "node",
        op: "verify",
        kind: "pibkit",
        nsPerOp: verify!.nsPerCall,
        rawMbps: rawM!.mbps,
      });
    }
  }
  return rows;
}

/** Text table: sign and verify per suite and payload size, MB/s of payload and µs per call. */
export function pibTable(rows: Row[]): string {
  const pib = rows.filter((r) => r.engine === "node" && (r.op === "sign" || r.op === "verify"));
  if (pib.length === 0) return "";
  const sizes = [...new Set(pib.map((r) => r.bytes))].sort((a, b) => a - b);
  const big = sizes[sizes.length - 1]!;
  let s = `\nPIB sign / verify on Node (MB/s of payload; µs per bundle in brackets)\n`;
  s += `  ${"suite".padEnd(18)}${sizes.map((n) => `sign ${sizeLabel(n)}`.padStart(20) + `verify ${sizeLabel(n)}`.padStart(22)).join("")}  verify ÷ raw digest at ${sizeLabel(big)} (timed alongside)\n`;
  for (const sname of [...new Set(pib.map((r) => r.alg))]) {
    s += `  ${sname.padEnd(18)}`;
    for (const n of sizes) {
      const sg = find(rows, "node", "sign", sname, "pibkit", n);
      const vf = find(rows, "node", "verify", sname, "pibkit", n);
      s += `${fmt(sg?.mbps ?? NaN)} [${fmt((sg?.nsPerOp ?? NaN) / 1000)}]`.padStart(20);
      s += `${fmt(vf?.mbps ?? NaN)} [${fmt((vf?.nsPerOp ?? NaN) / 1000)}]`.padStart(22);
    }
    s += `  ${pct(verifyVsRaw(rows, sname, big))}\n`;
  }
  return s;
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(0)}%` : "-";
}

/**
 * Verify throughput ÷ the raw pibkit digest of the same suite at `size`, the raw
 * digest timed in rounds interleaved with the verify (same load, JIT state, heap).
 */
export function verifyVsRaw(rows: Row[], suiteName: string, size: number): number {
  const vf = find(rows, "node", "verify", suiteName, "pibkit", size);
  return (vf?.mbps ?? NaN) / (vf?.rawMbps ?? NaN);
}

export function pibGoals(rows: Row[]): Goal[] {
  const pib = rows.filter((r) => r.engine === "node" && r.op === "verify");
  if (pib.length === 0) return [];
  const big = Math.max(...pib.map((r) => r.bytes));
  const parts: string[] = [];
  let ok = true;
  for (const s of PIB_SUITES) {
    const x = verifyVsRaw(rows, s.name, big);
    if (!(x >= 0.9)) ok = false;
    parts.push(`${s.name} ${pct(x)}`);
  }
  const crc64 = find(rows, "node", "verify", "insecure-crc32", "pibkit", 64);
  const us = (crc64?.nsPerOp ?? NaN) / 1000;
  return [
    { goal: `verify at ${sizeLabel(big)} ≥ 90% of the raw digest`, reached: parts.join(", "), ok },
    { goal: "64-B-payload insecure-crc32 verify < 2 µs", reached: `${fmt(us)} µs per verify`, ok: us < 2 },
  ];
}
