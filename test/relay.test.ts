/**
 * Relay policy (draft §3.1, §5; RFC 6257 §3.6): check unkeyed and NULL-keyed PIBs,
 * discard on failure, forward what cannot be checked, and under a per-tick byte
 * budget stop checking — visibly, in the counters. Every case runs on both
 * verifiers a Relay accepts (RelayVerifier): the ground library's (src/ground/pib.ts) and the
 * on-board one (src/onboard/) that the relay firmware carries.
 */
import { describe, expect, it } from "vitest";
import { needsCorpus } from "./support/shared.js";
import { KeyTable } from "../src/ground/keys.js";
import { Verifier as OnboardVerifier } from "../src/onboard/index.js";
import { Signer, Verifier } from "../src/ground/pib.js";
import { Relay, RelayAction, type RelayVerifier } from "../src/ground/relay.js";
import { SuiteKind } from "../src/core/suites.js";
import { corpusFile, EX1_CRC, EX1_HMAC, EX1_MD5, EX1_UNSIGNED, hex } from "./support/pibVectors.js";

/** Real bundles with foreign PIBs (RSA, DTN2's type-4 PIB, bplib's CRC) from the corpus; without it the relay is checked on the rest. */
const HAVE_CORPUS = needsCorpus("the relay forwarding 3 corpus bundles with foreign PIBs (ibrdtn-pib-rsa-sha256, dtn2-pi2, bplib6gen-crc32c; the worked examples still run)");
const FOREIGN = (): Uint8Array[] => (HAVE_CORPUS ? [corpusFile("ibrdtn-pib-rsa-sha256.bin"), corpusFile("dtn2-pi2.bin"), corpusFile("bplib6gen-crc32c.bin")] : []);

const VERIFIERS: Array<[string, (b: number, r: number, p: number) => RelayVerifier]> = [
  ["ground Verifier", (b, r, p) => new Verifier(b, r, p)],
  ["on-board Verifier", (b, r, p) => new OnboardVerifier(b, r, p)],
];

function corrupt(h: string): Uint8Array {
  const b = hex(h);
  b[b.length - 1]! ^= 0x01;
  return b;
}

describe.each(VERIFIERS)("relay on the %s", (_label, make) => {
  function relay(bytesPerTick: number): Relay {
    return new Relay(make(16, 16, 8), bytesPerTick);
  }

  it("forwards bundles whose PIB verifies and discards corrupted ones, for all three suites", () => {
    const r = relay(-1);
    for (const h of [EX1_CRC, EX1_MD5, EX1_HMAC]) {
      const good = hex(h);
      expect(r.check(good, 0, good.length)).toBe(RelayAction.Forward);
      const bad = corrupt(h);
      expect(r.check(bad, 0, bad.length)).toBe(RelayAction.Discard);
    }
    expect([r.checked, r.passed, r.discarded, r.skippedBudget, r.malformed]).toEqual([6, 3, 3, 0, 0]);
    expect(r.bytes).toBe(2 * (82 + 94 + 91));
  });

  it("forwards bundles without a PIB, with foreign PIBs, or with a keyed HMAC it has no key for", () => {
    const r = relay(-1);
    const keys = new KeyTable(2, 4);
    expect(keys.install(5, hex("0102030405060708090a0b0c0d0e0f1011121314"), 0, 20)).toBe(0);
    const s = new Signer(8, 8);
    s.keys = keys;
    const input = hex(EX1_UNSIGNED);
    const keyed = new Uint8Array(200);
    const n = s.sign(input, 0, input.length, keyed, 0, keyed.length, SuiteKind.Hmac, 5);
    expect(n).toBeGreaterThan(0);
    keyed[n - 1]! ^= 1; // corrupted, but the relay cannot tell: the destination will
    for (const b of [input, ...FOREIGN(), keyed.subarray(0, n)]) {
      expect(r.check(b, 0, b.length)).toBe(RelayAction.Forward);
    }
    expect([r.checked, r.passed, r.discarded]).toEqual([0, 0, 0]);
  });

  it("a relay never uses keys, even if its verifier had some", () => {
    const v = make(8, 8, 4);
    v.keys = new KeyTable(1, 2);
    const r = new Relay(v, -1);
    expect(r.verifier.keys).toBeNull();
  });

  it("discards what does not parse, and a PIB of its own suites that cannot be read", () => {
    const r = relay(-1);
    const cut = hex(EX1_CRC).subarray(0, 60);
    expect(r.check(cut, 0, cut.length)).toBe(RelayAction.Discard);
    const noResult = hex(EX1_CRC);
    noResult[62] = 0x03; // result item length 4 -> 3
    expect(r.check(noResult, 0, noResult.length)).toBe(RelayAction.Discard);
    expect([r.malformed, r.discarded, r.checked]).toEqual([1, 2, 1]);
  });

  it("per-tick byte budget: checking stops when spent, shows in the counters, resumes next tick", () => {
    const r = relay(200); // two 82-octet bundles fit, the third does not
    const good = hex(EX1_CRC);
    const bad = corrupt(EX1_CRC);
    expect(r.check(good, 0, good.length)).toBe(RelayAction.Forward);
    expect(r.check(good, 0, good.length)).toBe(RelayAction.Forward);
    // Budget spent: a corrupted bundle now passes through unchecked (counted, never as passed).
    expect(r.check(bad, 0, bad.length)).toBe(RelayAction.Forward);
    expect([r.checked, r.passed, r.skippedBudget, r.discarded, r.bytes]).toEqual([2, 2, 1, 0, 164]);
    r.tick();
    expect(r.check(bad, 0, bad.length)).toBe(RelayAction.Discard);
    expect([r.checked, r.passed, r.skippedBudget, r.discarded, r.bytes]).toEqual([3, 2, 1, 1, 246]);
  });

  it("budget 0 turns checking off entirely", () => {
    const r = relay(0);
    const bad = corrupt(EX1_MD5);
    for (let i = 0; i < 3; i++) {
      r.tick();
      expect(r.check(bad, 0, bad.length)).toBe(RelayAction.Forward);
    }
    expect([r.checked, r.skippedBudget, r.bytes]).toEqual([0, 3, 0]);
  });
});
