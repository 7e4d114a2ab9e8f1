/**
 * The pure-JS contenders inside QuickJS (quickjs-emscripten: the QuickJS interpreter
 * compiled to WebAssembly) — an interpreter with no JIT is what a microcontroller
 * really runs, so these ratios matter more than the Node ones for firmware.
 *
 * Two runs:
 * - peers: pibkit (src/, the interpreter build: `__PIBKIT_CRC_SLICES__` = 128, i.e.
 *   slicing-by-128 CRC through 128 views, unrolled MD5/SHA-1 as on Node) and
 *   the pure-JS peers, bundled together by esbuild into one IIFE
 *   (bench/quickjsEntry.ts), same definitions as on Node (bench/impls.ts);
 * - firmware: the exact generic firmware file the simulator runs
 *   (dist/generic/pibkit.js from `node targets/build/build.mjs`: one CRC table, looped
 *   MD5/SHA-1) — digests and PIB verify — for the per-suite cost figures. When that
 *   file is absent, src/entries/full.ts is bundled the same way (esbuild IIFE, CRC slices 1).
 *
 * Timing is on the host around each call into the VM; a batch of n calls runs as a
 * loop inside the VM. Every output is checked against node:crypto.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { QuickJSContext, QuickJSRuntime } from "quickjs-emscripten";
// @ts-expect-error plain .mjs without types
import { boardPrimitives, buildDefines, loadBoard, PRIMITIVES } from "../targets/build/firmware.mjs";
import { benchInput, benchKey, hexOf } from "./data.js";
import type { Alg } from "./impls.js";
import { cpuMs, measureBatches, measureInterleaved, type Measured, type RoundOptions } from "./measure.js";
import { expectedHex, loadNodePeers } from "./nodeImpls.js";
import { sizeLabel } from "./report.js";
import { repoRoot } from "../targets/build/root.mjs";

export interface QuickJsRow {
  alg: string;
  impl: string;
  /** A firmware build's row: "firmware" or "firmware:<board>" (runQuickJsPeers). */
  variant?: string;
  bytes: number;
  op: "digest" | "verify";
  mbps: number;
  nsPerCall: number;
}

/** One QuickJS runtime + context; text in, text out. */
class Vm {
  runtime: QuickJSRuntime;
  ctx: QuickJSContext;
  private constructor(runtime: QuickJSRuntime) {
    this.runtime = runtime;
    this.ctx = runtime.newContext();
  }
  static async create(): Promise<Vm> {
    // Loaded here, not at the top: the CLI is one bundle and other commands should not pay for it.
    const { newQuickJSWASMModule } = await import("quickjs-emscripten");
    return new Vm((await newQuickJSWASMModule()).newRuntime());
  }
  eval(code: string): string {
    const r = this.ctx.evalCode(code);
    if (r.error) {
      const err = this.ctx.dump(r.error) as { message?: string } | string;
      r.error.dispose();
      throw new Error("QuickJS: " + (typeof err === "string" ? err : (err.message ?? JSON.stringify(err))));
    }
    const v = this.ctx.dump(r.value) as unknown;
    r.value.dispose();
    return String(v);
  }
  dispose(): void {
    this.ctx.dispose();
    this.runtime.dispose();
  }
}

/** esbuild IIFE of `entry` (relative to the repo root) for QuickJS. `mcu` = the microcontroller defines. */
async function iife(entry: string, mcu: boolean | { crcSlices: number; hashLoops: number }, globalName?: string): Promise<string> {
  const { build } = await import("esbuild");
  const r = await build({
    entryPoints: [join(repoRoot(), entry)],
    bundle: true,
    write: false,
    format: "iife",
    ...(globalName ? { globalName } : {}),
    platform: "neutral",
    mainFields: ["module", "main"],
    target: "es2020",
    minify: true,
    charset: "ascii",
    legalComments: "none",
    // Not mcu: the interpreter build (slicing-by-128 through views, src/core/crc32c.ts).
    define: buildDefines({ primitives: typeof mcu === "object" ? mcu : mcu ? PRIMITIVES.mcu : PRIMITIVES.interpreter }),
    // js-md5 requires these only inside its Node wrapper, which never runs in QuickJS.
    external: ["crypto", "buffer"],
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: false } },
    logLevel: "silent",
  });
  return r.outputFiles[0]!.text;
}

/*
 * V8 compiles the QuickJS WebAssembly module lazily: a baseline tier first, the
 * optimised tier later on a background thread (and later still on a busy machine).
 * Running every contender for a while first keeps the first one measured from being
 * timed on the baseline interpreter loop.
 */
const VM_WARMUP_MS = 400;

function warmVm(vm: Vm, calls: string[]): void {
  const t0 = cpuMs();
  while (cpuMs() - t0 < VM_WARMUP_MS) for (const c of calls) vm.eval(c);
}

function checker(what: string, expected: string): (r: unknown) => void {
  return (r) => {
    if (r !== expected) throw new Error(`QuickJS ${what} gave ${String(r)}, expected ${expected}`);
  };
}

/**
 * pibkit (interpreter build) and the pure-JS peers at each size, and beside them in the
 * same VM the firmware builds named in `firmware` (the generic one, undefined, and
 * each speed-first board's), each loaded under a global of its own. Every contender of
 * one algorithm is timed in interleaved rounds: QuickJS speed moves by up to 1.7× from
 * one VM or one stretch of time to the next on a shared machine (docs/bench.md, fourth
 * round), so figures taken in separate VMs one after the other gave ratios to the
 * peers that swung with it. Firmware rows carry `variant` ("firmware",
 * "firmware:<board>") and cover the algorithms the firmware has (FIRMWARE_ALGS).
 */
export async function runQuickJsPeers(
  sizes: number[],
  opts: RoundOptions,
  progress: (msg: string) => void,
  firmware: ReadonlyArray<string | undefined> = [],
): Promise<QuickJsRow[]> {
  await loadNodePeers();
  const vm = await Vm.create();
  const rows: QuickJsRow[] = [];
  const key = benchKey();
  try {
    vm.eval(await iife("bench/quickjsEntry.ts", false));
    const list = JSON.parse(vm.eval("pibkitBench.list()")) as Array<[Alg, string]>;
    // each firmware file defines `var pibkit`: run inside a function, its driver kept as FW<k>
    const fws: Array<{ variant: string; global: string }> = [];
    for (const [k, board] of firmware.entries()) {
      const fw = await firmwareText(board);
      vm.eval(`(function(){\n${fw.code}\n;(function(pibkit){${FIRMWARE_DRIVER}\nglobalThis.FW${k}=B;})(pibkit);})()`);
      vm.eval(`FW${k}.setKey("${hexOf(key)}")`);
      fws.push({ variant: board === undefined ? "firmware" : `firmware:${board}`, global: `FW${k}` });
    }
    for (const size of sizes) {
      const data = benchInput(size);
      vm.eval(`pibkitBench.setup(${size})`);
      for (const f of fws) vm.eval(`${f.global}.setData("${hexOf(data)}")`);
      warmVm(vm, [...list.map((_x, i) => `pibkitBench.run(${i},1)`), ...fws.flatMap((f) => FIRMWARE_ALGS.map((a) => `${f.global}["${a}"](1)`))]);
      for (const alg of [...new Set(list.map(([a]) => a))]) {
        const named: Array<{ impl: string; variant?: string; call: string }> = [
          ...list.flatMap(([a, impl], index) => (a === alg ? [{ impl, call: `pibkitBench.run(${index},` }] : [])),
          ...(FIRMWARE_ALGS.includes(alg) ? fws.map((f) => ({ impl: "pibkit", variant: f.variant, call: `${f.global}["${alg}"](` })) : []),
        ];
        for (const c of named) progress(`quickjs ${alg} ${c.variant ? `pibkit (${c.variant})` : c.impl} ${sizeLabel(size)}`);
        const check = (what: string) => checker(`${what} ${alg} on ${size} B`, expectedHex(alg, data, key));
        const ms = measureInterleaved(
          named.map((c) => ({ batch: (n: number) => vm.eval(`${c.call}${n})`), bytes: size, check: check(c.variant ?? c.impl) })),
          opts,
        );
        named.forEach((c, i) => rows.push({ alg, impl: c.impl, bytes: size, op: "digest", mbps: ms[i]!.mbps, nsPerCall: ms[i]!.nsPerCall, ...(c.variant ? { variant: c.variant } : {}) }));
      }
    }
  } finally {
    vm.dispose();
  }
  return rows;
}

/*
 * Drives the firmware's global `pibkit` (exports of src/entries/full.ts). Plain ES5 text,
 * because it runs as is in the VM.
 */
const FIRMWARE_DRIVER = `
var B = {};
B.bytes = function (h) { var n = h.length >> 1, b = new Uint8Array(n); for (var i = 0; i < n; i++) b[i] = parseInt(h.substr(2 * i, 2), 16); return b; };
B.hex = function (b, len) { var s = ""; for (var i = 0; i < len; i++) { var x = b[i]; s += (x < 16 ? "0" : "") + x.toString(16); } return s; };
B.dCrc = new pibkit.Crc32c(); B.dMd5 = new pibkit.Md5(); B.dMac = new pibkit.HmacSha1(20); B.out = new Uint8Array(20);
B.setData = function (h) { B.data = B.bytes(h); };
B.setKey = function (h) { B.key = B.bytes(h); B.keys = new pibkit.KeyTable(2, 4); B.keys.install(1, B.key, 0, 20); };
B["crc32c"] = function (n) { var d = B.data, c = B.dCrc; for (var i = 0; i < n; i++) { c.reset(); c.update(d, 0, d.length); } var v = c.value(); return ("0000000" + v.toString(16)).slice(-8); };
B["md5"] = function (n) { var d = B.data, m = B.dMd5; for (var i = 0; i < n; i++) { m.reset(); m.update(d, 0, d.length); m.finish(B.out, 0); } return B.hex(B.out, 16); };
B["hmac-sha1"] = function (n) { var d = B.data, m = B.dMac, k = B.key; for (var i = 0; i < n; i++) { m.setKey(k, 0, 20); m.update(d, 0, d.length); m.finish(B.out, 0); } return B.hex(B.out, 20); };
B.setBundle = function (h) { B.bundle = B.bytes(h); B.verifier = new pibkit.Verifier(8, 8, 4); B.verifier.keys = B.keys; };
B.verify = function (n) { var v = B.verifier, b = B.bundle, r = 0; for (var i = 0; i < n; i++) r = v.verifyAll(b, 0, b.length); return r === 1 && v.allOk() ? "ok" : "verdict " + r + "/" + v.verdict[0]; };
`;

/** src/entries/full.ts as a script defining the global `pibkit`, with the microcontroller define. */
export function firmwareFromSource(): Promise<string> {
  return iife("src/entries/full.ts", true, "pibkit");
}

/**
 * Boards whose profile asks for speed-first primitives: the firmware they get
 * (dist/boards/<board>/pibkit.js, targets/build/firmware.mjs boardPrimitives) is
 * measured in QuickJS beside the size-first one, and its costs are the ones the
 * simulator uses for that board. A Moddable (XS) board's build is an ES module; it is
 * measured as the script esbuild wraps it into (firmwareText).
 */
export function speedBoards(): string[] {
  const dir = join(repoRoot(), "targets", "boards");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as { name: string; engine: string; primitives?: { value?: string } })
    .filter((b) => b.primitives?.value === "speed")
    .map((b) => b.name)
    .sort();
}

/** The firmware text: dist/generic/pibkit.js when built, else src/entries/full.ts bundled alike; with `board`, that board's build. */
export async function firmwareText(board?: string): Promise<{ code: string; source: string }> {
  if (board !== undefined) {
    const rel = join("dist", "boards", board, "pibkit.js");
    const f = join(repoRoot(), rel);
    if (existsSync(f)) {
      const text = readFileSync(f, "utf8");
      if (loadBoard(board).engine !== "xs") return { code: text, source: rel };
      // the module XS preloads, as a script defining `pibkit` (its code unchanged, wrapped)
      const { transform } = await import("esbuild");
      const code = (await transform(text, { format: "iife", globalName: "pibkit", target: "es2020", logLevel: "silent" })).code;
      return { code, source: `${rel} (an ES module, wrapped as a script by esbuild)` };
    }
    // not built yet (node targets/build/build.mjs writes it): the same primitives bundled from src/
    const primitives = boardPrimitives(loadBoard(board)) as { crcSlices: number; hashLoops: number };
    return { code: await iife("src/entries/full.ts", primitives, "pibkit"), source: `src/entries/full.ts bundled by esbuild (IIFE, ${board}'s primitives)` };
  }
  const file = join(repoRoot(), "dist", "generic", "pibkit.js");
  if (existsSync(file)) return { code: readFileSync(file, "utf8"), source: "dist/generic/pibkit.js" };
  return { code: await firmwareFromSource(), source: "src/entries/full.ts bundled by esbuild (IIFE, the microcontroller primitives)" };
}

/** A signed bundle for the firmware verify run (built on the host by the same code). */
export type SignedBundle = { suite: string; payload: number; bytes: Uint8Array };

/** The digests measured on the firmware build, per size (the simulator's cost figures). */
export const FIRMWARE_ALGS: readonly Alg[] = ["crc32c", "md5", "hmac-sha1"];

/**
 * Digests at `sizes` and verify of each signed bundle, inside QuickJS, with the
 * firmware build. Digest rows have impl "pibkit"; verify rows alg = suite name.
 */
export async function runQuickJsFirmware(
  sizes: number[],
  bundles: SignedBundle[],
  opts: RoundOptions,
  progress: (msg: string) => void,
  board?: string,
): Promise<{ rows: QuickJsRow[]; source: string }> {
  await loadNodePeers();
  const fw = await firmwareText(board);
  const label = board === undefined ? "firmware" : `firmware for ${board}`;
  const vm = await Vm.create();
  const rows: QuickJsRow[] = [];
  const key = benchKey();
  try {
    vm.eval(fw.code);
    vm.eval(FIRMWARE_DRIVER);
    vm.eval(`B.setKey("${hexOf(key)}")`);
    vm.eval(`B.setData("${hexOf(benchInput(64))}")`);
    warmVm(vm, ['B["crc32c"](1)', 'B["md5"](1)', 'B["hmac-sha1"](1)']);
    for (const size of sizes) {
      const data = benchInput(size);
      vm.eval(`B.setData("${hexOf(data)}")`);
      for (const alg of FIRMWARE_ALGS) {
        progress(`quickjs ${label} ${alg} ${sizeLabel(size)}`);
        const check = checker(`firmware ${alg} on ${size} B`, expectedHex(alg, data, key));
        const m = measureBatches((n) => vm.eval(`B["${alg}"](${n})`), size, check, opts);
        rows.push({ alg, impl: "pibkit", bytes: size, op: "digest", mbps: m.mbps, nsPerCall: m.nsPerCall });
      }
    }
    for (const b of bundles) {
      progress(`quickjs ${label} verify ${b.suite} ${sizeLabel(b.payload)}`);
      vm.eval(`B.setBundle("${hexOf(b.bytes)}")`);
      const m = measureBatches((n) => vm.eval(`B.verify(${n})`), b.payload, checker(`firmware verify ${b.suite}`, "ok"), opts);
      rows.push({ alg: b.suite, impl: "pibkit", bytes: b.payload, op: "verify", mbps: m.mbps, nsPerCall: m.nsPerCall });
    }
  } finally {
    vm.dispose();
  }
  return { rows, source: fw.source };
}

/** Pieces the on-board streaming verifier gets in the benchmark (a flash page run, a radio frame burst). */
export const STREAM_PIECE = 64 * 1024;

// Drives the on-board streaming firmware (the bench key as key id 1, through a minimal keys
// hook: this build has no key table): the same StreamVerifier checks each bundle whole
// (verifyAll) and in STREAM_PIECE pieces (begin/push/end). Its window is 512 octets, so a
// 64 KiB bundle really streams: the header in the window, the payload through the digests.
const STREAM_DRIVER = `var S = {};
S.bytes = function (h) { var n = h.length >> 1, b = new Uint8Array(n); for (var i = 0; i < n; i++) b[i] = parseInt(h.substr(2 * i, 2), 16); return b; };
S.setKey = function (h) { var k = S.bytes(h); S.keys = { count: function (id) { return id === 1 ? 1 : 0; }, load: function (id, i, mac) { mac.setKey(k, 0, k.length); }, verified: function () {} }; };
S.setBundle = function (h) { S.bundle = S.bytes(h); S.v = new pibkit.StreamVerifier(8, 8, 4, 512, 4); S.v.keys = S.keys; };
S.ok = function (r) { return r === 1 && S.v.allOk() ? "ok" : "verdict " + r + "/" + S.v.verdict[0]; };
S.whole = function (n) { var v = S.v, b = S.bundle, r = 0; for (var i = 0; i < n; i++) r = v.verifyAll(b, 0, b.length); return S.ok(r); };
S.stream = function (n, piece) { var v = S.v, b = S.bundle, r = 0; for (var i = 0; i < n; i++) { v.begin(); for (var o = 0; o < b.length; o += piece) { var e = v.push(b, o, Math.min(piece, b.length - o)); if (e < 0) break; } r = v.end(); } return S.ok(r); };
`;

/**
 * The on-board streaming verifier (dist/generic/pibkit-pib-path+stream.js) in QuickJS:
 * each signed bundle verified whole and in STREAM_PIECE pieces by the same object,
 * rounds interleaved; rows with variant "on-board whole" and "on-board stream". Empty when
 * the file is not built.
 */
export async function runQuickJsStream(bundles: SignedBundle[], opts: RoundOptions, progress: (msg: string) => void): Promise<QuickJsRow[]> {
  const file = join(repoRoot(), "dist", "generic", "pibkit-pib-path+stream.js");
  if (!existsSync(file)) return [];
  const vm = await Vm.create();
  const rows: QuickJsRow[] = [];
  try {
    vm.eval(readFileSync(file, "utf8"));
    vm.eval(STREAM_DRIVER);
    vm.eval(`S.setKey("${hexOf(benchKey())}")`);
    for (const b of bundles) {
      vm.eval(`S.setBundle("${hexOf(b.bytes)}")`);
      const check = checker(`on-board stream verify ${b.suite}`, "ok");
      progress(`quickjs on-board verify ${b.suite} ${sizeLabel(b.payload)} whole and in ${sizeLabel(STREAM_PIECE)} pieces`);
      // interleaved (whole, pieces, whole, …): the two figures are compared with each other
      const [whole, stream] = measureInterleaved([
        { batch: (n) => vm.eval(`S.whole(${n})`), bytes: b.payload, check },
        { batch: (n) => vm.eval(`S.stream(${n}, ${STREAM_PIECE})`), bytes: b.payload, check },
      ], opts) as [Measured, Measured];
      rows.push({ alg: b.suite, impl: "on-board whole", bytes: b.payload, op: "verify", mbps: whole.mbps, nsPerCall: whole.nsPerCall });
      rows.push({ alg: b.suite, impl: "on-board stream", bytes: b.payload, op: "verify", mbps: stream.mbps, nsPerCall: stream.nsPerCall });
    }
  } finally {
    vm.dispose();
  }
  return rows;
}
