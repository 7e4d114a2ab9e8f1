/**
 * The list of planted faults (test/support/mutants.json, docs/mutation.md) still fits the
 * code: every fault's `file` exists and its `from` text occurs there exactly once (the
 * mutation script replaces that one occurrence; text that has since changed, or that a
 * new line repeats, would be reported NO MATCH and the fault silently not planted), the
 * replacement differs from it, every test file named exists, and names are unique (the
 * script's filter and the report go by name). docs/mutation.md states how many faults
 * the list holds. Reads files only: no fault is planted and no mutant runs here.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "./support/shared.js";

interface Mutant {
  name: string;
  file: string;
  from: string;
  to: string;
  tests: string[];
}

const LIST = "test/support/mutants.json";
const mutants = JSON.parse(readFileSync(join(REPO, LIST), "utf8")) as Mutant[];

/** How many times `needle` occurs in `hay` (overlapping occurrences counted, as indexOf finds them). */
function occurrences(hay: string, needle: string): number {
  let n = 0;
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) n++;
  return n;
}

/** The problems of one list entry, as sentences (none: it can be planted as listed). */
function problems(m: Mutant, read: (path: string) => string | null): string[] {
  const out: string[] = [];
  if (typeof m.name !== "string" || !m.name) out.push("no name");
  if (typeof m.from !== "string" || !m.from) out.push("no `from` text");
  if (typeof m.to !== "string") out.push("no `to` text");
  else if (m.to === m.from) out.push("`to` is the same as `from`: no fault");
  const text = typeof m.file === "string" ? read(m.file) : null;
  if (text === null) out.push(`file ${m.file} does not exist`);
  else if (typeof m.from === "string" && m.from) {
    const n = occurrences(text, m.from);
    if (n !== 1) out.push(`\`from\` occurs ${n} times in ${m.file} (must be exactly once)`);
  }
  if (!Array.isArray(m.tests) || m.tests.length === 0) out.push("no test files");
  else for (const t of m.tests) if (read(t) === null) out.push(`test file ${t} does not exist`);
  return out;
}

const cache = new Map<string, string | null>();
function readRepo(path: string): string | null {
  if (!cache.has(path)) {
    const full = join(REPO, path);
    cache.set(path, existsSync(full) ? readFileSync(full, "utf8") : null);
  }
  return cache.get(path)!;
}

describe(`${LIST}: every fault can still be planted`, () => {
  it("the list is not empty and its names are unique", () => {
    expect(mutants.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    const repeated = mutants.map((m) => m.name).filter((n) => seen.has(n) || !seen.add(n));
    expect(repeated).toEqual([]);
  });

  it("each `file` exists, its `from` occurs there exactly once, `to` differs, and each test file exists", () => {
    const bad = mutants.map((m) => [m.name, problems(m, readRepo)] as const).filter(([, p]) => p.length > 0);
    expect(bad).toEqual([]);
  });

  it("docs/mutation.md gives the list's length", () => {
    const doc = readFileSync(join(REPO, "docs/mutation.md"), "utf8");
    expect(doc).toContain(`## The faults (${mutants.length})`);
  });

  // The check itself can fail: each kind of staleness is reported.
  it("reports a missing file, a `from` found twice or nowhere, a no-op `to`, a missing test file", () => {
    const files: Record<string, string> = { "a.ts": "x = 1;\ny = 1;\n", "t.test.ts": "" };
    const read = (p: string): string | null => files[p] ?? null;
    const ok: Mutant = { name: "ok", file: "a.ts", from: "x = 1;", to: "x = 2;", tests: ["t.test.ts"] };
    expect(problems(ok, read)).toEqual([]);
    expect(problems({ ...ok, file: "b.ts" }, read)).toEqual(["file b.ts does not exist"]);
    expect(problems({ ...ok, from: " = 1;" }, read)).toEqual(["`from` occurs 2 times in a.ts (must be exactly once)"]);
    expect(problems({ ...ok, from: "z = 1;" }, read)).toEqual(["`from` occurs 0 times in a.ts (must be exactly once)"]);
    expect(problems({ ...ok, to: "x = 1;" }, read)).toEqual(["`to` is the same as `from`: no fault"]);
    expect(problems({ ...ok, tests: ["t.test.ts", "u.test.ts"] }, read)).toEqual(["test file u.test.ts does not exist"]);
    expect(problems({ ...ok, tests: [] }, read)).toEqual(["no test files"]);
  });
});
