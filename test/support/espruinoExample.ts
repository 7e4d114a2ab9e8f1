/**
 * Shared by the tests of the Espruino examples (targets/examples/espruino/): the
 * language check every example must pass, as a test of its own, and the suites the
 * signing examples run with.
 */
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { SuiteKind } from "../../src/core/suites.js";
import { checkEspruinoSource, formatViolations } from "../../targets/build/espruinoCheck.js";

/** Registers "passes the Espruino language check" for the example file at `path`. */
export function espruinoLanguageTest(path: string): void {
  test("passes the Espruino language check", () => {
    const v = checkEspruinoSource(readFileSync(path, "utf8"));
    expect(v, formatViolations(path, v)).toEqual([]);
  });
}

/** Every suite, with the name its test carries (PIB-HMAC with the NULL key, id 0). */
export const EXAMPLE_SUITES = [
  [SuiteKind.Crc32, "PIB-INSECURE-CRC32"],
  [SuiteKind.Md5, "PIB-INSECURE-MD5"],
  [SuiteKind.Hmac, "PIB-HMAC (NULL key)"],
] as const;
