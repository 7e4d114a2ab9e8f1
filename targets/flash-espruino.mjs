#!/usr/bin/env node
// make flash-espruino PORT=/dev/ttyACM0 BOARD=espruino-puckjs [FEATURE=pib-path]
// Writes the Espruino firmware file to the board's Storage as "pibkit" (so
// `require("pibkit")` finds it) with the npm `espruino` CLI, then runs
// targets/espruino/selftest.js on the board. Without PORT it is a dry run: the exact
// commands that would be sent go to dist/espruino/flash-dryrun.js (checked in CI).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { buildFirmwareSet, FEATURES, ROOT, suiteFeature } from "./firmware.mjs";

/** Our board profiles → Espruino's board ids (espruino.com/json/<ID>.json). */
const ESPRUINO_IDS = {
  "espruino-original": "ESPRUINOBOARD",
  "espruino-pico": "PICO_R1_3",
  "espruino-puckjs": "PUCKJS",
  "espruino-bangle2": "BANGLEJS2",
  "espruino-esp32": "ESP32",
};

const opt = Object.fromEntries(process.argv.slice(2).filter((a) => a.includes("=")).map((a) => a.replace(/^--/, "").split("=")));
if (process.argv.includes("--help")) {
  console.log("usage: node targets/flash-espruino.mjs [port=/dev/ttyACM0] [board=espruino-puckjs] [feature=pib-path|pib-path+keys|crc-only|full] [suites=insecure-crc32,...]\n" +
    "Without port: dry run, writes dist/espruino/flash-dryrun.js.");
  process.exit(0);
}
const port = opt.port || "";
const board = opt.board || "espruino-puckjs";
const boardId = ESPRUINO_IDS[board] || board;
let feature, name;
if (opt.suites) {
  feature = suiteFeature(opt.suites.split(","));
  name = feature.name;
} else {
  const f = opt.feature || "pib-path";
  if (!FEATURES[f]) {
    console.error(`flash-espruino: error: unknown feature "${f}" (one of ${Object.keys(FEATURES).join(", ")})`);
    process.exit(2);
  }
  feature = FEATURES[f];
  name = f === "full" ? "pibkit" : "pibkit-" + f;
}
const files = await buildFirmwareSet(feature, name);
const cli = join(ROOT, "node_modules/espruino/bin/espruino-cli.js");
if (!existsSync(cli)) {
  console.error("flash-espruino: error: the espruino npm CLI is not installed (npm install)");
  process.exit(2);
}
const selftest = join(ROOT, "targets/espruino/selftest.js");
const args = [cli, "--board", boardId, "--storage", `pibkit:${files.espruino}`];
const dry = opt.out || join(ROOT, "dist/espruino/flash-dryrun.js");
if (port) args.push("-p", port, selftest);
else args.push("-n", "-o", dry, selftest);
const r = spawnSync(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", timeout: 120000 });
if (r.status !== 0) {
  console.error(`flash-espruino: error: espruino CLI failed (exit ${r.status}): ${(r.stderr || r.stdout || "").trim().split("\n").pop()}`);
  process.exit(2);
}
console.log(port ? `flashed ${files.espruino} to ${port} (${boardId}) as Storage "pibkit"` : `dry run: ${dry} holds what would be sent to ${boardId}`);
