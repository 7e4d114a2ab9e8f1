/**
 * Whole-process timing: the commands as a user runs them, each a `node` process of its
 * own, start-up, module loading, file reads and exit included — what the in-process
 * MB/s figures of the rest of `pibkit bench` leave out.
 *
 * - start-up: `pibkit digest --alg crc32c EMPTY` against a bare `node -e 0`;
 * - a large file (96 MiB) through `pibkit digest` against each peer streaming the same
 *   file in its own process (bench/streamPeer.mjs: crc-32, spark-md5, @noble/hashes
 *   HMAC-SHA1), every output checked against node:crypto / @node-rs/crc32;
 * - `pibkit verify FILE…` over many small signed bundles in one process (bundles/s).
 *
 * Rounds are interleaved (every contender once per round, in turn) so that a machine
 * whose load changes during the run slows all of them alike; the figure is the median
 * wall-clock time of a run, beside it the mean CPU time (user + system, from the
 * kernel's children counters in /proc/self/stat on Linux; "-" elsewhere). The input
 * files are made once under out/bench/ and reused.
 */
import { spawnSync } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { benchKey, hexOf } from "./data.js";
import { makeBundle } from "./pibBench.js";
import { repoRoot } from "../targets/build/root.mjs";
import { Signer } from "../src/ground/pib.js";
import { SUITES } from "../src/core/suites.js";

/** Size of the large file: big enough that reading and digesting it outweigh start-up. */
export const PROCESS_FILE_MIB = 96;
/** Signed bundles verified in one `pibkit verify` process. */
export const VERIFY_BUNDLES = 10_000;

export interface ProcessOptions {
  /** Interleaved rounds (each contender runs once per round). */
  rounds: number;
  /** Size of the large file in MiB. */
  mib: number;
  /** Bundles for the verify run (0 = no verify run). */
  bundles: number;
  progress: (msg: string) => void;
}

export interface ProcessRow {
  /** What is compared: "start-up", "crc32c", "md5", "hmac-sha1", "verify". */
  what: string;
  /** "pibkit", the npm name of a peer, or "node -e 0". */
  impl: string;
  /** The command line as run (paths relative to the repository). */
  command: string;
  /** Median wall-clock milliseconds of one run, the fastest run, mean CPU ms (null: not measurable here). */
  wallMs: number;
  minMs: number;
  cpuMs: number | null;
}

export interface ProcessGoal {
  goal: string;
  reached: string;
  ok: boolean;
}

export interface ProcessResult {
  rows: ProcessRow[];
  goals: ProcessGoal[];
  mib: number;
  bundles: number;
  rounds: number;
}

/** CPU milliseconds of this process's waited-for children so far (Linux), else null. */
function childrenCpuMs(): number | null {
  try {
    const f = readFileSync("/proc/self/stat", "utf8");
    const fields = f.slice(f.lastIndexOf(")") + 2).split(" ");
    // fields 16 and 17 of stat(5) (cutime, cstime), in clock ticks of 10 ms on Linux
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return null;
  }
}

/** `n` octets of the bench pattern written to `file` unless a file of that size is there. */
function ensureFile(file: string, n: number): void {
  if (existsSync(file) && statSync(file).size === n) return;
  const chunk = new Uint8Array(1 << 20);
  let x = 0x9e3779b9;
  const fd = openSync(file + ".tmp", "w");
  try {
    for (let done = 0; done < n; done += chunk.length) {
      for (let i = 0; i < chunk.length; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        chunk[i] = x & 0xff;
      }
      writeFileSync(fd, chunk.subarray(0, Math.min(chunk.length, n - done)));
    }
  } finally {
    closeSync(fd);
  }
  renameSync(file + ".tmp", file);
}

/** The reference digests of `file` (node:crypto; CRC-32C from @node-rs/crc32, itself checked by the in-process bench). */
async function references(file: string, key: Uint8Array): Promise<Record<string, string>> {
  const { crc32c } = await import("@node-rs/crc32");
  const md5 = createHash("md5");
  const mac = createHmac("sha1", key);
  let crc = 0;
  const buf = Buffer.allocUnsafe(1 << 22);
  const fd = openSync(file, "r");
  try {
    for (let n = readSync(fd, buf, 0, buf.length, null); n > 0; n = readSync(fd, buf, 0, buf.length, null)) {
      const b = buf.subarray(0, n);
      md5.update(b);
      mac.update(b);
      crc = crc32c(b, crc);
    }
  } finally {
    closeSync(fd);
  }
  return { crc32c: (crc >>> 0).toString(16).padStart(8, "0"), md5: md5.digest("hex"), "hmac-sha1": mac.digest("hex") };
}

/**
 * `count` small signed bundles (64-octet payloads; each suite of the table in turn, last row first, HMAC with the NULL key)
 * under `dir` (relative to the repository, where the commands run: short paths keep
 * 10,000 of them well inside the argument-list limit); their paths, relative too.
 */
function ensureBundles(dir: string, count: number): string[] {
  mkdirSync(join(repoRoot(), dir), { recursive: true });
  const kinds = [...SUITES].reverse().map((s) => s.kind);
  const signer = new Signer(8, 8);
  const plain = makeBundle(64);
  const out = new Uint8Array(plain.length + 64);
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const f = join(dir, `b${String(i).padStart(5, "0")}.bin`);
    files.push(f);
    if (existsSync(join(repoRoot(), f))) continue;
    // a different payload octet per bundle, so no two files are alike
    plain[plain.length - 1] = i & 255;
    plain[plain.length - 2] = (i >>> 8) & 255;
    const n = signer.sign(plain, 0, plain.length, out, 0, out.length, kinds[i % 3]!, 0);
    if (n < 0) throw new Error(`bench: signing bundle ${i} failed (E${-n})`);
    writeFileSync(join(repoRoot(), f), out.subarray(0, n));
  }
  return files;
}

interface Contender {
  what: string;
  impl: string;
  argv: string[];
  /** Throws when the run's output or status is wrong. */
  check: (stdout: string, status: number | null) => void;
}

/** Runs every contender `rounds` times, interleaved; each run's output checked. */
function timeContenders(cs: Contender[], rounds: number, progress: (msg: string) => void): ProcessRow[] {
  const root = repoRoot();
  const wall: number[][] = cs.map(() => []);
  const cpu: Array<number | null> = cs.map(() => 0);
  for (let r = 0; r < rounds; r++) {
    cs.forEach((c, i) => {
      progress(`process ${c.what} ${c.impl} (round ${r + 1} of ${rounds})`);
      const c0 = childrenCpuMs();
      const t0 = process.hrtime.bigint();
      const p = spawnSync(c.argv[0]!, c.argv.slice(1), { cwd: root, encoding: "utf8", maxBuffer: 1 << 28, stdio: ["ignore", "pipe", "pipe"] });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const c1 = childrenCpuMs();
      if (p.error) throw new Error(`bench: ${c.argv.join(" ")}: ${p.error.message}`);
      c.check(p.stdout, p.status);
      wall[i]!.push(ms);
      const prev = cpu[i];
      cpu[i] = prev === null || prev === undefined || c0 === null || c1 === null ? null : prev + (c1 - c0);
    });
  }
  return cs.map((c, i) => {
    const w = wall[i]!.slice().sort((a, b) => a - b);
    const total = cpu[i];
    return {
      what: c.what,
      impl: c.impl,
      command: c.argv.map((a, k) => (k === 0 && a === process.execPath ? "node" : a.startsWith(root + "/") ? a.slice(root.length + 1) : a)).join(" "),
      wallMs: w[w.length >> 1]!,
      minMs: w[0]!,
      cpuMs: total === null || total === undefined ? null : total / rounds,
    };
  });
}

/** The whole-process comparison; writes its inputs under out/bench/ once. */
export async function runProcessBench(o: ProcessOptions): Promise<ProcessResult> {
  const root = repoRoot();
  const dir = join(root, "out", "bench");
  mkdirSync(dir, { recursive: true });
  const node = process.execPath;
  const pibkit = join(root, "bin", "pibkit");
  const peer = join(root, "bench", "streamPeer.mjs");
  const empty = join(dir, "empty.bin");
  if (!existsSync(empty)) writeFileSync(empty, "");
  const big = join(dir, `stream-${o.mib}MiB.bin`);
  o.progress(`process: writing ${o.mib} MiB under out/bench/ (once)`);
  ensureFile(big, o.mib * 1024 * 1024);
  const keyHex = hexOf(benchKey());
  const ref = await references(big, benchKey());
  const expect = (what: string, want: string) => (out: string, status: number | null) => {
    if (status !== 0 || out.trim() !== want) throw new Error(`bench: ${what} printed "${out.trim()}" (exit ${status}), expected ${want}`);
  };
  const cs: Contender[] = [
    { what: "start-up", impl: "node -e 0", argv: [node, "-e", "0"], check: expect("node -e 0", "") },
    { what: "start-up", impl: "pibkit", argv: [node, pibkit, "digest", "--alg", "crc32c", empty], check: expect("pibkit digest (empty file)", "00000000") },
  ];
  const peers: Array<[string, string]> = [["crc32c", "crc-32"], ["md5", "spark-md5"], ["hmac-sha1", "@noble/hashes"]];
  for (const [alg, name] of peers) {
    const key = alg === "hmac-sha1" ? ["--key", keyHex] : [];
    cs.push({ what: alg, impl: "pibkit", argv: [node, pibkit, "digest", "--alg", alg, ...key, big], check: expect(`pibkit digest --alg ${alg}`, ref[alg]!) });
    cs.push({ what: alg, impl: name, argv: [node, peer, alg, big, ...(alg === "hmac-sha1" ? [keyHex] : [])], check: expect(`${name} (${alg})`, ref[alg]!) });
  }
  if (o.bundles > 0) {
    o.progress(`process: writing ${o.bundles} signed bundles under out/bench/ (once)`);
    const files = ensureBundles(join("out", "bench", "verify"), o.bundles);
    cs.push({
      what: "verify",
      impl: "pibkit",
      argv: [node, pibkit, "verify", ...files],
      check: (out, status) => {
        const ok = out.split("\n").filter((l) => l.endsWith(": ok")).length;
        if (status !== 0 || ok !== files.length) throw new Error(`bench: pibkit verify of ${files.length} bundles: ${ok} ok, exit ${status}`);
      },
    });
  }
  const rows = timeContenders(cs, o.rounds, o.progress);
  return { rows, goals: processGoals(rows, o.bundles), mib: o.mib, bundles: o.bundles, rounds: o.rounds };
}

function row(rows: ProcessRow[], what: string, impl: string): ProcessRow | undefined {
  return rows.find((r) => r.what === what && r.impl === impl);
}

/**
 * What the ratios are taken on: CPU time where every row has it (Linux), else the
 * median wall-clock time. CPU time, like the MB/s of the in-process sections, hardly
 * moves with the machine's load; the wall-clock time of a run on a busy shared machine
 * is mostly time spent waiting for a core.
 */
export function basis(rows: ProcessRow[]): "cpu" | "wall" {
  return rows.every((r) => r.cpuMs !== null) ? "cpu" : "wall";
}

function timeOf(r: ProcessRow | undefined, b: "cpu" | "wall"): number {
  return r === undefined ? NaN : b === "cpu" ? (r.cpuMs ?? NaN) : r.wallMs;
}

/** Speed of pibkit over the peer: the peer's time ÷ pibkit's, on `basis(rows)`. */
export function speedup(rows: ProcessRow[], what: string, peer: string): number {
  const b = basis(rows);
  return timeOf(row(rows, what, peer), b) / timeOf(row(rows, what, "pibkit"), b);
}

/** The whole-process goals, judged on `basis(rows)`. */
export function processGoals(rows: ProcessRow[], bundles: number): ProcessGoal[] {
  const out: ProcessGoal[] = [];
  const b = basis(rows);
  const start = 1 / speedup(rows, "start-up", "node -e 0");
  out.push({ goal: "pibkit digest of an empty file < 1.5× the time of node -e 0", reached: `${start.toFixed(2)}×`, ok: start < 1.5 });
  const want: Array<[string, string, number]> = [["crc32c", "crc-32", 1.0], ["md5", "spark-md5", 1.3], ["hmac-sha1", "@noble/hashes", 2.0]];
  for (const [alg, peer, min] of want) {
    const x = speedup(rows, alg, peer);
    out.push({ goal: `whole process, large file: ${alg} ≥ ${min.toFixed(1)}× ${peer}`, reached: `${x.toFixed(2)}×`, ok: x >= min });
  }
  const v = row(rows, "verify", "pibkit");
  if (v && bundles > 0) {
    const perS = bundles / (timeOf(v, b) / 1000);
    // Judged on the basis of every other goal; the wall-clock rate, what `time` shows a
    // user, is printed beside it: V8 optimizes on a second thread, so on two or more
    // cores the process's CPU time exceeds its wall time.
    const byWall = b === "cpu" ? ` of CPU time (${Math.round(bundles / (v.wallMs / 1000)).toLocaleString("en-US")}/s by the median wall clock)` : "";
    out.push({ goal: `pibkit verify of ${bundles} small bundles in one process ≥ 20,000 bundles/s`, reached: `${Math.round(perS).toLocaleString("en-US")} bundles/s${byWall}`, ok: perS >= 20000 });
  }
  return out;
}

/** The section as text: one line per contender, then pibkit's speed over each peer. */
export function processTable(r: ProcessResult): string {
  const ms = (x: number | null): string => (x === null ? "-" : x.toFixed(0));
  let s = `\nWhole process (each a node process of its own; median wall ms of ${r.rounds} interleaved rounds, fastest, mean CPU ms; large file ${r.mib} MiB)\n`;
  s += `  ${"what".padEnd(10)} ${"contender".padEnd(14)} ${"wall".padStart(7)} ${"fastest".padStart(8)} ${"CPU".padStart(7)}  speed-up  command\n`;
  for (const x of r.rows) {
    const peerOf = x.impl === "pibkit" ? undefined : x;
    const up = peerOf ? `${speedup(r.rows, x.what, x.impl).toFixed(2)}×` : "";
    s += `  ${x.what.padEnd(10)} ${x.impl.padEnd(14)} ${ms(x.wallMs).padStart(7)} ${ms(x.minMs).padStart(8)} ${ms(x.cpuMs).padStart(7)}  ${up.padStart(8)}  ${x.command.length > 90 ? x.command.slice(0, 87) + "…" : x.command}\n`;
  }
  s += `  speed-up = that contender's ${basis(r.rows) === "cpu" ? "CPU time" : "median wall time"} ÷ pibkit's (above 1: pibkit is faster); the goals below are judged on the same\n`;
  return s;
}
