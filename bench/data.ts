/**
 * Benchmark inputs: sizes and a deterministic byte pattern, shared by the Node run
 * and the QuickJS bundle (bench/quickjsEntry.ts), so both sides hash the same bytes
 * and every output can be checked against node:crypto on the host.
 */

/** The sizes compared: 64 B (per-call overhead), 1 KiB, 64 KiB, 16 MiB. */
export const FULL_SIZES = [64, 1024, 65536, 16 * 1024 * 1024];
/** `--quick`: 16 MiB replaced by 1 MiB. */
export const QUICK_SIZES = [64, 1024, 65536, 1024 * 1024];
/** The size the QuickJS comparison runs at. */
export const QUICKJS_SIZE = 65536;

/** The HMAC key of every keyed run: 20 octets (a PIB-HMAC key), not the NULL key. */
export function benchKey(): Uint8Array {
  const k = new Uint8Array(20);
  for (let i = 0; i < 20; i++) k[i] = (0xa5 + i * 29) & 0xff;
  return k;
}

/**
 * `size` pseudo-random octets (xorshift32, fixed seed) in their own ArrayBuffer, so
 * peers that want an ArrayBuffer (spark-md5) get exactly these bytes.
 */
export function benchInput(size: number): Uint8Array {
  const b = new Uint8Array(size);
  let x = 0x9e3779b9 ^ size;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

/** Lowercase hex of bytes (no Buffer: this file also runs inside QuickJS). */
export function hexOf(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += (b[i]! < 16 ? "0" : "") + b[i]!.toString(16);
  return s;
}

/** A CRC as 8 hex digits of its unsigned 32-bit value. */
export function hex32(v: number): string {
  const s = (v >>> 0).toString(16);
  return "00000000".slice(s.length) + s;
}
