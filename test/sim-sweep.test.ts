/**
 * Campaign sweeps: the confidence intervals against published values, shards merged
 * exactly, the trade-off plot's points, and the CLI (sweep, merge).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sweepHtml } from "../sim/report/sweep.js";
import { MergeError } from "../sim/result.js";
import { chiSquareQuantile, garwood, meanInterval, wilson } from "../sim/stats.js";
import { mergeSweeps, runSweep, sweepCells, sweepRows, type SweepConfig, type SweepResult } from "../sim/sweep.js";

const CONFIG: SweepConfig = { scenarios: ["test-tiny"], checks: ["none", "onboard", "relays", "ground"], suites: [4, 5, 6], seeds: [1, 2, 3], days: 1, board: "ssr-200mhz", mode: "stat", scale: "sim", ramBytes: null };

describe("confidence intervals", () => {
  it("Wilson's score interval matches published values", () => {
    // Newcombe, Stat. Med. 17 (1998) table I: 81/263 → 0.2553–0.3662; 0/10 → 0–0.2775; 15/148 → 0.0624–0.1605
    const a = wilson(81, 263);
    expect(a.low).toBeCloseTo(0.2553, 4);
    expect(a.high).toBeCloseTo(0.3662, 4);
    expect(wilson(0, 10).low).toBe(0);
    expect(wilson(0, 10).high).toBeCloseTo(0.2775, 4);
    const c = wilson(15, 148);
    expect(c.low).toBeCloseTo(0.0624, 4);
    expect(c.high).toBeCloseTo(0.1605, 4);
    expect(wilson(10, 10).high).toBe(1);
  });

  it("Garwood's Poisson interval matches the exact tables", () => {
    expect(chiSquareQuantile(0.95, 1)).toBeCloseTo(3.841459, 5);
    expect(chiSquareQuantile(0.025, 20)).toBeCloseTo(9.590777, 5);
    const z = garwood(0);
    expect(z.low).toBe(0);
    expect(z.high).toBeCloseTo(3.688879, 5);
    const one = garwood(1);
    expect(one.low).toBeCloseTo(0.025318, 5);
    expect(one.high).toBeCloseTo(5.571643, 5);
    const ten = garwood(10);
    expect(ten.low).toBeCloseTo(4.795389, 4);
    expect(ten.high).toBeCloseTo(18.39036, 4);
    // as a rate: the same interval divided by the exposure
    const r = garwood(10, 2.5);
    expect(r.value).toBe(4);
    expect(r.high).toBeCloseTo(18.39036 / 2.5, 4);
  });

  it("Student's t interval of a mean", () => {
    const m = meanInterval([1, 2, 3, 4, 5]); // mean 3, s = 1.5811, t(4) = 2.776
    expect(m.value).toBe(3);
    expect(m.high - m.value).toBeCloseTo((2.776 * 1.5811388) / Math.sqrt(5), 3);
    expect(meanInterval([7]).low).toBe(7);
  });
});

describe("sweeps", () => {
  it("numbers the grid scenario, placement, seed; shards merge to exactly one run", async () => {
    const cells = sweepCells(CONFIG);
    expect(cells.length).toBe(12);
    expect(cells[4]).toEqual({ index: 4, scenario: "test-tiny", checks: "onboard", seed: 2 });
    const whole = await runSweep(CONFIG);
    const parts: SweepResult[] = [];
    for (let i = 0; i < 5; i++) parts.push(await runSweep(CONFIG, { index: i, count: 5 }));
    const merged = mergeSweeps(parts.reverse());
    expect(JSON.stringify({ ...merged, shardCount: 1, shards: [0] })).toBe(JSON.stringify(whole));
    expect(() => mergeSweeps([parts[0]!, parts[0]!])).toThrow(/twice/);
    expect(() => mergeSweeps([parts[0]!, { ...parts[1]!, config: { ...CONFIG, days: 2 } }])).toThrow(MergeError);
  });

  it("one row per scenario × placement × suite (baseline included), rates from the merged integers", async () => {
    const r = await runSweep(CONFIG);
    const rows = sweepRows(r);
    expect(rows.length).toBe(4 * 4);
    const none = rows.filter((w) => w.checks === "none");
    // nothing checks: every suite delivers what the baseline delivers
    for (const w of none) expect(w.corruptedPerTB).toEqual(none[0]!.corruptedPerTB);
    expect(none[0]!.corruptedPerTB.value).toBeGreaterThan(0);
    const onboard = rows.filter((w) => w.checks === "onboard" && w.suite !== 0);
    for (const w of onboard) {
      expect(w.wastedBytesPerDay.value).toBe(0);
      expect(w.corruptedPerTB.value).toBeLessThan(none[0]!.corruptedPerTB.value);
      expect(w.corruptedPerTB.low).toBeLessThanOrEqual(w.corruptedPerTB.value);
      expect(w.corruptedPerTB.high).toBeGreaterThan(w.corruptedPerTB.value);
    }
    const relays = rows.find((w) => w.checks === "relays" && w.suite === 6)!;
    expect(relays.wastedBytesPerDay.value).toBeGreaterThan(0);
    // CRC-32C costs the satellite less than the NULL-keyed HMAC
    expect(relays.cpuSecondsPerDay.value).toBeLessThan(rows.find((w) => w.checks === "relays" && w.suite === 4)!.cpuSecondsPerDay.value);
    // the counts behind a rate: corrupted delivered = missed + exposure over the seeds
    let k = 0;
    for (const c of r.cells) if (c.checks === "none") k += c.suites[0]!.outcomes[2]! + c.suites[0]!.outcomes[5]!;
    expect(none[0]!.corruptedPerTB.value).toBeCloseTo(k / (none[0]!.imagedBytes / 1e12), 6);
  });

  it("the trade-off plots: one point per suite × placement, with both intervals", async () => {
    const html = sweepHtml(await runSweep(CONFIG));
    for (const plot of ["tradeoff-cpu-0", "tradeoff-downlink-0"]) {
      const svg = html.slice(html.indexOf(`data-plot="${plot}"`), html.indexOf("</svg>", html.indexOf(`data-plot="${plot}"`)));
      expect(svg.length).toBeGreaterThan(100);
      expect((svg.match(/class="point"/g) ?? []).length).toBe(16 + 4); // 16 points + 4 placement keys
      expect((svg.match(/class="interval"/g) ?? []).length).toBe(32);
    }
    expect(html).toContain("Garwood");
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/); // self-contained
  });
});

describe("pibkit sim sweep (CLI)", () => {
  const pibkit = (args: string[]): { code: number; out: string; err: string } => {
    const r = spawnSync("bin/pibkit", args, { encoding: "utf8" });
    return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
  };

  it("--help has examples; bad values are one-line usage errors", () => {
    const h = pibkit(["sim", "sweep", "--help"]);
    expect(h.code).toBe(0);
    expect(h.out).toContain("examples:");
    expect(h.out).toContain("--shard I/N");
    for (const args of [["--checks", "everywhere"], ["--seeds", "0"], ["--scenarios", "nowhere"], ["--mode", "quick"], ["--suites", "7"], ["--suites", "none"]]) {
      const r = pibkit(["sim", "sweep", ...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err.trim().split("\n"), args.join(" ")).toHaveLength(1);
    }
    // the range said is the one enforced
    for (const n of ["0", "100001"]) expect(pibkit(["sim", "sweep", "--seeds", n]).err).toContain(`--seeds must be a number of seeds, a whole number from 1 to 100,000, got "${n}"`);
  });

  it("runs at flight size unless told --scale sim, as pibkit sim does", () => {
    const r = pibkit(["sim", "sweep", "--scenarios", "test-tiny", "--days", "0.2", "--seeds", "1", "--checks", "none", "--quiet", "--json"]);
    expect(r.code, r.err).toBe(0);
    const sweep = JSON.parse(r.out) as SweepResult;
    expect(sweep.config.scale).toBe("flight");
    expect(sweep.cells[0]!.imagedBytes).toBe(sweep.cells[0]!.bundles * 200_000_000);
  });

  it("shards into one folder, merged by pibkit sim merge into sweep.json and sweep.html", () => {
    const dir = mkdtempSync(join(tmpdir(), "pibkit-sweep-"));
    const common = ["sim", "sweep", "--scenarios", "test-tiny", "--scale", "sim", "--days", "1", "--seeds", "2", "--checks", "onboard,ground", "--quiet", "--out", dir];
    for (const i of [0, 1]) expect(pibkit([...common, "--shard", `${i}/2`]).code).toBe(0);
    expect(existsSync(join(dir, "sweep.html"))).toBe(false);
    const missing = pibkit(["sim", "merge", join(dir, "sweep-0-of-2.json")]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/shard 1 of 2 missing \(sweep-1-of-2\.json\).*--partial/);
    // --partial merges what is there: no sweep.html for part of a sweep, and the note says why
    const pdir = mkdtempSync(join(tmpdir(), "pibkit-sweep-partial-"));
    const part = pibkit(["sim", "merge", join(dir, "sweep-1-of-2.json"), "--partial", "--out", pdir]);
    expect(part.code, part.err).toBe(0);
    expect(part.out).toContain("PARTIAL: shards 1 of 2");
    expect(part.out).toMatch(/wrote \S+sweep\.json \(partial: shard 0 of 2 missing, so no sweep\.html\)/);
    expect(existsSync(join(pdir, "sweep.html"))).toBe(false);
    rmSync(pdir, { recursive: true });
    const m = pibkit(["sim", "merge", join(dir, "sweep-0-of-2.json"), join(dir, "sweep-1-of-2.json"), "--out", dir]);
    expect(m.code).toBe(0);
    expect(m.out).toContain("4 campaigns");
    expect(readFileSync(join(dir, "sweep.html"), "utf8")).toContain('data-plot="tradeoff-cpu-0"');
    // the merged sweep equals one unsharded run
    const whole = execFileSync("bin/pibkit", common.filter((a) => a !== "--out" && a !== dir).concat(["--json"]), { encoding: "utf8" });
    const merged = JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")) as SweepResult;
    expect(JSON.stringify({ ...merged, shardCount: 1, shards: [0] }) + "\n").toBe(whole);
  }, 60_000);
});
