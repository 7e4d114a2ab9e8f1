/**
 * The simulator's runner: shards, merge, determinism, engine = fast, out-of-memory as
 * an event, the path's timetable and the classification rules.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { classify, type PathFacts } from "../sim/classify.js";
import { runCampaign, type CampaignOptions } from "../sim/campaign.js";
import * as fullLib from "../src/entries/full.js";
import { DEFAULT_STACK_BYTES, firmwarePath, makeDevice, nodeLib, repoRoot, wholeBundle } from "../sim/device.js";
import { makeAgent } from "../sim/agent.js";
import * as onboardLib from "../src/entries/pib-path-stream-writer.js";
import { Crc32c } from "../src/core/crc32c.js";
import { HmacSha1 } from "../src/core/hmac.js";
import { Md5 } from "../src/core/md5.js";
import { Orbit } from "../sim/orbit.js";
import type { BundleFates } from "../sim/path.js";
import { PATH_ASSUMPTIONS, resendAfter, timetable, transmit, type BundleSlot } from "../sim/path.js";
import { cyclesFor, groundCheckSeconds, loadCosts } from "../sim/costs.js";
import { summaryText } from "../sim/report/text.js";
import { isComplete, mergeResults, MergeError, type SimResult } from "../sim/result.js";
import { Rng } from "../sim/rng.js";
import { loadScenario, scenarioDir, type Scenario } from "../sim/scenario.js";
import { MAX_SHARDS, ownsItem, resolveShard } from "../sim/shard.js";

const TINY: CampaignOptions = { scenario: "test-tiny", board: "ssr-200mhz", suites: [4, 5, 6], days: 1, seed: 7, mode: "fast" };

beforeAll(() => {
  // engine mode runs the BUILT firmware file: build it from the current sources
  execFileSync("node", ["targets/build/build.mjs"], { stdio: "ignore" });
  expect(existsSync(firmwarePath())).toBe(true);
});

describe("the device's firmware", () => {
  it("is the on-board PIB path with streaming verification and the bundle writer (what flies), not the ground library", () => {
    expect(firmwarePath().endsWith(join("dist", "generic", "pibkit-pib-path+stream+writer.js"))).toBe(true);
    const text = readFileSync(firmwarePath(), "utf8");
    expect(text).toContain("exports.BundleWriter=");
    expect(text).toContain("exports.Verifier=");
    expect(text).toContain("exports.StreamVerifier=");
    // ground-only exports stay out: the key table, the canonicalizer, the profiles
    expect(text).not.toContain("exports.KeyTable=");
    expect(text).not.toContain("exports.Canonicalizer=");
    expect(text).not.toContain("exports.PROFILE_DTN2=");
  });
});

describe("the agent signs in place", () => {
  // the whole-buffer way: write the bundle, then Signer.sign once per suite
  function wholeBuffer(payload: Uint8Array, kinds: number[], seq: number, ctime: number): Uint8Array {
    const w = new fullLib.BundleWriter();
    const spec = new fullLib.PrimarySpec();
    const a = (t: string): Uint8Array => Uint8Array.from(t, (c) => c.charCodeAt(0));
    spec.dest = a("dtn://ground-archive/images");
    spec.source = a("dtn://satellite/imager");
    spec.reportTo = a("dtn:none");
    spec.custodian = a("dtn://satellite/imager");
    spec.flags = 0x08;
    spec.lifetime.lo = 7 * 86400;
    spec.seq.lo = seq;
    spec.ctime.lo = ctime;
    let buf = new Uint8Array(payload.length + 1024);
    let p = w.writePrimary(buf, 0, buf.length, spec);
    buf[p] = 1;
    p = fullLib.writeSdnv(buf, p + 1, buf.length, 0x08);
    p = fullLib.writeSdnv(buf, p, buf.length, payload.length);
    buf.set(payload, p);
    let end = p + payload.length;
    const signer = new fullLib.Signer(8, 8);
    for (const k of kinds) {
      const out = new Uint8Array(buf.length);
      end = signer.sign(buf, 0, end, out, 0, out.length, k, 0);
      expect(end).toBeGreaterThan(0);
      buf = out;
    }
    return buf.slice(0, end);
  }

  it("streaming each image through the firmware's StreamVerifier and sealing gives the octets Signer.sign writes", async () => {
    const rng = new Rng(3);
    for (const len of [1, 100, 8000, 65536, 65537, 200_000]) {
      const payload = Uint8Array.from({ length: len }, () => rng.u32() & 0xff);
      for (const kinds of [[1, 2, 3], [3], [3, 1], [2, 3, 1]]) {
        const want = wholeBuffer(payload, kinds, len, 1234567);
        for (const mode of ["fast", "engine"] as const) {
          const d = await makeDevice(mode, 64 * 1024 * 1024, DEFAULT_STACK_BYTES);
          expect(d.setup(len + 1024, kinds)).toBeNull();
          const signed = d.sign(payload, len, 1234567);
          expect(signed.ok, `${mode} ${len} ${kinds}`).toBe(true);
          if (signed.ok) expect(Buffer.from(wholeBundle(signed, payload)).equals(Buffer.from(want)), `${mode} ${len} ${kinds}`).toBe(true);
          d.dispose();
        }
      }
    }
  }, 120_000);

  it("digests each suite once per image: one pass per suite, that suite's digest alone (on-board sealer and ground StreamSigner)", () => {
    const len = 200_000;
    const payload = Uint8Array.from({ length: len }, (_, i) => (i * 7) & 0xff);
    const classes = [HmacSha1, Md5, Crc32c] as const;
    const protos = classes.map((c) => c.prototype as unknown as { update: (b: Uint8Array, o: number, n: number) => void });
    const saved = protos.map((p) => p.update);
    for (const lib of [onboardLib, nodeLib]) {
      const octets = [0, 0, 0];
      protos.forEach((p, i) => {
        const inner = saved[i]!;
        p.update = function (this: unknown, b: Uint8Array, o: number, n: number): void {
          octets[i] = octets[i]! + n;
          inner.call(this, b, o, n);
        };
      });
      try {
        const sink = new Uint8Array(len + 1024);
        const agent = makeAgent(lib, {
          read: (t, off, src, n) => (t.set(payload.subarray(src, src + n), off), n),
          write: (b, off, n, dst) => (sink.set(b.subarray(off, off + n), dst), n),
        });
        expect(agent.init(65536, 1024, 4096, 3)).toBe(0);
        for (const k of [1, 2, 3]) agent.addSuite(k);
        expect(agent.sign(len, 1, 2)).toBeGreaterThan(len);
      } finally {
        protos.forEach((p, i) => (p.update = saved[i]!));
      }
      // HMAC-SHA1 (innermost, the first suite), MD5, CRC-32C: each over the payload
      // and a header of about 200 octets once; two digests of a suite would be 2 × len
      for (const n of octets) {
        expect(n).toBeGreaterThanOrEqual(len);
        expect(n).toBeLessThan(len + 1024);
      }
    }
  });
});

describe("shards", () => {
  it("reads --shard I/N", () => {
    expect(resolveShard("2/5", undefined, {})).toEqual({ index: 2, count: 5 });
    expect(() => resolveShard("5/5", undefined, {})).toThrow(/not below/);
    expect(() => resolveShard("1-4", undefined, {})).toThrow(/I\/N/);
    expect(() => resolveShard("0/0", undefined, {})).toThrow(/at least 1/);
    // a count far above any campaign's bundles is refused, not run out of memory on
    expect(resolveShard(`0/${MAX_SHARDS}`, undefined, {})).toEqual({ index: 0, count: MAX_SHARDS });
    expect(() => resolveShard(`0/${MAX_SHARDS + 1}`, undefined, {})).toThrow(/at most 100,000/);
    expect(() => resolveShard("0/99999999999", undefined, {})).toThrow(/at most 100,000/);
    expect(() => resolveShard(undefined, "99999999999", { JOB_COMPLETION_INDEX: "1" })).toThrow(/at most 100,000/);
    // --shard and --shards together: one or the other; a count's message starts at 1
    expect(() => resolveShard("0/2", "3", {})).toThrow(/not both/);
    expect(() => resolveShard(undefined, "abc", { JOB_COMPLETION_INDEX: "1" })).toThrow(/from 1 up to 100,000/);
    // a bad count is blamed on where it came from, not on the index's variable
    expect(() => resolveShard(undefined, "0", { SLURM_ARRAY_TASK_ID: "1" })).toThrow(/^--shards: the shard count must be at least 1/);
    expect(() => resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "200000" })).toThrow(/^SLURM_ARRAY_TASK_COUNT: .*at most 100,000/);
  });
  it("reads Slurm job arrays and Kubernetes indexed jobs", () => {
    expect(resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_COUNT: "4" })).toEqual({ index: 3, count: 4 });
    expect(resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: "4", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_MIN: "1" })).toEqual({ index: 3, count: 4 });
    expect(resolveShard(undefined, "8", { JOB_COMPLETION_INDEX: "5" })).toEqual({ index: 5, count: 8 });
    expect(() => resolveShard(undefined, undefined, { JOB_COMPLETION_INDEX: "5" })).toThrow(/--shards/);
    expect(resolveShard("1/2", undefined, { JOB_COMPLETION_INDEX: "0" })).toEqual({ index: 1, count: 2 });
    expect(resolveShard(undefined, undefined, {})).toEqual({ index: 0, count: 1 });
    expect(() => resolveShard(undefined, "3", {})).toThrow(/needs an index/);
  });
  it("gives every bundle to exactly one shard", () => {
    for (let n = 1; n <= 7; n++) {
      for (let k = 0; k < 50; k++) {
        let owners = 0;
        for (let i = 0; i < n; i++) if (ownsItem({ index: i, count: n }, k)) owners++;
        expect(owners).toBe(1);
      }
    }
  });
});

describe("classification from ground truth", () => {
  const base: PathFacts = { oom: false, delivered: true, deliveredDataFlipsAfterSigning: 0, exposureFlips: 0, discardedCorruptData: false, discardedIntactData: false };
  it("names each class", () => {
    expect(classify(base)).toBe("intact");
    expect(classify({ ...base, deliveredDataFlipsAfterSigning: 2 })).toBe("missed");
    expect(classify({ ...base, exposureFlips: 1 })).toBe("exposure");
    expect(classify({ ...base, delivered: false, discardedCorruptData: true })).toBe("detected");
    expect(classify({ ...base, discardedCorruptData: true })).toBe("detected");
    expect(classify({ ...base, discardedIntactData: true })).toBe("false-alarm");
    expect(classify({ ...base, oom: true, deliveredDataFlipsAfterSigning: 3 })).toBe("out-of-memory");
  });
  it("ranks a miss above an exposure that rode along", () => {
    expect(classify({ ...base, exposureFlips: 1, deliveredDataFlipsAfterSigning: 1 })).toBe("missed");
  });
});

describe("path timetable", () => {
  const s = loadScenario("leo-ssr-2008");
  const orbit = new Orbit(s, new Rng(1));
  it("sends only inside passes, in order, after signing", () => {
    const tt = timetable(s, orbit, 2, s.sim.imageBytes.value, s.sim.downlinkBitsPerSecond.value);
    expect(tt.bundles.length).toBe(2 * s.imaging.imagingPassesPerDay.value * s.imaging.imagesPerPass.value);
    let prevEnd = 0;
    for (const b of tt.bundles) {
      expect(b.signedAt - b.imagedAt).toBeCloseTo(s.imaging.exposureSeconds.value, 6);
      expect(b.sendStart).toBeGreaterThanOrEqual(b.signedAt);
      expect(b.sendStart).toBeGreaterThanOrEqual(prevEnd - 1e-6);
      expect(tt.passes.some((p) => b.sendStart >= p[0] && b.sendStart < p[1])).toBe(true);
      prevEnd = b.sendEnd;
    }
  });
  it("books resends on the same downlink: they take capacity from the bundles behind, and no second of a pass is sold twice", () => {
    const size = s.sim.imageBytes.value;
    const bps = s.sim.downlinkBitsPerSecond.value;
    const plain = timetable(s, orbit, 3, size, bps);
    // every other bundle is discarded on the ground twice (recorder damage, say), then given up
    const fates = (slot: BundleSlot): BundleFates => ({ transmission: (_tx, i) => (slot.index % 2 === 0 && i < 2 ? "resend" : "deliver") });
    const tt = timetable(s, orbit, 3, size, bps, { seconds: 600, utilisation: 1 }, fates);
    const booked: Array<[number, number]> = [];
    for (const b of tt.bundles) {
      expect(b.resends.length).toBe(b.index % 2 === 0 ? 2 : 0);
      let prevEnd = b.sendEnd;
      for (const r of b.resends) {
        // read and checked on board at the discard (or when the processor is free), sent after the check
        expect(r.readAt).toBeGreaterThanOrEqual(prevEnd);
        expect(r.start).toBeGreaterThanOrEqual(r.readAt + 600 - 1e-6);
        prevEnd = r.end;
      }
      for (const t of [{ start: b.sendStart, end: b.sendEnd }, ...b.resends]) booked.push([t.start, t.end]);
    }
    // a transmission may span passes and make way for a resend booked before it, so its
    // span holds at least its own pass time; sold once, all spans together hold at least
    // the pass time of every transmission
    const inPasses = (a: number, e: number): number => tt.passes.reduce((acc, p) => acc + Math.max(0, Math.min(e, p[1]) - Math.max(a, p[0])), 0);
    const perTx = size / (bps / 8);
    for (const [a, e] of booked) expect(inPasses(a, e)).toBeGreaterThanOrEqual(perTx - 1e-6);
    booked.sort((x, y) => x[0] - y[0]);
    let union = 0;
    let from = -Infinity;
    let to = -Infinity;
    for (const [a, e] of booked) {
      if (a > to) {
        if (to > from) union += inPasses(from, to);
        from = a;
      }
      to = Math.max(to, e);
    }
    union += inPasses(from, to);
    expect(union).toBeGreaterThanOrEqual(booked.length * perTx - 1e-3);
    // the odd bundles go later than on an empty link
    const later = tt.bundles.filter((b) => b.index % 2 === 1 && b.sendStart > plain.bundles[b.index]!.sendStart + 1);
    expect(later.length).toBeGreaterThan(0);
  });

  it("spans passes when a bundle does not fit in one", () => {
    const passes: Array<[number, number]> = [[0, 10], [100, 110], [200, 300]];
    expect(transmit(passes, 5, 10, 1)).toEqual([5, 105]);
    expect(transmit(passes, 0, 5, 1)).toEqual([0, 5]);
    expect(transmit(passes, 0, 1000, 1)).toBeNull();
  });
});

/** Outcome counts and costs only (what shards must add up to). */
function totals(r: SimResult): unknown {
  return { suites: r.suites, bundles: r.bundles, upsets: r.upsets, bins: r.upsetBins, exp: r.exposureBins, corrupted: r.corruptedBundles, bytes: r.bundleBytes, down: r.downlinkedBytes, oom: r.oomEvents };
}

describe("campaigns", () => {
  it("the same seed gives the same result; another seed another", async () => {
    const a = await runCampaign({ ...TINY, days: 2 });
    const b = await runCampaign({ ...TINY, days: 2 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const c = await runCampaign({ ...TINY, days: 2, seed: 8 });
    expect(JSON.stringify(totals(c))).not.toBe(JSON.stringify(totals(a)));
    // the tiny scenario's raised rates must exercise the classes this test relies on
    expect(a.upsets.total).toBeGreaterThan(0);
    expect(a.suites[0]!.outcomes[2]).toBeGreaterThan(0); // baseline misses corruption
  });

  it("progress is reported while a bundle is read, not only when it is done (a flight-size bundle takes minutes in the engine)", async () => {
    const calls: Array<[number, number]> = [];
    const r = await runCampaign({ ...TINY, days: 2, onProgress: (done, total) => void calls.push([done, total]) });
    const perBundle = calls.filter(([done], i) => i > 0 && done > calls[i - 1]![0]).length;
    expect(perBundle).toBe(r.bundles);
    // every bundle is read in several pieces, each a call with the count so far
    expect(calls.length).toBeGreaterThan(3 * r.bundles);
    expect(calls.filter(([done]) => done === 0).length).toBeGreaterThan(1);
  });

  it("N shards merged equal one run, in any order", async () => {
    const whole = await runCampaign({ ...TINY, days: 3 });
    for (const n of [2, 3, 5]) {
      const parts: SimResult[] = [];
      for (let i = 0; i < n; i++) parts.push(await runCampaign({ ...TINY, days: 3, shard: { index: i, count: n } }));
      expect(isComplete(parts[0]!)).toBe(n === 1);
      const merged = mergeResults(parts.reverse());
      expect(isComplete(merged)).toBe(true);
      expect(JSON.stringify({ ...merged, shardCount: 1, shards: [0] })).toBe(JSON.stringify({ ...whole, ramHighWaterBytes: merged.ramHighWaterBytes }));
    }
  });

  it("refuses to merge different campaigns or a shard twice", async () => {
    const a = await runCampaign({ ...TINY, shard: { index: 0, count: 2 } });
    const b = await runCampaign({ ...TINY, seed: 9, shard: { index: 1, count: 2 } });
    expect(() => mergeResults([a, b])).toThrow(MergeError);
    expect(() => mergeResults([a, a])).toThrow(/twice/);
  });

  it("engine mode (built firmware in QuickJS) gives the same verdicts as fast mode", async () => {
    const fast = await runCampaign({ ...TINY, days: 1 });
    const engine = await runCampaign({ ...TINY, days: 1, mode: "engine" });
    expect(engine.bundles).toBeGreaterThan(0);
    expect(JSON.stringify(totals({ ...engine }))).toBe(JSON.stringify(totals(fast)));
    // every signed bundle's header and PIBs, and every verdict of every check, agree
    expect(engine.deviceDigest).toBe(fast.deviceDigest);
    expect(fast.deviceDigest).not.toBe(0);
    // the fingerprint sees the firmware's output: another signing order gives another one
    const reordered = await runCampaign({ ...TINY, days: 1, suites: [6, 5, 4] });
    expect(reordered.deviceDigest).not.toBe(fast.deviceDigest);
    expect(engine.ramHighWaterBytes).toBeGreaterThan(0);
    expect(engine.oomEvents).toEqual([]);
  }, 120_000);

  it("out of memory on a tiny-RAM board is recorded per bundle, not a crash", async () => {
    // a Puck.js (64 KiB RAM) cannot hold the default scenario's megabyte images
    const r = await runCampaign({ ...TINY, scenario: "leo-ssr-2008", days: 0.5, board: "espruino-puckjs", mode: "engine" });
    expect(r.bundles).toBeGreaterThan(0);
    expect(r.oomEvents.length).toBe(r.bundles);
    expect(r.oomEvents.map((e) => e.bundle)).toEqual([...Array(r.bundles).keys()]);
    // the firmware and the agent alone are more than the board's RAM, before any buffer
    for (const e of r.oomEvents) expect(["load firmware", "start agent"]).toContain(e.operation);
    for (const s of r.suites) expect(s.outcomes[4]).toBe(r.bundles); // out-of-memory
    // the high-water mark and the limit count the same bytes: it stops just past the limit
    expect(r.ramHighWaterBytes).toBeGreaterThan(r.config.ramLimitBytes);
    expect(r.ramHighWaterBytes).toBeLessThan(2 * r.config.ramLimitBytes);
    // fast mode's one RAM rule (the two buffers) fails the same bundles, at the buffers
    const f = await runCampaign({ ...TINY, scenario: "leo-ssr-2008", days: 0.5, board: "espruino-puckjs", mode: "fast" });
    expect(f.oomEvents.map((e) => e.bundle)).toEqual(r.oomEvents.map((e) => e.bundle));
    for (const e of f.oomEvents) expect(e.operation).toBe("allocate buffers");
    expect(f.suites).toEqual(r.suites);
  }, 120_000);

  it("engine mode: no high-water mark above the limit without an out-of-memory event", async () => {
    // the firmware starts in about 100 KiB above an empty runtime with test-tiny's buffers
    for (const ram of [96 * 1024, 128 * 1024, 512 * 1024]) {
      const r = await runCampaign({ ...TINY, days: 0.25, mode: "engine", ramBytes: ram });
      expect(r.ramHighWaterBytes).toBeGreaterThan(0);
      if (r.ramHighWaterBytes > ram) expect(r.oomEvents.length, `${ram}`).toBeGreaterThan(0);
      else expect(r.oomEvents, `${ram}`).toEqual([]);
    }
  }, 120_000);

  it("corruption before signing is its own class, the same for every suite (no checksum sees it)", async () => {
    // test-tiny with a long exposure window: images wait 6 h in memory before signing
    const sc = JSON.parse(readFileSync(join(scenarioDir(), "test-tiny.json"), "utf8")) as Scenario;
    sc.name = "test-exposure";
    sc.imaging.exposureSeconds = { value: 6 * 3600, unit: "s", assumed: "test: long exposure window" };
    const file = join(mkdtempSync(join(tmpdir(), "pibkit-scn-")), "test-exposure.json");
    writeFileSync(file, JSON.stringify(sc));
    const r = await runCampaign({ ...TINY, scenario: file, days: 1 });
    expect(r.upsets.exposure).toBeGreaterThan(0);
    const exposure = r.suites.map((s) => s.outcomes[5]);
    expect(exposure[0]).toBeGreaterThan(0);
    for (const e of exposure) expect(e).toBe(exposure[0]);
    // every bundle is counted once per suite
    for (const s of r.suites) expect(s.outcomes.reduce((a, b) => a + b, 0)).toBe(r.bundles);
  });

  it("counts the upsets that rate × bits × holding time predict (Poisson, 5 sigma)", async () => {
    // nothing checks: no resends, so each region is held from imaging to its first send
    const days = 6;
    const r = await runCampaign({ ...TINY, days, checks: "none" });
    const s = loadScenario("test-tiny");
    const orbit = new Orbit(s, new Rng(1));
    const tt = timetable(s, orbit, days, s.sim.imageBytes.value, s.sim.downlinkBitsPerSecond.value);
    const regionBits = Math.ceil((s.sim.imageBytes.value + PATH_ASSUMPTIONS.headerRoom.value) / 8) * 64;
    let expected = 0;
    let expectedExposure = 0;
    for (const b of tt.bundles) {
      expected += orbit.expectedPerBit(b.imagedAt, b.sendStart) * regionBits;
      expectedExposure += orbit.expectedPerBit(b.imagedAt, b.signedAt) * regionBits;
    }
    expect(expected).toBeGreaterThan(100);
    expect(Math.abs(r.upsets.total - expected)).toBeLessThan(5 * Math.sqrt(expected));
    expect(Math.abs(r.upsets.exposure - expectedExposure)).toBeLessThan(5 * Math.sqrt(expectedExposure) + 3);
    expect(r.upsetBins.reduce((a, b) => a + b, 0)).toBe(r.upsets.total);
  });

  it("a satellite that checks before downlink catches recorder damage there: no downlink wasted, the bundle dropped", async () => {
    // on board (every check allowed) and at the ground station, against the ground station alone
    const r = await runCampaign({ ...TINY, days: 2, onboardCpuPercent: 100 });
    const ground = await runCampaign({ ...TINY, days: 2, checks: "relays" });
    for (let i = 1; i < r.suites.length; i++) {
      const s = r.suites[i]!;
      expect(s.detectedAt["satellite"]).toBeGreaterThan(0);
      // the satellite sends the bytes it checked and nothing damages them after: the ground sees no corruption
      expect(s.detectedAt["ground-station"]).toBe(0);
      expect(s.wastedDownlinkBytes).toBe(0);
      expect(s.resends).toBe(0);
      // dropped, not resent: a resend would carry the recorder's damage again
      expect(s.recovered).toBe(0);
      expect(s.lost).toBe(s.outcomes[1]);
      const g = ground.suites[i]!;
      expect(g.detectedAt["satellite"]).toBe(0);
      expect(g.wastedDownlinkBytes).toBeGreaterThan(0);
      // recorder damage comes back with every resend: nothing is recovered intact (a
      // bundle delivered after a discard still carries it, when a later hit took its
      // PIB's ciphersuite octet out of the check: missed)
      expect(g.recovered).toBeLessThanOrEqual(g.outcomes[2]!);
      expect(g.resends).toBeGreaterThan(0);
    }
    expect(r.config.onboardCpuPercent).toBe(100);
    expect(r.onboardChecks.checked).toBe(r.bundles);
  });

  it("with the processor share at 0 % no check runs on board: the suites cost their signing only", async () => {
    const r = await runCampaign({ ...TINY, days: 2, onboardCpuPercent: 0 });
    expect(r.onboardChecks).toEqual({ checked: 0, skipped: r.bundles, delaySeconds: 0, passesMissed: 0 });
    for (let i = 1; i < r.suites.length; i++) {
      const s = r.suites[i]!;
      expect(s.detectedAt["satellite"]).toBe(0);
      expect(s.detectedAt["ground-station"]).toBe(s.outcomes[1]);
      expect(s.bytesDigested).toBe(r.bundleBytes); // one signing pass over each bundle, no check
    }
  });

  it("a check takes the board's processor time: it can make a bundle miss its pass, and the share limits how many run", async () => {
    const all = await runCampaign({ ...TINY, days: 2, onboardCpuPercent: 100 });
    // test-tiny: hundreds of seconds of a 200 MHz processor per flight-size bundle with three suites
    expect(all.config.onboardCheckSeconds).toBeGreaterThan(100);
    expect(all.onboardChecks.checked).toBe(all.bundles);
    expect(all.onboardChecks.passesMissed).toBeGreaterThan(0);
    expect(all.onboardChecks.delaySeconds).toBeGreaterThan(0);
    // a share of 60 % of what signing alone needs (one day's share is saved up at the
    // start): signing runs for every bundle (never skipped, it waits), some checks, not all
    const sign = all.config.onboardSignSeconds!;
    expect(sign).toBeGreaterThan(0);
    const need = (all.bundles * sign) / (2 * 86400);
    const pct = Math.round(100 * need * 0.6 * 100) / 100;
    const some = await runCampaign({ ...TINY, days: 2, onboardCpuPercent: pct });
    expect(some.onboardSigning!.signed).toBe(some.bundles);
    expect(some.onboardChecks.checked).toBeGreaterThan(0);
    expect(some.onboardChecks.skipped).toBeGreaterThan(0);
    const used = some.onboardChecks.checked * some.config.onboardCheckSeconds + some.bundles * sign;
    expect(used).toBeLessThanOrEqual((pct / 100) * (some.horizonSeconds + 86400) + sign + 1e-6); // the share over the run, plus one day's saved share (one signing, when longer)
    // the timetable: a checked bundle is read when its check starts and sent after it ends
    const s = loadScenario("test-tiny");
    const seconds = all.config.onboardCheckSeconds;
    const tt = timetable(s, new Orbit(s, new Rng(7).fork("orbit")), 2, s.sim.imageBytes.value, s.sim.downlinkBitsPerSecond.value, { seconds, utilisation: 1 });
    for (const b of tt.bundles) {
      expect(b.checked).toBe(true);
      expect(b.readAt).toBeGreaterThanOrEqual(b.signedAt);
      expect(b.sendStart).toBeGreaterThanOrEqual(b.readAt + seconds - 1e-6);
    }
  });

  it("signing takes the board's processor time within the share: a tiny share delays bundles to later passes", async () => {
    const dflt = await runCampaign({ ...TINY, days: 2 });
    const sign = dflt.config.onboardSignSeconds!;
    // in place, one pass per suite, each digesting its own PIB alone: every suite once,
    // the work of checking the bundle (not HMAC-SHA1 three times and MD5 twice)
    const costs = loadCosts(repoRoot(), "ssr-200mhz");
    const c = (id: number): number => cyclesFor(costs, id, 200_000_000, 1);
    expect(sign).toBeCloseTo((c(4) + c(5) + c(6)) / 200e6, 2);
    expect(sign).toBeCloseTo(dflt.config.onboardCheckSeconds, 2);
    expect(dflt.onboardSigning).toEqual({ signed: dflt.bundles, cpuSeconds: dflt.bundles * Math.round(sign), delaySeconds: dflt.onboardSigning!.delaySeconds, passesMissed: dflt.onboardSigning!.passesMissed });
    expect(summaryText(dflt)).toMatch(new RegExp(`on-board signing: ${dflt.bundles} bundles, ${(dflt.bundles * Math.round(sign)).toLocaleString("en-US")} CPU s`));
    // a share far below what signing needs: every bundle waits for it, most past their pass
    const tiny = await runCampaign({ ...TINY, days: 2, onboardCpuPercent: 0.5 });
    expect(tiny.onboardSigning!.signed).toBe(tiny.bundles);
    expect(tiny.onboardSigning!.passesMissed).toBeGreaterThan(dflt.onboardSigning!.passesMissed);
    expect(tiny.onboardSigning!.delaySeconds).toBeGreaterThan(dflt.onboardSigning!.delaySeconds + 86400);
    // the timetable: no bundle is read for its check, or sent, before its signing ends,
    // and the processor never signs two bundles at once
    const s = loadScenario("test-tiny");
    const tt = timetable(s, new Orbit(s, new Rng(7).fork("orbit")), 2, s.sim.imageBytes.value, s.sim.downlinkBitsPerSecond.value, { seconds: 100, utilisation: 0.005, signSeconds: sign });
    let prevEnd = 0;
    for (const b of tt.bundles) {
      expect(b.signedAt).toBeGreaterThanOrEqual(b.imagedAt + s.imaging.exposureSeconds.value);
      expect(b.signEnd).toBeGreaterThanOrEqual(b.signedAt + sign - 1e-6);
      expect(b.signedAt).toBeGreaterThanOrEqual(prevEnd - 1e-6);
      expect(b.readAt).toBeGreaterThanOrEqual(b.signEnd - 1e-6);
      expect(b.sendStart).toBeGreaterThanOrEqual(b.signEnd - 1e-6);
      prevEnd = b.signEnd;
    }
  });

  it("a ground check's time comes before the resend it asks for", () => {
    const s = loadScenario("test-tiny");
    const orbit = new Orbit(s, new Rng(7).fork("orbit"));
    const tt = timetable(s, orbit, 1, s.sim.imageBytes.value, s.sim.downlinkBitsPerSecond.value, { seconds: 0, utilisation: 0, groundSeconds: 5000 });
    const b = tt.bundles[0]!;
    const r = resendAfter(tt, b.sendEnd, 100)!;
    const free = resendAfter({ ...tt, onboard: { ...tt.onboard, groundSeconds: 0 } }, b.sendEnd, 100)!;
    expect(r.start).toBeGreaterThanOrEqual(b.sendEnd + 5000);
    expect(r.start).toBeGreaterThanOrEqual(free.start);
    expect(groundCheckSeconds([4, 5, 6], 200_000_000)).toBeCloseTo(200e6 / 593e6 + 200e6 / 502e6 + 200e6 / 1209e6, 6);
  });

  it("damage on the link is cured by a resend; only a check after the link sees it", async () => {
    // no upsets in the recorder, residual bit errors on the downlink
    const sc = JSON.parse(readFileSync(join(scenarioDir(), "test-tiny.json"), "utf8")) as Scenario;
    sc.name = "test-link";
    sc.radiation.seuPerBitDay = { value: 0, unit: "upset events / bit / day", assumed: "test: no recorder upsets" };
    sc.link = { residualBitErrorRate: { value: 2e-5, unit: "errors / bit", assumed: "test: a noisy link" } };
    const file = join(mkdtempSync(join(tmpdir(), "pibkit-scn-")), "test-link.json");
    writeFileSync(file, JSON.stringify(sc));
    const relays = await runCampaign({ ...TINY, scenario: file, days: 2, checks: "relays" });
    const onboard = await runCampaign({ ...TINY, scenario: file, days: 2, checks: "onboard", onboardCpuPercent: 100 });
    expect(relays.upsets.total).toBe(0);
    expect(relays.suites[0]!.outcomes[2]).toBeGreaterThan(0); // the baseline delivers link damage
    for (let i = 1; i < relays.suites.length; i++) {
      const g = relays.suites[i]!;
      expect(g.detectedAt["ground-station"]).toBeGreaterThan(0);
      // a fresh copy from the recorder: every detected bundle is recovered unless it was hit again
      expect(g.recovered).toBeGreaterThan(0);
      expect(g.resends).toBeGreaterThanOrEqual(g.recovered);
      expect(g.outcomes[2]).toBe(0);
      // checked on board only: the satellite's copy is clean, the damage happens after
      const o = onboard.suites[i]!;
      expect(o.detectedAt["satellite"]).toBe(0);
      expect(o.outcomes[2]).toBe(onboard.suites[0]!.outcomes[2]);
    }
    // stat mode hands such bundles to the exact path and agrees
    const stat = await runCampaign({ ...TINY, scenario: file, days: 2, checks: "relays", mode: "stat" });
    expect(JSON.stringify(stat.suites)).toBe(JSON.stringify(relays.suites));
  });
});
