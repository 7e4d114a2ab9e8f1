/**
 * The HTML report: ONE self-contained file (inline CSS and SVG, no network — a
 * Content-Security-Policy forbids any fetch), deterministic for a given result (no
 * timestamps), so the same seed gives the same bytes.
 *
 * A few lines of inline script only check the page itself: every plot has a non-empty
 * box, and any error or blocked fetch is written into <body data-errors>. The browser
 * test (test/sim-report-browser.test.ts) reads those attributes from headless Chromium.
 */
import { OUTCOMES } from "../classify.js";
import { selfCheck } from "./selfCheck.js";
import { isComplete, type SimResult } from "../result.js";
import { COLORS, esc, fmtBytes, ramPerBoard, stackedBars, upsetTimeline } from "./svg.js";
import { count, noun } from "../../cli/plural.js";
import { n, ramMeaning, witnessOutcome } from "./text.js";

const OUTCOME_COLORS: Record<string, string> = {
  intact: COLORS.intact,
  detected: COLORS.detected,
  missed: COLORS.missed,
  "false-alarm": COLORS["false-alarm"],
  "out-of-memory": COLORS["out-of-memory"],
  exposure: COLORS.exposureClass,
};

const SELF_CHECK = selfCheck("rect, line, text");

const CSS = `
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 960px; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
table.text td, table.text th { text-align: left; }
.note { color: #555; font-size: 0.9em; }
.assumed { background: #fff6d6; }
.warn { color: #a33b20; font-weight: bold; }
`;

function table(head: string[], rows: string[][], cls = ""): string {
  return `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

export function htmlReport(r: SimResult): string {
  const c = r.config;
  const suites = r.suites;
  const checked = suites.filter((s) => s.suite !== 0);
  const partial = isComplete(r) ? "" : `<p class="warn">Partial result: ${noun(r.shards.length, "shard")} ${esc(r.shards.join(", "))} of ${r.shardCount}. Merge all shards with <code>pibkit sim merge</code>.</p>`;
  const outcomePlot = stackedBars(
    "outcomes-per-suite",
    "Outcome of every bundle, per suite: detections and misses",
    suites.map((s) => ({ label: s.name, values: s.outcomes })),
    OUTCOMES.map((o) => ({ label: o, color: OUTCOME_COLORS[o]! })),
    (v) => count(Math.round(v), "bundle"),
  );
  const wastedPlot = stackedBars(
    "wasted-downlink",
    "Downlink bytes spent on copies the ground then discarded, per suite",
    checked.map((s) => ({ label: s.name, values: [s.wastedDownlinkBytes] })),
    [{ label: "wasted downlink bytes", color: COLORS.missed }],
    (v) => fmtBytes(v),
  );
  const ramPlot = ramPerBoard(r.ramHighWaterBytes, c.board, r.boardRam);
  const timeline = upsetTimeline(r.upsetBins, r.exposureBins, c.binSeconds, r.saa, r.passes, c.days * 86400);
  const outcomeRows = suites.map((s) => [s.name, ...s.outcomes.map((v) => n(v))]);
  const costRows = checked.map((s) => [
    s.name,
    n(s.detectedAt["satellite"] ?? 0),
    n(s.detectedAt["ground-station"] ?? 0),
    n(s.recovered),
    n(s.lost),
    fmtBytes(s.wastedDownlinkBytes),
    n(s.resends),
    s.recovered > 0 ? `${n(s.resendDelaySeconds / s.recovered)} s` : "-",
    n(r.bundles > 0 ? s.bytesDigested / r.bundles : 0),
    r.bundles > 0 ? (s.cycles / r.bundles / 1e6).toFixed(2) : "0",
    r.bundles > 0 && c.clockHz > 0 ? (s.cycles / r.bundles / c.clockHz).toFixed(3) : "-",
  ]);
  const oomRows = r.oomEvents.slice(0, 50).map((e) => [String(e.bundle), e.operation, `${n(e.time)} s`, fmtBytes(e.bundleBytes)]);
  const body = `
<h1>pibkit sim — ${esc(c.scenario)} on ${esc(c.board)}</h1>
${partial}
<p>${esc(count(c.days, "day"))}, seed ${esc(String(c.seed))}, ${esc(c.mode)} mode${c.mode === "engine" ? " (the built firmware in QuickJS, RAM limit from the board)" : c.mode === "stat" ? ` (verdicts from each bundle's flipped bits: CRC-32C by its syndrome, MD5 and HMAC-SHA1 catch any flip; header hits decided from the header; ${esc(count(r.exactBundles ?? 0, "bundle"))} that it could not decide went through the firmware on the Node build)` : " (the same agent on the Node build)"}.${witnessLine(r)}
${count(r.bundles, "image bundle")}, ${esc(fmtBytes(c.bytesPerDay))} imaged per day, ${esc(fmtBytes(r.downlinkedBytes))} sent on first transmission.
${count(r.upsets.total, "upset")} hit held bundles (${n(r.upsets.multiBit)} multi-bit); ${n(r.upsets.exposure)} hit images before their PIBs were computed;
${count(r.corruptedBundles, "bundle")} reached a check corrupted.</p>

<h2>Outcomes per suite</h2>
${outcomePlot}
${table(["suite", ...OUTCOMES], outcomeRows)}
<p class="note"><b>missed</b>: delivered with data corrupted after signing and every check passed.
<b>exposure</b>: corrupted between the image landing in memory and its PIB being computed — signed as if correct; no checksum can see it.
<b>false-alarm</b>: discarded although only PIB bytes were hit. Suites are compared on the same bytes: one bundle carries one PIB per suite, and each suite's fate follows its own PIB's verdict.</p>

<h2>Upsets over orbit time</h2>
${timeline}

<h2>What detection cost</h2>
${wastedPlot}
${table(["suite", "detected on board", "detected on ground", "recovered by resend", "lost", "wasted downlink", "resends", "mean resend delay", "octets digested / bundle", "Mcycles / bundle", "s on board / bundle"], costRows)}
<p class="note">Cycles = octets the suite digests on the board (signing, plus on-board checks within the byte budget) × cycles per octet from ${esc(c.costSource)}; seconds on board = cycles ÷ the board's clock (${c.clockHz > 0 ? esc(String(c.clockHz / 1e6)) + " MHz" : "unknown"}), assuming its interpreter needs as many cycles per operation as QuickJS.
A resend carries the custodian's copy: damage in the recorder comes back with it; only EDAC repairs the recorder.</p>

<h2>Memory</h2>
${ramPlot}
<p class="note">High-water and limit: ${esc(ramMeaning(r))}; this run's limit is ${esc(fmtBytes(c.ramLimitBytes))} (${esc(c.board)}), and going over it is out of memory.</p>
<p>Out-of-memory events: ${n(r.oomEvents.length)}${r.oomEvents.length > 50 ? " (first 50 shown)" : ""}.</p>
${oomRows.length ? table(["bundle", "operation", "time", "image"], oomRows) : ""}

<h2>Figures with sources</h2>
${table(["figure", "value", "source"], r.figures.map((f) => [f.name, f.value, f.source]), "text")}

<h2>Assumptions (no published source)</h2>
${table(["figure", "value", "why this value"], r.assumptions.map((a) => [a.name, a.value, a.why]), "text assumed")}
`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>pibkit sim — ${esc(c.scenario)}, ${esc(c.board)}, seed ${esc(String(c.seed))}</title>
<style>${CSS}</style>
<script>${SELF_CHECK}</script>
</head><body>${body}</body></html>
`;
}

/** Stat mode: what the board's exact firmware did beside the run (sim/witness.ts), one sentence. */
function witnessLine(r: SimResult): string {
  const w = r.firmwareWitness;
  if (w === undefined) return "";
  return `\nThe board's exact firmware (${esc(w.firmware)}) in QuickJS under the board's RAM signed a stand-in of ${esc(n(w.payloadBytes))} octets with the run's SDNV lengths: ${esc(witnessOutcome(w))}.`;
}
