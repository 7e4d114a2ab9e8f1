/**
 * CRC-32C (Castagnoli; RFC 3309 §2.1, RFC 3720 App. B.4) for PIB-INSECURE-CRC32.
 *
 * Reflected polynomial 0x82F63B78, register preset to all ones, final XOR all ones:
 * check("123456789") = 0xE3069283. `finish` writes the value least significant octet
 * first — the SCTP / iSCSI wire order (bundle-checksum.md §5.1, §7 item 15).
 *
 * The register is kept as a signed 32-bit int (`^`, `>>>` only), so V8 never boxes it.
 * Tables live in the object (Moddable freezes module-level typed arrays); how many is
 * the build-time switch below: one table on microcontrollers, slicing-by-8 on Node
 * (Intel's slicing method: 8 octets per step, one lookup per octet in 8 tables,
 * t[k][n] = CRC of octet n followed by k zero octets).
 */
import type { Digest } from "./digest.js";

/*
 * Build-time switch, set with esbuild `define` (docs/primitives.md):
 * `__PIBKIT_CRC_SLICES__` = 1 → one 256-entry table (1 KiB, microcontrollers); any
 * other number, or no define → slicing-by-8 (8 KiB, ~3.5× faster on Node). Measured
 * with `pibkit bench` (docs/primitives.md): slicing-by-16, and by-8 unrolled to two
 * steps per pass, ran 25–45 % slower in V8 (they gain 5–15 % in QuickJS only).
 * Read in this file, not imported: esbuild folds a same-file constant before dead-code
 * removal but inlines an imported one only after it (an imported flag left the dead
 * slicing loop in the one-table build).
 */
declare const __PIBKIT_CRC_SLICES__: number | undefined;
const SLICE8: boolean = typeof __PIBKIT_CRC_SLICES__ !== "number" || __PIBKIT_CRC_SLICES__ !== 1;

export class Crc32c implements Digest {
  readonly size: number;
  /** The register, inverted (preset ~0), as a signed 32-bit int. */
  c: number;
  /** The byte-at-a-time table (256 entries; in slicing builds the first of 2,048). */
  t: Int32Array;
  /*
   * Slicing-by-8 only: views of the 8 slices, t1[n] = CRC of n then one zero octet …
   * Separate views, not offsets into `t`: one lookup fewer operation per octet, which
   * an interpreter pays (QuickJS 0.87× → 0.96× of crc-32); V8 runs both alike.
   */
  t1!: Int32Array;
  t2!: Int32Array;
  t3!: Int32Array;
  t4!: Int32Array;
  t5!: Int32Array;
  t6!: Int32Array;
  t7!: Int32Array;

  constructor() {
    this.size = 4;
    this.c = -1;
    const t = new Int32Array(SLICE8 ? 2048 : 256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0x82f63b78 & -(c & 1));
      t[n] = c;
    }
    this.t = t;
    if (SLICE8) {
      for (let n = 256; n < 2048; n++) t[n] = (t[n - 256]! >>> 8) ^ t[t[n - 256]! & 255]!;
      this.t1 = t.subarray(256, 512);
      this.t2 = t.subarray(512, 768);
      this.t3 = t.subarray(768, 1024);
      this.t4 = t.subarray(1024, 1280);
      this.t5 = t.subarray(1280, 1536);
      this.t6 = t.subarray(1536, 1792);
      this.t7 = t.subarray(1792, 2048);
    }
  }

  reset(): void {
    this.c = -1;
  }

  update(b: Uint8Array, off: number, len: number): void {
    const t = this.t;
    let c = this.c;
    let i = off;
    const end = off + len;
    if (SLICE8) {
      const t1 = this.t1;
      const t2 = this.t2;
      const t3 = this.t3;
      const t4 = this.t4;
      const t5 = this.t5;
      const t6 = this.t6;
      const t7 = this.t7;
      for (; i <= end - 8; i += 8) {
        c =
          t7[b[i]! ^ (c & 255)]! ^
          t6[b[i + 1]! ^ ((c >>> 8) & 255)]! ^
          t5[b[i + 2]! ^ ((c >>> 16) & 255)]! ^
          t4[b[i + 3]! ^ (c >>> 24)]! ^
          t3[b[i + 4]!]! ^
          t2[b[i + 5]!]! ^
          t1[b[i + 6]!]! ^
          t[b[i + 7]!]!;
      }
    }
    for (; i < end; i++) c = (c >>> 8) ^ t[(c ^ b[i]!) & 255]!;
    this.c = c;
  }

  /** The CRC of everything fed so far, as an unsigned 32-bit number. */
  value(): number {
    return ~this.c >>> 0;
  }

  finish(out: Uint8Array, off: number): void {
    const v = ~this.c;
    for (let i = 0; i < 4; i++) out[off + i] = (v >>> (8 * i)) & 255;
  }
}
