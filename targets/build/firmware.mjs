// Firmware builds of src/ for Espruino, Moddable XS, generic script hosts (QuickJS,
// XS, the simulator) and Node, on esbuild's API. Why each step is the way it is:
//  - Espruino: ESM output rewritten to `exports.x=` (esbuild's cjs/iife export helper
//    loops with a shared `let` binding, and on Espruino every export becomes the last
//    one), target es2015 with the features Espruino lacks marked unsupported so
//    esbuild lowers them, minified identifiers (Espruino runs the source text), ASCII.
//  - Moddable: one ESM file per manifest module, listed in "modules" and "preload".
import { build } from "esbuild";
import { mkdirSync, readFileSync, writeFileSync, existsSync, renameSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { globalAliases } from "./globalAliases.mjs";
import { localThis } from "./localThis.mjs";
import { moddableConst } from "./moddableConst.mjs";

/** The project root: the nearest folder up from here with pibkit's package.json (this file is also bundled into dist/node/cli.mjs). */
export const ROOT = (() => {
  let d = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = join(d, "package.json");
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, "utf8")).name === "pibkit") return d;
    d = resolve(d, "..");
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), "..");
})();

/** Language features esbuild must lower for Espruino 2v20+ (checked by targets/build/espruinoCheck.ts). */
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
 * Build-time defines (read in src/core/crc32c.ts, src/core/md5.ts). The CRC-32C table count is chosen here:
 * one 256-entry table (1 KiB as Int32Array) and loop bodies on microcontrollers; on Node
 * (any other value) slicing-by-8 and unrolled hash bodies.
 */
export function firmwareDefines(slices) {
  return { __PIBKIT_CRC_SLICES__: String(slices) };
}

/**
 * Internal members of src/'s classes end in `_` and firmware builds rename them to short
 * names (esbuild `mangleProps: /_$/`, esbuild's documented convention): the minifier
 * shortens variables but never property names, and Espruino keeps and runs the source
 * text, so every long member name costs flash and JsVars at each use. A member gets the
 * suffix only when no firmware user touches it — never a documented field or method,
 * nor a name an outside object supplies (Digest, KeyLookup, suite ids). The Node library
 * (dist/node) keeps every name, suffix included. `node targets/build/build.mjs` warns
 * when a file outside src/ that drives a firmware build reads such a member
 * (firmwareManglingConflicts).
 */
export const MANGLED_PROP = /_$/;

/**
 * A property read or written as `.name_` (a src/-internal member: MANGLED_PROP), in
 * script or doc text. Names beginning with `_` (`__proto__`, `__dirname`) are not
 * members of src/ and are left alone.
 */
const MANGLED_USE = /\.([A-Za-z$][\w$]*_)(?![\w$])/g;

/**
 * Files outside src/ that run a firmware build (examples, engine scripts, simulator,
 * benchmarks, docs) and use a renamed member (`…_`) as a property: `[file, name]` pairs.
 */
export function firmwareManglingConflicts() {
  const files = [];
  const walk = (d) => {
    if (!existsSync(d)) return;
    for (const f of readdirSync(d)) {
      if (f === "node_modules" || f === "firmware.mjs") continue;
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|js|mjs|md)$/.test(f)) files.push(p);
    }
  };
  for (const d of ["targets", "sim", "bench", "docs"]) walk(join(ROOT, d));
  for (const f of readdirSync(ROOT)) if (f.endsWith(".md")) files.push(join(ROOT, f));
  const out = [];
  for (const f of files) {
    const text = readFileSync(f, "utf8");
    for (const m of text.matchAll(MANGLED_USE)) out.push([f.slice(ROOT.length + 1), m[1]]);
  }
  return out;
}

/** Suite names (SUITES=…) and their bits in a feature build. */
export const SUITE_BITS = { hmac: 1, "insecure-md5": 2, "insecure-crc32": 4 };

/** The on-board PIB path (src/onboard/, Profile R only) and the module holding its suite ids. */
export const ONBOARD_ENTRY = "src/entries/pib-path.ts";
export const ONBOARD_SUITE_IDS = "src/onboard/suiteIds.ts";
/** Suite name → the constant of src/onboard/suiteIds.ts that a feature build sets to -1 when leaving the suite out. */
const SUITE_ID_CONSTANTS = { hmac: "HMAC_ID", "insecure-md5": "MD5_ID", "insecure-crc32": "CRC32_ID" };

/**
 * Feature builds: which part of src/ each firmware file carries, and which groups of
 * targets/hosts/conformance.js apply to it. `absent` modules are replaced at build time by
 * stand-ins (src/entries/absent/*) that are never called, and `suiteIds` replaces
 * src/onboard/suiteIds.ts with the build's ids (-1 for a left-out suite: no SDNV
 * matches it, so such a PIB is UnknownSuite), so a CRC-only firmware carries neither
 * MD5 nor SHA-1.
 */
export const FEATURES = {
  // the ground library: bundles, writer, canonicalization under every profile, PIBs, all suites, keys, relay
  full: { entry: "src/entries/full.ts", groups: ["sdnv", "crc", "md5", "sha1", "hmac", "pib", "keys"], absent: [] },
  // the on-board PIB path a node runs (src/onboard/, Profile R): parse, canonicalize, sign and verify
  // with all three suites; no key table, relay or bundle writer (add-ons with their own rows)
  "pib-path": { entry: ONBOARD_ENTRY, groups: ["sdnv", "crc", "md5", "sha1", "hmac", "pib"], absent: [] },
  // the on-board path plus the key table (src/ground/keys.ts), so users see what keys cost
  "pib-path+keys": { entry: "src/entries/pib-path-keys.ts", groups: ["sdnv", "crc", "md5", "sha1", "hmac", "pib", "keys"], absent: [] },
  // the on-board path plus the bundle writer: a node that makes its own bundles (the simulator's device)
  "pib-path+writer": { entry: "src/entries/pib-path-writer.ts", groups: ["sdnv", "crc", "md5", "sha1", "hmac", "pib"], absent: [] },
  // CRC-32C and SDNV only (a sensor that checksums its own records)
  "crc-only": { entry: "src/entries/crc-only.ts", groups: ["sdnv", "crc"], absent: [] },
};

/**
 * SUITES=a,b as a user gives it to make: `{ suites }`, or `{ error }` naming the bad
 * or missing value and the allowed ones (the build and flash scripts' one check).
 */
export function parseSuiteList(text) {
  const allowed = `(allowed: ${Object.keys(SUITE_BITS).join(", ")}, comma-separated)`;
  const suites = text.split(",").map((s) => s.trim()).filter(Boolean);
  if (suites.length === 0) return { error: `SUITES is empty ${allowed}` };
  const bad = suites.find((s) => !(s in SUITE_BITS));
  return bad === undefined ? { suites } : { error: `unknown suite "${bad}" in SUITES ${allowed}` };
}

/** Parses a SUITES=a,b list into the suites' bits and the modules and ids a build without the others needs. */
function suiteSelection(suites) {
  let mask = 0;
  for (const s of suites) {
    if (!(s in SUITE_BITS)) throw new Error(`unknown suite "${s}" (one of ${Object.keys(SUITE_BITS).join(", ")})`);
    mask |= SUITE_BITS[s];
  }
  const hmac = (mask & 1) !== 0, md5 = (mask & 2) !== 0, crc = (mask & 4) !== 0;
  const absent = [];
  if (!md5) absent.push("md5");
  if (!hmac) absent.push("hmac", "sha1");
  if (!crc) absent.push("crc32c");
  const excluded = Object.keys(SUITE_BITS).filter((s) => (mask & SUITE_BITS[s]) === 0);
  return { all: mask === 7, hmac, md5, crc, absent, suiteIds: excluded.length ? excluded.map((s) => SUITE_ID_CONSTANTS[s]) : null };
}

/** Feature of a SUITES=a,b list: the on-board PIB path with only those suites' digests and ids. */
export function suiteFeature(suites) {
  const sel = suiteSelection(suites);
  if (sel.all) return { name: "pibkit-pib-path", ...FEATURES["pib-path"] };
  const groups = ["sdnv", "pib"];
  if (sel.crc) groups.push("crc");
  if (sel.md5) groups.push("md5");
  if (sel.hmac) groups.push("sha1", "hmac");
  const name = "pibkit-" + [...suites].sort().join("+");
  return { name, entry: ONBOARD_ENTRY, groups, absent: sel.absent, suiteIds: sel.suiteIds };
}

/**
 * Relay firmware (ROLE=relay): what a relay needs to check and drop corrupted bundles
 * (draft §3.1, RFC 6257 §3.6) — the on-board Verifier and Relay — for the given
 * suites (all three when empty). No Signer, no bundle writer, no key table: a relay
 * checks unkeyed and NULL-keyed PIBs only (relay.ts), and the NULL key is built in.
 */
export function relayFeature(suites) {
  const sel = suites.length ? suiteSelection(suites) : suiteSelection(Object.keys(SUITE_BITS));
  const contents = [
    'export { Verifier } from "./src/entries/pib-path.js";',
    'export { Relay } from "./src/ground/relay.js";',
  ].join("\n");
  // conformance: the relay group per suite (targets/hosts/conformance.js), no digest/sign groups
  const groups = ["relay"];
  if (sel.crc) groups.push("relay-crc32");
  if (sel.md5) groups.push("relay-md5");
  if (sel.hmac) groups.push("relay-hmac");
  const name = sel.all ? "pibkit-relay" : "pibkit-relay-" + [...suites].sort().join("+");
  return { name, entry: null, contents, groups, absent: sel.absent, suiteIds: sel.suiteIds };
}

/**
 * esbuild plugin: resolves imports of src/core/<name>.ts for absent modules to their
 * stand-ins (from any folder of src/), and, when the feature leaves suites out,
 * src/onboard/suiteIds.ts to a copy with those suites' ids set to -1.
 */
function absentPlugin(feature) {
  const absent = feature.absent ?? [];
  const leftOut = feature.suiteIds ?? null;
  return {
    name: "pibkit-absent",
    setup(b) {
      // src/ modules have no side effects at load (nothing writable at module
      // level: Moddable's preload freezes it), so a module only reached for a const enum or a type (relay.ts → pib.ts's
      // Verdict) is dropped instead of kept for its top-level statements
      b.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => {
        const ts = resolve(args.resolveDir, args.path).replace(/\.js$/, ".ts");
        if (!ts.startsWith(join(ROOT, "src") + "/") || !existsSync(ts)) return undefined;
        if (absent.some((a) => ts === join(ROOT, "src/core", a + ".ts"))) return undefined;
        if (leftOut && ts === join(ROOT, ONBOARD_SUITE_IDS)) return undefined;
        return { path: ts, sideEffects: false };
      });
      if (absent.length) {
        const re = new RegExp("(?:^|/)(" + absent.join("|") + ")\\.js$");
        b.onResolve({ filter: re }, (args) => {
          const m = re.exec(args.path);
          // only src/core/<name>.ts itself, never a same-named file elsewhere
          if (resolve(args.resolveDir, args.path) !== join(ROOT, "src/core", m[1] + ".js")) return undefined;
          return { path: join(ROOT, "src/entries/absent", m[1] + ".ts") };
        });
      }
      if (leftOut) {
        const ids = join(ROOT, ONBOARD_SUITE_IDS);
        b.onResolve({ filter: /(?:^|\/)suiteIds\.js$/ }, (args) => {
          if (resolve(args.resolveDir, args.path) !== ids.replace(/\.ts$/, ".js")) return undefined;
          return { path: ids, namespace: "pibkit-suite-ids" };
        });
        b.onLoad({ filter: /.*/, namespace: "pibkit-suite-ids" }, () => {
          let text = readFileSync(ids, "utf8");
          for (const c of leftOut) {
            const re = new RegExp("(\\b" + c + "\\s*(?::\\s*number\\s*)?=\\s*)-?\\d+");
            if (!re.test(text)) throw new Error(`${ONBOARD_SUITE_IDS} has no "${c} = <number>" to leave the suite out`);
            text = text.replace(re, "$1-1");
          }
          return { contents: text, loader: "ts", resolveDir: dirname(ids) };
        });
      }
    },
  };
}

function entryOptions(feature) {
  if (feature.entry) return { entryPoints: [join(ROOT, feature.entry)] };
  return { stdin: { contents: feature.contents, resolveDir: ROOT, sourcefile: "suite-entry.js", loader: "js" } };
}

/**
 * The esbuild options every firmware build shares: the feature's entry and absent
 * modules, one minified ESM text in memory, ASCII only, the internal property names
 * renamed (MANGLED_PROP) and the build switches defined.
 */
function firmwareOptions(feature, slices) {
  return {
    ...entryOptions(feature),
    plugins: [absentPlugin(feature)],
    bundle: true,
    write: false,
    format: "esm",
    minify: true,
    charset: "ascii",
    legalComments: "none",
    mangleProps: MANGLED_PROP,
    define: firmwareDefines(slices),
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
    logLevel: "silent",
  };
}

/** firmwareOptions lowered to what Espruino's interpreter parses (es2015 minus ESPRUINO_UNSUPPORTED). */
function espruinoOptions(feature, slices) {
  const supported = {};
  for (const f of ESPRUINO_UNSUPPORTED) supported[f] = false;
  return { ...firmwareOptions(feature, slices), target: "es2015", supported, treeShaking: true };
}

/** esbuild → minified ESM text for Espruino/generic (es2015, lowered), as a string. */
export async function bundleEspruinoEsm(feature, opts = {}) {
  const minify = opts.minify ?? true;
  const r = await build({ ...espruinoOptions(feature, opts.slices ?? 1), minify });
  // Espruino keeps the source: `this` read once per method (targets/build/localThis.mjs)
  // and typed-array constructors named once (targets/build/globalAliases.mjs)
  return minify ? globalAliases(localThis(r.outputFiles[0].text)) : r.outputFiles[0].text;
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

/**
 * ESM for Moddable XS: no lowering needed (XS is ES2023+), minified, one file, its
 * module-level bindings `const` and enum objects frozen so that xsl can preload them
 * into flash (targets/build/moddableConst.mjs).
 */
export async function bundleModdable(feature, opts = {}) {
  const r = await build({ ...firmwareOptions(feature, opts.slices ?? 1), target: "es2022" });
  return moddableConst(r.outputFiles[0].text);
}

/** Reads a board profile from targets/boards/<name>.json. */
export function loadBoard(name) {
  const file = join(ROOT, "targets/boards", name + ".json");
  if (!existsSync(file)) throw new Error(`no board profile targets/boards/${name}.json`);
  return JSON.parse(readFileSync(file, "utf8"));
}

/** Moddable manifest: the module under "modules" and "preload", creation from the board profile. */
export function moddableManifest(board, file = "pibkit") {
  const creation = {};
  for (const [k, v] of Object.entries(board.moddable?.creation ?? {})) creation[k] = v.value ?? v;
  // every build is imported as "pibkit"; feature builds differ only in the file
  return {
    creation,
    modules: { pibkit: "./" + file },
    preload: ["pibkit"],
  };
}

/** Atomic write (temp file + rename): test files build in parallel and must never see half a file. */
function write(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
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
export async function buildFirmwareSet(feature, name = "pibkit", opts = {}) {
  const dist = opts.dist ?? join(ROOT, "dist");
  const esm = await bundleEspruinoEsm(feature);
  const script = esmToExportsAssignments(esm);
  const forms = espruinoForms(script, "pibkit");
  const out = {};
  out.espruino = write(join(dist, "espruino", name + ".min.js"), forms.storage);
  out.addCached = write(join(dist, "espruino", name + ".addcached.js"), forms.addCached);
  out.generic = write(join(dist, "generic", name + ".js"), forms.generic);
  const mod = await bundleModdable(feature);
  out.moddable = write(join(dist, "moddable", name + ".js"), mod);
  const board = loadBoard(opts.moddableBoard ?? "moddable-esp32");
  out.manifest = write(join(dist, "moddable", name === "pibkit" ? "manifest.json" : name + ".manifest.json"),
    JSON.stringify(moddableManifest(board, name), null, 2) + "\n");
  return out;
}

/** Node library build (ESM, readable, slicing CRC) for ground tools and other JS users. */
export async function buildNodeLibrary(dist = join(ROOT, "dist")) {
  const r = await build({
    entryPoints: [join(ROOT, FEATURES.full.entry)],
    write: false,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    define: firmwareDefines(16),
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
    logLevel: "warning",
  });
  return write(join(dist, "node", "pibkit.mjs"), r.outputFiles[0].text);
}

/**
 * ES5 build for Duktape (ES5 only: it needs TypeScript's ES5 output first):
 * each .ts file is transpiled by TypeScript to ES5 (classes, let/const, template
 * literals lowered; const enums kept as objects since files are transpiled one at a
 * time), then esbuild bundles with target es5 into the generic script form.
 */
export async function bundleEs5Generic(feature) {
  const { createRequire } = await import("node:module");
  const ts = createRequire(import.meta.url)("typescript");
  const tsPlugin = {
    name: "pibkit-ts-es5",
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        const src = readFileSync(args.path, "utf8");
        const out = ts.transpileModule(src, {
          fileName: args.path,
          compilerOptions: {
            target: ts.ScriptTarget.ES5,
            module: ts.ModuleKind.ESNext,
            useDefineForClassFields: false,
            preserveConstEnums: true,
            isolatedModules: true,
            importHelpers: false,
          },
        });
        // TypeScript writes `const enum` as a plain enum object under preserveConstEnums
        return { contents: out.outputText, loader: "js" };
      });
    },
  };
  const base = firmwareOptions(feature, 1);
  const r = await build({ ...base, plugins: [...base.plugins, tsPlugin], target: "es5" });
  return espruinoForms(esmToExportsAssignments(r.outputFiles[0].text)).generic;
}

/** The source files esbuild puts into a feature's Espruino build (metafile inputs, relative to the root). */
export async function featureInputs(feature) {
  return Object.keys(await featureInputBytes(feature));
}

/** Source file → minified bytes it puts into a feature's Espruino build (where the size goes). */
export async function featureInputBytes(feature) {
  const r = await build({ ...espruinoOptions(feature, 1), metafile: true, absWorkingDir: ROOT });
  const out = Object.values(r.metafile.outputs)[0];
  const bytes = {};
  for (const [k, v] of Object.entries(out.inputs)) if (v.bytesInOutput > 0) bytes[k] = v.bytesInOutput;
  return bytes;
}
