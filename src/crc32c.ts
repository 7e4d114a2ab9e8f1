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
 * with `pibkit bench` (docs/primitives.md): slicing-by-16, by-8 unrolled to two steps
 * per pass, and the 8 slices as separate views all ran 15–45 % slower in V8 (they
 * gain 5–15 % in QuickJS only, which runs the one-table build on a device anyway).
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
  /** 256 entries, or 8 × 256 for slicing-by-8 (slice k at offset 256·k). */
  t: Int32Array;

  constructor() {
    this.size = 4;
    this.c = -1;
    const t = new Int32Array(SLICE8 ? 2048 : 256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0x82f63b78 & -(c & 1));
      t[n] = c;
    }
    if (SLICE8) for (let n = 256; n < 2048; n++) t[n] = (t[n - 256]! >>> 8) ^ t[t[n - 256]! & 255]!;
    this.t = t;
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
      for (; i <= end - 8; i += 8) {
        c =
          t[0x700 | (b[i]! ^ (c & 255))]! ^
          t[0x600 | (b[i + 1]! ^ ((c >>> 8) & 255))]! ^
          t[0x500 | (b[i + 2]! ^ ((c >>> 16) & 255))]! ^
          t[0x400 | (b[i + 3]! ^ (c >>> 24))]! ^
          t[0x300 | b[i + 4]!]! ^
          t[0x200 | b[i + 5]!]! ^
          t[0x100 | b[i + 6]!]! ^
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
