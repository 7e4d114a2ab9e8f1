/**
 * The HTML report in a real browser: Debian's headless Chromium opens the file, and
 * the page's own check (sim/report/html.ts) writes into <body> which plots rendered
 * with a non-empty box and which errors happened (script errors, blocked fetches).
 * `--dump-dom` gives us the DOM after load. A broken copy of the page proves the
 * check can fail. CI installs chromium (.ci/run); without it this test is skipped
 * with one line saying so. PIBKIT_CHROMIUM names another browser binary.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCampaign } from "../sim/campaign.js";
import { htmlReport } from "../sim/report/html.js";
import { sweepHtml } from "../sim/report/sweep.js";
import { runSweep } from "../sim/sweep.js";
import { needs } from "./support/shared.js";

const WANTED = process.env["PIBKIT_CHROMIUM"] ? [process.env["PIBKIT_CHROMIUM"]] : ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
const CHROMIUM = WANTED.find((p) => existsSync(p));
const HAVE_CHROMIUM = needs(
  CHROMIUM !== undefined,
  "the HTML report in headless Chromium (every plot rendered, no script error)",
  `${WANTED.join(" or ")} not found; apt-get install -y chromium (.ci/run installs it)`,
);
const PLOTS = ["upsets-over-time", "outcomes-per-suite", "wasted-downlink", "ram-high-water"];

/** Loads a file in headless Chromium and returns the <body> attributes after load. */
function bodyAfterLoad(file: string): Record<string, string> {
  const profile = mkdtempSync(join(tmpdir(), "pibkit-chromium-"));
  // flags: no sandbox (CI runs as root), no background networking or updates, fixed virtual time
  const r = spawnSync(
    CHROMIUM!,
    ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", `--user-data-dir=${profile}`, "--virtual-time-budget=5000", "--dump-dom", "file://" + file],
    { encoding: "utf8", timeout: 90_000 },
  );
  const m = /<body([^>]*)>/.exec(r.stdout ?? "");
  if (!m) throw new Error(`chromium gave no DOM (status ${r.status}): ${(r.stderr ?? "").slice(0, 500)}`);
  const attrs: Record<string, string> = {};
  for (const a of m[1]!.matchAll(/([a-z-]+)="([^"]*)"/g)) attrs[a[1]!] = a[2]!;
  return attrs;
}

describe.runIf(HAVE_CHROMIUM)("HTML report in headless Chromium", () => {
  it("renders every plot with no error; a broken page is caught", async () => {
    const r = await runCampaign({ scenario: "test-tiny", board: "ssr-200mhz", suites: [4, 5, 6], days: 1, seed: 11, mode: "fast" });
    const dir = mkdtempSync(join(tmpdir(), "pibkit-report-"));
    const good = join(dir, "report.html");
    const html = htmlReport(r);
    writeFileSync(good, html);
    const g = bodyAfterLoad(good);
    expect(g["data-plots"]).toBe(String(PLOTS.length));
    expect((g["data-plots-rendered"] ?? "").split(",").sort()).toEqual([...PLOTS].sort());
    expect(g["data-errors"]).toBe("");

    // control: an empty plot, a script error and a fetch must all show up
    const broken = join(dir, "broken.html");
    writeFileSync(
      broken,
      html
        .replace(/(<svg data-plot="wasted-downlink"[^>]*>)[\s\S]*?<\/svg>/, "$1</svg>")
        .replace("</body>", '<img src="http://example.invalid/x.png"><script>notDefined();</script></body>'),
    );
    const b = bodyAfterLoad(broken);
    expect(b["data-plots-rendered"]).not.toContain("wasted-downlink");
    expect(b["data-errors"]).toMatch(/notDefined/);
    expect(b["data-errors"]).toMatch(/blocked/);
  }, 180_000);

  it("renders the sweep's trade-off plots, every point drawn, with no error", async () => {
    const r = await runSweep({ scenarios: ["test-tiny", "quiet"], checks: ["none", "onboard", "relays", "ground"], suites: [4, 5, 6], seeds: [1, 2], days: 1, board: "ssr-200mhz", mode: "stat", scale: "sim", ramBytes: null });
    const file = join(mkdtempSync(join(tmpdir(), "pibkit-sweep-")), "sweep.html");
    writeFileSync(file, sweepHtml(r));
    const g = bodyAfterLoad(file);
    const plots = ["tradeoff-cpu-0", "tradeoff-downlink-0", "tradeoff-cpu-1", "tradeoff-downlink-1"];
    expect(g["data-plots"]).toBe(String(plots.length));
    expect((g["data-plots-rendered"] ?? "").split(",").sort()).toEqual(plots.sort());
    expect(g["data-errors"]).toBe("");
  }, 180_000);
});
