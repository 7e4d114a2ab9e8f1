/**
 * targets/build/globalAliases.mjs, the Espruino post-minify pass that names each typed-array
 * constructor once: it shortens, keeps behaviour, and leaves alone what it must
 * (property names, names the program binds itself, constructors used too rarely).
 */
import { describe, expect, test } from "vitest";
// @ts-expect-error plain .mjs without types
import { globalAliases } from "../targets/build/globalAliases.mjs";

const rewrite = globalAliases as (text: string) => string;

const SAMPLE = `var a=new Uint8Array(2),b=new Uint8Array(3),c=new Uint8Array(4),d=new Uint8Array(5),o={Uint8Array:1},e=new Int8Array(1);
function f(Int32Array){return Int32Array+Int32Array+Int32Array+Int32Array+Int32Array}
var g=a instanceof Uint8Array,h=o.Uint8Array;export{a,b,c,d,e,f,g,h};`;

function run(text: string): unknown {
  const body = text.replace(/export\{[^}]*\};?\s*$/, "");
  return new Function(body + "; return [a.length, b.length, c.length, d.length, e.length, f(1), g, h, Object.keys(o)];")();
}

describe("globalAliases", () => {
  test("names Uint8Array once and shortens the text", () => {
    const out = rewrite(SAMPLE);
    expect(out.length).toBeLessThan(SAMPLE.length);
    expect(out.match(/Uint8Array/g)!.length).toBe(3); // the alias, the object key, the property
    expect(out).toMatch(/^var (\S+)=Uint8Array;/);
  });
  test("keeps behaviour", () => {
    expect(run(rewrite(SAMPLE))).toEqual(run(SAMPLE));
  });
  test("leaves a bound name and a rarely used constructor alone", () => {
    const out = rewrite(SAMPLE);
    expect(out).toContain("function f(Int32Array){return Int32Array+Int32Array");
    expect(out).toContain("e=new Int8Array(1)");
  });
});
