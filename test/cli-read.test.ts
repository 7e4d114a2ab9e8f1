/**
 * cli/read.ts: a file read piece by piece through fixed buffers, the next piece read
 * ahead on libuv's threads while `take` has this one. Whatever the file's size against
 * the piece size, the pieces handed over are the file's octets in order, each in a
 * buffer no read is filling; `take` returning < 0 stops the reading with no read left
 * running and no descriptor left open.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CliError } from "../cli/common.js";
import { feed } from "../cli/read.js";
import { rng } from "./support/rng.js";

const PIECE = 4096;
let dir = "";
const files = new Map<number, Buffer>();
const SIZES = [0, 1, PIECE - 1, PIECE, PIECE + 1, 2 * PIECE, 7 * PIECE + 123];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "pibkit-read-"));
  const r = rng(11);
  for (const n of SIZES) {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = (r() * 256) | 0;
    files.set(n, b);
    writeFileSync(join(dir, `${n}.bin`), b);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const openFds = () => readdirSync("/proc/self/fd").length;

/** Reads FILE through feed (with a spare: read ahead) into one Buffer, copying each piece as it is handed over. */
async function gather(path: string, spare: boolean, stopAfter = Infinity, phase?: number): Promise<{ got: Buffer; pieces: number; bufs: Set<Uint8Array>; offs: number[]; lens: number[] }> {
  const parts: Buffer[] = [];
  const bufs = new Set<Uint8Array>();
  const offs: number[] = [];
  const lens: number[] = [];
  await feed(
    path,
    new Uint8Array(PIECE),
    (piece, off, n) => {
      bufs.add(piece);
      offs.push(off);
      lens.push(n);
      // copied now; a read filling this buffer meanwhile would show in the comparison with the file
      parts.push(Buffer.from(piece.subarray(off, off + n)));
      return parts.length >= stopAfter ? -1 : 0;
    },
    spare ? new Uint8Array(PIECE) : undefined,
    phase === undefined ? undefined : { wordPhase: phase },
  );
  return { got: Buffer.concat(parts), pieces: parts.length, bufs, offs, lens };
}

describe("cli/read.ts: reading a file in pieces", () => {
  test.runIf(process.platform === "linux")("every size around the piece: the file's octets in order, read ahead or not; both buffers used when there is more than one piece", async () => {
    const before = openFds();
    for (const n of SIZES) {
      for (const spare of [false, true]) {
        const r = await gather(join(dir, `${n}.bin`), spare);
        expect(r.got.equals(files.get(n)!), `${n} octets, spare ${spare}`).toBe(true);
        expect(r.pieces).toBe(Math.ceil(n / PIECE));
        if (spare && n > PIECE) expect(r.bufs.size).toBe(2);
        else expect(r.bufs.size).toBeLessThanOrEqual(1);
        expect(r.offs.every((o) => o === 0)).toBe(true);
      }
    }
    expect(openFds()).toBe(before);
  });

  test("a phase r: every piece read ahead starts where the file's octets at offsets ≡ r (mod 4) sit 4-aligned, the octets the same", async () => {
    const n = 7 * PIECE + 123;
    for (const r of [0, 1, 2, 3]) {
      const got = await gather(join(dir, `${n}.bin`), true, Infinity, r);
      expect(got.got.equals(files.get(n)!), `phase ${r}`).toBe(true);
      // piece k starts at file offset pos (the octets before it), `off` octets into its buffer:
      // the file's octets at offsets ≡ r sit at 4-aligned places when off ≡ pos − r (mod 4)
      let pos = 0;
      for (let k = 0; k < got.offs.length; k++) {
        const off = got.offs[k]!;
        if (k === 0) expect(off).toBe(0);
        else expect(off, `phase ${r} piece ${k}`).toBe((((pos - r) % 4) + 4) % 4);
        pos += got.lens[k]!;
      }
    }
  });

  test.runIf(process.platform === "linux")("take stopping early: nothing more is handed over, and the descriptor is closed", async () => {
    const before = openFds();
    const n = 7 * PIECE + 123;
    for (const stop of [1, 2, 3, 8]) {
      const r = await gather(join(dir, `${n}.bin`), true, stop);
      expect(r.pieces).toBe(Math.min(stop, 8));
      expect(r.got.equals(files.get(n)!.subarray(0, r.got.length))).toBe(true);
    }
    expect(openFds()).toBe(before);
  });

  test("a file that fits one piece is done on return, nothing to wait for; a larger one gives the promise that reads on", async () => {
    const small: number[] = [];
    expect(feed(join(dir, `${PIECE - 1}.bin`), new Uint8Array(PIECE), (_p, _o, k) => small.push(k), new Uint8Array(PIECE))).toBeUndefined();
    expect(small).toEqual([PIECE - 1]);
    for (const n of [PIECE, 2 * PIECE, 7 * PIECE + 123]) {
      const parts: Buffer[] = [];
      const take = (p: Uint8Array, o: number, k: number) => (parts.push(Buffer.from(p.subarray(o, o + k))), 0);
      const reading = feed(join(dir, `${n}.bin`), new Uint8Array(PIECE), take, new Uint8Array(PIECE));
      expect(reading).toBeInstanceOf(Promise);
      await reading;
      expect(Buffer.concat(parts).equals(files.get(n)!), `${n} octets`).toBe(true);
    }
  });

  test("what `take` throws past the first piece: a write's error and an error already worded go up as they are, anything else is the file's read error", async () => {
    const n = 7 * PIECE + 123;
    const throwing = (e: unknown) => {
      let k = 0;
      return feed(join(dir, `${n}.bin`), new Uint8Array(PIECE), () => {
        if (++k === 3) throw e;
        return 0;
      }, new Uint8Array(PIECE));
    };
    const full = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", syscall: "write" });
    await expect(throwing(full)).rejects.toBe(full);
    const worded = new CliError(2, "cannot read x: the file changed while it was signed");
    await expect(throwing(worded)).rejects.toBe(worded);
    await expect(throwing(Object.assign(new Error("EIO: i/o error, read"), { code: "EIO", syscall: "read" }))).rejects.toThrow(new RegExp(`^cannot read .*${n}\\.bin: EIO`));
  });

  test("a file that cannot be opened: the usage error naming it, thrown at once", () => {
    expect(() => feed(join(dir, "absent.bin"), new Uint8Array(PIECE), () => 0, new Uint8Array(PIECE))).toThrow(/cannot read .*absent\.bin: ENOENT/);
  });
});
