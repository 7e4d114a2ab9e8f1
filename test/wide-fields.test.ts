/**
 * SDNV fields that may carry any 64-bit value (RFC 6256 §3.3: BP handles 64 bits) but
 * that pibkit keeps as numbers: the bundle processing flags (RFC 5050 §4.2; the bits
 * above 20 are reserved, and the BSP mask 0x7C1BE drops them from the canonical form)
 * and the PIB-HMAC key id (RFC 6257 §2.6 item 3). A value at or above 2^53 is legal
 * there: the bundle parses, its PIB verifies as before (flags), or is an unknown key
 * (an id no key table can hold), on every path — ground, on-board, both streaming
 * verifiers, the relay and the CLI.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeSdnvU64 } from "../src/core/sdnv.js";
import { Verdict } from "../src/core/verdict.js";
import { KeyTable } from "../src/ground/keys.js";
import { Verifier } from "../src/ground/pib.js";
import { Relay, RelayAction } from "../src/ground/relay.js";
import { StreamVerifier as GroundStreamVerifier } from "../src/ground/stream.js";
import { Verifier as OnboardVerifier } from "../src/onboard/index.js";
import { StreamVerifier } from "../src/onboard/streamVerifier.js";
import { EX1_CRC, EX1_HMAC, EX1_MD5, EX1_PAYLOAD, EX1_PRIMARY, hex, toHex } from "./support/pibVectors.js";

/** `bundle` with its primary flags SDNV (after the version octet) replaced by the minimal SDNV of (hi, lo). */
function withFlags(bundle: string, hi: number, lo: number): Uint8Array {
  const b = hex(bundle);
  let end = 1;
  while (b[end]! & 0x80) end++;
  const sdnv = new Uint8Array(10);
  const n = writeSdnvU64(sdnv, 0, 10, hi, lo);
  return Uint8Array.of(b[0]!, ...sdnv.subarray(0, n), ...b.subarray(end + 1));
}

/** Example 1's bundle with a PIB-HMAC whose key id item holds the SDNV `keySdnv` (the result is never checked: no key). */
function hmacWithKeyId(keySdnv: string): Uint8Array {
  const key = hex(keySdnv);
  // the PIB: type 3, flags 0, then length, cs-id 4, cs-flags 5 (params, result), params, result
  const params = Uint8Array.of(3, key.length, ...key, 4, 2, 0, 12);
  const body = Uint8Array.of(4, 5, params.length, ...params, 12, 5, 10, ...new Uint8Array(10));
  return Uint8Array.of(...hex(EX1_PRIMARY), 3, 0, body.length, ...body, ...hex(EX1_PAYLOAD));
}

/** Verdicts of every path, as "verdict:code" per PIB, or "E<n>" for a bundle that does not parse. */
function verdicts(b: Uint8Array, keys: KeyTable | null): Record<string, string> {
  const out: Record<string, string> = {};
  const list = (v: { verdict: ArrayLike<number> }, n: number) => (n < 0 ? `E${-n}` : Array.from({ length: n }, (_, k) => String(v.verdict[k])).join(","));
  const ground = new Verifier(8, 8, 4);
  if (keys) ground.keys = keys;
  out["ground"] = list(ground, ground.verifyAll(b, 0, b.length));
  const onboard = new OnboardVerifier(8, 8, 4);
  if (keys) onboard.keys = keys;
  out["onboard"] = list(onboard, onboard.verifyAll(b, 0, b.length));
  for (const piece of [1, 5, b.length]) {
    const s = new StreamVerifier(8, 8, 4, 512, 2);
    if (keys) s.keys = keys;
    s.begin();
    for (let i = 0; i < b.length; i += piece) s.push(b, i, Math.min(piece, b.length - i));
    out[`onboard stream ${piece}`] = list(s, s.end());
    const g = new GroundStreamVerifier(8, 8, 4, 512, 2);
    if (keys) g.keys = keys;
    g.begin();
    for (let i = 0; i < b.length; i += piece) g.push(b, i, Math.min(piece, b.length - i));
    out[`ground stream ${piece}`] = list(g, g.end());
  }
  return out;
}

function same(value: string, paths: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(paths).map((k) => [k, value]));
}

function pibkit(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync("bin/pibkit", args, { encoding: "utf8" });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

describe("bundle processing flags at and above 2^53", () => {
  // Example 1's flags are 0x28098; the reserved bits above them leave its canonical form, and so its results, unchanged
  const cases: Array<[string, number, number]> = [
    ["2^40 + 0x28098", 0x100, 0x28098],
    ["2^53 + 0x28098", 0x200000, 0x28098],
    ["2^60 + 0x28098", 0x10000000, 0x28098],
    ["2^64 - 2^32 + 0x28098 (every high bit)", 0xffffffff, 0x28098],
  ];
  for (const [name, hi, lo] of cases) {
    it(`${name}: the bundle parses and its PIB verifies on every path`, () => {
      for (const ex of [EX1_CRC, EX1_MD5, EX1_HMAC]) {
        const v = verdicts(withFlags(ex, hi, lo), null);
        expect(v).toEqual(same(`${Verdict.Ok}`, v));
      }
    });
  }

  it("a flag the mask keeps is still covered above 2^53: application acknowledgement (bit 5) set on the way gives MISMATCH", () => {
    const v = verdicts(withFlags(EX1_CRC, 0x10000000, 0x28098 | 0x20), null);
    expect(v).toEqual(same(`${Verdict.Mismatch}`, v));
  });

  it("the relay forwards such a bundle, and the CLI verifies it and shows the flags exactly", () => {
    const b = withFlags(EX1_CRC, 0x10000000, 0x28098);
    expect(new Relay(new Verifier(8, 8, 4), -1).check(b, 0, b.length)).toBe(RelayAction.Forward);
    const dir = mkdtempSync(join(tmpdir(), "pibkit-wide-"));
    try {
      const f = join(dir, "flags.bin");
      writeFileSync(f, b);
      const v = pibkit("verify", f);
      expect(v.code, v.err).toBe(0);
      expect(v.out).toMatch(/PIB-INSECURE-CRC32 \(suite 6\).*: ok$/m);
      const i = pibkit("inspect", f);
      expect(i.code, i.err).toBe(0);
      expect(i.out).toMatch(/processing flags\s+0x1000000000028098 \(.*reserved bits set\)/);
      const j = pibkit("inspect", "--json", f);
      expect((JSON.parse(j.out) as { flags: unknown }).flags).toBe(String(2n ** 60n + 0x28098n));
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe("PIB-HMAC key ids at and above 2^53", () => {
  const keys = new KeyTable(4, 8);
  const k1 = hex("0102030405060708090a0b0c0d0e0f1011121314");
  expect(keys.install(1, k1, 0, k1.length)).toBe(0);
  // the table refuses an id past 2^53 - 1, so no id read rounded can be found in it
  expect(keys.install(2 ** 53, k1, 0, k1.length)).toBeLessThan(0);
  // 2^53 - 1 (the largest a key table holds), 2^53, 2^53 + 1, 2^64 - 1
  const ids: Array<[string, string]> = [
    ["2^53 - 1", "8fffffffffffff7f"],
    ["2^53", "9080808080808000"],
    ["2^53 + 1", "9080808080808001"],
    ["2^64 - 1", "81ffffffffffffffff7f"],
  ];
  for (const [name, sdnv] of ids) {
    it(`key id ${name} is an unknown key on every path, with or without a key table`, () => {
      const b = hmacWithKeyId(sdnv);
      for (const table of [null, keys]) {
        const v = verdicts(b, table);
        expect(v, toHex(b)).toEqual(same(`${Verdict.UnknownKey}`, v));
      }
      // an unknown key is not a failed check: a relay forwards the bundle (RFC 6257 §3.6 discards on a failed one)
      const relay = new Verifier(8, 8, 4);
      relay.keys = keys;
      expect(new Relay(relay, -1).check(b, 0, b.length)).toBe(RelayAction.Forward);
    });
  }

  it("the CLI says unknown key, exit 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "pibkit-wide-"));
    try {
      const f = join(dir, "kid.bin");
      writeFileSync(f, hmacWithKeyId("81ffffffffffffffff7f"));
      const v = pibkit("verify", f);
      expect(v.code).toBe(2);
      expect(v.out).toMatch(/PIB-HMAC \(suite 4, key id .*\).*: unknown key$/m);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
