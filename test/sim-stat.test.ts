/**
 * The statistical mode: verdicts from each bundle's error pattern (CRC-32C by its
 * syndrome) give the same counts as the modes that run the firmware on the bytes, and
 * the syndrome rule is the firmware's own verdict, including on the rare error CRC-32C
 * cannot see. Placements of the checks, in every mode.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCampaign, type CampaignOptions } from "../sim/campaign.js";
import { DEFAULT_STACK_BYTES, firmwarePath, makeDevice, wholeBundle, type Checked } from "../sim/device.js";
import { mergeResults, type SimResult } from "../sim/result.js";
import { Rng } from "../sim/rng.js";
import { scenarioDir, type Scenario } from "../sim/scenario.js";
import { crc32cSyndromes, headerHitTotals } from "../sim/statistical.js";
import { bitSyndromes } from "../sim/syndrome.js";
import { Crc32c } from "../src/core/crc32c.js";
import { Gf2Basis } from "./support/gf2.js";

const TINY: CampaignOptions = { scenario: "test-tiny", board: "ssr-200mhz", suites: [4, 5, 6], days: 2, seed: 7, mode: "stat" };

/**
 * Everything the firmware's verdicts decide (the fingerprint of its bytes aside: stat
 * mode computes no bytes; and the RAM figure: stat mode's is the firmware witness's
 * measurement, fast mode's the agent's buffers).
 */
function counts(r: SimResult): string {
  return JSON.stringify({ suites: r.suites, bundles: r.bundles, upsets: r.upsets, bins: r.upsetBins, exp: r.exposureBins, corrupted: r.corruptedBundles, bytes: r.bundleBytes, down: r.downlinkedBytes, oom: r.oomEvents, timing: [r.onboardChecks, r.onboardSigning] });
}

/** test-tiny changed by `edit`, written as scenario `name`: its file. */
function tinyVariant(name: string, edit: (sc: Scenario) => void): string {
  const sc = JSON.parse(readFileSync(join(scenarioDir(), "test-tiny.json"), "utf8")) as Scenario;
  sc.name = name;
  edit(sc);
  const file = join(mkdtempSync(join(tmpdir(), "pibkit-scn-")), `${name}.json`);
  writeFileSync(file, JSON.stringify(sc));
  return file;
}

/** Stat mode against fast mode on `scenario` for every placement × seed (equal counts asserted); bundles handed to the exact path, of all. */
async function statAgainstFast(scenario: string, placements: ReadonlyArray<CampaignOptions["checks"]>, seeds: number[]): Promise<{ exact: number; bundles: number }> {
  let exact = 0, bundles = 0;
  for (const checks of placements) {
    for (const seed of seeds) {
      const o = { ...TINY, scenario, seed, checks };
      const fast = await runCampaign({ ...o, mode: "fast" });
      const stat = await runCampaign(o);
      expect(counts(stat), `${checks} ${seed}`).toBe(counts(fast));
      exact += stat.exactBundles!;
      bundles += stat.bundles;
    }
  }
  return { exact, bundles };
}

beforeAll(() => {
  if (!existsSync(firmwarePath())) execFileSync("node", ["targets/build/build.mjs"], { stdio: "ignore" });
});

describe("statistical mode = the modes that run the firmware", () => {
  it("same counts as fast mode on shared seeds, scenarios with and without EDAC, header hits included", async () => {
    const before = headerHitTotals.decided;
    for (const seed of [1, 2, 3, 7, 11]) {
      const fast = await runCampaign({ ...TINY, seed, mode: "fast" });
      const stat = await runCampaign({ ...TINY, seed });
      expect(counts(stat), `seed ${seed}`).toBe(counts(fast));
      // header hits decided from the header alone (sim/headerHit.ts), none handed to the exact path
      expect(stat.exactBundles, `seed ${seed}`).toBe(0);
    }
    expect(headerHitTotals.decided - before).toBeGreaterThan(5);
    for (const scenario of ["leo-ssr-2008-edac", "solar-storm"]) {
      const fast = await runCampaign({ ...TINY, scenario, seed: 4, mode: "fast" });
      const stat = await runCampaign({ ...TINY, scenario, seed: 4 });
      expect(counts(stat), scenario).toBe(counts(fast));
      expect(stat.exactBundles).toBe(0);
    }
  }, 120_000);

  it("link errors on top of recorder damage: the same counts as fast mode, in every placement", async () => {
    const file = tinyVariant("test-stat-link", (sc) => {
      sc.link = { residualBitErrorRate: { value: 2e-5, unit: "errors / bit", assumed: "test: a noisy link" } };
    });
    const { exact, bundles } = await statAgainstFast(file, [undefined, "onboard", "relays"], [1, 2]);
    // decided from the patterns, not handed over wholesale
    expect(exact).toBeLessThan(bundles / 4);
  }, 120_000);

  it("a rate that hits headers often (small images, ten times the upsets): the same counts as fast mode, every copy decided without the bytes or handed over", async () => {
    const file = tinyVariant("test-stat-headers", (sc) => {
      sc.radiation.seuPerBitDay.value *= 10;
      sc.sim.imageBytes.value = 600;
      sc.link = { residualBitErrorRate: { value: 1e-4, unit: "errors / bit", assumed: "test: a noisy link" } };
    });
    const before = headerHitTotals.decided;
    const { exact, bundles } = await statAgainstFast(file, [undefined, "relays"], [1, 2, 3, 4]);
    const decided = headerHitTotals.decided - before;
    console.log(`header-hit copies decided from the header: ${decided}; bundles handed to the exact path: ${exact} of ${bundles}`, JSON.stringify(headerHitTotals.undecided));
    expect(decided).toBeGreaterThan(100);
    expect(exact).toBeLessThan(bundles / 8);
  }, 300_000);

  it("stuck cells, with and without EDAC: the same counts as fast mode, handing over only a stuck cell under the header", async () => {
    for (const edac of [false, true]) {
      const file = tinyVariant(`test-stat-stuck${edac ? "-edac" : ""}`, (sc) => {
        sc.radiation.stuckBitsPerGiB.value = 2 ** 30 / 4096;   // ~1 per 4 KiB: two in an 8,000-octet image
        sc.edac.enabled = edac;
      });
      const { exact, bundles } = await statAgainstFast(file, [undefined, "relays"], [1, 2]);
      console.log(`stuck cells${edac ? ", EDAC" : ""}: ${exact} of ${bundles} bundles handed to the exact path`);
      expect(exact).toBeLessThan(bundles / 4);
    }
  }, 120_000);

  it("same counts as engine mode (the built firmware in QuickJS)", async () => {
    const engine = await runCampaign({ ...TINY, days: 1, mode: "engine" });
    const stat = await runCampaign({ ...TINY, days: 1 });
    expect(counts(stat)).toBe(counts(engine));
    expect(stat.deviceDigest).toBe(0); // no firmware output computed, so no fingerprint of it
  }, 120_000);

  it("N shards merged equal one run", async () => {
    const whole = await runCampaign({ ...TINY, days: 3 });
    const parts: SimResult[] = [];
    for (let i = 0; i < 3; i++) parts.push(await runCampaign({ ...TINY, days: 3, shard: { index: i, count: 3 } }));
    const merged = mergeResults(parts.reverse());
    expect(JSON.stringify({ ...merged, shardCount: 1, shards: [0] })).toBe(JSON.stringify(whole));
  });

  it("out of memory by the fast mode's rule, without touching a byte", async () => {
    const o = { ...TINY, scenario: "leo-ssr-2008", days: 0.5, board: "espruino-puckjs" };
    const stat = await runCampaign(o);
    const fast = await runCampaign({ ...o, mode: "fast" });
    expect(stat.oomEvents.length).toBe(stat.bundles);
    expect(counts(stat)).toBe(counts(fast));
  });
});

/** A signed bundle from the simulator's own device (fast mode's agent on src/), one PIB of each suite kind given. */
async function signedBundle(kinds: number[], payload: Uint8Array): Promise<{ bundle: Uint8Array; verify: (b: Uint8Array) => Checked }> {
  const d = await makeDevice("fast", 1 << 30, DEFAULT_STACK_BYTES);
  expect(d.setup(payload.length + 1024, kinds)).toBeNull();
  const s = d.sign(payload, 3, 1000);
  if (!s.ok) throw new Error(s.error);
  const bundle = wholeBundle(s, payload);
  return { bundle, verify: (b) => d.verify(b, -1) as Checked };
}

/** Bit positions among [start, start + 33) whose syndromes XOR to 0 (33 vectors in a 32-dimensional space always have such a set). */
function zeroSyndromeSet(syn: (p: number) => number, start: number): number[] {
  const basis = new Gf2Basis();
  for (let p = start; p < start + 33; p++) {
    const set = basis.add(p, syn(p));
    if (set) return set;
  }
  throw new Error("33 vectors in 32 dimensions are dependent");
}

describe("CRC-32C verdicts from syndromes", () => {
  const syn = crc32cSyndromes();

  it("single-bit syndromes at any distance agree with the table built byte by byte", () => {
    const c = new Crc32c();
    const n = 300;
    const table = bitSyndromes((m) => {
      c.reset();
      c.update(m, 0, m.length);
      return c.value() >>> 0;
    }, n);
    for (let p = 0; p < n * 8; p++) expect(syn.at(n - 1 - (p >> 3), p & 7)).toBe(table[p]);
  });

  it("the firmware's CRC-32C PIB passes exactly the payload errors whose syndrome is 0; MD5 and HMAC fail on both", async () => {
    const len = 100_000;
    const payload = new Uint8Array(len);
    const rng = new Rng(5);
    for (let i = 0; i < len; i++) payload[i] = rng.u32() & 0xff;
    const { bundle, verify } = await signedBundle([1, 2, 3], payload);
    const header = bundle.length - len;
    const verdictOf = (c: Checked, kind: number): number => c.verdicts.find((v) => v >> 4 === kind)! & 15;
    const hit = (bits: number[]): Checked => {
      const b = bundle.slice();
      for (const p of bits) b[header + (p >> 3)]! ^= 1 << (p & 7);
      return verify(b);
    };
    expect(verify(bundle.slice()).verdicts.map((v) => v & 15)).toEqual([0, 0, 0]);
    const at = (p: number): number => syn.at(len - 1 - (p >> 3), p & 7);
    // an error CRC-32C cannot see, anywhere in the payload (including at its very start and end)
    for (const start of [0, 12_345, len * 8 - 33]) {
      const invisible = zeroSyndromeSet(at, start);
      expect(invisible.length).toBeGreaterThan(2);
      expect(syn.ofError(invisible, len)).toBe(0);
      const c = hit(invisible);
      expect(verdictOf(c, 3), `start ${start}`).toBe(0); // Ok: missed, as the syndrome says
      expect(verdictOf(c, 2)).toBe(1); // Mismatch
      expect(verdictOf(c, 1)).toBe(1);
      // one bit fewer and the syndrome is not 0: caught
      const visible = invisible.slice(1);
      expect(syn.ofError(visible, len)).not.toBe(0);
      expect(verdictOf(hit(visible), 3)).toBe(1);
    }
    // random errors: the verdict is "mismatch" exactly when the syndrome is not 0
    for (let k = 0; k < 40; k++) {
      const bits = [...new Set(Array.from({ length: 1 + (k % 5) }, () => rng.below(len * 8)))].sort((a, b) => a - b);
      expect(verdictOf(hit(bits), 3) === 1).toBe(syn.ofError(bits, len) !== 0);
    }
  });
});

describe("where the checks run (--checks)", () => {
  it("none, on board, at the relays, at the destination: the same detections in different places, in stat and fast mode", async () => {
    const by: Record<string, SimResult> = {};
    for (const checks of ["none", "onboard", "relays", "ground"] as const) {
      const stat = await runCampaign({ ...TINY, checks });
      const fast = await runCampaign({ ...TINY, checks, mode: "fast" });
      expect(counts(stat), checks).toBe(counts(fast));
      expect(stat.config.checks).toBe(checks);
      by[checks] = stat;
    }
    const base = by["none"]!.suites[0]!;
    expect(base.outcomes[2]).toBeGreaterThan(0); // the seed has corrupted bundles
    for (let i = 1; i < 4; i++) {
      // nothing checks: every suite is the baseline
      expect(by["none"]!.suites[i]!.outcomes).toEqual(base.outcomes);
      expect(by["none"]!.suites[i]!.wastedDownlinkBytes).toBe(0);
      const on = by["onboard"]!.suites[i]!;
      expect(on.detectedAt["satellite"]).toBe(on.outcomes[1]);
      expect(on.outcomes[1]).toBeGreaterThan(0);
      expect(on.wastedDownlinkBytes).toBe(0);
      const relays = by["relays"]!.suites[i]!;
      const ground = by["ground"]!.suites[i]!;
      expect(relays.detectedAt["ground-station"]).toBe(relays.outcomes[1]);
      expect(ground.detectedAt["destination"]).toBe(ground.outcomes[1]);
      expect(ground.outcomes).toEqual(relays.outcomes);
      expect(ground.wastedDownlinkBytes).toBeGreaterThan(0);
      // checks on the ground cost the board nothing beyond signing
      expect(ground.cycles).toBeLessThan(on.cycles);
    }
  }, 120_000);
});

describe("the exact firmware beside a stat run (sim/witness.ts)", () => {
  it("signs a stand-in with the run's SDNV lengths in QuickJS under the board's RAM: the Node build's header octet for octet, its RAM measured", async () => {
    const r = await runCampaign(TINY);
    const w = r.firmwareWitness!;
    expect(w.failure).toBeNull();
    expect(w.firmware).toBe("dist/boards/ssr-200mhz/pibkit-pib-path+stream+writer.js");
    expect(w.sameHeader).toBe(true);
    expect(w.headerBytes).toBeGreaterThan(100);
    // measured by the engine: more than the agent's buffers (fast mode's figure), within the
    // board; and it is the run's RAM figure, the quantity the limit counts
    const fast = await runCampaign({ ...TINY, mode: "fast", days: 0.5 });
    expect(w.ramHighWaterBytes).toBeGreaterThan(fast.ramHighWaterBytes);
    expect(w.ramHighWaterBytes).toBeLessThan(w.ramLimitBytes);
    expect(r.ramHighWaterBytes).toBe(w.ramHighWaterBytes);
    expect(w.outOfMemoryIn).toBeNull();
    // the same in every shard, and kept by a merge
    const a = await runCampaign({ ...TINY, shard: { index: 0, count: 2 } });
    const b = await runCampaign({ ...TINY, shard: { index: 1, count: 2 } });
    expect(mergeResults([a, b]).firmwareWitness).toEqual(w);
    // fast and engine runs have none
    expect(fast.firmwareWitness).toBeUndefined();
  });
  it("a firmware out of the board's RAM makes every bundle out of memory, as in engine mode, though the agent's buffers fit", async () => {
    // 64 KiB: test-tiny's buffers fit (fast mode runs), the firmware does not load in QuickJS
    const o = { ...TINY, days: 0.5, ramBytes: 64 * 1024 };
    const fast = await runCampaign({ ...o, mode: "fast" });
    expect(fast.oomEvents).toEqual([]);
    const stat = await runCampaign(o);
    const engine = await runCampaign({ ...o, mode: "engine" });
    expect(stat.bundles).toBeGreaterThan(0);
    expect(engine.oomEvents.length).toBe(engine.bundles);
    expect(counts(stat)).toBe(counts(engine));
    expect(stat.firmwareWitness!.outOfMemoryIn).toBe(engine.oomEvents[0]!.operation);
    // both measure the bytes the limit counts, and stop past it
    for (const r of [stat, engine]) expect(r.ramHighWaterBytes).toBeGreaterThan(r.config.ramLimitBytes);
    // nothing signed or checked on board: no processor time booked
    expect(stat.onboardSigning?.signed ?? 0).toBe(0);
    expect(stat.onboardChecks.checked + stat.onboardChecks.skipped).toBe(0);
  }, 120_000);
  it("says when the headers differ (the control: the Node build's header for the suite kinds in another order), and when the firmware cannot sign", async () => {
    const { firmwareWitness } = await import("../sim/witness.js");
    const other = [3, 2, 1];
    const fw = firmwarePath({ name: "ssr-200mhz", primitives: "speed" });
    const w = await firmwareWitness(fw, 64 << 20, DEFAULT_STACK_BYTES, 1 << 20, [1, 2, 3], 1 << 20, 3, 1000, other);
    expect(w.failure).toBeNull();
    expect(w.sameHeader).toBe(false);
    const oom = await firmwareWitness(fw, 4096, DEFAULT_STACK_BYTES, 1 << 20, [1, 2, 3], 1 << 20, 3, 1000, other);
    expect(oom.failure).toMatch(/out of memory/);
  });
});
