/**
 * `pibkit size` — the firmware size and RAM budget report (targets/sizeReport.ts):
 * per module and target the minified and gzip bytes and the start-up RAM measured in
 * QuickJS and XS, per board whether the whole PIB path fits, and the budgets of
 * targets/budgets.json. Exit 1 when a budget is exceeded.
 */
import { writeFileSync } from "node:fs";
import { formatReport, reportSvg, sizeReport } from "../targets/sizeReport.js";
import { EXIT_OK, EXIT_VERIFY_FAILED, parse } from "./common.js";

const HELP = `usage: pibkit size [--json] [--svg FILE] [--no-engines]

Builds the firmware in memory and reports, per module of the ground library (sdnv,
crc32c, md5, sha1+hmac, bundle, canonicalization, pib, keys) and per firmware
(pib-path = the on-board path, pib-path+keys, insecure-crc32, relay-crc32, relay,
crc-only, full): minified and gzip bytes of the Espruino and Moddable files; the
static RAM of the start-up objects as typed-array octets ("buffers", the figure the
2,048 B goal is judged by) and as measured in QuickJS (bytes) and XS (heap slots);
an Espruino JsVar estimate; functions and parameters of the Espruino file. Per board
profile (targets/boards/) whether the on-board PIB path plus a 4 KiB bundle buffer
fits and the free share — on Espruino boards in both loading forms, RAM upload (code
text in JsVars) and Storage (code runs from flash), judged in the Storage form; and
every budget of targets/budgets.json (goal met or not).

options:
  --json        print the report as JSON instead of a table
  --svg FILE    also write an SVG bar chart to FILE
  --no-engines  skip the engine measurements (RAM columns are 0)

exit status: 0 all budgets met, 1 a budget exceeded, 2 bad usage
`;

export async function run(argv: string[]): Promise<number> {
  const a = parse(argv, { json: { type: "boolean" }, svg: { type: "string" }, "no-engines": { type: "boolean" } }, HELP, false);
  if (!a) return EXIT_OK;
  const r = await sizeReport({ engines: !a.values["no-engines"] });
  if (a.values.svg) writeFileSync(a.values.svg, reportSvg(r));
  process.stdout.write(a.values.json ? JSON.stringify(r, null, 2) + "\n" : formatReport(r));
  return r.ok ? EXIT_OK : EXIT_VERIFY_FAILED;
}
