/**
 * `pibkit size` (= make size) in make test: the report builds, every budget in
 * targets/budgets.json holds, the JSON and SVG outputs are usable, and a breached
 * budget makes the command fail (exit 1).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { checkBudgets, FEATURE_ROWS, formatReport, loadBudgets, MODULES, reportSvg, sizeReport, STORAGE_MODEL, storageCodeJsVars, type SizeReport } from "../targets/sizeReport.js";

const ROOT = join(import.meta.dirname, "..");
let report: SizeReport;

beforeAll(async () => {
  const b = spawnSync(process.execPath, ["targets/build.mjs", "--node"], { cwd: ROOT, encoding: "utf8" });
  if (b.status !== 0) throw new Error(b.stderr);
  report = await sizeReport();
});

describe("size report", () => {
  test("every budget in targets/budgets.json holds", () => {
    const failed = report.budgets.filter((b) => !b.ok);
    expect(failed, formatReport(report)).toEqual([]);
    expect(report.ok).toBe(true);
  });
  test("one row per module, in the issue's order, with bytes, gzip and measured RAM", () => {
    expect(report.modules.map((m) => m.module)).toEqual(MODULES.map((m) => m.name));
    for (const m of report.modules) {
      expect(m.espruino.bytes).toBeGreaterThan(100);
      expect(m.espruino.gzip).toBeGreaterThan(50);
      expect(m.espruino.gzip).toBeLessThan(m.espruino.bytes);
      expect(m.ramQuickJs).toBeGreaterThan(0);
    }
  });
  test("layered module bytes add up to the whole library", () => {
    const sum = report.modules.reduce((s, m) => s + m.espruino.bytes, 0);
    const full = report.features.find((f) => f.feature === "full")!;
    // the full library also exports a few names the layers leave ambiguous; within 2 %
    expect(Math.abs(sum - full.espruino.bytes) / full.espruino.bytes).toBeLessThan(0.02);
  });
  test("the text report splits the on-board path into the primitive layers and one closure", () => {
    const path = report.features.find((f) => f.feature === "pib-path")!;
    const prim = report.modules.filter((m) => ["sdnv", "crc32c", "md5", "sha1+hmac"].includes(m.module)).reduce((a, m) => a + m.espruino.bytes, 0);
    const line = formatReport(report).split("\n").find((l) => l.startsWith("on-board pib-path")) ?? "";
    expect(line).toContain(`on-board pib-path ${path.espruino.bytes} B = primitives`);
    expect(line).toContain(`${prim} B + bundle, canonicalization and pib in one closure`);
    expect(line).toContain(`(src/onboard/pibPath.ts) ${path.espruino.bytes - prim} B`);
  });
  test("one row per firmware: the on-board path, with keys, per suite, relays, CRC-only, full", () => {
    expect(report.features.map((f) => f.feature)).toEqual(FEATURE_ROWS);
    expect(FEATURE_ROWS).toContain("pib-path+keys");
    const path = report.features.find((f) => f.feature === "pib-path")!;
    const keys = report.features.find((f) => f.feature === "pib-path+keys")!;
    // the key table is an add-on: it costs code and RAM on top of the path
    expect(keys.espruino.bytes).toBeGreaterThan(path.espruino.bytes);
    expect(keys.bufferBytes).toBeGreaterThan(path.bufferBytes);
    // the static-RAM figure holds the one CRC table (256 x 4 octets) and more
    expect(path.bufferBytes).toBeGreaterThanOrEqual(1024);
    for (const f of report.features) {
      expect(f.storage.functions).toBeGreaterThan(0);
      expect(f.storage.jsVars).toBeGreaterThan(STORAGE_MODEL.perFunction * f.storage.functions);
    }
  });
  test("Espruino boards: both loading forms, judged in the Storage form (code in flash)", () => {
    const puck = report.boards.find((b) => b.board === "espruino-puckjs")!;
    expect(puck.judged).toBe("storage");
    expect(puck.headroomPercent).toBe(puck.storage!.freePercent);
    expect(puck.detail).toMatch(/RAM upload: [-\d.]+% free .*Storage \(code in flash\): [-\d.]+% free/);
    // code in flash costs less RAM than the same text uploaded to RAM
    expect(puck.storage!.code).toBeLessThan(puck.ramUpload!.code);
    expect(puck.storage!.freePercent).toBeGreaterThan(puck.ramUpload!.freePercent);
    for (const b of report.boards) if (b.engine !== "espruino") expect(b.storage).toBeUndefined();
  });
  test("Storage-form count matches the forum's trace() of a function loaded from flash", () => {
    // forum.espruino.com/conversations/290975: "mqttStr" (Name String, 2 blocks), Function,
    // Name Param "a", "\xFFcod" + NativeString, "\xFFsco" = 7 JsVars, the body in flash
    const c = storageCodeJsVars("function mqttStr(a){return sfcc(a.length>>8,a.length&255)+a;}");
    expect(c.jsVars).toBe(7);
  });
  test("Storage-form count: functions, parameters and names of a known script", () => {
    const c = storageCodeJsVars("function ab(c,d){return c}var e=function(f){return f};exports.abcdefgh=ab;");
    expect([c.functions, c.parameters, c.classes]).toEqual([2, 3, 0]);
    // ab: 4 + 2 params; e: 4 + 1; names ab, e (1 each), abcdefgh (8 chars: 2 JsVars)
    expect(c.jsVars).toBe(6 + 5 + 1 + 1 + 2);
    const k = storageCodeJsVars("var A=class extends Object{constructor(a){super()}get(b,c){return b}};");
    expect([k.functions, k.parameters, k.classes]).toEqual([2, 3, 1]);
    // class: prototype + extends link; constructor 4+1, method 4+2 and its name; binding A
    expect(k.jsVars).toBe(STORAGE_MODEL.perClass + STORAGE_MODEL.perExtends + 5 + 6 + 1 + 1);
    // a closure factory keeps its scope: parameter a, var b (name + value each), function g (name)
    const f = storageCodeJsVars("function f(a){var b=1;function g(c){return a+b+c}return g}");
    expect([f.functions, f.parameters, f.closureLocals, f.nestedTextBytes]).toEqual([2, 2, 3, "function g(c){return a+b+c}".length]);
    // + the factory's scope object; g, created inside f, gets its own two-entry scope list
    expect(f.jsVars).toBe(5 + 5 + (2 + 2 + 1) + 1 + STORAGE_MODEL.perClosureScope + STORAGE_MODEL.perNestedScopeList + 2 * STORAGE_MODEL.perScopeEntry);
    // an arrow function keeps its `this` too
    expect(storageCodeJsVars("var h=(x)=>x;").jsVars).toBe(STORAGE_MODEL.perFunction + 1 + STORAGE_MODEL.perArrowFunction + 1);
  });
  test("every board profile gets a verdict", () => {
    expect(report.boards.map((b) => b.board)).toContain("espruino-puckjs");
    expect(report.boards.map((b) => b.board)).toContain("ssr-200mhz");
    for (const b of report.boards) expect(Number.isFinite(b.headroomPercent)).toBe(true);
  });
  test("the what-fits matrix covers every board for the PIB path, the CRC-32-only PIB path and CRC-only", () => {
    for (const fw of ["pib-path", "insecure-crc32", "relay-crc32", "relay", "crc-only"]) expect(report.fit.filter((x) => x.firmware === fw)).toHaveLength(report.boards.length);
    // CRC-only is a subset of everything else, so it fits wherever the PIB path does
    for (const b of report.boards) if (b.fits) expect(report.fit.find((x) => x.board === b.board && x.firmware === "crc-only")!.fits).toBe(true);
  });
  test("SVG chart has a bar per module and per board", () => {
    const svg = reportSvg(report);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    const espruinoBoards = report.boards.filter((b) => b.ramUpload).length;
    expect(espruinoBoards).toBe(5);
    expect((svg.match(/<rect /g) ?? []).length).toBe(1 + 2 * report.modules.length + report.features.length + 2 * report.boards.length + espruinoBoards);
    expect(svg).toContain("pib-path+keys");
    expect(svg).toMatch(/Storage [-\d.]+% \/ RAM upload [-\d.]+% free/);
  });
  test("a breached budget is reported as failing", () => {
    const tight = { limits: loadBudgets().limits.map((l) => (l.max !== undefined ? { ...l, max: 1 } : l)) };
    expect(checkBudgets(tight, report).some((b) => !b.ok)).toBe(true);
  });
});

describe("pibkit size CLI", () => {
  test("--json prints the report and exits 0", () => {
    const r = spawnSync(join(ROOT, "bin/pibkit"), ["size", "--json", "--no-engines"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as SizeReport;
    expect(j.modules).toHaveLength(MODULES.length);
  });
  test("--svg writes the chart", () => {
    const dir = mkdtempSync(join(tmpdir(), "pibkit-size-"));
    const svg = join(dir, "size.svg");
    const r = spawnSync(join(ROOT, "bin/pibkit"), ["size", "--svg", svg, "--no-engines"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(svg, "utf8")).toContain("<svg");
    expect(r.stdout).toContain("budgets (targets/budgets.json)");
  });
  test("a breached Puck.js Storage-form budget exits 1", () => {
    const dir = mkdtempSync(join(tmpdir(), "pibkit-size-"));
    const file = join(dir, "budgets.json");
    writeFileSync(file, JSON.stringify({ limits: [{ id: "board.espruino-puckjs.storage-free-percent", what: "impossible", min: 101, unit: "%" }] }));
    const r = spawnSync(join(ROOT, "bin/pibkit"), ["size", "--no-engines", "--json"], { encoding: "utf8", env: { ...process.env, PIBKIT_BUDGETS: file } });
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout) as SizeReport;
    expect(j.ok).toBe(false);
    expect(j.budgets[0]!.ok).toBe(false);
    expect(j.boards.find((b) => b.board === "espruino-puckjs")!.storage!.freePercent).toBe(j.budgets[0]!.value);
  });
  test("a budget breach exits 1; bad usage exits 2 with one stderr line", () => {
    const dir = mkdtempSync(join(tmpdir(), "pibkit-size-"));
    const file = join(dir, "budgets.json");
    writeFileSync(file, JSON.stringify({ limits: [{ id: "espruino.crc-only.bytes", what: "tight", max: 10, unit: "B" }] }));
    const r = spawnSync(join(ROOT, "bin/pibkit"), ["size", "--no-engines"], { encoding: "utf8", env: { ...process.env, PIBKIT_BUDGETS: file } });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("BUDGET EXCEEDED");
    const u = spawnSync(join(ROOT, "bin/pibkit"), ["size", "--nope"], { encoding: "utf8" });
    expect(u.status).toBe(2);
    expect(u.stderr.trim().split("\n")).toHaveLength(1);
  });
  test("--help", () => {
    const r = spawnSync(join(ROOT, "bin/pibkit"), ["size", "--help"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("usage: pibkit size");
  });
});
