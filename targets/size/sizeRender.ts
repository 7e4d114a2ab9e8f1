/**
 * Verdicts and pictures of the size report (targets/size/sizeReport.ts measures): the
 * budgets of targets/size/budgets.json checked against the figures, the terminal table, the
 * JSON view and the SVG chart.
 *
 * Every figure a budget reads has a basis: "measured" (the size of the built file, or
 * an engine measurement of the start-up objects), "estimated" (the Espruino JsVar
 * model, free shares per board) or "unmeasured" (an engine figure under --no-engines).
 * An unmeasured figure is never compared with its budget or goal: the row says "not
 * checked" and the summary counts it apart.
 *
 * A budget (`max`/`min`) fails the command when exceeded. A `goal` is a budget too —
 * not met fails the command — unless the row marks it `"goalRole": "info"`, with a
 * `goalNote` saying whose goal it is; an informational goal is reported, never fails.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { count as plural } from "../../cli/plural.js";
import { ROOT } from "../hosts/engineRun.js";
import type { BoardRow, FeatureRow, FitRow, ModuleRow, SizeReport } from "./sizeReport.js";

/** How a figure was obtained. */
export type Basis = "measured" | "estimated" | "unmeasured";

export interface BudgetRow {
  id: string;
  what: string;
  /** null when the figure was not measured (--no-engines) */
  value: number | null;
  basis: Basis;
  max?: number;
  min?: number;
  goal?: number;
  /** "budget": a goal not met fails the command; "info": reported only (goalNote says why) */
  goalRole?: "budget" | "info";
  goalNote?: string;
  /** true/false, or null when there is no goal or the figure was not measured */
  goalMet: boolean | null;
  /** the figure is within the ceiling/floor; null when there is none or the figure was not measured */
  within: boolean | null;
  /** the ceiling/floor and a budget goal hold; false when either fails; true when not checked (see `checked`) */
  ok: boolean;
  /** false when the figure was not measured: neither the budget nor the goal was compared */
  checked: boolean;
  unit: string;
}

export interface BudgetLimit {
  id: string;
  what: string;
  max?: number;
  min?: number;
  goal?: number;
  goalRole?: "budget" | "info";
  goalNote?: string;
  unit: string;
}

export interface BudgetFile {
  about?: string;
  limits: BudgetLimit[];
}

/** A budgets file that cannot be used: the CLI prints the message as a usage error. */
export class BudgetFileError extends Error {}

/** targets/size/budgets.json, or the file named by PIBKIT_BUDGETS (tests use it to prove a breach fails). */
export function loadBudgets(): BudgetFile {
  const file = process.env["PIBKIT_BUDGETS"] || join(ROOT, "targets/size/budgets.json");
  let j: BudgetFile;
  try {
    j = JSON.parse(readFileSync(file, "utf8")) as BudgetFile;
  } catch (e) {
    throw new BudgetFileError(`budgets file ${file}: ${(e as Error).message.split("\n")[0]}`);
  }
  if (!j || !Array.isArray(j.limits)) throw new BudgetFileError(`budgets file ${file}: no "limits" array`);
  for (const l of j.limits) {
    const bad = (why: string): never => {
      throw new BudgetFileError(`budgets file ${file}: ${l && l.id ? l.id : "a limit"}: ${why}`);
    };
    if (!l || typeof l.id !== "string") bad('no "id"');
    if (l.max === undefined && l.min === undefined && l.goal === undefined) bad('needs "max", "min" or "goal"');
    if (l.max !== undefined && l.min !== undefined) bad('"max" and "min" both given (one direction per figure)');
    for (const k of ["max", "min", "goal"] as const) if (l[k] !== undefined && typeof l[k] !== "number") bad(`"${k}" must be a number`);
    if (l.goalRole !== undefined && l.goalRole !== "budget" && l.goalRole !== "info") bad(`"goalRole" is "${String(l.goalRole)}" (allowed: "budget", "info")`);
    if (l.goalRole !== undefined && l.goal === undefined) bad('"goalRole" without "goal"');
    if (l.goalRole === "info" && !l.goalNote) bad('an informational goal needs a "goalNote" saying whose goal it is');
  }
  return j;
}

type Figures = { modules: ModuleRow[]; features: FeatureRow[]; boards: BoardRow[]; fit?: FitRow[]; engines?: boolean };

/**
 * Reads a figure by budget id (`<target>.<feature>.<what>`, see targets/size/budgets.json),
 * with its basis. Engine figures (start-up RAM, and the board free shares that include
 * it) are "unmeasured" when the report ran without engines.
 */
export function figureOf(id: string, r: Figures): { value: number | null; basis: Basis } {
  const engines = r.engines !== false;
  const engineFigure = (value: number, basis: Basis): { value: number | null; basis: Basis } => (engines ? { value, basis } : { value: null, basis: "unmeasured" });
  const [scope, name, what] = id.split(".") as [string, string, string];
  if (scope === "fit") {
    // fit.<firmware>.<board>: that firmware's free share on that board with a 4 KiB buffer,
    // once loaded (the what-fits matrix prints x when the load peak does not fit)
    const c = (r.fit ?? []).find((x) => x.firmware === name && x.board === what);
    if (!c) throw new BudgetFileError("budget names unknown firmware/board " + id);
    return engineFigure(c.headroomPercent, "estimated");
  }
  if (scope === "board") {
    const b = r.boards.find((x) => x.board === name);
    if (!b) throw new BudgetFileError("budget names unknown board " + name);
    if (what === "headroom-percent") return engineFigure(b.headroomPercent, "estimated");
    if (what === "storage-free-percent" && b.storage) return engineFigure(b.storage.freePercent, "estimated");
    if (what === "ram-upload-free-percent" && b.ramUpload) return engineFigure(b.ramUpload.freePercent, "estimated");
    throw new BudgetFileError("unknown budget id " + id);
  }
  const f = r.features.find((x) => x.feature === name);
  const m = r.modules.find((x) => x.module === name);
  const row = f ?? m;
  if (!row) throw new BudgetFileError("budget names unknown feature/module " + name);
  if (scope === "espruino" && what === "bytes") return { value: row.espruino.bytes, basis: "measured" };
  if (scope === "espruino" && what === "gzip") return { value: row.espruino.gzip, basis: "measured" };
  if (scope === "moddable" && what === "bytes") return { value: row.moddable.bytes, basis: "measured" };
  if (scope === "ram" && what === "quickjs") return engineFigure(row.ramQuickJs, "measured");
  if (scope === "ram" && what === "buffers") return engineFigure(row.bufferBytes, "measured");
  if (scope === "storage" && what === "jsvars" && f) return { value: f.storage.jsVars, basis: "estimated" };
  throw new BudgetFileError("unknown budget id " + id);
}

export function checkBudgets(file: BudgetFile, r: Figures): BudgetRow[] {
  return file.limits.map((l) => {
    const { value, basis } = figureOf(l.id, r);
    const goalRole = l.goal === undefined ? undefined : (l.goalRole ?? "budget");
    const base = { id: l.id, what: l.what, value, basis, max: l.max, min: l.min, goal: l.goal, goalRole, goalNote: l.goalNote, unit: l.unit };
    if (value === null) return { ...base, goalMet: null, within: null, ok: true, checked: false } as BudgetRow;
    const within = l.max === undefined && l.min === undefined ? null : (l.max === undefined || value <= l.max) && (l.min === undefined || value >= l.min);
    let goalMet: boolean | null = null;
    // a goal runs the way its budget does (a floor: at least; a ceiling or none: at most)
    if (l.goal !== undefined) goalMet = l.min !== undefined ? value >= l.goal : value <= l.goal;
    const ok = within !== false && !(goalRole === "budget" && goalMet === false);
    return { ...base, goalMet, within, ok, checked: true } as BudgetRow;
  });
}

/** The summary of every budget and goal: counts, and the line the text report ends with. */
export interface Verdict {
  ok: boolean;
  budgets: { total: number; met: number; exceeded: string[]; notChecked: string[] };
  goals: { total: number; met: string[]; notMet: string[]; notChecked: string[]; info: { met: string[]; notMet: string[]; notChecked: string[] } };
  /** one line: what was checked, what failed, what was not checked */
  summary: string;
}

function fmtValue(b: BudgetRow): string {
  return b.value === null ? "unmeasured" : `${b.value} ${b.unit}`;
}

function limitText(b: BudgetRow): string {
  return b.max !== undefined ? `≤ ${b.max} ${b.unit}` : b.min !== undefined ? `≥ ${b.min} ${b.unit}` : "";
}

function goalText(b: BudgetRow): string {
  return `${b.min !== undefined ? "≥" : "≤"} ${b.goal} ${b.unit}`;
}

/** Why a figure was not measured, and how to measure it. */
export const NOT_CHECKED = "not checked (needs engines: run without --no-engines)";

export function verdictOf(rows: BudgetRow[]): Verdict {
  const budgetRows = rows.filter((b) => b.max !== undefined || b.min !== undefined);
  const exceeded = budgetRows.filter((b) => b.within === false);
  const notChecked = budgetRows.filter((b) => !b.checked);
  const goalRows = rows.filter((b) => b.goal !== undefined);
  const g = (role: "budget" | "info") => goalRows.filter((b) => b.goalRole === role);
  const goals = {
    total: g("budget").length,
    met: g("budget").filter((b) => b.goalMet === true).map((b) => b.id),
    notMet: g("budget").filter((b) => b.goalMet === false).map((b) => b.id),
    notChecked: g("budget").filter((b) => !b.checked).map((b) => b.id),
    info: {
      met: g("info").filter((b) => b.goalMet === true).map((b) => b.id),
      notMet: g("info").filter((b) => b.goalMet === false).map((b) => b.id),
      notChecked: g("info").filter((b) => !b.checked).map((b) => b.id),
    },
  };
  const ok = exceeded.length === 0 && goals.notMet.length === 0;
  const byId = new Map(rows.map((b) => [b.id, b]));
  const parts: string[] = [];
  const met = budgetRows.length - exceeded.length - notChecked.length;
  if (exceeded.length) {
    parts.push(`BUDGET EXCEEDED: ${exceeded.length} of ${plural(budgetRows.length, "budget")} exceeded: ${exceeded.map((b) => `${b.id} ${fmtValue(b)} (budget ${limitText(b)})`).join(", ")}`);
    parts.push(`${met} met`);
  } else if (budgetRows.length) {
    parts.push(notChecked.length ? `${met} of ${plural(budgetRows.length, "budget")} met` : `all ${plural(budgetRows.length, "budget")} met`);
  }
  if (notChecked.length) parts.push(`${notChecked.length} not checked (engine figures: run without --no-engines)`);
  if (goals.notMet.length) {
    const lead = exceeded.length ? "" : "GOAL NOT MET: ";
    parts.push(`${lead}${plural(goals.notMet.length, "goal")} NOT met: ${goals.notMet.map((id) => `${id} ${fmtValue(byId.get(id)!)} (goal ${goalText(byId.get(id)!)})`).join(", ")}`);
  }
  if (goals.met.length) parts.push(`${plural(goals.met.length, "goal")} met`);
  if (goals.notChecked.length) parts.push(`${plural(goals.notChecked.length, "goal")} not checked: ${goals.notChecked.join(", ")}`);
  for (const [list, how] of [[goals.info.notMet, "NOT met"], [goals.info.met, "met"], [goals.info.notChecked, "not checked"]] as const) {
    if (!list.length) continue;
    parts.push(
      `${plural(list.length, "informational goal")} ${how} (reported, not a budget): ` +
        list.map((id) => { const b = byId.get(id)!; return `${id} ${fmtValue(b)} (goal ${goalText(b)}: ${b.goalNote})`; }).join(", "),
    );
  }
  return {
    ok,
    budgets: { total: budgetRows.length, met, exceeded: exceeded.map((b) => b.id), notChecked: notChecked.map((b) => b.id) },
    goals,
    summary: parts.join("; ") || "no budgets",
  };
}

/** One budget's line in the text report. */
export function budgetLine(b: BudgetRow): string {
  const status = !b.checked ? "skip" : b.ok ? "ok  " : "FAIL";
  const lim = limitText(b);
  let text = lim ? `budget ${lim}` : "";
  if (!b.checked && lim) text += `: ${NOT_CHECKED}`;
  else if (lim && b.checked) text += b.within ? ": met" : ": EXCEEDED";
  if (b.goal !== undefined) {
    const role = b.goalRole === "info" ? ` (information: ${b.goalNote})` : "";
    const v = !b.checked ? (lim ? "not checked" : NOT_CHECKED) : b.goalMet ? "met" : "NOT met";
    text += `${text ? "; " : ""}goal ${goalText(b)}${role}: ${v}`;
  }
  return `  ${status} ${pad(b.id, 46)}${pad(b.value === null ? "-" : fmtValue(b), 12, true)}  ${pad(b.basis, 10)}  ${text}`;
}

function pad(s: string | number, n: number, right = false): string {
  const t = String(s);
  return right ? t.padStart(n) : t.padEnd(n);
}

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

/** The terminal table. Engine figures print as "-" when they were not measured. */
export function formatReport(r: SizeReport): string {
  const engines = r.engines !== false;
  const e = (v: number | null): string | number => (engines && v !== null ? v : "-");
  const out: string[] = [];
  out.push("pibkit firmware size (modules layered: each module's bytes are what it adds)");
  if (!engines) out.push("engine figures NOT MEASURED (--no-engines): RAM, XS slots, JsVars and board free shares print as - and their budgets are not checked");
  out.push("");
  out.push(`${pad("module", 18)}${pad("espruino B", 12, true)}${pad("gzip", 8, true)}${pad("moddable B", 12, true)}${pad("gzip", 8, true)}${pad("RAM QuickJS B", 15, true)}${pad("buffers B", 11, true)}${pad("XS slots", 10, true)}${pad("JsVars", 8, true)}`);
  for (const m of r.modules) {
    out.push(`${pad(m.module, 18)}${pad(m.espruino.bytes, 12, true)}${pad(m.espruino.gzip, 8, true)}${pad(m.moddable.bytes, 12, true)}${pad(m.moddable.gzip, 8, true)}${pad(e(m.ramQuickJs), 15, true)}${pad(e(m.bufferBytes), 11, true)}${pad(e(m.ramXsSlots), 10, true)}${pad(e(m.jsVars), 8, true)}`);
  }
  out.push("(modules layered as the ground library, src/entries/full.ts, builds them; the firmware's pib-path is the on-board path below)");
  const onboard = onboardLayers(r);
  if (onboard) out.push(onboard);
  out.push("");
  out.push(`${pad("firmware", 18)}${pad("espruino B", 12, true)}${pad("gzip", 8, true)}${pad("moddable B", 12, true)}${pad("gzip", 8, true)}${pad("buffers B", 11, true)}${pad("RAM QuickJS B", 15, true)}${pad("XS slots", 10, true)}${pad("JsVars", 8, true)}${pad("fn/par", 9, true)}${pad("code JsV", 10, true)}`);
  for (const f of r.features) {
    out.push(`${pad(f.feature, 18)}${pad(f.espruino.bytes, 12, true)}${pad(f.espruino.gzip, 8, true)}${pad(f.moddable.bytes, 12, true)}${pad(f.moddable.gzip, 8, true)}${pad(e(f.bufferBytes), 11, true)}${pad(e(f.ramQuickJs), 15, true)}${pad(e(f.ramXsSlots), 10, true)}${pad(e(f.jsVars), 8, true)}${pad(f.storage.functions + "/" + f.storage.parameters, 9, true)}${pad(f.storage.jsVars, 10, true)}`);
  }
  out.push("(start-up objects, the caller's bundle buffer aside: pib-path and insecure-crc32 = Verifier(9,8,4) + Signer(8,8,v); pib-path+keys and full");
  out.push(" add KeyTable(4,8,v); relays = Relay(Verifier(8,8,4)). Measured: bytes and gzip of the built files; 'buffers B' = octets of the");
  out.push(" distinct ArrayBuffers behind the objects, THE static-RAM figure (the 2,048 B goal), and 'RAM QuickJS B' = the same objects' heap");
  out.push(" growth in QuickJS, with its per-object overhead; XS slots = slots allocated while starting up. Estimated: JsVars = Espruino model");
  out.push(" of the objects (Puck.js blocks); fn/par = functions/parameters in the Espruino file; code JsV = its Storage-form code estimate)");
  out.push("");
  out.push("boards (whole PIB path + a 4 KiB bundle buffer; estimates; Espruino: both loading forms)");
  for (const b of r.boards) {
    if (!engines) out.push(`  ${pad(b.board, 20)}${NOT_CHECKED.replace("not checked", "not measured")}`);
    else out.push(`  ${pad(b.board, 20)}${pad(b.fits ? "fits" : "DOES NOT FIT", 14)}${pad(b.headroomPercent.toFixed(1) + "% free", 12, true)}  ${b.detail}`);
  }
  out.push("");
  const firmwares = [...new Set(r.fit.map((x) => x.firmware))];
  out.push(`what fits (estimated free share with a 4 KiB bundle buffer, Espruino in the Storage form; x = does not fit${engines ? "" : "; - = not measured"})`);
  out.push(`  ${pad("board", 20)}${firmwares.map((f) => pad(f, 16, true)).join("")}`);
  for (const b of [...new Set(r.fit.map((x) => x.board))]) {
    const cells = firmwares.map((f) => {
      const c = r.fit.find((x) => x.board === b && x.firmware === f)!;
      return pad(!engines ? "-" : c.fits ? c.headroomPercent.toFixed(1) + "%" : "x", 16, true);
    });
    out.push(`  ${pad(b, 20)}${cells.join("")}`);
  }
  out.push("");
  out.push("budgets (targets/size/budgets.json; a budget ≤/≥ fails the command when exceeded, and so does a goal not met unless marked information)");
  for (const b of r.budgets) out.push(budgetLine(b));
  out.push("");
  out.push(verdictOf(r.budgets).summary);
  return out.join("\n") + "\n";
}

/**
 * The report as JSON: the rows as measured, except that engine figures are null when
 * they were not measured, plus `basis` (what is measured, what estimated) and the
 * verdict of every budget and goal.
 */
export function reportJson(r: SizeReport): unknown {
  const engines = r.engines !== false;
  const n = <T>(v: T): T | null => (engines ? v : null);
  const verdict = verdictOf(r.budgets);
  return {
    engines,
    basis: {
      measured: "espruino/moddable bytes and gzip (the built files); bufferBytes (ArrayBuffer octets of the start-up objects, counted in QuickJS), ramQuickJs (QuickJS heap growth), ramXsSlots (XS heap slots)",
      estimated: "jsVars (Espruino JsVar model of the start-up objects), storage (Storage-form code model), boards and fit (free shares from those models and the QuickJS figure)",
      unmeasured: engines ? "none" : "every engine figure (--no-engines): null here, its budgets not checked",
    },
    modules: r.modules.map((m) => ({ ...m, ramQuickJs: n(m.ramQuickJs), ramXsSlots: n(m.ramXsSlots), bufferBytes: n(m.bufferBytes), jsVars: n(m.jsVars) })),
    features: r.features.map((f) => ({ ...f, codeRamQuickJs: n(f.codeRamQuickJs), ramQuickJs: n(f.ramQuickJs), ramXsSlots: n(f.ramXsSlots), bufferBytes: n(f.bufferBytes), jsVars: n(f.jsVars) })),
    boards: engines ? r.boards : r.boards.map((b) => ({ board: b.board, title: b.title, engine: b.engine, fits: null, headroomPercent: null, detail: "not measured (--no-engines)" })),
    fit: engines ? r.fit : r.fit.map((c) => ({ firmware: c.firmware, board: c.board, fits: null, headroomPercent: null, ramUploadPercent: null })),
    budgets: r.budgets,
    verdict,
    ok: verdict.ok,
  };
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function thousands(v: number): string {
  return Math.round(v).toLocaleString("en-US");
}

/** A linear scale from 0 to a round maximum with 4–8 round ticks. */
export function niceScale(max: number): { max: number; step: number } {
  const raw = Math.max(max, 1) / 6;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * p).find((s) => s >= raw)!;
  return { max: Math.ceil(max / step) * step, step };
}

/** Colours of the chart and what each means; the legend lists only those drawn. */
export const SVG_COLOURS = {
  plain: { fill: "#4a6fa5", label: "no budget on this row (information)" },
  within: { fill: "#3d9a5f", label: "within its budget" },
  over: { fill: "#c8402f", label: "over its budget, or does not fit" },
  gzip: { fill: "#a9c4e4", label: "thin bar under a code bar: gzip bytes (information)" },
  ramUpload: { fill: "#b9b9b9", label: "thin bar under a board bar: the same uploaded to RAM on Espruino (code text in JsVars)" },
} as const;
export const SVG_MARKERS = {
  budget: { stroke: "#111111", dash: "", label: "budget (ceiling ≤ or floor ≥): past it fails the command" },
  goal: { stroke: "#e07b00", dash: "5,3", label: "goal (information when marked so in targets/size/budgets.json)" },
} as const;

/**
 * The SVG chart: code size of every module and firmware on one bytes axis, static RAM
 * of every firmware on one RAM axis, the on-board path's free share per board on a
 * percent axis; budget and goal markers on each bar that has them; a legend of the
 * colours drawn. Bars carry data-quantity and data-value, so one scale per quantity can
 * be checked.
 */
export function reportSvg(r: SizeReport): string {
  const engines = r.engines !== false;
  const W = 1100;
  const left = 170;
  const plotW = 620;
  const parts: string[] = [];
  const usedFills = new Set<keyof typeof SVG_COLOURS>();
  const usedMarkers = new Set<keyof typeof SVG_MARKERS>();
  const budget = (id: string): BudgetRow | undefined => r.budgets.find((b) => b.id === id);
  let y = 16;
  const title = (text: string, size = 15): void => {
    parts.push(`<text x="10" y="${y + size}" font-size="${size}" font-weight="bold">${esc(text)}</text>`);
    y += size + 10;
  };
  const note = (text: string): void => {
    parts.push(`<text x="10" y="${y + 11}" font-size="11" fill="#444">${esc(text)}</text>`);
    y += 15;
  };
  type Scale = { quantity: string; max: number; step: number; px: (v: number) => number };
  const scale = (quantity: string, max: number): Scale => {
    const s = niceScale(max);
    return { quantity, ...s, px: (v: number) => (Math.max(0, Math.min(v, s.max)) / s.max) * plotW };
  };
  const bar = (sc: Scale, series: string, key: keyof typeof SVG_COLOURS, value: number, by: number, h: number): number => {
    usedFills.add(key);
    const w = sc.px(value);
    parts.push(`<rect class="bar" data-quantity="${sc.quantity}" data-series="${series}" data-value="${value}" x="${left}" y="${by}" width="${w.toFixed(2)}" height="${h}" fill="${SVG_COLOURS[key].fill}"/>`);
    return w;
  };
  const markers = (sc: Scale, b: BudgetRow | undefined, y0: number, h: number): void => {
    if (!b) return;
    const lim = b.max ?? b.min;
    if (lim !== undefined) {
      usedMarkers.add("budget");
      const x = left + sc.px(lim);
      parts.push(`<line class="marker budget" data-id="${esc(b.id)}" data-value="${lim}" x1="${x.toFixed(2)}" y1="${y0 - 2}" x2="${x.toFixed(2)}" y2="${y0 + h + 2}" stroke="${SVG_MARKERS.budget.stroke}" stroke-width="2"/>`);
    }
    if (b.goal !== undefined && b.goal !== lim) {
      usedMarkers.add("goal");
      const x = left + sc.px(b.goal);
      parts.push(`<line class="marker goal" data-id="${esc(b.id)}" data-value="${b.goal}" x1="${x.toFixed(2)}" y1="${y0 - 2}" x2="${x.toFixed(2)}" y2="${y0 + h + 2}" stroke="${SVG_MARKERS.goal.stroke}" stroke-width="2" stroke-dasharray="${SVG_MARKERS.goal.dash}"/>`);
    }
  };
  const status = (b: BudgetRow | undefined, fallback: keyof typeof SVG_COLOURS): keyof typeof SVG_COLOURS =>
    !b || !b.checked || (b.max === undefined && b.min === undefined) ? fallback : b.ok ? "within" : "over";
  const label = (text: string, x: number, ly: number): void => {
    parts.push(`<text x="${(left + x + 6).toFixed(1)}" y="${ly}" font-size="11">${esc(text)}</text>`);
  };
  const rowLabel = (text: string, ly: number): void => {
    parts.push(`<text x="${left - 8}" y="${ly}" font-size="12" text-anchor="end">${esc(text)}</text>`);
  };
  /** gridlines from `top` down to the axis at `y`, ticks with units, and the axis title */
  const axis = (sc: Scale, top: number, unit: (v: number) => string, axisTitle: string): void => {
    parts.push(`<g class="axis" data-quantity="${sc.quantity}" data-max="${sc.max}" data-step="${sc.step}">`);
    parts.push(`<line class="axis-line" x1="${left}" y1="${y}" x2="${left + plotW}" y2="${y}" stroke="#333"/>`);
    parts.push(`<line class="axis-line" x1="${left}" y1="${top}" x2="${left}" y2="${y}" stroke="#333"/>`);
    for (let v = 0; v <= sc.max + 1e-9; v += sc.step) {
      const x = (left + sc.px(v)).toFixed(2);
      if (v > 0) parts.push(`<line class="grid" x1="${x}" y1="${top}" x2="${x}" y2="${y}" stroke="#ddd"/>`);
      parts.push(`<line class="tick-mark" x1="${x}" y1="${y}" x2="${x}" y2="${y + 4}" stroke="#333"/>`);
      parts.push(`<text class="tick" data-value="${v}" x="${x}" y="${y + 16}" font-size="10" text-anchor="middle">${esc(unit(v))}</text>`);
    }
    parts.push(`<text class="axis-title" x="${left + plotW / 2}" y="${y + 32}" font-size="12" text-anchor="middle">${esc(axisTitle)}</text>`);
    parts.push(`</g>`);
    y += 44;
  };
  // grid lines go under the bars: sections are drawn into their own list, the grid first
  const section = (draw: () => void): void => {
    const before = parts.length;
    draw();
    const drawn = parts.splice(before);
    const axisAt = drawn.findIndex((p) => p.startsWith('<g class="axis"'));
    const axisEnd = drawn.indexOf("</g>", axisAt);
    if (axisAt < 0) { parts.push(...drawn); return; }
    parts.push(...drawn.slice(axisAt, axisEnd + 1), ...drawn.slice(0, axisAt), ...drawn.slice(axisEnd + 1));
  };

  title("pibkit firmware size and RAM", 17);
  note(`figures: bytes measured on the built Espruino files; RAM measured in QuickJS${engines ? "" : " (NOT measured: --no-engines)"}; free shares per board estimated`);
  y += 6;

  // code size: modules and firmware files on one bytes scale
  const byteIds = r.budgets.filter((b) => b.id.startsWith("espruino.") && b.id.endsWith(".bytes"));
  const bytesMax = Math.max(...r.modules.map((m) => m.espruino.bytes), ...r.features.map((f) => f.espruino.bytes), ...byteIds.flatMap((b) => [b.max ?? 0, b.goal ?? 0]));
  const bytes = scale("bytes", bytesMax);
  title("Code: what each module adds to the ground library (Espruino file)", 13);
  section(() => {
    const top = y;
    for (const m of r.modules) {
      rowLabel(m.module, y + 13);
      const w = bar(bytes, "minified", "plain", m.espruino.bytes, y + 2, 9);
      bar(bytes, "gzip", "gzip", m.espruino.gzip, y + 11, 6);
      label(`${thousands(m.espruino.bytes)} B (gzip ${thousands(m.espruino.gzip)} B)`, w, y + 12);
      y += 22;
    }
    axis(bytes, top, (v) => `${thousands(v)} B`, "bytes of the Espruino file, minified (thin bar: gzip)");
  });
  title("Code: firmware files (Espruino file, the same scale)", 13);
  section(() => {
    const top = y;
    for (const f of r.features) {
      const b = budget(`espruino.${f.feature}.bytes`);
      rowLabel(f.feature, y + 13);
      const w = bar(bytes, "minified", status(b, "plain"), f.espruino.bytes, y + 2, 9);
      bar(bytes, "gzip", "gzip", f.espruino.gzip, y + 11, 6);
      markers(bytes, b, y + 2, 15);
      const lim = b && (b.max !== undefined ? ` / budget ≤ ${thousands(b.max)} B` : "");
      label(`${thousands(f.espruino.bytes)} B${lim ?? ""}${b?.goal !== undefined && b.goal !== b.max ? `, goal ≤ ${thousands(b.goal)} B` : ""}`, Math.max(w, b?.max !== undefined ? bytes.px(b.max) : 0, b?.goal !== undefined ? bytes.px(b.goal) : 0), y + 12);
      y += 22;
    }
    axis(bytes, top, (v) => `${thousands(v)} B`, "bytes of the Espruino file, minified (thin bar: gzip)");
  });

  // static RAM: one RAM scale for every firmware
  title("Static RAM: ArrayBuffer octets of the start-up objects, per firmware", 13);
  if (!engines) {
    note("not measured: run pibkit size without --no-engines");
    y += 10;
  } else {
    const ramIds = r.budgets.filter((b) => b.id.startsWith("ram.") && b.id.endsWith(".buffers"));
    const ram = scale("ram-bytes", Math.max(...r.features.map((f) => f.bufferBytes), ...ramIds.flatMap((b) => [b.max ?? 0, b.goal ?? 0])));
    section(() => {
      const top = y;
      for (const f of r.features) {
        const b = budget(`ram.${f.feature}.buffers`);
        rowLabel(f.feature, y + 12);
        const w = bar(ram, "buffers", status(b, "plain"), f.bufferBytes, y + 3, 12);
        markers(ram, b, y + 3, 12);
        const extra = b ? ` / budget ≤ ${thousands(b.max ?? 0)} B${b.goal !== undefined ? `, goal ≤ ${thousands(b.goal)} B` : ""}` : "";
        label(`${thousands(f.bufferBytes)} B${extra}`, Math.max(w, b?.goal !== undefined ? ram.px(b.goal) : 0, b?.max !== undefined ? ram.px(b.max) : 0), y + 13);
        y += 20;
      }
      y += 4;
      axis(ram, top, (v) => `${thousands(v)} B`, "bytes of RAM (typed-array octets, measured in QuickJS)");
    });
  }

  // boards: the on-board path's free share on a percent scale
  title("Free memory per board: on-board PIB path (pib-path) + a 4 KiB bundle buffer (estimates)", 13);
  if (!engines) {
    note("not measured: run pibkit size without --no-engines");
    y += 10;
  } else {
    const pct: Scale = { quantity: "percent", max: 100, step: 10, px: (v: number) => (Math.max(0, Math.min(v, 100)) / 100) * plotW };
    section(() => {
      const top = y;
      for (const b of r.boards) {
        const id = b.storage ? `board.${b.board}.storage-free-percent` : `board.${b.board}.headroom-percent`;
        const bud = budget(id) ?? budget(`board.${b.board}.headroom-percent`);
        rowLabel(b.board, y + 12);
        const key = !b.fits ? "over" : status(bud, "plain");
        bar(pct, b.storage ? "storage" : "free", key, b.headroomPercent, y + 3, 11);
        if (b.ramUpload) bar(pct, "ram-upload", b.ramUpload.fits ? "ramUpload" : "over", b.ramUpload.freePercent, y + 14, 4);
        markers(pct, bud, y + 3, 15);
        const ru = b.ramUpload ? budget(`board.${b.board}.ram-upload-free-percent`) : undefined;
        if (ru && ru.min !== undefined) {
          usedMarkers.add("budget");
          const x = left + pct.px(ru.min);
          parts.push(`<line class="marker budget" data-id="${esc(ru.id)}" data-value="${ru.min}" x1="${x.toFixed(2)}" y1="${y + 13}" x2="${x.toFixed(2)}" y2="${y + 20}" stroke="${SVG_MARKERS.budget.stroke}" stroke-width="2"/>`);
        }
        const text = b.storage && b.ramUpload ? `Storage ${b.storage.freePercent.toFixed(1)} % / RAM upload ${b.ramUpload.freePercent.toFixed(1)} % free` : `${b.headroomPercent.toFixed(1)} % free`;
        label(text + (b.fits ? "" : " — does not fit") + (bud?.min !== undefined ? ` (budget ≥ ${bud.min} %)` : ""), plotW, y + 13);
        y += 24;
      }
      y += 4;
      axis(pct, top, (v) => `${v} %`, "free share of the board's JS memory (Espruino: JsVars, Storage form)");
    });
  }

  // legend: only what was drawn
  y += 4;
  title("Legend", 13);
  parts.push(`<g class="legend">`);
  for (const k of Object.keys(SVG_COLOURS) as Array<keyof typeof SVG_COLOURS>) {
    if (!usedFills.has(k)) continue;
    parts.push(`<g class="legend-item" data-kind="fill" data-colour="${SVG_COLOURS[k].fill}"><rect x="14" y="${y + 2}" width="18" height="10" fill="${SVG_COLOURS[k].fill}"/><text x="40" y="${y + 11}" font-size="11">${esc(SVG_COLOURS[k].label)}</text></g>`);
    y += 16;
  }
  for (const k of Object.keys(SVG_MARKERS) as Array<keyof typeof SVG_MARKERS>) {
    if (!usedMarkers.has(k)) continue;
    const m = SVG_MARKERS[k];
    parts.push(`<g class="legend-item" data-kind="marker" data-marker="${k}" data-colour="${m.stroke}"><line x1="23" y1="${y}" x2="23" y2="${y + 14}" stroke="${m.stroke}" stroke-width="2"${m.dash ? ` stroke-dasharray="${m.dash}"` : ""}/><text x="40" y="${y + 11}" font-size="11">${esc(m.label)}</text></g>`);
    y += 16;
  }
  parts.push(`</g>`);
  const H = y + 12;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">\n<rect width="${W}" height="${H}" fill="white"/>\n${parts.join("\n")}\n</svg>\n`;
}
