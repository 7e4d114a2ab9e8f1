/**
 * What the size report measures: the modules of the ground library in dependency order
 * and the firmware builds (the on-board path and its variants, the ground library), each
 * with the objects a node makes at start-up; and each build's files — built in memory
 * through targets/build/firmware.mjs, the pipeline that ships them — measured in bytes
 * and counted in the Storage form.
 *
 * Per-module bytes are layered: build k holds modules 1..k, and a module's figure is
 * what it adds to the build before it, so the column sums to the whole ground library.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FEATURES, relayFeature, ROOT, suiteFeature, textSizes, type Feature } from "../hosts/engineRun.js";
// @ts-expect-error plain .mjs without types
import * as fw from "../build/firmware.mjs";
import { storageCodeJsVars, type StorageCount } from "./espruinoStorage.js";
import type { FileSize } from "./rows.js";

const firmware = fw as {
  bundleEspruinoEsm: (f: Feature) => Promise<string>;
  bundleModdable: (f: Feature) => Promise<string>;
  esmToExportsAssignments: (esm: string) => string;
  espruinoForms: (script: string, name?: string) => { storage: string; addCached: string; generic: string };
};

/**
 * A node's Verifier and Signer: the Signer shares the Verifier's digests,
 * canonicalizer and Bundle (`new Signer(b, r, verifier)`, pib.ts) — they are never
 * busy at the same time — so the CRC table, MD5, the HMAC-SHA1 state and the block
 * tables exist once. The Verifier's table has the one block more that a signed
 * output of an 8-block input needs.
 */
export const SHARED_PIB_STARTUP = "(function () { var v = new P.Verifier(9, 8, 4); return [v, new P.Signer(8, 8, v)]; })()";

/**
 * The modules of the report, in dependency order, with the objects a node makes at
 * start-up: together, the files src/entries/full.ts exports, in its order, so the
 * layers add up to the ground library (layerFeature checks that every file is named).
 */
export const MODULES: Array<{ name: string; files: string[]; startup: string }> = [
  { name: "sdnv", files: ["core/sdnv"], startup: "new P.U64()" },
  { name: "crc32c", files: ["core/crc32c"], startup: "new P.Crc32c()" },
  { name: "md5", files: ["core/md5"], startup: "new P.Md5()" },
  { name: "sha1+hmac", files: ["core/sha1", "core/hmac"], startup: "new P.HmacSha1(10)" },
  { name: "bundle", files: ["ground/bundle", "ground/eid", "ground/bundleWriter"], startup: "new P.Bundle(8, 8)" },
  { name: "canonicalization", files: ["ground/asb", "ground/profiles", "ground/canon"], startup: "new P.Canonicalizer()" },
  { name: "pib", files: ["core/suites", "core/verdict", "ground/pib", "ground/describe", "ground/relay"], startup: SHARED_PIB_STARTUP },
  { name: "keys", files: ["ground/keys"], startup: "new P.KeyTable(4, 8)" },
];

/**
 * The same node with the key table add-on (the pib-path+keys firmware, and the ground
 * library, full): the KeyTable borrows the Verifier's HMAC-SHA1 (keys.ts).
 */
export const WHOLE_PATH_STARTUP = "(function () { var v = new P.Verifier(9, 8, 4); return [v, new P.Signer(8, 8, v), new P.KeyTable(4, 8, v)]; })()";
/**
 * The same node verifying bundles larger than its RAM piece by piece (the pib-path+stream
 * firmware): a StreamVerifier with a 512-octet window and one digest lane, which uses
 * the Verifier's own digests (src/onboard/pibPath.ts), and the Signer sharing it.
 */
export const STREAM_STARTUP = "(function () { var v = new P.StreamVerifier(9, 8, 4, 512, 1); return [v, new P.Signer(8, 8, v)]; })()";
/** A relay's start-up: one Verifier handed to a Relay (relay.ts; no Signer, no keys). */
export const RELAY_STARTUP = "new P.Relay(new P.Verifier(8, 8, 4), -1)";

/** The firmware rows of the report: the on-board path, with the key table, streaming (with the bundle writer: the simulator's device), per suite, relays, CRC-only, the ground library. */
export const FEATURE_ROWS = ["pib-path", "pib-path+keys", "pib-path+stream", "pib-path+stream+writer", "insecure-crc32", "insecure-crc32+stream", "relay-crc32", "relay", "crc-only", "full"];

/** The start-up objects each firmware of FEATURE_ROWS makes, whose RAM the report measures. */
const FEATURE_STARTUP: Record<string, string> = {
  full: WHOLE_PATH_STARTUP,
  "pib-path": SHARED_PIB_STARTUP,
  "pib-path+keys": WHOLE_PATH_STARTUP,
  "pib-path+stream": STREAM_STARTUP,
  // (the simulator's device: its writer makes no objects at start-up of its own)
  "pib-path+stream+writer": STREAM_STARTUP,
  "crc-only": "[new P.Crc32c(), new P.U64()]",
  "insecure-crc32": SHARED_PIB_STARTUP,
  "insecure-crc32+stream": STREAM_STARTUP,
  "relay-crc32": RELAY_STARTUP,
  relay: RELAY_STARTUP,
};

/** A firmware of FEATURE_ROWS: its build and its start-up expression; undefined for any other name. */
export function featureBuild(name: string): { feature: Feature; startup: string } | undefined {
  const startup = FEATURE_STARTUP[name];
  const feature =
    name === "insecure-crc32" ? suiteFeature(["insecure-crc32"]) : name === "relay-crc32" ? relayFeature(["insecure-crc32"]) : name === "relay" ? relayFeature([]) : FEATURES[name];
  return feature && startup ? { feature, startup } : undefined;
}

/**
 * How many times a start-up expression runs pibPath: once per Verifier, and once for a
 * Signer made without a Verifier to share (`new P.Signer(b, r)`: it makes its own).
 */
export function pathInstances(startup: string): number {
  return (startup.match(/new P\.(?:Stream)?Verifier\(/g) ?? []).length + (startup.match(/new P\.Signer\(\s*[^,()]+,\s*[^,()]+\)/g) ?? []).length;
}

/**
 * The export statements of the ground library's entry (src/entries/full.ts), each with
 * the src/ file it re-exports ("core/sdnv"), rewritten to be read from the repository
 * root; type-only exports left out (the layer is built as JavaScript). The layers are
 * cut from these, so a layer exports what the ground library exports of its files (a
 * file full.ts exports only in part stays in part).
 */
function groundExports(): Array<{ file: string; statement: string }> {
  const text = readFileSync(join(ROOT, "src/entries/full.ts"), "utf8");
  const out: Array<{ file: string; statement: string }> = [];
  for (const m of text.matchAll(/^export\s+(?!type\b)[^;]*?\bfrom\s+"\.\.\/([\w/]+)\.js";/gm)) out.push({ file: m[1]!, statement: m[0].replace(' from "../', ' from "./src/') });
  return out;
}

/**
 * The build of the first modules of MODULES (`files`: theirs): the export statements
 * of src/entries/full.ts for those files. Throws when full.ts exports a file no module
 * names, or a module names a file full.ts does not export: the layers then would not
 * add up to the ground library.
 */
export function layerFeature(files: string[]): Feature {
  const exported = groundExports();
  const named = MODULES.flatMap((m) => m.files);
  const unnamed = exported.filter((e) => !named.includes(e.file)).map((e) => e.file);
  const missing = named.filter((f) => !exported.some((e) => e.file === f));
  if (unnamed.length || missing.length) throw new Error(`size report: the MODULES of targets/size/builds.ts and the exports of src/entries/full.ts differ (${[...unnamed.map((f) => f + " not in MODULES"), ...missing.map((f) => f + " not in full.ts")].join(", ")})`);
  const contents = exported.filter((e) => files.includes(e.file)).map((e) => e.statement).join("\n");
  return { entry: null, contents, groups: [] };
}

/**
 * One build's files: the Espruino file (Storage form) and the Moddable module in bytes,
 * the Storage-form count of the Espruino file, and the generic script the engines load.
 */
export async function measureFeature(f: Feature): Promise<{ espruino: FileSize; moddable: FileSize; generic: string; storage: StorageCount }> {
  const esm = await firmware.bundleEspruinoEsm(f);
  const forms = firmware.espruinoForms(firmware.esmToExportsAssignments(esm));
  const mod = await firmware.bundleModdable(f);
  return { espruino: textSizes(forms.storage), moddable: textSizes(mod), generic: forms.generic, storage: storageCodeJsVars(forms.storage) };
}
