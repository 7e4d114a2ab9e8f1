/**
 * Relay policy of the bundle-checksum draft (§3.1, §5; RFC 6257 §3.6): an
 * intermediate node SHOULD check unkeyed and NULL-keyed PIBs and SHOULD discard a
 * bundle whose check fails — and may stop checking under CPU pressure. Here that
 * pressure is a byte budget per tick: once a tick's octets are spent, further PIBs
 * are SkippedBudget (forwarded unchecked, never counted as passed) until `tick()`.
 *
 * A relay holds no keys: a PIB-HMAC with a real key id is left to its destination.
 * Everything is forwarded byte-exact by the caller; the relay only says yes or no.
 */
// Methods with many member accesses read `this` once into `self`: the minifier shortens
// a local to one letter but never `this`, and Espruino keeps the source (docs/firmware.md).
import type { PibVerifier } from "../core/pibContract.js";
import { Verdict } from "../core/verdict.js";

/**
 * What the relay needs of a verifier: both the ground library's Verifier (src/ground/pib.ts)
 * and the on-board one (src/onboard/) satisfy it, so a relay firmware carries only the
 * on-board one. `verdict`/`kind` hold one entry per PIB of the last verifyAll.
 */
export type RelayVerifier = Pick<PibVerifier, "keys" | "budget" | "bytes" | "verdict" | "kind" | "verifyAll">;

/** What to do with a bundle. */
export const enum RelayAction {
  Forward = 0,
  Discard = 1,
}

export class Relay {
  verifier: RelayVerifier;
  /** Octets of canonical input the relay may digest per tick; < 0 = no limit. */
  bytesPerTick: number;
  /** PIBs checked (a digest was computed), passed, bundles discarded. */
  checked: number;
  passed: number;
  discarded: number;
  /** PIBs left unchecked because the tick's budget was spent. */
  skippedBudget: number;
  /** Bundles that did not parse (discarded too: they cannot be forwarded as bundles). */
  malformed: number;
  /** Octets digested so far. */
  bytes: number;

  constructor(verifier: RelayVerifier, bytesPerTick: number) {
    this.verifier = verifier;
    // Unkeyed and NULL-keyed only (draft §3.1): keyed PIB-HMAC comes out UnknownKey.
    verifier.keys = null;
    this.bytesPerTick = bytesPerTick;
    this.checked = 0;
    this.passed = 0;
    this.discarded = 0;
    this.skippedBudget = 0;
    this.malformed = 0;
    this.bytes = 0;
    verifier.budget = bytesPerTick;
  }

  /** Starts a new tick: the budget is full again. */
  tick(): void {
    this.verifier.budget = this.bytesPerTick;
  }

  /** Checks the bundle in buf[off, end); RelayAction.Forward or RelayAction.Discard. */
  check(buf: Uint8Array, off: number, end: number): number {
    const self = this;
    const v = self.verifier;
    const before = v.bytes;
    const n = v.verifyAll(buf, off, end);
    self.bytes += v.bytes - before;
    if (n < 0) {
      self.malformed++;
      self.discarded++;
      return RelayAction.Discard;
    }
    let discard = false;
    for (let k = 0; k < n; k++) {
      const verdict = v.verdict[k]!;
      if (verdict === Verdict.Ok) {
        self.checked++;
        self.passed++;
      } else if (verdict === Verdict.Mismatch) {
        self.checked++;
        discard = true;
      } else if (verdict === Verdict.Malformed && v.kind[k] !== 0) {
        // One of our suites that cannot be read: its check cannot pass.
        self.checked++;
        discard = true;
      } else if (verdict === Verdict.SkippedBudget) {
        self.skippedBudget++;
      }
    }
    if (discard) self.discarded++;
    return discard ? RelayAction.Discard : RelayAction.Forward;
  }
}
