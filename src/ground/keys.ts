/**
 * Keys for PIB-HMAC (ciphersuite 0x04) with real keys, shaped after
 * draft-rescorla-tcp-auth-arch-00 (the TCP-MD5 successor notes):
 *
 * - A key table: key id → 20-octet key, fixed capacity chosen at construction
 *   (`KeyTableFull` beyond it). Key id 0 is the NULL key of RFC 5327 §2.1 and is
 *   handled by pib.ts, never stored here (`KeyIdReserved`).
 * - Algorithm agility (§1, §5): the table stores key material only; the ciphersuite
 *   comes from the PIB, which picks the MAC that `load` keys.
 * - Rollover by trial verification (§6.1.1, RFC 4808): while a rollover is pending
 *   for an id, `count` is 2 and the candidates are [old, new]. The first success under
 *   the new key retires (and wipes) the old one; that moment is reported through
 *   `rolloverSeq` / `rolloverKeyId` / `rolloverAtVerification`, the draft's
 *   "maximum sequence number at which the switchover occurred".
 * - Per-association diversification (§3.1, §6.1.2): K_assoc = HMAC-SHA1(K_master,
 *   nonce), the nonce chosen by the caller (e.g. source EID + creation timestamp). A
 *   master key only derives: it never keys a MAC itself (one key, one purpose).
 * - Reuse refusal (§3: "New TSAD entries MUST be checked against a table of previously
 *   used TSAD entries, and key reuse MUST be prohibited"): every key ever installed,
 *   derived or not, leaves a fingerprint in a fixed-capacity used-key table; a key
 *   whose fingerprint is there is refused (`KeyReused`), also after it was removed.
 *   The fingerprint is the first 10 octets of HMAC-SHA1(key = "pibkit/used-key/v1",
 *   message = K): a public-key-ed hash, so the table never holds key material and a
 *   fingerprint has no relation to K_assoc = HMAC(K, nonce). The NULL key is
 *   fingerprinted at construction, so it cannot be installed as a "real" key.
 * - Fingerprints are compared with `constantTimeEqual` (src/core/verdict.ts: no
 *   data-dependent exit).
 *
 * Nothing allocates after the constructor; failures are `-Err.X` numbers.
 */
// Methods with many member accesses read `this` once into `self`: the minifier shortens
// a local to one letter but never `this`, and Espruino keeps the source (docs/firmware.md).
import { Err } from "../core/errors.js";
import { HmacSha1, nullKey } from "../core/hmac.js";
import type { KeyLookup } from "../core/keyLookup.js";
import type { SharedVerifier } from "../core/pibContract.js";
import { constantTimeEqual } from "../core/verdict.js";

/** Octets of every key in the table (HMAC-SHA1 output size, the NULL key's size). */
export const KEY_SIZE = 20;
/** Octets of a used-key fingerprint: 80 bits, a false "reused" needs ~2^40 keys. */
export const FINGERPRINT_SIZE = 10;

/** Slot roles. A master key only derives association keys (draft §3.1). */
export const enum KeyRole {
  Free = 0,
  Mac = 1,
  Master = 2,
}

/**
 * K_assoc = HMAC-SHA1(key[keyOff, keyOff+keyLen), nonce[nonceOff, nonceOff+nonceLen))
 * into out[outOff, outOff+20) (draft §6.1.2 "implicit diversification"). The whole
 * 20-octet MAC is the derived key, whatever size `mac` truncates its results to.
 */
export function diversify(
  mac: HmacSha1,
  key: Uint8Array,
  keyOff: number,
  keyLen: number,
  nonce: Uint8Array,
  nonceOff: number,
  nonceLen: number,
  out: Uint8Array,
  outOff: number,
): void {
  mac.setKey(key, keyOff, keyLen);
  mac.update(nonce, nonceOff, nonceLen);
  mac.finishFull(out, outOff);
}

/** Copies KEY_SIZE octets without making a subarray view (which would allocate). */
function copyKey(src: Uint8Array, srcOff: number, dst: Uint8Array, dstOff: number): void {
  for (let i = 0; i < KEY_SIZE; i++) dst[dstOff + i] = src[srcOff + i]!;
}

/** Fixed-capacity key table; implements the `KeyLookup` seam that pib.ts calls. */
export class KeyTable implements KeyLookup {
  /** Maximum number of key ids held at once. */
  readonly capacity: number;
  /** Maximum number of distinct keys ever installed (fingerprints kept). */
  readonly usedCapacity_: number;
  /** Key id per slot (numbers < 2^53, like every SDNV field read as a number). */
  ids: Float64Array;
  /** KeyRole per slot. */
  roles: Uint8Array;
  /** 1 while a rollover is pending for the slot (candidates [old, new]). */
  pending: Uint8Array;
  /** Current key per slot, KEY_SIZE octets each. */
  keys: Uint8Array;
  /** Pending new key per slot during a rollover. */
  nextKeys_: Uint8Array;
  /** Fingerprints of every key ever installed, FINGERPRINT_SIZE octets each. */
  used: Uint8Array;
  /** How many fingerprints `used` holds. */
  usedCount_: number;
  /** Rollovers completed so far; a caller that remembers the last value sees each event once. */
  rolloverSeq: number;
  /** Key id of the most recent completed rollover (-1 before the first). */
  rolloverKeyId: number;
  /** Value of `verifications` at the moment of the most recent rollover. */
  rolloverAtVerification: number;
  /** Successful verifications reported through `verified`, table-wide. */
  verifications: number;
  mac_: HmacSha1;
  scratch_: Uint8Array;
  fingerprintKey_: Uint8Array;

  /** `share`: see SharedVerifier (src/core/pibContract.ts); the table borrows its HMAC-SHA1. */
  constructor(capacity: number, usedCapacity: number, share?: SharedVerifier) {
    this.capacity = capacity;
    this.usedCapacity_ = usedCapacity;
    this.ids = new Float64Array(capacity);
    this.roles = new Uint8Array(capacity);
    this.pending = new Uint8Array(capacity);
    this.keys = new Uint8Array(capacity * KEY_SIZE);
    this.nextKeys_ = new Uint8Array(capacity * KEY_SIZE);
    this.used = new Uint8Array(usedCapacity * FINGERPRINT_SIZE);
    this.usedCount_ = 0;
    this.rolloverSeq = 0;
    this.rolloverKeyId = -1;
    this.rolloverAtVerification = 0;
    this.verifications = 0;
    this.mac_ = share !== undefined ? share.digests_.keyMac_ : new HmacSha1(KEY_SIZE);
    this.scratch_ = new Uint8Array(KEY_SIZE + KEY_SIZE);
    const label = "pibkit/used-key/v1";
    this.fingerprintKey_ = new Uint8Array(label.length);
    for (let i = 0; i < label.length; i++) this.fingerprintKey_[i] = label.charCodeAt(i);
    if (usedCapacity > 0) {
      this.fingerprint_(nullKey(), 0);
      this.remember_();
    }
  }

  /** Slot index of `keyId`, or -1. */
  find(keyId: number): number {
    for (let s = 0; s < this.capacity; s++) {
      if (this.roles[s] !== KeyRole.Free && this.ids[s] === keyId) return s;
    }
    return -1;
  }

  /** Number of key ids currently installed. */
  size(): number {
    let n = 0;
    for (let s = 0; s < this.capacity; s++) if (this.roles[s] !== KeyRole.Free) n++;
    return n;
  }

  /** Writes the fingerprint of key[off, off+20) into scratch[20, 30). */
  fingerprint_(key: Uint8Array, off: number): void {
    const mac = this.mac_;
    mac.setKey(this.fingerprintKey_, 0, this.fingerprintKey_.length);
    mac.update(key, off, KEY_SIZE);
    mac.finishFull(this.scratch_, KEY_SIZE);
  }

  /** True when key[off, off+20) was installed before (or is the NULL key). */
  wasUsed_(key: Uint8Array, off: number): boolean {
    this.fingerprint_(key, off);
    const s = this.scratch_;
    let seen = false;
    for (let u = 0; u < this.usedCount_; u++) {
      if (constantTimeEqual(this.used, u * FINGERPRINT_SIZE, s, KEY_SIZE, FINGERPRINT_SIZE)) seen = true;
    }
    return seen;
  }

  /** Records the fingerprint in scratch[20, 30) (left there by `admit`) as used. */
  remember_(): void {
    const base = this.usedCount_ * FINGERPRINT_SIZE;
    for (let i = 0; i < FINGERPRINT_SIZE; i++) this.used[base + i] = this.scratch_[KEY_SIZE + i]!;
    this.usedCount_++;
  }

  /**
   * Checks key id, length, reuse and used-table room for a key about to be installed;
   * on success its fingerprint is in scratch[20, 30) for `remember`.
   */
  admit_(keyId: number, key: Uint8Array, off: number, len: number): number {
    if (!(keyId >= 1 && keyId <= 9007199254740991 && Math.floor(keyId) === keyId)) return -Err.KeyIdReserved;
    if (len !== KEY_SIZE || off < 0 || off + KEY_SIZE > key.length) return -Err.KeyBadLength;
    if (this.wasUsed_(key, off)) return -Err.KeyReused;
    if (this.usedCount_ >= this.usedCapacity_) return -Err.UsedKeyTableFull;
    return 0;
  }

  /** Adds a new key id with a MAC key (role Mac) or a master key (role Master). */
  put_(keyId: number, key: Uint8Array, off: number, len: number, role: number): number {
    const self = this;
    if (self.find(keyId) >= 0) return -Err.KeyIdExists;
    let slot = -1;
    for (let s = 0; s < self.capacity && slot < 0; s++) if (self.roles[s] === KeyRole.Free) slot = s;
    if (slot < 0) return -Err.KeyTableFull;
    const r = self.admit_(keyId, key, off, len);
    if (r < 0) return r;
    self.remember_();
    self.ids[slot] = keyId;
    self.roles[slot] = role;
    self.pending[slot] = 0;
    copyKey(key, off, self.keys, slot * KEY_SIZE);
    return 0;
  }

  /** Installs a MAC key under a new key id. 0 or -Err.{KeyIdReserved, KeyIdExists, KeyTableFull, KeyBadLength, KeyReused, UsedKeyTableFull}. */
  install(keyId: number, key: Uint8Array, off: number, len: number): number {
    return this.put_(keyId, key, off, len, KeyRole.Mac);
  }

  /** Installs a master key that only derives association keys (never keys a MAC). */
  installMaster(keyId: number, key: Uint8Array, off: number, len: number): number {
    return this.put_(keyId, key, off, len, KeyRole.Master);
  }

  /** Derives K_assoc = HMAC-SHA1(master, nonce) into scratch[0, 20); 0 or a negative code. */
  deriveScratch_(masterId: number, nonce: Uint8Array, nonceOff: number, nonceLen: number): number {
    const self = this;
    const m = self.find(masterId);
    if (m < 0) return -Err.UnknownKey;
    if (self.roles[m] !== KeyRole.Master) return -Err.KeyWrongRole;
    diversify(self.mac_, self.keys, m * KEY_SIZE, KEY_SIZE, nonce, nonceOff, nonceLen, self.scratch_, 0);
    return 0;
  }

  /** Installs K_assoc = HMAC-SHA1(K_master, nonce) as the MAC key of a new key id. */
  installDerived(keyId: number, masterId: number, nonce: Uint8Array, nonceOff: number, nonceLen: number): number {
    const r = this.deriveScratch_(masterId, nonce, nonceOff, nonceLen);
    if (r < 0) return r;
    return this.put_(keyId, this.scratch_, 0, KEY_SIZE, KeyRole.Mac);
  }

  /**
   * Starts a rollover of MAC key `keyId` to a new key: both are tried until the new
   * one verifies a PIB. 0 or -Err.{UnknownKey, KeyWrongRole, RolloverPending,
   * KeyBadLength, KeyReused, UsedKeyTableFull}.
   */
  rollover(keyId: number, key: Uint8Array, off: number, len: number): number {
    const self = this;
    const s = self.find(keyId);
    if (s < 0) return -Err.UnknownKey;
    if (self.roles[s] !== KeyRole.Mac) return -Err.KeyWrongRole;
    if (self.pending[s] !== 0) return -Err.RolloverPending;
    const r = self.admit_(keyId, key, off, len);
    if (r < 0) return r;
    self.remember_();
    copyKey(key, off, self.nextKeys_, s * KEY_SIZE);
    self.pending[s] = 1;
    return 0;
  }

  /** Starts a rollover of `keyId` to a freshly derived K_assoc = HMAC-SHA1(K_master, nonce). */
  rolloverDerived(keyId: number, masterId: number, nonce: Uint8Array, nonceOff: number, nonceLen: number): number {
    const r = this.deriveScratch_(masterId, nonce, nonceOff, nonceLen);
    if (r < 0) return r;
    return this.rollover(keyId, this.scratch_, 0, KEY_SIZE);
  }

  /** Removes a key id and wipes its key(s); its fingerprint stays, so it can never return. */
  remove(keyId: number): number {
    const self = this;
    const s = self.find(keyId);
    if (s < 0) return -Err.UnknownKey;
    self.keys.fill(0, s * KEY_SIZE, s * KEY_SIZE + KEY_SIZE);
    self.nextKeys_.fill(0, s * KEY_SIZE, s * KEY_SIZE + KEY_SIZE);
    self.roles[s] = KeyRole.Free;
    self.pending[s] = 0;
    self.ids[s] = 0;
    return 0;
  }

  /** True while `keyId` has a rollover pending. */
  rolloverPending(keyId: number): boolean {
    const s = this.find(keyId);
    return s >= 0 && this.pending[s] !== 0;
  }

  /** KeyLookup: 0 for an unknown id (or a master key), 2 during a rollover, else 1. */
  count(keyId: number): number {
    const s = this.find(keyId);
    if (s < 0 || this.roles[s] !== KeyRole.Mac) return 0;
    return this.pending[s] !== 0 ? 2 : 1;
  }

  /** KeyLookup: candidate 0 is the current (old) key, candidate 1 the pending new key. */
  load(keyId: number, i: number, mac: HmacSha1): void {
    const s = this.find(keyId);
    if (s < 0) return;
    if (i === 1 && this.pending[s] !== 0) mac.setKey(this.nextKeys_, s * KEY_SIZE, KEY_SIZE);
    else mac.setKey(this.keys, s * KEY_SIZE, KEY_SIZE);
  }

  /** Loads the key a sender signs with: the new key once a rollover is staged. 0 or -Err.UnknownKey. */
  loadForSigning(keyId: number, mac: HmacSha1): number {
    const self = this;
    const s = self.find(keyId);
    if (s < 0 || self.roles[s] !== KeyRole.Mac) return -Err.UnknownKey;
    if (self.pending[s] !== 0) mac.setKey(self.nextKeys_, s * KEY_SIZE, KEY_SIZE);
    else mac.setKey(self.keys, s * KEY_SIZE, KEY_SIZE);
    return 0;
  }

  /**
   * KeyLookup: candidate `i` verified a PIB. The first success under the new key
   * (i = 1) retires the old key — it is wiped and the new key becomes candidate 0 —
   * and the event is published once through `rolloverSeq` and its companions.
   */
  verified(keyId: number, i: number): void {
    const self = this;
    const s = self.find(keyId);
    if (s < 0) return;
    self.verifications++;
    if (i !== 1 || self.pending[s] === 0) return;
    const base = s * KEY_SIZE;
    copyKey(self.nextKeys_, base, self.keys, base);
    self.nextKeys_.fill(0, base, base + KEY_SIZE);
    self.pending[s] = 0;
    self.rolloverSeq++;
    self.rolloverKeyId = keyId;
    self.rolloverAtVerification = self.verifications;
  }
}
