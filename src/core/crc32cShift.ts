/**
 * Joining CRC-32C registers of stretches digested apart: the ground tools' second thread
 * (no firmware entry imports this file). The polynomial is crc32c.ts's, reflected, 0x82F63B78.
 */
import type { Crc32c } from "./crc32c.js";

/** `d` as if it had taken n more octets whose register, fed from 0, is `r`. */
export function crc32cJoin(d: Crc32c, n: number, r: number): void {
  d.c = crc32cShift(d.c, n) ^ r;
}

/**
 * The register after `n` zero octets fed from register `c`: c·x^(8n) mod P, in the
 * reflected form Crc32c keeps its register in (bit 31 is x^0). A CRC register is linear in the
 * register and the data together, so the register after octets M (n of them) fed from
 * `c` is `crc32cShift(c, n) ^ r`, r being the register after M fed from 0: two threads
 * can digest two stretches of one file and join them (cli/crcThreads.ts). zlib's
 * crc32_combine is the same algebra for CRC-32. Square-and-multiply on x^8: exact for
 * any n below 2^53, about a hundred products of 32 steps however large n is.
 */
export function crc32cShift(c: number, n: number): number {
  let p = 1 << 31; // x^0
  let x = 1 << 23; // x^8: one zero octet
  while (n > 0) {
    if (n % 2 === 1) p = mulModP(x, p);
    x = mulModP(x, x);
    n = Math.floor(n / 2);
  }
  return mulModP(p, c);
}

/** a·b mod P for reflected 32-bit polynomials (bit 31 is x^0): one shift of b per bit of a. */
function mulModP(a: number, b: number): number {
  let p = 0;
  for (let i = 0; i < 32; i++) {
    if ((a & (1 << (31 - i))) !== 0) p ^= b;
    b = (b >>> 1) ^ (0x82f63b78 & -(b & 1));
  }
  return p;
}
