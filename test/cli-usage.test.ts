/**
 * Every command as a new user meets it with bad values: missing arguments, unknown
 * flags, bad and negative numbers, nonexistent files, directories, empty files,
 * truncated bundles → exit 2, one line on stderr naming the value, never a stack.
 * Then the messages themselves: hex, ranges, file errors in one wording, stdin for
 * `-`, byte offsets of malformed bundles, the profile hint after a MISMATCH,
 * `--version`, and inspect's every-field promise.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { EX1_CRC, EX1_UNSIGNED, hex } from "./support/pibVectors.js";

interface Run {
  code: number;
  out: string;
  err: string;
  /** stdout as octets (a bundle written to -) */
  raw: Buffer;
}
function pibkit(args: string[], input?: Uint8Array): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile("bin/pibkit", args, { encoding: "buffer", maxBuffer: 1 << 22, timeout: 120_000 }, (e, out, err) => {
      const code = e ? (e as { code?: unknown }).code : 0;
      resolve({ code: typeof code === "number" ? code : -1, out: out.toString("utf8"), err: err.toString("utf8"), raw: out });
    });
    child.stdin!.on("error", () => {}); // EPIPE when the command exits without reading stdin
    child.stdin!.end(input ?? new Uint8Array(0));
  });
}
/** Runs the invocations a few at a time (each is a Node start-up on a shared machine). */
async function runAll(list: string[][], width = 3): Promise<Run[]> {
  const out: Run[] = new Array(list.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < list.length) {
        const i = next++;
        out[i] = await pibkit(list[i]!);
      }
    }),
  );
  return out;
}
/** The error contract: exit 2, one stderr line, no stack frame, no Node parser text. */
function expectUsageError(r: Run, what: string): void {
  expect(r.code, `${what}\n${r.err}`).toBe(2);
  expect(r.err.trimEnd().split("\n"), what).toHaveLength(1);
  expect(r.err, what).toMatch(/^pibkit [\w-]*: error: /);
  expect(r.err, what).not.toMatch(/^\s+at /m);
  expect(r.err, what).not.toMatch(/internal error|To specify|ambiguous|Did you forget/);
}

let dir = "";
const f = (name: string) => join(dir, name);
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "pibkit-cli-usage-"));
  mkdirSync(f("adir"));
  writeFileSync(f("empty.bin"), new Uint8Array(0));
  writeFileSync(f("u.bin"), hex(EX1_UNSIGNED));
  writeFileSync(f("c.bin"), hex(EX1_CRC));
  writeFileSync(f("trunc.bin"), hex(EX1_CRC).subarray(0, 80)); // the payload's data runs past the end
  writeFileSync(f("text.txt"), "hello\n");
}, 120_000);

describe("bad invocations of every command: exit 2, one line, no stack", () => {
  // [argv, what the line must name]
  const TABLE = (): Array<[string[], RegExp]> => [
    [["nosuchcommand"], /unknown command "nosuchcommand" \(one of digest, sdnv,/],
    [["help", "nosuchcommand"], /unknown command "nosuchcommand"/],
    [["digest"], /--alg is required/],
    [["digest", "--alg", "md5"], /exactly one FILE/],
    [["digest", "--alg", "md6", f("text.txt")], /"md6".*crc32c, md5/],
    [["digest", "--alg"], /--alg needs a value/],
    [["digest", "--alg", "md5", "--alg", "sha1", f("text.txt")], /--alg is given more than once \(it takes one value\)/],
    [["digest", "--alg", "md5", "--frobnicate", f("text.txt")], /unknown option "--frobnicate" \(options: --alg, --key/],
    [["digest", "--alg", "md5", f("nope")], /cannot read .*nope: ENOENT/],
    [["digest", "--alg", "md5", f("adir")], /cannot read .*adir: EISDIR \(is a directory\)/],
    [["digest", "--alg", "hmac-sha1", "--key", "xyz", f("text.txt")], /--key is not hex: character 1 is 'x'/],
    [["sdnv"], /missing subcommand: encode or decode/],
    [["sdnv", "frob"], /unknown subcommand "frob"/],
    [["sdnv", "encode"], /exactly one VALUE/],
    [["sdnv", "encode", "-1"], /VALUE is out of range: -1 \(allowed: 0 … 18446744073709551615/],
    [["sdnv", "encode", "1.5"], /"1.5"/],
    [["sdnv", "encode", "18446744073709551616"], /above 2\^64-1/],
    [["sdnv", "decode", "zz"], /HEX is not hex: 'zz'/],
    [["sdnv", "decode", "0x"], /HEX is empty/],
    [["sdnv", "decode", ""], /HEX is empty/],
    [["sdnv", "decode", "953"], /even number of hex digits.*3 digits/],
    [["sdnv", "decode", "80"], /SdnvTruncated \(E1\)/],
    [["make-bundle"], /OUT/],
    [["make-bundle", f("o.bin"), "--src", "dtn://a/b"], /--dst EID is required/],
    [["make-bundle", f("o.bin"), "--src", "dtn://a/b", "--dst", "dtn://c/d", "--seq", "-1"], /--seq.*"-1"/],
    [["make-bundle", f("o.bin"), "--src", "dtn://a/b", "--dst", "dtn://c/d", "--lifetime", "soon"], /--lifetime.*"soon"/],
    [["make-bundle", f("o.bin"), "--src", "dtn://a/b", "--dst", "dtn://c/d", "--payload-file", f("adir")], /cannot read .*adir: EISDIR/],
    [["make-bundle", f("adir"), "--src", "dtn://a/b", "--dst", "dtn://c/d"], /cannot write .*adir: EISDIR/],
    [["sign"], /IN and OUT/],
    [["sign", f("u.bin"), f("o.bin"), "--suite", "hmac", "--suite", "insecure-md5"], /--suite is given more than once/],
    [["sign", f("u.bin"), f("o.bin"), "--suite", "hmac", "--block-flags", "0x48"], /--block-flags must be below 128 without 0x08 \(last block\) or 0x40/],
    [["sign", f("u.bin"), f("o.bin"), "--suite", "hmac", "--block-flags", "0xzz"], /--block-flags must be a non-negative decimal integer/],
    [["sign", f("u.bin"), f("o.bin")], /--suite is required: hmac, insecure-md5 or insecure-crc32/],
    [["sign", f("u.bin"), f("o.bin"), "--suite", "crc"], /--suite must be hmac, insecure-md5 or insecure-crc32, got "crc"/],
    [["sign", f("u.bin"), f("o.bin"), "--suite", "hmac", "--key-id", "-3", "--key", "00"], /--key-id is out of range: -3 \(allowed: 0 … 2\^53-1\)/],
    [["sign", f("u.bin"), f("o.bin"), "--suite", "hmac", "--key-id", "3", "--key", "0102"], /KeyBadLength \(E72\).*20 octets/],
    [["sign", f("u.bin"), f("o.bin"), "--suite", "hmac", "--profile", "dtn3"], /--profile must be rfc6257, rfc6257-packed, dtn2 or ibr, got "dtn3"/],
    [["sign", f("nope"), f("o.bin"), "--suite", "hmac"], /cannot read .*nope: ENOENT/],
    [["sign", f("adir"), f("o.bin"), "--suite", "hmac"], /cannot read .*adir: EISDIR \(is a directory\)/],
    [["sign", f("u.bin"), f("adir"), "--suite", "hmac"], /cannot write .*adir: EISDIR/],
    [["sign", f("empty.bin"), f("o.bin"), "--suite", "hmac"], /PrimaryTruncated \(E11\) at byte 0/],
    [["sign", f("trunc.bin"), f("o.bin"), "--suite", "hmac"], /BlockPastEnd \(E15\) at byte 69/],
    [["verify"], /expected a FILE, or - for stdin/],
    [["verify", "-", "-"], /stdin \(-\) can be read only once/],
    [["verify", f("nope")], /cannot read .*nope: ENOENT/],
    [["verify", f("adir")], /cannot read .*adir: EISDIR \(is a directory\)/],
    [["verify", f("empty.bin")], /empty\.bin: PrimaryTruncated \(E11\) at byte 0/],
    [["verify", f("text.txt")], /BadVersion \(E10\) at byte 0/],
    [["verify", f("trunc.bin")], /trunc\.bin: BlockPastEnd \(E15\) at byte 69/],
    [["verify", f("u.bin")], /NoPib/],
    [["verify", f("c.bin"), "--key", "5=0102"], /--key 5 \(2 octets given\): KeyBadLength \(E72\): key is not 20 octets/],
    [["verify", f("c.bin"), "--key", "5=" + "g".repeat(40)], /--key is not hex: character 1 is 'g'/],
    [["verify", f("c.bin"), "--suite-ids", "4,5"], /--suite-ids must be three decimal ids/],
    [["verify", f("c.bin"), "--profile"], /--profile needs a value/],
    [["inspect"], /expected a FILE/],
    [["inspect", f("adir")], /cannot read .*adir: EISDIR \(is a directory\)/],
    [["inspect", f("nope"), "--json"], /cannot read .*nope: ENOENT/],
    [["inspect", f("empty.bin"), "--json"], /PrimaryTruncated \(E11\) at byte 0/],
    [["inspect", f("c.bin"), "--jsn"], /unknown option "--jsn" \(options: --json,/],
    [["inspect", f("c.bin"), "--json=yes"], /--json takes no value/],
    [["bench", "--fast"], /unknown option "--fast"/],
    [["bench", "stray"], /unexpected argument "stray"/],
    [["size", "--svg"], /--svg needs a value/],
    [["sim", "--days", "-1"], /--days.*-1/],
    [["sim", "--seed", "-5"], /--seed.*-5/],
    [["sim", "--board", "nope"], /unknown board "nope"/],
    [["sim", "merge", f("nope.json")], /nope\.json/],
  ];
  it("the whole table", async () => {
    const table = TABLE();
    const runs = await runAll(table.map(([argv]) => argv));
    for (const [k, [argv, want]] of table.entries()) {
      const what = argv.join(" ").replaceAll(dir, "DIR");
      expectUsageError(runs[k]!, what);
      expect(runs[k]!.err, what).toMatch(want);
    }
  }, 600_000);
});

describe("messages that help", () => {
  it("file errors read the same in every command and name the path", async () => {
    const runs = await runAll([["verify", f("adir")], ["inspect", f("adir")], ["sign", f("adir"), f("o.bin"), "--suite", "hmac"], ["digest", "--alg", "md5", f("adir")]]);
    const lines = runs.map((r) => r.err.replace(/^pibkit \w+: error: /, "").trim());
    expect(new Set(lines)).toEqual(new Set([`cannot read ${f("adir")}: EISDIR (is a directory)`]));
  });
  it("- reads stdin in verify, inspect, sign and make-bundle --payload-file, as in digest", async () => {
    const signed = hex(EX1_CRC);
    const v = await pibkit(["verify", "-"], signed);
    expect(v.code, v.err).toBe(0);
    expect(v.out).toMatch(/PIB-INSECURE-CRC32 .*: ok/);
    const i = await pibkit(["inspect", "-", "--json"], signed);
    expect(i.code, i.err).toBe(0);
    expect(JSON.parse(i.out)["pibs"][0]["verdict"]).toBe("ok");
    const s = await pibkit(["sign", "-", "-", "--suite", "insecure-crc32"], hex(EX1_UNSIGNED));
    expect(s.code, s.err).toBe(0);
    expect(s.raw.toString("hex")).toBe(EX1_CRC);
    expect(s.err).toMatch(/added PIB-INSECURE-CRC32/); // the summary leaves stdout to the bundle
    const m = await pibkit(["make-bundle", "-", "--src", "dtn://src/app", "--dst", "dtn://dst/app", "--ctime", "258508800", "--seq", "1", "--flags", "0x28098", "--payload-file", "-"], new Uint8Array(Buffer.from("Hello, world")));
    expect(m.code, m.err).toBe(0);
    expect(m.raw.toString("hex")).toBe(EX1_UNSIGNED);
  });
  it("a PIB signed under dtn2 and checked under the default says which profile verifies it (exit 1)", async () => {
    const out = f("dtn2.bin");
    expect((await pibkit(["sign", f("u.bin"), out, "--suite", "insecure-md5", "--profile", "dtn2"])).code).toBe(0);
    const r = await pibkit(["verify", out]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/: MISMATCH \(verifies under --profile dtn2\)$/m);
    const j = await pibkit(["inspect", out, "--json"]);
    const pib = JSON.parse(j.out)["pibs"][0];
    expect([pib["verdict"], pib["verifiesUnder"]]).toEqual(["MISMATCH", "dtn2"]);
    // a corrupted payload verifies under no profile: the plain verdict
    const bad = new Uint8Array(readFileSync(out));
    bad[bad.length - 1]! ^= 1;
    writeFileSync(f("dtn2bad.bin"), bad);
    const rb = await pibkit(["verify", f("dtn2bad.bin")]);
    expect(rb.code).toBe(1);
    expect(rb.out).toMatch(/: MISMATCH$/m);
  });
  it("--version on pibkit and on every command; every --help lists it", async () => {
    const version = (JSON.parse(readFileSync("package.json", "utf8")) as { version: string }).version;
    const cmds = ["digest", "sdnv", "make-bundle", "sign", "verify", "inspect", "bench", "size", "sim"];
    const runs = await runAll([["--version"], ...cmds.map((c) => [c, "--version"]), ...cmds.map((c) => [c, "--help"])]);
    for (const r of runs.slice(0, 1 + cmds.length)) {
      expect(r.code, r.err).toBe(0);
      expect(r.out).toBe(`pibkit ${version}\n`);
    }
    for (const [k, r] of runs.slice(1 + cmds.length).entries()) {
      expect(r.code, cmds[k]! + r.err).toBe(0);
      expect(r.out, cmds[k]).toMatch(/^ +--version +print pibkit's version/m);
    }
  }, 300_000);
  it("inspect --json of one file that does not parse: stdout is still JSON, {\"error\": …}, beside the stderr line", async () => {
    const r = await pibkit(["inspect", "--json", f("trunc.bin")]);
    expectUsageError(r, "inspect --json trunc.bin");
    expect(JSON.parse(r.out)).toEqual({ error: expect.stringMatching(/trunc\.bin: BlockPastEnd \(E15\) at byte 69/) });
  });
  it("inspect of a truncated bundle prints what it could read, then the error with its offset", async () => {
    const r = await pibkit(["inspect", f("trunc.bin")]);
    expectUsageError(r, "inspect trunc.bin");
    expect(r.err).toMatch(/BlockPastEnd \(E15\) at byte 69/);
    expect(r.out).toMatch(/^ +@0 +version +6$/m);
    expect(r.out).toMatch(/@21 +dictionary +"dtn/);
    expect(r.out).toMatch(/block 0 @50: type 3 = PIB/);
    expect(r.out).toMatch(/@69 +error +BlockPastEnd \(E15\)/);
    expect(r.out).not.toMatch(/payload +"Hello/);
    // cut inside the primary block: the fields before the cut, none after
    writeFileSync(f("cut.bin"), hex(EX1_CRC).subarray(0, 19));
    const c = await pibkit(["inspect", f("cut.bin")]);
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/PrimaryTruncated \(E11\) at byte 4/);
    expect(c.out).toMatch(/@1 +processing flags +0x28098/);
    expect(c.out).not.toMatch(/@\d+ +(destination|block length)/);
  });
  it("inspect shows the PIB's params-length and result-length octets and its TLV items, each with its offset", async () => {
    const r = await pibkit(["inspect", f("c.bin")]);
    expect(r.code, r.err).toBe(0);
    for (const want of [
      /@53 +ciphersuite id +6/,
      /@54 +ciphersuite flags +0x5/,
      /@55 +parameters length +4/,
      /@56 +parameters +0402000c/,
      /@56 +item type +4 \(fragment range\)/,
      /@58 +item value +offset 0, length 12/,
      /@60 +result length +6/,
      /@61 +result +05040af5e181/,
      /@63 +item value +0af5e181/,
    ]) expect(r.out).toMatch(want);
  });
  it("inspect reads key information as a key id only when it is one SDNV (PIB-HMAC's); other suites' key information stays hex", async () => {
    // a PCB (type 4, suite 3) whose key information is four octets that also read as four SDNVs
    const made = await pibkit(["make-bundle", f("pcb.bin"), "--src", "dtn://a/b", "--dst", "dtn://c/d", "--payload", "hi", "--ctime", "1", "--ext", "4,0,030406030401020304"]);
    expect(made.code, made.err).toBe(0);
    const r = await pibkit(["inspect", f("pcb.bin")]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/@44 +item type +3 \(key information\)/);
    expect(r.out).toMatch(/@46 +item value +01020304$/m);
    expect(r.out).not.toMatch(/key id 1 2 3 4/);
  });
  it("inspect --json names a PIB's own block and its covered range apart, keeping the old fields", async () => {
    const r = await pibkit(["inspect", f("c.bin"), "--json"]);
    const j = JSON.parse(r.out) as { blocks: Array<Record<string, number>>; pibs: Array<Record<string, unknown>> };
    expect(j.blocks[0]).toEqual({ type: 3, flags: 1, offset: 50, length: 14, dataOffset: 53 });
    expect(j.pibs[0]).toMatchObject({
      offset: 0,
      length: 12,
      covered: { offset: 0, length: 12 },
      block: { index: 0, offset: 50, length: 14, dataOffset: 53 },
    });
  });
});
