// Measures the on-board PIB path (src/onboard/, docs/onboard.md) the way the
// firmware ships it: the real Espruino pipeline of targets/build/firmware.mjs
// (bundleEspruinoEsm: esbuild minify + mangleProps, localThis, globalAliases; one CRC
// table), then the static RAM of `new Verifier(9,8,4)` + `new Signer(8,8,v)`: the
// octets of every typed array allocated while they are made.
//   node targets/size/measureOnboard.mjs [--entry src/entries/pib-path.ts] [--json] [--out file.js]
import { bundleEspruinoEsm, esmToExportsAssignments, espruinoForms } from "../build/firmware.mjs";
import { writeFileSync } from "node:fs";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const entry = opt("--entry", "src/entries/pib-path.ts");
const esm = await bundleEspruinoEsm({ name: "onboard", entry, groups: [] });
const script = esmToExportsAssignments(esm);
const generic = espruinoForms(script, "pibkit").generic;
if (opt("--out", null)) writeFileSync(opt("--out"), generic);

/*
 * Static RAM: octets of the typed arrays allocated while `new Verifier(9,8,4)` and
 * `new Signer(8,8,v)` run. Counted at allocation, not by walking the objects: the
 * on-board path keeps its scratch in a closure, which no property walk sees. The
 * library is loaded with counting subclasses in place of the typed-array constructors
 * (the generic form reads them once, at load: targets/build/globalAliases.mjs).
 */
const NAMES = ["Uint8Array", "Int8Array", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array", "Float32Array", "Float64Array"];
let counting = false;
let allocated = 0;
const counted = NAMES.map((n) => {
  const Base = globalThis[n];
  return class extends Base {
    constructor(...args) {
      super(...args);
      // a fresh buffer only (a view on an existing buffer costs nothing new)
      if (counting && !(args[0] instanceof ArrayBuffer)) allocated += this.byteLength;
    }
  };
});
const lib = new Function(...NAMES, generic + "return pibkit;")(...counted);
let ram = -1;
if (typeof lib.Verifier === "function" && typeof lib.Signer === "function") {
  counting = true;
  const v = new lib.Verifier(9, 8, 4);
  new lib.Signer(8, 8, v);
  counting = false;
  ram = allocated;
}
const out = { entry, bytes: Buffer.byteLength(esm), scriptBytes: Buffer.byteLength(script), staticRamOctets: ram };
if (args.includes("--json")) console.log(JSON.stringify(out));
else console.log(`${entry}: ${out.bytes} B minified ESM (${out.scriptBytes} B as the Espruino script), static RAM ${ram} octets of typed arrays`);
