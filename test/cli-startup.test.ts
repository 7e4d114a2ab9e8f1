/**
 * The ground tools start like a small script: the Node build is one CommonJS file per
 * command (targets/build/build.mjs), bin/pibkit is CommonJS, and the commands a ground
 * station runs in bulk never load the heavy tooling packages (esbuild, acorn, QuickJS,
 * xsnap) that only `size`, `bench` and `sim` need. Checked on the built files (the
 * modules each command's file requires when it loads, not inside functions), not by timing.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const NODE_DIST = join(ROOT, "dist/node");
// dist/node is built by `make test` (and bin/pibkit) before the tests run
const HEAVY = ["esbuild", "acorn", "acorn-walk", "quickjs-emscripten", "@agoric/xsnap", "fast-check"];

/**
 * The packages a built CommonJS file loads when it is loaded: esbuild writes those as
 * `var import_x = require("x")` / `__toESM(require("x"))` at the top level; a package
 * loaded only when a function runs (`Promise.resolve().then(() => … require("x"))`, an
 * `import()` in the source) is not counted. Every file a command loads is its own file:
 * the build shares no chunks, and a relative require would be reported as a package.
 */
function loadedAtStart(file: string): { files: string[]; packages: Set<string> } {
  const packages = new Set<string>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^(?:var|const|let) [\w$]+ = (?:__toESM\()?require\("([^"]+)"\)/.exec(line);
    if (!m || m[1]!.startsWith("node:")) continue;
    const spec = m[1]!;
    packages.add(spec.startsWith(".") ? spec : spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!);
  }
  return { files: [file], packages };
}

/** The file the command table (dist/node/cli.cjs) loads for `command`. */
function commandChunk(command: string): string {
  const cli = readFileSync(join(NODE_DIST, "cli.cjs"), "utf8");
  const name = command === "make-bundle" ? "makeBundle" : command;
  const m = cli.match(new RegExp(`require\\(["'](\\./cli/${name}\\.cjs)["']\\)`));
  if (!m) throw new Error(`no file for ${command} in dist/node/cli.cjs`);
  return join(NODE_DIST, m[1]!);
}

describe("ground tools start without the heavy tooling packages", () => {
  test("the entry itself imports no package", () => {
    expect([...loadedAtStart(join(NODE_DIST, "cli.cjs")).packages]).toEqual([]);
  });
  for (const command of ["digest", "sdnv", "make-bundle", "sign", "verify", "inspect"]) {
    test(`${command} loads none of ${HEAVY.join(", ")}`, () => {
      const { packages } = loadedAtStart(commandChunk(command));
      expect([...packages].filter((p) => HEAVY.includes(p))).toEqual([]);
    });
  }
  test("the check sees a heavy package where one is loaded (size loads esbuild)", () => {
    const { packages } = loadedAtStart(commandChunk("size"));
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
    expect(groundSources(loadedAtStart(commandChunk("digest")).files)).toEqual([]);
  });
  test("the check sees the ground library where it is loaded (verify)", () => {
    expect(groundSources(loadedAtStart(commandChunk("verify")).files)).toContain("src/ground/bundle.ts");
  });
});

describe("the build switches are constants in the ground tools", () => {
  // a `typeof` of an undeclared global is a lookup each time it runs: in a digest's
  // update, ~8 of a 64-octet CRC-32C's ~52 ns (src/core/build.ts)
  test("no file of dist/node reads a __PIBKIT_ switch at run time; the sources do", () => {
    const files = ["cli.cjs", ...["digest", "verify", "sign", "inspect", "makeBundle", "bench", "sim", "crcWorker"].map((c) => `cli/${c}.cjs`)];
    for (const f of files) expect(readFileSync(join(NODE_DIST, f), "utf8"), f).not.toMatch(/typeof __PIBKIT_\w+__/);
    expect(readFileSync(join(ROOT, "src/core/crc32c.ts"), "utf8")).toMatch(/typeof __PIBKIT_CRC_SLICES__/);
  });
});
