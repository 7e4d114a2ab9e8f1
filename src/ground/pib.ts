/**
 * Payload Integrity Blocks with the checksum ciphersuites of
 * draft-irtf-dtnrg-bundle-checksum-02 §3, encoded as RFC 6257 §2.6
 * TLV items (docs/pib.md, "What pibkit writes"):
 *
 *   PIB = 03 | flags | length | cs-id | cs-flags 0x05 | params length | params
 *         | result length | 05 <size> <digest>
 *   params: [03 <n> SDNV(key id)]  (PIB-HMAC only; key id 0 = NULL key, RFC 5327 §2.1)
 *           04 <n> SDNV(offset) SDNV(length)   (covered payload octets, RFC 6257 §2.6)
 *
 * `Signer` inserts one PIB right after the primary block (after any BAB: BABs are
 * added last, RFC 6257 §3.2) and copies every other octet unchanged. `Verifier`
 * checks every PIB in LIFO order (nearest the primary first) and keeps one verdict
 * per PIB in fixed tables. Neither allocates after construction nor throws.
 */
// Methods with many member accesses read `this` once into `self`: the minifier shortens
// a local to one letter but never `this`, and Espruino keeps the source (docs/firmware.md).
import { Asb, TlvItem } from "./asb.js";
import { Bundle } from "./bundle.js";
import { Canonicalizer } from "./canon.js";
import type { Digest } from "../core/digest.js";
import { Err } from "../core/errors.js";
import type { KeyLookup } from "../core/keyLookup.js";
import type { PibSigner, PibVerifier } from "../core/pibContract.js";
import { PROFILE_RFC6257, type CanonProfile } from "./profiles.js";
import { readSdnv, readSdnvNumber, sdnvLength, U64, u64ToNumber, writeSdnv } from "../core/sdnv.js";
import { SuiteDigests } from "../core/suiteDigests.js";
import { DEFAULT_SUITE_IDS, resultSize, suiteId, suiteKind, SuiteKind, type SuiteIds } from "../core/suites.js";
import { constantTimeEqual, Verdict, VerdictPacking } from "../core/verdict.js";
import { Wire } from "../core/wire.js";

/** cs-flags of a checksum PIB: parameters and result present (docs/pib.md). */
const CS_FLAGS_PIB = Wire.CsParm | Wire.CsRes;
/** Scratch for a computed result: MD5 writes 16 octets, HMAC-SHA1-80 10, CRC-32C 4. */
const MAX_RESULT = 20;

/*
 * DTN2 writes its PIBs (PI2 = PIB-RSA-SHA256, PI6/PI10 = ECDSA) in block type 4
 * (`Ciphersuite_PI::prepare`, docs/pib.md, named profiles); a type-4 block with one of these suite
 * numbers is reported as a foreign PIB (UnknownSuite), never as one of ours.
 */
function isDtn2PibSuite(a: Asb): boolean {
  return a.csId.hi === 0 && (a.csId.lo === 2 || a.csId.lo === 6 || a.csId.lo === 10);
}

/** Reads exactly `count` SDNVs (each < 2^53) filling buf[off, end) into `out`; 0 or -Err. */
function readSdnvs(buf: Uint8Array, off: number, end: number, count: number, out: Float64Array, t: U64): number {
  let p = off;
  for (let i = 0; i < count; i++) {
    p = readSdnvNumber(buf, p, end, t);
    if (p < 0) return p;
    out[i] = u64ToNumber(t);
  }
  return p === end ? 0 : -Err.TlvMalformed;
}

/*
 * Verifies every PIB of a bundle. Configure the public fields once (profile, suite
 * ids, keys, acceptBare), then call `verifyAll` per bundle; results are in the
 * per-PIB tables, index 0 = nearest the primary block.
 */
export class Verifier implements PibVerifier {
  /** Canonicalization profile (default R, docs/pib.md). */
  profile: CanonProfile;
  /** Ciphersuite ids (default 4/5/6). */
  ids: SuiteIds;
  /** Keys for PIB-HMAC with key id ≠ 0; null = only the NULL key is known. */
  keys: KeyLookup | null;
  /** Also accept the draft's bare-SDNV params and a raw (un-itemised) result (docs/pib.md). */
  acceptBare: boolean;
  /** Octets this verifier may still digest; < 0 = unlimited. Each check costs the bundle's length. */
  budget: number;
  /** Octets digested by checks so far (never reset here). */
  bytes: number;

  readonly capacity: number;
  bundle: Bundle;
  count: number;
  /**
   * Whether the last verifyAll (or StreamVerifier.end) checked every PIB: after a
   * negative return (TooManyPibs, TooManyDigests) the verdicts are those of some PIBs
   * only, or of none, so allOk says no.
   */
  whole_: boolean;
  /** Per PIB (index < count): block index, verdict, Err code (0 when none). */
  block: Uint16Array;
  verdict: Uint8Array;
  code: Int32Array;
  /** Block type (3, or 4 for DTN2's PIB), suite kind (SuiteKind), cs-id (-1 if unreadable). */
  blockType: Uint8Array;
  kind: Uint8Array;
  suite: Float64Array;
  /** Key id (-1 when none), covered range (-1 when absent), result value offset/length (-1 when none). */
  keyId: Float64Array;
  rangeOff: Float64Array;
  rangeLen: Float64Array;
  resultOff: Int32Array;
  resultLen: Int32Array;
  /** Which key candidate verified (KeyLookup index), -1 otherwise. */
  keyIndex: Int8Array;

  canon: Canonicalizer;
  asb_: Asb;
  item_: TlvItem;
  digests_: SuiteDigests;
  scratch_: Uint8Array;
  nums_: Float64Array;
  t: U64;

  constructor(maxBlocks: number, maxEidRefs: number, maxPibs: number) {
    this.profile = PROFILE_RFC6257;
    this.ids = DEFAULT_SUITE_IDS;
    this.keys = null;
    this.acceptBare = false;
    this.budget = -1;
    this.bytes = 0;
    this.capacity = maxPibs;
    this.bundle = new Bundle(maxBlocks, maxEidRefs);
    this.count = 0;
    this.whole_ = false;
    this.block = new Uint16Array(maxPibs);
    this.verdict = new Uint8Array(maxPibs);
    this.code = new Int32Array(maxPibs);
    this.blockType = new Uint8Array(maxPibs);
    this.kind = new Uint8Array(maxPibs);
    this.suite = new Float64Array(maxPibs);
    this.keyId = new Float64Array(maxPibs);
    this.rangeOff = new Float64Array(maxPibs);
    this.rangeLen = new Float64Array(maxPibs);
    // Int32: offsets index buffers; an integer-typed read keeps QuickJS off the
    // float-index path, which allocates (test/alloc.test.ts).
    this.resultOff = new Int32Array(maxPibs);
    this.resultLen = new Int32Array(maxPibs);
    this.keyIndex = new Int8Array(maxPibs);
    this.canon = new Canonicalizer();
    this.asb_ = new Asb();
    this.item_ = new TlvItem();
    this.digests_ = new SuiteDigests();
    this.scratch_ = new Uint8Array(MAX_RESULT);
    this.nums_ = new Float64Array(3);
    this.t = new U64();
  }

  /**
   * Parses buf[off, end) and checks every PIB. Returns the number of PIBs (verdicts
   * in the tables) or -Err.X when the bundle does not parse or has more PIBs than
   * the tables hold.
   */
  verifyAll(buf: Uint8Array, off: number, end: number): number {
    const self = this;
    const b = self.bundle;
    self.count = 0;
    self.whole_ = false;
    const e = b.parse(buf, off, end);
    if (e < 0) return e;
    for (let i = 0; i < b.blockCount; i++) {
      const type = b.blockType[i]!;
      if (type !== Wire.Pib && type !== Wire.Pcb) continue;
      if (type === Wire.Pcb) {
        if (self.asb_.parse(buf, b.blockDataOff[i]!, b.blockDataLen[i]!) < 0 || !isDtn2PibSuite(self.asb_)) continue;
      }
      if (self.count >= self.capacity) return -Err.TooManyPibs;
      self.checkOne_(i, self.count);
      self.count++;
    }
    self.whole_ = true;
    return self.count;
  }

  /** True when the last verifyAll checked every PIB, found at least one, and every one is Ok. */
  allOk(): boolean {
    if (!this.whole_ || this.count === 0) return false;
    for (let k = 0; k < this.count; k++) if (this.verdict[k] !== Verdict.Ok) return false;
    return true;
  }

  /** Sets slot k's verdict and code; returns nothing useful (keeps checkOne short). */
  set(k: number, v: number, code: number): void {
    this.verdict[k] = v;
    this.code[k] = code < 0 ? -code : code;
  }

  /*
   * Everything checkOne_ decides before the budget and the digest, for the PIB at block
   * index i into slot k, with a payload of payLen octets: the verdict packed as
   * verdict | code << VerdictPacking.Shift, or -1 when the covered range (rangeOff[k],
   * rangeLen[k], filled in) is to be digested. The streaming verifier (stream.ts) runs
   * the same checks with the length of a payload it has not yet seen whole.
   */
  admit_(i: number, k: number, payLen: number): number {
    const self = this;
    const b = self.bundle;
    const a = self.asb_;
    self.block[k] = i;
    self.blockType[k] = b.blockType[i]!;
    self.kind[k] = SuiteKind.None;
    self.suite[k] = -1;
    self.keyId[k] = -1;
    self.rangeOff[k] = -1;
    self.rangeLen[k] = -1;
    self.resultOff[k] = -1;
    self.resultLen[k] = -1;
    self.keyIndex[k] = -1;
    let e = a.parse(b.buf, b.blockDataOff[i]!, b.blockDataLen[i]!);
    if (e < 0) return Verdict.Malformed - e * (1 << VerdictPacking.Shift);
    self.suite[k] = u64ToNumber(a.csId);
    // Ids 4–6 are checksum suites only inside a PIB (docs/pib.md).
    const kind = b.blockType[i] === Wire.Pib ? suiteKind(self.ids, a.csId.hi, a.csId.lo) : SuiteKind.None;
    if (kind === SuiteKind.None) return Verdict.UnknownSuite | (Err.UnknownSuite << VerdictPacking.Shift);
    self.kind[k] = kind;
    // One instance per suite: a correlator MUST NOT be present (RFC 6257 §2.1, §3.8).
    if (a.has(Wire.CsCorr)) return Verdict.Malformed | (Err.CorrelatorPresent << VerdictPacking.Shift);
    if (!a.has(Wire.CsRes)) return Verdict.Malformed | (Err.NoResult << VerdictPacking.Shift);
    e = self.readParams_(kind, k);
    if (e < 0) return Verdict.Malformed - e * (1 << VerdictPacking.Shift);
    e = self.readResult_(kind, k);
    if (e < 0) return Verdict.Malformed - e * (1 << VerdictPacking.Shift);
    // Covered payload octets (RFC 6257 §2.6 item 4, offset relative to the original ADU).
    const base = b.isFragment ? u64ToNumber(b.fragOffset) : 0;
    const rOff = self.rangeOff[k]!;
    const rLen = self.rangeLen[k]!;
    if (rOff < 0) {
      // No range: the whole payload of this bundle (docs/pib.md) — unless it is a
      // fragment, whose PIB was made over the whole ADU (docs/pib.md).
      if (b.isFragment) return Verdict.SkippedFragment;
      self.rangeOff[k] = 0;
      self.rangeLen[k] = payLen;
    } else if (b.isFragment) {
      if (rOff !== base || rLen !== payLen) return Verdict.SkippedFragment;
    } else if (rOff > payLen || rLen > payLen - rOff) {
      return Verdict.Malformed | (Err.RangeOutsidePayload << VerdictPacking.Shift);
    }
    // An unknown key costs no budget: nothing would be digested.
    if (kind === SuiteKind.Hmac && self.keyId[k] !== 0 && (self.keys === null || self.keys.count(self.keyId[k]!) === 0)) {
      return Verdict.UnknownKey | (Err.UnknownKey << VerdictPacking.Shift);
    }
    return -1;
  }

  /** Checks the PIB at block index i into slot k. */
  checkOne_(i: number, k: number): void {
    const self = this;
    const b = self.bundle;
    const c = self.admit_(i, k, b.payloadIndex >= 0 ? b.blockDataLen[b.payloadIndex]! : 0);
    if (c >= 0) return self.set(k, c & VerdictPacking.Mask, c >> VerdictPacking.Shift);
    const cost = b.end - b.start;
    if (self.budget >= 0) {
      if (cost > self.budget) return self.set(k, Verdict.SkippedBudget, 0);
      self.budget -= cost;
    }
    self.bytes += cost;
    // Offset 0 in a fragment: admitted only when the range is exactly its payload.
    // `>>> 0` (both lie inside the payload, < 2^32): offsets computed from Float64Array
    // values are floats in QuickJS, and indexing with a float allocates (test/alloc.test.ts).
    self.compare_(i, k, self.kind[k]!, b.isFragment ? 0 : self.rangeOff[k]! >>> 0, self.rangeLen[k]! >>> 0);
  }

  /** Digests and compares with every candidate key; sets the verdict of slot k. */
  compare_(i: number, k: number, kind: number, coverOff: number, coverLen: number): void {
    const self = this;
    const keyId = self.keyId[k]!;
    const fixed = self.digests_.fixed(kind, keyId);
    if (fixed !== null) {
      const e = self.digestInto_(fixed, i, coverOff, coverLen);
      if (e < 0) return self.set(k, Verdict.Malformed, e);
      return self.set(k, self.matches_(k, fixed.size) ? Verdict.Ok : Verdict.Mismatch, 0);
    }
    const keys = self.keys;
    const n = keys === null ? 0 : keys.count(keyId);
    if (keys === null || n === 0) return self.set(k, Verdict.UnknownKey, Err.UnknownKey);
    const mac = self.digests_.keyMac_;
    for (let c = 0; c < n; c++) {
      keys.load(keyId, c, mac);
      const e = self.digestInto_(mac, i, coverOff, coverLen);
      if (e < 0) return self.set(k, Verdict.Malformed, e);
      if (self.matches_(k, mac.size)) {
        keys.verified(keyId, c);
        self.keyIndex[k] = c;
        return self.set(k, Verdict.Ok, 0);
      }
    }
    self.set(k, Verdict.Mismatch, 0);
  }

  digestInto_(d: Digest, i: number, coverOff: number, coverLen: number): number {
    d.reset();
    const e = this.canon.runCovered(this.bundle, i, this.profile, d, coverOff, coverLen);
    if (e < 0) return e;
    d.finish(this.scratch_, 0);
    return 0;
  }

  /** Constant-time comparison of the computed result with the received one (core/verdict.ts). */
  matches_(k: number, size: number): boolean {
    if (this.resultLen[k] !== size) return false;
    return constantTimeEqual(this.bundle.buf, this.resultOff[k]!, this.scratch_, 0, size);
  }

  /*
   * Key id (item 3, HMAC only) and covered range (item 4). With acceptBare, params
   * that are not TLV items are read as the draft's bare SDNVs: key id, offset, length
   * for HMAC; offset, length otherwise.
   */
  readParams_(kind: number, k: number): number {
    const self = this;
    const a = self.asb_;
    const hmac = kind === SuiteKind.Hmac;
    if (!a.has(Wire.CsParm)) return hmac ? -Err.KeyIdMissing : 0;
    let e = self.readItems_(hmac, k);
    if (e >= 0 && hmac && self.keyId[k]! < 0) e = -Err.KeyIdMissing;
    if (e < 0 && self.acceptBare) {
      const n = hmac ? 3 : 2;
      const r = readSdnvs(self.bundle.buf, a.paramsOff, a.paramsOff + a.paramsLen, n, self.nums_, self.t);
      if (r < 0) return e;
      if (hmac) self.keyId[k] = self.nums_[0]!;
      self.rangeOff[k] = self.nums_[n - 2]!;
      self.rangeLen[k] = self.nums_[n - 1]!;
      return 0;
    }
    return e;
  }

  /** TLV params: item 3 = one SDNV key id, item 4 = two SDNVs (offset, length). */
  readItems_(hmac: boolean, k: number): number {
    const self = this;
    const a = self.asb_;
    const buf = self.bundle.buf;
    const it = self.item_;
    const end = a.paramsOff + a.paramsLen;
    let e: number;
    if (hmac) {
      e = it.find(buf, a.paramsOff, end, Wire.ItemKey);
      if (e < 0) return e;
      if (e === 1) {
        // Any 64-bit id is well formed (RFC 6256 §3.3). One above 2^53−1 is kept rounded:
        // no key table holds such an id (KeyTable.install refuses it), so it is an unknown key.
        const ve = it.valueOff_ + it.valueLen_;
        if (readSdnv(buf, it.valueOff_, ve, self.t) !== ve) return -Err.TlvMalformed;
        self.keyId[k] = u64ToNumber(self.t);
      }
    }
    e = it.find(buf, a.paramsOff, end, Wire.ItemRange);
    if (e < 0) return e;
    if (e === 1) {
      e = readSdnvs(buf, it.valueOff_, it.valueOff_ + it.valueLen_, 2, self.nums_, self.t);
      if (e < 0) return -Err.TlvMalformed;
      self.rangeOff[k] = self.nums_[0]!;
      self.rangeLen[k] = self.nums_[1]!;
    }
    return 0;
  }

  /** The result: one item 5 of the suite's size; with acceptBare, a raw result of that size. */
  readResult_(kind: number, k: number): number {
    const self = this;
    const a = self.asb_;
    const it = self.item_;
    const size = resultSize(kind);
    const e = it.find(self.bundle.buf, a.resultOff, a.resultOff + a.resultLen, Wire.ItemResult);
    if (e === 1 && it.valueLen_ === size) {
      self.resultOff[k] = it.valueOff_;
      self.resultLen[k] = size;
      return 0;
    }
    if (self.acceptBare && a.resultLen === size) {
      self.resultOff[k] = a.resultOff;
      self.resultLen[k] = size;
      return 0;
    }
    if (e < 0) return e;
    return e === 0 ? -Err.NoResult : -Err.ResultLengthWrong;
  }
}

/** Copies src[from, to) to dst at `at` without making a view (which would allocate). */
function copy(src: Uint8Array, from: number, to: number, dst: Uint8Array, at: number): number {
  for (let i = from; i < to; i++) dst[at++] = src[i]!;
  return at;
}

/*
 * Adds one checksum PIB to a bundle. Configure the public fields once, then call
 * `sign` per bundle. Spec §5.2: build the PIB with its final lengths, canonicalize
 * with the result data excluded, then write the result octets in place.
 */
export class Signer implements PibSigner {
  profile: CanonProfile;
  ids: SuiteIds;
  /** Keys for PIB-HMAC with key id ≠ 0 (the newest candidate signs); null = NULL key only. */
  keys: KeyLookup | null;
  /** PIB block processing flags: 0x01 "replicate in every fragment" by default (docs/pib.md). */
  blockFlags: number;
  /*
   * Optional security-destination (RFC 6257 §2.1): its (scheme, SSP) dictionary offsets
   * (ipn node/service under CBHE), -1 = none (the bundle destination). The strings must
   * already be in the dictionary: the primary block is copied, never re-encoded.
   */
  destScheme: number;
  destSsp: number;
  /** Parses the input, then (after the copy) the output; one block more than maxBlocks fits. */
  bundle: Bundle;
  maxBlocks_: number;
  canon: Canonicalizer;
  digests_: SuiteDigests;
  /** Set by pib_: the digest that signs (key loaded), and where the result octets start. */
  digest_!: Digest;
  resultAt_!: number;

  /** `share`: see SharedVerifier (src/core/pibContract.ts). */
  constructor(maxBlocks: number, maxEidRefs: number, share?: Verifier) {
    this.profile = PROFILE_RFC6257;
    this.ids = DEFAULT_SUITE_IDS;
    this.keys = null;
    this.blockFlags = Wire.Replicate;
    this.destScheme = -1;
    this.destSsp = -1;
    // The output has one block more than the input.
    this.maxBlocks_ = maxBlocks;
    const vb = share !== undefined ? share.bundle : null;
    this.bundle = vb !== null && vb.maxBlocks_ > maxBlocks && vb.maxEidRefs_ >= maxEidRefs ? vb : new Bundle(maxBlocks + 1, maxEidRefs);
    this.canon = share !== undefined ? share.canon : new Canonicalizer();
    this.digests_ = share !== undefined ? share.digests_ : new SuiteDigests();
  }

  /**
   * Reads the bundle in inBuf[inOff, inEnd) and writes it with a new PIB of suite
   * `kind` (SuiteKind) into out[outOff, outEnd). Returns the octets written, or -Err.X
   * (NoRoom when it does not fit: nothing is written then). `keyId` matters for HMAC.
   * inBuf and out must not overlap.
   */
  sign(inBuf: Uint8Array, inOff: number, inEnd: number, out: Uint8Array, outOff: number, outEnd: number, kind: number, keyId: number): number {
    const self = this;
    const b = self.bundle;
    let e = b.parse(inBuf, inOff, inEnd);
    if (e < 0) return e;
    if (b.blockCount > self.maxBlocks_) return -Err.TooManyBlocks;
    if (b.payloadIndex < 0) return -Err.NoPayload;
    const payLen = b.blockDataLen[b.payloadIndex]!;
    const blockLen = self.pib_(null, 0, kind, keyId, payLen);
    if (blockLen < 0) return blockLen;
    // After the primary block and any BABs that follow it (RFC 6257 §3.2; docs/pib.md).
    let at = b.primaryEnd;
    for (let j = 0; j < b.blockCount && b.blockType[j] === Wire.Bab; j++) at = b.blockDataOff[j]! + b.blockDataLen[j]!;
    const total = inEnd - inOff + blockLen;
    if (total > outEnd - outOff) return -Err.NoRoom;
    // Bounded by the check above: every write below stays inside [outOff, outOff + total).
    const stop = outOff + total;
    const p = self.pib_(out, copy(inBuf, inOff, at, out, outOff), kind, keyId, payLen);
    const resultAt = self.resultAt_;
    const d = self.digest_;
    copy(inBuf, at, inEnd, out, p);
    // Canonicalize the output (its PIB is the first block at `at`) and write the result.
    // Every input field needed was read above: the same Bundle now parses the output.
    const o = b;
    e = o.parse(out, outOff, stop);
    if (e < 0) return e;
    let pib = 0;
    while (pib < o.blockCount && o.blockStart[pib] !== at - inOff + outOff) pib++;
    d.reset();
    e = self.canon.runCovered(o, pib, self.profile, d, 0, payLen);
    if (e < 0) return e;
    d.finish(out, resultAt);
    return total;
  }

  /*
   * The PIB of suite `kind` (SuiteKind) and `keyId` for the parsed `bundle` with a
   * payload of payLen octets, in two steps both signers take (sign, and the streaming
   * one in stream.ts): with out null, the checks (suite, key, fragment offset,
   * security-destination), the key loaded into `digest_`, and the block's length or
   * -Err.X; then the block written at out[p…]: the offset after it, its result octets
   * zero from `resultAt_`.
   */
  pib_(out: Uint8Array | null, p: number, kind: number, keyId: number, payLen: number): number {
    const self = this;
    const b = self.bundle;
    const csId = suiteId(self.ids, kind);
    const hmac = kind === SuiteKind.Hmac;
    const dest = self.destScheme >= 0;
    if (out === null) {
      if (csId < 0) return -Err.UnknownSuite;
      const fixed = self.digests_.fixed(kind, keyId);
      self.digest_ = fixed !== null ? fixed : self.digests_.keyMac_;
      if (fixed === null) {
        // The newest candidate signs: during a rollover that is the new key.
        const keys = self.keys;
        const n = keys === null ? 0 : keys.count(keyId);
        if (keys === null || n === 0) return -Err.UnknownKey;
        keys.load(keyId, n - 1, self.digests_.keyMac_);
      }
      if (b.fragOffset.hi > 0x1fffff) return -Err.SdnvUnsafe;
      // A security-destination makes the block carry one EID reference (block flag HasEids, cs-flag CsDest).
      if (dest) {
        if (self.destSsp < 0 || self.destScheme >= 4294967296 || self.destSsp >= 4294967296) return -Err.DictOffsetOutOfRange;
        let e = b.checkRef_(self.destScheme);
        if (e === 0) e = b.checkRef_(self.destSsp);
        if (e < 0) return e;
      }
    }
    // Covered range: the whole payload, as offset/length of the original ADU.
    const rangeOff = b.isFragment ? u64ToNumber(b.fragOffset) : 0;
    const keyItem = hmac ? 2 + sdnvLength(keyId) : 0;
    const rangeVal = sdnvLength(rangeOff) + sdnvLength(payLen);
    const paramsLen = keyItem + 1 + sdnvLength(rangeVal) + rangeVal;
    const size = resultSize(kind);
    const resultLen = 2 + size;
    const bodyLen = sdnvLength(csId) + 1 + sdnvLength(paramsLen) + paramsLen + sdnvLength(resultLen) + resultLen;
    const flags = dest ? self.blockFlags | Wire.HasEids : self.blockFlags;
    const eidLen = dest ? 1 + sdnvLength(self.destScheme) + sdnvLength(self.destSsp) : 0;
    const blockLen = 1 + sdnvLength(flags) + eidLen + sdnvLength(bodyLen) + bodyLen;
    if (out === null) return blockLen;
    const stop = p + blockLen;
    out[p++] = Wire.Pib;
    p = writeSdnv(out, p, stop, flags);
    if (dest) {
      out[p++] = 1;
      p = writeSdnv(out, p, stop, self.destScheme);
      p = writeSdnv(out, p, stop, self.destSsp);
    }
    p = writeSdnv(out, p, stop, bodyLen);
    p = writeSdnv(out, p, stop, csId);
    out[p++] = dest ? CS_FLAGS_PIB | Wire.CsDest : CS_FLAGS_PIB;
    p = writeSdnv(out, p, stop, paramsLen);
    if (hmac) {
      out[p++] = Wire.ItemKey;
      p = writeSdnv(out, p, stop, keyItem - 2);
      p = writeSdnv(out, p, stop, keyId);
    }
    out[p++] = Wire.ItemRange;
    p = writeSdnv(out, p, stop, rangeVal);
    p = writeSdnv(out, p, stop, rangeOff);
    p = writeSdnv(out, p, stop, payLen);
    p = writeSdnv(out, p, stop, resultLen);
    out[p++] = Wire.ItemResult;
    out[p++] = size;
    self.resultAt_ = p;
    for (let j = 0; j < size; j++) out[p++] = 0;
    return p;
  }
}
