/**
 * The ground tools start like a small script: the Node build is split per command
 * (targets/build/build.mjs), and the commands a ground station runs in bulk never load the
 * heavy tooling packages (esbuild, acorn, QuickJS, xsnap) that only `size`, `bench` and
 * `sim` need. Checked on the built chunk graph (static imports followed from each
 * command's chunk), not by timing.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const NODE_DIST = join(ROOT, "dist/node");
// dist/node is built by `make test` (and bin/pibkit) before the tests run
const HEAVY = ["esbuild", "acorn", "acorn-walk", "quickjs-emscripten", "@agoric/xsnap", "fast-check"];

/** Every module reached by static imports from `file`, and the packages they import. */
function staticClosure(file: string): { files: string[]; packages: Set<string> } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const todo = [file];
  while (todo.length > 0) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    const text = readFileSync(f, "utf8");
    // static imports only: `import … from "x"` / `import "x"` / `export … from "x"`, not import("x")
    for (const m of text.matchAll(/(?:^|[;\n}])\s*(?:import|export)\s*(?:[\w*${}\s,]+from\s*)?["']([^"']+)["']/g)) {
      const spec = m[1]!;
      if (spec.startsWith(".")) todo.push(join(dirname(f), spec));
      else if (!spec.startsWith("node:")) packages.add(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!);
    }
    for (const m of text.matchAll(/require\(["']([^"'.][^"']*)["']\)/g)) packages.add(m[1]!.split("/")[0]!);
  }
  return { files: [...seen], packages };
}

/** The chunk file cli.mjs loads for `command` (its dynamic import in the command table). */
function commandChunk(command: string): string {
  const cli = readFileSync(join(NODE_DIST, "cli.mjs"), "utf8");
  const name = command === "make-bundle" ? "makeBundle" : command;
  const m = cli.match(new RegExp(`import\\(["'](\\./cli-chunks/${name}-[A-Z0-9]+\\.mjs)["']\\)`));
  if (!m) throw new Error(`no chunk for ${command} in dist/node/cli.mjs`);
  return join(NODE_DIST, m[1]!);
}

describe("ground tools start without the heavy tooling packages", () => {
  test("the entry itself imports no package", () => {
    expect([...staticClosure(join(NODE_DIST, "cli.mjs")).packages]).toEqual([]);
  });
  for (const command of ["digest", "sdnv", "make-bundle", "sign", "verify", "inspect"]) {
    test(`${command} loads none of ${HEAVY.join(", ")}`, () => {
      const { packages } = staticClosure(commandChunk(command));
      expect([...packages].filter((p) => HEAVY.includes(p))).toEqual([]);
    });
  }
  test("the check sees a heavy package where one is loaded (size loads esbuild)", () => {
    const { packages } = staticClosure(commandChunk("size"));
    expect([...packages].some((p) => HEAVY.includes(p))).toBe(true);
  });
});

/** Source files of src/ground/ bundled into the modules `files` (esbuild heads each with a `// src/…` line). */
function groundSources(files: string[]): string[] {
  return files.flatMap((f) => [...readFileSync(f, "utf8").matchAll(/^\/\/ (src\/ground\/\S+)$/gm)].map((m) => m[1]!));
}

describe("digest starts without the PIB path", () => {
  // its whole-process time is compared with a peer library's script (`pibkit bench --process`)
  test("digest loads nothing of src/ground/", () => {
    expect(groundSources(staticClosure(commandChunk("digest")).files)).toEqual([]);
  });
  test("the check sees the ground library where it is loaded (verify)", () => {
    expect(groundSources(staticClosure(commandChunk("verify")).files)).toContain("src/ground/bundle.ts");
  });
});
