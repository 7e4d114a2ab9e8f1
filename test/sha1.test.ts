/**
 * SHA-1 (src/core/sha1.ts): FIPS 180 / RFC 3174 §7.3 TEST1–TEST4 incl. one million "a",
 * then property tests against node:crypto — for the Node
 * build (generated unrolled body) and the microcontroller build (looped body).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { Sha1 } from "../src/core/sha1.js";
// @ts-expect-error — plain .mjs build script without type declarations
import { sha1Source } from "../targets/build/genUnrolled.mjs";
import { digestProperties, importSmallBuild, publishedVectors, toHex, vectorTests } from "./digestHelpers.js";

/** The empty message, TEST1, TEST2, TEST4 (TEST3 below is fed in pieces). */
const TESTS = publishedVectors("sha1");
const ref = (d: Uint8Array) => createHash("sha1").update(d).digest("hex");

type Ctor = new () => Sha1;
let small: Ctor | undefined;
beforeAll(async () => {
  const b = await importSmallBuild<{ Sha1: Ctor }>("src/core/sha1.ts");
  expect(b.text).not.toMatch(/w15/); // no unrolled body in the small build
  expect(b.text.length).toBeLessThan(2000);
  small = b.mod.Sha1;
});

const builds: Array<[string, () => Ctor]> = [
  ["Node build (unrolled)", () => Sha1],
  ["microcontroller build (looped)", () => small!],
];
it("RFC 3174 §7.3: four vectors, TEST4 640 octets", () => {
  expect(TESTS.length).toBe(4);
  expect(TESTS[3]![0]).toBe("01234567".repeat(80));
});

for (const [name, get] of builds) {
  describe(`SHA-1, ${name}`, () => {
    vectorTests("SHA-1", () => new (get())(), 20, TESTS);
    it("TEST3: one million 'a' (fed as RFC 3174 does, 1,000 octets at a time)", () => {
      const d = new (get())();
      const a = new Uint8Array(1000).fill(0x61);
      for (let i = 0; i < 1000; i++) d.update(a, 0, 1000);
      const out = new Uint8Array(20);
      d.finish(out, 0);
      expect(toHex(out)).toBe("34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    });
    digestProperties(() => new (get())(), ref);
  });
}

describe("generated sha1Unrolled.ts", () => {
  it("is what targets/build/genUnrolled.mjs prints (run it after editing the generator)", () => {
    expect(readFileSync("src/core/sha1Unrolled.ts", "utf8")).toBe(sha1Source());
  });
});
