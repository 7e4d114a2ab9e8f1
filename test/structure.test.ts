/**
 * The folder map of docs/design.md is the rule: this file reads its table, parses every
 * import of every .ts/.mts/.js/.mjs/.cjs file in the repository (and bin/pibkit) with
 * TypeScript's import scanner, and fails on
 * - an import the importing folder's row does not allow (an import of a file in the same
 *   row is always allowed; a bare specifier — npm package or `node:` built-in — only
 *   where the row says `packages` or names it);
 * - an import that resolves to no file;
 * - a folder of the repository that no row names, or a row naming a folder that is gone,
 *   or a "may import" entry naming no folder or file;
 * - an import cycle between files (type-only imports count: a cycle of types is still
 *   two files that cannot be read one before the other).
 * The table is the only copy of the rules, so the map and the check cannot disagree.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { needs, REPO } from "./support/shared.js";

const MAP_DOC = "docs/design.md";
const MAP_HEADING = "## Map";

/** One row of the map: the folders it covers and what their files may import. */
interface Row {
  folders: string[];
  /** Folder prefixes (`src/`), single files (`cli/plural.ts`) and bare names (`pibkit`). */
  allow: string[];
  packages: boolean;
}

/** The map table: the first table after the `## Map` heading of docs/design.md. */
function readMap(markdown: string): Row[] {
  const lines = markdown.split("\n");
  const at = lines.findIndex((l) => l.startsWith(MAP_HEADING));
  if (at < 0) throw new Error(`${MAP_DOC}: no "${MAP_HEADING}" heading`);
  let i = at + 1;
  while (i < lines.length && !lines[i]!.startsWith("|")) i++;
  const rows: Row[] = [];
  for (i += 2; i < lines.length && lines[i]!.startsWith("|"); i++) {
    const cells = lines[i]!.split("|").slice(1, -1);
    if (cells.length !== 3) throw new Error(`${MAP_DOC} map row with ${cells.length} cells, 3 wanted: ${lines[i]}`);
    const ticks = (s: string): string[] => [...s.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    rows.push({ folders: ticks(cells[0]!), allow: ticks(cells[2]!), packages: /\bpackages\b/.test(cells[2]!) });
  }
  if (rows.length === 0) throw new Error(`${MAP_DOC}: the "${MAP_HEADING}" section has no table`);
  return rows;
}

/** The folder a file lives in, as the map writes it: `src/core/`, `./` for the root. */
function folderOf(file: string): string {
  const d = posix.dirname(file);
  return d === "." ? "./" : d + "/";
}

const CODE = /\.(ts|mts|js|mjs|cjs)$/;

/** Import specifiers of one source text (static, dynamic, require, export-from, import type). */
function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** The repository file an import names: `.js` written for a `.ts` source resolves to the source. */
function resolveImport(from: string, spec: string, exists: (f: string) => boolean): string | null {
  const target = posix.normalize(posix.join(posix.dirname(from), spec));
  const candidates = [target, target.replace(/\.js$/, ".ts"), target.replace(/\.mjs$/, ".mts"), target + ".ts", target + "/index.ts"];
  for (const c of candidates) if (exists(c)) return c;
  return null;
}

/**
 * Every import that breaks the map, as `from -> spec: why`. `files` are repository
 * paths; `read` gives a file's text; `exists` says whether a path is a file.
 */
function violations(rows: Row[], files: string[], read: (f: string) => string, exists: (f: string) => boolean): string[] {
  const rowOf = new Map<string, Row>();
  for (const r of rows) for (const f of r.folders) rowOf.set(f, r);
  const out: string[] = [];
  for (const file of files) {
    if (!CODE.test(file) && file !== "bin/pibkit") continue;
    const row = rowOf.get(folderOf(file));
    if (!row) continue; // reported by unmappedFolders
    for (const spec of importsOf(read(file))) {
      if (!spec.startsWith(".")) {
        if (!row.packages && !row.allow.includes(spec)) out.push(`${file} -> ${spec}: a package, and ${folderOf(file)} may import none`);
        continue;
      }
      const target = resolveImport(file, spec, exists);
      if (target === null) {
        out.push(`${file} -> ${spec}: no such file`);
        continue;
      }
      if (rowOf.get(folderOf(target)) === row) continue;
      const ok = row.allow.some((a) => (a.endsWith("/") ? target.startsWith(a) : target === a || target === a.replace(/\.js$/, ".ts")));
      if (!ok) out.push(`${file} -> ${spec}: ${folderOf(file)} may not import ${folderOf(target)}`);
    }
  }
  return out;
}

/** Folders holding repository files that no row names, and rows naming folders with no file. */
function unmappedFolders(rows: Row[], files: string[]): string[] {
  const mapped = new Set(rows.flatMap((r) => r.folders));
  const present = new Set(files.map(folderOf));
  const out: string[] = [];
  for (const f of [...present].sort()) if (!mapped.has(f)) out.push(`${f} holds files but is not in the map`);
  for (const f of [...mapped].sort()) if (!present.has(f)) out.push(`${f} is in the map but holds no file`);
  return out;
}

/** Names in the "may import" column that match no folder or file (a typo would allow nothing). */
function unknownAllows(rows: Row[], files: string[]): string[] {
  const out: string[] = [];
  for (const r of rows) {
    for (const a of r.allow) {
      if (!a.includes("/")) continue; // a package name
      const hit = a.endsWith("/") ? files.some((f) => f.startsWith(a)) : files.includes(a) || files.includes(a.replace(/\.js$/, ".ts"));
      if (!hit) out.push(`${r.folders.join(", ")} may import ${a}, which is no folder or file`);
    }
  }
  return out;
}

/** Import cycles between files, each as `a -> b -> … -> a` (one per cycle found). */
function cycles(files: string[], read: (f: string) => string, exists: (f: string) => boolean): string[] {
  const edges = new Map<string, string[]>();
  for (const f of files) {
    if (!CODE.test(f)) continue;
    const to: string[] = [];
    for (const spec of importsOf(read(f))) {
      if (!spec.startsWith(".")) continue;
      const t = resolveImport(f, spec, exists);
      if (t !== null) to.push(t);
    }
    edges.set(f, to);
  }
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const found: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 1);
    stack.push(f);
    for (const t of edges.get(f) ?? []) {
      if (state.get(t) === 1) found.push([...stack.slice(stack.indexOf(t)), t].join(" -> "));
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 2);
  };
  for (const f of [...edges.keys()].sort()) if (!state.has(f)) visit(f);
  return found;
}

const ls = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: REPO, encoding: "utf8" });

describe("the folder map of docs/design.md", () => {
  if (!needs(ls.status === 0, "the folder-map check", "this checkout is not a git work tree (or git is missing)")) return;
  // a deleted file still listed by the index is gone for this check
  const files = ls.stdout.split("\0").filter((f) => f !== "" && existsSync(join(REPO, f)));
  const have = new Set(files);
  const read = (f: string): string => readFileSync(join(REPO, f), "utf8");
  const exists = (f: string): boolean => have.has(f);
  const rows = readMap(read(MAP_DOC));

  it("every import is one the map allows", () => {
    // fix the import, or change the map in docs/design.md if the new direction is meant
    expect(violations(rows, files, read, exists), "imports the map does not allow").toEqual([]);
  });

  it("every folder of the repository is in the map, and the map names no folder that is gone", () => {
    expect(unmappedFolders(rows, files), "add a row to the map in docs/design.md (or remove it)").toEqual([]);
  });

  it("every folder and file the map allows importing exists", () => {
    expect(unknownAllows(rows, files)).toEqual([]);
  });

  it("no two files import each other, directly or through others", () => {
    // to break one, move what both files need (often a type) into a file that imports neither
    expect(cycles(files, read, exists), "import cycles between files").toEqual([]);
  });

  it("the map says what src/ may do: core imports nothing, ground and onboard only core, no package anywhere in src/", () => {
    const allow = (folder: string): Row => rows.find((r) => r.folders.includes(folder))!;
    expect(allow("src/core/").allow).toEqual([]);
    expect(allow("src/ground/").allow).toEqual(["src/core/"]);
    expect(allow("src/onboard/").allow).toEqual(["src/core/"]);
    for (const r of rows) if (r.folders.some((f) => f.startsWith("src/"))) expect(r.packages, r.folders.join(", ")).toBe(false);
  });

  // The checks themselves, on a small made-up tree: each must find what it is for.
  describe("the checks fail where they should", () => {
    const tree: Record<string, string> = {
      "src/core/a.ts": 'import { b } from "../ground/b.js";\nexport const a = 1;',
      "src/ground/b.ts": 'import { a } from "../core/a.js";\nimport fs from "node:fs";\nexport const b = a;',
      "src/onboard/c.ts": 'import type { b } from "../ground/b.js";\nimport { z } from "./missing.js";',
      "cli/d.ts": 'import { a } from "../src/core/a.js";\nimport { parseArgs } from "node:util";',
      "extra/e.ts": "export {};",
    };
    const files = Object.keys(tree);
    const read = (f: string): string => tree[f]!;
    const exists = (f: string): boolean => f in tree;
    const map = readMap(
      [
        MAP_HEADING,
        "| folder | what | may import |",
        "|---|---|---|",
        "| `src/core/` | core | — |",
        "| `src/ground/` | ground | `src/core/` |",
        "| `src/onboard/` | on-board | `src/core/` |",
        "| `cli/` | tools | `src/`, packages |",
        "| `gone/` | nothing | — |",
      ].join("\n"),
    );

    it("a forbidden folder, a package where none is allowed, an unresolved import", () => {
      expect(violations(map, files, read, exists)).toEqual([
        "src/core/a.ts -> ../ground/b.js: src/core/ may not import src/ground/",
        "src/ground/b.ts -> node:fs: a package, and src/ground/ may import none",
        "src/onboard/c.ts -> ../ground/b.js: src/onboard/ may not import src/ground/",
        "src/onboard/c.ts -> ./missing.js: no such file",
      ]);
    });

    it("a folder missing from the map and a row for a folder that is gone", () => {
      expect(unmappedFolders(map, files)).toEqual(["extra/ holds files but is not in the map", "gone/ is in the map but holds no file"]);
    });

    it("an allowed folder that does not exist", () => {
      const typo = readMap([MAP_HEADING, "| folder | what | may import |", "|---|---|---|", "| `cli/` | tools | `src/gound/`, `src/core/a.ts` |"].join("\n"));
      expect(unknownAllows(typo, files)).toEqual(["cli/ may import src/gound/, which is no folder or file"]);
    });

    it("a cycle of two files", () => {
      expect(cycles(files, read, exists)).toEqual(["src/core/a.ts -> src/ground/b.ts -> src/core/a.ts"]);
    });

    it("imports of every form are seen: type-only, re-export, dynamic, require", () => {
      const text = 'import type { A } from "./a.js";\nexport * from "./b.js";\nconst c = await import("./c.js");\nconst d = require("./d.js");';
      expect(importsOf(text).sort()).toEqual(["./a.js", "./b.js", "./c.js", "./d.js"]);
    });
  });
});
