// Measures the lean on-board PIB path (src/onboard/, docs/onboard.md) the way the
// firmware ships it: the real Espruino pipeline of targets/firmware.mjs
// (bundleEspruinoEsm: esbuild minify + mangleProps, localThis, globalAliases; one CRC
// table), then the static RAM of `new Verifier(9,8,4)` + `new Signer(8,8,v)`: the
// octets of every typed array reachable from the two objects (buffers counted once).
//   node targets/measureOnboard.mjs [--entry src/onboard/index.ts] [--json] [--out file.js]
import { bundleEspruinoEsm, esmToExportsAssignments, espruinoForms } from "./firmware.mjs";
import { writeFileSync } from "node:fs";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const entry = opt("--entry", "src/onboard/index.ts");
const esm = await bundleEspruinoEsm({ name: "onboard", entry, groups: [], absent: [] });
const script = esmToExportsAssignments(esm);
const generic = espruinoForms(script, "pibkit").generic;
if (opt("--out", null)) writeFileSync(opt("--out"), generic);

/** Typed-array octets reachable from `root` (each ArrayBuffer once). */
function typedOctets(root) {
  const seenObj = new Set();
  const seenBuf = new Set();
  let n = 0;
  const visit = (o) => {
    if (o === null || typeof o !== "object" || seenObj.has(o)) return;
    seenObj.add(o);
    if (ArrayBuffer.isView(o)) {
      if (!seenBuf.has(o.buffer)) {
        seenBuf.add(o.buffer);
        n += o.buffer.byteLength;
      }
      return;
    }
    for (const k of Object.keys(o)) visit(o[k]);
  };
  visit(root);
  return n;
}

const lib = new Function(generic + "return pibkit;")();
let ram = -1;
if (typeof lib.Verifier === "function" && typeof lib.Signer === "function") {
  const v = new lib.Verifier(9, 8, 4);
  ram = typedOctets([v, new lib.Signer(8, 8, v)]);
}
const out = { entry, bytes: Buffer.byteLength(esm), scriptBytes: Buffer.byteLength(script), staticRamOctets: ram };
if (args.includes("--json")) console.log(JSON.stringify(out));
else console.log(`${entry}: ${out.bytes} B minified ESM (${out.scriptBytes} B as the Espruino script), static RAM ${ram} octets of typed arrays`);
