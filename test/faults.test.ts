/**
 * Direct tests for faults that the other files catch only indirectly or not at all
 * (each was planted as a single change and survived, or was caught only by the
 * ground-vs-on-board fuzz, which a fault made the same way in both paths would pass).
 * docs/mutation.md lists the faults and the test that catches each.
 *
 * - every MAC/digest compare in src/ is a loop without a data-dependent exit (source
 *   check with acorn: the ground `constantTimeEqual` and the on-board `differs`);
 * - a multi-bit upset cluster at the very end of a region flips nothing outside it;
 * - EID references spread over several blocks are counted against maxEidRefs together;
 * - a PIB with two result items, two key-id items or a correlator is Malformed with its
 *   code, on the ground and on the on-board path, although its digest is right;
 * - an ASB whose params length runs into the result field is AsbMalformed;
 * - a fragment's PIB is checked only when its range is exactly the fragment;
 * - CBHE block references stop below 2^32 on every path;
 * - the simulator: rng boundaries (scripted uniforms), upsets on every bit of a small
 *   memory, the recorder's last bits, live-slot ends and first fit.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import * as acorn from "acorn";
import * as walk from "acorn-walk";
import { describe, expect, it } from "vitest";
import { Bundle } from "../src/ground/bundle.js";
import { Canonicalizer } from "../src/ground/canon.js";
import { errorName } from "../src/core/errorText.js";
import { Err } from "../src/core/errors.js";
import { Signer, Verifier } from "../src/ground/pib.js";
import { Verdict } from "../src/core/verdict.js";
import { PROFILE_RFC6257 } from "../src/ground/profiles.js";
import { SuiteDigests } from "../src/core/suiteDigests.js";
import { SuiteKind } from "../src/core/suites.js";
import { Signer as OnboardSigner, Verifier as OnboardVerifier } from "../src/onboard/index.js";
import { type Upset, UpsetSource, exposeBuffer, flipInBuffer } from "../sim/upsets.js";
import { buildBundle, sdnvBytes } from "./onboardHelpers.js";
import { Orbit } from "../sim/orbit.js";
import { Recorder } from "../sim/recorder.js";
import { Rng } from "../sim/rng.js";
import { type Scenario, loadScenario } from "../sim/scenario.js";
import { type Fn, namedFunctions, parseTs } from "./support/ast.js";
import { EX1_CRC, EX1_HMAC, EX1_MD5, EX1_PAYLOAD, EX1_PRIMARY, EX2, hex } from "./support/pibVectors.js";

// ---------------------------------------------------------------------------------------
// Constant-time compares: a source check, because no timing belongs in a pass/fail test.

/** Every compare of a received MAC or digest with a computed one, by file and function name. */
const CT_COMPARES: ReadonlyArray<readonly [string, string]> = [
  ["src/core/verdict.ts", "constantTimeEqual"],
  ["src/onboard/pibPath.ts", "differs"],
];

const LOOP = /^(For|ForIn|ForOf|While|DoWhile)Statement$/;
/** Anything that can end or skip an iteration depending on the data. */
const EXIT = /^(ReturnStatement|BreakStatement|ContinueStatement|IfStatement|ConditionalExpression|LogicalExpression|ThrowStatement|SwitchStatement|LabeledStatement)$/;

/** `acc |= x ^ y` where x and y read arrays: the shape of an accumulating compare. */
function isXorAccumulate(n: acorn.Node): boolean {
  if (n.type !== "AssignmentExpression") return false;
  const a = n as acorn.AssignmentExpression;
  if (a.operator !== "|=" || a.right.type !== "BinaryExpression" || a.right.operator !== "^") return false;
  const reads = (e: acorn.Node): boolean => {
    let found = false;
    walk.full(e, (m) => { if (m.type === "MemberExpression" && (m as acorn.MemberExpression).computed) found = true; });
    return found;
  };
  return reads(a.right.left) && reads(a.right.right);
}

/** What makes a compare loop data-dependent: early exits in its body, test or update. */
function compareDefects(fn: Fn): string[] {
  const loops: acorn.Node[] = [];
  walk.full(fn.body, (n) => { if (LOOP.test(n.type)) loops.push(n); });
  if (loops.length !== 1) return [`${loops.length} loops (one accumulating loop expected)`];
  const loop = loops[0] as acorn.ForStatement;
  const bad: string[] = [];
  let accumulates = false;
  const parts: Array<acorn.Node | null | undefined> = [loop.body, loop.test, loop.update];
  for (const part of parts) {
    if (!part) continue;
    walk.full(part, (n) => {
      if (EXIT.test(n.type)) bad.push(`${n.type} at ${n.start}`);
      if (isXorAccumulate(n)) accumulates = true;
    });
  }
  if (!accumulates) bad.push("no `acc |= a[i] ^ b[j]` in the loop");
  return bad;
}

/** src/**\/*.ts */
function srcFiles(dir = "src"): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out.push(...srcFiles(p));
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out.sort();
}

describe("constant-time compares (source check)", () => {
  for (const [file, name] of CT_COMPARES) {
    it(`${file} ${name}: one loop accumulating a[i] ^ b[j], no data-dependent exit or branch in it`, () => {
      const fns = namedFunctions(parseTs(file)).get(name);
      // A rename or a move must not switch this check off: update CT_COMPARES then.
      if (!fns) throw new Error(`function ${name} not found in ${file}: the MAC/digest compare was renamed or moved; point CT_COMPARES at it`);
      expect(fns).toHaveLength(1);
      expect(compareDefects(fns[0]!)).toEqual([]);
    });
  }

  it("every accumulating compare loop in src/ is one of the checked functions", () => {
    const found: string[] = [];
    for (const file of srcFiles()) {
      for (const [name, fns] of namedFunctions(parseTs(file))) {
        for (const fn of fns) {
          let xor = false;
          walk.full(fn.body, (n) => { if (isXorAccumulate(n)) xor = true; });
          // Only the innermost named function holding the pattern counts.
          let inner = false;
          walk.full(fn.body, (n) => { if (n !== fn && /Function/.test(n.type)) walk.full(n, (m) => { if (isXorAccumulate(m)) inner = true; }); });
          if (xor && !inner) found.push(`${file} ${name}`);
        }
      }
    }
    const checked = CT_COMPARES.map(([f, n]) => `${f} ${n}`);
    for (const f of found) expect(checked, `${f} compares like a MAC check: add it to CT_COMPARES`).toContain(f);
    for (const c of checked) expect(found).toContain(c);
  });

  it("src/ground/pib.ts matches (the ground verdict): no loop of its own, the compare through constantTimeEqual", () => {
    const fns = namedFunctions(parseTs("src/ground/pib.ts")).get("matches_");
    if (!fns) throw new Error("function matches_ not found in src/ground/pib.ts: the ground MAC compare was renamed or moved; update this test");
    expect(fns).toHaveLength(1);
    const loops: string[] = [];
    const calls: string[] = [];
    walk.full(fns[0]!.body, (n) => {
      if (LOOP.test(n.type)) loops.push(n.type);
      if (n.type === "CallExpression") {
        const c = (n as acorn.CallExpression).callee;
        if (c.type === "Identifier") calls.push(c.name);
      }
    });
    expect(loops).toEqual([]);
    expect(calls).toContain("constantTimeEqual");
  });

  it("the check itself fails on a compare that returns at the first differing octet", () => {
    const early = acorn.parse(
      "function differs(s, buf, res, size) { for (let i = 0; i < size; i++) if (s[8 + i] !== buf[res + i]) return 1; return 0; }",
      { ecmaVersion: 2022 },
    );
    expect(compareDefects(namedFunctions(early).get("differs")![0]!)).not.toEqual([]);
    const exitInTest = acorn.parse(
      "const differs = (s, b, n) => { let d = 0; for (let i = 0; i < n && !d; i++) d |= s[i] ^ b[i]; return d; };",
      { ecmaVersion: 2022 },
    );
    expect(compareDefects(namedFunctions(exitInTest).get("differs")![0]!)).not.toEqual([]);
    const good = acorn.parse("function f(a, b, n) { let d = 0; for (let i = 0; i < n; i++) d |= a[i] ^ b[i]; return d; }", { ecmaVersion: 2022 });
    expect(compareDefects(namedFunctions(good).get("f")![0]!)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------
// Upsets at the end of a region.

const GUARD = 0x5a;

describe("upset clusters at the very end of a region", () => {
  it("flipInBuffer: a cluster ending at or past the last bit flips only bits inside the region", () => {
    for (const off of [0, 1, 7]) {
      for (const len of [1, 2, 5]) {
        const nBits = len * 8;
        for (let width = 1; width <= 9; width++) {
          for (let bit = Math.max(0, nBits - width); bit < nBits; bit++) {
            const buf = new Uint8Array(off + len + 8).fill(GUARD);
            buf.fill(0, off, off + len);
            const n = flipInBuffer(buf, off, len, { t: 0, bit, width });
            const ctx = `off ${off} len ${len} width ${width} bit ${bit}`;
            expect(n, ctx).toBe(Math.min(width, nBits - bit));
            for (let i = 0; i < off; i++) expect(buf[i], `${ctx}: guard before, octet ${i}`).toBe(GUARD);
            for (let i = off + len; i < buf.length; i++) expect(buf[i], `${ctx}: guard after, octet ${i}`).toBe(GUARD);
            let ones = 0;
            for (let i = off; i < off + len; i++) for (let k = 0; k < 8; k++) ones += (buf[i]! >> k) & 1;
            expect(ones, ctx).toBe(n);
            // The last bit of the region is always in the cluster here.
            expect(buf[off + len - 1]! & 0x80, ctx).toBe(0x80);
          }
        }
      }
    }
  });

  it("exposeBuffer: clusters at the end of a region inside a larger buffer leave the neighbours intact", () => {
    const s = loadScenario("test-tiny");
    /** A source whose events are the clusters that end at, and run past, the region's last bit. */
    class EdgeSource extends UpsetSource {
      asked = -1;
      override generate(_t0: number, _t1: number, nBits: number, _rng: Rng): Upset[] {
        this.asked = nBits;
        const out: Upset[] = [];
        for (let w = 2; w <= 8; w++) out.push({ t: 0, bit: nBits - w, width: w }, { t: 0, bit: nBits - 1, width: w });
        return out;
      }
    }
    const src = new EdgeSource(s, new Orbit(s));
    const off = 16, len = 32;
    const buf = new Uint8Array(off + len + 16).fill(GUARD);
    buf.fill(0, off, off + len);
    const ups = exposeBuffer(buf, off, len, src, 0, 3600, new Rng(1).fork("edge"));
    expect(src.asked).toBe(len * 8);
    expect(ups).toHaveLength(14);
    for (let i = 0; i < off; i++) expect(buf[i], `octet ${i} before the region`).toBe(GUARD);
    for (let i = off + len; i < buf.length; i++) expect(buf[i], `octet ${i} after the region`).toBe(GUARD);
    // Inside: exactly the events' bits that lie in the region, toggled.
    const want = new Uint8Array(len);
    for (const u of ups) for (let k = 0; k < u.width && u.bit + k < len * 8; k++) want[(u.bit + k) >> 3]! ^= 1 << ((u.bit + k) & 7);
    expect(want.some((x) => x !== 0)).toBe(true);
    expect(buf.subarray(off, off + len)).toEqual(want);
  });
});

// ---------------------------------------------------------------------------------------
// EID references over several blocks; forged PIBs with a right digest and one defect.

const PRIMARY = hex(EX1_PRIMARY);
const PAYLOAD = hex(EX1_PAYLOAD);

/**
 * Example 1's primary, one extension block (type 0xc0, one data octet) per entry of
 * `refs` with that many EID references (dictionary offsets 0 and 4: "dtn", "//dst/app"),
 * then the payload block.
 */
function withRefBlocks(refs: number[]): Uint8Array {
  const out = [...PRIMARY];
  for (const n of refs) {
    out.push(0xc0, 0x40, ...sdnvBytes(n, 0));
    for (let k = 0; k < n; k++) out.push(0, 4);
    out.push(1, 0xee);
  }
  out.push(...PAYLOAD);
  return Uint8Array.from(out);
}

function signWith(s: { sign(i: Uint8Array, a: number, b: number, o: Uint8Array, c: number, d: number, k: number, id: number): number }, input: Uint8Array): { n: number; out: Uint8Array } {
  const out = new Uint8Array(input.length + 64);
  const n = s.sign(input, 0, input.length, out, 0, out.length, SuiteKind.Crc32, 0);
  return { n, out: out.slice(0, Math.max(n, 0)) };
}

describe("EID references counted over every block against maxEidRefs", () => {
  const MAX = 4;
  for (const split of [[2, 3], [1, 1, 1, 2], [4, 1], [1, 4]]) {
    it(`${split.join(" + ")} references (max ${MAX}): TooManyEidRefs on the ground parser, both verifiers, both signers`, () => {
      const b = withRefBlocks(split);
      const bundle = new Bundle(8, MAX);
      expect(errorName(bundle.parse(b, 0, b.length))).toBe("TooManyEidRefs");
      // A roomy signer makes the PIB, so the verifiers see a bundle that is right but for the count.
      const signed = signWith(new Signer(8, 16), b);
      expect(signed.n).toBeGreaterThan(0);
      expect(errorName(new Verifier(8, MAX, 4).verifyAll(signed.out, 0, signed.out.length))).toBe("TooManyEidRefs");
      expect(errorName(new OnboardVerifier(8, MAX, 4).verifyAll(signed.out, 0, signed.out.length))).toBe("TooManyEidRefs");
      expect(errorName(signWith(new Signer(8, MAX), b).n)).toBe("TooManyEidRefs");
      expect(errorName(signWith(new OnboardSigner(8, MAX), b).n)).toBe("TooManyEidRefs");
    });
  }

  for (const split of [[2, 2], [1, 1, 1, 1], [4], [3, 1]]) {
    it(`${split.join(" + ")} references (exactly max ${MAX}): every reference kept, signed and verified Ok on both paths`, () => {
      const b = withRefBlocks(split);
      const bundle = new Bundle(8, MAX);
      expect(bundle.parse(b, 0, b.length)).toBe(0);
      expect(bundle.eidCount).toBe(MAX);
      expect(Array.from(bundle.eidScheme)).toEqual([0, 0, 0, 0]);
      expect(Array.from(bundle.eidSsp)).toEqual([4, 4, 4, 4]);
      for (let i = 0; i < split.length; i++) expect(bundle.blockEidCount[i]).toBe(split[i]);
      const g = signWith(new Signer(8, MAX), b);
      const l = signWith(new OnboardSigner(8, MAX), b);
      expect(g.n).toBeGreaterThan(0);
      expect(Buffer.from(l.out).equals(Buffer.from(g.out))).toBe(true);
      for (const v of [new Verifier(8, MAX, 4), new OnboardVerifier(8, MAX, 4)]) {
        expect(v.verifyAll(g.out, 0, g.out.length)).toBe(1);
        expect(v.verdict[0]).toBe(Verdict.Ok);
      }
    });
  }
});

describe("CBHE EID references in a block: ipn numbers below 2^32 (the reference tables are 32-bit)", () => {
  /** A CBHE bundle whose extension block refers to (node, 1). */
  function cbhe(node: number): Uint8Array {
    return buildBundle({
      cbhe: true, eids: [], ipn: [[node, 1], [2, 1], [3, 1], [4, 1]], flags: 0, fragment: false, fragOffset: [0, 0], totalLength: 0,
      ctime: [0, 1], seq: [0, 1], lifetime: [0, 100], before: [{ type: 0xc0, flags: 0, refs: [0], data: new Uint8Array(1) }],
      payload: new Uint8Array(3), payloadFlags: 0, after: [],
    });
  }

  it("2^32 - 1 is kept and signs on both paths; 2^32 and 2^40 are DictOffsetOutOfRange on the parser, both verifiers, both signers", () => {
    const ok = cbhe(2 ** 32 - 1);
    const bundle = new Bundle(8, 8);
    expect(bundle.parse(ok, 0, ok.length)).toBe(0);
    expect(bundle.eidScheme[0]).toBe(2 ** 32 - 1);
    const g = signWith(new Signer(8, 8), ok);
    const l = signWith(new OnboardSigner(8, 8), ok);
    expect(g.n).toBeGreaterThan(0);
    expect(Buffer.from(l.out).equals(Buffer.from(g.out))).toBe(true);
    for (const node of [2 ** 32, 2 ** 40]) {
      const b = cbhe(node);
      const ctx = `node ${node}`;
      expect(errorName(new Bundle(8, 8).parse(b, 0, b.length)), ctx).toBe("DictOffsetOutOfRange");
      expect(errorName(new Verifier(8, 8, 4).verifyAll(b, 0, b.length)), ctx).toBe("DictOffsetOutOfRange");
      expect(errorName(new OnboardVerifier(8, 8, 4).verifyAll(b, 0, b.length)), ctx).toBe("DictOffsetOutOfRange");
      expect(errorName(signWith(new Signer(8, 8), b).n), ctx).toBe("DictOffsetOutOfRange");
      expect(errorName(signWith(new OnboardSigner(8, 8), b).n), ctx).toBe("DictOffsetOutOfRange");
    }
  });
});

/**
 * Example 1's bundle with one PIB (suite `kind`, cs-id 4/5/6) whose block data is
 * cs-id | cs-flags | [correlator] | params length | params | result length | result, and
 * whose result values (every item 5 of the result's size) hold the right digest: the
 * bundle would verify Ok but for the defect under test.
 */
function forged(kind: number, csFlags: number, corr: number[], params: number[], result: number[]): Uint8Array {
  const csId = kind === SuiteKind.Hmac ? 4 : kind === SuiteKind.Md5 ? 5 : 6;
  const body = [csId, csFlags, ...corr, ...sdnvBytes(params.length, 0), ...params, ...sdnvBytes(result.length, 0), ...result];
  const b = Uint8Array.from([...PRIMARY, 3, 1, ...sdnvBytes(body.length, 0), ...body, ...PAYLOAD]);
  const bundle = new Bundle(8, 8);
  expect(bundle.parse(b, 0, b.length)).toBe(0);
  const d = new SuiteDigests().fixed(kind, 0)!;
  d.reset();
  expect(new Canonicalizer().runCovered(bundle, 0, PROFILE_RFC6257, d, 0, PAYLOAD.length - 3)).toBe(0);
  const mac = new Uint8Array(d.size);
  d.finish(mac, 0);
  // Every item 5 of the suite's size gets the digest.
  const resAt = b.length - PAYLOAD.length - result.length;
  for (let p = resAt; p < resAt + result.length;) {
    const t = b[p]!, n = b[p + 1]!;
    if (t === 5 && n === d.size) b.set(mac, p + 2);
    p += 2 + n;
  }
  return b;
}

const RANGE = [4, 2, 0, 12];
const HMAC_KEY0 = [3, 1, 0];
const resultItem = (size: number): number[] => [5, size, ...new Array<number>(size).fill(0)];

/** Verdict and code of the bundle's one PIB on the ground and on the on-board path. */
type Row = [string, number, string];
function verdicts(b: Uint8Array): [Row, Row] {
  const one = (who: string, v: Verifier | OnboardVerifier): Row => {
    expect(v.verifyAll(b, 0, b.length), who).toBe(1);
    return [who, v.verdict[0]!, v.code[0] ? errorName(-v.code[0]) : "0"];
  };
  return [one("ground", new Verifier(8, 8, 4)), one("on-board", new OnboardVerifier(8, 8, 4))];
}

describe("forged PIBs with the right digest and one defect", () => {
  it("the forge is right: without a defect each suite verifies Ok on both paths", () => {
    for (const [kind, params, size] of [[SuiteKind.Crc32, RANGE, 4], [SuiteKind.Md5, RANGE, 16], [SuiteKind.Hmac, [...HMAC_KEY0, ...RANGE], 10]] as const) {
      const b = forged(kind, 0x05, [], [...params], resultItem(size));
      expect(verdicts(b)).toEqual([["ground", Verdict.Ok, "0"], ["on-board", Verdict.Ok, "0"]]);
    }
    // and reproduces the worked examples octet for octet
    expect(forged(SuiteKind.Crc32, 0x05, [], RANGE, resultItem(4))).toEqual(hex(EX1_CRC));
    expect(forged(SuiteKind.Md5, 0x05, [], RANGE, resultItem(16))).toEqual(hex(EX1_MD5));
    expect(forged(SuiteKind.Hmac, 0x05, [], [...HMAC_KEY0, ...RANGE], resultItem(10))).toEqual(hex(EX1_HMAC));
  });

  it("two result items: Malformed (TlvMalformed) on both paths, every suite", () => {
    for (const [kind, params, size] of [[SuiteKind.Crc32, RANGE, 4], [SuiteKind.Md5, RANGE, 16], [SuiteKind.Hmac, [...HMAC_KEY0, ...RANGE], 10]] as const) {
      const b = forged(kind, 0x05, [], [...params], [...resultItem(size), ...resultItem(size)]);
      expect(verdicts(b), `suite kind ${kind}`).toEqual([["ground", Verdict.Malformed, "TlvMalformed"], ["on-board", Verdict.Malformed, "TlvMalformed"]]);
    }
  });

  it("two key-id items (PIB-HMAC, same key id twice or 0 then 1): Malformed (TlvMalformed) on both paths", () => {
    for (const keys of [[...HMAC_KEY0, ...HMAC_KEY0], [...HMAC_KEY0, 3, 1, 1], [3, 1, 1, ...HMAC_KEY0]]) {
      for (const params of [[...keys, ...RANGE], [...RANGE, ...keys], [keys[0]!, keys[1]!, keys[2]!, ...RANGE, keys[3]!, keys[4]!, keys[5]!]]) {
        const b = forged(SuiteKind.Hmac, 0x05, [], params, resultItem(10));
        expect(verdicts(b), `params ${params.join(" ")}`).toEqual([["ground", Verdict.Malformed, "TlvMalformed"], ["on-board", Verdict.Malformed, "TlvMalformed"]]);
      }
    }
  });

  it("two range items: Malformed (TlvMalformed) on both paths", () => {
    const b = forged(SuiteKind.Crc32, 0x05, [], [...RANGE, ...RANGE], resultItem(4));
    expect(verdicts(b)).toEqual([["ground", Verdict.Malformed, "TlvMalformed"], ["on-board", Verdict.Malformed, "TlvMalformed"]]);
  });

  it("a correlator (cs-flags 0x07): Malformed (CorrelatorPresent) on both paths, every suite, correlator 0 and 300", () => {
    for (const corr of [[0], [0x82, 0x2c]]) {
      for (const [kind, params, size] of [[SuiteKind.Crc32, RANGE, 4], [SuiteKind.Md5, RANGE, 16], [SuiteKind.Hmac, [...HMAC_KEY0, ...RANGE], 10]] as const) {
        const b = forged(kind, 0x07, corr, [...params], resultItem(size));
        expect(verdicts(b), `suite kind ${kind} correlator ${corr.join(" ")}`).toEqual([["ground", Verdict.Malformed, "CorrelatorPresent"], ["on-board", Verdict.Malformed, "CorrelatorPresent"]]);
      }
    }
  });
});

describe("ASB fields that do not fit the block data", () => {
  /** The signed worked bundles; their PIB starts at octet 50: 03 01 <len> <cs-id> 05 <params length> … */
  const SIGNED: Array<[string, string]> = [["CRC", EX1_CRC], ["MD5", EX1_MD5], ["HMAC", EX1_HMAC]];
  const PARAMS_LEN_AT = PRIMARY.length + 5;

  it("a params length running into the result field, up to its last octet, is AsbMalformed or TlvMalformed on the ground, a listed Malformed code on board", () => {
    let asbMalformed = 0;
    for (const [name, h] of SIGNED) {
      const b0 = hex(h);
      const blockEnd = b0.length - PAYLOAD.length;
      const orig = b0[PARAMS_LEN_AT]!;
      // Every params length from one octet too long to one ending at the block's last octet.
      for (let plen = orig + 1; PARAMS_LEN_AT + 1 + plen < blockEnd; plen++) {
        const b = b0.slice();
        b[PARAMS_LEN_AT] = plen;
        const [[, gv, gc], [, lv, lc]] = verdicts(b);
        const ctx = `${name}: params length ${orig} -> ${plen}`;
        expect(gv, ctx).toBe(Verdict.Malformed);
        expect(["AsbMalformed", "TlvMalformed"], `${ctx}: ground code ${gc}`).toContain(gc);
        expect(lv, ctx).toBe(Verdict.Malformed);
        expect(["AsbMalformed", "TlvMalformed"], `${ctx}: on-board code ${lc}`).toContain(lc);
        if (gc === "AsbMalformed") asbMalformed++;
      }
    }
    expect(asbMalformed).toBeGreaterThan(10);
  });

  it("the params length that leaves only the result's last octet (0x81 in the CRC example) as the result length: AsbMalformed on both", () => {
    const b = hex(EX1_CRC);
    const blockEnd = b.length - PAYLOAD.length;
    expect(b[blockEnd - 1]).toBe(0x81);
    b[PARAMS_LEN_AT] = blockEnd - 1 - (PARAMS_LEN_AT + 1);
    expect(verdicts(b)).toEqual([["ground", Verdict.Malformed, "AsbMalformed"], ["on-board", Verdict.Malformed, "AsbMalformed"]]);
  });

  it("a cs-id or cs-flags SDNV cut short by the block's end: AsbMalformed on both", () => {
    for (const body of [[0x86], [0x06, 0x85], [0x06, 0x07, 0x81]]) {
      const b = Uint8Array.from([...PRIMARY, 3, 1, body.length, ...body, ...PAYLOAD]);
      expect(verdicts(b), body.join(" ")).toEqual([["ground", Verdict.Malformed, "AsbMalformed"], ["on-board", Verdict.Malformed, "AsbMalformed"]]);
    }
  });

  it("an SDNV that is bad in itself keeps its own code on the ground (SdnvTooLong)", () => {
    const body = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x06, 0x05, 0];
    const b = Uint8Array.from([...PRIMARY, 3, 1, body.length, ...body, ...PAYLOAD]);
    const [[, gv, gc], [, lv]] = verdicts(b);
    expect([gv, gc]).toEqual([Verdict.Malformed, errorName(-Err.SdnvTooLong)]);
    expect(lv).toBe(Verdict.Malformed);
  });
});

describe("a PIB on a fragment is checked only when its range is exactly the fragment", () => {
  /** The worked fragment (offset 7, 5 payload octets, CRC-32C, range item 04 02 07 05). */
  const RANGE_AT = (() => {
    const b = hex(EX2);
    for (let i = 0; i + 3 < b.length; i++) if (b[i] === 4 && b[i + 1] === 2 && b[i + 2] === 7 && b[i + 3] === 5) return i + 2;
    throw new Error("range item 04 02 07 05 not found in the worked fragment");
  })();

  it("the worked fragment verifies Ok on both paths", () => {
    expect(verdicts(hex(EX2))).toEqual([["ground", Verdict.Ok, "0"], ["on-board", Verdict.Ok, "0"]]);
  });

  it("range offset other than the fragment's (length right): SkippedFragment on both, never Ok or Mismatch", () => {
    for (const off of [0, 6, 8, 12]) {
      const b = hex(EX2);
      b[RANGE_AT] = off;
      expect(verdicts(b), `range offset ${off}`).toEqual([["ground", Verdict.SkippedFragment, "0"], ["on-board", Verdict.SkippedFragment, "0"]]);
    }
  });

  it("range length other than the fragment's payload (offset right): SkippedFragment on both", () => {
    for (const len of [0, 4, 6, 12]) {
      const b = hex(EX2);
      b[RANGE_AT + 1] = len;
      expect(verdicts(b), `range length ${len}`).toEqual([["ground", Verdict.SkippedFragment, "0"], ["on-board", Verdict.SkippedFragment, "0"]]);
    }
  });
});

// ---------------------------------------------------------------------------------------
// The simulator's random streams at their boundaries (a stream made to return chosen
// uniforms, so the boundary is hit exactly instead of once in 2^53 draws).

/** An Rng whose float() returns the given values in turn (then the real stream). */
class ScriptedRng extends Rng {
  constructor(private readonly values: number[]) { super(1); }
  override float(): number {
    return this.values.length > 0 ? this.values.shift()! : super.float();
  }
}

describe("sim/rng.ts at its boundaries", () => {
  it("below(n) gives every value of [0, n) and nothing else, for n not a power of two", () => {
    const r = new Rng(20080311).fork("below");
    for (const n of [3, 5, 6, 7, 10, 12]) {
      const seen = new Array<number>(n).fill(0);
      for (let i = 0; i < 200 * n; i++) {
        const v = r.below(n);
        expect(Number.isInteger(v) && v >= 0 && v < n, `below(${n}) gave ${v}`).toBe(true);
        seen[v]!++;
      }
      expect(seen.every((c) => c > 0), `below(${n}) counts ${seen.join(" ")}`).toBe(true);
    }
    // and at the top of the uniform: float() just under 1 is n - 1
    expect(new ScriptedRng([1 - 2 ** -53]).below(10)).toBe(9);
    expect(new ScriptedRng([0]).below(10)).toBe(0);
  });

  it("pick: the uniform's interval [prefix, prefix + weight) picks an entry; a zero weight is never picked", () => {
    // x = float() × total lands exactly on a prefix sum: the next entry.
    expect(new ScriptedRng([0.5]).pick([1, 1])).toBe(1);
    expect(new ScriptedRng([0.25]).pick([1, 1, 2])).toBe(1);
    expect(new ScriptedRng([0]).pick([0, 0, 3])).toBe(2);
    expect(new ScriptedRng([0.5]).pick([1, 0, 1])).toBe(2);
    expect(new ScriptedRng([1 - 2 ** -53]).pick([1, 1, 0])).toBe(1);
  });

  it("poisson (mean < 10, Knuth): 0 when the first uniform is at or below e^-mean, one more per uniform above it", () => {
    /** floatOpen0() scripted directly: the product must be able to equal e^-mean exactly. */
    class ScriptedOpen extends Rng {
      constructor(private readonly values: number[]) { super(1); }
      override floatOpen0(): number { return this.values.shift()!; }
    }
    const mean = 2;
    const limit = Math.exp(-mean);
    expect(new ScriptedOpen([limit]).poisson(mean)).toBe(0);
    expect(new ScriptedOpen([0.1]).poisson(mean)).toBe(0);
    expect(new ScriptedOpen([1, limit]).poisson(mean)).toBe(1);
    // 0.9 × 0.5 = 0.45 > e^-2, × 0.2 = 0.09 <= e^-2: two products above the limit, k = 2
    expect(new ScriptedOpen([0.9, 0.5, 0.2]).poisson(mean)).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------
// Upsets over a whole memory and the recorder's bounds.

function scenario(edits: (s: Scenario) => void): Scenario {
  const s = JSON.parse(JSON.stringify(loadScenario("test-tiny"))) as Scenario;
  edits(s);
  return s;
}

describe("upset positions and the recorder's bounds", () => {
  it("UpsetSource.generate: events start on every bit of a small memory, the last one included, and nowhere else", () => {
    const s = scenario((x) => { x.radiation.seuPerBitDay.value = 1e4; });
    const src = new UpsetSource(s, new Orbit(s));
    for (const nBits of [12, 16, 37]) {
      const ups = src.generate(0, 3600, nBits, new Rng(7).fork(`bits/${nBits}`));
      expect(ups.length, `nBits ${nBits}`).toBeGreaterThan(100 * nBits);
      const seen = new Set<number>();
      for (const u of ups) {
        expect(Number.isInteger(u.bit) && u.bit >= 0 && u.bit < nBits, `bit ${u.bit} of ${nBits}`).toBe(true);
        seen.add(u.bit);
      }
      expect(seen.size, `nBits ${nBits}: the last bit ${seen.has(nBits - 1) ? "hit" : "never hit"}`).toBe(nBits);
    }
  });

  /** A recorder without EDAC or stuck cells whose first hour's events are `events`. */
  function recorderWith(events: Upset[], size = 64): Recorder {
    const s = scenario((x) => { x.radiation.stuckBitsPerGiB.value = 0; });
    const rec = new Recorder(s, size, new Rng(3), { edac: false });
    rec.source.generate = (t0: number) => (t0 === 0 ? events.map((u) => ({ ...u })) : []);
    return rec;
  }

  it("a cluster at the memory's last bits flips only bits inside the memory (counts, ground truth, bytes)", () => {
    const size = 64, nBits = size * 8;
    for (let width = 1; width <= 8; width++) {
      for (let bit = nBits - width; bit < nBits; bit++) {
        const rec = recorderWith([{ t: 10, bit, width }], size);
        rec.advance(3600);
        const st = rec.stats();
        const inside = nBits - bit < width ? nBits - bit : width;
        const ctx = `width ${width} at bit ${bit}`;
        expect(st.events, ctx).toBe(1);
        expect(st.bitsFlipped, ctx).toBe(inside);
        expect(st.bitsWrongNow, ctx).toBe(inside);
        let ones = 0;
        for (const x of rec.mem) for (let k = 0; k < 8; k++) ones += (x >> k) & 1;
        expect(ones, ctx).toBe(inside);
      }
    }
  });

  it("write: first fit takes a freed gap of exactly the allocation", () => {
    const rec = recorderWith([]);
    const a = rec.write(new Uint8Array(8).fill(0xa1), 0);
    const b = rec.write(new Uint8Array(8).fill(0xb2), 0);
    const c = rec.write(new Uint8Array(8).fill(0xc3), 0);
    expect([a, b, c].every((x) => x >= 0)).toBe(true);
    expect(Array.from(rec.mem.subarray(0, 24))).toEqual([...new Array<number>(8).fill(0xa1), ...new Array<number>(8).fill(0xb2), ...new Array<number>(8).fill(0xc3)]);
    rec.release(b);
    expect(rec.freeBytes()).toBe(64 - 16);
    const d = rec.write(new Uint8Array(8).fill(0xd4), 0);
    expect(d).toBeGreaterThanOrEqual(0);
    // into the 8-octet gap at offset 8, not after c
    expect(Array.from(rec.mem.subarray(8, 16))).toEqual(new Array<number>(8).fill(0xd4));
    expect(Array.from(rec.mem.subarray(24, 32))).toEqual(new Array<number>(8).fill(0));
    // and a memory filled to the last octet takes one more write only when a gap fits it
    const rest = rec.write(new Uint8Array(64 - 24), 0);
    expect(rest).toBeGreaterThanOrEqual(0);
    expect(rec.freeBytes()).toBe(0);
    expect(rec.write(new Uint8Array(1), 0)).toBe(-1);
  });

  it("eventsOnLiveData: an event on a slot's last byte counts, one on the byte after it does not", () => {
    // slot: 5 data bytes at offset 0 (8 allocated); bytes 5..7 are padding, not live data
    const events: Upset[] = [
      { t: 10, bit: 4 * 8 + 7, width: 1 },   // last bit of the last live byte: live
      { t: 11, bit: 5 * 8, width: 1 },       // first bit after the slot's data: not live
      { t: 12, bit: 0, width: 1 },           // first bit of the slot: live
      { t: 13, bit: 8 * 8, width: 1 },       // the next allocation unit: not live
    ];
    const rec = recorderWith(events);
    const id = rec.write(Uint8Array.from([1, 2, 3, 4, 5]), 0);
    expect(id).toBeGreaterThanOrEqual(0);
    rec.advance(3600);
    expect(rec.stats().events).toBe(4);
    expect(rec.stats().eventsOnLiveData).toBe(2);
    expect(rec.flippedBits(id)).toEqual([0, 39]);
  });
});
