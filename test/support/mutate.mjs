#!/usr/bin/env node
/**
 * Single-fault mutation runs on a COPY of the tree (docs/mutation.md).
 *
 *   node test/support/mutate.mjs MUTANTS.json [name-filter]
 *
 * MUTANTS.json: [{ "name", "file", "from", "to", "tests": ["test/x.test.ts", …] }, …];
 * `from` must occur exactly once in `file`. The script copies src/, sim/, cli/, bin/,
 * test/, bench/, targets/ and the config files into $PIBKIT_MUT_DIR (default
 * /tmp/pibkit-mut/tree, with node_modules linked; PIBKIT_SHARED points at the external
 * test data the working tree's tests use), and
 * for each mutant writes the changed file into the copy, runs its test files there with
 * vitest (one fork; the Node build rebuilt first when a CLI test file is among them),
 * and puts the file back (in a `finally`). The working tree is only
 * read: other work in it is never disturbed. Prints one line per mutant: KILLED with
 * the failing test files, SURVIVED, or NO MATCH; exit 1 when any survived.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const repo = resolve(dirname(new URL(import.meta.url).pathname), "../..");
const dir = resolve(process.env.PIBKIT_MUT_DIR ?? "/tmp/pibkit-mut/tree");
const [listFile, filter] = process.argv.slice(2);
if (!listFile) {
  process.stderr.write("usage: node test/support/mutate.mjs MUTANTS.json [name-filter]\n");
  process.exit(2);
}
const mutants = JSON.parse(readFileSync(listFile, "utf8")).filter((m) => !filter || m.name.includes(filter));

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
for (const f of ["src", "sim", "cli", "bin", "test", "bench", "targets", "package.json", "tsconfig.json", "vitest.config.ts"]) {
  if (existsSync(join(repo, f))) execFileSync("cp", ["-r", join(repo, f), join(dir, f)]);
}
symlinkSync(join(repo, "node_modules"), join(dir, "node_modules"));
// The external test data the working tree's tests would use (test/support/shared.ts), not the copy's neighbour.
const external = resolve(process.env.PIBKIT_SHARED ?? join(repo, "..", "shared"));
const env = existsSync(external) ? { ...process.env, PIBKIT_SHARED: external } : process.env;

/** Runs test files in the copy; the files that did not pass, each with its first failing test. */
function run(tests) {
  // CLI tests run bin/pibkit, i.e. the Node build: rebuild it from the (mutated) copy.
  if (tests.some((t) => t.includes("cli-"))) {
    spawnSync("node", ["targets/build/build.mjs", "--node"], { cwd: dir, stdio: "ignore", timeout: 300_000 });
  }
  const report = join(dir, "..", "mutant-report.json");
  rmSync(report, { force: true });
  spawnSync("npx", ["vitest", "run", ...tests, "--reporter=json", `--outputFile=${report}`,
    "--poolOptions.forks.maxForks=1"], { cwd: dir, env, stdio: "ignore", timeout: 900_000 });
  try {
    const r = JSON.parse(readFileSync(report, "utf8"));
    if (!(r.numTotalTests > 0)) return [["(no test ran)", ""]];
    return r.testResults.filter((t) => t.status !== "passed").map((t) => {
      const bad = (t.assertionResults ?? []).filter((a) => a.status === "failed");
      const more = bad.length > 1 ? ` and ${bad.length - 1} more` : "";
      return [t.name.slice(dir.length + 1), bad.length ? ` ("${bad[0].title}"${more})` : ""];
    });
  } catch {
    return [["(no report: the run crashed or timed out)", ""]];
  }
}

// Baseline: a file that fails without any mutant says nothing about one.
const baseline = new Set(run([...new Set(mutants.flatMap((m) => m.tests))]).map(([f]) => f));
if (baseline.size > 0) console.log(`BASELINE  failing without a mutant, not counted: ${[...baseline].join(", ")}`);

let survived = 0;
for (const m of mutants) {
  const path = join(dir, m.file);
  const orig = readFileSync(path, "utf8");
  const at = orig.indexOf(m.from);
  if (at < 0 || orig.indexOf(m.from, at + 1) >= 0) {
    console.log(`NO MATCH  ${m.name} (${m.file}: the text occurs ${at < 0 ? "nowhere" : "more than once"})`);
    continue;
  }
  let failed;
  try {
    writeFileSync(path, orig.slice(0, at) + m.to + orig.slice(at + m.from.length));
    failed = run(m.tests).filter(([f]) => !baseline.has(f)).map(([f, t]) => f + t);
  } finally {
    writeFileSync(path, orig);
  }
  if (failed.length > 0) console.log(`KILLED    ${m.name}: ${failed.join(", ")}`);
  else {
    survived++;
    console.log(`SURVIVED  ${m.name} (${m.tests.join(" ")})`);
  }
}
process.exit(survived > 0 ? 1 : 0);
