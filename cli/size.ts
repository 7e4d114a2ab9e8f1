/**
 * `pibkit size` — the firmware size and RAM budget report (targets/size/report.ts):
 * per module and target the minified and gzip bytes and the start-up RAM measured in
 * QuickJS and XS, per board whether the on-board path fits, and the budgets of
 * targets/size/budgets.json (verdicts: targets/size/budgets.ts; printed by
 * targets/size/renderText.ts, renderJson.ts, renderSvg.ts). Exit 1 when a budget is
 * exceeded or a budget goal is not met.
 */
import { writeFileSync } from "node:fs";
import { BudgetFileError, loadBudgets, verdictOf } from "../targets/size/budgets.js";
import { formatReport } from "../targets/size/renderText.js";
import { reportJson } from "../targets/size/renderJson.js";
import { reportSvg } from "../targets/size/renderSvg.js";
import { sizeReport } from "../targets/size/report.js";
import { EXIT_OK, EXIT_VERIFY_FAILED, parse, usageError } from "./common.js";
import { writeOut } from "./stdout.js";

const HELP = `usage: pibkit size [--json] [--svg FILE] [--no-engines]

Builds the firmware in memory and reports, per module of the ground library (sdnv,
crc32c, md5, sha1+hmac, bundle, canonicalization, pib, keys) and per firmware
(pib-path = the on-board path, pib-path+keys, pib-path+stream, pib-path+stream+writer,
insecure-crc32, insecure-crc32+stream, relay-crc32, relay, crc-only, full = the ground
library): minified and gzip bytes of the Espruino and
Moddable files; the static RAM of the start-up objects as typed-array octets
("buffers", the figure the 2,048 B goal is judged by) and as measured in QuickJS
(bytes) and XS (heap slots); an Espruino JsVar estimate; functions and parameters of
the Espruino file. Per board profile (targets/boards/) whether the on-board path plus
a 4 KiB bundle buffer fits and the free share — on Espruino boards in both loading
forms, RAM upload (code text in JsVars) and Storage (code runs from flash), judged in
the Storage form; and every budget of targets/size/budgets.json.

Each figure is measured (file bytes; start-up RAM in QuickJS and XS), estimated (JsVar
and Storage-form models, free shares per board) or, with --no-engines, unmeasured: an
unmeasured figure prints as "-" and its budget and goal as "not checked". A budget (≤ or
≥) fails when exceeded; a goal fails too unless it is labelled information (another
build's goal). The last line says what was checked, met, not met and not checked.

options:
  --json        print the report as JSON (unmeasured figures null, each budget's basis,
                the verdict)
  --svg FILE    also write an SVG chart to FILE: code bytes and static RAM on one scale
                each, free share per board, budget and goal markers, a legend
  --no-engines  skip the engine measurements: RAM, JsVar and board budgets
                are not checked

exit status: 0 every checked budget and budget goal met, 1 a budget exceeded or a
budget goal not met, 2 bad usage or a bad budgets file
`;

export async function run(argv: string[]): Promise<number> {
  const a = parse(argv, { json: { type: "boolean" }, svg: { type: "string" }, "no-engines": { type: "boolean" } }, HELP, false);
  if (!a) return EXIT_OK;
  let r;
  try {
    loadBudgets(); // a bad budgets file is refused before anything is measured
    r = await sizeReport({ engines: !a.values["no-engines"] });
  } catch (e) {
    if (e instanceof BudgetFileError) usageError(e.message);
    throw e;
  }
  if (a.values.svg) writeFileSync(a.values.svg, reportSvg(r));
  writeOut(a.values.json ? JSON.stringify(reportJson(r), null, 2) + "\n" : formatReport(r));
  return verdictOf(r.budgets).ok ? EXIT_OK : EXIT_VERIFY_FAILED;
}
