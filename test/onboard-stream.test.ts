/**
 * Streaming on-board verification (src/onboard/streamVerifier.ts, the end of
 * src/onboard/pibPath.ts) against the whole-buffer call of the same path: the bundle
 * pushed in pieces, cut every possible way for the worked examples and at random for
 * their mutations and for large bundles (payloads of 3,000 to 70,000 octets, blocks
 * before and after the payload, up to three PIBs, keyed PIB-HMAC with a rollover
 * pending, a budget over a sequence of calls), must give exactly what `verifyAll` gives
 * for the same octets: the return, the count, every verdict, kind and code, allOk,
 * budget and bytes, and the key tables' state. The fixed limits are named errors
 * (HeaderTooLarge, TrailerTooLarge, TooManyDigests), final for the bundle and gone
 * at the next one. The comparison is shown to find a difference when there is one.
 */
import { describe, expect, it } from "vitest";
import { errorName } from "../src/core/errorText.js";
import { Err } from "../src/core/errors.js";
import { SuiteKind } from "../src/core/suites.js";
import { Verdict } from "../src/core/verdict.js";
import { U64 } from "../src/core/sdnv.js";
import { Bundle } from "../src/ground/bundle.js";
import { BundleWriter, PrimarySpec, writeBlock } from "../src/ground/bundleWriter.js";
import { KeyTable } from "../src/ground/keys.js";
import { Signer } from "../src/ground/pib.js";
import { Verifier as LeanVerifier } from "../src/onboard/index.js";
import { StreamVerifier } from "../src/onboard/streamVerifier.js";
import { diffKeys, mutate, MUTATIONS } from "./onboardHelpers.js";
import { EX1_CRC, EX1_HMAC, EX1_MD5, EX1_UNSIGNED, EX2, hex } from "./support/pibVectors.js";
import { rng } from "./support/rng.js";

const SEED = Number(process.env["PIBKIT_FUZZ_SEED"] ?? 0x57e4a) >>> 0;
/**
 * The window of the exact comparisons: at least the whole bundle, so no fixed limit is
 * ever met whatever a mutation did to the block lengths (a roomy window is no shortcut:
 * streaming starts at the payload's length field whatever the window's size). The
 * limits have their own tests, and mutations also run in a small window.
 */
const WINDOW = 1024;
const LANES = 8;
const K1 = hex("0102030405060708090a0b0c0d0e0f1011121314");
const K2 = hex("a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4");

type Whole = LeanVerifier;

/** Pushes b in pieces of the given sizes (the last piece takes the rest); returns end()'s result and the first failing push. */
function streamed(s: StreamVerifier, b: Uint8Array, sizes: number[]): { r: number; push: number } {
  s.begin();
  let push = 0;
  let off = 0;
  for (let i = 0; off < b.length; i++) {
    const n = Math.min(i < sizes.length ? sizes[i]! : b.length, b.length - off);
    const p = s.push(b, off, n);
    if (p !== 0 && push === 0) push = p;
    if (push !== 0 && p !== push) throw new Error(`push returned ${p} after ${push}`);
    off += n;
  }
  return { r: s.end(), push };
}

/** Piece sizes cutting a bundle of `len` octets at random: single octets, small and large pieces mixed. */
function randomCuts(len: number, r: () => number): number[] {
  const out: number[] = [];
  for (let left = len; left > 0; ) {
    const kind = r();
    const n = Math.max(1, Math.min(left, kind < 0.3 ? 1 : kind < 0.7 ? 1 + Math.floor(r() * 16) : 1 + Math.floor(r() * len)));
    out.push(n);
    left -= n;
  }
  return out;
}

const name = (n: number): string => (n < 0 ? `${errorName(n)} (${n})` : String(n));

/** null when the streamed result and the verifier's tables equal the whole-buffer call's, else what differs. */
function compare(whole: Whole, rw: number, s: StreamVerifier, rs: number): string | null {
  if (rs !== rw) return `end() returned ${name(rs)}, verifyAll ${name(rw)}`;
  if (s.count !== whole.count) return `count ${s.count}, whole ${whole.count}`;
  for (let i = 0; i < whole.count; i++) {
    if (s.verdict[i] !== whole.verdict[i]) return `PIB ${i}: verdict ${s.verdict[i]}, whole ${whole.verdict[i]}`;
    if (s.kind[i] !== whole.kind[i]) return `PIB ${i}: kind ${s.kind[i]}, whole ${whole.kind[i]}`;
    if (s.code[i] !== whole.code[i]) return `PIB ${i}: code ${s.code[i]}, whole ${whole.code[i]}`;
  }
  if (s.allOk() !== whole.allOk()) return `allOk ${s.allOk()}, whole ${whole.allOk()}`;
  if (!Object.is(s.budget, whole.budget)) return `budget ${s.budget}, whole ${whole.budget}`;
  if (!Object.is(s.bytes, whole.bytes)) return `bytes ${s.bytes}, whole ${whole.bytes}`;
  return null;
}

/** One bundle both ways (fresh tables for both): null or the difference. */
function diffStream(b: Uint8Array, sizes: number[], caps: [number, number, number] = [16, 16, 8], window = Math.max(WINDOW, b.length)): string | null {
  const whole = new LeanVerifier(caps[0], caps[1], caps[2]);
  const s = new StreamVerifier(caps[0], caps[1], caps[2], window, LANES);
  const rw = whole.verifyAll(b, 0, b.length);
  const got = streamed(s, b, sizes);
  if (got.push !== 0 && got.push !== got.r) return `push failed with ${name(got.push)}, end() gave ${name(got.r)}`;
  return compare(whole, rw, s, got.r);
}

/** Ground-signed copy of `input` with one more PIB of `kind` (NULL key, or keys' key id). */
function sign(input: Uint8Array, kind: number, keys: KeyTable | null = null, keyId = 0): Uint8Array {
  const s = new Signer(16, 16);
  s.keys = keys;
  const out = new Uint8Array(input.length + 64);
  const n = s.sign(input, 0, input.length, out, 0, out.length, kind, keyId);
  if (n < 0) throw new Error(`ground sign: ${errorName(n)}`);
  return out.slice(0, n);
}

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A bundle with extension blocks before and after a payload of `size` seeded octets (the last block after it). */
function large(size: number, seed: number, before = 1, after = 1): Uint8Array {
  const r = rng(seed);
  const spec = new PrimarySpec();
  spec.flags = 0x10;
  spec.dest = ascii("dtn://ground/archive");
  spec.source = ascii("dtn://sat-1/imager");
  spec.reportTo = ascii("dtn:none");
  spec.custodian = ascii("dtn:none");
  spec.ctime = new U64();
  spec.ctime.lo = 0x2d0f1234;
  spec.lifetime = new U64();
  spec.lifetime.lo = 86400;
  const out = new Uint8Array(size + 512);
  let p = new BundleWriter().writePrimary(out, 0, out.length, spec);
  const ext = Uint8Array.from({ length: 9 }, () => Math.floor(r() * 256));
  for (let i = 0; i < before; i++) p = writeBlock(out, p, out.length, 0x10 + i, 0x01, false, ext, 0, ext.length);
  const payload = Uint8Array.from({ length: size }, () => Math.floor(r() * 256));
  p = writeBlock(out, p, out.length, 1, 0, after === 0, payload, 0, size);
  for (let i = 0; i < after; i++) p = writeBlock(out, p, out.length, 0x20 + i, 0x10, i === after - 1, ext, 0, ext.length);
  if (p < 0) throw new Error(`writer: ${errorName(p)}`);
  return out.slice(0, p);
}

/** The first block after the primary (the outermost PIB of a ground-signed bundle) moved to just after the payload. */
function pibAfterPayload(b: Uint8Array): Uint8Array {
  const parsed = new Bundle(16, 16);
  if (parsed.parse(b, 0, b.length) !== 0) throw new Error("pibAfterPayload: input does not parse");
  const ends = (i: number): number => (i + 1 < parsed.blockCount ? parsed.blockStart[i + 1]! : b.length);
  const pay = parsed.payloadIndex;
  const pib = b.subarray(parsed.blockStart[0]!, ends(0));
  return Uint8Array.from([...b.subarray(0, parsed.blockStart[0]!), ...b.subarray(ends(0), ends(pay)), ...pib, ...b.subarray(ends(pay))]);
}

const WORKED: Array<[string, string]> = [
  ["§5.3 PIB-INSECURE-CRC32", EX1_CRC],
  ["§5.3 PIB-INSECURE-MD5", EX1_MD5],
  ["§5.3 PIB-HMAC (NULL key)", EX1_HMAC],
  ["§4.6 fragment", EX2],
  ["§2.7 without a PIB", EX1_UNSIGNED],
];

describe("the comparison finds a difference when there is one", () => {
  it("a payload octet changed between the two calls, a budget set on one side only", () => {
    const b = hex(EX1_CRC);
    const whole = new LeanVerifier(8, 8, 4);
    const rw = whole.verifyAll(b, 0, b.length);
    const s = new StreamVerifier(8, 8, 4, WINDOW, LANES);
    const c = b.slice();
    c[c.length - 2]! ^= 4;
    expect(compare(whole, rw, s, streamed(s, c, [7]).r)).toMatch(/verdict 1, whole 0/);
    s.budget = 10;
    expect(compare(whole, whole.verifyAll(b, 0, b.length), s, streamed(s, b, [7]).r)).toMatch(/verdict 6, whole 0/);
  });
});

describe("worked examples cut every way: the same as verifyAll", () => {
  for (const [label, h] of WORKED) {
    it(`${label}: every piece size, and every single cut point`, () => {
      const b = hex(h);
      for (let n = 1; n <= b.length; n++) expect(diffStream(b, Array(b.length).fill(n)), `pieces of ${n}`).toBeNull();
      for (let at = 1; at < b.length; at++) expect(diffStream(b, [at]), `cut at ${at}`).toBeNull();
    });
  }
  it("three PIBs before the payload, nearest the primary first: all Ok, then all Mismatch after one payload octet flips", () => {
    const thrice = sign(sign(sign(hex(EX1_UNSIGNED), SuiteKind.Crc32), SuiteKind.Md5), SuiteKind.Hmac);
    for (let n = 1; n <= thrice.length; n++) expect(diffStream(thrice, Array(thrice.length).fill(n)), `pieces of ${n}`).toBeNull();
    const s = new StreamVerifier(8, 8, 4, WINDOW, LANES);
    expect(streamed(s, thrice, [5]).r).toBe(3);
    expect(Array.from(s.verdict.subarray(0, 3))).toEqual([Verdict.Ok, Verdict.Ok, Verdict.Ok]);
    thrice[thrice.length - 3]! ^= 0x10;
    expect(streamed(s, thrice, [5]).r).toBe(3);
    expect(Array.from(s.verdict.subarray(0, 3))).toEqual([Verdict.Mismatch, Verdict.Mismatch, Verdict.Mismatch]);
    expect(diffStream(thrice, [1, 2, 3, 50])).toBeNull();
  });
});

describe("large bundles: blocks before and after the payload, random cuts", () => {
  it("payloads of 3,000 to 70,000 octets, up to three PIBs (one of them after the payload): the same as verifyAll, and Ok", () => {
    const r = rng(SEED);
    for (const [size, before, after] of [[3000, 0, 0], [3000, 2, 1], [17_000, 1, 2], [70_000, 1, 1]] as const) {
      const plain = large(size, SEED + size, before, after);
      const signed = sign(sign(sign(plain, SuiteKind.Crc32), SuiteKind.Hmac), SuiteKind.Md5);
      for (let k = 0; k < 6; k++) expect(diffStream(signed, randomCuts(signed.length, r)), `${size} octets, cuts ${k}`).toBeNull();
      const s = new StreamVerifier(16, 16, 8, 256, 4);
      expect(streamed(s, signed, randomCuts(signed.length, r)).r).toBe(3);
      expect(s.allOk()).toBe(true);
      // the outermost PIB moved after the payload: its canonical form then leaves the
      // payload out, and the inner PIBs' forms now take it in, so none matches; it is
      // checked from the window alone, as verifyAll does
      const tail = pibAfterPayload(signed);
      expect(diffStream(tail, randomCuts(tail.length, r))).toBeNull();
      // (with no block after the payload, the payload is the last block and the moved PIB breaks the bundle: DataAfterLastBlock)
      expect(streamed(s, tail, randomCuts(tail.length, r)).r).toBe(after ? 3 : -Err.DataAfterLastBlock);
      if (after) expect(Array.from(s.verdict.subarray(0, 3))).toEqual([Verdict.Mismatch, Verdict.Mismatch, Verdict.Mismatch]);
    }
  });
  it("mutations of the worked examples and of a large bundle, each cut three ways at random (and in a 300-octet window: the same, or a window limit)", () => {
    const r = rng(SEED ^ 0x5a5a);
    const bases = [...WORKED.map((w) => hex(w[1])), sign(sign(large(2000, SEED), SuiteKind.Md5), SuiteKind.Crc32)];
    let cases = 0;
    for (const base of bases) {
      for (let i = 0; i < 150; i++) {
        const kind = i % MUTATIONS.length;
        const b = mutate(base, kind, r);
        for (let k = 0; k < 3; k++) {
          const d = diffStream(b, randomCuts(b.length, r));
          if (d !== null) throw new Error(`${MUTATIONS[kind]} (seed ${SEED}, base ${bases.indexOf(base)}, case ${i}): ${d}`);
          const small = diffStream(b, randomCuts(b.length, r), [16, 16, 8], 300);
          if (small !== null && !/^end\(\) returned (HeaderTooLarge|TrailerTooLarge) /.test(small)) throw new Error(`300-octet window, ${MUTATIONS[kind]} (seed ${SEED}, base ${bases.indexOf(base)}, case ${i}): ${small}`);
          cases++;
        }
      }
    }
    expect(cases).toBe(bases.length * 150 * 3);
  });
  it("small tables: TooManyBlocks, TooManyEidRefs and TooManyPibs come back as verifyAll gives them", () => {
    const b = sign(sign(large(500, SEED, 2, 2), SuiteKind.Crc32), SuiteKind.Md5);
    const r = rng(SEED + 1);
    for (const caps of [[2, 0, 1], [4, 4, 1], [6, 0, 2], [8, 8, 0]] as Array<[number, number, number]>) {
      for (let k = 0; k < 4; k++) expect(diffStream(b, randomCuts(b.length, r), caps), `caps ${caps}`).toBeNull();
    }
  });
});

describe("keyed PIB-HMAC with a rollover pending: every candidate gets a lane", () => {
  function table(): KeyTable {
    const t = new KeyTable(4, 8);
    expect(t.install(7, K1, 0, 20)).toBe(0);
    return t;
  }
  it("old and new key tried, the same one reported verified, the tables equal afterwards", () => {
    const sender = table();
    const plain = large(4000, SEED + 7);
    const old = sign(plain, SuiteKind.Hmac, sender, 7);
    expect(sender.rollover(7, K2, 0, 20)).toBe(0);
    const fresh = sign(sign(plain, SuiteKind.Hmac, sender, 7), SuiteKind.Crc32);
    const r = rng(SEED + 8);
    for (const b of [old, fresh, old]) {
      const tw = table();
      const ts = table();
      expect(tw.rollover(7, K2, 0, 20)).toBe(0);
      expect(ts.rollover(7, K2, 0, 20)).toBe(0);
      const whole = new LeanVerifier(8, 8, 4);
      whole.keys = tw;
      const s = new StreamVerifier(8, 8, 4, WINDOW, 3);
      s.keys = ts;
      const rw = whole.verifyAll(b, 0, b.length);
      expect(compare(whole, rw, s, streamed(s, b, randomCuts(b.length, r)).r)).toBeNull();
      expect(whole.allOk()).toBe(true);
      expect(diffKeys(tw, ts, [7])).toBeNull();
    }
  });
});

describe("two keyed PIBs: the first completes the rollover the second's lanes began under", () => {
  it("both Ok as in verifyAll (the second's lanes are compared as they began: old key, then new)", () => {
    const sender = new KeyTable(4, 8);
    expect(sender.install(7, K1, 0, 20)).toBe(0);
    expect(sender.rollover(7, K2, 0, 20)).toBe(0);
    const b = sign(sign(large(700, SEED + 11), SuiteKind.Hmac, sender, 7), SuiteKind.Hmac, sender, 7);
    const r = rng(SEED + 12);
    for (let k = 0; k < 8; k++) {
      const tw = new KeyTable(4, 8);
      const ts = new KeyTable(4, 8);
      for (const t of [tw, ts]) {
        expect(t.install(7, K1, 0, 20)).toBe(0);
        expect(t.rollover(7, K2, 0, 20)).toBe(0);
      }
      const whole = new LeanVerifier(8, 8, 4);
      whole.keys = tw;
      const s = new StreamVerifier(8, 8, 4, WINDOW, 4);
      s.keys = ts;
      const rw = whole.verifyAll(b, 0, b.length);
      expect(rw).toBe(2);
      expect(whole.allOk()).toBe(true);
      expect(compare(whole, rw, s, streamed(s, b, randomCuts(b.length, r)).r)).toBeNull();
      expect(diffKeys(tw, ts, [7])).toBeNull();
      expect(tw.count(7)).toBe(1);
    }
  });
});

describe("budget and bytes over a sequence of bundles", () => {
  it("equal after every call, through skips and a reset budget", () => {
    const r = rng(SEED + 9);
    const bundles = [hex(EX1_CRC), sign(large(3000, SEED), SuiteKind.Md5), hex(EX2), sign(sign(large(900, SEED + 1), SuiteKind.Crc32), SuiteKind.Hmac)];
    const whole = new LeanVerifier(8, 8, 4);
    const s = new StreamVerifier(8, 8, 4, WINDOW, LANES);
    whole.budget = s.budget = 4000;
    for (let i = 0; i < 12; i++) {
      if (i === 7) whole.budget = s.budget = 1500;
      const b = bundles[i % bundles.length]!;
      const rw = whole.verifyAll(b, 0, b.length);
      expect(compare(whole, rw, s, streamed(s, b, randomCuts(b.length, r)).r), `call ${i}`).toBeNull();
    }
    expect(s.bytes).toBeGreaterThan(0);
  });
});

describe("fixed limits are named errors, final for the bundle, gone at the next one", () => {
  const b = sign(sign(large(3000, SEED, 2, 2), SuiteKind.Crc32), SuiteKind.Md5);
  // octets before the payload's data and after it
  const head = b.length - 3000 - 2 * 11;
  it("a window smaller than the blocks before the payload: HeaderTooLarge, from that push on", () => {
    const s = new StreamVerifier(16, 16, 8, head - 20, LANES);
    const got = streamed(s, b, [10, 10, 10, 100]);
    expect([got.push, got.r]).toEqual([-Err.HeaderTooLarge, -Err.HeaderTooLarge]);
    expect(s.count).toBe(0);
  });
  it("a window that holds the blocks before the payload but not those after it too: TrailerTooLarge", () => {
    const s = new StreamVerifier(16, 16, 8, head + 2, LANES);
    const got = streamed(s, b, [64]);
    expect([got.push, got.r]).toEqual([-Err.TrailerTooLarge, -Err.TrailerTooLarge]);
    // the next bundle, smaller, goes through
    const small = hex(EX1_CRC);
    expect(streamed(s, small, [3]).r).toBe(1);
    expect(s.allOk()).toBe(true);
  });
  it("more payload digests than lanes: TooManyDigests; one lane per PIB suffices", () => {
    const one = new StreamVerifier(16, 16, 8, WINDOW, 1);
    expect(streamed(one, b, [100]).r).toBe(-Err.TooManyDigests);
    const two = new StreamVerifier(16, 16, 8, WINDOW, 2);
    expect(streamed(two, b, [100]).r).toBe(2);
    expect(two.allOk()).toBe(true);
  });
  it("a payload cut short: BlockPastEnd, as verifyAll gives for the same octets", () => {
    const cut = b.slice(0, b.length - 1000);
    expect(diffStream(cut, [50, 700])).toBeNull();
    const s = new StreamVerifier(16, 16, 8, WINDOW, LANES);
    expect(streamed(s, cut, [50, 700]).r).toBe(-Err.BlockPastEnd);
  });
});
