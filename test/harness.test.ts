/**
 * The test run's own machinery (vitest.config.ts): progress lines from long files, and
 * the order files start in so that both workers stay busy to the end.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { TestCase, TestModule, TestSpecification, Vitest } from "vitest/node";
import { ProgressReporter } from "./support/progress.js";
import { LONG_FIRST, LongFirstSequencer } from "./support/sequencer.js";
import { REPO } from "./support/shared.js";

describe("progress lines", () => {
  let lines: string[];
  let r: ProgressReporter;
  const mod = (id: string, tests: number) => ({ moduleId: `/repo/${id}`, children: { allTests: () => Array.from({ length: tests }, () => ({}))[Symbol.iterator]() } }) as unknown as TestModule;
  const tc = (m: TestModule, fullName: string) => ({ module: m, fullName }) as unknown as TestCase;
  beforeEach(() => {
    vi.useFakeTimers();
    lines = [];
    r = new ProgressReporter();
    r.onInit({ config: { root: "/repo" }, logger: { log: (s: string) => lines.push(s) } } as unknown as Vitest);
  });
  afterEach(() => {
    r.onTestRunEnd();
    vi.useRealTimers();
  });

  test("a file that ends within 15 s prints nothing", () => {
    const m = mod("test/quick.test.ts", 2);
    r.onTestModuleQueued(m);
    r.onTestModuleCollected(m);
    vi.advanceTimersByTime(14_000);
    r.onTestModuleEnd(m);
    vi.advanceTimersByTime(60_000);
    expect(lines).toEqual([]);
  });

  test("a long file prints every 15 s how far it is and what runs, until it ends", () => {
    const m = mod("test/slow.test.ts", 3);
    r.onTestModuleQueued(m);
    vi.advanceTimersByTime(15_000);
    expect(lines).toEqual(["progress: test/slow.test.ts: loading after 15 s"]);
    r.onTestModuleCollected(m);
    r.onTestCaseReady(tc(m, "a > one"));
    r.onTestCaseResult(tc(m, "a > one"));
    r.onTestCaseReady(tc(m, "a > two"));
    vi.advanceTimersByTime(14_000);
    expect(lines).toHaveLength(1);
    vi.advanceTimersByTime(1_000);
    expect(lines[1]).toBe("progress: test/slow.test.ts: 1/3 tests done after 30 s; running: a > two");
    r.onTestModuleEnd(m);
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(2);
  });
});

describe("file order", () => {
  const spec = (rel: string) => ({ moduleId: `/repo/${rel}`, project: { name: "", config: { root: "/repo" } } }) as unknown as TestSpecification;
  const sizes: Record<string, number> = { "test/big.test.ts": 30_000, "test/mid.test.ts": 9_000, "test/alloc-ground.test.ts": 900, "test/standalone.test.ts": 6_000, "test/tiny.test.ts": 500 };
  // no results cache, as on a fresh clone: vitest alone would go by size
  const ctx = { config: { root: "/repo" }, cache: { getFileTestResults: () => undefined, getFileStats: (key: string) => ({ size: sizes[key.replace(/^:/, "")] }) } };

  test("the slow files named in LONG_FIRST start first, in its order; the rest keep vitest's order (largest first)", async () => {
    const seq = new LongFirstSequencer(ctx as unknown as Vitest);
    const order = (await seq.sort(Object.keys(sizes).map(spec))).map((s) => s.moduleId.replace("/repo/", ""));
    expect(order).toEqual(["test/standalone.test.ts", "test/alloc-ground.test.ts", "test/big.test.ts", "test/mid.test.ts", "test/tiny.test.ts"]);
  });

  test("every file LONG_FIRST names exists (a renamed file would silently lose its place)", () => {
    for (const f of LONG_FIRST) expect(existsSync(join(REPO, f)), f).toBe(true);
  });
});
