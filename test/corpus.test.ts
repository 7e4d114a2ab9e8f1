// The 38 real bundles of the external corpus (IBR-DTN, DTN2, ION, DTNME, bplib, uPCN;
// test/support/shared.ts): every one parses, with the block types, CBHE, fragment and
// admin-record features the corpus README lists; every file in malformed/ is rejected
// with a named code. Without the corpus the whole file is skipped, with one line saying so.
import { describe, expect, it } from "vitest";
import { Bundle } from "../src/ground/bundle.js";
import { eidString } from "../src/ground/eid.js";
import { ERROR_TEXT, errorName } from "../src/core/errorText.js";

import { corpusBundles, corpusFile, corpusFolder, corpusReadme, extraBundles, needsCorpus } from "./support/shared.js";

const HAVE_CORPUS = needsCorpus("38 corpus bundles (IBR-DTN, DTN2, ION, DTNME, bplib, uPCN) and malformed/ through the parser");

interface Row {
  file: string;
  bytes: number;
  types: number[];
  features: string;
}

/** The README's table is the published description of each file. */
function readmeRows(): Row[] {
  const rows: Row[] = [];
  for (const line of corpusReadme().split("\n")) {
    const m = /^\| `([^`]+\.bin)` \| (\d+) \| [^|]+ \| ([\d ]+) \| ([^|]*) \|$/.exec(line);
    if (m) rows.push({ file: m[1]!, bytes: Number(m[2]), types: m[3]!.trim().split(/\s+/).map(Number), features: m[4]! });
  }
  return rows;
}

const rows = readmeRows();

const load = corpusFile;

function parse(buf: Uint8Array, maxBlocks = 16, maxRefs = 16): Bundle {
  const b = new Bundle(maxBlocks, maxRefs);
  const r = b.parse(buf, 0, buf.length);
  if (r !== 0) throw new Error(errorName(r));
  return b;
}

const eid = (b: Bundle, k: "dest" | "src" | "rpt" | "cust") => eidString(b, b[`${k}Scheme`], b[`${k}Ssp`]);

describe.runIf(HAVE_CORPUS)("corpus README table", () => {
  it("lists all 38 bundles, and they are the .bin files present", () => {
    expect(rows).toHaveLength(38);
    expect(rows.map((r) => r.file).sort()).toEqual(corpusBundles());
    expect(rows.filter((r) => r.features.includes("CBHE"))).toHaveLength(15);
  });
});

describe.each(rows)("$file", (row) => {
  const buf = load(row.file);
  it("parses with the listed blocks and features", () => {
    expect(buf.length).toBe(row.bytes);
    const b = parse(buf);
    expect(b.version).toBe(6);
    expect(Array.from(b.blockType.subarray(0, b.blockCount))).toEqual(row.types);
    expect(b.dictLen === 0).toBe(row.features.includes("CBHE"));
    expect(b.isFragment).toBe(row.features.includes("fragment"));
    expect((b.flags & 1) !== 0).toBe(b.isFragment);
    if (row.features.includes("admin record")) expect(b.flags & 2).toBe(2);
    // block table: contiguous, inside the bundle, exactly one last block at the end
    let p = b.primaryEnd;
    for (let i = 0; i < b.blockCount; i++) {
      expect(b.blockStart[i]).toBe(p);
      expect(b.blockDataOff[i]).toBeGreaterThan(p);
      p = b.blockDataOff[i]! + b.blockDataLen[i]!;
      expect((b.blockFlags[i]! & 8) !== 0).toBe(i === b.blockCount - 1);
    }
    expect(p).toBe(buf.length);
    expect(b.payloadIndex).toBe(row.types.indexOf(1));
    if (b.isFragment) {
      const frag = b.fragOffset.lo + b.blockDataLen[b.payloadIndex]!;
      expect(b.fragOffset.hi + b.totalLength.hi).toBe(0);
      expect(frag).toBeLessThanOrEqual(b.totalLength.lo);
    }
    // every EID has scheme:ssp text
    for (const k of ["dest", "src", "rpt", "cust"] as const) expect(eid(b, k)).toMatch(/^[a-z]+:/);
  });
  if (row.features.includes("padded SDNVs")) {
    it("really carries padded SDNVs (leading 0x80), which parse to their values", () => {
      expect(buf[1]).toBe(0x80); // processing flags padded
      const b = parse(buf);
      expect(b.flags).toBeLessThan(0x200);
    });
  }
  it("parses in place at any offset with foreign bytes around it", () => {
    const big = new Uint8Array(buf.length + 64).fill(0x80);
    big.set(buf, 33);
    const b = new Bundle(16, 16);
    expect(b.parse(big, 33, 33 + buf.length)).toBe(0);
    expect(b.blockCount).toBe(row.types.length);
  });
});

describe.runIf(HAVE_CORPUS)("corpus field values checked by hand against the bytes", () => {
  it("ibrdtn-cbhe.bin: CBHE ipn numbers, time 691495200", () => {
    const b = parse(load("ibrdtn-cbhe.bin"));
    expect([eid(b, "dest"), eid(b, "src"), eid(b, "rpt"), eid(b, "cust")]).toEqual(["ipn:2.3", "ipn:1.2", "ipn:6.1", "ipn:0.0"]);
    expect([b.ctime.lo, b.seq.lo, b.lifetime.lo, b.flags]).toEqual([691495200, 11, 3600, 0x10]);
  });
  it("dtn2-plain.bin: DTN2 dictionary EIDs", () => {
    const b = parse(load("dtn2-plain.bin"));
    expect([eid(b, "dest"), eid(b, "src"), eid(b, "rpt"), eid(b, "cust")]).toEqual([
      "dtn://bob/inbox",
      "dtn://dtn2-a/src",
      "dtn://dtn2-a/src",
      "dtn:none",
    ]);
    expect(b.dictLen).toBe(34);
  });
  it("dtn2-pi2.bin: DTN2's PIB in block type 4 with two EID references", () => {
    const b = parse(load("dtn2-pi2.bin"));
    expect([b.blockType[0], b.blockFlags[0], b.blockEidCount[0]]).toEqual([4, 0x40, 2]);
    expect(eidString(b, b.eidScheme[0]!, b.eidSsp[0]!)).toBe("dtn://dtn2-a");
    expect(eidString(b, b.eidScheme[1]!, b.eidSsp[1]!)).toBe("dtn://bob");
  });
  it("ibrdtn-payload-eidref.bin: a payload block with an EID reference", () => {
    const b = parse(load("ibrdtn-payload-eidref.bin"));
    expect([b.blockType[0], b.blockFlags[0], b.blockEidCount[0]]).toEqual([1, 0x48, 1]);
    expect(eidString(b, b.eidScheme[0]!, b.eidSsp[0]!)).toBe("dtn://carol/x");
  });
  it("ibrdtn fragments tile a 100-octet ADU", () => {
    const parts = [0, 1, 2].map((i) => parse(load(`ibrdtn-fragment-${i}.bin`)));
    expect(parts.map((b) => [b.fragOffset.lo, b.blockDataLen[b.payloadIndex]])).toEqual([
      [0, 40],
      [40, 40],
      [80, 20],
    ]);
    expect(parts.every((b) => b.totalLength.lo === 100)).toBe(true);
  });
  it("ION reference fragments tile their 27-octet whole bundle's payload", () => {
    for (const [size, frags] of [
      ["s10", ["A", "B", "C"]],
      ["s20", ["A", "B"]],
    ] as const) {
      const whole = load(`ion-hdtn-reffrag-${size}-whole.bin`);
      const w = parse(whole);
      const adu = whole.subarray(w.blockDataOff[w.payloadIndex]!, w.blockDataOff[w.payloadIndex]! + w.blockDataLen[w.payloadIndex]!);
      let next = 0;
      for (const f of frags) {
        const buf = load(`ion-hdtn-reffrag-${size}-frag${f}.bin`);
        const b = parse(buf);
        expect(b.fragOffset.lo).toBe(next);
        expect(b.totalLength.lo).toBe(adu.length);
        const off = b.blockDataOff[b.payloadIndex]!;
        const len = b.blockDataLen[b.payloadIndex]!;
        expect(Buffer.from(buf.subarray(off, off + len))).toEqual(Buffer.from(adu.subarray(next, next + len)));
        next += len;
      }
      expect(next).toBe(adu.length);
    }
  });
});

describe.runIf(HAVE_CORPUS)("corpus/malformed", () => {
  const files = corpusFolder("malformed");
  it("has files", () => expect(files.length).toBeGreaterThan(0));
  it.each(files)("%s is rejected with a named code, whatever the table capacity", (f) => {
    const buf = load("malformed/" + f);
    const names = new Set<string>();
    for (const [blocks, refs] of [
      [4, 4],
      [64, 1024],
      [1024, 65535],
    ] as const) {
      const b = new Bundle(blocks, refs);
      const r = b.parse(buf, 0, buf.length);
      expect(r).toBeLessThan(0);
      expect(ERROR_TEXT.some((row) => row[0] === -r)).toBe(true);
      names.add(errorName(r));
    }
    // with room enough, the defect itself is named, not a capacity limit
    expect(names.size).toBeGreaterThan(0);
  });
});

// The bundles kept beside the corpus (test/support/shared.ts extraBundles): the real ones
// parse, blocks contiguous up to the last; the suspect DTN2 outputs append a second copy
// of their payload block, which RFC 5050 §4.5.3 forbids, and are refused where it starts.
describe.runIf(extraBundles().length > 0)("corpus-extra", () => {
  it.each(extraBundles())("%s", (f) => {
    const buf = load(f);
    const b = new Bundle(16, 16);
    const r = b.parse(buf, 0, buf.length);
    if (f.includes("/suspect/")) {
      expect(errorName(r)).toBe("DuplicatePayload");
      expect(buf[b.errAt]).toBe(1); // the second payload block's type octet
      return;
    }
    expect(r, errorName(r)).toBe(0);
    expect(b.payloadIndex).toBeGreaterThanOrEqual(0);
    expect(b.blockDataOff[b.blockCount - 1]! + b.blockDataLen[b.blockCount - 1]!).toBe(buf.length);
  });
});
