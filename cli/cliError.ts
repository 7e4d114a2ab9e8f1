/**
 * The error contract of every `pibkit` command — exit 0 ok, 1 verification failed, 2 bad
 * usage or malformed input; an error is one line on stderr naming its code or the bad
 * value, never a stack — and the one wording of a file error. A file of its own so that
 * cli/stdout.ts can use it without importing cli/common.ts (which writes through it).
 */

export const EXIT_OK = 0;
export const EXIT_VERIFY_FAILED = 1;
export const EXIT_USAGE = 2;

/** Thrown by command code; `main` turns it into one stderr line and an exit code. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(exitCode: number, message: string) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

/**
 * Whether `e` is a CliError, by name rather than `instanceof`: each command is bundled
 * into a file of its own (targets/build/build.mjs), each with its own copy of this class,
 * and the table in cli/main.ts catches what a command's copy threw.
 */
export function isCliError(e: unknown): e is CliError {
  return e instanceof Error && e.name === "CliError" && typeof (e as CliError).exitCode === "number";
}

/** Bad usage: exit 2 with `message`. */
export function usageError(message: string): never {
  throw new CliError(EXIT_USAGE, message);
}

const FILE_ERRORS: Record<string, string> = {
  ENOENT: "no such file or directory",
  EISDIR: "is a directory",
  EACCES: "permission denied",
  ENOTDIR: "a component of the path is not a directory",
  EPERM: "operation not permitted",
  ENOSPC: "no space left on the device",
  EROFS: "read-only file system",
};

/** `CODE (what it means)` of a Node file error, e.g. `EISDIR (is a directory)`. */
export function fileErrorText(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (!code) return String((e as Error).message ?? e).split("\n")[0]!;
  const meaning = FILE_ERRORS[code];
  return meaning ? `${code} (${meaning})` : code;
}

/** The one wording of a file error in every command: `cannot read PATH: CODE (what it means)`. */
export function fileError(verb: "read" | "write", path: string, e: unknown): never {
  usageError(`cannot ${verb} ${path === "-" ? (verb === "read" ? "stdin" : "stdout") : path}: ${fileErrorText(e)}`);
}

