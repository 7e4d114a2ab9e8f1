// The project root: the nearest folder up from this file whose package.json is pibkit's.
// One finder for every tool that reads files of the repository (the build, the bench, the
// simulator's scenarios and firmware, `--version`): the ground tools are bundled into
// dist/node/cli/, so a path fixed relative to a source file would be wrong in the bundle,
// and the working directory is wherever the user stands.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root;

/** The repository root (memoized); throws when no pibkit package.json is above this file. */
export function repoRoot() {
  if (root !== undefined) return root;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let d = start, i = 0; i < 8; i++, d = dirname(d)) {
    const pkg = join(d, "package.json");
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, "utf8")).name === "pibkit") return (root = d);
  }
  throw new Error(`cannot find the pibkit repository (a package.json named pibkit) above ${start}`);
}
