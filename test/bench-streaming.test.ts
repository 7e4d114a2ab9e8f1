/**
 * `pibkit bench --streaming` (bench/streaming.ts): verify and sign of one bundle per
 * suite, each a process of its own, against the same digest timed in this process in
 * each round. Timings are never asserted here (they belong in the bench's output): a
 * 1 MiB payload and one round only exercise the machinery and the checks on the outputs.
 */
import { describe, expect, it } from "vitest";
import { runStreamingBench, streamingTable } from "../bench/streaming.js";

describe("bench: streaming", () => {
  it("runs verify and sign per suite, each process's verdict checked, the kernel timed alongside", () => {
    const steps: string[] = [];
    const r = runStreamingBench({ mib: 1, rounds: 2, progress: (m) => steps.push(m) });
    expect(r.rows.map((x) => `${x.suite}/${x.command}`)).toEqual([
      "CRC-32C/verify",
      "CRC-32C/sign",
      "MD5/verify",
      "MD5/sign",
      "HMAC-SHA1 (NULL key)/verify",
      "HMAC-SHA1 (NULL key)/sign",
    ]);
    for (const x of r.rows) {
      // shape only: positive finite figures, each ratio the quotient of its two rates;
      // the goal's rate is per wall-clock second of the process, the other per CPU second
      expect(x.rssMB).toBeGreaterThan(0);
      expect(Number.isFinite(x.kernelMbps) && x.kernelMbps > 0).toBe(true);
      expect(x.ratio).toBeCloseTo(x.mbps / x.kernelMbps, 9);
      expect(x.mbps).toBeCloseTo(x.bytes / x.wallS / 1e6, 6);
      expect(x.cpuRatio).toBeCloseTo(x.cpuMbps / x.kernelMbps, 9);
      expect(x.cpuMbps).toBeCloseTo(x.bytes / x.cpuS / 1e6, 6);
    }
    // the kernel is timed in every round, between that round's processes
    const crc = steps.filter((m) => m.startsWith("CRC-32C: round"));
    expect(crc).toEqual([
      "CRC-32C: round 1/2, in-process kernel",
      "CRC-32C: round 1/2, verify",
      "CRC-32C: round 1/2, sign",
      "CRC-32C: round 2/2, in-process kernel",
      "CRC-32C: round 2/2, verify",
      "CRC-32C: round 2/2, sign",
    ]);
    expect(streamingTable(r)).toMatch(/CRC-32C +verify /);
  }, 120_000);
});
