/** Stand-in for src/core/hmac.ts in feature builds without PIB-HMAC (see ./digest.ts). */
import { AbsentDigest } from "./digest.js";

export class HmacSha1 extends AbsentDigest {
  setKey(_key: Uint8Array, _off: number, _len: number): void {}
  saveKey_(_ih: Int32Array, _oh: Int32Array): void {}
  loadKey_(_ih: Int32Array, _oh: Int32Array): void {}
  finishFull(_out: Uint8Array, _off: number): void {}
}

/** The NULL key's length only (RFC 5327 §2.1); its octets are never used here. */
export function nullKey(): Uint8Array {
  return new Uint8Array(20);
}
