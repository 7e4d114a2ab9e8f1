/**
 * The README's two board examples come from files the firmware tests run: the Puck.js
 * block is the whole of targets/examples/espruino/puck-sensor.js, and every code line of the
 * Moddable block stands, verbatim, in targets/examples/moddable/main.js, so the README cannot
 * drift from what is tested.
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

/** The sh code blocks of the README section "On a board", in order. */
function shBlocks(text: string): string[] {
  const start = text.indexOf("## On a board");
  const end = text.indexOf("\n## ", start + 1);
  return [...text.slice(start, end).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
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
  test("the Puck.js example is the whole of targets/examples/espruino/puck-sensor.js", () => {
    expect(blocks[0]).toBe(readFileSync(join(ROOT, "targets/examples/espruino/puck-sensor.js"), "utf8"));
  });
  test("the Puck.js commands send that file, after the firmware it needs", () => {
    const sh = shBlocks(README)[0]!;
    expect(sh).toMatch(/^make flash-espruino PORT=\S+ BOARD=espruino-puckjs SUITES=insecure-crc32$/m);
    expect(sh).toMatch(/^npx espruino -p \S+ targets\/examples\/espruino\/puck-sensor\.js /m);
    expect(sh).toMatch(/^npx espruino -p \S+ --storage \.bootcde:- targets\/examples\/espruino\/puck-sensor\.js /m);
    // the app signs with the suite the flashed firmware carries
    expect(blocks[0]).toMatch(/var SUITE_CRC32 = 3;/);
  });
  test("the Moddable example is an excerpt of targets/examples/moddable/main.js", () => {
    expect(missingLines(blocks[1]!, readFileSync(join(ROOT, "targets/examples/moddable/main.js"), "utf8"))).toEqual([]);
  });
  test("the Moddable example is main() of targets/examples/moddable/main.js whole, with the commands that build it", () => {
    const file = readFileSync(join(ROOT, "targets/examples/moddable/main.js"), "utf8");
    expect(blocks[1]!.startsWith("export default function main() {\n")).toBe(true);
    expect(file.endsWith(blocks[1]!)).toBe(true);
    const sh = shBlocks(README)[1]!;
    expect(sh).toMatch(/^make firmware$/m);
    expect(sh).toMatch(/^cd targets\/examples\/moddable && mcconfig -d -m -p esp32\b/m);
  });
  test("a line that is not in the file is found (the check can fail)", () => {
    expect(missingLines("var x = 1;\nvar p = require(\"pibkit\");", "var p = require(\"pibkit\");")).toEqual(["var x = 1;"]);
  });
});
