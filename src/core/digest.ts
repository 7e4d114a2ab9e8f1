/**
 * The streaming-digest contract shared by CRC-32C, MD5, SHA-1 and HMAC-SHA1, so the
 * canonicalizer (RFC 6257 §3.4.2) can feed any ciphersuite piece by piece.
 *
 * State is created once; `update` and `finish` never allocate and never throw.
 * After `finish`, call `reset()` before feeding the object again.
 */
export interface Digest {
  /** Octets `finish` writes. */
  readonly size: number;
  /** Back to the empty-message state (keys, for HMAC, are kept). */
  reset(): void;
  /** Feeds buf[off, off + len). */
  update(buf: Uint8Array, off: number, len: number): void;
  /** Writes `size` octets at out[off…]. */
  finish(out: Uint8Array, off: number): void;
}
