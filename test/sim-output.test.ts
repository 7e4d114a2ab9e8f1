/**
 * What `pibkit sim` prints as a user meets it: progress with exact counts and a right
 * percentage, counts in the singular when there is one, where the files went, and bad
 * options (numbers out of range, an --out that cannot be written) refused at once.
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { count } from "../cli/plural.js";
import { LINE_EVERY_S, percent, progressReporter } from "../cli/progress.js";
import { runCampaign } from "../sim/campaign.js";
import { htmlReport } from "../sim/report/html.js";
import { summaryText } from "../sim/report/text.js";
import type { SimResult } from "../sim/result.js";

function pibkit(args: string[]): { code: number; out: string; err: string } {
  // a run that should have been refused at once would otherwise hold the worker for hours
  const r = spawnSync("bin/pibkit", args, { encoding: "utf8", timeout: 120_000 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe("count and percent", () => {
  it("says 1 bundle, 1 day, and the plural otherwise", () => {
    expect(count(1, "bundle")).toBe("1 bundle");
    expect(count(0, "bundle")).toBe("0 bundles");
    expect(count(2, "day")).toBe("2 days");
    expect(count(0.5, "day")).toBe("0.5 days");
    expect(count(1234, "upset")).toBe("1,234 upsets");
    expect(count(1, "image bundle")).toBe("1 image bundle");
    expect(count(3, "child", "children")).toBe("3 children");
  });

  it("gives the exact percentage, one decimal, never 100 % before the end", () => {
    expect(percent(3, 8)).toBe("37.5%");
    expect(percent(1, 3)).toBe("33.3%");
    expect(percent(2, 3)).toBe("66.7%");
    expect(percent(4, 8)).toBe("50%");
    expect(percent(0, 8)).toBe("0%");
    expect(percent(1999, 2000)).toBe("99.9%");
    expect(percent(19999, 20000)).toBe("99.9%");
    expect(percent(8, 8)).toBe("100%");
    expect(percent(0, 0)).toBe("100%");
  });
});

describe("progress reporter", () => {
  it("off a terminal: a line per tenth, and one every few seconds when tenths come slowly", () => {
    const lines: string[] = [];
    let t = 0;
    const p = progressReporter("sim", { write: (s) => lines.push(s), tty: false, now: () => t });
    for (let k = 1; k <= 8; k++) p(k, 8, `${k}/8 bundles`);
    expect(lines).toHaveLength(8); // each of 8 crosses a tenth
    expect(lines[2]).toBe("sim: 3/8 bundles (37.5%)\n");
    expect(lines[7]).toBe("sim: 8/8 bundles (100%)\n");
    lines.length = 0;
    const q = progressReporter("sim", { write: (s) => lines.push(s), tty: false, now: () => t });
    q(1, 1000, "1/1000"); // first tenth: 0
    q(2, 1000, "2/1000"); // same tenth, no time passed: no line
    expect(lines).toHaveLength(1);
    t += LINE_EVERY_S * 1000;
    q(3, 1000, "3/1000"); // same tenth, but the seconds have passed
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(`sim: 3/1000 (0.3%, ${LINE_EVERY_S} s)\n`);
    q(1000, 1000, "1000/1000");
    expect(lines[2]).toMatch(/\(100%, \d+ s\)\n$/);
  });

  it("on a terminal: one line redrawn in place, ended by a newline", () => {
    const out: string[] = [];
    let t = 0;
    const p = progressReporter("bench", { write: (s) => out.push(s), tty: true, now: () => t });
    p(0, 2, "1/2 node crc32c pibkit 64 B");
    t += 1000;
    p(1, 2, "2/2 pib");
    p(2, 2, "done");
    expect(out.every((s) => s.startsWith("\r"))).toBe(true);
    expect(out.join("")).not.toMatch(/\n(?!$)/); // a single line until the end
    expect(out.at(-1)).toMatch(/done \(100%, 1 s\)\s*\n$/);
  });

  it("bench off a terminal: a line for every step (everyUpdate)", () => {
    const lines: string[] = [];
    const p = progressReporter("bench", { write: (s) => lines.push(s), tty: false, now: () => 0, everyUpdate: true });
    for (let k = 0; k < 30; k++) p(k, 100, `${k + 1}/100 step`);
    expect(lines).toHaveLength(30);
  });
});

describe("reports count in words", () => {
  it("one day, one bundle, one upset are singular in the text and HTML reports", async () => {
    const r: SimResult = await runCampaign({ scenario: "test-tiny", board: "ssr-200mhz", suites: [6], days: 1, seed: 3, mode: "fast" });
    const one: SimResult = { ...r, bundles: 1, corruptedBundles: 1, upsets: { ...r.upsets, total: 1 }, config: { ...r.config, days: 1 } };
    const t = summaryText(one);
    expect(t).toMatch(/, 1 day, seed 3/);
    expect(t).toMatch(/^1 bundle \(/m);
    expect(t).toMatch(/1 upset on held bundles/);
    expect(t).toMatch(/1 bundle reached a check corrupted/);
    expect(t).not.toMatch(/\b1 (bundles|days|upsets)\b|day\(s\)/);
    const h = htmlReport(one);
    expect(h).toMatch(/1 day, seed 3/);
    expect(h).toMatch(/1 image bundle,/);
    expect(h).toMatch(/1 upset hit held bundles/);
    expect(h).not.toMatch(/\b1 (bundles|days|upsets|image bundles)\b|day\(s\)/);
    const two = summaryText({ ...one, bundles: 2, config: { ...one.config, days: 2 } });
    expect(two).toMatch(/, 2 days, seed 3/);
    expect(two).toMatch(/^2 bundles \(/m);
  });
});

describe("pibkit sim output (CLI)", () => {
  it("runs from any working directory: scenarios, boards, costs and firmware are found from the repository, not the cwd", () => {
    const away = mkdtempSync(join(tmpdir(), "pibkit-cwd-"));
    const bin = join(process.cwd(), "bin", "pibkit");
    const r = spawnSync(bin, ["sim", "--scenario", "test-tiny", "--days", "0.25", "--quiet"], { encoding: "utf8", cwd: away, timeout: 120_000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    // stat mode's witness ran the board's built firmware, found under the repository
    expect(r.stdout).toMatch(/exact firmware beside it: dist\/boards\/ssr-200mhz\/\S+ in QuickJS/);
    expect(r.stdout).toMatch(/the same octets as the Node build's/);
    const v = spawnSync(bin, ["--version"], { encoding: "utf8", cwd: away });
    expect(v.stdout).toMatch(/^pibkit \d+\.\d+\.\d+/);
  });

  it("progress: exact counts and the right percentage on stderr", () => {
    const r = pibkit(["sim", "--scenario", "test-tiny", "--days", "2", "--mode", "fast", "--scale", "sim"]);
    expect(r.code, r.err).toBe(0);
    const lines = r.err.trim().split("\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) {
      const m = /^sim: (\d+)\/(\d+) bundles? \((\d+(?:\.\d)?)%(, \d+ s)?\)$/.exec(l);
      expect(m, l).not.toBeNull();
      const [done, total] = [Number(m![1]), Number(m![2])];
      expect(`${m![3]}%`, l).toBe(percent(done, total));
    }
    expect(lines.at(-1)).toMatch(/^sim: (\d+)\/\1 bundles \(100%/);
  });

  it("says where it wrote its files (stdout; stderr with --json)", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "pibkit-sim-out-")), "a", "b");
    const r = pibkit(["sim", "--scenario", "test-tiny", "--mode", "fast", "--scale", "sim", "--quiet", "--out", dir]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`wrote ${join(dir, "result.json")} and ${join(dir, "report.html")}`);
    expect(existsSync(join(dir, "report.html"))).toBe(true);
    const j = pibkit(["sim", "--scenario", "test-tiny", "--mode", "fast", "--scale", "sim", "--quiet", "--json", "--shard", "1/2", "--out", dir]);
    expect(j.code, j.err).toBe(0);
    expect((JSON.parse(j.out) as SimResult).shards).toEqual([1]);
    expect(j.err).toContain(`wrote ${join(dir, "result-1-of-2.json")}`);
    expect(j.err).toMatch(/merge all shards with pibkit sim merge/);
    const m = pibkit(["sim", "merge", join(dir, "result.json"), "--out", join(dir, "merged")]);
    expect(m.code, m.err).toBe(0);
    expect(m.out).toContain(`wrote ${join(dir, "merged", "result.json")} and ${join(dir, "merged", "report.html")}`);
  });

  it("shards started together into one new --out folder all succeed (mkdir -p race)", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "pibkit-sim-race-")), "x", "y");
    const runs = [0, 1, 2, 3].map(
      (i) =>
        new Promise<number>((done) => {
          execFile("bin/pibkit", ["sim", "--scenario", "test-tiny", "--mode", "fast", "--scale", "sim", "--quiet", "--shard", `${i}/4`, "--out", dir], (e) => done(e ? ((e as { code?: number }).code ?? -1) : 0));
        }),
    );
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0]);
    for (const i of [0, 1, 2, 3]) expect(existsSync(join(dir, `result-${i}-of-4.json`))).toBe(true);
  }, 120_000);

  it("an --out that cannot be written is a usage error before the run", () => {
    const base = mkdtempSync(join(tmpdir(), "pibkit-sim-bad-"));
    const file = join(base, "file");
    writeFileSync(file, "x");
    for (const out of [join(file, "sub"), file, ""]) {
      // 365 engine-mode days would run for hours: only a check made before the run returns
      const r = pibkit(["sim", "--days", "365", "--out", out]);
      expect(r.code, out).toBe(2);
      expect(r.out, out).toBe("");
      expect(r.err.trim().split("\n"), out).toHaveLength(1);
      expect(r.err, out).toMatch(/^pibkit sim: error: --out .*(a file stands in the path|not a directory|needs a directory name)/);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    expect(readFileSync(file, "utf8")).toBe("x");
    const m = pibkit(["sim", "merge", "/nonexistent.json", "--out", join(file, "sub")]);
    expect(m.code).toBe(2);
  });

  it("numbers out of range name the allowed range", () => {
    const cases: Array<[string[], RegExp]> = [
      [["--days", "-1"], /--days must be .*above 0 and at most 3650.*got "-1"/],
      [["--days", "0"], /--days .*above 0 and at most 3650.*got "0"/],
      [["--days", "3651"], /--days .*at most 3650.*got "3651"/],
      [["--days", "two"], /--days .*got "two"/],
      [["--seed", "-1"], /--seed .*from 0 to 2\^53-1, got "-1"/],
      [["--ram", "0"], /--ram .*from 1 to 2\^53-1, got "0"/],
      [["--onboard-cpu", "101"], /--onboard-cpu must be a percentage from 0 to 100.*got "101"/],
      [["--suites", "4,hmac"], /--suites lists suite 4 twice \("4,hmac"\)/],
    ];
    for (const [args, re] of cases) {
      const r = pibkit(["sim", ...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.err, args.join(" ")).toMatch(re);
    }
  });
});
