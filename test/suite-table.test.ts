/**
 * Every row of the suite table (src/core/suites.ts SUITES) through everything that
 * must know it, so that a suite added to the table but missed in one place fails here:
 * - the suite functions the firmware uses (suiteKind, suiteId, resultSize, suiteName,
 *   suiteKindByName, isUnauthenticated) and the on-board ids (src/onboard/suiteIds.ts);
 * - the digests (src/core/suiteDigests.ts): one per row, of the row's result size;
 * - the ground Signer/Verifier and the on-board path: sign, verify Ok, a flipped payload
 *   bit is a Mismatch, and both sides write the same octets (a keyed suite with the
 *   NULL key and with a key of its own);
 * - the command line: `sign --suite <cli>`, `verify`, `inspect --json` names, `--help`;
 * - the firmware: a build with the row's suite alone (SUITES=<cli>) carries its digest
 *   modules and no other row's, signs and verifies it and calls the other suites
 *   unknown; its conformance groups exist in targets/hosts/conformance.js.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { beforeAll, describe, expect, it } from "vitest";
import { SuiteDigests } from "../src/core/suiteDigests.js";
import {
  DEFAULT_SUITE_IDS,
  isUnauthenticated,
  resultSize,
  SUITES,
  suiteBit,
  suiteByCli,
  suiteByKind,
  suiteByName,
  suiteId,
  suiteKind,
  suiteKindByName,
  suiteName,
  type Suite,
} from "../src/core/suites.js";
import { Verdict } from "../src/core/verdict.js";
import { KeyTable } from "../src/ground/keys.js";
import { Signer, Verifier } from "../src/ground/pib.js";
import { Signer as OnboardSigner, Verifier as OnboardVerifier } from "../src/onboard/index.js";
import * as onboardIds from "../src/onboard/suiteIds.js";
import { featureInputs, relayFeature, ROOT, suiteFeature, type Feature } from "../targets/hosts/engineRun.js";
// @ts-expect-error plain .mjs without types
import * as fw from "../targets/build/firmware.mjs";
import { EX1_UNSIGNED, hex, toHex } from "./support/pibVectors.js";

const firmware = fw as {
  SUITES: Suite[];
  buildDefines: (o: { suites?: string[] }) => Record<string, string>;
  bundleEspruinoEsm: (f: Feature) => Promise<string>;
  esmToExportsAssignments: (esm: string) => string;
  espruinoForms: (script: string) => { generic: string };
  parseSuiteList: (text: string) => { suites?: string[]; error?: string };
};

const KEY = new Uint8Array(20).fill(0x5a);
const KEY_ID = 7;
const unsigned = hex(EX1_UNSIGNED);

/** The key ids a row is signed with: the NULL key and one installed key for a keyed suite. */
const keyIds = (s: Suite): number[] => (s.keyed ? [0, KEY_ID] : [0]);

function keyTable(): KeyTable {
  const t = new KeyTable(2, 4);
  expect(t.install(KEY_ID, KEY, 0, KEY.length)).toBe(0);
  return t;
}

interface SignerLike {
  keys: unknown;
  sign(inBuf: Uint8Array, inOff: number, inEnd: number, out: Uint8Array, outOff: number, outEnd: number, kind: number, keyId: number): number;
}
interface VerifierLike {
  keys: unknown;
  count: number;
  verdict: Uint8Array;
  kind: Uint8Array;
  verifyAll(buf: Uint8Array, off: number, end: number): number;
}

/** Signs example 1's bundle with (kind, keyId): the signed octets, or the error code as a string. */
function signWith(s: SignerLike, kind: number, keyId: number): Uint8Array | string {
  const out = new Uint8Array(unsigned.length + 64);
  const n = s.sign(unsigned, 0, unsigned.length, out, 0, out.length, kind, keyId);
  return n < 0 ? `error ${n}` : out.slice(0, n);
}

/** verifyAll's PIB count, first verdict and kind, as one comparable string. */
function verdictOf(v: VerifierLike, b: Uint8Array): string {
  const n = v.verifyAll(b, 0, b.length);
  return `${n}:${v.verdict[0]}:${v.kind[0]}`;
}

function flipped(b: Uint8Array): Uint8Array {
  const c = b.slice();
  c[c.length - 1]! ^= 0x01;
  return c;
}

describe("the suite table", () => {
  it("has rows with distinct kinds, ids, keys, names and command-line names", () => {
    expect(SUITES.length).toBeGreaterThan(0);
    for (const field of ["kind", "id", "key", "name", "cli"] as const) {
      expect(new Set(SUITES.map((s) => s[field])).size, field).toBe(SUITES.length);
    }
    for (const s of SUITES) {
      expect(s.kind, s.cli).toBeGreaterThan(0);
      expect(suiteBit(s.kind), s.cli).toBe(1 << s.kind);
      // INSECURE in every name of a suite that authenticates nothing (draft §3)
      expect(/INSECURE/.test(s.name), s.name).toBe(!s.keyed);
    }
  });

  for (const s of SUITES) {
    describe(`${s.name} (${s.cli}, id ${s.id})`, () => {
      it("the suite functions and the on-board ids know it", () => {
        expect(suiteKind(DEFAULT_SUITE_IDS, 0, s.id)).toBe(s.kind);
        expect(suiteKind(DEFAULT_SUITE_IDS, 1, s.id)).toBe(0);
        expect(suiteId(DEFAULT_SUITE_IDS, s.kind)).toBe(s.id);
        expect(DEFAULT_SUITE_IDS[s.key]).toBe(s.id);
        expect(resultSize(s.kind)).toBe(s.size);
        expect(suiteName(s.kind, 1)).toBe(s.name);
        expect(suiteByName(suiteName(s.kind, 0))).toBe(s);
        expect(suiteKindByName(s.cli)).toBe(s.kind);
        expect(suiteByCli(s.cli)).toBe(s);
        expect(suiteByKind(s.kind)).toBe(s);
        expect(isUnauthenticated(s.kind, 1)).toBe(!s.keyed);
        expect(isUnauthenticated(s.kind, 0)).toBe(true);
        // src/onboard/suiteIds.ts: one <KEY>_ID per row
        expect((onboardIds as Record<string, number>)[`${s.key.toUpperCase()}_ID`], `${s.key.toUpperCase()}_ID`).toBe(s.id);
      });

      it("has a digest of its result size (suiteDigests.ts)", () => {
        const d = new SuiteDigests().fixed(s.kind, 0);
        expect(d, "fixed(kind, 0)").not.toBeNull();
        expect(d!.size).toBe(s.size);
        // a keyed suite's other keys come from a KeyLookup, never from fixed()
        if (s.keyed) expect(new SuiteDigests().fixed(s.kind, KEY_ID)).toBeNull();
      });

      for (const keyId of keyIds(s)) {
        it(`ground and on-board sign the same octets, verify Ok, and a flipped bit is a Mismatch (key id ${keyId})`, () => {
          const ground = new Signer(8, 8);
          const gv = new Verifier(9, 8, 4);
          const onboard = new OnboardSigner(8, 8);
          const ov = new OnboardVerifier(9, 8, 4);
          if (keyId !== 0) ground.keys = gv.keys = onboard.keys = ov.keys = keyTable();
          const g = signWith(ground, s.kind, keyId);
          const o = signWith(onboard, s.kind, keyId);
          expect(typeof g, String(g)).not.toBe("string");
          expect(typeof o, "on-board sign: " + String(o)).not.toBe("string");
          expect(toHex(o as Uint8Array)).toBe(toHex(g as Uint8Array));
          const signed = g as Uint8Array;
          // the PIB carries the row's id and a result of the row's size
          expect(signed.length - unsigned.length).toBeGreaterThan(s.size);
          for (const v of [gv, ov]) {
            expect(verdictOf(v, signed)).toBe(`1:${Verdict.Ok}:${s.kind}`);
            expect(verdictOf(v, flipped(signed))).toBe(`1:${Verdict.Mismatch}:${s.kind}`);
          }
        });
      }
    });
  }
});

describe("the command line reads the table", () => {
  let dir = "";
  const pibkit = (...args: string[]) => spawnSync("bin/pibkit", args, { encoding: "utf8", cwd: ROOT });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "pibkit-suite-table-"));
    writeFileSync(join(dir, "u.bin"), unsigned);
  });

  it("sign --help lists every suite", () => {
    const help = pibkit("sign", "--help").stdout;
    for (const s of SUITES) expect(help).toMatch(new RegExp(`\\n\\s+(--suite S\\s+)?${s.cli}\\s+${s.name}, `));
  });

  for (const s of SUITES) {
    it(`sign --suite ${s.cli}, verify and inspect --json name it`, () => {
      const out = join(dir, `${s.cli}.bin`);
      const r = pibkit("sign", join(dir, "u.bin"), out, "--suite", s.cli);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`added ${suiteName(s.kind, 0)} (suite ${s.id}`);
      const v = pibkit("verify", out);
      expect(v.status, v.stdout + v.stderr).toBe(0);
      expect(v.stdout).toContain(`${suiteName(s.kind, 0)} (suite ${s.id}`);
      const i = pibkit("inspect", out, "--json");
      expect(i.status, i.stderr).toBe(0);
      const pib = JSON.parse(i.stdout).pibs[0];
      expect(pib.suite).toBe(s.id);
      expect(pib.suiteName).toBe(suiteName(s.kind, 0));
      expect(pib.verdict).toBe("ok");
      // the human dump: not foreign, and INSECURE-labelled like the table says
      const dump = pibkit("inspect", out).stdout;
      expect(dump).toContain(`PIB: ${suiteName(s.kind, 0)}`);
      expect(dump).not.toContain("foreign");
    });
  }

  it("--suite-ids takes one id per row, in table order", () => {
    const ids = SUITES.map((s) => s.id + 100);
    const out = join(dir, "ids.bin");
    const s = SUITES[SUITES.length - 1]!;
    expect(pibkit("sign", join(dir, "u.bin"), out, "--suite", s.cli, "--suite-ids", ids.join(",")).status).toBe(0);
    const v = pibkit("verify", out, "--suite-ids", ids.join(","));
    expect(v.stdout).toContain(`(suite ${s.id + 100}`);
    expect(v.status).toBe(0);
    expect(pibkit("verify", out, "--suite-ids", ids.slice(1).join(",")).status).toBe(2);
  });
});

describe("firmware builds read the table", () => {
  it("SUITES= accepts every row's name, and nothing else", () => {
    expect(firmware.SUITES.map((s) => s.cli)).toEqual(SUITES.map((s) => s.cli));
    expect(firmware.parseSuiteList(SUITES.map((s) => s.cli).join(","))).toEqual({ suites: SUITES.map((s) => s.cli) });
    expect(firmware.parseSuiteList("no-such-suite").error).toMatch(/unknown suite/);
    expect(firmware.buildDefines({})["__PIBKIT_SUITES__"]).toBe(String(SUITES.reduce((m, s) => m | suiteBit(s.kind), 0)));
  });

  it("every row's conformance groups are in targets/hosts/conformance.js", () => {
    const text = readFileSync(join(ROOT, "targets/hosts/conformance.js"), "utf8");
    for (const s of SUITES) {
      for (const g of s.groups) expect(text, g).toContain(`want("${g}")`);
      expect(relayFeature([s.cli]).groups).toContain(`relay-${s.key}`);
      expect(text, `relay row ${s.key}`).toContain(`["${s.key}", PIB_53.`);
    }
  });

  for (const s of SUITES) {
    it(`SUITES=${s.cli}: its digest modules and no other row's; signs and verifies it, the others are unknown`, async () => {
      const f = suiteFeature([s.cli]);
      const inputs = await featureInputs(f);
      for (const m of s.modules) expect(inputs, m).toContain(`src/core/${m}.ts`);
      for (const other of SUITES) {
        for (const m of other.modules) if (!s.modules.includes(m)) expect(inputs, `${s.cli} carries ${m}`).not.toContain(`src/core/${m}.ts`);
      }
      const script = firmware.esmToExportsAssignments(await firmware.bundleEspruinoEsm(f));
      const p = runInNewContext(firmware.espruinoForms(script).generic + "pibkit;", {}) as {
        Signer: new (b: number, r: number) => SignerLike;
        Verifier: new (b: number, r: number, p: number) => VerifierLike;
      };
      const v = new p.Verifier(9, 8, 4);
      const signer = new p.Signer(8, 8);
      const signed = signWith(signer, s.kind, 0);
      expect(typeof signed, String(signed)).not.toBe("string");
      expect(toHex(signed as Uint8Array)).toBe(toHex(signWith(new Signer(8, 8), s.kind, 0) as Uint8Array));
      expect(verdictOf(v, signed as Uint8Array)).toBe(`1:${Verdict.Ok}:${s.kind}`);
      expect(verdictOf(v, flipped(signed as Uint8Array))).toBe(`1:${Verdict.Mismatch}:${s.kind}`);
      for (const other of SUITES) {
        if (other === s) continue;
        expect(typeof signWith(signer, other.kind, 0), `${s.cli} build signs ${other.cli}`).toBe("string");
        const b = signWith(new Signer(8, 8), other.kind, 0);
        expect(typeof b, `ground signs ${other.cli}`).not.toBe("string");
        expect(verdictOf(v, b as Uint8Array).split(":")[1], `${s.cli} build verifies ${other.cli}`).toBe(String(Verdict.UnknownSuite));
      }
    });
  }
});
