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
const SHARED_WANTED = FROM_ENV ? resolve(FROM_ENV) : resolve(REPO, "..", "shared");

const CORPUS_WANTED = join(SHARED_WANTED, "corpus");

/** The real-bundle corpus folder (no trailing slash), or null when it is not there. */
export const CORPUS: string | null = existsSync(join(CORPUS_WANTED, "README.md")) ? CORPUS_WANTED : null;

/** How the missing folder is named in a skip line: as given, or relative to the repository. */
function shown(path: string): string {
  return FROM_ENV ? path : relative(REPO, path) || ".";
}

/** The prefix every skip line starts with (exported for the standalone test). */
export const SKIP_PREFIX = "skipped: ";

/** Why the corpus tests skip: `folder` (where the corpus was looked for, as shown) is missing. */
const corpusMissing = (folder: string): string => `${folder} not found; set PIBKIT_SHARED`;

/**
 * The one line a test file prints when the corpus is missing (exported for the standalone
 * test, which passes the folder its clone was pointed at).
 */
export function skipLine(what: string, folder = shown(CORPUS_WANTED)): string {
  return `${SKIP_PREFIX}${what} — ${corpusMissing(folder)}`;
}

/**
 * Call once at the top level of a test file that needs something that may be absent (a
 * Debian package, an engine), naming what it would check: `have` says whether it is
 * there. When it is not, prints the skip line and registers a skipped test with the same
 * title, so the reason shows in any reporter.
 */
export function needs(have: boolean, what: string, why: string): boolean {
  if (have) return true;
  const line = `${SKIP_PREFIX}${what} — ${why}`;
  console.warn(line);
  it.skip(line, () => {});
  return false;
}

/** `needs` for the external corpus: the same line as skipLine(what). */
export const needsCorpus = (what: string): boolean => needs(CORPUS !== null, what, corpusMissing(shown(CORPUS_WANTED)));

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

/**
 * Further real bundles kept beside the corpus, in `corpus-extra/` (an IBR-DTN age block, an
 * IBR-DTN PIB encrypted under a PCB, two ION bundles from packet captures) and its
 * `suspect/` outputs (DTN2 bundles that repeat their payload block), as names corpusFile
 * reads ("../corpus-extra/…"), sorted; empty when either folder is missing.
 */
export function extraBundles(): string[] {
  const dir = join(SHARED_WANTED, "corpus-extra");
  if (CORPUS === null || !existsSync(dir)) return [];
  const bins = (sub: string): string[] =>
    existsSync(join(dir, sub)) ? readdirSync(join(dir, sub)).filter((f) => f.endsWith(".bin")).map((f) => join("..", "corpus-extra", sub, f)) : [];
  return [...bins("."), ...bins("suspect")].sort();
}

/** The files of a corpus subfolder (`malformed`, `canon`), sorted; empty when missing. */
export function corpusFolder(sub: string): string[] {
  return CORPUS === null ? [] : readdirSync(join(CORPUS, sub)).sort();
}

/** The corpus README's text; empty when the corpus is missing. */
export function corpusReadme(): string {
  return CORPUS === null ? "" : readFileSync(join(CORPUS, "README.md"), "utf8");
}
