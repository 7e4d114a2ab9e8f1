/**
 * The whole-process section of `pibkit bench` (bench/process.ts): every contender runs
 * as its own process and its output is checked before any time counts; the goals are
 * judged from the rows. Timings are never asserted here (they belong in the bench's
 * output): a small file, a few bundles and one round only exercise the machinery.
 */
import { describe, expect, it } from "vitest";
import { basis, processGoals, processTable, runProcessBench, speedup, type ProcessRow } from "../bench/process.js";

describe("bench: whole processes", () => {
  it("runs pibkit and each peer on the same file, all outputs agreeing, and verify over many files", async () => {
    const r = await runProcessBench({ rounds: 1, mib: 1, bundles: 30, progress: () => {} });
    expect(r.rows.map((x) => `${x.what}/${x.impl}`)).toEqual([
      "start-up/node -e 0",
      "start-up/pibkit",
      "crc32c/pibkit",
      "crc32c/crc-32",
      "md5/pibkit",
      "md5/spark-md5",
      "hmac-sha1/pibkit",
      "hmac-sha1/@noble/hashes",
      "verify/pibkit",
    ]);
    for (const x of r.rows) {
      // shape only: positive finite times
      expect(x.wallMs).toBeGreaterThan(0);
      expect(x.minMs).toBeLessThanOrEqual(x.wallMs);
    }
    expect(r.rows[3]!.command).toBe("node bench/streamPeer.mjs crc32c out/bench/stream-1MiB.bin");
    expect(r.goals.map((g) => g.goal)).toHaveLength(5);
    expect(processTable(r)).toMatch(/crc32c +crc-32 /);
  }, 120_000);

  it("judges the goals from the rows (made-up figures)", () => {
    const mk = (what: string, impl: string, wallMs: number): ProcessRow => ({ what, impl, command: "", wallMs, minMs: wallMs, cpuMs: null });
    // without CPU times (not Linux) the ratios are taken on wall-clock medians
    const rows = [
      mk("start-up", "node -e 0", 100),
      mk("start-up", "pibkit", 149),
      mk("crc32c", "pibkit", 300),
      mk("crc32c", "crc-32", 299),
      mk("md5", "pibkit", 400),
      mk("md5", "spark-md5", 520),
      mk("hmac-sha1", "pibkit", 400),
      mk("hmac-sha1", "@noble/hashes", 800),
      mk("verify", "pibkit", 500),
    ];
    expect(speedup(rows, "md5", "spark-md5")).toBeCloseTo(1.3);
    expect(processGoals(rows, 10_000).map((g) => g.ok)).toEqual([true, false, true, true, true]);
    rows[8] = mk("verify", "pibkit", 501);
    expect(processGoals(rows, 10_000)[4]!.ok).toBe(false);
    // with CPU times on every row, those decide
    const cpu = rows.map((r) => ({ ...r, cpuMs: r.wallMs * 2 }));
    cpu[1] = { ...cpu[1]!, cpuMs: 300 };
    expect(basis(cpu)).toBe("cpu");
    expect(processGoals(cpu, 10_000)[0]!.ok).toBe(false);
  });
});
