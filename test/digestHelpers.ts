/**
 * Shared by the digest tests: seeded randomness, byte helpers, and feeding a Digest
 * its input cut into arbitrary `update` pieces (the noble-hashes split-point habit).
 * PIBKIT_SEED=<n> replays a run; fast-check prints the seed of any failure.
 */
import fc from "fast-check";
import type { Digest } from "../src/digest.js";

export const seed = Number(process.env["PIBKIT_SEED"] ?? 20261123);

export const bytes = (s: string) => Uint8Array.from(Buffer.from(s, "latin1"));
export const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ""), "hex"));
export const toHex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length).toString("hex");

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

/** The digest of `data` through `d` (reset first), as hex. */
export function digestHex(d: Digest, data: Uint8Array): string {
  d.reset();
  d.update(data, 0, data.length);
  const out = new Uint8Array(d.size);
  d.finish(out, 0);
  return toHex(out);
}
