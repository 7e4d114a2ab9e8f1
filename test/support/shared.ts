/**
 * The external test data that does not ship with the repository: a folder of real
 * bundles written by other implementations (IBR-DTN, DTN2, ION, DTNME, bplib, uPCN), the
 * exact octets IBR-DTN and DTN2 digested for their signatures, and malformed bundles.
 *
 * It is looked for in `PIBKIT_SHARED` when that is set, else in `../shared` beside the
 * repository; the bundles are its `corpus/` folder. Without it, every test that needs it
 * is skipped, and each test file says so in one line (a warning printed while the file
 * is collected, and a skipped test carrying the same words), so a clone of the
 * repository alone passes and says what it did not check.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { it } from "vitest";

/** The repository's root folder. */
export const REPO = resolve(fileURLToPath(new URL("../..", import.meta.url)));

const FROM_ENV = process.env["PIBKIT_SHARED"];

/** Where the external folder is looked for. */
export const SHARED_WANTED = FROM_ENV ? resolve(FROM_ENV) : resolve(REPO, "..", "shared");

/** The external folder, or null when it is not there. */
export const SHARED: string | null = existsSync(SHARED_WANTED) ? SHARED_WANTED : null;

const CORPUS_WANTED = join(SHARED_WANTED, "corpus");

/** The real-bundle corpus folder (no trailing slash), or null when it is not there. */
export const CORPUS: string | null = existsSync(join(CORPUS_WANTED, "README.md")) ? CORPUS_WANTED : null;

/** How the missing folder is named in a skip line: as given, or relative to the repository. */
function shown(path: string): string {
  return FROM_ENV ? path : relative(REPO, path) || ".";
}

/** The one line a test file prints when the corpus is missing (exported for the standalone test). */
export function skipLine(what: string): string {
  return `skipped: ${what} — ${shown(CORPUS_WANTED)} not found; set PIBKIT_SHARED`;
}

/** The prefix every skip line starts with. */
export const SKIP_PREFIX = "skipped: ";

/**
 * Call once at the top level of a test file that needs the corpus, naming what it would
 * check. Returns whether the corpus is there; when it is not, prints the skip line and
 * registers a skipped test with the same title, so the reason shows in any reporter.
 */
export function needsCorpus(what: string): boolean {
  if (CORPUS !== null) return true;
  const line = skipLine(what);
  console.warn(line);
  it.skip(line, () => {});
  return false;
}

/**
 * The same one-line treatment for anything else a file needs that may be absent (a
 * Debian package, an engine): `have` says whether it is there.
 */
export function needs(have: boolean, what: string, why: string): boolean {
  if (have) return true;
  const line = `${SKIP_PREFIX}${what} — ${why}`;
  console.warn(line);
  it.skip(line, () => {});
  return false;
}

function corpusDir(): string {
  if (CORPUS === null) throw new Error(skipLine("a corpus file was read without needsCorpus()"));
  return CORPUS;
}

/** Absolute path of a corpus file (`name` relative to the corpus folder). */
export function corpusPath(name: string): string {
  return join(corpusDir(), name);
}

/** A corpus file's octets. */
export function corpusFile(name: string): Uint8Array {
  return new Uint8Array(readFileSync(corpusPath(name)));
}

/** The corpus's `.bin` bundles, sorted; empty when the corpus is missing. */
export function corpusBundles(): string[] {
  return CORPUS === null ? [] : readdirSync(CORPUS).filter((f) => f.endsWith(".bin")).sort();
}

/** The files of a corpus subfolder (`malformed`, `canon`), sorted; empty when missing. */
export function corpusFolder(sub: string): string[] {
  return CORPUS === null ? [] : readdirSync(join(CORPUS, sub)).sort();
}

/** The corpus README's text; empty when the corpus is missing. */
export function corpusReadme(): string {
  return CORPUS === null ? "" : readFileSync(join(CORPUS, "README.md"), "utf8");
}
