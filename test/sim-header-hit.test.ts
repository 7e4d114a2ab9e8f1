/**
 * Header hits decided without the payload (sim/headerHit.ts) against the firmware's
 * verdicts on the real bytes: every single-bit hit of a signed bundle's header, and
 * random hits in the header together with payload errors.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_STACK_BYTES, firmwarePath, makeDevice, wholeBundle, type Checked, type Device } from "../sim/device.js";
import { HeaderJudge } from "../sim/headerHit.js";
import { Rng } from "../sim/rng.js";
import { crc32cSyndromes } from "../sim/statistical.js";
import { Crc32c } from "../src/core/crc32c.js";
import { Asb, TlvItem } from "../src/ground/asb.js";
import { Bundle } from "../src/ground/bundle.js";
import { Verifier } from "../src/ground/pib.js";
import { Wire } from "../src/core/wire.js";
import { Canonicalizer } from "../src/ground/canon.js";
import { PROFILE_RFC6257 } from "../src/ground/profiles.js";
import { Gf2Basis } from "./support/gf2.js";
import { discardsCopy } from "../sim/checkRule.js";

beforeAll(() => {
  if (!existsSync(firmwarePath())) execFileSync("node", ["targets/build/build.mjs"], { stdio: "ignore" });
});

/** The simulator's rule (sim/checkRule.ts) on the firmware's own verdicts: per kind, does a check discard this copy? */
function discards(c: Checked, kinds: number[]): boolean[] {
  return kinds.map((kind) => discardsCopy(c, kind));
}

interface Signed { device: Device; bundle: Uint8Array; header: number; judge: HeaderJudge; kinds: number[] }

async function signed(kinds: number[], payloadLen: number, seed: number): Promise<Signed> {
  const device = await makeDevice("fast", 1 << 30, DEFAULT_STACK_BYTES);
  expect(device.setup(payloadLen + 4096, kinds)).toBeNull();
  const payload = new Uint8Array(payloadLen);
  const rng = new Rng(seed);
  for (let i = 0; i < payloadLen; i++) payload[i] = rng.u32() & 0xff;
  const s = device.sign(payload, 300, 1_000_000);
  if (!s.ok) throw new Error(s.error);
  const bundle = wholeBundle(s, payload);
  const header = bundle.length - payloadLen;
  // the judge gets the header of a stand-in payload, as the statistical mode does: another
  // length with the same SDNV length (written in by the judge), other results (not needed)
  const other = device.sign(new Uint8Array(128), 300, 1_000_000);
  if (!other.ok) throw new Error(other.error);
  const judge = new HeaderJudge(other.header, bundle.length, kinds.length, crc32cSyndromes());
  return { device, bundle, header, judge, kinds };
}

function flipped(b: Uint8Array, bits: readonly number[]): Uint8Array {
  const c = b.slice();
  for (const p of bits) c[p >> 3]! ^= 1 << (p & 7);
  return c;
}

describe("header hits decided without the payload = the firmware on the bytes", () => {
  // 3,000 octets: the device's verifier holds the whole bundle; 6,000: more than its window (sim/device.ts), so it streams
  for (const [kinds, len] of [[[1, 2, 3], 3000], [[3], 6000], [[3, 2, 1], 6000]] as const) {
    it(`every single-bit hit of the header, suites ${kinds.join(",")}, ${len}-octet payload`, async () => {
      const s = await signed([...kinds], len, 1);
      let decided = 0, caught = 0, passed = 0;
      for (let p = 0; p < s.header * 8; p++) {
        const d = s.judge.decide([p], [...kinds]);
        if (d === null) continue;
        decided++;
        const want = discards(s.device.verify(flipped(s.bundle, [p]), -1) as Checked, [...kinds]);
        expect(d, `bit ${p} (octet ${p >> 3})`).toEqual(want);
        for (const x of want) if (x) caught++; else passed++;
      }
      // nearly every hit is decided; both verdicts occur (fields the canonical form leaves out pass)
      expect(decided).toBeGreaterThan(s.header * 8 * 0.8);
      expect(caught).toBeGreaterThan(0);
      expect(passed).toBeGreaterThan(0);
    }, 60_000);
  }
});

describe("named fields", () => {
  it("primary block length, dictionary, a PIB's result, a field the canonical form leaves out, the payload length: decided, as the firmware decides", async () => {
    const kinds = [1, 2, 3];
    const s = await signed(kinds, 3000, 4);
    const b = new Bundle(16, 16);
    expect(b.parse(s.bundle, 0, s.bundle.length)).toBe(0);
    // primary block: version, flags (one octet here), block length, then 8 dictionary offsets (one octet each)
    expect(s.bundle[1]).toBeLessThan(0x80);
    const custodianSsp = 3 + 7;
    let first = 0;
    while (b.blockType[first] !== 3) first++;
    const pibResult = b.blockDataOff[first]! + b.blockDataLen[first]! - 1; // the last octet of the first PIB: its result
    const payloadLen = b.blockDataOff[b.payloadIndex]! - 1; // last octet of the payload's length field
    const cases: Array<[string, number[], boolean[] | null]> = [
      ["primary block length", [2 * 8 + 0], [true, true, true]],
      ["primary block length, two bits", [2 * 8 + 1, 2 * 8 + 2], [true, true, true]],
      ["dictionary octet", [(b.dictOff + 5) * 8 + 1], [true, true, true]],
      ["first PIB's result", [pibResult * 8 + 4], null],
      ["custodian (left out of the canonical form)", [custodianSsp * 8 + 0], [false, false, false]],
      ["payload length, shorter", [payloadLen * 8 + 3], [true, true, true]],
      ["payload length, longer", [payloadLen * 8 + 6], [true, true, true]],
    ];
    for (const [name, bits, expected] of cases) {
      const truth = discards(s.device.verify(flipped(s.bundle, bits), -1) as Checked, kinds);
      if (expected !== null) expect(truth, `${name}: the firmware`).toEqual(expected);
      expect(s.judge.decide(bits, kinds), name).toEqual(truth);
    }
    // the first PIB is the last signed: its result hit fails it alone
    expect(s.judge.decide([pibResult * 8 + 4], kinds)!.filter((x) => x).length).toBe(1);
  });
});

describe("several hits at once", () => {
  it("random hits in the header with and without payload errors", async () => {
    const kinds = [1, 2, 3];
    const s = await signed(kinds, 3000, 2);
    const rng = new Rng(9);
    const payloadBits = (s.bundle.length - s.header) * 8;
    let decided = 0;
    for (let t = 0; t < 3000; t++) {
      const set = new Set<number>();
      const nh = 1 + (t % 3), np = t % 4;
      for (let i = 0; i < nh; i++) set.add(rng.below(s.header * 8));
      for (let i = 0; i < np; i++) set.add(s.header * 8 + rng.below(payloadBits));
      const bits = [...set].sort((a, b) => a - b);
      const d = s.judge.decide(bits, kinds);
      if (d === null) continue;
      decided++;
      expect(d, `bits ${bits.join(",")}`).toEqual(discards(s.device.verify(flipped(s.bundle, bits), -1) as Checked, kinds));
    }
    expect(decided).toBeGreaterThan(2000);
  }, 60_000);
});

/** CRC-32C of a PIB's canonical form (RFC 6257 §3.4.2), by the ground library with a real digest. */
function canonCrc(bundle: Uint8Array, kindBlock: number): number {
  const b = new Bundle(16, 16);
  expect(b.parse(bundle, 0, bundle.length)).toBe(0);
  const c = new Crc32c();
  expect(new Canonicalizer().run(b, kindBlock, PROFILE_RFC6257, c)).toBe(0);
  return c.value() >>> 0;
}

/** Payload bits (among `cands`) whose syndromes XOR to `target`, by elimination over GF(2). */
function solve(syn: (p: number) => number, cands: number[], target: number): number[] {
  const basis = new Gf2Basis();
  for (const p of cands) basis.add(p, syn(p));
  return basis.express(target);
}

describe("CRC-32C by linearity across header and payload", () => {
  it("a header hit cancelled by payload errors of the same syndrome: the firmware's CRC-32C misses it and so does the judge", async () => {
    const kinds = [3, 2, 1]; // the CRC-32C PIB signed first: nearest the payload, after the MD5 and HMAC PIBs
    const s = await signed(kinds, 3000, 3);
    const syn = crc32cSyndromes();
    const payLen = s.bundle.length - s.header;
    const b = new Bundle(16, 16);
    b.parse(s.bundle, 0, s.bundle.length);
    const v = s.device.verify(s.bundle, -1) as Checked;
    expect(v.verdicts.map((x) => x & 15)).toEqual([0, 0, 0]);
    let crcBlock = -1;
    for (let i = 0; i < b.blockCount; i++) if (b.blockType[i] === 3 && s.bundle[b.blockDataOff[i]!] === 6) crcBlock = i;
    expect(crcBlock).toBeGreaterThan(0);
    const orig = canonCrc(s.bundle, crcBlock);
    let tried = 0;
    // header bits the CRC-32C PIB's canonical form holds: the primary's lifetime and creation time, the payload's flags
    for (const octet of [b.primaryEnd - 20, b.primaryEnd - 30, s.header - 3]) {
      for (let bit = 0; bit < 8; bit += 3) {
        const h = octet * 8 + bit;
        const hit = flipped(s.bundle, [h]);
        const hb = new Bundle(16, 16);
        if (hb.parse(hit, 0, hit.length) !== 0 || hb.blockStart[crcBlock] !== b.blockStart[crcBlock]) continue;
        const target = (canonCrc(hit, crcBlock) ^ orig) >>> 0;
        if (target === 0) continue;
        const cands = Array.from({ length: 40 }, (_, i) => 100 + 37 * i);
        const e = solve((p) => syn.at(payLen - 1 - (p >> 3), p & 7), cands, target);
        const bits = [h, ...e.map((p) => s.header * 8 + p)];
        const truth = s.device.verify(flipped(s.bundle, bits), -1) as Checked;
        const crcVerdict = truth.verdicts.find((x) => x >> 4 === 3)! & 15;
        expect(crcVerdict, `octet ${octet} bit ${bit}: missed by the firmware's CRC-32C`).toBe(0);
        expect(s.judge.decide(bits, kinds)).toEqual([false, true, true]);
        // one payload error fewer: caught, by the firmware and by the judge
        const fewer = bits.slice(0, -1);
        expect(discards(s.device.verify(flipped(s.bundle, fewer), -1) as Checked, kinds)).toEqual([true, true, true]);
        expect(s.judge.decide(fewer, kinds)).toEqual([true, true, true]);
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(3);
  }, 60_000);
});

describe("a PIB hit so that it is no longer its suite's, or names an unknown key: that suite's hop discards the copy", () => {
  // The mission signs every bundle with the suite under test (sim/checkRule.ts): a copy
  // in which that suite's PIB cannot vouch for the payload is not forwarded. These were
  // "missed" before: the hop found no PIB of its suite, or an unknown key, and forwarded
  // a corrupted payload.
  it("the PIB-HMAC PIB's ciphersuite octet (0x04 → 0x0c) or its key id (0 → 1) hit, with a payload bit", async () => {
    const kinds = [1, 2, 3];
    const s = await signed(kinds, 3000, 1);
    const v = new Verifier(16, 16, 8);
    expect(v.verifyAll(s.bundle, 0, s.bundle.length)).toBe(3);
    const k = Array.from(v.kind.subarray(0, v.count)).indexOf(1);
    const dataAt = v.bundle.blockDataOff[v.block[k]!]!;
    expect(s.bundle[dataAt]).toBe(0x04);
    const asb = new Asb();
    expect(asb.parse(s.bundle, dataAt, v.bundle.blockDataLen[v.block[k]!]!)).toBeGreaterThanOrEqual(0);
    const item = new TlvItem();
    expect(item.find(s.bundle, asb.paramsOff, asb.paramsOff + asb.paramsLen, Wire.ItemKey)).toBe(1);
    expect(s.bundle[item.valueOff]).toBe(0);
    const payloadBit = s.header * 8 + 8 * 1500 + 3;
    for (const [what, bits] of [
      ["ciphersuite octet", [dataAt * 8 + 3, payloadBit]],
      ["key id", [item.valueOff * 8, payloadBit]],
    ] as const) {
      const c = s.device.verify(flipped(s.bundle, bits), -1) as Checked;
      // MD5 and CRC-32C see the payload change; PIB-HMAC's hop has nothing that verifies
      expect(discards(c, kinds), what).toEqual([true, true, true]);
      expect(s.judge.decide(bits, kinds), what).toEqual([true, true, true]);
    }
  });
});

describe("CRC-32C combine (syndrome.ts)", () => {
  const syn = crc32cSyndromes();
  const c = new Crc32c();
  const crcOf = (m: Uint8Array): number => {
    c.reset();
    c.update(m, 0, m.length);
    return c.value() >>> 0;
  };
  const rng = new Rng(11);
  const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => rng.u32() & 0xff);
  /** Every (A, B) split checked against the CRC of A ‖ B; returns the failures. */
  const failures = (combine: (a: number, b: number, n: number) => number): number => {
    let bad = 0;
    for (const [la, lb] of [[0, 0], [0, 5], [7, 0], [1, 1], [13, 300], [150, 4096], [3, 65_537]]) {
      const a = bytes(la!), b = bytes(lb!);
      const ab = new Uint8Array(la! + lb!);
      ab.set(a, 0);
      ab.set(b, la!);
      if (combine(crcOf(a), crcOf(b), lb!) !== crcOf(ab)) bad++;
    }
    return bad;
  };

  it("crc(A ‖ B) from crc(A), crc(B) and |B|, and the CRC of a run of zeros", () => {
    expect(failures((a, b, n) => syn.combine(a, b, n))).toBe(0);
    for (const n of [0, 1, 8, 1000, 123_457]) expect(syn.zeros(n, 0xffffffff), `${n} zeros`).toBe(crcOf(new Uint8Array(n)));
  });

  it("the check fails for a wrong combine: one byte too few or too many, the shift left out, the preset not cancelled", () => {
    expect(failures((a, b, n) => syn.combine(a, b, Math.max(0, n - 1)))).toBeGreaterThan(0);
    expect(failures((a, b, n) => syn.combine(a, b, n + 1))).toBeGreaterThan(0);
    expect(failures((a, b) => (a ^ b) >>> 0)).toBeGreaterThan(0);
    expect(failures((a, b, n) => (syn.shift((a ^ 0xffffffff) >>> 0, n) ^ b) >>> 0)).toBeGreaterThan(0);
  });
});
