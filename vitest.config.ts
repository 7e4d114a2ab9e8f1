import { defineConfig } from "vitest/config";
import { progressPlugin } from "./test/support/progress.js";
import { LongFirstSequencer } from "./test/support/sequencer.js";

export default defineConfig({
  // a line every 15 s from a file still running (the default reporter prints a file only when it ends)
  plugins: [progressPlugin()],
  test: {
    include: ["test/**/*.test.ts", "sim/**/*.test.ts"],
    // the Node CLI (bin/pibkit) built once per run, before any file starts; one
    // temporary folder for the run, removed at its end
    globalSetup: ["./test/support/buildNode.ts", "./test/support/tempRoot.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // slow small files first, so both workers stay busy to the end
    sequence: { sequencer: LongFirstSequencer },
    reporters: ["default"],
  },
});
