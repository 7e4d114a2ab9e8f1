/**
 * A sweep's report: the terminal table and ONE self-contained HTML file (no network,
 * no timestamps: the same sweep gives the same bytes) whose plots are the trade-off an
 * operator decides from — corrupted bundles delivered per terabyte against the
 * satellite's CPU seconds per day, and against the downlink wasted per day — one point
 * per suite × placement, with 95 % intervals on both axes.
 */
import { count } from "../../cli/plural.js";
import { isCompleteSweep, sweepRows, type SweepResult, type SweepRow } from "../sweep.js";
import type { Interval } from "../stats.js";
import { selfCheck } from "./selfCheck.js";
import { esc, fmtBytes } from "./svg.js";

function fmt(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "-";
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(2);
  if (a >= 100) return v.toFixed(0);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(3);
}

/** "value [low, high]" */
export function fmtInterval(i: Interval, f: (v: number) => string = fmt): string {
  if (Number.isNaN(i.value)) return "-";
  return `${f(i.value)} [${f(i.low)}, ${f(i.high)}]`;
}

const pct = (v: number): string => (Number.isFinite(v) ? (100 * v).toFixed(v > 0 && v < 0.01 ? 3 : 1) + "%" : "-");

function header(r: SweepResult): string {
  const c = r.config;
  return `pibkit sim sweep: ${c.scenarios.join(", ")} on ${c.board}, ${count(c.days, "day")} each, ${count(c.seeds.length, "seed")} (${c.seeds[0]}…${c.seeds[c.seeds.length - 1]}), ${c.mode} mode, ${c.scale} scale${c.ramBytes !== null ? `, RAM ${fmtBytes(c.ramBytes)} (what-if)` : ""}`;
}

export function sweepText(r: SweepResult): string {
  const lines = [header(r)];
  if (!isCompleteSweep(r)) lines.push(`PARTIAL: shards ${r.shards.join(",")} of ${r.shardCount}`);
  lines.push(`${count(r.cells.length, "campaign")}; rates with 95 % intervals: per TB = per 10^12 octets imaged (Garwood), shares (Wilson), per day = mean over seeds (t)`);
  lines.push("");
  const head = ["scenario", "checks", "suite", "corrupted delivered/TB", "missed/TB", "detected", "lost", "CPU s/day", "wasted downlink/day"];
  const rows = sweepRows(r).map((w) => [
    w.scenario,
    w.checks,
    w.suite === 0 ? "none" : `0x0${w.suite}`,
    fmtInterval(w.corruptedPerTB),
    fmtInterval(w.missedPerTB),
    fmtInterval(w.detectedShare, pct),
    fmtInterval(w.lostShare, pct),
    fmtInterval(w.cpuSecondsPerDay),
    fmtInterval(w.wastedBytesPerDay, (v) => fmtBytes(Math.max(0, Math.round(v)))),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((x) => x[i]!.length)));
  lines.push(head.map((h, i) => h.padEnd(widths[i]!)).join("  "));
  for (const x of rows) lines.push(x.map((v, i) => v.padEnd(widths[i]!)).join("  "));
  const exact = r.cells.reduce((a, c) => a + c.exactBundles, 0);
  if (r.config.mode === "stat") lines.push("", `statistical mode: ${count(exact, "bundle")} of ${r.cells.reduce((a, c) => a + c.bundles, 0).toLocaleString("en-US")} needed the firmware on their bytes (a header hit the header alone could not decide, a stuck cell)`);
  return lines.join("\n") + "\n";
}

/** Colour per suite (baseline grey), marker per placement. */
const SUITE_COLORS: Record<number, string> = { 0: "#777777", 4: "#7d4e9c", 5: "#3b6ea8", 6: "#2e933c" };
const MARKERS = ["circle", "square", "triangle", "diamond"];

function marker(kind: string, x: number, y: number, color: string, title: string): string {
  const t = `<title>${esc(title)}</title>`;
  if (kind === "square") return `<rect class="point" x="${(x - 4).toFixed(1)}" y="${(y - 4).toFixed(1)}" width="8" height="8" fill="${color}">${t}</rect>`;
  if (kind === "triangle") return `<polygon class="point" points="${x.toFixed(1)},${(y - 5).toFixed(1)} ${(x - 5).toFixed(1)},${(y + 4).toFixed(1)} ${(x + 5).toFixed(1)},${(y + 4).toFixed(1)}" fill="${color}">${t}</polygon>`;
  if (kind === "diamond") return `<polygon class="point" points="${x.toFixed(1)},${(y - 5).toFixed(1)} ${(x - 5).toFixed(1)},${y.toFixed(1)} ${x.toFixed(1)},${(y + 5).toFixed(1)} ${(x + 5).toFixed(1)},${y.toFixed(1)}" fill="${color}">${t}</polygon>`;
  return `<circle class="point" cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="4.5" fill="${color}">${t}</circle>`;
}

function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/**
 * A scatter of rows: x and y each an interval (bars drawn from low to high, the point
 * at the value); an interval with no finite upper end is drawn to the axis' end. The y
 * axis is logarithmic when the values span more than two decades (a checked suite
 * delivers hundreds of times fewer corrupted bundles than none), with 0 on a row of
 * its own below the decades. Points of one suite are spread a few pixels apart by
 * placement, so equal values stay visible.
 */
export function tradeoffPlot(name: string, title: string, rows: SweepRow[], checks: string[], xOf: (w: SweepRow) => Interval, xLabel: string, xFmt: (v: number) => string, yOf: (w: SweepRow) => Interval, yLabel: string): string {
  const W = 760, H = 420, left = 70, right = 20, top = 20, bottom = 96;
  const pw = W - left - right, ph = H - top - bottom;
  const finite = (v: number): number => (Number.isFinite(v) ? v : 0);
  const xmax = niceMax(Math.max(...rows.map((w) => finite(xOf(w).high)), ...rows.map((w) => finite(xOf(w).value))));
  const ymax = niceMax(Math.max(...rows.map((w) => finite(yOf(w).high)), ...rows.map((w) => finite(yOf(w).value))));
  const X = (v: number): number => left + (Math.min(Math.max(0, Number.isFinite(v) ? v : xmax), xmax) / xmax) * pw;
  const positive = rows.flatMap((w) => [yOf(w).low, yOf(w).value, yOf(w).high]).filter((v) => v > 0 && Number.isFinite(v));
  const lo = positive.length ? Math.floor(Math.log10(Math.min(...positive))) : 0;
  const hi = positive.length ? Math.ceil(Math.log10(Math.max(...positive))) : 0;
  const log = hi - lo > 2;
  const zeroRow = 18; // pixels under the lowest decade where 0 sits on a log axis
  const Y = (v: number): number => {
    const c = Number.isFinite(v) ? v : ymax;
    if (!log) return top + ph - (Math.min(Math.max(0, c), ymax) / ymax) * ph;
    if (c <= 0) return top + ph;
    return top + (ph - zeroRow) * (1 - (Math.min(Math.max(Math.log10(c), lo), hi) - lo) / (hi - lo));
  };
  let s = `<svg data-plot="${esc(name)}" role="img" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="11"><title>${esc(title)}</title>`;
  s += `<line x1="${left}" y1="${top + ph}" x2="${left + pw}" y2="${top + ph}" stroke="#333"/><line x1="${left}" y1="${top}" x2="${left}" y2="${top + ph}" stroke="#333"/>`;
  const yTicks: number[] = [];
  if (log) {
    yTicks.push(0);
    for (let e = lo; e <= hi; e++) yTicks.push(10 ** e);
  } else for (let k = 0; k <= 5; k++) yTicks.push((ymax * k) / 5);
  for (let k = 0; k <= 5; k++) {
    const xv = (xmax * k) / 5;
    s += `<line x1="${X(xv).toFixed(1)}" y1="${top + ph}" x2="${X(xv).toFixed(1)}" y2="${top + ph + 4}" stroke="#333"/><text x="${X(xv).toFixed(1)}" y="${top + ph + 16}" text-anchor="middle">${esc(xFmt(xv))}</text>`;
  }
  for (const yv of yTicks) {
    s += `<line x1="${left - 4}" y1="${Y(yv).toFixed(1)}" x2="${left}" y2="${Y(yv).toFixed(1)}" stroke="#333"/><text x="${left - 6}" y="${(Y(yv) + 4).toFixed(1)}" text-anchor="end">${esc(log && yv > 0 ? "1e" + Math.round(Math.log10(yv)) : fmt(yv))}</text>`;
  }
  s += `<text class="axis-title" x="${left + pw / 2}" y="${top + ph + 32}" text-anchor="middle">${esc(xLabel)}</text>`;
  s += `<text class="axis-title" transform="translate(14 ${top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel + (log ? " (log scale; 0 at the bottom)" : ""))}</text>`;
  for (const w of rows) {
    const x = xOf(w), y = yOf(w);
    if (Number.isNaN(x.value) || Number.isNaN(y.value)) continue;
    const color = SUITE_COLORS[w.suite] ?? "#333";
    const spread = (Math.max(0, checks.indexOf(w.checks)) - (checks.length - 1) / 2) * 4;
    const px = X(x.value) + spread, py = Y(y.value);
    s += `<line class="interval" x1="${(X(x.low) + spread).toFixed(1)}" y1="${py.toFixed(1)}" x2="${(X(x.high) + spread).toFixed(1)}" y2="${py.toFixed(1)}" stroke="${color}"/>`;
    s += `<line class="interval" x1="${px.toFixed(1)}" y1="${Y(y.low).toFixed(1)}" x2="${px.toFixed(1)}" y2="${Y(y.high).toFixed(1)}" stroke="${color}"/>`;
    const m = MARKERS[Math.max(0, checks.indexOf(w.checks)) % MARKERS.length]!;
    s += marker(m, px, py, color, `${w.name}, checks ${w.checks}: ${xLabel} ${fmtInterval(x, xFmt)}; ${yLabel} ${fmtInterval(y)}`);
  }
  // key: the suites' colours and the placements' markers drawn
  let kx = left, ky = H - 34;
  const suites = [...new Set(rows.map((w) => w.suite))];
  for (const id of suites) {
    const label = id === 0 ? "no checksum" : `0x0${id}`;
    s += `<rect class="key" x="${kx}" y="${ky - 9}" width="10" height="10" fill="${SUITE_COLORS[id] ?? "#333"}"/><text x="${kx + 14}" y="${ky}">${esc(label)}</text>`;
    kx += 24 + label.length * 6.2;
  }
  kx = left;
  ky = H - 14;
  checks.forEach((p, i) => {
    s += marker(MARKERS[i % MARKERS.length]!, kx + 5, ky - 4, "#333", `checks ${p}`) + `<text x="${kx + 14}" y="${ky}">checks: ${esc(p)}</text>`;
    kx += 30 + (p.length + 8) * 6.2;
  });
  return s + "</svg>";
}

const SELF_CHECK = selfCheck(".point");

const CSS = `
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; font-size: 0.8em; margin: 0.5em 0; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: right; vertical-align: top; white-space: nowrap; }
th:nth-child(-n+3), td:nth-child(-n+3) { text-align: left; }
.note { color: #555; font-size: 0.9em; }
.warn { color: #a33b20; font-weight: bold; }
`;

export function sweepHtml(r: SweepResult): string {
  const c = r.config;
  const rows = sweepRows(r);
  const gb = (v: number): string => (v / 1e9).toPrecision(3).replace(/\.?0+$/, "");
  let plots = "";
  c.scenarios.forEach((sc, i) => {
    const mine = rows.filter((w) => w.scenario === sc);
    plots += `<h2>${esc(sc)}</h2>`;
    plots += tradeoffPlot(`tradeoff-cpu-${i}`, `${sc}: corrupted bundles delivered per TB against the satellite's CPU seconds per day`, mine, c.checks, (w) => w.cpuSecondsPerDay, "satellite CPU seconds per day (signing + on-board checks)", fmt, (w) => w.corruptedPerTB, "corrupted delivered / TB");
    plots += tradeoffPlot(`tradeoff-downlink-${i}`, `${sc}: corrupted bundles delivered per TB against downlink wasted per day`, mine, c.checks, (w) => w.wastedBytesPerDay, "downlink wasted per day (GB, copies discarded on the ground)", gb, (w) => w.corruptedPerTB, "corrupted delivered / TB");
  });
  const head = ["scenario", "checks", "suite", "seeds", "bundles", "corrupted delivered / TB", "missed / TB", "detected share", "lost share", "CPU s / day", "wasted downlink / day"];
  const body = rows
    .map((w) => [w.scenario, w.checks, w.name, String(w.seeds), w.bundles.toLocaleString("en-US"), fmtInterval(w.corruptedPerTB), fmtInterval(w.missedPerTB), fmtInterval(w.detectedShare, pct), fmtInterval(w.lostShare, pct), fmtInterval(w.cpuSecondsPerDay), fmtInterval(w.wastedBytesPerDay, (v) => fmtBytes(Math.max(0, Math.round(v))))])
    .map((x) => `<tr>${x.map((v) => `<td>${esc(v)}</td>`).join("")}</tr>`)
    .join("");
  const partial = isCompleteSweep(r) ? "" : `<p class="warn">Partial sweep: shards ${esc(r.shards.join(", "))} of ${r.shardCount}.</p>`;
  const html = `
<h1>pibkit sim sweep — where to check, with which suite</h1>
${partial}
<p>${esc(header(r).replace(/^pibkit sim sweep: /, ""))}. ${esc(count(r.cells.length, "campaign"))}: every placement of the checks × every seed, each carrying one PIB per suite on the same bytes, so the points of one placement are a paired comparison.</p>
<p class="note">Each point is a suite checked at a placement (colour: suite; marker: placement); bars are 95 % intervals: Garwood's exact Poisson interval on the count of corrupted bundles delivered (missed by the checks, or corrupted before signing, which no checksum sees) per 10^12 octets imaged, and Student's t over seeds for CPU seconds and downlink per day. CPU seconds = cycles the suite costs the satellite (signing, and checking when the checks run on board) ÷ the board's clock. Down and to the left is better.</p>
${plots}
<h2>Every rate</h2>
<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${body}</tbody></table>
<p class="note">Shares are Wilson score intervals: detected ÷ (detected + missed), lost ÷ bundles. Placements: none — nothing checks; onboard — the satellite checks before the downlink and drops what fails (no downlink wasted, the bundle lost); relays — the ground station checks and asks the custodian for a resend; ground — only the destination checks.</p>
`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>pibkit sim sweep — ${esc(c.scenarios.join(", "))}</title>
<style>${CSS}</style>
<script>${SELF_CHECK}</script>
</head><body>${html}</body></html>
`;
}
