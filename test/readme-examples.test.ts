/**
 * The README's two board examples are excerpts of files the firmware tests run
 * (targets/espruino/puck-sensor.js, targets/moddable/main.js): every code line of each
 * README block must stand, verbatim, in its file, so the README cannot drift from
 * what is tested.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");

/** The js code blocks of the README section "On a board", in order. */
function boardBlocks(text: string): string[] {
  const start = text.indexOf("## On a board");
  const end = text.indexOf("\n## ", start + 1);
  const section = text.slice(start, end);
  return [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** Lines of `block` that do not stand in `file` (leading white space ignored). */
function missingLines(block: string, file: string): string[] {
  const lines = new Set(file.split("\n").map((l) => l.trim()));
  return block.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !lines.has(l));
}

describe("README board examples", () => {
  const blocks = boardBlocks(README);
  test("two examples: the Puck.js sensor and the Moddable relay", () => {
    expect(blocks.length).toBe(2);
  });
  test("the Puck.js example is an excerpt of targets/espruino/puck-sensor.js", () => {
    expect(missingLines(blocks[0]!, readFileSync(join(ROOT, "targets/espruino/puck-sensor.js"), "utf8"))).toEqual([]);
  });
  test("the Moddable example is an excerpt of targets/moddable/main.js", () => {
    expect(missingLines(blocks[1]!, readFileSync(join(ROOT, "targets/moddable/main.js"), "utf8"))).toEqual([]);
  });
  test("a line that is not in the file is found (the check can fail)", () => {
    expect(missingLines("var x = 1;\nvar p = require(\"pibkit\");", "var p = require(\"pibkit\");")).toEqual(["var x = 1;"]);
  });
});
