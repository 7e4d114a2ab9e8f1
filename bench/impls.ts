/**
 * The pure-JavaScript contenders of the benchmark: pibkit's own digests and the npm
 * peers written in plain JS. This file has no Node APIs, so the same definitions run
 * on Node (bench/nodeImpls.ts adds the native and wasm ones) and, bundled by esbuild,
 * inside QuickJS (bench/quickjsEntry.ts). The peer modules are handed in, because
 * Node loads some of them with `require` and the QuickJS bundle imports them.
 */
import { Crc32c } from "../src/core/crc32c.js";
import { HmacSha1 } from "../src/core/hmac.js";
import { Md5 } from "../src/core/md5.js";
import { Sha1 } from "../src/core/sha1.js";
import { hex32, hexOf } from "./data.js";

export type Alg = "crc32c" | "md5" | "sha1" | "hmac-sha1";
export const ALGS: Alg[] = ["crc32c", "md5", "sha1", "hmac-sha1"];

/** pibkit = ours; js = pure-JS peer; native = node:crypto / N-API; wasm = WebAssembly peer. */
export type Kind = "pibkit" | "js" | "native" | "wasm";

export interface Impl {
  alg: Alg;
  /** "pibkit", the npm name of a peer, or "node:crypto". */
  impl: string;
  kind: Kind;
  /** One digest of all of `data`, in the implementation's natural API. */
  run: (data: Uint8Array) => unknown;
  /** The digest `run` returned, as lowercase hex (CRC: 8 digits of the 32-bit value). */
  hex: (result: unknown) => string;
}

/** The shapes of the pure-JS peer modules, as far as the benchmark uses them. */
export interface PureJsPeers {
  crc32c: { buf(data: Uint8Array, seed?: number): number };
  sparkMd5: { ArrayBuffer: { hash(data: ArrayBuffer, raw?: boolean): string } };
  jsMd5: { arrayBuffer(data: Uint8Array): ArrayBuffer };
  nobleMd5: (data: Uint8Array) => Uint8Array;
  nobleSha1: (data: Uint8Array) => Uint8Array;
  nobleHmac: (hash: unknown, key: Uint8Array, data: Uint8Array) => Uint8Array;
}

const hexBytes = (r: unknown): string => hexOf(r as Uint8Array);
const hexBuffer = (r: unknown): string => hexOf(new Uint8Array(r as ArrayBuffer));
const hexCrc = (r: unknown): string => hex32(r as number);
const hexText = (r: unknown): string => r as string;

/**
 * pibkit's digests, used the way pib.ts uses them: state made once, then reset,
 * update over the whole input, finish into a caller's buffer. The HMAC is re-keyed
 * on every call (setKey), as verification with a looked-up key does, so it pays
 * the same key schedule as the one-shot peers.
 */
export function pibkitImpls(key: Uint8Array): Impl[] {
  const crc = new Crc32c();
  const md5 = new Md5();
  const sha1 = new Sha1();
  const mac = new HmacSha1(20);
  const out = new Uint8Array(20);
  const out16 = new Uint8Array(16);
  return [
    {
      alg: "crc32c",
      impl: "pibkit",
      kind: "pibkit",
      run: (d) => {
        crc.reset();
        crc.update(d, 0, d.length);
        return crc.value();
      },
      hex: hexCrc,
    },
    {
      alg: "md5",
      impl: "pibkit",
      kind: "pibkit",
      run: (d) => {
        md5.reset();
        md5.update(d, 0, d.length);
        md5.finish(out16, 0);
        return out16;
      },
      hex: hexBytes,
    },
    {
      alg: "sha1",
      impl: "pibkit",
      kind: "pibkit",
      run: (d) => {
        sha1.reset();
        sha1.update(d, 0, d.length);
        sha1.finish(out, 0);
        return out;
      },
      hex: hexBytes,
    },
    {
      alg: "hmac-sha1",
      impl: "pibkit",
      kind: "pibkit",
      run: (d) => {
        mac.setKey(key, 0, key.length);
        mac.update(d, 0, d.length);
        mac.finish(out, 0);
        return out;
      },
      hex: hexBytes,
    },
  ];
}

/** The pure-JS npm peers, each through its usual one-call API. */
export function pureJsPeerImpls(p: PureJsPeers, key: Uint8Array, nobleSha1Hash: unknown): Impl[] {
  return [
    { alg: "crc32c", impl: "crc-32", kind: "js", run: (d) => p.crc32c.buf(d), hex: hexCrc },
    { alg: "md5", impl: "spark-md5", kind: "js", run: (d) => p.sparkMd5.ArrayBuffer.hash(d.buffer as ArrayBuffer), hex: hexText },
    { alg: "md5", impl: "js-md5", kind: "js", run: (d) => p.jsMd5.arrayBuffer(d), hex: hexBuffer },
    { alg: "md5", impl: "@noble/hashes", kind: "js", run: (d) => p.nobleMd5(d), hex: hexBytes },
    { alg: "sha1", impl: "@noble/hashes", kind: "js", run: (d) => p.nobleSha1(d), hex: hexBytes },
    { alg: "hmac-sha1", impl: "@noble/hashes", kind: "js", run: (d) => p.nobleHmac(nobleSha1Hash, key, d), hex: hexBytes },
  ];
}
