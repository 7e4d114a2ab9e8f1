/**
 * MD5 (src/core/md5.ts): RFC 1321 A.5, then property tests against
 * node:crypto — for the Node build (generated unrolled body) and the microcontroller
 * build (looped body, `__PIBKIT_CRC_SLICES__` = 1) alike.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { Md5 } from "../src/core/md5.js";
// @ts-expect-error — plain .mjs build script without type declarations
import { md5Source } from "../targets/build/genUnrolled.mjs";
import { digestProperties, importSmallBuild, publishedVectors, vectorTests } from "./digestHelpers.js";

const A5 = publishedVectors("md5");
const ref = (d: Uint8Array) => createHash("md5").update(d).digest("hex");

type Ctor = new () => Md5;
let small: Ctor | undefined;
beforeAll(async () => {
  const b = await importSmallBuild<{ Md5: Ctor }>("src/core/md5.ts");
  expect(b.text).not.toContain("3614090360"); // no unrolled body (its first T constant) in the small build
  small = b.mod.Md5;
});

const builds: Array<[string, () => Ctor]> = [
  ["Node build (unrolled)", () => Md5],
  ["microcontroller build (looped)", () => small!],
];
it("RFC 1321 A.5 has seven vectors, the last 80 octets", () => {
  expect(A5.length).toBe(7);
  expect(A5[6]![0]).toBe("1234567890".repeat(8));
});

for (const [name, get] of builds) {
  describe(`MD5, ${name}`, () => {
    vectorTests("RFC 1321 A.5: MD5", () => new (get())(), 16, A5);
    it("a megabyte in odd pieces", () => {
      const data = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 7) & 255);
      const d = new (get())();
      for (let o = 0; o < data.length; o += 1000) d.update(data, o, Math.min(1000, data.length - o));
      const out = new Uint8Array(16);
      d.finish(out, 0);
      expect(Buffer.from(out).toString("hex")).toBe(ref(data));
    });
    digestProperties(() => new (get())(), ref);
  });
}

describe("generated md5Unrolled.ts", () => {
  it("is what targets/build/genUnrolled.mjs prints (run it after editing the generator)", () => {
    expect(readFileSync("src/core/md5Unrolled.ts", "utf8")).toBe(md5Source());
  });
});
