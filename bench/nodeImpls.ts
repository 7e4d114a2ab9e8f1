/**
 * Every contender on Node: pibkit and the pure-JS peers (bench/impls.ts), plus the
 * native (node:crypto, @node-rs/crc32) and WebAssembly (hash-wasm) ones, and the
 * reference each output is checked against.
 */
import { createHash, createHmac } from "node:crypto";
import { createRequire } from "node:module";
import { crc32c as nativeCrc32c } from "@node-rs/crc32";
import { hmac as nobleHmac } from "@noble/hashes/hmac";
import { md5 as nobleMd5, sha1 as nobleSha1 } from "@noble/hashes/legacy";
import { createHMAC, createSHA1 } from "hash-wasm";
import { hex32, hexOf } from "./data.js";
import { type Alg, type Impl, pibkitImpls, type PureJsPeers, pureJsPeerImpls } from "./impls.js";

/** CommonJS peers whose subpaths Node's ESM resolver will not find without an extension. */
export function requirePureJsPeers(): PureJsPeers {
  const require = createRequire(import.meta.url);
  return {
    crc32c: require("crc-32/crc32c") as PureJsPeers["crc32c"],
    sparkMd5: require("spark-md5") as PureJsPeers["sparkMd5"],
    jsMd5: require("js-md5") as PureJsPeers["jsMd5"],
    nobleMd5,
    nobleSha1,
    nobleHmac: nobleHmac as unknown as PureJsPeers["nobleHmac"],
  };
}

const hexBytes = (r: unknown): string => hexOf(r as Uint8Array);

/** All implementations on Node, pibkit first. */
export async function nodeImpls(key: Uint8Array): Promise<Impl[]> {
  const wasmHmac = await createHMAC(createSHA1(), key);
  const native: Impl[] = [
    { alg: "crc32c", impl: "@node-rs/crc32", kind: "native", run: (d) => nativeCrc32c(d), hex: (r) => hex32(r as number) },
    { alg: "md5", impl: "node:crypto", kind: "native", run: (d) => createHash("md5").update(d).digest(), hex: hexBytes },
    { alg: "sha1", impl: "node:crypto", kind: "native", run: (d) => createHash("sha1").update(d).digest(), hex: hexBytes },
    { alg: "hmac-sha1", impl: "node:crypto", kind: "native", run: (d) => createHmac("sha1", key).update(d).digest(), hex: hexBytes },
    {
      alg: "hmac-sha1",
      impl: "hash-wasm",
      kind: "wasm",
      run: (d) => {
        wasmHmac.init();
        wasmHmac.update(d);
        return wasmHmac.digest("binary");
      },
      hex: hexBytes,
    },
  ];
  return [...pibkitImpls(key), ...pureJsPeerImpls(requirePureJsPeers(), key, nobleSha1), ...native];
}

/**
 * The digest every implementation must produce: node:crypto for MD5, SHA-1 and
 * HMAC-SHA1; for CRC-32C (which node:crypto lacks) @node-rs/crc32, itself checked
 * here against the published check value and the RFC 3720 B.4 32-zero vector.
 */
export function expectedHex(alg: Alg, data: Uint8Array, key: Uint8Array): string {
  switch (alg) {
    case "crc32c": {
      const check = nativeCrc32c(Buffer.from("123456789")) >>> 0;
      const zeros = nativeCrc32c(new Uint8Array(32)) >>> 0;
      if (check !== 0xe3069283 || zeros !== 0x8a9136aa) throw new Error("@node-rs/crc32 fails the CRC-32C check values");
      return hex32(nativeCrc32c(data));
    }
    case "md5":
      return createHash("md5").update(data).digest("hex");
    case "sha1":
      return createHash("sha1").update(data).digest("hex");
    case "hmac-sha1":
      return createHmac("sha1", key).update(data).digest("hex");
  }
}
