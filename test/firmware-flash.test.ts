/**
 * `make flash-espruino` without a board: the dry run holds exactly what the espruino
 * CLI would send — Storage writes that reassemble to the firmware file byte for byte,
 * then the on-board self-test — and that upload, replayed in QuickJS with Espruino's
 * Storage/require/atob/print stood in, loads pibkit and passes the self-test.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { checkEspruinoSource, formatViolations } from "../targets/build/espruinoCheck.js";
import { ESPRUINO_PRELUDE } from "../targets/hosts/engineRun.js";
import { QuickJsHost } from "../targets/hosts/quickjs.js";

const ROOT = join(import.meta.dirname, "..");
let dry: string;
let sent: string;

beforeAll(() => {
  dry = join(mkdtempSync(join(tmpdir(), "pibkit-flash-")), "flash-dryrun.js");
  const r = spawnSync(process.execPath, ["targets/build/flash-espruino.mjs", "board=espruino-puckjs", "feature=pib-path", `out=${dry}`], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr || r.stdout);
  sent = readFileSync(dry, "utf8");
});

/** Espruino's Storage and friends, enough to replay an upload. */
const SHIMS = `
var __files = {}, __out = [];
function print(s) { __out.push(String(s)); }
var __b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
function atob(s) { var o = "", bits = 0, acc = 0; for (var i = 0; i < s.length; i++) { var v = __b64.indexOf(s.charAt(i)); if (v < 0) continue; acc = (acc << 6) | v; bits += 6; if (bits >= 8) { bits -= 8; o += String.fromCharCode((acc >> bits) & 255); } } return o; }
var __storage = { write: function (name, data, offset, size) {
  if (size !== undefined) __files[name] = { size: size, chunks: [] };
  var f = __files[name]; f.chunks.push([offset || 0, data]); return true; },
  read: function (name) { var f = __files[name]; var a = []; for (var i = 0; i < f.size; i++) a.push(" ");
    for (var c = 0; c < f.chunks.length; c++) for (var j = 0; j < f.chunks[c][1].length; j++) a[f.chunks[c][0] + j] = f.chunks[c][1].charAt(j); return a.join(""); } };
var __cache = {};
function require(name) {
  if (name === "Storage") return __storage;
  if (!__cache[name]) { var exports = {}; var module = { exports: exports }; (new Function("exports", "module", __storage.read(name)))(exports, module); __cache[name] = module.exports; }
  return __cache[name];
}
`;

describe("make flash-espruino (dry run)", () => {
  test("the Storage writes reassemble to the exact firmware file", () => {
    const file = readFileSync(join(ROOT, "dist/espruino/pibkit-pib-path.min.js"));
    const writes = [...sent.matchAll(/require\("Storage"\)\.write\("pibkit",atob\("([A-Za-z0-9+/=]*)"\),(\d+)(?:,(\d+))?\)/g)];
    expect(writes.length).toBeGreaterThan(1);
    expect(Number(writes[0]![3])).toBe(file.length); // first write declares the size
    const rebuilt = Buffer.alloc(file.length);
    for (const w of writes) Buffer.from(w[1]!, "base64").copy(rebuilt, Number(w[2]));
    expect(rebuilt.equals(file)).toBe(true);
  });
  test("the self-test follows the Storage writes and passes the Espruino language check", () => {
    const selftest = readFileSync(join(ROOT, "targets/examples/espruino/selftest.js"), "utf8");
    expect(sent.indexOf('require("pibkit")')).toBeGreaterThan(sent.lastIndexOf('require("Storage").write'));
    const v = checkEspruinoSource(selftest);
    expect(v, formatViolations("selftest.js", v)).toEqual([]);
  });
  test("replayed in QuickJS without Espruino's missing built-ins, the upload loads pibkit and passes", async () => {
    const h = await QuickJsHost.create({ memoryLimit: 4 << 20 });
    try {
      const r = h.load(ESPRUINO_PRELUDE + SHIMS + sent, "upload.js");
      expect(r.ok ? "" : r.error).toBe("");
      const out = h.eval<string>("__out.join('\\n')");
      expect(out.ok && out.value).toContain("pibkit ok");
    } finally {
      h.dispose();
    }
  });
  test("bad feature: exit 2 with one stderr line", () => {
    const r = spawnSync(process.execPath, ["targets/build/flash-espruino.mjs", "feature=nope"], { cwd: ROOT, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
