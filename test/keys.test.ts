import { createHmac } from "node:crypto";
import * as acorn from "acorn";
import * as walk from "acorn-walk";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Err } from "../src/core/errors.js";
import { HmacSha1 } from "../src/core/hmac.js";
import { diversify, KEY_SIZE, KeyTable } from "../src/ground/keys.js";
import { Signer, Verifier } from "../src/ground/pib.js";
import { constantTimeEqual, Verdict } from "../src/core/verdict.js";
import { SuiteKind } from "../src/core/suites.js";
import { makeBundle } from "../bench/pibBench.js";
import { parseTs } from "./support/ast.js";

// Seeded property tests; fast-check prints the seed and the counterexample on failure.
const SEED = Number(process.env["PIBKIT_SEED"] ?? 0x5eed4);
const RUNS = { seed: SEED, numRuns: 200 };

const NULL_KEY = Buffer.from("c37b7e6492584340bed12207808941155068f738", "hex");

function key(fillByte: number): Uint8Array {
  const k = new Uint8Array(KEY_SIZE);
  for (let i = 0; i < KEY_SIZE; i++) k[i] = (fillByte + i * 7) & 0xff;
  return k;
}

function hmacNode(k: Uint8Array, msg: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac("sha1", k).update(msg).digest());
}

/** The key `load` put into a MAC, seen through the MAC it computes over a probe message. */
const PROBE = new TextEncoder().encode("probe message for key identification");
function macWith(table: KeyTable, keyId: number, i: number): Uint8Array {
  const mac = new HmacSha1(20);
  table.load(keyId, i, mac);
  mac.reset();
  mac.update(PROBE, 0, PROBE.length);
  const out = new Uint8Array(20);
  mac.finish(out, 0);
  return out;
}

/**
 * What pib.ts does for a keyed PIB (keyLookup.ts contract): try candidates in order,
 * report the first that verifies. Returns the candidate index or -1.
 */
function trialVerify(table: KeyTable, keyId: number, msg: Uint8Array, result: Uint8Array): number {
  const mac = new HmacSha1(10);
  const out = new Uint8Array(10);
  const n = table.count(keyId);
  for (let i = 0; i < n; i++) {
    table.load(keyId, i, mac);
    mac.reset();
    mac.update(msg, 0, msg.length);
    mac.finish(out, 0);
    if (constantTimeEqual(out, 0, result, 0, 10)) {
      table.verified(keyId, i);
      return i;
    }
  }
  return -1;
}

function pibResult(k: Uint8Array, msg: Uint8Array): Uint8Array {
  return hmacNode(k, msg).subarray(0, 10);
}

function containsKey(hay: Uint8Array, k: Uint8Array): boolean {
  return Buffer.from(hay).indexOf(Buffer.from(k)) >= 0;
}

describe("KeyTable: install and look up", () => {
  it("loads the installed key (checked through node:crypto HMAC)", () => {
    const t = new KeyTable(4, 16);
    expect(t.install(7, key(1), 0, 20)).toBe(0);
    expect(t.count(7)).toBe(1);
    expect(t.count(8)).toBe(0);
    expect(macWith(t, 7, 0)).toEqual(hmacNode(key(1), PROBE));
  });
  it("reads the key at an offset in the caller's buffer", () => {
    const t = new KeyTable(2, 4);
    const buf = new Uint8Array(30);
    buf.set(key(9), 5);
    expect(t.install(3, buf, 5, 20)).toBe(0);
    expect(macWith(t, 3, 0)).toEqual(hmacNode(key(9), PROBE));
  });
  it("refuses a full table, bad lengths, reserved ids and duplicate ids with named codes", () => {
    const t = new KeyTable(2, 16);
    expect(t.install(1, key(1), 0, 20)).toBe(0);
    expect(t.install(2, key(2), 0, 20)).toBe(0);
    expect(t.install(3, key(3), 0, 20)).toBe(-Err.KeyTableFull);
    expect(t.install(1, key(4), 0, 20)).toBe(-Err.KeyIdExists);
    const u = new KeyTable(4, 16);
    expect(u.install(1, key(1), 0, 19)).toBe(-Err.KeyBadLength);
    expect(u.install(1, key(1), 5, 20)).toBe(-Err.KeyBadLength);
    expect(u.install(0, key(1), 0, 20)).toBe(-Err.KeyIdReserved);
    expect(u.install(-1, key(1), 0, 20)).toBe(-Err.KeyIdReserved);
    expect(u.install(1.5, key(1), 0, 20)).toBe(-Err.KeyIdReserved);
    expect(u.install(2 ** 53, key(1), 0, 20)).toBe(-Err.KeyIdReserved);
    expect(u.install(2 ** 53 - 1, key(1), 0, 20)).toBe(0);
    expect(u.count(2 ** 53 - 1)).toBe(1);
  });
  it("frees a slot on remove and wipes the key from memory", () => {
    const t = new KeyTable(1, 16);
    expect(t.install(1, key(1), 0, 20)).toBe(0);
    expect(t.remove(1)).toBe(0);
    expect(t.remove(1)).toBe(-Err.UnknownKey);
    expect(t.count(1)).toBe(0);
    expect(containsKey(t.keys, key(1))).toBe(false);
    expect(t.install(2, key(2), 0, 20)).toBe(0);
  });
  it("signs with the newest key", () => {
    const t = new KeyTable(2, 16);
    const mac = new HmacSha1(20);
    expect(t.loadForSigning(5, mac)).toBe(-Err.UnknownKey);
    t.install(5, key(1), 0, 20);
    expect(t.loadForSigning(5, mac)).toBe(0);
    t.rollover(5, key(2), 0, 20);
    expect(t.loadForSigning(5, mac)).toBe(0);
    mac.reset();
    mac.update(PROBE, 0, PROBE.length);
    const out = new Uint8Array(20);
    mac.finish(out, 0);
    expect(out).toEqual(hmacNode(key(2), PROBE));
  });
});

describe("KeyTable: rollover by trial verification (draft-rescorla §6.1.1, RFC 4808)", () => {
  const msgA = new TextEncoder().encode("canonical form of bundle A");
  const msgB = new TextEncoder().encode("canonical form of bundle B");
  const oldK = key(0x10);
  const newK = key(0x80);

  it("keeps the old key working during the rollover, retires it on the first success under the new key, reports once", () => {
    const t = new KeyTable(4, 16);
    expect(t.install(9, oldK, 0, 20)).toBe(0);
    expect(t.rollover(9, newK, 0, 20)).toBe(0);
    expect(t.rolloverPending(9)).toBe(true);
    expect(t.count(9)).toBe(2);
    expect(macWith(t, 9, 0)).toEqual(hmacNode(oldK, PROBE));
    expect(macWith(t, 9, 1)).toEqual(hmacNode(newK, PROBE));

    // Old key still verifies while pending; nothing is reported.
    expect(trialVerify(t, 9, msgA, pibResult(oldK, msgA))).toBe(0);
    expect(trialVerify(t, 9, msgB, pibResult(oldK, msgB))).toBe(0);
    expect(t.rolloverSeq).toBe(0);
    expect(t.rolloverKeyId).toBe(-1);
    expect(t.count(9)).toBe(2);

    // Old fails, new succeeds: switchover, reported with key id and sequence number.
    expect(trialVerify(t, 9, msgA, pibResult(newK, msgA))).toBe(1);
    expect(t.rolloverSeq).toBe(1);
    expect(t.rolloverKeyId).toBe(9);
    expect(t.rolloverAtVerification).toBe(3);
    expect(t.rolloverPending(9)).toBe(false);
    expect(t.count(9)).toBe(1);

    // Afterwards the old key is gone: its PIBs fail; the new key is candidate 0; no second report.
    expect(trialVerify(t, 9, msgB, pibResult(oldK, msgB))).toBe(-1);
    expect(trialVerify(t, 9, msgB, pibResult(newK, msgB))).toBe(0);
    expect(t.rolloverSeq).toBe(1);
    expect(containsKey(t.keys, oldK)).toBe(false);
    expect(containsKey(t.nextKeys_, oldK)).toBe(false);
    expect(containsKey(t.nextKeys_, newK)).toBe(false);
  });

  it("a PIB under neither key verifies under no candidate and changes nothing", () => {
    const t = new KeyTable(4, 16);
    t.install(9, oldK, 0, 20);
    t.rollover(9, newK, 0, 20);
    expect(trialVerify(t, 9, msgA, pibResult(key(0x33), msgA))).toBe(-1);
    expect(t.rolloverPending(9)).toBe(true);
    expect(t.rolloverSeq).toBe(0);
  });

  it("counts each rollover of each key id once, in order", () => {
    const t = new KeyTable(4, 16);
    t.install(1, key(1), 0, 20);
    t.install(2, key(2), 0, 20);
    t.rollover(1, key(3), 0, 20);
    t.rollover(2, key(4), 0, 20);
    expect(trialVerify(t, 2, msgA, pibResult(key(4), msgA))).toBe(1);
    expect([t.rolloverSeq, t.rolloverKeyId]).toEqual([1, 2]);
    expect(trialVerify(t, 1, msgA, pibResult(key(3), msgA))).toBe(1);
    expect([t.rolloverSeq, t.rolloverKeyId]).toEqual([2, 1]);
    expect(t.rollover(1, key(5), 0, 20)).toBe(0);
    expect(trialVerify(t, 1, msgA, pibResult(key(5), msgA))).toBe(1);
    expect([t.rolloverSeq, t.rolloverKeyId]).toEqual([3, 1]);
  });

  it("refuses a second rollover while one is pending, an unknown id, a reused key", () => {
    const t = new KeyTable(4, 16);
    t.install(1, oldK, 0, 20);
    expect(t.rollover(2, newK, 0, 20)).toBe(-Err.UnknownKey);
    expect(t.rollover(1, oldK, 0, 20)).toBe(-Err.KeyReused);
    expect(t.rollover(1, newK, 0, 20)).toBe(0);
    expect(t.rollover(1, key(0x55), 0, 20)).toBe(-Err.RolloverPending);
  });
});

describe("KeyTable against a model (seeded random operation sequences)", () => {
  type Op =
    | { t: "install"; id: number; k: number }
    | { t: "rollover"; id: number; k: number }
    | { t: "verifyOld"; id: number }
    | { t: "verifyNew"; id: number }
    | { t: "remove"; id: number };
  const id = fc.integer({ min: 0, max: 4 });
  const k = fc.integer({ min: 0, max: 11 });
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ t: fc.constant("install" as const), id, k }),
    fc.record({ t: fc.constant("rollover" as const), id, k }),
    fc.record({ t: fc.constant("verifyOld" as const), id }),
    fc.record({ t: fc.constant("verifyNew" as const), id }),
    fc.record({ t: fc.constant("remove" as const), id }),
  );
  const CODES = new Set([0, -Err.KeyTableFull, -Err.KeyReused, -Err.KeyIdReserved, -Err.KeyIdExists, -Err.RolloverPending, -Err.UnknownKey, -Err.UsedKeyTableFull]);

  it("count, candidates, reuse refusal and rollover events match a plain model", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const t = new KeyTable(3, 9);
        // Model: id → [current key, pending key or -1]; keys ever used; events.
        const m = new Map<number, [number, number]>();
        const used = new Set<number>();
        let seq = 0;
        const msg = new TextEncoder().encode("model message");
        for (const o of ops) {
          if (o.t === "install") {
            const want = o.id === 0 ? -Err.KeyIdReserved : m.has(o.id) ? -Err.KeyIdExists : m.size >= 3 ? -Err.KeyTableFull : used.has(o.k) ? -Err.KeyReused : used.size >= 8 ? -Err.UsedKeyTableFull : 0;
            const got = t.install(o.id, key(o.k * 16), 0, 20);
            expect(CODES.has(got)).toBe(true);
            expect(got).toBe(want);
            if (got === 0) {
              m.set(o.id, [o.k, -1]);
              used.add(o.k);
            }
          } else if (o.t === "rollover") {
            const e = m.get(o.id);
            const want = !e ? -Err.UnknownKey : e[1] >= 0 ? -Err.RolloverPending : used.has(o.k) ? -Err.KeyReused : used.size >= 8 ? -Err.UsedKeyTableFull : 0;
            expect(t.rollover(o.id, key(o.k * 16), 0, 20)).toBe(want);
            if (want === 0) {
              e![1] = o.k;
              used.add(o.k);
            }
          } else if (o.t === "remove") {
            expect(t.remove(o.id)).toBe(m.delete(o.id) ? 0 : -Err.UnknownKey);
          } else {
            const e = m.get(o.id);
            const kk = e ? (o.t === "verifyOld" ? e[0] : e[1]) : 3;
            const got = trialVerify(t, o.id, msg, pibResult(key((kk < 0 ? 11 : kk) * 16), msg));
            const want = !e || kk < 0 ? (e && e[0] === 11 ? 0 : -1) : o.t === "verifyOld" ? 0 : 1;
            expect(got).toBe(want);
            if (e && o.t === "verifyNew" && kk >= 0) {
              m.set(o.id, [e[1], -1]);
              seq++;
              expect(t.rolloverKeyId).toBe(o.id);
            }
          }
          expect(t.rolloverSeq).toBe(seq);
          for (let i = 0; i <= 4; i++) {
            const e = m.get(i);
            expect(t.count(i)).toBe(!e ? 0 : e[1] >= 0 ? 2 : 1);
          }
        }
      }),
      { ...RUNS, numRuns: 300 },
    );
  });

  it("never throws on out-of-range arguments; every failure is a named code", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer(), fc.double(), fc.constant(2 ** 53), fc.constant(-0)),
        fc.integer({ min: -5, max: 40 }),
        fc.integer({ min: -5, max: 40 }),
        (kid, off, len) => {
          const t = new KeyTable(2, 4);
          const buf = new Uint8Array(24).fill(7);
          const r = t.install(kid, buf, off, len);
          expect(r === 0 || CODES.has(r) || r === -Err.KeyBadLength).toBe(true);
          expect(t.count(kid)).toBe(r === 0 ? 1 : 0);
        },
      ),
      RUNS,
    );
  });
});

describe("KeyTable behind pib.ts: rollover seen through real PIB-HMAC bundles", () => {
  it("receiver keeps old PIBs valid while pending, switches on the first PIB under the new key, then refuses the old key", () => {
    const sender = new KeyTable(2, 8);
    const receiver = new KeyTable(2, 8);
    const k1 = key(0x21);
    const k2 = key(0x99);
    expect(sender.install(5, k1, 0, 20)).toBe(0);
    expect(receiver.install(5, k1, 0, 20)).toBe(0);
    const signer = new Signer(8, 8);
    signer.keys = sender;
    const verifier = new Verifier(8, 8, 4);
    verifier.keys = receiver;
    const plain = makeBundle(100);
    const sign = (): Uint8Array => {
      const out = new Uint8Array(plain.length + 64);
      const n = signer.sign(plain, 0, plain.length, out, 0, out.length, SuiteKind.Hmac, 5);
      expect(n).toBeGreaterThan(0);
      return out.slice(0, n);
    };
    const verify = (b: Uint8Array): [number, number] => {
      expect(verifier.verifyAll(b, 0, b.length)).toBe(1);
      return [verifier.verdict[0]!, verifier.keyIndex[0]!];
    };
    const underK1 = sign();
    expect(verify(underK1)).toEqual([Verdict.Ok, 0]);
    // The receiver is told about k2 first; the sender still signs with k1.
    expect(receiver.rollover(5, k2, 0, 20)).toBe(0);
    expect(verify(sign())).toEqual([Verdict.Ok, 0]);
    expect(receiver.rolloverSeq).toBe(0);
    // The sender switches: its newest key signs.
    expect(sender.rollover(5, k2, 0, 20)).toBe(0);
    const underK2 = sign();
    expect(verify(underK2)).toEqual([Verdict.Ok, 1]);
    expect([receiver.rolloverSeq, receiver.rolloverKeyId]).toEqual([1, 5]);
    // k1 is retired at the receiver; k2 is now its candidate 0.
    expect(verify(underK1)).toEqual([Verdict.Mismatch, -1]);
    expect(verify(underK2)).toEqual([Verdict.Ok, 0]);
    expect(receiver.rolloverSeq).toBe(1);
  });

  it("an id the table does not hold (or a master key) is UnknownKey, never Ok", () => {
    const t = new KeyTable(2, 8);
    t.install(5, key(1), 0, 20);
    t.installMaster(6, key(2), 0, 20);
    const signer = new Signer(8, 8);
    signer.keys = t;
    const plain = makeBundle(10);
    const out = new Uint8Array(plain.length + 64);
    const n = signer.sign(plain, 0, plain.length, out, 0, out.length, SuiteKind.Hmac, 5);
    expect(signer.sign(plain, 0, plain.length, out, 0, out.length, SuiteKind.Hmac, 6)).toBe(-Err.UnknownKey);
    const verifier = new Verifier(8, 8, 4);
    verifier.keys = new KeyTable(2, 8);
    expect(verifier.verifyAll(out, 0, n)).toBe(1);
    expect(verifier.verdict[0]).toBe(Verdict.UnknownKey);
  });
});

describe("KeyTable: per-association diversification (draft-rescorla §3.1, §6.1.2)", () => {
  const master = key(0x42);
  const enc = new TextEncoder();
  // Nonce = source EID text + creation timestamp, as a caller would choose it.
  const nonce1 = enc.encode("dtn://src/app\u0000" + "785000000.1");
  const nonce2 = enc.encode("dtn://src/app\u0000" + "785000000.2");

  it("K_assoc = HMAC-SHA1(K_master, nonce), equal to node:crypto; different nonces give different keys", () => {
    const t = new KeyTable(4, 16);
    expect(t.installMaster(1, master, 0, 20)).toBe(0);
    expect(t.installDerived(10, 1, nonce1, 0, nonce1.length)).toBe(0);
    expect(t.installDerived(11, 1, nonce2, 0, nonce2.length)).toBe(0);
    const k1 = hmacNode(master, nonce1);
    const k2 = hmacNode(master, nonce2);
    expect(k1).not.toEqual(k2);
    expect(macWith(t, 10, 0)).toEqual(hmacNode(k1, PROBE));
    expect(macWith(t, 11, 0)).toEqual(hmacNode(k2, PROBE));
    expect(macWith(t, 10, 0)).not.toEqual(macWith(t, 11, 0));
  });

  it("diversify() equals node:crypto for random keys, nonces and offsets", () => {
    const mac = new HmacSha1(20);
    const out = new Uint8Array(24);
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 100 }),
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        fc.nat(3),
        (k, nonce, off) => {
          diversify(mac, k, 0, k.length, nonce, 0, nonce.length, out, off);
          expect(out.subarray(off, off + 20)).toEqual(hmacNode(k, nonce));
        },
      ),
      RUNS,
    );
  });

  it("a master key never keys a MAC, and only a master derives", () => {
    const t = new KeyTable(4, 16);
    t.installMaster(1, master, 0, 20);
    t.install(2, key(7), 0, 20);
    expect(t.count(1)).toBe(0);
    expect(t.installDerived(10, 2, nonce1, 0, nonce1.length)).toBe(-Err.KeyWrongRole);
    expect(t.installDerived(10, 3, nonce1, 0, nonce1.length)).toBe(-Err.UnknownKey);
    expect(t.rollover(1, key(8), 0, 20)).toBe(-Err.KeyWrongRole);
  });

  it("rolls an association over to a key derived from a new nonce", () => {
    const t = new KeyTable(4, 16);
    t.installMaster(1, master, 0, 20);
    t.installDerived(10, 1, nonce1, 0, nonce1.length);
    expect(t.rolloverDerived(10, 1, nonce2, 0, nonce2.length)).toBe(0);
    expect(macWith(t, 10, 1)).toEqual(hmacNode(hmacNode(master, nonce2), PROBE));
  });
});

describe("KeyTable: reuse refusal (draft-rescorla §3)", () => {
  it("refuses the same key twice, also after it was removed", () => {
    const t = new KeyTable(4, 16);
    expect(t.install(1, key(1), 0, 20)).toBe(0);
    expect(t.install(2, key(1), 0, 20)).toBe(-Err.KeyReused);
    expect(t.installMaster(3, key(1), 0, 20)).toBe(-Err.KeyReused);
    t.remove(1);
    expect(t.install(1, key(1), 0, 20)).toBe(-Err.KeyReused);
  });

  it("refuses a derived key equal to a key installed before, and the same nonce twice", () => {
    const master = key(0x42);
    const nonce = new TextEncoder().encode("ipn:5.1 785000000 17");
    const t = new KeyTable(4, 16);
    t.installMaster(1, master, 0, 20);
    expect(t.install(5, hmacNode(master, nonce), 0, 20)).toBe(0);
    expect(t.installDerived(6, 1, nonce, 0, nonce.length)).toBe(-Err.KeyReused);
    const nonce2 = new TextEncoder().encode("ipn:5.1 785000000 18");
    expect(t.installDerived(6, 1, nonce2, 0, nonce2.length)).toBe(0);
    expect(t.installDerived(7, 1, nonce2, 0, nonce2.length)).toBe(-Err.KeyReused);
    // The other way round: an installed key equal to a derived one.
    expect(t.install(8, hmacNode(master, nonce2), 0, 20)).toBe(-Err.KeyReused);
  });

  it("refuses the NULL key as a real key", () => {
    const t = new KeyTable(4, 16);
    expect(t.install(1, NULL_KEY, 0, 20)).toBe(-Err.KeyReused);
  });

  it("keeps fingerprints, not keys, and says when it cannot remember more", () => {
    const t = new KeyTable(8, 3); // NULL key + 2
    expect(t.install(1, key(1), 0, 20)).toBe(0);
    expect(t.install(2, key(2), 0, 20)).toBe(0);
    expect(t.install(3, key(3), 0, 20)).toBe(-Err.UsedKeyTableFull);
    expect(containsKey(t.used, key(1).subarray(0, 8))).toBe(false);
    expect(t.usedCount_).toBe(3);
  });

  it("refuses every repeat among random keys (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 20, maxLength: 20 }), { minLength: 1, maxLength: 12 }), (ks) => {
        const t = new KeyTable(16, 16);
        const seen = new Set<string>([NULL_KEY.toString("hex")]);
        ks.forEach((k, i) => {
          const hex = Buffer.from(k).toString("hex");
          expect(t.install(i + 1, k, 0, 20)).toBe(seen.has(hex) ? -Err.KeyReused : 0);
          seen.add(hex);
        });
      }),
      { ...RUNS, numRuns: 100 },
    );
  });
});

describe("constantTimeEqual", () => {
  it("is true for equal ranges and false for a difference at every position and bit", () => {
    const a = new Uint8Array(24);
    for (let i = 0; i < a.length; i++) a[i] = (i * 37 + 11) & 0xff;
    const b = new Uint8Array(30);
    b.set(a, 3);
    expect(constantTimeEqual(a, 0, b, 3, 24)).toBe(true);
    expect(constantTimeEqual(a, 0, b, 3, 0)).toBe(true);
    for (let pos = 0; pos < 24; pos++) {
      for (let bit = 0; bit < 8; bit++) {
        b[3 + pos]! ^= 1 << bit;
        expect(constantTimeEqual(a, 0, b, 3, 24), `pos ${pos} bit ${bit}`).toBe(false);
        b[3 + pos]! ^= 1 << bit;
      }
    }
    // Only the given range counts.
    b[0] = 0xff;
    b[29] = 0xff;
    expect(constantTimeEqual(a, 0, b, 3, 24)).toBe(true);
    expect(constantTimeEqual(a, 1, b, 4, 23)).toBe(true);
  });

  it("agrees with a plain comparison on random input (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), fc.uint8Array({ minLength: 1, maxLength: 40 }), (x, y) => {
        const n = Math.min(x.length, y.length);
        expect(constantTimeEqual(x, 0, y, 0, n)).toBe(Buffer.compare(x.subarray(0, n), y.subarray(0, n)) === 0);
      }),
      RUNS,
    );
  });
});

// Source check on src/ground/keys.ts, compiled to JS by esbuild and walked with acorn. (That
// constantTimeEqual has no data-dependent exit is checked in faults.test.ts, CT_COMPARES.)
const keysAst = parseTs("src/ground/keys.ts");

describe("source checks on src/ground/keys.ts", () => {
  it("allocates only in constructors: no new, array/object literals, closures or views in methods", () => {
    const bad: string[] = [];
    walk.fullAncestor(keysAst, (n, _state, ancestors) => {
      const inCtor = ancestors.some((a) => a.type === "MethodDefinition" && (a as acorn.MethodDefinition).kind === "constructor");
      if (inCtor) return;
      const inCode = ancestors.some((a) => a.type === "FunctionDeclaration" || a.type === "MethodDefinition");
      if (!inCode) return;
      const kind = n.type;
      if (kind === "NewExpression" || kind === "ArrayExpression" || kind === "ObjectExpression" || kind === "ArrowFunctionExpression" || kind === "TemplateLiteral") {
        bad.push(`${kind} at ${n.start}`);
      }
      if (kind === "FunctionExpression" && ancestors[ancestors.length - 2]?.type !== "MethodDefinition") bad.push(`FunctionExpression at ${n.start}`);
      if (kind === "Identifier" && /^(subarray|slice|concat|map|filter|from)$/.test((n as acorn.Identifier).name)) bad.push(`${(n as acorn.Identifier).name} at ${n.start}`);
    });
    expect(bad).toEqual([]);
  });
});
