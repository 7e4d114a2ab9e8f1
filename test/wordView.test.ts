/**
 * The Node build's word views (src/core/wordView.ts): a digest fed from a resizable
 * ArrayBuffer that grew or shrank after its view was made must read the buffer as it is
 * now, not through the stale view (whose words past its old length read as undefined).
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Crc32c } from "../src/core/crc32c.js";
import { Md5 } from "../src/core/md5.js";
import { Sha1 } from "../src/core/sha1.js";
import { wordView } from "../src/core/wordView.js";
import { crc32cBitSerial } from "./digestHelpers.js";

const hex = (d: { size: number; finish(o: Uint8Array, off: number): void }) => {
  const o = new Uint8Array(d.size);
  d.finish(o, 0);
  return Buffer.from(o).toString("hex");
};

describe("word views of a resizable buffer", () => {
  it("a grown buffer is read through a new view, a shrunk one too", () => {
    // resizable ArrayBuffers (ES2024) are in Node 20's V8; this project's TypeScript library is ES2022
    const buf = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer & { resize(n: number): void })(512, { maxByteLength: 8192 });
    const u = new Uint8Array(buf); // length-tracking
    const fill = () => u.forEach((_, i) => (u[i] = (i * 89 + 7) & 255));
    fill();
    const crc = new Crc32c();
    const md5 = new Md5();
    const sha1 = new Sha1();
    for (const size of [512, 8192, 1024]) {
      buf.resize(size);
      fill();
      crc.reset();
      crc.update(u, 0, u.length);
      expect(crc.value(), `CRC-32C, ${size} octets`).toBe(crc32cBitSerial(u));
      md5.reset();
      md5.update(u, 0, u.length);
      expect(hex(md5), `MD5, ${size} octets`).toBe(createHash("md5").update(u).digest("hex"));
      sha1.reset();
      sha1.update(u, 0, u.length);
      expect(hex(sha1), `SHA-1, ${size} octets`).toBe(createHash("sha1").update(u).digest("hex"));
      expect(wordView(u)!.length).toBe(size >> 2);
    }
  });
  it("one view per buffer while its size stays: the same object on every call", () => {
    const u = new Uint8Array(1000);
    expect(wordView(u)).toBe(wordView(u.subarray(100)));
    expect(wordView(u)!.length).toBe(250);
  });
});
