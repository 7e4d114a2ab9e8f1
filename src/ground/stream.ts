/**
 * PIB verification and signing of bundles far larger than memory (ground tools): the
 * bundle arrives in pieces, in order, and the working memory is fixed when the object
 * is made — a window for the blocks before the payload and those after it, one digest
 * state per payload-covering PIB, and whatever I/O buffer the caller reads into.
 *
 * The blocks before the payload are parsed from the window by the same `Bundle.parse`
 * as a whole bundle; once the parse stops at the payload block's data, the window
 * holds a *skeleton*: the bundle up to the payload's length field, with that field
 * replaced by one octet 0 (an empty payload). The canonical form of each PIB
 * (canon.ts, RFC 6257 §3.4.2) is then streamed in three parts, all by the one
 * Canonicalizer: the part before the payload octets from the skeleton, the payload
 * octets as they arrive, and the part after them once the blocks that follow the
 * payload are in the window too. Only the payload step differs (`payload_` below):
 * it writes the real covered length and switches a gate that lets the digests see
 * either the first part or the last.
 *
 * Verdicts and error codes are those of `Verifier.verifyAll` / `Signer.sign` over the
 * same octets, however they are cut (test/stream-ground.test.ts): a bundle that fits
 * the window whole is checked by those very calls, the one-piece case. Limits of the
 * window are named errors, never a silent cut: `HeaderTooLarge` (blocks before the
 * payload do not fit), `TrailerTooLarge` (those before plus those after do not),
 * `TooManyDigests` (more payload digests at once than were made at start-up).
 * Payload lengths and covered ranges are exact up to 2^53 − 1 (the 32-bit block
 * tables of `Bundle` never hold them: the skeleton's payload is empty).
 *
 * Nothing allocates per piece. Not part of any firmware build (src/entries/).
 */
import { Bundle } from "./bundle.js";
import { Canonicalizer } from "./canon.js";
import type { Digest } from "../core/digest.js";
import { Err } from "../core/errors.js";
import { Crc32c } from "../core/crc32c.js";
import { crc32cJoin } from "../core/crc32cShift.js";
import { Md5 } from "../core/md5.js";
import { HmacSha1 } from "../core/hmac.js";
import { Signer, Verifier } from "./pib.js";
import { constantTimeEqual, Verdict, VerdictPacking } from "../core/verdict.js";
import { Wire } from "../core/wire.js";
import { resultSize, SuiteKind } from "../core/suites.js";
import { readSdnvNumber, U64, u64ToNumber } from "../core/sdnv.js";
import { MdBlock } from "../core/mdBlock.js";

const TWO_32 = 4294967296;
/** Octets kept per digest result: MD5 16, HMAC-SHA1-80 10, CRC-32C 4. */
const MAX_RESULT = 20;
/** Room a checksum PIB can take in the signed header beyond the input's (with a security-destination). */
export const PIB_ROOM = 128;

/** Where a stream is: collecting the header, in the payload, collecting the trailer, or stopped by an error. */
export const enum StreamPhase {
  Head = 0,
  Payload = 1,
  Trailer = 2,
  Failed = 3,
}

/** Canonicalizer modes: whole bundle in memory, part before the payload octets, part after. */
export const enum CanonMode {
  Whole = 0,
  Before = 1,
  After = 2,
}

/** Copies src[from, from + n) to dst at `at` without a view (a view allocates). */
function copyInto(src: Uint8Array, from: number, n: number, dst: Uint8Array, at: number): void {
  for (let i = 0; i < n; i++) dst[at + i] = src[from + i]!;
}

/*
 * Hands what the canonicalizer emits to digests first … first+count−1 of a list, or
 * drops it while closed: open for the part before the payload octets, closed for the
 * part after them (and the other way round on the second run).
 */
class Gate implements Digest {
  readonly size: number;
  on: boolean;
  list: Digest[];
  first: number;
  count: number;

  constructor(list: Digest[]) {
    this.size = 0;
    this.on = true;
    this.list = list;
    this.first = 0;
    this.count = 0;
  }

  reset(): void {}

  update(buf: Uint8Array, off: number, len: number): void {
    if (!this.on) return;
    const l = this.list;
    for (let s = this.first; s < this.first + this.count; s++) l[s]!.update(buf, off, len);
  }

  finish(): void {}
}

type StageOf = Parameters<Canonicalizer["payload_"]>[2];

/*
 * The one Canonicalizer, with the payload step replaced while streaming: Before emits
 * the real covered length (exact above 2^32) and closes the gate behind it; After
 * opens the gate right after the payload octets, so the digests see what follows.
 */
class StreamCanon extends Canonicalizer {
  gate: Gate;
  mode: number;

  constructor(gate: Gate) {
    super();
    this.gate = gate;
    this.mode = CanonMode.Whole;
  }

  override payload_(b: Bundle, i: number, d: StageOf, coverOff: number, coverLen: number): void {
    if (this.mode === CanonMode.Whole) return super.payload_(b, i, d, coverOff, coverLen);
    if (this.mode === CanonMode.Before) d.u64_(Math.floor(coverLen / TWO_32), coverLen >>> 0);
    d.flush_();
    this.gate.on = this.mode === CanonMode.After;
  }
}

/** Whether a window's parse error may be cured by more octets (the bundle only cut short so far). */
const curable = (r: number): boolean => r === -Err.PrimaryTruncated || r === -Err.SdnvTruncated || r === -Err.BlockPastEnd || r === -Err.NoLastBlock;

/** What a StreamHead tells its owner: the payload starts (skeleton parsed), payload octets at `pos`. */
interface HeadOwner {
  start_(): void;
  data_(buf: Uint8Array, off: number, len: number, pos: number): void;
}

/*
 * The window and the parse of the blocks before the payload, shared by the streaming
 * verifier and signer. Each piece goes to the window while the header is incomplete
 * (re-parsed after each piece: a header is small and pieces are large), then straight
 * to the owner as payload octets, then to the window again after the skeleton.
 * `Bundle.parse` tells a header that needs more octets (PrimaryTruncated,
 * SdnvTruncated, BlockPastEnd, NoLastBlock at the window's end) from a defect that
 * more octets cannot cure: the latter is final at once, with the code the whole
 * bundle would give, since the parse reads in wire order.
 */
export class StreamHead {
  /* Fields marked ! are set by reset(), which the constructor calls. */
  win: Uint8Array;
  fill!: number;
  phase!: number;
  bundle: Bundle;
  owner: HeadOwner;
  /** The window so far parsed as a whole bundle (more octets would be DataAfterLastBlock). */
  complete!: boolean;
  /** The payload did not fit with the header: the window holds a skeleton. */
  streamed!: boolean;
  /** Final error (phase Failed) and the original offset of the field it names. */
  err!: number;
  errAt!: number;
  /** Payload length, octets of it seen, its length field's offset and its data offset (original offsets). */
  payLen!: number;
  payGot!: number;
  lenAt: number;
  dataAt: number;
  /** Octets pushed so far. */
  total!: number;
  t: U64;

  constructor(bundle: Bundle, window: number, owner: HeadOwner) {
    this.win = new Uint8Array(window);
    this.bundle = bundle;
    this.owner = owner;
    this.lenAt = 0;
    this.dataAt = 0;
    this.t = new U64();
    this.reset();
  }

  reset(): void {
    this.fill = 0;
    this.phase = StreamPhase.Head;
    this.complete = false;
    this.streamed = false;
    this.err = 0;
    this.errAt = -1;
    this.payLen = 0;
    this.payGot = 0;
    this.total = 0;
  }

  /** Offset in the original bundle of offset `at` in the window. */
  original(at: number): number {
    if (!this.streamed || at <= this.lenAt) return at;
    return at - (this.lenAt + 1) + this.dataAt + this.payLen;
  }

  fail(code: number, at: number): number {
    this.phase = StreamPhase.Failed;
    this.err = code;
    this.errAt = at;
    return code;
  }

  /** Takes buf[off, off + len); 0, or the final -Err.X (later pieces are then ignored). */
  push(buf: Uint8Array, off: number, len: number): number {
    const self = this;
    while (len > 0 && self.phase !== StreamPhase.Failed) {
      let n: number;
      if (self.phase === StreamPhase.Payload) {
        const left = self.payLen - self.payGot;
        n = len < left ? len : left;
        self.owner.data_(buf, off, n, self.payGot);
        self.payGot += n;
        if (self.payGot === self.payLen) self.phase = StreamPhase.Trailer;
      } else {
        n = self.win.length - self.fill;
        if (n > len) n = len;
        if (n === 0) {
          if (self.phase === StreamPhase.Head && !self.complete && self.toTrailer()) continue;
          if (self.phase === StreamPhase.Trailer) self.trailerFull();
          else self.fail(self.complete ? -Err.DataAfterLastBlock : -Err.HeaderTooLarge, self.complete ? self.fill : self.bundle.errAt_);
          break;
        }
        copyInto(buf, off, n, self.win, self.fill);
        self.fill += n;
        if (self.phase === StreamPhase.Head) {
          self.total += n;
          off += n;
          len -= n;
          self.look();
          continue;
        }
      }
      self.total += n;
      off += n;
      len -= n;
    }
    return self.phase === StreamPhase.Failed ? self.err : 0;
  }

  /**
   * The blocks after the payload filled the window with octets still to come: what the
   * window holds may already be wrong whatever follows — octets after a complete bundle
   * (DataAfterLastBlock), a second payload block — and then that is the answer, as for
   * the whole bundle however it is cut; TrailerTooLarge only while more octets could
   * cure it.
   */
  trailerFull(): void {
    const self = this;
    const b = self.bundle;
    const r = b.parse(self.win, 0, self.fill);
    if (r === 0) self.fail(-Err.DataAfterLastBlock, self.original(self.fill));
    else if (curable(r)) self.fail(-Err.TrailerTooLarge, self.original(self.fill));
    else self.fail(r, self.original(b.errAt_));
  }

  /** `n` payload octets from `payGot` on, digested elsewhere (the owners' skipCrc): counted as if pushed. */
  skip(n: number): void {
    this.payGot += n;
    this.total += n;
    if (this.payGot === this.payLen) this.phase = StreamPhase.Trailer;
  }

  /** Parses the window; starts the payload when the parse stops at the payload's data. */
  look(): void {
    const self = this;
    const b = self.bundle;
    const w = self.win;
    const r = b.parse(w, 0, self.fill);
    self.complete = r === 0;
    if (r === 0) return;
    if (!curable(r)) {
      self.fail(r, b.errAt_);
      return;
    }
    // The first payload block, its length read, its data not all here: stream it.
    if (r !== -Err.BlockPastEnd || b.blockType[b.blockCount] !== Wire.Payload || b.payloadIndex >= 0) return;
    const at = b.errAt_;
    const q = readSdnvNumber(w, at, self.fill, self.t);
    self.startPayload(at, q, u64ToNumber(self.t), self.fill - q);
    self.phase = StreamPhase.Payload;
    self.fill = at + 1;
  }

  /**
   * Streaming starts: the payload's length field at `at`, its `len` octets of data at `q`,
   * the first `got` of them in the window. The window becomes the skeleton (an empty
   * payload); the owner plans its digests and takes the data already here, before the
   * trailer is written over it.
   */
  startPayload(at: number, q: number, len: number, got: number): void {
    const self = this;
    const w = self.win;
    self.lenAt = at;
    self.dataAt = q;
    self.payLen = len;
    self.payGot = got;
    w[at] = 0;
    self.bundle.parse(w, 0, at + 1);
    self.streamed = true;
    self.owner.start_();
    if (got > 0) self.owner.data_(w, q, got, 0);
  }

  /**
   * The window is full, the payload lies whole in it and a block after the payload is cut
   * short (a later piece brings the rest): the payload streams from the window now, as
   * look() streams one cut short, and what follows it becomes the trailer. Without this
   * the same bytes were HeaderTooLarge or fine depending on where the pieces fell (the
   * on-board path does the same: src/onboard/pibPath.ts `whole`). False when the
   * payload is not whole in the window.
   */
  toTrailer(): boolean {
    const self = this;
    const b = self.bundle;
    const w = self.win;
    const p = b.payloadIndex;
    if (p < 0) return false;
    const q = b.blockDataOff[p]!;
    const m = b.blockDataLen[p]!;
    // the length field: the SDNV that ends at the data (the octet before it ends the flags or an EID reference)
    let at = q - 1;
    while (w[at - 1]! & 0x80) at--;
    const tail = self.fill - (q + m);
    self.startPayload(at, q, m, m);
    copyInto(w, q + m, tail, w, at + 1);
    self.fill = at + 1 + tail;
    self.phase = StreamPhase.Trailer;
    return true;
  }

  /**
   * The stream ended: 1 when the window holds the whole bundle (check it as one piece),
   * 0 when the skeleton with its trailer parsed (in `bundle`), else -Err.X.
   */
  end(): number {
    const self = this;
    if (self.phase === StreamPhase.Failed) return self.err;
    if (self.phase === StreamPhase.Head) return 1;
    if (self.phase === StreamPhase.Payload) return self.fail(-Err.BlockPastEnd, self.lenAt);
    const b = self.bundle;
    const r = b.parse(self.win, 0, self.fill);
    if (r < 0) return self.fail(r, self.original(b.errAt_));
    return 0;
  }
}

/**
 * For a reader choosing where in its buffer the next pieces land: the original offsets
 * F with F ≡ result (mod 4) start the 64-octet blocks of digest `d`, which is about to
 * take the payload octet at original offset `dataAt` after the octets it has taken so
 * far (the canonical form before the payload; for HMAC the key block too); -1 for a
 * digest without blocks (CRC-32C). The Node build's MD5 and SHA-1 take a run of blocks
 * as 32-bit words only where a block starts at a 4-aligned address of the buffer
 * (mdBlock.ts); elsewhere they read octets, a quarter to a third slower (docs/bench.md).
 */
function blockPhase(d: Digest, dataAt: number): number {
  const m = d instanceof HmacSha1 ? d.s : d instanceof MdBlock ? d : null;
  if (m === null) return -1;
  return (((dataAt - m.total_) % 4) + 4) % 4;
}

/** DTN2's PIB in block type 4 (pib.ts, same test). */
function isDtn2PibSuite(hi: number, lo: number): boolean {
  return hi === 0 && (lo === 2 || lo === 6 || lo === 10);
}

/*
 * `Verifier` fed in pieces: begin(), push(buf, off, len)…, end() → the number of PIBs
 * or -Err.X, with the verdict tables filled as by verifyAll. Payload-covering PIBs are
 * digested in parallel as the payload passes, each with its own digest state (a
 * keyed PIB-HMAC: one per key candidate, for trial verification); the budget and
 * the key table's `verified` are applied at the end, in LIFO order, as verifyAll does.
 * `original(at)` maps an offset of the tables (blockStart, an error) to the bundle's.
 */
export class StreamVerifier extends Verifier implements HeadOwner {
  head: StreamHead;
  gate: Gate;
  scanon: StreamCanon;
  /** Digest states made at start-up: per stream s one of each suite; `active[s]` is the one in use. */
  maxStreams: number;
  streams: number;
  active: Digest[];
  crcs: Crc32c[];
  md5s: Md5[];
  macs: HmacSha1[];
  /** Computed results, MAX_RESULT octets per stream. */
  results: Uint8Array;
  /** Per PIB: 1 = digest at the end, its streams, covered range (payload-relative), error met on the way. */
  pend: Uint8Array;
  sFirst: Int32Array;
  sCount: Int32Array;
  covOff: Float64Array;
  covLen: Float64Array;
  perr: Int32Array;
  /** PIBs before the payload; more PIBs than the tables hold; more digests than made. */
  headPibs: number;
  over: boolean;
  short: boolean;

  constructor(maxBlocks: number, maxEidRefs: number, maxPibs: number, window: number, maxStreams: number) {
    super(maxBlocks, maxEidRefs, maxPibs);
    this.head = new StreamHead(this.bundle, window, this);
    this.maxStreams = maxStreams;
    this.streams = 0;
    this.active = [];
    this.crcs = [];
    this.md5s = [];
    this.macs = [];
    for (let s = 0; s < maxStreams; s++) {
      this.crcs.push(new Crc32c());
      this.md5s.push(new Md5());
      this.macs.push(new HmacSha1(10));
      this.active.push(this.crcs[s]!);
    }
    this.results = new Uint8Array(maxStreams * MAX_RESULT);
    this.gate = new Gate(this.active);
    this.scanon = new StreamCanon(this.gate);
    this.canon = this.scanon;
    this.pend = new Uint8Array(maxPibs);
    this.sFirst = new Int32Array(maxPibs);
    this.sCount = new Int32Array(maxPibs);
    this.covOff = new Float64Array(maxPibs);
    this.covLen = new Float64Array(maxPibs);
    this.perr = new Int32Array(maxPibs);
    this.headPibs = 0;
    this.over = false;
    this.short = false;
  }

  /**
   * Once the payload streams: the residue mod 4 of the original offsets where the first
   * payload PIB's digest starts its blocks (blockPhase), -1 when there is none. A reader
   * that puts such offsets at 4-aligned places of its buffer gets the digests' word path.
   */
  wordPhase = -1;

  /** Starts a bundle (the configuration fields stay). */
  begin(): void {
    this.head.reset();
    this.wordPhase = -1;
    this.count = 0;
    this.whole_ = false;
    this.streams = 0;
    this.headPibs = 0;
    this.over = false;
    this.short = false;
  }

  /** Takes the next piece; 0, or the final -Err.X already known (the rest may be skipped). */
  push(buf: Uint8Array, off: number, len: number): number {
    return this.head.push(buf, off, len);
  }

  /** Octets of the bundle so far, and the original offset of a table offset. */
  get total(): number {
    return this.head.total;
  }

  original(at: number): number {
    return this.head.original(at);
  }

  /** Error offset (original) after end() < 0, -1 when none. */
  get errAt(): number {
    return this.head.phase === StreamPhase.Failed ? this.head.errAt : this.bundle.errAt_;
  }

  /** A PIB (type 3) or DTN2's PIB in block type 4, as verifyAll counts them. */
  isPib(i: number): boolean {
    const b = this.bundle;
    const type = b.blockType[i]!;
    if (type === Wire.Pib) return true;
    if (type !== Wire.Pcb) return false;
    const a = this.asb_;
    return a.parse(b.buf, b.blockDataOff[i]!, b.blockDataLen[i]!) >= 0 && isDtn2PibSuite(a.csId.hi, a.csId.lo);
  }

  /** Header complete, payload starting: plan every PIB before it and start its digests. */
  start_(): void {
    const self = this;
    const b = self.bundle;
    for (let i = 0; i < b.blockCount; i++) {
      if (!self.isPib(i)) continue;
      if (self.count >= self.capacity) {
        self.over = true;
        break;
      }
      const k = self.count++;
      if (self.plan(i, k) && !self.startDigests(i, k)) self.short = true;
      else if (self.wordPhase < 0 && self.pend[k] !== 0 && self.perr[k] === 0) self.wordPhase = blockPhase(self.active[self.sFirst[k]!]!, self.head.dataAt + self.covOff[k]!);
    }
    self.headPibs = self.count;
  }

  /** Payload octets [pos, pos + len) in buf[off…]: each PIB's digests get the covered part. */
  data_(buf: Uint8Array, off: number, len: number, pos: number): void {
    const self = this;
    for (let k = 0; k < self.headPibs; k++) {
      if (self.pend[k] === 0 || self.perr[k] !== 0) continue;
      const from = self.covOff[k]!;
      const to = from + self.covLen[k]!;
      const lo = pos > from ? pos : from;
      const hi = pos + len < to ? pos + len : to;
      if (hi <= lo) continue;
      // Both lie inside this piece (< 2^31): as int32 the digest's loop runs on small
      // integers, not on the doubles that Float64Array reads and payload positions are.
      const at = (off + (lo - pos)) | 0;
      const n = (hi - lo) | 0;
      for (let s = self.sFirst[k]!; s < self.sFirst[k]! + self.sCount[k]!; s++) self.active[s]!.update(buf, at, n);
    }
  }

  /**
   * Ground tools, for a second thread (cli/crcThreads.ts): the original offset where the
   * payload ends when every digest still to take payload octets is a CRC-32C that takes
   * all of them from here to the payload's end (the rest of the payload can then be
   * digested elsewhere and joined by skipCrc); -1 otherwise, or when none takes any.
   */
  crcTail(): number {
    const self = this;
    const h = self.head;
    // a bundle past the tables' room ends in its error code whatever is digested
    if (h.phase !== StreamPhase.Payload || self.short || self.over) return -1;
    let any = false;
    for (let k = 0; k < self.headPibs; k++) {
      if (self.pend[k] === 0 || self.perr[k] !== 0) continue;
      const to = self.covOff[k]! + self.covLen[k]!;
      if (to <= h.payGot) continue;
      if (self.kind[k] !== SuiteKind.Crc32 || to !== h.payLen || self.covOff[k]! > h.payGot) return -1;
      any = true;
    }
    return any ? h.dataAt + h.payLen : -1;
  }

  /**
   * The next `n` payload octets were digested elsewhere (crcTail): `r` is their CRC-32C
   * register fed from 0. Each running CRC joins it (crc32cJoin) as if it had taken them.
   */
  skipCrc(n: number, r: number): void {
    const self = this;
    for (let k = 0; k < self.headPibs; k++) {
      if (self.pend[k] === 0 || self.perr[k] !== 0 || self.covOff[k]! + self.covLen[k]! <= self.head.payGot) continue;
      for (let s = self.sFirst[k]!; s < self.sFirst[k]! + self.sCount[k]!; s++) crc32cJoin(self.active[s] as Crc32c, n, r);
    }
    self.head.skip(n);
  }

  /*
   * What checkOne_ decides before digesting (Verifier.admit_), with the payload length
   * of the stream (exact to 2^53): a verdict now (false), or the covered range to digest (true).
   * The budget is left to the end, where the bundle's length is known.
   */
  plan(i: number, k: number): boolean {
    const self = this;
    self.pend[k] = 0;
    self.perr[k] = 0;
    const c = self.admit_(i, k, self.head.payLen);
    if (c >= 0) return self.decide(k, c & VerdictPacking.Mask, c >> VerdictPacking.Shift);
    // Offset 0 in a fragment: admitted only when the range is exactly its payload.
    self.covOff[k] = self.bundle.isFragment ? 0 : self.rangeOff[k]!;
    self.covLen[k] = self.rangeLen[k]!;
    self.pend[k] = 1;
    return true;
  }

  decide(k: number, v: number, code: number): boolean {
    this.set(k, v, code);
    return false;
  }

  /** Loads PIB k's digests (one per key candidate) and feeds them the part before the payload octets. */
  startDigests(i: number, k: number): boolean {
    const self = this;
    const kind = self.kind[k]!;
    const keyId = self.keyId[k]!;
    const keyed = kind === SuiteKind.Hmac && keyId !== 0;
    const n = keyed ? (self.keys as NonNullable<Verifier["keys"]>).count(keyId) : 1;
    const first = self.streams;
    if (first + n > self.maxStreams) return false;
    for (let c = 0; c < n; c++) {
      const s = first + c;
      let d: Digest;
      if (kind === SuiteKind.Crc32) d = self.crcs[s]!;
      else if (kind === SuiteKind.Md5) d = self.md5s[s]!;
      else {
        const mac = self.macs[s]!;
        if (keyed) (self.keys as NonNullable<Verifier["keys"]>).load(keyId, c, mac);
        else mac.loadKey_(self.digests_.nullIh_, self.digests_.nullOh_);
        d = mac;
      }
      d.reset();
      self.active[s] = d;
    }
    self.streams = first + n;
    self.sFirst[k] = first;
    self.sCount[k] = n;
    const e = self.run(CanonMode.Before, i, k);
    if (e < 0) self.perr[k] = e;
    return true;
  }

  /** One canonicalization of PIB k into its digests through the gate. */
  run(mode: number, i: number, k: number): number {
    const self = this;
    const g = self.gate;
    g.first = self.sFirst[k]!;
    g.count = self.sCount[k]!;
    g.on = mode === CanonMode.Before;
    self.scanon.mode = mode;
    const e = self.scanon.runCovered(self.bundle, i, self.profile, g, self.covOff[k]!, self.covLen[k]!);
    self.scanon.mode = CanonMode.Whole;
    return e;
  }

  /** The stream ended: the number of PIBs (verdicts in the tables) or -Err.X, as verifyAll. */
  end(): number {
    const self = this;
    const head = self.head;
    self.whole_ = false;
    const r = head.end();
    if (r < 0) return r;
    if (r === 1) return self.verifyAll(head.win, 0, head.fill);
    const b = self.bundle;
    // More PIBs than the tables hold: as verifyAll, the ones that fit are checked first,
    // in wire order (their KeyLookup calls made), then TooManyPibs.
    let over = self.over;
    for (let i = b.payloadIndex + 1; i < b.blockCount && !over; i++) {
      if (!self.isPib(i)) continue;
      if (self.count >= self.capacity) over = true;
      else self.plan(i, self.count++);
    }
    if (self.short) return -Err.TooManyDigests;
    const cost = head.total;
    for (let k = 0; k < self.count; k++) {
      if (self.pend[k] === 0) continue;
      if (self.budget >= 0) {
        if (cost > self.budget) {
          self.set(k, Verdict.SkippedBudget, 0);
          continue;
        }
        self.budget -= cost;
      }
      self.bytes += cost;
      if (self.perr[k]! < 0) self.set(k, Verdict.Malformed, self.perr[k]!);
      else if (k < self.headPibs) self.conclude(k);
      // after the payload: its canonical form holds no payload octets, so the whole-bundle path serves
      else self.compare_(self.block[k]!, k, self.kind[k]!, self.covOff[k]!, self.covLen[k]!);
    }
    if (over) return -Err.TooManyPibs;
    self.whole_ = true;
    return self.count;
  }

  /** Feeds PIB k's digests the part after the payload octets, then compares each candidate in turn. */
  conclude(k: number): void {
    const self = this;
    const i = self.block[k]!;
    const e = self.run(CanonMode.After, i, k);
    if (e < 0) return self.set(k, Verdict.Malformed, e);
    const first = self.sFirst[k]!;
    const n = self.sCount[k]!;
    const keyId = self.keyId[k]!;
    const keyed = self.kind[k] === SuiteKind.Hmac && keyId !== 0;
    for (let c = 0; c < n; c++) self.active[first + c]!.finish(self.results, (first + c) * MAX_RESULT);
    // The candidates were those of the table when the payload began. An earlier PIB's
    // success under the new key may since have retired the old ones (the first of the
    // list): they are passed over, so this PIB is judged by the table as it is now, as
    // verifyAll judges it, whatever the cuts (the rest keep their order, newest last).
    const keys = self.keys;
    const gone = keyed && keys ? n - keys.count(keyId) : 0;
    for (let c = gone > 0 ? gone : 0; c < n; c++) {
      const size = self.active[first + c]!.size;
      if (self.resultLen[k] === size && constantTimeEqual(self.bundle.buf, self.resultOff[k]!, self.results, (first + c) * MAX_RESULT, size)) {
        if (keyed && keys) {
          keys.verified(keyId, c - gone);
          self.keyIndex[k] = c - gone;
        }
        return self.set(k, Verdict.Ok, 0);
      }
    }
    self.set(k, Verdict.Mismatch, 0);
  }

  /**
   * In-place signing of a stored bundle with room reserved: after end(), the result
   * PIB k (before the payload) should carry — the newest key candidate's, as Signer
   * signs — copied to out[off…]; its length, or -Err.NoPib when PIB k was not digested
   * while streaming, -Err.NoRoom when out[off…] cannot hold it (nothing written). The
   * reserved octets lie at `resultOff[k]` in the bundle (the header is never moved), so
   * one small write there seals it; the canonical form leaves the current PIB's result
   * out (RFC 6257 §3.4.2), so whatever the room held is irrelevant.
   */
  seal(k: number, out: Uint8Array, off: number): number {
    const self = this;
    if (!(k >= 0 && k < self.headPibs) || self.pend[k] === 0 || self.perr[k] !== 0 || self.verdict[k] === Verdict.SkippedBudget) return -Err.NoPib;
    const s = self.sFirst[k]! + self.sCount[k]! - 1;
    const size = self.active[s]!.size;
    if (!(off >= 0 && off + size <= out.length)) return -Err.NoRoom;
    copyInto(self.results, s * MAX_RESULT, size, out, off);
    return size;
  }
}

/*
 * `Signer` fed in pieces. The PIB goes before the payload, so its result is known only
 * after the last octet: end() returns the signed bundle's length (or -Err.X, the
 * codes of Signer.sign), and the signed bundle is `win`[0, headLen) — the header with
 * the PIB, result written — followed by the input from offset `inputFrom` on, copied
 * unchanged (two passes over a re-readable source: push everything, then copy).
 * Before the result is known, from `ready()` on, `win`[0, headLen) holds the header
 * with the result octets zero at `resultAt`: a store that can write back into what
 * it wrote can take the signed bundle in one pass and patch those octets at the end.
 * A bundle that fits the window whole is signed by Signer.sign itself (headLen is
 * then the whole output, inputFrom the input's length).
 */
export class StreamSigner extends Signer implements HeadOwner {
  head: StreamHead;
  gate: Gate;
  scanon: StreamCanon;
  list: Digest[];
  /** The output header (skeleton while streaming); its Bundle. */
  win: Uint8Array;
  out: Bundle;
  kind: number;
  keyIdent: number;
  /** Error found at the header, reported after the trailer's (Signer.sign's order). */
  headErr: number;
  canonErr: number;
  pib: number;
  blockLen: number;
  headLen: number;
  inputFrom: number;
  resultAt: number;
  resultLen: number;

  constructor(maxBlocks: number, maxEidRefs: number, window: number) {
    super(maxBlocks, maxEidRefs);
    this.head = new StreamHead(this.bundle, window, this);
    this.list = [];
    this.gate = new Gate(this.list);
    this.scanon = new StreamCanon(this.gate);
    this.canon = this.scanon;
    this.win = new Uint8Array(window + PIB_ROOM);
    this.out = new Bundle(maxBlocks + 1, maxEidRefs);
    this.kind = 0;
    this.keyIdent = 0;
    this.headErr = 0;
    this.canonErr = 0;
    this.pib = -1;
    this.blockLen = 0;
    this.headLen = 0;
    this.inputFrom = 0;
    this.resultAt = -1;
    this.resultLen = 0;
  }

  /** As StreamVerifier.wordPhase, for the digest of the PIB being made. */
  wordPhase = -1;

  /** Starts a bundle to sign with suite `kind` (SuiteKind) and `keyId` (HMAC). */
  begin(kind: number, keyId: number): void {
    this.head.reset();
    this.wordPhase = -1;
    this.kind = kind;
    this.keyIdent = keyId;
    this.headErr = 0;
    this.canonErr = 0;
    this.pib = -1;
    this.headLen = 0;
    this.inputFrom = 0;
    this.resultAt = -1;
    this.resultLen = 0;
  }

  push(buf: Uint8Array, off: number, len: number): number {
    return this.head.push(buf, off, len);
  }

  /** The header with the PIB (result zero) is in win[0, headLen). */
  ready(): boolean {
    return this.head.phase !== StreamPhase.Head && this.head.phase !== StreamPhase.Failed && this.headErr === 0;
  }

  get errAt(): number {
    return this.head.phase === StreamPhase.Failed ? this.head.errAt : this.bundle.errAt_;
  }

  /** Payload length of the input (when streamed; else from the parsed input). */
  get payloadLength(): number {
    return this.head.phase === StreamPhase.Head ? this.bundle.blockDataLen[this.bundle.payloadIndex]! : this.head.payLen;
  }

  /* Header complete: the checks of Signer.sign that need no trailer, the PIB written, the digest started. */
  start_(): void {
    const self = this;
    const e = self.layout();
    if (e < 0) self.headErr = e;
  }

  layout(): number {
    const self = this;
    const b = self.bundle;
    const payLen = self.head.payLen;
    const blockLen = self.pib_(null, 0, self.kind, self.keyIdent, payLen);
    if (blockLen < 0) return blockLen;
    let at = b.primaryEnd;
    for (let j = 0; j < b.blockCount && b.blockType[j] === Wire.Bab; j++) at = b.blockDataOff[j]! + b.blockDataLen[j]!;
    // The header with the PIB, then the payload's length field as a skeleton's 0.
    const o = self.win;
    const w = self.head.win;
    const lenAt = self.head.lenAt;
    const stop = lenAt + blockLen + 1;
    copyInto(w, 0, at, o, 0);
    const p = self.pib_(o, at, self.kind, self.keyIdent, payLen);
    self.resultAt = self.resultAt_;
    self.resultLen = resultSize(self.kind);
    const d = self.digest_;
    copyInto(w, at, lenAt - at, o, p);
    o[lenAt + blockLen] = 0;
    self.blockLen = blockLen;
    self.headLen = lenAt + blockLen;
    self.inputFrom = lenAt;
    // The output skeleton (its payload the last block read) and the part before the payload octets.
    const ob = self.out;
    ob.parse(o, 0, stop);
    let pib = 0;
    while (pib < ob.blockCount && ob.blockStart[pib] !== at) pib++;
    self.pib = pib;
    self.list[0] = d;
    d.reset();
    self.canonErr = self.run(CanonMode.Before, payLen);
    self.wordPhase = blockPhase(d, self.head.dataAt);
    return 0;
  }

  run(mode: number, payLen: number): number {
    const self = this;
    const g = self.gate;
    g.first = 0;
    g.count = 1;
    g.on = mode === CanonMode.Before;
    self.scanon.mode = mode;
    const e = self.scanon.runCovered(self.out, self.pib, self.profile, g, 0, payLen);
    self.scanon.mode = CanonMode.Whole;
    return e;
  }

  data_(buf: Uint8Array, off: number, len: number): void {
    if (this.headErr === 0 && this.canonErr === 0) this.list[0]!.update(buf, off, len);
  }

  /** As StreamVerifier.crcTail: the payload's end when the PIB being made is a CRC-32C still digesting it, else -1. */
  crcTail(): number {
    const h = this.head;
    if (h.phase !== StreamPhase.Payload || this.headErr !== 0 || this.canonErr !== 0 || this.kind !== SuiteKind.Crc32) return -1;
    return h.dataAt + h.payLen;
  }

  /** As StreamVerifier.skipCrc. */
  skipCrc(n: number, r: number): void {
    crc32cJoin(this.list[0] as Crc32c, n, r);
    this.head.skip(n);
  }

  /** The stream ended: the signed bundle's length, or -Err.X as Signer.sign gives for the same octets. */
  end(): number {
    const self = this;
    const head = self.head;
    const r = head.end();
    if (r < 0) return r;
    if (r === 1) {
      const n = self.sign(head.win, 0, head.fill, self.win, 0, self.win.length, self.kind, self.keyIdent);
      if (n < 0) return n;
      self.headLen = n;
      self.inputFrom = head.fill;
      return n;
    }
    const b = self.bundle;
    if (b.blockCount > self.maxBlocks_) return -Err.TooManyBlocks;
    if (self.headErr < 0) return self.headErr;
    // The trailer after the output skeleton, then the part after the payload octets.
    const from = head.lenAt + 1;
    const n = head.fill - from;
    copyInto(head.win, from, n, self.win, self.headLen + 1);
    const ob = self.out;
    const e = ob.parse(self.win, 0, self.headLen + 1 + n);
    if (e < 0) return e;
    if (self.canonErr < 0) return self.canonErr;
    const e2 = self.run(CanonMode.After, head.payLen);
    if (e2 < 0) return e2;
    self.list[0]!.finish(self.win, self.resultAt);
    return head.total + self.blockLen;
  }
}
