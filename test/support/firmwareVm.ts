/**
 * Runs a script against an exact built Espruino file in QuickJS, as a board would hold
 * it: the file is loaded as the Storage module `p` after the prelude that takes away
 * what Espruino lacks, with `input` as the Uint8Array `inp` and `hex(b, n)` at hand.
 */
import { expect } from "vitest";
import { ESPRUINO_PRELUDE } from "../../targets/hosts/engineRun.js";
import { QuickJsHost } from "../../targets/hosts/quickjs.js";

/** Evaluates `script` after `firmware` (as `p`), with `input` as `inp`; its value (the test fails when either does not run). */
export async function evalOnFirmware(firmware: string, input: Uint8Array, script: string, name: string): Promise<unknown> {
  const h = await QuickJsHost.create({ memoryLimit: 4 << 20 });
  try {
    const load = h.load(
      ESPRUINO_PRELUDE +
        `var p = (function () { var exports = {}; var module = { exports: exports };\n${firmware}\nreturn exports; })();
var inp = new Uint8Array(${input.length}); (function (h) { for (var i = 0; i < inp.length; i++) inp[i] = parseInt(h.substr(2 * i, 2), 16); })(${JSON.stringify(Buffer.from(input).toString("hex"))});
function hex(b, n) { var s = ""; for (var i = 0; i < n; i++) s += (b[i] < 16 ? "0" : "") + b[i].toString(16); return s; }`,
      name,
    );
    expect(load.ok, load.ok ? "" : load.error).toBe(true);
    const r = h.eval(script);
    expect(r.ok, r.ok ? "" : r.error).toBe(true);
    return r.ok ? r.value : undefined;
  } finally {
    h.dispose();
  }
}
