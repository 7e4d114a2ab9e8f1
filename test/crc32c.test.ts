/**
 * CRC-32C (src/core/crc32c.ts): every published vector (RFC 3720 B.4 incl. the
 * 48-octet iSCSI PDU), then fast-check against an independent bit-serial CRC with the data
 * cut into random `update` pieces, the residue property, reset/reuse — for ALL three table
 * builds: the default (the Node build, slicing-by-16 through one closure, as vitest loads the source), the microcontroller
 * build (esbuild with `__PIBKIT_CRC_SLICES__ = 1`, the way the firmware build makes it)
 * and the interpreter build (`__PIBKIT_CRC_SLICES__ = 128`: slicing-by-128 through views).
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { Crc32c } from "../src/core/crc32c.js";
import { bytes, crc32cBitSerial, feedInPieces, hex, importSmallBuild, piecesArb, seed } from "./digestHelpers.js";


const PDU =
  "01c00000 00000000 00000000 00000000 14000000 00000400 00000014 00000018 28000000 00000000 02000000 00000000";
// input, CRC value, octets on the wire (LSB first): RFC 3720 B.4 and common check values
const VECTORS: Array<[string, Uint8Array, number, string]> = [
  ["empty", bytes(""), 0x00000000, "00000000"],
  ['"123456789"', bytes("123456789"), 0xe3069283, "839206e3"],
  ["32 × 0x00", new Uint8Array(32), 0x8a9136aa, "aa36918a"],
  ["32 × 0xFF", new Uint8Array(32).fill(0xff), 0x62a8ab43, "43aba862"],
  ["0x00…0x1F", Uint8Array.from({ length: 32 }, (_, i) => i), 0x46dd794e, "4e79dd46"],
  ["0x1F…0x00", Uint8Array.from({ length: 32 }, (_, i) => 31 - i), 0x113fdb5c, "5cdb3f11"],
  ["iSCSI Read(10) PDU", hex(PDU), 0xd9963a56, "563a96d9"],
  ['"a"', bytes("a"), 0xc1d04330, "3043d0c1"],
  ['"The quick brown fox jumps over the lazy dog"', bytes("The quick brown fox jumps over the lazy dog"), 0x22620404, "04046222"],
  ['"Hello, world"', bytes("Hello, world"), 0x5bca1439, "3914ca5b"],
];

type Ctor = new () => Crc32c;
const builds: Array<[string, () => Ctor]> = [];
let oneTable: Ctor | undefined;
let slicing128: Ctor | undefined;
builds.push(["slicing-by-16 through one closure (default: Node)", () => Crc32c]);
builds.push(["one table (__PIBKIT_CRC_SLICES__=1)", () => oneTable!]);
builds.push(["slicing-by-128 views (__PIBKIT_CRC_SLICES__=128)", () => slicing128!]);

beforeAll(async () => {
  const small = await importSmallBuild<{ Crc32c: Ctor }>("src/core/crc32c.ts");
  // The define must really remove the slicing code (8 KiB table) from this build.
  expect(small.text).not.toMatch(/1792|2048/);
  oneTable = small.mod.Crc32c;
  const s128 = await importSmallBuild<{ Crc32c: Ctor }>("src/core/crc32c.ts", 128);
  // …and the slicing-by-128 build must really run its own loop (128 views), not slicing-by-8's.
  expect(s128.text).toMatch(/32768/);
  expect(s128.text).not.toMatch(/1792|2048/);
  slicing128 = s128.mod.Crc32c;
});

for (const [name, get] of builds) {
  describe(`CRC-32C, ${name}`, () => {
    it("has a table of the expected size", () => {
      const c = new (get())();
      expect(c.t.length).toBe(name.startsWith("slicing-by-16") ? 4096 : 256);
      if (name.includes("128")) {
        // 128 views of one 128 KiB table, slice k = CRC of octet n then k zero octets:
        // v[k][n] = (v[k−1][n] >>> 8) ^ v[0][v[k−1][n] & 255]; t is slice 0
        expect(c.v.length).toBe(128);
        expect(c.t).toBe(c.v[0]);
        c.v.forEach((view, k) => {
          expect([view.length, view.buffer.byteLength, view.byteOffset]).toEqual([256, 131072, 1024 * k]);
          if (k > 0) expect(Array.from(view)).toEqual(Array.from(c.v[k - 1]!, (x) => (x >>> 8) ^ c.v[0]![x & 255]!));
        });
        // made once as the module loaded: every Crc32c shares them, and the list is frozen
        expect(new (get())().v).toBe(c.v);
        expect(Object.isFrozen(c.v)).toBe(true);
      }
    });
    for (const [label, data, value, wire] of VECTORS) {
      it(`${label} = ${value.toString(16)}`, () => {
        expect(crc32cBitSerial(data)).toBe(value); // the reference agrees with the table, too
        const c = new (get())();
        expect(c.size).toBe(4);
        c.update(data, 0, data.length);
        expect(c.value()).toBe(value);
        const out = new Uint8Array(6).fill(0xa5);
        c.finish(out, 1);
        expect(Buffer.from(out).toString("hex")).toBe("a5" + wire + "a5");
        expect(c.value()).toBe(value); // finish does not disturb value()
      });
    }
    it("matches the bit-serial reference on random data in random update pieces", () => {
      const c = new (get())();
      fc.assert(
        fc.property(piecesArb(3000), (p) => {
          c.reset();
          feedInPieces(c, p.data, p.cuts);
          expect(c.value()).toBe(crc32cBitSerial(p.data));
        }),
        { seed, numRuns: 400 },
      );
    });
    it("gives the same value for every split point of short inputs, at any buffer offset", () => {
      const c = new (get())();
      const data = Uint8Array.from({ length: 40 }, (_, i) => (i * 37 + 11) & 255);
      for (let n = 0; n <= data.length; n++) {
        const want = crc32cBitSerial(data.subarray(0, n));
        for (let cut = 0; cut <= n; cut++) {
          c.reset();
          c.update(data, 0, cut);
          c.update(data, cut, n - cut);
          expect(c.value(), `n=${n} cut=${cut}`).toBe(want);
        }
      }
    });
    it("residue: message + its CRC in wire order has CRC 0x48674BC7", () => {
      const c = new (get())();
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
          const buf = new Uint8Array(data.length + 4);
          buf.set(data);
          c.reset();
          c.update(buf, 0, data.length);
          c.finish(buf, data.length);
          c.reset();
          c.update(buf, 0, buf.length);
          expect(c.value()).toBe(0x48674bc7);
        }),
        { seed, numRuns: 200 },
      );
    });
    it("reset makes an object reusable; update with len 0 changes nothing", () => {
      const c = new (get())();
      const d = bytes("123456789");
      c.update(d, 0, 9);
      c.update(d, 3, 0);
      expect(c.value()).toBe(0xe3069283);
      c.reset();
      expect(c.value()).toBe(0);
      c.update(d, 0, 9);
      expect(c.value()).toBe(0xe3069283);
    });
    it("reads only buf[off, off+len)", () => {
      const c = new (get())();
      const big = new Uint8Array(100).fill(0xee);
      big.set(bytes("123456789"), 50);
      c.update(big, 50, 9);
      expect(c.value()).toBe(0xe3069283);
      // Long enough for whole slicing steps (2 × 128 + 5 octets), at an odd offset.
      const data = Uint8Array.from({ length: 261 }, (_, i) => (i * 91 + 7) & 255);
      const wide = new Uint8Array(400).fill(0xee);
      wide.set(data, 29);
      c.reset();
      c.update(wide, 29, 261);
      expect(c.value()).toBe(crc32cBitSerial(data));
    });
    // The Node build reads runs of 256 octets or more as 32-bit words of the buffer: the
    // octets before the first 4-aligned address of the *buffer* (not of the view) go one
    // at a time, then 16-octet steps, then the rest.
    it("gives the bit-serial value for views at every alignment of their buffer, runs around 256 octets, buffers in turn", () => {
      const c = new (get())();
      const buffers = [0, 1, 2].map((k) => Uint8Array.from({ length: 700 }, (_, i) => (i * 131 + 17 * k + 5) & 255).buffer);
      for (let shift = 0; shift < 8; shift++) {
        for (const len of [255, 256, 257, 271, 272, 273, 300, 511]) {
          for (let k = 0; k < buffers.length; k++) {
            const view = new Uint8Array(buffers[k]!, shift, 600);
            for (const off of [0, 1, 3, 6]) {
              c.reset();
              c.update(view, off, len);
              expect(c.value(), `buffer ${k} view at ${shift}, off ${off}, len ${len}`).toBe(crc32cBitSerial(view.subarray(off, off + len)));
              c.reset();
              c.update(view, off, 5);
              c.update(view, off + 5, len - 5);
              expect(c.value(), `same, cut after 5`).toBe(crc32cBitSerial(view.subarray(off, off + len)));
            }
          }
        }
      }
    });
  });
}
