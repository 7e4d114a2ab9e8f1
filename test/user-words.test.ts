/**
 * What users read speaks to them: the README, docs/, the CLI's texts, the budgets, board
 * profiles and scenarios (printed by `pibkit size` and the simulator's report) never
 * refer to the project's own work notes (a budget named after the tracker entry that
 * asked for it, the instructions a change was made under, a tracker number). A reference
 * to an upstream project's tracker names that project and is allowed.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const WORK_NOTES = /\bthe (issue|brief|ticket|task)\b|(?<!(?:Moddable|Espruino|QuickJS|esbuild|vitest|Node\.js|npm|GitHub|XS) )\bissue #?\d+|\bissue \d+'s\b|\bthe session\b/i;

/** Tracked files users read (git ls-files, so a clone sees the same list). */
function userFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "README.md", "docs", "cli", "bench", "sim", "src", "targets/budgets.json", "targets/boards"], { cwd: ROOT, encoding: "utf8" });
  return out.split("\n").filter((f) => /\.(md|ts|json|mjs)$/.test(f));
}

test("the pattern finds work-note wording and passes an upstream tracker reference", () => {
  // the samples are joined at run time so that this file does not itself carry the wording
  const [issue, brief] = ["iss" + "ue", "bri" + "ef"];
  expect(WORK_NOTES.test(`(goal: the ${issue} budget)`)).toBe(true);
  expect(WORK_NOTES.test(`where the ${brief} left one open`)).toBe(true);
  expect(WORK_NOTES.test(`${issue} 5's size goals`)).toBe(true);
  expect(WORK_NOTES.test(`as asked in ${issue} 13`)).toBe(true);
  expect(WORK_NOTES.test(`e.g. Moddable ${issue} #1258 uses 69152`)).toBe(false);
  expect(WORK_NOTES.test("4 imaging sessions / day")).toBe(false);
});

test("README, docs, CLI texts, sources, budgets and board profiles carry no work-note wording", () => {
  const files = userFiles();
  expect(files.length).toBeGreaterThan(50);
  const hits: string[] = [];
  for (const f of files) {
    readFileSync(join(ROOT, f), "utf8").split("\n").forEach((line, i) => {
      if (WORK_NOTES.test(line)) hits.push(`${f}:${i + 1}: ${line.trim().slice(0, 120)}`);
    });
  }
  expect(hits).toEqual([]);
});
