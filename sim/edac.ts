/**
 * SEC-DED EDAC of the Hsiao kind (M. Y. Hsiao, "A Class of Optimal Minimum Odd-weight-
 * column SEC-DED Codes", IBM J. Res. Dev. 14(4), 1970): k data bits + r check bits; the
 * parity-check matrix H has a unit column for each check bit and a distinct odd-weight
 * (>= 3) column for each data bit, lowest weights first.
 *
 * The code is linear, so the syndrome of a stored word depends only on its *error
 * pattern* e (the bits that differ from what was written): s = H·e. The recorder keeps
 * error patterns, not check bits, and decodes from them — exactly what hardware does
 * from the stored bits, without encoding every word on write.
 *
 * Decoding, honestly, for any number of errors:
 * - s = 0: no error seen. For e ≠ 0 (an error pattern that is itself a codeword,
 *   weight >= 4) the word is silently wrong.
 * - s = a column of H: "single error" — that bit is flipped. For one error this
 *   corrects; for three or more it can *miscorrect* (adds a fourth wrong bit).
 * - any other s: detected, uncorrectable. Every double error lands here: the sum of
 *   two distinct odd-weight columns is non-zero and of even weight, and every column
 *   (unit columns included) has odd weight.
 */

/** Outcome of decoding one word's syndrome. */
export const enum Decode { None = -1, Uncorrectable = -2 }

export class SecDed {
  readonly dataBits: number;
  readonly checkBits: number;
  /** bits per stored word (data + check) */
  readonly wordBits: number;
  /** column of H for each bit position: data bits 0..k-1, then check bits k..k+r-1 */
  readonly columns: Uint32Array;
  /** syndrome → bit position, or -1 */
  private readonly byColumn: Int16Array;

  constructor(dataBits: number, checkBits: number) {
    if (checkBits < 2 || checkBits > 16) throw new Error(`SEC-DED: ${checkBits} check bits unsupported`);
    if ((1 << (checkBits - 1)) - checkBits < dataBits) {
      throw new Error(`SEC-DED: ${checkBits} check bits cannot cover ${dataBits} data bits`);
    }
    this.dataBits = dataBits;
    this.checkBits = checkBits;
    this.wordBits = dataBits + checkBits;
    this.columns = new Uint32Array(this.wordBits);
    this.byColumn = new Int16Array(1 << checkBits).fill(-1);
    let i = 0;
    for (let w = 3; w <= checkBits && i < dataBits; w += 2) {
      for (let v = 1; v < (1 << checkBits) && i < dataBits; v++) {
        if (popcount(v) === w) this.columns[i++] = v;
      }
    }
    for (let c = 0; c < checkBits; c++) this.columns[dataBits + c] = 1 << c;
    for (let b = 0; b < this.wordBits; b++) this.byColumn[this.columns[b]!] = b;
  }

  /** Syndrome of an error pattern given as bit positions within the word. */
  syndromeOf(bits: ReadonlyArray<number>): number {
    let s = 0;
    for (const b of bits) s ^= this.columns[b]!;
    return s;
  }

  /** Bit position the decoder flips, Decode.None (s = 0) or Decode.Uncorrectable. */
  decode(syndrome: number): number {
    if (syndrome === 0) return Decode.None;
    const b = this.byColumn[syndrome]!;
    return b >= 0 ? b : Decode.Uncorrectable;
  }

  /** The r check bits a writer stores for a data word (for stuck check cells). */
  encode(data: Uint8Array, off: number): number {
    let s = 0;
    for (let b = 0; b < this.dataBits; b++) {
      if ((data[off + (b >>> 3)]! >>> (b & 7)) & 1) s ^= this.columns[b]!;
    }
    return s;
  }
}

export function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}
