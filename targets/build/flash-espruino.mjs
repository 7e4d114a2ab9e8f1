#!/usr/bin/env node
// make flash-espruino PORT=/dev/ttyACM0 BOARD=espruino-puckjs [FEATURE=pib-path] [SUITES=…]
// Writes the Espruino firmware file to the board's Storage as "pibkit" (so
// `require("pibkit")` finds it) with the npm `espruino` CLI, then runs
// targets/examples/espruino/selftest.js on the board. Without PORT it is a dry run: the exact
// commands that would be sent go to dist/espruino/flash-dryrun.js (checked in CI).
// Every value is checked before anything is built; a bad one is one line on stderr
// naming it and the allowed ones, exit 2.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { buildFirmwareSet, FEATURES, parseSuiteList, ROOT, suiteFeature, suiteNames } from "./firmware.mjs";
import { toolError } from "./toolError.mjs";

/** Our board profiles → Espruino's board ids (espruino.com/json/<ID>.json). */
const ESPRUINO_IDS = {
  "espruino-original": "ESPRUINOBOARD",
  "espruino-pico": "PICO_R1_3",
  "espruino-puckjs": "PUCKJS",
  "espruino-bangle2": "BANGLEJS2",
  "espruino-esp32": "ESP32",
};
const KEYS = ["port", "board", "feature", "suites", "out"];

const HELP = `usage: make flash-espruino [PORT=/dev/ttyACM0] [BOARD=B] [FEATURE=F | SUITES=S,…]
       node targets/build/flash-espruino.mjs [port=…] [board=…] [feature=…] [suites=…] [out=FILE]

Builds the Espruino firmware file and writes it to the board's Storage as "pibkit"
with the npm espruino CLI, then runs targets/examples/espruino/selftest.js on the board.

  PORT     serial device or Bluetooth address of the board; without it: dry run, the
           commands that would be sent go to dist/espruino/flash-dryrun.js (or out=FILE)
  BOARD    ${Object.keys(ESPRUINO_IDS).join(", ")} (default espruino-puckjs)
  FEATURE  ${Object.keys(FEATURES).join(", ")} (default pib-path)
  SUITES   the on-board PIB path with only these suites: ${suiteNames().join(", ")}

exit status: 0 flashed (or dry run written), 2 bad value, build or espruino CLI failure`;

function fail(message) {
  console.error(`flash-espruino: error: ${message}`);
  process.exit(2);
}

const argv = process.argv.slice(2);
if (argv.includes("--help") || argv.includes("-h") || argv.includes("help")) {
  console.log(HELP);
  process.exit(0);
}
const opt = {};
for (const a of argv) {
  const m = /^(?:--)?([a-z]+)=(.*)$/.exec(a);
  if (!m || !KEYS.includes(m[1])) fail(`unknown argument "${a}" (allowed: ${KEYS.map((k) => k + "=…").join(", ")}; see --help)`);
  opt[m[1]] = m[2];
}
const port = opt.port || "";
const board = opt.board || "espruino-puckjs";
if (!(board in ESPRUINO_IDS)) fail(`unknown BOARD "${board}" (allowed: ${Object.keys(ESPRUINO_IDS).join(", ")})`);
const boardId = ESPRUINO_IDS[board];
let feature, name;
if (opt.suites !== undefined) {
  const { suites, error } = parseSuiteList(opt.suites);
  if (error) fail(error);
  if (opt.feature && opt.feature !== "pib-path") fail(`SUITES builds the pib-path feature; FEATURE=${opt.feature} cannot go with it`);
  feature = suiteFeature(suites);
  name = feature.name;
} else {
  const f = opt.feature || "pib-path";
  if (!FEATURES[f]) fail(`unknown FEATURE "${f}" (allowed: ${Object.keys(FEATURES).join(", ")})`);
  feature = FEATURES[f];
  name = f === "full" ? "pibkit" : "pibkit-" + f;
}
// a serial device path that does not exist: say so, before the espruino CLI falls
// back to Bluetooth and fails on something unrelated
if (port.startsWith("/dev/") && !existsSync(port)) fail(`no device at PORT=${port} (is the board connected? see ls /dev/ttyACM* /dev/ttyUSB*)`);
const cli = join(ROOT, "node_modules/espruino/bin/espruino-cli.js");
if (!existsSync(cli)) fail("the espruino npm CLI is not installed (run npm install)");

let files;
try {
  files = await buildFirmwareSet(feature, name);
} catch (e) {
  fail(`building ${name} failed: ${toolError(String(e?.message ?? e))}`);
}
const selftest = join(ROOT, "targets/examples/espruino/selftest.js");
const args = [cli, "--board", boardId, "--storage", `pibkit:${files.espruino}`];
const dry = opt.out || join(ROOT, "dist/espruino/flash-dryrun.js");
if (port) args.push("-p", port, selftest);
else args.push("-n", "-o", dry, selftest);
const r = spawnSync(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", timeout: 120000 });
if (r.error || r.status !== 0) {
  const why = r.error ? (r.error.code === "ETIMEDOUT" ? "did not finish within 120 s" : r.error.message) : `exit ${r.status ?? r.signal}`;
  fail(`espruino CLI failed (${why})${port ? ` on PORT=${port}` : ""}: ${toolError((r.stderr || "") + "\n" + (r.stdout || ""))}`);
}
console.log(port ? `flashed ${files.espruino} to ${port} (${boardId}) as Storage "pibkit"` : `dry run: ${dry} holds what would be sent to ${boardId}`);

