/**
 * `pibkit inspect FILE [--json]`: every field of an RFC 5050 bundle with its byte
 * offset, every block, and every PIB with its verdict.
 *
 * Human output is an annotated dump (offsets are decimal octet indexes into FILE).
 * `--json` prints exactly the fields JSON_HELP lists. A PIB's `offset`/`length` are its
 * covered payload range (kept for scripts written against them); `covered` says the
 * same under a name, and `block` gives the PIB block's own place in the file, in the
 * same terms as `blocks[]`. 64-bit values above 2^53−1 are decimal strings, all others
 * numbers.
 *
 * A malformed bundle: the human dump prints every field read before the one that
 * failed, then the error with that field's byte offset (exit 2).
 *
 * Security blocks that are not pibkit's (RFC 6257 RSA suites, DTN2's PIB in block
 * type 4, bplib's CRC blocks in type 3 and 13, BABs, ESBs) are named for what they are
 * and never verified as one of the checksum suites.
 */
import { Asb } from "../src/ground/asb.js";
import { Bundle } from "../src/ground/bundle.js";
import { dictStringLength, eidString } from "../src/ground/eid.js";
import { errorName } from "../src/core/errorText.js";
import { describePibs, type PibDescription } from "../src/ground/describe.js";
import { Verifier } from "../src/ground/pib.js";
import { Verdict } from "../src/core/verdict.js";
import { Wire } from "../src/core/wire.js";
import { readSdnv, U64 } from "../src/core/sdnv.js";
import { BPLIB_BIB_SUITE_NAMES, DTN2_SUITE_NAMES, RFC6257_SUITE_NAMES, suiteByName } from "../src/core/suites.js";
import { errorMessage } from "../src/core/errorText.js";
import { codeError, EXIT_OK, isCliError, parse, toHex, usageError } from "./common.js";
import { StreamVerifier } from "../src/ground/stream.js";
import { sdnvLength, writeSdnv } from "../src/core/sdnv.js";
import { CHUNK, MAX_BLOCKS, MAX_EID_REFS, MAX_PIBS, otherProfiles, STREAMS, verifyStreamed, WINDOW } from "./stream.js";
import { writeOut } from "./stdout.js";
import { keysOption, otherProfileMatches, PROFILE_HELP, PROFILE_OPTIONS, profileOption, suiteIdsOption } from "./pibOptions.js";

const JSON_HELP = `  --json               machine-readable, one object:
                         version, flags, dest, source, reportTo, custodian,
                         creationTime, sequence, lifetime,
                         fragmentOffset, totalLength      (fragments only)
                         blocks[]: type, flags,
                           offset      file offset of the block's type octet
                           length      its block-data-length field (RFC 5050 §4.5.2)
                           dataOffset  file offset of its block-specific data
                         pibs[]: suite, suiteName, keyId, result (hex), verdict,
                           verifiesUnder  after a MISMATCH, another --profile under
                                       which the PIB verifies, else null
                           offset, length   the covered payload range (as covered)
                           covered {offset, length}  payload octets the PIB covers
                                       (offset into the payload, RFC 6257 item 4)
                           block {index, offset, length, dataOffset}  the PIB block
                                       itself, in the terms of blocks[]
                       64-bit values above 2^53-1 are decimal strings`;

const HELP = `usage: pibkit inspect FILE|-… [--json] [--key ID=HEX]... [--profile P] [--suite-ids H,M,C]

Prints every field of the RFC 5050 bundle in FILE (stdin for -) with its byte offset,
every block, and every Payload Integrity Block with its verdict (a keyed PIB-HMAC
shows "unknown key" unless its key is given with --key). PIB-INSECURE-* suites are
labelled INSECURE, a NULL-keyed PIB-HMAC "NULL key — no security". A malformed bundle
is dumped up to the field that failed, then the error with its byte offset. A bundle
of any size is read in 1 MiB pieces: its PIBs are checked as the payload passes, and
the dump shows the payload's first octets (the blocks before and after the payload
must fit 1 MiB together). Given several files, one process shows them in turn (a
blank line between dumps; with --json one array of the objects, each with "file", or
"file" and "error" for one that cannot be read or parsed); a file's error also goes
to stderr, the others are still shown, and the exit status is the worst. With --json
and one file that cannot be read or parsed, stdout has {"error": …}.

${JSON_HELP}
  --key ID=HEX         a 20-octet PIB-HMAC key for key id ID (repeatable)
${PROFILE_HELP}

exit status: 0 every bundle parsed, 2 a missing file, a malformed bundle or bad usage`;

/** 2000-01-01T00:00:00Z, the DTN epoch (RFC 5050 §4.5.1), in Unix seconds. */
const DTN_EPOCH = 946684800;

/** A U64 as a JSON value: a number up to 2^53−1, else its decimal text. */
function u64Json(v: U64): number | string {
  if (v.hi <= 0x1fffff) return v.hi * 4294967296 + v.lo;
  return ((BigInt(v.hi) << 32n) | BigInt(v.lo)).toString();
}

function u64Text(v: U64): string {
  return String(u64Json(v));
}

/** RFC 5050 §4.2 bundle processing flags, bit → name. */
const BUNDLE_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x1, "fragment"],
  [0x2, "admin record"],
  [0x4, "must not fragment"],
  [0x8, "custody requested"],
  [0x10, "singleton destination"],
  [0x20, "app ack requested"],
  [0x4000, "report reception"],
  [0x8000, "report custody acceptance"],
  [0x10000, "report forwarding"],
  [0x20000, "report delivery"],
  [0x40000, "report deletion"],
];
const PRIORITY = ["bulk", "normal", "expedited", "reserved"];

/** The names of the flags set in the low word `f` (bits 0–31) and the high word `hi` (bits 32–63, all reserved). */
function bundleFlagsText(f: number, hi: number): string {
  const names = BUNDLE_FLAGS.filter(([bit]) => (f & bit) !== 0).map(([, n]) => n);
  names.push("priority " + PRIORITY[(f >>> 7) & 3]);
  const reserved = (f & 0x183e40) !== 0 || f > 0x1fffff || hi !== 0;
  if (reserved) names.push("reserved bits set");
  return names.join(", ");
}

/** RFC 5050 §4.3 block processing flags. */
const BLOCK_FLAGS = ["replicate in every fragment", "report if unprocessable", "delete bundle if unprocessable", "last block", "discard block if unprocessable", "forwarded unprocessed", "has EID references"];

function blockFlagsText(f: number): string {
  const names = BLOCK_FLAGS.filter((_, i) => (f & (1 << i)) !== 0);
  if (f >>> 7 !== 0) names.push("reserved bits set");
  return names.length ? names.join(", ") : "none";
}

/** What a block type is (RFC 5050, 6257, 6258, 6259 and the implementations in the corpus). */
function blockTypeName(t: number): string {
  switch (t) {
    case 1:
      return "payload";
    case 2:
      return "BAB, Bundle Authentication Block (RFC 6257)";
    case 3:
      return "PIB, Payload Integrity Block (RFC 6257)";
    case 4:
      return "PCB, Payload Confidentiality Block (RFC 6257)";
    case 5:
      return "previous-hop insertion (RFC 6259)";
    case 8:
      return "metadata extension (RFC 6258)";
    case 9:
      return "ESB, Extension Security Block (RFC 6257)";
    case 10:
      return "custody transfer enhancement (ION/bplib CTEB)";
    case 13:
      return "bplib integrity block (2019 layout, not RFC 6257)";
    case 19:
    case 20:
      return "ION/DTNME extension block";
    default:
      return t >= 192 ? "private/experimental" : "unknown";
  }
}

/**
 * bplib's 2022 BIB in block type 3 uses a BPSec-draft layout (target count, target
 * block types, suite id, ...), not RFC 6257; suites 10 = CRC-16/X.25, 11 = CRC-32C.
 * Returns the suite id when the data reads that way, else -1.
 */
function bplibBibSuite(buf: Uint8Array, off: number, end: number): number {
  const t = new U64();
  let p = readSdnv(buf, off, end, t);
  if (p < 0 || t.hi !== 0 || t.lo === 0 || t.lo > 16) return -1;
  for (let i = t.lo; i > 0; i--) {
    p = readSdnv(buf, p, end, t);
    if (p < 0) return -1;
  }
  p = readSdnv(buf, p, end, t);
  if (p < 0 || t.hi !== 0) return -1;
  return t.lo === 10 || t.lo === 11 ? t.lo : -1;
}

/** Names a PIB the verifier did not recognise as one of the checksum suites. */
function foreignPib(b: Bundle, d: PibDescription): PibDescription {
  if (suiteByName(d.suiteName)) return d;
  const i = d.block;
  if (d.suite < 0 && d.blockType === Wire.Pib) {
    const s = bplibBibSuite(b.buf, b.blockDataOff[i]!, b.blockDataOff[i]! + b.blockDataLen[i]!);
    if (s > 0) {
      return { ...d, suite: s, suiteName: `foreign: bplib BIB ${BPLIB_BIB_SUITE_NAMES[s]} (BPSec-draft layout, not RFC 6257; not checked)`, verdict: "unknown suite" };
    }
    return { ...d, suiteName: "foreign: not an RFC 6257 security block" };
  }
  if (d.blockType === Wire.Pcb) return { ...d, suiteName: `foreign: DTN2 PIB ${DTN2_SUITE_NAMES[d.suite] ?? RFC6257_SUITE_NAMES[d.suite] ?? "suite " + d.suite} in block type 4 (not checked)` };
  if (d.suite >= 1 && d.suite <= 3) return { ...d, suiteName: `foreign: ${RFC6257_SUITE_NAMES[d.suite]} (RFC 6257; not checked)` };
  return { ...d, suiteName: `foreign: unknown suite ${d.suite} (not checked)` };
}

/** Name of a suite in a non-PIB security block (BAB, PCB, ESB). */
function securitySuiteName(type: number, suite: number): string {
  if (type === Wire.Bab && suite === 5) return DTN2_SUITE_NAMES[5]!;
  if (suite >= 1 && suite <= 4) return RFC6257_SUITE_NAMES[suite]!;
  return "suite " + suite;
}

/** RFC 6257 §2.1 ciphersuite flags. */
function csFlagsText(f: number): string {
  const names = ["result", "correlator", "parameters", "security destination", "security source"].filter((_, i) => (f & (1 << i)) !== 0);
  return names.length ? names.join(", ") : "none";
}

/** EID text for people and JSON: dictionary strings decoded as UTF-8 (make-bundle writes UTF-8). */
function eidText(b: Bundle, scheme: number, ssp: number): string {
  if (b.dictLen === 0) return eidString(b, scheme, ssp);
  const str = (rel: number) => Buffer.from(b.buf.buffer, b.buf.byteOffset + b.dictOff + rel, dictStringLength(b, rel)).toString("utf8");
  return str(scheme) + ":" + str(ssp);
}

/** Printable text of octets: ASCII as is, everything else as \xNN. */
function printable(buf: Uint8Array, off: number, len: number): string {
  let s = "";
  for (let i = off; i < off + len; i++) {
    const c = buf[i]!;
    s += c >= 0x20 && c < 0x7f && c !== 0x5c ? String.fromCharCode(c) : c === 0 ? "\\0" : "\\x" + (c + 0x100).toString(16).slice(1);
  }
  return s;
}

/** Human dump, one line per field: `@offset  name  value`. */
class Dump {
  lines: string[] = [];
  /** File offset of an offset in the buffer shown (they differ for a bundle streamed past the window). */
  at: (off: number) => number = (off) => off;
  /** Data length of block i as on the wire (the buffer shown may hold only the payload's first octets). */
  length: (i: number, len: number) => number = (_i, len) => len;
  field(off: number, name: string, value: string): void {
    this.lines.push(`  @${String(this.at(off)).padEnd(6)}${name.padEnd(26)}${value}`);
  }
  line(s: string): void {
    this.lines.push(s);
  }
}

/**
 * The primary block, field by field. `stop` is where a failed parse of the primary
 * block stopped (the offset of the field that failed; -1 when it parsed): fields from
 * there on are not shown, and EIDs stay numbers until the dictionary has been checked.
 */
function dumpPrimary(d: Dump, b: Bundle, stop: number): void {
  const buf = b.buf;
  const t = new U64();
  const complete = stop < 0;
  const limit = complete ? b.end : stop;
  const end = complete ? b.primaryEnd : b.end;
  if (complete) {
    d.line(`primary block @0, ${b.primaryEnd} octets (RFC 5050 §4.5.1)${b.dictLen === 0 ? ", CBHE (RFC 6260: dictionary length 0, offsets are ipn node/service numbers)" : ""}`);
  } else {
    d.line(`primary block @0 (RFC 5050 §4.5.1), read up to byte ${stop}`);
  }
  if (limit <= 0) return;
  d.field(0, "version", String(buf[0]));
  /** Reads the SDNV at p into t; the offset after it, or -1 when it lies at or past `limit`. */
  const next = (p: number): number => (p < 0 || p >= limit ? -1 : readSdnv(buf, p, end, t));
  let p = 1;
  let q = next(p);
  if (q < 0) return;
  // bit tests on the low word: bits 32–63 are reserved (RFC 6256 §3.3 allows 64 positions)
  const flags = t.lo;
  d.field(p, "processing flags", `0x${((BigInt(t.hi) << 32n) | BigInt(t.lo)).toString(16)} (${bundleFlagsText(t.lo, t.hi)})`);
  p = q;
  if ((q = next(p)) < 0) return;
  d.field(p, "block length", u64Text(t));
  p = q;
  for (const name of ["destination", "source", "report-to", "custodian"]) {
    if ((q = next(p)) < 0) return;
    const scheme = u64Json(t);
    const q2 = next(q);
    if (q2 < 0) return;
    const ssp = u64Json(t);
    const what = complete && b.dictLen === 0 ? `node ${scheme}, service ${ssp}` : `scheme @dict+${scheme}, ssp @dict+${ssp}`;
    d.field(p, name, complete ? `${what} → ${eidText(b, Number(scheme), Number(ssp))}` : what);
    p = q2;
  }
  if ((q = next(p)) < 0) return;
  const secs = t.hi * 4294967296 + t.lo;
  const date = t.hi <= 0x1fffff && secs < 8.64e12 - DTN_EPOCH ? ` (${new Date((secs + DTN_EPOCH) * 1000).toISOString().replace(".000", "")})` : "";
  d.field(p, "creation time", `${u64Text(t)} s since 2000-01-01${date}`);
  p = q;
  if ((q = next(p)) < 0) return;
  d.field(p, "sequence number", u64Text(t));
  p = q;
  if ((q = next(p)) < 0) return;
  d.field(p, "lifetime", `${u64Text(t)} s`);
  p = q;
  if ((q = next(p)) < 0) return;
  const dictLen = t.hi === 0 ? t.lo : Infinity;
  d.field(p, "dictionary length", u64Text(t));
  p = q;
  if (dictLen > 0) {
    if (p + dictLen > limit) return;
    d.field(p, "dictionary", `"${printable(buf, p, dictLen)}"`);
  }
  p += dictLen;
  if ((flags & Wire.IsFragment) !== 0) {
    if ((q = next(p)) < 0) return;
    d.field(p, "fragment offset", u64Text(t));
    p = q;
    if ((q = next(p)) < 0) return;
    d.field(p, "total ADU length", u64Text(t));
  }
}

/** Names of the RFC 6257 §2.6 TLV item types the checksum suites use. */
const ITEM_NAMES: Record<number, string> = { [Wire.ItemKey]: "key information", [Wire.ItemRange]: "fragment range", [Wire.ItemResult]: "integrity signature" };

/**
 * The TLV items (RFC 6257 §2.6) of a params or result field, each with its type,
 * length and value offsets; nothing when the field is not a well-formed item list
 * (bare SDNV parameters, a raw result, a foreign layout).
 */
function dumpItems(d: Dump, buf: Uint8Array, off: number, end: number): void {
  const t = new U64();
  const items: Array<[number, number, number, number]> = [];
  for (let p = off; p < end; ) {
    const q = readSdnv(buf, p + 1, end, t);
    if (q < 0 || t.hi !== 0 || t.lo > end - q) return;
    items.push([p, buf[p]!, q, t.lo]);
    p = q + t.lo;
  }
  for (const [at, type, valueAt, len] of items) {
    d.field(at, "  item type", `${type}${ITEM_NAMES[type] ? " (" + ITEM_NAMES[type] + ")" : ""}`);
    d.field(at + 1, "  item length", String(len));
    let value = toHex(buf, valueAt, Math.min(len, 64)) + (len > 64 ? `… (${len} octets)` : "");
    if (type === Wire.ItemKey || type === Wire.ItemRange) {
      // PIB-HMAC's key information is one SDNV, the key id (the bundle-checksum draft); a fragment range
      // is two, offset and length (RFC 6257 §2.6). Anything else stays hex: other suites'
      // key information (a PCB's encrypted session key) is not a list of numbers.
      const nums: string[] = [];
      let p = valueAt;
      while (p >= 0 && p < valueAt + len) {
        p = readSdnv(buf, p, valueAt + len, t);
        if (p >= 0) nums.push(u64Text(t));
      }
      if (p === valueAt + len && nums.length === (type === Wire.ItemKey ? 1 : 2)) value = type === Wire.ItemKey ? `key id ${nums[0]}` : `offset ${nums[0]}, length ${nums[1]}`;
    }
    d.field(valueAt, "  item value", value || "(empty)");
  }
}

function dumpAsb(d: Dump, b: Bundle, i: number, pib: PibDescription | undefined): void {
  const asb = new Asb();
  const buf = b.buf;
  const type = b.blockType[i]!;
  if (pib) {
    const row = suiteByName(pib.suiteName);
    const insecure = row && (!row.keyed || pib.keyId === 0) ? "  [error detection only: authenticates nothing]" : "";
    d.line(`    PIB: ${pib.suiteName}${insecure}`);
    if (pib.keyId !== null) d.line(`    key id ${pib.keyId}${pib.keyId === 0 ? " = NULL key — no security (RFC 5327 §2.1)" : ""}`);
    if (pib.offset !== null) d.line(`    covers payload octets ${pib.offset}+${pib.length}`);
    d.line(`    verdict: ${pib.verdict}`);
  }
  if (asb.parse(buf, b.blockDataOff[i]!, b.blockDataLen[i]!) < 0) {
    d.line(`    (block data is not an RFC 6257 abstract security block)`);
    return;
  }
  const suite = asb.csId.hi === 0 ? asb.csId.lo : asb.csId.hi * 4294967296 + asb.csId.lo;
  const t = new U64();
  const end = b.blockDataOff[i]! + b.blockDataLen[i]!;
  let p = b.blockDataOff[i]!;
  d.field(p, "ciphersuite id", pib ? String(suite) : `${suite} (${securitySuiteName(type, suite)})`);
  p = readSdnv(buf, p, end, t);
  d.field(p, "ciphersuite flags", `0x${asb.csFlags.lo.toString(16)} (${csFlagsText(asb.csFlags.lo)})`);
  p = readSdnv(buf, p, end, t);
  if (asb.has(Wire.CsCorr)) {
    d.field(p, "correlator", u64Text(asb.corr));
    p = readSdnv(buf, p, end, t);
  }
  if (asb.paramsOff >= 0) {
    d.field(p, "parameters length", String(asb.paramsLen));
    d.field(asb.paramsOff, "parameters", toHex(buf, asb.paramsOff, asb.paramsLen) || "(empty)");
    dumpItems(d, buf, asb.paramsOff, asb.paramsOff + asb.paramsLen);
    p = asb.paramsOff + asb.paramsLen;
  }
  if (asb.resultOff >= 0) {
    d.field(p, "result length", String(asb.resultLen));
    d.field(asb.resultOff, "result", toHex(buf, asb.resultOff, Math.min(asb.resultLen, 64)) + (asb.resultLen > 64 ? `… (${asb.resultLen} octets)` : ""));
    dumpItems(d, buf, asb.resultOff, asb.resultOff + asb.resultLen);
  }
}

function dumpBlocks(d: Dump, b: Bundle, pibs: PibDescription[]): void {
  const buf = b.buf;
  const t = new U64();
  for (let i = 0; i < b.blockCount; i++) {
    const start = b.blockStart[i]!;
    const type = b.blockType[i]!;
    const flags = b.blockFlags[i]!;
    const dataOff = b.blockDataOff[i]!;
    const shownLen = b.blockDataLen[i]!;
    const len = d.length(i, shownLen);
    d.line(`block ${i} @${d.at(start)}: type ${type} = ${blockTypeName(type)}, ${d.at(dataOff + shownLen) - d.at(start)} octets`);
    d.field(start, "type", String(type));
    d.field(start + 1, "flags", `0x${flags.toString(16)} (${blockFlagsText(flags)})`);
    let p = readSdnv(buf, start + 1, b.end, t);
    if (b.blockEidCount[i]! > 0) {
      d.field(p, "EID references", String(b.blockEidCount[i]));
      p = readSdnv(buf, p, b.end, t);
      for (let k = 0; k < b.blockEidCount[i]!; k++) {
        const e = b.blockEidFirst[i]! + k;
        d.field(p, `  reference ${k}`, eidText(b, b.eidScheme[e]!, b.eidSsp[e]!));
        p = readSdnv(buf, readSdnv(buf, p, b.end, t), b.end, t);
      }
    }
    d.field(p, "data length", String(len));
    if (type === Wire.Payload && (b.flags & 2) !== 0 && len > 0) {
      // RFC 5050 §6.1: record type in the high nibble, record flags in the low nibble
      const rt = buf[dataOff]! >> 4;
      const name = rt === 1 ? "bundle status report" : rt === 2 ? "custody signal" : rt === 4 ? "aggregate custody signal (ACS, ION/DTNME)" : "unknown";
      d.field(dataOff, "administrative record", `type ${rt} = ${name}, flags 0x${(buf[dataOff]! & 15).toString(16)}${(buf[dataOff]! & 1) !== 0 ? " (for a fragment)" : ""}`);
      d.field(dataOff + 1, "record body", toHex(buf, dataOff + 1, Math.min(shownLen - 1, 48)) + (len - 1 > 48 ? `… (${len - 1} octets)` : ""));
    } else if (type === Wire.Payload) {
      const shown = Math.min(shownLen, 64);
      d.field(dataOff, "payload", `"${printable(buf, dataOff, shown)}"${len > shown ? `… (${len} octets)` : ""}`);
    } else if (type === 5) {
      // RFC 6259 §3: previous-hop EID as "scheme\0ssp\0"
      d.field(dataOff, "previous hop", `"${printable(buf, dataOff, len)}"`);
    } else if (type === Wire.Bab || type === Wire.Pib || type === Wire.Pcb || type === 9) {
      dumpAsb(d, b, i, pibs.find((x) => x.block === i));
    } else {
      d.field(dataOff, "data", toHex(buf, dataOff, Math.min(len, 32)) + (len > 32 ? `… (${len} octets)` : ""));
    }
  }
}

export async function run(argv: string[]): Promise<number> {
  const a = parse(argv, { json: { type: "boolean" }, key: { type: "string", multiple: true }, ...PROFILE_OPTIONS }, HELP);
  if (!a) return 0;
  const files = a.positionals;
  if (files.length === 0) usageError("expected a FILE, or - for stdin (see --help)");
  if (files.filter((f) => f === "-").length > 1) usageError("stdin (-) can be read only once");
  const v = new Verifier(MAX_BLOCKS, MAX_EID_REFS, MAX_PIBS);
  v.profile = profileOption(a.values.profile);
  v.ids = suiteIdsOption(a.values["suite-ids"]);
  const keys = keysOption(a.values.key);
  if (keys) v.keys = keys;
  // Streamed: a bundle whose payload does not fit the window is checked as it passes,
  // and shown from a copy with the payload's first octets only (offsets mapped back).
  const sv = new FirstOctets(MAX_BLOCKS, MAX_EID_REFS, MAX_PIBS, WINDOW, STREAMS);
  sv.profile = v.profile;
  sv.ids = v.ids;
  sv.keys = v.keys;
  const io = { chunk: new Uint8Array(CHUNK), spare: new Uint8Array(CHUNK) };
  const json = a.values.json === true;
  if (files.length === 1) {
    try {
      return await inspectOne(files[0]!, v, sv, io, json, json ? emitJson : emitText);
    } catch (e) {
      // with --json, stdout is JSON whatever happens: {"error": …} beside the stderr line
      if (json && isCliError(e)) emitJson({ file: files[0]!, obj: { error: e.message } });
      throw e;
    }
  }
  // Several files: the dumps one after another, a blank line between; with --json one
  // array of the objects, each with its "file" (or its "error"). A file that cannot be
  // read or parsed gets its error line on stderr and the others are still shown; the
  // exit status is the worst.
  let worst = EXIT_OK;
  let count = 0;
  const emit: Emit = (x) => {
    if (json) writeOut((count++ === 0 ? "[\n" : ",\n") + JSON.stringify({ file: x.file, ...(x.obj ?? {}) }, null, 2));
    else writeOut((count++ === 0 ? "" : "\n") + x.text + "\n");
  };
  for (const file of files) {
    let code: number;
    try {
      code = await inspectOne(file, v, sv, io, json, emit);
    } catch (e) {
      if (!isCliError(e)) throw e;
      process.stderr.write(`pibkit inspect: error: ${e.message}\n`);
      if (json) emit({ file: file === "-" ? "stdin" : file, obj: { error: e.message } });
      code = e.exitCode;
    }
    if (code > worst) worst = code;
  }
  if (json) writeOut(count === 0 ? "[]\n" : "\n]\n");
  return worst;
}

/** What one file's inspection gives: the dump's text, or the JSON object; `file` = its name. */
type Emit = (x: { file: string; text?: string; obj?: Record<string, unknown> }) => void;
const emitText: Emit = (x) => writeOut((x.text ?? "") + "\n");
const emitJson: Emit = (x) => writeOut(JSON.stringify(x.obj, null, 2) + "\n");

/** Inspects FILE (stdin for -): emits its dump or JSON; its exit status, or throws CliError (after a malformed bundle's partial dump). */
async function inspectOne(file: string, v: Verifier, sv: FirstOctets, io: { chunk: Uint8Array; spare: Uint8Array }, json: boolean, emit: Emit): Promise<number> {
  const name = file === "-" ? "stdin" : file;
  const sn = await verifyStreamed(sv, file, io.chunk, io.spare);
  // `pushed`, not `total`: the stream stops counting where it fails, which may be at the window's end
  const whole = sv.pushed <= sv.raw.length;
  if (sv.head.streamed && !whole) return showStreamed(sv, sn, file, name, json, io.chunk, emit);
  if (!whole) codeError(sn, name, sv.errAt);
  // the whole input is in `raw`: shown as one piece, with the dump of a malformed bundle
  const bytes = sv.raw.subarray(0, sv.total);
  const b = new Bundle(MAX_BLOCKS, MAX_EID_REFS);
  const e = b.parse(bytes, 0, bytes.length);
  if (e < 0) {
    if (!json) {
      // what could be read, then the error at the field that failed
      const d = new Dump();
      d.line(`${name}: NOT a well-formed RFC 5050 bundle, ${bytes.length} octets; fields before byte ${b.errAt_}:`);
      // The primary block was read whole when the parse stopped after it: parse sets
      // primaryEnd once the primary's length is known, and every primary defect is
      // recorded at an offset inside it.
      const primaryOk = b.primaryEnd > 0 && b.errAt_ >= b.primaryEnd;
      dumpPrimary(d, b, primaryOk ? -1 : b.errAt_);
      if (primaryOk) dumpBlocks(d, b, []);
      d.field(b.errAt_, "error", `${errorName(e)} (E${-e}): ${errorMessage(e)}`);
      emit({ file: name, text: d.lines.join("\n") });
    }
    codeError(e, name, b.errAt_);
  }
  const n = v.verifyAll(bytes, 0, bytes.length);
  if (n < 0) codeError(n, name, v.bundle.errAt_);
  return show(v, b, bytes.length, otherProfileMatches(v, bytes), name, json, new Dump(), emit);
}

/** StreamVerifier that also keeps the payload's first octets and the input's first WINDOW octets, for the dump. */
class FirstOctets extends StreamVerifier {
  first = new Uint8Array(64);
  raw = new Uint8Array(WINDOW);
  /** Input octets offered, including any after the stream failed. */
  pushed = 0;
  override begin(): void {
    this.pushed = 0;
    super.begin();
  }
  override push(buf: Uint8Array, off: number, len: number): number {
    this.pushed += len;
    const at = this.total;
    if (at < this.raw.length) this.raw.set(buf.subarray(off, off + Math.min(len, this.raw.length - at)), at);
    return super.push(buf, off, len);
  }
  override data_(buf: Uint8Array, off: number, len: number, pos: number): void {
    for (let i = 0; pos + i < this.first.length && i < len; i++) this.first[pos + i] = buf[off + i]!;
    super.data_(buf, off, len, pos);
  }
}

/*
 * A streamed bundle: the window's skeleton with the payload's length field and first
 * octets put back (at most 64, as the dump shows), parsed and shown with every offset
 * and the payload's length mapped to the file's.
 */
async function showStreamed(sv: FirstOctets, n: number, file: string, name: string, json: boolean, chunk: Uint8Array, emit: Emit): Promise<number> {
  if (n < 0) codeError(n, name, sv.errAt);
  const h = sv.head;
  const L = h.payLen;
  const k = Math.min(L, sv.first.length);
  const sk = sdnvLength(k);
  const trailer = h.fill - (h.lenAt + 1);
  const bytes = new Uint8Array(h.lenAt + sk + k + trailer);
  bytes.set(h.win.subarray(0, h.lenAt));
  writeSdnv(bytes, h.lenAt, bytes.length, k);
  bytes.set(sv.first.subarray(0, k), h.lenAt + sk);
  bytes.set(h.win.subarray(h.lenAt + 1, h.fill), h.lenAt + sk + k);
  const b = new Bundle(MAX_BLOCKS, MAX_EID_REFS);
  const e = b.parse(bytes, 0, bytes.length);
  if (e < 0) codeError(e, name, -1);
  const dataC = h.lenAt + sk;
  const d = new Dump();
  d.at = (o) => (o <= h.lenAt ? o : o < dataC ? o : o < dataC + k ? o - dataC + h.dataAt : o - (dataC + k) + h.dataAt + L);
  d.length = (i, len) => (i === b.payloadIndex ? L : len);
  return show(sv, b, sv.total, otherProfiles(sv, file, chunk), name, json, d, emit);
}

/** The dump or the JSON of a bundle that parsed, its PIBs checked by `v`. */
function show(v: Verifier, b: Bundle, total: number, elsewhere: ReadonlyMap<number, string>, name: string, json: boolean, d: Dump, emit: Emit): number {
  const pibs = describePibs(v, errorName).map((x) => (x.verdictCode === Verdict.Ok ? x : foreignPib(b, x)));
  const verdictText = (d: PibDescription) => (elsewhere.has(d.block) ? `${d.verdict} (verifies under --profile ${elsewhere.get(d.block)})` : d.verdict);
  // (describePibs names pibkit's suites; everything else gets inspect's "foreign: …" name)

  if (json) {
    const out: Record<string, unknown> = {
      version: b.version,
      flags: u64Json({ hi: b.flagsHi, lo: b.flags }),
      dest: eidText(b, b.destScheme, b.destSsp),
      source: eidText(b, b.srcScheme, b.srcSsp),
      reportTo: eidText(b, b.rptScheme, b.rptSsp),
      custodian: eidText(b, b.custScheme, b.custSsp),
      creationTime: u64Json(b.ctime),
      sequence: u64Json(b.seq),
      lifetime: u64Json(b.lifetime),
    };
    if (b.isFragment) {
      out["fragmentOffset"] = u64Json(b.fragOffset);
      out["totalLength"] = u64Json(b.totalLength);
    }
    const blockJson = (i: number) => ({ offset: d.at(b.blockStart[i]!), length: d.length(i, b.blockDataLen[i]!), dataOffset: d.at(b.blockDataOff[i]!) });
    const blocks = [];
    for (let i = 0; i < b.blockCount; i++) blocks.push({ type: b.blockType[i]!, flags: b.blockFlags[i]!, ...blockJson(i) });
    out["blocks"] = blocks;
    out["pibs"] = pibs.map((d) => ({
      suite: d.suite >= 0 ? d.suite : null,
      suiteName: d.suiteName,
      keyId: d.keyId,
      offset: d.offset,
      length: d.length,
      result: d.result === "" ? null : d.result,
      verdict: d.verdict,
      verifiesUnder: elsewhere.get(d.block) ?? null,
      covered: d.offset === null ? null : { offset: d.offset, length: d.length },
      block: { index: d.block, ...blockJson(d.block) },
    }));
    emit({ file: name, obj: out });
    return 0;
  }

  d.line(`${name}: RFC 5050 bundle, ${total} octets, ${b.blockCount} block${b.blockCount === 1 ? "" : "s"} after the primary, ${pibs.length} PIB${pibs.length === 1 ? "" : "s"}`);
  dumpPrimary(d, b, -1);
  dumpBlocks(d, b, pibs.map((x) => ({ ...x, verdict: verdictText(x) })));
  emit({ file: name, text: d.lines.join("\n") });
  return 0;
}
