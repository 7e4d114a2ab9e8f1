/**
 * The order vitest starts test files in (vitest.config.ts `sequence.sequencer`).
 *
 * Files that run long, longest first (measured one file at a time on a 2-core
 * machine: the clone-alone run and the CLI files 20–60 s of CPU each, the engine,
 * size, Moddable-stack and 4 KiB zero-allocation files 10–20 s). Without a results cache (a fresh
 * clone, CI) vitest starts the largest files first, which would leave the small but
 * slow files for the end, one worker busy and the other idle; started first, they let
 * the many short files fill in around them and both workers finish together.
 */
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

export const LONG_FIRST = [
  "test/standalone.test.ts",
  "test/cli-bundle.test.ts",
  "test/cli-usage.test.ts",
  "test/cli-primitives.test.ts",
  "test/cli-pib.test.ts",
  "test/cli-bench.test.ts",
  "test/engines.test.ts",
  "test/size.test.ts",
  "test/moddable-stack.test.ts",
  "test/alloc-ground.test.ts",
  "test/alloc-bundles.test.ts",
  "test/onboard-fuzz.test.ts",
  "test/alloc.test.ts",
];

/** Vitest's own order (cached durations, else size), with LONG_FIRST moved to the front in its order. */
export class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification): number => {
      const i = LONG_FIRST.indexOf(relative(f.project.config.root, f.moduleId).split("\\").join("/"));
      return i < 0 ? LONG_FIRST.length : i;
    };
    return sorted.map((f, k) => ({ f, k })).sort((a, b) => rank(a.f) - rank(b.f) || a.k - b.k).map((x) => x.f);
  }
}
