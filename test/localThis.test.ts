/**
 * targets/build/localThis.mjs, the Espruino post-minify pass that reads `this` once per
 * method: it shortens, keeps behaviour, and leaves alone what it must (super() calls,
 * the `this` of nested functions, methods with too few reads).
 */
import { describe, expect, test } from "vitest";
// @ts-expect-error plain .mjs without types
import { localThis } from "../targets/build/localThis.mjs";

const rewrite = localThis as (text: string) => string;

const SAMPLE = `var $=1;class A{constructor(a){this.a=a,this.b=a+1,this.c=a+2,this.d=a+3}sum(){return this.a+this.b+this.c+this.d}two(){return this.a+this.b}
nested(){var t=this;return [this.a,this.b,this.c,(function(){return this&&this.x})(),(()=>this.d)()]}}
class B extends A{constructor(){super(1),this.e=1,this.f=2,this.g=3,this.h=4}}
export{A,B,$};`;

function run(text: string): unknown {
  const body = text.replace(/export\{[^}]*\};\s*$/, "");
  return new Function(body + "; var a = new A(5), b = new B(); return [a.sum(), a.two(), a.nested(), b.e + b.f + b.g + b.h, b.sum(), $];")();
}

describe("localThis", () => {
  test("rewrites methods with four or more reads into a fresh local and shortens the text", () => {
    const out = rewrite(SAMPLE);
    expect(out.length).toBeLessThan(SAMPLE.length);
    expect(out).toMatch(/constructor\(a\)\{let (\w+)=this;\1\.a=a/);
    // `$` is taken by the program, so the local has another name
    expect(out).not.toMatch(/let \$=this/);
  });
  test("keeps behaviour", () => {
    expect(run(rewrite(SAMPLE))).toEqual(run(SAMPLE));
  });
  test("leaves super() constructors, short methods and nested functions' this alone", () => {
    const out = rewrite(SAMPLE);
    expect(out).toContain("constructor(){super(1),this.e=1");
    expect(out).toContain("two(){return this.a+this.b}");
    expect(out).toContain("function(){return this&&this.x}");
  });
  test("text without such methods is unchanged", () => {
    const s = "var x=class{m(){return this.a}};export{x};";
    expect(rewrite(s)).toBe(s);
  });
});
