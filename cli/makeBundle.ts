/**
 * `pibkit make-bundle OUT --src EID --dst EID [...]`: builds an RFC 5050 bundle
 * (primary block + payload block) with `src/ground/bundleWriter.ts` and writes it to OUT
 * (`-` = stdout).
 *
 * Defaults: report-to and custodian `dtn:none`; processing flags 0x90 (singleton
 * destination, normal priority), plus "must not fragment" (0x04) when the source is
 * `dtn:none` as RFC 5050 §4.2 requires; creation time = now in seconds since
 * 2000-01-01T00:00:00Z; sequence 0; lifetime 3600 s; empty payload. With flag bit 0
 * (fragment) set, --fragment-offset and --total-length (default 0 and the payload
 * length) are written after the dictionary. A payload file is copied through in pieces
 * (its size read first; stdin is spooled to a temporary file for that), so memory does
 * not grow with it.
 */
import { BundleWriter, PrimarySpec, writeBlock } from "../src/ground/bundleWriter.js";
import { errorName } from "../src/core/errorText.js";
import { Err } from "../src/core/errors.js";
import { U64, writeSdnv } from "../src/core/sdnv.js";
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { codeError, fileError, hexOption, parse, usageError } from "./common.js";
import { CHUNK, needsSpool, spoolInput } from "./stream.js";
import { breathe, BREATHE_EVERY } from "./interrupt.js";
import { OutFile } from "./outFile.js";
import { writeAll } from "./stdout.js";

const HELP = `usage: pibkit make-bundle OUT --src EID --dst EID [options]

Builds an RFC 5050 (BPv6) bundle — primary block and payload block — and writes it
to OUT ("-" for stdout): through a temporary file beside OUT that replaces OUT at the
end, so an error or an interrupt (Ctrl-C) leaves OUT as it was. EIDs are scheme:ssp,
e.g. dtn://node/app, ipn:1.2, dtn:none.

  --src EID            source EID (required)
  --dst EID            destination EID (required)
  --report-to EID      report-to EID (default dtn:none)
  --custodian EID      current custodian EID (default dtn:none)
  --flags N            bundle processing flags, decimal or 0x hex (default 0x90:
                       singleton destination, normal priority; 0x94 when --src is dtn:none);
                       what RFC 5050 §4.2 forbids is refused: custody transfer (0x8) or
                       status reports (0x7c000) on an administrative record (0x2) or from
                       dtn:none, and dtn:none without "must not be fragmented" (0x4)
  --ctime N            creation time, seconds since 2000-01-01T00:00:00Z (default now)
  --seq N              creation sequence number (default 0)
  --lifetime N         lifetime in seconds (default 3600)
  --payload-file F     payload octets from file F, stdin for - (default: empty payload)
  --payload TEXT       payload as UTF-8 text (instead of --payload-file)
  --fragment-offset N  with flag 0x01 (fragment): fragment offset (default 0)
  --total-length N     with flag 0x01: total ADU length (default the payload length)
  --ext TYPE,FLAGS,HEX an extension block before the payload (repeatable, in order):
                       block type 2-255, block flags (decimal or 0x hex; the last-block
                       and EID-reference bits are managed by the writer), data in hex

Numbers are decimal up to 2^64-1 (flags up to 2^53-1). The dictionary is built as DTN2
builds it (dest, source, report-to, custodian; each string stored once).

exit status: 0 written, 2 bad usage or unreadable input`;

const EID_RE = /^[A-Za-z][A-Za-z0-9+.-]*:[^\0]*$/;
const EID_ERR = `${errorName(-Err.EidMalformed)} (E${Err.EidMalformed}):`;
const U64_MAX = (1n << 64n) - 1n;

function eidOption(name: string, text: string | undefined, fallback: string | null): Uint8Array {
  const t = text ?? fallback;
  if (t === null) usageError(`--${name} EID is required (see --help)`);
  if (!EID_RE.test(t)) usageError(`--${name}: ${EID_ERR} expected an EID scheme:ssp (RFC 5050 §4.4), got "${t}"`);
  const bytes = new Uint8Array(Buffer.from(t, "utf8"));
  const colon = t.indexOf(":");
  if (colon > 1023 || bytes.length - Buffer.byteLength(t.slice(0, colon + 1)) > 1023) {
    usageError(`--${name}: ${EID_ERR} scheme and SSP are at most 1023 octets each (RFC 5050 §4.4)`);
  }
  return bytes;
}

/** A decimal (or, where allowed, 0x hex) integer up to `max` into `out`. */
function u64Option(name: string, text: string | undefined, fallback: bigint, out: U64, max = U64_MAX, hex = false): bigint {
  let v = fallback;
  if (text !== undefined) {
    const ok = hex ? /^(0x[0-9a-fA-F]+|[0-9]+)$/.test(text) : /^[0-9]+$/.test(text);
    if (!ok) usageError(`--${name} must be a non-negative ${hex ? "decimal or 0x hex " : "decimal "}integer, got "${text}"`);
    v = BigInt(text);
    if (v > max) usageError(`--${name} is above ${max}: "${text}"`);
  }
  out.hi = Number(v >> 32n);
  out.lo = Number(v & 0xffffffffn);
  return v;
}

/** `--ext TYPE,FLAGS,HEX`: a raw extension block (RFC 5050 §4.5.2). */
/** RFC 5050 §4.2 status-report request bits 14-18 (reception, custody acceptance, forwarding, delivery, deletion). */
const REPORT_BITS = 0x7c000;

/**
 * The flag combinations RFC 5050 §4.2 forbids, refused as usage errors: an
 * administrative record (bit 1) requests neither custody transfer (bit 3) nor status
 * reports; a bundle from the null endpoint dtn:none requests neither, and must not be
 * fragmented (bit 2).
 */
function flagRules(flags: number, nullSource: boolean): void {
  const rule = "RFC 5050 §4.2";
  if (flags & 2 && flags & (8 | REPORT_BITS)) usageError(`--flags 0x${flags.toString(16)}: an administrative record (0x2) must not request custody transfer (0x8) or status reports (0x7c000) (${rule})`);
  if (nullSource && flags & (8 | REPORT_BITS)) usageError(`--flags 0x${flags.toString(16)}: a bundle from dtn:none must not request custody transfer (0x8) or status reports (0x7c000) (${rule})`);
  if (nullSource && !(flags & 4)) usageError(`--flags 0x${flags.toString(16)}: a bundle from dtn:none must set "must not be fragmented" (0x4) (${rule})`);
}

function extOption(text: string): { type: number; flags: number; data: Uint8Array } {
  const m = /^(\d{1,3}),(0x[0-9a-fA-F]{1,8}|\d{1,10}),([0-9a-fA-F]*)$/.exec(text);
  if (!m) usageError(`--ext must be TYPE,FLAGS,HEX, got "${text}"`);
  const type = Number(m[1]);
  const flags = Number(m[2]);
  if (type < 2 || type > 255) usageError(`--ext block type must be 2-255 (1 is the payload), got ${type}`);
  if (flags > 0xffffffff) usageError(`--ext block flags above 32 bits: ${m[2]}`);
  return { type, flags, data: hexOption("--ext", m[3]!) };
}

export async function run(argv: string[]): Promise<number> {
  const a = parse(
    argv,
    {
      src: { type: "string" },
      dst: { type: "string" },
      "report-to": { type: "string" },
      custodian: { type: "string" },
      flags: { type: "string" },
      ctime: { type: "string" },
      seq: { type: "string" },
      lifetime: { type: "string" },
      "payload-file": { type: "string" },
      payload: { type: "string" },
      "fragment-offset": { type: "string" },
      "total-length": { type: "string" },
      ext: { type: "string", multiple: true },
    },
    HELP,
  );
  if (!a) return 0;
  const [out, ...extra] = a.positionals;
  if (out === undefined || extra.length > 0) usageError("expected one OUT file (see --help)");
  const v = a.values;
  if (v["payload-file"] !== undefined && v.payload !== undefined) usageError("give --payload-file or --payload, not both");

  const s = new PrimarySpec();
  s.source = eidOption("src", v.src, null);
  s.dest = eidOption("dst", v.dst, null);
  s.reportTo = eidOption("report-to", v["report-to"], "dtn:none");
  s.custodian = eidOption("custodian", v.custodian, "dtn:none");
  const defaultFlags = v.src === "dtn:none" ? 0x94n : 0x90n;
  const flags = new U64();
  s.flags = Number(u64Option("flags", v.flags, defaultFlags, flags, (1n << 53n) - 1n, true));
  flagRules(s.flags, v.src === "dtn:none");
  const now = BigInt(Math.max(0, Math.floor(Date.now() / 1000) - 946684800));
  u64Option("ctime", v.ctime, now, s.ctime);
  u64Option("seq", v.seq, 0n, s.seq);
  u64Option("lifetime", v.lifetime, 3600n, s.lifetime);
  const chunk = new Uint8Array(CHUNK);
  const file = v["payload-file"];
  // a named pipe too: its size is known only once it is read
  const spool = file !== undefined && needsSpool(file) ? await spoolInput(chunk, file) : null;
  try {
    const path = spool !== null ? spool.path : file;
    let size = 0;
    if (path !== undefined) {
      try {
        size = statSync(path).size;
      } catch (e) {
        fileError("read", path, e);
      }
    }
    return await write(out, v, s, path, size, chunk);
  } finally {
    if (spool !== null) spool.remove();
  }
}

/** Writes the bundle: the header built here, then the payload (text, or the file at `path` copied in pieces). */
async function write(outPath: string, v: Record<string, string | string[] | boolean | undefined>, s: PrimarySpec, path: string | undefined, payloadSize: number, chunk: Uint8Array): Promise<number> {
  const payload = path === undefined ? new Uint8Array(Buffer.from((v["payload"] as string | undefined) ?? "", "utf8")) : new Uint8Array(0);
  const payloadLength = path === undefined ? payload.length : payloadSize;
  const isFragment = (s.flags & 1) !== 0;
  if (!isFragment && (v["fragment-offset"] !== undefined || v["total-length"] !== undefined)) {
    usageError("--fragment-offset/--total-length need flag 0x01 (fragment) in --flags");
  }
  u64Option("fragment-offset", v["fragment-offset"] as string | undefined, 0n, s.fragOffset);
  u64Option("total-length", v["total-length"] as string | undefined, BigInt(payloadLength), s.totalLength);

  // Primary: at most 1 + 2*10 + 8*10 + 3*10 + 10 + 2*10 octets of SDNVs + dictionary;
  // payload block: 1 + 10 + 10 + payload.
  const exts = ((v["ext"] as string[] | undefined) ?? []).map(extOption);
  const size = 256 + s.dest.length + s.source.length + s.reportTo.length + s.custodian.length + payload.length + exts.reduce((n, x) => n + 21 + x.data.length, 0);
  const buf = new Uint8Array(size);
  const w = new BundleWriter();
  let p = w.writePrimary(buf, 0, size, s);
  if (p < 0) codeError(p, "primary block");
  for (const x of exts) {
    p = writeBlock(buf, p, size, x.type, x.flags, false, x.data, 0, x.data.length);
    if (p < 0) codeError(p, "extension block");
  }
  p = writeBlock(buf, p, size, 1, 0, true, payload, 0, payload.length);
  if (p < 0) codeError(p, "payload block");
  if (path !== undefined) {
    // the payload block's header with the file's length (written empty above: one octet 0)
    p = writeSdnv(buf, p - 1, size, payloadSize);
    if (p < 0) codeError(p, "payload block");
  }
  // OUT may be the payload file: the new file replaces it only once it is whole (cli/outFile.ts)
  const out = new OutFile(outPath);
  try {
    writeAll(out.fd, buf, 0, p);
    if (path !== undefined) await copyPayload(out.fd, path, payloadSize, chunk);
    out.done();
  } catch (e) {
    if ((e as { exitCode?: number }).exitCode !== undefined) throw e;
    fileError("write", outPath, e);
  } finally {
    out.close();
  }
  return 0;
}

/** Copies exactly `size` octets of the file at `path` to fd, yielding now and then to an interrupt (cli/interrupt.ts). */
async function copyPayload(fd: number, path: string, size: number, chunk: Uint8Array): Promise<void> {
  let input: number;
  try {
    input = openSync(path, "r");
  } catch (e) {
    fileError("read", path, e);
  }
  try {
    for (let pos = 0, since = 0; pos < size; ) {
      let n: number;
      try {
        n = readSync(input, chunk, 0, Math.min(chunk.length, size - pos), pos);
      } catch (e) {
        fileError("read", path, e);
      }
      if (n <= 0) fileError("read", path, new Error("the file shrank while it was copied"));
      writeAll(fd, chunk, 0, n);
      pos += n;
      if ((since += n) >= BREATHE_EVERY) {
        since = 0;
        await breathe();
      }
    }
  } finally {
    closeSync(input);
  }
}
