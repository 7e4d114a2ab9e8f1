/**
 * Verdicts and pictures of the size report (targets/sizeReport.ts measures): the
 * budgets of targets/budgets.json checked against the figures, the terminal table and
 * the SVG chart.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./engineRun.js";
import type { BoardRow, FeatureRow, FitRow, ModuleRow, SizeReport } from "./sizeReport.js";

export interface BudgetRow {
  id: string;
  what: string;
  value: number;
  max?: number;
  min?: number;
  goal?: number;
  goalMet: boolean | null;
  ok: boolean;
  unit: string;
}

export interface BudgetFile {
  limits: Array<{ id: string; what: string; max?: number; min?: number; goal?: number; unit: string }>;
}

/** targets/budgets.json, or the file named by PIBKIT_BUDGETS (tests use it to prove a breach fails). */
export function loadBudgets(): BudgetFile {
  const file = process.env["PIBKIT_BUDGETS"] || join(ROOT, "targets/budgets.json");
  return JSON.parse(readFileSync(file, "utf8")) as BudgetFile;
}

/** Reads a figure by budget id (`<target>.<feature>.<what>`, see targets/budgets.json). */
export function figure(id: string, r: { modules: ModuleRow[]; features: FeatureRow[]; boards: BoardRow[]; fit?: FitRow[] }): number {
  const [scope, name, what] = id.split(".") as [string, string, string];
  if (scope === "fit") {
    // fit.<firmware>.<board>: that firmware's free share on that board with a 4 KiB buffer,
    // once loaded (the what-fits matrix prints x when the load peak does not fit)
    const c = (r.fit ?? []).find((x) => x.firmware === name && x.board === what);
    if (!c) throw new Error("budget names unknown firmware/board " + id);
    return c.headroomPercent;
  }
  if (scope === "board") {
    const b = r.boards.find((x) => x.board === name);
    if (!b) throw new Error("budget names unknown board " + name);
    if (what === "headroom-percent") return b.headroomPercent;
    if (what === "storage-free-percent" && b.storage) return b.storage.freePercent;
    if (what === "ram-upload-free-percent" && b.ramUpload) return b.ramUpload.freePercent;
    throw new Error("unknown budget id " + id);
  }
  const f = r.features.find((x) => x.feature === name);
  const m = r.modules.find((x) => x.module === name);
  const row = f ?? m;
  if (!row) throw new Error("budget names unknown feature/module " + name);
  if (scope === "espruino" && what === "bytes") return row.espruino.bytes;
  if (scope === "espruino" && what === "gzip") return row.espruino.gzip;
  if (scope === "moddable" && what === "bytes") return row.moddable.bytes;
  if (scope === "ram" && what === "quickjs") return row.ramQuickJs;
  if (scope === "ram" && what === "buffers") return row.bufferBytes;
  if (scope === "storage" && what === "jsvars" && f) return f.storage.jsVars;
  throw new Error("unknown budget id " + id);
}

export function checkBudgets(file: BudgetFile, r: { modules: ModuleRow[]; features: FeatureRow[]; boards: BoardRow[]; fit?: FitRow[] }): BudgetRow[] {
  return file.limits.map((l) => {
    const value = figure(l.id, r);
    const ok = (l.max === undefined || value <= l.max) && (l.min === undefined || value >= l.min);
    let goalMet: boolean | null = null;
    if (l.goal !== undefined) goalMet = l.min !== undefined ? value >= l.goal : value <= l.goal;
    return { id: l.id, what: l.what, value, max: l.max, min: l.min, goal: l.goal, goalMet, ok, unit: l.unit } as BudgetRow;
  });
}

function pad(s: string | number, n: number, right = false): string {
  const t = String(s);
  return right ? t.padStart(n) : t.padEnd(n);
}

/** Terminal table. */
/**
 * The on-board path (src/onboard/) by the same module layering: the primitive rows are
 * shared, while bundle parsing, canonicalization and the PIB logic are one closure
 * (src/onboard/pibPath.ts), so they are one layer: pib-path minus the primitives; the
 * key table is pib-path+keys minus pib-path.
 */
function onboardLayers(r: SizeReport): string | null {
  const path = r.features.find((f) => f.feature === "pib-path");
  const keys = r.features.find((f) => f.feature === "pib-path+keys");
  const prim = r.modules.filter((m) => ["sdnv", "crc32c", "md5", "sha1+hmac"].includes(m.module));
  if (!path || prim.length !== 4) return null;
  const p = prim.reduce((a, m) => a + m.espruino.bytes, 0);
  const k = keys ? `; keys add-on (pib-path+keys − pib-path) ${keys.espruino.bytes - path.espruino.bytes} B` : "";
  return `on-board pib-path ${path.espruino.bytes} B = primitives (sdnv, crc32c, md5, sha1+hmac above) ${p} B + bundle, canonicalization and pib in one closure (src/onboard/pibPath.ts) ${path.espruino.bytes - p} B${k}`;
}

export function formatReport(r: SizeReport): string {
  const out: string[] = [];
  out.push("pibkit firmware size (modules layered: each module's bytes are what it adds)");
  out.push("");
  out.push(`${pad("module", 18)}${pad("espruino B", 12, true)}${pad("gzip", 8, true)}${pad("moddable B", 12, true)}${pad("gzip", 8, true)}${pad("RAM QuickJS B", 15, true)}${pad("buffers B", 11, true)}${pad("XS slots", 10, true)}${pad("JsVars", 8, true)}`);
  for (const m of r.modules) {
    out.push(`${pad(m.module, 18)}${pad(m.espruino.bytes, 12, true)}${pad(m.espruino.gzip, 8, true)}${pad(m.moddable.bytes, 12, true)}${pad(m.moddable.gzip, 8, true)}${pad(m.ramQuickJs, 15, true)}${pad(m.bufferBytes, 11, true)}${pad(m.ramXsSlots ?? "-", 10, true)}${pad(m.jsVars, 8, true)}`);
  }
  out.push("(modules layered as the ground library, src/index.ts, builds them; the firmware's pib-path is the on-board path below)");
  const onboard = onboardLayers(r);
  if (onboard) out.push(onboard);
  out.push("");
  out.push(`${pad("firmware", 18)}${pad("espruino B", 12, true)}${pad("gzip", 8, true)}${pad("moddable B", 12, true)}${pad("gzip", 8, true)}${pad("buffers B", 11, true)}${pad("RAM QuickJS B", 15, true)}${pad("XS slots", 10, true)}${pad("JsVars", 8, true)}${pad("fn/par", 9, true)}${pad("code JsV", 10, true)}`);
  for (const f of r.features) {
    out.push(`${pad(f.feature, 18)}${pad(f.espruino.bytes, 12, true)}${pad(f.espruino.gzip, 8, true)}${pad(f.moddable.bytes, 12, true)}${pad(f.moddable.gzip, 8, true)}${pad(f.bufferBytes, 11, true)}${pad(f.ramQuickJs, 15, true)}${pad(f.ramXsSlots ?? "-", 10, true)}${pad(f.jsVars, 8, true)}${pad(f.storage.functions + "/" + f.storage.parameters, 9, true)}${pad(f.storage.jsVars, 10, true)}`);
  }
  out.push("(start-up objects, the caller's bundle buffer aside: pib-path and insecure-crc32 = Verifier(9,8,4) + Signer(8,8,v); pib-path+keys and full");
  out.push(" add KeyTable(4,8,v); relays = Relay(Verifier(8,8,4)). 'buffers B' = octets of the distinct ArrayBuffers behind them: THE static-RAM");
  out.push(" figure, compared with the 2,048 B goal. 'RAM QuickJS B' = the same objects measured in QuickJS, an engine figure with QuickJS's");
  out.push(" per-object overhead; XS slots = slots allocated while starting up; JsVars = Espruino estimate of the objects (Puck.js blocks).");
  out.push(" fn/par = functions/parameters in the Espruino file; code JsV = its Storage-form code estimate, code in flash)");
  out.push("");
  out.push("boards (whole PIB path + a 4 KiB bundle buffer; Espruino: both loading forms, estimates)");
  for (const b of r.boards) out.push(`  ${pad(b.board, 20)}${pad(b.fits ? "fits" : "DOES NOT FIT", 14)}${pad(b.headroomPercent.toFixed(1) + "% free", 12, true)}  ${b.detail}`);
  out.push("");
  const firmwares = [...new Set(r.fit.map((x) => x.firmware))];
  out.push("what fits (free share with a 4 KiB bundle buffer, Espruino in the Storage form; x = does not fit)");
  out.push(`  ${pad("board", 20)}${firmwares.map((f) => pad(f, 16, true)).join("")}`);
  for (const b of [...new Set(r.fit.map((x) => x.board))]) {
    const cells = firmwares.map((f) => {
      const c = r.fit.find((x) => x.board === b && x.firmware === f)!;
      return pad(c.fits ? c.headroomPercent.toFixed(1) + "%" : "x", 16, true);
    });
    out.push(`  ${pad(b, 20)}${cells.join("")}`);
  }
  out.push("");
  out.push("budgets (targets/budgets.json)");
  for (const b of r.budgets) {
    const lim = b.max !== undefined ? `≤ ${b.max}` : `≥ ${b.min}`;
    const goal = b.goal === undefined ? "" : `  goal ${b.min !== undefined ? "≥" : "≤"} ${b.goal}: ${b.goalMet ? "met" : "NOT met"}`;
    out.push(`  ${b.ok ? "ok  " : "FAIL"} ${pad(b.id, 46)}${pad(b.value + " " + b.unit, 16, true)}  budget ${lim}${goal}`);
  }
  out.push("");
  out.push(r.ok ? "all budgets met" : "BUDGET EXCEEDED");
  return out.join("\n") + "\n";
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** An SVG bar chart: per module Espruino minified and gzip bytes, then per board free share. */
export function reportSvg(r: SizeReport): string {
  const W = 900;
  const rowH = 26;
  const left = 150;
  const barW = 460;
  const maxB = Math.max(...r.modules.map((m) => m.espruino.bytes), 1);
  const parts: string[] = [];
  let y = 40;
  parts.push(`<text x="10" y="24" font-size="16" font-weight="bold">pibkit firmware size per module (Espruino file, bytes)</text>`);
  for (const m of r.modules) {
    const w = Math.max(1, (m.espruino.bytes / maxB) * barW);
    const g = Math.max(1, (m.espruino.gzip / maxB) * barW);
    parts.push(`<text x="${left - 8}" y="${y + 16}" font-size="13" text-anchor="end">${esc(m.module)}</text>`);
    parts.push(`<rect x="${left}" y="${y + 2}" width="${w.toFixed(1)}" height="10" fill="#4878a8"/>`);
    parts.push(`<rect x="${left}" y="${y + 13}" width="${g.toFixed(1)}" height="8" fill="#9cc0e0"/>`);
    parts.push(`<text x="${left + w + 6}" y="${y + 12}" font-size="11">${m.espruino.bytes} B (gzip ${m.espruino.gzip})</text>`);
    y += rowH;
  }
  y += 10;
  parts.push(`<text x="10" y="${y + 14}" font-size="16" font-weight="bold">firmware files (Espruino, bytes; dashed: the 8,192 B goal)</text>`);
  y += 24;
  const maxF = Math.max(...r.features.map((f) => f.espruino.bytes), 8192);
  for (const f of r.features) {
    const w = Math.max(1, (f.espruino.bytes / maxF) * barW);
    parts.push(`<text x="${left - 8}" y="${y + 14}" font-size="13" text-anchor="end">${esc(f.feature)}</text>`);
    parts.push(`<rect x="${left}" y="${y + 3}" width="${w.toFixed(1)}" height="14" fill="${f.espruino.bytes <= 8192 ? "#5a9" : "#4878a8"}"/>`);
    parts.push(`<line x1="${left + (8192 / maxF) * barW}" y1="${y}" x2="${left + (8192 / maxF) * barW}" y2="${y + 20}" stroke="#333" stroke-dasharray="3,2"/>`);
    parts.push(`<text x="${left + w + 6}" y="${y + 14}" font-size="11">${f.espruino.bytes} B, buffers ${f.bufferBytes} B</text>`);
    y += 22;
  }
  y += 10;
  parts.push(`<text x="10" y="${y + 14}" font-size="16" font-weight="bold">whole PIB path + 4 KiB buffer: free memory per board</text>`);
  y += 24;
  for (const b of r.boards) {
    const free = Math.max(0, Math.min(100, b.headroomPercent));
    parts.push(`<text x="${left - 8}" y="${y + 14}" font-size="13" text-anchor="end">${esc(b.board)}</text>`);
    parts.push(`<rect x="${left}" y="${y + 3}" width="${barW}" height="14" fill="${b.fits ? "#eee" : "#f2c4c4"}"/>`);
    parts.push(`<rect x="${left}" y="${y + 3}" width="${((free / 100) * barW).toFixed(1)}" height="14" fill="${b.fits ? (free >= 50 ? "#5a9" : "#db3") : "#c44"}"/>`);
    if (b.ramUpload) {
      // thin bar under it: the same firmware uploaded to RAM (text in JsVars)
      const ru = Math.max(0, Math.min(100, b.ramUpload.freePercent));
      parts.push(`<rect x="${left}" y="${y + 17}" width="${((ru / 100) * barW).toFixed(1)}" height="4" fill="${b.ramUpload.fits ? "#888" : "#c44"}"/>`);
    }
    parts.push(`<line x1="${left + barW / 2}" y1="${y}" x2="${left + barW / 2}" y2="${y + 20}" stroke="#333" stroke-dasharray="3,2"/>`);
    const label = b.ramUpload && b.storage
      ? `Storage ${b.storage.freePercent.toFixed(1)}% / RAM upload ${b.ramUpload.freePercent.toFixed(1)}% free${b.fits ? "" : " — does not fit"}`
      : `${b.headroomPercent.toFixed(1)}% free${b.fits ? "" : " — does not fit"}`;
    parts.push(`<text x="${left + barW + 6}" y="${y + 14}" font-size="11">${label}</text>`);
    y += 26;
  }
  y += 10;
  parts.push(`<text x="10" y="${y + 10}" font-size="11" fill="#555">dark bar: minified, light bar: gzip; board bars: Espruino in the Storage form (code in flash), thin grey bar: RAM upload (estimates);</text>`);
  y += 14;
  parts.push(`<text x="10" y="${y + 10}" font-size="11" fill="#555">dashed line: 50% free (the Puck.js goal); red: does not fit</text>`);
  const H = y + 24;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">\n<rect width="${W}" height="${H}" fill="white"/>\n${parts.join("\n")}\n</svg>\n`;
}
