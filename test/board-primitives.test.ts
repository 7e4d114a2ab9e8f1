/**
 * Each board profile names the primitives its firmware gets (`"primitives"`: size or
 * speed, targets/boards/*.json), and the firmware built for that board carries exactly
 * those bodies: one CRC-32C table and looped MD5/SHA-1 for size; for speed, the unrolled
 * hash bodies, and on QuickJS the slicing-by-128 CRC-32C and MD5/SHA-1 blocks read as
 * words (src/core/wordView.ts, whose WeakMap no other build carries). Checked in the
 * text each board's engine loads and, for QuickJS boards, by running it, at aligned and
 * unaligned places and in pieces that cut blocks.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error plain .mjs without types
import * as fw from "../targets/build/firmware.mjs";
import { conformanceXsModule } from "../targets/hosts/engineRun.js";
import { XsHost, xsnapWorkerPath } from "../targets/hosts/xs.js";

interface Board {
  name: string;
  engine: string;
  primitives?: { value: string };
}
interface Primitives {
  crcSlices: number;
  hashLoops: number;
  wordViews?: number;
}
const { boardFirmware, boardNames, boardPrimitives, FEATURES, loadBoard, PRIMITIVES } = fw as {
  boardFirmware: (name: string, feature: unknown) => Promise<{ board: Board; primitives: Primitives; text: string }>;
  boardNames: () => string[];
  boardPrimitives: (b: Board) => Primitives;
  FEATURES: Record<string, unknown>;
  loadBoard: (name: string) => Board;
  PRIMITIVES: Record<string, Primitives>;
};

/** The sine literal of the looped MD5 body (md5.ts) and T[0] of the unrolled one (md5Unrolled.ts). */
const LOOPED_MD5 = /\.8414709848078965/;
const UNROLLED_MD5 = /-680876936|3614090360|0xd76aa478/;
/** The slicing tables' sizes in Int32 entries: 128 × 256 (QuickJS speed build), 8 × 256 (Node). */
const SLICES_128 = /\b32768\b/;
const SLICES_8 = /\b2048\b/;
/** The word views' cache (src/core/wordView.ts): one view per buffer. */
const WORD_VIEWS = /\bWeakMap\b/;
/** A whole-word view of a buffer (wordView.ts, or the one an XS speed build's digest keeps: src/core/mdBlock.ts). */
const WORD_VIEW = /new [\w$]+\(([\w$]+), ?0, ?\1\.byteLength ?>> ?2\)/;

describe("board profiles choose the firmware's primitives", () => {
  const names = boardNames();

  it("every profile names size or speed, and the boards with room ask for speed", () => {
    expect(names.length).toBeGreaterThan(5);
    for (const n of names) expect(["size", "speed"], n).toContain(loadBoard(n).primitives?.value);
    // the draft's recorder (megabytes of program memory) and an ESP32 with 4 MB of flash
    expect(loadBoard("ssr-200mhz").primitives?.value).toBe("speed");
    expect(loadBoard("moddable-esp32").primitives?.value).toBe("speed");
    // a Puck.js has 8 KiB for the whole path: size first
    expect(loadBoard("espruino-puckjs").primitives?.value).toBe("size");
    for (const n of names.filter((x) => loadBoard(x).engine === "espruino")) expect(loadBoard(n).primitives?.value, n).toBe("size");
  });

  it("a bad or missing value is refused", () => {
    expect(() => boardPrimitives({ name: "x", engine: "quickjs" })).toThrow(/"primitives" must be/);
    expect(() => boardPrimitives({ name: "x", engine: "quickjs", primitives: { value: "fast" } })).toThrow(/"primitives" must be/);
    expect(() => boardPrimitives({ name: "x", engine: "espruino", primitives: { value: "speed" } })).toThrow(/not offered on espruino/);
  });

  for (const n of boardNames()) {
    it(`${n}: its firmware carries the bodies its profile names`, async () => {
      const { board, primitives, text } = await boardFirmware(n, FEATURES["pib-path"]);
      if (board.primitives?.value === "size") expect(primitives).toBe(PRIMITIVES["mcu"]);
      if (primitives.hashLoops === 1) {
        expect(text).toMatch(LOOPED_MD5);
        expect(text).not.toMatch(UNROLLED_MD5);
      } else {
        expect(text).toMatch(UNROLLED_MD5);
        expect(text).not.toMatch(LOOPED_MD5);
      }
      if (primitives.crcSlices === 128) expect(text).toMatch(SLICES_128);
      else expect(text).not.toMatch(SLICES_128);
      expect(text).not.toMatch(SLICES_8);
      // word views through the WeakMap only where the engine is QuickJS (an XS preload
      // freezes module state); XS speed builds keep one view in each digest instead
      if (primitives.wordViews === 1) expect(board.engine).toBe("quickjs");
      if (primitives.wordViews === 2) expect(board.engine).toBe("xs");
      if (primitives.wordViews === 1) expect(text).toMatch(WORD_VIEWS);
      else expect(text).not.toMatch(WORD_VIEWS);
      if (primitives.wordViews) expect(text).toMatch(WORD_VIEW);
      else expect(text).not.toMatch(WORD_VIEW);
    }, 60_000);
  }

  it("a QuickJS speed board's firmware runs its speed bodies and gets every digest right", async () => {
    const quick = boardNames().filter((n) => loadBoard(n).engine === "quickjs" && loadBoard(n).primitives?.value === "speed");
    expect(quick.length).toBeGreaterThan(0);
    const { newQuickJSWASMModule } = await import("quickjs-emscripten");
    const mod = await newQuickJSWASMModule();
    for (const n of quick) {
      const { text } = await boardFirmware(n, FEATURES["full"]);
      const vm = mod.newContext();
      try {
        const h = vm.unwrapResult(vm.evalCode(text + ";" + DIGESTS_AT_EVERY_PHASE));
        expectRight(JSON.parse(vm.dump(h) as string) as Run[], n, 128);
        h.dispose();
        // the 128 KiB of slicing tables are the module's, made once: every Crc32c shares them
        const shared = vm.unwrapResult(vm.evalCode("new pibkit.Crc32c().v === new pibkit.Crc32c().v && Object.isFrozen(new pibkit.Crc32c().v)"));
        expect(vm.dump(shared), n).toBe(true);
        shared.dispose();
      } finally {
        vm.dispose();
      }
    }
  }, 60_000);

  it.skipIf(!xsnapWorkerPath())("an XS speed board's firmware, an ES module, gets every digest right in XS: the conformance vectors, and the words of the buffer each digest keeps", async () => {
    const xs = boardNames().filter((n) => loadBoard(n).engine === "xs" && loadBoard(n).primitives?.value === "speed");
    expect(xs.length).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), "pibkit-xs-board-"));
    try {
      for (const n of xs) {
        const { text } = await boardFirmware(n, FEATURES["full"]);
        const file = join(dir, `${n}.js`);
        writeFileSync(file, text);
        // the published digest vectors (RFC 3720, RFC 1321, RFC 3174, RFC 2202) and SDNVs
        const c = await conformanceXsModule(file, ["sdnv", "crc", "md5", "sha1", "hmac"]);
        expect(c.failures, n).toEqual([]);
        expect(c.ran.length, n).toBeGreaterThan(20);
        writeFileSync(join(dir, "main.js"), `import * as p from ${JSON.stringify(file)};\nglobalThis.pibkit = p;\n`);
        const h = new XsHost();
        try {
          const m = await h.importModule(join(dir, "main.js"));
          expect(m.ok ? "" : m.error).toBe("");
          const r = await h.evalString(`(function(){ ${DIGESTS_AT_EVERY_PHASE.replace(/JSON\.stringify\(r\)$/, "return JSON.stringify(r)")} })()`);
          expect(r.ok, r.ok ? "" : r.error).toBe(true);
          expectRight(JSON.parse(r.ok ? r.reply : "[]") as Run[], n, 128);
        } finally {
          await h.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

const DATA = Uint8Array.from({ length: 1000 }, (_, i) => (i * 2654435761) >>> 24);
/**
 * Engine-side script: the data at buffer offsets 0..3 (words only where a block starts
 * 4-aligned), fed whole and in pieces of 1, 63 and the rest (blocks cut, a partial block
 * carried), through Crc32c, Md5 and Sha1 of the `pibkit` in scope; the last expression
 * is the JSON of [CRC slices, CRC, MD5, SHA-1] per way (slices: 128 views, or one 256-entry table). The digests are made once
 * and reset, as a board uses them, and fed another buffer first, so a kept view meets
 * buffers it was not made for.
 */
const DIGESTS_AT_EVERY_PHASE =
  `var src = [${Array.from(DATA).join(",")}], o = new Uint8Array(20);` +
  "function hex(k){var s='';for(var i=0;i<k;i++)s+=(o[i]<16?'0':'')+o[i].toString(16);return s}" +
  "function feed(x, d, at, cut){ x.reset(); if (cut) { x.update(d, at, 1); x.update(d, at + 1, 63); x.update(d, at + 64, src.length - 64); } else x.update(d, at, src.length); }" +
  "var r = [], c = new pibkit.Crc32c(), m = new pibkit.Md5(), s = new pibkit.Sha1();" +
  // another buffer of the same length first, other octets: a view kept from it must not serve the next
  "var z = new Uint8Array(src.length + 4); for (var i = 0; i < z.length; i++) z[i] = 255 - (i & 255); feed(m, z, 0, 0); feed(s, z, 0, 0);" +
  "for (var at = 0; at < 4; at++) for (var cut = 0; cut < 2; cut++) {" +
  "  var d = new Uint8Array(src.length + 4); d.set(src, at);" +
  "  feed(c, d, at, cut); feed(m, d, at, cut); m.finish(o, 0); var md = hex(16);" +
  "  feed(s, d, at, cut); s.finish(o, 0); r.push([c.v ? c.v.length : c.t.length / 256, c.value().toString(16), md, hex(20)]);" +
  "} JSON.stringify(r)";

type Run = [number, string, string, string];

/** Every way gave node:crypto's MD5 and SHA-1 and the bit-serial CRC-32C, with `slices` CRC tables. */
function expectRight(runs: Run[], board: string, slices: number): void {
  expect(runs, board).toHaveLength(8);
  const [[len, crc, md5, sha1]] = runs as [Run];
  for (const r of runs) expect(r, board).toEqual(runs[0]);
  expect(len, board).toBe(slices);
  expect(md5, board).toBe(createHash("md5").update(DATA).digest("hex"));
  expect(sha1, board).toBe(createHash("sha1").update(DATA).digest("hex"));
  let x = 0xffffffff; // CRC-32C bit by bit (RFC 3309 §2.1)
  for (const b of DATA) {
    x ^= b;
    for (let k = 0; k < 8; k++) x = x & 1 ? (x >>> 1) ^ 0x82f63b78 : x >>> 1;
  }
  expect(crc, board).toBe(((x ^ 0xffffffff) >>> 0).toString(16));
}
