/**
 * `pibkit bench [--json] [--quick] [--write-costs]`: pibkit's digests against the
 * peer libraries on Node and inside QuickJS, and PIB sign/verify (bench/run.ts).
 * Timings live here only, never in pass/fail tests.
 */
import { parse } from "./common.js";
import { jsonReport, runBench, textReport } from "../bench/run.js";
import { progressReporter } from "./progress.js";

const HELP = `usage: pibkit bench [--json] [--quick] [--write-costs] [--quiet]

Throughput of pibkit's CRC-32C, MD5, SHA-1 and HMAC-SHA1 next to crc-32, @node-rs/crc32,
spark-md5, js-md5, @noble/hashes, hash-wasm and node:crypto at 64 B, 1 KiB, 64 KiB and
16 MiB; the pure-JS ones again inside QuickJS at 64 KiB; PIB sign and verify per suite.
MB/s = 10^6 octets per second of CPU time, the median of several rounds; every output
is checked. The report starts with the machine (CPU model, cores, clock, Node version):
figures from another machine differ. A full run takes a few minutes; progress (step n
of m, what is being measured) goes to stderr, the report to stdout.

options:
  --json          print {machine, quick, rows}: machine = {cpu, cores, node, clockHz,
                  clockSource}; rows = [{alg, impl, bytes, mbps, engine, op, nsPerOp}]
                  (impl: "pibkit", the npm name of a peer, or "node:crypto")
  --quick         fewer, shorter rounds and 1 MiB instead of 16 MiB (about 15 s of
                  CPU): indicative figures only, marked so; quote a full run
  --write-costs   write bench/quickjs-costs.json (per-suite cycles per byte for the simulator)
  --quiet         no progress on stderr
  -h, --help      this text
  --version       print pibkit's version and exit

exit status: 0 done (a missed goal is reported, not an error), 2 bad usage
`;

export async function run(argv: string[]): Promise<number> {
  const a = parse(argv, { json: { type: "boolean" }, quick: { type: "boolean" }, "write-costs": { type: "boolean" }, quiet: { type: "boolean" } }, HELP, false);
  if (!a) return 0;
  const v = a.values as { json?: boolean; quick?: boolean; "write-costs"?: boolean; quiet?: boolean };
  const report = v.quiet ? undefined : progressReporter(v.quick ? "bench --quick" : "bench", { write: (t) => process.stderr.write(t), tty: process.stderr.isTTY === true, everyUpdate: true });
  const progress = (step: number, total: number, msg: string): void => report?.(step - 1, total, `${step}/${total} ${msg}`);
  const result = await runBench({ quick: v.quick === true, writeCosts: v["write-costs"] === true, progress });
  report?.(1, 1, "done");
  process.stdout.write(v.json ? JSON.stringify(jsonReport(result), null, 1) + "\n" : textReport(result));
  return 0;
}
