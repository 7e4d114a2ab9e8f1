/**
 * The repository root, found from this module's own location: `bench/` when run from
 * source (vitest), `dist/node/` when bundled into the CLI. The QuickJS bundles are
 * built from the sources under it, and the cost file is written there.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "pibkit") return dir;
    dir = dirname(dir);
  }
  throw new Error("pibkit bench: cannot find the pibkit repository root (package.json) above " + fileURLToPath(import.meta.url));
}
