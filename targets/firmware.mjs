// Firmware builds of src/ for Espruino, Moddable XS, generic script hosts (QuickJS,
// XS, the simulator) and Node, on esbuild's API. engines.md says why each step is
// the way it is; the short version:
//  - Espruino: ESM output rewritten to `exports.x=` (esbuild's cjs/iife export helper
//    loops with a shared `let` binding, and on Espruino every export becomes the last
//    one), target es2015 with the features Espruino lacks marked unsupported so
//    esbuild lowers them, minified identifiers (Espruino runs the source text), ASCII.
//  - Moddable: one ESM file per manifest module, listed in "modules" and "preload".
import { build } from "esbuild";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Language features esbuild must lower for Espruino 2v20+ (engines.md, "esbuild output"). */
export const ESPRUINO_UNSUPPORTED = [
  "exponent-operator",
  "optional-chain",
  "nullish-coalescing",
  "object-rest-spread",
  "logical-assignment",
  "optional-catch-binding",
  "class-field",
  "class-static-field",
  "class-private-field",
  "class-private-method",
  "class-private-accessor",
  "class-static-blocks",
  "template-literal",
  "destructuring",
  "default-argument",
  "rest-argument",
  "array-spread",
  "generator",
  "async-await",
  "async-generator",
  "for-await",
  "bigint",
  "regexp-named-capture-groups",
  "regexp-lookbehind-assertions",
];

/**
 * Build-time defines (src/buildFlags.ts). The CRC-32C table count is chosen here:
 * one 256-entry table (1 KiB as Int32Array) on microcontrollers, slicing-by-16 on Node.
 */
export function firmwareDefines(slices) {
  return { __PIBKIT_CRC_SLICES__: String(slices) };
}

/** The feature entries: which `src/` modules each firmware contains. */
export const FEATURES = {
  // whole PIB path: parse, canonicalize, sign and verify all three suites, keys
  full: "src/index.ts",
};

/** Entry of a feature build for a list of suite names (hmac, insecure-md5, insecure-crc32). */
export function suiteEntry(suites) {
  const key = [...suites].sort().join("+");
  const file = `src/entries/${key}.ts`;
  if (!existsSync(join(ROOT, file))) {
    const have = ["hmac", "insecure-md5", "insecure-crc32"];
    for (const s of suites) if (!have.includes(s)) throw new Error(`unknown suite "${s}" (one of ${have.join(", ")})`);
    if (suites.length === 3) return FEATURES.full;
    throw new Error(`no feature entry ${file} for SUITES=${suites.join(",")}`);
  }
  return file;
}

/** esbuild → minified ESM text for Espruino/generic (es2015, lowered), as a string. */
export async function bundleEspruinoEsm(entry, opts = {}) {
  const supported = {};
  for (const f of ESPRUINO_UNSUPPORTED) supported[f] = false;
  const r = await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    write: false,
    format: "esm",
    target: "es2015",
    supported,
    minify: opts.minify ?? true,
    charset: "ascii",
    legalComments: "none",
    treeShaking: true,
    define: firmwareDefines(opts.slices ?? 1),
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
    logLevel: "silent",
  });
  return r.outputFiles[0].text;
}

/**
 * Rewrites esbuild's single trailing `export{a as b,c};` into `exports.b=a;exports.c=c;`.
 * Anything else that looks like a module statement is an error (the Espruino file is
 * a script).
 */
export function esmToExportsAssignments(esm) {
  const m = /export\s*\{([^}]*)\}\s*;?\s*$/.exec(esm);
  let body = esm;
  let assigns = "";
  if (m) {
    body = esm.slice(0, m.index);
    const parts = m[1].split(",").map((s) => s.trim()).filter(Boolean);
    for (const p of parts) {
      const mm = /^([\w$]+)(?:\s+as\s+([\w$]+))?$/.exec(p);
      if (!mm) throw new Error(`cannot rewrite export specifier "${p}"`);
      assigns += `exports.${mm[2] ?? mm[1]}=${mm[1]};`;
    }
  }
  if (/(^|[;}\n])\s*(import|export)\b/.test(body)) throw new Error("ESM statement left in the Espruino body");
  body = body.replace(/\s+$/, "");
  if (body && !/[;}]$/.test(body)) body += ";";
  return body + assigns;
}

/** The Espruino forms of one script body that assigns to `exports`. */
export function espruinoForms(script, moduleName = "pibkit") {
  return {
    // Storage file: Espruino's require() runs it with `exports` and `module` in scope.
    storage: script + "\n",
    // Upload form: EspruinoTools sends modules exactly like this.
    addCached: `Modules.addCached(${JSON.stringify(moduleName)},function(){${script}});\n`,
    // Plain script for QuickJS/XS hosts and the simulator: defines a global object.
    generic: `var ${moduleName}=(function(){var exports={};${script}return exports;})();\n`,
  };
}

/** ESM for Moddable XS: no lowering needed (XS is ES2023+), minified, one file. */
export async function bundleModdable(entry, opts = {}) {
  const r = await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    write: false,
    format: "esm",
    target: "es2022",
    minify: true,
    charset: "ascii",
    legalComments: "none",
    define: firmwareDefines(opts.slices ?? 1),
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
    logLevel: "silent",
  });
  return r.outputFiles[0].text;
}

/** Reads a board profile from targets/boards/<name>.json. */
export function loadBoard(name) {
  const file = join(ROOT, "targets/boards", name + ".json");
  if (!existsSync(file)) throw new Error(`no board profile targets/boards/${name}.json`);
  return JSON.parse(readFileSync(file, "utf8"));
}

/** Moddable manifest: the module under "modules" and "preload", creation from the board profile. */
export function moddableManifest(board, moduleName = "pibkit") {
  const creation = {};
  for (const [k, v] of Object.entries(board.moddable?.creation ?? {})) creation[k] = v.value ?? v;
  return {
    creation,
    modules: { [moduleName]: "./" + moduleName },
    preload: [moduleName],
  };
}

function write(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

export function sizes(text) {
  const b = Buffer.from(text, "utf8");
  return { bytes: b.length, gzip: gzipSync(b, { level: 9 }).length };
}

/**
 * Builds every firmware file of one feature set. `name` is the file stem
 * ("pibkit" for the full library, "pibkit-<suites>" for feature builds).
 */
export async function buildFirmwareSet(entry, name = "pibkit", opts = {}) {
  const dist = opts.dist ?? join(ROOT, "dist");
  const esm = await bundleEspruinoEsm(entry);
  const script = esmToExportsAssignments(esm);
  const forms = espruinoForms(script, "pibkit");
  const out = {};
  out.espruino = write(join(dist, "espruino", name + ".min.js"), forms.storage);
  out.addCached = write(join(dist, "espruino", name + ".addcached.js"), forms.addCached);
  out.generic = write(join(dist, "generic", name + ".js"), forms.generic);
  const mod = await bundleModdable(entry);
  out.moddable = write(join(dist, "moddable", name + ".js"), mod);
  const board = loadBoard(opts.moddableBoard ?? "moddable-esp32");
  out.manifest = write(join(dist, "moddable", name === "pibkit" ? "manifest.json" : name + ".manifest.json"),
    JSON.stringify(moddableManifest(board, name), null, 2) + "\n");
  return out;
}

/** Node library build (ESM, readable, slicing CRC) for ground tools and other JS users. */
export async function buildNodeLibrary(dist = join(ROOT, "dist")) {
  await build({
    entryPoints: [join(ROOT, FEATURES.full)],
    outfile: join(dist, "node", "pibkit.mjs"),
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    define: firmwareDefines(16),
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
    logLevel: "warning",
  });
  return join(dist, "node", "pibkit.mjs");
}
