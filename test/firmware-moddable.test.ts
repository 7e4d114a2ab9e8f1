/**
 * The Moddable example app (targets/examples/moddable/): its manifest's module graph resolves
 * (pibkit from dist/moddable/ under modules and preload, creation sized like the
 * moddable-esp32 board profile), and main.js — laid out as mcconfig would, with
 * pibkit's exports frozen like a preloaded module — signs, verifies and drops a
 * corrupted bundle in XS.
 */
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { ensureFirmware, loadBoard } from "../targets/hosts/engineRun.js";
import { XsHost, xsnapWorkerPath } from "../targets/hosts/xs.js";
import { layOut, resolveManifest, startModule } from "../targets/build/moddableGraph.js";

const ROOT = join(import.meta.dirname, "..");
const MANIFEST = join(ROOT, "targets/examples/moddable/manifest.json");

beforeAll(async () => {
  await ensureFirmware();
});

describe("Moddable example app", () => {
  test("module graph: pibkit and main resolve, pibkit is preloaded", () => {
    const g = resolveManifest(MANIFEST);
    expect(Object.keys(g.modules).sort()).toEqual(["main", "pibkit"]);
    expect(g.modules["pibkit"]).toBe(join(ROOT, "dist/moddable/pibkit.js"));
    expect(g.preload).toEqual(["pibkit"]);
    expect(g.sdkIncludes).toEqual(["$(MODDABLE)/examples/manifest_base.json"]);
  });
  test("creation block matches the moddable-esp32 board profile", () => {
    const g = resolveManifest(MANIFEST);
    const c = loadBoard("moddable-esp32")["moddable"].creation;
    for (const k of Object.keys(c)) expect(g.creation[k], k).toEqual(c[k].value);
  });
  test.skipIf(!xsnapWorkerPath())("main.js signs, verifies and drops a corrupted bundle in XS", async () => {
    const g = resolveManifest(MANIFEST);
    const dir = layOut(g);
    const out: string[] = [];
    const xs = new XsHost({ onOutput: (t) => out.push(t) });
    try {
      // Moddable's trace(), collected
      await xs.evaluate("globalThis.__log = []; globalThis.trace = function (s) { __log.push(String(s)); };");
      const r = await xs.importModule(startModule(dir, g));
      expect(r.ok ? "" : r.error + out.join("")).toBe("");
      const v = await xs.evalString("globalThis.__main");
      expect(v.ok && v.reply).toBe("ok");
      const l = await xs.evalString("__log.join('')");
      const log = l.ok ? l.reply : "";
      expect(log).toContain("signed: 068a8118");
      expect(log).toContain("0605040af5e181"); // example 1's CRC result item (docs/pib.md)
      expect(log).toContain("relay: corrupted copy dropped");
    } finally {
      await xs.close();
    }
  });
});
