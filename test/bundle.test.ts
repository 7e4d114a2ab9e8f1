// RFC 5050 parser, EID text and writer against the worked examples (docs/pib.md:
// example 1, example 2 the fragment) and hand-made defects.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Bundle } from "../src/ground/bundle.js";
import { BundleWriter, PrimarySpec, writeBlock } from "../src/ground/bundleWriter.js";
import { decimalDigits, EidText, eidLength, eidString } from "../src/ground/eid.js";
import { Err } from "../src/core/errors.js";
import { errorName } from "../src/core/errorText.js";
import { readSdnv, U64 } from "../src/core/sdnv.js";

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ""), "hex"));
const toHex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const ascii = (s: string) => Uint8Array.from(Buffer.from(s, "latin1"));

// Example 1 with its CRC-32 PIB (82 octets) and example 2, the fragment (89 octets).
const EXAMPLE1 = hex(
  "068a81182d0004000e00180018fba29000019c101d64746e002f2f6473742f617070002f2f7372632f617070006e6f6e650003010e0605040402000c0605040af5e18101080c48656c6c6f2c20776f726c64",
);
const EXAMPLE1_PRIMARY =
  "068a81182d0004000e00180018fba29000019c101d64746e002f2f6473742f617070002f2f7372632f617070006e6f6e6500";
const EXAMPLE1_PAYLOAD = "01080c48656c6c6f2c20776f726c64";
const FRAGMENT = hex(
  "068a8119380004000e00180018fba29000019c102664746e002f2f6473742f617070002f2f7372632f617070006e6f6e65002f2f72656c61792f00070c034101001d0e060d0404020705060504a97beab9010805776f726c64",
);

/** Collects what an EidText emits. */
class Collect {
  parts: number[] = [];
  update(buf: Uint8Array, off: number, len: number): void {
    for (let i = 0; i < len; i++) this.parts.push(buf[off + i]!);
  }
  text(): string {
    return Buffer.from(this.parts).toString("latin1");
  }
}

function parsed(buf: Uint8Array, maxBlocks = 8, maxRefs = 8): Bundle {
  const b = new Bundle(maxBlocks, maxRefs);
  const r = b.parse(buf, 0, buf.length);
  expect(r, errorName(r)).toBe(0);
  return b;
}

function parseCode(buf: Uint8Array, maxBlocks = 8, maxRefs = 8): string {
  const b = new Bundle(maxBlocks, maxRefs);
  const r = b.parse(buf, 0, buf.length);
  return r === 0 ? "ok" : errorName(r);
}

describe("parse: example 1", () => {
  const b = parsed(EXAMPLE1);
  it("reads every primary field", () => {
    expect(b.version).toBe(6);
    expect(b.flags).toBe(0x28098);
    expect(b.primaryLength).toBe(45);
    expect(b.primaryEnd).toBe(50);
    expect([b.destScheme, b.destSsp, b.srcScheme, b.srcSsp, b.rptScheme, b.rptSsp, b.custScheme, b.custSsp]).toEqual([
      0, 4, 0, 14, 0, 24, 0, 24,
    ]);
    expect([b.ctime.hi, b.ctime.lo, b.seq.lo, b.lifetime.lo]).toEqual([0, 258508800, 1, 3600]);
    expect([b.dictOff, b.dictLen]).toEqual([21, 29]);
    expect(b.isFragment).toBe(false);
  });
  it("reads the block table", () => {
    expect(b.blockCount).toBe(2);
    expect([b.blockType[0], b.blockFlags[0], b.blockStart[0], b.blockDataOff[0], b.blockDataLen[0]]).toEqual([3, 1, 50, 53, 14]);
    expect([b.blockType[1], b.blockFlags[1], b.blockStart[1], b.blockDataOff[1], b.blockDataLen[1]]).toEqual([1, 8, 67, 70, 12]);
    expect(b.payloadIndex).toBe(1);
    expect(b.blockEidCount[0]).toBe(0);
    expect(Buffer.from(EXAMPLE1.subarray(70, 82)).toString()).toBe("Hello, world");
  });
  it("gives EID text with and without colon, with u32 length prefix", () => {
    const t = new EidText();
    expect(eidString(b, b.destScheme, b.destSsp)).toBe("dtn://dst/app");
    expect(eidString(b, b.srcScheme, b.srcSsp)).toBe("dtn://src/app");
    expect(eidString(b, b.rptScheme, b.rptSsp)).toBe("dtn:none");
    expect(eidLength(b, b.destScheme, b.destSsp)).toBe(13);
    let c = new Collect();
    t.emit(b, b.destScheme, b.destSsp, true, false, c);
    expect(c.text()).toBe("dtn://dst/app");
    c = new Collect();
    t.emit(b, b.destScheme, b.destSsp, false, false, c);
    expect(c.text()).toBe("dtn//dst/app");
    c = new Collect();
    t.emit(b, b.rptScheme, b.rptSsp, true, true, c);
    expect(toHex(Uint8Array.from(c.parts))).toBe("00000008" + toHex(ascii("dtn:none")));
    c = new Collect();
    t.emit(b, b.rptScheme, b.rptSsp, false, true, c);
    expect(toHex(Uint8Array.from(c.parts))).toBe("00000007" + toHex(ascii("dtnnone")));
  });
  it("compares EID text to given bytes", () => {
    const t = new EidText();
    const x = ascii("xxdtn://src/appyy");
    expect(t.equals(b, b.srcScheme, b.srcSsp, x, 2, 13)).toBe(true);
    expect(t.equals(b, b.destScheme, b.destSsp, x, 2, 13)).toBe(false);
    expect(t.equals(b, b.srcScheme, b.srcSsp, x, 2, 12)).toBe(false);
    expect(t.equals(b, b.srcScheme, b.srcSsp, ascii("dtn;//src/app"), 0, 13)).toBe(false);
  });
});

describe("parse: example 2, a fragment", () => {
  const b = parsed(FRAGMENT);
  it("reads fragment fields and the PIB's EID reference", () => {
    expect(b.flags).toBe(0x28099);
    expect(b.isFragment).toBe(true);
    expect([b.fragOffset.hi, b.fragOffset.lo, b.totalLength.lo]).toEqual([0, 7, 12]);
    expect(b.dictLen).toBe(38);
    expect(b.primaryEnd).toBe(61);
    expect(b.blockCount).toBe(2);
    expect([b.blockType[0], b.blockFlags[0], b.blockDataLen[0]]).toEqual([3, 0x41, 14]);
    expect([b.blockEidFirst[0], b.blockEidCount[0], b.eidScheme[0], b.eidSsp[0]]).toEqual([0, 1, 0, 29]);
    expect(eidString(b, b.eidScheme[0]!, b.eidSsp[0]!)).toBe("dtn://relay/");
    expect([b.blockType[1], b.blockDataLen[1]]).toEqual([1, 5]);
    expect(b.payloadIndex).toBe(1);
  });
  it("parses in place at an offset inside a larger buffer", () => {
    const big = new Uint8Array(FRAGMENT.length + 20).fill(0xff);
    big.set(FRAGMENT, 7);
    const c = new Bundle(4, 4);
    expect(c.parse(big, 7, 7 + FRAGMENT.length)).toBe(0);
    expect(c.start).toBe(7);
    expect(c.dictOff).toBe(b.dictOff + 7);
    expect(c.blockDataOff[1]).toBe(b.blockDataOff[1]! + 7);
    expect(eidString(c, c.eidScheme[0]!, c.eidSsp[0]!)).toBe("dtn://relay/");
  });
});

describe("parse: range handling", () => {
  it("an end past the buffer is clamped to the buffer", () => {
    const b = new Bundle(4, 4);
    // the payload claims 12 octets but the array stops 2 short: a too-large end must not hide that
    expect(b.parse(EXAMPLE1.subarray(0, 80), 0, 82)).toBe(-Err.BlockPastEnd);
  });
  it("a range inside a larger buffer ends where told, not at the buffer's end", () => {
    const big = Uint8Array.from([...EXAMPLE1, 0x01, 0x08, 0x00]);
    const b = new Bundle(4, 4);
    expect(b.parse(big, 0, EXAMPLE1.length)).toBe(0);
    expect(b.parse(big, 0, big.length)).toBe(-Err.DataAfterLastBlock);
  });
});

describe("parse: CBHE (RFC 6260)", () => {
  // IBR-DTN's CBHE bundle from the corpus: dest ipn:2.3, source ipn:1.2, report-to ipn:6.1.
  const buf = hex("0610110203010206010000 82c9ddc220 0b 9c10 00 01080a30313233343536373839");
  const b = parsed(buf);
  it("keeps node/service numbers and synthesises ipn text", () => {
    expect(b.dictLen).toBe(0);
    expect(eidString(b, b.destScheme, b.destSsp)).toBe("ipn:2.3");
    expect(eidString(b, b.rptScheme, b.rptSsp)).toBe("ipn:6.1");
    expect(eidLength(b, b.srcScheme, b.srcSsp)).toBe(7);
    const t = new EidText();
    let c = new Collect();
    t.emit(b, b.srcScheme, b.srcSsp, true, true, c);
    expect(toHex(Uint8Array.from(c.parts))).toBe("00000007" + toHex(ascii("ipn:1.2")));
    c = new Collect();
    t.emit(b, b.srcScheme, b.srcSsp, false, false, c);
    expect(c.text()).toBe("ipn1.2");
    expect(t.equals(b, b.destScheme, b.destSsp, ascii("ipn:2.3"), 0, 7)).toBe(true);
    expect(t.equals(b, b.destScheme, b.destSsp, ascii("ipn:2.4"), 0, 7)).toBe(false);
  });
  it("synthesises large node numbers digit by digit", () => {
    const big = new Bundle(4, 4);
    // dest node 2^53-1 (8-octet SDNV), service 4294967295 (5 octets); everything else 0.
    const prim = hex("8fffffffffffff7f 8fffffff7f 00 00 00 00 00 00 00 00 00 00");
    const body = new Uint8Array([6, 0x10, prim.length, ...prim, 0x01, 0x08, 0x00]);
    expect(big.parse(body, 0, body.length)).toBe(0);
    expect(eidString(big, big.destScheme, big.destSsp)).toBe("ipn:9007199254740991.4294967295");
    const c = new Collect();
    new EidText().emit(big, big.destScheme, big.destSsp, true, false, c);
    expect(c.text()).toBe("ipn:9007199254740991.4294967295");
    expect(eidLength(big, big.destScheme, big.destSsp)).toBe(31);
    expect(decimalDigits(0)).toBe(1);
    expect(decimalDigits(10)).toBe(2);
  });
});

/** Example 1 with byte `at` replaced (or bytes spliced). */
function patched(at: number, bytes: number[], del = bytes.length): Uint8Array {
  const a = [...EXAMPLE1];
  a.splice(at, del, ...bytes);
  return Uint8Array.from(a);
}

describe("parse: named rejections", () => {
  it("wrong version", () => expect(parseCode(patched(0, [5]))).toBe("BadVersion"));
  it("empty input", () => expect(parseCode(new Uint8Array(0))).toBe("PrimaryTruncated"));
  it("SDNV errors pass through", () => {
    expect(parseCode(hex("06"))).toBe("SdnvTruncated");
    expect(parseCode(hex("06 8080808080808080808001"))).toBe("SdnvTooLong");
    expect(parseCode(hex("06 82808080808080808000"))).toBe("SdnvOverflow");
    // a length must be an exact number; flags may take all 64 bits (test/wide-fields.test.ts)
    expect(parseCode(hex("06 00 81808080808080808000 00"))).toBe("SdnvUnsafe");
  });
  it("primary length disagreeing with its fields", () => {
    expect(parseCode(patched(4, [0x2c]))).toBe("PrimaryLengthMismatch"); // 44: dictionary cut short
    expect(parseCode(patched(4, [0x2e]))).toBe("PrimaryLengthMismatch"); // 46: a byte too many
    expect(parseCode(patched(4, [0x7f]))).toBe("PrimaryTruncated"); // 127: past the input
  });
  it("dictionary offset outside the dictionary, string without NUL", () => {
    expect(parseCode(patched(6, [0x1d]))).toBe("DictOffsetOutOfRange"); // dest ssp 29
    // the last dictionary octet NUL → 'x': "none" is no longer terminated
    expect(parseCode(patched(49, [0x78]))).toBe("DictStringUnterminated");
    expect(parseCode(patched(49, [0x78]).subarray(0, 50))).toBe("DictStringUnterminated");
  });
  it("block past end, data after last block, no last block", () => {
    expect(parseCode(EXAMPLE1.subarray(0, 81))).toBe("BlockPastEnd");
    expect(parseCode(Uint8Array.from([...EXAMPLE1, 0]))).toBe("DataAfterLastBlock");
    expect(parseCode(patched(68, [0x00]))).toBe("NoLastBlock");
    expect(parseCode(EXAMPLE1.subarray(0, 50))).toBe("NoLastBlock");
  });
  it("EID-reference count 0, too many references, too many blocks", () => {
    // PIB flags 0x41 with count 0
    expect(parseCode(patched(51, [0x41, 0x00], 1))).toBe("EidRefCountZero");
    const frag = FRAGMENT;
    expect(parseCode(frag, 8, 0)).toBe("TooManyEidRefs");
    expect(parseCode(EXAMPLE1, 1, 8)).toBe("TooManyBlocks");
    expect(parseCode(EXAMPLE1, 2, 8)).toBe("ok");
  });
  it("block EID reference outside the dictionary", () => {
    const a = [...FRAGMENT];
    a[65] = 38; // ssp offset of the PIB's reference → dictLen
    expect(parseCode(Uint8Array.from(a))).toBe("DictOffsetOutOfRange");
  });
  it("more than one payload", () => {
    const a = patched(68, [0x00]); // payload not last
    expect(parseCode(Uint8Array.from([...a, ...hex(EXAMPLE1_PAYLOAD)]))).toBe("DuplicatePayload");
  });
  it("a bundle without payload parses (payloadIndex -1)", () => {
    const b = parsed(patched(51, [0x09]).subarray(0, 67));
    expect(b.payloadIndex).toBe(-1);
    expect(b.blockCount).toBe(1);
  });
  it("accepts padded SDNVs everywhere", () => {
    // flags 0x28098 padded to 5 octets, seq 1 as 80 80 01: block length grows by 2+2.
    const a = [...EXAMPLE1];
    a.splice(17, 1, 0x80, 0x80, 0x01);
    a.splice(1, 3, 0x80, 0x80, 0x8a, 0x81, 0x18);
    a[6] = 0x2f; // block length 47
    const b = parsed(Uint8Array.from(a));
    expect(b.flags).toBe(0x28098);
    expect(b.seq.lo).toBe(1);
    expect(eidString(b, b.destScheme, b.destSsp)).toBe("dtn://dst/app");
  });
});

describe("writer", () => {
  function example1Spec(): PrimarySpec {
    const s = new PrimarySpec();
    s.flags = 0x28098;
    s.dest = ascii("dtn://dst/app");
    s.source = ascii("dtn://src/app");
    s.reportTo = ascii("dtn:none");
    s.custodian = ascii("dtn:none");
    s.ctime.lo = 258508800;
    s.seq.lo = 1;
    s.lifetime.lo = 3600;
    return s;
  }
  it("reproduces Example 1's primary block and payload byte for byte", () => {
    const w = new BundleWriter();
    const out = new Uint8Array(100);
    const p = w.writePrimary(out, 0, out.length, example1Spec());
    expect(p).toBe(50);
    expect(toHex(out.subarray(0, p))).toBe(EXAMPLE1_PRIMARY);
    const q = writeBlock(out, p, out.length, 1, 0, true, ascii("Hello, world"), 0, 12);
    expect(toHex(out.subarray(p, q))).toBe(EXAMPLE1_PAYLOAD);
    const b = parsed(out.subarray(0, q));
    expect(b.payloadIndex).toBe(0);
  });
  it("writes example 2's fragment primary block with an extension block before the payload", () => {
    const s = example1Spec();
    s.flags = 0x28099;
    s.fragOffset.lo = 7;
    s.totalLength.lo = 12;
    const w = new BundleWriter();
    const out = new Uint8Array(200);
    let p = w.writePrimary(out, 0, out.length, s);
    // DTN2-style dictionary has no //relay/ (only the 4 primary EIDs): 29 octets, block length 47.
    const b0 = parsed(Uint8Array.from([...out.subarray(0, p), ...hex("010805776f726c64")]));
    expect([b0.isFragment, b0.fragOffset.lo, b0.totalLength.lo, b0.dictLen]).toEqual([true, 7, 12, 29]);
    p = writeBlock(out, p, out.length, 0xc0, 0x08, false, ascii("ext"), 0, 3);
    p = writeBlock(out, p, out.length, 1, 0, true, ascii("world"), 0, 5);
    const b = parsed(out.subarray(0, p));
    expect([b.blockType[0], b.blockFlags[0], b.blockType[1], b.blockFlags[1]]).toEqual([0xc0, 0, 1, 8]);
  });
  it("de-duplicates strings as DTN2 does and keeps distinct ones", () => {
    const s = example1Spec();
    s.source = ascii("ipn:1.2");
    s.custodian = ascii("dtn://dst/app");
    const w = new BundleWriter();
    const out = new Uint8Array(200);
    const p = w.writePrimary(out, 0, out.length, s);
    expect(p).toBeGreaterThan(0);
    const b = parsed(Uint8Array.from([...out.subarray(0, p), 1, 8, 0]));
    expect(Buffer.from(out.subarray(b.dictOff, b.dictOff + b.dictLen)).toString("latin1")).toBe(
      "dtn\0//dst/app\0ipn\x001.2\0none\0",
    );
    expect(eidString(b, b.srcScheme, b.srcSsp)).toBe("ipn:1.2");
    expect(eidString(b, b.custScheme, b.custSsp)).toBe("dtn://dst/app");
    expect([b.custScheme, b.custSsp]).toEqual([b.destScheme, b.destSsp]);
  });
  it("writes 64-bit times in minimal SDNVs", () => {
    const s = example1Spec();
    s.ctime.hi = 0xffffffff;
    s.ctime.lo = 0xffffffff;
    const out = new Uint8Array(200);
    const p = new BundleWriter().writePrimary(out, 0, out.length, s);
    const b = parsed(Uint8Array.from([...out.subarray(0, p), 1, 8, 0]));
    expect([b.ctime.hi, b.ctime.lo]).toEqual([0xffffffff, 0xffffffff]);
    const v = new U64();
    expect(readSdnv(out, 13, p, v)).toBe(23); // 10 octets starting 0x81
    expect(out[13]).toBe(0x81);
  });
  it("NoRoom at every size short of the full bundle, nothing written past end", () => {
    const w = new BundleWriter();
    for (let n = 0; n < 50; n++) {
      const out = new Uint8Array(60).fill(0xee);
      expect(w.writePrimary(out, 0, n, example1Spec())).toBe(-Err.NoRoom);
      for (let i = n; i < 60; i++) expect(out[i]).toBe(0xee);
    }
    for (let n = 0; n < 15; n++) {
      const out = new Uint8Array(20).fill(0xee);
      expect(writeBlock(out, 0, n, 1, 0, true, ascii("Hello, world"), 0, 12)).toBe(-Err.NoRoom);
      for (let i = n; i < 20; i++) expect(out[i]).toBe(0xee);
    }
  });
  it("refuses malformed EID text", () => {
    const w = new BundleWriter();
    const out = new Uint8Array(200);
    for (const bad of ["dtnnone", ":none", "dtn:no\0ne", "x".repeat(1024) + ":a", "dtn:" + "y".repeat(1024)]) {
      const s = example1Spec();
      s.dest = ascii(bad);
      expect(w.writePrimary(out, 0, out.length, s), bad.slice(0, 10)).toBe(-Err.EidMalformed);
    }
    const s = example1Spec();
    s.dest = ascii("dtn:"); // empty SSP is allowed (scheme-specific)
    expect(w.writePrimary(out, 0, out.length, s)).toBeGreaterThan(0);
  });
});

// ---- property: the writer against an independent reference encoder, and the parser
// reading back what the writer wrote (fast-check, seeded; the seed prints on failure) ----
function refSdnv(v: bigint): number[] {
  const o = [Number(v & 0x7fn)];
  for (v >>= 7n; v > 0n; v >>= 7n) o.unshift(Number(v & 0x7fn) | 0x80);
  return o;
}

interface Gen {
  eids: string[];
  flags: number;
  times: bigint[];
  frag: bigint[];
  ext: Array<{ type: number; flags: number; data: number[] }>;
  payload: number[];
}

/** RFC 5050 §4.5 written the obvious way, with DTN2's dictionary (strings de-duplicated in order). */
function refBundle(g: Gen): number[] {
  const strings: string[] = [];
  for (const e of g.eids) {
    const c = e.indexOf(":");
    strings.push(e.slice(0, c), e.slice(c + 1));
  }
  const dict: string[] = [];
  const offsets: number[] = [];
  for (const s of strings) {
    if (!dict.includes(s)) dict.push(s);
    let off = 0;
    for (const d of dict) {
      if (d === s) break;
      off += Buffer.byteLength(d, "latin1") + 1;
    }
    offsets.push(off);
  }
  const dictBytes = [...Buffer.from(dict.map((d) => d + "\0").join(""), "latin1")];
  const body = [...offsets.flatMap((o) => refSdnv(BigInt(o))), ...g.times.flatMap(refSdnv), ...refSdnv(BigInt(dictBytes.length)), ...dictBytes];
  if (g.flags & 1) body.push(...g.frag.flatMap(refSdnv));
  const out = [6, ...refSdnv(BigInt(g.flags)), ...refSdnv(BigInt(body.length)), ...body];
  for (const x of g.ext) out.push(x.type, ...refSdnv(BigInt(x.flags & ~0x48)), ...refSdnv(BigInt(x.data.length)), ...x.data);
  out.push(1, 8, ...refSdnv(BigInt(g.payload.length)), ...g.payload);
  return out;
}

function setEids(s: PrimarySpec, e: string[]): void {
  s.dest = ascii(e[0]!);
  s.source = ascii(e[1]!);
  s.reportTo = ascii(e[2]!);
  s.custodian = ascii(e[3]!);
}

describe("writer and parser, property-based", () => {
  const part = fc.oneof(fc.constantFrom("dtn", "ipn", "none", "//a/b", "1.2", ""), fc.string({ maxLength: 12 }).map((s) => s.replace(/[\0:]/g, "x")));
  const eidArb = fc.tuple(fc.constantFrom("dtn", "ipn", "x-y.z"), part).map(([s, p]) => s + ":" + p);
  const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
  const gen = fc.record({
    eids: fc.array(eidArb, { minLength: 4, maxLength: 4 }),
    flags: fc.integer({ min: 0, max: 0x1fffff }),
    times: fc.array(u64, { minLength: 3, maxLength: 3 }),
    frag: fc.array(u64, { minLength: 2, maxLength: 2 }),
    ext: fc.array(fc.record({ type: fc.integer({ min: 2, max: 255 }), flags: fc.integer({ min: 0, max: 0x7f }), data: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 200 }) }), { maxLength: 3 }),
    payload: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 300 }),
  });

  it("writes exactly what a reference encoder writes, and parses it back", () => {
    const w = new BundleWriter();
    const out = new Uint8Array(4096);
    const b = new Bundle(8, 8);
    fc.assert(
      fc.property(gen, (g) => {
        const s = new PrimarySpec();
        setEids(s, g.eids);
        s.flags = g.flags;
        const set = (u: U64, v: bigint) => {
          u.hi = Number(v >> 32n);
          u.lo = Number(v & 0xffffffffn);
        };
        set(s.ctime, g.times[0]!);
        set(s.seq, g.times[1]!);
        set(s.lifetime, g.times[2]!);
        set(s.fragOffset, g.frag[0]!);
        set(s.totalLength, g.frag[1]!);
        let p = w.writePrimary(out, 0, out.length, s);
        for (const x of g.ext) p = writeBlock(out, p, out.length, x.type, x.flags, false, Uint8Array.from(x.data), 0, x.data.length);
        p = writeBlock(out, p, out.length, 1, 0, true, Uint8Array.from(g.payload), 0, g.payload.length);
        expect(toHex(out.subarray(0, p))).toBe(toHex(Uint8Array.from(refBundle(g))));
        expect(b.parse(out, 0, p)).toBe(0);
        expect([eidString(b, b.destScheme, b.destSsp), eidString(b, b.srcScheme, b.srcSsp), eidString(b, b.rptScheme, b.rptSsp), eidString(b, b.custScheme, b.custSsp)]).toEqual(g.eids);
        const back = (u: U64) => (BigInt(u.hi) << 32n) | BigInt(u.lo);
        expect([back(b.ctime), back(b.seq), back(b.lifetime)]).toEqual(g.times);
        if (g.flags & 1) expect([back(b.fragOffset), back(b.totalLength)]).toEqual(g.frag);
        expect(b.blockCount).toBe(g.ext.length + 1);
        expect(b.payloadIndex).toBe(g.ext.length);
        for (const [i, x] of g.ext.entries()) expect([b.blockType[i], b.blockFlags[i], b.blockDataLen[i]]).toEqual([x.type, x.flags & ~0x48, x.data.length]);
      }),
      { seed: 5050, numRuns: 500 },
    );
  });

  it("EidText.equals and emit agree with the text for any dictionary EID", () => {
    const t = new EidText();
    const w = new BundleWriter();
    const out = new Uint8Array(512);
    const b = new Bundle(2, 2);
    fc.assert(
      fc.property(fc.array(eidArb, { minLength: 5, maxLength: 5 }), (e) => {
        const s = new PrimarySpec();
        setEids(s, e);
        let p = w.writePrimary(out, 0, out.length, s);
        p = writeBlock(out, p, out.length, 1, 0, true, out, 0, 0);
        expect(b.parse(out, 0, p)).toBe(0);
        const probe = ascii(e[4]!);
        const pairs = [[b.destScheme, b.destSsp], [b.srcScheme, b.srcSsp], [b.rptScheme, b.rptSsp], [b.custScheme, b.custSsp]] as const;
        for (const [k, [sc, sp]] of pairs.entries()) {
          expect(t.equals(b, sc, sp, probe, 0, probe.length)).toBe(e[k] === e[4]);
          expect(t.equals(b, sc, sp, ascii(e[k]!), 0, e[k]!.length)).toBe(true);
          const c = new Collect();
          t.emit(b, sc, sp, false, true, c);
          const noColon = e[k]!.replace(":", "");
          expect(Buffer.from(c.parts).toString("latin1")).toBe(Buffer.from([0, 0, 0, noColon.length]).toString("latin1") + noColon);
          expect(eidLength(b, sc, sp)).toBe(e[k]!.length);
        }
      }),
      { seed: 6260, numRuns: 300 },
    );
  });
});
