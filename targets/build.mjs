#!/usr/bin/env node
// Builds pibkit with esbuild. `--node` builds only the ground tools (dist/node/).
// Firmware targets (Espruino, Moddable) are added by targets/firmware.mjs.
import { build } from "esbuild";
import { mkdirSync } from "node:fs";

const args = new Set(process.argv.slice(2));
const t0 = Date.now();
mkdirSync("dist/node", { recursive: true });
await build({
  entryPoints: ["cli/main.ts"],
  outfile: "dist/node/cli.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: false,
  logLevel: "warning",
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  packages: "external",
});
console.log(`built dist/node/cli.mjs (${Date.now() - t0} ms)`);
if (args.has("--node")) process.exit(0);
