/**
 * CRC-32C (Castagnoli; RFC 3309 §2.1, RFC 3720 App. B.4) for PIB-INSECURE-CRC32.
 *
 * Reflected polynomial 0x82F63B78, register preset to all ones, final XOR all ones:
 * check("123456789") = 0xE3069283. `finish` writes the value least significant octet
 * first — the SCTP / iSCSI wire order (bundle-checksum.md §5.1, §7 item 15).
 *
 * The register is kept as a signed 32-bit int (`^`, `>>>` only), so V8 never boxes it.
 * Tables live in the object (Moddable freezes module-level typed arrays); how many is
 * the build-time switch below: one table on microcontrollers, slicing-by-16 on Node
 * (Intel's slicing method: 16 octets per step, one lookup per octet in 16 tables,
 * t[k][n] = CRC of octet n followed by k zero octets).
 */
import type { Digest } from "./digest.js";

/*
 * Build-time switch, set with esbuild `define` (docs/primitives.md):
 * `__PIBKIT_CRC_SLICES__` = 1 → one 256-entry table (1 KiB, microcontrollers); any
 * other number, or no define → slicing-by-16 (16 KiB, ~3.5× faster on Node; by-8 was
 * as fast in V8 but 30 % slower in QuickJS, which pays per loop iteration).
 * Read in this file, not imported: esbuild folds a same-file constant before dead-code
 * removal but inlines an imported one only after it (an imported flag left the dead
 * slicing loop in the one-table build).
 */
declare const __PIBKIT_CRC_SLICES__: number | undefined;
const SLICE16: boolean = typeof __PIBKIT_CRC_SLICES__ !== "number" || __PIBKIT_CRC_SLICES__ !== 1;

export class Crc32c implements Digest {
  readonly size: number;
  /** The register, inverted (preset ~0), as a signed 32-bit int. */
  c: number;
  /** 256 entries, or 16 × 256 for slicing-by-16 (slice k at offset 256·k). */
  t: Int32Array;

  constructor() {
    this.size = 4;
    this.c = -1;
    const t = new Int32Array(SLICE16 ? 4096 : 256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
      t[n] = c;
    }
    if (SLICE16) for (let n = 256; n < 4096; n++) t[n] = (t[n - 256]! >>> 8) ^ t[t[n - 256]! & 255]!;
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
    if (SLICE16) {
      for (; i <= end - 16; i += 16) {
        c =
          t[0xf00 | (b[i]! ^ (c & 255))]! ^
          t[0xe00 | (b[i + 1]! ^ ((c >>> 8) & 255))]! ^
          t[0xd00 | (b[i + 2]! ^ ((c >>> 16) & 255))]! ^
          t[0xc00 | (b[i + 3]! ^ (c >>> 24))]! ^
          t[0xb00 | b[i + 4]!]! ^
          t[0xa00 | b[i + 5]!]! ^
          t[0x900 | b[i + 6]!]! ^
          t[0x800 | b[i + 7]!]! ^
          t[0x700 | b[i + 8]!]! ^
          t[0x600 | b[i + 9]!]! ^
          t[0x500 | b[i + 10]!]! ^
          t[0x400 | b[i + 11]!]! ^
          t[0x300 | b[i + 12]!]! ^
          t[0x200 | b[i + 13]!]! ^
          t[0x100 | b[i + 14]!]! ^
          t[b[i + 15]!]!;
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
