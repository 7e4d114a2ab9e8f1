/**
 * The Espruino RAM estimate: how many JsVars a firmware takes on an Espruino board once
 * loaded with its start-up objects and a bundle buffer, in both loading forms (Storage:
 * code text in flash; RAM upload: code text in JsVars). Calibrated on a real
 * interpreter: targets/size/espruino-measured.json holds what Espruino measured, read
 * here so the report prints it beside the estimate, and test/espruino-model.test.ts keeps
 * the model within ESPRUINO_MODEL.tolerancePoints of it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../hosts/engineRun.js";
import type { Census, FeatureRow, FormFit } from "./rows.js";

/**
 * Espruino JsVar count of start-up objects found by the census: a typed array is its
 * view, its ArrayBuffer and a flat string (a header + ceil(bytes / blockSize) blocks);
 * an object is one JsVar plus one per property (name and small value share a block;
 * longer names and other values take another, so 2 per property is the conservative
 * figure). Closures the constructors make are invisible to the census: see
 * ESPRUINO_MODEL.closureScale.
 */
export function jsVarsOf(c: Census, blockSize: number): number {
  return c.objects + 2 * c.props + c.typed * 3 + Math.ceil(c.typedBytes / blockSize);
}

/**
 * The Espruino RAM model behind the board rows, in JsVars: free = total − (interpreter
 * + code + state + buffer). Calibrated on Espruino 2v29 built for Linux with a
 * Puck.js's fixed pool (2,630 JsVars of 13 bytes, process.memory() read from a timer):
 * targets/size/espruino-measured.json holds those measurements, test/espruino-model.test.ts
 * keeps the model within ESPRUINO_MODEL.tolerancePoints of each of them.
 */
export const ESPRUINO_MODEL = {
  /** the interpreter's own JsVars at the prompt, with the timer that reads process.memory() (a board with Bluetooth holds more) */
  interpreter: 62,
  /**
   * Storage form, code = codeScale × the file's count (STORAGE_MODEL, without the
   * closures) + perRequire (the module cache entry, `exports`, the binding of the
   * result); the count of functions, parameters and names alone comes out ~10 % low.
   */
  codeScale: 1.1,
  perRequire: 20,
  /** the closures one pibPath run makes (STORAGE_MODEL's closure count × this): measured ~270 JsVars for 344 counted */
  closureScale: 0.78,
  /**
   * RAM-upload form: function text held in JsVars, tokenised (keywords one octet):
   * octets of source per JsVar at 13-byte blocks, scaled with a block's string octets
   * (blockSize − 4). The module's whole text once loaded; the text of every function
   * made inside a function again when its parent runs.
   */
  tokenisedBytesPerJsVar: 13.8,
  /**
   * While the uploaded module loads it is also held twice as plain text (the console's
   * input line and the line being executed), blockSize − 4 characters per JsVar: the
   * load peak. 8.7 KB of pib-path loads, 8.8 KB does not (measured).
   */
  rawCopiesWhileLoading: 2,
  /** within this many points of free share of each measurement (test/espruino-model.test.ts) */
  tolerancePoints: 1.5,
};

/** The 4 KiB bundle buffer: its view, ArrayBuffer, flat-string header and blocks (319 JsVars measured at 13-byte blocks). */
export function bufferJsVars(bytes: number, blockSize: number): number {
  return 3 + Math.ceil(bytes / blockSize);
}

/** Octets of source per JsVar for text held in RAM, at `blockSize`. */
function tokenisedBytes(blockSize: number): number {
  return (ESPRUINO_MODEL.tokenisedBytesPerJsVar * (blockSize - 4)) / 9;
}

/** RAM-upload form: JsVars of `bytes` of module text held in RAM once loaded. */
export function codeJsVars(bytes: number, blockSize: number): number {
  return Math.ceil(bytes / tokenisedBytes(blockSize));
}

/** The free share of a pool of `total` with `used` taken, in percent to 0.1 point (every board row's figure). */
export function freeShare(used: number, total: number): number {
  return Math.round(100 * (1 - used / total) * 10) / 10;
}

/**
 * One firmware (its FeatureRow: file bytes, Storage-form count, census of its start-up
 * objects) on an Espruino pool of `total` JsVars of `blockSize` bytes with a bundle
 * buffer of `bufferBytes`, in both loading forms: free = total − (interpreter + code +
 * state + buffer), and the form fits when its load peak does.
 */
export function loadingForms(path: FeatureRow, blockSize: number, total: number, bufferBytes: number): { ramUpload: FormFit; storage: FormFit } {
  const bs = blockSize;
  const M = ESPRUINO_MODEL;
  const interpreter = M.interpreter;
  const census = path.census ? jsVarsOf(path.census, bs) : path.jsVars;
  const closures = path.pathInstances * Math.round(M.closureScale * path.storage.closureJsVars);
  const buffer = bufferJsVars(bufferBytes, bs);
  const form = (code: number, state: number, peakDuringLoad: number): FormFit => {
    const used = interpreter + code + state + buffer;
    const peak = Math.max(used, peakDuringLoad);
    return { interpreter, code, state, buffer, used, peak, total, fits: peak <= total, freePercent: freeShare(used, total) };
  };
  // Storage: the text stays in flash (espruinoStorage.ts); the functions and names
  // the file makes when required, and per Verifier the closures of its path
  const storageCode = Math.round(M.codeScale * (path.storage.jsVars - path.storage.closureJsVars)) + M.perRequire;
  const storage = form(storageCode, census + closures, interpreter + storageCode);
  // RAM upload: the same, plus the text in JsVars: the module's once loaded, every
  // closure's again per Verifier (copied when pibPath runs), and two plain copies while loading
  const ramCode = storageCode + codeJsVars(path.espruino.bytes, bs);
  const ramState = census + closures + path.pathInstances * codeJsVars(path.storage.nestedTextBytes, bs);
  const ramUpload = form(ramCode, ramState, interpreter + codeJsVars(path.espruino.bytes, bs) + M.rawCopiesWhileLoading * Math.ceil(path.espruino.bytes / (bs - 4)));
  return { ramUpload, storage };
}

/** One firmware measured in a real Espruino (targets/size/espruino-measured.json). */
export interface EspruinoMeasurement {
  build: string;
  form: "storage" | "ram";
  /** null: the module did not load (out of memory) */
  freePercent: number | null;
  free: number | null;
  /** process.memory().usage after each step: prompt, require, start-up objects, 4 KiB buffer */
  steps?: number[];
  bytes: number;
}

export interface EspruinoMeasurements {
  engine: string;
  pool: { jsVars: number; blockSize: number };
  date: string;
  method: string;
  startup: Record<string, string>;
  results: EspruinoMeasurement[];
}

let measurements: EspruinoMeasurements | undefined;
/** The real-engine figures (Puck.js pool), read once per process (one shared object: not to be changed). */
export function espruinoMeasurements(): EspruinoMeasurements {
  return (measurements ??= JSON.parse(readFileSync(join(ROOT, "targets/size/espruino-measured.json"), "utf8")) as EspruinoMeasurements);
}

export const MEASURED_LABEL = "measured (Espruino 2v29 Linux, 2,630 vars)";
export const ESTIMATE_LABEL = "estimate (model)";

/** What the real interpreter measured for `feature` in each loading form (undefined: not measured). */
export function measuredOn(feature: string): { storage?: EspruinoMeasurement | undefined; ram?: EspruinoMeasurement | undefined } {
  const rs = espruinoMeasurements().results.filter((r) => r.build === feature);
  return { storage: rs.find((r) => r.form === "storage"), ram: rs.find((r) => r.form === "ram") };
}
