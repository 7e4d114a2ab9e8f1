/**
 * `pibkit digest` and `pibkit sdnv` as a user runs them (bin/pibkit over the esbuild
 * output): known values, stdin, files larger than the 64 KiB chunk, keys, and every
 * kind of bad input → exit 2 with one stderr line naming the problem, no stack trace.
 */
import { createHash, createHmac } from "node:crypto";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

let dir = "";
beforeAll(() => {
  execFileSync("node", ["targets/build.mjs", "--node"], { stdio: "ignore" });
  dir = mkdtempSync(join(tmpdir(), "pibkit-cli-prim-"));
});

function pibkit(args: string[], input?: Uint8Array): { code: number; out: string; err: string } {
  const r = spawnSync("bin/pibkit", args, { encoding: "utf8", input });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}
function file(name: string, data: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}
function ok(args: string[], input?: Uint8Array): string {
  const r = pibkit(args, input);
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  return r.out;
}
function bad(args: string[], pattern: RegExp): void {
  const r = pibkit(args);
  expect(r.code, r.out + r.err).toBe(2);
  expect(r.out).toBe("");
  expect(r.err.trimEnd().split("\n"), r.err).toHaveLength(1);
  expect(r.err).not.toMatch(/\n\s+at /);
  expect(r.err).toMatch(pattern);
}

describe("pibkit digest", () => {
  const CHECK: Array<[string, string]> = [
    ["crc32c", "e3069283"],
    ["md5", "25f9e794323b453885f5181f1b624d0b"],
    ["sha1", "f7c3bc1d808e04732adf679965ccc34ca7ae3441"],
    ["hmac-sha1", "08bbc420ca6d6d6f05b115f82bf4341a444c377e"], // NULL key, bundle-checksum.md §6.5
    ["hmac-sha1-80", "08bbc420ca6d6d6f05b1"],
  ];
  it('prints lowercase hex for "123456789" from a file and from stdin', () => {
    const f = file("check.txt", "123456789");
    for (const [alg, want] of CHECK) {
      expect(ok(["digest", "--alg", alg, f]), alg).toBe(want + "\n");
      expect(ok(["digest", "--alg", alg, "-"], Buffer.from("123456789")), alg + " stdin").toBe(want + "\n");
    }
  });
  it("empty input", () => {
    const f = file("empty", "");
    expect(ok(["digest", "--alg", "crc32c", f])).toBe("00000000\n");
    expect(ok(["digest", "--alg", "md5", f])).toBe("d41d8cd98f00b204e9800998ecf8427e\n");
    expect(ok(["digest", "--alg", "hmac-sha1", f])).toBe("01e54e5e8c6287eeeeacfdd7d205589f201d3a1a\n");
  });
  it("streams files larger than one 64 KiB chunk (3 chunks + 1,001 octets) like node:crypto", () => {
    const data = Uint8Array.from({ length: 3 * 65536 + 1001 }, (_, i) => (i * 2654435761) >>> 24);
    const f = file("big.bin", data);
    expect(ok(["digest", "--alg", "md5", f])).toBe(createHash("md5").update(data).digest("hex") + "\n");
    expect(ok(["digest", "--alg", "sha1", "-"], data)).toBe(createHash("sha1").update(data).digest("hex") + "\n");
    const key = Buffer.from("00112233445566778899aabbccddeeff", "hex");
    expect(ok(["digest", "--alg", "hmac-sha1", "--key", key.toString("hex"), f])).toBe(
      createHmac("sha1", key).update(data).digest("hex") + "\n",
    );
    // crc32c against the CRC of §6.1's definition, computed bit by bit here
    let c = 0xffffffff;
    for (const b of data) {
      c ^= b;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    }
    expect(ok(["digest", "--alg", "crc32c", f])).toBe(((c ^ 0xffffffff) >>> 0).toString(16).padStart(8, "0") + "\n");
  });
  it("--key: RFC 2202 case 2 and a key longer than the block (case 6)", () => {
    const f2 = file("case2", "what do ya want for nothing?");
    expect(ok(["digest", "--alg", "hmac-sha1", "--key", "4a656665", f2])).toBe("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79\n");
    expect(ok(["digest", "--alg", "hmac-sha1-80", "--key", "4a656665", f2])).toBe("effcdf6ae5eb2fa2d274\n");
    const f6 = file("case6", "Test Using Larger Than Block-Size Key - Hash Key First");
    expect(ok(["digest", "--alg", "hmac-sha1", "--key", "aa".repeat(80), f6])).toBe("aa4ae5e15272d00e95705637ce8a3b55ed402112\n");
  });
  it("--help", () => {
    const out = ok(["digest", "--help"]);
    expect(out).toMatch(/--alg/);
    expect(out).toMatch(/NULL key/);
  });
  it("bad usage and unreadable input: exit 2, one line", () => {
    const f = file("x", "x");
    bad(["digest", f], /--alg is required/);
    bad(["digest", "--alg", "sha256", f], /unknown --alg "sha256"/);
    bad(["digest", "--alg", "md5"], /exactly one FILE/);
    bad(["digest", "--alg", "md5", f, f], /exactly one FILE/);
    bad(["digest", "--alg", "md5", "--key", "00", f], /--key applies to hmac/);
    bad(["digest", "--alg", "hmac-sha1", "--key", "abc", f], /hex digits/);
    bad(["digest", "--alg", "hmac-sha1", "--key", "zz", f], /hex digits/);
    bad(["digest", "--alg", "md5", join(dir, "does-not-exist")], /ENOENT/);
    bad(["digest", "--alg", "md5", dir], /EISDIR/);
    bad(["digest", "--alg", "md5", "--bogus", f], /bogus/);
  });
});

describe("pibkit sdnv", () => {
  // bundle-checksum.md §1.3, a selection from 1 to 10 octets (test/sdnv.test.ts has all of it)
  const TABLE: Array<[string, string]> = [
    ["0", "00"],
    ["128", "8100"],
    ["16948", "818434"],
    ["4294967295", "8fffffff7f"],
    ["9007199254740991", "8fffffffffffff7f"],
    ["9223372036854775807", "ffffffffffffffff7f"],
    ["9223372036854775808", "81808080808080808000"],
    ["18446744073709551615", "81ffffffffffffffff7f"],
  ];
  it("encode and decode the §1.3 table exactly, beyond 2^53 too", () => {
    for (const [dec, hex] of TABLE) {
      expect(ok(["sdnv", "encode", dec]), dec).toBe(hex + "\n");
      expect(ok(["sdnv", "decode", hex]), hex).toBe(dec + "\n");
    }
  });
  it("decode accepts padded forms and spaced or colon-separated hex", () => {
    expect(ok(["sdnv", "decode", "80 80 01"])).toBe("1\n");
    expect(ok(["sdnv", "decode", "80:00"])).toBe("0\n");
    expect(ok(["sdnv", "decode", "81 84 34"])).toBe("16948\n");
    expect(ok(["sdnv", "encode", "000128"])).toBe("8100\n");
  });
  it("--help on the command and both subcommands", () => {
    expect(ok(["sdnv", "--help"])).toMatch(/encode VALUE/);
    expect(ok(["sdnv", "encode", "--help"])).toMatch(/decimal/);
    expect(ok(["sdnv", "decode", "-h"])).toMatch(/SdnvTooLong/);
  });
  it("malformed SDNVs: exit 2 naming the code", () => {
    bad(["sdnv", "decode", "81"], /SdnvTruncated/);
    bad(["sdnv", "decode", "ffff"], /SdnvTruncated/);
    bad(["sdnv", "decode", ""], /SdnvTruncated/);
    bad(["sdnv", "decode", "82808080808080808000"], /SdnvOverflow/); // 2^64
    bad(["sdnv", "decode", "80808080808080808001"], /SdnvOverflow/); // 10 octets not starting 0x81
    bad(["sdnv", "decode", "8080808080808080808001"], /SdnvTooLong/); // 11 octets
    bad(["sdnv", "decode", "953c00"], /octet\(s\) after the SDNV/);
    bad(["sdnv", "decode", "95 3"], /hex digits/);
  });
  it("bad VALUEs and usage: exit 2, one line", () => {
    bad(["sdnv", "encode", "18446744073709551616"], /above 2\^64-1/);
    bad(["sdnv", "encode", "99999999999999999999999"], /above 2\^64-1/);
    bad(["sdnv", "encode", "1.5"], /decimal integer/);
    bad(["sdnv", "encode", "0x10"], /decimal integer/);
    bad(["sdnv", "encode", " 1"], /decimal integer/);
    bad(["sdnv", "encode", ""], /decimal integer/);
    bad(["sdnv", "encode", "-1"], /-1/);
    bad(["sdnv", "encode"], /exactly one VALUE/);
    bad(["sdnv", "encode", "1", "2"], /exactly one VALUE/);
    bad(["sdnv"], /missing subcommand/);
    bad(["sdnv", "negate", "1"], /unknown subcommand/);
  });
});
