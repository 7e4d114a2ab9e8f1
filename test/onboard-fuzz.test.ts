/**
 * Differential fuzzing of the on-board PIB path (src/onboard/) against the ground path
 * (src/ground/pib.ts, default options). Random bundles come from src/ground/bundleWriter.ts (and a
 * hand-made CBHE primary): fragments, CBHE, EID-reference lists, many blocks, foreign
 * and forged security blocks, PIBs of every suite signed by the ground Signer (some
 * under another profile, some keyed, some with a security-destination); each is then
 * mutated (bit flips, truncation, octets inserted and deleted, block and primary length
 * SDNVs changed, padded or made huge, blocks dropped or duplicated). Every variant goes through
 * verifyAll and sign on both, in roomy and in tiny tables, with output ranges from
 * roomy to too small, inside guard octets; keyed PIB-HMAC runs through two equal
 * KeyTables, sometimes with a rollover pending, whose state must stay equal. Every
 * variant is also pushed in random pieces through a StreamVerifier of the same capacity,
 * which must give exactly what the on-board verifyAll gave (src/onboard/streamVerifier.ts).
 * A second run mutates the worked examples and the external corpus (when present)
 * byte by byte; a third
 * interleaves verify and sign on a Signer sharing its Verifier, at mixed capacities.
 *
 * Seeded: PIBKIT_FUZZ_SEED=<n> replays a run (fast-check prints seed and path of a
 * failure and shrinks it; the byte-level run prints seed and iteration).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KeyTable } from "../src/ground/keys.js";
import { Signer, Verifier } from "../src/ground/pib.js";
import { Verdict } from "../src/core/verdict.js";
import { PROFILE_DTN2, PROFILE_IBR, PROFILE_RFC6257 } from "../src/ground/profiles.js";
import { Signer as OnboardSigner, Verifier as OnboardVerifier } from "../src/onboard/index.js";
import { StreamVerifier } from "../src/onboard/streamVerifier.js";
import { SuiteKind } from "../src/core/suites.js";
import { buildBundle, destOf, diffKeys, diffSign, diffVerify, Diffs, lastGround, mutate, MUTATIONS, sdnvBytes, signedOutput, SignScratch, type BlockModel, type BundleModel, type SignerLike, type VerifierLike } from "./onboardHelpers.js";
import { corpusBundles, corpusFile, corpusFolder, EX1_CRC, EX1_HMAC, EX1_MD5, EX1_UNSIGNED, EX2, hex, needsCorpus } from "./support/pibVectors.js";
import { rng } from "./support/rng.js";

const SEED = Number(process.env["PIBKIT_FUZZ_SEED"] ?? 0x0b0a2d) >>> 0;
needsCorpus("the 38 corpus bundles and malformed/ as byte-level fuzz seeds (the fuzz runs on the worked examples alone)");
const RUNS = Number(process.env["PIBKIT_ONBOARD_RUNS"] ?? 4000);
const BYTE_CASES = Number(process.env["PIBKIT_ONBOARD_CASES"] ?? 80_000);
const VARIANTS = 6;

const K1 = hex("0102030405060708090a0b0c0d0e0f1011121314");
const K2 = hex("a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4");
const PROFILES = [PROFILE_RFC6257, PROFILE_IBR, PROFILE_DTN2];
/** (maxBlocks, maxEidRefs, maxPibs): roomy first, then the capacity edges. */
const CAPS: Array<[number, number, number]> = [[24, 24, 8], [0, 0, 0], [1, 0, 0], [1, 1, 1], [2, 0, 1], [2, 2, 2], [3, 1, 1], [4, 4, 3], [6, 2, 2]];

type MakeVerifier = (maxBlocks: number, maxEidRefs: number, maxPibs: number) => VerifierLike;
type MakeSigner = (maxBlocks: number, maxEidRefs: number) => SignerLike;
const onboardVerifier: MakeVerifier = (b, e, p) => new OnboardVerifier(b, e, p);
const onboardSigner: MakeSigner = (b, e) => new OnboardSigner(b, e);

/** Ground and on-board (or what a test puts in the on-board place) at every capacity, made once. */
class Rig {
  gv = CAPS.map(([b, e, p]) => new Verifier(b, e, p));
  lv: VerifierLike[];
  gs = CAPS.map(([b, e]) => new Signer(b, e));
  ls: SignerLike[];
  scratch = new SignScratch(8192);
  /** The ground's returns in the latest compare: verifyAll roomy, verifyAll at the capacity, sign. */
  got = { roomy: 0, small: 0, sign: 0 };
  /** Key 7 on the receiving side: one table per implementation, rebuilt per case. */
  tg = new KeyTable(2, 4);
  tl = new KeyTable(2, 4);
  /** The sender's key 7 (signing never changes a table, so both signers share it). */
  ts = new KeyTable(2, 4);
  /**
   * With the on-board candidate: the same capacities as StreamVerifiers, fed every input
   * in random pieces and held to the on-board verifyAll exactly (return, tables, budget,
   * bytes, key table `tv`). The window holds any input whole (so no window limit is
   * met), and there are lanes for every PIB with two key candidates.
   */
  sv: StreamVerifier[] | null;
  tv = new KeyTable(2, 4);
  /** The on-board verifyAll's latest return, and the random piece sizes. */
  onboardReturn = 0;
  cut = rng(SEED ^ 0x5e7);

  constructor(mkV: MakeVerifier = onboardVerifier, mkS: MakeSigner = onboardSigner) {
    this.lv = CAPS.map(([b, e, p]) => mkV(b, e, p));
    this.ls = CAPS.map(([b, e]) => mkS(b, e));
    this.sv = mkV === onboardVerifier ? CAPS.map(([b, e, p]) => new StreamVerifier(b, e, p, 1 << 16, 2 * p + 1)) : null;
    for (const l of this.lv) {
      const whole = l.verifyAll;
      l.verifyAll = (buf, off, end) => (this.onboardReturn = whole.call(l, buf, off, end));
    }
  }

  /** Capacity i's StreamVerifier over buf[off, end) in random pieces against the on-board verifyAll just run: null or the difference. */
  streamDiff(i: number, buf: Uint8Array, off: number, end: number, budget: number): string | null {
    const s = this.sv![i]!;
    const l = this.lv[i]!;
    s.budget = budget;
    s.begin();
    for (let o = off; o < end; ) {
      const n = Math.min(end - o, this.cut() < 0.4 ? 1 + Math.floor(this.cut() * 8) : 1 + Math.floor(this.cut() * (end - off)));
      s.push(buf, o, n);
      o += n;
    }
    const r = s.end();
    if (r !== this.onboardReturn) return `stream end() returned ${r}, verifyAll ${this.onboardReturn}`;
    if (s.count !== l.count) return `stream count ${s.count}, verifyAll ${l.count}`;
    for (let k = 0; k < l.count; k++) {
      if (s.verdict[k] !== l.verdict[k] || s.kind[k] !== l.kind[k] || s.code[k] !== l.code[k]) {
        return `stream PIB ${k}: verdict/kind/code ${s.verdict[k]}/${s.kind[k]}/${s.code[k]}, verifyAll ${l.verdict[k]}/${l.kind[k]}/${l.code[k]}`;
      }
    }
    if (s.allOk() !== l.allOk() || !Object.is(s.budget, l.budget) || !Object.is(s.bytes, l.bytes)) {
      return `stream allOk/budget/bytes ${s.allOk()}/${s.budget}/${s.bytes}, verifyAll ${l.allOk()}/${l.budget}/${l.bytes}`;
    }
    return diffKeys(this.tl, this.tv, [7]);
  }

  /**
   * keyState 0: everyone has K1; 1: receivers have a rollover K1 -> K2 pending, the
   * sender still signs with K1; 2: the sender has rolled over too (signs with K2);
   * 3: the receivers have no key 7.
   */
  keys(keyState: number): void {
    this.ts = new KeyTable(2, 4);
    this.ts.install(7, K1, 0, 20);
    if (keyState === 2) this.ts.rollover(7, K2, 0, 20);
    for (const side of ["tg", "tl", "tv"] as const) {
      const t = new KeyTable(2, 4);
      if (keyState !== 3) t.install(7, K1, 0, 20);
      if (keyState === 1 || keyState === 2) t.rollover(7, K2, 0, 20);
      this[side] = t;
    }
    for (let c = 0; c < CAPS.length; c++) {
      this.gv[c]!.keys = this.tg;
      this.lv[c]!.keys = this.tl;
      this.gs[c]!.keys = this.ts;
      this.ls[c]!.keys = this.ts;
      this.gv[c]!.bytes = 0;
      this.lv[c]!.bytes = 0;
      if (this.sv) {
        this.sv[c]!.keys = this.tv;
        this.sv[c]!.bytes = 0;
      }
    }
  }

  /**
   * Compares on-board and ground on one input: verifyAll at capacity c (and the roomy one),
   * sign at capacity c with the given kind, key id, output offset and room.
   */
  compare(buf: Uint8Array, off: number, end: number, c: number, budget: number, kind: number, keyId: number, outOff: number, cap: number): string | null {
    for (const i of c === 0 ? [0] : [0, c]) {
      const g = this.gv[i]!;
      const l = this.lv[i]!;
      g.budget = budget;
      l.budget = budget;
      const d = diffVerify(g, l, buf, off, end);
      if (d !== null) return `verifyAll at capacity ${CAPS[i]}: ${d}`;
      const s = this.sv ? this.streamDiff(i, buf, off, end, budget) : null;
      if (s !== null) return `streamed at capacity ${CAPS[i]}: ${s}`;
      if (i === 0) this.got.roomy = lastGround.verify;
      this.got.small = lastGround.verify;
      const k = diffKeys(this.tg, this.tl, [7]);
      if (k !== null) return `after verifyAll at capacity ${CAPS[i]}: ${k}`;
    }
    for (const i of c === 0 ? [0] : [0, c]) {
      const d = diffSign(this.gs[i]!, this.ls[i]!, buf, off, end, kind, keyId, outOff, cap, this.scratch);
      if (d !== null) return `sign at capacity ${CAPS[i]}: ${d}`;
      if (i === 0) this.got.sign = lastGround.sign;
    }
    return null;
  }
}

// ---------- the bundle model ----------

const text = fc
  .tuple(fc.constantFrom("dtn", "ipn", "x-y"), fc.stringMatching(/^[a-z0-9/.:-]{0,14}$/))
  .map(([s, p]) => `${s}:${p}`);
/** CBHE node/service numbers: small, 32-bit, and up to 2^53 - 1 (where decimal digits need care). */
const number = fc.oneof(fc.nat(300), fc.nat({ max: 0xffffffff }), fc.maxSafeNat());
const u64 = fc.tuple(fc.oneof(fc.constant(0), fc.nat({ max: 0xffffffff })), fc.nat({ max: 0xffffffff }));

/** n octets from a seeded stream. */
function filled(n: number, seed: number): Uint8Array {
  const r = rng(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
}

/** A security-block body: ASB (RFC 6257 §2.1) with random cs-id, flags, items. */
const asbBody = fc
  .record({
    // 2^32 + 6: the draft's CRC id in the low word, not ours (docs/pib.md).
    csId: fc.constantFrom(1, 2, 4, 5, 6, 6, 10, 200, 2 ** 32 + 6),
    // RFC 6257 §2.1 cs-flags: 0x01 result, 0x02 correlator, 0x04 params, 0x08/0x10 dest/source.
    csFlags: fc.constantFrom(0x00, 0x01, 0x03, 0x04, 0x05, 0x05, 0x05, 0x07, 0x0d, 0x15, 0x06),
    correlator: fc.nat(300),
    keyId: fc.option(fc.constantFrom(0, 7, 9, 1000, 2 ** 53 - 1)),
    range: fc.option(fc.tuple(fc.nat(400), fc.nat(400))),
    resultSize: fc.constantFrom(0, 4, 10, 16, 20),
    result: fc.uint8Array({ minLength: 20, maxLength: 20 }),
    junk: fc.oneof({ weight: 4, arbitrary: fc.constant(new Uint8Array(0)) }, { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 3 }) }),
    /** An item repeated (RFC 6257 §2.6 allows each once): the first of the params (3) or the result (5). */
    twice: fc.constantFrom(0, 0, 0, 0, 0, 0, 3, 5),
  })
  .map((a) => {
    const sdnv = (v: number) => sdnvBytes(v, 0);
    const params: number[] = [];
    if (a.keyId !== null) params.push(3, ...sdnv(sdnv(a.keyId).length), ...sdnv(a.keyId));
    if (a.range !== null) {
      const v = [...sdnv(a.range[0]), ...sdnv(a.range[1])];
      params.push(4, v.length, ...v);
    }
    if (a.twice === 3 && params.length > 0) params.push(...params.slice(0, 2 + params[1]!));
    const result = [5, a.resultSize, ...a.result.subarray(0, a.resultSize)];
    if (a.twice === 5) result.push(...result);
    const body = [...sdnv(a.csId), a.csFlags];
    if (a.csFlags & 0x02) body.push(...sdnv(a.correlator));
    if (a.csFlags & 0x04) body.push(...sdnv(params.length), ...params);
    if (a.csFlags & 0x01) body.push(...sdnv(result.length), ...result);
    body.push(...a.junk);
    return Uint8Array.from(body);
  });

const block: fc.Arbitrary<BlockModel> = fc.record({
  type: fc.constantFrom(2, 3, 3, 4, 5, 7, 8, 9, 13, 20, 192, 255),
  flags: fc.oneof(fc.nat(0x3f), fc.constantFrom(0x01, 0x10, 0x100, 0x80000)),
  refs: fc.oneof({ weight: 3, arbitrary: fc.constant<number[]>([]) }, { weight: 1, arbitrary: fc.array(fc.nat(3), { minLength: 1, maxLength: 3 }) }),
  data: fc.oneof(fc.uint8Array({ maxLength: 40 }), asbBody),
});

const model: fc.Arbitrary<BundleModel> = fc.record({
  cbhe: fc.boolean(),
  eids: fc.array(fc.oneof(text, fc.constantFrom("dtn:none", "dtn://dst/app")), { minLength: 4, maxLength: 4 }),
  ipn: fc.array(fc.tuple(number, number), { minLength: 4, maxLength: 4 }),
  flags: fc.oneof(fc.nat(0x1fffff), fc.constantFrom(0x28098, 0x10, 0)),
  fragment: fc.boolean(),
  fragOffset: fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constant(0), fc.oneof(fc.nat(40), fc.nat(100000))) },
    { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.nat(3), fc.constantFrom(0x1fffff, 0x200000, 0xffffffff)), fc.nat({ max: 0xffffffff })) },
  ),
  totalLength: fc.nat(100000),
  ctime: u64,
  seq: u64,
  lifetime: u64,
  before: fc.array(block, { maxLength: 6 }),
  payload: fc.oneof(
    { weight: 12, arbitrary: fc.uint8Array({ maxLength: 300 }) },
    // Long payloads (3-octet length SDNVs, many digest blocks), filled from a seed: fast-check keeps arrays short.
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 300, max: 20000 }), fc.nat()).map(([n, seed]) => filled(n, seed)) },
  ),
  payloadFlags: fc.constantFrom(0, 0x01, 0x02, 0x04, 0x10, 0x20, 0x11),
  after: fc.array(block, { maxLength: 3 }),
});

const pibSpec = fc.record({
  kind: fc.constantFrom(SuiteKind.Hmac, SuiteKind.Md5, SuiteKind.Crc32),
  keyId: fc.constantFrom(0, 0, 7),
  profile: fc.constantFrom(0, 0, 0, 0, 1, 2),
  dest: fc.option(fc.nat(3), { freq: 4 }),
});

const fuzzCase = fc.record({
  m: model,
  pibs: fc.array(pibSpec, { maxLength: 3 }),
  keyState: fc.constantFrom(0, 0, 1, 2, 3),
  budget: fc.oneof({ weight: 4, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat(1500) }),
  mutSeed: fc.nat({ max: 0xffffffff }),
});

type Case = typeof fuzzCase extends fc.Arbitrary<infer T> ? T : never;

/** The model's bundle with the ground Signer's PIBs added; the PIBs it refuses are left out. */
function signedBundle(c: Case, rig: Rig): Uint8Array {
  let b = buildBundle(c.m);
  const s = new Signer(24, 24);
  s.keys = rig.ts;
  for (const p of c.pibs) {
    s.profile = PROFILES[p.profile]!;
    if (p.dest !== null) [s.destScheme, s.destSsp] = destOf(c.m, p.dest);
    else [s.destScheme, s.destSsp] = [-1, -1];
    const out = new Uint8Array(b.length + 64);
    const n = s.sign(b, 0, b.length, out, 0, out.length, p.kind, p.keyId);
    if (n > 0) b = out.slice(0, n);
  }
  return b;
}

interface Stats {
  variants: number;
  parsed: number;
  signed: number;
  verdicts: number[];
  tooMany: number;
  noRoom: number;
}

/** Runs `runs` writer-made cases through `rig`; throws (after fast-check's shrinking unless `quick`) on a difference. */
function writerFuzz(rig: Rig, seed: number, runs: number, quick: boolean): Stats {
  const stats: Stats = { variants: 0, parsed: 0, signed: 0, verdicts: [0, 0, 0, 0, 0, 0, 0], tooMany: 0, noRoom: 0 };
  fc.assert(
    fc.property(fuzzCase, (c) => {
      rig.keys(c.keyState);
      const clean = signedBundle(c, rig);
      const r = rng(c.mutSeed);
      const pick = (n: number) => Math.floor(r() * n);
      for (let v = 0; v <= VARIANTS; v++) {
        const input = v === 0 ? clean : mutate(clean, pick(MUTATIONS.length), r);
        // Inside a larger buffer, with junk before and after the range.
        const off = pick(4);
        const buf = new Uint8Array(off + input.length + pick(4));
        for (let i = 0; i < buf.length; i++) buf[i] = pick(256);
        buf.set(input, off);
        const capIndex = pick(CAPS.length);
        const kind = r() < 0.03 ? [0, 4][pick(2)]! : 1 + pick(3);
        const keyId = [0, 0, 7, 8][pick(4)]!;
        const room = [input.length + 64, pick(input.length + 40), input.length + pick(32)][pick(3)]!;
        const d = rig.compare(buf, off, off + input.length, capIndex, c.budget, kind, keyId, pick(6), room);
        if (d !== null) throw new Error(`seed ${seed}, variant ${v} (${v === 0 ? "unmutated" : "mutated"}): ${d}`);
        stats.variants++;
        const g = rig.gv[0]!;
        if (rig.got.roomy >= 0) stats.parsed++;
        if (rig.got.roomy >= 0 && rig.got.small < 0) stats.tooMany++;
        for (let k = 0; k < g.count; k++) stats.verdicts[g.verdict[k]!]!++;
        if (rig.got.sign > 0) stats.signed++;
        if (rig.got.sign === -5) stats.noRoom++;
      }
      return true;
    }),
    { seed, numRuns: runs, endOnFailure: quick },
  );
  return stats;
}

/** The message of the error fast-check reports (its `cause`), or "" when `f` does not throw. */
function failureOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    const cause = (e as Error).cause;
    return cause instanceof Error ? cause.message : String(e);
  }
  return "";
}

describe("fuzz: on-board = ground on random writer-made bundles and their mutations", () => {
  it("the fuzzer finds a difference in a deliberately wrong on-board stand-in (profile IBR verifier; signer with other block flags)", () => {
    const ibr: MakeVerifier = (b, e, p) => {
      const v = new Verifier(b, e, p);
      v.profile = PROFILE_IBR;
      return v;
    };
    expect(failureOf(() => writerFuzz(new Rig(ibr, (b, e) => new Signer(b, e)), SEED, 300, true))).toMatch(/verifyAll at capacity .*: PIB \d: verdict/);
    const flags: MakeSigner = (b, e) => {
      const s = new Signer(b, e);
      s.blockFlags = 0x11;
      return s;
    };
    expect(failureOf(() => writerFuzz(new Rig((b, e, p) => new Verifier(b, e, p), flags), SEED, 300, true))).toMatch(/sign at capacity .*: sign output differs/);
  });
  it(`${RUNS} bundles × ${VARIANTS + 1} variants (seed ${SEED})`, () => {
    const stats = writerFuzz(new Rig(), SEED, RUNS, false);
    if (process.env["PIBKIT_FUZZ_STATS"]) console.log(JSON.stringify(stats));
    // The fuzzer reached every verdict and both outcomes of sign.
    expect(stats.parsed).toBeGreaterThan(stats.variants / 4);
    expect(stats.signed).toBeGreaterThan(stats.variants / 10);
    expect(stats.noRoom).toBeGreaterThan(50);
    expect(stats.tooMany).toBeGreaterThan(50);
    for (const v of [Verdict.Ok, Verdict.Mismatch, Verdict.UnknownSuite, Verdict.UnknownKey, Verdict.Malformed, Verdict.SkippedFragment, Verdict.SkippedBudget]) {
      expect(stats.verdicts[v], `verdict ${v} reached`).toBeGreaterThan(0);
    }
  }, 120_000);
});

describe("fuzz: on-board = ground on the worked examples and the corpus, mutated byte by byte", () => {
  it(`${BYTE_CASES} mutated bundles (seed ${SEED})`, () => {
    const seeds: Uint8Array[] = [EX1_UNSIGNED, EX1_CRC, EX1_MD5, EX1_HMAC, EX2].map(hex);
    for (const f of corpusBundles()) seeds.push(corpusFile(f));
    for (const f of corpusFolder("malformed")) seeds.push(corpusFile(`malformed/${f}`));
    // Each seed also signed by the ground signer, once and twice.
    const s = new Signer(24, 24);
    for (const b of seeds.slice()) {
      let cur = b;
      for (const kind of [SuiteKind.Crc32, SuiteKind.Hmac]) {
        const out = new Uint8Array(cur.length + 64);
        const n = s.sign(cur, 0, cur.length, out, 0, out.length, kind, 0);
        if (n < 0) break;
        cur = out.slice(0, n);
        seeds.push(cur);
      }
    }
    const rig = new Rig();
    const r = rng(SEED);
    const pick = (n: number) => Math.floor(r() * n);
    const diffs = new Diffs();
    for (let iter = 0; iter < BYTE_CASES; iter++) {
      if (iter % 500 === 0) rig.keys(pick(4));
      let input = seeds[pick(seeds.length)]!;
      const rounds = pick(4);
      for (let k = 0; k < rounds; k++) input = mutate(input, pick(MUTATIONS.length), r);
      const kind = 1 + pick(3);
      const room = r() < 0.2 ? pick(input.length + 40) : input.length + 64;
      const budget = r() < 0.1 ? pick(2000) : -1;
      diffs.add(rig.compare(input, 0, input.length, pick(CAPS.length), budget, kind, [0, 7][pick(2)]!, pick(3), room), `seed ${SEED} iteration ${iter}`);
      if (diffs.list.length >= diffs.keep) break;
    }
    expect(diffs.summary()).toEqual([]);
  }, 120_000);
});

describe("fuzz: a Signer sharing its Verifier, at mixed capacities", () => {
  /** (Verifier maxBlocks, maxEidRefs, maxPibs, Signer maxBlocks, maxEidRefs): shared Bundle or not (pib.ts). */
  const SHARED: Array<[number, number, number, number, number]> = [[8, 2, 2, 4, 4], [8, 8, 2, 4, 2], [3, 3, 1, 2, 3], [5, 1, 1, 4, 1], [2, 2, 1, 1, 1], [4, 4, 2, 4, 4], [16, 16, 4, 16, 16]];
  it(`interleaved verifyAll and sign, ${BYTE_CASES / 5} cases (seed ${SEED})`, () => {
    const seeds: Uint8Array[] = [EX1_UNSIGNED, EX1_CRC, EX1_MD5, EX1_HMAC, EX2].map(hex);
    for (const f of corpusBundles()) seeds.push(corpusFile(f));
    const rigs = SHARED.map(([vb, ve, vp, sb, se]) => {
      const gv = new Verifier(vb, ve, vp);
      const lv = new OnboardVerifier(vb, ve, vp);
      return { gv, lv, gs: new Signer(sb, se, gv), ls: new OnboardSigner(sb, se, lv), caps: `${vb}/${ve}/${vp} ${sb}/${se}` };
    });
    const scratch = new SignScratch(4096);
    const r = rng(SEED ^ 0x5a5a);
    const pick = (n: number) => Math.floor(r() * n);
    const diffs = new Diffs();
    for (let iter = 0; iter < BYTE_CASES / 5 && diffs.list.length < diffs.keep; iter++) {
      let input = seeds[pick(seeds.length)]!;
      if (r() < 0.7) input = mutate(input, pick(MUTATIONS.length), r);
      const x = rigs[pick(rigs.length)]!;
      const ctx = `seed ${SEED} iteration ${iter} capacities ${x.caps}`;
      diffs.add(diffVerify(x.gv, x.lv, input, 0, input.length), `${ctx} verify`);
      const kind = 1 + pick(3);
      diffs.add(diffSign(x.gs, x.ls, input, 0, input.length, kind, 0, 0, input.length + 64, scratch), `${ctx} sign`);
      if (lastGround.sign > 0) {
        const signed = signedOutput(scratch, 0, lastGround.sign);
        diffs.add(diffVerify(x.gv, x.lv, signed, 0, signed.length), `${ctx} verify signed`);
      }
    }
    expect(diffs.summary()).toEqual([]);
  });
});
