/**
 * `pibkit bench [--json] [--quick] [--write-costs]`: pibkit's digests against the
 * peer libraries on Node and inside QuickJS, and PIB sign/verify (bench/run.ts).
 * Timings live here only, never in pass/fail tests.
 */
import { parse } from "./common.js";
import { jsonRows } from "../bench/report.js";
import { runBench, textReport } from "../bench/run.js";

const HELP = `usage: pibkit bench [--json] [--quick] [--write-costs]

Throughput of pibkit's CRC-32C, MD5, SHA-1 and HMAC-SHA1 next to crc-32, @node-rs/crc32,
spark-md5, js-md5, @noble/hashes, hash-wasm and node:crypto at 64 B, 1 KiB, 64 KiB and
16 MiB; the pure-JS ones again inside QuickJS at 64 KiB; PIB sign and verify per suite.
MB/s = 10^6 octets per second, the median of several rounds; every output is checked.

options:
  --json          print an array of {alg, impl, bytes, mbps, engine, op, nsPerOp}
                  (impl: "pibkit", the npm name of a peer, or "node:crypto")
  --quick         fewer rounds and 1 MiB instead of 16 MiB (under 20 s)
  --write-costs   write bench/quickjs-costs.json (per-suite cycles per byte for the simulator)
  -h, --help      this text
`;

export async function run(argv: string[]): Promise<number> {
  const a = parse(argv, { json: { type: "boolean" }, quick: { type: "boolean" }, "write-costs": { type: "boolean" } }, HELP, false);
  if (!a) return 0;
  const v = a.values as { json?: boolean; quick?: boolean; "write-costs"?: boolean };
  const tty = process.stderr.isTTY === true;
  const progress = (msg: string): void => {
    if (tty) process.stderr.write(`\r\x1b[K${msg}`);
  };
  const result = await runBench({ quick: v.quick === true, writeCosts: v["write-costs"] === true, progress });
  if (tty) process.stderr.write("\r\x1b[K");
  process.stdout.write(v.json ? JSON.stringify(jsonRows(result.rows), null, 1) + "\n" : textReport(result));
  return 0;
}
