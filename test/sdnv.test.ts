/**
 * SDNV (src/core/sdnv.ts): the published examples (RFC 5050 Figure 2, RFC 6256
 * §2) and every width boundary, the decoder edge cases (docs/primitives.md), every malformed form with its named code, guard bytes around every write,
 * and fast-check round trips over the whole 64-bit range (BigInt only here, in tests).
 * Random runs are seeded: PIBKIT_SEED=<n> replays one; fast-check prints the seed on failure.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Err } from "../src/core/errors.js";
import {
  readSdnv,
  readSdnvNumber,
  sdnvLength,
  sdnvLengthU64,
  U64,
  u64ToNumber,
  writeSdnv,
  writeSdnvU64,
} from "../src/core/sdnv.js";

const seed = Number(process.env["PIBKIT_SEED"] ?? 20261123);
const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/ /g, ""), "hex"));
const toHex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const big = (v: U64) => (BigInt(v.hi) << 32n) | BigInt(v.lo);
const hiOf = (v: bigint) => Number(v >> 32n);
const loOf = (v: bigint) => Number(v & 0xffffffffn);

/** Reference encoder, RFC 6256 §3.1 as written, on BigInt. */
function refEncode(v: bigint): string {
  const out = [Number(v & 0x7fn)];
  for (v >>= 7n; v !== 0n; v >>= 7n) out.unshift(Number(v & 0x7fn) | 0x80);
  return Buffer.from(out).toString("hex");
}

// RFC 5050 Figure 2 (first four rows), RFC 6256 §2 (1, 128), DTN2's unit test (0xAB,
// 0xABCDE), and the largest and smallest value of every width.
const TABLE: Array<[string, string, number]> = [
  ["2748", "95 3c", 2],
  ["4660", "a4 34", 2],
  ["16948", "81 84 34", 3],
  ["127", "7f", 1],
  ["0", "00", 1],
  ["1", "01", 1],
  ["128", "81 00", 2],
  ["171", "81 2b", 2],
  ["16383", "ff 7f", 2],
  ["16384", "81 80 00", 3],
  ["703710", "aa f9 5e", 3],
  ["2097151", "ff ff 7f", 3],
  ["2097152", "81 80 80 00", 4],
  ["268435455", "ff ff ff 7f", 4],
  ["4294967295", "8f ff ff ff 7f", 5],
  ["34359738367", "ff ff ff ff 7f", 5],
  ["9007199254740991", "8f ff ff ff ff ff ff 7f", 8],
  ["72057594037927935", "ff ff ff ff ff ff ff 7f", 8],
  ["9223372036854775807", "ff ff ff ff ff ff ff ff 7f", 9],
  ["9223372036854775808", "81 80 80 80 80 80 80 80 80 00", 10],
  ["18446744073709551615", "81 ff ff ff ff ff ff ff ff 7f", 10],
  ["3600", "9c 10", 2],
  ["163992", "8a 81 18", 3],
  ["258508800", "fb a2 90 00", 4],
];

/** Writes with GUARD bytes on both sides of an exact-size window; checks the guards. */
const GUARD = 0xa5;
function writeGuarded(hi: number, lo: number, room: number): { r: number; bytes: Uint8Array } {
  const buf = new Uint8Array(room + 8).fill(GUARD);
  const r = writeSdnvU64(buf, 4, 4 + room, hi, lo);
  for (let i = 0; i < 4; i++) expect(buf[i]).toBe(GUARD);
  for (let i = 4 + Math.max(room, 0); i < buf.length; i++) expect(buf[i]).toBe(GUARD);
  return { r, bytes: buf.subarray(4, r < 0 ? 4 : r) };
}

describe("SDNV table", () => {
  for (const [dec, octets, len] of TABLE) {
    const v = BigInt(dec);
    it(`${dec} <-> ${octets}`, () => {
      // encode (u64 and, where safe, number)
      expect(sdnvLengthU64(hiOf(v), loOf(v))).toBe(len);
      const w = writeGuarded(hiOf(v), loOf(v), len);
      expect(w.r).toBe(4 + len);
      expect(toHex(w.bytes)).toBe(octets.replace(/ /g, ""));
      if (v <= BigInt(Number.MAX_SAFE_INTEGER)) {
        const buf = new Uint8Array(12);
        expect(writeSdnv(buf, 1, 12, Number(v))).toBe(1 + len);
        expect(toHex(buf.subarray(1, 1 + len))).toBe(octets.replace(/ /g, ""));
        expect(sdnvLength(Number(v))).toBe(len);
      }
      // decode, with junk after it that must not be read
      const enc = hex(octets + " ff 00");
      const out = new U64();
      expect(readSdnv(enc, 0, enc.length, out)).toBe(len);
      expect(big(out)).toBe(v);
      const rn = readSdnvNumber(enc, 0, enc.length, out);
      if (v <= BigInt(Number.MAX_SAFE_INTEGER)) {
        expect(rn).toBe(len);
        expect(u64ToNumber(out)).toBe(Number(v));
      } else {
        expect(rn).toBe(-Err.SdnvUnsafe);
      }
      // one octet short of the terminator: truncated
      expect(readSdnv(enc, 0, len - 1, out)).toBe(-Err.SdnvTruncated);
      // no room one octet short: nothing written
      expect(writeGuarded(hiOf(v), loOf(v), len - 1).r).toBe(-Err.NoRoom);
    });
  }
});

describe("SDNV decoder edge cases", () => {
  const out = new U64();
  const read = (s: string, off = 0) => {
    const b = hex(s);
    out.hi = 0xdead;
    out.lo = 0xbeef;
    return readSdnv(b, off, b.length, out);
  };
  it("accepts padded forms shorter than 10 octets", () => {
    expect(read("80 80 01")).toBe(3);
    expect(big(out)).toBe(1n);
    expect(read("80 00")).toBe(2);
    expect(big(out)).toBe(0n);
    expect(read("80 80 80 80 80 80 80 80 7f")).toBe(9);
    expect(big(out)).toBe(127n);
    expect(read("80 ff ff ff ff ff ff ff 7f")).toBe(9);
    expect(big(out)).toBe((1n << 56n) - 1n);
  });
  it("rejects 2^64 (82 80 … 00) as SdnvOverflow", () => {
    expect(read("82 80 80 80 80 80 80 80 80 00")).toBe(-Err.SdnvOverflow);
    expect(read("ff ff ff ff ff ff ff ff ff 7f")).toBe(-Err.SdnvOverflow);
  });
  it("rejects a 10-octet padded form (first octet 0x80, not 0x81) as SdnvOverflow — pibkit's rule, as DTN2 and IBR-DTN", () => {
    expect(read("80 80 80 80 80 80 80 80 80 01")).toBe(-Err.SdnvOverflow);
    expect(read("80 ff ff ff ff ff ff ff ff 7f")).toBe(-Err.SdnvOverflow);
  });
  it("rejects more than 10 octets as SdnvTooLong, even when padded or cut at the 10th", () => {
    expect(read("80 80 80 80 80 80 80 80 80 80 01")).toBe(-Err.SdnvTooLong);
    expect(read("81 80 80 80 80 80 80 80 80 80 00")).toBe(-Err.SdnvTooLong);
    expect(read("ff ff ff ff ff ff ff ff ff ff")).toBe(-Err.SdnvTooLong);
    expect(read("80".repeat(40) + "01")).toBe(-Err.SdnvTooLong);
  });
  it("reports a missing terminator as SdnvTruncated", () => {
    expect(read("81")).toBe(-Err.SdnvTruncated);
    expect(read("")).toBe(-Err.SdnvTruncated);
    expect(read("ff ff ff")).toBe(-Err.SdnvTruncated);
    expect(read("01", 1)).toBe(-Err.SdnvTruncated);
    // `end` beyond the buffer is clamped, not read past
    const b = hex("81 82");
    expect(readSdnv(b, 0, 100, out)).toBe(-Err.SdnvTruncated);
  });
  it("honours `end` inside a larger buffer", () => {
    const b = hex("95 3c 95 3c");
    expect(readSdnv(b, 2, 3, out)).toBe(-Err.SdnvTruncated);
    expect(readSdnv(b, 2, 4, out)).toBe(4);
    expect(big(out)).toBe(2748n);
  });
  it("leaves `out` alone on error", () => {
    expect(read("81")).toBe(-Err.SdnvTruncated);
    expect(out.hi).toBe(0xdead);
    expect(out.lo).toBe(0xbeef);
  });
  it("readSdnvNumber: 2^53−1 ok, 2^53 unsafe, errors pass through", () => {
    const b = hex(refEncode(1n << 53n));
    expect(readSdnvNumber(b, 0, b.length, out)).toBe(-Err.SdnvUnsafe);
    const c = hex(refEncode((1n << 53n) - 1n));
    expect(readSdnvNumber(c, 0, c.length, out)).toBe(c.length);
    expect(u64ToNumber(out)).toBe(Number.MAX_SAFE_INTEGER);
    const d = hex("82 80 80 80 80 80 80 80 80 00");
    expect(readSdnvNumber(d, 0, d.length, out)).toBe(-Err.SdnvOverflow);
  });
});

describe("SDNV writer bounds", () => {
  it("never writes outside [off, end) and reports NoRoom", () => {
    for (let room = -1; room <= 10; room++) {
      const w = writeGuarded(0xffffffff, 0xffffffff, room);
      expect(w.r).toBe(room >= 10 ? 14 : -Err.NoRoom);
    }
    const buf = new Uint8Array(2).fill(GUARD);
    expect(writeSdnv(buf, 1, 10, 128)).toBe(-Err.NoRoom); // `end` past the buffer is not trusted
    expect(writeSdnv(buf, -1, 2, 1)).toBe(-Err.NoRoom);
    expect([...buf]).toEqual([GUARD, GUARD]);
  });
  it("writeSdnv refuses values a number cannot hold exactly", () => {
    const buf = new Uint8Array(12);
    for (const bad of [-1, 0.5, NaN, Infinity, 2 ** 53, 2 ** 64]) {
      expect(writeSdnv(buf, 0, 12, bad), String(bad)).toBe(-Err.SdnvUnsafe);
    }
    expect([...buf]).toEqual(new Array(12).fill(0));
  });
});

describe("SDNV property tests (fast-check, seed " + seed + ")", () => {
  const u64 = fc.oneof(
    fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
    fc.integer({ min: 0, max: 64 }).map((k) => (k === 64 ? (1n << 64n) - 1n : 1n << BigInt(k))),
    fc.integer({ min: 1, max: 64 }).map((k) => (1n << BigInt(k)) - 1n),
  );
  it("writeSdnvU64 matches the RFC 6256 reference encoder, and readSdnv inverts it", () => {
    const buf = new Uint8Array(16);
    const out = new U64();
    fc.assert(
      fc.property(u64, fc.integer({ min: 0, max: 6 }), (v, off) => {
        const n = writeSdnvU64(buf, off, buf.length, hiOf(v), loOf(v));
        const ref = refEncode(v);
        expect(toHex(buf.subarray(off, n))).toBe(ref);
        expect(sdnvLengthU64(hiOf(v), loOf(v))).toBe(ref.length / 2);
        expect(readSdnv(buf, off, n, out)).toBe(n);
        expect(big(out)).toBe(v);
      }),
      { seed, numRuns: 3000 },
    );
  });
  it("numbers round-trip exactly up to 2^53−1", () => {
    const buf = new Uint8Array(10);
    const out = new U64();
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeNat(), fc.nat()), (v) => {
        const n = writeSdnv(buf, 0, 10, v);
        expect(n).toBe(sdnvLength(v));
        expect(toHex(buf.subarray(0, n))).toBe(refEncode(BigInt(v)));
        expect(readSdnvNumber(buf, 0, n, out)).toBe(n);
        expect(u64ToNumber(out)).toBe(v);
      }),
      { seed, numRuns: 3000 },
    );
  });
  it("padding with 0x80 keeps the value while the total stays ≤ 9 octets (10 only when minimal)", () => {
    const out = new U64();
    fc.assert(
      fc.property(u64, fc.integer({ min: 1, max: 9 }), (v, pad) => {
        const enc = "80".repeat(pad) + refEncode(v);
        const b = hex(enc);
        const r = readSdnv(b, 0, b.length, out);
        if (b.length <= 9) {
          expect(r).toBe(b.length);
          expect(big(out)).toBe(v);
        } else {
          expect(r).toBe(b.length === 10 ? -Err.SdnvOverflow : -Err.SdnvTooLong);
        }
      }),
      { seed, numRuns: 2000 },
    );
  });
  // Biased towards continuation octets so the 10-octet boundary is hit often.
  const octets = fc.oneof(
    fc.uint8Array({ maxLength: 14 }),
    fc
      .array(fc.oneof(fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0xff), fc.integer({ min: 0x80, max: 0xff })), {
        maxLength: 13,
      })
      .map((a) => Uint8Array.from(a)),
  );
  it("fuzz: arbitrary octets never throw and agree with a BigInt reference decoder", () => {
    const out = new U64();
    fc.assert(
      fc.property(octets, (b) => {
        let ref: bigint | number = -Err.SdnvTruncated;
        let v = 0n;
        for (let i = 0; ; i++) {
          if (i === 10) {
            ref = -Err.SdnvTooLong;
            break;
          }
          if (i === b.length) break;
          v = (v << 7n) | BigInt(b[i]! & 0x7f);
          if (!(b[i]! & 0x80)) {
            ref = i === 9 && b[0] !== 0x81 ? -Err.SdnvOverflow : i + 1;
            break;
          }
        }
        const r = readSdnv(b, 0, b.length, out);
        expect(r).toBe(ref);
        if (r >= 0) expect(big(out)).toBe(v);
      }),
      { seed, numRuns: 5000 },
    );
  });
});
