/**
 * The orbit as the simulator sees it: an upset rate that changes along the orbit, and
 * the windows when the ground station can be reached.
 *
 * Rate model (piecewise constant, so it integrates exactly):
 * - The scenario gives the *orbit-averaged* rate r (upset events / bit / day, which is
 *   what flight reports such as Alsat-1's publish) and the share s of upsets that fall
 *   inside the South Atlantic Anomaly. With a fraction f of the day spent in the SAA,
 *   the rate is r·s/f inside and r·(1−s)/(1−f) outside, so the daily mean stays r and the
 *   share inside is s — the two published quantities are preserved, nothing else is
 *   invented.
 * - A solar particle event multiplies the rate by its factor for its duration
 *   (everywhere; real SPE protons reach mostly high latitudes — a documented
 *   simplification, see docs/radiation.md).
 *
 * Geometry (assumed, see docs/radiation.md): a sun-synchronous orbit is ~14.6 orbits a
 * day; a station (and the SAA) is seen on runs of consecutive orbits twice a day,
 * around the morning and evening node crossings. Windows repeat with a one-day period
 * (the slow drift of the ground track over days is not modelled).
 */
import type { Rng } from "./rng.js";
import type { Scenario } from "./scenario.js";

export const DAY = 86400;

/** A piece of time with a constant upset rate (events / bit / s). */
export interface RateSegment { t0: number; t1: number; rate: number; inSaa: boolean }

/** Where in the day each group of windows starts (as a fraction of the day); assumed. */
const SAA_GROUP_PHASE = 0.30;
const PASS_GROUP_PHASE = 0.10;

/**
 * One day's windows, [start, end) in seconds from the day's start, in `groups` runs of
 * consecutive orbits, `count` windows in all, each `duration` long, one per orbit.
 */
function dailyWindows(count: number, groups: number, duration: number, period: number,
  phase: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let g = 0; g < groups; g++) {
    // spread the count over the groups as evenly as possible
    const n = Math.floor(count / groups) + (g < count % groups ? 1 : 0);
    const start = (phase + g / groups) * DAY;
    for (let k = 0; k < n; k++) {
      const a = start + k * period;
      out.push([a, a + duration]);
    }
  }
  out.sort((x, y) => x[0] - y[0]);
  return out;
}

/** Windows of a daily pattern overlapping [t0, t1), clipped to it. */
function windowsIn(daily: ReadonlyArray<[number, number]>, t0: number, t1: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (!(t1 > t0)) return out;
  // windows of day d-1 may spill into day d: start one day early
  const firstDay = Math.floor(t0 / DAY) - 1;
  const lastDay = Math.floor(t1 / DAY);
  for (let d = firstDay; d <= lastDay; d++) {
    for (const w of daily) {
      const a = d * DAY + w[0], b = d * DAY + w[1];
      if (b > t0 && a < t1) out.push([Math.max(a, t0), Math.min(b, t1)]);
    }
  }
  out.sort((x, y) => x[0] - y[0]);
  return out;
}

export class Orbit {
  readonly periodSeconds: number;
  /** orbit-averaged rate, events / bit / s */
  readonly meanRate: number;
  readonly rateInSaa: number;
  readonly rateOutsideSaa: number;
  private readonly saaDaily: Array<[number, number]>;
  private readonly passDaily: Array<[number, number]>;
  private readonly solar: Array<{ t0: number; t1: number; factor: number }>;

  /** `rng` is accepted for future jitter of pass times; the current geometry is deterministic. */
  constructor(s: Scenario, _rng?: Rng) {
    const r = s.radiation;
    this.periodSeconds = s.orbit.periodMinutes.value * 60;
    this.meanRate = r.seuPerBitDay.value / DAY;
    const saaPasses = r.saaPassesPerDay.value;
    const saaDur = r.saaPassMinutes.value * 60;
    const orbitsPerDay = DAY / this.periodSeconds;
    if (saaPasses > orbitsPerDay) throw new Error(`orbit: ${saaPasses} SAA passes a day but only ${orbitsPerDay.toFixed(1)} orbits`);
    if (s.ground.passesPerDay.value > orbitsPerDay) throw new Error("orbit: more ground passes than orbits a day");
    this.saaDaily = saaPasses > 0 && saaDur > 0 ? dailyWindows(saaPasses, 2, saaDur, this.periodSeconds, SAA_GROUP_PHASE) : [];
    const f = this.saaDaily.length * saaDur / DAY;
    const share = f > 0 ? r.saaShare.value : 0;
    this.rateInSaa = f > 0 ? this.meanRate * share / f : 0;
    this.rateOutsideSaa = this.meanRate * (1 - share) / (1 - f);
    this.passDaily = dailyWindows(s.ground.passesPerDay.value, s.ground.passGroupsPerDay.value,
      s.ground.passMinutes.value * 60, this.periodSeconds, PASS_GROUP_PHASE);
    this.solar = r.solarEvents.map((e) => ({
      t0: e.startHours.value * 3600,
      t1: (e.startHours.value + e.durationHours.value) * 3600,
      factor: e.factor.value,
    }));
  }

  /** Solar-event multiplier at t (product of the events covering t). */
  private solarFactor(t: number): number {
    let m = 1;
    for (const e of this.solar) if (t >= e.t0 && t < e.t1) m *= e.factor;
    return m;
  }

  /** True when t is inside an SAA crossing. */
  inSaa(t: number): boolean {
    return windowsIn(this.saaDaily, t, t + 1e-9).length > 0;
  }

  /** Upset events / bit / s at time t (seconds from the start of the run). */
  rateAt(t: number): number {
    return (this.inSaa(t) ? this.rateInSaa : this.rateOutsideSaa) * this.solarFactor(t);
  }

  /** SAA crossings overlapping [t0, t1), clipped to it. */
  saaIntervals(t0: number, t1: number): Array<[number, number]> {
    return windowsIn(this.saaDaily, t0, t1);
  }

  /** Ground-station downlink windows overlapping [t0, t1), clipped to it. */
  passes(t0: number, t1: number): Array<[number, number]> {
    return windowsIn(this.passDaily, t0, t1);
  }

  /** [t0, t1) cut where the rate changes; each piece has one constant rate. */
  segments(t0: number, t1: number): RateSegment[] {
    if (!(t1 > t0)) return [];
    const cuts: number[] = [t0, t1];
    for (const w of this.saaIntervals(t0, t1)) cuts.push(w[0], w[1]);
    for (const e of this.solar) {
      if (e.t0 > t0 && e.t0 < t1) cuts.push(e.t0);
      if (e.t1 > t0 && e.t1 < t1) cuts.push(e.t1);
    }
    cuts.sort((a, b) => a - b);
    const out: RateSegment[] = [];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const a = cuts[i]!, b = cuts[i + 1]!;
      if (b <= a) continue;
      const mid = (a + b) / 2;
      const saa = this.inSaa(mid);
      out.push({ t0: a, t1: b, rate: (saa ? this.rateInSaa : this.rateOutsideSaa) * this.solarFactor(mid), inSaa: saa });
    }
    return out;
  }

  /** ∫ rate dt over [t0, t1): expected upset events per bit in that time. */
  expectedPerBit(t0: number, t1: number): number {
    let sum = 0;
    for (const sg of this.segments(t0, t1)) sum += sg.rate * (sg.t1 - sg.t0);
    return sum;
  }
}
