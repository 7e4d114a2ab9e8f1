/**
 * Scenarios: checked-in JSON files `sim/scenarios/<name>.json` describing a mission —
 * radiation environment, orbit, downlink, imaging load, recorder and EDAC.
 *
 * Every figure is `{ value, unit, source }` (a published source, cited where the
 * number is) or `{ value, unit, assumed }` (why we chose it without a source). The
 * loader refuses a figure with neither, so an uncited number cannot slip in; reports
 * print the `assumed` label next to every assumed figure (see `assumptions()`).
 *
 * Scale: the flight figures (image size, recorder size, downlink rate) are kept as
 * provenance under `flight`; the simulator runs at `sim` sizes, which are the flight
 * sizes divided by `sim.scale` so that engine mode (the firmware in QuickJS) stays fast.
 * Downlink rate is scaled by the same factor so pass timing keeps its proportions.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../targets/build/root.mjs";

/** A number with its unit and its provenance: exactly one of `source` / `assumed`. */
export interface Figure {
  value: number;
  unit: string;
  source?: string;
  assumed?: string;
}

/** A distribution of multi-bit-upset cluster widths (adjacent bits flipped by one event). */
export interface ClusterDistribution {
  widths: number[];      // bits flipped by one multi-bit event, each >= 2
  weights: number[];     // relative frequency of each width
  unit: string;
  source?: string;
  assumed?: string;
}

/** A solar particle event: the rate is multiplied by `factor` during [start, start + duration). */
export interface SolarEvent {
  startHours: Figure;
  durationHours: Figure;
  factor: Figure;
}

export interface Scenario {
  name: string;
  description: string;
  radiation: {
    /** orbit-averaged upset events per bit per day (one multi-bit event counts once) */
    seuPerBitDay: Figure;
    /** fraction of all upsets that happen inside the South Atlantic Anomaly, 0..1 */
    saaShare: Figure;
    /** SAA crossings per day and how long each lasts */
    saaPassesPerDay: Figure;
    saaPassMinutes: Figure;
    /** fraction of upset events that flip more than one adjacent bit, 0..1 */
    mbuFraction: Figure;
    mbuClusters: ClusterDistribution;
    solarEvents: SolarEvent[];
    /** permanently stuck bits per GiB of recorder (0 = none) */
    stuckBitsPerGiB: Figure;
  };
  orbit: {
    periodMinutes: Figure;
    altitudeKm: Figure;
  };
  ground: {
    passesPerDay: Figure;
    passMinutes: Figure;
    /** passes come in this many groups of consecutive orbits per day (station geometry) */
    passGroupsPerDay: Figure;
  };
  imaging: {
    imagingPassesPerDay: Figure;
    imagesPerPass: Figure;
    /**
     * seconds between the image reaching processor memory and its PIB being computed:
     * upsets in this window are signed as if correct (no checksum can see them)
     */
    exposureSeconds: Figure;
  };
  /** what the real mission had; kept as provenance, used by fast mode at scale 1 */
  flight: {
    imageBytes: Figure;
    recorderBytes: Figure;
    downlinkBitsPerSecond: Figure;
  };
  /** what the simulator runs by default: flight sizes / scale */
  sim: {
    scale: Figure;
    imageBytes: Figure;
    recorderBytes: Figure;
    downlinkBitsPerSecond: Figure;
    days: Figure;
  };
  /**
   * Optional: damage after the recorder — bit errors per bit that reach the bundle layer
   * on the downlink (past the convergence layer's own checks) and in the ground hops
   * before the checking one. Fresh for every transmission, so a resend cures it. Absent: 0.
   */
  link?: {
    residualBitErrorRate: Figure;
  };
  edac: {
    enabled: boolean;
    dataBits: Figure;
    checkBits: Figure;
    /** seconds between scrubs of the whole memory; 0 = no scrub (correct only on read) */
    scrubSeconds: Figure;
  };
}

/** Folder holding the scenario files, sim/scenarios of the repository (whatever the working directory). */
export function scenarioDir(): string {
  return join(repoRoot(), "sim", "scenarios");
}

export function scenarioNames(): string[] {
  return readdirSync(scenarioDir()).filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -5)).sort();
}

export const DEFAULT_SCENARIO = "leo-ssr-2008";

/** Loads and validates `sim/scenarios/<name>.json`, or a path to a JSON file; throws a clear Error. */
export function loadScenario(name: string): Scenario {
  let path: string;
  if (name.endsWith(".json")) path = name;
  else {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`bad scenario name "${name}"`);
    path = join(scenarioDir(), name + ".json");
  }
  let text: string;
  try { text = readFileSync(path, "utf8"); } catch {
    let known = "";
    try { known = scenarioNames().join(", "); } catch { /* no folder */ }
    throw new Error(`unknown scenario "${name}"${known ? ` (known: ${known})` : ""}`);
  }
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (e) {
    throw new Error(`scenario ${path}: not JSON (${(e as Error).message})`);
  }
  return validateScenario(raw, path);
}

/** Checks shape, ranges and provenance of every figure; returns the same object typed. */
export function validateScenario(raw: unknown, where: string): Scenario {
  const fail = (msg: string): never => { throw new Error(`scenario ${where}: ${msg}`); };
  const obj = (v: unknown, path: string): Record<string, unknown> => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) fail(`${path} must be an object`);
    return v as Record<string, unknown>;
  };
  const provenance = (f: Record<string, unknown>, path: string): void => {
    const hasSource = typeof f["source"] === "string" && (f["source"] as string).length > 0;
    const hasAssumed = typeof f["assumed"] === "string" && (f["assumed"] as string).length > 0;
    if (hasSource === hasAssumed) fail(`${path} needs exactly one of "source" or "assumed"`);
    if (typeof f["unit"] !== "string") fail(`${path}.unit must be a string`);
  };
  const fig = (parent: Record<string, unknown>, key: string, path: string,
    min: number, max: number, integer = false): void => {
    const f = obj(parent[key], `${path}.${key}`);
    provenance(f, `${path}.${key}`);
    const v = f["value"];
    if (typeof v !== "number" || !Number.isFinite(v)) fail(`${path}.${key}.value must be a number`);
    const n = v as number;
    if (n < min || n > max) fail(`${path}.${key}.value ${n} outside [${min}, ${max}]`);
    if (integer && !Number.isInteger(n)) fail(`${path}.${key}.value ${n} must be an integer`);
  };
  const s = obj(raw, "scenario");
  if (typeof s["name"] !== "string") fail("name must be a string");
  if (typeof s["description"] !== "string") fail("description must be a string");

  const r = obj(s["radiation"], "radiation");
  fig(r, "seuPerBitDay", "radiation", 0, 1);
  fig(r, "saaShare", "radiation", 0, 1);
  fig(r, "saaPassesPerDay", "radiation", 0, 100);
  fig(r, "saaPassMinutes", "radiation", 0, 120);
  fig(r, "mbuFraction", "radiation", 0, 1);
  fig(r, "stuckBitsPerGiB", "radiation", 0, 1e6);
  const c = obj(r["mbuClusters"], "radiation.mbuClusters");
  provenance(c, "radiation.mbuClusters");
  const widths = c["widths"], weights = c["weights"];
  if (!Array.isArray(widths) || !Array.isArray(weights) || widths.length !== weights.length ||
      widths.length === 0) fail("radiation.mbuClusters needs widths and weights of equal, non-zero length");
  for (const w of widths as unknown[]) {
    if (typeof w !== "number" || !Number.isInteger(w) || w < 2 || w > 64) fail("mbuClusters widths must be integers in [2, 64]");
  }
  let total = 0;
  for (const w of weights as unknown[]) {
    if (typeof w !== "number" || !(w >= 0)) fail("mbuClusters weights must be numbers >= 0");
    total += w as number;
  }
  if (!(total > 0)) fail("mbuClusters weights must not all be zero");
  if (!Array.isArray(r["solarEvents"])) fail("radiation.solarEvents must be an array");
  (r["solarEvents"] as unknown[]).forEach((e, i) => {
    const ev = obj(e, `radiation.solarEvents[${i}]`);
    fig(ev, "startHours", `radiation.solarEvents[${i}]`, 0, 1e6);
    fig(ev, "durationHours", `radiation.solarEvents[${i}]`, 0, 1e6);
    fig(ev, "factor", `radiation.solarEvents[${i}]`, 0, 1e6);
  });

  const o = obj(s["orbit"], "orbit");
  fig(o, "periodMinutes", "orbit", 80, 2000);
  fig(o, "altitudeKm", "orbit", 100, 40000);
  const g = obj(s["ground"], "ground");
  fig(g, "passesPerDay", "ground", 0, 100, true);
  fig(g, "passMinutes", "ground", 0, 60);
  fig(g, "passGroupsPerDay", "ground", 1, 100, true);
  const im = obj(s["imaging"], "imaging");
  fig(im, "imagingPassesPerDay", "imaging", 0, 100, true);
  fig(im, "imagesPerPass", "imaging", 0, 1000, true);
  fig(im, "exposureSeconds", "imaging", 0, 86400);
  const fl = obj(s["flight"], "flight");
  fig(fl, "imageBytes", "flight", 1, 2 ** 40);
  fig(fl, "recorderBytes", "flight", 1, 2 ** 44);
  fig(fl, "downlinkBitsPerSecond", "flight", 1, 1e12);
  const sm = obj(s["sim"], "sim");
  fig(sm, "scale", "sim", 1, 1e9);
  fig(sm, "imageBytes", "sim", 1, 2 ** 34, true);
  fig(sm, "recorderBytes", "sim", 8, 2 ** 34, true);
  fig(sm, "downlinkBitsPerSecond", "sim", 1, 1e12);
  fig(sm, "days", "sim", 0, 3650);
  if (s["link"] !== undefined) fig(obj(s["link"], "link"), "residualBitErrorRate", "link", 0, 0.01);
  const ed = obj(s["edac"], "edac");
  if (typeof ed["enabled"] !== "boolean") fail("edac.enabled must be true or false");
  fig(ed, "dataBits", "edac", 8, 64, true);
  fig(ed, "checkBits", "edac", 2, 16, true);
  fig(ed, "scrubSeconds", "edac", 0, 1e7);

  const scen = s as unknown as Scenario;
  if (scen.sim.imageBytes.value > scen.sim.recorderBytes.value) fail("sim.imageBytes larger than sim.recorderBytes");
  if (scen.edac.dataBits.value % 8 !== 0) fail("edac.dataBits must be a whole number of bytes");
  // SEC-DED needs k distinct odd-weight (>= 3) columns besides the r unit columns: 2^(r-1) - r >= k
  if ((1 << (scen.edac.checkBits.value - 1)) - scen.edac.checkBits.value < scen.edac.dataBits.value) {
    fail(`edac: ${scen.edac.checkBits.value} check bits cannot do SEC-DED over ${scen.edac.dataBits.value} data bits`);
  }
  const saaTime = scen.radiation.saaPassesPerDay.value * scen.radiation.saaPassMinutes.value * 60;
  if (saaTime >= 86400) fail("SAA passes cover the whole day");
  if (scen.radiation.saaShare.value > 0 && saaTime === 0) fail("saaShare > 0 but no SAA time");
  const period = scen.orbit.periodMinutes.value * 60;
  if (scen.ground.passMinutes.value * 60 >= period) fail("a ground pass is longer than an orbit");
  return scen;
}

/** Every figure of a scenario with its path, value, unit and provenance — for reports. */
export function figures(s: Scenario): Array<{ path: string; value: number | string; unit: string; source?: string; assumed?: string }> {
  const out: Array<{ path: string; value: number | string; unit: string; source?: string; assumed?: string }> = [];
  const walk = (v: unknown, path: string): void => {
    if (typeof v !== "object" || v === null) return;
    const o = v as Record<string, unknown>;
    if (typeof o["unit"] === "string" && ("source" in o || "assumed" in o)) {
      const value = "value" in o ? o["value"] as number
        : `${JSON.stringify(o["widths"])} weights ${JSON.stringify(o["weights"])}`;
      const row: { path: string; value: number | string; unit: string; source?: string; assumed?: string } =
        { path, value, unit: o["unit"] as string };
      if (typeof o["source"] === "string") row.source = o["source"];
      if (typeof o["assumed"] === "string") row.assumed = o["assumed"];
      out.push(row);
      return;
    }
    for (const k of Object.keys(o)) walk(o[k], path ? `${path}.${k}` : k);
  };
  walk(s, "");
  return out;
}

/** Only the assumed figures: what a report must label as assumptions. */
export function assumptions(s: Scenario): Array<{ path: string; value: number | string; unit: string; assumed: string }> {
  return figures(s).filter((f) => f.assumed !== undefined)
    .map((f) => ({ path: f.path, value: f.value, unit: f.unit, assumed: f.assumed! }));
}
