/**
 * Every contender on Node: pibkit and the pure-JS peers (bench/impls.ts), plus the
 * native (node:crypto, @node-rs/crc32) and WebAssembly (hash-wasm) ones, and the
 * reference each output is checked against.
 */
import { createHash, createHmac } from "node:crypto";
import { createRequire } from "node:module";
import { hex32, hexOf } from "./data.js";
import { type Alg, type Impl, pibkitImpls, type PureJsPeers, pureJsPeerImpls } from "./impls.js";

/** The ESM peers, loaded on first use (see loadNodePeers). */
interface EsmPeers {
  nativeCrc32c: (data: Uint8Array) => number;
  nobleMd5: (data: Uint8Array) => Uint8Array;
  nobleSha1: (data: Uint8Array) => Uint8Array;
  nobleHmac: unknown;
  hashWasm: typeof import("hash-wasm");
}

let esm: EsmPeers | undefined;

/**
 * Loads the peer libraries. Dynamic imports, because the CLI is one esbuild bundle:
 * static imports here would load a native addon, WebAssembly and esbuild into every
 * `pibkit` command, not only `bench`. Call (and await) once before anything else here.
 */
export async function loadNodePeers(): Promise<void> {
  if (esm) return;
  const [rs, hm, legacy, hashWasm] = await Promise.all([
    import("@node-rs/crc32"),
    import("@noble/hashes/hmac"),
    import("@noble/hashes/legacy"),
    import("hash-wasm"),
  ]);
  esm = { nativeCrc32c: rs.crc32c, nobleMd5: legacy.md5, nobleSha1: legacy.sha1, nobleHmac: hm.hmac, hashWasm };
}

function peers(): EsmPeers {
  if (!esm) throw new Error("bench: loadNodePeers() was not awaited");
  return esm;
}

/** The pure-JS peers on Node; CommonJS ones through require (Node's ESM resolver wants extensions on their subpaths). */
export function requirePureJsPeers(): PureJsPeers {
  const require = createRequire(import.meta.url);
  const p = peers();
  return {
    crc32c: require("crc-32/crc32c") as PureJsPeers["crc32c"],
    sparkMd5: require("spark-md5") as PureJsPeers["sparkMd5"],
    jsMd5: require("js-md5") as PureJsPeers["jsMd5"],
    nobleMd5: p.nobleMd5,
    nobleSha1: p.nobleSha1,
    nobleHmac: p.nobleHmac as PureJsPeers["nobleHmac"],
  };
}

const hexBytes = (r: unknown): string => hexOf(r as Uint8Array);

/** All implementations on Node, pibkit first. */
export async function nodeImpls(key: Uint8Array): Promise<Impl[]> {
  await loadNodePeers();
  const { nativeCrc32c, nobleSha1, hashWasm } = peers();
  const wasmHmac = await hashWasm.createHMAC(hashWasm.createSHA1(), key);
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
  const nativeCrc32c = peers().nativeCrc32c;
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
