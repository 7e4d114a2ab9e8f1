/** Stand-in for src/core/crc32c.ts in feature builds without PIB-INSECURE-CRC32 (see ./digest.ts). */
import { AbsentDigest } from "./digest.js";

export class Crc32c extends AbsentDigest {
  constructor() {
    super(4);
  }
  value(): number {
    return 0;
  }
}
