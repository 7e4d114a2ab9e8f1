/**
 * The digests of the three checksum suites (draft-irtf-dtnrg-bundle-checksum-02 §3),
 * made once, and the NULL key of PIB-HMAC. One copy serves the
 * ground Verifier/Signer (pib.ts) and the on-board path (onboard/), and a KeyTable
 * (keys.ts) borrows its HMAC object.
 *
 * One HMAC-SHA1 object serves every key: key id 0 (the NULL key, RFC 5327 §2.1) loads
 * the NULL key's two chaining states, saved at construction (ten words copied, no
 * SHA-1 block), any other key id is loaded by the KeyLookup before each use. A second
 * HMAC object for the NULL key alone would cost a SHA-1 state and six typed arrays.
 *
 * A build carries only the digests of its suites (`__PIBKIT_SUITES__`, src/core/build.ts):
 * a left-out suite's digest is never constructed, so esbuild drops its module. Its id
 * is -1 in such a build (src/onboard/suiteIds.ts), so its field here is never read.
 */
import type {} from "./build.js";
import { Crc32c } from "./crc32c.js";
import type { Digest } from "./digest.js";
import { HmacSha1 } from "./hmac.js";
import { Md5 } from "./md5.js";
import { SuiteKind } from "./suites.js";

export class SuiteDigests {
  crc!: Crc32c;
  md5!: Md5;
  keyMac_!: HmacSha1;
  /** The NULL key's inner and outer chaining states (HmacSha1.saveKey_). */
  nullIh_!: Int32Array;
  nullOh_!: Int32Array;

  constructor() {
    if ((typeof __PIBKIT_SUITES__ === "number" ? __PIBKIT_SUITES__ : -1) & (1 << 3) /* SuiteKind.Crc32 */) this.crc = new Crc32c();
    if ((typeof __PIBKIT_SUITES__ === "number" ? __PIBKIT_SUITES__ : -1) & (1 << 2) /* SuiteKind.Md5 */) this.md5 = new Md5();
    if ((typeof __PIBKIT_SUITES__ === "number" ? __PIBKIT_SUITES__ : -1) & (1 << 1) /* SuiteKind.Hmac */) {
      // A new HmacSha1 holds the NULL key (hmac.ts): keep its states. 10 octets: HMAC-SHA1-80
      // (suites.ts HMAC_RESULT_SIZE, written out: a firmware build inlines no imported const).
      // (No local here: a declaration would keep the block, and its braces, in every build.)
      this.keyMac_ = new HmacSha1(10);
      this.nullIh_ = new Int32Array(5);
      this.nullOh_ = new Int32Array(5);
      this.keyMac_.saveKey_(this.nullIh_, this.nullOh_);
    }
  }

  /** The digest for an unkeyed suite or the NULL key (ready, reset); null for a keyed HMAC. */
  fixed(kind: number, keyId: number): Digest | null {
    const self = this;
    if (kind === SuiteKind.Crc32) return self.crc;
    if (kind === SuiteKind.Md5) return self.md5;
    if (keyId !== 0) return null;
    self.keyMac_.loadKey_(self.nullIh_, self.nullOh_);
    return self.keyMac_;
  }
}
