/**
 * What fits where: one firmware (a FeatureRow) with a 4 KiB bundle buffer on each board
 * profile of targets/boards/, and its free share. Espruino boards are judged by the
 * JsVar estimate of espruinoModel.ts in both loading forms (in the Storage form where
 * the board runs Storage from flash), printed beside what a real Espruino measured where
 * targets/size/espruino-measured.json has it; the other boards by the QuickJS figure of
 * the start-up objects against the JS heap, and the file against the flash.
 */
import { loadBoard } from "../hosts/engineRun.js";
import { ESTIMATE_LABEL, freeShare, loadingForms, MEASURED_LABEL, measuredOn, type EspruinoMeasurement } from "./espruinoModel.js";
import { STORAGE_CODE_IN_FLASH } from "./espruinoStorage.js";
import type { BoardRow, FeatureRow, FitRow, FormFit } from "./rows.js";

/** The caller's bundle buffer in the Puck.js goal. */
export const BUNDLE_BUFFER = 4096;

const BOARDS = ["espruino-original", "espruino-pico", "espruino-puckjs", "espruino-bangle2", "espruino-esp32", "moddable-esp32", "moddable-esp8266", "ssr-200mhz"];

/** The block size of the Puck.js's JsVars, the board the report's JsVar columns count in. */
export function puckBlockSize(): number {
  return loadBoard("espruino-puckjs")["espruino"].blockSize.value as number;
}

/** Per board: does the firmware `path` plus a 4 KiB bundle buffer fit, and with what headroom. */
export function boardRows(path: FeatureRow): BoardRow[] {
  const rows: BoardRow[] = [];
  for (const name of BOARDS) {
    const b = loadBoard(name);
    if (b["engine"] === "espruino") {
      const total = b["espruino"].jsVars.value as number;
      const { ramUpload, storage } = loadingForms(path, b["espruino"].blockSize.value as number, total, BUNDLE_BUFFER);
      const judged = STORAGE_CODE_IN_FLASH[name] ? storage : ramUpload;
      const measured = name === "espruino-puckjs" ? measuredOn(path.feature) : {};
      // each figure followed by what it is: the model's estimate, or a real interpreter's measurement
      const said = (f: FormFit, m: EspruinoMeasurement | undefined): string =>
        `${f.fits ? f.freePercent.toFixed(1) + "% free" : "does not load"} ${ESTIMATE_LABEL} [interpreter ${f.interpreter} + code ${f.code} + state ${f.state} + 4 KiB buffer ${f.buffer} = ${f.used} of ${total} JsVars${f.peak > f.used ? `, load peak ${f.peak}` : ""}]` +
        (m ? `, ${m.freePercent === null ? "OUT OF MEMORY while loading" : m.freePercent.toFixed(1) + "% free"} ${MEASURED_LABEL}` : "");
      rows.push({
        board: name,
        title: b["title"],
        engine: "espruino",
        fits: judged.fits,
        headroomPercent: judged.freePercent,
        detail: `RAM upload: ${said(ramUpload, measured.ram)}; Storage (code in flash): ${said(storage, measured.storage)}; judged in ${STORAGE_CODE_IN_FLASH[name] ? "Storage" : "RAM upload"} form`,
        jsVarsUsed: judged.used,
        jsVarsPeak: judged.peak,
        jsVarsTotal: total,
        ramUpload,
        storage,
        judged: STORAGE_CODE_IN_FLASH[name] ? "storage" : "ram-upload",
        ...(measured.storage || measured.ram ? { measured: { label: MEASURED_LABEL, storage: measured.storage?.freePercent ?? null, ramUpload: measured.ram?.freePercent ?? null } } : {}),
      });
    } else {
      const heap = b["jsHeapBytes"].value as number;
      const flash = b["flashBytes"].value as number;
      const ram = path.ramQuickJs + BUNDLE_BUFFER;
      const code = b["engine"] === "xs" ? path.moddable.bytes : path.espruino.bytes;
      rows.push({
        board: name,
        title: b["title"],
        engine: b["engine"],
        fits: ram <= heap && code <= flash,
        headroomPercent: freeShare(ram, heap),
        detail: `state ${path.ramQuickJs} B (QuickJS measure) + 4 KiB buffer = ${ram} B of a ${heap} B JS heap; code ${code} B of ${flash} B flash`,
      });
    }
  }
  return rows;
}

/** The what-fits matrix: every firmware but the ground library (full) on every board. */
export function fitRows(features: FeatureRow[]): FitRow[] {
  const fit: FitRow[] = [];
  for (const f of features) {
    if (f.feature === "full") continue;
    for (const b of boardRows(f)) fit.push({ firmware: f.feature, board: b.board, fits: b.fits, headroomPercent: b.headroomPercent, ramUploadPercent: b.ramUpload ? b.ramUpload.freePercent : null });
  }
  return fit;
}
