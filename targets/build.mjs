#!/usr/bin/env node
// Builds pibkit with esbuild.
//   node targets/build.mjs                 ground tools + every firmware target
//   node targets/build.mjs --node          only the ground tools (dist/node/cli.mjs), fast
//   node targets/build.mjs --firmware [--suites=insecure-crc32,...] [--board=moddable-esp8266] [--role=relay]   firmware only
// Firmware details live in targets/firmware.mjs; docs/firmware.md explains the files.
import { build } from "esbuild";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { spawnSync } from "node:child_process";
import { buildFirmwareSet, buildNodeLibrary, firmwareManglingConflicts, relayFeature, suiteFeature, FEATURES, ROOT } from "./firmware.mjs";

const argv = process.argv.slice(2);
const args = new Set(argv.filter((a) => !a.includes("=")));
const opt = Object.fromEntries(argv.filter((a) => a.includes("=")).map((a) => a.replace(/^--/, "").split("=")));
const t0 = Date.now();
process.chdir(ROOT);

async function buildCli() {
  mkdirSync("dist/node", { recursive: true });
  // written atomically (temp file + rename): tests build in parallel while others run bin/pibkit
  const r = await build({
    entryPoints: ["cli/main.ts"],
    outfile: "dist/node/cli.mjs",
    write: false,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: false,
    logLevel: "warning",
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    packages: "external",
  });
  const tmp = `dist/node/cli.mjs.${process.pid}.tmp`;
  writeFileSync(tmp, r.outputFiles[0].contents);
  renameSync(tmp, "dist/node/cli.mjs");
  console.log(`built dist/node/cli.mjs (${Date.now() - t0} ms)`);
}

/**
 * The Espruino language check (targets/espruinoCheck.ts) on every Espruino file just
 * built: a violation fails the build. The checker is TypeScript, so esbuild bundles it
 * for this process first (acorn stays an external package).
 */
async function checkEspruino(files) {
  const r = await build({
    entryPoints: ["targets/espruinoCheck.ts"],
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
    console.error(`build: error: ${bad} Espruino language violation(s) in the firmware (see above; rules in targets/espruinoCheck.ts)`);
    process.exit(2);
  }
}

async function buildFirmware() {
  // --board=moddable-esp8266: the Moddable manifests' creation block comes from that profile
  const fwOpts = opt.board ? { moddableBoard: opt.board } : {};
  const suites = opt.suites ? opt.suites.split(",").map((x) => x.trim()).filter(Boolean) : [];
  const built = [];
  if (opt.role === "relay") {
    // --role=relay [--suites=…]: the relay firmware (check and drop, no signing, no keys)
    const f = relayFeature(suites);
    built.push(...Object.values(await buildFirmwareSet(f, f.name, fwOpts)));
  } else if (opt.role && opt.role !== "node") {
    console.error(`build: error: unknown --role=${opt.role} (node or relay)`);
    process.exit(2);
  } else if (suites.length) {
    const f = suiteFeature(suites);
    built.push(...Object.values(await buildFirmwareSet(f, f.name, fwOpts)));
  } else {
    built.push(...Object.values(await buildFirmwareSet(FEATURES.full, "pibkit", fwOpts)));
    built.push(...Object.values(await buildFirmwareSet(FEATURES["pib-path"], "pibkit-pib-path")));
    built.push(...Object.values(await buildFirmwareSet(FEATURES["pib-path+keys"], "pibkit-pib-path+keys")));
    built.push(...Object.values(await buildFirmwareSet(FEATURES["pib-path+writer"], "pibkit-pib-path+writer")));
    built.push(...Object.values(await buildFirmwareSet(FEATURES["crc-only"], "pibkit-crc-only")));
    const crc = suiteFeature(["insecure-crc32"]);
    built.push(...Object.values(await buildFirmwareSet(crc, crc.name)));
    for (const r of [relayFeature(["insecure-crc32"]), relayFeature([])]) built.push(...Object.values(await buildFirmwareSet(r, r.name)));
    built.push(await buildNodeLibrary());
  }
  await checkEspruino(built);
  // Firmware builds rename internal members (FIRMWARE_MANGLED_PROPS): a script that
  // drives a firmware and reads one of them would see undefined. A warning, since the
  // same short names (val, put, …) may belong to the script's own objects.
  for (const [file, name] of firmwareManglingConflicts()) {
    console.warn(`build: warning: ${file} uses .${name}, which firmware builds rename (FIRMWARE_MANGLED_PROPS in targets/firmware.mjs)`);
  }
  console.log(`built firmware: ${built.map((f) => f.slice(ROOT.length + 1)).join(", ")} (${Date.now() - t0} ms); Espruino language check passed`);
}

/** Type declarations for dist/node/pibkit.mjs (tsc; errors elsewhere in the tree do not stop it). */
function buildDeclarations() {
  const r = spawnSync(
    process.execPath,
    [
      "node_modules/typescript/bin/tsc", "src/index.ts", "--declaration", "--emitDeclarationOnly", "--outDir", "dist/node/types",
      "--target", "ES2022", "--module", "ESNext", "--moduleResolution", "Bundler", "--skipLibCheck", "--useDefineForClassFields", "false",
      "--isolatedModules", "--types", "node",
    ],
    { stdio: "inherit" },
  );
  // types for dist/node/pibkit.mjs (TypeScript looks for pibkit.d.mts next to it)
  writeFileSync("dist/node/pibkit.d.mts", 'export * from "./types/index.js";\n');
  if (r.status !== 0) console.warn("declarations: tsc reported errors (see above)");
  else console.log("built dist/node/types/index.d.ts, dist/node/pibkit.d.mts");
}

if (!args.has("--firmware")) await buildCli();
if (args.has("--node")) process.exit(0);
await buildFirmware();
if (!args.has("--firmware") && !args.has("--no-dts")) buildDeclarations();
