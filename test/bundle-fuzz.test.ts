// Fuzzing the RFC 5050 parser: 100,000+ random and mutated bundles (truncations, bit
// flips, random octets, inserted/deleted octets, SDNV lengths and offsets pushed out of
// range, padded SDNVs, fully random input) from the external corpus (when present), the
// worked examples and writer-made bundles. For every input: no exception, every rejection a code with a
// row in errorText, the result independent of the guard octets around the range
// (so nothing outside [off, end) was read), accepted bundles consistent, and
// acceptance equal to that of an independent BigInt reference parser written here.
// Seeded: PIBKIT_FUZZ_SEED=<n> replays a run; the seed is in every failure message.
import { describe, expect, it } from "vitest";
import { Bundle } from "../src/ground/bundle.js";
import { BundleWriter, PrimarySpec, writeBlock } from "../src/ground/bundleWriter.js";
import type { U64 } from "../src/core/sdnv.js";
import { ERROR_TEXT } from "../src/core/errorText.js";
import { rng } from "./support/rng.js";
import { corpusBundles, corpusFile, corpusFolder, needsCorpus } from "./support/shared.js";

const SEED = Number(process.env["PIBKIT_FUZZ_SEED"] ?? 20080311) >>> 0;
const CASES = Number(process.env["PIBKIT_FUZZ_CASES"] ?? 110000);
const HAVE_CORPUS = needsCorpus(
  "reference parser vs parser on the 38 corpus bundles, and the corpus as fuzz seeds (the fuzz runs on the worked examples and writer-made bundles alone)",
);
const MAX_BLOCKS = 8;
const MAX_REFS = 8;
const GUARD = 16;
const KNOWN = new Set(ERROR_TEXT.map((r) => r[0]));

// ---------- independent reference parser (BigInt, arrays, exceptions) ----------
class Reject extends Error {}

function refSdnv(buf: Uint8Array, pos: { p: number }, end: number): bigint {
  const start = pos.p;
  let v = 0n;
  for (;;) {
    if (pos.p - start === 10) throw new Reject("too long");
    if (pos.p >= end) throw new Reject("truncated");
    const b = buf[pos.p++]!;
    v = (v << 7n) | BigInt(b & 0x7f);
    if ((b & 0x80) === 0) break;
  }
  // pibkit's rule, as DTN2 and IBR-DTN: a 10-octet SDNV must start with 0x81 (docs/primitives.md)
  if (v > 0xffffffffffffffffn || (pos.p - start === 10 && buf[start] !== 0x81)) throw new Reject("overflow");
  return v;
}

function refNumber(buf: Uint8Array, pos: { p: number }, end: number): number {
  const v = refSdnv(buf, pos, end);
  if (v > 9007199254740991n) throw new Reject("unsafe");
  return Number(v);
}

interface RefResult {
  /** All 64 positions (RFC 6256 §3.3). */
  flags: bigint;
  dictLen: number;
  ctime: bigint;
  frag: [bigint, bigint] | null;
  offsets: number[];
  blocks: Array<{ type: number; start: number; dataOff: number; dataLen: number; refs: number[] }>;
}

/** RFC 5050 §4.5 read the obvious way; throws Reject on any defect. */
function refParse(buf: Uint8Array, off: number, end: number): RefResult {
  if (off >= end || buf[off] !== 6) throw new Reject("version");
  const pos = { p: off + 1 };
  const flags = refSdnv(buf, pos, end);
  const len = refNumber(buf, pos, end);
  if (len > end - pos.p) throw new Reject("primary past end");
  const pend = pos.p + len;
  const offsets: number[] = [];
  for (let i = 0; i < 8; i++) offsets.push(refNumber(buf, pos, pend));
  const ctime = refSdnv(buf, pos, pend);
  refSdnv(buf, pos, pend);
  refSdnv(buf, pos, pend);
  const dictLen = refNumber(buf, pos, pend);
  if (dictLen > pend - pos.p) throw new Reject("dictionary past primary");
  const dict = buf.subarray(pos.p, pos.p + dictLen);
  pos.p += dictLen;
  let frag: [bigint, bigint] | null = null;
  if (flags % 2n === 1n) frag = [refSdnv(buf, pos, pend), refSdnv(buf, pos, pend)];
  if (pos.p !== pend) throw new Reject("primary length");
  const checkRef = (o: number) => {
    if (dictLen === 0) return;
    if (o >= dictLen) throw new Reject("offset");
    if (dict.indexOf(0, o) < 0) throw new Reject("no NUL");
  };
  offsets.forEach(checkRef);
  const blocks: RefResult["blocks"] = [];
  let refCount = 0;
  let payloads = 0;
  let last = false;
  while (pos.p < end) {
    if (last) throw new Reject("after last");
    if (blocks.length === MAX_BLOCKS) throw new Reject("too many blocks");
    const start = pos.p;
    const type = buf[pos.p++]!;
    const bflags = Number(refSdnv(buf, pos, end) & 0xffffffffn);
    const refs: number[] = [];
    if (bflags & 0x40) {
      const n = refNumber(buf, pos, end);
      if (n === 0) throw new Reject("count 0");
      if (refCount + n > MAX_REFS) throw new Reject("too many refs");
      for (let k = 0; k < n; k++) {
        const s = refNumber(buf, pos, end);
        const t = refNumber(buf, pos, end);
        if (s >= 2 ** 32 || t >= 2 ** 32) throw new Reject("ref too big");
        checkRef(s);
        checkRef(t);
        refs.push(s, t);
      }
      refCount += n;
    }
    const dataLen = refNumber(buf, pos, end);
    if (dataLen > end - pos.p) throw new Reject("block past end");
    if (type === 1 && ++payloads > 1) throw new Reject("two payloads");
    blocks.push({ type, start, dataOff: pos.p, dataLen, refs });
    pos.p += dataLen;
    if (bflags & 8) last = true;
  }
  if (!last) throw new Reject("no last block");
  return { flags, dictLen, ctime, frag, offsets, blocks };
}

// ---------- inputs ----------
function seeds(): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const f of corpusBundles()) out.push(corpusFile(f));
  for (const f of corpusFolder("malformed")) out.push(corpusFile("malformed/" + f));
  const hex = (h: string) => Uint8Array.from(Buffer.from(h, "hex"));
  out.push(
    hex(
      "068a81182d0004000e00180018fba29000019c101d64746e002f2f6473742f617070002f2f7372632f617070006e6f6e650003010e0605040402000c0605040af5e18101080c48656c6c6f2c20776f726c64",
    ),
    hex(
      "068a8119380004000e00180018fba29000019c102664746e002f2f6473742f617070002f2f7372632f617070006e6f6e65002f2f72656c61792f00070c034101001d0e060d0404020705060504a97beab9010805776f726c64",
    ),
  );
  return out;
}

const EIDS = ["dtn:none", "dtn://a/b", "ipn:1.2", "dtn://node/x", "x:", "ipn:4294967295.1", "dtn://a/b/c/d/e/f"];

/** A well-formed random bundle from the writer: random EIDs, times, extension blocks. */
function written(r: () => number): Uint8Array {
  const s = new PrimarySpec();
  const pick = () => Buffer.from(EIDS[Math.floor(r() * EIDS.length)]!, "latin1");
  s.dest = pick();
  s.source = pick();
  s.reportTo = pick();
  s.custodian = pick();
  s.flags = Math.floor(r() * 0x200000);
  s.ctime.hi = r() < 0.2 ? Math.floor(r() * 4294967296) : 0;
  s.ctime.lo = Math.floor(r() * 4294967296);
  s.seq.lo = Math.floor(r() * 1000);
  s.lifetime.lo = Math.floor(r() * 100000);
  s.fragOffset.lo = Math.floor(r() * 1000);
  s.totalLength.lo = s.fragOffset.lo + Math.floor(r() * 1000);
  const out = new Uint8Array(600);
  let p = new BundleWriter().writePrimary(out, 0, out.length, s);
  const n = Math.floor(r() * 4);
  const data = new Uint8Array(64).map(() => Math.floor(r() * 256));
  for (let i = 0; i < n; i++) p = writeBlock(out, p, out.length, 2 + Math.floor(r() * 250), Math.floor(r() * 0x80), false, data, 0, Math.floor(r() * 40));
  p = writeBlock(out, p, out.length, 1, 0, true, data, 0, Math.floor(r() * 64));
  return out.slice(0, p);
}

/** SDNV encoding of v, optionally padded with leading 0x80 octets. */
function sdnv(v: number, pad: number): number[] {
  const o = [v % 128];
  v = Math.floor(v / 128);
  while (v > 0) {
    o.unshift((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  for (let i = 0; i < pad; i++) o.unshift(0x80);
  return o;
}

/** Offsets where an SDNV of the (valid) bundle starts: primary fields and block headers. */
function sdnvStarts(buf: Uint8Array): number[] {
  const b = new Bundle(64, 256);
  if (b.parse(buf, 0, buf.length) !== 0) return [1];
  const starts = [1];
  const skip = (p: number) => {
    while (p < buf.length && buf[p]! & 0x80) p++;
    return p + 1;
  };
  let p = 1;
  for (let i = 0; i < 14 && p < b.dictOff; i++) {
    starts.push(p);
    p = skip(p);
  }
  for (let i = 0; i < b.blockCount; i++) {
    for (let q = b.blockStart[i]! + 1; q < b.blockDataOff[i]!; q = skip(q)) starts.push(q);
  }
  return starts;
}

function mutate(src: Uint8Array, r: () => number): Uint8Array {
  const a = Array.from(src);
  const at = () => Math.floor(r() * Math.max(1, a.length));
  const kind = Math.floor(r() * 9);
  switch (kind) {
    case 0: // truncate
      return Uint8Array.from(a.slice(0, at()));
    case 1: {
      // 1–8 bit flips
      const n = 1 + Math.floor(r() * 8);
      for (let i = 0; i < n && a.length; i++) {
        const k = at();
        a[k] = a[k]! ^ (1 << Math.floor(r() * 8));
      }
      break;
    }
    case 2: // random octets
      for (let i = 0, n = 1 + Math.floor(r() * 4); i < n && a.length; i++) a[at()] = Math.floor(r() * 256);
      break;
    case 3: // insert
      a.splice(at(), 0, ...Array.from({ length: 1 + Math.floor(r() * 4) }, () => Math.floor(r() * 256)));
      break;
    case 4: // delete
      a.splice(at(), 1 + Math.floor(r() * 4));
      break;
    case 5:
    case 6: {
      // an SDNV field (length, offset, count, flags) replaced: pushed out of range,
      // to a near value, to a huge value, or padded
      const starts = sdnvStarts(src);
      const s = starts[Math.floor(r() * starts.length)]!;
      let e = s;
      while (e < a.length && a[e]! & 0x80) e++;
      let old = 0;
      for (let i = s; i <= e && i < a.length; i++) old = old * 128 + (a[i]! & 0x7f);
      const choice = r();
      const v =
        choice < 0.3 ? old + 1 + Math.floor(r() * 3) : choice < 0.5 ? Math.max(0, old - 1) : choice < 0.7 ? a.length + Math.floor(r() * 100) : choice < 0.85 ? old : Math.floor(r() * 2 ** 53);
      a.splice(s, e - s + 1, ...sdnv(v, choice >= 0.7 && choice < 0.85 ? 1 + Math.floor(r() * 9) : 0));
      break;
    }
    case 7: // appended junk
      a.push(...Array.from({ length: 1 + Math.floor(r() * 8) }, () => Math.floor(r() * 256)));
      break;
    default: // fully random, version octet right half the time
      return Uint8Array.from({ length: Math.floor(r() * 80) }, (_, i) => (i === 0 && r() < 0.5 ? 6 : Math.floor(r() * 256)));
  }
  return Uint8Array.from(a);
}

/** Everything parse produced, as one comparable string (cheap enough for every case). */
function snapshot(b: Bundle, r: number): string {
  if (r !== 0) return String(r);
  let s = [b.flags, b.flagsHi, b.primaryEnd, b.dictOff, b.dictLen, b.destScheme, b.destSsp, b.srcScheme, b.srcSsp, b.rptScheme, b.rptSsp, b.custScheme, b.custSsp].join(",");
  s += `|${b.ctime.hi},${b.ctime.lo},${b.seq.hi},${b.seq.lo},${b.lifetime.hi},${b.lifetime.lo},${b.isFragment},${b.fragOffset.hi},${b.fragOffset.lo},${b.totalLength.hi},${b.totalLength.lo},${b.payloadIndex}`;
  for (let k = 0; k < b.eidCount; k++) s += `|e${b.eidScheme[k]},${b.eidSsp[k]}`;
  for (let i = 0; i < b.blockCount; i++) {
    s += `|b${b.blockType[i]},${b.blockFlags[i]},${b.blockStart[i]},${b.blockDataOff[i]},${b.blockDataLen[i]},${b.blockEidFirst[i]},${b.blockEidCount[i]}`;
  }
  return s;
}

/** The fields both parsers produce, as one string; `off` is where the bundle starts. */
function fieldsOf(b: Bundle, off: number): string {
  const u = (v: U64) => (BigInt(v.hi) << 32n) | BigInt(v.lo);
  let s = `${(BigInt(b.flagsHi) << 32n) | BigInt(b.flags)},${b.dictLen},${u(b.ctime)},${b.isFragment ? u(b.fragOffset) + "," + u(b.totalLength) : "-"}`;
  s += "|" + [b.destScheme, b.destSsp, b.srcScheme, b.srcSsp, b.rptScheme, b.rptSsp, b.custScheme, b.custSsp].join(",");
  for (let i = 0; i < b.blockCount; i++) {
    s += `|${b.blockType[i]},${b.blockStart[i]! - off},${b.blockDataOff[i]! - off},${b.blockDataLen[i]}`;
    for (let k = 0; k < b.blockEidCount[i]!; k++) s += `,${b.eidScheme[b.blockEidFirst[i]! + k]}.${b.eidSsp[b.blockEidFirst[i]! + k]}`;
  }
  return s;
}

function refFieldsOf(ref: RefResult): string {
  let s = `${ref.flags},${ref.dictLen},${ref.ctime},${ref.frag ? ref.frag[0] + "," + ref.frag[1] : "-"}`;
  s += "|" + ref.offsets.join(",");
  for (const x of ref.blocks) {
    s += `|${x.type},${x.start},${x.dataOff},${x.dataLen}`;
    for (let k = 0; k < x.refs.length; k += 2) s += `,${x.refs[k]}.${x.refs[k + 1]}`;
  }
  return s;
}

describe.runIf(HAVE_CORPUS)("reference parser vs parser on the unmodified corpus", () => {
  it("agree on every field of all 38 bundles", () => {
    const files = corpusBundles();
    expect(files).toHaveLength(38);
    const b = new Bundle(MAX_BLOCKS, MAX_REFS);
    for (const f of files) {
      const buf = corpusFile(f);
      const ref = refParse(buf, 0, buf.length);
      expect(b.parse(buf, 0, buf.length), f).toBe(0);
      expect(fieldsOf(b, 0), f).toBe(refFieldsOf(ref));
    }
  });
});

describe("parser fuzzing", () => {
  it(`${CASES} random and mutated bundles (seed ${SEED})`, () => {
    const r = rng(SEED);
    const base = seeds();
    const b = new Bundle(MAX_BLOCKS, MAX_REFS);
    const box = new Uint8Array(4096);
    let accepted = 0;
    const codes = new Map<number, number>();
    for (let n = 0; n < CASES; n++) {
      const src = r() < 0.3 ? written(r) : base[Math.floor(r() * base.length)]!;
      let input = mutate(src, r);
      if (r() < 0.3) input = mutate(input, r);
      if (input.length > box.length - 2 * GUARD) input = input.subarray(0, box.length - 2 * GUARD);
      const ctx = () => `seed ${SEED} case ${n} input ${Buffer.from(input).toString("hex")}`;
      // same range, two different guard patterns around it: the result must not change
      const off = GUARD + Math.floor(r() * GUARD);
      box.fill(0x80); // continuation octets: an over-read SDNV would run on
      box.set(input, off);
      const r1 = b.parse(box, off, off + input.length);
      const s1 = snapshot(b, r1);
      box.fill(0x00);
      box.fill(0xff, 0, off);
      box.set(input, off);
      const r2 = b.parse(box, off, off + input.length);
      const s2 = snapshot(b, r2);
      if (s1 !== s2) expect.fail(`guard octets changed the result ${s1} → ${s2}; ${ctx()}`);
      if (r1 > 0 || (r1 < 0 && !KNOWN.has(-r1))) expect.fail(`unnamed result ${r1}; ${ctx()}`);
      codes.set(r1, (codes.get(r1) ?? 0) + 1);
      // the reference parser must agree on acceptance, and on the fields when accepted
      let ref: RefResult | null = null;
      try {
        ref = refParse(input, 0, input.length);
      } catch (e) {
        if (!(e instanceof Reject)) throw e;
      }
      if ((ref !== null) !== (r1 === 0)) expect.fail(`reference ${ref ? "accepts" : "rejects"}, parser gives ${r1}; ${ctx()}`);
      if (ref) {
        accepted++;
        const mine = fieldsOf(b, off);
        const theirs = refFieldsOf(ref);
        if (mine !== theirs) expect.fail(`fields differ: parser ${mine} reference ${theirs}; ${ctx()}`);
      }
    }
    // the mix reaches both outcomes and many distinct codes (a fuzzer that only ever
    // hits one branch proves nothing)
    expect(accepted).toBeGreaterThan(CASES / 50);
    expect(codes.size).toBeGreaterThan(12);
  }, 120_000);
});
