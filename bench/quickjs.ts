/**
 * The pure-JS contenders inside QuickJS (quickjs-emscripten: the QuickJS interpreter
 * compiled to WebAssembly) — an interpreter with no JIT is what a microcontroller
 * really runs, so these ratios matter more than the Node ones for firmware.
 *
 * pibkit and the peers are bundled together from source by esbuild into one IIFE
 * script (bench/quickjsEntry.ts). `crcSlices` is pibkit's build-time CRC table
 * count (src/buildFlags.ts): 16 as in the Node build, 1 as in the microcontroller
 * builds. Timing is on the host around each call into the VM; a batch of n calls
 * runs as a loop inside the VM.
 */
import { build } from "esbuild";
import { newQuickJSWASMModule, type QuickJSContext } from "quickjs-emscripten";
import { join } from "node:path";
import { benchInput, benchKey } from "./data.js";
import type { Alg } from "./impls.js";
import { measureBatches, type RoundOptions } from "./measure.js";
import { expectedHex } from "./nodeImpls.js";
import { repoRoot } from "./root.js";

export interface QuickJsRow {
  alg: Alg;
  impl: string;
  bytes: number;
  mbps: number;
  nsPerCall: number;
}

/** The benchmark bundle for QuickJS, as script text. */
export async function quickJsBundle(crcSlices: number): Promise<string> {
  const r = await build({
    entryPoints: [join(repoRoot(), "bench", "quickjsEntry.ts")],
    bundle: true,
    write: false,
    format: "iife",
    platform: "neutral",
    mainFields: ["module", "main"],
    target: "es2020",
    minify: true,
    charset: "ascii",
    legalComments: "none",
    define: { __PIBKIT_CRC_SLICES__: String(crcSlices) },
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
    logLevel: "silent",
  });
  return r.outputFiles[0]!.text;
}

function evalText(vm: QuickJSContext, code: string): string {
  const r = vm.evalCode(code);
  if (r.error) {
    const err = vm.dump(r.error) as { message?: string } | string;
    r.error.dispose();
    throw new Error("QuickJS: " + (typeof err === "string" ? err : (err.message ?? JSON.stringify(err))));
  }
  const v = vm.dump(r.value) as unknown;
  r.value.dispose();
  return String(v);
}

/**
 * Runs every implementation of the bundle (or only pibkit's when `onlyPibkit`) at
 * each size inside a fresh QuickJS context; each output is checked against node:crypto.
 */
export async function runQuickJs(
  crcSlices: number,
  sizes: number[],
  opts: RoundOptions,
  onlyPibkit: boolean,
  progress: (msg: string) => void,
): Promise<QuickJsRow[]> {
  const code = await quickJsBundle(crcSlices);
  const qjs = await newQuickJSWASMModule();
  const runtime = qjs.newRuntime();
  const vm = runtime.newContext();
  const rows: QuickJsRow[] = [];
  const key = benchKey();
  try {
    evalText(vm, code);
    const list = JSON.parse(evalText(vm, "pibkitBench.list()")) as Array<[Alg, string]>;
    for (const size of sizes) {
      evalText(vm, `pibkitBench.setup(${size})`);
      const data = benchInput(size);
      list.forEach(([alg, impl], index) => {
        if (onlyPibkit && impl !== "pibkit") return;
        progress(`quickjs ${alg} ${impl} ${size} B`);
        const expected = expectedHex(alg, data, key);
        const check = (r: unknown): void => {
          if (r !== expected) throw new Error(`QuickJS ${impl} ${alg} on ${size} B gave ${String(r)}, expected ${expected}`);
        };
        const m = measureBatches((n) => evalText(vm, `pibkitBench.run(${index},${n})`), size, check, opts);
        rows.push({ alg, impl, bytes: size, mbps: m.mbps, nsPerCall: m.nsPerCall });
      });
    }
  } finally {
    vm.dispose();
    runtime.dispose();
  }
  return rows;
}
