/**
 * Output folders of the simulator's commands: created as `mkdir -p` does and checked
 * to be writable before a run starts, so a bad path is a usage error at once.
 */
import { mkdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { isCliError, usageError } from "./common.js";

/**
 * `mkdir -p`, one level at a time from the root: Node's recursive mkdirSync never
 * returns on some paths it cannot create (under /proc). A level that exists already —
 * made before, or just now by a shard started alongside — is fine if it is a folder.
 */
export function makeDirs(abs: string): void {
  const levels: string[] = [];
  for (let d = abs; ; d = dirname(d)) {
    levels.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of levels) {
    try {
      mkdirSync(d);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if ((code === "EEXIST" || code === "EISDIR") && statSync(d).isDirectory()) continue;
      throw e;
    }
  }
}

/**
 * Checks before the run that `--out DIR` can take the files, creating DIR (and its
 * parents) as `mkdir -p` does: a bad path is a usage error at once, not after hours.
 */
export function checkOut(dir: string | undefined): void {
  if (dir === undefined) return;
  if (dir === "") usageError("--out needs a directory name");
  try {
    makeDirs(resolve(dir));
    // A file written and removed: permission bits alone do not tell (root, read-only mounts).
    const probe = join(dir, `.pibkit-sim-write-check-${process.pid}`);
    writeFileSync(probe, "");
    unlinkSync(probe);
  } catch (e) {
    if (isCliError(e)) throw e;
    const code = (e as { code?: string }).code;
    const why =
      code === "ENOTDIR" || code === "EEXIST" ? "a file stands in the path (--out wants a directory)"
      : code === "EACCES" || code === "EPERM" ? "no permission to create or write it"
      : code === "EROFS" ? "on a read-only file system"
      : `cannot be created (${code ?? (e as Error).message})`;
    usageError(`--out ${dir}: ${why}`);
  }
}
