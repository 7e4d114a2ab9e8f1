/**
 * Endpoint-ID text straight from a parsed bundle, without making strings.
 *
 * An EID is `scheme ":" ssp` (RFC 5050 §4.4); the dictionary holds scheme and SSP as
 * separate NUL-terminated strings and the colon is not stored, so the text is streamed
 * as three pieces: dictionary bytes, one ':' from a scratch buffer, dictionary bytes.
 * The canonicalization profiles (docs/pib.md: R3 and the named profiles) need it with
 * the colon (RFC 6257 reading, IBR-DTN), without it (DTN2), and with a u32 big-endian
 * length before it (every primary EID; IBR-DTN's block EID references).
 *
 * CBHE (RFC 6260 §2.2): with a dictionary length of 0 the scheme "offset" is the ipn
 * node number and the SSP "offset" the service number. The text `ipn:<node>.<service>`
 * is synthesised as decimal digits in the scratch buffer (docs/pib.md).
 *
 * `scheme` and `ssp` are the values as on the wire: dictionary-relative offsets, or
 * node/service numbers under CBHE, e.g. (b.destScheme, b.destSsp) or
 * (b.eidScheme[k], b.eidSsp[k]). The bundle must have parsed without error, which
 * guarantees every string is inside the dictionary and NUL-terminated.
 */
import type { Bundle } from "./bundle.js";

/** What an EID is streamed into: any Digest (`src/core/digest.ts`) fits. */
export interface EidSink {
  update(buf: Uint8Array, off: number, len: number): void;
}

/* Scratch layout: [0,4) u32 length prefix, [4,8) "ipn:", [8,48) CBHE "<node>.<service>". */
const LEN_AT = 0;
const IPN_AT = 4;
const COLON_AT = 7;
const DIGITS_AT = 8;
const SCRATCH_SIZE = 48;

/** Length of the NUL-terminated dictionary string at dictionary offset `rel`. */
export function dictStringLength(b: Bundle, rel: number): number {
  const buf = b.buf;
  const start = b.dictOff + rel;
  const stop = b.dictOff + b.dictLen;
  let i = start;
  while (i < stop && buf[i] !== 0) i++;
  return i - start;
}

/** Number of decimal digits of an integer 0 <= v < 2^53. */
export function decimalDigits(v: number): number {
  let n = 1;
  while (v >= 10) {
    v = Math.floor(v / 10);
    n++;
  }
  return n;
}

/** Writes the decimal digits of 0 <= v < 2^53 at out[at…]; returns the offset after them. */
function writeDecimal(out: Uint8Array, at: number, v: number): number {
  const n = decimalDigits(v);
  let i = at + n - 1;
  while (i >= at) {
    const q = Math.floor(v / 10);
    out[i] = 48 + (v - q * 10);
    v = q;
    i--;
  }
  return at + n;
}

/** Length of the EID text with its colon (`scheme:ssp`); subtract 1 for the colon-less form. */
export function eidLength(b: Bundle, scheme: number, ssp: number): number {
  if (b.dictLen === 0) return 4 + decimalDigits(scheme) + 1 + decimalDigits(ssp);
  return dictStringLength(b, scheme) + 1 + dictStringLength(b, ssp);
}

/** a[ao, ao+al) equals c[co, co+cl). */
function sameBytes(a: Uint8Array, ao: number, al: number, c: Uint8Array, co: number, cl: number): boolean {
  if (al !== cl) return false;
  for (let i = 0; i < al; i++) if (a[ao + i] !== c[co + i]) return false;
  return true;
}

/*
 * Streams EID text into sinks. Create one per task at start-up: it owns a 48-octet
 * scratch buffer (the colon, the u32 length prefix and CBHE digits) and nothing else.
 * The canonicalizer needs only this; `EidText` adds the comparison, so a firmware
 * that never compares EIDs (the PIB path) carries no comparison code.
 */
export class EidEmitter {
  scratch_: Uint8Array;

  constructor() {
    this.scratch_ = new Uint8Array(SCRATCH_SIZE);
    const s = this.scratch_;
    s[IPN_AT] = 0x69; // i
    s[IPN_AT + 1] = 0x70; // p
    s[IPN_AT + 2] = 0x6e; // n
    s[COLON_AT] = 0x3a; // :
  }

  /** Writes `<node>.<service>` at DIGITS_AT; returns its length. */
  cbheDigits_(node: number, service: number): number {
    const s = this.scratch_;
    let p = writeDecimal(s, DIGITS_AT, node);
    s[p++] = 0x2e; // .
    p = writeDecimal(s, p, service);
    return p - DIGITS_AT;
  }

  /**
   * Streams the EID text into `d`: `scheme:ssp` when `colon`, else `schemessp` (DTN2).
   * With `lengthPrefix` a u32 big-endian text length (of exactly what follows) comes first.
   */
  emit(b: Bundle, scheme: number, ssp: number, colon: boolean, lengthPrefix: boolean, d: EidSink): void {
    const s = this.scratch_;
    if (lengthPrefix) {
      const n = eidLength(b, scheme, ssp) - (colon ? 0 : 1);
      s[LEN_AT] = (n >>> 24) & 0xff;
      s[LEN_AT + 1] = (n >>> 16) & 0xff;
      s[LEN_AT + 2] = (n >>> 8) & 0xff;
      s[LEN_AT + 3] = n & 0xff;
      d.update(s, LEN_AT, 4);
    }
    if (b.dictLen === 0) {
      const n = this.cbheDigits_(scheme, ssp);
      if (colon) {
        d.update(s, IPN_AT, 4 + n);
      } else {
        d.update(s, IPN_AT, 3);
        d.update(s, DIGITS_AT, n);
      }
      return;
    }
    d.update(b.buf, b.dictOff + scheme, dictStringLength(b, scheme));
    if (colon) d.update(s, COLON_AT, 1);
    d.update(b.buf, b.dictOff + ssp, dictStringLength(b, ssp));
  }

}

/** EidEmitter plus comparison of an EID's text with given octets. */
export class EidText extends EidEmitter {
  constructor() {
    super();
  }

  /** True when the EID's `scheme:ssp` text equals text[off, off + len). */
  equals(b: Bundle, scheme: number, ssp: number, text: Uint8Array, off: number, len: number): boolean {
    if (b.dictLen === 0) {
      const n = this.cbheDigits_(scheme, ssp);
      return sameBytes(this.scratch_, IPN_AT, 4 + n, text, off, len);
    }
    const sl = dictStringLength(b, scheme);
    const pl = dictStringLength(b, ssp);
    if (len !== sl + 1 + pl || text[off + sl] !== 0x3a) return false;
    return (
      sameBytes(b.buf, b.dictOff + scheme, sl, text, off, sl) &&
      sameBytes(b.buf, b.dictOff + ssp, pl, text, off + sl + 1, pl)
    );
  }
}

/** A dictionary string as Latin-1 text (ground tools only). */
function dictString(b: Bundle, rel: number): string {
  const n = dictStringLength(b, rel);
  let out = "";
  for (let i = 0; i < n; i++) out += String.fromCharCode(b.buf[b.dictOff + rel + i]!);
  return out;
}

/*
 * The EID as a JavaScript string, for ground tools only (allocates). Dictionary bytes
 * are taken as Latin-1 so that every octet shows and nothing is rejected.
 */
export function eidString(b: Bundle, scheme: number, ssp: number): string {
  if (b.dictLen === 0) return "ipn:" + scheme + "." + ssp;
  return dictString(b, scheme) + ":" + dictString(b, ssp);
}

