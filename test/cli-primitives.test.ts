/**
 * `pibkit digest` and `pibkit sdnv` as a user runs them (bin/pibkit over the esbuild
 * output): known values, stdin, files larger than the 1 MiB chunk, keys, and every
 * kind of bad input → exit 2 with one stderr line naming the problem, no stack trace.
 */
import { createHash, createHmac } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { crc32cBitSerial } from "./digestHelpers.js";

let dir = "";
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "pibkit-cli-prim-"));
});

interface Run {
  code: number;
  out: string;
  err: string;
}
/** Runs bin/pibkit; async so a test can start its runs together (each is a Node start-up). */
function pibkit(args: string[], input?: Uint8Array): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile("bin/pibkit", args, { encoding: "utf8", maxBuffer: 1 << 20 }, (err, out, errText) => {
      const code = err ? ((err as { code?: unknown }).code as number) : 0;
      resolve({ code: typeof code === "number" ? code : -1, out, err: errText });
    });
    child.stdin!.on("error", () => {}); // EPIPE when the command exits without reading stdin
    child.stdin!.end(input ?? new Uint8Array(0));
  });
}
function file(name: string, data: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}
async function ok(args: string[], input?: Uint8Array): Promise<string> {
  const r = await pibkit(args, input);
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  return r.out;
}
async function bad(args: string[], pattern: RegExp): Promise<void> {
  const r = await pibkit(args);
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
    ["hmac-sha1", "08bbc420ca6d6d6f05b115f82bf4341a444c377e"], // NULL key (RFC 5327 §2.1)
    ["hmac-sha1-80", "08bbc420ca6d6d6f05b1"],
  ];
  it('prints lowercase hex for "123456789" from a file and from stdin', async () => {
    const f = file("check.txt", "123456789");
    await Promise.all(
      CHECK.flatMap(([alg, want]) => [
        ok(["digest", "--alg", alg, f]).then((out) => expect(out, alg).toBe(want + "\n")),
        ok(["digest", "--alg", alg, "-"], Buffer.from("123456789")).then((out) => expect(out, alg + " stdin").toBe(want + "\n")),
      ]),
    );
  });
  it("empty input", async () => {
    const f = file("empty", "");
    const outs = await Promise.all(["crc32c", "md5", "hmac-sha1"].map((alg) => ok(["digest", "--alg", alg, f])));
    expect(outs).toEqual(["00000000\n", "d41d8cd98f00b204e9800998ecf8427e\n", "01e54e5e8c6287eeeeacfdd7d205589f201d3a1a\n"]);
  });
  it("streams files larger than one 1 MiB chunk (2 chunks + 1,001 octets) like node:crypto", async () => {
    const data = Uint8Array.from({ length: 2 * 1048576 + 1001 }, (_, i) => (i * 2654435761) >>> 24);
    const f = file("big.bin", data);
    const key = Buffer.from("00112233445566778899aabbccddeeff", "hex");
    // crc32c against the CRC of its definition, computed bit by bit
    const c = crc32cBitSerial(data);
    const outs = await Promise.all([
      ok(["digest", "--alg", "md5", f]),
      ok(["digest", "--alg", "sha1", "-"], data),
      ok(["digest", "--alg", "hmac-sha1", "--key", key.toString("hex"), f]),
      ok(["digest", "--alg", "crc32c", f]),
    ]);
    expect(outs).toEqual([
      createHash("md5").update(data).digest("hex") + "\n",
      createHash("sha1").update(data).digest("hex") + "\n",
      createHmac("sha1", key).update(data).digest("hex") + "\n",
      c.toString(16).padStart(8, "0") + "\n",
    ]);
  });
  it("--key: RFC 2202 case 2 and a key longer than the block (case 6)", async () => {
    const f2 = file("case2", "what do ya want for nothing?");
    const f6 = file("case6", "Test Using Larger Than Block-Size Key - Hash Key First");
    const outs = await Promise.all([
      ok(["digest", "--alg", "hmac-sha1", "--key", "4a656665", f2]),
      ok(["digest", "--alg", "hmac-sha1-80", "--key", "0x4a656665", f2]),
      ok(["digest", "--alg", "hmac-sha1", "--key", "aa".repeat(80), f6]),
    ]);
    expect(outs).toEqual([
      "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79\n",
      "effcdf6ae5eb2fa2d274\n",
      "aa4ae5e15272d00e95705637ce8a3b55ed402112\n",
    ]);
  });
  it("--help", async () => {
    const out = await ok(["digest", "--help"]);
    expect(out).toMatch(/--alg/);
    expect(out).toMatch(/NULL key/);
  });
  it("bad usage and unreadable input: exit 2, one line", async () => {
    const f = file("x", "x");
    await Promise.all([
      bad(["digest", f], /--alg is required/),
      bad(["digest", "--alg", "sha256", f], /unknown --alg "sha256"/),
      bad(["digest", "--alg", "md5"], /exactly one FILE/),
      bad(["digest", "--alg", "md5", f, f], /exactly one FILE/),
      bad(["digest", "--alg", "md5", "--key", "00", f], /--key applies to hmac/),
      bad(["digest", "--alg", "hmac-sha1", "--key", "abc", f], /hex digits/),
      bad(["digest", "--alg", "hmac-sha1", "--key", "zz", f], /--key is not hex: character 1 is 'z'/),
      bad(["digest", "--alg", "md5", join(dir, "does-not-exist")], /ENOENT/),
      bad(["digest", "--alg", "md5", dir], /EISDIR/),
      bad(["digest", "--alg", "md5", "--bogus", f], /bogus/),
    ]);
  });
});

describe("pibkit sdnv", () => {
  // SDNV examples, a selection from 1 to 10 octets (test/sdnv.test.ts has all of it)
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
  it("encode and decode the §1.3 table exactly, beyond 2^53 too", async () => {
    await Promise.all(
      TABLE.flatMap(([dec, hex]) => [
        ok(["sdnv", "encode", dec]).then((out) => expect(out, dec).toBe(hex + "\n")),
        ok(["sdnv", "decode", hex]).then((out) => expect(out, hex).toBe(dec + "\n")),
      ]),
    );
  });
  it("decode accepts padded forms, 0x and spaced or colon-separated hex; encode leading zeros", async () => {
    const outs = await Promise.all([
      ok(["sdnv", "decode", "80 80 01"]),
      ok(["sdnv", "decode", "80:00"]),
      ok(["sdnv", "decode", "81 84 34"]),
      ok(["sdnv", "decode", "0x953C"]),
      ok(["sdnv", "encode", "000128"]),
    ]);
    expect(outs).toEqual(["1\n", "0\n", "16948\n", "2748\n", "8100\n"]);
  });
  it("--help on the command and both subcommands", async () => {
    const outs = await Promise.all([ok(["sdnv", "--help"]), ok(["sdnv", "encode", "--help"]), ok(["sdnv", "decode", "-h"])]);
    expect(outs[0]).toMatch(/encode VALUE/);
    expect(outs[1]).toMatch(/decimal/);
    expect(outs[2]).toMatch(/SdnvTooLong/);
  });
  it("malformed SDNVs: exit 2 naming the code", async () => {
    await Promise.all([
      bad(["sdnv", "decode", "81"], /SdnvTruncated/),
      bad(["sdnv", "decode", "ffff"], /SdnvTruncated/),
      bad(["sdnv", "decode", ""], /HEX is empty/),
      bad(["sdnv", "decode", "82808080808080808000"], /SdnvOverflow/), // 2^64
      bad(["sdnv", "decode", "80808080808080808001"], /SdnvOverflow/), // 10 octets not starting 0x81
      bad(["sdnv", "decode", "8080808080808080808001"], /SdnvTooLong/), // 11 octets
      bad(["sdnv", "decode", "953c00"], /octet\(s\) after the SDNV/),
      bad(["sdnv", "decode", "95 3"], /hex digits/),
    ]);
  });
  it("bad VALUEs and usage: exit 2, one line", async () => {
    await Promise.all([
      bad(["sdnv", "encode", "18446744073709551616"], /above 2\^64-1/),
      bad(["sdnv", "encode", "99999999999999999999999"], /above 2\^64-1/),
      bad(["sdnv", "encode", "1.5"], /decimal integer/),
      bad(["sdnv", "encode", "0x10"], /decimal integer/),
      bad(["sdnv", "encode", " 1"], /decimal integer/),
      bad(["sdnv", "encode", ""], /decimal integer/),
      bad(["sdnv", "encode", "-1"], /-1/),
      bad(["sdnv", "encode"], /exactly one VALUE/),
      bad(["sdnv", "encode", "1", "2"], /exactly one VALUE/),
      bad(["sdnv"], /missing subcommand/),
      bad(["sdnv", "negate", "1"], /unknown subcommand/),
    ]);
  });
});
