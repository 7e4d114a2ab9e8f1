/**
 * CRC-32C on two threads (cli/crcThreads.ts): a CRC register is linear, so the far part
 * of a payload can be digested from a zero register elsewhere and joined with
 * crc32cShift. Checked at each layer: the shift against the table (Crc32c.update) and
 * an independent CRC-32C (@node-rs/crc32), the streaming classes fed a payload with a
 * stretch joined instead of pushed (same verdicts and signed octets as the whole-buffer
 * path), the reader handing a stretch over in order, and the commands run with the
 * second thread forced on small files (PIBKIT_CRC_THREAD_FROM=0): the same output as
 * one thread, and a CPU profile per thread showing the second thread ran.
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32c } from "@node-rs/crc32";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feed, type Handoff } from "../cli/read.js";
import { Crc32c } from "../src/core/crc32c.js";
import { crc32cShift } from "../src/core/crc32cShift.js";
import { SuiteKind } from "../src/core/suites.js";
import { Verdict } from "../src/core/verdict.js";
import { Signer, Verifier } from "../src/ground/pib.js";
import { PROFILE_DTN2, PROFILE_IBR, PROFILE_RFC6257, PROFILE_RFC6257_PACKED } from "../src/ground/profiles.js";
import { StreamSigner, StreamVerifier } from "../src/ground/stream.js";
import { bigBundle, type Signings } from "./support/bigBundle.js";
import { rng } from "./support/rng.js";

/** The register after b[off, off + len) fed from register c. */
function register(c: number, b: Uint8Array, off = 0, len = b.length - off): number {
  const d = new Crc32c();
  d.c = c;
  d.update(b, off, len);
  return d.c;
}

describe("crc32cShift: the register after n zero octets", () => {
  it("joins two stretches digested apart: register(c, A‖B) = shift(register(c, A), |B|) ^ register(0, B)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 700 }), (c, a, b) => {
        const ab = new Uint8Array(a.length + b.length);
        ab.set(a, 0);
        ab.set(b, a.length);
        expect(crc32cShift(register(c, a), b.length) ^ register(0, b)).toBe(register(c, ab));
      }),
      { numRuns: 400 },
    );
  });

  it("n = 0 keeps the register; n zero octets equal the table's result for n up to 300", () => {
    const r = rng(3);
    for (let n = 0; n <= 300; n++) {
      const c = (r() * 2 ** 32) | 0;
      expect(crc32cShift(c, n)).toBe(register(c, new Uint8Array(n)));
    }
  });

  it("an independent CRC-32C (@node-rs/crc32) of 1 MiB of zeros and of 1 MiB + 3 octets", () => {
    const z = Buffer.alloc((1 << 20) + 3);
    z[z.length - 3] = 0x5a;
    z[z.length - 1] = 0xa5;
    expect(~crc32cShift(-1, 1 << 20) >>> 0).toBe(crc32c(z.subarray(0, 1 << 20)));
    expect(~(crc32cShift(-1, z.length) ^ register(0, z)) >>> 0).toBe(crc32c(z));
  });

  it("above 2^32 octets: shift(shift(c, a), b) = shift(c, a + b), a + b up to 2^50", () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 2 ** 49 }), fc.integer({ min: 0, max: 2 ** 49 }), (c, a, b) => {
        expect(crc32cShift(crc32cShift(c, a), b)).toBe(crc32cShift(c, a + b));
      }),
      { numRuns: 300 },
    );
    // and a known step across 2^32: 2^32 + 5 octets as 2^31 + 2^31 + 5
    const c = 0x12345678;
    expect(crc32cShift(c, 2 ** 32 + 5)).toBe(crc32cShift(crc32cShift(crc32cShift(c, 2 ** 31), 2 ** 31), 5));
    expect(crc32cShift(c, 2 ** 32 + 5)).not.toBe(crc32cShift(c, 5));
  });
});

const PROFILES = [PROFILE_RFC6257, PROFILE_RFC6257_PACKED, PROFILE_DTN2, PROFILE_IBR];
const CRC: Signings = [[SuiteKind.Crc32, 0]];
const CRC_CRC: Signings = [[SuiteKind.Crc32, 0], [SuiteKind.Crc32, 0]];
const PAY = 20000;

/** Count and per-PIB verdict and code of a verify. */
function rows(v: Verifier, n: number): unknown {
  if (n < 0) return n;
  return Array.from({ length: v.count }, (_, k) => [v.block[k], v.verdict[k], v.code[k]]);
}

function wholeVerdicts(bytes: Uint8Array, profile: (typeof PROFILES)[number]): unknown {
  const v = new Verifier(32, 32, 8);
  v.profile = profile;
  return rows(v, v.verifyAll(bytes, 0, bytes.length));
}

/**
 * Pushes bytes[0, a), asks crcTail (must be `end`), pushes [a, from), joins [from, end)
 * digested apart, pushes the rest: the verdicts.
 */
function joinedVerdicts(v: StreamVerifier, bytes: Uint8Array, a: number, from: number, end: number): unknown {
  v.begin();
  v.push(bytes, 0, a);
  expect(v.crcTail()).toBe(end);
  v.push(bytes, a, from - a);
  v.skipCrc(end - from, register(0, bytes, from, end - from));
  v.push(bytes, end, bytes.length - end);
  return rows(v, v.end());
}

describe("the streaming classes with the far part of the payload joined (crcTail, skipCrc)", () => {
  for (const profile of PROFILES) {
    it(`verify: one and two CRC-32C PIBs, with and without a block after the payload, ok and MISMATCH in either part, ${profile.name}`, () => {
      const v = new StreamVerifier(32, 32, 8, 4096, 8);
      v.profile = profile;
      const r = rng(17);
      for (const signings of [CRC, CRC_CRC]) {
        for (const trailer of [false, true]) {
          const bytes = bigBundle(PAY, 5, profile, trailer, signings);
          const end = bytes.length - (trailer ? 6 : 0);
          const start = end - PAY;
          for (let i = 0; i < 6; i++) {
            const a = start + Math.floor(r() * 100);
            const from = a + Math.floor(r() * (end - a));
            const want = wholeVerdicts(bytes, profile);
            expect((want as unknown[][]).every((row) => row[1] === Verdict.Ok)).toBe(true);
            expect(joinedVerdicts(v, bytes, a, from, end)).toEqual(want);
            // one flipped octet before `from` (pushed) and after it (joined)
            for (const at of [a + Math.floor(r() * (from - a)), from + Math.floor(r() * (end - from))]) {
              if (at >= end) continue;
              const bad = bytes.slice();
              bad[at]! ^= 1 << Math.floor(r() * 8);
              const w = wholeVerdicts(bad, profile);
              expect((w as unknown[][]).every((row) => row[1] === Verdict.Mismatch)).toBe(true);
              expect(joinedVerdicts(v, bad, a, from, end)).toEqual(w);
            }
          }
        }
      }
    });
  }

  it("sign: Signer.sign's octets", () => {
    const g = new StreamSigner(32, 32, 4096);
    const r = rng(23);
    for (const profile of PROFILES) {
      for (const trailer of [false, true]) {
        const bytes = bigBundle(PAY, 9, profile, trailer, []);
        const s = new Signer(32, 32);
        s.profile = profile;
        g.profile = profile;
        const want = new Uint8Array(bytes.length + 128);
        const m = s.sign(bytes, 0, bytes.length, want, 0, want.length, SuiteKind.Crc32, 0);
        const end = bytes.length - (trailer ? 6 : 0);
        const a = end - PAY + Math.floor(r() * 100);
        const from = a + Math.floor(r() * (end - a));
        g.begin(SuiteKind.Crc32, 0);
        g.push(bytes, 0, a);
        expect(g.crcTail()).toBe(end);
        g.push(bytes, a, from - a);
        g.skipCrc(end - from, register(0, bytes, from, end - from));
        g.push(bytes, end, bytes.length - end);
        const n = g.end();
        expect(n).toBe(m);
        const got = new Uint8Array(n);
        got.set(g.win.subarray(0, g.headLen), 0);
        got.set(bytes.subarray(g.inputFrom), g.headLen);
        expect(Buffer.compare(got, want.subarray(0, m))).toBe(0);
      }
    }
  });

  it("crcTail is -1 where the rest of the payload cannot be split: before the payload, an MD5 or HMAC digest running beside, another suite being signed", () => {
    const v = new StreamVerifier(32, 32, 8, 4096, 8);
    for (const signings of [CRC, [[SuiteKind.Crc32, 0], [SuiteKind.Md5, 0]], [[SuiteKind.Hmac, 0], [SuiteKind.Crc32, 0]], [[SuiteKind.Md5, 0]]] as Signings[]) {
      const bytes = bigBundle(PAY, 1, PROFILE_RFC6257, false, signings);
      v.begin();
      v.push(bytes, 0, 20);
      expect(v.crcTail()).toBe(-1);
      v.push(bytes, 20, bytes.length - 100 - 20);
      expect(v.crcTail()).toBe(signings.length === 1 && signings[0]![0] === SuiteKind.Crc32 ? bytes.length : -1);
    }
    const g = new StreamSigner(32, 32, 4096);
    const bytes = bigBundle(PAY, 1, PROFILE_RFC6257, false, []);
    for (const kind of [SuiteKind.Crc32, SuiteKind.Md5, SuiteKind.Hmac]) {
      g.begin(kind, 0);
      g.push(bytes, 0, bytes.length - 100);
      expect(g.crcTail()).toBe(kind === SuiteKind.Crc32 ? bytes.length : -1);
    }
  });
});

describe("cli/read.ts handing a stretch to another thread (Handoff)", () => {
  const PIECE = 4096;
  let dir = "";
  let file = Buffer.alloc(0);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "pibkit-handoff-"));
    const r = rng(31);
    file = Buffer.alloc(7 * PIECE + 123);
    for (let i = 0; i < file.length; i++) file[i] = (r() * 256) | 0;
    writeFileSync(join(dir, "f.bin"), file);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Reads f.bin with a Handoff of [from, to); what `take` got, and the Handoff's calls in order. */
  async function handOff(from: number, to: number, stopAfter = Infinity) {
    const got: Buffer[] = [];
    const calls: string[] = [];
    let taken = 0;
    await feed(
      join(dir, "f.bin"),
      new Uint8Array(PIECE),
      (piece, off, n) => {
        got.push(Buffer.from(piece.subarray(off, off + n)));
        taken += n;
        return got.length >= stopAfter ? -1 : 0;
      },
      new Uint8Array(PIECE),
      undefined,
      (_fd, pos): Handoff => {
        calls.push(`asked at ${pos}`);
        return {
          from,
          to,
          join: async () => void calls.push(`join after ${taken}`),
          settle: async () => void calls.push("settle"),
        };
      },
    );
    return { got: Buffer.concat(got), calls };
  }

  it("take gets [0, from), then [to, end), in order; join once between them, settle at the end", async () => {
    for (const [from, to] of [
      [PIECE + 1, 5 * PIECE],
      [2 * PIECE, 2 * PIECE],
      [2 * PIECE, file.length],
      [3 * PIECE - 1, 3 * PIECE + 1],
      [file.length - 1, file.length],
    ] as const) {
      const { got, calls } = await handOff(from, to);
      expect(Buffer.compare(got, Buffer.concat([file.subarray(0, from), file.subarray(to)])), `${from}–${to}`).toBe(0);
      expect(calls).toEqual([`asked at ${PIECE}`, `join after ${from}`, "settle"]);
    }
  });

  it("a thread that cannot start costs time, never the result: its stretch is digested here", async () => {
    // run from the sources, cli/crcThreads.ts looks for the thread's file beside itself,
    // where only the build puts it (dist/node/cli/crcWorker.cjs): the thread fails to load
    expect(existsSync(join(import.meta.dirname, "..", "cli", "crcWorker.cjs"))).toBe(false);
    process.env["PIBKIT_CRC_THREAD_FROM"] = "0";
    const { crcHandoff } = await import("../cli/crcThreads.js");
    const fd = openSync(join(dir, "f.bin"), "r");
    const joined: number[] = [];
    try {
      const h = crcHandoff({ crcTail: () => file.length, skipCrc: (n, r) => void joined.push(n, r) }, fd, PIECE, PIECE);
      expect(h).not.toBeNull();
      await h!.join();
      await h!.settle();
      expect(h!.to).toBe(file.length);
      expect(joined).toEqual([file.length - h!.from, register(0, file, h!.from)]);
    } finally {
      closeSync(fd);
      delete process.env["PIBKIT_CRC_THREAD_FROM"];
    }
  });

  it("take stopping before `from`: no join, the other thread settled, no descriptor left open", async () => {
    const fds = readdirSync("/proc/self/fd").length;
    const { got, calls } = await handOff(5 * PIECE, 6 * PIECE, 2);
    expect(got.length).toBe(2 * PIECE);
    expect(calls).toEqual([`asked at ${PIECE}`, "settle"]);
    expect(readdirSync("/proc/self/fd").length).toBe(fds);
  });
});

describe("pibkit with the second thread (PIBKIT_CRC_THREAD_FROM=0) on files of a few MiB", () => {
  const CLI = join(import.meta.dirname, "..", "dist", "node", "cli.cjs");
  const MIB = 1 << 20;
  let dir = "";
  const f = (name: string) => join(dir, name);
  /** Runs the CLI with the second thread forced (threads) or left to its default (512 MiB: never here). */
  const run = (args: string[], threads: boolean) =>
    spawnSync(process.execPath, [CLI, ...args], {
      env: { ...process.env, PIBKIT_CRC_THREAD_FROM: threads ? "0" : undefined },
      maxBuffer: 1 << 26,
    });
  const same = (args: string[]) => {
    const a = run(args, true);
    const b = run(args, false);
    expect([a.status, a.stdout.toString(), a.stderr.toString()], args.join(" ")).toEqual([b.status, b.stdout.toString(), b.stderr.toString()]);
    return a;
  };
  /**
   * Which threads ran crcOfStretch (the stretch's loop), from a CPU profile per thread
   * (CPU.<date>.<time>.<pid>.<thread id>.<n>.cpuprofile; thread 0 is the main one),
   * sampled every 20 µs: [] when nothing was split, [1] when the second thread digested
   * its stretch. A thread that failed to start leaves a profile too, without the loop.
   */
  const digestedBy = (args: string[]) => {
    const d = mkdtempSync(join(dir, "prof-"));
    const r = spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-interval", "20", `--cpu-prof-dir=${d}`, CLI, ...args], {
      env: { ...process.env, PIBKIT_CRC_THREAD_FROM: "0" },
    });
    expect(r.status, r.stderr.toString()).toBeLessThan(2);
    return readdirSync(d)
      .filter((n) => n.endsWith(".cpuprofile"))
      .filter((n) => (JSON.parse(readFileSync(join(d, n), "utf8")) as { nodes: Array<{ callFrame: { functionName: string } }> }).nodes.some((x) => x.callFrame.functionName === "crcOfStretch"))
      .map((n) => Number(n.split(".")[4]));
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "pibkit-crc-threads-"));
    const n = 3 * MIB + 17;
    writeFileSync(f("crc.bin"), bigBundle(n, 2, PROFILE_RFC6257, true, CRC));
    writeFileSync(f("crc2.bin"), bigBundle(n, 3, PROFILE_RFC6257, false, CRC_CRC));
    writeFileSync(f("crc-md5.bin"), bigBundle(n, 4, PROFILE_RFC6257, false, [[SuiteKind.Crc32, 0], [SuiteKind.Md5, 0]]));
    writeFileSync(f("plain.bin"), bigBundle(n, 5, PROFILE_RFC6257, true, []));
    const crc = readFileSync(f("crc.bin"));
    // the second thread takes the payload's last MiB here (crcThreads.ts: at least a piece each)
    for (const [name, back] of [["far", 6 + 100], ["near", 6 + 2 * MIB]] as const) {
      const bad = Buffer.from(crc);
      bad[bad.length - back]! ^= 0x20;
      writeFileSync(f(`bad-${name}.bin`), bad);
    }
    writeFileSync(f("cut.bin"), crc.subarray(0, crc.length - MIB));
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("verify: the same lines and exit status as one thread (ok, MISMATCH in either part, two PIBs, a file cut in its payload, many files at once)", () => {
    expect(same(["verify", f("crc.bin")]).stdout.toString()).toMatch(/PIB-INSECURE-CRC32 .*: ok\n$/);
    expect(same(["verify", f("crc2.bin")]).status).toBe(0);
    expect(same(["verify", f("crc-md5.bin")]).status).toBe(0);
    for (const name of ["bad-far.bin", "bad-near.bin"]) {
      const r = same(["verify", f(name)]);
      expect(r.stdout.toString()).toMatch(/: MISMATCH\n$/);
      expect(r.status).toBe(1);
    }
    expect(same(["verify", f("cut.bin")]).stderr.toString()).toMatch(/BlockPastEnd/);
    expect(same(["verify", f("crc.bin"), f("bad-far.bin"), f("crc2.bin")]).status).toBe(1);
    expect(same(["inspect", f("crc.bin")]).status).toBe(0);
  });

  it("sign into a file: Signer.sign's octets, the far part written by the second thread; into stdout the same", () => {
    const input = readFileSync(f("plain.bin"));
    const s = new Signer(32, 32);
    const want = new Uint8Array(input.length + 128);
    const m = s.sign(input, 0, input.length, want, 0, want.length, SuiteKind.Crc32, 0);
    for (const threadsOn of [true, false]) {
      const out = f(`signed-${threadsOn}.bin`);
      expect(run(["sign", f("plain.bin"), out, "--suite", "insecure-crc32"], threadsOn).status).toBe(0);
      expect(Buffer.compare(readFileSync(out), want.subarray(0, m))).toBe(0);
    }
    const viaStdout = run(["sign", f("plain.bin"), "-", "--suite", "insecure-crc32"], true);
    expect(Buffer.compare(viaStdout.stdout, want.subarray(0, m))).toBe(0);
  });

  it("PIBKIT_CRC_THREAD_FROM that is not a whole number of octets is a usage error naming it; empty is unset", () => {
    for (const bad of ["abc", "-1", "1e9", "0x10"]) {
      const r = spawnSync(process.execPath, [CLI, "digest", "--alg", "crc32c", f("crc2.bin")], { env: { ...process.env, PIBKIT_CRC_THREAD_FROM: bad } });
      expect(r.status, bad).toBe(2);
      expect(r.stderr.toString()).toBe(`pibkit digest: error: PIBKIT_CRC_THREAD_FROM="${bad}": expected a whole number of octets (0 or more)\n`);
    }
    const empty = spawnSync(process.execPath, [CLI, "digest", "--alg", "crc32c", f("crc2.bin")], { env: { ...process.env, PIBKIT_CRC_THREAD_FROM: "" } });
    expect(empty.status).toBe(0);
  });

  it("digest --alg crc32c: the independent CRC-32C of the file", () => {
    const want = crc32c(readFileSync(f("crc2.bin"))).toString(16).padStart(8, "0");
    expect(same(["digest", "--alg", "crc32c", f("crc2.bin")]).stdout.toString()).toBe(want + "\n");
  });

  it("the second thread digested its stretch where the payload is CRC-32C only, and nothing was split elsewhere (CPU profiles)", () => {
    expect(digestedBy(["verify", f("crc.bin")])).toEqual([1]);
    expect(digestedBy(["sign", f("plain.bin"), f("x.bin"), "--suite", "insecure-crc32"])).toEqual([1]);
    expect(digestedBy(["digest", "--alg", "crc32c", f("plain.bin")])).toEqual([1]);
    expect(digestedBy(["verify", f("crc-md5.bin")])).toEqual([]);
    expect(digestedBy(["digest", "--alg", "md5", f("plain.bin")])).toEqual([]);
    expect(digestedBy(["sign", f("plain.bin"), f("y.bin"), "--suite", "insecure-md5"])).toEqual([]);
  });
});
