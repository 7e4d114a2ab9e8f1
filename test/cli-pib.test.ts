/**
 * `pibkit sign` and `pibkit verify` as a user runs them: bin/pibkit over the esbuild
 * output, exit codes 0/1/2, one stderr line naming the code, INSECURE shown.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { corpusPath, EX1_CRC, EX1_HMAC, EX1_MD5, EX1_UNSIGNED, EX2, hex, needsCorpus, toHex } from "./support/pibVectors.js";

const HAVE_CORPUS = needsCorpus("verify on DTN2's real PIB in block type 4 (corpus dtn2-pi2.bin)");

const KEY = "0102030405060708090a0b0c0d0e0f1011121314";
let dir = "";

function pibkit(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync("bin/pibkit", args, { encoding: "utf8" });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function file(name: string, hexText: string): string {
  const p = join(dir, name);
  writeFileSync(p, hex(hexText));
  return p;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "pibkit-cli-pib-"));
}, 60_000);

describe("pibkit sign", () => {
  for (const [suite, want] of [["insecure-crc32", EX1_CRC], ["insecure-md5", EX1_MD5], ["hmac", EX1_HMAC]] as const) {
    it(`--suite ${suite} writes example 1's bundle for that suite`, () => {
      const out = join(dir, `${suite}.bin`);
      const r = pibkit("sign", file("u.bin", EX1_UNSIGNED), out, "--suite", suite);
      expect(r.code, r.err).toBe(0);
      expect(toHex(new Uint8Array(readFileSync(out)))).toBe(want);
      expect(r.out).toMatch(suite === "hmac" ? /NULL key — no security/ : /INSECURE/);
    });
  }
  it("keyed HMAC needs --key; wrong usage exits 2 with one stderr line", () => {
    const u = file("u.bin", EX1_UNSIGNED);
    for (const args of [
      ["sign", u, join(dir, "x.bin"), "--suite", "hmac", "--key-id", "3"],
      ["sign", u, join(dir, "x.bin"), "--suite", "insecure-md5", "--key", KEY],
      ["sign", u, join(dir, "x.bin"), "--suite", "sha256"],
      ["sign", u, join(dir, "x.bin")],
      ["sign", u],
      ["sign", u, join(dir, "x.bin"), "--suite", "hmac", "--key-id", "3", "--key", "0102"],
      ["sign", u, join(dir, "x.bin"), "--suite", "hmac", "--profile", "nope"],
    ]) {
      const r = pibkit(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err.trim().split("\n"), args.join(" ")).toHaveLength(1);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    expect(pibkit("sign", u, join(dir, "x.bin"), "--suite", "hmac", "--key-id", "3", "--key", "0102").err).toMatch(/KeyBadLength/);
  });
  it("warns (once, on stderr, exit 0) when PIB-INSECURE-CRC32 covers 65535 bits or more (draft §3)", () => {
    const big = new Uint8Array(8192).fill(0x61);
    const p = hex(EX1_UNSIGNED).subarray(0, 50);
    const input = new Uint8Array([...p, 0x01, 0x08, 0xc0, 0x00, ...big]); // SDNV(8192) = c0 00
    const f = join(dir, "big.bin");
    writeFileSync(f, input);
    const r = pibkit("sign", f, join(dir, "bigc.bin"), "--suite", "insecure-crc32");
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/^pibkit sign: warning: .*65535 bits \(8191 octets\)\n$/);
    const small = pibkit("sign", file("u.bin", EX1_UNSIGNED), join(dir, "s.bin"), "--suite", "insecure-crc32");
    expect(small.err).toBe("");
    expect(pibkit("sign", f, join(dir, "bigm.bin"), "--suite", "insecure-md5").err).toBe("");
  });
  it("--sec-dest reproduces example 2's bundle; an EID not in the dictionary is a usage error", () => {
    const ex2 = hex(EX2);
    // Example 2 without its PIB: primary (61 octets) + payload (8).
    const unsigned = join(dir, "ex2u.bin");
    writeFileSync(unsigned, new Uint8Array([...ex2.subarray(0, 61), ...ex2.subarray(ex2.length - 8)]));
    const out = join(dir, "ex2s.bin");
    const r = pibkit("sign", unsigned, out, "--suite", "insecure-crc32", "--sec-dest", "dtn://relay/");
    expect(r.code, r.err).toBe(0);
    expect(toHex(new Uint8Array(readFileSync(out)))).toBe(EX2);
    const bad = pibkit("sign", unsigned, out, "--suite", "insecure-crc32", "--sec-dest", "dtn://elsewhere/");
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/not in the bundle's dictionary/);
  });
  it("a malformed input names its code and exits 2", () => {
    const r = pibkit("sign", file("t.bin", EX1_UNSIGNED.slice(0, 40)), join(dir, "x.bin"), "--suite", "insecure-crc32");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/PrimaryTruncated|PrimaryLengthMismatch|Sdnv/);
  });
  it("--help on sign and verify", () => {
    for (const cmd of ["sign", "verify"]) {
      const r = pibkit(cmd, "--help");
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/usage: pibkit/);
      expect(r.out).toMatch(/INSECURE/);
    }
  });
});

describe("pibkit verify", () => {
  it("exit 0 and one line per PIB, INSECURE shown", () => {
    const r = pibkit("verify", file("c.bin", EX1_CRC));
    expect(r.code, r.err).toBe(0);
    expect(r.out.trim().split("\n")).toEqual(["PIB block 0 @50: PIB-INSECURE-CRC32 (suite 6) covers payload 0+12 result 0af5e181: ok"]);
    const h = pibkit("verify", file("h.bin", EX1_HMAC));
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/PIB-HMAC \(NULL key — no security\) \(suite 4, key id 0\).*: ok/);
  });
  it("exit 1 on a mismatch", () => {
    const bad = hex(EX1_CRC);
    bad[bad.length - 1]! ^= 0x20; // "Hello, worlD"
    const p = join(dir, "bad.bin");
    writeFileSync(p, bad);
    const r = pibkit("verify", p);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/MISMATCH/);
  });
  it("keyed HMAC: --key ID=HEX verifies; missing key exits 2; wrong key exits 1", () => {
    const out = join(dir, "k.bin");
    expect(pibkit("sign", file("u.bin", EX1_UNSIGNED), out, "--suite", "hmac", "--key-id", "9", "--key", KEY).code).toBe(0);
    expect(pibkit("verify", out, "--key", `9=${KEY}`).code).toBe(0);
    const missing = pibkit("verify", out);
    expect(missing.code).toBe(2);
    expect(missing.out).toMatch(/unknown key/);
    expect(pibkit("verify", out, "--key", `9=${KEY.slice(0, -1)}5`).code).toBe(1);
    expect(pibkit("verify", out, "--key", "9").code).toBe(2);
  });
  it("--profile: a dtn2-signed bundle verifies only under dtn2", () => {
    const out = join(dir, "d.bin");
    expect(pibkit("sign", file("u.bin", EX1_UNSIGNED), out, "--suite", "insecure-md5", "--profile", "dtn2").code).toBe(0);
    expect(pibkit("verify", out, "--profile", "dtn2").code).toBe(0);
    expect(pibkit("verify", out).code).toBe(1);
  });
  it("--suite-ids and --accept-bare are accepted", () => {
    const out = join(dir, "ids.bin");
    expect(pibkit("sign", file("u.bin", EX1_UNSIGNED), out, "--suite", "insecure-crc32", "--suite-ids", "200,201,202").code).toBe(0);
    expect(pibkit("verify", out, "--suite-ids", "200,201,202", "--accept-bare").code).toBe(0);
    expect(pibkit("verify", out).code).toBe(2);
    expect(pibkit("verify", out, "--suite-ids", "1,1,2").code).toBe(2);
  });
  it("example 2's fragment verifies; no PIB and malformed input exit 2", () => {
    expect(pibkit("verify", file("ex2.bin", EX2)).code).toBe(0);
    const none = pibkit("verify", file("u.bin", EX1_UNSIGNED));
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/NoPib/);
    const trunc = pibkit("verify", file("t.bin", EX1_CRC.slice(0, 100)));
    expect(trunc.code).toBe(2);
    expect(trunc.err.trim().split("\n")).toHaveLength(1);
  });
  it.runIf(HAVE_CORPUS)("a foreign PIB (DTN2's PIB-RSA-SHA256 in block type 4) exits 2, named", () => {
    const dtn2 = pibkit("verify", corpusPath("dtn2-pi2.bin"));
    expect(dtn2.code).toBe(2);
    expect(dtn2.out).toMatch(/PIB-RSA-SHA256.*DTN2 PIB in block type 4.*unknown suite/);
  });
});
