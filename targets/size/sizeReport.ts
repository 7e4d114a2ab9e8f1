/**
 * The size-budget report behind `pibkit size` (= `make size`, run in `make test` by
 * test/size.test.ts): per module and per target the minified and gzip bytes, the RAM
 * a module's start-up objects take measured in engines (QuickJS memory delta, XS heap
 * slots), per board whether the whole PIB path fits and with what headroom (Espruino
 * in JsVars: ESPRUINO_MODEL, printed beside what a real Espruino measured where
 * targets/size/espruino-measured.json has it), checked against targets/size/budgets.json.
 *
 * Per-module bytes are layered: build k holds modules 1..k, and a module's figure is
 * what it adds to the build before it, so the column sums to the whole library.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as acornParse } from "acorn";
import { QuickJsHost } from "../hosts/quickjs.js";
import { XsHost, xsnapWorkerPath } from "../hosts/xs.js";
import { FEATURES, loadBoard, relayFeature, ROOT, suiteFeature, textSizes, type Feature } from "../hosts/engineRun.js";
// @ts-expect-error plain .mjs without types
import * as fw from "../build/firmware.mjs";
import { checkBudgets, loadBudgets, type BudgetRow } from "./sizeRender.js";

const firmware = fw as {
  bundleEspruinoEsm: (f: Feature) => Promise<string>;
  bundleModdable: (f: Feature) => Promise<string>;
  esmToExportsAssignments: (esm: string) => string;
  espruinoForms: (script: string, name?: string) => { storage: string; addCached: string; generic: string };
};

/**
 * A node's Verifier and Signer: the Signer shares the Verifier's digests,
 * canonicalizer and Bundle (`new Signer(b, r, verifier)`, pib.ts) — they are never
 * busy at the same time — so the CRC table, MD5, the HMAC-SHA1 state and the block
 * tables exist once. The Verifier's table has the one block more that a signed
 * output of an 8-block input needs.
 */
export const SHARED_PIB_STARTUP = "(function () { var v = new P.Verifier(9, 8, 4); return [v, new P.Signer(8, 8, v)]; })()";

/** The modules of the report, in dependency order, with the objects a node makes at start-up. */
export const MODULES: Array<{ name: string; files: string[]; startup: string }> = [
  { name: "sdnv", files: ["core/sdnv"], startup: "new P.U64()" },
  { name: "crc32c", files: ["core/crc32c"], startup: "new P.Crc32c()" },
  { name: "md5", files: ["core/md5"], startup: "new P.Md5()" },
  { name: "sha1+hmac", files: ["core/sha1", "core/hmac"], startup: "new P.HmacSha1(10)" },
  { name: "bundle", files: ["ground/bundle", "ground/eid", "ground/bundleWriter"], startup: "new P.Bundle(8, 8)" },
  { name: "canonicalization", files: ["ground/asb", "ground/profiles", "ground/canon"], startup: "new P.Canonicalizer()" },
  { name: "pib", files: ["core/suites", "ground/pib", "ground/relay"], startup: SHARED_PIB_STARTUP },
  { name: "keys", files: ["ground/keys"], startup: "new P.KeyTable(4, 8)" },
];

/**
 * The same node with the key table add-on (the pib-path+keys firmware, and the full
 * library): the KeyTable borrows the Verifier's HMAC-SHA1 (keys.ts).
 */
export const WHOLE_PATH_STARTUP = "(function () { var v = new P.Verifier(9, 8, 4); return [v, new P.Signer(8, 8, v), new P.KeyTable(4, 8, v)]; })()";
/** A relay's start-up: one Verifier handed to a Relay (relay.ts; no Signer, no keys). */
export const RELAY_STARTUP = "new P.Relay(new P.Verifier(8, 8, 4), -1)";
/** The caller's bundle buffer in the Puck.js goal. */
export const BUNDLE_BUFFER = 4096;

export interface ModuleRow {
  module: string;
  espruino: { bytes: number; gzip: number };
  moddable: { bytes: number; gzip: number };
  /** QuickJS bytes for the module's start-up objects; XS heap slots for the same. */
  ramQuickJs: number;
  ramXsSlots: number | null;
  /** Typed-array bytes among the start-up objects (engine-neutral part of the RAM). */
  bufferBytes: number;
  /** Espruino JsVar estimate of the start-up objects. */
  jsVars: number;
}

export interface FeatureRow {
  feature: string;
  espruino: { bytes: number; gzip: number };
  moddable: { bytes: number; gzip: number };
  codeRamQuickJs: number;
  /** QuickJS bytes of the start-up objects (engine figure, with QuickJS's per-object overhead) */
  ramQuickJs: number;
  ramXsSlots: number | null;
  /** THE static-RAM figure: octets of the distinct ArrayBuffers behind the start-up objects */
  bufferBytes: number;
  jsVars: number;
  /** Storage-form count of the exact Espruino file (functions, parameters, names → JsVars) */
  storage: StorageCount;
  /** the census of the start-up objects (recounted per board's block size) */
  census?: Census;
  /** pibPath runs in the start-up (one per Verifier): each makes the path's closures */
  pathInstances: number;
}

/** One Espruino loading form on one board. */
export interface FormFit {
  /** the interpreter's own JsVars (ESPRUINO_MODEL.interpreter) */
  interpreter: number;
  code: number;
  /** the start-up objects: what the census sees + the closures the constructors make */
  state: number;
  /** the 4 KiB bundle buffer */
  buffer: number;
  used: number;
  peak: number;
  total: number;
  fits: boolean;
  freePercent: number;
}

export interface BoardRow {
  board: string;
  title: string;
  engine: string;
  fits: boolean;
  /** free share in the form the board is judged in (Espruino: Storage, code in flash) */
  headroomPercent: number;
  detail: string;
  jsVarsUsed?: number;
  jsVarsPeak?: number;
  jsVarsTotal?: number;
  /** Espruino only: both loading forms, and which one `fits`/`headroomPercent` follow */
  ramUpload?: FormFit;
  storage?: FormFit;
  judged?: "storage" | "ram-upload";
  /** Puck.js: the free shares measured in a real interpreter for this firmware (null: did not load) */
  measured?: { label: string; storage: number | null; ramUpload: number | null };
}

/** One firmware on one board (the "what fits" matrix). */
export interface FitRow {
  firmware: string;
  board: string;
  fits: boolean;
  headroomPercent: number;
  /** Espruino boards: the RAM-upload form's free share (null elsewhere) */
  ramUploadPercent: number | null;
}

export interface SizeReport {
  modules: ModuleRow[];
  features: FeatureRow[];
  /** The whole PIB path (pib-path firmware) on each board, with details. */
  boards: BoardRow[];
  fit: FitRow[];
  budgets: BudgetRow[];
  /** false with --no-engines: RAM, JsVar and board figures were not measured (0 in the rows; see sizeRender.ts) */
  engines: boolean;
}

function layerFeature(files: string[]): Feature {
  const contents = files.map((f) => `export * from "./src/${f}.js";`).join("\n");
  return { entry: null, contents, groups: [], absent: [] };
}

async function measureFeature(f: Feature): Promise<{ espruino: { bytes: number; gzip: number }; moddable: { bytes: number; gzip: number }; generic: string; storage: StorageCount }> {
  const esm = await firmware.bundleEspruinoEsm(f);
  const forms = firmware.espruinoForms(firmware.esmToExportsAssignments(esm));
  const mod = await firmware.bundleModdable(f);
  return { espruino: textSizes(forms.storage), moddable: textSizes(mod), generic: forms.generic, storage: storageCodeJsVars(forms.storage) };
}

/** Census of objects reachable from `expr` (own properties), for the JsVar estimate and the buffers figure. */
const CENSUS = `function __census(root) {
  var seen = [], buffers = [], objects = 0, props = 0, typedBytes = 0, typed = 0;
  function walk(v) {
    if (v === null || typeof v !== "object") return;
    if (seen.indexOf(v) >= 0) return;
    seen.push(v);
    // views of one ArrayBuffer (subarrays, several widths over one table) count its octets once
    if (ArrayBuffer.isView(v)) { typed++; if (buffers.indexOf(v.buffer) < 0) { buffers.push(v.buffer); typedBytes += v.buffer.byteLength; } return; }
    objects++;
    var ks = Object.keys(v);
    props += ks.length;
    for (var i = 0; i < ks.length; i++) walk(v[ks[i]]);
  }
  walk(root);
  return JSON.stringify({ objects: objects, props: props, typed: typed, typedBytes: typedBytes });
}`;

/**
 * Espruino JsVar count of start-up objects found by the census: a typed array is its
 * view, its ArrayBuffer and a flat string (a header + ceil(bytes / blockSize) blocks);
 * an object is one JsVar plus one per property (name and small value share a block;
 * longer names and other values take another, so 2 per property is the conservative
 * figure). Closures the constructors make are invisible to the census: see
 * ESPRUINO_MODEL.closureScale.
 */
export function jsVarsOf(c: { objects: number; props: number; typed: number; typedBytes: number }, blockSize: number): number {
  return c.objects + 2 * c.props + c.typed * 3 + Math.ceil(c.typedBytes / blockSize);
}

/**
 * The Espruino RAM model behind the board rows, in JsVars: free = total − (interpreter
 * + code + state + buffer). Calibrated on Espruino 2v29 built for Linux with a
 * Puck.js's fixed pool (2,630 JsVars of 13 bytes, process.memory() read from a timer):
 * targets/size/espruino-measured.json holds those measurements, test/espruino-model.test.ts
 * keeps the model within ESPRUINO_MODEL.tolerancePoints of each of them.
 */
export const ESPRUINO_MODEL = {
  /** the interpreter's own JsVars at the prompt, with the timer that reads process.memory() (a board with Bluetooth holds more) */
  interpreter: 62,
  /**
   * Storage form, code = codeScale × the file's count (STORAGE_MODEL, without the
   * closures) + perRequire (the module cache entry, `exports`, the binding of the
   * result); the count of functions, parameters and names alone comes out ~10 % low.
   */
  codeScale: 1.1,
  perRequire: 20,
  /** the closures one pibPath run makes (STORAGE_MODEL's closure count × this): measured ~270 JsVars for 344 counted */
  closureScale: 0.78,
  /**
   * RAM-upload form: function text held in JsVars, tokenised (keywords one octet):
   * octets of source per JsVar at 13-byte blocks, scaled with a block's string octets
   * (blockSize − 4). The module's whole text once loaded; the text of every function
   * made inside a function again when its parent runs.
   */
  tokenisedBytesPerJsVar: 13.8,
  /**
   * While the uploaded module loads it is also held twice as plain text (the console's
   * input line and the line being executed), blockSize − 4 characters per JsVar: the
   * load peak. 8.7 KB of pib-path loads, 8.8 KB does not (measured).
   */
  rawCopiesWhileLoading: 2,
  /** within this many points of free share of each measurement (test/espruino-model.test.ts) */
  tolerancePoints: 1.5,
};

/** The 4 KiB bundle buffer: its view, ArrayBuffer, flat-string header and blocks (319 JsVars measured at 13-byte blocks). */
export function bufferJsVars(bytes: number, blockSize: number): number {
  return 3 + Math.ceil(bytes / blockSize);
}

/** Octets of source per JsVar for text held in RAM, at `blockSize`. */
function tokenisedBytes(blockSize: number): number {
  return (ESPRUINO_MODEL.tokenisedBytesPerJsVar * (blockSize - 4)) / 9;
}

/** RAM-upload form: JsVars of `bytes` of module text held in RAM once loaded. */
export function codeJsVars(bytes: number, blockSize: number): number {
  return Math.ceil(bytes / tokenisedBytes(blockSize));
}

/**
 * Storage form (`require("pibkit")` of a module written to Storage, how a Puck.js app
 * is installed) — an ESTIMATE. require() hands the module's Storage file to the
 * parser as a string that points into flash (espruino/Espruino src/jswrap_modules.c
 * jswrap_require → jsfReadFile, src/jsflash.c: jsvNewNativeString on memory-mapped
 * flash, jsvNewFlashString on external SPI flash), and jspeFunctionDefinitionInternal
 * (src/jsparse.c) then stores each function's body as another native/flash string
 * pointing into that file instead of copying it. So the text stays in flash; each
 * function costs a few JsVars: the function, one "Name Param" per parameter, the
 * "\xFFcod" name + the native string, the "\xFFsco" scope name (the dump in
 * forum.espruino.com/conversations/290975, "Moar space for code": header, one per
 * parameter, code pointer, "one more" = scope). Names (bindings, properties,
 * methods) take one JsVar up to 4 characters and one more per further 12 (same dump:
 * "mqttStr", 7 characters, is "Name String [2 blocks]").
 */
export const STORAGE_MODEL = {
  /** function + code name + native/flash string + scope name (jsparse.c, forum dump) */
  perFunction: 4,
  perParameter: 1,
  /** a class's "prototype" name + prototype object; +1 for the __proto__ link of `extends` */
  perClass: 2,
  perExtends: 1,
  /** an arrow function also keeps its `this` ("\xFFthi", jsparse.c jspeArrowFunction) */
  perArrowFunction: 1,
  /**
   * A function created inside a running function sees two or more scopes, and
   * jspeiGetScopesAsVar copies that scope list for it: an array + one entry per scope
   * (1 + depth + 1); at the module's top level there is one scope, shared. The running
   * function's own scope object stays while such a function lives: 1.
   */
  perNestedScopeList: 1,
  perScopeEntry: 1,
  perClosureScope: 1,
  nameFirstChars: 4,
  nameCharsPerExtraBlock: 12,
  /** a top-level initialiser the count cannot see into (a call): a small object */
  opaqueValue: 3,
  source: "espruino/Espruino src/jsparse.c jspeFunctionDefinitionInternal, src/jsflash.c jsfReadFile, src/jswrap_modules.c jswrap_require; forum.espruino.com/conversations/290975",
};

/**
 * Boards whose Storage files the parser reads in place (so function bodies stay in
 * flash): how, and the source. All five Espruino profiles do.
 */
export const STORAGE_CODE_IN_FLASH: Record<string, string> = {
  "espruino-original": "STM32F103 internal flash is memory-mapped (targets/stm32/jshardware.c jshFlashRead = memcpy from the address): native strings; require() from Storage is built (ESPRUINOBOARD.py sets SAVE_ON_FLASH_MATH only, not SAVE_ON_FLASH)",
  "espruino-pico": "STM32F401 internal flash is memory-mapped (targets/stm32/jshardware.c): native strings",
  "espruino-puckjs": "nRF52832 internal flash is memory-mapped (targets/nrf5x jshFlashGetMemMapAddress returns the address): native strings",
  "espruino-bangle2": "Storage on external SPI flash (SPIFLASH_BASE), not memory-mapped: flash strings, read through a 16-byte buffer (jsvNewFlashString in jsvAddressToVar and jspeFunctionDefinitionInternal)",
  "espruino-esp32": "the js_code partition is memory-mapped (targets/esp32 jshFlashGetMemMapAddress via romdata_jscode): native strings",
};

/** What the Storage-form estimate counted in one built file. */
export interface StorageCount {
  functions: number;
  parameters: number;
  classes: number;
  /** top-level bindings, exports, methods, object-literal properties, closure locals */
  names: number;
  /** locals kept in the scopes of functions that create functions (closures), once each */
  closureLocals: number;
  /** text octets of functions defined inside functions: a RAM upload copies them again when their parent runs */
  nestedTextBytes: number;
  jsVars: number;
  /**
   * The part of `jsVars` made each time a function that creates functions runs (the
   * inner functions and the scope they keep), not by loading the file: on the
   * on-board path, once per Verifier (pibPath.ts), so start-up state, not code.
   */
  closureJsVars: number;
}

const FUNCTION_TYPES = ["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"];

/** Child nodes of an ESTree node. */
function childNodes(n: Node): Node[] {
  const out: Node[] = [];
  for (const k of Object.keys(n)) {
    const v = n[k];
    if (Array.isArray(v)) for (const x of v) { if (x && typeof x.type === "string") out.push(x); }
    else if (v && typeof v === "object" && typeof v.type === "string") out.push(v);
  }
  return out;
}

/**
 * A function's own scope: its parameters and declarations (not those of functions
 * inside it), and the functions defined directly in it.
 */
function ownScope(f: Node): { locals: Array<{ name: string; fn: boolean }>; inner: Node[] } {
  const locals: Array<{ name: string; fn: boolean }> = [];
  const inner: Node[] = [];
  const ids = (p: Node): void => {
    if (p.type === "Identifier") locals.push({ name: p["name"], fn: false });
    else for (const c of childNodes(p)) if (c.type !== "MemberExpression") ids(c);
  };
  for (const p of f["params"] as Node[]) ids(p);
  const visit = (n: Node): void => {
    for (const c of childNodes(n)) {
      if (FUNCTION_TYPES.includes(c.type)) {
        inner.push(c);
        if (c.type === "FunctionDeclaration") locals.push({ name: c["id"]["name"], fn: true });
        continue;
      }
      if (c.type === "VariableDeclarator") ids(c["id"]);
      visit(c);
    }
  };
  visit(f["body"]);
  return { locals, inner };
}

function nameJsVars(name: string): number {
  const m = STORAGE_MODEL;
  return 1 + Math.ceil(Math.max(0, name.length - m.nameFirstChars) / m.nameCharsPerExtraBlock);
}

type Node = { type: string; [k: string]: any };

function keyName(k: Node): string {
  if (k.type === "Identifier") return k["name"];
  if (k.type === "Literal") return String(k["value"]);
  return "?";
}

/**
 * Storage-form JsVars of an Espruino file's code: every function in the file (nested
 * ones too, conservatively: they exist while their parent's result keeps them) at
 * STORAGE_MODEL's cost, classes, and the names and values the top level creates
 * (bindings, `exports.x`, object literals). Counted with acorn on the exact text.
 */
export function storageCodeJsVars(text: string): StorageCount {
  const m = STORAGE_MODEL;
  const ast = acornParse(text, { ecmaVersion: "latest", sourceType: "script", allowReturnOutsideFunction: true }) as unknown as Node;
  const c: StorageCount = { functions: 0, parameters: 0, classes: 0, names: 0, closureLocals: 0, nestedTextBytes: 0, jsVars: 0, closureJsVars: 0 };
  const name = (n: string): number => {
    c.names++;
    return nameJsVars(n);
  };
  const fn = (f: Node, depth: number): void => {
    const before = c.jsVars;
    c.functions++;
    c.parameters += f["params"].length;
    c.jsVars += m.perFunction + m.perParameter * f["params"].length;
    if (f.type === "ArrowFunctionExpression") c.jsVars += m.perArrowFunction;
    if (depth > 0) c.jsVars += m.perNestedScopeList + m.perScopeEntry * (depth + 1);
    // made when the parent runs, not when the file loads
    if (depth > 0) c.closureJsVars += c.jsVars - before;
    // a function that creates functions keeps its scope while they live (a closure):
    // each local is a name, and a value unless it is one of those functions
    const sc = ownScope(f);
    if (sc.inner.length) {
      const scope = c.jsVars;
      c.jsVars += m.perClosureScope;
      for (const l of sc.locals) {
        c.closureLocals++;
        c.jsVars += name(l.name) + (l.fn ? 0 : 1);
      }
      c.closureJsVars += c.jsVars - scope;
      for (const i of sc.inner) c.nestedTextBytes += i["end"] - i["start"];
    }
  };
  // depth = functions around a node (0 at the module's top level)
  const walk = (n: Node, depth: number): void => {
    const isFn = FUNCTION_TYPES.includes(n.type);
    if (isFn) fn(n, depth);
    else if (n.type === "ClassDeclaration" || n.type === "ClassExpression") {
      c.classes++;
      c.jsVars += m.perClass + (n["superClass"] ? m.perExtends : 0);
      const body = n["body"]["body"] as Node[];
      // no written constructor: the class is still a function
      if (!body.some((e) => e.type === "MethodDefinition" && e["kind"] === "constructor")) c.jsVars += m.perFunction;
      for (const e of body) if (e.type === "MethodDefinition" && e["kind"] !== "constructor") c.jsVars += name(keyName(e["key"]));
    }
    for (const ch of childNodes(n)) walk(ch, isFn ? depth + 1 : depth);
  };
  walk(ast, 0);
  const value = (v: Node | null): number => {
    if (!v) return 0;
    switch (v.type) {
      case "Identifier":
      case "FunctionExpression":
      case "ArrowFunctionExpression":
      case "ClassExpression":
        return 0; // a reference; functions and classes counted above
      case "Literal":
        if (typeof v["value"] === "number") return Number.isInteger(v["value"]) && Math.abs(v["value"]) < 2 ** 31 ? 0 : 1;
        if (typeof v["value"] === "string") return 1 + Math.ceil(v["value"].length / m.nameCharsPerExtraBlock);
        return 0;
      case "ObjectExpression":
        return 1 + (v["properties"] as Node[]).reduce((s, p) => s + (p.type === "Property" ? name(keyName(p["key"])) + value(p["value"]) : m.opaqueValue), 0);
      case "ArrayExpression":
        return 1 + (v["elements"] as Node[]).reduce((s, e) => s + 1 + value(e), 0);
      case "UnaryExpression":
      case "BinaryExpression":
        return 1;
      case "ConditionalExpression":
        return Math.max(value(v["consequent"]), value(v["alternate"]));
      case "SequenceExpression":
        return value((v["expressions"] as Node[])[(v["expressions"] as Node[]).length - 1]!);
      case "AssignmentExpression":
        return value(v["right"]);
      default:
        return m.opaqueValue;
    }
  };
  const top = (st: Node): void => {
    if (st.type === "VariableDeclaration") for (const d of st["declarations"] as Node[]) c.jsVars += name(d["id"]["name"] ?? "?") + value(d["init"]);
    else if (st.type === "FunctionDeclaration" || st.type === "ClassDeclaration") c.jsVars += name(st["id"]["name"]);
    else if (st.type === "ExpressionStatement") {
      const es = st["expression"].type === "SequenceExpression" ? (st["expression"]["expressions"] as Node[]) : [st["expression"] as Node];
      for (const e of es) {
        if (e.type === "AssignmentExpression" && e["left"].type === "MemberExpression" && !e["left"]["computed"]) c.jsVars += name(e["left"]["property"]["name"]) + value(e["right"]);
        else if (e.type === "AssignmentExpression" && e["left"].type === "Identifier") c.jsVars += value(e["right"]);
      }
    }
  };
  for (const st of (ast as any).body as Node[]) top(st);
  return c;
}

async function quickJsRam(generic: string, startup: string): Promise<{ code: number; state: number; census: Census }> {
  const h = await QuickJsHost.create({});
  try {
    h.load(CENSUS, "census.js");
    const before = h.heapBytes();
    const l = h.load(generic, "firmware.js");
    if (!l.ok) throw new Error("QuickJS load: " + l.error);
    h.load("var P = pibkit; var __keep = null;", "p.js");
    const afterLoad = h.heapBytes();
    const r = h.load(`__keep = ${startup};`, "startup.js");
    if (!r.ok) throw new Error("QuickJS start-up: " + r.error);
    const afterState = h.heapBytes();
    const c = h.eval<string>("__census(__keep)");
    if (!c.ok) throw new Error(c.error);
    // the 'var __keep = null' statement and the startup script's own bytecode are freed after running
    const census = JSON.parse(c.value) as Census;
    // buffers held in closures are invisible to the census walk: count allocations instead
    const allocated = await startupAllocations(generic, startup);
    census.typed = Math.max(census.typed, allocated.count);
    census.typedBytes = Math.max(census.typedBytes, allocated.bytes);
    return { code: afterLoad - before, state: afterState - afterLoad, census };
  } finally {
    h.dispose();
  }
}

type Census = { objects: number; props: number; typed: number; typedBytes: number };

/**
 * Octets of the ArrayBuffers created while `startup` runs (each once, views of one
 * buffer included), in a separate QuickJS host whose typed-array constructors are
 * wrapped before the firmware loads (the Espruino text names them once at load,
 * targets/build/globalAliases.mjs). Catches buffers a start-up object keeps only in a
 * closure, which no walk over properties sees; a temporary made during start-up and
 * dropped counts too (conservative).
 */
export async function startupAllocations(generic: string, startup: string): Promise<{ bytes: number; count: number }> {
  const names = ["Uint8Array", "Int8Array", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array", "Float32Array", "Float64Array", "Uint8ClampedArray", "ArrayBuffer"];
  const probe = `var __alloc = { on: false, bytes: 0, count: 0, bufs: [] };
${JSON.stringify(names)}.forEach(function (n) {
  var C = globalThis[n];
  globalThis[n] = new Proxy(C, { construct: function (t, a, nt) {
    var r = Reflect.construct(t, a, nt === globalThis[n] ? t : nt);
    if (__alloc.on) { var b = r instanceof ArrayBuffer ? r : r.buffer; if (__alloc.bufs.indexOf(b) < 0) { __alloc.bufs.push(b); __alloc.bytes += b.byteLength; __alloc.count++; } }
    return r; } });
});
`;
  const h = await QuickJsHost.create({});
  try {
    const l = h.load(probe + generic + "\nvar P = pibkit; var __keep = null;", "probe.js");
    if (!l.ok) throw new Error("QuickJS load (allocation probe): " + l.error);
    const r = h.load(`__alloc.on = true; __keep = ${startup}; __alloc.on = false;`, "startup.js");
    if (!r.ok) throw new Error("QuickJS start-up (allocation probe): " + r.error);
    const c = h.eval<string>("JSON.stringify({ bytes: __alloc.bytes, count: __alloc.count })");
    if (!c.ok) throw new Error(c.error);
    return JSON.parse(c.value) as { bytes: number; count: number };
  } finally {
    h.dispose();
  }
}

async function xsSlots(xs: XsHost | null, generic: string, startup: string): Promise<number | null> {
  if (!xs) return null;
  const l = await xs.evaluate(generic + "\nvar P = pibkit; var __keep = [];\n");
  if (!l.ok) return null;
  // gc() first so the counter starts from a collected heap; the delta is what start-up keeps.
  for (let attempt = 0; attempt < 5; attempt++) {
    await xs.evaluate("gc()");
    const a = await xs.evaluate("__keep.length = 0; 0");
    const b = await xs.evaluate(`__keep.push(${startup}); 0`);
    const base = await xs.evaluate("__keep.length = __keep.length; 0");
    if (!a.ok || !b.ok || !base.ok) return null;
    const d = b.meters.currentHeapCount - a.meters.currentHeapCount - (base.meters.currentHeapCount - b.meters.currentHeapCount);
    if (d >= 0 && b.meters.currentHeapCount >= a.meters.currentHeapCount) return d;
  }
  return null;
}

/** Builds the whole report. `engines: false` skips the engine measurements (RAM columns 0). */
export async function sizeReport(opts: { engines?: boolean } = {}): Promise<SizeReport> {
  const engines = opts.engines ?? true;
  const xs = engines && xsnapWorkerPath() ? new XsHost() : null;
  const puck = loadBoard("espruino-puckjs");
  const puckBlock = puck["espruino"].blockSize.value as number;
  try {
    const modules: ModuleRow[] = [];
    let prev = { espruino: { bytes: 0, gzip: 0 }, moddable: { bytes: 0, gzip: 0 } };
    const files: string[] = [];
    for (const m of MODULES) {
      files.push(...m.files);
      const cur = await measureFeature(layerFeature(files));
      const ram = engines ? await quickJsRam(cur.generic, m.startup) : { code: 0, state: 0, census: { objects: 0, props: 0, typed: 0, typedBytes: 0 } };
      const slots = engines ? await xsSlots(xs, cur.generic, m.startup) : null;
      modules.push({
        module: m.name,
        espruino: { bytes: cur.espruino.bytes - prev.espruino.bytes, gzip: cur.espruino.gzip - prev.espruino.gzip },
        moddable: { bytes: cur.moddable.bytes - prev.moddable.bytes, gzip: cur.moddable.gzip - prev.moddable.gzip },
        ramQuickJs: ram.state,
        ramXsSlots: slots,
        bufferBytes: ram.census.typedBytes,
        jsVars: jsVarsOf(ram.census, puckBlock),
      });
      prev = cur;
    }
    const features: FeatureRow[] = [];
    for (const name of FEATURE_ROWS) {
      const { feature: f, startup } = featureBuild(name)!;
      const cur = await measureFeature(f);
      const ram = engines ? await quickJsRam(cur.generic, startup) : { code: 0, state: 0, census: { objects: 0, props: 0, typed: 0, typedBytes: 0 } };
      const slots = engines ? await xsSlots(xs, cur.generic, startup) : null;
      features.push({ feature: name, espruino: cur.espruino, moddable: cur.moddable, codeRamQuickJs: ram.code, ramQuickJs: ram.state, ramXsSlots: slots, bufferBytes: ram.census.typedBytes, jsVars: jsVarsOf(ram.census, puckBlock), storage: cur.storage, census: ram.census, pathInstances: pathInstances(startup) });
    }
    const path = features.find((f) => f.feature === "pib-path")!;
    const boards = boardRows(path);
    // what fits where: every firmware on every board
    const fit: FitRow[] = [];
    for (const f of features) {
      if (f.feature === "full") continue;
      for (const b of boardRows(f)) fit.push({ firmware: f.feature, board: b.board, fits: b.fits, headroomPercent: b.headroomPercent, ramUploadPercent: b.ramUpload ? b.ramUpload.freePercent : null });
    }
    const budgets = checkBudgets(loadBudgets(), { modules, features, boards, fit, engines });
    return { modules, features, boards, fit, budgets, engines };
  } finally {
    await xs?.close();
  }
}

/**
 * The Puck.js rows of one firmware of FEATURE_ROWS without the whole report: its
 * Espruino file counted, its start-up objects measured in QuickJS, the model applied
 * (what test/espruino-model.test.ts holds against targets/size/espruino-measured.json).
 */
export async function puckModel(name: string): Promise<{ feature: FeatureRow; board: BoardRow }> {
  const build = featureBuild(name);
  if (!build) throw new Error(`puckModel: unknown firmware "${name}" (one of ${FEATURE_ROWS.join(", ")})`);
  const cur = await measureFeature(build.feature);
  const ram = await quickJsRam(cur.generic, build.startup);
  const block = loadBoard("espruino-puckjs")["espruino"].blockSize.value as number;
  const feature: FeatureRow = { feature: name, espruino: cur.espruino, moddable: cur.moddable, codeRamQuickJs: ram.code, ramQuickJs: ram.state, ramXsSlots: null, bufferBytes: ram.census.typedBytes, jsVars: jsVarsOf(ram.census, block), storage: cur.storage, census: ram.census, pathInstances: pathInstances(build.startup) };
  return { feature, board: boardRows(feature).find((b) => b.board === "espruino-puckjs")! };
}

/**
 * How many times a start-up expression runs pibPath: once per Verifier, and once for a
 * Signer made without a Verifier to share (`new P.Signer(b, r)`: it makes its own).
 */
export function pathInstances(startup: string): number {
  return (startup.match(/new P\.Verifier\(/g) ?? []).length + (startup.match(/new P\.Signer\(\s*[^,()]+,\s*[^,()]+\)/g) ?? []).length;
}

/** The firmware rows of the report: the on-board path, with the key table, per suite, relays, CRC-only, the ground library. */
export const FEATURE_ROWS = ["pib-path", "pib-path+keys", "insecure-crc32", "relay-crc32", "relay", "crc-only", "full"];

/** The start-up objects each firmware of FEATURE_ROWS makes, whose RAM the report measures. */
const FEATURE_STARTUP: Record<string, string> = {
  full: WHOLE_PATH_STARTUP,
  "pib-path": SHARED_PIB_STARTUP,
  "pib-path+keys": WHOLE_PATH_STARTUP,
  "crc-only": "[new P.Crc32c(), new P.U64()]",
  "insecure-crc32": SHARED_PIB_STARTUP,
  "relay-crc32": RELAY_STARTUP,
  relay: RELAY_STARTUP,
};

/** A firmware of FEATURE_ROWS: its build and its start-up expression; undefined for any other name. */
function featureBuild(name: string): { feature: Feature; startup: string } | undefined {
  const startup = FEATURE_STARTUP[name];
  const feature =
    name === "insecure-crc32" ? suiteFeature(["insecure-crc32"]) : name === "relay-crc32" ? relayFeature(["insecure-crc32"]) : name === "relay" ? relayFeature([]) : FEATURES[name];
  return feature && startup ? { feature, startup } : undefined;
}

const BOARDS = ["espruino-original", "espruino-pico", "espruino-puckjs", "espruino-bangle2", "espruino-esp32", "moddable-esp32", "moddable-esp8266", "ssr-200mhz"];

/** Per board: does the whole PIB path plus a 4 KiB bundle buffer fit, and with what headroom. */
export function boardRows(path: FeatureRow): BoardRow[] {
  const rows: BoardRow[] = [];
  for (const name of BOARDS) {
    const b = loadBoard(name);
    if (b["engine"] === "espruino") {
      const bs = b["espruino"].blockSize.value as number;
      const total = b["espruino"].jsVars.value as number;
      const M = ESPRUINO_MODEL;
      const interpreter = M.interpreter;
      const census = path.census ? jsVarsOf(path.census, bs) : path.jsVars;
      const closures = path.pathInstances * Math.round(M.closureScale * path.storage.closureJsVars);
      const buffer = bufferJsVars(BUNDLE_BUFFER, bs);
      const form = (code: number, state: number, peakDuringLoad: number): FormFit => {
        const used = interpreter + code + state + buffer;
        const peak = Math.max(used, peakDuringLoad);
        return { interpreter, code, state, buffer, used, peak, total, fits: peak <= total, freePercent: round1(100 * (1 - used / total)) };
      };
      // Storage: the text stays in flash (STORAGE_CODE_IN_FLASH); the functions and names
      // the file makes when required, and per Verifier the closures of its path
      const storageCode = Math.round(M.codeScale * (path.storage.jsVars - path.storage.closureJsVars)) + M.perRequire;
      const storage = form(storageCode, census + closures, interpreter + storageCode);
      // RAM upload: the same, plus the text in JsVars: the module's once loaded, every
      // closure's again per Verifier (copied when pibPath runs), and two plain copies while loading
      const ramCode = storageCode + codeJsVars(path.espruino.bytes, bs);
      const ramState = census + closures + path.pathInstances * codeJsVars(path.storage.nestedTextBytes, bs);
      const ramUpload = form(ramCode, ramState, interpreter + codeJsVars(path.espruino.bytes, bs) + M.rawCopiesWhileLoading * Math.ceil(path.espruino.bytes / (bs - 4)));
      const judged = STORAGE_CODE_IN_FLASH[name] ? storage : ramUpload;
      const measured = name === "espruino-puckjs" ? measuredOn(path.feature) : {};
      // each figure followed by what it is: the model's estimate, or a real interpreter's measurement
      const said = (f: FormFit, m: EspruinoMeasurement | undefined): string =>
        `${f.fits ? f.freePercent.toFixed(1) + "% free" : "does not load"} ${ESTIMATE_LABEL} [interpreter ${f.interpreter} + code ${f.code} + state ${f.state} + 4 KiB buffer ${f.buffer} = ${f.used} of ${total} JsVars${f.peak > f.used ? `, load peak ${f.peak}` : ""}]` +
        (m ? `, ${m.freePercent === null ? "OUT OF MEMORY while loading" : m.freePercent.toFixed(1) + "% free"} ${MEASURED_LABEL}` : "");
      rows.push({
        board: name,
        title: b["title"],
        engine: "espruino",
        fits: judged.fits,
        headroomPercent: judged.freePercent,
        detail: `RAM upload: ${said(ramUpload, measured.ram)}; Storage (code in flash): ${said(storage, measured.storage)}; judged in ${STORAGE_CODE_IN_FLASH[name] ? "Storage" : "RAM upload"} form`,
        jsVarsUsed: judged.used,
        jsVarsPeak: judged.peak,
        jsVarsTotal: total,
        ramUpload,
        storage,
        judged: STORAGE_CODE_IN_FLASH[name] ? "storage" : "ram-upload",
        ...(measured.storage || measured.ram ? { measured: { label: MEASURED_LABEL, storage: measured.storage?.freePercent ?? null, ramUpload: measured.ram?.freePercent ?? null } } : {}),
      });
    } else {
      const heap = b["jsHeapBytes"].value as number;
      const flash = b["flashBytes"].value as number;
      const ram = path.ramQuickJs + BUNDLE_BUFFER;
      const code = b["engine"] === "xs" ? path.moddable.bytes : path.espruino.bytes;
      rows.push({
        board: name,
        title: b["title"],
        engine: b["engine"],
        fits: ram <= heap && code <= flash,
        headroomPercent: round1(100 * (1 - ram / heap)),
        detail: `state ${path.ramQuickJs} B (QuickJS measure) + 4 KiB buffer = ${ram} B of a ${heap} B JS heap; code ${code} B of ${flash} B flash`,
      });
    }
  }
  return rows;
}

/** One firmware measured in a real Espruino (targets/size/espruino-measured.json). */
export interface EspruinoMeasurement {
  build: string;
  form: "storage" | "ram";
  /** null: the module did not load (out of memory) */
  freePercent: number | null;
  free: number | null;
  /** process.memory().usage after each step: prompt, require, start-up objects, 4 KiB buffer */
  steps?: number[];
  bytes: number;
}

export interface EspruinoMeasurements {
  engine: string;
  pool: { jsVars: number; blockSize: number };
  date: string;
  method: string;
  startup: Record<string, string>;
  results: EspruinoMeasurement[];
}

let measurements: EspruinoMeasurements | undefined;
/** The real-engine figures (Puck.js pool), read once per process (one shared object: not to be changed). */
export function espruinoMeasurements(): EspruinoMeasurements {
  return (measurements ??= JSON.parse(readFileSync(join(ROOT, "targets/size/espruino-measured.json"), "utf8")) as EspruinoMeasurements);
}

export const MEASURED_LABEL = "measured (Espruino 2v29 Linux, 2,630 vars)";
export const ESTIMATE_LABEL = "estimate (model)";

function measuredOn(feature: string): { storage?: EspruinoMeasurement | undefined; ram?: EspruinoMeasurement | undefined } {
  const rs = espruinoMeasurements().results.filter((r) => r.build === feature);
  return { storage: rs.find((r) => r.form === "storage"), ram: rs.find((r) => r.form === "ram") };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
