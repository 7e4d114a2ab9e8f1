/**
 * The streaming ground PIB path (src/ground/stream.ts) against the whole-buffer one
 * (src/ground/pib.ts): for every way of cutting the same octets into pieces, the same
 * count, verdicts, codes, key candidates and covered ranges, the same error code for a
 * bundle that does not parse, and the same signed octets. Cuts: every single cut and
 * every octet alone for the worked examples, random pieces (1 octet … 64 KiB) for the
 * corpus, larger bundles and the fuzz cases. The window limits give their named codes,
 * and a payload above 2^32 octets streams with exact lengths and ranges.
 */
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Bundle } from "../src/ground/bundle.js";
import { Canonicalizer } from "../src/ground/canon.js";
import { Crc32c } from "../src/core/crc32c.js";
import { Err } from "../src/core/errors.js";
import { KeyTable } from "../src/ground/keys.js";
import { Signer, Verifier } from "../src/ground/pib.js";
import { PROFILE_DTN2, PROFILE_IBR, PROFILE_RFC6257, PROFILE_RFC6257_PACKED, type CanonProfile } from "../src/ground/profiles.js";
import { StreamSigner, StreamVerifier } from "../src/ground/stream.js";
import { SuiteKind } from "../src/core/suites.js";
import { Verdict } from "../src/core/verdict.js";
import { writeSdnv } from "../src/core/sdnv.js";
import { corpusBundles, corpusFile, extraBundles, EX1_CRC, EX1_HMAC, EX1_MD5, EX1_UNSIGNED, EX2, hex, needsCorpus, RecordingDigest } from "./support/pibVectors.js";
import { bigBundle as signedBundle } from "./support/bigBundle.js";
import { rng } from "./support/rng.js";

const PROFILES = [PROFILE_RFC6257, PROFILE_RFC6257_PACKED, PROFILE_DTN2, PROFILE_IBR];
const SUITES = [SuiteKind.Hmac, SuiteKind.Md5, SuiteKind.Crc32];
const WINDOW = 4096;
const KEY = hex("0102030405060708090a0b0c0d0e0f1011121314");

interface Setup {
  profile: CanonProfile;
  keys?: KeyTable;
  budget?: number;
}

/** Cut points → pieces: [0, c0), [c0, c1), …, [cn, length). */
function piecesAt(length: number, cuts: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let at = 0;
  for (const c of [...cuts, length]) {
    if (c > at) out.push([at, c]);
    at = Math.max(at, c);
  }
  return out;
}

function randomCuts(length: number, seed: number, max = 65536): number[] {
  const r = rng(seed);
  const cuts: number[] = [];
  for (let at = 0; at < length; ) {
    // mostly small pieces, some large
    const n = 1 + Math.floor(r() < 0.5 ? r() * 16 : r() * max);
    at += n;
    if (at < length) cuts.push(at);
  }
  return cuts;
}

/** What verifyAll left, as plain data (offsets mapped to the bundle's). */
function verdicts(v: Verifier, r: number, original: (at: number) => number = (x) => x) {
  if (r < 0) return { r };
  const rows = [];
  for (let k = 0; k < v.count; k++) {
    rows.push([
      v.block[k],
      original(v.bundle.blockStart[v.block[k]!]!),
      v.verdict[k],
      v.code[k],
      v.kind[k],
      v.suite[k],
      v.keyId[k],
      v.rangeOff[k],
      v.rangeLen[k],
      v.keyIndex[k],
    ]);
  }
  return { r, rows, bytes: v.bytes, budget: v.budget };
}

function whole(bytes: Uint8Array, s: Setup) {
  const v = new Verifier(32, 32, 8);
  v.profile = s.profile;
  v.keys = s.keys ?? null;
  if (s.budget !== undefined) v.budget = s.budget;
  const r = v.verifyAll(bytes, 0, bytes.length);
  return { ...verdicts(v, r), errAt: r < 0 ? v.bundle.errAt_ : -1 };
}

/** One StreamVerifier / StreamSigner per window size, reused: begin() starts each bundle afresh. */
const verifiers = new Map<number, StreamVerifier>();
const signers = new Map<number, StreamSigner>();

function streamed(bytes: Uint8Array, cuts: number[], s: Setup, window = WINDOW) {
  let v = verifiers.get(window);
  if (v === undefined) verifiers.set(window, (v = new StreamVerifier(32, 32, 8, window, 8)));
  v.bytes = 0;
  v.budget = -1;
  v.profile = s.profile;
  v.keys = s.keys ?? null;
  if (s.budget !== undefined) v.budget = s.budget;
  v.begin();
  for (const [a, b] of piecesAt(bytes.length, cuts)) {
    if (v.push(bytes, a, b - a) < 0) break;
  }
  const r = v.end();
  return { ...verdicts(v, r, (at) => v.original(at)), errAt: r < 0 ? v.errAt : -1 };
}

function signWhole(bytes: Uint8Array, kind: number, keyId: number, s: Setup): Uint8Array | number {
  const g = new Signer(32, 32);
  g.profile = s.profile;
  g.keys = s.keys ?? null;
  const out = new Uint8Array(bytes.length + 128);
  const n = g.sign(bytes, 0, bytes.length, out, 0, out.length, kind, keyId);
  return n < 0 ? n : out.slice(0, n);
}

function signStreamed(bytes: Uint8Array, cuts: number[], kind: number, keyId: number, s: Setup, window = WINDOW): Uint8Array | number {
  let g = signers.get(window);
  if (g === undefined) signers.set(window, (g = new StreamSigner(32, 32, window)));
  g.profile = s.profile;
  g.keys = s.keys ?? null;
  g.begin(kind, keyId);
  for (const [a, b] of piecesAt(bytes.length, cuts)) {
    if (g.push(bytes, a, b - a) < 0) break;
  }
  const n = g.end();
  if (n < 0) return n;
  // pass 2: the header with the PIB, then the input from inputFrom on
  const out = new Uint8Array(n);
  out.set(g.win.subarray(0, g.headLen), 0);
  out.set(bytes.subarray(g.inputFrom), g.headLen);
  expect(g.headLen + bytes.length - g.inputFrom).toBe(n);
  return out;
}

/** Same signed octets (or the same error code); vitest's deep equality is slow on large arrays. */
function expectSigned(got: Uint8Array | number, want: Uint8Array | number, what = ""): void {
  if (typeof want === "number" || typeof got === "number") {
    expect(got, what).toBe(want);
    return;
  }
  expect(got.length, what).toBe(want.length);
  expect(Buffer.compare(got, want), what).toBe(0);
}

function keyTable(): KeyTable {
  const t = new KeyTable(2, 4);
  expect(t.install(7, KEY, 0, KEY.length)).toBe(0);
  return t;
}

/** Bundles for the differential runs: the worked examples, unsigned and signed under every suite and profile. */
function examples(): Array<[string, Uint8Array, Setup]> {
  const out: Array<[string, Uint8Array, Setup]> = [];
  for (const [name, h] of [["ex1-crc", EX1_CRC], ["ex1-md5", EX1_MD5], ["ex1-hmac", EX1_HMAC], ["ex1-unsigned", EX1_UNSIGNED], ["ex2", EX2]] as const) {
    for (const profile of PROFILES) out.push([`${name} ${profile.name}`, hex(h), { profile }]);
  }
  return out;
}

function assertSame(bytes: Uint8Array, cuts: number[], s: Setup, what: string, window = WINDOW) {
  const w = whole(bytes, s);
  const st = streamed(bytes, cuts, s, window);
  expect(st, `${what} cut at ${cuts.join(",")}`).toEqual(w);
}

describe("streamed verify equals verifyAll for every cut of the worked examples", () => {
  for (const [name, bytes, s] of examples()) {
    it(name, () => {
      for (let c = 0; c <= bytes.length; c++) assertSame(bytes, [c], s, name);
      const every = Array.from({ length: bytes.length }, (_, i) => i + 1);
      assertSame(bytes, every, s, name);
      // the streaming path was taken: a cut inside the payload
      const v = new StreamVerifier(32, 32, 8, WINDOW, 4);
      v.profile = s.profile;
      v.begin();
      v.push(bytes, 0, bytes.length - 2);
      expect(v.head.phase).toBe(1);
    });
  }
});

describe("streamed sign equals Signer.sign", () => {
  for (const [name, bytes, s] of examples()) {
    it(name, () => {
      for (const kind of SUITES) {
        const setups: Array<[number, Setup]> = [[0, s]];
        if (kind === SuiteKind.Hmac) setups.push([7, { ...s, keys: keyTable() }]);
        for (const [keyId, setup] of setups) {
          const want = signWhole(bytes, kind, keyId, setup);
          for (let c = 0; c <= bytes.length; c++) {
            const got = signStreamed(bytes, [c], kind, keyId, setup);
            expectSigned(got, want, `suite ${kind} key ${keyId} cut ${c}`);
          }
          expectSigned(signStreamed(bytes, Array.from({ length: bytes.length }, (_, i) => i + 1), kind, keyId, setup), want);
        }
      }
    });
  }
});

/** A bundle with a payload of `n` octets, signed by every suite (three PIBs), optionally with a block after the payload. */
function bigBundle(n: number, seed: number, profile: CanonProfile, trailer: boolean): Uint8Array {
  return signedBundle(n, seed, profile, trailer, [[SuiteKind.Crc32, 0], [SuiteKind.Md5, 0], [SuiteKind.Hmac, 7]], keyTable());
}

describe("larger bundles in random pieces", () => {
  for (const profile of PROFILES) {
    it(`three PIBs, 300 KiB payload, block after it, ${profile.name}`, () => {
      const bytes = bigBundle(300 * 1024, 5, profile, true);
      const s = { profile, keys: keyTable() };
      for (let seed = 1; seed <= 4; seed++) assertSame(bytes, randomCuts(bytes.length, seed), s, profile.name);
      // a flipped payload octet: every PIB mismatches, streamed as whole
      const bad = bytes.slice();
      bad[bad.length - 5000]! ^= 1;
      const w = whole(bad, s);
      expect(w.rows!.every((row) => row[2] === Verdict.Mismatch)).toBe(true);
      assertSame(bad, randomCuts(bad.length, 9), s, profile.name);
      for (const kind of SUITES) {
        const keyId = kind === SuiteKind.Hmac ? 7 : 0;
        expectSigned(signStreamed(bytes, randomCuts(bytes.length, kind), kind, keyId, s), signWhole(bytes, kind, keyId, s));
      }
    });
  }

  it("the budget is spent in LIFO order as verifyAll spends it", () => {
    const bytes = bigBundle(20000, 3, PROFILE_RFC6257, false);
    for (const budget of [0, bytes.length - 1, bytes.length, 2 * bytes.length + 5, 10 * bytes.length]) {
      assertSame(bytes, randomCuts(bytes.length, budget), { profile: PROFILE_RFC6257, keys: keyTable(), budget }, `budget ${budget}`);
    }
  });
});

describe("fuzz: mutated bundles give the same verdicts or the same error code", () => {
  const seeds = [examples()[0]![1], examples()[4]![1], hex(EX2), bigBundle(3000, 11, PROFILE_RFC6257, true)];
  it("4 × 400 mutants, each cut at random", () => {
    const r = rng(2024);
    let parsed = 0;
    for (const seed of seeds) {
      for (let m = 0; m < 400; m++) {
        const b = seed.slice();
        const kind = r();
        if (kind < 0.5) {
          for (let f = 0; f < 1 + r() * 3; f++) b[(r() * b.length) | 0]! ^= 1 << ((r() * 8) | 0);
        } else if (kind < 0.7) {
          b[(r() * Math.min(b.length, 120)) | 0] = (r() * 256) | 0;
        }
        const cutLen = kind >= 0.7 && kind < 0.85 ? ((r() * b.length) | 0) : b.length;
        const bytes = kind >= 0.85 ? Uint8Array.from([...b, ...b.subarray(0, (r() * 20) | 0)]) : b.subarray(0, cutLen);
        const s = { profile: PROFILES[(r() * 4) | 0]!, keys: keyTable() };
        const cuts = r() < 0.5 ? randomCuts(bytes.length, m, 64) : [(r() * bytes.length) | 0];
        assertSame(bytes, cuts, s, `mutant ${m}`);
        if (whole(bytes, s).r >= 0) parsed++;
        const suite = SUITES[m % 3]!;
        const keyId = suite === SuiteKind.Hmac ? 7 : 0;
        expectSigned(signStreamed(bytes, cuts, suite, keyId, s), signWhole(bytes, suite, keyId, s), `sign mutant ${m}`);
      }
    }
    // the mutants reach the PIB checks, not only the parser
    expect(parsed).toBeGreaterThan(200);
  });
});

describe("window limits are named errors", () => {
  it("a header larger than the window: HeaderTooLarge", () => {
    const bytes = bigBundle(5000, 1, PROFILE_RFC6257, false);
    // primary + three PIBs ≈ 150 octets
    const r = streamed(bytes, randomCuts(bytes.length, 1, 16), { profile: PROFILE_RFC6257 }, 100);
    expect(r.r).toBe(-Err.HeaderTooLarge);
    const g = new StreamSigner(8, 8, 60);
    g.begin(SuiteKind.Crc32, 0);
    expect(g.push(bytes, 0, bytes.length)).toBe(-Err.HeaderTooLarge);
    expect(g.end()).toBe(-Err.HeaderTooLarge);
  });

  it("blocks after the payload beyond the window: TrailerTooLarge", () => {
    const small = bigBundle(5000, 1, PROFILE_RFC6257, false);
    // a 300-octet extension block after the payload
    const payloadFlagsAt = small.length - 5000 - 3;
    expect(small[payloadFlagsAt]).toBe(8);
    const bytes = Uint8Array.from([...small, 0xc0, 0x08, 0x82, 0x2c, ...new Uint8Array(300)]);
    bytes[payloadFlagsAt] = 0;
    expect(whole(bytes, { profile: PROFILE_RFC6257 }).r).toBe(3);
    expect(streamed(bytes, [1000], { profile: PROFILE_RFC6257 }, 300).r).toBe(-Err.TrailerTooLarge);
    expect(streamed(bytes, [1000], { profile: PROFILE_RFC6257 }, 600)).toEqual(whole(bytes, { profile: PROFILE_RFC6257 }));
  });

  it("more payload digests than made at start-up: TooManyDigests", () => {
    const bytes = bigBundle(5000, 1, PROFILE_RFC6257, false);
    const v = new StreamVerifier(8, 8, 8, 1024, 2);
    v.keys = keyTable();
    v.begin();
    v.push(bytes, 0, bytes.length - 1);
    v.push(bytes, bytes.length - 1, 1);
    expect(v.end()).toBe(-Err.TooManyDigests);
  });
});

const HAVE_CORPUS = needsCorpus("corpus bundles streamed in random pieces");
describe.runIf(HAVE_CORPUS)("corpus bundles streamed in random pieces", () => {
  for (const f of [...corpusBundles(), ...extraBundles()]) {
    it(f, () => {
      const bytes = corpusFile(f);
      for (const profile of PROFILES) {
        const s = { profile };
        for (let seed = 1; seed <= 3; seed++) assertSame(bytes, randomCuts(bytes.length, seed, 64), s, `${f} ${profile.name}`);
        for (let c = 0; c <= bytes.length; c += Math.max(1, bytes.length >> 5)) assertSame(bytes, [c], s, `${f} ${profile.name}`);
        for (const kind of SUITES) {
          const want = signWhole(bytes, kind, 0, s);
          expectSigned(signStreamed(bytes, randomCuts(bytes.length, kind, 64), kind, 0, s), want, `${f} sign ${kind}`);
        }
      }
    });
  }
});

describe("in-place signing of a stored bundle with room reserved", () => {
  it("one read pass, then the result written into the reserved octets, gives Signer.sign's bytes", () => {
    const plain = bigBundle(200000, 8, PROFILE_RFC6257, true).slice();
    for (const kind of SUITES) {
      const keyId = kind === SuiteKind.Hmac ? 7 : 0;
      const s = { profile: PROFILE_RFC6257, keys: keyTable() };
      const want = signWhole(plain, kind, keyId, s) as Uint8Array;
      // what the store holds: the signed layout with its result octets zero (room reserved)
      const v0 = new Verifier(32, 32, 8);
      v0.keys = keyTable();
      expect(v0.verifyAll(want, 0, want.length)).toBe(4);
      const stored = want.slice();
      stored.fill(0, v0.resultOff[0]!, v0.resultOff[0]! + v0.resultLen[0]!);
      const file = join(tmpdir(), `pibkit-inplace-${process.pid}-${kind}.bin`);
      writeFileSync(file, stored);
      try {
        // one pass over the file in 4 KiB reads
        const v = new StreamVerifier(32, 32, 8, 1024, 8);
        v.keys = keyTable();
        v.begin();
        const buf = new Uint8Array(4096);
        const fd = openSync(file, "r+");
        try {
          for (let pos = 0; pos < stored.length; pos += buf.length) {
            const n = Math.min(buf.length, stored.length - pos);
            buf.set(stored.subarray(pos, pos + n));
            v.push(buf, 0, n);
          }
          expect(v.end()).toBe(4);
          expect(v.verdict[0]).toBe(Verdict.Mismatch);
          const result = new Uint8Array(20);
          const size = v.seal(0, result, 0);
          expect(size).toBe(v.resultLen[0]);
          writeSync(fd, result, 0, size, v.resultOff[0]!);
        } finally {
          closeSync(fd);
        }
        expectSigned(readFileSync(file), want);
      } finally {
        rmSync(file, { force: true });
      }
    }
  });

  it("the streaming signer's header is ready before the payload: written at once, patched at the end", () => {
    const plain = bigBundle(50000, 4, PROFILE_RFC6257, true);
    const s = { profile: PROFILE_RFC6257 };
    const want = signWhole(plain, SuiteKind.Crc32, 0, s) as Uint8Array;
    const g = new StreamSigner(32, 32, 1024);
    g.begin(SuiteKind.Crc32, 0);
    const store: number[] = [];
    let written = 0;
    for (let at = 0; at < plain.length; at += 777) {
      const n = Math.min(777, plain.length - at);
      g.push(plain, at, n);
      if (g.ready() && written === 0) {
        store.push(...g.win.subarray(0, g.headLen));
        written = g.inputFrom;
      }
      if (written > 0 && at + n > written) {
        store.push(...plain.subarray(written, at + n));
        written = at + n;
      }
    }
    expect(g.end()).toBe(want.length);
    for (let j = 0; j < g.resultLen; j++) store[g.resultAt + j] = g.win[g.resultAt + j]!;
    expectSigned(Uint8Array.from(store), want);
  });
});

describe("a payload above 2^32 octets: exact lengths and ranges", () => {
  // Header of example 1, payload of 2^32 + 5 octets (zeros, then "hello"), and a CRC-32C
  // PIB covering [2^32, 2^32 + 5): the canonical form holds only the covered octets, so
  // its expected value comes from the same header over a 5-octet payload.
  const L = 2 ** 32 + 5;
  function header(payLen: number, rangeOff: number, result: Uint8Array): Uint8Array {
    const primary = Array.from(hex(EX1_UNSIGNED).subarray(0, hex(EX1_UNSIGNED).length - 15));
    const sd = (v: number) => {
      const b = new Uint8Array(10);
      return Array.from(b.subarray(0, writeSdnv(b, 0, 10, v)));
    };
    const range = [...sd(rangeOff), ...sd(5)];
    const params = [4, range.length, ...range];
    const body = [6, 5, params.length, ...params, 6, 5, 4, ...result];
    return Uint8Array.from([...primary, 3, 1, body.length, ...body, 1, 8, ...sd(payLen)]);
  }

  it("verified in constant memory, streamed from a generated source", () => {
    const small = Uint8Array.from([...header(5, 0, new Uint8Array(4)), ...Buffer.from("hello")]);
    const b = new Bundle(8, 8);
    expect(b.parse(small, 0, small.length)).toBe(0);
    const crc = new Crc32c();
    // the canonical form of the big bundle's PIB: identical but for the range item's octets
    const big0 = header(L, 2 ** 32, new Uint8Array(4));
    const bb = new Bundle(8, 8);
    const skeleton = Uint8Array.from([...big0.subarray(0, big0.length - 5), 0]);
    expect(bb.parse(skeleton, 0, skeleton.length)).toBe(0);
    // stage the expected digest by hand: the skeleton's canonical form with the payload step replaced
    class Expect extends Canonicalizer {
      override payload_(_b: Bundle, _i: number, d: Parameters<Canonicalizer["payload_"]>[2]): void {
        d.u64_(0, 5);
        d.update(small, small.length - 5, 5);
      }
    }
    expect(new Expect().runCovered(bb, 0, PROFILE_RFC6257, crc, 0, 5)).toBe(0);
    const result = new Uint8Array(4);
    crc.finish(result, 0);
    const head = header(L, 2 ** 32, result);
    const v = new StreamVerifier(8, 8, 4, 4096, 4);
    v.begin();
    expect(v.push(head, 0, head.length)).toBe(0);
    const zeros = new Uint8Array(1 << 20);
    let left = 2 ** 32;
    while (left > 0) {
      const n = Math.min(left, zeros.length);
      v.push(zeros, 0, n);
      left -= n;
    }
    const hello = Buffer.from("hello");
    v.push(hello, 0, 5);
    expect(v.end()).toBe(1);
    expect(v.verdict[0]).toBe(Verdict.Ok);
    expect(v.rangeOff[0]).toBe(2 ** 32);
    expect(v.head.payLen).toBe(L);
    expect(v.total).toBe(head.length + L);
    // one octet short: the payload runs past the end, as verifyAll says of a cut bundle
    v.begin();
    v.push(head, 0, head.length);
    for (left = 2 ** 32; left > 0; left -= Math.min(left, zeros.length)) v.push(zeros, 0, Math.min(left, zeros.length));
    v.push(hello, 0, 4);
    expect(v.end()).toBe(-Err.BlockPastEnd);
  });

  it("the canonical form carries the covered length as a u64 above 2^32 (PIB without a range: the whole payload)", () => {
    // a CRC-32C PIB with no range item covers the whole 2^32 + 5 octets; its digest is
    // swapped for one that records, and only the header is pushed: the part before the
    // payload octets ends with u64(2^32 + 5)
    const body = [6, 1, 6, 5, 4, 0, 0, 0, 0];
    const primary = Array.from(hex(EX1_UNSIGNED).subarray(0, hex(EX1_UNSIGNED).length - 15));
    const sd = new Uint8Array(10);
    const head = Uint8Array.from([...primary, 3, 1, body.length, ...body, 1, 8, ...sd.subarray(0, writeSdnv(sd, 0, 10, L))]);
    const v = new StreamVerifier(8, 8, 4, 4096, 2);
    const rec = new RecordingDigest();
    v.crcs[0] = rec as unknown as Crc32c;
    v.begin();
    v.push(head, 0, head.length);
    expect(v.head.phase).toBe(1);
    expect(Buffer.from(rec.result().subarray(-8)).toString("hex")).toBe("0000000100000005");
    // the whole-buffer canonical form of the same header over a 5-octet payload differs only there
    const small = Uint8Array.from([...head.subarray(0, head.length - 5), 5, 1, 2, 3, 4, 5]);
    const w = new RecordingDigest();
    const b = new Bundle(8, 8);
    expect(b.parse(small, 0, small.length)).toBe(0);
    expect(new Canonicalizer().runCovered(b, 0, PROFILE_RFC6257, w, 0, 5)).toBe(0);
    const want = w.result();
    expect(Buffer.from(rec.result().subarray(0, -8))).toEqual(Buffer.from(want.subarray(0, want.length - 13)));
  });

  it("the streaming signer writes the exact range of a 2^32 + 5 octet payload", () => {
    const head = header(L, 0, new Uint8Array(4)).subarray(0);
    // the unsigned bundle: primary, then the payload header
    const primaryLen = hex(EX1_UNSIGNED).length - 15;
    const unsigned = Uint8Array.from([...head.subarray(0, primaryLen), ...head.subarray(head.length - 7)]);
    const g = new StreamSigner(8, 8, 4096);
    g.begin(SuiteKind.Crc32, 0);
    g.push(unsigned, 0, unsigned.length);
    g.push(new Uint8Array(100), 0, 100);
    expect(g.ready()).toBe(true);
    // range item 04 <len> 00 <SDNV 2^32+5>, the payload length field unchanged after it
    const pib = Buffer.from(g.win.subarray(primaryLen, g.headLen)).toString("hex");
    expect(pib).toContain("0406" + "00" + "9080808005");
    expect(g.inputFrom).toBe(primaryLen + 2);
  });
});
