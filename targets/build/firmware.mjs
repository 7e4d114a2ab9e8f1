// Firmware builds of src/ for Espruino, Moddable XS, generic script hosts (QuickJS,
// XS, the simulator) and Node, on esbuild's API. Why each step is the way it is:
//  - Espruino: ESM output rewritten to `exports.x=` (esbuild's cjs/iife export helper
//    loops with a shared `let` binding, and on Espruino every export becomes the last
//    one), target es2015 with the features Espruino lacks marked unsupported so
//    esbuild lowers them, minified identifiers (Espruino runs the source text), ASCII.
//  - Moddable: one ESM file per manifest module, listed in "modules" and "preload".
import { build, transformSync } from "esbuild";
import { mkdirSync, readFileSync, writeFileSync, existsSync, renameSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { repoRoot } from "./root.mjs";
import { gzipSync } from "node:zlib";
import { globalAliases } from "./globalAliases.mjs";
import { localThis } from "./localThis.mjs";
import { moddableConst } from "./moddableConst.mjs";

/** The project root (root.mjs; this file is also bundled into the ground tools, dist/node/cli/). */
export const ROOT = repoRoot();

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
 * The suite table, SUITES of src/core/suites.ts, read from that file: its TypeScript is
 * transpiled and run here (it imports nothing), so these scripts run under plain Node
 * and bundled into the ground tools (dist/node/cli/) alike, and a suite exists in one place only.
 */
export const SUITES = (() => {
  const file = join(ROOT, "src/core/suites.ts");
  const js = transformSync(readFileSync(file, "utf8"), { loader: "ts", format: "cjs", sourcefile: file }).code;
  const module = { exports: {} };
  const noImports = (name) => {
    throw new Error(`src/core/suites.ts imports ${name}: the build scripts read it alone, keep it free of imports`);
  };
  new Function("module", "exports", "require", js)(module, module.exports, noImports);
  return module.exports.SUITES;
})();

/** A suite's bit in `__PIBKIT_SUITES__` (suites.ts suiteBit). */
const suiteBit = (row) => 1 << row.kind;

/**
 * Primitive bodies, the other half of what a build contains: CRC-32C tables
 * (`crcSlices`: 1, 8 or 128) and MD5/SHA-1 bodies (`hashLoops`: 1 = loops, size first;
 * 0 = unrolled, speed first); src/core/build.ts says what each value gives. A feature
 * or a board profile may carry its own `primitives`; firmware takes `mcu` otherwise.
 */
export const PRIMITIVES = {
  // every size-first firmware build (the default): one 1 KiB CRC table, MD5/SHA-1 as loops, octets read one by one
  mcu: { crcSlices: 1, hashLoops: 1, wordViews: 0 },
  // the Node library and ground tools: slicing-by-16, unrolled bodies, octets read as words
  node: { crcSlices: 8, hashLoops: 0, wordViews: 1 },
  // the JIT-less interpreter build (`pibkit bench` in QuickJS, a QuickJS board asking for
  // speed): slicing-by-128, unrolled bodies, and MD5/SHA-1 blocks read as words, which
  // QuickJS takes ~17 % faster than four octets each (docs/primitives.md)
  interpreter: { crcSlices: 128, hashLoops: 0, wordViews: 1 },
};

/**
 * What a build contains, as esbuild `define`s of the switches declared in
 * src/core/build.ts — the one way a build is chosen (docs/firmware.md "What a build
 * contains"): `suites`, the suite table's `cli` names it carries (every suite when
 * omitted), `primitives` (PRIMITIVES.mcu when omitted), and `stream`, whether the
 * on-board streaming verifier is in (off when omitted). Bad values throw.
 */
export function buildDefines({ suites, primitives, stream } = {}) {
  const rows = suites === undefined ? SUITES : suiteRows(suites);
  const p = primitives ?? PRIMITIVES.mcu;
  if (![1, 8, 128].includes(p.crcSlices)) throw new Error(`crcSlices must be 1, 8 or 128, got ${p.crcSlices}`);
  if (![0, 1].includes(p.hashLoops)) throw new Error(`hashLoops must be 0 or 1, got ${p.hashLoops}`);
  if (![0, 1, 2].includes(p.wordViews ?? 0)) throw new Error(`wordViews must be 0, 1 or 2, got ${p.wordViews}`);
  return {
    __PIBKIT_SUITES__: String(rows.reduce((m, r) => m | suiteBit(r), 0)),
    __PIBKIT_CRC_SLICES__: String(p.crcSlices),
    __PIBKIT_HASH_LOOPS__: String(p.hashLoops),
    __PIBKIT_STREAM__: stream ? "1" : "0",
    __PIBKIT_WORD_VIEWS__: String(p.wordViews ?? 0),
  };
}

/** The table rows of `cli` names, in table order; an unknown name throws. */
function suiteRows(names) {
  for (const n of names) if (!SUITES.some((r) => r.cli === n)) throw new Error(`unknown suite "${n}" (one of ${suiteNames().join(", ")})`);
  return SUITES.filter((r) => names.includes(r.cli));
}

/** The suites' command-line names (SUITES=…), in table order. */
export function suiteNames() {
  return SUITES.map((r) => r.cli);
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

/** The on-board PIB path (src/onboard/, Profile R only). */
export const ONBOARD_ENTRY = "src/entries/pib-path.ts";

/** The conformance groups (targets/hosts/conformance.js) of every suite's digest, in table order. */
const SUITE_GROUPS = SUITES.flatMap((r) => r.groups);

/**
 * Feature builds: which part of src/ each firmware file carries (its entry, and with
 * `suites` the suite table's `cli` names it keeps: buildDefines), and which groups of
 * targets/hosts/conformance.js apply to it. Without `suites` a build has every suite.
 */
export const FEATURES = {
  // the ground library: bundles, writer, canonicalization under every profile, PIBs, all suites, keys, relay
  full: { entry: "src/entries/full.ts", groups: ["sdnv", ...SUITE_GROUPS, "pib", "keys"] },
  // the on-board PIB path a node runs (src/onboard/, Profile R): parse, canonicalize, sign and verify
  // with every suite; no key table, relay or bundle writer (add-ons with their own rows)
  "pib-path": { entry: ONBOARD_ENTRY, groups: ["sdnv", ...SUITE_GROUPS, "pib"] },
  // the on-board path plus the key table (src/ground/keys.ts), so users see what keys cost
  "pib-path+keys": { entry: "src/entries/pib-path-keys.ts", groups: ["sdnv", ...SUITE_GROUPS, "pib", "keys"] },
  // the on-board path plus the bundle writer: a node that makes its own bundles (the simulator's device)
  "pib-path+writer": { entry: "src/entries/pib-path-writer.ts", groups: ["sdnv", ...SUITE_GROUPS, "pib"] },
  // the on-board path plus streaming verification (src/onboard/streamVerifier.ts): a bundle
  // larger than free RAM checked piece by piece in fixed memory; too big for pib-path's budget
  "pib-path+stream": { entry: "src/entries/pib-path-stream.ts", groups: ["sdnv", ...SUITE_GROUPS, "pib", "stream"], stream: true },
  // both add-ons: a node that writes bundles larger than its RAM and signs them in place
  // (StreamVerifier.seal) — the simulator's device at flight size
  "pib-path+stream+writer": { entry: "src/entries/pib-path-stream-writer.ts", groups: ["sdnv", ...SUITE_GROUPS, "pib", "stream"], stream: true },
  // streaming with PIB-INSECURE-CRC32 only: the pib-path+stream build that fits the 8,192-octet
  // budget of pib-path (docs/firmware.md, "The streaming build and the 8,192-octet budget")
  "insecure-crc32+stream": {
    entry: null,
    contents: ['export * from "./src/onboard/index.js";', ...SUITES.filter((r) => r.cli === "insecure-crc32").flatMap((r) => r.modules.map((m) => `export * from "./src/core/${m}.js";`)), 'export { StreamVerifier } from "./src/onboard/streamVerifier.js";'].join("\n"),
    groups: ["sdnv", "pib", ...SUITES.filter((r) => r.cli === "insecure-crc32").flatMap((r) => r.groups)],
    suites: ["insecure-crc32"],
    stream: true,
  },
  // CRC-32C and SDNV only (a sensor that checksums its own records)
  "crc-only": { entry: "src/entries/crc-only.ts", groups: ["sdnv", "crc"] },
};

/**
 * SUITES=a,b as a user gives it to make: `{ suites }`, or `{ error }` naming the bad
 * or missing value and the allowed ones (the build and flash scripts' one check).
 */
export function parseSuiteList(text) {
  const allowed = `(allowed: ${suiteNames().join(", ")}, comma-separated)`;
  const suites = text.split(",").map((s) => s.trim()).filter(Boolean);
  if (suites.length === 0) return { error: `SUITES is empty ${allowed}` };
  const bad = suites.find((s) => !suiteNames().includes(s));
  return bad === undefined ? { suites } : { error: `unknown suite "${bad}" in SUITES ${allowed}` };
}

/** Feature of a SUITES=a,b list: the on-board PIB path with only those suites (every suite: the pib-path build itself). */
export function suiteFeature(suites) {
  const rows = suiteRows(suites);
  if (rows.length === SUITES.length) return { name: "pibkit-pib-path", ...FEATURES["pib-path"] };
  const groups = ["sdnv", "pib", ...rows.flatMap((r) => r.groups)];
  const name = "pibkit-" + [...suites].sort().join("+");
  // the path (src/onboard/index.ts) and the digests of these suites only (ONBOARD_ENTRY exports every suite's)
  const contents = ['export * from "./src/onboard/index.js";', ...rows.flatMap((r) => r.modules.map((m) => `export * from "./src/core/${m}.js";`))].join("\n");
  return { name, entry: null, contents, groups, suites: rows.map((r) => r.cli) };
}

/**
 * Relay firmware (ROLE=relay): what a relay needs to check and drop corrupted bundles
 * (draft §3.1, RFC 6257 §3.6) — the on-board Verifier and Relay — for the given
 * suites (all three when empty). No Signer, no bundle writer, no key table: a relay
 * checks unkeyed and NULL-keyed PIBs only (relay.ts), and the NULL key is built in.
 */
export function relayFeature(suites) {
  const rows = suites.length ? suiteRows(suites) : SUITES;
  const all = rows.length === SUITES.length;
  const contents = [
    'export { Verifier } from "./src/entries/pib-path.js";',
    'export { Relay } from "./src/ground/relay.js";',
  ].join("\n");
  // conformance: the relay group per suite (targets/hosts/conformance.js), no digest/sign groups
  const groups = ["relay", ...rows.map((r) => "relay-" + r.key)];
  const name = all ? "pibkit-relay" : "pibkit-relay-" + [...suites].sort().join("+");
  return all ? { name, entry: null, contents, groups } : { name, entry: null, contents, groups, suites: rows.map((r) => r.cli) };
}

/**
 * esbuild plugin: src/ modules have no side effects at load (nothing writable at module
 * level: Moddable's preload freezes it), so a module only reached for a const enum or
 * a type (relay.ts → pib.ts's Verdict), or a suite's digest the build leaves out, is
 * dropped instead of kept for its top-level statements.
 */
const srcSideEffectFree = {
  name: "pibkit-src-pure",
  setup(b) {
    b.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => {
      const ts = resolve(args.resolveDir, args.path).replace(/\.js$/, ".ts");
      if (!ts.startsWith(join(ROOT, "src") + "/") || !existsSync(ts)) return undefined;
      return { path: ts, sideEffects: false };
    });
  },
};

function entryOptions(feature) {
  if (feature.entry) return { entryPoints: [join(ROOT, feature.entry)] };
  return { stdin: { contents: feature.contents, resolveDir: ROOT, sourcefile: "suite-entry.js", loader: "js" } };
}

/**
 * The esbuild options every firmware build shares: the feature's entry, one minified
 * ESM text in memory, ASCII only, the internal property names renamed (MANGLED_PROP)
 * and what the build contains defined (buildDefines: the feature's suites, and its
 * primitives or the given ones).
 */
function firmwareOptions(feature, primitives) {
  return {
    ...entryOptions(feature),
    plugins: [srcSideEffectFree],
    bundle: true,
    write: false,
    format: "esm",
    minify: true,
    charset: "ascii",
    legalComments: "none",
    mangleProps: MANGLED_PROP,
    define: buildDefines({ suites: feature.suites, primitives: feature.primitives ?? primitives, stream: feature.stream }),
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
    logLevel: "silent",
  };
}

/** firmwareOptions lowered to what Espruino's interpreter parses (es2015 minus ESPRUINO_UNSUPPORTED). */
function espruinoOptions(feature, primitives) {
  const supported = {};
  for (const f of ESPRUINO_UNSUPPORTED) supported[f] = false;
  return { ...firmwareOptions(feature, primitives), target: "es2015", supported, treeShaking: true };
}

/** esbuild → minified ESM text for Espruino/generic (es2015, lowered), as a string. */
export async function bundleEspruinoEsm(feature, opts = {}) {
  const minify = opts.minify ?? true;
  const r = await build({ ...espruinoOptions(feature, opts.primitives), minify });
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
  const r = await build({ ...firmwareOptions(feature, opts.primitives), target: "es2022" });
  return moddableConst(r.outputFiles[0].text);
}

/** Reads a board profile from targets/boards/<name>.json. */
export function loadBoard(name) {
  const file = join(ROOT, "targets/boards", name + ".json");
  if (!existsSync(file)) throw new Error(`no board profile targets/boards/${name}.json`);
  return JSON.parse(readFileSync(file, "utf8"));
}

/**
 * The primitives a board's firmware gets, from its profile's `"primitives"` field:
 * `"size"` (flash or RAM scarce: PRIMITIVES.mcu, the smallest build) or `"speed"` (room
 * to spare). Speed on QuickJS (an interpreter with megabytes of RAM) is
 * PRIMITIVES.interpreter: unrolled MD5/SHA-1 reading aligned blocks as words, and
 * slicing-by-128 CRC-32C. Speed on XS is the same but for how MD5 and SHA-1 find their
 * words: through one view kept in each digest (`wordViews` 2), since the WeakMap of views
 * the other builds use is module state, which a preload freezes. The 128 KiB of CRC
 * slices are made as the module loads (src/core/crc32c.ts `slices128`): a preload links
 * them into flash with the code, where they cost none of the XS heap a board's manifest
 * sizes in tens of KiB (moddable.creation).
 * Espruino runs the source text from flash and counts JsVars: size is its only choice.
 */
export function boardPrimitives(board) {
  const choice = board.primitives?.value;
  if (choice !== "size" && choice !== "speed") throw new Error(`board ${board.name}: "primitives" must be {"value": "size" | "speed"}, got ${JSON.stringify(board.primitives)}`);
  if (choice === "size") return PRIMITIVES.mcu;
  if (board.engine === "quickjs") return PRIMITIVES.interpreter;
  if (board.engine === "xs") return { crcSlices: 128, hashLoops: 0, wordViews: 2 };
  throw new Error(`board ${board.name}: "speed" primitives are not offered on ${board.engine} (Espruino keeps the source text: size first)`);
}

/** Every board profile's name (targets/boards/*.json). */
export function boardNames() {
  return readdirSync(join(ROOT, "targets/boards")).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort();
}

/**
 * The firmware text `feature` becomes on board `name`: its profile's primitives, in the
 * form its engine loads (Espruino: the Storage file; XS: the preloadable ESM module;
 * QuickJS: the generic script defining the global `pibkit`).
 */
export async function boardFirmware(name, feature) {
  const board = loadBoard(name);
  const primitives = boardPrimitives(board);
  if (board.engine === "xs") return { board, primitives, text: await bundleModdable(feature, { primitives }) };
  const forms = espruinoForms(esmToExportsAssignments(await bundleEspruinoEsm(feature, { primitives })), "pibkit");
  return { board, primitives, text: board.engine === "espruino" ? forms.storage : forms.generic };
}

/**
 * dist/boards/<board>/<name>.js: the file a board that asks for speed runs (the size-first
 * boards run the files of dist/espruino, dist/moddable and dist/generic, built with
 * PRIMITIVES.mcu). The simulator loads its board's file from here (sim/device.ts).
 */
export async function buildBoardFirmware(feature, name, dist = join(ROOT, "dist")) {
  const out = [];
  for (const b of boardNames()) {
    if (boardPrimitives(loadBoard(b)) === PRIMITIVES.mcu) continue;
    const f = await boardFirmware(b, feature);
    out.push(write(join(dist, "boards", b, name + ".js"), f.text));
  }
  return out;
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
 * ("pibkit" for the ground library, `full`; "pibkit-<suites>" for feature builds).
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
    // the ground library and its streaming classes (not a firmware: src/entries/node.ts)
    entryPoints: [join(ROOT, "src/entries/node.ts")],
    write: false,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    define: buildDefines({ primitives: PRIMITIVES.node }),
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
  const base = firmwareOptions(feature);
  const r = await build({ ...base, plugins: [...base.plugins, tsPlugin], target: "es5" });
  return espruinoForms(esmToExportsAssignments(r.outputFiles[0].text)).generic;
}

/** The source files esbuild puts into a feature's Espruino build (metafile inputs, relative to the root). */
export async function featureInputs(feature) {
  return Object.keys(await featureInputBytes(feature));
}

/** Source file → minified bytes it puts into a feature's Espruino build (where the size goes). */
export async function featureInputBytes(feature) {
  const r = await build({ ...espruinoOptions(feature), metafile: true, absWorkingDir: ROOT });
  const out = Object.values(r.metafile.outputs)[0];
  const bytes = {};
  for (const [k, v] of Object.entries(out.inputs)) if (v.bytesInOutput > 0) bytes[k] = v.bytesInOutput;
  return bytes;
}
