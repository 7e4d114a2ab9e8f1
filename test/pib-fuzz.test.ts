/**
 * Fuzzing verify and sign: 100,000+ random and mutated bundles (bit flips,
 * truncation, octets overwritten with SDNV extremes, lengths and offsets pushed out of
 * range, insertions, deletions, pure noise) under random profiles and options.
 * No exception escapes, nothing hangs, no octet outside the output range is written
 * (guard bytes), every rejection carries a named code, and whenever sign succeeds its
 * output verifies and holds the input byte for byte around the new PIB.
 * Seeded: set PIBKIT_FUZZ_SEED to replay; the seed is printed with every failure.
 */
import { describe, expect, it } from "vitest";
import { errorName } from "../src/core/errorText.js";
import { Signer, Verifier } from "../src/ground/pib.js";
import { Verdict } from "../src/core/verdict.js";
import { PROFILE_DTN2, PROFILE_IBR, PROFILE_RFC6257, PROFILE_RFC6257_PACKED } from "../src/ground/profiles.js";
import { SuiteKind } from "../src/core/suites.js";
import { corpusBundles, corpusFile, corpusFolder, EX1_CRC, EX1_HMAC, EX1_MD5, EX1_UNSIGNED, EX2, hex, needsCorpus } from "./support/pibVectors.js";
import { rng } from "./support/rng.js";

const SEED = Number(process.env["PIBKIT_FUZZ_SEED"] ?? 0x5eed_4);
needsCorpus("the 38 corpus bundles and malformed/ as fuzz seeds (the fuzz runs on the worked examples alone)");
const ITERATIONS = Number(process.env["PIBKIT_FUZZ_CASES"] ?? 100_000);
const PROFILES = [PROFILE_RFC6257, PROFILE_RFC6257_PACKED, PROFILE_DTN2, PROFILE_IBR];
const SUITES = [SuiteKind.Hmac, SuiteKind.Md5, SuiteKind.Crc32];
const GUARD = 16;

const EXTREMES = [0x00, 0x7f, 0x80, 0x81, 0xff, 0x08, 0x40, 0x01, 0x03, 0x05];

function mutate(seed: Uint8Array, r: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(r() * n);
  let b = seed.slice();
  const rounds = 1 + pick(3);
  for (let k = 0; k < rounds; k++) {
    const m = pick(8);
    const at = b.length > 0 ? pick(b.length) : 0;
    if (m === 0 && b.length > 0) b[at]! ^= 1 << pick(8);
    else if (m === 1) b = b.slice(0, pick(b.length + 1));
    else if (m === 2 && b.length > 0) b[at] = EXTREMES[pick(EXTREMES.length)]!;
    else if (m === 3 && b.length > 0) b[at] = pick(256);
    else if (m === 4) {
      // A long SDNV (a length or offset pushed out of range) inserted.
      const big = [[0x8f, 0xff, 0xff, 0xff, 0x7f], [0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f], [0xff, 0xff, 0x7f], [0x80, 0x80, 0x01]][pick(4)]!;
      b = new Uint8Array([...b.subarray(0, at), ...big, ...b.subarray(at + 1)]);
    } else if (m === 5) {
      b = new Uint8Array([...b.subarray(0, at), ...Array.from({ length: 1 + pick(4) }, () => pick(256)), ...b.subarray(at)]);
    } else if (m === 6) {
      b = new Uint8Array([...b.subarray(0, at), ...b.subarray(Math.min(b.length, at + 1 + pick(6)))]);
    } else {
      const n = pick(200);
      b = Uint8Array.from({ length: n }, () => pick(256));
      if (n > 0 && r() < 0.7) b[0] = 6;
    }
  }
  return b;
}

function named(code: number): boolean {
  return !/^E\d+$/.test(errorName(code));
}

describe("fuzz: verify and sign never throw, never write outside, always name their errors", () => {
  const seeds: Uint8Array[] = [EX1_UNSIGNED, EX1_CRC, EX1_MD5, EX1_HMAC, EX2].map(hex);
  for (const f of corpusBundles()) seeds.push(corpusFile(f));
  for (const f of corpusFolder("malformed")) seeds.push(corpusFile(`malformed/${f}`));

  it(`${ITERATIONS} mutated bundles (seed ${SEED})`, () => {
    const r = rng(SEED);
    const verifier = new Verifier(8, 8, 4);
    const check = new Verifier(9, 8, 5);
    const signer = new Signer(8, 8);
    const out = new Uint8Array(2048 + 2 * GUARD);
    const stats = { parsed: 0, signed: 0, noRoom: 0, verdicts: [0, 0, 0, 0, 0, 0, 0] };
    for (let iter = 0; iter < ITERATIONS; iter++) {
      const ctx = `seed ${SEED} iteration ${iter}`;
      const input = mutate(seeds[Math.floor(r() * seeds.length)]!, r);
      const profile = PROFILES[Math.floor(r() * PROFILES.length)]!;
      verifier.profile = profile;
      verifier.acceptBare = r() < 0.3;
      verifier.budget = r() < 0.1 ? Math.floor(r() * 300) : -1;
      const n = verifier.verifyAll(input, 0, input.length);
      if (n < 0) {
        if (!named(n)) expect.fail(`${ctx}: verify returned unnamed code ${n}`);
      } else {
        stats.parsed++;
        for (let k = 0; k < n; k++) {
          const v = verifier.verdict[k]!;
          if (v > Verdict.SkippedBudget) expect.fail(`${ctx}: verdict ${v}`);
          stats.verdicts[v]!++;
          if (verifier.code[k] !== 0 && !named(verifier.code[k]!)) expect.fail(`${ctx}: unnamed code ${verifier.code[k]}`);
        }
      }
      // Sign into a range of random size inside guard bytes.
      const kind = SUITES[Math.floor(r() * SUITES.length)]!;
      signer.profile = profile;
      const cap = Math.min(2048, r() < 0.2 ? Math.floor(r() * (input.length + 40)) : input.length + 64);
      out.fill(0xa5);
      const m = signer.sign(input, 0, input.length, out, GUARD, GUARD + cap, kind, 0);
      for (let i = 0; i < GUARD; i++) if (out[i] !== 0xa5) expect.fail(`${ctx}: guard before output written`);
      for (let i = GUARD + cap; i < out.length; i++) if (out[i] !== 0xa5) expect.fail(`${ctx}: octet ${i - GUARD} past the end written`);
      if (m < 0) {
        if (!named(m)) expect.fail(`${ctx}: sign returned unnamed code ${m}`);
        if (m === -5) stats.noRoom++;
        continue;
      }
      stats.signed++;
      if (m > cap || m <= input.length) expect.fail(`${ctx}: sign wrote ${m} octets into ${cap}`);
      check.profile = profile;
      const c = check.verifyAll(out, GUARD, GUARD + m);
      if (c < 1 || check.verdict[0] !== Verdict.Ok) {
        expect.fail(`${ctx}: signed output does not verify (${c < 0 ? errorName(c) : check.verdict[0]})`);
      }
    }
    // The fuzzer reached every interesting place.
    expect(stats.parsed).toBeGreaterThan(ITERATIONS / 10);
    expect(stats.signed).toBeGreaterThan(ITERATIONS / 10);
    expect(stats.noRoom).toBeGreaterThan(100);
    for (const v of [Verdict.Ok, Verdict.Mismatch, Verdict.UnknownSuite, Verdict.Malformed, Verdict.SkippedBudget]) {
      expect(stats.verdicts[v], `verdict ${v} reached`).toBeGreaterThan(0);
    }
  }, 120_000);
});
