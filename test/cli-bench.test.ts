/**
 * `pibkit bench` as a user runs it (bin/pibkit over the esbuild output), and the
 * benchmark's own logic on made-up rows. No timing is asserted anywhere: timings
 * belong in the benchmark's output, never in pass/fail tests.
 */
import { execFile, spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { cpus } from "node:os";
import { count } from "../cli/plural.js";
import { describe, expect, it } from "vitest";
import { COSTS_FORMAT, type CostsFile } from "../bench/costs.js";
import { benchInput } from "../bench/data.js";
import type { Impl } from "../bench/impls.js";
import { measure } from "../bench/measure.js";
import { firmwareFromSource } from "../bench/quickjs.js";
import type { Row } from "../bench/report.js";
import { goals, jsonReport, machine, machineLine, QUICK_NOTE, textReport } from "../bench/run.js";

const PEERS = ["pibkit", "crc-32", "@node-rs/crc32", "spark-md5", "js-md5", "@noble/hashes", "hash-wasm", "node:crypto"];
const ALGS = ["crc32c", "md5", "sha1", "hmac-sha1"];
const PIB_SUITES = ["insecure-crc32", "insecure-md5", "hmac (NULL key)", "hmac (key id 1)"];

function pibkit(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync("bin/pibkit", args, { encoding: "utf8" });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** The same without blocking the test worker (a bench run lasts a minute; vitest's RPC must go on). */
function pibkitAsync(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile("bin/pibkit", args, { encoding: "utf8", maxBuffer: 1 << 24 }, (e, out, err) => {
      done({ code: e ? ((e as { code?: number }).code ?? -1) : 0, out, err });
    });
  });
}

describe("pibkit bench (CLI)", () => {
  it("--help prints usage and exits 0", () => {
    const r = pibkit("bench", "--help");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/usage: pibkit bench \[--json\] \[--quick\]/);
    expect(r.out).toMatch(/--write-costs/);
  });

  it("an unknown option is one stderr line and exit 2", () => {
    const r = pibkit("bench", "--fast");
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(/^pibkit bench: error: .*--fast/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it("--quick --json prints the machine and valid JSON rows with every implementation and engine present; progress n/m on stderr", async () => {
    const costs = "bench/quickjs-costs.json";
    const before = statSync(costs, { throwIfNoEntry: false })?.mtimeMs;
    const r = await pibkitAsync("bench", "--quick", "--json");
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out) as { machine: Record<string, unknown>; quick: boolean; rows: Array<Record<string, unknown>> };
    // the machine the figures come from, and that they are indicative
    expect(doc.quick).toBe(true);
    expect(doc.machine["cpu"]).toBe(cpus()[0]!.model.trim());
    expect(doc.machine["cores"]).toBe(cpus().length);
    expect(doc.machine["node"]).toBe(process.version);
    // progress on stderr: every step numbered n/m, the last step m/m, then done
    const steps = r.err.trim().split("\n").map((l) => /^bench --quick: (\d+)\/(\d+) (.*) \(/.exec(l)).filter((m) => m !== null);
    expect(steps.length).toBeGreaterThan(50);
    expect(steps[0]![1]).toBe("1");
    expect(steps[0]![3]).toBe("node crc32c pibkit 64 B");
    expect(steps.map((m) => Number(m[1]))).toEqual(steps.map((_m, i) => i + 1));
    expect(steps.at(-1)![1]).toBe(steps.at(-1)![2]);
    expect(r.err.trim().split("\n").at(-1)).toMatch(/^bench --quick: done \(100%/);
    const rows = doc.rows;
    expect(Array.isArray(rows)).toBe(true);
    for (const row of rows) {
      expect(typeof row["alg"]).toBe("string");
      expect(typeof row["impl"]).toBe("string");
      expect(Number.isInteger(row["bytes"])).toBe(true);
      // A number, finite and positive: a shape check, not a speed check.
      expect(Number.isFinite(row["mbps"])).toBe(true);
      expect(row["mbps"] as number).toBeGreaterThan(0);
    }
    const node = rows.filter((x) => x["engine"] === "node" && x["op"] === "digest");
    expect([...new Set(node.map((x) => x["impl"]))].sort()).toEqual([...PEERS].sort());
    for (const alg of ALGS) {
      for (const bytes of [64, 1024, 65536]) {
        expect(node.some((x) => x["alg"] === alg && x["impl"] === "pibkit" && x["bytes"] === bytes), `${alg} ${bytes}`).toBe(true);
      }
    }
    const q = rows.filter((x) => x["engine"] === "quickjs" && x["op"] === "digest");
    expect([...new Set(q.map((x) => x["impl"]))].sort()).toEqual(["@noble/hashes", "crc-32", "js-md5", "pibkit", "spark-md5"]);
    for (const alg of ALGS) expect(q.some((x) => x["alg"] === alg && x["impl"] === "pibkit" && !x["variant"]), alg).toBe(true);
    // the firmware builds' digest rows, one each (timed in the peers' VM, interleaved with them)
    for (const variant of ["firmware", "firmware:ssr-200mhz"]) {
      for (const alg of ["crc32c", "md5", "hmac-sha1"]) {
        expect(q.filter((x) => x["alg"] === alg && x["variant"] === variant && x["bytes"] === 65536), `${variant} ${alg}`).toHaveLength(1);
      }
    }
    for (const s of PIB_SUITES) {
      for (const op of ["sign", "verify"]) expect(rows.some((x) => x["alg"] === s && x["op"] === op && x["engine"] === "node"), `${op} ${s}`).toBe(true);
    }
    // --write-costs was not given: the checked-in cost file is untouched.
    expect(statSync(costs, { throwIfNoEntry: false })?.mtimeMs).toBe(before);
  }, 240_000);
});

describe("bench logic", () => {
  it("without dist/generic, the firmware bundled from src/ runs in QuickJS", async () => {
    const { newQuickJSWASMModule } = await import("quickjs-emscripten");
    const vm = (await newQuickJSWASMModule()).newContext();
    try {
      const r = vm.evalCode(
        (await firmwareFromSource()) +
          ';var c = new pibkit.Crc32c(); var b = new Uint8Array(9); for (var i = 0; i < 9; i++) b[i] = 49 + i; c.update(b, 0, 9); c.value().toString(16) + "/" + typeof pibkit.Verifier + "/" + typeof pibkit.KeyTable',
      );
      const h = vm.unwrapResult(r);
      const v = vm.dump(h) as string;
      h.dispose();
      expect(v).toBe("e3069283/function/function");
    } finally {
      vm.dispose();
    }
  });

  it("the checked-in bench/quickjs-costs.json has the format the simulator reads", () => {
    const c = JSON.parse(readFileSync("bench/quickjs-costs.json", "utf8")) as CostsFile;
    expect(c.format).toBe(COSTS_FORMAT);
    expect(c.host.clockHz).toBeGreaterThan(0);
    expect(c.suites.map((s) => s.suite).sort()).toEqual([4, 5, 6]);
    for (const s of c.suites) {
      for (const k of ["quickjsBytesPerSecond", "cyclesPerByte", "cyclesPerCall", "verifyCyclesPerByte", "verifyCyclesPerBundle"] as const) {
        expect(Number.isFinite(s[k]) && s[k] >= 0, `${s.name} ${k}`).toBe(true);
      }
      expect(s.cyclesPerByte).toBeGreaterThan(0);
      expect(s.verifyCyclesPerByte).toBeGreaterThan(0);
    }
    expect(c.suites.find((s) => s.suite === 5)!.name).toMatch(/INSECURE/);
    expect(c.suites.find((s) => s.suite === 6)!.name).toMatch(/INSECURE/);
  });

  it("refuses to time an implementation whose output is wrong", () => {
    const data = benchInput(64);
    const wrong: Impl = { alg: "md5", impl: "broken", kind: "js", run: () => "00", hex: (r) => r as string };
    expect(() => measure(wrong, data, "d41d8cd98f00b204e9800998ecf8427e", { rounds: 1, roundMs: 1, warmupMs: 0 })).toThrow(/broken md5 on 64 B gave 00/);
  });

  it("marks each goal ok or MISS from the rows (made-up figures)", () => {
    const rows: Row[] = [];
    const add = (alg: string, impl: string, kind: Row["kind"], bytes: number, mbps: number, engine: Row["engine"] = "node"): void => {
      rows.push({ alg, impl, kind, bytes, mbps, engine, op: "digest", nsPerOp: (bytes / mbps) * 1000 });
    };
    for (const n of [64, 1024]) {
      add("crc32c", "pibkit", "pibkit", n, 200);
      add("crc32c", "crc-32", "js", n, 100);
      add("md5", "pibkit", "pibkit", n, 120);
      add("md5", "spark-md5", "js", n, 100);
      add("sha1", "pibkit", "pibkit", n, 50);
      add("sha1", "@noble/hashes", "js", n, 40);
      add("hmac-sha1", "pibkit", "pibkit", n, 300);
      add("hmac-sha1", "@noble/hashes", "js", n, 100);
    }
    for (const alg of ALGS) {
      add(alg, "pibkit", "pibkit", 65536, 2, "quickjs");
      add(alg, alg === "crc32c" ? "crc-32" : "@noble/hashes", "js", 65536, 1, "quickjs");
    }
    const g = goals(rows, [64, 1024]);
    const by = (re: RegExp) => g.find((x) => re.test(x.goal))!;
    expect(by(/^CRC-32C/).ok).toBe(true);
    expect(by(/^MD5/).ok).toBe(false); // 1.2× < 1.3×
    expect(by(/^MD5/).reached).toMatch(/1\.20×/);
    expect(by(/^HMAC/).ok).toBe(true);
    expect(by(/at 64 B/).ok).toBe(true);
    expect(by(/QuickJS/).ok).toBe(true);
    const text = textReport({ rows, sizes: [64, 1024], goals: g, costs: null, costsPath: null, header: "test" });
    expect(text).toMatch(/\[MISS\] MD5/);
    expect(text).toMatch(/pibkit ÷ fastest pure-JS peer\s+2\.00×\s+2\.00×/);
  });

  it("a --quick report marks its goals indicative, never a bare MISS; --json carries the machine", () => {
    const rows: Row[] = [{ alg: "md5", impl: "pibkit", kind: "pibkit", bytes: 64, mbps: 1, engine: "node", op: "digest", nsPerOp: 64 }];
    const g = [
      { goal: "MD5 ≥ 1.3×", reached: "1.20×", ok: false },
      { goal: "HMAC ≥ 2×", reached: "3.00×", ok: true },
    ];
    const m = machine();
    const quick = textReport({ rows, sizes: [64], goals: g, costs: null, costsPath: null, header: `test\n${machineLine(m)}\n${QUICK_NOTE}`, quick: true, machine: m });
    expect(quick).toMatch(/INDICATIVE/);
    expect(quick).toMatch(/^Goals \(indicative/m);
    expect(quick).toMatch(/\[miss, indicative\] MD5/);
    expect(quick).toMatch(/\[ok, indicative\]\s+HMAC/);
    expect(quick).not.toMatch(/\[MISS\]|\[ ok \]/);
    const full = textReport({ rows, sizes: [64], goals: g, costs: null, costsPath: null, header: "test", quick: false, machine: m });
    expect(full).toMatch(/\[MISS\] MD5/);
    expect(full).toMatch(/\[ ok \] HMAC/);
    expect(full).not.toMatch(/indicative/i);
    expect(machineLine(m)).toBe(`Node ${process.version} on ${cpus()[0]!.model.trim()} (${count(cpus().length, "core")}, ${(m.clockHz / 1e9).toFixed(2)} GHz)`);
    const j = jsonReport({ rows, sizes: [64], goals: g, costs: null, costsPath: null, header: "", quick: true, machine: m });
    expect(j.quick).toBe(true);
    expect(j.machine).toEqual(m);
    expect(j.rows).toEqual([{ alg: "md5", impl: "pibkit", bytes: 64, mbps: 1, engine: "node", op: "digest", nsPerOp: 64 }]);
  });
});
