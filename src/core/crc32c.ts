/**
 * CRC-32C (Castagnoli; RFC 3309 §2.1, RFC 3720 App. B.4) for PIB-INSECURE-CRC32.
 *
 * Reflected polynomial 0x82F63B78, register preset to all ones, final XOR all ones:
 * check("123456789") = 0xE3069283. `finish` writes the value least significant octet
 * first — the SCTP / iSCSI wire order (RFC 3309 §2.1, RFC 3720 B.4; writing it big-endian
 * is the likely interoperability bug).
 *
 * The register is kept as a signed 32-bit int (`^`, `>>>` only), so V8 never boxes it.
 * How many tables is the build-time switch below: one table on microcontrollers, made in
 * the object when the caller starts up (the size-first firmware allocates nothing as its
 * module loads), slicing-by-16 on Node, slicing-by-128 for interpreters, made once as
 * the module loads (Intel's slicing method: N octets per step, one lookup per octet in
 * N tables, t[k][n] = CRC of octet n followed by k zero octets).
 */
import type { Digest } from "./digest.js";

/*
 * Build switch `__PIBKIT_CRC_SLICES__` (src/core/build.ts, docs/primitives.md):
 * - 1 → one 256-entry table (1 KiB, microcontrollers);
 * - 128 → slicing-by-128 through 128 separate 256-entry views of one 128 KiB table,
 *   indexed `tk[b[i + n]]` — the build for a JIT-less interpreter with memory to spare
 *   (QuickJS): one operation fewer per octet than an offset into one table (`b[i++]`
 *   costs one more too), and the four terms that mix in the register and the loop test
 *   once per 128 octets. Every octet still costs about eight bytecodes, so what grows
 *   with the slices is only that share: in QuickJS at 64 KiB, slicing-by-32 ran
 *   1.05–1.12× `crc-32`, by-64 1.18–1.22×, by-128 1.27–1.31× (Uint32Array tables: 0.6×,
 *   entries above 2^31 are not small integers there); docs/primitives.md;
 * - 8, or no define → the Node build: slicing-by-16 through 16 views of one 16 KiB
 *   table, held by one closure made once per process (`nodeSlices`).
 * Why a closure on V8: held in locals or in an object, 16 views need a base and a length
 * each, more than x64 has registers, and every lookup keeps its bounds check (one table
 * by 8 in the object ran 0.81–0.86× `crc-32`, docs/primitives.md "CRC-32C on V8 and in
 * interpreters"). Views that are variables of a closure made once are constants to V8
 * (address and length known, no bounds check): `crc-32`'s shape, and its speed. Past
 * that shape, the Node build reads the data four octets at a time through an Int32Array
 * view of the caller's buffer (one load and three shifts instead of four loads, each
 * with its bounds check): in `pibkit bench` on an AMD EPYC 1,584 → 2,209–2,311 MB/s at
 * 64 KiB (docs/primitives.md); runs shorter than 256 octets keep the octet loop. The view
 * comes from wordView.ts (made once per buffer, `__PIBKIT_WORD_VIEWS__`). The
 * Moddable preload rule (no writable typed arrays at module level) binds the firmware
 * builds, which never take this branch: esbuild drops `nodeTable`, `nodeSlices` and
 * `makeNodeSlices` from them.
 */
import type {} from "./build.js";
import { wordView } from "./wordView.js";

/** Node build only: the slicing-by-16 table (16 × 256 entries) and the closure over its views; made by the first Crc32c. */
let nodeTable: Int32Array | null = null;
let nodeSlices: ((c: number, b: Uint8Array, i: number, end: number, w: Int32Array | null) => number) | null = null;

/**
 * Slicing-by-128 build only: the 128 views of one 128 KiB table, made once as the module
 * loads and shared by every Crc32c. On Moddable XS (`moddable-esp32`) the module is
 * preloaded: its top level runs when the firmware is built, and what it made is linked
 * into flash with the code, read-only, which is all a table needs — 128 KiB of the
 * board's 4 MB of flash and none of its XS heap (a table made by the constructor would
 * take the heap, which the manifest sizes in tens of KiB). In QuickJS (`ssr-200mhz`,
 * `pibkit bench`) it is one table for the process where there was one per Crc32c.
 * Frozen, so that a preload can keep the array itself in flash too.
 */
const slices128: readonly Int32Array[] | null =
  (typeof __PIBKIT_CRC_SLICES__ === "number" ? __PIBKIT_CRC_SLICES__ : 8) === 128 ? makeSlices128() : null;

/** t[256·k + n] = the CRC of octet n followed by k zero octets, for k below entries / 256. */
function crcTable(entries: number): Int32Array {
  const t = new Int32Array(entries);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0x82f63b78 & -(c & 1));
    t[n] = c;
  }
  for (let n = 256; n < entries; n++) t[n] = (t[n - 256]! >>> 8) ^ t[t[n - 256]! & 255]!;
  return t;
}

function makeSlices128(): readonly Int32Array[] {
  const t = crcTable(32768);
  const v: Int32Array[] = [];
  for (let k = 0; k < 128; k++) v.push(t.subarray(256 * k, 256 * k + 256));
  return Object.freeze(v);
}


export class Crc32c implements Digest {
  readonly size: number;
  /** The register, inverted (preset ~0), as a signed 32-bit int. */
  c: number;
  /** 256 entries: the one table, or slice 0 of the shared ones (Node: all 16 × 256, slice k at offset 256·k). */
  t: Int32Array;
  /** Slicing-by-128 build only (absent otherwise): `v[k]` = slice k of the table as its own view (`slices128`). */
  v!: readonly Int32Array[];

  constructor() {
    this.size = 4;
    this.c = -1;
    if ((typeof __PIBKIT_CRC_SLICES__ === "number" ? __PIBKIT_CRC_SLICES__ : 8) === 8) {
      if (nodeTable === null) {
        nodeTable = crcTable(4096);
        nodeSlices = makeNodeSlices(nodeTable);
      }
      this.t = nodeTable;
      return;
    }
    if ((typeof __PIBKIT_CRC_SLICES__ === "number" ? __PIBKIT_CRC_SLICES__ : 8) === 128) {
      this.v = slices128!;
      this.t = slices128![0]!;
      return;
    }
    // the one table written out, not crcTable(256): that function's loop for further
    // slices would cost the size-first firmware 85 B, past pib-path's 8,192
    const t = (this.t = new Int32Array(256));
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0x82f63b78 & -(c & 1));
      t[n] = c;
    }
  }

  reset(): void {
    this.c = -1;
  }

  update(b: Uint8Array, off: number, len: number): void {
    const t = this.t;
    let c = this.c;
    const end = off + len;
    if ((typeof __PIBKIT_CRC_SLICES__ === "number" ? __PIBKIT_CRC_SLICES__ : 8) === 128) {
      const whole = len & ~127;
      c = slice128(this.v, c, b, off, off + whole);
      off += whole;
    }
    if ((typeof __PIBKIT_CRC_SLICES__ === "number" ? __PIBKIT_CRC_SLICES__ : 8) === 8) {
      const words = (typeof __PIBKIT_WORD_VIEWS__ === "number" ? __PIBKIT_WORD_VIEWS__ : 1) === 1 && len >= 256;
      this.c = nodeSlices!(c, b, off, end, words ? wordView(b) : null);
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
 * constants (see the top of this file). With `w`, a whole-word view of b's buffer, the
 * octets up to a 4-aligned address go one at a time, then 16 at a time as four words
 * (least significant octet first, so octet k of a word is `(x >>> 8k) & 255`), then the
 * rest one at a time; without it, 16 octets a step read as `b[i++]`.
 */
function makeNodeSlices(t: Int32Array): (c: number, b: Uint8Array, i: number, end: number, w: Int32Array | null) => number {
  // `var`, as crc-32 writes them: with `const` this loop ran ~4 % slower on V8 (in-process, 64 KiB)
  var t0 = t.subarray(0, 256), t1 = t.subarray(256, 512), t2 = t.subarray(512, 768), t3 = t.subarray(768, 1024),
    t4 = t.subarray(1024, 1280), t5 = t.subarray(1280, 1536), t6 = t.subarray(1536, 1792), t7 = t.subarray(1792, 2048),
    t8 = t.subarray(2048, 2304), t9 = t.subarray(2304, 2560), t10 = t.subarray(2560, 2816), t11 = t.subarray(2816, 3072),
    t12 = t.subarray(3072, 3328), t13 = t.subarray(3328, 3584), t14 = t.subarray(3584, 3840), t15 = t.subarray(3840, 4096);
  function words(c: number, w: Int32Array, j: number, stop: number): number {
    while (j < stop) {
      const a = w[j]! ^ c, b1 = w[j + 1]!, b2 = w[j + 2]!, b3 = w[j + 3]!;
      j += 4;
      c =
        t15[a & 255]! ^ t14[(a >>> 8) & 255]! ^ t13[(a >>> 16) & 255]! ^ t12[a >>> 24]! ^
        t11[b1 & 255]! ^ t10[(b1 >>> 8) & 255]! ^ t9[(b1 >>> 16) & 255]! ^ t8[b1 >>> 24]! ^
        t7[b2 & 255]! ^ t6[(b2 >>> 8) & 255]! ^ t5[(b2 >>> 16) & 255]! ^ t4[b2 >>> 24]! ^
        t3[b3 & 255]! ^ t2[(b3 >>> 8) & 255]! ^ t1[(b3 >>> 16) & 255]! ^ t0[b3 >>> 24]!;
    }
    return c;
  }
  return function (c: number, b: Uint8Array, i: number, end: number, w: Int32Array | null): number {
    if (w !== null) {
      // to a 4-aligned address of b's buffer one octet at a time, then whole 16-octet steps as words
      const at = b.byteOffset;
      while (((at + i) & 3) !== 0 && i < end) c = (c >>> 8) ^ t0[(c ^ b[i++]!) & 255]!;
      const j = (at + i) >> 2, steps = (end - i) >> 4;
      c = words(c, w, j, j + 4 * steps);
      i += 16 * steps;
    } else {
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
    }
    while (i < end) c = (c >>> 8) ^ t0[(c ^ b[i++]!) & 255]!;
    return c;
  };
}

/**
 * The slicing-by-128 steps over b[i, stop) (stop − i a multiple of 128); returns the
 * register. A function of its own, not a branch in `update`: with the slicing loop
 * inline, V8 no longer inlined the Node build's `update` into its callers (bytecode
 * budget), which cost the slicing-by-8 path a quarter of its speed under `pibkit bench`.
 * Unused (and dropped by esbuild) in the other builds.
 */
function slice128(v: readonly Int32Array[], c: number, b: Uint8Array, i: number, stop: number): number {
  const t0 = v[0]!, t1 = v[1]!, t2 = v[2]!, t3 = v[3]!, t4 = v[4]!, t5 = v[5]!, t6 = v[6]!, t7 = v[7]!;
  const t8 = v[8]!, t9 = v[9]!, t10 = v[10]!, t11 = v[11]!, t12 = v[12]!, t13 = v[13]!, t14 = v[14]!, t15 = v[15]!;
  const t16 = v[16]!, t17 = v[17]!, t18 = v[18]!, t19 = v[19]!, t20 = v[20]!, t21 = v[21]!, t22 = v[22]!, t23 = v[23]!;
  const t24 = v[24]!, t25 = v[25]!, t26 = v[26]!, t27 = v[27]!, t28 = v[28]!, t29 = v[29]!, t30 = v[30]!, t31 = v[31]!;
  const t32 = v[32]!, t33 = v[33]!, t34 = v[34]!, t35 = v[35]!, t36 = v[36]!, t37 = v[37]!, t38 = v[38]!, t39 = v[39]!;
  const t40 = v[40]!, t41 = v[41]!, t42 = v[42]!, t43 = v[43]!, t44 = v[44]!, t45 = v[45]!, t46 = v[46]!, t47 = v[47]!;
  const t48 = v[48]!, t49 = v[49]!, t50 = v[50]!, t51 = v[51]!, t52 = v[52]!, t53 = v[53]!, t54 = v[54]!, t55 = v[55]!;
  const t56 = v[56]!, t57 = v[57]!, t58 = v[58]!, t59 = v[59]!, t60 = v[60]!, t61 = v[61]!, t62 = v[62]!, t63 = v[63]!;
  const t64 = v[64]!, t65 = v[65]!, t66 = v[66]!, t67 = v[67]!, t68 = v[68]!, t69 = v[69]!, t70 = v[70]!, t71 = v[71]!;
  const t72 = v[72]!, t73 = v[73]!, t74 = v[74]!, t75 = v[75]!, t76 = v[76]!, t77 = v[77]!, t78 = v[78]!, t79 = v[79]!;
  const t80 = v[80]!, t81 = v[81]!, t82 = v[82]!, t83 = v[83]!, t84 = v[84]!, t85 = v[85]!, t86 = v[86]!, t87 = v[87]!;
  const t88 = v[88]!, t89 = v[89]!, t90 = v[90]!, t91 = v[91]!, t92 = v[92]!, t93 = v[93]!, t94 = v[94]!, t95 = v[95]!;
  const t96 = v[96]!, t97 = v[97]!, t98 = v[98]!, t99 = v[99]!, t100 = v[100]!, t101 = v[101]!, t102 = v[102]!, t103 = v[103]!;
  const t104 = v[104]!, t105 = v[105]!, t106 = v[106]!, t107 = v[107]!, t108 = v[108]!, t109 = v[109]!, t110 = v[110]!, t111 = v[111]!;
  const t112 = v[112]!, t113 = v[113]!, t114 = v[114]!, t115 = v[115]!, t116 = v[116]!, t117 = v[117]!, t118 = v[118]!, t119 = v[119]!;
  const t120 = v[120]!, t121 = v[121]!, t122 = v[122]!, t123 = v[123]!, t124 = v[124]!, t125 = v[125]!, t126 = v[126]!, t127 = v[127]!;
  for (; i < stop; i += 128) {
    c =
      t127[b[i]! ^ (c & 255)]! ^
      t126[b[i + 1]! ^ ((c >>> 8) & 255)]! ^
      t125[b[i + 2]! ^ ((c >>> 16) & 255)]! ^
      t124[b[i + 3]! ^ (c >>> 24)]! ^
      t123[b[i + 4]!]! ^
      t122[b[i + 5]!]! ^
      t121[b[i + 6]!]! ^
      t120[b[i + 7]!]! ^
      t119[b[i + 8]!]! ^
      t118[b[i + 9]!]! ^
      t117[b[i + 10]!]! ^
      t116[b[i + 11]!]! ^
      t115[b[i + 12]!]! ^
      t114[b[i + 13]!]! ^
      t113[b[i + 14]!]! ^
      t112[b[i + 15]!]! ^
      t111[b[i + 16]!]! ^
      t110[b[i + 17]!]! ^
      t109[b[i + 18]!]! ^
      t108[b[i + 19]!]! ^
      t107[b[i + 20]!]! ^
      t106[b[i + 21]!]! ^
      t105[b[i + 22]!]! ^
      t104[b[i + 23]!]! ^
      t103[b[i + 24]!]! ^
      t102[b[i + 25]!]! ^
      t101[b[i + 26]!]! ^
      t100[b[i + 27]!]! ^
      t99[b[i + 28]!]! ^
      t98[b[i + 29]!]! ^
      t97[b[i + 30]!]! ^
      t96[b[i + 31]!]! ^
      t95[b[i + 32]!]! ^
      t94[b[i + 33]!]! ^
      t93[b[i + 34]!]! ^
      t92[b[i + 35]!]! ^
      t91[b[i + 36]!]! ^
      t90[b[i + 37]!]! ^
      t89[b[i + 38]!]! ^
      t88[b[i + 39]!]! ^
      t87[b[i + 40]!]! ^
      t86[b[i + 41]!]! ^
      t85[b[i + 42]!]! ^
      t84[b[i + 43]!]! ^
      t83[b[i + 44]!]! ^
      t82[b[i + 45]!]! ^
      t81[b[i + 46]!]! ^
      t80[b[i + 47]!]! ^
      t79[b[i + 48]!]! ^
      t78[b[i + 49]!]! ^
      t77[b[i + 50]!]! ^
      t76[b[i + 51]!]! ^
      t75[b[i + 52]!]! ^
      t74[b[i + 53]!]! ^
      t73[b[i + 54]!]! ^
      t72[b[i + 55]!]! ^
      t71[b[i + 56]!]! ^
      t70[b[i + 57]!]! ^
      t69[b[i + 58]!]! ^
      t68[b[i + 59]!]! ^
      t67[b[i + 60]!]! ^
      t66[b[i + 61]!]! ^
      t65[b[i + 62]!]! ^
      t64[b[i + 63]!]! ^
      t63[b[i + 64]!]! ^
      t62[b[i + 65]!]! ^
      t61[b[i + 66]!]! ^
      t60[b[i + 67]!]! ^
      t59[b[i + 68]!]! ^
      t58[b[i + 69]!]! ^
      t57[b[i + 70]!]! ^
      t56[b[i + 71]!]! ^
      t55[b[i + 72]!]! ^
      t54[b[i + 73]!]! ^
      t53[b[i + 74]!]! ^
      t52[b[i + 75]!]! ^
      t51[b[i + 76]!]! ^
      t50[b[i + 77]!]! ^
      t49[b[i + 78]!]! ^
      t48[b[i + 79]!]! ^
      t47[b[i + 80]!]! ^
      t46[b[i + 81]!]! ^
      t45[b[i + 82]!]! ^
      t44[b[i + 83]!]! ^
      t43[b[i + 84]!]! ^
      t42[b[i + 85]!]! ^
      t41[b[i + 86]!]! ^
      t40[b[i + 87]!]! ^
      t39[b[i + 88]!]! ^
      t38[b[i + 89]!]! ^
      t37[b[i + 90]!]! ^
      t36[b[i + 91]!]! ^
      t35[b[i + 92]!]! ^
      t34[b[i + 93]!]! ^
      t33[b[i + 94]!]! ^
      t32[b[i + 95]!]! ^
      t31[b[i + 96]!]! ^
      t30[b[i + 97]!]! ^
      t29[b[i + 98]!]! ^
      t28[b[i + 99]!]! ^
      t27[b[i + 100]!]! ^
      t26[b[i + 101]!]! ^
      t25[b[i + 102]!]! ^
      t24[b[i + 103]!]! ^
      t23[b[i + 104]!]! ^
      t22[b[i + 105]!]! ^
      t21[b[i + 106]!]! ^
      t20[b[i + 107]!]! ^
      t19[b[i + 108]!]! ^
      t18[b[i + 109]!]! ^
      t17[b[i + 110]!]! ^
      t16[b[i + 111]!]! ^
      t15[b[i + 112]!]! ^
      t14[b[i + 113]!]! ^
      t13[b[i + 114]!]! ^
      t12[b[i + 115]!]! ^
      t11[b[i + 116]!]! ^
      t10[b[i + 117]!]! ^
      t9[b[i + 118]!]! ^
      t8[b[i + 119]!]! ^
      t7[b[i + 120]!]! ^
      t6[b[i + 121]!]! ^
      t5[b[i + 122]!]! ^
      t4[b[i + 123]!]! ^
      t3[b[i + 124]!]! ^
      t2[b[i + 125]!]! ^
      t1[b[i + 126]!]! ^
      t0[b[i + 127]!]!;
  }
  return c;
}
