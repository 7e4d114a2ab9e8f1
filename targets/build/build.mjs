#!/usr/bin/env node
// Builds pibkit with esbuild.
//   node targets/build/build.mjs                 ground tools + every firmware target
//   node targets/build/build.mjs --node          only the ground tools (dist/node/cli.cjs), fast
//   node targets/build/build.mjs --firmware [--suites=insecure-crc32,...] [--board=moddable-esp8266] [--role=relay]   firmware only
//   node targets/build/build.mjs --help          the options and their allowed values
// Firmware details live in targets/build/firmware.mjs; docs/firmware.md explains the files.
import { build } from "esbuild";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { spawnSync } from "node:child_process";
import { buildBoardFirmware, buildDefines, buildFirmwareSet, buildNodeLibrary, firmwareManglingConflicts, parseSuiteList, relayFeature, suiteFeature, FEATURES, PRIMITIVES, ROOT, suiteNames } from "./firmware.mjs";
import { toolError } from "./toolError.mjs";

const FLAGS = ["--node", "--firmware", "--no-dts"];
const OPTIONS = ["suites", "board", "role"];
const ROLES = ["node", "relay"];
/** Boards whose profile sizes a Moddable manifest (targets/boards/moddable-*.json). */
const MODDABLE_BOARDS = readdirSync(new URL("../boards/", import.meta.url)).filter((f) => /^moddable-.*\.json$/.test(f)).map((f) => f.slice(0, -5));

const HELP = `usage: node targets/build/build.mjs [--node | --firmware [--suites=S,…] [--board=B] [--role=R]] [--no-dts]
       make build | make firmware [SUITES=S,…] [MODDABLE_BOARD=B] [ROLE=R]

  (no flag)        ground tools (dist/node/cli.cjs), every firmware target, type declarations
  --node           only the ground tools, fast
  --firmware       firmware only (dist/espruino, dist/moddable, dist/generic)
  --suites=S,…     the on-board PIB path with only these suites: ${suiteNames().join(", ")}
  --board=B        size the Moddable manifest's creation block from this board profile:
                   ${MODDABLE_BOARDS.join(", ")} (default moddable-esp32)
  --role=R         ${ROLES.join(" or ")}; relay: the relay firmware (parse, canonicalize, verify, Relay)
  --no-dts         skip the type declarations

exit status: 0 built, 2 bad value or a failed build`;

/** A bad value or a failed step: one line on stderr, exit 2. */
function fail(message) {
  console.error(`build: error: ${message}`);
  process.exit(2);
}

const argv = process.argv.slice(2);
if (argv.includes("--help") || argv.includes("-h")) {
  console.log(HELP);
  process.exit(0);
}
const args = new Set();
const opt = {};
for (const a of argv) {
  const m = /^--([a-z-]+)=(.*)$/.exec(a);
  if (m && OPTIONS.includes(m[1])) opt[m[1]] = m[2];
  else if (FLAGS.includes(a)) args.add(a);
  else fail(`unknown argument "${a}" (allowed: ${[...FLAGS, ...OPTIONS.map((o) => `--${o}=…`)].join(", ")}; see --help)`);
}
// every value is checked before anything is built
const picked = opt.suites !== undefined ? parseSuiteList(opt.suites) : { suites: [] };
if (picked.error) fail(picked.error);
const suites = picked.suites;
if (opt.board !== undefined && !MODDABLE_BOARDS.includes(opt.board)) fail(`unknown MODDABLE_BOARD "${opt.board}" (allowed: ${MODDABLE_BOARDS.join(", ")})`);
if (opt.role !== undefined && !ROLES.includes(opt.role)) fail(`unknown ROLE "${opt.role}" (allowed: ${ROLES.join(", ")})`);
if ((opt.suites !== undefined || opt.board !== undefined || opt.role !== undefined) && !args.has("--firmware")) {
  fail("--suites, --board and --role go with --firmware (make firmware)");
}
if (args.has("--node") && args.has("--firmware")) fail("--node and --firmware exclude each other");
const t0 = Date.now();
process.chdir(ROOT);
// esbuild's "Build failed with 1 error:" is followed by the line that says where
process.on("uncaughtException", (e) => fail(toolError(String(e?.message ?? e))));
process.on("unhandledRejection", (e) => fail(toolError(String(e?.message ?? e))));

/** The commands of cli/main.ts's table: each `import("./NAME.js")` there is one command file. */
function cliCommands() {
  return [...readFileSync("cli/main.ts", "utf8").matchAll(/import\("\.\/(\w+)\.js"\)/g)].map((m) => m[1]);
}

async function buildCli() {
  // CommonJS, one self-contained file per command: dist/node/cli.cjs (the table of
  // commands, cli/main.ts) loads dist/node/cli/NAME.cjs only when that command runs, so
  // `pibkit digest` loads neither esbuild nor QuickJS. CommonJS because Node's ES module
  // loader costs start-up (`pibkit bench --process`: 1.22× `node -e 0` as ES modules
  // split into shared chunks, 1.14× as CommonJS; docs/design.md). No chunks are shared,
  // so a command never meets a file of another build; each file is written beside its
  // place and renamed into it, the table last (tests build while others run bin/pibkit).
  const commands = cliCommands();
  const main = resolve(ROOT, "cli/main.ts");
  const r = await build({
    // and the CRC-32C thread's own file (cli/crcThreads.ts starts it by path)
    entryPoints: { cli: "cli/main.ts", ...Object.fromEntries(commands.map((c) => [`cli/${c}`, `cli/${c}.ts`])), "cli/crcWorker": "cli/crcWorker.ts" },
    outdir: "dist/node",
    entryNames: "[dir]/[name]",
    outbase: ".",
    outExtension: { ".js": ".cjs" },
    write: false,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    sourcemap: false,
    logLevel: "warning",
    // import.meta.url, which CommonJS lacks, as this file's URL (what it was in the ES
    // modules); and the build switches at the Node values a build without them reads at
    // run time (src/core/build.ts), folded here: every `typeof` of an undeclared global
    // is a lookup on each call, ~8 ns of a 64-octet CRC-32C's ~52 (docs/bench.md)
    define: { "import.meta.url": "__pibkit_file_url", ...buildDefines({ primitives: PRIMITIVES.node, stream: true }) },
    // import() as require(): a dynamic import goes through the ES module loader even for a CommonJS file
    supported: { "dynamic-import": false },
    banner: { js: 'const __pibkit_file_url = require("node:url").pathToFileURL(__filename).href;' },
    packages: "external",
    plugins: [
      {
        name: "command-files",
        setup(b) {
          // the table's import("./NAME.js") loads dist/node/cli/NAME.cjs at run time
          b.onResolve({ filter: /^\.\/\w+\.js$/ }, (a) =>
            a.importer === main && a.kind === "dynamic-import" ? { path: `./cli/${a.path.slice(2, -3)}.cjs`, external: true } : undefined,
          );
        },
      },
    ],
  });
  mkdirSync("dist/node/cli", { recursive: true });
  const entry = resolve(ROOT, "dist/node/cli.cjs");
  const files = [...r.outputFiles.filter((f) => f.path !== entry), r.outputFiles.find((f) => f.path === entry)];
  for (const f of files) {
    const tmp = `${f.path}.${process.pid}.tmp`;
    writeFileSync(tmp, f.contents);
    renameSync(tmp, f.path);
  }
  // the ES-module form of earlier builds (dist/node/cli.mjs, cli-chunks/)
  rmSync("dist/node/cli.mjs", { force: true });
  rmSync("dist/node/cli-chunks", { recursive: true, force: true });
  console.log(`built dist/node/cli.cjs + ${commands.length} commands in dist/node/cli/ (${Date.now() - t0} ms)`);
}

/**
 * The Espruino language check (targets/build/espruinoCheck.ts) on every Espruino file just
 * built: a violation fails the build. The checker is TypeScript, so esbuild bundles it
 * for this process first (acorn stays an external package).
 */
async function checkEspruino(files) {
  const r = await build({
    entryPoints: ["targets/build/espruinoCheck.ts"],
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
    packages: "external",
    logLevel: "warning",
  });
  mkdirSync("dist/.tools", { recursive: true });
  const tool = join(ROOT, "dist/.tools/espruinoCheck.mjs");
  writeFileSync(tool, r.outputFiles[0].text);
  const { checkEspruinoSource, formatViolations } = await import(pathToFileURL(tool).href);
  let bad = 0;
  for (const f of files.filter((x) => /\/espruino\/.*\.js$/.test(x) && !x.endsWith("flash-dryrun.js"))) {
    const v = checkEspruinoSource(readFileSync(f, "utf8"));
    if (v.length) {
      bad += v.length;
      console.error(formatViolations(f.slice(ROOT.length + 1), v));
    }
  }
  if (bad) {
    console.error(`build: error: ${bad} Espruino language violation(s) in the firmware (see above; rules in targets/build/espruinoCheck.ts)`);
    process.exit(2);
  }
}

async function buildFirmware() {
  // --board=moddable-esp8266: the Moddable manifests' creation block comes from that profile
  const fwOpts = opt.board ? { moddableBoard: opt.board } : {};
  const built = [];
  if (opt.role === "relay") {
    // --role=relay [--suites=…]: the relay firmware (check and drop, no signing, no keys)
    const f = relayFeature(suites);
    built.push(...Object.values(await buildFirmwareSet(f, f.name, fwOpts)));
  } else if (suites.length) {
    const f = suiteFeature(suites);
    built.push(...Object.values(await buildFirmwareSet(f, f.name, fwOpts)));
  } else {
    built.push(...Object.values(await buildFirmwareSet(FEATURES.full, "pibkit", fwOpts)));
    built.push(...Object.values(await buildFirmwareSet(FEATURES["pib-path"], "pibkit-pib-path")));
    built.push(...Object.values(await buildFirmwareSet(FEATURES["pib-path+keys"], "pibkit-pib-path+keys")));
    built.push(...Object.values(await buildFirmwareSet(FEATURES["pib-path+writer"], "pibkit-pib-path+writer")));
    built.push(...Object.values(await buildFirmwareSet(FEATURES["pib-path+stream"], "pibkit-pib-path+stream")));
    built.push(...Object.values(await buildFirmwareSet(FEATURES["insecure-crc32+stream"], "pibkit-insecure-crc32+stream")));
    built.push(...Object.values(await buildFirmwareSet(FEATURES["pib-path+stream+writer"], "pibkit-pib-path+stream+writer")));
    built.push(...Object.values(await buildFirmwareSet(FEATURES["crc-only"], "pibkit-crc-only")));
    const crc = suiteFeature(["insecure-crc32"]);
    built.push(...Object.values(await buildFirmwareSet(crc, crc.name)));
    for (const r of [relayFeature(["insecure-crc32"]), relayFeature([])]) built.push(...Object.values(await buildFirmwareSet(r, r.name)));
    // boards whose profile asks for speed-first primitives: dist/boards/<board>/
    for (const [f, n] of [[FEATURES.full, "pibkit"], [FEATURES["pib-path"], "pibkit-pib-path"], [FEATURES["pib-path+writer"], "pibkit-pib-path+writer"], [FEATURES["pib-path+stream+writer"], "pibkit-pib-path+stream+writer"]]) {
      built.push(...(await buildBoardFirmware(f, n)));
    }
    built.push(await buildNodeLibrary());
  }
  await checkEspruino(built);
  // Firmware builds rename src/'s internal members, the names ending in `_`
  // (MANGLED_PROP): a script that drives a firmware and reads one of them would see
  // undefined. A warning, since the name may belong to the script's own object.
  for (const [file, name] of firmwareManglingConflicts()) {
    console.warn(`build: warning: ${file} uses .${name}, which firmware builds rename (members ending in _: MANGLED_PROP in targets/build/firmware.mjs)`);
  }
  console.log(`built firmware: ${built.map((f) => f.slice(ROOT.length + 1)).join(", ")} (${Date.now() - t0} ms); Espruino language check passed`);
}

/** Type declarations for dist/node/pibkit.mjs (tsc; errors elsewhere in the tree do not stop it). */
function buildDeclarations() {
  const r = spawnSync(
    process.execPath,
    [
      "node_modules/typescript/bin/tsc", "src/entries/node.ts", "--declaration", "--emitDeclarationOnly", "--outDir", "dist/node/types",
      "--target", "ES2022", "--module", "ESNext", "--moduleResolution", "Bundler", "--skipLibCheck", "--useDefineForClassFields", "false",
      "--isolatedModules", "--types", "node",
    ],
    { stdio: "inherit" },
  );
  // types for dist/node/pibkit.mjs (TypeScript looks for pibkit.d.mts next to it)
  writeFileSync("dist/node/pibkit.d.mts", 'export * from "./types/entries/node.js";\n');
  if (r.status !== 0) console.warn("declarations: tsc reported errors (see above)");
  else console.log("built dist/node/types/entries/node.d.ts, dist/node/pibkit.d.mts");
}

if (!args.has("--firmware")) await buildCli();
if (args.has("--node")) process.exit(0);
await buildFirmware();
if (!args.has("--firmware") && !args.has("--no-dts")) buildDeclarations();
