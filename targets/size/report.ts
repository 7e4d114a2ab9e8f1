/**
 * The size report behind `pibkit size` (= `make size`, run in `make test` by
 * test/size.test.ts), put together: every module of the ground library and every
 * firmware (builds.ts) built and measured in bytes, its start-up objects measured in
 * the engines (engineMeasure.ts) and estimated in Espruino JsVars (espruinoModel.ts),
 * the on-board path and every firmware placed on each board (boardFit.ts), and the
 * budgets of targets/size/budgets.json judged (budgets.ts). renderText.ts,
 * renderJson.ts and renderSvg.ts print it; rows.ts is its shape.
 */
import { XsHost, xsnapWorkerPath } from "../hosts/xs.js";
import { checkBudgets, loadBudgets } from "./budgets.js";
import { boardRows, fitRows, puckBlockSize } from "./boardFit.js";
import { FEATURE_ROWS, featureBuild, layerFeature, measureFeature, MODULES, pathInstances } from "./builds.js";
import { measureStartup } from "./engineMeasure.js";
import { jsVarsOf } from "./espruinoModel.js";
import type { BoardRow, FeatureRow, ModuleRow, SizeReport } from "./rows.js";

/** One firmware's row: its files, and its start-up objects as measured with `engines` (XS slots only with an XS host). */
async function featureRow(name: string, engines: boolean, xs: XsHost | null, block: number): Promise<FeatureRow> {
  const { feature: f, startup } = featureBuild(name)!;
  const cur = await measureFeature(f);
  const ram = await measureStartup(engines, xs, cur.generic, startup);
  return { feature: name, espruino: cur.espruino, moddable: cur.moddable, codeRamQuickJs: ram.code, ramQuickJs: ram.state, ramXsSlots: ram.slots, bufferBytes: ram.census.typedBytes, jsVars: jsVarsOf(ram.census, block), storage: cur.storage, census: ram.census, pathInstances: pathInstances(startup) };
}

/** Builds the whole report. `engines: false` skips the engine measurements (RAM columns 0). */
export async function sizeReport(opts: { engines?: boolean } = {}): Promise<SizeReport> {
  const engines = opts.engines ?? true;
  const xs = engines && xsnapWorkerPath() ? new XsHost() : null;
  const puckBlock = puckBlockSize();
  try {
    const modules: ModuleRow[] = [];
    let prev = { espruino: { bytes: 0, gzip: 0 }, moddable: { bytes: 0, gzip: 0 } };
    const files: string[] = [];
    for (const m of MODULES) {
      files.push(...m.files);
      const cur = await measureFeature(layerFeature(files));
      const ram = await measureStartup(engines, xs, cur.generic, m.startup);
      modules.push({
        module: m.name,
        espruino: { bytes: cur.espruino.bytes - prev.espruino.bytes, gzip: cur.espruino.gzip - prev.espruino.gzip },
        moddable: { bytes: cur.moddable.bytes - prev.moddable.bytes, gzip: cur.moddable.gzip - prev.moddable.gzip },
        ramQuickJs: ram.state,
        ramXsSlots: ram.slots,
        bufferBytes: ram.census.typedBytes,
        jsVars: jsVarsOf(ram.census, puckBlock),
      });
      prev = cur;
    }
    const features: FeatureRow[] = [];
    for (const name of FEATURE_ROWS) features.push(await featureRow(name, engines, xs, puckBlock));
    const boards = boardRows(features.find((f) => f.feature === "pib-path")!);
    const fit = fitRows(features);
    const budgets = checkBudgets(loadBudgets(), { modules, features, boards, fit, engines });
    return { modules, features, boards, fit, budgets, engines };
  } finally {
    await xs?.close();
  }
}

/**
 * The Puck.js rows of one firmware of FEATURE_ROWS without the whole report: its
 * Espruino file counted, its start-up objects measured in QuickJS, the model applied
 * (what test/espruino-model.test.ts holds against targets/size/espruino-measured.json).
 */
export async function puckModel(name: string): Promise<{ feature: FeatureRow; board: BoardRow }> {
  if (!featureBuild(name)) throw new Error(`puckModel: unknown firmware "${name}" (one of ${FEATURE_ROWS.join(", ")})`);
  const feature = await featureRow(name, true, null, puckBlockSize());
  return { feature, board: boardRows(feature).find((b) => b.board === "espruino-puckjs")! };
}
