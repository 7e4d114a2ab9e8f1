/**
 * The budgets of the size report and their verdicts: targets/size/budgets.json loaded and
 * checked for sense, each budget's figure read from the report's rows with its basis,
 * and every budget and goal judged.
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
import type { Basis, BoardRow, BudgetLimit, BudgetRow, FeatureRow, FitRow, ModuleRow } from "./rows.js";

// A budget row is part of the report's shape (rows.ts, which must not import this file);
// its types are named here too for the files that judge and print budgets.
export type { Basis, BudgetLimit, BudgetRow };

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

/** A budget's figure with its unit, or "unmeasured". */
export function fmtValue(b: BudgetRow): string {
  return b.value === null ? "unmeasured" : `${b.value} ${b.unit}`;
}

/** A budget's ceiling or floor ("≤ 8192 B"), or "" when it has none. */
export function limitText(b: BudgetRow): string {
  return b.max !== undefined ? `≤ ${b.max} ${b.unit}` : b.min !== undefined ? `≥ ${b.min} ${b.unit}` : "";
}

/** A budget's goal, the way its budget runs (a floor: at least; a ceiling or none: at most). */
export function goalText(b: BudgetRow): string {
  return `${b.min !== undefined ? "≥" : "≤"} ${b.goal} ${b.unit}`;
}

/** Why a figure was not measured, and how to measure it. */
export const NOT_CHECKED = "not checked (needs engines: run without --no-engines)";

/** The ids of the goal rows of one role, by outcome. */
function goalOutcomes(rows: BudgetRow[], role: "budget" | "info"): { met: string[]; notMet: string[]; notChecked: string[] } {
  const of = rows.filter((b) => b.goal !== undefined && b.goalRole === role);
  const ids = (keep: (b: BudgetRow) => boolean): string[] => of.filter(keep).map((b) => b.id);
  return { met: ids((b) => b.goalMet === true), notMet: ids((b) => b.goalMet === false), notChecked: ids((b) => !b.checked) };
}

export function verdictOf(rows: BudgetRow[]): Verdict {
  const budgetRows = rows.filter((b) => b.max !== undefined || b.min !== undefined);
  const exceeded = budgetRows.filter((b) => b.within === false);
  const notChecked = budgetRows.filter((b) => !b.checked);
  const goals = {
    total: rows.filter((b) => b.goal !== undefined && b.goalRole === "budget").length,
    ...goalOutcomes(rows, "budget"),
    info: goalOutcomes(rows, "info"),
  };
  const ok = exceeded.length === 0 && goals.notMet.length === 0;
  const byId = new Map(rows.map((b) => [b.id, b]));
  /** a goal's figure against the goal, with whose goal it is for an informational one */
  const goalFigure = (id: string): string => {
    const b = byId.get(id)!;
    return `${id} ${fmtValue(b)} (goal ${goalText(b)}${b.goalRole === "info" ? `: ${b.goalNote}` : ""})`;
  };
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
    parts.push(`${lead}${plural(goals.notMet.length, "goal")} NOT met: ${goals.notMet.map(goalFigure).join(", ")}`);
  }
  if (goals.met.length) parts.push(`${plural(goals.met.length, "goal")} met`);
  if (goals.notChecked.length) parts.push(`${plural(goals.notChecked.length, "goal")} not checked: ${goals.notChecked.join(", ")}`);
  for (const [list, how] of [[goals.info.notMet, "NOT met"], [goals.info.met, "met"], [goals.info.notChecked, "not checked"]] as const) {
    if (list.length) parts.push(`${plural(list.length, "informational goal")} ${how} (reported, not a budget): ${list.map(goalFigure).join(", ")}`);
  }
  return {
    ok,
    budgets: { total: budgetRows.length, met, exceeded: exceeded.map((b) => b.id), notChecked: notChecked.map((b) => b.id) },
    goals,
    summary: parts.join("; ") || "no budgets",
  };
}
