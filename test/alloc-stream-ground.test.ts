/**
 * Zero allocation of the streaming ground PIB path (src/ground/stream.ts) per piece and
 * per bundle, by the zero-headroom method of targets/size/allocProbe.ts: the module
 * bundled as it is for Node, run in QuickJS under a 1-byte heap limit, where any
 * allocation, even a transient one, fails the call. Paths: payload pieces through three
 * PIBs' digests at once (CRC-32C, MD5, HMAC-SHA1), and whole bundles taken in pieces
 * from begin() to end() by StreamVerifier and StreamSigner (window, skeleton, both
 * canonicalization runs, verdicts). A control that allocates must be caught.
 */
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { QuickJsAllocProbe, type AllocPath } from "../targets/size/allocProbe.js";
import { EX1_PRIMARY } from "./support/pibVectors.js";

let probe: QuickJsAllocProbe;

beforeAll(async () => {
  const r = await build({
    stdin: {
      contents: 'export { StreamSigner, StreamVerifier } from "./src/ground/stream.ts"; export { Signer } from "./src/ground/pib.ts";',
      resolveDir: new URL("..", import.meta.url).pathname,
      loader: "ts",
    },
    bundle: true,
    format: "iife",
    globalName: "pibkit",
    write: false,
    target: "es2020",
  });
  probe = await QuickJsAllocProbe.create(r.outputFiles[0]!.text + "\nglobalThis.pibkit = pibkit;\n");
}, 120_000);

afterAll(() => probe?.dispose());

/*
 * Global set-up in QuickJS: a bundle of example 1's primary block and a payload of
 * PAYLOAD octets, signed by the three suites (three PIBs before the payload), and a
 * block after the payload; `head` = the octets before the payload's data.
 */
function setup(payload: number): string {
  return `
var P = pibkit;
var prim = "${EX1_PRIMARY}";
var plain = new Uint8Array(prim.length / 2 + 12 + ${payload} + 6);
var n = 0;
for (var i = 0; i < prim.length; i += 2) plain[n++] = parseInt(prim.substr(i, 2), 16);
plain[n++] = 1; plain[n++] = 0;
var L = ${payload};
var groups = []; for (var v = L; ; ) { groups.unshift(v & 127); v = Math.floor(v / 128); if (v === 0) break; }
for (var g = 0; g < groups.length; g++) plain[n++] = groups[g] | (g < groups.length - 1 ? 128 : 0);
for (var i = 0; i < L; i++) plain[n++] = (i * 31 + 7) & 255;
plain[n++] = 200; plain[n++] = 8; plain[n++] = 3; plain[n++] = 1; plain[n++] = 2; plain[n++] = 3;
var signer = new P.Signer(8, 8);
var bundle = plain.subarray(0, n);
var kinds = [3, 2, 1];
for (var k = 0; k < 3; k++) {
  var out = new Uint8Array(bundle.length + 64);
  var m = signer.sign(bundle, 0, bundle.length, out, 0, out.length, kinds[k], 0);
  if (m < 0) throw new Error("sign " + m);
  bundle = out.subarray(0, m);
}
var head = bundle.length - L - 6;
var piece = 1024;
`;
}

const PATHS: AllocPath[] = [
  {
    name: "a 1 KiB payload piece through three PIBs' digests (CRC-32C, MD5, HMAC-SHA1)",
    setup:
      setup(1 << 20) +
      `var v = new P.StreamVerifier(8, 8, 4, 4096, 4); v.begin();
       if (v.push(bundle, 0, head) !== 0 || v.push(bundle, head, 10) !== 0 || v.head.phase !== 1) throw new Error("not streaming");
       var at = head + 10;`,
    body: "v.push(bundle, at, piece); at += piece;",
    iterations: 300,
  },
  {
    name: "StreamVerifier: a whole bundle (2 KiB payload) in 700-octet pieces, begin() to end()",
    setup:
      setup(2048) +
      `var v = new P.StreamVerifier(8, 8, 4, 512, 4);
       v.begin(); for (var a = 0; a < bundle.length; a += 700) v.push(bundle, a, Math.min(700, bundle.length - a));
       if (v.end() !== 3 || !v.allOk() || v.head.phase !== 2) throw new Error("set-up verify");`,
    body: "v.begin(); for (var a = 0; a < bundle.length; a += 700) v.push(bundle, a, Math.min(700, bundle.length - a)); if (v.end() !== 3) throw new Error('verify');",
    iterations: 300,
  },
  {
    name: "StreamSigner: a whole bundle (2 KiB payload) in 700-octet pieces, begin() to end()",
    setup:
      setup(2048) +
      `var s = new P.StreamSigner(8, 8, 512);
       s.begin(2, 0); for (var a = 0; a < bundle.length; a += 700) s.push(bundle, a, Math.min(700, bundle.length - a));
       if (s.end() <= bundle.length || !s.ready()) throw new Error("set-up sign");`,
    body: "s.begin(2, 0); for (var a = 0; a < bundle.length; a += 700) s.push(bundle, a, Math.min(700, bundle.length - a)); if (s.end() <= 0) throw new Error('sign');",
    iterations: 300,
  },
];

describe("streaming ground path: zero allocation in QuickJS under zero headroom", () => {
  for (const p of PATHS) {
    test(p.name, async () => {
      const r = await probe.probe(p);
      expect(r.error ?? "").toBe("");
      expect(r.ok).toBe(true);
    }, 300_000);
  }
  test("control: the same pieces plus one small array per call is caught", async () => {
    const p = PATHS[0]!;
    const r = await probe.probe({ ...p, name: "control", body: p.body + " var x = [at, at]; if (x.length !== 2) throw new Error();" });
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/out of memory/);
  }, 300_000);
});
