/**
 * The shell examples of the README and docs/ write only under out/ (ignored by git) or
 * outside the repository, so a newcomer who runs them in a clone is left with a clean
 * `git status`. Every output path a documented `bin/pibkit` or `node targets/…` line
 * names is checked: make-bundle's OUT, sign's OUT, --svg, --out, and a `>` redirection.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const DOCS = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => "docs/" + f)];

/** The command lines of a markdown file's ```sh blocks, comments removed. */
export function shellLines(md: string): string[] {
  const out: string[] = [];
  let on = false;
  for (const raw of md.split("\n")) {
    if (/^```sh\b/.test(raw)) on = true;
    else if (raw.startsWith("```")) on = false;
    else if (on) {
      const line = raw.replace(/(^|\s)#.*$/, "").trim();
      if (line) out.push(line);
    }
  }
  return out;
}

/** Words of a command line with quotes removed (enough for the docs' examples). */
function words(cmd: string): string[] {
  return (cmd.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^["']|["']$/g, ""));
}

/** The paths a command line writes: OUT of make-bundle/sign, --svg, --out, `> FILE`. */
export function writtenPaths(line: string): string[] {
  const paths: string[] = [];
  for (const cmd of line.split(/&&|\||;/)) {
    const w = words(cmd.trim());
    const at = w.findIndex((x) => x === "bin/pibkit" || x === "pibkit" || /^targets\/.*\.mjs$/.test(x));
    const redirect = w.indexOf(">");
    if (redirect >= 0 && w[redirect + 1]) paths.push(w[redirect + 1]!);
    if (at < 0) continue;
    const args = w.slice(at + 1, redirect >= 0 ? redirect : undefined);
    for (let i = 0; i < args.length; i++) {
      const m = /^--(svg|out)(?:=(.*))?$/.exec(args[i]!);
      if (m) paths.push(m[2] ?? args[++i] ?? "");
    }
    const positional = args.filter((x, i) => !x.startsWith("-") && !(i > 0 && /^--/.test(args[i - 1]!) && !/=/.test(args[i - 1]!)));
    if (positional[0] === "make-bundle" && positional[1]) paths.push(positional[1]);
    if (positional[0] === "sign" && positional[2]) paths.push(positional[2]);
  }
  return paths;
}

/** A path a clone's `git status` does not show: under out/, outside the tree, or stdout. */
function leavesTreeClean(p: string): boolean {
  return p === "-" || p.startsWith("/") || p.startsWith("out/") || p === "out";
}

describe("documented commands leave the working tree clean", () => {
  test("the path parser finds what each form writes", () => {
    expect(writtenPaths("bin/pibkit make-bundle b.bin --src dtn://a/b --dst dtn://c/d --payload \"Hi there\"")).toEqual(["b.bin"]);
    expect(writtenPaths("bin/pibkit sign b.bin s.bin --suite insecure-crc32")).toEqual(["s.bin"]);
    expect(writtenPaths("bin/pibkit size --svg size.svg")).toEqual(["size.svg"]);
    expect(writtenPaths("bin/pibkit sim --days 2 --out report")).toEqual(["report"]);
    expect(writtenPaths("mkdir -p out && bin/pibkit sim --json > result.json")).toEqual(["result.json"]);
    expect(writtenPaths("node targets/size/measureOnboard.mjs --out=x.js")).toEqual(["x.js"]);
    expect(writtenPaths("bin/pibkit verify out/s.bin")).toEqual([]);
  });

  for (const file of DOCS) {
    test(`${file}: every output path of its shell examples is under out/ or outside the repository`, () => {
      const bad: string[] = [];
      for (const line of shellLines(readFileSync(join(ROOT, file), "utf8"))) {
        for (const p of writtenPaths(line)) if (!leavesTreeClean(p)) bad.push(`${p}  (${line})`);
      }
      expect(bad, "paths a clone's git status would show").toEqual([]);
    });
  }
});
