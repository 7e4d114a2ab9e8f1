/**
 * Header hits in the statistical mode: the verdicts on a copy whose blocks before the
 * payload (primary block, PIBs, payload block header) were hit, decided without the
 * payload's bytes.
 *
 * A hit in the header leaves the payload as it was, so only the header has to exist as
 * bytes. The header is known except for the PIBs' results, which are digests of the
 * payload: it is the device's own header (signed around a short stand-in with the
 * bundle's sequence number, creation time and, written in, its payload length) with
 * every result octet replaced by a known filler. The ground library's streaming
 * verifier (src/ground/stream.ts, the oracle of the on-board path) parses that header,
 * flips included, and canonicalizes every PIB (RFC 6257 §3.4.2) into recording digests
 * instead of real ones: each PIB's canonical stream is then known as the part before
 * the payload octets, the covered payload range and the part after — everything but
 * the payload and the results, which are the same unknown octets in the original and
 * in the copy. Admission (suite, key, range, malformed fields) is the library's own; only
 * the final comparison is decided here:
 *
 * - MD5, HMAC-SHA1: the copy passes exactly when its canonical stream and its stored
 *   result equal the original's (a different stream with an equal digest is a second
 *   preimage: the statistical mode's one assumption, statistical.ts).
 * - CRC-32C, exactly: crc(S′) ⊕ crc(S) over two streams whose unknown octets sit at the
 *   same distances from the end is the same with those octets zero (the CRC is affine),
 *   and crc(B ‖ payload ‖ A) = combine(combine(crc(B), crc(payload), |payload|), crc(A),
 *   |A|) (syndrome.ts): the payload's own CRC cancels, zeros and the payload errors'
 *   syndrome stand in for it. Streams of different lengths are decided the same way.
 *
 * Where the unknown octets are is found by running everything twice, results zero and
 * results numbered 1, 2, 3…: the canonical streams differ exactly at the result octets,
 * and the XOR names each. A decision is only made when it cannot depend on the unknown
 * octets; otherwise (`null`) the bundle goes to the exact path:
 * - the parse must never read a result or payload octet as a field: it failed after
 *   completing only blocks that lie where the original's do, with no result between
 *   the start of the block it failed in and the error (plus an SDNV's worth of margin),
 *   or it parsed the same blocks at the same offsets as the original, every security
 *   block's fields at the same offsets too (then result octets were only skipped or
 *   digested);
 * - the payload must not shrink (its tail would be parsed as blocks), unless its
 *   block is flagged last: then any octet after it fails the parse;
 * - the unknown octets (and the covered payload) must sit at the same places in both
 *   streams: the same positions for MD5 and HMAC, the same distances from the end for
 *   CRC-32C.
 * The two fillings must also give the same verdicts, a check of the first rule.
 */
import { Asb, TlvItem } from "../src/ground/asb.js";
import { Crc32c } from "../src/core/crc32c.js";
import type { Digest } from "../src/core/digest.js";
import { readSdnv, sdnvLength, U64, writeSdnv } from "../src/core/sdnv.js";
import { Bundle } from "../src/ground/bundle.js";
import { Err } from "../src/core/errors.js";
import { CanonMode, StreamPhase, StreamVerifier } from "../src/ground/stream.js";
import { Wire } from "../src/core/wire.js";
import { WINDOW_BYTES } from "./device.js";
import { DISCARDS_WITHOUT_PIB, discardsOnVerdict } from "./checkRule.js";
import type { TailSyndromes } from "./syndrome.js";

/** SuiteKind (src/core/suites.ts) and the result size of each. */
const KIND_CRC32 = 3;
const RESULT_SIZE: Readonly<Record<number, number>> = { 1: 10, 2: 16, 3: 4 };
/** Verdict (src/core/verdict.ts). */
const OK = 0, MALFORMED = 4;
/** CRC-32C's preset and final XOR. */
const CRC_PRESET = 0xffffffff;
/** The longest SDNV a parse may read past the offset it reports an error at. */
const SDNV_MARGIN = 10;

/** A digest that keeps what it is fed: the canonical stream, to be compared, not hashed. */
class RecordingDigest implements Digest {
  readonly size: number;
  bytes: number[] = [];
  constructor(size: number) {
    this.size = size;
  }
  reset(): void {
    this.bytes = [];
  }
  update(buf: Uint8Array, off: number, len: number): void {
    for (let i = 0; i < len; i++) this.bytes.push(buf[off + i]!);
  }
  finish(out: Uint8Array, off: number): void {
    out.fill(0, off, off + this.size);
  }
  /** HMAC's key load (the NULL key): nothing to keep. */
  loadKey_(): void {}
}

/** One PIB's canonical stream around the payload octets. */
interface PibStream {
  before: number[];
  after: number[];
  covOff: number;
  covLen: number;
}

/** The ground StreamVerifier with recording digests: admission is the library's, the final comparison left to HeaderJudge. */
class SymbolicVerifier extends StreamVerifier {
  pibStreams: Array<PibStream | null> = [];
  /** A case this file does not decide (several key candidates, a PIB after the payload, the whole bundle in the window). */
  undecidable = false;

  constructor(maxPibs: number, window: number) {
    super(4 + maxPibs, 8, maxPibs, window, maxPibs);
    for (let s = 0; s < maxPibs; s++) {
      this.crcs[s] = new RecordingDigest(4) as unknown as Crc32c;
      this.md5s[s] = new RecordingDigest(16) as unknown as (typeof this.md5s)[number];
      this.macs[s] = new RecordingDigest(10) as unknown as (typeof this.macs)[number];
    }
  }

  override begin(): void {
    super.begin();
    this.pibStreams = [];
    this.undecidable = false;
  }

  /** Payload octets are never needed: the covered range is what matters. */
  override data_(): void {}

  override conclude(k: number): void {
    if (this.sCount[k] !== 1) {
      this.undecidable = true;
      return this.set(k, OK, 0);
    }
    const d = this.active[this.sFirst[k]!] as unknown as RecordingDigest;
    const before = d.bytes.slice();
    const e = this.run(CanonMode.After, this.block[k]!, k);
    if (e < 0) return this.set(k, MALFORMED, e);
    this.pibStreams[k] = { before, after: d.bytes.slice(before.length), covOff: this.covOff[k]!, covLen: this.covLen[k]! };
    this.set(k, OK, 0); // provisional: HeaderJudge decides from the streams
  }

  override compare_(_i: number, k: number): void {
    this.undecidable = true;
    this.set(k, OK, 0);
  }
}

/** What one run of the symbolic verifier over a header (and a payload of zeros) found. */
interface Run {
  /** Phase right after the header: streaming the payload, or failed in the header. */
  phase: number;
  count: number;
  errAt: number;
  /** The payload's tail would have been parsed as blocks; the payload block says it is the last one. */
  payloadAsBlocks: boolean;
  payloadLast: boolean;
  undecidable: boolean;
  /** Blocks before the payload (the skeleton; the blocks completed when the parse failed), and the payload's length and data offset. */
  blocks: string;
  blockList: string[];
  /** Where the block being parsed when the parse failed starts (the end of the last completed one). */
  failStart: number;
  payLen: number;
  dataAt: number;
  /** Per security block: its ASB fields' offsets (and by block index). */
  asb: string;
  asbOf: Map<number, string>;
  block: number[];
  kind: number[];
  verdict: number[];
  resultOff: number[];
  resultLen: number[];
  streams: Array<PibStream | null>;
}

const FILL = new Uint8Array(1 << 20);

/** Everything after the header stands for the payload: zeros, never looked at. */
function runOn(v: SymbolicVerifier, header: Uint8Array, total: number): Run {
  v.begin();
  v.push(header, 0, header.length);
  const phase = v.head.phase;
  let payloadAsBlocks = false;
  if (phase === StreamPhase.Payload) {
    let left = total - header.length;
    while (left > 0 && v.head.phase === StreamPhase.Payload) {
      const n = Math.min(left, FILL.length, v.head.payLen - v.head.payGot);
      v.push(FILL, 0, n);
      left -= n;
    }
    if (left > 0) payloadAsBlocks = true;
  }
  const count = payloadAsBlocks ? -1 : v.end();
  const b = v.bundle;
  const payloadLast = b.payloadIndex >= 0 && (b.blockFlags[b.payloadIndex]! & Wire.Last) !== 0;
  const blocks: string[] = [];
  const asb: string[] = [];
  const asbOf = new Map<number, string>();
  const a = new Asb();
  for (let i = 0; i < b.blockCount; i++) {
    blocks.push(`${b.blockStart[i]},${b.blockType[i]},${b.blockDataOff[i]},${b.blockDataLen[i]},${b.blockEidCount[i]}`);
    if (b.blockType[i] === Wire.Pib || b.blockType[i] === 4) {
      const e = a.parse(b.buf, b.blockDataOff[i]!, b.blockDataLen[i]!);
      const sig = `${e},${a.paramsOff},${a.paramsLen},${a.resultOff},${a.resultLen}`;
      asb.push(`${i}:${sig}`);
      asbOf.set(i, sig);
    }
  }
  const n = Math.max(0, count);
  return {
    phase,
    count,
    errAt: v.errAt,
    payloadAsBlocks,
    payloadLast,
    undecidable: v.undecidable,
    blocks: blocks.join(";"),
    blockList: blocks,
    failStart: b.blockCount > 0 ? b.blockDataOff[b.blockCount - 1]! + b.blockDataLen[b.blockCount - 1]! : 0,
    payLen: v.head.payLen,
    dataAt: v.head.dataAt,
    asb: asb.join(";"),
    asbOf,
    block: Array.from(v.block.subarray(0, n)),
    kind: Array.from(v.kind.subarray(0, n)),
    verdict: Array.from(v.verdict.subarray(0, n)),
    resultOff: Array.from(v.resultOff.subarray(0, n)),
    resultLen: Array.from(v.resultLen.subarray(0, n)),
    streams: v.pibStreams.slice(0, n),
  };
}

/**
 * The ASB parse of buf[off, off + len) (src/ground/asb.ts) and the furthest octet it
 * read: it reads the buffer only by index (readSdnv), so a proxy sees every read.
 */
function asbReadExtent(buf: Uint8Array, off: number, len: number): { code: number; maxRead: number } {
  let max = -1;
  const seen = new Proxy(buf, {
    get(t, p) {
      if (typeof p === "string" && /^[0-9]+$/.test(p)) max = Math.max(max, Number(p));
      return (t as unknown as Record<string | symbol, unknown>)[p];
    },
  });
  const code = new Asb().parse(seen, off, len);
  return { code, maxRead: max };
}

/** Positions (or distances from the end) and names of the unknown octets: where the two fillings differ. */
function unknowns(z: number[], id: number[], place: (p: number) => number): string[] | null {
  if (z.length !== id.length) return null;
  const out: string[] = [];
  for (let p = 0; p < z.length; p++) if (z[p] !== id[p]) out.push(`${place(p)}:${z[p]! ^ id[p]!}`);
  return out.sort();
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const crc = new Crc32c();
function crcOf(bytes: number[]): number {
  crc.reset();
  crc.update(Uint8Array.from(bytes), 0, bytes.length);
  return crc.value() >>> 0;
}

/** Why the judge handed a copy over, for the counters. */
export type Undecided = "payload-read" | "result-read" | "placement" | "other";

/**
 * The verdicts on copies of one bundle whose header was hit. `header` is the signed
 * header as the device writes it (results with any value: they are replaced), `total`
 * the bundle's length.
 */
export class HeaderJudge {
  readonly headerBytes: number;
  private readonly total: number;
  private readonly syn: TailSyndromes;
  private readonly v: SymbolicVerifier;
  private readonly hz: Uint8Array;
  private readonly hid: Uint8Array;
  private readonly oz: Run;
  private readonly oid: Run;
  /** The header's result octets, as [offset, length] pairs. */
  private readonly results: Array<[number, number]> = [];
  /** Why the last decide() returned null. */
  lastUndecided: Undecided = "other";

  /**
   * `header` may come from a bundle signed around a stand-in payload whose length has
   * the same SDNV length as the real one (total − header length): that length is then
   * written into the payload block and into every PIB's covered range.
   */
  constructor(header: Uint8Array, total: number, maxPibs: number, syn: TailSyndromes) {
    this.headerBytes = header.length;
    this.total = total;
    this.syn = syn;
    this.v = new SymbolicVerifier(maxPibs + 2, header.length + 64);
    header = this.withPayloadLength(header, total - header.length);
    const probe = runOn(this.v, header, total);
    if (probe.count < 0 || probe.phase !== StreamPhase.Payload) throw new Error("simulator: the signed header does not parse as a streamed bundle");
    this.hz = header.slice();
    this.hid = header.slice();
    let id = 0;
    for (let k = 0; k < probe.count; k++) {
      const off = probe.resultOff[k]!;
      if (off < 0) continue;
      this.results.push([off, probe.resultLen[k]!]);
      for (let i = 0; i < probe.resultLen[k]!; i++) {
        this.hz[off + i] = 0;
        this.hid[off + i] = ++id;
      }
    }
    if (id > 255) throw new Error("simulator: more result octets than one octet can name");
    this.oz = runOn(this.v, this.hz, total);
    this.oid = runOn(this.v, this.hid, total);
    for (let k = 0; k < this.oz.count; k++) {
      if (this.oz.verdict[k] !== OK || !this.oz.streams[k]) throw new Error("simulator: the signed header's PIBs are not all digested");
    }
  }

  /** The header with `payLen` written into the payload's length field and every PIB's covered range. */
  private withPayloadLength(header: Uint8Array, payLen: number): Uint8Array {
    const out = header.slice();
    const v = this.v;
    v.begin();
    v.push(out, 0, out.length);
    if (v.head.phase !== StreamPhase.Payload) throw new Error("simulator: the signed header does not end at the payload's data");
    const k = sdnvLength(payLen);
    const put = (at: number): void => {
      const t = new U64();
      const end = readSdnv(out, at, out.length, t);
      if (end - at !== k || writeSdnv(out, at, end, payLen) !== end) throw new Error("simulator: a payload length field of another size");
    };
    put(v.head.lenAt);
    const b = v.bundle;
    const a = new Asb();
    const item = new TlvItem();
    for (let i = 0; i < b.blockCount; i++) {
      if (b.blockType[i] !== Wire.Pib || a.parse(out, b.blockDataOff[i]!, b.blockDataLen[i]!) < 0 || a.paramsOff < 0) continue;
      if (item.find(out, a.paramsOff, a.paramsOff + a.paramsLen, Wire.ItemRange) !== 1) continue;
      const t = new U64();
      const lenAt = readSdnv(out, item.valueOff, item.valueOff + item.valueLen, t); // after the range's offset
      if (lenAt < 0) throw new Error("simulator: a PIB's range does not parse");
      put(lenAt);
    }
    return out;
  }

  /**
   * Per suite kind in `kinds`: whether a check discards a copy whose bits `bits`
   * (offsets from the bundle's start, sorted) differ from what was signed, as the
   * simulator's rule reads a check (sim/checkRule.ts): a bundle that does not parse
   * is discarded by every suite, else the first PIB of the kind decides (any verdict but
   * Ok or skipped discards), and a kind with no PIB left discards. null: not decidable without the payload (see the file comment).
   */
  decide(bits: readonly number[], kinds: readonly number[]): boolean[] | null {
    const hb = this.headerBytes * 8;
    const cz = this.hz.slice();
    const cid = this.hid.slice();
    const payload: number[] = [];
    for (const p of bits) {
      if (p < hb) {
        cz[p >> 3]! ^= 1 << (p & 7);
        cid[p >> 3]! ^= 1 << (p & 7);
      } else payload.push(p - hb);
    }
    const z = runOn(this.v, cz, this.total);
    const id = runOn(this.v, cid, this.total);
    const undecided = (why: Undecided): null => {
      this.lastUndecided = why;
      return null;
    };
    if (z.undecidable || id.undecidable) return undecided("other");
    if (z.count !== id.count || z.phase !== id.phase || z.blocks !== id.blocks || !sameList(z.verdict, id.verdict) || !sameList(z.kind, id.kind)) return undecided("result-read");
    if (z.phase === StreamPhase.Failed) {
      // Failed in the header. The blocks it completed lie where the original's do, so
      // their results were skipped as data; the block it failed in was read from its
      // start to the error (and at most an SDNV on): decided when no unknown octet is there.
      const prefix = z.blockList.every((x, i) => x === this.oz.blockList[i]);
      if (prefix && z.errAt + SDNV_MARGIN <= this.nextUnknown(z.failStart)) return kinds.map(() => true);
      return undecided("result-read");
    }
    if (z.phase === StreamPhase.Head) return this.noPayloadBlock(cz) ? kinds.map(() => true) : undecided("payload-read");
    if (z.blocks !== this.oz.blocks || z.dataAt !== this.oz.dataAt) return undecided("result-read");
    // a shorter payload leaves octets after the block flagged last: DataAfterLastBlock
    // (or a trailer too large for the window), whatever they hold
    if (z.payloadAsBlocks) return z.payloadLast ? kinds.map(() => true) : undecided("payload-read");
    if (z.count < 0) return kinds.map(() => true); // e.g. a payload longer than the bundle
    if (z.asb !== this.oz.asb) {
      // A security block whose fields moved: decided only when its ASB parse failed
      // (the library then calls it Malformed, of no suite) before reading an unknown octet.
      const b = this.v.bundle;
      for (const [i, sig] of z.asbOf) {
        if (this.oz.asbOf.get(i) === sig) continue;
        const r = asbReadExtent(cz, b.blockDataOff[i]!, b.blockDataLen[i]!);
        if (r.code >= 0 || r.maxRead >= this.nextUnknown(b.blockDataOff[i]!)) return undecided("result-read");
      }
    }
    const out: boolean[] = [];
    for (const kind of kinds) {
      let k = 0;
      while (k < z.count && z.kind[k] !== kind) k++;
      if (k === z.count) {
        out.push(DISCARDS_WITHOUT_PIB);
        continue;
      }
      const v = z.verdict[k]!;
      if (v !== OK || !z.streams[k]) {
        out.push(discardsOnVerdict(v));
        continue;
      }
      const d = this.compare(z, id, k, cz, payload);
      if (d === null) return undecided("placement");
      out.push(d);
    }
    return out;
  }

  /** The first octet at or after `p` that the judge does not have: a result octet, or the payload. */
  private nextUnknown(p: number): number {
    let n = this.headerBytes;
    for (const [off, len] of this.results) if (off + len > p) n = Math.min(n, Math.max(off, p));
    return n;
  }

  /**
   * The header parses up to a block that is not a payload block (its type octet was
   * hit) and whose data runs from inside the header to the bundle's end or beyond: the
   * payload's octets are that block's data, never read as fields, and the device's
   * streaming verifier (a WINDOW_BYTES window, sim/device.ts) cannot hold the header
   * for a bundle larger than its window (HeaderTooLarge) — or, data past the end, the
   * parse fails. Either way the bundle does not parse: every suite discards it.
   */
  private noPayloadBlock(cz: Uint8Array): boolean {
    const b = new Bundle(16, 16);
    if (b.parse(cz, 0, cz.length) !== -Err.BlockPastEnd || b.blockType[b.blockCount] === Wire.Payload) return false;
    const t = new U64();
    const q = readSdnv(cz, b.errAt, cz.length, t);
    if (q < 0 || q > cz.length) return false;
    const end = q + t.hi * 4294967296 + t.lo;
    if (end > this.total) return true;
    return end === this.total && this.total > WINDOW_BYTES;
  }

  /** Digested PIB k of the copy: true = Mismatch, false = Ok, null = depends on unknown octets. */
  private compare(z: Run, id: Run, k: number, cz: Uint8Array, payload: number[]): boolean | null {
    const o = this.oz, oi = this.oid;
    let j = 0;
    while (j < o.count && o.block[j] !== z.block[k]) j++;
    if (j === o.count || !o.streams[j] || !oi.streams[j] || !id.streams[k]) return null;
    const kind = z.kind[k]!;
    const size = RESULT_SIZE[kind]!;
    if (z.resultLen[k] !== size) return true; // the library compares lengths first
    if (o.kind[j] !== kind || z.resultOff[k] !== o.resultOff[j] || z.resultLen[k] !== o.resultLen[j]) return null;
    const c = z.streams[k]!, ci = id.streams[k]!, s = o.streams[j]!, si = oi.streams[j]!;
    if (c.covOff !== s.covOff || c.covLen !== s.covLen) return null;
    const n = c.covLen;
    const errs = payload.filter((p) => p >= c.covOff * 8 && p < (c.covOff + n) * 8).map((p) => p - c.covOff * 8);
    // the stored result's flips (results are zero in this filling)
    const off = z.resultOff[k]!;
    let flipped = 0;
    for (let i = size - 1; i >= 0; i--) flipped = (flipped * 256 + cz[off + i]!) >>> 0;
    if (kind !== KIND_CRC32) {
      if (c.before.length + c.after.length !== s.before.length + s.after.length) return true; // streams of different lengths
      if (c.before.length !== s.before.length) return null; // the payload moved
      const uc = unknowns(c.before, ci.before, (p) => p), us = unknowns(s.before, si.before, (p) => p);
      const ac = unknowns(c.after, ci.after, (p) => p), as = unknowns(s.after, si.after, (p) => p);
      if (uc === null || us === null || ac === null || as === null || uc.join() !== us.join() || ac.join() !== as.join()) return null;
      for (let i = 0; i < size; i++) if (cz[off + i] !== 0) return true;
      return !(errs.length === 0 && sameList(c.before, s.before) && sameList(c.after, s.after));
    }
    if (c.after.length !== s.after.length) return null; // the payload moved relative to the end
    const distance = (before: number[], after: number[]) => (p: number) => before.length - 1 - p + n + after.length;
    const uc = unknowns(c.before, ci.before, distance(c.before, c.after)), us = unknowns(s.before, si.before, distance(s.before, s.after));
    const ac = unknowns(c.after, ci.after, (p) => c.after.length - 1 - p), as = unknowns(s.after, si.after, (p) => s.after.length - 1 - p);
    if (uc === null || us === null || ac === null || as === null || uc.join() !== us.join() || ac.join() !== as.join()) return null;
    const syn = this.syn;
    const zeros = syn.zeros(n, CRC_PRESET);
    const copy = syn.combine(syn.combine(crcOf(c.before), (zeros ^ syn.ofError(errs, n)) >>> 0, n), crcOf(c.after), c.after.length);
    const orig = syn.combine(syn.combine(crcOf(s.before), zeros, n), crcOf(s.after), s.after.length);
    return ((copy ^ orig) >>> 0) !== flipped;
  }
}
