/**
 * `pibkit verify FILE…` and `pibkit inspect FILE…`: many bundles in one process (a
 * ground station's pass of downlinked bundles): verify prints one line per PIB
 * prefixed with its file, inspect one dump per file (with --json one array); a file
 * that cannot be read or parsed is reported on stderr while the others are still
 * done, and the exit status is the worst of the files' (2 malformed > 1 mismatch > 0 ok).
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";

const PIBKIT = join(import.meta.dirname, "..", "bin", "pibkit");
const run = (args: string[], input?: Buffer) => spawnSync(PIBKIT, args, { encoding: "utf8", input });
let dir = "";

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "pibkit-verify-many-"));
  const b = join(dir, "plain.bin");
  expect(run(["make-bundle", b, "--src", "dtn://a/x", "--dst", "dtn://b/y", "--payload", "hello, ground"]).status).toBe(0);
  for (const suite of ["insecure-crc32", "insecure-md5", "hmac"]) expect(run(["sign", b, join(dir, `${suite}.bin`), "--suite", suite]).status).toBe(0);
  // the last payload octet flipped: still well-formed, the checksum no longer matches
  const bad = readFileSync(join(dir, "insecure-crc32.bin"));
  bad[bad.length - 1]! ^= 0x01;
  writeFileSync(join(dir, "flipped.bin"), bad);
}, 120_000);

describe("verify FILE…", () => {
  test("all good: one prefixed line per file, exit 0", () => {
    const files = ["insecure-crc32", "insecure-md5", "hmac"].map((s) => join(dir, `${s}.bin`));
    const r = run(["verify", ...files]);
    expect(r.stderr).toBe("");
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    for (const [k, f] of files.entries()) expect(lines[k]).toMatch(new RegExp(`^${f.replace(/[.+]/g, "\\$&")}: PIB block 0 @\\d+: .*: ok$`));
    expect(r.status).toBe(0);
  });
  test("a mismatch among good files: exit 1, the others still reported", () => {
    const r = run(["verify", join(dir, "hmac.bin"), join(dir, "flipped.bin"), join(dir, "insecure-md5.bin")]);
    expect(r.stdout).toMatch(/flipped\.bin: PIB block 0 .*MISMATCH/);
    expect(r.stdout.trim().split("\n")).toHaveLength(3);
    expect(r.status).toBe(1);
  });
  test("a malformed or missing file: its error on stderr naming it, the rest checked, exit 2", () => {
    const r = run(["verify", join(dir, "flipped.bin"), join(dir, "plain.bin"), join(dir, "none.bin"), join(dir, "hmac.bin")]);
    const err = r.stderr.trim().split("\n");
    expect(err).toHaveLength(2);
    expect(err[0]).toMatch(/plain\.bin: NoPib \(E\d+\)/);
    expect(err[1]).toMatch(/cannot read .*none\.bin: ENOENT/);
    expect(r.stdout).toMatch(/hmac\.bin: PIB block 0 .*: ok/);
    expect(r.status).toBe(2);
  });
  test("stdin among files, and only once", () => {
    const r = run(["verify", "-", join(dir, "hmac.bin")], readFileSync(join(dir, "insecure-md5.bin")));
    expect(r.stdout).toMatch(/^stdin: PIB block 0 .*: ok$/m);
    expect(r.status).toBe(0);
    const twice = run(["verify", "-", "-"]);
    expect(twice.stderr.trim()).toMatch(/^pibkit verify: error: stdin \(-\) can be read only once$/);
    expect(twice.status).toBe(2);
  });
  test("one file: lines as before, without a prefix", () => {
    const r = run(["verify", join(dir, "hmac.bin")]);
    expect(r.stdout).toMatch(/^PIB block 0 @\d+: /);
    expect(r.status).toBe(0);
  });
  test("options between the files: each value taken as its option's, the files checked in the order given", () => {
    const [a, b, c] = ["insecure-crc32", "insecure-md5", "hmac"].map((s) => join(dir, `${s}.bin`));
    // a file named like the profile beside one: the word after --profile is the option's value, never a file
    copyFileSync(join(dir, "hmac.bin"), join(dir, "rfc6257"));
    const r = spawnSync(PIBKIT, ["verify", b!, "--profile", "rfc6257", a!, "--accept-bare", c!], { encoding: "utf8", cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim().split("\n").map((l) => l.slice(0, l.indexOf(": ")))).toEqual([b, a, c]);
    expect(r.status).toBe(0);
    const bad = run(["verify", a!, "--profile", "nonesuch", c!]);
    expect(bad.stderr).toMatch(/--profile/);
    expect(bad.stdout).toBe("");
    expect(bad.status).toBe(2);
  });
  test("a named pipe among files: read until its writer closes it, whatever its pieces", () => {
    if (process.platform === "win32") return;
    const fifo = join(dir, "pipe.bin");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    // the writer hands the bundle over in two parts with a pause between them: a short read
    // of a pipe is not its end (a positional read of it fails: ESPIPE, then read in order)
    const whole = readFileSync(join(dir, "insecure-md5.bin"));
    const cut = 20;
    writeFileSync(join(dir, "part1"), whole.subarray(0, cut));
    writeFileSync(join(dir, "part2"), whole.subarray(cut));
    // a process of its own: spawnSync below holds this one's event loop
    const writer = spawn("sh", ["-c", "(cat part1; sleep 0.3; cat part2) > pipe.bin"], { cwd: dir, stdio: "ignore" });
    const r = run(["verify", join(dir, "hmac.bin"), fifo]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/pipe\.bin: PIB block 0 @\d+: PIB-INSECURE-MD5 .*: ok$/m);
    expect(r.status).toBe(0);
    writer.kill();
  });
  test("a reader that stops early (| head -1): the first line, no error", () => {
    // 2,000 lines: more than one 64 KiB write, so writes go on after the reader has gone
    const files = Array.from({ length: 2000 }, () => "hmac.bin").join(" ");
    const r = spawnSync("sh", ["-c", `"${PIBKIT}" verify ${files} | head -1`], { encoding: "utf8", cwd: dir });
    expect(r.stdout).toMatch(/^hmac\.bin: PIB block 0 @\d+: .*: ok\n$/);
    expect(r.stderr).toBe("");
  });
});

describe("inspect FILE…", () => {
  test("a dump per file in the order given, a blank line between; a missing or malformed one on stderr, the rest shown, exit 2", () => {
    // the last 5 octets cut off: malformed, dumped up to the field that failed
    writeFileSync(join(dir, "cut.bin"), readFileSync(join(dir, "hmac.bin")).subarray(0, -5));
    const files = ["hmac", "plain", "none", "cut", "flipped"].map((s) => join(dir, `${s}.bin`));
    const r = run(["inspect", ...files]);
    const heads = r.stdout.split("\n").filter((l) => /: (RFC 5050 bundle|NOT a well-formed)/.test(l));
    // plain.bin parses (no PIB is no error for inspect); none.bin cannot be read
    expect(heads.map((l) => l.slice(0, l.indexOf(": ")))).toEqual([files[0], files[1], files[3], files[4]]);
    expect(heads[2]).toMatch(/cut\.bin: NOT a well-formed RFC 5050 bundle/);
    expect(r.stdout.split("\n\n")).toHaveLength(4);
    expect(r.stdout).toMatch(/flipped\.bin: RFC 5050 bundle[^]*verdict: MISMATCH/);
    expect(r.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^pibkit inspect: error: cannot read .*none\.bin: ENOENT/),
      expect.stringMatching(/^pibkit inspect: error: .*cut\.bin: \w+ \(E\d+\) at byte \d+/),
    ]);
    expect(r.status).toBe(2);
    // one file alone: as before, and exit 0
    const one = run(["inspect", files[0]!]);
    expect(one.stdout).toBe(r.stdout.split("\n\n")[0] + "\n");
    expect(one.status).toBe(0);
  });
  test("--json: one array, each object with its file (the same fields as one file's object), an unreadable one with its error", () => {
    const [a, none, b] = ["insecure-crc32", "none", "hmac"].map((s) => join(dir, `${s}.bin`));
    const r = run(["inspect", "--json", a!, none!, b!]);
    const arr = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(arr.map((x) => x["file"])).toEqual([a, none, b]);
    expect(arr[1]).toEqual({ file: none, error: expect.stringMatching(/cannot read .*none\.bin: ENOENT/) });
    const alone = JSON.parse(run(["inspect", "--json", a!]).stdout) as Record<string, unknown>;
    expect(arr[0]).toEqual({ file: a, ...alone });
    expect((arr[2]!["pibs"] as Array<Record<string, unknown>>)[0]!["verdict"]).toBe("ok");
    expect(r.status).toBe(2);
    // stdin among files, named "stdin"; and only once
    const s = run(["inspect", "--json", "-", b!], readFileSync(a!));
    expect((JSON.parse(s.stdout) as Array<Record<string, unknown>>).map((x) => x["file"])).toEqual(["stdin", b]);
    expect(s.status).toBe(0);
    expect(run(["inspect", "-", "-"]).stderr.trim()).toBe("pibkit inspect: error: stdin (-) can be read only once");
  });
  test("a reader that stops early (| head -1): the first line, no error", () => {
    const files = Array.from({ length: 500 }, () => "hmac.bin").join(" ");
    const r = spawnSync("sh", ["-c", `"${PIBKIT}" inspect ${files} | head -1`], { encoding: "utf8", cwd: dir });
    expect(r.stdout).toMatch(/^hmac\.bin: RFC 5050 bundle, \d+ octets/);
    expect(r.stderr).toBe("");
  });
});
