/**
 * The simulator's byte sources (sim/byteSource.ts): bundles read a piece at a time,
 * never held. A source must give the same octets however it is cut; a copy is its
 * reference with exactly the bits of its error pattern flipped, at any offset (a bundle
 * may pass 2^32 bits); and a flight-size run holds no image (peak RSS, measured in a
 * process of its own).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bytesOf, bytesSource, concatSource, imageSource, withFlips, type ByteSource } from "../sim/byteSource.js";
import { repoRoot, Transfer } from "../sim/device.js";
import { Rng } from "../sim/rng.js";
import { scenarioDir, type Scenario } from "../sim/scenario.js";

/** `s` read in random pieces of 1 octet to 200 KiB, into one array. */
function readCut(s: ByteSource, rng: Rng): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let at = 0; at < s.length;) {
    const n = Math.min(s.length - at, 1 + rng.below(rng.below(2) === 0 ? 300 : 200 * 1024));
    s.read(out, at, at, n);
    at += n;
  }
  return out;
}

describe("byte sources", () => {
  it("an image is the same octets however it is cut, fixed by its seed, and different for another seed", () => {
    const rng = new Rng(41);
    for (const len of [0, 1, 65535, 65536, 65537, 300_001]) {
      const whole = bytesOf(imageSource(len, 7));
      for (let k = 0; k < 4; k++) expect(Buffer.from(readCut(imageSource(len, 7), rng)).equals(Buffer.from(whole))).toBe(true);
      expect(Buffer.from(bytesOf(imageSource(len, 7))).equals(Buffer.from(whole))).toBe(true);
      if (len > 16) expect(Buffer.from(bytesOf(imageSource(len, 8))).equals(Buffer.from(whole))).toBe(false);
    }
    // not a repeating pattern: every 64 KiB block is its own
    const two = bytesOf(imageSource(131072, 7));
    expect(Buffer.from(two.subarray(0, 65536)).equals(Buffer.from(two.subarray(65536)))).toBe(false);
  });

  it("header then payload, with an error pattern: the octets of the arrays they stand for", () => {
    const rng = new Rng(42);
    const head = Uint8Array.from({ length: 211 }, (_, i) => i * 7);
    const body = bytesOf(imageSource(150_000, 3));
    const bits = [0, 7, 8, 211 * 8 - 1, 211 * 8, 211 * 8 + 3, 70_000 * 8 + 5, (211 + 150_000) * 8 - 1];
    const want = new Uint8Array(head.length + body.length);
    want.set(head);
    want.set(body, head.length);
    for (const p of bits) want[p >> 3]! ^= 1 << (p & 7);
    const src = withFlips(concatSource(head, imageSource(150_000, 3)), bits);
    expect(src.length).toBe(want.length);
    for (let k = 0; k < 4; k++) expect(Buffer.from(readCut(src, rng)).equals(Buffer.from(want))).toBe(true);
    expect(withFlips(bytesSource(body), [])).not.toBe(undefined);
    expect(() => src.read(new Uint8Array(10), 0, src.length - 5, 10)).toThrow(/outside/);
  });

  it("flips bits beyond 2^32 (a bundle over 512 MiB) where they are, with no memory for the octets before", () => {
    const len = 2 ** 30; // 1 GiB of image, never made whole
    const p = 2 ** 32 + 13; // octet 2^29 + 1, bit 5
    const base = imageSource(len, 9);
    const flipped = withFlips(base, [5, p, 8 * len - 1]);
    const a = new Uint8Array(16), b = new Uint8Array(16);
    base.read(a, 0, 2 ** 29 - 4, 16);
    flipped.read(b, 0, 2 ** 29 - 4, 16);
    const diff = a.map((x, i) => x ^ b[i]!);
    expect(Array.from(diff)).toEqual([0, 0, 0, 0, 0, 1 << 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    base.read(a, 0, len - 16, 16);
    flipped.read(b, 0, len - 16, 16);
    expect(a[15]! ^ b[15]!).toBe(0x80);
  });
});

describe("a flight-size run holds no image", () => {
  it("fast mode through 48 MiB images: peak RSS grows by less than half an image over a run of 1 MB images", () => {
    const sc = JSON.parse(readFileSync(join(scenarioDir(), "test-tiny.json"), "utf8")) as Scenario;
    const image = 48 * 1024 * 1024;
    sc.name = "test-big-images";
    sc.flight.imageBytes = { value: image, unit: "bytes per image bundle", assumed: "test: images big enough to see in RSS" };
    const file = join(mkdtempSync(join(tmpdir(), "pibkit-scn-")), "test-big-images.json");
    writeFileSync(file, JSON.stringify(sc));
    const cli = join(repoRoot(), "dist/node/cli.cjs");
    // the CLI in a process of its own, which reports its own peak RSS at exit
    const run = (scale: string): { rss: number; out: string } => {
      const wrapper =
        "process.on('exit',()=>{require('fs').writeSync(2,'\\n@rss '+process.resourceUsage().maxRSS+'\\n')});" +
        `process.argv=[process.argv[0],${JSON.stringify(cli)},...process.argv.slice(1)];require(${JSON.stringify(cli)});`;
      const p = spawnSync(process.execPath, ["-e", wrapper, "sim", "--scenario", file, "--scale", scale, "--mode", "fast", "--suites", "6", "--days", "0.25", "--quiet"], { encoding: "utf8" });
      expect(p.status, p.stderr).toBe(0);
      const m = /@rss (\d+)/.exec(p.stderr);
      expect(m).not.toBeNull();
      return { rss: Number(m![1]) * 1024, out: p.stdout };
    };
    const big = run("flight");
    expect(big.out).toMatch(/^2 bundles \(/m);
    const small = run("sim");
    expect(big.rss - small.rss, `peak RSS ${big.rss} B with 48 MiB images, ${small.rss} B with 1 MB ones`).toBeLessThan(image / 2);
  }, 60_000);
});

describe("the device's transfer keeps the header and checks the payload it stores", () => {
  /** A signing as the agent does it: read each piece, store it after the header, then the header at 0. */
  function sign(t: Transfer, payload: Uint8Array, header: Uint8Array, piece: number, tamper?: (b: Uint8Array, at: number) => void): ReturnType<Transfer["signed"]> {
    t.use(bytesSource(payload));
    const buf = new Uint8Array(piece);
    for (let at = 0; at < payload.length; at += piece) {
      const n = Math.min(piece, payload.length - at);
      t.read(buf, 0, at, n);
      const stored = buf.slice(0, n);
      tamper?.(stored, at);
      t.write(stored, header.length + at);
    }
    t.write(header, 0);
    return t.signed(header.length + payload.length);
  }
  const payload = bytesOf(imageSource(70_000, 5));
  const header = Uint8Array.from({ length: 90 }, (_, i) => i);

  it("a faithful signing gives the header alone", () => {
    const s = sign(new Transfer(), payload, header, 4096);
    expect(typeof s).not.toBe("string");
    if (typeof s !== "string") expect(Array.from(s.header)).toEqual(Array.from(header));
  });

  it("a flipped bit, a piece stored elsewhere or left out, a wrong length and a missing header are named", () => {
    expect(sign(new Transfer(), payload, header, 4096, (b, at) => { if (at === 8192) b[7]! ^= 1; })).toMatch(/not the piece read at 8192/);
    const t = new Transfer();
    t.use(bytesSource(payload));
    const buf = new Uint8Array(100);
    t.read(buf, 0, 0, 100);
    t.write(buf, 90);
    t.read(buf, 0, 100, 100);
    t.write(buf, 290); // a gap of 100 octets
    t.write(header, 0);
    expect(t.signed(90 + payload.length)).toMatch(/not the piece read at 100/);
    expect(sign(new Transfer(), payload, header, 4096)).not.toBeTypeOf("string");
    const short = new Transfer();
    short.use(bytesSource(payload));
    short.write(header, 0);
    expect(short.signed(90 + payload.length)).toMatch(/not stored whole/);
    const noHeader = new Transfer();
    noHeader.use(bytesSource(new Uint8Array(0)));
    expect(noHeader.signed(90)).toMatch(/no header/);
    const t2 = new Transfer();
    expect(sign(t2, payload, header, 4096)).not.toBeTypeOf("string");
    expect(t2.signed(91 + payload.length)).toMatch(/the bundle is 70091 octets/);
  });
});
