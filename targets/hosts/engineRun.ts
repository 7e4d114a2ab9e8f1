/**
 * Runs the exact built firmware files in real engines (QuickJS, XS, Node's vm) for
 * the engine tests, the size report and the Moddable example: loading forms
 * (generic script, Espruino Storage file, Espruino addCached upload), the prelude
 * that removes the built-ins Espruino lacks (so the fallbacks are what runs), and
 * the load-time allocation probe (Moddable preload freezes module-level buffers).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { QuickJsHost } from "./quickjs.js";
import { XsHost } from "./xs.js";
// @ts-expect-error plain .mjs without types
import * as fw from "../build/firmware.mjs";

/** A feature build (targets/build/firmware.mjs FEATURES / suiteFeature). */
export interface Feature {
  name?: string;
  entry: string | null;
  groups: string[];
  /** The suite table's `cli` names the build carries (buildDefines); every suite when absent. */
  suites?: string[];
  contents?: string;
}
const firmware = fw as {
  ROOT: string;
  FEATURES: Record<string, Feature>;
  suiteFeature: (s: string[]) => Feature & { name: string };
  relayFeature: (s: string[]) => Feature & { name: string };
  buildFirmwareSet: (f: Feature, name: string) => Promise<Record<string, string>>;
  sizes: (text: string) => { bytes: number; gzip: number };
  loadBoard: (name: string) => Record<string, any>;
  featureInputs: (f: Feature) => Promise<string[]>;
};
export const ROOT = firmware.ROOT;
export const FEATURES = firmware.FEATURES;
export const suiteFeature = firmware.suiteFeature;
export const relayFeature = firmware.relayFeature;
export const textSizes = firmware.sizes;
export const loadBoard = firmware.loadBoard;
/** Source files with bytes in a feature's Espruino build. */
export const featureInputs = firmware.featureInputs;
export const DIST = join(ROOT, "dist");

/** Builds one feature's firmware files (atomic writes, so parallel test files may all call it). */
export async function ensureFirmware(feature: Feature = FEATURES["full"]!, name = "pibkit"): Promise<Record<string, string>> {
  return firmware.buildFirmwareSet(feature, name);
}

/** Built-ins Espruino 2v29 lacks (checked on its builds), removed before the Espruino file loads. */
export const ESPRUINO_PRELUDE = `(function () {
  var g = typeof globalThis !== "undefined" ? globalThis : this;
  var m = ["imul", "clz32", "trunc", "fround", "sign", "log2", "log10", "cbrt", "hypot", "expm1", "log1p"];
  for (var i = 0; i < m.length; i++) delete Math[m[i]];
  var n = ["isInteger", "isSafeInteger", "isFinite", "isNaN", "parseFloat", "parseInt"];
  for (var j = 0; j < n.length; j++) delete Number[n[j]];
  delete Object.freeze; delete Object.isFrozen; delete Object.seal; delete Array.from; delete Array.of;
  var gl = ["Map", "Set", "WeakMap", "WeakSet", "WeakRef", "Symbol", "BigInt", "RangeError", "Proxy", "Reflect"];
  for (var k = 0; k < gl.length; k++) delete g[gl[k]];
})();
`;

/** Shim of Espruino's Modules/require for the addCached upload form. */
export const MODULES_SHIM = `var Modules = { cache: {}, addCached: function (name, fn) {
  var saved = globalThis.exports; globalThis.exports = {}; fn(); this.cache[name] = globalThis.exports; globalThis.exports = saved; } };
function require(name) { return Modules.cache[name]; }
`;

export type LoadForm = "generic" | "espruino" | "addcached";

/** Script text that loads `file` in `form` and leaves the library in the global `pibkit`. */
export function loaderScript(file: string, form: LoadForm, espruinoPrelude: boolean): string {
  const text = readFileSync(file, "utf8");
  const pre = espruinoPrelude ? ESPRUINO_PRELUDE : "";
  if (form === "generic") return pre + text + "\nglobalThis.pibkit = pibkit;\n";
  // Espruino's require() runs a Storage module in its own scope with `exports` in it.
  if (form === "espruino") return pre + "(function () { var exports = {}; var module = { exports: exports };\n" + text + "\nglobalThis.pibkit = exports; })();\n";
  return pre + MODULES_SHIM + text + '\nglobalThis.pibkit = require("pibkit");\n';
}

export interface ConformanceResult {
  ran: string[];
  failures: Array<{ name: string; got: string; want: string }>;
}

const CONFORMANCE = join(ROOT, "targets/hosts/conformance.js");

function driverCall(groups: string[] | null): string {
  return `pibkitConformance(pibkit, ${JSON.stringify(groups)})`;
}

/** Runs the conformance driver in QuickJS on a loaded firmware file. */
export async function conformanceQuickJs(loader: string, groups: string[] | null, memoryLimit = 8 << 20): Promise<ConformanceResult> {
  const h = await QuickJsHost.create({ memoryLimit, stackSize: 512 * 1024 });
  try {
    const l = h.load(loader, "firmware.js");
    if (!l.ok) throw new Error("QuickJS load failed: " + l.error);
    const d = h.load(readFileSync(CONFORMANCE, "utf8"), "conformance.js");
    if (!d.ok) throw new Error("QuickJS driver load failed: " + d.error);
    const r = h.eval<string>(`JSON.stringify(${driverCall(groups)})`);
    if (!r.ok) throw new Error("QuickJS run failed: " + r.error);
    return JSON.parse(r.value) as ConformanceResult;
  } finally {
    h.dispose();
  }
}

/** Runs the conformance driver in XS (xsnap-worker). */
export async function conformanceXs(loader: string, groups: string[] | null): Promise<ConformanceResult> {
  const h = new XsHost();
  try {
    const l = await h.evaluate(loader);
    if (!l.ok) throw new Error("XS load failed: " + l.error);
    return await runDriverXs(h, groups);
  } finally {
    await h.close();
  }
}

/** Loads the conformance driver into an XS host that already holds the firmware, and runs it. */
async function runDriverXs(h: XsHost, groups: string[] | null): Promise<ConformanceResult> {
  const d = await h.evaluate(readFileSync(CONFORMANCE, "utf8"));
  if (!d.ok) throw new Error("XS driver load failed: " + d.error);
  const r = await h.evalString(`JSON.stringify(${driverCall(groups)})`);
  if (!r.ok) throw new Error("XS run failed: " + r.error);
  return JSON.parse(r.reply) as ConformanceResult;
}

/** Runs the conformance driver in a fresh Node vm context (own built-ins, so the prelude cannot leak). */
export function conformanceNode(loader: string, groups: string[] | null): ConformanceResult {
  const ctx: Record<string, unknown> = {};
  runInNewContext("var globalThis = this;\n" + loader, ctx, { filename: "firmware.js" });
  runInNewContext(readFileSync(CONFORMANCE, "utf8"), ctx, { filename: "conformance.js" });
  const out = runInNewContext(`JSON.stringify(${driverCall(groups)})`, ctx) as string;
  return JSON.parse(out) as ConformanceResult;
}

/**
 * Load-time allocation probe: wraps the constructors Moddable's preload would
 * freeze (typed arrays, ArrayBuffer, DataView, Map, Set, WeakMap) while the firmware's
 * top level runs, and reports each one constructed. Run in QuickJS.
 */
export async function loadTimeAllocations(loader: string): Promise<string[]> {
  const names = ["Uint8Array", "Int8Array", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array", "Float32Array", "Float64Array", "Uint8ClampedArray", "ArrayBuffer", "DataView", "Map", "Set", "WeakMap", "WeakSet"];
  const probe = `var __made = []; var __orig = {};
${JSON.stringify(names)}.forEach(function (n) {
  var C = globalThis[n]; __orig[n] = C;
  globalThis[n] = new Proxy(C, { construct: function (t, a, nt) { __made.push(n + "(" + (a.length ? String(a[0]).slice(0, 20) : "") + ")"); return Reflect.construct(t, a, nt === globalThis[n] ? t : nt); } });
});
`;
  const restore = `Object.keys(__orig).forEach(function (n) { globalThis[n] = __orig[n]; });`;
  const h = await QuickJsHost.create({ memoryLimit: 8 << 20 });
  try {
    const r = h.load(probe + loader + "\n" + restore, "probe.js");
    if (!r.ok) throw new Error("probe load failed: " + r.error);
    const m = h.eval<string>("JSON.stringify(__made)");
    if (!m.ok) throw new Error(m.error);
    return JSON.parse(m.value) as string[];
  } finally {
    h.dispose();
  }
}

/**
 * Runs the conformance driver in XS on the Moddable ESM file itself: a wrapper module
 * imports it (as `import * as pibkit from …`) and publishes it for the driver.
 */
export async function conformanceXsModule(modulePath: string, groups: string[] | null): Promise<ConformanceResult> {
  const dir = mkdtempSync(join(tmpdir(), "pibkit-xs-"));
  const wrapper = join(dir, "main.js");
  writeFileSync(wrapper, `import * as p from ${JSON.stringify(modulePath)};\nglobalThis.pibkit = p;\n`);
  const h = new XsHost();
  try {
    const m = await h.importModule(wrapper);
    if (!m.ok) throw new Error("XS module load failed: " + m.error);
    return await runDriverXs(h, groups);
  } finally {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Path of Duktape's `duk` CLI (Debian package `duktape`), or undefined. */
export function dukPath(): string | undefined {
  for (const p of ["/usr/bin/duk", "/usr/local/bin/duk"]) if (existsSync(p)) return p;
  return undefined;
}

/**
 * Duktape 2.7 lacks TypedArray.prototype.fill (test/engines.test.ts runs Duktape); the firmware
 * uses it outside hot loops, so a Duktape host must supply it.
 */
export const DUKTAPE_PRELUDE = `(function () {
  var T = [Uint8Array, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array, Float64Array];
  for (var i = 0; i < T.length; i++) if (!T[i].prototype.fill) T[i].prototype.fill = function (v, s, e) {
    var n = this.length; s = s === undefined ? 0 : s < 0 ? n + s : s; e = e === undefined ? n : e < 0 ? n + e : e;
    for (var k = s; k < e; k++) this[k] = v; return this; };
})();
`;

/** Runs the conformance driver in Duktape on the ES5 build of `feature` (targets/build/firmware.mjs bundleEs5Generic). */
export async function conformanceDuktape(feature: Feature, groups: string[] | null): Promise<ConformanceResult> {
  const duk = dukPath();
  if (!duk) throw new Error("duk not installed");
  const generic = await (fw as { bundleEs5Generic: (f: Feature) => Promise<string> }).bundleEs5Generic(feature);
  const dir = mkdtempSync(join(tmpdir(), "pibkit-duk-"));
  const file = join(dir, "run.js");
  writeFileSync(file, DUKTAPE_PRELUDE + generic + readFileSync(CONFORMANCE, "utf8") + `\nprint(JSON.stringify(${driverCall(groups)}));\n`);
  try {
    const r = spawnSync(duk, [file], { encoding: "utf8", timeout: 120_000 });
    if (r.status !== 0) throw new Error("duk failed: " + (r.stdout + r.stderr).slice(0, 500));
    return JSON.parse(r.stdout.trim().split("\n").pop()!) as ConformanceResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
