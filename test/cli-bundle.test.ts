/**
 * `pibkit make-bundle` and `pibkit inspect` as a user runs them (bin/pibkit over the
 * esbuild output): example 1's bytes, every bundle of the external corpus through
 * `inspect --json` and the human dump (skipped with a message when the corpus is
 * missing), foreign security blocks named, exit codes and one-line named errors.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Bundle } from "../src/ground/bundle.js";
import { eidString } from "../src/ground/eid.js";
import { EX1_CRC, EX1_PAYLOAD, EX1_PRIMARY, EX2 } from "./support/pibVectors.js";
import { corpusBundles, corpusFile, corpusFolder, corpusPath, corpusReadme, needsCorpus } from "./support/shared.js";

const HAVE_CORPUS = needsCorpus("inspect on the 38 corpus bundles and malformed/, and the corpus seeds of the mutation run (it runs on the worked examples alone)");
const JSON_KEYS = ["version", "flags", "dest", "source", "reportTo", "custodian", "creationTime", "sequence", "lifetime", "blocks", "pibs"];
// today's fields first (kept for scripts), then the PIB block's own place and its covered range, named apart
const PIB_KEYS = ["suite", "suiteName", "keyId", "offset", "length", "result", "verdict", "verifiesUnder", "covered", "block"];

let dir = "";

function pibkit(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync("bin/pibkit", args, { encoding: "utf8" });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function file(name: string, bytes: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, typeof bytes === "string" ? Buffer.from(bytes, "hex") : bytes);
  return p;
}

/** An error as the CLI contract wants it: exit 2, one stderr line, no stack trace. */
function expectOneLineError(r: { code: number; out: string; err: string }, pattern: RegExp): void {
  expect(r.code, r.err).toBe(2);
  expect(r.err.trimEnd().split("\n"), r.err).toHaveLength(1);
  expect(r.err).toMatch(pattern);
  expect(r.err).not.toMatch(/\n\s+at /);
}

function inspectJson(path: string): Record<string, unknown> {
  const r = pibkit("inspect", path, "--json");
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as Record<string, unknown>;
}

/** `inspect --json` and the human dump of every corpus file, run 4 at a time up front. */
const corpusRuns = new Map<string, { json: Result; human: Result }>();
type Result = { code: number; out: string; err: string };

function pibkitAsync(...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    execFile("bin/pibkit", args, { encoding: "utf8", maxBuffer: 1 << 24 }, (e, out, err) => {
      resolve({ code: e ? ((e as { code?: number }).code ?? -1) : 0, out, err });
    });
  });
}

async function runCorpus(): Promise<void> {
  const files = corpusBundles();
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const f = files[next++]!;
      const [json, human] = await Promise.all([pibkitAsync("inspect", corpusPath(f), "--json"), pibkitAsync("inspect", corpusPath(f))]);
      corpusRuns.set(f, { json, human });
    }
  };
  await Promise.all([worker(), worker()]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pibkit-cli-bundle-"));
  writeFileSync(join(dir, "ex1-unsigned.bin"), Buffer.from(EX1_PRIMARY + EX1_PAYLOAD, "hex"));
  await runCorpus();
}, 600_000); // 76 CLI runs: minutes on a loaded 2-core machine

describe("pibkit make-bundle", () => {
  it("reproduces example 1's primary block and payload byte for byte", () => {
    const out = join(dir, "ex1.bin");
    const r = pibkit("make-bundle", out, "--src", "dtn://src/app", "--dst", "dtn://dst/app", "--flags", "0x28098", "--ctime", "258508800", "--seq", "1", "--lifetime", "3600", "--payload-file", file("hello.txt", Buffer.from("Hello, world") as Uint8Array));
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(out).toString("hex")).toBe(EX1_PRIMARY + EX1_PAYLOAD);
    // decimal flags and explicit dtn:none give the same bytes
    const out2 = join(dir, "ex1b.bin");
    const r2 = pibkit("make-bundle", out2, "--src", "dtn://src/app", "--dst", "dtn://dst/app", "--report-to", "dtn:none", "--custodian", "dtn:none", "--flags", "163992", "--ctime", "258508800", "--seq", "1", "--payload", "Hello, world");
    expect(r2.code, r2.err).toBe(0);
    expect(readFileSync(out2).toString("hex")).toBe(EX1_PRIMARY + EX1_PAYLOAD);
  });
  it("then sign gives example 1's CRC32 bundle, and inspect reports it ok and INSECURE", () => {
    const signed = join(dir, "ex1-crc.bin");
    const s = pibkit("sign", join(dir, "ex1-unsigned.bin"), signed, "--suite", "insecure-crc32");
    expect(s.code, s.err).toBe(0);
    expect(readFileSync(signed).toString("hex")).toBe(EX1_CRC);
    const j = inspectJson(signed);
    expect(j["pibs"]).toEqual([
      {
        suite: 6, suiteName: "PIB-INSECURE-CRC32", keyId: null, offset: 0, length: 12, result: "0af5e181", verdict: "ok",
        verifiesUnder: null, covered: { offset: 0, length: 12 }, block: { index: 0, offset: 50, length: 14, dataOffset: 53 },
      },
    ]);
    expect(pibkit("inspect", signed).out).toMatch(/INSECURE/);
  });
  it("a NULL-keyed HMAC is shown as NULL key — no security", () => {
    const signed = join(dir, "ex1-hmac.bin");
    expect(pibkit("sign", join(dir, "ex1-unsigned.bin"), signed, "--suite", "hmac").code).toBe(0);
    const j = inspectJson(signed);
    const pib = (j["pibs"] as Array<Record<string, unknown>>)[0]!;
    expect([pib["suite"], pib["keyId"], pib["result"], pib["verdict"]]).toEqual([4, 0, "1e97315fc98653b9d67b", "ok"]);
    expect(pib["suiteName"]).toMatch(/NULL key — no security/);
    expect(pibkit("inspect", signed).out).toMatch(/NULL key — no security/);
  });
  it("a keyed PIB-HMAC is 'unknown key' without --key and ok with it", () => {
    const key = "0102030405060708090a0b0c0d0e0f1011121314";
    const signed = join(dir, "ex1-key7.bin");
    expect(pibkit("sign", join(dir, "ex1-unsigned.bin"), signed, "--suite", "hmac", "--key-id", "7", "--key", key).code).toBe(0);
    const verdict = (...extra: string[]) => (JSON.parse(pibkit("inspect", signed, "--json", ...extra).out)["pibs"] as Array<Record<string, unknown>>)[0]!;
    expect(verdict()).toMatchObject({ suite: 4, suiteName: "PIB-HMAC", keyId: 7, verdict: "unknown key" });
    expect(verdict("--key", "7=" + key)).toMatchObject({ keyId: 7, verdict: "ok" });
    expect(verdict("--key", "7=" + key.replace("01", "ff"))).toMatchObject({ keyId: 7, verdict: "MISMATCH" });
    expectOneLineError(pibkit("inspect", signed, "--key", "7=zz"), /hex/);
  });
  it("applies the documented defaults", () => {
    const out = join(dir, "defaults.bin");
    const before = Math.floor(Date.now() / 1000) - 946684800;
    expect(pibkit("make-bundle", out, "--src", "ipn:1.2", "--dst", "dtn://ground/x").code).toBe(0);
    const after = Math.floor(Date.now() / 1000) - 946684800;
    const j = inspectJson(out);
    expect([j["flags"], j["reportTo"], j["custodian"], j["sequence"], j["lifetime"], j["source"]]).toEqual([0x90, "dtn:none", "dtn:none", 0, 3600, "ipn:1.2"]);
    expect(j["creationTime"]).toBeGreaterThanOrEqual(before);
    expect(j["creationTime"]).toBeLessThanOrEqual(after);
    expect(j["blocks"]).toEqual([{ type: 1, flags: 8, offset: readFileSync(out).length - 3, length: 0, dataOffset: readFileSync(out).length }]);
    // source dtn:none: "must not fragment" is set by default (RFC 5050 §4.2)
    expect(pibkit("make-bundle", out, "--src", "dtn:none", "--dst", "dtn://a/b").code).toBe(0);
    expect(inspectJson(out)["flags"]).toBe(0x94);
  });
  it("round-trips 64-bit values and fragment fields through inspect --json", () => {
    const out = join(dir, "big.bin");
    const r = pibkit("make-bundle", out, "--src", "dtn://a/b", "--dst", "dtn://c/d", "--ctime", "18446744073709551615", "--seq", "9007199254740991", "--lifetime", "9007199254740992", "--flags", "0x11", "--fragment-offset", "5", "--total-length", "100", "--payload", "xyz");
    expect(r.code, r.err).toBe(0);
    const j = inspectJson(out);
    expect(j["creationTime"]).toBe("18446744073709551615");
    expect(j["sequence"]).toBe(9007199254740991);
    expect(j["lifetime"]).toBe("9007199254740992");
    expect([j["fragmentOffset"], j["totalLength"]]).toEqual([5, 100]);
    expect(Object.keys(j)).toEqual([...JSON_KEYS.slice(0, 9), "fragmentOffset", "totalLength", "blocks", "pibs"]);
  });
  it("keeps UTF-8 EID text through make-bundle and inspect", () => {
    const out = join(dir, "utf8.bin");
    expect(pibkit("make-bundle", out, "--src", "dtn://ünï/x", "--dst", "dtn://a/b", "--custodian", "dtn://ünï/y").code).toBe(0);
    const j = inspectJson(out);
    expect([j["source"], j["custodian"]]).toEqual(["dtn://ünï/x", "dtn://ünï/y"]);
  });
  it("--ext adds raw extension blocks before the payload, in order", () => {
    const out = join(dir, "ext.bin");
    const r = pibkit("make-bundle", out, "--src", "dtn://a/b", "--dst", "dtn://c/d", "--ext", "192,0x19,cafe", "--ext", "5,0,69706e00312e3000", "--payload", "hi");
    expect(r.code, r.err).toBe(0);
    const j = inspectJson(out);
    const blocks = j["blocks"] as Array<Record<string, number>>;
    // the writer clears the last-block bit (0x08) on extension blocks and sets it on the payload
    expect(blocks.map((x) => [x["type"], x["flags"], x["length"]])).toEqual([
      [192, 0x11, 2],
      [5, 0, 8],
      [1, 8, 2],
    ]);
    expect(readFileSync(out).subarray(blocks[0]!["offset"]!).subarray(3, 5).toString("hex")).toBe("cafe");
    expectOneLineError(pibkit("make-bundle", out, "--src", "dtn://a/b", "--dst", "dtn://c/d", "--ext", "1,0,00"), /1 is the payload/);
    expectOneLineError(pibkit("make-bundle", out, "--src", "dtn://a/b", "--dst", "dtn://c/d", "--ext", "9,0,0"), /hex/);
  });
  it("writes to stdout with OUT = -", () => {
    const r = spawnSync("bin/pibkit", ["make-bundle", "-", "--src", "dtn://a/b", "--dst", "dtn://c/d", "--ctime", "1", "--payload", "p"]);
    expect(r.status).toBe(0);
    const b = new Bundle(4, 4);
    expect(b.parse(new Uint8Array(r.stdout), 0, r.stdout.length)).toBe(0);
  });
  it("rejects bad usage with one named line, exit 2", () => {
    expectOneLineError(pibkit("make-bundle", join(dir, "x.bin"), "--dst", "dtn://a/b"), /--src EID is required/);
    expectOneLineError(pibkit("make-bundle", join(dir, "x.bin"), "--src", "nocolon", "--dst", "dtn://a/b"), /EidMalformed/);
    expectOneLineError(pibkit("make-bundle", join(dir, "x.bin"), "--src", "dtn://a", "--dst", ":x"), /EidMalformed/);
    expectOneLineError(pibkit("make-bundle", join(dir, "x.bin"), "--src", "dtn://a", "--dst", "dtn://b", "--seq", "-1"), /--seq/);
    expectOneLineError(pibkit("make-bundle", join(dir, "x.bin"), "--src", "dtn://a", "--dst", "dtn://b", "--ctime", "18446744073709551616"), /--ctime/);
    expectOneLineError(pibkit("make-bundle", join(dir, "x.bin"), "--src", "dtn://a", "--dst", "dtn://b", "--payload-file", join(dir, "missing")), /ENOENT/);
    expectOneLineError(pibkit("make-bundle", join(dir, "x.bin"), "--src", "dtn://a", "--dst", "dtn://b", "--bogus"), /bogus/);
    expectOneLineError(pibkit("make-bundle", "--src", "dtn://a", "--dst", "dtn://b"), /OUT/);
    expectOneLineError(pibkit("make-bundle", join(dir, "x.bin"), "--src", "dtn://a", "--dst", "dtn://b", "--total-length", "3"), /fragment/);
  });
  it("sign --block-flags takes decimal or 0x hex, as make-bundle --flags does", () => {
    const plain = join(dir, "bf-plain.bin");
    expect(pibkit("make-bundle", plain, "--src", "dtn://a/b", "--dst", "dtn://c/d", "--ctime", "0", "--payload", "x").code).toBe(0);
    for (const [given, want] of [["0x11", 0x11], ["17", 17], ["0x05", 5]] as const) {
      const out = join(dir, `bf-${given}.bin`);
      const r = pibkit("sign", plain, out, "--suite", "insecure-crc32", "--block-flags", given);
      expect(r.code, r.err).toBe(0);
      const j = JSON.parse(pibkit("inspect", "--json", out).out) as { blocks: Array<{ type: number; flags: number }> };
      expect(j.blocks.find((b) => b.type === 3)!.flags, given).toBe(want);
    }
  });
  it("refuses the flag combinations RFC 5050 §4.2 forbids, and takes the ones it allows", () => {
    const make = (src: string, flags: string) => pibkit("make-bundle", join(dir, "flags.bin"), "--src", src, "--dst", "dtn://c/d", "--flags", flags, "--payload", "x");
    expectOneLineError(make("dtn://a/b", "0x2000a"), /administrative record \(0x2\) must not request custody transfer \(0x8\) or status reports/);
    expectOneLineError(make("dtn://a/b", "0x4012"), /administrative record/);
    expectOneLineError(make("dtn:none", "0x4014"), /from dtn:none must not request custody transfer \(0x8\) or status reports/);
    expectOneLineError(make("dtn:none", "0x1c"), /from dtn:none must not request custody/);
    expectOneLineError(make("dtn:none", "0x90"), /from dtn:none must set "must not be fragmented" \(0x4\)/);
    for (const [src, flags] of [["dtn://a/b", "0x12"], ["dtn://a/b", "0x20098"], ["dtn:none", "0x94"], ["dtn:none", "0x96"]] as const) {
      const r = make(src, flags);
      expect(r.code, `${src} ${flags}: ${r.err}`).toBe(0);
    }
  });
  it("--help", () => {
    const r = pibkit("make-bundle", "--help");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--payload-file/);
  });
});

/** The corpus README's block types per file. */
function readmeTypes(): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const line of corpusReadme().split("\n")) {
    const r = /^\| `([^`]+\.bin)` \| \d+ \| [^|]+ \| ([\d ]+) \|/.exec(line);
    if (r) m.set(r[1]!, r[2]!.trim().split(/\s+/).map(Number));
  }
  return m;
}

describe.runIf(HAVE_CORPUS)("pibkit inspect --json on every corpus bundle", () => {
  const types = readmeTypes();
  const files = corpusBundles();
  it("covers all 38", () => expect(files).toHaveLength(38));
  it.each(files)("%s", (f) => {
    const run = corpusRuns.get(f)!.json;
    expect(run.code, run.err).toBe(0);
    const j = JSON.parse(run.out) as Record<string, unknown>;
    const buf = corpusFile(f);
    const b = new Bundle(64, 64);
    expect(b.parse(buf, 0, buf.length)).toBe(0);
    const keys = b.isFragment ? [...JSON_KEYS.slice(0, 9), "fragmentOffset", "totalLength", "blocks", "pibs"] : JSON_KEYS;
    expect(Object.keys(j)).toEqual(keys);
    expect(j["version"]).toBe(6);
    expect(j["flags"]).toBe(b.flags);
    expect([j["dest"], j["source"], j["reportTo"], j["custodian"]]).toEqual([
      eidString(b, b.destScheme, b.destSsp),
      eidString(b, b.srcScheme, b.srcSsp),
      eidString(b, b.rptScheme, b.rptSsp),
      eidString(b, b.custScheme, b.custSsp),
    ]);
    expect([j["creationTime"], j["sequence"], j["lifetime"]]).toEqual([b.ctime.lo, b.seq.lo, b.lifetime.lo]);
    const blocks = j["blocks"] as Array<Record<string, number>>;
    expect(blocks.map((x) => x["type"])).toEqual(types.get(f));
    // each block's offset is its type octet, length its data-length field
    for (const [i, x] of blocks.entries()) {
      expect(Object.keys(x)).toEqual(["type", "flags", "offset", "length", "dataOffset"]);
      expect(buf[x["offset"]!]).toBe(x["type"]);
      expect(x["dataOffset"]).toBe(b.blockDataOff[i]);
      expect(x["length"]).toBe(b.blockDataLen[i]);
      expect(x["flags"]).toBe(b.blockFlags[i]);
    }
    const pibs = j["pibs"] as Array<Record<string, unknown>>;
    for (const p of pibs) {
      expect(Object.keys(p)).toEqual(PIB_KEYS);
      // none of the corpus PIBs is one of pibkit's suites: never ok, always named foreign
      expect(p["verdict"]).not.toBe("ok");
      expect(p["suiteName"]).toMatch(/^foreign: /);
    }
    // type-3 blocks are all reported as PIBs
    expect(pibs.length).toBeGreaterThanOrEqual(blocks.filter((x) => x["type"] === 3).length);
  });
  it("hand-checked values: fragments, CBHE, foreign suites", () => {
    const frag = inspectJson(corpusPath("ibrdtn-fragment-1.bin"));
    expect([frag["fragmentOffset"], frag["totalLength"]]).toEqual([40, 100]);
    const cbhe = inspectJson(corpusPath("ibrdtn-cbhe.bin"));
    expect([cbhe["dest"], cbhe["source"], cbhe["reportTo"], cbhe["creationTime"], cbhe["sequence"]]).toEqual(["ipn:2.3", "ipn:1.2", "ipn:6.1", 691495200, 11]);
    const crc16 = inspectJson(corpusPath("bplib6gen-crc16.bin"))["pibs"] as Array<Record<string, unknown>>;
    expect([crc16[0]!["suite"], crc16[0]!["suiteName"]]).toEqual([10, expect.stringMatching(/bplib.*CRC-16/)]);
    const crc32 = inspectJson(corpusPath("bplib6gen-crc32c.bin"))["pibs"] as Array<Record<string, unknown>>;
    expect([crc32[0]!["suite"], crc32[0]!["suiteName"]]).toEqual([11, expect.stringMatching(/bplib.*CRC-32C/)]);
    const pi2 = inspectJson(corpusPath("dtn2-pi2.bin"))["pibs"] as Array<Record<string, unknown>>;
    expect(pi2).toHaveLength(1);
    expect([pi2[0]!["suite"], pi2[0]!["suiteName"]]).toEqual([2, expect.stringMatching(/DTN2.*block type 4/)]);
    const rsa = inspectJson(corpusPath("ibrdtn-pib-rsa-sha256-secsrc.bin"))["pibs"] as Array<Record<string, unknown>>;
    expect(rsa.map((p) => p["suiteName"])).toEqual([expect.stringMatching(/PIB-RSA-SHA256/), expect.stringMatching(/PIB-RSA-SHA256/)]);
    expect(inspectJson(corpusPath("dtn2-pc3.bin"))["pibs"]).toEqual([]); // a real PCB is no PIB
  });
});

describe("pibkit inspect --json on example 2", () => {
  it("fragment fields and its CRC PIB", () => {
    const j = inspectJson(file("ex2.bin", EX2));
    expect([j["fragmentOffset"], j["totalLength"], j["flags"]]).toEqual([7, 12, 0x28099]);
    const pib = (j["pibs"] as Array<Record<string, unknown>>)[0]!;
    expect([pib["suite"], pib["offset"], pib["length"], pib["result"], pib["verdict"]]).toEqual([6, 7, 5, "a97beab9", "ok"]);
  });
});

describe("pibkit inspect (human dump)", () => {
  it("shows every primary field of Example 1 with its byte offset", () => {
    const r = pibkit("inspect", file("ex1crc.bin", EX1_CRC));
    expect(r.code, r.err).toBe(0);
    for (const want of [
      /@0 +version +6/,
      /@1 +processing flags +0x28098 \(custody requested, singleton destination, report custody acceptance, report delivery, priority normal\)/,
      /@4 +block length +45/,
      /@5 +destination .*dtn:\/\/dst\/app/,
      /@7 +source .*dtn:\/\/src\/app/,
      /@9 +report-to .*dtn:none/,
      /@11 +custodian .*dtn:none/,
      /@13 +creation time +258508800 .*2008-03-11T00:00:00Z/,
      /@17 +sequence number +1/,
      /@18 +lifetime +3600/,
      /@20 +dictionary length +29/,
      /@21 +dictionary +"dtn\\0\/\/dst\/app/,
      /block 0 @50: type 3 = PIB/,
      /PIB-INSECURE-CRC32/,
      /verdict: ok/,
      /@70 +payload +"Hello, world"/,
    ]) {
      expect(r.out).toMatch(want);
    }
  });
  it.runIf(HAVE_CORPUS)("runs on every corpus bundle and names foreign blocks", () => {
    const files = corpusBundles();
    expect(corpusRuns.size).toBe(files.length);
    for (const f of files) {
      const r = corpusRuns.get(f)!.human;
      expect(r.code, f + r.err).toBe(0);
      expect(r.out, f).toMatch(/@0 +version +6/);
    }
    expect(pibkit("inspect", corpusPath("bplib-hdtn-bplib_bundle.bin")).out).toMatch(/type 13 = bplib integrity block/);
    expect(corpusRuns.get("ibrdtn-admin-custody-signal.bin")!.human.out).toMatch(/@48 +administrative record +type 2 = custody signal/);
    expect(corpusRuns.get("ibrdtn-admin-status-report.bin")!.human.out).toMatch(/administrative record +type 1 = bundle status report/);
    expect(corpusRuns.get("ion-hdtn-ion_bundle.bin")!.human.out).toMatch(/previous hop +"ipn\\0/);
    expect(pibkit("inspect", corpusPath("ibrdtn-esb-ageblock.bin")).out).toMatch(/ESB.*\n(.*\n)*.*ciphersuite id +4 \(ESB-RSA-AES128-EXT\)/);
    expect(pibkit("inspect", corpusPath("ion-hdtn-reffrag-s10-fragA.bin")).out).toMatch(/fragment offset +0[\s\S]*total ADU length +27/);
  }, 60_000);
});

describe("pibkit inspect: bad input", () => {
  it("missing file", () => expectOneLineError(pibkit("inspect", join(dir, "nope.bin")), /ENOENT/));
  it("a directory", () => expectOneLineError(pibkit("inspect", dir), /EISDIR/));
  it("garbage", () => expectOneLineError(pibkit("inspect", file("garbage.bin", "deadbeef")), /BadVersion \(E10\)/));
  it("empty file", () => expectOneLineError(pibkit("inspect", file("empty.bin", "")), /PrimaryTruncated/));
  it("truncated bundle", () => expectOneLineError(pibkit("inspect", file("trunc.bin", EX1_CRC.slice(0, -2))), /BlockPastEnd/));
  it.runIf(HAVE_CORPUS)("malformed corpus files", () => {
    for (const f of corpusFolder("malformed")) expectOneLineError(pibkit("inspect", corpusPath("malformed/" + f), "--json"), /\(E\d+\)/);
  });
  it("usage", () => {
    expectOneLineError(pibkit("inspect"), /FILE/);
    // two files are allowed now (inspect FILE…): each missing one is its own error line
    expectOneLineError(pibkit("inspect", "-", "-"), /stdin \(-\) can be read only once/);
    expectOneLineError(pibkit("inspect", "a", "--jsn"), /jsn/);
  });
  it("--help", () => {
    const r = pibkit("inspect", "--help");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--json/);
  });
});

describe("pibkit inspect in process on mutated bundles", () => {
  it("2,000 bit-flipped / truncated corpus bundles: output or a CliError, never another exception", async () => {
    const { run } = await import("../cli/inspect.js");
    const { CliError } = await import("../cli/common.js");
    const seeds = corpusBundles().map(corpusFile);
    seeds.push(new Uint8Array(Buffer.from(EX1_CRC, "hex")), new Uint8Array(Buffer.from(EX2, "hex")));
    const path = join(dir, "mutant.bin");
    const write = process.stdout.write;
    let x = 0x2008_0311; // xorshift32, seeded
    const rnd = (n: number) => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) % n;
    };
    let printed = 0;
    let rejected = 0;
    try {
      process.stdout.write = (() => true) as typeof process.stdout.write;
      for (let n = 0; n < 2000; n++) {
        const m = Uint8Array.from(seeds[rnd(seeds.length)]!);
        const flips = 1 + rnd(3);
        for (let k = 0; k < flips; k++) m[rnd(m.length)]! ^= 1 << rnd(8);
        writeFileSync(path, rnd(4) === 0 ? m.subarray(0, rnd(m.length)) : m);
        try {
          expect(await run(n % 2 ? [path, "--json"] : [path])).toBe(0);
          printed++;
        } catch (e) {
          if (!(e instanceof CliError)) throw new Error(`case ${n}: ${String(e)} on ${readFileSync(path).toString("hex")}`);
          expect(e.exitCode).toBe(2);
          expect(e.message).toMatch(/\(E\d+\)/);
          rejected++;
        }
      }
    } finally {
      process.stdout.write = write;
    }
    expect(printed).toBeGreaterThan(200);
    expect(rejected).toBeGreaterThan(200);
  }, 60_000);
});
