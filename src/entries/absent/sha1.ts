/** Stand-in for src/core/sha1.ts in feature builds without PIB-HMAC (see ./digest.ts). */
import { AbsentDigest } from "./digest.js";

export class Sha1 extends AbsentDigest {
  constructor() {
    super(20);
  }
}
