import { relative } from "node:path";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { progressPlugin } from "./test/support/progress.js";

/**
 * Files that run long for their size, longest first (CPU seconds on a 2-core machine,
 * roughly: the clone-alone run and the two 4 KiB zero-allocation files 20–60 s each,
 * the engine and CLI files 10–40 s). Without a results cache (a fresh clone, CI)
 * vitest starts the largest files first, which would leave these small files for the
 * end, one worker busy and the other idle; started first, they let the many short
 * files fill in around them and both workers finish together.
 */
const LONG_FIRST = [
  "test/standalone.test.ts",
  "test/alloc-ground.test.ts",
  "test/alloc-bundles.test.ts",
  "test/engines.test.ts",
  "test/cli-bundle.test.ts",
  "test/alloc.test.ts",
  "test/cli-pib.test.ts",
  "test/cli-primitives.test.ts",
  "test/cli-bench.test.ts",
  "test/onboard-fuzz.test.ts",
];

class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification): number => {
      const i = LONG_FIRST.indexOf(relative(f.project.config.root, f.moduleId).split("\\").join("/"));
      return i < 0 ? LONG_FIRST.length : i;
    };
    return sorted.map((f, k) => ({ f, k })).sort((a, b) => rank(a.f) - rank(b.f) || a.k - b.k).map((x) => x.f);
  }
}

export default defineConfig({
  // a line every 15 s from a file still running (the default reporter prints a file only when it ends)
  plugins: [progressPlugin()],
  test: {
    include: ["test/**/*.test.ts", "sim/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    sequence: { sequencer: LongFirstSequencer },
    reporters: ["default"],
  },
});
