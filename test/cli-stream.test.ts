/**
 * The ground tools on bundles larger than their 1 MiB window (cli/stream.ts): make-bundle
 * copies a payload file or stdin through, sign reads its input once into a file and
 * twice into stdout (stdin spooled) and writes Signer.sign's octets either way, verify streams files and stdin with
 * the whole-buffer verdicts, and the window's limits are named errors on one line.
 */
import { spawnSync } from "node:child_process";
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BundleWriter, PrimarySpec, writeBlock } from "../src/ground/bundleWriter.js";
import { Signer, Verifier } from "../src/ground/pib.js";
import { PROFILE_DTN2 } from "../src/ground/profiles.js";
import { SuiteKind } from "../src/core/suites.js";
import { rng } from "./support/rng.js";

const PIBKIT = join(import.meta.dirname, "..", "bin", "pibkit");
const run = (args: string[], input?: Buffer) => spawnSync(PIBKIT, args, { input, maxBuffer: 1 << 26 });
const text = (b: Buffer | string) => b.toString();
const PAYLOAD = 3 * 1048576 + 17;
let dir = "";
let payload: Buffer;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "pibkit-cli-stream-"));
  const r = rng(7);
  payload = Buffer.alloc(PAYLOAD);
  for (let i = 0; i < PAYLOAD; i++) payload[i] = (r() * 256) | 0;
  writeFileSync(join(dir, "payload.bin"), payload);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The primary block of the hand-built bundles below (dtn://a/x to dtn://b/y). */
function primarySpec(): PrimarySpec {
  const spec = new PrimarySpec();
  spec.dest = Buffer.from("dtn://b/y");
  spec.source = Buffer.from("dtn://a/x");
  spec.reportTo = Buffer.from("dtn:none");
  spec.custodian = Buffer.from("dtn:none");
  return spec;
}

function signWhole(bytes: Uint8Array, kind: number): Buffer {
  const g = new Signer(8, 8);
  const out = new Uint8Array(bytes.length + 128);
  const n = g.sign(bytes, 0, bytes.length, out, 0, out.length, kind, 0);
  expect(n).toBeGreaterThan(0);
  return Buffer.from(out.subarray(0, n));
}

describe("bundles larger than the window", () => {
  test("make-bundle: a payload file and the same payload on stdin give the same bundle", () => {
    const common = ["--src", "dtn://a/x", "--dst", "dtn://b/y", "--ctime", "1"];
    expect(run(["make-bundle", join(dir, "b.bin"), ...common, "--payload-file", join(dir, "payload.bin")]).status).toBe(0);
    expect(run(["make-bundle", join(dir, "b2.bin"), ...common, "--payload-file", "-"], payload).status).toBe(0);
    const b = readFileSync(join(dir, "b.bin"));
    expect(Buffer.compare(b, readFileSync(join(dir, "b2.bin")))).toBe(0);
    expect(b.length).toBeGreaterThan(PAYLOAD);
    expect(Buffer.compare(b.subarray(b.length - PAYLOAD), payload)).toBe(0);
    const v = new Verifier(8, 8, 4);
    expect(v.verifyAll(b, 0, b.length)).toBe(0);
    expect(v.bundle.blockDataLen[v.bundle.payloadIndex]).toBe(PAYLOAD);
  });

  test("sign FILE, sign - (stdin) and sign to stdout write Signer.sign's octets", () => {
    const b = readFileSync(join(dir, "b.bin"));
    for (const [suite, kind] of [["insecure-crc32", SuiteKind.Crc32], ["insecure-md5", SuiteKind.Md5], ["hmac", SuiteKind.Hmac]] as const) {
      const want = signWhole(b, kind);
      const r1 = run(["sign", join(dir, "b.bin"), join(dir, `s-${suite}.bin`), "--suite", suite]);
      expect(text(r1.stderr).replace(/^pibkit sign: warning: .*\n/, "")).toBe("");
      expect(r1.status).toBe(0);
      expect(Buffer.compare(readFileSync(join(dir, `s-${suite}.bin`)), want)).toBe(0);
      const r2 = run(["sign", "-", "-", "--suite", suite], b);
      expect(r2.status).toBe(0);
      expect(Buffer.compare(r2.stdout, want)).toBe(0);
    }
  });

  test("sign IN IN: the output replaces its own input only once the second pass is done", () => {
    const b = readFileSync(join(dir, "b.bin"));
    writeFileSync(join(dir, "same.bin"), b);
    const r = run(["sign", join(dir, "same.bin"), join(dir, "same.bin"), "--suite", "insecure-md5"]);
    expect(r.status).toBe(0);
    expect(Buffer.compare(readFileSync(join(dir, "same.bin")), signWhole(b, SuiteKind.Md5))).toBe(0);
  });

  test("sign into a file reads IN once and writes Signer.sign's octets: small bundles, a header ending at the read size, errors leave OUT as it was", () => {
    const spec = primarySpec();
    const make = (extLen: number, payLen: number): Uint8Array => {
      const buf = new Uint8Array(extLen + payLen + 1000);
      let p = new BundleWriter().writePrimary(buf, 0, buf.length, spec);
      if (extLen > 0) p = writeBlock(buf, p, buf.length, 200, 0, false, new Uint8Array(extLen), 0, extLen);
      p = writeBlock(buf, p, buf.length, 1, 0, true, payload, 0, payLen);
      return buf.subarray(0, p);
    };
    const primary = new BundleWriter().writePrimary(new Uint8Array(200), 0, 200, spec);
    const cases: Array<[string, Uint8Array]> = [
      ["empty payload", make(0, 0)],
      ["100-octet payload", make(0, 100)],
      ["2 MiB payload", make(0, 2 * 1048576 + 3)],
    ];
    // extension block so long that the payload's 3-octet length field ends d octets before the end of
    // sign's window (1 MiB less the 128 octets kept for the new PIB, so that verify reads the output)
    const SIGN_WINDOW = 1048576 - 128;
    for (const d of [12, 4, 1, 0, -1, -2]) cases.push([`length field ending ${d} before the window`, make(SIGN_WINDOW - d - 3 - primary - 2 - 5, 1048576)]);
    const signed: string[] = [];
    for (const [what, b] of cases) {
      writeFileSync(join(dir, "in.bin"), b);
      writeFileSync(join(dir, "out.bin"), "old");
      const r = run(["sign", join(dir, "in.bin"), join(dir, "out.bin"), "--suite", "insecure-md5"]);
      const g = new Signer(8, 8);
      const out = new Uint8Array(b.length + 128);
      const n = g.sign(b, 0, b.length, out, 0, out.length, SuiteKind.Md5, 0);
      if (r.status === 0) {
        signed.push(what);
        expect(Buffer.compare(readFileSync(join(dir, "out.bin")), Buffer.from(out.subarray(0, n))), what).toBe(0);
        const toNull = run(["sign", join(dir, "in.bin"), "/dev/null", "--suite", "insecure-md5"]);
        expect(text(toNull.stdout), what).toBe(`/dev/null: added PIB-INSECURE-MD5 (suite 5), profile rfc6257, ${n} octets\n`);
      } else {
        // too long a header for the window: a named error, OUT untouched
        expect(text(r.stderr), what).toMatch(/HeaderTooLarge|TrailerTooLarge/);
        expect(text(readFileSync(join(dir, "out.bin"))), what).toBe("old");
      }
    }
    // a length field running past the window is the window's limit (HeaderTooLarge), not this path's
    expect(signed).toEqual(cases.map(([what]) => what).filter((w) => !/ending -\d/.test(w)));
    // a truncated bundle: the error, OUT as it was, no temporary file left beside it
    const whole = make(0, 2 * 1048576 + 3);
    writeFileSync(join(dir, "cut-in.bin"), whole.subarray(0, whole.length - 1));
    writeFileSync(join(dir, "out.bin"), "old");
    const bad = run(["sign", join(dir, "cut-in.bin"), join(dir, "out.bin"), "--suite", "insecure-crc32"]);
    expect(text(bad.stderr)).toMatch(/^pibkit sign: error: .*cut-in\.bin: BlockPastEnd \(E15\)/);
    expect(bad.status).toBe(2);
    expect(text(readFileSync(join(dir, "out.bin")))).toBe("old");
    expect(readdirSync(dir).filter((f) => f.includes(".pibkit-"))).toEqual([]);
    // OUT a symbolic link: the file it names gets the signed bundle, the link stays a link
    writeFileSync(join(dir, "whole.bin"), whole);
    writeFileSync(join(dir, "target.bin"), "old", { mode: 0o640 });
    symlinkSync(join(dir, "target.bin"), join(dir, "link.bin"));
    expect(run(["sign", join(dir, "whole.bin"), join(dir, "link.bin"), "--suite", "insecure-crc32"]).status).toBe(0);
    expect(lstatSync(join(dir, "link.bin")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, "target.bin")).length).toBeGreaterThan(1048576);
    // and keeps the permission bits of the file it replaces
    expect(lstatSync(join(dir, "target.bin")).mode & 0o777).toBe(0o640);
  });

  test("verify streams files and stdin: ok, then MISMATCH on one flipped payload octet", () => {
    const s = join(dir, "s-insecure-crc32.bin");
    const ok = run(["verify", s, join(dir, "s-hmac.bin")]);
    expect(text(ok.stdout)).toMatch(new RegExp(`covers payload 0\\+${PAYLOAD} result [0-9a-f]{8}: ok\\n`));
    expect(ok.status).toBe(0);
    const viaStdin = run(["verify", "-"], readFileSync(join(dir, "s-insecure-md5.bin")));
    expect(text(viaStdin.stdout)).toMatch(/PIB-INSECURE-MD5 .*: ok\n$/);
    const bad = readFileSync(s);
    bad[bad.length - 2 * 1048576]! ^= 0x10;
    writeFileSync(join(dir, "bad.bin"), bad);
    const r = run(["verify", join(dir, "bad.bin")]);
    expect(text(r.stdout)).toMatch(/: MISMATCH\n$/);
    expect(r.status).toBe(1);
  });

  test("a streamed file that mismatches under one profile names the profile it verifies under", () => {
    const r = run(["verify", join(dir, "s-insecure-crc32.bin"), "--profile", "dtn2"]);
    expect(text(r.stdout)).toMatch(/MISMATCH \(verifies under --profile rfc6257\)\n$/);
    expect(r.status).toBe(1);
    // the same bundle signed under dtn2 verifies there
    const b = readFileSync(join(dir, "b.bin"));
    const g = new Signer(8, 8);
    g.profile = PROFILE_DTN2;
    const out = new Uint8Array(b.length + 128);
    const n = g.sign(b, 0, b.length, out, 0, out.length, SuiteKind.Crc32, 0);
    writeFileSync(join(dir, "dtn2.bin"), out.subarray(0, n));
    expect(run(["verify", join(dir, "dtn2.bin"), "--profile", "dtn2"]).status).toBe(0);
  });

  test("inspect: the streamed bundle's fields at their file offsets, the payload's real length, the PIB checked", () => {
    const file = join(dir, "s-insecure-crc32.bin");
    const bytes = readFileSync(file);
    const b = new Verifier(8, 8, 4);
    expect(b.verifyAll(bytes, 0, bytes.length)).toBe(1);
    const bb = b.bundle;
    const r = run(["inspect", file, "--json"]);
    expect(r.status).toBe(0);
    const j = JSON.parse(text(r.stdout)) as { blocks: Array<{ type: number; offset: number; length: number; dataOffset: number }>; pibs: Array<{ verdict: string; length: number }> };
    const want = [];
    for (let i = 0; i < bb.blockCount; i++) want.push({ type: bb.blockType[i], flags: bb.blockFlags[i], offset: bb.blockStart[i], length: bb.blockDataLen[i], dataOffset: bb.blockDataOff[i] });
    expect(j.blocks).toEqual(want);
    expect(j.pibs.map((x) => [x.verdict, x.length])).toEqual([["ok", PAYLOAD]]);
    const human = text(run(["inspect", file]).stdout);
    expect(human).toContain(`RFC 5050 bundle, ${bytes.length} octets`);
    expect(human).toMatch(new RegExp(`@${bb.blockDataOff[1]}\\s+payload\\s+".*"… \\(${PAYLOAD} octets\\)`));
  });

  test("cut inside the payload: BlockPastEnd at the payload's length field, as for a whole bundle", () => {
    const s = readFileSync(join(dir, "s-insecure-crc32.bin"));
    writeFileSync(join(dir, "cut.bin"), s.subarray(0, s.length - 1));
    const v = new Verifier(8, 8, 4);
    const code = v.verifyAll(s, 0, s.length - 1);
    const r = run(["verify", join(dir, "cut.bin")]);
    expect(text(r.stderr)).toBe(`pibkit verify: error: ${join(dir, "cut.bin")}: BlockPastEnd (E15) at byte ${v.bundle.errAt_}: block runs past the end of the bundle\n`);
    expect(code).toBe(-15);
    expect(r.status).toBe(2);
  });

  test("blocks before the payload beyond the window: HeaderTooLarge, one line, exit 2", () => {
    const spec = primarySpec();
    const ext = new Uint8Array(1048576 + 10);
    const buf = new Uint8Array(ext.length + 1000);
    let p = new BundleWriter().writePrimary(buf, 0, buf.length, spec);
    p = writeBlock(buf, p, buf.length, 200, 0, false, ext, 0, ext.length);
    p = writeBlock(buf, p, buf.length, 1, 0, true, payload, 0, 100);
    writeFileSync(join(dir, "bighead.bin"), buf.subarray(0, p));
    for (const cmd of [["verify"], ["sign", "--suite", "insecure-crc32"]]) {
      const args = cmd[0] === "verify" ? ["verify", join(dir, "bighead.bin")] : ["sign", join(dir, "bighead.bin"), join(dir, "never.bin"), ...cmd.slice(1)];
      const r = run(args);
      expect(text(r.stderr)).toMatch(/^pibkit (verify|sign): error: .*bighead\.bin: HeaderTooLarge \(E24\) at byte \d+: the blocks before the payload do not fit the streaming window\n$/);
      expect(r.status).toBe(2);
    }
  });
});
