// Where a failed parse stopped: Bundle.errAt names the offset of the field that failed,
// for every rejection of the ground parser (the CLI prints it as "at byte N").
import { describe, expect, it } from "vitest";
import { Bundle } from "../src/ground/bundle.js";
import { Err } from "../src/core/errors.js";

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s+/g, ""), "hex"));
// RFC 5050 bundle with a CRC PIB (82 octets): primary 0-49 (flags @1-3, block length field @4, EID
// offsets @5, creation time @13, dictionary length @20, dictionary @21), PIB @50 (data
// length field @52), payload @67 (data length field @69, data @70).
const EX = "068a81182d0004000e00180018fba29000019c101d64746e002f2f6473742f617070002f2f7372632f617070006e6f6e650003010e0605040402000c0605040af5e18101080c48656c6c6f2c20776f726c64";

function fails(h: string, code: number, at: number, maxBlocks = 8, maxEidRefs = 8): void {
  const b = new Bundle(maxBlocks, maxEidRefs);
  const buf = hex(h);
  expect(b.parse(buf, 0, buf.length)).toBe(-code);
  expect(b.errAt_).toBe(at);
}

describe("Bundle.errAt: offset of the field a failed parse stopped at", () => {
  it("is -1 after a good parse, also after a failed one", () => {
    const b = new Bundle(8, 8);
    const bad = hex(EX.slice(0, -4));
    expect(b.parse(bad, 0, bad.length)).toBe(-Err.BlockPastEnd);
    const good = hex(EX);
    expect(b.parse(good, 0, good.length)).toBe(0);
    expect(b.errAt_).toBe(-1);
  });
  it("primary block", () => {
    fails("", Err.PrimaryTruncated, 0);
    fails("07" + EX.slice(2), Err.BadVersion, 0);
    fails("068a", Err.SdnvTruncated, 1); // flags SDNV without its last octet
    fails(EX.slice(0, 40), Err.PrimaryTruncated, 4); // the block length field promises 45 octets
    fails(EX.slice(0, 8) + "0e" + EX.slice(10), Err.PrimaryLengthMismatch, 18); // a block length of 14 cuts the lifetime (@18) short
    fails(EX.slice(0, 40) + "1e" + EX.slice(42), Err.PrimaryLengthMismatch, 21); // dictionary longer than the block
    fails(EX.slice(0, 10) + "1d" + EX.slice(12), Err.DictOffsetOutOfRange, 5); // a bad EID offset: reported at the first of the eight
  });
  it("blocks", () => {
    fails(EX.slice(0, -4), Err.BlockPastEnd, 69); // the payload's data-length field
    fails(EX + "00", Err.DataAfterLastBlock, 82);
    fails(EX.slice(0, 136) + "00" + EX.slice(138), Err.NoLastBlock, 82); // payload flags without "last"
    fails(EX.slice(0, 102) + "81", Err.SdnvTruncated, 51); // PIB flags SDNV cut by the end
    fails(EX, Err.TooManyBlocks, 67, 1);
    fails(EX.slice(0, 100) + "01" + EX.slice(102), Err.DuplicatePayload, 67); // the PIB made a payload: the real one is the second
  });
  it("EID-reference lists", () => {
    // PIB with flag 0x40 and a reference list: count 0, too many, then an out-of-dictionary pair
    const head = EX.slice(0, 100); // primary
    const tail = EX.slice(134); // payload
    fails(head + "03 41 00 00" + tail, Err.EidRefCountZero, 52);
    fails(head + "03 41 02 00 04 00 04 00" + tail, Err.TooManyEidRefs, 52, 8, 1);
    fails(head + "03 41 02 00 04 00 1d 00" + tail, Err.DictOffsetOutOfRange, 55);
  });
});
