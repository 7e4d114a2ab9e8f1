/**
 * The size report as the terminal table `pibkit size` prints: modules of the ground
 * library, firmware files, boards, the what-fits matrix, and one line per budget, ending
 * with the verdict. Engine figures print as "-" when they were not measured.
 */
import { fmtValue, goalText, limitText, NOT_CHECKED, verdictOf, type BudgetRow } from "./budgets.js";
import type { BuildFigures, SizeReport } from "./rows.js";

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

/** The heading of fileCells' columns under `first`. */
function fileHeader(first: string): string {
  return `${pad(first, 24)}${pad("espruino B", 12, true)}${pad("gzip", 8, true)}${pad("moddable B", 12, true)}${pad("gzip", 8, true)}`;
}

/** A module's or firmware's name and its file columns: Espruino and Moddable bytes and gzip. */
function fileCells(name: string, row: BuildFigures): string {
  return `${pad(name, 24)}${pad(row.espruino.bytes, 12, true)}${pad(row.espruino.gzip, 8, true)}${pad(row.moddable.bytes, 12, true)}${pad(row.moddable.gzip, 8, true)}`;
}

/** The terminal table. Engine figures print as "-" when they were not measured. */
export function formatReport(r: SizeReport): string {
  const engines = r.engines !== false;
  const e = (v: number | null): string | number => (engines && v !== null ? v : "-");
  const out: string[] = [];
  out.push("pibkit firmware size (modules layered: each module's bytes are what it adds)");
  if (!engines) out.push("engine figures NOT MEASURED (--no-engines): RAM, XS slots, JsVars and board free shares print as - and their budgets are not checked");
  out.push("");
  out.push(`${fileHeader("module")}${pad("RAM QuickJS B", 15, true)}${pad("buffers B", 11, true)}${pad("XS slots", 10, true)}${pad("JsVars", 8, true)}`);
  for (const m of r.modules) {
    out.push(`${fileCells(m.module, m)}${pad(e(m.ramQuickJs), 15, true)}${pad(e(m.bufferBytes), 11, true)}${pad(e(m.ramXsSlots), 10, true)}${pad(e(m.jsVars), 8, true)}`);
  }
  out.push("(modules layered as the ground library, src/entries/full.ts, builds them; the firmware's pib-path is the on-board path below)");
  const onboard = onboardLayers(r);
  if (onboard) out.push(onboard);
  out.push("");
  out.push(`${fileHeader("firmware")}${pad("buffers B", 11, true)}${pad("RAM QuickJS B", 15, true)}${pad("XS slots", 10, true)}${pad("JsVars", 8, true)}${pad("fn/par", 9, true)}${pad("code JsV", 10, true)}`);
  for (const f of r.features) {
    out.push(`${fileCells(f.feature, f)}${pad(e(f.bufferBytes), 11, true)}${pad(e(f.ramQuickJs), 15, true)}${pad(e(f.ramXsSlots), 10, true)}${pad(e(f.jsVars), 8, true)}${pad(f.storage.functions + "/" + f.storage.parameters, 9, true)}${pad(f.storage.jsVars, 10, true)}`);
  }
  out.push("(start-up objects, the caller's bundle buffer aside: pib-path (the on-board path) and insecure-crc32 = Verifier(9,8,4) + Signer(8,8,v);");
  out.push(" pib-path+keys and full (the ground library) add KeyTable(4,8,v); relays = Relay(Verifier(8,8,4)). Measured: bytes and gzip of the");
  out.push(" built files; 'buffers B' = octets of the distinct ArrayBuffers behind the objects, THE static-RAM figure (the 2,048 B goal), and");
  out.push(" 'RAM QuickJS B' = the same objects' heap growth in QuickJS, with its per-object overhead; XS slots = slots allocated while starting");
  out.push(" up. Estimated: JsVars = Espruino model of the objects (Puck.js blocks); fn/par = functions/parameters in the Espruino file;");
  out.push(" code JsV = its Storage-form code estimate)");
  out.push("");
  out.push("boards (the on-board path, pib-path, + a 4 KiB bundle buffer; estimates; Espruino: both loading forms)");
  for (const b of r.boards) {
    if (!engines) out.push(`  ${pad(b.board, 20)}${NOT_CHECKED.replace("not checked", "not measured")}`);
    else out.push(`  ${pad(b.board, 20)}${pad(b.fits ? "fits" : "DOES NOT FIT", 14)}${pad(b.headroomPercent.toFixed(1) + "% free", 12, true)}  ${b.detail}`);
  }
  out.push("");
  const firmwares = [...new Set(r.fit.map((x) => x.firmware))];
  out.push(`what fits (estimated free share with a 4 KiB bundle buffer, Espruino in the Storage form; x = does not fit${engines ? "" : "; - = not measured"})`);
  // (columns at least 16 wide, and 2 wider than the longest firmware name, so names never run together)
  const width = Math.max(16, ...firmwares.map((f) => f.length + 2));
  out.push(`  ${pad("board", 20)}${firmwares.map((f) => pad(f, width, true)).join("")}`);
  for (const b of [...new Set(r.fit.map((x) => x.board))]) {
    const cells = firmwares.map((f) => {
      const c = r.fit.find((x) => x.board === b && x.firmware === f)!;
      return pad(!engines ? "-" : c.fits ? c.headroomPercent.toFixed(1) + "%" : "x", width, true);
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
