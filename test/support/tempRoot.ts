/**
 * vitest globalSetup (vitest.config.ts): one temporary folder for the whole run, made the
 * TMPDIR of every test worker and of every process the tests start (`os.tmpdir()` and
 * `mkdtemp` read it; so do Chromium and the CLI), and removed when the run ends. Test
 * files make their folders with mkdtemp and many leave them for inspection after a
 * failure; without this, each `make test` left a few hundred of them in /tmp.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), "pibkit-test-run-"));
  const before = process.env["TMPDIR"];
  // set before vitest starts its worker processes, which inherit it
  process.env["TMPDIR"] = root;
  return () => {
    if (before === undefined) delete process.env["TMPDIR"];
    else process.env["TMPDIR"] = before;
    rmSync(root, { recursive: true, force: true });
  };
}
