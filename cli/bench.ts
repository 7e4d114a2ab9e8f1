/**
 * `pibkit bench [--json] [--quick] [--process] [--write-costs]`: pibkit's digests against
 * the peer libraries on Node and inside QuickJS, PIB sign/verify (bench/run.ts), and
 * the commands timed as whole processes (bench/process.ts).
 * Timings live here only, never in pass/fail tests.
 */
import { parse, usageError } from "./common.js";
import { jsonReport, machine, machineLine, runBench, textReport } from "../bench/run.js";
import { PROCESS_FILE_MIB, processTable, runProcessBench, VERIFY_BUNDLES, type ProcessResult } from "../bench/process.js";
import { runStreamingBench, STREAM_MIB, streamingTable } from "../bench/streaming.js";
import { intOption } from "./common.js";
import { progressReporter } from "./progress.js";
import { writeOut } from "./stdout.js";

const HELP = `usage: pibkit bench [--json] [--quick] [--process] [--streaming [--stream-mib N]] [--write-costs] [--quiet]

Throughput of pibkit's CRC-32C, MD5, SHA-1 and HMAC-SHA1 next to crc-32, @node-rs/crc32,
spark-md5, js-md5, @noble/hashes, hash-wasm and node:crypto at 64 B, 1 KiB, 64 KiB and
16 MiB; the pure-JS ones again inside QuickJS at 64 KiB; PIB sign and verify per suite;
then whole processes as a user meets them: pibkit digest of an empty file against
node -e 0, of a ${PROCESS_FILE_MIB} MiB file against crc-32, spark-md5 and @noble/hashes each
streaming it in a node process of its own (bench/streamPeer.mjs), and pibkit verify of
${VERIFY_BUNDLES.toLocaleString("en-US")} small signed bundles in one process (inputs written once under out/bench/).
MB/s = 10^6 octets per second of CPU time, the median of several rounds; every output
is checked. The report starts with the machine (CPU model, cores, clock, Node version):
figures from another machine differ. A full run takes a few minutes; progress (step n
of m, what is being measured) goes to stderr, the report to stdout.

options:
  --json          print {machine, quick, rows}: machine = {cpu, cores, node, clockHz,
                  clockSource}; rows = [{alg, impl, bytes, mbps, engine, op, nsPerOp}]
                  (impl: "pibkit", the npm name of a peer, or "node:crypto")
  --quick         fewer, shorter rounds and 1 MiB instead of 16 MiB (about 15 s of
                  CPU), no whole-process section: indicative figures only, marked so;
                  quote a full run
  --process       the whole-process section only (9 interleaved rounds, about a minute)
  --streaming     alone: pibkit verify and sign of a ${STREAM_MIB} MiB bundle per suite, each a
                  process of its own (3 rounds, several minutes): peak RSS (goal < 100 MB)
                  and octets per wall-clock second against the in-process digest (goal
                  ≥ 80 %), per CPU second beside it;
                  sparse inputs written once under out/bench/
  --stream-mib N  payload size for --streaming, MiB (default ${STREAM_MIB}; 4097 passes 2^32)
  --write-costs   write bench/quickjs-costs.json (per-suite cycles per byte for the simulator)
  --quiet         no progress on stderr
  -h, --help      this text
  --version       print pibkit's version and exit

exit status: 0 done (a missed goal is reported, not an error), 2 bad usage
`;

export async function run(argv: string[]): Promise<number> {
  const a = parse(argv, { json: { type: "boolean" }, quick: { type: "boolean" }, process: { type: "boolean" }, streaming: { type: "boolean" }, "stream-mib": { type: "string" }, "write-costs": { type: "boolean" }, quiet: { type: "boolean" } }, HELP, false);
  if (!a) return 0;
  const sv = a.values as { json?: boolean; quiet?: boolean; streaming?: boolean; "stream-mib"?: string };
  if (sv["stream-mib"] !== undefined && !sv.streaming) usageError("--stream-mib applies to --streaming");
  if (sv.streaming) {
    if (Object.keys(a.values).some((k) => !["streaming", "stream-mib", "json", "quiet"].includes(k))) usageError("--streaming runs alone (with --stream-mib, --json, --quiet)");
    const mib = intOption("stream-mib", sv["stream-mib"], STREAM_MIB);
    if (mib < 1) usageError("--stream-mib must be at least 1");
    const report = sv.quiet ? undefined : progressReporter("bench --streaming", { write: (t) => process.stderr.write(t), tty: process.stderr.isTTY === true, everyUpdate: true });
    const total = 3 * (3 * 2 + 2);
    let step = 0;
    const r = runStreamingBench({ mib, rounds: 3, progress: (msg) => report?.(Math.min(step++, total - 1), total, msg) });
    report?.(1, 1, "done");
    writeOut(sv.json ? JSON.stringify({ machine: machine(), streaming: r }, null, 1) + "\n" : `pibkit bench --streaming\n${machineLine(machine())}\n${streamingTable(r)}`);
    return 0;
  }
  const v = a.values as { json?: boolean; quick?: boolean; process?: boolean; "write-costs"?: boolean; quiet?: boolean };
  if (v.quick && v.process) usageError("--quick and --process exclude each other (--process is the whole-process section alone)");
  if (v.process && v["write-costs"]) usageError("--write-costs needs the QuickJS section: run without --process");
  const label = v.quick ? "bench --quick" : v.process ? "bench --process" : "bench";
  const report = v.quiet ? undefined : progressReporter(label, { write: (t) => process.stderr.write(t), tty: process.stderr.isTTY === true, everyUpdate: true });
  const progress = (step: number, total: number, msg: string): void => report?.(step - 1, total, `${step}/${total} ${msg}`);
  const result = v.process ? null : await runBench({ quick: v.quick === true, writeCosts: v["write-costs"] === true, progress });
  let whole: ProcessResult | null = null;
  if (!v.quick) {
    // one progress count for this section: rounds × contenders, the writing of inputs as one step each
    const rounds = 9;
    const total = rounds * 9 + 2;
    let step = 0;
    whole = await runProcessBench({ rounds, mib: PROCESS_FILE_MIB, bundles: VERIFY_BUNDLES, progress: (msg) => progress(Math.min(++step, total), total, msg) });
  }
  report?.(1, 1, "done");
  if (v.json) {
    const json = result ? jsonReport(result) : { machine: machine() };
    writeOut(JSON.stringify(whole ? { ...json, process: whole } : json, null, 1) + "\n");
  } else {
    let s = result ? textReport(result) : `pibkit bench --process\n${machineLine(machine())}\n`;
    if (whole) {
      s += processTable(whole);
      s += "\nWhole-process goals\n";
      for (const g of whole.goals) s += `  ${g.ok ? "[ ok ]" : "[MISS]"} ${g.goal}: ${g.reached}\n`;
    }
    writeOut(s);
  }
  return 0;
}
