/**
 * What `mcconfig` does with a Moddable manifest, as far as pibkit's example needs it:
 * follow "include" (skipping the SDK's own $(MODDABLE) manifests), merge "modules" and
 * "preload", resolve each module to its .js file, and lay the graph out in one folder
 * where bare specifiers ("pibkit") become relative imports — so CI can run the
 * example's main.js in XS exactly as the device would import it.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

export interface ModuleGraph {
  /** module specifier → absolute path of its .js file */
  modules: Record<string, string>;
  preload: string[];
  creation: Record<string, unknown>;
  /** SDK manifests we did not follow */
  sdkIncludes: string[];
}

export function resolveManifest(manifestPath: string): ModuleGraph {
  const graph: ModuleGraph = { modules: {}, preload: [], creation: {}, sdkIncludes: [] };
  const visit = (file: string): void => {
    const m = JSON.parse(readFileSync(file, "utf8")) as {
      include?: string[];
      modules?: Record<string, string | string[]>;
      preload?: string[];
      creation?: Record<string, unknown>;
    };
    const dir = dirname(file);
    for (const inc of m.include ?? []) {
      if (inc.startsWith("$(")) graph.sdkIncludes.push(inc);
      else visit(resolve(dir, inc));
    }
    for (const [name, spec] of Object.entries(m.modules ?? {})) {
      for (const s of Array.isArray(spec) ? spec : [spec]) {
        const path = resolve(dir, s) + ".js";
        // "*": the module is named after its file
        const key = name === "*" ? s.replace(/^.*\//, "") : name;
        if (!existsSync(path)) throw new Error(`manifest ${file}: module "${key}" has no file ${path}`);
        graph.modules[key] = path;
      }
    }
    for (const p of m.preload ?? []) if (!graph.preload.includes(p)) graph.preload.push(p);
    Object.assign(graph.creation, m.creation ?? {});
  };
  visit(manifestPath);
  for (const p of graph.preload) if (!graph.modules[p]) throw new Error(`preload names "${p}", which no manifest lists under modules`);
  return graph;
}

/** Copies the graph into a fresh folder, rewriting bare imports of graph modules to relative ones. */
export function layOut(graph: ModuleGraph): string {
  const dir = mkdtempSync(join(tmpdir(), "pibkit-moddable-"));
  for (const [name, path] of Object.entries(graph.modules)) {
    let text = readFileSync(path, "utf8");
    for (const other of Object.keys(graph.modules)) {
      text = text.replace(new RegExp(`(from\\s*)(["'])${other.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\2`, "g"), `$1"./${other}.js"`);
    }
    writeFileSync(join(dir, name + ".js"), text);
  }
  return dir;
}

/**
 * A start module for XS that imports every preloaded module, freezes its exports the
 * way preload does (functions, classes and their prototypes become read-only), then
 * runs main's default export and leaves its result in globalThis.__main.
 */
export function startModule(dir: string, graph: ModuleGraph): string {
  const lines: string[] = [];
  graph.preload.forEach((p, i) => lines.push(`import * as pre${i} from "./${p}.js";`));
  lines.push(`import main from "./main.js";`);
  lines.push(`function petrify(ns) { for (const k of Object.keys(ns)) { const v = ns[k]; if (typeof v === "function") { Object.freeze(v); if (v.prototype) Object.freeze(v.prototype); } else if (v && typeof v === "object") Object.freeze(v); } }`);
  graph.preload.forEach((_p, i) => lines.push(`petrify(pre${i});`));
  lines.push(`globalThis.__main = main();`);
  const file = join(dir, "__start.js");
  writeFileSync(file, lines.join("\n") + "\n");
  return file;
}

