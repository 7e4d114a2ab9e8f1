/**
 * A stdout that cannot take the output (a full disk: /dev/full gives ENOSPC on every
 * write) is one error line and exit 2 for every command, never a Node stack trace or
 * an "internal error" (a reader that closes a report early, `| head`, is not an error:
 * test/cli-verify-many.test.ts).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EX1_CRC, hex } from "./support/pibVectors.js";

const full = existsSync("/dev/full");

function toFull(args: string[]): { code: number | null; err: string } {
  const fd = openSync("/dev/full", "w");
  try {
    const r = spawnSync("bin/pibkit", args, { encoding: "utf8", stdio: ["ignore", fd, "pipe"] });
    return { code: r.status, err: r.stderr };
  } finally {
    closeSync(fd);
  }
}

describe.skipIf(!full)("stdout on a full disk (/dev/full)", () => {
  const dir = mkdtempSync(join(tmpdir(), "pibkit-stdout-"));
  const bundle = join(dir, "ex1.bin");
  writeFileSync(bundle, hex(EX1_CRC));
  const cases: string[][] = [
    ["--help"],
    ["--version"],
    ["verify", "--help"],
    ["digest", "--alg", "md5", bundle],
    ["sdnv", "encode", "5"],
    ["verify", bundle],
    ["verify", bundle, bundle],
    ["inspect", bundle],
    ["inspect", "--json", bundle],
    ["sign", bundle, "-", "--suite", "insecure-md5"],
    ["make-bundle", "-", "--src", "dtn://a/b", "--dst", "dtn://c/d", "--payload", "x"],
    ["sim", "--scenario", "test-tiny", "--days", "0.1", "--quiet"],
  ];
  for (const args of cases) {
    it(`pibkit ${args.map((a) => (a === bundle ? "FILE" : a)).join(" ")}: one line, exit 2`, () => {
      const r = toFull(args);
      expect(r.err).toMatch(/^pibkit \S+: error: cannot write stdout: ENOSPC \(no space left on the device\)\n$/);
      expect(r.code).toBe(2);
    });
  }
  it("cleans up", () => rmSync(dir, { recursive: true }));
});
