/** Stand-in for src/core/md5.ts in feature builds without PIB-INSECURE-MD5 (see ./digest.ts). */
import { AbsentDigest } from "./digest.js";

export class Md5 extends AbsentDigest {
  constructor() {
    super(16);
  }
}
