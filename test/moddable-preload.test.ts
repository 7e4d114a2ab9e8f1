/**
 * What the Moddable linker (xsl) needs to preload pibkit into flash without a warning,
 * checked on every built dist/moddable/*.js and on moddable-esp32's own build with acorn. A proxy for xsl's own preload
 * checks (the Moddable SDK is not installed here): xsl warns "X: no const" for a
 * module-level binding that is not `const` and "X: not frozen" for an object it cannot
 * freeze, and each such binding stays in RAM on the device. Run against the SDK
 * 8.2.3's xsl, the files this test passes gave no warning (the files before
 * targets/build/moddableConst.mjs: 37 on pibkit.js).
 *
 * Also: the manifests' `keys` in the form mcconfig reads (keys.initial/incremental;
 * keys.available counts only when no initial is set, and the SDK's base manifest sets one).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as acorn from "acorn";
import { beforeAll, describe, expect, test } from "vitest";
import { ensureFirmware, FEATURES, loadBoard, relayFeature, suiteFeature } from "../targets/hosts/engineRun.js";
import { resolveManifest } from "../targets/build/moddableGraph.js";
// @ts-expect-error plain .mjs without types
import { moddableConstReport } from "../targets/build/moddableConst.mjs";

const ROOT = join(import.meta.dirname, "..");
const DIR = join(ROOT, "dist/moddable");

beforeAll(async () => {
  await ensureFirmware();
  for (const f of ["pib-path", "pib-path+keys", "pib-path+writer", "crc-only"]) await ensureFirmware(FEATURES[f]!, "pibkit-" + f);
  for (const s of [["insecure-crc32"], ["insecure-md5"], ["hmac", "insecure-crc32"]]) {
    const f = suiteFeature(s);
    await ensureFirmware(f, f.name);
  }
  for (const f of [relayFeature([]), relayFeature(["insecure-crc32"])]) await ensureFirmware(f, f.name);
}, 120_000);

// acorn's ESTree nodes, read loosely: the walk only reads fields the node types guarantee
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = any;

/**
 * What xsl would warn about in a module text: module-level bindings that are not const.
 * (Exported objects not frozen are checked at run time, see frozenDefects.)
 */
function preloadDefects(text: string): string[] {
  const ast = acorn.parse(text, { ecmaVersion: "latest", sourceType: "module" }) as unknown as { body: Node[] };
  const out: string[] = [];
  for (const st of ast.body) {
    const decl = st.type === "VariableDeclaration" ? st : st.type === "ExportNamedDeclaration" && st.declaration?.type === "VariableDeclaration" ? st.declaration : null;
    if (!decl || decl.kind === "const") continue;
    for (const d of decl.declarations as Node[]) out.push(`${d.id.type === "Identifier" ? d.id.name : "(pattern)"}: ${decl.kind}, not const`);
  }
  return out;
}

/** Exported objects (not functions or classes) of the module file that are not frozen once it has run. */
async function frozenDefects(file: string): Promise<string[]> {
  const ns = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  return Object.entries(ns)
    .filter(([, v]) => v !== null && typeof v === "object" && !Object.isFrozen(v))
    .map(([k]) => `${k}: exported object, not frozen`);
}

describe("Moddable builds preload cleanly (proxy for xsl's checks)", () => {
  test("every dist/moddable/*.js and dist/boards/moddable-esp32/*.js (that board's speed-first build): module-level bindings const, exported objects frozen", async () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith(".js")).map((f) => join(DIR, f));
    expect(files.length).toBeGreaterThanOrEqual(10);
    const board = join(ROOT, "dist/boards/moddable-esp32");
    const boardFiles = readdirSync(board).filter((f) => f.endsWith(".js")).map((f) => join(board, f));
    expect(boardFiles.length).toBeGreaterThanOrEqual(4);
    for (const f of [...files, ...boardFiles]) {
      expect(preloadDefects(readFileSync(f, "utf8")), f).toEqual([]);
      expect(await frozenDefects(f), f).toEqual([]);
    }
  });

  test("the check finds what esbuild writes without the const pass: its vars", () => {
    const esbuildText = 'var a=1,b=class{};var E=(e=>(e[e.X=1]="X",e))(E||{});var n=["ok","bad"];function f(){return n[0]}export{b as B,E as SuiteKind,a as A,f};';
    expect(preloadDefects(esbuildText)).toEqual([
      "a: var, not const",
      "b: var, not const",
      "E: var, not const",
      "n: var, not const",
    ]);
    const r = moddableConstReport(esbuildText) as { text: string; left: string[] };
    expect(r.left).toEqual([]);
    expect(preloadDefects(r.text)).toEqual([]);
    expect(r.text).toContain('const E=Object.freeze((e=>(e[e.X=1]="X",e))({}))');
    expect(r.text).toContain('const n=Object.freeze(["ok","bad"])');
  });

  test("the const pass leaves a binding that is assigned, or mentioned in its own initializer, as var", () => {
    const r = moddableConstReport("var a=1;var b=2;function g(){b=3}var c=()=>c;export{a,g,c};") as { text: string; left: string[] };
    expect(r.text).toBe("const a=1;var b=2;function g(){b=3}var c=()=>c;export{a,g,c};");
    expect(r.left).toEqual(["b: assigned", "c: initializer mentions it"]);
  });

  test("manifests: keys as mcconfig reads them (initial, incremental), in the board profiles, the generated manifests and the example", () => {
    const check = (keys: Record<string, number>, where: string): void => {
      expect(keys, where).not.toHaveProperty("available");
      expect(keys["initial"], where).toBeGreaterThan(0);
      expect(keys["incremental"], where).toBeGreaterThanOrEqual(0);
    };
    for (const b of ["moddable-esp32", "moddable-esp8266"]) check(loadBoard(b)["moddable"].creation.keys.value, b);
    for (const f of readdirSync(DIR).filter((x) => x.endsWith("manifest.json"))) check(JSON.parse(readFileSync(join(DIR, f), "utf8")).creation.keys, f);
    check(resolveManifest(join(ROOT, "targets/examples/moddable/manifest.json")).creation["keys"] as Record<string, number>, "targets/examples/moddable/manifest.json");
  });
});
