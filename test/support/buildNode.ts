/**
 * vitest globalSetup (vitest.config.ts): builds the Node CLI (`node targets/build/build.mjs
 * --node`, which bin/pibkit runs) once per vitest run, before any test file starts, so
 * the CLI tests run the current sources without each file rebuilding it. A failed build
 * fails the run with the build's stderr.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

export default function setup(): void {
  const root = join(import.meta.dirname, "..", "..");
  const b = spawnSync(process.execPath, ["targets/build/build.mjs", "--node"], { cwd: root, encoding: "utf8" });
  if (b.error) throw new Error(`node targets/build/build.mjs --node could not run: ${b.error.message}`);
  if (b.status !== 0) throw new Error(`node targets/build/build.mjs --node failed (exit ${b.status ?? b.signal}):\n${b.stderr}`);
}
