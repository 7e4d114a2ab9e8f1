/**
 * The DTN path of the draft's mission, as a timetable: when each image is taken, when
 * its PIBs are computed, and when each transmission of it over the downlink starts
 * and ends. No randomness here — the timetable is a pure function of the scenario, so
 * every shard computes the same one and a bundle's fate does not depend on which
 * shard simulates it.
 *
 *   satellite (source, custodian) --downlink--> ground station --> relay --> destination
 *
 * - Imaging sessions are spread evenly over each day; images of one session follow
 *   each other by the time the downlink would need to send one (the recorder is filled
 *   at the imager's pace, not the radio's — an assumption, labelled in the report).
 * - The downlink is a pipe open only during ground passes: bundles go in the order
 *   they were signed (FIFO), a bundle may span passes (the bundle layer resumes it;
 *   RFC 5050 §5.8 reactive fragmentation is not modelled).
 * - A resend after a discard (custody transfer, RFC 5050 §5.10) starts at the next
 *   pass after the discard, ahead of the queue, and is assumed not to delay the
 *   bundles behind it (labelled).
 */
import { DAY, type Orbit } from "./orbit.js";
import type { Scenario } from "./scenario.js";

/** The hops that check PIBs, in path order. "satellite" checks before it transmits. */
export const HOPS = ["satellite", "ground-station", "relay", "destination"] as const;
export type Hop = (typeof HOPS)[number];

/** One bundle's timetable entry (seconds from the start of the campaign). */
export interface BundleSlot {
  /** Campaign-wide bundle number, in imaging order. */
  index: number;
  day: number;
  /** The image lands in memory. */
  imagedAt: number;
  /** Its PIBs are computed (end of the exposure window). */
  signedAt: number;
  /** First transmission over the downlink. */
  sendStart: number;
  sendEnd: number;
  payloadBytes: number;
}

export interface Timetable {
  bundles: BundleSlot[];
  /** Downlink windows from 0 to `horizon`. */
  passes: Array<[number, number]>;
  saa: Array<[number, number]>;
  /** Time by which every first transmission has ended (rounded up to a whole day). */
  horizon: number;
  downlinkBytesPerSecond: number;
}

/**
 * When a transmission of `bytes` that may start at `earliest` ends, sending only
 * inside `passes` (sorted, disjoint). Returns [start, end]; start is the first
 * instant a byte goes out. Returns null when the passes run out first.
 */
export function transmit(passes: ReadonlyArray<[number, number]>, earliest: number, bytes: number, bytesPerSecond: number): [number, number] | null {
  let left = bytes / bytesPerSecond; // seconds of pass time still needed
  let start = -1;
  for (const p of passes) {
    if (p[1] <= earliest) continue;
    const a = Math.max(p[0], earliest);
    if (start < 0) start = a;
    const avail = p[1] - a;
    if (avail >= left) return [start, a + left];
    left -= avail;
  }
  return null;
}

/** Days of passes generated beyond the campaign so every bundle (and a resend) finds one. */
const SPARE_DAYS = 3;

/**
 * The campaign's timetable: `days` days of imaging at the scenario's simulated sizes
 * (`payloadBytes` per image unless overridden).
 */
export function timetable(s: Scenario, orbit: Orbit, days: number, payloadBytes: number, downlinkBitsPerSecond: number): Timetable {
  const rate = downlinkBitsPerSecond / 8;
  const sessions = s.imaging.imagingPassesPerDay.value;
  const perSession = s.imaging.imagesPerPass.value;
  const exposure = s.imaging.exposureSeconds.value;
  const wholeDays = Math.ceil(days);
  let passEnd = (wholeDays + SPARE_DAYS) * DAY;
  let passes = orbit.passes(0, passEnd);
  const bundles: BundleSlot[] = [];
  let queueFree = 0; // the downlink pipe is busy until this time
  const imagingGap = payloadBytes / rate;
  for (let d = 0; d < wholeDays; d++) {
    for (let k = 0; k < sessions; k++) {
      const sessionStart = d * DAY + ((k + 0.5) / sessions) * DAY;
      for (let i = 0; i < perSession; i++) {
        const imagedAt = sessionStart + i * imagingGap;
        if (imagedAt >= days * DAY) continue; // fractional last day
        const signedAt = imagedAt + exposure;
        let tx = transmit(passes, Math.max(signedAt, queueFree), payloadBytes, rate);
        while (tx === null) {
          // the queue outgrew the passes generated so far: add more days of passes
          passEnd += SPARE_DAYS * DAY;
          passes = orbit.passes(0, passEnd);
          tx = transmit(passes, Math.max(signedAt, queueFree), payloadBytes, rate);
        }
        queueFree = tx[1];
        bundles.push({ index: bundles.length, day: d, imagedAt, signedAt, sendStart: tx[0], sendEnd: tx[1], payloadBytes });
      }
    }
  }
  const horizon = Math.max(wholeDays * DAY, Math.ceil(queueFree / DAY) * DAY);
  return {
    bundles,
    passes: passes.filter((p) => p[0] < horizon + SPARE_DAYS * DAY),
    saa: orbit.saaIntervals(0, horizon),
    horizon,
    downlinkBytesPerSecond: rate,
  };
}

/**
 * Path figures no source gives; shown as assumptions in every report.
 * Flight-size byte budgets are divided by the scenario's scale at sim size.
 */
export const PATH_ASSUMPTIONS = {
  onboardBudgetFlightBytes: {
    value: 16 * 1024 * 1024,
    why: "the satellite's relay check budget per bundle (one tick per bundle): at ~2,000 cycles/octet for three suites a 200 MHz processor checks ~100 kB/s, so ~16 MiB is minutes of CPU; bigger bundles are forwarded unchecked (SkippedBudget) and checked on the ground",
  },
  maxTransmissions: {
    value: 3,
    why: "custody retransmissions: the first transmission and two resends, then the bundle is given up",
  },
  resendTiming: {
    value: "next pass",
    why: "a resend starts at the next pass after the discard, ahead of the queue, without delaying other bundles",
  },
  headerRoom: { value: 1024, why: "octets reserved beside the payload for primary block and PIBs" },
};
