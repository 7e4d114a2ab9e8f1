/**
 * `pibkit verify FILE… [--key ID=HEX]… [--profile P]`: checks every PIB of each bundle
 * in LIFO order (nearest the primary block first) and prints one line per PIB.
 * Exit 0 when there is at least one PIB and every one verifies, 1 when any mismatches,
 * 2 otherwise (malformed, unknown suite or key, skipped, no PIB); with several files,
 * the worst of theirs. Many files go through one process and one Verifier, so a ground
 * station checking a pass of downlinked bundles pays the start-up once. Each bundle is
 * streamed (cli/stream.ts): memory does not grow with its size.
 */
import { errorName } from "../src/core/errorText.js";
import { Err } from "../src/core/errors.js";
import { describePibs } from "../src/ground/describe.js";
import { StreamVerifier } from "../src/ground/stream.js";
import { Verdict } from "../src/core/verdict.js";
import { codeError, isCliError, EXIT_OK, EXIT_USAGE, EXIT_VERIFY_FAILED, parse, usageError } from "./common.js";
import { keysOption, PROFILE_HELP, PROFILE_OPTIONS, profileOption, suiteIdsOption } from "./pibOptions.js";
import { setFlagsFromString } from "node:v8";
import { crcHandoff } from "./crcThreads.js";
import { feed, type Take } from "./read.js";
import { CHUNK, MAX_BLOCKS, MAX_EID_REFS, MAX_PIBS, otherProfiles, STREAMS, WINDOW } from "./stream.js";
import { putOut, writeOut } from "./stdout.js";

const HELP = `usage: pibkit verify FILE|-… [options]

Checks every Payload Integrity Block of the bundle in FILE (stdin for -), nearest the
primary block first, and prints one line per PIB with its verdict. Given several files,
each line starts with the file's name, a file that cannot be read or parsed gets its
error line and the others are still checked, and the exit status is the worst. PIB-INSECURE-*
suites and the NULL-keyed PIB-HMAC detect errors only: they are labelled INSECURE /
"no security". A PIB that mismatches but verifies under another named profile says so:
"MISMATCH (verifies under --profile dtn2)" (still exit 1; not said for a stdin larger
than 1 MiB, which cannot be read twice). A malformed bundle is
reported with the byte offset of the field that failed. A bundle of any size is read
in 1 MiB pieces, its payload digested as it passes; the blocks before and after the
payload must fit 1 MiB together (HeaderTooLarge, TrailerTooLarge otherwise). A payload
larger than 512 MiB checked by PIB-INSECURE-CRC32 alone is digested on two cores
(environment: PIBKIT_CRC_THREAD_FROM=N octets moves that size; larger than any file: one).

  --key ID=HEX         a 20-octet PIB-HMAC key for key id ID (repeatable)
  --accept-bare        also accept the draft's bare-SDNV parameters and a raw result
${PROFILE_HELP}

exit status: 0 every PIB verified (at least one), 1 a PIB did not match,
             2 malformed, unknown suite or key, skipped, no PIB, or bad usage`;

export async function run(argv: string[]): Promise<number> {
  const a = parse(
    argv,
    { key: { type: "string", multiple: true }, "accept-bare": { type: "boolean" }, ...PROFILE_OPTIONS },
    HELP,
  );
  if (!a) return 0;
  const files = a.positionals;
  if (files.length === 0) usageError("expected a FILE, or - for stdin (see --help)");
  // A pass of many small bundles spends a third of its CPU time in V8 compiling the
  // parse, canonicalization and report with TurboFan on a second thread (the first
  // thousand bundles cost ~180 ms more than the next thousand; docs/bench.md). A smaller
  // inlining budget makes those compilations cheaper: 10,000 bundles took 0.48–0.54 s of
  // CPU against 0.52–0.59 s without it (medians of 11–15 interleaved runs, three
  // comparisons, 2-core EPYC), with no change on 1 GiB bundles, whose time is in the
  // digest bodies. Set before any of it is compiled.
  if (files.length > 1) setFlagsFromString("--max-inlined-bytecode-size-cumulative=200");
  if (files.filter((f) => f === "-").length > 1) usageError("stdin (-) can be read only once");
  const v = a.values;
  const verifier = new StreamVerifier(MAX_BLOCKS, MAX_EID_REFS, MAX_PIBS, WINDOW, STREAMS);
  verifier.profile = profileOption(v.profile);
  verifier.ids = suiteIdsOption(v["suite-ids"]);
  verifier.acceptBare = v["accept-bare"] === true;
  const table = keysOption(v.key);
  if (table) verifier.keys = table;
  // one read buffer (and its read-ahead twin) for every file: many small bundles must not each cost a new MiB
  const buf = new Uint8Array(CHUNK);
  const spare = new Uint8Array(CHUNK);
  const take = (piece: Uint8Array, off: number, n: number) => verifier.push(piece, off, n);
  if (files.length === 1) {
    try {
      return await verifyOne(verifier, files[0]!, "", buf, spare, take);
    } finally {
      flushLines();
    }
  }
  let worst = EXIT_OK;
  for (const file of files) {
    let code: number;
    try {
      // a small file is read without waiting: no promise per bundle of a pass
      const r = verifyOne(verifier, file, file === "-" ? "stdin: " : file + ": ", buf, spare, take);
      code = typeof r === "number" ? r : await r;
    } catch (e) {
      if (!isCliError(e)) throw e;
      flushLines();
      process.stderr.write(`pibkit verify: error: ${e.message}\n`);
      code = e.exitCode;
    }
    if (code > worst) worst = code;
  }
  flushLines();
  return worst;
}

// Verdict lines are gathered in one buffer and written to fd 1 in 64 KiB pieces: one
// write per line was a quarter of the time of a 10,000-bundle pass, and encoding a 64 KiB
// string of joined lines (two-byte: the NULL key's label has an em dash) cost more than
// encoding each line into place. Flushed before any error line, so the order holds; a
// reader that closed stdout early (`| head`) gets no more (cli/stdout.ts).
const out = Buffer.allocUnsafe(1 << 16);
let fill = 0;
function writeLine(line: string): void {
  // a line takes at most 3 octets per UTF-16 unit in UTF-8
  if (fill + 3 * line.length + 1 > out.length) flushLines();
  if (3 * line.length + 1 > out.length) {
    writeOut(line + "\n");
    return;
  }
  fill += out.write(line, fill);
  out[fill++] = 10;
}
function flushLines(): void {
  putOut(out, fill);
  fill = 0;
}

/**
 * Verifies the bundle in FILE (stdin for -) and prints its lines, each after `prefix`;
 * its exit status, or throws CliError when it cannot. A file that fits one piece is
 * done without waiting; a larger one is read on ahead (cli/read.ts).
 */
function verifyOne(verifier: StreamVerifier, file: string, prefix: string, buf: Uint8Array, spare: Uint8Array, take: Take): number | Promise<number> {
  const name = file === "-" ? "stdin" : file;
  verifier.begin();
  const reading = feed(file, buf, take, spare, verifier, (fd, pos) => crcHandoff(verifier, fd, pos, buf.length));
  if (reading === undefined) return report(verifier, file, name, prefix, buf, verifier.end());
  return reading.then(() => report(verifier, file, name, prefix, buf, verifier.end()));
}

/** Prints the lines of a verify whose end() gave `n`; its exit status, or throws CliError. */
function report(verifier: StreamVerifier, file: string, name: string, prefix: string, buf: Uint8Array, n: number): number {
  if (n < 0) codeError(n, name, verifier.errAt);
  if (n === 0) codeError(-Err.NoPib, name);
  const elsewhere = otherProfiles(verifier, file, buf);
  let mismatch = false;
  for (const d of describePibs(verifier, errorName)) {
    if (d.verdictCode === Verdict.Mismatch) mismatch = true;
    const key = d.keyId !== null ? `, key id ${d.keyId}` : "";
    const range = d.offset !== null ? ` covers payload ${d.offset}+${d.length}` : "";
    const result = d.result !== "" ? ` result ${d.result}` : "";
    const other = elsewhere.get(d.block);
    const verdict = other !== undefined ? `${d.verdict} (verifies under --profile ${other})` : d.verdict;
    writeLine(`${prefix}PIB block ${d.block} @${verifier.original(d.blockOffset)}: ${d.suiteName} (suite ${d.suite < 0 ? "?" : d.suite}${key})${range}${result}: ${verdict}`);
  }
  if (mismatch) return EXIT_VERIFY_FAILED;
  return verifier.allOk() ? EXIT_OK : EXIT_USAGE;
}
