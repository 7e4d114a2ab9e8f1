/**
 * What every `pibkit` command shares: argument parsing on node:util's parseArgs,
 * `--help`, `--version`, reading FILE or stdin, and the error contract — exit 0 ok,
 * 1 verification failed, 2 bad usage or malformed input; an error is one line on
 * stderr naming its code or the bad value, never a stack.
 */
import { read, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../targets/build/root.mjs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { errorMessage, errorName } from "../src/core/errorText.js";
import { CliError, EXIT_USAGE, fileError, usageError } from "./cliError.js";
import { putData, writeOut } from "./stdout.js";

export { CliError, EXIT_OK, EXIT_USAGE, EXIT_VERIFY_FAILED, fileError, fileErrorText, isCliError, usageError } from "./cliError.js";


/**
 * A pibkit error code (positive or negated) from the firmware: exit 2, naming the code,
 * and the byte offset of the field that failed when it is known.
 */
export function codeError(code: number, context?: string, offset = -1): never {
  const where = context ? context + ": " : "";
  const at = offset >= 0 ? ` at byte ${offset}` : "";
  throw new CliError(EXIT_USAGE, `${where}${errorName(code)} (E${code < 0 ? -code : code})${at}: ${errorMessage(code)}`);
}

export type Options = NonNullable<ParseArgsConfig["options"]>;

/** pibkit's version, from the repository's package.json (targets/build/root.mjs). */
export function version(): string {
  try {
    return (JSON.parse(readFileSync(join(repoRoot(), "package.json"), "utf8")) as { version?: string }).version ?? "unknown";
  } catch {
    return "unknown";
  }
}

const VERSION_HELP = "  --version            print pibkit's version and exit\n";

/** The help text with the `--version` line every command shares (before "exit status", if any). */
function withVersion(help: string): string {
  const text = help.endsWith("\n") ? help : help + "\n";
  if (text.includes("--version")) return text;
  // beside -h, --help when the text has it, in its column
  const h = /^( *-h, --help +).*\n/m.exec(text);
  if (h) {
    const at = h.index + h[0].length;
    return text.slice(0, at) + "  --version".padEnd(h[1]!.length) + "print pibkit's version and exit\n" + text.slice(at);
  }
  const at = text.search(/^exit status/m);
  return at < 0 ? text + "\n" + VERSION_HELP : text.slice(0, at) + VERSION_HELP + "\n" + text.slice(at);
}

/** A negative number (`-1`, `-0.5`) given where a value is expected: a value, never an option. */
const NEGATIVE = /^-[0-9.]/;

/** One line out of parseArgs' error, naming the bad argument and what is allowed. */
function parseErrorText(e: { code?: string; message: string }, names: string[], held: string[]): string {
  const msg = e.message.replace(/\0(\d+)/g, (_, n: string) => held[Number(n)]!);
  const arg = /'([^']*)'/.exec(msg)?.[1] ?? "";
  const allowed = names.map((n) => "--" + n).join(", ");
  switch (e.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option "${arg}" (options: ${allowed}; see --help)`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument "${arg}" (this command takes options only: ${allowed}; see --help)`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE": {
      const name = arg.replace(/ <value>$/, "");
      if (/argument missing/.test(msg)) return `${name} needs a value (see --help)`;
      if (/does not take an argument/.test(msg)) return `${name} takes no value (see --help)`;
      return msg.split("\n")[0]! + " (see --help)";
    }
    default:
      return msg.split("\n")[0]! + " (see --help)";
  }
}

/**
 * Parses `argv` strictly. Returns `null` after printing `help` (for `--help`/`-h`) or
 * the version (for `--version`), so a command does `const a = parse(...); if (!a) return 0;`.
 * A negative number is read as a value: after a string option it is that option's
 * value (`--days -1`), elsewhere a positional (`sdnv encode -1`), so the command's own
 * range check names it.
 */
export function parse<O extends Options>(
  argv: string[],
  options: O,
  help: string,
  allowPositionals = true,
) {
  const all = { ...options, help: { type: "boolean", short: "h" }, version: { type: "boolean" } } as O & {
    help: { type: "boolean"; short: "h" };
    version: { type: "boolean" };
  };
  const types = all as Record<string, { type: string; short?: string }>;
  const shortString = new Set(Object.values(types).filter((t) => t.type === "string" && t.short !== undefined).map((t) => t.short!));
  const args: string[] = [];
  const held: string[] = [];
  // The positionals in order: a string is one taken aside here, undefined one parseArgs
  // gives back. A plain argument (not starting with "-", not an option's value) is taken
  // aside without a pattern or parseArgs seeing it: `verify` is given 10,000 file names.
  const order: Array<string | undefined> = [];
  let value = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (value) {
      // the value of the string option before it: parseArgs takes it whatever it looks like
      value = false;
      args.push(a);
      continue;
    }
    if (allowPositionals && a.charCodeAt(0) !== 45 /* - */) {
      order.push(a);
      continue;
    }
    if (a === "--") {
      args.push(...argv.slice(i));
      for (let k = i + 1; k < argv.length; k++) order.push(undefined);
      break;
    }
    const opt = /^--([^=]+)$/.exec(a);
    if (opt && types[opt[1]!]?.type === "string" && i + 1 < argv.length && NEGATIVE.test(argv[i + 1]!)) {
      args.push(`${a}=${argv[++i]}`);
    } else if (NEGATIVE.test(a)) {
      // stands in for the positional until parseArgs is done (it would read it as options)
      args.push(`\0${held.length}`);
      held.push(a);
      order.push(undefined);
    } else {
      args.push(a);
      if (a === "-") order.push(undefined);
      else if (opt) value = types[opt[1]!]?.type === "string";
      else if (a.length === 2) value = shortString.has(a[1]!);
    }
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options: all, allowPositionals, strict: true, tokens: true });
  } catch (e) {
    usageError(parseErrorText(e as { code?: string; message: string }, Object.keys(options), held));
  }
  // parseArgs keeps the last of a repeated option: `--alg md5 --alg sha1` would quietly be SHA-1
  const seen = new Set<string>();
  for (const t of parsed.tokens ?? []) {
    if (t.kind !== "option" || t.name === "help" || t.name === "version" || (types[t.name] as { multiple?: boolean } | undefined)?.multiple) continue;
    if (seen.has(t.name)) usageError(`--${t.name} is given more than once${types[t.name]?.type === "string" ? " (it takes one value)" : ""}`);
    seen.add(t.name);
  }
  const given = parsed.positionals.map((p) => (p.startsWith("\0") ? held[Number(p.slice(1))]! : p));
  if (allowPositionals) {
    let k = 0;
    const positionals: string[] = [];
    for (const o of order) positionals.push(o !== undefined ? o : given[k++]!);
    // never expected (every argument parseArgs reads as a positional is in `order`), but none is lost
    while (k < given.length) positionals.push(given[k++]!);
    parsed.positionals = positionals;
  } else {
    parsed.positionals = given;
  }
  const values = parsed.values as Record<string, unknown>;
  if (values["help"]) {
    writeOut(withVersion(help));
    return null;
  }
  if (values["version"]) {
    writeOut(`pibkit ${version()}\n`);
    return null;
  }
  return parsed;
}

/** Parses a non-negative decimal integer option that must stay below 2^53. */
export function intOption(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (/^-[0-9]+$/.test(text)) usageError(`--${name} is out of range: ${text} (allowed: 0 … 2^53-1)`);
  if (!/^[0-9]+$/.test(text)) usageError(`--${name} must be a non-negative decimal integer (0 … 2^53-1), got "${text}"`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) usageError(`--${name} is above 2^53-1: "${text}"`);
  return n;
}

/** Parses hex text (spaces and colons allowed) into bytes, or fails with a usage error naming what is wrong. */
export function hexOption(name: string, text: string): Uint8Array {
  const clean = text.replace(/[\s:]/g, "");
  // a key's text is never echoed (it lands in logs): only the position of the bad digit
  const secret = /key/i.test(name);
  const bad = /[^0-9a-fA-F]/.exec(clean);
  if (bad) {
    usageError(secret
      ? `${name} is not hex: character ${bad.index + 1} is '${bad[0]}' (allowed: 0-9, a-f, A-F; spaces and colons between octets)`
      : `${name} is not hex: '${text}' (allowed: 0-9, a-f, A-F; spaces and colons between octets)`);
  }
  if (clean.length % 2 !== 0) {
    usageError(`${name} must be whole octets, an even number of hex digits; got ${clean.length} digits${secret ? "" : `: '${text}'`}`);
  }
  return Uint8Array.from(Buffer.from(clean, "hex"));
}

export function toHex(buf: Uint8Array, off = 0, len = buf.length - off): string {
  return Buffer.from(buf.buffer, buf.byteOffset + off, len).toString("hex");
}

/** One read(2) of stdin into buf; waits and retries when a non-blocking stdin has nothing yet. */
export function readStdin(buf: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    const attempt = () =>
      read(0, buf, 0, buf.length, null, (err, n) => {
        if (err && (err as NodeJS.ErrnoException).code === "EAGAIN") setTimeout(attempt, 5);
        else if (err) reject(err);
        else resolve(n);
      });
    attempt();
  });
}

/** The whole of FILE, or of stdin for `-`; a file error is one line naming the path. */
export async function readInput(path: string): Promise<Uint8Array> {
  if (path !== "-") {
    try {
      return readFileSync(path); // a Buffer is a Uint8Array: read in place, no copy
    } catch (e) {
      fileError("read", path, e);
    }
  }
  // each read lands in a buffer of its own, kept as read; one concat at the end
  const parts: Uint8Array[] = [];
  try {
    for (;;) {
      const chunk = new Uint8Array(65536);
      const n = await readStdin(chunk);
      if (n <= 0) break;
      parts.push(chunk.subarray(0, n));
    }
  } catch (e) {
    fileError("read", "-", e);
  }
  return Buffer.concat(parts);
}

/** Writes OUT (`-` = stdout); a file error is one line naming the path. */
export function writeOutput(path: string, data: Uint8Array): void {
  if (path === "-") {
    putData(data, 0, data.length);
    return;
  }
  try {
    writeFileSync(path, data);
  } catch (e) {
    fileError("write", path, e);
  }
}
