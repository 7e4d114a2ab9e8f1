/**
 * The simulator runs, for each board, the firmware that board really gets and costs it
 * with that build's figures: a board whose profile asks for speed-first primitives
 * loads dist/boards/<board>/ and reads `boards.<board>` of bench/quickjs-costs.json; a
 * size-first board the generic build and the file's main figures. A Moddable board's
 * own build is an ES module (its engine preloads modules); QuickJS runs it as one.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBoard } from "../sim/boards.js";
import { runCampaign } from "../sim/campaign.js";
import { loadCosts } from "../sim/costs.js";
import { firmwarePath } from "../sim/device.js";

describe("simulator: the board's own build", () => {
  it("a speed-first board loads its own firmware file, a size-first board the generic one", () => {
    const ssr = loadBoard("ssr-200mhz");
    expect(ssr.primitives).toBe("speed");
    expect(firmwarePath(ssr).endsWith(join("dist", "boards", "ssr-200mhz", "pibkit-pib-path+stream+writer.js"))).toBe(true);
    const puck = loadBoard("espruino-puckjs");
    expect(puck.primitives).toBe("size");
    expect(firmwarePath(puck)).toBe(firmwarePath());
  });

  it("costs come from the board's own build when the cost file has them, labelled either way", () => {
    const root = mkdtempSync(join(tmpdir(), "pibkit-costs-"));
    mkdirSync(join(root, "bench"));
    const suites = (k: number) => [4, 5, 6].map((suite) => ({ suite, cyclesPerByte: k * suite, cyclesPerCall: 10 }));
    const file = { format: "pibkit-quickjs-costs/1", measuredAt: "then", suites: suites(100), boards: { "ssr-200mhz": { firmware: "dist/boards/ssr-200mhz/pibkit.js", suites: suites(1) } } };
    writeFileSync(join(root, "bench", "quickjs-costs.json"), JSON.stringify(file));
    expect(loadCosts(root).bySuite[6]!.cyclesPerByte).toBe(600);
    const own = loadCosts(root, "ssr-200mhz");
    expect(own.bySuite[6]!.cyclesPerByte).toBe(6);
    expect(own.source).toMatch(/ssr-200mhz's speed-first build/);
    const none = loadCosts(root, "moddable-esp32");
    expect(none.bySuite[6]!.cyclesPerByte).toBe(600);
    expect(none.source).toMatch(/size-first build: none measured for moddable-esp32/);
    // a board entry's note (figures older than the build) is in the label
    writeFileSync(join(root, "bench", "quickjs-costs.json"), JSON.stringify({ ...file, boards: { "ssr-200mhz": { ...file.boards["ssr-200mhz"], note: "older than the build" } } }));
    expect(loadCosts(root, "ssr-200mhz").source).toMatch(/ssr-200mhz's speed-first build dist\/boards\/ssr-200mhz\/pibkit\.js; older than the build\)$/);
    // and the repository's own file says so of moddable-esp32's CRC-32C row, measured on the one-table build
    expect(loadCosts(join(import.meta.dirname, ".."), "moddable-esp32").source).toMatch(/one-table build's.*an overestimate/);
  });

  it("a Moddable board's own build, an ES module, runs in engine mode and as stat mode's witness, with fast mode's counts", async () => {
    const esp = loadBoard("moddable-esp32");
    expect([esp.engine, esp.primitives]).toEqual(["xs", "speed"]);
    const o = { scenario: "test-tiny", board: "moddable-esp32", suites: [4, 5, 6], days: 0.5, seed: 3, scale: "sim" as const };
    const engine = await runCampaign({ ...o, mode: "engine" });
    const fast = await runCampaign({ ...o, mode: "fast" });
    const stat = await runCampaign({ ...o, mode: "stat" });
    expect(engine.bundles).toBeGreaterThan(0);
    expect(engine.oomEvents).toEqual([]);
    expect(engine.suites).toEqual(fast.suites);
    expect(engine.deviceDigest).toBe(fast.deviceDigest);
    expect(stat.suites).toEqual(fast.suites);
    const w = stat.firmwareWitness!;
    expect(w.firmware).toBe(join("dist", "boards", "moddable-esp32", "pibkit-pib-path+stream+writer.js"));
    expect(w.failure).toBeNull();
    expect(w.sameHeader).toBe(true);
  }, 120_000);
});
