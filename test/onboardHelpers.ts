/**
 * Differential checks of the on-board PIB path (src/onboard/) against the ground path
 * (src/ground/pib.ts with default options), shared by test/onboard.test.ts and
 * test/onboard-fuzz.test.ts. Each `diff*` function runs one call on the ground
 * implementation and on the on-board one and returns a one-line description of the first
 * difference, or null. They only see the contract (`VerifierLike`, `SignerLike`), so the
 * same code runs on-board-vs-ground and, to prove it can fail, a deliberately wrong
 * ground in the on-board place.
 *
 * What "equal" means (the on-board path's contract):
 * - verifyAll: negative exactly when the ground's is (the on-board code must be one
 *   listed in src/core/errors.ts, it may differ), else the same count; verdict[i] and kind[i]
 *   equal for i < count; budget and bytes equal after the call;
 * - sign: negative exactly when the ground's is, else the same length and the same
 *   octets; nothing written outside [outOff, outOff + returned);
 * - neither writes to its input buffer.
 */
import { Bundle } from "../src/ground/bundle.js";
import { BundleWriter, PrimarySpec, writeBlock } from "../src/ground/bundleWriter.js";
import { ERROR_TEXT, errorName } from "../src/core/errorText.js";
import type { PibSigner, PibVerifier } from "../src/core/pibContract.js";
import type { KeyTable } from "../src/ground/keys.js";
import { U64, writeSdnv, writeSdnvU64 } from "../src/core/sdnv.js";
import { Signer as GroundSigner } from "../src/ground/pib.js";
import { rng } from "./support/rng.js";

/** The contract both Verifiers and both Signers keep (src/core/pibContract.ts). */
export type VerifierLike = PibVerifier;
export type SignerLike = PibSigner;

/** Every code that has a row in src/core/errorText.ts (test/errors.test.ts ties it to src/core/errors.ts). */
const LISTED = new Set(ERROR_TEXT.map((r) => r[0]));

/** A negative return value whose code is listed in src/core/errors.ts. */
export function isListedError(r: number): boolean {
  return r < 0 && Number.isInteger(r) && LISTED.has(-r);
}

function name(r: number): string {
  return r < 0 ? `${r} (${errorName(r)})` : String(r);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** What the ground returned in the latest diffVerify / diffSign (for callers' statistics). */
export const lastGround = { verify: 0, sign: 0 };

/**
 * One verifyAll on both, over buf[off, end). The buffer is the caller's; it is checked
 * to be unchanged after each call.
 */
export function diffVerify(ground: VerifierLike, onboard: VerifierLike, buf: Uint8Array, off: number, end: number): string | null {
  const before = buf.slice();
  const r = ground.verifyAll(buf, off, end);
  lastGround.verify = r;
  if (!sameBytes(before, buf)) return "ground verifyAll wrote to its input";
  const l = onboard.verifyAll(buf, off, end);
  if (!sameBytes(before, buf)) {
    buf.set(before);
    return "verifyAll wrote to its input buffer";
  }
  if (typeof l !== "number") return `verifyAll returned ${String(l)}`;
  if ((r < 0) !== (l < 0)) return `verifyAll returned ${name(l)}, ground ${name(r)}`;
  if (l < 0 && !isListedError(l)) return `verifyAll returned unlisted code ${l} (ground ${name(r)})`;
  if (r >= 0) {
    if (l !== r) return `verifyAll counted ${l} PIBs, ground ${r}`;
    if (onboard.count !== ground.count) return `count field ${onboard.count}, ground ${ground.count}`;
    for (let i = 0; i < r; i++) {
      if (onboard.verdict[i] !== ground.verdict[i]) return `PIB ${i}: verdict ${onboard.verdict[i]}, ground ${ground.verdict[i]} (ground code ${ground.code[i]}, on-board code ${onboard.code[i]})`;
      if (onboard.kind[i] !== ground.kind[i]) return `PIB ${i}: kind ${onboard.kind[i]}, ground ${ground.kind[i]}`;
      const c = onboard.code[i]!;
      if (c !== 0 && !LISTED.has(Math.abs(c))) return `PIB ${i}: unlisted code ${c}`;
    }
  }
  if (onboard.allOk() !== ground.allOk()) return `allOk() ${onboard.allOk()}, ground ${ground.allOk()}`;
  if (!Object.is(onboard.budget, ground.budget)) return `budget ${onboard.budget} after the call, ground ${ground.budget}`;
  if (!Object.is(onboard.bytes, ground.bytes)) return `bytes ${onboard.bytes} after the call, ground ${ground.bytes}`;
  return null;
}

/** Guard octet around sign's output range. */
export const GUARD_BYTE = 0xa5;
const GUARD = 8;

/** Scratch output buffers for `diffSign`, made once per caller. */
export class SignScratch {
  a: Uint8Array;
  b: Uint8Array;
  constructor(size: number) {
    this.a = new Uint8Array(size + 2 * GUARD);
    this.b = new Uint8Array(size + 2 * GUARD);
  }
}

function guardsIntact(out: Uint8Array, from: number, to: number): number {
  for (let i = 0; i < out.length; i++) {
    if ((i < from || i >= to) && out[i] !== GUARD_BYTE) return i;
  }
  return -1;
}

/**
 * One sign on both: input buf[inOff, inEnd), output range [GUARD + outOff, +cap) inside
 * guard octets. Returns the first difference or null.
 */
export function diffSign(
  ground: SignerLike,
  onboard: SignerLike,
  buf: Uint8Array,
  inOff: number,
  inEnd: number,
  kind: number,
  keyId: number,
  outOff: number,
  cap: number,
  scratch: SignScratch,
): string | null {
  const before = buf.slice();
  const need = GUARD + outOff + cap + GUARD;
  if (scratch.a.length < need) {
    scratch.a = new Uint8Array(need);
    scratch.b = new Uint8Array(need);
  }
  const a = scratch.a.subarray(0, need);
  const b = scratch.b.subarray(0, need);
  a.fill(GUARD_BYTE);
  b.fill(GUARD_BYTE);
  const at = GUARD + outOff;
  const r = ground.sign(buf, inOff, inEnd, a, at, at + cap, kind, keyId);
  lastGround.sign = r;
  if (!sameBytes(before, buf)) return "ground sign wrote to its input";
  const g = guardsIntact(a, at, at + Math.max(r, 0));
  if (g >= 0) return `ground sign wrote octet ${g - at} relative to outOff outside its ${name(r)} octets`;
  const l = onboard.sign(buf, inOff, inEnd, b, at, at + cap, kind, keyId);
  if (!sameBytes(before, buf)) {
    buf.set(before);
    return "sign wrote to its input buffer";
  }
  if (typeof l !== "number") return `sign returned ${String(l)}`;
  const h = guardsIntact(b, at, at + (l > 0 && l <= cap ? l : 0));
  if (h >= 0) return `sign wrote octet ${h - at} relative to outOff outside its ${name(l)} octets (kind ${kind}, cap ${cap})`;
  if ((r < 0) !== (l < 0)) return `sign returned ${name(l)}, ground ${name(r)} (kind ${kind}, keyId ${keyId}, cap ${cap})`;
  if (l < 0 && !isListedError(l)) return `sign returned unlisted code ${l} (ground ${name(r)})`;
  if (r >= 0) {
    if (l !== r) return `sign wrote ${l} octets, ground ${r} (kind ${kind})`;
    for (let i = at; i < at + r; i++) {
      if (a[i] !== b[i]) return `sign output differs at octet ${i - at} of ${r}: ${b[i]} vs ground ${a[i]} (kind ${kind})`;
    }
  }
  return null;
}

/** The ground's last signed output from `scratch` (call after a null diffSign with r > 0). */
export function signedOutput(scratch: SignScratch, outOff: number, n: number): Uint8Array {
  return scratch.a.slice(GUARD + outOff, GUARD + outOff + n);
}

/** Key-table state the contract compares: count and pending rollover per id, and the counters. */
export function diffKeys(ground: KeyTable, onboard: KeyTable, ids: number[]): string | null {
  for (const id of ids) {
    if (onboard.count(id) !== ground.count(id)) return `key ${id}: count ${onboard.count(id)}, ground ${ground.count(id)}`;
    if (onboard.rolloverPending(id) !== ground.rolloverPending(id)) return `key ${id}: rolloverPending ${onboard.rolloverPending(id)}, ground ${ground.rolloverPending(id)}`;
  }
  if (onboard.rolloverSeq !== ground.rolloverSeq) return `rolloverSeq ${onboard.rolloverSeq}, ground ${ground.rolloverSeq}`;
  if (onboard.verifications !== ground.verifications) return `verifications ${onboard.verifications}, ground ${ground.verifications}`;
  return null;
}

/** The bundle without its block i (a PIB, say), every other octet as it was. */
export function withoutBlock(bytes: Uint8Array, i: number): Uint8Array {
  const b = new Bundle(64, 64);
  const e = b.parse(bytes, 0, bytes.length);
  if (e < 0) throw new Error(`withoutBlock: ${errorName(e)}`);
  const from = b.blockStart[i]!;
  const to = b.blockDataOff[i]! + b.blockDataLen[i]!;
  const out = new Uint8Array(bytes.length - (to - from));
  out.set(bytes.subarray(0, from), 0);
  out.set(bytes.subarray(to), from);
  return out;
}

/** Collects differences: the first few in full, and how many there were. */
export class Diffs {
  list: string[] = [];
  total = 0;
  constructor(readonly keep = 12) {}
  add(d: string | null, ctx: string): void {
    if (d === null) return;
    this.total++;
    if (this.list.length < this.keep) this.list.push(`${ctx}: ${d}`);
  }
  summary(): string[] {
    return this.total > this.list.length ? [...this.list, `… ${this.total} differences in all`] : this.list;
  }
}

// ---------- random bundles, through src/ground/bundleWriter.ts (and CBHE by hand) ----------

/** One extension block: type, flags, EID references (indexes into the EID pool), data. */
export interface BlockModel {
  type: number;
  flags: number;
  refs: number[];
  data: Uint8Array;
}

export interface BundleModel {
  cbhe: boolean;
  /** Four EIDs as `scheme:ssp` text (dictionary) or [node, service] (CBHE). */
  eids: string[];
  ipn: Array<[number, number]>;
  flags: number;
  fragment: boolean;
  /** (hi, lo) words: offsets at and above 2^53 are legal SDNVs that sign must refuse. */
  fragOffset: [number, number];
  totalLength: number;
  ctime: [number, number];
  seq: [number, number];
  lifetime: [number, number];
  before: BlockModel[];
  payload: Uint8Array;
  payloadFlags: number;
  after: BlockModel[];
}

const enc = new TextEncoder();

function u64(v: [number, number]): U64 {
  const u = new U64();
  u.hi = v[0] >>> 0;
  u.lo = v[1] >>> 0;
  return u;
}

/**
 * Writes a block with an EID-reference list (RFC 5050 §4.5.2, flag bit 6), which
 * writeBlock does not do: type, flags | 0x40, count, (scheme, ssp) pairs, length, data.
 */
function writeRefBlock(out: Uint8Array, off: number, end: number, m: BlockModel, last: boolean, refs: Array<[number, number]>): number {
  let f = (m.flags & ~0x08) | 0x40;
  if (last) f |= 0x08;
  out[off] = m.type;
  let p = writeSdnv(out, off + 1, end, f >>> 0);
  if (p >= 0) p = writeSdnv(out, p, end, refs.length);
  for (const [s, t] of refs) {
    if (p >= 0) p = writeSdnv(out, p, end, s);
    if (p >= 0) p = writeSdnv(out, p, end, t);
  }
  if (p >= 0) p = writeSdnv(out, p, end, m.data.length);
  if (p < 0 || p + m.data.length > end) return -1;
  out.set(m.data, p);
  return p + m.data.length;
}

/** CBHE primary (RFC 6260 §2.2): dictionary length 0, the eight offsets are ipn numbers. */
function writeCbhePrimary(out: Uint8Array, m: BundleModel): number {
  const body = new Uint8Array(256);
  let p = 0;
  for (const [node, svc] of m.ipn) {
    p = writeSdnv(body, p, body.length, node);
    p = writeSdnv(body, p, body.length, svc);
  }
  p = writeSdnvU64(body, p, body.length, m.ctime[0], m.ctime[1]);
  p = writeSdnvU64(body, p, body.length, m.seq[0], m.seq[1]);
  p = writeSdnvU64(body, p, body.length, m.lifetime[0], m.lifetime[1]);
  p = writeSdnv(body, p, body.length, 0);
  if (m.fragment) {
    p = writeSdnvU64(body, p, body.length, m.fragOffset[0], m.fragOffset[1]);
    p = writeSdnv(body, p, body.length, m.totalLength);
  }
  out[0] = 6;
  let q = writeSdnv(out, 1, out.length, primaryFlags(m));
  q = writeSdnv(out, q, out.length, p);
  out.set(body.subarray(0, p), q);
  return q + p;
}

function primaryFlags(m: BundleModel): number {
  return ((m.flags & ~1) | (m.fragment ? 1 : 0)) >>> 0;
}

/** Bundle octets for a model (no PIB of ours yet); throws only on a generator bug. */
export function buildBundle(m: BundleModel): Uint8Array {
  const out = new Uint8Array(4096 + m.payload.length);
  let p: number;
  // (scheme, ssp) pairs a block's EID reference may name: the primary's own strings.
  const pool: Array<[number, number]> = [];
  if (m.cbhe) {
    p = writeCbhePrimary(out, m);
    for (const e of m.ipn) pool.push(e);
  } else {
    const s = new PrimarySpec();
    s.flags = primaryFlags(m);
    s.dest = enc.encode(m.eids[0]);
    s.source = enc.encode(m.eids[1]);
    s.reportTo = enc.encode(m.eids[2]);
    s.custodian = enc.encode(m.eids[3]);
    s.ctime = u64(m.ctime);
    s.seq = u64(m.seq);
    s.lifetime = u64(m.lifetime);
    s.fragOffset = u64(m.fragOffset);
    s.totalLength = u64([0, m.totalLength]);
    const w = new BundleWriter();
    p = w.writePrimary(out, 0, out.length, s);
    for (let k = 0; k < 4; k++) pool.push([w.strOff_[2 * k]!, w.strOff_[2 * k + 1]!]);
  }
  if (p < 0) throw new Error(`buildBundle primary: ${errorName(p)}`);
  const blocks = [...m.before, { type: 1, flags: m.payloadFlags, refs: [], data: m.payload }, ...m.after];
  blocks.forEach((blk, i) => {
    const last = i === blocks.length - 1;
    if (blk.refs.length > 0) {
      p = writeRefBlock(out, p, out.length, blk, last, blk.refs.map((r) => pool[r % pool.length]!));
    } else {
      p = writeBlock(out, p, out.length, blk.type, blk.flags, last, blk.data, 0, blk.data.length);
    }
    if (p < 0) throw new Error(`buildBundle block ${i}: ${p}`);
  });
  return out.slice(0, p);
}

/** Dictionary offsets (or ipn numbers) of one EID of a model, for a Signer's security-destination. */
export function destOf(m: BundleModel, k: number): [number, number] {
  if (m.cbhe) return m.ipn[k]!;
  const s = new PrimarySpec();
  s.dest = enc.encode(m.eids[0]);
  s.source = enc.encode(m.eids[1]);
  s.reportTo = enc.encode(m.eids[2]);
  s.custodian = enc.encode(m.eids[3]);
  const w = new BundleWriter();
  w.writePrimary(new Uint8Array(4096), 0, 4096, s);
  return [w.strOff_[2 * k]!, w.strOff_[2 * k + 1]!];
}

// ---------- mutations ----------

const EXTREMES = [0x00, 0x01, 0x03, 0x04, 0x05, 0x06, 0x08, 0x40, 0x7f, 0x80, 0x81, 0xff];

/** SDNV octets of v (< 2^53) with `pad` leading 0x80 octets (padded forms are legal, RFC 6256 §3.1). */
export function sdnvBytes(v: number, pad: number): number[] {
  const out = [v % 128];
  for (v = Math.floor(v / 128); v > 0; v = Math.floor(v / 128)) out.unshift((v % 128) | 0x80);
  for (let i = 0; i < pad; i++) out.unshift(0x80);
  return out;
}

function splice(b: Uint8Array, at: number, del: number, ins: number[]): Uint8Array {
  return new Uint8Array([...b.subarray(0, at), ...ins, ...b.subarray(at + del)]);
}

/** Position and octet count of the SDNV at p (stops at the end). */
function sdnvSpan(b: Uint8Array, p: number): number {
  let n = 0;
  while (p + n < b.length && (b[p + n]! & 0x80) !== 0) n++;
  return Math.min(n + 1, b.length - p);
}

/** Mutation kinds, for statistics. */
export const MUTATIONS = ["bit flips", "truncate", "insert", "delete", "block length SDNV", "extreme octet", "primary length SDNV", "drop block", "duplicate block", "padded SDNV", "huge SDNV"];

/**
 * SDNVs at the edges of what a reader must take (RFC 6256 §3.1, docs/primitives.md): 2^31, 2^32-1,
 * 2^32, 2^32+4 and 2^32+6 (a high word over a small low one: a length, a cs-id), 2^53-1, 2^53, 2^53+1, 2^63, 2^64-1 (10 octets, first 0x81), 2^64 (overflow),
 * 11 octets (too long), an unterminated run of 0xff.
 */
const HUGE: number[][] = [
  [0x88, 0x80, 0x80, 0x80, 0x00],
  [0x8f, 0xff, 0xff, 0xff, 0x7f],
  [0x90, 0x80, 0x80, 0x80, 0x00],
  [0x90, 0x80, 0x80, 0x80, 0x04],
  [0x90, 0x80, 0x80, 0x80, 0x06],
  [0x8f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
  [0x90, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
  [0x90, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
  [0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
  [0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
  [0x82, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
  [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
  [0xff, 0xff, 0xff],
];

/**
 * One structure-aware or byte-level mutation of b chosen by r (seeded). `kind` picks the
 * mutation (index into MUTATIONS); the block structure is read with the ground parser
 * from the unmutated bundle.
 */
export function mutate(src: Uint8Array, kind: number, r: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(r() * n);
  let b = src.slice();
  const at = b.length > 0 ? pick(b.length) : 0;
  const parsed = new Bundle(64, 64);
  const ok = parsed.parse(src, 0, src.length) === 0 && parsed.blockCount > 0;
  const blk = ok ? pick(parsed.blockCount) : -1;
  switch (kind) {
    case 0: {
      const flips = 1 + pick(3);
      for (let k = 0; k < flips && b.length > 0; k++) b[pick(b.length)]! ^= 1 << pick(8);
      return b;
    }
    case 1:
      return b.slice(0, pick(b.length));
    case 2:
      return splice(b, at, 0, Array.from({ length: 1 + pick(4) }, () => (r() < 0.5 ? EXTREMES[pick(EXTREMES.length)]! : pick(256))));
    case 3:
      return splice(b, at, 1 + pick(6), []);
    case 4: {
      if (!ok) return mutate(src, 0, r);
      // The block's data-length SDNV ends right before its data.
      const dataOff = parsed.blockDataOff[blk]!;
      let p = dataOff - 1;
      while (p > 0 && (b[p - 1]! & 0x80) !== 0) p--;
      const len = parsed.blockDataLen[blk]!;
      const choices = [len + 1, Math.max(0, len - 1), len + 1 + pick(40), pick(len + 1), 0x7fffffff, len + 128];
      const v = choices[pick(choices.length)]!;
      return splice(b, p, dataOff - p, sdnvBytes(v, pick(2)));
    }
    case 5:
      if (b.length > 0) b[at] = EXTREMES[pick(EXTREMES.length)]!;
      return b;
    case 6: {
      // Primary block length: after version and flags.
      if (b.length < 3) return mutate(src, 0, r);
      const p = 1 + sdnvSpan(b, 1);
      const n = sdnvSpan(b, p);
      let v = 0;
      for (let i = 0; i < n; i++) v = v * 128 + (b[p + i]! & 0x7f);
      const choices = [v + 1, Math.max(0, v - 1), v + 1 + pick(20), pick(v + 1)];
      return splice(b, p, n, sdnvBytes(choices[pick(choices.length)]!, pick(2)));
    }
    case 7: {
      if (!ok) return mutate(src, 3, r);
      const from = parsed.blockStart[blk]!;
      const to = parsed.blockDataOff[blk]! + parsed.blockDataLen[blk]!;
      return splice(b, from, to - from, []);
    }
    case 8: {
      if (!ok) return mutate(src, 2, r);
      const from = parsed.blockStart[blk]!;
      const to = parsed.blockDataOff[blk]! + parsed.blockDataLen[blk]!;
      // A copy of the block (a second PIB, payload, …), its last-block flag cleared when it can be.
      const copy = [...b.subarray(from, to)];
      if (copy.length > 1 && (copy[1]! & 0x80) === 0) copy[1]! &= ~0x08;
      return splice(b, from, 0, copy);
    }
    case 10: {
      // One SDNV (a header field, or anywhere inside a block's data: ASB fields, items) made huge.
      if (!ok) return splice(b, at, 0, HUGE[pick(HUGE.length)]!);
      const starts = [1, 1 + sdnvSpan(b, 1), parsed.blockStart[blk]! + 1];
      let p = parsed.blockDataOff[blk]! - 1;
      while (p > 0 && (b[p - 1]! & 0x80) !== 0) p--;
      starts.push(p);
      const len = parsed.blockDataLen[blk]!;
      if (len > 0) starts.push(parsed.blockDataOff[blk]! + pick(Math.min(len, 24)));
      const q = starts[pick(starts.length)]!;
      return splice(b, q, sdnvSpan(b, q), HUGE[pick(HUGE.length)]!);
    }
    default: {
      // A padded SDNV: 0x80 before an SDNV start (a block's flags or length, the primary's fields).
      if (!ok) return splice(b, at, 0, [0x80]);
      const starts = [1, parsed.blockStart[blk]! + 1];
      let p = parsed.blockDataOff[blk]! - 1;
      while (p > 0 && (b[p - 1]! & 0x80) !== 0) p--;
      starts.push(p);
      return splice(b, starts[pick(starts.length)]!, 0, [0x80]);
    }
  }
}

/** The primary block of the streaming tests' bundles: an imager `source` sending to the ground archive, a day's lifetime. */
export function imagerPrimary(source: string): PrimarySpec {
  const spec = new PrimarySpec();
  spec.flags = 0x10;
  const ascii = (t: string) => Uint8Array.from(Buffer.from(t, "ascii"));
  spec.dest = ascii("dtn://ground/archive");
  spec.source = ascii(source);
  spec.reportTo = ascii("dtn:none");
  spec.custodian = ascii("dtn:none");
  spec.lifetime.lo = 86400;
  return spec;
}

/** `size` octets from the seeded generator. */
export function seededPayload(size: number, seed: number): Uint8Array {
  const r = rng(seed);
  return Uint8Array.from({ length: size }, () => Math.floor(r() * 256));
}

/** An unsigned bundle for the streaming-signing tests: primary, an extension block, a payload of `size` seeded octets, another extension block last. */
export function unsignedBundle(size: number, seed: number): Uint8Array {
  const spec = imagerPrimary("dtn://node-1/imager");
  const payload = seededPayload(size, seed);
  const ext = Uint8Array.from({ length: 9 }, (_, i) => i * 17);
  const b = new Uint8Array(size + 256);
  let n = new BundleWriter().writePrimary(b, 0, b.length, spec);
  n = writeBlock(b, n, b.length, 0x10, 0x01, false, ext, 0, ext.length);
  n = writeBlock(b, n, b.length, 1, 0, false, payload, 0, size);
  n = writeBlock(b, n, b.length, 0x20, 0x10, true, ext, 0, ext.length);
  if (n < 0) throw new Error(`writer: ${errorName(n)}`);
  return b.slice(0, n);
}

/** The ground Signer's output for `b` with suite `kind` (NULL key for PIB-HMAC). */
export function groundSigned(b: Uint8Array, kind: number): Uint8Array {
  const out = new Uint8Array(b.length + 64);
  const n = new GroundSigner(8, 8).sign(b, 0, b.length, out, 0, out.length, kind, 0);
  if (n < 0) throw new Error(`ground Signer: ${errorName(n)}`);
  return out.slice(0, n);
}
