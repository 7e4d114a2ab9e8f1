/**
 * A bundle larger than the streaming window whose payload ends inside the window, with
 * a block after the payload that the window cannot hold too: the payload is streamed
 * from the window when it fills, the rest becomes the trailer. Before, the ground
 * streaming classes (src/ground/stream.ts) said HeaderTooLarge when the window filled
 * before the payload's data was cut short, and were fine when a piece happened to end
 * inside the payload: the verdict depended on how the bytes were cut. Every cut now
 * gives the whole-buffer result, on the ground and on board.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeSdnv } from "../src/core/sdnv.js";
import { SuiteKind } from "../src/core/suites.js";
import { Signer, Verifier } from "../src/ground/pib.js";
import { StreamSigner, StreamVerifier } from "../src/ground/stream.js";
import { StreamVerifier as OnboardStreamVerifier } from "../src/onboard/streamVerifier.js";
import { EX1_UNSIGNED, hex } from "./support/pibVectors.js";

const WINDOW = 512;

/** Example 1's primary block, a payload of `n` octets, then a 0xC0 block of `t` octets (the last). */
function withTrailer(n: number, t: number): Uint8Array {
  const primary = hex(EX1_UNSIGNED).subarray(0, hex(EX1_UNSIGNED).length - 15);
  const sd = (v: number) => {
    const b = new Uint8Array(10);
    return [...b.subarray(0, writeSdnv(b, 0, 10, v))];
  };
  const payload = Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255);
  const trailer = Array.from({ length: t }, (_, i) => (i * 17 + 3) & 255);
  return Uint8Array.from([...primary, 1, 0, ...sd(n), ...payload, 0xc0, 0x08, ...sd(t), ...trailer]);
}

function signed(bytes: Uint8Array, kind: number): Uint8Array {
  const out = new Uint8Array(bytes.length + 128);
  const m = new Signer(8, 8).sign(bytes, 0, bytes.length, out, 0, out.length, kind, 0);
  if (m < 0) throw new Error(`sign: ${m}`);
  return out.slice(0, m);
}

type Pushable = { begin(): void; push(b: Uint8Array, off: number, len: number): number; end(): number; verdict: ArrayLike<number> };

function streamed(v: Pushable, b: Uint8Array, piece: number): string {
  v.begin();
  for (let i = 0; i < b.length; i += piece) if (v.push(b, i, Math.min(piece, b.length - i)) < 0) break;
  const n = v.end();
  return n < 0 ? `E${-n}` : Array.from({ length: n }, (_, k) => v.verdict[k]).join(",");
}

const PIECES = [1, 7, 64, 300, 511, 512, 513, 4096];
const CASES: Array<[string, number, number]> = [
  ["payload 300, trailer 300", 300, 300],
  ["payload 450, trailer 100 (the window fills inside the trailer's header)", 450, 100],
  ["payload 100, trailer 420", 100, 420],
];

describe("payload whole in a full window, a block after it cut short", () => {
  for (const [name, n, t] of CASES) {
    for (const kind of [SuiteKind.Crc32, SuiteKind.Md5, SuiteKind.Hmac]) {
      it(`${name}, suite kind ${kind}: every cut verifies as the whole buffer does, ground and on board`, () => {
        const b = signed(withTrailer(n, t), kind);
        expect(b.length).toBeGreaterThan(WINDOW);
        const whole = new Verifier(8, 8, 4);
        const r = whole.verifyAll(b, 0, b.length);
        const want = Array.from({ length: r }, (_, k) => whole.verdict[k]).join(",");
        expect(want).toBe("0");
        const g = new StreamVerifier(8, 8, 4, WINDOW, 2);
        const o = new OnboardStreamVerifier(8, 8, 4, WINDOW, 2);
        for (const piece of PIECES) {
          expect(streamed(g, b, piece), `ground, pieces of ${piece}`).toBe(want);
          expect(streamed(o, b, piece), `on board, pieces of ${piece}`).toBe(want);
        }
        // a flipped payload octet is still seen
        if (n > 0) {
          const bad = b.slice();
          bad[b.length - t - 3 - Math.floor(n / 2)]! ^= 1;
          for (const piece of PIECES) expect(streamed(g, bad, piece), `flipped, pieces of ${piece}`).toBe("1");
        }
      });
    }
  }

  it("StreamSigner gives Signer.sign's octets for every cut", () => {
    for (const [, n, t] of CASES) {
      const plain = withTrailer(n, t);
      for (const kind of [SuiteKind.Crc32, SuiteKind.Md5, SuiteKind.Hmac]) {
        const want = signed(plain, kind);
        const g = new StreamSigner(8, 8, WINDOW);
        for (const piece of PIECES) {
          g.begin(kind, 0);
          for (let i = 0; i < plain.length; i += piece) if (g.push(plain, i, Math.min(piece, plain.length - i)) < 0) break;
          const m = g.end();
          expect(m, `n ${n} t ${t} kind ${kind} pieces of ${piece}`).toBe(want.length);
          const out = Uint8Array.from([...g.win.subarray(0, g.headLen), ...plain.subarray(g.inputFrom)]);
          expect(Buffer.compare(out, want), `n ${n} t ${t} kind ${kind} pieces of ${piece}`).toBe(0);
        }
      }
    }
  });
});

/** The CLI on FILE, and on the same bytes through a pipe (pieces of whatever size the pipe gives). */
function both(args: string[], file: string): Array<{ code: number | null; out: string; err: string }> {
  const a = spawnSync("bin/pibkit", [...args, file], { encoding: "utf8" });
  const b = spawnSync("sh", ["-c", `cat "${file}" | bin/pibkit ${args.join(" ")} -`], { encoding: "utf8" });
  return [a, b].map((r) => ({ code: r.status, out: r.stdout, err: r.stderr }));
}

describe("what fills the window after the payload is judged as the whole bundle would be, not called TrailerTooLarge", () => {
  // Before, a piece ending inside the payload sent what follows it to the trailer, whose
  // window filled before anything parsed it: TrailerTooLarge, where one large first piece
  // (the payload whole in the window) gave the defect's own code — the answer depended
  // on the cuts (a file and a pipe to the CLI disagreed).
  const whole = (b: Uint8Array): string => {
    const v = new Verifier(8, 8, 4);
    const r = v.verifyAll(b, 0, b.length);
    return r < 0 ? `E${-r}` : Array.from({ length: r }, (_, k) => v.verdict[k]).join(",");
  };
  const b = signed(withTrailer(300, 30), SuiteKind.Crc32);
  const long = signed(withTrailer(300, 600), SuiteKind.Crc32);
  const cases: Array<[string, Uint8Array]> = [
    // octets after the last block, more than the window holds: DataAfterLastBlock
    ["garbage after the last block", Uint8Array.from([...b, ...new Uint8Array(3 * WINDOW)])],
    // a second payload block after the payload, then a block the window cannot hold (604 octets): DuplicatePayload
    ["a second payload block", Uint8Array.from([...long.subarray(0, long.length - 604), 1, 0, 4, 0x61, 0x62, 0x63, 0x64, ...long.subarray(long.length - 604)])],
  ];
  for (const [name, bad] of cases) {
    it(`${name}: the whole buffer's code for every cut, ground and on board`, () => {
      const want = whole(bad);
      expect(want).toMatch(/^E(16|21)$/);
      const g = new StreamVerifier(8, 8, 4, WINDOW, 2);
      const o = new OnboardStreamVerifier(8, 8, 4, WINDOW, 2);
      for (const piece of PIECES) {
        expect(streamed(g, bad, piece), `ground, pieces of ${piece}`).toBe(want);
        expect(streamed(o, bad, piece), `on board, pieces of ${piece}`).toBe(want);
      }
    });
  }
});

describe("the CLI (a 1 MiB window) gives one answer however the bytes arrive", () => {
  const dir = mkdtempSync(join(tmpdir(), "pibkit-window-"));
  const MiB = 1 << 20;

  it("a bundle of 600,000 payload octets and a 500,000-octet block after it: verify and inspect ok, from a file and a pipe", () => {
    const f = join(dir, "trailer.bin");
    writeFileSync(f, signed(withTrailer(600_000, 500_000), SuiteKind.Md5));
    for (const r of both(["verify"], f)) {
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(/covers payload 0\+600000 .*: ok$/m);
    }
    for (const r of both(["inspect"], f)) expect(r.code, r.err).toBe(0);
  }, 60_000);

  it("a bundle of exactly 1 MiB with one octet after it: DataAfterLastBlock from inspect as from verify, file or pipe", () => {
    // a payload that makes the signed bundle exactly 1 MiB
    let n = MiB - 200;
    let b = signed(withTrailer(n, 0), SuiteKind.Crc32);
    for (let i = 0; i < 3 && b.length !== MiB; i++) b = signed(withTrailer((n += MiB - b.length), 0), SuiteKind.Crc32);
    expect(b.length).toBe(MiB);
    const f = join(dir, "plus-one.bin");
    writeFileSync(f, Uint8Array.from([...b, 0x58]));
    for (const cmd of [["verify"], ["inspect"]]) {
      for (const r of both(cmd, f)) {
        expect(r.code, `${cmd[0]}: ${r.out}`).toBe(2);
        expect(r.err).toMatch(new RegExp(`DataAfterLastBlock \\(E16\\) at byte ${MiB}`));
      }
    }
  }, 60_000);

  it("a 200,000-octet-payload bundle followed by 2 MiB of zeros: DataAfterLastBlock where the bundle ends, from a file and a pipe", () => {
    const b = signed(withTrailer(200_000, 0), SuiteKind.Crc32);
    const f = join(dir, "garbage.bin");
    writeFileSync(f, Uint8Array.from([...b, ...new Uint8Array(2 * MiB)]));
    for (const cmd of [["verify"], ["inspect"]]) {
      for (const r of both(cmd, f)) {
        expect(r.code, `${cmd[0]}: ${r.out}`).toBe(2);
        expect(r.err).toMatch(new RegExp(`DataAfterLastBlock \\(E16\\) at byte ${b.length}:`));
      }
    }
  }, 60_000);

  it("verify and inspect read with the same table limits: a bundle whose last-block flag was lost, then zeros, fails alike", () => {
    const b = signed(withTrailer(5, 0), SuiteKind.Crc32);
    const v = new Verifier(8, 8, 4);
    expect(v.verifyAll(b, 0, b.length)).toBe(1);
    const flagsAt = v.bundle.blockStart[v.bundle.blockCount - 1]! + 1;
    expect(b[flagsAt]).toBe(0x08);
    const lost = b.slice();
    lost[flagsAt] = 0;
    const f = join(dir, "no-last.bin");
    // each zero octet reads as a block of type 0 with no data: verify read 256 blocks and inspect 1,024
    writeFileSync(f, Uint8Array.from([...lost, ...new Uint8Array(2000)]));
    const [ver] = both(["verify"], f);
    const [ins] = both(["inspect"], f);
    expect(ver!.code).toBe(2);
    const why = /error: .*no-last\.bin: (.*)$/m;
    expect(ver!.err.match(why)?.[1]).toBe(ins!.err.match(why)?.[1]);
  }, 60_000);

  it("blocks before the payload larger than the window: HeaderTooLarge from inspect as from verify", () => {
    const primary = hex(EX1_UNSIGNED).subarray(0, hex(EX1_UNSIGNED).length - 15);
    const big = MiB + 5000;
    const sd = (v: number) => {
      const x = new Uint8Array(10);
      return [...x.subarray(0, writeSdnv(x, 0, 10, v))];
    };
    const f = join(dir, "big-head.bin");
    writeFileSync(f, Uint8Array.from([...primary, 0xc0, 0, ...sd(big), ...new Uint8Array(big), 1, 0x08, 1, 0x41]));
    for (const cmd of [["verify"], ["inspect"], ["inspect", "--json"]]) {
      for (const r of both(cmd, f)) {
        expect(r.code, cmd.join(" ")).toBe(2);
        expect(r.err, cmd.join(" ")).toMatch(/HeaderTooLarge \(E24\)/);
      }
    }
  }, 60_000);

  it("sign leaves room for its PIB: what it writes, verify reads; an input the room does not fit is HeaderTooLarge from sign", () => {
    const primary = hex(EX1_UNSIGNED).subarray(0, hex(EX1_UNSIGNED).length - 15);
    const sd = (v: number) => {
      const x = new Uint8Array(10);
      return [...x.subarray(0, writeSdnv(x, 0, 10, v))];
    };
    const withHead = (ext: number) => Uint8Array.from([...primary, 0xc0, 0, ...sd(ext), ...new Uint8Array(ext), 1, 0x08, 100, ...new Uint8Array(100)]);
    // the blocks before the payload 70 octets short of 1 MiB: the signed header would not fit verify's window
    const near = join(dir, "near.bin");
    writeFileSync(near, withHead(MiB - 70 - primary.length - 5));
    const r = spawnSync("bin/pibkit", ["sign", near, join(dir, "near-signed.bin"), "--suite", "insecure-md5"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/HeaderTooLarge \(E24\)/);
    // 300 octets short: signed, and the output verifies
    const room = join(dir, "room.bin");
    writeFileSync(room, withHead(MiB - 300 - primary.length - 5));
    const out = join(dir, "room-signed.bin");
    expect(spawnSync("bin/pibkit", ["sign", room, out, "--suite", "insecure-md5"], { encoding: "utf8" }).status).toBe(0);
    const v = spawnSync("bin/pibkit", ["verify", out], { encoding: "utf8" });
    expect(v.status, v.stderr).toBe(0);
  }, 60_000);

  it("sign and make-bundle read a named pipe as they read stdin (copied first): the same octets as from the file", () => {
    const plain = join(dir, "plain.bin");
    writeFileSync(plain, withTrailer(3000, 10));
    const fifo = join(dir, "fifo");
    if (spawnSync("mkfifo", [fifo]).status !== 0) return;
    const viaFile = spawnSync("bin/pibkit", ["sign", plain, "-", "--suite", "insecure-md5"]).stdout;
    const viaFifo = spawnSync("sh", ["-c", `cat "${plain}" > "${fifo}" & timeout 20 bin/pibkit sign "${fifo}" - --suite insecure-md5`]);
    expect(viaFifo.status, viaFifo.stderr.toString()).toBe(0);
    expect(Buffer.compare(viaFifo.stdout, viaFile)).toBe(0);
    const made = join(dir, "from-fifo.bin");
    const m = spawnSync("sh", ["-c", `printf 'payload through a pipe' > "${fifo}" & timeout 20 bin/pibkit make-bundle "${made}" --src dtn://a/b --dst dtn://c/d --ctime 0 --payload-file "${fifo}"`], { encoding: "utf8" });
    expect(m.status, m.stderr).toBe(0);
    expect(spawnSync("bin/pibkit", ["inspect", made], { encoding: "utf8" }).stdout).toMatch(/payload +"payload through a pipe"/);
  }, 60_000);

  it("cleans up", () => rmSync(dir, { recursive: true }));
});
