/**
 * The Espruino RAM model of the size report (targets/size/espruinoModel.ts ESPRUINO_MODEL)
 * against a real interpreter: targets/size/espruino-measured.json holds the free JsVars
 * measured in Espruino 2v29 with a Puck.js's pool for each firmware, its start-up
 * objects and a 4 KiB buffer, in both loading forms. The model, run on today's build
 * of the same firmware, must stay within ESPRUINO_MODEL.tolerancePoints of every
 * figure and agree on what does not load.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { pathInstances, SHARED_PIB_STARTUP, WHOLE_PATH_STARTUP } from "../targets/size/builds.js";
import { ESPRUINO_MODEL, espruinoMeasurements, MEASURED_LABEL } from "../targets/size/espruinoModel.js";
import { puckModel } from "../targets/size/report.js";
import type { BoardRow, FormFit } from "../targets/size/rows.js";

const data = espruinoMeasurements();
const builds = [...new Set(data.results.map((r) => r.build))];
const models = new Map<string, BoardRow>();

/** The model's free share of one form, or null when it says the module does not load. */
function modelled(f: FormFit): number | null {
  return f.fits ? f.freePercent : null;
}

/** How far `model` is from `measured` in points; Infinity when only one of them loads. */
function gap(model: number | null, measured: number | null): number {
  if (model === null || measured === null) return model === measured ? 0 : Infinity;
  return Math.abs(model - measured);
}

beforeAll(async () => {
  for (const b of builds) models.set(b, (await puckModel(b)).board);
}, 120_000);

describe("Espruino model against the measured interpreter", () => {
  test("the measurements are of the Puck.js pool, every form of five firmware builds", () => {
    expect(data.pool).toEqual({ jsVars: 2630, blockSize: 13 });
    expect(data.engine).toMatch(/^Espruino 2v29/);
    expect(builds.sort()).toEqual(["crc-only", "insecure-crc32", "pib-path", "pib-path+keys", "relay-crc32"]);
    for (const b of builds) expect(data.results.filter((r) => r.build === b).map((r) => r.form).sort()).toEqual(["ram", "storage"]);
  });
  for (const r of data.results) {
    test(`${r.build}, ${r.form} form: model within ${ESPRUINO_MODEL.tolerancePoints} points of the measured ${r.freePercent ?? "out of memory"}`, () => {
      const board = models.get(r.build)!;
      const m = modelled(r.form === "storage" ? board.storage! : board.ramUpload!);
      expect(gap(m, r.freePercent), `model ${m}, measured ${r.freePercent}`).toBeLessThanOrEqual(ESPRUINO_MODEL.tolerancePoints);
    });
  }
  test("the board row prints both, labelled", () => {
    const puck = models.get("pib-path")!;
    expect(puck.measured).toEqual({ label: MEASURED_LABEL, storage: data.results.find((r) => r.build === "pib-path" && r.form === "storage")!.freePercent, ramUpload: data.results.find((r) => r.build === "pib-path" && r.form === "ram")!.freePercent });
    expect(puck.detail).toMatch(/^RAM upload: [\d.]+% free estimate \(model\) \[interpreter \d+ \+ code \d+ \+ state \d+ \+ 4 KiB buffer \d+ = \d+ of 2630 JsVars, load peak \d+\], [\d.]+% free measured \(Espruino 2v29 Linux, 2,630 vars\); /);
    expect(puck.detail).toMatch(/; Storage \(code in flash\): [\d.]+% free estimate \(model\) \[interpreter \d+ \+ code \d+ \+ state \d+ \+ 4 KiB buffer 319 = \d+ of 2630 JsVars\], [\d.]+% free measured \(Espruino 2v29 Linux, 2,630 vars\); judged in Storage form$/);
    expect(models.get("pib-path+keys")!.detail).toMatch(/^RAM upload: does not load estimate \(model\) \[.*load peak \d+\], OUT OF MEMORY while loading measured/);
  });
  test("the split follows the interpreter: buffer in 13-octet blocks, state above code in the Storage form", () => {
    const s = models.get("pib-path")!.storage!;
    // a 4 KiB Uint8Array: view + ArrayBuffer + flat-string header + ceil(4096 / 13) blocks (E.getSizeOf: 319)
    expect(s.buffer).toBe(319);
    expect(s.interpreter).toBe(ESPRUINO_MODEL.interpreter);
    const steps = data.results.find((r) => r.build === "pib-path" && r.form === "storage")!.steps!;
    // code and state each within 10 % of what require and the constructors took in the interpreter
    expect(Math.abs(s.code - (steps[1]! - steps[0]!)) / (steps[1]! - steps[0]!)).toBeLessThan(0.1);
    expect(Math.abs(s.state - (steps[2]! - steps[1]!)) / (steps[2]! - steps[1]!)).toBeLessThan(0.1);
  });
  test("the check can fail: without the interpreter's share, or with the closures counted as before, pib-path is out of tolerance", () => {
    const s = models.get("pib-path")!.storage!;
    const measured = data.results.find((r) => r.build === "pib-path" && r.form === "storage")!.freePercent;
    const without = (jsVars: number): number => Math.round(1000 * (1 - (s.used - jsVars) / s.total)) / 10;
    expect(gap(without(s.interpreter), measured)).toBeGreaterThan(ESPRUINO_MODEL.tolerancePoints);
    // the uncalibrated model printed 56.3 %
    expect(gap(56.3, measured)).toBeGreaterThan(ESPRUINO_MODEL.tolerancePoints);
  });
  test("the Puck.js example: its one path measured, and the README says so", () => {
    const ex = (data as unknown as { examples: Array<{ form: string; freePercent: number | null; app: string }> }).examples;
    const shared = ex.filter((e) => e.app.startsWith("targets/examples/espruino/puck-sensor.js"));
    expect(shared.map((e) => e.freePercent)).toEqual([52.3, 25.8]);
    const readme = readFileSync(join(import.meta.dirname, "..", "README.md"), "utf8");
    expect(readme.replace(/\s+/g, " ")).toContain("leaves 52.3 % free beside a 4 KiB buffer with the module in Storage, 25.8 % with it");
  });
  test("pibPath runs counted from a start-up: one per Verifier, one per Signer made alone", () => {
    expect(pathInstances(SHARED_PIB_STARTUP)).toBe(1);
    expect(pathInstances(WHOLE_PATH_STARTUP)).toBe(1);
    expect(pathInstances("[new P.Verifier(4, 4, 1), new P.Signer(4, 4)]")).toBe(2);
    expect(pathInstances("[new P.Crc32c(), new P.U64()]")).toBe(0);
  });
});
