/**
 * The firmware byte counts the README and docs print are the built files' sizes at this
 * commit: each is rebuilt here and compared with the README's firmware table, the
 * budget lines of docs/firmware.md and the on-board figure of docs/onboard.md. A change
 * that grows or shrinks a firmware fails here until the docs say the new figure.
 * (Bytes only: they are exact on any machine; the engine figures move with engines.)
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureFirmware, FEATURES, relayFeature, ROOT, suiteFeature, type Feature } from "../targets/hosts/engineRun.js";

const doc = (p: string) => readFileSync(join(ROOT, p), "utf8");
const num = (s: string) => Number(s.replace(/,/g, ""));

/** README table row label (a unique part of it) and budget name → the feature build. */
const BUILDS: Array<[string, string, () => [Feature, string]]> = [
  ["`pib-path`: parse", "pib-path", () => [FEATURES["pib-path"]!, "pibkit-pib-path"]],
  ["(`crc-only`)", "crc-only", () => [FEATURES["crc-only"]!, "pibkit-crc-only"]],
  ["`SUITES=insecure-crc32` (sign", "insecure-crc32", () => { const f = suiteFeature(["insecure-crc32"]); return [f, f.name]; }],
  ["relay, CRC-32C only", "relay-crc32", () => { const f = relayFeature(["insecure-crc32"]); return [f, f.name]; }],
  ["`pib-path+keys` (+ the key table", "pib-path+keys", () => [FEATURES["pib-path+keys"]!, "pibkit-pib-path+keys"]],
  ["the ground library (`full`", "full", () => [FEATURES["full"]!, "pibkit"]],
];

const bytes: Record<string, number> = {};
beforeAll(async () => {
  for (const [, name, make] of BUILDS) {
    const [feature, file] = make();
    bytes[name] = statSync((await ensureFirmware(feature, file))["espruino"]!).size;
  }
}, 120_000);

/** The bytes column of the README's firmware table row whose label contains `label`. */
function readmeBytes(readme: string, label: string): number | undefined {
  const row = readme.split("\n").find((l) => l.startsWith("| ") && l.includes(label));
  const cell = row?.split("|")[2]?.replace(/\*/g, "").trim();
  return cell === undefined ? undefined : num(cell);
}

describe("firmware bytes in the docs are the built files' sizes", () => {
  it("README firmware table", () => {
    const readme = doc("README.md");
    const shown = Object.fromEntries(BUILDS.map(([label, name]) => [name, readmeBytes(readme, label)]));
    expect(shown).toEqual(bytes);
  });

  it("README text: pib-path+keys", () => {
    expect(doc("README.md")).toContain(`(\`pib-path+keys\` is ${bytes["pib-path+keys"]!.toLocaleString("en-US")} B)`);
  });

  it("docs/firmware.md budget lines", () => {
    const text = doc("docs/firmware.md");
    for (const [, name] of BUILDS) {
      const m = new RegExp("`espruino\\." + name.replace(/[+]/g, "\\+") + "\\.bytes`[^\\n]*: now ([0-9,]+)").exec(text);
      expect(m, name).not.toBeNull();
      expect(num(m![1]!), name).toBe(bytes[name]);
    }
  });

  it("docs/onboard.md: espruino.pib-path.bytes", () => {
    const m = /`espruino\.pib-path\.bytes` = ([0-9,]+) B/.exec(doc("docs/onboard.md"));
    expect(m).not.toBeNull();
    expect(num(m![1]!)).toBe(bytes["pib-path"]);
  });

  it("the row parser reads a row (the check can fail)", () => {
    expect(readmeBytes("| x (`crc-only`) | 1,999 | 1 B |", "(`crc-only`)")).toBe(1999);
    expect(readmeBytes("| y | 1 |", "(`crc-only`)")).toBeUndefined();
  });
});
