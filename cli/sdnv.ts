/**
 * `pibkit sdnv encode VALUE` / `pibkit sdnv decode HEX` — SDNVs (RFC 5050 §4.1,
 * RFC 6256) with the firmware's own code, over the whole range 0 … 2^64−1.
 *
 * encode prints the minimal form as contiguous lowercase hex octets (`2748` → `953c`);
 * decode accepts any accepted form, padded ones included (`80 80 01` → `1`), prints the
 * exact decimal value, and names the error code of a malformed one (exit 2).
 */
import { readSdnv, U64, writeSdnvU64 } from "../src/core/sdnv.js";
import { codeError, hexOption, parse, toHex, usageError } from "./common.js";
import { writeOut } from "./stdout.js";

const HELP = `usage: pibkit sdnv encode VALUE
       pibkit sdnv decode HEX

SDNVs (RFC 5050 §4.1, RFC 6256), 0 … 18446744073709551615 (2^64-1), exact.

  encode VALUE  decimal VALUE -> its minimal SDNV as lowercase hex octets
                (pibkit sdnv encode 2748 -> 953c)
  decode HEX    one SDNV (0x prefix, spaces and colons allowed) -> its exact value;
                padded forms shorter than 10 octets are accepted (80 80 01 -> 1).
                Rejected, exit 2, naming the code: no terminating octet
                (SdnvTruncated), more than 10 octets (SdnvTooLong), a 10-octet
                SDNV not starting with 0x81 (SdnvOverflow), octets after the SDNV.
  -h, --help    this text (also after encode / decode)
`;
const ENCODE_HELP = `usage: pibkit sdnv encode VALUE

VALUE is a decimal integer 0 … 18446744073709551615; prints its minimal SDNV as
lowercase hex octets, e.g. 128 -> 8100. Exit 2 for anything else.
`;
const DECODE_HELP = `usage: pibkit sdnv decode HEX

HEX is one SDNV (0x prefix, spaces, colons allowed: "81 84 34"); prints its exact
decimal value. Exit 2, naming the code, for a malformed SDNV (SdnvTruncated,
SdnvTooLong, SdnvOverflow) or octets after it.
`;

const MAX = (1n << 64n) - 1n;

function encode(text: string): string {
  if (/^-[0-9]+$/.test(text)) usageError(`VALUE is out of range: ${text} (allowed: 0 … ${MAX}, 2^64-1)`);
  if (!/^[0-9]+$/.test(text)) usageError(`VALUE must be a decimal integer 0 … ${MAX}, got "${text}"`);
  const v = BigInt(text);
  if (v > MAX) usageError(`VALUE is above 2^64-1 (${MAX}): "${text}"`);
  const out = new Uint8Array(10);
  const n = writeSdnvU64(out, 0, out.length, Number(v >> 32n), Number(v & 0xffffffffn));
  if (n < 0) codeError(n, "encode");
  return toHex(out, 0, n);
}

function decode(text: string): string {
  const b = hexOption("HEX", text.replace(/^0x/i, ""));
  if (b.length === 0) usageError("HEX is empty: give the SDNV's octets, e.g. 8100 or 0x7f");
  const v = new U64();
  const n = readSdnv(b, 0, b.length, v);
  if (n < 0) codeError(n, "decode");
  if (n !== b.length) usageError(`${b.length - n} octet(s) after the SDNV (it ends after octet ${n})`);
  return ((BigInt(v.hi) << 32n) | BigInt(v.lo)).toString();
}

export function run(argv: string[]): number {
  const sub = argv[0];
  if (sub === "encode" || sub === "decode") {
    const a = parse(argv.slice(1), {}, sub === "encode" ? ENCODE_HELP : DECODE_HELP);
    if (!a) return 0;
    if (a.positionals.length !== 1) usageError(`sdnv ${sub} takes exactly one ${sub === "encode" ? "VALUE" : "HEX"}`);
    const arg = a.positionals[0]!;
    writeOut((sub === "encode" ? encode(arg) : decode(arg)) + "\n");
    return 0;
  }
  const a = parse(argv, {}, HELP);
  if (!a) return 0;
  usageError(sub === undefined ? "missing subcommand: encode or decode (see --help)" : `unknown subcommand "${sub}" (encode or decode)`);
}
