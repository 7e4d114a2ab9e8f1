/**
 * A bundle's recorder region from imaging to signing, the same in every path: the byte
 * level (bundleLife.ts), the booking pass (booking.ts) and the statistical mode
 * (statistical.ts) make the same region, random stream, start and writes, so they see
 * the same error patterns. The recorder keeps no bytes: an image's content is read
 * (regenerated from its seed) only where a stuck cell sits, whose error depends on the
 * value written over it, and when the device reads it in bundleLife.ts.
 */
import { imageSource, withFlips, type ByteSource } from "./byteSource.js";
import type { Orbit } from "./orbit.js";
import { PATH_ASSUMPTIONS, type BundleSlot } from "./path.js";
import { Recorder } from "./recorder.js";
import type { Rng } from "./rng.js";
import type { Scenario } from "./scenario.js";

export interface HeldImage {
  rec: Recorder;
  payloadBytes: number;
  /** Bits of the image that differed from what was imaged when the signer read it (exposure window). */
  exposureFlips: number;
  /** The image as the signer read it. */
  imaged: ByteSource;
}

/**
 * Bundle `slot`'s region from imaging to signing: the image written at imaging, exposed
 * until signing, read by the signer (EDAC decodes it on the way), released. `rng` is the
 * bundle's stream (`bundle/<k>`).
 */
export function holdImage(s: Scenario, orbit: Orbit, rng: Rng, slot: BundleSlot): HeldImage {
  const regionBytes = Math.ceil((slot.payloadBytes + PATH_ASSUMPTIONS.headerRoom.value) / 8) * 8;
  // the region matters from imaging on: starting it there keeps a bundle's cost independent of its date
  const rec = new Recorder(s, regionBytes, rng.fork("recorder"), { orbit, start: slot.imagedAt, contentless: true });
  const image = imageSource(slot.payloadBytes, rng.fork("image").u32());
  const id = rec.writeLength(slot.payloadBytes, slot.imagedAt, image);
  rec.advance(slot.signedAt);
  const exposureFlips = rec.flipsIn(id);
  const bits = rec.readErrors(id);
  rec.release(id);
  return { rec, payloadBytes: slot.payloadBytes, exposureFlips, imaged: withFlips(image, bits) };
}

/** Thrown by the signed bundle's source when a stuck cell needs an octet of its header. */
class HeaderUnknown extends Error {}

/**
 * Writes the signed bundle at signing time t, knowing its header's length only:
 * `headerBytes` octets of header, then the image as read. Its slot, or -1 when a stuck
 * cell sits under the header (or, with EDAC, in a word reaching into it): the header
 * holds the PIBs' results, which only a real signing gives.
 */
export function holdSigned(h: HeldImage, headerBytes: number, t: number): number {
  const imaged = h.imaged;
  const len = headerBytes + h.payloadBytes;
  const content: ByteSource = {
    length: len,
    read(out, off, from, n) {
      if (from < headerBytes) throw new HeaderUnknown("a stuck cell under the header");
      imaged.read(out, off, from - headerBytes, n);
    },
  };
  try {
    return h.rec.writeLength(len, t, content);
  } catch (e) {
    if (e instanceof HeaderUnknown) return -1;
    throw e;
  }
}
