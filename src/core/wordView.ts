/**
 * Reading the caller's octets four at a time (build switch `__PIBKIT_WORD_VIEWS__`,
 * src/core/build.ts): an Int32Array view of the whole buffer behind a Uint8Array, so
 * that the Node build's CRC-32C, MD5 and SHA-1 load one 32-bit word where they loaded
 * four octets, each V8 load with its own bounds check, and the QuickJS speed build's
 * MD5 and SHA-1 run one interpreted load where they ran four loads, three shifts and
 * three ors (docs/primitives.md).
 *
 * A view is made the first time a buffer is seen and kept in a WeakMap keyed by the
 * buffer: feeding the same I/O buffers again allocates nothing, and a view goes with its
 * buffer. A resizable ArrayBuffer that has changed size since gets a new view. Words are read as the machine stores them; only a little-endian machine (x86,
 * ARM as Node runs on them) gets views, where a word's octet k is `(x >>> 8k) & 255`.
 * No other firmware build calls this module: module state and a WeakMap would be frozen
 * with the rest of a Moddable preload, and on a size-first build it is code for speed.
 */

/** The machine stores 32-bit words least significant octet first. */
export const LITTLE_ENDIAN = /* @__PURE__ */ new Uint8Array(/* @__PURE__ */ new Uint32Array([1]).buffer)[0] === 1;

let views: WeakMap<ArrayBufferLike, Int32Array> | null = null;

/** The whole-word view of b's buffer (word i = octets 4i … 4i + 3 of the buffer, not of b); null on a big-endian machine. */
export function wordView(b: Uint8Array): Int32Array | null {
  if (!LITTLE_ENDIAN) return null;
  const buf = b.buffer;
  if (views === null) views = new WeakMap();
  let w = views.get(buf);
  // a resizable buffer may have grown or shrunk since its view was made
  if (w === undefined || w.length !== buf.byteLength >> 2) views.set(buf, (w = new Int32Array(buf, 0, buf.byteLength >> 2)));
  return w;
}
