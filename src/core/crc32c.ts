/**
 * CRC-32C (Castagnoli; RFC 3309 §2.1, RFC 3720 App. B.4) for PIB-INSECURE-CRC32.
 *
 * Reflected polynomial 0x82F63B78, register preset to all ones, final XOR all ones:
 * check("123456789") = 0xE3069283. `finish` writes the value least significant octet
 * first — the SCTP / iSCSI wire order (RFC 3309 §2.1, RFC 3720 B.4; writing it big-endian
 * is the likely interoperability bug).
 *
 * The register is kept as a signed 32-bit int (`^`, `>>>` only), so V8 never boxes it.
 * Tables live in the object (Moddable freezes module-level typed arrays); how many is
 * the build-time switch below: one table on microcontrollers, slicing-by-8 on Node,
 * slicing-by-32 for interpreters (Intel's slicing method: N octets per step, one lookup
 * per octet in N tables, t[k][n] = CRC of octet n followed by k zero octets).
 */
import type { Digest } from "./digest.js";

/*
 * Build switch `__PIBKIT_CRC_SLICES__` (src/core/build.ts, docs/primitives.md):
 * - 1 → one 256-entry table (1 KiB, microcontrollers);
 * - 32 → slicing-by-32 through 32 separate 256-entry views of one 32 KiB table, indexed
 *   `tk[b[i + n]]` — the build for a JIT-less interpreter with memory to spare (QuickJS):
 *   one operation fewer per octet than an offset into one table, a quarter of the loop
 *   overhead of slicing-by-8. In QuickJS at 64 KiB: ~1.25× slicing-by-8, ~1.04× slicing-by-16
 *   views, 1.12× `crc-32` (docs/primitives.md);
 * - 8, or no define → the Node build: slicing-by-16 through 16 views of one 16 KiB
 *   table, held by one closure made once per process (`nodeSlices`).
 * Why a closure on V8: held in locals or in an object, 16 views need a base and a length
 * each, more than x64 has registers, and every lookup keeps its bounds check (one table
 * by 8 in the object ran 0.81–0.86× `crc-32`, docs/primitives.md "CRC-32C on V8 and in
 * interpreters"). Views that are variables of a closure made once are constants to V8
 * (address and length known, no bounds check): `crc-32`'s shape, and its speed. The
 * Moddable preload rule (no writable typed arrays at module level) binds the firmware
 * builds, which never take this branch: esbuild drops `nodeTable`, `nodeSlices` and
 * `makeNodeSlices` from them.
 */
import type {} from "./build.js";

/** Node build only: the slicing-by-16 table (16 × 256 entries) and the closure over its views; made by the first Crc32c. */
let nodeTable: Int32Array | null = null;
let nodeSlices: ((c: number, b: Uint8Array, i: number, end: number) => number) | null = null;

export class Crc32c implements Digest {
  readonly size: number;
  /** The register, inverted (preset ~0), as a signed 32-bit int. */
  c: number;
  /** 256 entries, or 16 × 256 (Node, shared by every Crc32c) / 32 × 256 for slicing (slice k at offset 256·k). */
  t: Int32Array;
  /** Slicing-by-32 build only (absent otherwise): `v[k]` = slice k of `t` as its own view. */
  v!: Int32Array[];

  constructor() {
    this.size = 4;
    this.c = -1;
    if ((typeof __PIBKIT_CRC_SLICES__ === "number" ? __PIBKIT_CRC_SLICES__ : 8) === 8) {
      if (nodeTable === null) {
        const t = new Int32Array(4096);
        for (let n = 0; n < 256; n++) {
          let c = n;
          for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0x82f63b78 & -(c & 1));
          t[n] = c;
        }
        for (let n = 256; n < 4096; n++) t[n] = (t[n - 256]! >>> 8) ^ t[t[n - 256]! & 255]!;
        nodeTable = t;
        nodeSlices = makeNodeSlices(t);
      }
      this.t = nodeTable;
      return;
    }
    const t = (this.t = new Int32Array(
      (typeof __PIBKIT_CRC_SLICES__ === "number" ? __PIBKIT_CRC_SLICES__ : 8) === 1 ? 256 : (typeof __PIBKIT_CRC_SLICES__ === "number" ? __PIBKIT_CRC_SLICES__ : 8) === 32 ? 8192 : 2048,
    ));
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0x82f63b78 & -(c & 1));
      t[n] = c;
    }
    if ((typeof __PIBKIT_CRC_SLICES__ === "number" ? __PIBKIT_CRC_SLICES__ : 8) !== 1) for (let n = 256; n < t.length; n++) t[n] = (t[n - 256]! >>> 8) ^ t[t[n - 256]! & 255]!;
    if ((typeof __PIBKIT_CRC_SLICES__ === "number" ? __PIBKIT_CRC_SLICES__ : 8) === 32) {
      const v: Int32Array[] = [];
      for (let k = 0; k < 32; k++) v.push(t.subarray(256 * k, 256 * k + 256));
      this.v = v;
    }
  }

  reset(): void {
    this.c = -1;
  }

  update(b: Uint8Array, off: number, len: number): void {
    const t = this.t;
    let c = this.c;
    const end = off + len;
    if ((typeof __PIBKIT_CRC_SLICES__ === "number" ? __PIBKIT_CRC_SLICES__ : 8) === 32) {
      const whole = len & ~31;
      c = slice32(this.v, c, b, off, off + whole);
      off += whole;
    }
    if ((typeof __PIBKIT_CRC_SLICES__ === "number" ? __PIBKIT_CRC_SLICES__ : 8) === 8) {
      this.c = nodeSlices!(c, b, off, end);
      return;
    }
    while (off < end) c = (c >>> 8) ^ t[(c ^ b[off++]!) & 255]!;
    this.c = c;
  }

  /** The CRC of everything fed so far, as an unsigned 32-bit number. */
  value(): number {
    return ~this.c >>> 0;
  }

  finish(out: Uint8Array, off: number): void {
    for (let i = 0; i < 4; i++) out[off + i] = (~this.c >>> (8 * i)) & 255;
  }
}

/**
 * Node build only: the closure over the 16 views of `t` (slice k = CRC of an octet then
 * k zero octets) that every Crc32c of the process calls; returns the register after
 * b[i, end). Views in variables of a closure made once are what V8 compiles to
 * constants (see the top of this file). Octets are read as `b[i++]` and the register
 * split with `>>`, the shape measured fastest on V8.
 */
function makeNodeSlices(t: Int32Array): (c: number, b: Uint8Array, i: number, end: number) => number {
  // `var`, as crc-32 writes them: with `const` this loop ran ~4 % slower on V8 (in-process, 64 KiB)
  var t0 = t.subarray(0, 256), t1 = t.subarray(256, 512), t2 = t.subarray(512, 768), t3 = t.subarray(768, 1024),
    t4 = t.subarray(1024, 1280), t5 = t.subarray(1280, 1536), t6 = t.subarray(1536, 1792), t7 = t.subarray(1792, 2048),
    t8 = t.subarray(2048, 2304), t9 = t.subarray(2304, 2560), t10 = t.subarray(2560, 2816), t11 = t.subarray(2816, 3072),
    t12 = t.subarray(3072, 3328), t13 = t.subarray(3328, 3584), t14 = t.subarray(3584, 3840), t15 = t.subarray(3840, 4096);
  return function (c: number, b: Uint8Array, i: number, end: number): number {
    end -= 15;
    while (i < end) {
      c =
        t15[b[i++]! ^ (c & 255)]! ^
        t14[b[i++]! ^ ((c >> 8) & 255)]! ^
        t13[b[i++]! ^ ((c >> 16) & 255)]! ^
        t12[b[i++]! ^ (c >>> 24)]! ^
        t11[b[i++]!]! ^
        t10[b[i++]!]! ^
        t9[b[i++]!]! ^
        t8[b[i++]!]! ^
        t7[b[i++]!]! ^
        t6[b[i++]!]! ^
        t5[b[i++]!]! ^
        t4[b[i++]!]! ^
        t3[b[i++]!]! ^
        t2[b[i++]!]! ^
        t1[b[i++]!]! ^
        t0[b[i++]!]!;
    }
    end += 15;
    while (i < end) c = (c >>> 8) ^ t0[(c ^ b[i++]!) & 255]!;
    return c;
  };
}

/**
 * The slicing-by-32 steps over b[i, stop) (stop − i a multiple of 32); returns the register.
 * A function of its own, not a branch in `update`: with the 32-term loop inline, V8 no
 * longer inlined the Node build's `update` into its callers (bytecode budget), which
 * cost the slicing-by-8 path a quarter of its speed under `pibkit bench`. Unused (and
 * dropped by esbuild) in the other builds.
 */
function slice32(v: Int32Array[], c: number, b: Uint8Array, i: number, stop: number): number {
  const t0 = v[0]!, t1 = v[1]!, t2 = v[2]!, t3 = v[3]!, t4 = v[4]!, t5 = v[5]!, t6 = v[6]!, t7 = v[7]!;
  const t8 = v[8]!, t9 = v[9]!, t10 = v[10]!, t11 = v[11]!, t12 = v[12]!, t13 = v[13]!, t14 = v[14]!, t15 = v[15]!;
  const t16 = v[16]!, t17 = v[17]!, t18 = v[18]!, t19 = v[19]!, t20 = v[20]!, t21 = v[21]!, t22 = v[22]!, t23 = v[23]!;
  const t24 = v[24]!, t25 = v[25]!, t26 = v[26]!, t27 = v[27]!, t28 = v[28]!, t29 = v[29]!, t30 = v[30]!, t31 = v[31]!;
  for (; i < stop; i += 32) {
    c =
      t31[b[i]! ^ (c & 255)]! ^
      t30[b[i + 1]! ^ ((c >>> 8) & 255)]! ^
      t29[b[i + 2]! ^ ((c >>> 16) & 255)]! ^
      t28[b[i + 3]! ^ (c >>> 24)]! ^
      t27[b[i + 4]!]! ^
      t26[b[i + 5]!]! ^
      t25[b[i + 6]!]! ^
      t24[b[i + 7]!]! ^
      t23[b[i + 8]!]! ^
      t22[b[i + 9]!]! ^
      t21[b[i + 10]!]! ^
      t20[b[i + 11]!]! ^
      t19[b[i + 12]!]! ^
      t18[b[i + 13]!]! ^
      t17[b[i + 14]!]! ^
      t16[b[i + 15]!]! ^
      t15[b[i + 16]!]! ^
      t14[b[i + 17]!]! ^
      t13[b[i + 18]!]! ^
      t12[b[i + 19]!]! ^
      t11[b[i + 20]!]! ^
      t10[b[i + 21]!]! ^
      t9[b[i + 22]!]! ^
      t8[b[i + 23]!]! ^
      t7[b[i + 24]!]! ^
      t6[b[i + 25]!]! ^
      t5[b[i + 26]!]! ^
      t4[b[i + 27]!]! ^
      t3[b[i + 28]!]! ^
      t2[b[i + 29]!]! ^
      t1[b[i + 30]!]! ^
      t0[b[i + 31]!]!;
  }
  return c;
}
