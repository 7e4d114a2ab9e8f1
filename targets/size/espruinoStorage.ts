/**
 * The Storage form on Espruino: `require()` of a module written to Storage runs its
 * text in place, in flash. Which boards read Storage that way (STORAGE_CODE_IN_FLASH),
 * and the count of an exact built file in that form — how many JsVars its functions,
 * parameters, classes and top-level names cost (storageCodeJsVars, counted with acorn,
 * each cost and its source in STORAGE_MODEL). espruinoModel.ts scales the count into
 * the board estimate.
 */
import { parse as acornParse } from "acorn";

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

