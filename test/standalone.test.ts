/**
 * A clone of the repository alone passes: the committed tree (HEAD) is cloned into a
 * temporary folder with no external test data beside it, and every test file that uses
 * the external corpus (each calls `needsCorpus`, test/support/shared.ts) is run there
 * with vitest. They must pass, skip what needs the corpus, and say so: one
 * `skipped: … not found; set PIBKIT_SHARED` line per file in the output, and a skipped
 * test with the same title in the JSON report.
 *
 * PIBKIT_SHARED is forced to a folder that does not exist, so this holds in CI too,
 * where the corpus is there. node_modules is linked from this checkout; the clone
 * builds its own dist/ (vitest.config.ts's globalSetup does). The fuzzers run with fewer
 * cases than in their own files: what is checked here is what a missing corpus does, not
 * the fuzzing.
 * On a loaded machine vitest's own worker messages can time out (a synchronous test
 * holding a worker for more than 60 s); those reports are let through and counted, any
 * other unhandled error fails this test.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { needs, REPO, SKIP_PREFIX, skipLine } from "./support/shared.js";

const git = (args: string[], cwd = REPO) => spawnSync("git", args, { cwd, encoding: "utf8" });
const IN_GIT = git(["rev-parse", "--is-inside-work-tree"]).stdout?.trim() === "true";
const HAVE = needs(IN_GIT, "the clone-alone run", "this checkout is not a git work tree (or git is missing)");

/** The test files that read the external corpus: each one calls needsCorpus. */
const CORPUS_FILES = readdirSync(join(REPO, "test"))
  .filter((f) => f.endsWith(".test.ts") && f !== "standalone.test.ts")
  .filter((f) => /\bneedsCorpus\(/.test(readFileSync(join(REPO, "test", f), "utf8")))
  .sort()
  .map((f) => `test/${f}`);

interface Assertion {
  title: string;
  status: string;
  failureMessages: string[];
}
interface Report {
  numFailedTests: number;
  numPassedTests: number;
  numPendingTests: number;
  testResults: Array<{ name: string; status: string; message: string; assertionResults: Assertion[] }>;
}

/** Runs a command to its end without blocking this worker; stdout and stderr as text. */
function run(cmd: string, args: string[], cwd: string, env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

let tmp = "";
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.runIf(HAVE)("a clone of the repository alone", () => {
  it("finds the corpus-dependent test files", () => {
    expect(CORPUS_FILES).toContain("test/corpus.test.ts");
    expect(CORPUS_FILES.length).toBeGreaterThanOrEqual(9);
  });

  it("runs them: no failure, the corpus tests skipped, one skip line per file", async () => {
    tmp = mkdtempSync(join(tmpdir(), "pibkit-standalone-"));
    const clone = join(tmp, "pibkit");
    const c = git(["clone", "--quiet", REPO, clone], tmp);
    expect(c.status, c.stderr).toBe(0);
    // nothing beside the clone; this checkout's packages serve it
    expect(existsSync(join(tmp, "shared"))).toBe(false);
    symlinkSync(join(REPO, "node_modules"), join(clone, "node_modules"), "dir");
    const files = CORPUS_FILES.filter((f) => existsSync(join(clone, f))); // committed ones
    expect(files.length).toBeGreaterThanOrEqual(9);

    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("VITEST") && k !== "TEST") env[k] = v;
    Object.assign(env, {
      PIBKIT_SHARED: join(tmp, "no-such-folder"),
      PIBKIT_FUZZ_CASES: "5000",
      PIBKIT_ONBOARD_RUNS: "300",
      PIBKIT_ONBOARD_CASES: "4000",
      NO_COLOR: "1",
    });
    const reportPath = join(tmp, "report.json");
    // asynchronous: a worker blocked for minutes loses its messages to vitest
    const r = await run(
      process.execPath,
      [
        "node_modules/vitest/vitest.mjs",
        "run",
        ...files,
        "--reporter=default",
        "--reporter=json",
        `--outputFile=${reportPath}`,
        "--dangerouslyIgnoreUnhandledErrors",
      ],
      clone,
      env,
    );
    const output = r.stdout + r.stderr;
    const report = JSON.parse(readFileSync(reportPath, "utf8")) as Report;
    const failed = report.testResults.flatMap((f) => [
      ...(f.status === "failed" && f.message ? [`${f.name}: ${f.message}`] : []),
      ...f.assertionResults.filter((a) => a.status === "failed").map((a) => `${f.name} > ${a.title}: ${a.failureMessages[0] ?? ""}`),
    ]);
    expect(failed.map((s) => s.slice(0, 600))).toEqual([]);
    expect(report.numFailedTests).toBe(0);
    expect(r.status, output.slice(-4000)).toBe(0);
    expect(report.testResults).toHaveLength(files.length);
    expect(report.numPassedTests).toBeGreaterThan(0);
    expect(report.numPendingTests).toBeGreaterThan(files.length);
    expect(output).not.toMatch(/ENOENT/);
    const unhandled = output
      .split(/Unhandled Error ⎯+\n/)
      .slice(1)
      .map((chunk) => chunk.split("\n").find((l) => /^\w*Error\b/.test(l)) ?? chunk.slice(0, 200));
    expect(unhandled.filter((e) => !/\[vitest-worker\]: Timeout calling "onTaskUpdate"/.test(e))).toEqual([]);

    // One line per file in the reporter's output, naming the missing folder ...
    const lines = output.split("\n").filter((l) => l.startsWith(SKIP_PREFIX));
    expect(lines).toHaveLength(files.length);
    const missing = join(tmp, "no-such-folder", "corpus");
    for (const l of lines) expect(l).toBe(skipLine(l.slice(SKIP_PREFIX.length, l.lastIndexOf(" — ")), missing));
    // ... printed under each file's name, and a skipped test of that title in each file.
    for (const f of files) {
      expect(output, f).toMatch(new RegExp(`stderr \\| ${f.replace(/\./g, "\\.")}\\n(.*\\n)*?${SKIP_PREFIX}`));
      const res = report.testResults.find((x) => x.name.endsWith(f))!;
      const skips = res.assertionResults.filter((a) => a.title.startsWith(SKIP_PREFIX));
      expect(skips.map((a) => a.status), f).toEqual([expect.stringMatching(/^(skipped|pending)$/)]);
      expect(lines).toContain(skips[0]!.title);
    }
  }, 600_000);
});
