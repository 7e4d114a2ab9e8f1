/**
 * `pibkit sim` from the outside (spawned bin/pibkit) and its reports: determinism of the
 * HTML, self-containment, the summary table, errors, shards through the CLI and
 * environment variables, and `pibkit sim merge`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCampaign } from "../sim/campaign.js";
import { htmlReport } from "../sim/report/html.js";
import { summaryText } from "../sim/report/text.js";
import type { SimResult } from "../sim/result.js";

const PLOTS = ["upsets-over-time", "outcomes-per-suite", "wasted-downlink", "ram-high-water"];

function pibkit(args: string[], env: Record<string, string> = {}): { code: number; out: string; err: string } {
  const r = spawnSync("bin/pibkit", args, { encoding: "utf8", env: { ...process.env, ...env } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe("reports", () => {
  it("the same seed gives byte-identical HTML and text; the HTML is self-contained", async () => {
    const o = { scenario: "test-tiny", board: "ssr-200mhz", suites: [4, 5, 6], days: 1, seed: 3, mode: "fast" as const };
    const a = await runCampaign(o);
    const b = await runCampaign(o);
    const ha = htmlReport(a);
    expect(htmlReport(b)).toBe(ha);
    expect(summaryText(b)).toBe(summaryText(a));
    for (const p of PLOTS) expect(ha).toContain(`data-plot="${p}"`);
    expect(ha).toContain("Content-Security-Policy");
    // nothing to fetch: no external src/href, no url(), no @import
    expect(ha).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(ha).not.toMatch(/url\(|@import/);
    // INSECURE suites say so; NULL-keyed HMAC says it is no security
    expect(ha).toContain("PIB-INSECURE-CRC32");
    expect(ha).toContain("NULL key — no security");
    // every assumption is labelled in the report
    for (const x of a.assumptions) expect(ha).toContain(x.name.replace(/&/g, "&amp;"));
  });

  it("the summary has one row per suite, baseline first", async () => {
    const r = await runCampaign({ scenario: "test-tiny", board: "ssr-200mhz", suites: [6, 4], days: 1, seed: 3, mode: "fast" });
    const t = summaryText(r).split("\n");
    const rows = t.filter((l) => /^(no checksum|0x0)/.test(l));
    expect(rows.map((l) => l.slice(0, 24).trim())).toEqual(["no checksum (baseline)", "0x06 PIB-INSECURE-CRC32", "0x04 PIB-HMAC (NULL key"]);
  });
});

describe("pibkit sim (CLI)", () => {
  it("has --help on sim and on merge", () => {
    const a = pibkit(["sim", "--help"]);
    expect(a.code).toBe(0);
    expect(a.out).toMatch(/usage: pibkit sim/);
    expect(a.out).toMatch(/SLURM_ARRAY_TASK_ID/);
    const b = pibkit(["sim", "merge", "--help"]);
    expect(b.code).toBe(0);
    expect(b.out).toMatch(/merge/);
  });

  it("names the valid scenarios and boards on a bad name, in one line, exit 2", () => {
    const a = pibkit(["sim", "--scenario", "nope"]);
    expect(a.code).toBe(2);
    expect(a.err.trim().split("\n")).toHaveLength(1);
    expect(a.err).toMatch(/unknown scenario "nope".*leo-ssr-2008/);
    const b = pibkit(["sim", "--board", "nope"]);
    expect(b.code).toBe(2);
    expect(b.err.trim().split("\n")).toHaveLength(1);
    expect(b.err).toMatch(/unknown board "nope".*ssr-200mhz/);
    for (const bad of [["--onboard-cpu", "lots"], ["--ram", "0"], ["--scale", "huge"], ["--suites", "7"], ["--days", "-1"], ["--mode", "turbo"], ["--shard", "3/3"], ["--seed", "x"], ["--bogus"]]) {
      const r = pibkit(["sim", ...bad]);
      expect(r.code, bad.join(" ")).toBe(2);
      expect(r.err).not.toMatch(/\n\s+at /); // never a stack trace
    }
    const m = pibkit(["sim", "merge", "/nonexistent.json"]);
    expect(m.code).toBe(2);
  });

  it("an --ram below what the device needs to start is a usage error naming the smallest usable value, and that value runs", () => {
    const base = ["sim", "--scenario", "test-tiny", "--days", "0.25", "--seed", "2", "--scale", "sim", "--quiet"];
    const common = [...base, "--mode", "engine"];
    const smallest = (r: { code: number; err: string }, ram: number): number => {
      expect(r.code, `--ram ${ram}`).toBe(2);
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.err).not.toMatch(/internal error/);
      const m = new RegExp(`--ram ${ram} is too small for .*test-tiny.*: the smallest --ram with which the device starts is ([0-9]+) `).exec(r.err);
      expect(m, r.err).not.toBeNull();
      return Number(m![1]);
    };
    // engine mode: found by starting the built firmware in QuickJS; one byte less does not start
    const min = smallest(pibkit([...common, "--ram", "10"]), 10);
    expect(min).toBeGreaterThan(10);
    expect(smallest(pibkit([...common, "--ram", String(min - 1)]), min - 1)).toBe(min);
    const ok = pibkit([...common, "--ram", String(min), "--json"]);
    expect(ok.code, ok.err).toBe(0);
    const r = JSON.parse(ok.out) as SimResult;
    expect(r.config.ramLimitBytes).toBe(min);
    expect(r.bundles).toBeGreaterThan(0);
    // the floor is the board's own firmware's (ssr-200mhz's speed-first build, whose
    // CRC-32C tables the generic build has not): at it the device starts, and only what
    // signing or checking needs beyond the start may run out of memory
    for (const e of r.oomEvents) expect(["sign", "verify"], JSON.stringify(e)).toContain(e.operation);
    expect(smallest(pibkit([...common, "--board", "espruino-puckjs", "--ram", "10"]), 10)).toBeLessThan(min - 100_000);
    // sim sweep checks the same floor (below it every cell would be 100 % lost)
    const sw = pibkit(["sim", "sweep", "--scenarios", "test-tiny", "--days", "0.25", "--seeds", "1", "--scale", "sim", "--checks", "ground", "--quiet", "--mode", "engine", "--ram", String(min - 1)]);
    expect(smallest(sw, min - 1)).toBe(min);
    // stat mode (the default): its witness signs in the engine, so the same floor as engine mode
    expect(smallest(pibkit([...base, "--ram", "10"]), 10)).toBe(min);
    // fast mode: its one rule, the agent's buffers (a piece as long as the image + 1,024
    // octets of header room, the 1,024-octet header, two 4,096-octet windows: the verifier's and the signer's)
    const tiny = JSON.parse(readFileSync("sim/scenarios/test-tiny.json", "utf8")) as { sim: { imageBytes: { value: number } } };
    expect(smallest(pibkit([...base, "--mode", "fast", "--ram", "10"]), 10)).toBe(tiny.sim.imageBytes.value + 1024 + 1024 + 2 * 4096);
  });

  it("shards from --shard, SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX merge into one run", () => {
    const dir = mkdtempSync(join(tmpdir(), "pibkit-sim-"));
    const common = ["sim", "--scenario", "test-tiny", "--days", "2", "--seed", "5", "--mode", "fast", "--scale", "sim", "--quiet"];
    const whole = pibkit([...common, "--json"]);
    expect(whole.code).toBe(0);
    const one = JSON.parse(whole.out) as SimResult;
    expect(pibkit([...common, "--shard", "0/3", "--out", dir]).code).toBe(0);
    expect(pibkit([...common, "--out", dir], { SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "3" }).code).toBe(0);
    expect(pibkit([...common, "--shards", "3", "--out", dir], { JOB_COMPLETION_INDEX: "2" }).code).toBe(0);
    const files = [0, 1, 2].map((i) => join(dir, `result-${i}-of-3.json`));
    const merged = pibkit(["sim", "merge", ...files, "--json", "--out", dir]);
    expect(merged.code).toBe(0);
    const m = JSON.parse(merged.out) as SimResult;
    expect(m.shards).toEqual([0, 1, 2]);
    expect(JSON.stringify({ ...m, shards: [0], shardCount: 1, ramHighWaterBytes: 0 })).toBe(JSON.stringify({ ...one, ramHighWaterBytes: 0 }));
    // the merged report is the one-run report, byte for byte (fast mode's RAM figure is the same in every shard)
    expect(readFileSync(join(dir, "report.html"), "utf8")).toBe(htmlReport(one));
    // a missing shard is an error naming it, in one line
    const part = pibkit(["sim", "merge", files[0]!, files[2]!]);
    expect(part.code).toBe(2);
    expect(part.err.trim().split("\n")).toHaveLength(1);
    expect(part.err).toMatch(/shard 1 of 3 missing \(result-1-of-3\.json\).*--partial/);
    expect(part.out).toBe("");
    // with --partial it merges what is there, and the summary and the result name what is missing
    const partial = pibkit(["sim", "merge", files[0]!, files[2]!, "--partial"]);
    expect(partial.code).toBe(0);
    expect(partial.out).toMatch(/PARTIAL: shards 0,2 of 3; missing 1\n/);
    const pdir = join(dir, "partial");
    const pj = pibkit(["sim", "merge", files[2]!, "--partial", "--json", "--out", pdir]);
    expect(pj.code).toBe(0);
    const pr = JSON.parse(pj.out) as SimResult & { missingShards?: number[] };
    expect(pr.shards).toEqual([2]);
    expect(pr.missingShards).toEqual([0, 1]);
    expect((JSON.parse(readFileSync(join(pdir, "result.json"), "utf8")) as { missingShards?: number[] }).missingShards).toEqual([0, 1]);
    expect(pj.err).toMatch(/partial: shards 0,1 of 3 missing/);
    // shard files edited by hand or cut short: named, one line, nothing merged
    const edited = (name: string, edit: (r: Record<string, unknown>) => void): string => {
      const r = JSON.parse(readFileSync(files[0]!, "utf8")) as Record<string, unknown>;
      edit(r);
      const f = join(dir, name);
      writeFileSync(f, JSON.stringify(r));
      return f;
    };
    for (const [f, want] of [
      [edited("no-bins.json", (r) => delete r["upsetBins"]), /differ in "upsetBins" \(in one only\): one of them is not a whole result/],
      [edited("string.json", (r) => (r["bundles"] = "6")), /differ in "bundles" \(number against string\)/],
      [edited("no-config.json", (r) => delete r["config"]), /differ in "config" \(in one only\)/],
      [edited("minus.json", (r) => (r["bundles"] = -3)), /"bundles" is -3/],
      [edited("index.json", (r) => (r["shards"] = [5])), /"shards" must list shard indexes from 0 to 2/],
      [edited("count.json", (r) => (r["shardCount"] = 1e12)), /"shardCount" must be a whole number from 1 to 100000/],
    ] as const) {
      const e = pibkit(["sim", "merge", files[1]!, f, files[2]!]);
      expect(e.code, f).toBe(2);
      expect(e.err.trim().split("\n"), f).toHaveLength(1);
      expect(e.err, f).toMatch(want);
      expect(e.err, f).not.toMatch(/internal error/);
    }
    // one file alone, with a field missing: still one line, no internal error
    const lone = pibkit(["sim", "merge", edited("lone.json", (r) => delete r["upsetBins"]), "--partial"]);
    expect(lone.code).toBe(2);
    expect(lone.err).toMatch(/not whole pibkit results/);
    // a complete merge of a partial result and the rest carries no stale missingShards
    const done = pibkit(["sim", "merge", join(pdir, "result.json"), files[0]!, files[1]!, "--json"]);
    expect(done.code, done.err).toBe(0);
    expect("missingShards" in (JSON.parse(done.out) as object)).toBe(false);
    // eight shards with the last one absent: the error names index 7
    const eight = [];
    for (let i = 0; i < 7; i++) {
      expect(pibkit([...common, "--shard", `${i}/8`, "--out", join(dir, "eight")]).code).toBe(0);
      eight.push(join(dir, "eight", `result-${i}-of-8.json`));
    }
    const e8 = pibkit(["sim", "merge", ...eight]);
    expect(e8.code).toBe(2);
    expect(e8.err).toMatch(/shard 7 of 8 missing \(result-7-of-8\.json\)/);
  });
});
