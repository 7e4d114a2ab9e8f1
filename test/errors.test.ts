import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_TEXT, errorMessage, errorName } from "../src/core/errorText.js";

// The enum is `const` (inlined into firmware), so its members are read from the source text.
const members = [...readFileSync("src/core/errors.ts", "utf8").matchAll(/^\s+(\w+) = (\d+),/gm)].map(
  (m) => [m[1]!, Number(m[2])] as const,
);

describe("error table", () => {
  it("has one row per Err member, with its number, name and a message", () => {
    expect(members.length).toBeGreaterThan(10);
    expect(ERROR_TEXT.length).toBe(members.length);
    for (const [name, code] of members) {
      const rows = ERROR_TEXT.filter((r) => r[0] === code);
      expect(rows, name).toHaveLength(1);
      expect(rows[0]![1]).toBe(name);
      expect(rows[0]![2].length).toBeGreaterThan(5);
    }
  });
  it("numbers are unique", () => {
    const codes = members.map((m) => m[1]);
    expect(new Set(codes).size).toBe(codes.length);
  });
  it("looks up negated codes as hot-path functions return them", () => {
    expect(errorName(-1)).toBe("SdnvTruncated");
    expect(errorMessage(-1)).toMatch(/terminating/);
    expect(errorName(9999)).toBe("E9999");
  });
});
