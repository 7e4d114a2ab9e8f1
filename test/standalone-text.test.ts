/**
 * What ships stands alone: no file the repository tracks points a reader at files that
 * do not ship with it (the external test-data folder `../shared/`, or the design notes
 * bundle-checksum.md, engines.md and radiation.md kept there), nor at an issue number,
 * and none refers to the project's own work notes (the issue, brief, ticket, task or
 * session a change was made under: a budget named after the tracker entry that asked for
 * it). The wire formats are described in docs/ and cited by RFC and draft section. The
 * project's own docs/radiation.md is fine to name, by its path or from inside docs/. A
 * reference to an upstream project's tracker names that project and is allowed.
 *
 * Exempt: test/support/shared.ts (it is where the external folder is looked for) and
 * this file (it holds the patterns).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { needs, REPO } from "./support/shared.js";

const ls = spawnSync("git", ["ls-files", "-z"], { cwd: REPO, encoding: "utf8" });
const HAVE = needs(ls.status === 0, "the shipped-text check", "this checkout is not a git work tree (or git is missing)");
const EXEMPT = new Set(["test/support/shared.ts", "test/standalone-text.test.ts"]);
const TEXT = /\.(ts|mts|js|mjs|cjs|json|md|txt|html|css|svg|sh|yml|yaml)$|^(Makefile|bin\/pibkit|\.ci\/run|\.gitignore)$/;

/** Each rule: what it catches, and a pattern tried on each line. */
const RULES: Array<[string, (line: string, file: string) => boolean]> = [
  // naming ../shared is fine where the line says how the folder is found (PIBKIT_SHARED)
  ["the external folder ../shared/", (l) => /\.\.\/shared\b/.test(l) && !/PIBKIT_SHARED/.test(l)],
  ["bundle-checksum.md (not shipped; cite draft-irtf-dtnrg-bundle-checksum-02 or RFC 5050/6257 and docs/)", (l) => /bundle-checksum\.md/.test(l)],
  ["engines.md (not shipped; docs/firmware.md and docs/design.md describe the engines)", (l) => /(?<![\w-])engines\.md/.test(l)],
  [
    "the external radiation.md (the project's own is docs/radiation.md)",
    (l, f) => /(shared\/spec\/|\bspec\b\W{0,3})radiation\.md/.test(l) || (!f.startsWith("docs/") && f !== "README.md" && /(?<![\w/-])radiation\.md/.test(l.replace(/docs\/radiation\.md/g, ""))),
  ],
  // another project's tracker (`Moddable issue #1258`) is a source; this project's ticket numbers are not
  [
    "an issue number (say what, not which ticket)",
    (l) => /\bissues?[ -]\d+\b|\bthe issue\b/i.test(l) || /(?<!(?:Moddable|Espruino|QuickJS|esbuild|vitest|Node\.js|npm|GitHub|XS) )\bissue #\d+/i.test(l),
  ],
  ["the brief, ticket, task or session (speak to the project's users)", (l) => /\bthe (brief|ticket|task|session)\b/i.test(l)],
];

function offenders(): string[] {
  const out: string[] = [];
  for (const f of ls.stdout.split("\0").filter(Boolean)) {
    if (EXEMPT.has(f) || !TEXT.test(f) || !existsSync(join(REPO, f))) continue;
    const lines = readFileSync(join(REPO, f), "utf8").split("\n");
    lines.forEach((line, i) => {
      for (const [what, bad] of RULES) if (bad(line, f)) out.push(`${f}:${i + 1}: ${what}: ${line.trim().slice(0, 120)}`);
    });
  }
  return out;
}

describe.runIf(HAVE)("shipped text stands alone", () => {
  it("no tracked file cites ../shared/, the external notes by file name, an issue number or the work notes", () => {
    expect(offenders()).toEqual([]);
  });
  it("the rules catch what they are for, and leave the project's own docs/radiation.md alone", () => {
    const hit = (line: string, file = "src/x.ts") => RULES.filter(([, bad]) => bad(line, file)).length;
    expect(hit("see ../shared/spec/README.md")).toBe(1);
    expect(hit("(bundle-checksum.md §4.2)")).toBe(1);
    expect(hit("the engines.md subset")).toBe(1);
    expect(hit("source: spec `radiation.md` mission table", "docs/radiation.md")).toBe(1);
    expect(hit("draft §1, radiation.md")).toBe(1);
    expect(hit("goal (issue 5)")).toBe(1);
    expect(hit("before the issue-5 diet")).toBe(1);
    expect(hit("e.g. Moddable issue #1258 uses 69152")).toBe(0);
    expect(hit("`PIBKIT_SHARED`, else `../shared` beside the repository")).toBe(0);
    expect(hit("where the brief left one open")).toBe(1);
    expect(hit("(goal: the issue budget)")).toBe(1);
    expect(hit("issue 5's size goals")).toBe(1);
    expect(hit("as asked in issue 13")).toBe(1);
    expect(hit("as asked in issue #13")).toBe(1);
    expect(hit("done as the task said")).toBe(1);
    expect(hit("per the ticket")).toBe(1);
    expect(hit("left over from the session")).toBe(1);
    expect(hit("4 imaging sessions / day")).toBe(0);
    expect(hit("see docs/radiation.md and RFC 6257 §3.4.2")).toBe(0);
    expect(hit("`docs/simulator.md` and `radiation.md`", "docs/simulator.md")).toBe(0);
    expect(hit("[radiation](radiation.md)", "docs/simulator.md")).toBe(0);
    expect(hit("a shared Bundle, the shared HMAC")).toBe(0);
  });
});
