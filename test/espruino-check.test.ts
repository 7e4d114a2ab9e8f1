/**
 * Unit tests of the Espruino language check (targets/build/espruinoCheck.ts): every rule
 * fires on a minimal offending script and stays quiet on the allowed form. The check
 * on the exact built file is in test/firmware.test.ts.
 */
import { describe, expect, test } from "vitest";
import { checkEspruinoSource, RULES } from "../targets/build/espruinoCheck.js";

function rules(src: string): string[] {
  return checkEspruinoSource(src).map((v) => v.rule);
}

// [rule, offending script, allowed script]
const CASES: Array<[string, string, string]> = [
  ["parse", "export const a = 1;", "exports.a = 1;"],
  // the reproduction measured in Espruino 2v29: new C() works, new D() throws in B's super()
  [
    "nested-super",
    "class A { constructor(n) {} } class B extends A { constructor() { super(16); } } class C { constructor() { this.b = new B(); } } class D extends C { constructor() { super(); } }",
    "class A { constructor(n) {} } var B = class extends A { constructor() { super(16); } }; class C { constructor() { this.b = new B(); } } function D() { var c = new C(); return c; }",
  ],
  ["nested-super", "var A = class {}; var B = class extends A {}; var C = class { constructor() { this.b = new B(); } }; var M = class extends C {}; var D = class extends M {};", "var A = class {}; var B = class extends A {}; var C = class { constructor() { this.b = new B(); } }; var D = class extends A {};"],
  ["label", "a: for (;;) { break a; }", "for (;;) { break; }"],
  ["exponent", "var x = 2 ** 8;", "var x = 256;"],
  ["exponent", "var x = 2; x **= 2;", "var x = 2; x *= x;"],
  ["optional-chain", "var o = {}; var x = o?.a;", "var o = {}; var x = o && o.a;"],
  ["nullish", "var o = null; var x = o ?? 1;", "var o = null; var x = o == null ? 1 : o;"],
  ["logical-assign", "var o = 0; o ||= 1;", "var o = 0; o = o || 1;"],
  ["destructuring", "var o = {a: 1}; var { a } = o;", "var o = {a: 1}; var a = o.a;"],
  ["destructuring", "var o = [1]; var [a] = o;", "var o = [1]; var a = o[0];"],
  ["default-param", "function f(a = 1) { return a; }", "function f(a) { return a === undefined ? 1 : a; }"],
  ["rest", "function f(...a) { return a; }", "function f() { return arguments; }"],
  ["spread", "function f(a) {} var a = [1]; f(...a);", "function f(a) {} var a = [1]; f.apply(null, a);"],
  ["missing-builtin", "function f(a, b) { return Math.imul(a, b); }", "var imul = Math.imul || function (a, b) { return (a * b) | 0; }; function f(a, b) { return imul(a, b); }"],
  ["missing-builtin", "var x = Math.clz32(1);", "var x = typeof Math.clz32 === 'function' ? Math.clz32(1) : 31;"],
  ["missing-builtin", "var x = Math.trunc(1.5);", "var x = 1.5 | 0;"],
  ["missing-builtin", "var x = Math.fround(1.5);", "var x = 1.5;"],
  ["missing-builtin", "var x = Number.isInteger(1);", "var x = typeof Number.isInteger === 'function' ? Number.isInteger(1) : true;"],
  ["missing-builtin", "var x = Number.MAX_SAFE_INTEGER;", "var x = 9007199254740991;"],
  ["missing-builtin", "var o = Object.freeze({});", "var o = typeof Object.freeze === 'function' ? Object.freeze({}) : {};"],
  ["missing-builtin", "var a = Array.from([1]);", "var a = [1].slice();"],
  ["missing-global", "var m = new Map();", "var m = {};"],
  ["missing-global", "var s = new Set();", "var s = [];"],
  ["missing-global", "var w = new WeakMap();", "var w = {};"],
  ["missing-global", "var s = Symbol('x');", "var s = 'x';"],
  ["missing-global", "var b = BigInt(1);", "var b = 1;"],
  ["missing-global", "throw new RangeError('x');", "throw new Error('x');"],
  ["bigint", "var b = 1n;", "var b = 1;"],
  ["loop-closure", "var fs = []; for (let i = 0; i < 3; i++) fs.push(function () { return i; });", "var fs = []; function mk(i) { return function () { return i; }; } for (let i = 0; i < 3; i++) fs.push(mk(i));"],
  ["loop-closure", "var fs = []; for (const k of [1, 2]) fs.push(() => k);", "var fs = []; for (const k of [1, 2]) fs.push(k);"],
  ["call-before-declaration", "var x = f(); function f() { return 1; }", "function f() { return 1; } var x = f();"],
  ["call-before-declaration", "(function () { var x = g(); function g() { return 1; } })();", "(function () { function g() { return 1; } var x = g(); })();"],
  ["call-before-declaration", "Modules.addCached('m', function () { h(); function h() {} });", "Modules.addCached('m', function () { function h() {} h(); });"],
  ["generator", "function* g() { yield 1; }", "function g() { return 1; }"],
  ["async", "async function f() { await 1; }", "function f() { return 1; }"],
  ["computed-key", "var k = 'a'; var o = { [k]: 1 };", "var k = 'a'; var o = {}; o[k] = 1;"],
  ["computed-key", "var k = 'a'; class C { [k]() {} }", "class C { a() {} }"],
  ["template", "var a = 1; var s = `a${a}`;", "var a = 1; var s = 'a' + a;"],
  ["class-field", "class C { x = 1; }", "class C { constructor() { this.x = 1; } }"],
  ["class-field", "class C { static x = 1; }", "class C {} C.x = 1;"],
  ["class-field", "class C { #x; }", "class C { constructor() { this.x = 0; } }"],
  ["class-field", "class C { static { this.x = 1; } }", "class C {} C.x = 1;"],
  ["optional-catch", "try { f(); } catch { }", "try { f(); } catch (e) { }"],
  ["meta-property", "function F() { return new.target; }", "function F() { return this; }"],
  ["regexp-question", "var r = /ab?c/;", "var r = /ab*c/;"],
  ["regexp-flag", "var r = /a/u;", "var r = /a/g;"],
  ["builtin-prototype-call", "var s = Array.prototype.slice.call([1]);", "var s = [1].slice();"],
  ["math-pow", "var x = Math.pow(2, 53);", "var x = 4294967296 * 2097152;"],
  ["big-literal", "var x = 18446744073709551615;", "var x = 4294967296;"],
];

describe("Espruino language check", () => {
  test("every rule has a case", () => {
    const covered = new Set(CASES.map((c) => c[0]));
    expect(Object.keys(RULES).filter((r) => !covered.has(r))).toEqual([]);
  });
  for (const [rule, bad, good] of CASES) {
    test(`${rule} fires on: ${bad}`, () => {
      expect(rules(bad)).toContain(rule);
    });
    test(`${rule} quiet on: ${good}`, () => {
      expect(rules(good)).toEqual([]);
    });
  }
  test("violations carry a line, column and snippet", () => {
    const v = checkEspruinoSource("var a = 1;\nvar b = a ** 2;");
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ rule: "exponent", line: 2, column: 8 });
    expect(v[0]!.snippet).toContain("**");
  });
  test("a local named Map is not the missing global", () => {
    expect(rules("function Map() {} var m = new Map();")).toEqual([]);
  });
});
