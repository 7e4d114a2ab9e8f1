/**
 * In-place signing on board (StreamVerifier.seal, the end of src/onboard/pibPath.ts): a
 * bundle stored with its PIB's result octets reserved (zero here), pushed once in
 * random pieces, then sealed by writing seal()'s result over those octets, must be
 * octet for octet what the on-board and the ground Signer write for the same bundle in
 * one call, and the ground Verifier must find it Ok. Every suite (PIB-HMAC with the NULL
 * key and with a keyed table during a rollover, MD5, CRC-32C), payloads from 0 octets
 * to 70,000. The stored bundle is also what a writer makes from the PIB layout of
 * docs/onboard.md with no payload at hand. A PIB that did not stream (the bundle fitted the window whole, a PIB
 * after the payload, no such PIB, a failed bundle) gives NoPib.
 */
import { describe, expect, it } from "vitest";
import { errorName } from "../src/core/errorText.js";
import { Err } from "../src/core/errors.js";
import { SuiteKind } from "../src/core/suites.js";
import { Verdict } from "../src/core/verdict.js";
import { sdnvLength, U64, writeSdnv } from "../src/core/sdnv.js";
import { BundleWriter, PrimarySpec, writeBlock } from "../src/ground/bundleWriter.js";
import { KeyTable } from "../src/ground/keys.js";
import { Signer as GroundSigner, Verifier as GroundVerifier } from "../src/ground/pib.js";
import { Signer } from "../src/onboard/index.js";
import { StreamVerifier } from "../src/onboard/streamVerifier.js";
import { rng } from "./support/rng.js";

const SEED = Number(process.env["PIBKIT_FUZZ_SEED"] ?? 0x5ea1) >>> 0;
const K1 = Uint8Array.from({ length: 20 }, (_, i) => i + 1);
const K2 = Uint8Array.from({ length: 20 }, (_, i) => 0xa1 + i);
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A bundle with `before` and `after` extension blocks around a payload of `size` seeded octets. */
function plain(size: number, seed: number, before: number, after: number): Uint8Array {
  const r = rng(seed);
  const spec = new PrimarySpec();
  spec.flags = 0x10;
  spec.dest = ascii("dtn://ground/archive");
  spec.source = ascii("dtn://sat-1/imager");
  spec.reportTo = ascii("dtn:none");
  spec.custodian = ascii("dtn:none");
  spec.ctime = new U64();
  spec.ctime.lo = 0x2d0f1234 + seed;
  spec.lifetime = new U64();
  spec.lifetime.lo = 86400;
  const out = new Uint8Array(size + 512);
  let p = new BundleWriter().writePrimary(out, 0, out.length, spec);
  const ext = Uint8Array.from({ length: 7 }, () => Math.floor(r() * 256));
  for (let i = 0; i < before; i++) p = writeBlock(out, p, out.length, 0x10 + i, 0x01, false, ext, 0, ext.length);
  const payload = Uint8Array.from({ length: size }, () => Math.floor(r() * 256));
  p = writeBlock(out, p, out.length, 1, 0, after === 0, payload, 0, size);
  for (let i = 0; i < after; i++) p = writeBlock(out, p, out.length, 0x20 + i, 0x10, i === after - 1, ext, 0, ext.length);
  if (p < 0) throw new Error(`writer: ${errorName(p)}`);
  return out.slice(0, p);
}

/**
 * Pushes b in pieces of random sizes (single octets, small and large mixed), one of
 * them ending at `cut` when given; end()'s result. A bundle streams when a piece ends
 * inside its payload data or after it before the last block is whole: the forced cut
 * at a random octet from the payload's data on makes it stream however the rest is cut.
 */
function stream(s: StreamVerifier, b: Uint8Array, r: () => number, cut = -1): number {
  s.begin();
  for (let off = 0; off < b.length; ) {
    const c = r();
    let n = Math.max(1, Math.min(b.length - off, c < 0.3 ? 1 : c < 0.7 ? 1 + Math.floor(r() * 16) : 1 + Math.floor(r() * b.length)));
    if (off < cut && off + n > cut) n = cut - off;
    expect(s.push(b, off, n)).toBe(0);
    off += n;
  }
  return s.end();
}

/** A random cut from the payload's data on, before the last octet (-1: none, an empty payload as the last block). */
function payloadCut(b: Uint8Array, r: () => number): number {
  const v = new GroundVerifier(16, 16, 4);
  v.verifyAll(b, 0, b.length);
  const at = v.bundle.blockDataOff[v.bundle.payloadIndex]!;
  return at < b.length ? at + Math.floor(r() * (b.length - at)) : -1;
}

function keyTable(rollover: boolean): KeyTable {
  const t = new KeyTable(4, 8);
  expect(t.install(7, K1, 0, 20)).toBe(0);
  if (rollover) expect(t.rollover(7, K2, 0, 20)).toBe(0);
  return t;
}

const SUITES: Array<[string, number, number]> = [
  ["PIB-HMAC, NULL key", SuiteKind.Hmac, 0],
  ["PIB-HMAC, key id 7 during a rollover", SuiteKind.Hmac, 7],
  ["PIB-INSECURE-MD5", SuiteKind.Md5, 0],
  ["PIB-INSECURE-CRC32", SuiteKind.Crc32, 0],
];
const SIZES = [0, 1, 2, 15, 63, 64, 65, 127, 128, 300, 1000, 4095, 16384, 70000];

/** Signs `input` (on board, checked against the ground Signer): the signed octets and where PIB 0's result lies. */
function signBoth(input: Uint8Array, kind: number, keyId: number, keys: KeyTable | null): { signed: Uint8Array; at: number; size: number } {
  const s = new Signer(16, 16);
  s.keys = keys;
  const out = new Uint8Array(input.length + 64);
  const n = s.sign(input, 0, input.length, out, 0, out.length, kind, keyId);
  if (n < 0) throw new Error(`sign: ${errorName(n)}`);
  const g = new GroundSigner(16, 16);
  g.keys = keys;
  const gout = new Uint8Array(input.length + 64);
  expect(g.sign(input, 0, input.length, gout, 0, gout.length, kind, keyId)).toBe(n);
  expect(Buffer.compare(gout.subarray(0, n), out.subarray(0, n))).toBe(0);
  const v = new GroundVerifier(16, 16, 4);
  // (a table of its own: a verification completes the rollover, the signer's must stay pending)
  v.keys = keys ? keyTable(true) : null;
  expect(v.verifyAll(out, 0, n)).toBeGreaterThan(0);
  expect(v.verdict[0]).toBe(Verdict.Ok);
  const size = kind === SuiteKind.Hmac ? 10 : kind === SuiteKind.Md5 ? 16 : 4;
  return { signed: out.slice(0, n), at: v.resultOff[0]!, size };
}

/**
 * The PIB a writer stores before the payload, its result reserved (zero), from the layout
 * docs/onboard.md gives: 03 01 len | cs-id 05 | params-len [03 n key-id] 04 n 0
 * payload-length | result-len 05 size result. Written from the suite, the key id and
 * the payload length alone, with no payload at hand.
 */
function skeletonPib(kind: number, keyId: number, payloadLength: number): number[] {
  const size = kind === SuiteKind.Hmac ? 10 : kind === SuiteKind.Md5 ? 16 : 4;
  const enc = (x: number): number[] => {
    const b = new Uint8Array(sdnvLength(x));
    writeSdnv(b, 0, b.length, x);
    return [...b];
  };
  const item = (type: number, value: number[]): number[] => [type, ...enc(value.length), ...value];
  const params = [...(kind === SuiteKind.Hmac ? item(3, enc(keyId)) : []), ...item(4, [...enc(0), ...enc(payloadLength)])];
  const csId = kind === SuiteKind.Hmac ? 4 : kind === SuiteKind.Md5 ? 5 : 6;
  const body = [...enc(csId), 0x05, ...enc(params.length), ...params, ...enc(size + 2), ...item(5, new Array<number>(size).fill(0))];
  return [0x03, 0x01, ...enc(body.length), ...body];
}

describe("a stored bundle with its result reserved, streamed once and sealed in place", () => {
  for (const [label, kind, keyId] of SUITES) {
    it(`${label}: the signer's octets, Ok on the ground, at every payload size`, () => {
      const r = rng(SEED + kind * 16 + keyId);
      let n = 0;
      for (const size of SIZES) {
        for (let rep = 0; rep < 3; rep++) {
          // a fresh table each time, its rollover pending (the stream's Ok below completes it)
          const keys = keyId ? keyTable(true) : null;
          const input = plain(size, SEED + size + rep, rep % 2, (rep + 1) % 3);
          // an inner PIB already sealed (rep 2): the new one covers it, result included
          const base = rep === 2 ? signBoth(input, SuiteKind.Crc32, 0, null).signed : input;
          const { signed, at, size: rs } = signBoth(base, kind, keyId, keys);
          const stored = signed.slice();
          stored.fill(0, at, at + rs);
          // what the writer stores: the PIB from the layout, right after the primary
          const gb = new GroundVerifier(16, 16, 4);
          expect(gb.verifyAll(base, 0, base.length)).toBeGreaterThanOrEqual(0);
          const pe = gb.bundle.primaryEnd;
          const written = Uint8Array.from([...base.subarray(0, pe), ...skeletonPib(kind, keyId, size), ...base.subarray(pe)]);
          expect(Buffer.compare(written, stored)).toBe(0);
          const s = new StreamVerifier(8, 8, 4, 256, 4);
          s.keys = keys;
          const cut = payloadCut(stored, r);
          const count = stream(s, stored, r, cut);
          expect(count).toBe(rep === 2 ? 2 : 1);
          expect(s.verdict[0]).toBe(Verdict.Mismatch);
          if (cut < 0) {
            // nothing can stream: the bundle was whole when its payload was
            expect(s.seal(0, stored, at)).toBe(-Err.NoPib);
            continue;
          }
          expect(s.seal(0, stored, at)).toBe(rs);
          expect(Buffer.compare(stored, signed)).toBe(0);
          const g = new GroundVerifier(16, 16, 4);
          g.keys = keyId ? keyTable(true) : null;
          expect(g.verifyAll(stored, 0, stored.length)).toBe(count);
          expect(g.allOk()).toBe(true);
          // the octets reserved needed not be zero: sealing the signed bundle again writes the same result
          expect(stream(s, signed, r, payloadCut(signed, r))).toBe(count);
          expect(s.allOk()).toBe(true);
          const again = new Uint8Array(24);
          expect(s.seal(0, again, 3)).toBe(rs);
          expect(Buffer.compare(again.subarray(3, 3 + rs), signed.subarray(at, at + rs))).toBe(0);
          n++;
        }
      }
      expect(n).toBe(SIZES.length * 3 - 1);
    });
  }

  it("a wrong seal shows: a flipped payload octet streamed gives another result", () => {
    const { signed, at, size } = signBoth(plain(500, SEED, 1, 1), SuiteKind.Crc32, 0, null);
    const stored = signed.slice();
    stored[stored.length - 40]! ^= 1;
    const s = new StreamVerifier(8, 8, 4, 256, 4);
    stream(s, stored, rng(SEED), 200);
    expect(s.seal(0, stored, at)).toBe(size);
    expect(Buffer.compare(stored.subarray(at, at + size), signed.subarray(at, at + size))).not.toBe(0);
  });
});

describe("a PIB that did not stream gives NoPib", () => {
  const { signed } = signBoth(plain(600, SEED + 1, 1, 1), SuiteKind.Md5, 0, null);
  const out = new Uint8Array(16).fill(0xee);
  const untouched = (): void => expect(out.every((x) => x === 0xee)).toBe(true);

  it("the bundle fitted the window whole (one piece): nothing streamed, even after a streamed one", () => {
    const s = new StreamVerifier(8, 8, 4, 1024, 4);
    expect(stream(s, signed, rng(SEED), 200)).toBe(1);
    expect(s.seal(0, out, 0)).toBe(16);
    out.fill(0xee);
    s.begin();
    expect(s.push(signed, 0, signed.length)).toBe(0);
    expect(s.end()).toBe(1);
    expect(s.seal(0, out, 0)).toBe(-Err.NoPib);
    untouched();
  });

  it("no PIB k, a PIB after the payload, a bundle cut short", () => {
    const s = new StreamVerifier(8, 8, 4, 256, 4);
    expect(stream(s, signed, rng(SEED), 200)).toBe(1);
    expect(s.seal(1, out, 0)).toBe(-Err.NoPib);
    expect(s.seal(4, out, 0)).toBe(-Err.NoPib);
    untouched();
    // the PIB moved after the payload (still parses, checked without lanes)
    const unsigned = plain(600, SEED + 1, 1, 1);
    const after = new Uint8Array(signed.length);
    const pibLen = signed.length - unsigned.length;
    const v = new GroundVerifier(16, 16, 4);
    expect(v.verifyAll(signed, 0, signed.length)).toBe(1);
    const pibAt = v.bundle.blockStart[0]!;
    const lastAt = unsigned.length - 10;
    // (the last block, 7 octets of data, 3 of header: the PIB goes just before it)
    after.set(signed.subarray(0, pibAt), 0);
    after.set(signed.subarray(pibAt + pibLen, pibAt + pibLen + lastAt - pibAt), pibAt);
    after.set(signed.subarray(pibAt, pibAt + pibLen), lastAt);
    after.set(signed.subarray(pibAt + pibLen + lastAt - pibAt), lastAt + pibLen);
    expect(stream(s, after, rng(SEED), 200)).toBe(1);
    expect(s.verdict[0]).toBe(Verdict.Mismatch);
    expect(s.seal(0, out, 0)).toBe(-Err.NoPib);
    untouched();
    // cut short: end fails, nothing to seal
    s.begin();
    expect(s.push(signed, 0, signed.length - 100)).toBe(0);
    expect(s.end()).toBeLessThan(0);
    expect(s.seal(0, out, 0)).toBe(-Err.NoPib);
    untouched();
  });
});

/**
 * Pass 1 of two-pass signing: `begin(kind, keyId)`, the unsigned input pushed in random
 * pieces, `end()` (the signed length). Pass 2: the input again in other random pieces
 * through `copy`, each written after the last; the octets written.
 */
function signTwoPass(s: StreamVerifier, input: Uint8Array, kind: number, keyId: number, r: () => number): { n: number; out: Uint8Array } {
  const piece = (left: number): number => {
    const c = r();
    return Math.max(1, Math.min(left, c < 0.3 ? 1 : c < 0.7 ? 1 + Math.floor(r() * 16) : 1 + Math.floor(r() * input.length)));
  };
  s.begin(kind, keyId);
  for (let off = 0; off < input.length; ) {
    const k = piece(input.length - off);
    expect(s.push(input, off, k)).toBe(0);
    off += k;
  }
  const n = s.end();
  const out = new Uint8Array(input.length + 64).fill(0xee);
  let o = 0;
  if (n < 0) return { n, out };
  for (let off = 0; off < input.length; ) {
    const k = piece(input.length - off);
    o = s.copy(input, off, k, out, o);
    off += k;
  }
  expect(o).toBe(n);
  expect(out.subarray(o).every((x) => x === 0xee)).toBe(true);
  return { n, out: out.slice(0, o) };
}

describe("two-pass signing on board: the input digested in pieces, then copied in pieces with the PIB put in", () => {
  for (const [label, kind, keyId] of SUITES) {
    it(`${label}: the signers' octets at every payload size, however both passes are cut`, () => {
      const r = rng(SEED + 0x2a + kind * 16 + keyId);
      let n = 0;
      for (const size of SIZES) {
        for (let rep = 0; rep < 3; rep++) {
          const keys = keyId ? keyTable(true) : null;
          const input0 = plain(size, SEED + 7 * size + rep, rep % 2, (rep + 1) % 3);
          // an inner PIB already there (rep 2): the new one goes before it and covers it
          const input = rep === 2 ? signBoth(input0, SuiteKind.Crc32, 0, null).signed : input0;
          const { signed } = signBoth(input, kind, keyId, keys);
          // windows: the input's blocks before the payload barely fit with the PIB, or all of it
          for (const window of [256, input.length + 64]) {
            const s = new StreamVerifier(8, 8, 4, window, 4);
            s.keys = keys;
            const got = signTwoPass(s, input, kind, keyId, r);
            expect(got.n).toBe(signed.length);
            expect(Buffer.compare(got.out, signed)).toBe(0);
            // the tables are the output's, its new PIB 0 as it was before its result was written
            expect(s.count).toBe(rep === 2 ? 2 : 1);
            if (rep === 2) expect(s.verdict[1]).toBe(Verdict.Ok);
            n++;
          }
        }
      }
      expect(n).toBe(SIZES.length * 3 * 2);
    });
  }

  it("the same object verifies, signs and verifies again; sign-mode errors are Signer.sign's", () => {
    const r = rng(SEED + 3);
    const input = plain(3000, SEED + 3, 1, 1);
    const { signed } = signBoth(input, SuiteKind.Md5, 0, null);
    const s = new StreamVerifier(8, 8, 4, 256, 2);
    expect(stream(s, signed, r, 150)).toBe(1);
    expect(s.allOk()).toBe(true);
    expect(Buffer.compare(signTwoPass(s, input, SuiteKind.Md5, 0, r).out, signed)).toBe(0);
    expect(stream(s, signed, r, 150)).toBe(1);
    expect(s.allOk()).toBe(true);
    // an unknown suite, a key id without a key: at the payload's start, as a final error
    s.begin(9, 0);
    expect(s.push(input, 0, input.length)).toBe(-Err.UnknownSuite);
    expect(s.end()).toBe(-Err.UnknownSuite);
    s.begin(SuiteKind.Hmac, 3);
    expect(s.push(input, 0, input.length)).toBe(-Err.UnknownKey);
    expect(s.end()).toBe(-Err.UnknownKey);
    // no payload block: NoPayload at the end
    const noPayload = plain(0, SEED, 1, 0).slice();
    const g = new GroundVerifier(16, 16, 4);
    g.verifyAll(noPayload, 0, noPayload.length);
    const onlyPrimaryAndExt = Uint8Array.from(noPayload.subarray(0, g.bundle.blockStart[g.bundle.payloadIndex]!));
    // (the extension block made the last one)
    onlyPrimaryAndExt[g.bundle.blockStart[0]! + 1]! |= 0x08;
    expect(new GroundSigner(16, 16).sign(onlyPrimaryAndExt, 0, onlyPrimaryAndExt.length, new Uint8Array(200), 0, 200, SuiteKind.Crc32, 0)).toBe(-Err.NoPayload);
    s.begin(SuiteKind.Crc32, 0);
    expect(s.push(onlyPrimaryAndExt, 0, onlyPrimaryAndExt.length)).toBe(0);
    expect(s.end()).toBe(-Err.NoPayload);
    // the blocks before the payload and the PIB do not fit the window together
    const t = new StreamVerifier(8, 8, 4, 100, 2);
    t.begin(SuiteKind.Hmac, 0);
    expect(t.push(input, 0, input.length)).toBe(-Err.HeaderTooLarge);
    expect(t.end()).toBe(-Err.HeaderTooLarge);
  });
});
