/**
 * What every `pibkit` command shares: argument parsing on node:util's parseArgs,
 * `--help`, and the error contract — exit 0 ok, 1 verification failed, 2 bad usage
 * or malformed input; an error is one line on stderr naming its code, never a stack.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { errorMessage, errorName } from "../src/errorText.js";

export const EXIT_OK = 0;
export const EXIT_VERIFY_FAILED = 1;
export const EXIT_USAGE = 2;

/** Thrown by command code; `main` turns it into one stderr line and an exit code. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(exitCode: number, message: string) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** Bad usage: exit 2 with `message`. */
export function usageError(message: string): never {
  throw new CliError(EXIT_USAGE, message);
}

/** A pibkit error code (positive or negated) from the firmware: exit 2, naming the code. */
export function codeError(code: number, context?: string): never {
  const where = context ? context + ": " : "";
  throw new CliError(EXIT_USAGE, `${where}${errorName(code)} (E${code < 0 ? -code : code}): ${errorMessage(code)}`);
}

export type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * Parses `argv` strictly. Returns `null` after printing `help` when `--help`/`-h`
 * is given, so a command does `const a = parse(...); if (!a) return 0;`.
 */
export function parse<O extends Options>(
  argv: string[],
  options: O,
  help: string,
  allowPositionals = true,
) {
  const all = { ...options, help: { type: "boolean", short: "h" } } as O & { help: { type: "boolean"; short: "h" } };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: all, allowPositionals, strict: true });
  } catch (e) {
    usageError((e as Error).message.split("\n")[0] + " (see --help)");
  }
  if ((parsed.values as Record<string, unknown>)["help"]) {
    process.stdout.write(help.endsWith("\n") ? help : help + "\n");
    return null;
  }
  return parsed;
}

/** Parses a non-negative decimal integer option that must stay below 2^53. */
export function intOption(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^[0-9]+$/.test(text)) usageError(`--${name} must be a non-negative decimal integer, got "${text}"`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) usageError(`--${name} is above 2^53-1: "${text}"`);
  return n;
}

/** Parses hex text (spaces and colons allowed) into bytes, or fails with a usage error. */
export function hexOption(name: string, text: string): Uint8Array {
  const clean = text.replace(/[\s:]/g, "");
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) usageError(`${name} must be an even number of hex digits`);
  return Uint8Array.from(Buffer.from(clean, "hex"));
}

export function toHex(buf: Uint8Array, off = 0, len = buf.length - off): string {
  return Buffer.from(buf.buffer, buf.byteOffset + off, len).toString("hex");
}
