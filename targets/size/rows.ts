/**
 * The shape of the size report: one row per module of the ground library, per firmware,
 * per board and per firmware-on-board, and the report that holds them. Measured by
 * builds.ts and engineMeasure.ts, estimated by espruinoModel.ts and boardFit.ts, put
 * together by report.ts, judged by budgets.ts, printed by renderText.ts, renderJson.ts
 * and renderSvg.ts.
 */
import type { StorageCount } from "./espruinoStorage.js";

/** Bytes of one built file, minified and gzip. */
export interface FileSize {
  bytes: number;
  gzip: number;
}

/** What the census of the start-up objects saw: objects, their properties, typed arrays and their octets. */
export type Census = { objects: number; props: number; typed: number; typedBytes: number };

/** The figures every module and firmware row has: its files, and its start-up objects in each engine. */
export interface BuildFigures {
  espruino: FileSize;
  moddable: FileSize;
  /** QuickJS bytes of the start-up objects (engine figure, with QuickJS's per-object overhead) */
  ramQuickJs: number;
  /** XS heap slots for the same (null: not measured in XS) */
  ramXsSlots: number | null;
  /** THE static-RAM figure: octets of the distinct ArrayBuffers behind the start-up objects (engine-neutral) */
  bufferBytes: number;
  /** Espruino JsVar estimate of the start-up objects (Puck.js blocks) */
  jsVars: number;
}

/** A module of the ground library: what it adds to the build of the modules before it. */
export interface ModuleRow extends BuildFigures {
  module: string;
}

/** A firmware build. */
export interface FeatureRow extends BuildFigures {
  feature: string;
  /** QuickJS bytes of the loaded code */
  codeRamQuickJs: number;
  /** Storage-form count of the exact Espruino file (functions, parameters, names → JsVars) */
  storage: StorageCount;
  /** the census of the start-up objects (recounted per board's block size) */
  census?: Census;
  /** pibPath runs in the start-up (one per Verifier): each makes the path's closures */
  pathInstances: number;
}

/** One Espruino loading form on one board. */
export interface FormFit {
  /** the interpreter's own JsVars (ESPRUINO_MODEL.interpreter) */
  interpreter: number;
  code: number;
  /** the start-up objects: what the census sees + the closures the constructors make */
  state: number;
  /** the 4 KiB bundle buffer */
  buffer: number;
  used: number;
  peak: number;
  total: number;
  fits: boolean;
  freePercent: number;
}

export interface BoardRow {
  board: string;
  title: string;
  engine: string;
  fits: boolean;
  /** free share in the form the board is judged in (Espruino: Storage, code in flash) */
  headroomPercent: number;
  detail: string;
  jsVarsUsed?: number;
  jsVarsPeak?: number;
  jsVarsTotal?: number;
  /** Espruino only: both loading forms, and which one `fits`/`headroomPercent` follow */
  ramUpload?: FormFit;
  storage?: FormFit;
  judged?: "storage" | "ram-upload";
  /** Puck.js: the free shares measured in a real interpreter for this firmware (null: did not load) */
  measured?: { label: string; storage: number | null; ramUpload: number | null };
}

/** One firmware on one board (the "what fits" matrix). */
export interface FitRow {
  firmware: string;
  board: string;
  fits: boolean;
  headroomPercent: number;
  /** Espruino boards: the RAM-upload form's free share (null elsewhere) */
  ramUploadPercent: number | null;
}

/** How a figure was obtained. */
export type Basis = "measured" | "estimated" | "unmeasured";

/** One budget of targets/size/budgets.json: a figure's id, a ceiling or floor, a goal. */
export interface BudgetLimit {
  id: string;
  what: string;
  max?: number;
  min?: number;
  goal?: number;
  /** "budget": a goal not met fails the command; "info": reported only (goalNote says why) */
  goalRole?: "budget" | "info";
  goalNote?: string;
  unit: string;
}

/** A budget judged: its figure, how the figure was obtained, and what held. */
export interface BudgetRow extends BudgetLimit {
  /** null when the figure was not measured (--no-engines) */
  value: number | null;
  basis: Basis;
  /** true/false, or null when there is no goal or the figure was not measured */
  goalMet: boolean | null;
  /** the figure is within the ceiling/floor; null when there is none or the figure was not measured */
  within: boolean | null;
  /** the ceiling/floor and a budget goal hold; false when either fails; true when not checked (see `checked`) */
  ok: boolean;
  /** false when the figure was not measured: neither the budget nor the goal was compared */
  checked: boolean;
}

export interface SizeReport {
  modules: ModuleRow[];
  features: FeatureRow[];
  /** The on-board path (pib-path firmware) on each board, with details. */
  boards: BoardRow[];
  fit: FitRow[];
  budgets: BudgetRow[];
  /** false with --no-engines: RAM, JsVar and board figures were not measured (0 in the rows; the renderers print them as unmeasured) */
  engines: boolean;
}
