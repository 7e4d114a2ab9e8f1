/**
 * `pibkit sign IN OUT --suite S [--key-id N --key HEX]
 * [--profile P]`: adds one checksum PIB right after the primary block (after any BAB);
 * every other octet of IN is copied unchanged (docs/pib.md, "What pibkit writes").
 */
import { Bundle } from "../src/ground/bundle.js";
import { Err } from "../src/core/errors.js";
import { KeyTable } from "../src/ground/keys.js";
import { PIB_ROOM, StreamSigner } from "../src/ground/stream.js";
import { SUITES, suiteId, SuiteKind, suiteName } from "../src/core/suites.js";
import { codeError, hexOption, intOption, parse, usageError } from "./common.js";
import { PROFILE_HELP, PROFILE_OPTIONS, profileOption, SUITE_HELP, suiteIdsOption, suiteOption } from "./pibOptions.js";
import { CHUNK, MAX_BLOCKS, MAX_EID_REFS, readHead, signOnePass, signsInOnePass, signStreamed, needsSpool, spoolInput, WINDOW } from "./stream.js";
import { writeOut } from "./stdout.js";

const HELP = `usage: pibkit sign IN OUT --suite ${SUITES.map((s) => s.cli).join("|")} [options]

Adds a Payload Integrity Block (draft-irtf-dtnrg-bundle-checksum-02) to the bundle in
IN (stdin for -) and writes the result to OUT (stdout for -). The PIB goes right
after the primary block (after any BAB); all other blocks are copied byte for byte.
IN is read in 1 MiB pieces (memory does not grow with the bundle). The PIB's result
covers the whole payload but goes before it: into a file, IN is read once, the rest
of the bundle written as it passes and the header with the PIB last, through a
temporary file beside OUT that replaces OUT at the end (OUT may be IN); into stdout,
IN is read twice (once to digest, once to copy), and stdin is first copied to a
temporary file (as large as the bundle). An error or an interrupt (Ctrl-C) leaves OUT
as it was and removes the temporary files. The blocks before and after the payload must
fit 1 MiB less 128 octets together (HeaderTooLarge, TrailerTooLarge otherwise): the
room the new PIB takes, so that verify, which reads 1 MiB, reads what sign writes.
Into a file, a payload larger than 512 MiB signed with insecure-crc32 is digested and
copied on two cores
(environment: PIBKIT_CRC_THREAD_FROM=N octets moves that size; larger than any file: one).

${SUITE_HELP}
  --key-id N           PIB-HMAC key id (default 0 = the published NULL key of
                       RFC 5327 — NO security, error detection only)
  --key HEX            20-octet PIB-HMAC key for --key-id N (N ≥ 1)
  --block-flags N      PIB block processing flags, decimal or 0x hex (default 1: replicate
                       in every fragment)
  --sec-dest EID       name a security-destination (RFC 6257 §2.1) as an EID reference;
                       its scheme and SSP must already be in the dictionary (the primary
                       block is never re-encoded); under CBHE: ipn:NODE.SERVICE
${PROFILE_HELP}

exit status: 0 written, 2 bad usage or malformed input`;

export async function run(argv: string[]): Promise<number> {
  const a = parse(
    argv,
    {
      suite: { type: "string" },
      "key-id": { type: "string" },
      key: { type: "string" },
      "block-flags": { type: "string" },
      "sec-dest": { type: "string" },
      ...PROFILE_OPTIONS,
    },
    HELP,
  );
  if (!a) return 0;
  const [inFile, outFile, ...extra] = a.positionals;
  if (inFile === undefined || outFile === undefined || extra.length > 0) usageError("expected IN and OUT (see --help)");
  const v = a.values;
  const suite = suiteOption(v.suite);
  const kind = suite.kind;
  const keyId = intOption("key-id", v["key-id"], 0);
  if (!suite.keyed && (v["key-id"] !== undefined || v.key !== undefined)) {
    usageError(`--key-id and --key apply to --suite ${SUITES.filter((s) => s.keyed).map((s) => s.cli).join(", ")} only`);
  }
  // the input's window leaves room for the PIB, so the output fits the window verify and inspect read with
  const signer = new StreamSigner(MAX_BLOCKS - 1, MAX_EID_REFS, WINDOW - PIB_ROOM);
  signer.profile = profileOption(v.profile);
  signer.ids = suiteIdsOption(v["suite-ids"]);
  // decimal or 0x hex, as make-bundle's --flags
  const bf = v["block-flags"];
  signer.blockFlags = bf !== undefined && /^0x[0-9a-f]+$/i.test(bf) ? parseInt(bf.slice(2), 16) : intOption("block-flags", bf, 1);
  if (signer.blockFlags > 0x7f || (signer.blockFlags & 0x48) !== 0) {
    usageError("--block-flags must be below 128 without 0x08 (last block) or 0x40 (EID references)");
  }
  if (suite.keyed && keyId !== 0) {
    if (v.key === undefined) usageError(`--key-id ${keyId} needs --key HEX (key id 0 is the NULL key)`);
    const table = new KeyTable(1, 2);
    const key = hexOption("--key", v.key);
    const e = table.install(keyId, key, 0, key.length);
    if (e < 0) codeError(e, `--key${e === -Err.KeyBadLength ? ` (${key.length} octets given)` : ""}`);
    signer.keys = table;
  } else if (v.key !== undefined) {
    usageError("--key needs --key-id N with N ≥ 1 (key id 0 is the NULL key)");
  }
  const inName = inFile === "-" ? "stdin" : inFile;
  // Stdin, a named pipe or `<(…)` is spooled to a file first: it can be neither read twice nor read again where the header ended.
  const buf = new Uint8Array(CHUNK);
  const spare = new Uint8Array(CHUNK);
  const spool = needsSpool(inFile) ? await spoolInput(buf, inFile) : null;
  let n: number;
  try {
    const inPath = spool !== null ? spool.path : inFile;
    if (v["sec-dest"] !== undefined) {
      const ref = findEid(readHead(inPath, WINDOW), inName, v["sec-dest"]);
      signer.destScheme = ref[0];
      signer.destSsp = ref[1];
    }
    n = signsInOnePass(inPath, outFile)
      ? await signOnePass(signer, inPath, outFile, kind, keyId, buf, spare)
      : await signStreamed(signer, inPath, outFile, kind, keyId, buf, spare);
  } finally {
    if (spool !== null) spool.remove();
  }
  if (n < 0) codeError(n, inName, signer.errAt);
  // Draft §3: PIB-INSECURE-CRC32 SHOULD only be used below 65535 "bits" — probably
  // meant octets. A warning, not an error; the unit is said explicitly.
  const payload = signer.payloadLength;
  if (kind === SuiteKind.Crc32 && payload * 8 >= 65535) {
    process.stderr.write(
      `pibkit sign: warning: PIB-INSECURE-CRC32 on a ${payload}-octet payload; the draft advises it only below 65535 bits (8191 octets)\n`,
    );
  }
  // with OUT = - stdout carries the bundle, so the summary goes to stderr
  (outFile === "-" ? (t: string) => process.stderr.write(t) : writeOut)(`${outFile}: added ${suiteName(kind, keyId)} (suite ${suiteId(signer.ids, kind)}${suite.keyed ? `, key id ${keyId}` : ""}), profile ${signer.profile.name}, ${n} octets\n`);
  return 0;
}

/** Offset of the first NUL-terminated dictionary string equal to `text`, or -1. */
function findString(b: Bundle, text: string): number {
  const want = Buffer.from(text, "latin1");
  const dict = Buffer.from(b.buf.buffer, b.buf.byteOffset + b.dictOff, b.dictLen);
  for (let at = 0; at + want.length < dict.length; at++) {
    if (dict[at + want.length] === 0 && dict.subarray(at, at + want.length).equals(want)) return at;
  }
  return -1;
}

/** The (scheme, SSP) reference of `eid` in the input's dictionary, or ipn numbers under CBHE. */
function findEid(head: Uint8Array, inName: string, eid: string): [number, number] {
  const b = new Bundle(255, 256);
  // the dictionary is in the primary block, at the start of the input
  const e = b.parse(head, 0, head.length);
  if (e < 0 && !(b.primaryEnd > 0 && b.errAt_ >= b.primaryEnd)) codeError(e, inName, b.errAt_);
  const colon = eid.indexOf(":");
  if (colon <= 0) usageError(`--sec-dest must be an EID scheme:ssp, got "${eid}"`);
  if (b.dictLen === 0) {
    const m = /^ipn:(\d{1,9})\.(\d{1,9})$/.exec(eid);
    if (!m) usageError(`--sec-dest: the bundle uses CBHE (RFC 6260), so the EID must be ipn:NODE.SERVICE, got "${eid}"`);
    return [Number(m[1]), Number(m[2])];
  }
  const scheme = findString(b, eid.slice(0, colon));
  const ssp = findString(b, eid.slice(colon + 1));
  if (scheme < 0 || ssp < 0) {
    usageError(`--sec-dest: "${eid}" is not in the bundle's dictionary (sign never re-encodes the primary block)`);
  }
  return [scheme, ssp];
}
