/**
 * Shared by the digest tests: seeded randomness, byte helpers, and feeding a Digest
 * its input cut into arbitrary `update` pieces (the noble-hashes split-point habit).
 * PIBKIT_SEED=<n> replays a run; fast-check prints the seed of any failure.
 */
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { expect, it } from "vitest";
import type { Digest } from "../src/core/digest.js";
// @ts-expect-error plain .mjs without types
import { buildDefines, PRIMITIVES } from "../targets/build/firmware.mjs";

export const seed = Number(process.env["PIBKIT_SEED"] ?? 20261123);

export const bytes = (s: string) => Uint8Array.from(Buffer.from(s, "latin1"));
export const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ""), "hex"));
export const toHex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString("hex");

/** CRC-32C bit by bit, straight from the definition (RFC 3309 §2.1): no tables, the independent reference. */
export function crc32cBitSerial(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** Random data (placed at a random offset inside a larger buffer) and cut points. */
export interface Pieces {
  data: Uint8Array;
  cuts: number[];
}
export function piecesArb(maxLength: number): fc.Arbitrary<Pieces> {
  return fc
    .tuple(
      fc.uint8Array({ maxLength }),
      fc.array(fc.nat(), { maxLength: 12 }),
      fc.integer({ min: 0, max: 7 }),
    )
    .map(([d, raw, lead]) => {
      const host = new Uint8Array(lead + d.length + 3).fill(0x5a);
      host.set(d, lead);
      const data = host.subarray(lead, lead + d.length);
      const cuts = raw.map((x) => (d.length ? x % (d.length + 1) : 0)).sort((a, b) => a - b);
      return { data, cuts };
    });
}

/** Feeds `data` to `d` cut at the sorted points `cuts` (empty pieces included). */
export function feedInPieces(d: Digest, data: Uint8Array, cuts: number[]): void {
  let at = 0;
  for (const c of cuts) {
    d.update(data, at, c - at);
    at = c;
  }
  d.update(data, at, data.length - at);
}

/**
 * The published vectors of one digest (`md5`: RFC 1321 A.5; `sha1`: RFC 3174 §7.3) as
 * [ASCII input, hex digest], from the one table the engine driver targets/hosts/conformance.js
 * also checks the firmware with.
 */
export function publishedVectors(digest: "md5" | "sha1"): Array<[string, string]> {
  const ctx: { PIBKIT_DIGEST_VECTORS?: Record<string, Array<[string, number, string]>> } = {};
  runInNewContext(readFileSync(new URL("../targets/hosts/conformance.js", import.meta.url), "utf8"), ctx, { filename: "conformance.js" });
  const rows = ctx.PIBKIT_DIGEST_VECTORS?.[digest] ?? [];
  return rows.map(([text, times, want]) => [text.repeat(times), want]);
}

/** One test per published vector: a fresh `make()` is `size` octets and digests the ASCII input to the hex. */
export function vectorTests(title: string, make: () => Digest, size: number, vectors: Array<[string, string]>): void {
  for (const [input, want] of vectors) {
    it(`${title}("${input.length > 20 ? input.slice(0, 20) + "…" : input}") = ${want}`, () => {
      const d = make();
      expect(d.size).toBe(size);
      expect(digestHex(d, bytes(input))).toBe(want);
    });
  }
}

/** The digest of `data` through `d` (reset first), as hex. */
export function digestHex(d: Digest, data: Uint8Array): string {
  d.reset();
  d.update(data, 0, data.length);
  const out = new Uint8Array(d.size);
  d.finish(out, 0);
  return toHex(out);
}

/**
 * Imports `entry` (e.g. "src/core/md5.ts") as the microcontroller build makes it: esbuild,
 * minified, with the microcontroller primitives (PRIMITIVES.mcu: one CRC table, looped MD5/SHA-1 bodies).
 * Returns the module and its text, so a test can check what the define removed.
 * `slices` other than 1: that CRC-32C table count and unrolled bodies (32 = the interpreter build of src/core/crc32c.ts).
 */
export async function importSmallBuild<M>(entry: string, slices = 1): Promise<{ mod: M; text: string }> {
  const { build } = await import("esbuild");
  const { mkdtempSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { pathToFileURL } = await import("node:url");
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    write: false,
    minify: true,
    define: buildDefines({ primitives: slices === 1 ? PRIMITIVES.mcu : { crcSlices: slices, hashLoops: 0 } }),
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
  });
  const text = r.outputFiles[0]!.text;
  const file = join(mkdtempSync(join(tmpdir(), "pibkit-small-")), "m.mjs");
  writeFileSync(file, text);
  return { mod: (await import(pathToFileURL(file).href)) as M, text };
}

/**
 * The property tests every digest gets (call inside a `describe`): random data in
 * random update pieces against `ref`; every single split point of every length up to
 * 130 (all padding cases: 55/56/63/64/119/120 octets); finish at an offset with guard
 * octets around it; reset and reuse.
 */
export function digestProperties(make: () => Digest, ref: (data: Uint8Array) => string, runs = 300): void {
  it("matches the reference on random data cut into random update pieces", () => {
    const d = make();
    fc.assert(
      fc.property(piecesArb(700), (p) => {
        d.reset();
        feedInPieces(d, p.data, p.cuts);
        const out = new Uint8Array(d.size);
        d.finish(out, 0);
        expect(toHex(out)).toBe(ref(p.data));
      }),
      { seed, numRuns: runs },
    );
  });
  // The Node build reads whole blocks as 32-bit words of the buffer behind the view when
  // they start at a 4-aligned address of that buffer, and copies them into its block
  // buffer when they do not: views at every alignment, blocks met at both.
  it("gives the reference digest for views at every alignment of their buffer, several buffers in turn", () => {
    const d = make();
    const out = new Uint8Array(d.size);
    const buffers = [0, 1].map((k) => Uint8Array.from({ length: 500 }, (_, i) => (i * 151 + 29 * k + 3) & 255).buffer);
    for (let shift = 0; shift < 8; shift++) {
      for (const [len, cut] of [[64, 0], [130, 0], [200, 1], [300, 3], [300, 64], [400, 129]] as const) {
        for (let k = 0; k < buffers.length; k++) {
          const view = new Uint8Array(buffers[k]!, shift, 450);
          d.reset();
          d.update(view, 0, cut);
          d.update(view, cut, len - cut);
          d.finish(out, 0);
          expect(toHex(out), `buffer ${k} view at ${shift}, ${len} octets cut at ${cut}`).toBe(ref(view.subarray(0, len)));
        }
      }
    }
  });
  it("gives the reference digest for every split point of every length 0…130", () => {
    const d = make();
    const data = Uint8Array.from({ length: 130 }, (_, i) => (i * 73 + 5) & 255);
    const out = new Uint8Array(d.size);
    for (let n = 0; n <= data.length; n++) {
      const want = ref(data.subarray(0, n));
      for (let cut = 0; cut <= n; cut++) {
        d.reset();
        d.update(data, 0, cut);
        d.update(data, cut, n - cut);
        d.finish(out, 0);
        if (toHex(out) !== want) expect(`n=${n} cut=${cut}: ${toHex(out)}`).toBe(want);
      }
    }
  });
  it("writes exactly `size` octets at the offset given, and resets for reuse", () => {
    const d = make();
    const data = bytes("abc");
    const out = new Uint8Array(d.size + 6).fill(0xa5);
    d.update(data, 0, 3);
    d.finish(out, 3);
    expect(toHex(out.subarray(0, 3))).toBe("a5a5a5");
    expect(toHex(out.subarray(3 + d.size))).toBe("a5a5a5");
    expect(toHex(out.subarray(3, 3 + d.size))).toBe(ref(data));
    d.reset();
    d.update(data, 0, 3);
    const again = new Uint8Array(d.size);
    d.finish(again, 0);
    expect(toHex(again)).toBe(ref(data));
  });
}
