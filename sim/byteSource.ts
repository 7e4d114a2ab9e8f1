/**
 * Bytes the simulator can read in pieces without holding them: an image regenerated
 * from its seed, a signed bundle as its header followed by that image, a copy as its
 * reference plus an error pattern (errorBits.ts). The recorder keeps only error patterns
 * (recorder.ts), the device pulls a piece at a time (device.ts), so a bundle of any size
 * costs the host a piece buffer, its header and its flipped bits — the same fixed memory
 * the on-board agent works in (agent.ts).
 */
import { firstAtOrAfter } from "./errorBits.js";
import { mix32 } from "./rng.js";

/** Octets readable at any offset, any number of times, always the same. */
export interface ByteSource {
  readonly length: number;
  /** Writes octets [from, from + n) into out[off, off + n). */
  read(out: Uint8Array, off: number, from: number, n: number): void;
}

function checkRange(s: ByteSource, from: number, n: number): void {
  if (!(from >= 0 && n >= 0 && from + n <= s.length)) throw new Error(`byte source: [${from}, ${from + n}) is outside 0…${s.length}`);
}

/** Octets held in memory (small bundles, tests). */
export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    length: bytes.length,
    read(out, off, from, n) {
      checkRange(this, from, n);
      out.set(bytes.subarray(from, from + n), off);
    },
  };
}

/** Every octet of a source, in one new array (for small sources only). */
export function bytesOf(s: ByteSource): Uint8Array {
  const out = new Uint8Array(s.length);
  s.read(out, 0, 0, s.length);
  return out;
}

/** Octets per independently generated block of an image. */
const IMAGE_BLOCK = 65536;

/**
 * An image of `len` octets fixed by `seed`: each 64 KiB block is xorshift32 from its own
 * seed (mix32 of the image's seed and the block number), so any piece is made without
 * the ones before it. The content does not matter to any check, only that it is fixed.
 * The last two blocks made are kept: a bundle's pieces straddle two blocks, because
 * the header before the payload shifts them. Nothing is allocated before the first read
 * (most images are never read: the statistical mode reads one only where a stuck cell sits).
 */
export function imageSource(len: number, seed: number): ByteSource {
  const blocks: Uint8Array[] = [];
  const made = [-1, -1];
  let next = 0;
  const block = (b: number): Uint8Array => {
    if (made[0] === b) return blocks[0]!;
    if (made[1] === b) return blocks[1]!;
    const out = (blocks[next] ??= new Uint8Array(IMAGE_BLOCK));
    made[next] = b;
    next ^= 1;
    const words = new Uint32Array(out.buffer);
    let x = mix32((seed ^ mix32(b)) >>> 0) || 1;
    for (let i = 0; i < words.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      words[i] = x >>> 0;
    }
    return out;
  };
  return {
    length: len,
    read(out, off, from, n) {
      checkRange(this, from, n);
      while (n > 0) {
        const b = Math.floor(from / IMAGE_BLOCK);
        const at = from - b * IMAGE_BLOCK;
        const k = Math.min(n, IMAGE_BLOCK - at);
        out.set(block(b).subarray(at, at + k), off);
        off += k;
        from += k;
        n -= k;
      }
    },
  };
}

/** `head` then `tail`: a signed bundle is its header followed by the image it carries. */
export function concatSource(head: Uint8Array, tail: ByteSource): ByteSource {
  const h = head.length;
  return {
    length: h + tail.length,
    read(out, off, from, n) {
      checkRange(this, from, n);
      if (from < h) {
        const k = Math.min(n, h - from);
        out.set(head.subarray(from, from + k), off);
        off += k;
        from += k;
        n -= k;
      }
      if (n > 0) tail.read(out, off, from - h, n);
    },
  };
}

/** `base` with the bits of a sorted error pattern flipped: a copy as the recorder or a link delivered it. */
export function withFlips(base: ByteSource, bits: readonly number[]): ByteSource {
  if (bits.length === 0) return base;
  return {
    length: base.length,
    read(out, off, from, n) {
      base.read(out, off, from, n);
      const end = (from + n) * 8;
      for (let i = firstAtOrAfter(bits, from * 8); i < bits.length && bits[i]! < end; i++) {
        const p = bits[i]!;
        const byte = Math.floor(p / 8);   // (a bundle may pass 2^32 bits: no 32-bit shifts)
        out[off + byte - from]! ^= 1 << (p - byte * 8);
      }
    },
  };
}
