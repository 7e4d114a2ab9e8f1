/**
 * HMAC-SHA1 (src/core/hmac.ts): RFC 2202 §3 cases 1–7, full and truncated to the leftmost 10
 * octets, the NULL key (RFC 5327 §2.1) on six inputs, then node:crypto property
 * tests over random keys of every length class — Node and microcontroller builds.
 */
import fc from "fast-check";
import { createHmac } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { HmacSha1, nullKey } from "../src/core/hmac.js";
import { bytes, digestHex, digestProperties, hex, importSmallBuild, seed, toHex } from "./digestHelpers.js";

const RFC2202: Array<[number, Uint8Array, Uint8Array, string]> = [
  [1, new Uint8Array(20).fill(0x0b), bytes("Hi There"), "b617318655057264e28bc0b6fb378c8ef146be00"],
  [2, bytes("Jefe"), bytes("what do ya want for nothing?"), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"],
  [3, new Uint8Array(20).fill(0xaa), new Uint8Array(50).fill(0xdd), "125d7342b9ac11cd91a39af48aa17b4f63f175d3"],
  [4, Uint8Array.from({ length: 25 }, (_, i) => i + 1), new Uint8Array(50).fill(0xcd), "4c9007f4026250c6bc8414f9bf50c86c2d7235da"],
  [5, new Uint8Array(20).fill(0x0c), bytes("Test With Truncation"), "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04"],
  [6, new Uint8Array(80).fill(0xaa), bytes("Test Using Larger Than Block-Size Key - Hash Key First"), "aa4ae5e15272d00e95705637ce8a3b55ed402112"],
  [
    7,
    new Uint8Array(80).fill(0xaa),
    bytes("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"),
    "e8e99d0f45237d786d6bbaa7965c7808bbff1a91",
  ],
];
const NULL_TABLE: Array<[string, Uint8Array, string]> = [
  ['""', bytes(""), "01e54e5e8c6287eeeeacfdd7d205589f201d3a1a"],
  ['"abc"', bytes("abc"), "769a5a91157df9436f836eb659123d437e7a9a1d"],
  ['"123456789"', bytes("123456789"), "08bbc420ca6d6d6f05b115f82bf4341a444c377e"],
  ['"The quick brown fox…"', bytes("The quick brown fox jumps over the lazy dog"), "ad88f27c6be529351c5a21ef565d4e5262c6cd06"],
  ['"Hello, world"', bytes("Hello, world"), "e5f26a1575359f90de3e543098beff16ffff2c18"],
  ["32 × 0x00", new Uint8Array(32), "7b0b1d0034042f67c0bbbbdb08d36f6bce0b2094"],
];
const NULL_KEY = "c37b7e6492584340bed12207808941155068f738";
const ref = (key: Uint8Array, d: Uint8Array) => createHmac("sha1", key).update(d).digest("hex");

type Ctor = new (size: number) => HmacSha1;
let small: { HmacSha1: Ctor; nullKey: () => Uint8Array } | undefined;
beforeAll(async () => {
  small = (await importSmallBuild<{ HmacSha1: Ctor; nullKey: () => Uint8Array }>("src/core/hmac.ts")).mod;
});

const builds: Array<[string, () => Ctor, () => () => Uint8Array]> = [
  ["Node build", () => HmacSha1, () => nullKey],
  ["microcontroller build", () => small!.HmacSha1, () => small!.nullKey],
];
for (const [name, get, getNullKey] of builds) {
  describe(`HMAC-SHA1, ${name}`, () => {
    for (const [n, key, data, mac] of RFC2202) {
      it(`RFC 2202 case ${n}: ${mac} / HMAC-SHA1-80 ${mac.slice(0, 20)}`, () => {
        const full = new (get())(20);
        // the key sits inside a larger buffer: setKey must read only key[off, off+len)
        const host = new Uint8Array(key.length + 9).fill(0xee);
        host.set(key, 4);
        full.setKey(host, 4, key.length);
        expect(full.size).toBe(20);
        expect(digestHex(full, data)).toBe(mac);
        const short = new (get())(10);
        short.setKey(key, 0, key.length);
        expect(short.size).toBe(10);
        expect(digestHex(short, data)).toBe(mac.slice(0, 20));
      });
    }
    it("nullKey() is c37b7e64 92584340 bed12207 80894115 5068f738 (RFC 5327 §2.1), a fresh copy each call", () => {
      const k = getNullKey()();
      expect(toHex(k)).toBe(NULL_KEY);
      k[0] = 0;
      expect(toHex(getNullKey()())).toBe(NULL_KEY);
    });
    for (const [label, data, mac] of NULL_TABLE) {
      it(`NULL key, ${label}: ${mac.slice(0, 20)}`, () => {
        const viaSetKey = new (get())(10);
        const k = getNullKey()();
        viaSetKey.setKey(k, 0, k.length);
        expect(digestHex(viaSetKey, data)).toBe(mac.slice(0, 20));
        // a new object holds the NULL key until setKey is called
        expect(digestHex(new (get())(20), data)).toBe(mac);
      });
    }
    it("setKey replaces the key; reset keeps it; keys of every length class match node:crypto", () => {
      const mac = new (get())(20);
      fc.assert(
        fc.property(
          fc.oneof(fc.uint8Array({ maxLength: 70 }), fc.uint8Array({ minLength: 60, maxLength: 200 })),
          fc.uint8Array({ maxLength: 300 }),
          (key, data) => {
            mac.setKey(key, 0, key.length);
            const want = ref(key, data);
            expect(digestHex(mac, data)).toBe(want);
            expect(digestHex(mac, data)).toBe(want); // reused after reset, same key
          },
        ),
        { seed, numRuns: 300 },
      );
      for (const len of [0, 1, 63, 64, 65, 128]) {
        const key = Uint8Array.from({ length: len }, (_, i) => i * 3 + 1);
        mac.setKey(key, 0, len);
        expect(digestHex(mac, bytes("x")), `key length ${len}`).toBe(ref(key, bytes("x")));
      }
    });
    it("wipes the padded key block after setKey", () => {
      const mac = new (get())(20);
      mac.setKey(hex("0102030405"), 0, 5);
      expect([...mac.kb].every((b) => b === 0)).toBe(true);
    });
    const key = bytes("pibkit test key");
    describe("properties with a fixed key", () => {
      digestProperties(
        () => {
          const m = new (get())(20);
          m.setKey(key, 0, key.length);
          return m;
        },
        (d) => ref(key, d),
        200,
      );
      digestProperties(
        () => {
          const m = new (get())(10);
          m.setKey(key, 0, key.length);
          return m;
        },
        (d) => ref(key, d).slice(0, 20),
        100,
      );
    });
  });
}
