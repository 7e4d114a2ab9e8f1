/**
 * The size report as JSON (`pibkit size --json`): the rows as measured, except that
 * engine figures are null when they were not measured, plus `basis` (what is measured,
 * what estimated) and the verdict of every budget and goal.
 */
import { verdictOf } from "./budgets.js";
import type { SizeReport } from "./rows.js";

/** The fields of a module or firmware row that only the engines measure. */
const ENGINE_FIELDS = ["codeRamQuickJs", "ramQuickJs", "ramXsSlots", "bufferBytes", "jsVars"];

/** A row with its engine figures null, each in its place. */
function unmeasured(row: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(row as Record<string, unknown>) };
  for (const k of ENGINE_FIELDS) if (k in out) out[k] = null;
  return out;
}

export function reportJson(r: SizeReport): unknown {
  const engines = r.engines !== false;
  const verdict = verdictOf(r.budgets);
  return {
    engines,
    basis: {
      measured: "espruino/moddable bytes and gzip (the built files); bufferBytes (ArrayBuffer octets of the start-up objects, counted in QuickJS), ramQuickJs (QuickJS heap growth), ramXsSlots (XS heap slots)",
      estimated: "jsVars (Espruino JsVar model of the start-up objects), storage (Storage-form code model), boards and fit (free shares from those models and the QuickJS figure)",
      unmeasured: engines ? "none" : "every engine figure (--no-engines): null here, its budgets not checked",
    },
    modules: engines ? r.modules : r.modules.map(unmeasured),
    features: engines ? r.features : r.features.map(unmeasured),
    boards: engines ? r.boards : r.boards.map((b) => ({ board: b.board, title: b.title, engine: b.engine, fits: null, headroomPercent: null, detail: "not measured (--no-engines)" })),
    fit: engines ? r.fit : r.fit.map((c) => ({ firmware: c.firmware, board: c.board, fits: null, headroomPercent: null, ramUploadPercent: null })),
    budgets: r.budgets,
    verdict,
    ok: verdict.ok,
  };
}
