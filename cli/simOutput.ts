/**
 * What `pibkit sim`, `pibkit sim sweep` and `pibkit sim merge` write, one way for both
 * kinds of result: a campaign's result.json + report.html, or a sweep's sweep.json +
 * sweep.html. A shard writes its own `STEM-I-of-N.json` and no report; a merge of every
 * shard writes the whole file and the report; a merge with --partial writes the file
 * naming the shards it lacks, and no report, since a report of part of a run would
 * read as the whole.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { MergeError } from "../sim/result.js";
import { MAX_SHARDS, missingShards, type ShardSpec } from "../sim/shard.js";
import { usageError } from "./common.js";
import { checkOut, makeDirs } from "./outDir.js";
import { writeWhole } from "./outFile.js";
import { noun } from "./plural.js";
import { writeOut } from "./stdout.js";

/** A result split into shards: which of them it holds. */
export interface Sharded {
  shards: number[];
  shardCount: number;
}

/** One kind of result: its files, its format tag and how it is shown and merged. */
export interface ResultKind<R extends Sharded> {
  /** The JSON file's stem: "result" or "sweep". */
  stem: string;
  /** The report's file name, written for a whole result only. */
  htmlName: string;
  /** The `format` field of its JSON, checked when a file is read back. */
  format: string;
  /** What a file of another format is told. */
  wrongFormat: string;
  html(r: R): string;
  text(r: R): string;
  /** Merges shards (throws MergeError when they are not of one run). */
  merge(parts: R[]): R;
  /** The merged result as written: where a partial merge records what it lacks. */
  written?(r: R, missing: number[]): R;
}

/** Writes `r` under `out` (if given) and its summary or JSON to stdout; says where the files went. */
export function emitResult<R extends Sharded>(kind: ResultKind<R>, r: R, json: boolean, out: string | undefined, shard: ShardSpec | null): void {
  const complete = r.shards.length === r.shardCount;
  const wrote: string[] = [];
  if (out !== undefined) {
    makeDirs(resolve(out));
    const name = shard && shard.count > 1 ? `${kind.stem}-${shard.index}-of-${shard.count}.json` : `${kind.stem}.json`;
    writeWhole(join(out, name), JSON.stringify(r) + "\n");
    wrote.push(join(out, name));
    if (complete) {
      writeWhole(join(out, kind.htmlName), kind.html(r));
      wrote.push(join(out, kind.htmlName));
    }
  }
  writeOut(json ? JSON.stringify(r) + "\n" : kind.text(r));
  if (out !== undefined) {
    const note =
      complete ? ""
      : shard === null ? ` (partial: ${noun(r.shardCount - r.shards.length, "shard")} ${missingShards(r.shards, r.shardCount).join(",")} of ${r.shardCount} missing, so no ${kind.htmlName})`
      : ` (a shard: merge all shards with pibkit sim merge ${join(out, `${kind.stem}-*-of-${r.shardCount}.json`)})`;
    // With --json, stdout is the result alone: where the files went is said on stderr.
    const line = `wrote ${wrote.join(" and ")}${note}\n`;
    if (json) process.stderr.write(line);
    else writeOut(line);
  }
}

/** `pibkit sim merge` of files of one kind: a missing shard is a usage error naming it unless `partial`. */
export function mergeResultFiles<R extends Sharded>(
  kind: ResultKind<R>,
  paths: string[],
  values: { json?: boolean | undefined; out?: string | undefined; partial?: boolean | undefined },
): number {
  let r: R;
  const parts = paths.map((p) => readResultFile(kind, p));
  for (let i = 1; i < parts.length; i++) {
    const d = shapeDiff(parts[0], parts[i], "");
    if (d !== null) usageError(`${paths[0]} and ${paths[i]} differ in ${d}: one of them is not a whole result of pibkit sim`);
  }
  try {
    r = kind.merge(parts);
  } catch (e) {
    if (e instanceof MergeError) usageError(e.message);
    // a field a result always has is missing or of another type
    if (e instanceof TypeError) usageError(`the files are not whole pibkit results of one kind (${e.message})`);
    throw e;
  }
  const missing = missingShards(r.shards, r.shardCount);
  if (missing.length > 0 && values.partial !== true) {
    usageError(
      `${noun(missing.length, "shard")} ${missing.join(",")} of ${r.shardCount} missing (` +
        missing.slice(0, 3).map((i) => `${kind.stem}-${i}-of-${r.shardCount}.json`).join(", ") +
        (missing.length > 3 ? ", …" : "") +
        "): give every shard, or --partial to merge the ones given",
    );
  }
  checkOut(values.out);
  emitResult(kind, kind.written ? kind.written(r, missing) : r, values.json === true, values.out, null);
  return 0;
}

/** One shard file, checked to be JSON of `kind`'s format; a usage error naming the file otherwise. */
function readResultFile<R extends Sharded>(kind: ResultKind<R>, path: string): R {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    const err = e as { code?: string; message?: string };
    usageError(`${path}: ${err.code === "ENOENT" ? "no such file" : err.code === "EISDIR" ? "a directory, not a result file" : "not JSON (" + (err.message ?? "") + ")"}`);
  }
  if ((raw as { format?: unknown } | null)?.format !== kind.format) usageError(`${path}: ${kind.wrongFormat}`);
  const r = raw as R;
  // a file edited by hand or cut short is named, not merged into wrong totals
  const count = r.shardCount;
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_SHARDS) usageError(`${path}: "shardCount" must be a whole number from 1 to ${MAX_SHARDS}, got ${JSON.stringify(count)}`);
  if (!Array.isArray(r.shards) || r.shards.some((i) => !Number.isSafeInteger(i) || i < 0 || i >= count)) usageError(`${path}: "shards" must list shard indexes from 0 to ${count - 1}`);
  const bad = badNumber(raw);
  if (bad !== null) usageError(`${path}: ${bad} (every count and total of a result is a number from 0 up)`);
  return r;
}

/** Fields a result may have or lack: a partial merge's record, and a count only stat mode keeps. */
const OPTIONAL = new Set(["missingShards", "exactBundles"]);

/**
 * Where two parsed results of one kind differ in shape — a field one lacks, or of
 * another type (a count written as a string) — as text naming the field; null when they
 * agree. Arrays are compared by their elements' types, not their lengths.
 */
function shapeDiff(a: unknown, b: unknown, path: string): string | null {
  const type = (x: unknown): string => (x === null ? "null" : Array.isArray(x) ? "array" : typeof x);
  const name = path === "" ? "the top level" : `"${path}"`;
  if (type(a) !== type(b)) return `${name} (${type(a)} against ${type(b)})`;
  if (Array.isArray(a) && Array.isArray(b)) {
    const all = [...a, ...b];
    for (let i = 1; i < all.length; i++) {
      const d = shapeDiff(all[0], all[i], `${path}[]`);
      if (d !== null) return d;
    }
    return null;
  }
  if (type(a) !== "object") return null;
  const x = a as Record<string, unknown>, y = b as Record<string, unknown>;
  for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
    if (path === "" && OPTIONAL.has(k)) continue;
    const at = path === "" ? k : `${path}.${k}`;
    if (!(k in x) || !(k in y)) return `"${at}" (in one only)`;
    const d = shapeDiff(x[k], y[k], at);
    if (d !== null) return d;
  }
  return null;
}

/** The first field of a parsed result that is not a finite number ≥ 0 where a number stands, as `"path" is value`; null when none. */
function badNumber(o: unknown, path = ""): string | null {
  if (typeof o === "number") return Number.isFinite(o) && o >= 0 ? null : `"${path.slice(1)}" is ${o}`;
  if (o === null || typeof o !== "object") return null;
  for (const [k, v] of Object.entries(o)) {
    const b = badNumber(v, `${path}.${k}`);
    if (b !== null) return b;
  }
  return null;
}
