/**
 * `pibkit size` (= make size) in make test: the report builds, every budget in
 * targets/size/budgets.json holds, a breached budget makes the command fail (exit 1), every
 * verdict line says one thing (an unmeasured figure is never "met", a goal not met is a
 * failure or labelled information), and the SVG has axes, one scale per quantity and a
 * legend of the colours it draws.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { checkBudgets, loadBudgets, verdictOf, type BudgetFile } from "../targets/size/budgets.js";
import { FEATURE_ROWS, MODULES } from "../targets/size/builds.js";
import { STORAGE_MODEL, storageCodeJsVars } from "../targets/size/espruinoStorage.js";
import { budgetLine, formatReport } from "../targets/size/renderText.js";
import { reportSvg, SVG_COLOURS } from "../targets/size/renderSvg.js";
import { sizeReport } from "../targets/size/report.js";
import type { SizeReport } from "../targets/size/rows.js";

const ROOT = join(import.meta.dirname, "..");
let report: SizeReport;

beforeAll(async () => {
  report = await sizeReport();
});

describe("size report", () => {
  test("every budget in targets/size/budgets.json holds", () => {
    const failed = report.budgets.filter((b) => !b.ok);
    expect(failed, formatReport(report)).toEqual([]);
    expect(verdictOf(report.budgets).ok).toBe(true);
  });
  test("one row per module, in the report's order, with bytes, gzip and measured RAM", () => {
    expect(report.modules.map((m) => m.module)).toEqual(MODULES.map((m) => m.name));
    for (const m of report.modules) {
      expect(m.espruino.bytes).toBeGreaterThan(100);
      expect(m.espruino.gzip).toBeGreaterThan(50);
      expect(m.espruino.gzip).toBeLessThan(m.espruino.bytes);
      expect(m.ramQuickJs).toBeGreaterThan(0);
    }
  });
  test("layered module bytes add up to the ground library (full), exactly", () => {
    // each layer is a build minus the one before, and the last layer is built from the
    // export statements of src/entries/full.ts: the sums are the full build's files
    const full = report.features.find((f) => f.feature === "full")!;
    expect(report.modules.reduce((s, m) => s + m.espruino.bytes, 0)).toBe(full.espruino.bytes);
    expect(report.modules.reduce((s, m) => s + m.moddable.bytes, 0)).toBe(full.moddable.bytes);
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
  test("a breached budget is reported as failing", () => {
    const tight = { limits: loadBudgets().limits.map((l) => (l.max !== undefined ? { ...l, max: 1 } : l)) };
    expect(checkBudgets(tight, report).some((b) => !b.ok)).toBe(true);
  });
});

/** Attributes of every element of `tag` whose attributes contain `has` (the SVG is flat, one element per line). */
function elements(svg: string, tag: string, has = ""): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (const m of svg.matchAll(new RegExp(`<${tag} ([^>]*?)/?>`, "g"))) {
    if (!m[1]!.includes(has)) continue;
    const a: Record<string, string> = {};
    for (const p of m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)) a[p[1]!] = p[2]!;
    out.push(a);
  }
  return out;
}

/**
 * The scale of quantity `q`, read from its axes: the axis line spans 0 … data-max, and
 * every axis of that quantity must say the same (x0, px per unit); the ticks sit on it.
 */
function scaleOf(svg: string, q: string): { x0: number; k: number } {
  const scales = [...svg.matchAll(new RegExp(`<g class="axis" data-quantity="${q}" data-max="([\\d.]+)"[^>]*>([\\s\\S]*?)</g>`, "g"))].map((a) => {
    const line = elements(a[2]!, "line", 'class="axis-line"')[0]!;
    const x0 = Number(line["x1"]);
    const k = (Number(line["x2"]) - x0) / Number(a[1]);
    for (const t of elements(a[2]!, "text", 'class="tick"')) expect(Number(t["x"]) - x0, `${q} tick ${t["data-value"]}`).toBeCloseTo(Number(t["data-value"]) * k, 1);
    return { x0, k };
  });
  expect(scales.length, q).toBeGreaterThan(0);
  for (const s of scales) expect(s, q).toEqual(scales[0]);
  return scales[0]!;
}

const BUDGETS_OF_EACH_KIND: BudgetFile = {
  limits: [
    { id: "espruino.crc-only.bytes", what: "bytes, measured", max: 1_000_000, goal: 1_000_000, unit: "B" },
    { id: "ram.pib-path.buffers", what: "engine figure", max: 1_000_000, goal: 1_000_000, unit: "B" },
    { id: "fit.pib-path+keys.espruino-puckjs", what: "estimate, informational goal", min: -1000, goal: 1000, goalRole: "info", goalNote: "another build's goal", unit: "%" },
  ],
};

describe("size verdicts: every line says one thing", () => {
  test("without engines an engine figure is unmeasured, its budget and goal not checked, never met", () => {
    const rows = checkBudgets(loadBudgets(), { ...report, engines: false });
    for (const b of rows.filter((x) => /^(ram|board|fit)\./.test(x.id))) {
      expect(b, b.id).toMatchObject({ value: null, basis: "unmeasured", checked: false, goalMet: null });
      const line = budgetLine(b);
      expect(line).toContain("not checked (needs engines");
      expect(line, line).not.toMatch(/: met|NOT met|EXCEEDED/);
      expect(line.trimStart().startsWith("skip")).toBe(true);
    }
    // what the build measured stays checked
    for (const b of rows.filter((x) => x.id.startsWith("espruino."))) expect(b).toMatchObject({ basis: "measured", checked: true });
    expect(rows.find((x) => x.id === "storage.pib-path.jsvars")).toMatchObject({ basis: "estimated", checked: true });
  });
  test("the summary names what was checked: budgets met, not checked, goals met and not checked", () => {
    const on = verdictOf(checkBudgets(BUDGETS_OF_EACH_KIND, report));
    expect(on.ok).toBe(true);
    expect(on.summary).toBe(
      "all 3 budgets met; 2 goals met; 1 informational goal NOT met (reported, not a budget): " +
        `fit.pib-path+keys.espruino-puckjs ${report.fit.find((c) => c.firmware === "pib-path+keys" && c.board === "espruino-puckjs")!.headroomPercent} % (goal ≥ 1000 %: another build's goal)`,
    );
    const off = verdictOf(checkBudgets(BUDGETS_OF_EACH_KIND, { ...report, engines: false }));
    expect(off.ok).toBe(true);
    expect(off.summary).toBe(
      "1 of 3 budgets met; 2 not checked (engine figures: run without --no-engines); 1 goal met; 1 goal not checked: ram.pib-path.buffers; " +
        "1 informational goal not checked (reported, not a budget): fit.pib-path+keys.espruino-puckjs unmeasured (goal ≥ 1000 %: another build's goal)",
    );
    expect(off.budgets).toEqual({ total: 3, met: 1, exceeded: [], notChecked: ["ram.pib-path.buffers", "fit.pib-path+keys.espruino-puckjs"] });
  });
  test("a goal not met fails unless it is marked information; an exceeded budget fails", () => {
    const bytes = report.features.find((f) => f.feature === "crc-only")!.espruino.bytes;
    const goalMissed = checkBudgets({ limits: [{ id: "espruino.crc-only.bytes", what: "w", max: bytes + 10, goal: bytes - 1, unit: "B" }] }, report);
    expect(goalMissed[0]).toMatchObject({ ok: false, goalMet: false, goalRole: "budget" });
    expect(budgetLine(goalMissed[0]!)).toMatch(/^ {2}FAIL .*budget ≤ \d+ B: met; goal ≤ \d+ B: NOT met$/);
    const v = verdictOf(goalMissed);
    expect(v.ok).toBe(false);
    expect(v.summary).toBe(`all 1 budget met; GOAL NOT MET: 1 goal NOT met: espruino.crc-only.bytes ${bytes} B (goal ≤ ${bytes - 1} B)`);
    const info = checkBudgets({ limits: [{ id: "espruino.crc-only.bytes", what: "w", max: bytes + 10, goal: bytes - 1, goalRole: "info", goalNote: "whose", unit: "B" }] }, report);
    expect(info[0]).toMatchObject({ ok: true, goalMet: false, goalRole: "info" });
    expect(budgetLine(info[0]!)).toMatch(/^ {2}ok {3}.*goal ≤ \d+ B \(information: whose\): NOT met$/);
    expect(verdictOf(info).ok).toBe(true);
    const over = verdictOf(checkBudgets({ limits: [{ id: "espruino.crc-only.bytes", what: "w", max: bytes - 1, unit: "B" }] }, report));
    expect(over.ok).toBe(false);
    expect(over.summary).toBe(`BUDGET EXCEEDED: 1 of 1 budget exceeded: espruino.crc-only.bytes ${bytes} B (budget ≤ ${bytes - 1} B); 0 met`);
  });
  test("in the report, every goal NOT met is on a failing row or labelled information, and the last line agrees", () => {
    const text = formatReport(report).trimEnd().split("\n");
    const rows = text.filter((l) => /^ {2}(ok  |FAIL|skip) /.test(l));
    expect(rows).toHaveLength(report.budgets.length);
    for (const line of rows.filter((l) => l.includes("NOT met"))) expect(line, line).toMatch(/^ {2}FAIL |\(information: .+\): NOT met$/);
    const last = text[text.length - 1]!;
    for (const b of report.budgets.filter((x) => x.goalRole === "info" && x.goalMet === false)) expect(last).toContain(`informational goal NOT met (reported, not a budget): ${b.id}`);
    expect(last).toBe(verdictOf(report.budgets).summary);
    if (verdictOf(report.budgets).ok) expect(last).toMatch(/^all \d+ budgets met/);
    // targets/size/budgets.json: the one goal of another build is information, the rest are budgets
    const goals = report.budgets.filter((b) => b.goal !== undefined);
    expect(goals.filter((b) => b.goalRole === "info").map((b) => b.id)).toEqual(["fit.pib-path+keys.espruino-puckjs"]);
  });
  test("the budgets file is checked: a bad goalRole or an informational goal without a note is refused", () => {
    const dir = mkdtempSync(join(tmpdir(), "pibkit-size-"));
    const file = join(dir, "budgets.json");
    const run = (limit: object) => {
      writeFileSync(file, JSON.stringify({ limits: [limit] }));
      return spawnSync(join(ROOT, "bin/pibkit"), ["size", "--no-engines"], { encoding: "utf8", env: { ...process.env, PIBKIT_BUDGETS: file } });
    };
    const bad = run({ id: "espruino.crc-only.bytes", what: "w", max: 9999, goal: 1, goalRole: "maybe", unit: "B" });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toContain('"goalRole" is "maybe" (allowed: "budget", "info")');
    const noNote = run({ id: "espruino.crc-only.bytes", what: "w", max: 9999, goal: 1, goalRole: "info", unit: "B" });
    expect(noNote.status).toBe(2);
    expect(noNote.stderr).toContain("goalNote");
    const unknown = run({ id: "espruino.nope.bytes", what: "w", max: 1, unit: "B" });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^pibkit size: error: .*nope\n$/);
  });
});

describe("size --svg: axes, one scale per quantity, a legend of what is drawn", () => {
  let svg: string;
  beforeAll(() => {
    svg = reportSvg(report);
  });
  test("labelled axes with ticks in units: bytes (code, twice), RAM bytes, percent", () => {
    const axes = [...svg.matchAll(/<g class="axis" data-quantity="([\w-]+)" data-max="([\d.]+)" data-step="([\d.]+)">([\s\S]*?)<\/g>/g)];
    expect(axes.map((a) => a[1])).toEqual(["bytes", "bytes", "ram-bytes", "percent"]);
    for (const [, q, max, step, body] of axes) {
      const ticks = elements(body!, "text", 'class="tick"');
      expect(ticks.length, q).toBe(Number(max) / Number(step) + 1);
      for (const t of body!.matchAll(/class="tick"[^>]*>([^<]*)</g)) expect(t[1], q).toMatch(q === "percent" ? /^\d+ %$/ : /^[\d,]+ B$/);
      expect(body).toMatch(/class="axis-title"[^>]*>[^<]*(bytes|free share)/);
    }
  });
  test("one scale per quantity: bar width proportional to the value across sections", () => {
    for (const q of ["bytes", "ram-bytes", "percent"]) {
      const { x0, k } = scaleOf(svg, q);
      const bars = elements(svg, "rect", `data-quantity="${q}"`);
      expect(bars.length, q).toBeGreaterThan(5);
      for (const b of bars) {
        expect(Number(b["x"]), q).toBe(x0);
        expect(Number(b["width"]), `${q} ${b["data-series"]} ${b["data-value"]}`).toBeCloseTo(Number(b["data-value"]) * k, 1);
      }
    }
    // the pib module is about a third of the full firmware, not as long
    const pib = report.modules.find((m) => m.module === "pib")!.espruino.bytes;
    const full = report.features.find((f) => f.feature === "full")!.espruino.bytes;
    const w = (v: number) => Number(elements(svg, "rect", `data-quantity="bytes" data-series="minified" data-value="${v}"`)[0]!["width"]);
    expect(w(pib) / w(full)).toBeCloseTo(pib / full, 3);
  });
  test("budget and goal markers sit at their values on the bar's scale", () => {
    const { x0, k } = scaleOf(svg, "bytes");
    for (const b of report.budgets.filter((x) => /^espruino\.[^.]+\.bytes$/.test(x.id))) {
      const m = elements(svg, "line", `class="marker budget" data-id="${b.id}"`);
      expect(m, b.id).toHaveLength(1);
      expect(Number(m[0]!["x1"]) - x0).toBeCloseTo(b.max! * k, 1);
      if (b.goal !== undefined && b.goal !== b.max) expect(elements(svg, "line", `class="marker goal" data-id="${b.id}"`), b.id).toHaveLength(1);
    }
  });
  test("the legend lists exactly the colours and markers drawn", () => {
    const check = (s: string): Set<string> => {
      const legend = s.match(/<g class="legend">[\s\S]*?\n<\/g>/)![0];
      const fills = new Set(elements(s, "rect", 'class="bar"').map((b) => b["fill"]!));
      const listed = new Set(elements(legend, "g", 'data-kind="fill"').map((g) => g["data-colour"]!));
      expect(listed).toEqual(fills);
      const markers = new Set(elements(s, "line", 'class="marker ').map((l) => l["class"]!.split(" ")[1]!));
      expect(new Set(elements(legend, "g", 'data-kind="marker"').map((g) => g["data-marker"]!))).toEqual(markers);
      return listed;
    };
    // every budget holds: no red anywhere, none in the legend
    expect(check(svg).has(SVG_COLOURS.over.fill)).toBe(report.budgets.some((b) => !b.ok) || report.boards.some((b) => !b.fits));
    // a breached ceiling turns its bar red, and the legend says what red means
    const tight = { ...report, budgets: checkBudgets({ limits: [{ id: "espruino.full.bytes", what: "w", max: 100, unit: "B" }] }, report) };
    const red = reportSvg(tight);
    expect(check(red).has(SVG_COLOURS.over.fill)).toBe(true);
    expect(red).toContain(SVG_COLOURS.over.label);
  });
  test("without engines the RAM and board sections say not measured, with no bars", () => {
    const off = { ...report, engines: false, budgets: checkBudgets(loadBudgets(), { ...report, engines: false }) };
    const s = reportSvg(off);
    expect(elements(s, "rect", 'data-quantity="ram-bytes"')).toHaveLength(0);
    expect(elements(s, "rect", 'data-quantity="percent"')).toHaveLength(0);
    expect(s.match(/not measured: run pibkit size without --no-engines/g)).toHaveLength(2);
  });
});

describe("pibkit size CLI", () => {
  test("--json prints the report and exits 0", () => {
    const r = spawnSync(join(ROOT, "bin/pibkit"), ["size", "--json", "--no-engines"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as SizeReport;
    expect(j.modules).toHaveLength(MODULES.length);
  });
  test("--no-engines: unmeasured figures print as such, in the table, the budget lines, the last line and the JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "pibkit-size-"));
    const file = join(dir, "budgets.json");
    writeFileSync(file, JSON.stringify(BUDGETS_OF_EACH_KIND));
    const env = { ...process.env, PIBKIT_BUDGETS: file };
    const t = spawnSync(join(ROOT, "bin/pibkit"), ["size", "--no-engines"], { encoding: "utf8", env });
    expect(t.status, t.stderr).toBe(0);
    const lines = t.stdout.trimEnd().split("\n");
    expect(lines[1]).toMatch(/^engine figures NOT MEASURED \(--no-engines\)/);
    expect(lines.find((l) => l.startsWith("pib-path "))).toMatch(/ - +- +- +- +\d+\/\d+ +\d+$/);
    expect(lines.find((l) => l.startsWith("  espruino-puckjs "))).toContain("not measured (needs engines");
    expect(lines.find((l) => l.includes(" ram.pib-path.buffers "))).toMatch(/^ {2}skip ram\.pib-path\.buffers +- {2}unmeasured {2}budget ≤ 1000000 B: not checked \(needs engines: run without --no-engines\); goal ≤ 1000000 B: not checked$/);
    expect(lines[lines.length - 1]).toBe(verdictOf(checkBudgets(BUDGETS_OF_EACH_KIND, { ...report, engines: false })).summary);
    const j = JSON.parse(spawnSync(join(ROOT, "bin/pibkit"), ["size", "--no-engines", "--json"], { encoding: "utf8", env }).stdout);
    expect(j.engines).toBe(false);
    expect(j.verdict.summary).toBe(lines[lines.length - 1]);
    expect(j.budgets.map((b: { basis: string }) => b.basis)).toEqual(["measured", "unmeasured", "unmeasured"]);
    expect(j.budgets[1]).toMatchObject({ value: null, checked: false, goalMet: null });
    expect(j.features[0]).toMatchObject({ bufferBytes: null, ramQuickJs: null, jsVars: null });
    expect(j.boards.every((b: { headroomPercent: unknown }) => b.headroomPercent === null)).toBe(true);
    expect(Object.keys(j.basis)).toEqual(["measured", "estimated", "unmeasured"]);
  });
  test("--svg writes the chart", () => {
    const dir = mkdtempSync(join(tmpdir(), "pibkit-size-"));
    const svg = join(dir, "size.svg");
    const r = spawnSync(join(ROOT, "bin/pibkit"), ["size", "--svg", svg, "--no-engines"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(svg, "utf8")).toContain("<svg");
    expect(r.stdout).toContain("budgets (targets/size/budgets.json;");
  });
  test("a breached Puck.js Storage-form budget exits 1", () => {
    const dir = mkdtempSync(join(tmpdir(), "pibkit-size-"));
    const file = join(dir, "budgets.json");
    writeFileSync(file, JSON.stringify({ limits: [{ id: "board.espruino-puckjs.storage-free-percent", what: "impossible", min: 101, unit: "%" }] }));
    // a board's free share includes the start-up objects: an engine figure
    const r = spawnSync(join(ROOT, "bin/pibkit"), ["size", "--json"], { encoding: "utf8", env: { ...process.env, PIBKIT_BUDGETS: file } });
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout) as SizeReport & { ok: boolean }; // the JSON carries the verdict
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
