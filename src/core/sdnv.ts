/**
 * SDNV — Self-Delimiting Numeric Values (RFC 5050 §4.1, RFC 6256 §2–3).
 *
 * Seven value bits per octet, most significant group first, top bit set on every
 * octet but the last. The whole BP range 0 … 2^64−1 is exact without BigInt: 64-bit
 * values travel as (hi, lo) pairs of unsigned 32-bit words in a caller-owned `U64`;
 * a plain number is used only where the value must stay ≤ 2^53−1.
 *
 * Decoder rules (RFC 5050 §4.1, RFC 6256 §3; read as DTN2 and IBR-DTN read them):
 * - padded forms with leading 0x80 octets are accepted (`80 80 01` = 1);
 * - more than 10 octets → SdnvTooLong (also when the 10th octet still continues);
 * - a 10-octet SDNV must start with 0x81, anything else → SdnvOverflow: 0x82…0xFF
 *   would carry bits above 2^64−1, and a 10-octet *padded* form (`80 … 01`) is
 *   refused by the same rule, exactly as DTN2 and IBR-DTN do;
 * - no terminating octet before `end` → SdnvTruncated.
 * Nothing here allocates or throws: results are offsets (≥ 0) or `-Err.X`.
 */
import { Err } from "./errors.js";

/** An unsigned 64-bit value as two unsigned 32-bit words; `new U64()` is 0. */
export class U64 {
  hi: number;
  lo: number;
  constructor() {
    this.hi = 0;
    this.lo = 0;
  }
}

/*
 * Reads one SDNV from buf[off, end) into `out`. Returns the offset after it, or
 * -Err.SdnvTruncated / -Err.SdnvTooLong / -Err.SdnvOverflow (`out` untouched).
 * The words are kept as int32 in the loop and made unsigned once at the end; the
 * 10-octet/0x81 rule guarantees no bit of an accepted value is shifted out of `hi`.
 */
export function readSdnv(buf: Uint8Array, off: number, end: number, out: U64): number {
  let hi = 0;
  let lo = 0;
  let i = off;
  let b = 0x80;
  while (b & 0x80) {
    if (i - off > 9) return -Err.SdnvTooLong;
    if (i >= end || i >= buf.length) return -Err.SdnvTruncated;
    b = buf[i++]!;
    hi = (hi << 7) | (lo >>> 25);
    lo = (lo << 7) | (b & 0x7f);
  }
  if (i - off > 9 && buf[off] !== 0x81) return -Err.SdnvOverflow;
  out.hi = hi >>> 0;
  out.lo = lo >>> 0;
  return i;
}

/**
 * The value of `v` as a number: exact up to 2^53−1, rounded above. `hi === 0` keeps a
 * small value an integer in QuickJS, where a float-valued typed-array index allocates
 * (test/alloc.test.ts); one shared helper also keeps the firmware short.
 */
export function u64ToNumber(v: U64): number {
  return v.hi === 0 ? v.lo : v.hi * 4294967296 + v.lo;
}

/*
 * readSdnv for fields that must be exact numbers: also -Err.SdnvUnsafe when the
 * value exceeds 2^53−1 (hi ≥ 2^21). On success the value is u64ToNumber(out).
 */
export function readSdnvNumber(buf: Uint8Array, off: number, end: number, out: U64): number {
  const r = readSdnv(buf, off, end, out);
  if (r >= 0 && out.hi > 0x1fffff) return -Err.SdnvUnsafe;
  return r;
}

/* Octets of the minimal SDNV of (hi, lo): one per started group of 7 significant bits, at least 1 (RFC 6256 Table 1). */
export function sdnvLengthU64(hi: number, lo: number): number {
  hi = hi >>> 0;
  let n = 1;
  while (hi !== 0 || lo >>> 7 !== 0) {
    lo = (lo >>> 7) | (hi << 25);
    hi = hi >>> 7;
    n++;
  }
  return n;
}

/*
 * Octets of the minimal SDNV of a number in [0, 2^53−1]: one more for every factor of
 * 128. Dividing by 128 only lowers the binary exponent, so `value` stays exact (as
 * value / 128^k) and the comparison is exact. Number-only, not through sdnvLengthU64:
 * the firmware's PIB path then carries no 64-bit SDNV writer at all.
 */
export function sdnvLength(value: number): number {
  let n = 1;
  for (; value >= 128; n++) value /= 128;
  return n;
}

/*
 * Writes (hi, lo) in minimal form at buf[off…]; returns the offset after it, or
 * -Err.NoRoom (nothing written) when it would pass `end` or the buffer.
 * Filled from the last octet backwards, shifting the 64-bit pair right by 7.
 */
export function writeSdnvU64(buf: Uint8Array, off: number, end: number, hi: number, lo: number): number {
  hi = hi >>> 0;
  lo = lo >>> 0;
  const n = sdnvLengthU64(hi, lo);
  const next = off + n;
  if (off < 0 || next > end || next > buf.length) return -Err.NoRoom;
  let i = next - 1;
  buf[i] = lo & 0x7f;
  while (i > off) {
    lo = (lo >>> 7) | (hi << 25);
    hi = hi >>> 7;
    buf[--i] = (lo & 0x7f) | 0x80;
  }
  return next;
}

/*
 * Writes a number in [0, 2^53−1] in minimal form; -Err.SdnvUnsafe for anything else
 * (negative, fractional, NaN, too large), -Err.NoRoom when it does not fit. From the
 * last octet backwards as in writeSdnvU64, but on the number: after k exact divisions by
 * 128, group k is the low 7 bits of the integer part, and `&` takes exactly those
 * (ToInt32 truncates, then keeps the value mod 2^32; Espruino's `| 0` was measured
 * agreeing above 2^32, and its bitwise operators share one conversion).
 * `% 128` would be as exact but half the speed in V8.
 */
export function writeSdnv(buf: Uint8Array, off: number, end: number, value: number): number {
  if (value % 1 !== 0 || value < 0 || value > 9007199254740991) return -Err.SdnvUnsafe; // NaN, ±Infinity: % 1 is NaN
  const next = off + sdnvLength(value);
  if (off < 0 || next > end || next > buf.length) return -Err.NoRoom;
  for (let i = next, more = 0; i > off; more = 0x80) {
    buf[--i] = (value & 127) | more;
    value /= 128;
  }
  return next;
}
