/**
 * The QuickJS side of the benchmark, bundled by esbuild into one IIFE script
 * (bench/quickjs.ts): pibkit's digests and the pure-JS peers, the same definitions
 * as on Node (bench/impls.ts), behind a tiny global the host drives.
 */
import * as crc32c from "crc-32/crc32c";
import sparkMd5 from "spark-md5";
import jsMd5 from "js-md5";
import { hmac } from "@noble/hashes/hmac";
import { md5, sha1 } from "@noble/hashes/legacy";
import { benchInput, benchKey } from "./data.js";
import { type Impl, pibkitImpls, type PureJsPeers, pureJsPeerImpls } from "./impls.js";

const key = benchKey();
const peers: PureJsPeers = {
  crc32c: crc32c as unknown as PureJsPeers["crc32c"],
  sparkMd5: sparkMd5 as PureJsPeers["sparkMd5"],
  jsMd5: jsMd5 as unknown as PureJsPeers["jsMd5"],
  nobleMd5: md5,
  nobleSha1: sha1,
  nobleHmac: hmac as unknown as PureJsPeers["nobleHmac"],
};
const impls: Impl[] = pibkitImpls(key).concat(pureJsPeerImpls(peers, key, sha1));
let data: Uint8Array = new Uint8Array(0);

(globalThis as Record<string, unknown>)["pibkitBench"] = {
  /** JSON list of [alg, impl] in index order. */
  list: (): string => JSON.stringify(impls.map((i) => [i.alg, i.impl])),
  setup: (size: number): void => {
    data = benchInput(size);
  },
  /** n calls of implementation `index`; the last digest as hex. */
  run: (index: number, n: number): string => {
    const im = impls[index]!;
    let r: unknown;
    for (let i = 0; i < n; i++) r = im.run(data);
    return im.hex(r);
  },
};
