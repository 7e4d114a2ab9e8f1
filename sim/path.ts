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
 * - The satellite checks a bundle's PIBs before it sends it (draft-irtf-dtnrg-bundle-
 *   checksum-02 §1: "verified before the bundle is sent to the next hop"), when
 *   checks are on board: the check takes the processor `OnboardChecks.seconds` (the
 *   cycles of all the bundle's PIBs at flight size, at the board's clock), timed to end
 *   when the link can take the bundle, but never before the bundle is signed nor while
 *   the processor is checking the bundle before it. A check that cannot end in time
 *   makes the bundle miss that moment, possibly its pass: checking takes simulated time.
 *   The check reads the recorder once and the transmission sends the bytes it checked.
 * - §5's switch: checking "could be dynamically disabled at some threshold of CPU use".
 *   Here the threshold is a share of the processor's time (`utilisation`): a check runs
 *   only if the checks' time stays within that share, with at most one day's share saved
 *   up (a token bucket); otherwise the bundle is sent unchecked. 0 never checks.
 * - A resend after a discard (custody transfer, RFC 5050 §5.10) is checked on board
 *   when checks run there (from the discard, when the processor is free; resends are not
 *   held to the share) and booked on the downlink from the end of that check: it goes
 *   ahead of bundles booked after it and takes their capacity, making way only for
 *   transmissions booked before it. Which transmissions are discarded is known before
 *   the bundle's exact simulation from its error pattern (booking.ts), so every shard
 *   books the same queue.
 */
import { DAY, type Orbit } from "./orbit.js";
import type { Scenario } from "./scenario.js";

/** What the hops do with one transmission of a bundle. */
export type Fate = "deliver" | "resend" | "drop";

/** One bundle's answers, transmission by transmission, in time order. */
export interface BundleFates {
  /** The fate of transmission number `index` (0 = first) with the times `tx`. */
  transmission(tx: Transmission, index: number): Fate;
}

/** Gives each bundle's fates; the timetable below calls it (booking.ts makes one) in imaging order. */
export type FatePredictor = (slot: BundleSlot) => BundleFates;

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
  /**
   * The device reads the image and starts computing its PIBs (the exposure window ends):
   * the exposure window's end, or later when the processor is busy or the share's credit
   * is spent (signing takes the processor's time too).
   */
  signedAt: number;
  /** The PIBs are written: the bundle can be checked and sent from here. */
  signEnd: number;
  /** How much later the first transmission could start than with instant signing (s). */
  signDelay: number;
  /** Signing moved the first transmission to a later pass than instant signing would. */
  signPassMissed: boolean;
  /**
   * The recorder copy of the first transmission is read: the on-board check's start
   * when the bundle is checked, else sendStart.
   */
  readAt: number;
  /** The satellite checks the first transmission (checks on board, within the CPU share). */
  checked: boolean;
  /** First transmission over the downlink. */
  sendStart: number;
  sendEnd: number;
  /** How much later the first transmission starts than it would without the check (s). */
  checkDelay: number;
  /** The check moved the first transmission to a later pass. */
  passMissed: boolean;
  /**
   * Resends booked for this bundle (booking.ts), in order; a transmission past these
   * (its exact verdicts differ from the booking's) is timed by resendAfter.
   */
  resends: Transmission[];
  payloadBytes: number;
}

/** One transmission's times: the recorder read (and the check, if any), then the link. */
export interface Transmission {
  readAt: number;
  checked: boolean;
  start: number;
  end: number;
}

/**
 * The satellite's on-board checks as the timetable books them (see the file comment).
 * Exported for whatever sweeps over it: `seconds` is a property of the board and the
 * suites, `utilisation` the operator's switch.
 */
export interface OnboardChecks {
  /** Processor seconds to check one bundle's PIBs (all of them, at flight size). */
  seconds: number;
  /** Share of the processor's time checks may take, 0 … 1; 0 = checks never run on board. */
  utilisation: number;
  /**
   * Processor seconds to sign one bundle (every PIB, at flight size); 0 or absent: signing
   * takes no time. Signing is never skipped: within a share (utilisation > 0) it waits
   * for the share's credit, then takes the processor; with none it takes it at once.
   */
  signSeconds?: number;
  /**
   * Seconds from the last octet at the checking ground hop to its verdict (the ground
   * check's time; absent: 0). A discard's resend is booked from the verdict.
   */
  groundSeconds?: number;
}

/** No check on board. */
export const NO_ONBOARD_CHECKS: OnboardChecks = { seconds: 0, utilisation: 0 };

export interface Timetable {
  bundles: BundleSlot[];
  /** Downlink windows from 0 to `horizon`. */
  passes: Array<[number, number]>;
  saa: Array<[number, number]>;
  /** Time by which every first transmission has ended (rounded up to a whole day). */
  horizon: number;
  downlinkBytesPerSecond: number;
  /** The on-board checks the timetable booked (resends follow the same rule). */
  onboard: OnboardChecks;
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

/**
 * A resend of `bytes` after a discard at `after` that the timetable did not book (the
 * exact verdicts asked for more transmissions than the error pattern): checked on board
 * at once when checks run there, sent from the first pass time after the check, on an
 * empty link. Null when the passes run out.
 */
export function resendAfter(tt: Timetable, after: number, bytes: number): Transmission | null {
  after += tt.onboard.groundSeconds ?? 0;
  const checked = tt.onboard.utilisation > 0;
  const tx = transmit(tt.passes, checked ? after + tt.onboard.seconds : after, bytes, tt.downlinkBytesPerSecond);
  return tx ? { readAt: after, checked, start: tx[0], end: tx[1] } : null;
}

/** The token bucket of §5's switch: checks may take `utilisation` of the time, one day's worth saved up at most. */
class CpuShare {
  private credit: number;
  private at = 0;
  constructor(private readonly utilisation: number) {
    this.credit = utilisation * DAY;
  }
  /** Whether a check of `seconds` starting at `t` keeps within the share; if so it is charged. */
  take(t: number, seconds: number): boolean {
    if (this.utilisation <= 0) return false;
    if (this.utilisation >= 1) return true;
    this.credit = Math.min(this.utilisation * DAY, this.credit + this.utilisation * Math.max(0, t - this.at));
    this.at = Math.max(this.at, t);
    if (this.credit < seconds) return false;
    this.credit -= seconds;
    return true;
  }
  /**
   * When a job of `seconds` that may start at `t` and must run (signing) can start
   * within the share: at once if the credit covers it, else when it will have (the
   * saved-up limit then stretched to the job); charged. With no share (0) or the whole
   * processor, at once and uncharged.
   */
  wait(t: number, seconds: number): number {
    if (this.utilisation <= 0 || this.utilisation >= 1) return t;
    const cap = Math.max(this.utilisation * DAY, seconds);
    this.credit = Math.min(cap, this.credit + this.utilisation * Math.max(0, t - this.at));
    this.at = Math.max(this.at, t);
    let start = t;
    if (this.credit < seconds) {
      start = this.at + (seconds - this.credit) / this.utilisation;
      this.credit = seconds;
      this.at = start;
    }
    this.credit -= seconds;
    return start;
  }
}

/** Index of the last pass starting at or before t (passes sorted). */
function passIndex(passes: ReadonlyArray<[number, number]>, t: number): number {
  let lo = 0;
  let hi = passes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (passes[mid]![0] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Days of passes generated beyond the campaign so every bundle (and a resend) finds one. */
const SPARE_DAYS = 3;

/**
 * Free time of one resource (the downlink during passes, or the satellite's
 * processor), handed out first-fit; a booking may be split across free intervals
 * (a bundle spans passes; a check is interrupted by one booked before it).
 */
class Calendar {
  private free: Array<[number, number]>;
  constructor(free: Array<[number, number]>) {
    this.free = free.map((f) => [f[0], f[1]]);
  }

  /** Appends free intervals later than every one held. */
  add(more: ReadonlyArray<[number, number]>): void {
    for (const m of more) if (m[1] > m[0]) this.free.push([m[0], m[1]]);
  }

  /** Forgets free time that ends before t (nothing is booked before it any more). */
  prune(t: number): void {
    let k = 0;
    while (k < this.free.length && this.free[k]![1] <= t) k++;
    if (k > 0) this.free.splice(0, k);
  }

  private first(earliest: number): number {
    let lo = 0;
    let hi = this.free.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.free[mid]![1] <= earliest) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Where `seconds` of free time from `earliest` would go: [start, end], or null when the free time runs out. */
  find(earliest: number, seconds: number): [number, number] | null {
    let left = seconds;
    let start = -1;
    for (let i = this.first(earliest); i < this.free.length; i++) {
      const f = this.free[i]!;
      const a = Math.max(f[0], earliest);
      if (start < 0) start = a;
      if (f[1] - a >= left) return [start, a + left];
      left -= f[1] - a;
    }
    return null;
  }

  /** Books what find() returns: that time is no longer free. */
  book(earliest: number, seconds: number): [number, number] | null {
    const at = this.find(earliest, seconds);
    if (at === null) return null;
    // only the intervals the booking touches are replaced (long campaigns hold years of passes)
    const i0 = this.first(earliest);
    const kept: Array<[number, number]> = [];
    let left = seconds;
    let i = i0;
    for (; i < this.free.length && left > 0; i++) {
      const f = this.free[i]!;
      const a = Math.max(f[0], earliest);
      const take = Math.min(f[1] - a, left);
      if (a > f[0]) kept.push([f[0], a]);
      if (a + take < f[1]) kept.push([a + take, f[1]]);
      left -= take;
    }
    this.free.splice(i0, i - i0, ...kept);
    return at;
  }
}

/**
 * The campaign's timetable: `days` days of imaging at the scenario's simulated sizes
 * (`payloadBytes` per image), the satellite's checks booked on its processor and every
 * transmission on the downlink. With `fates` (booking.ts) a discarded transmission
 * books its resend where it happens, so resends take capacity from the bundles queued
 * behind them; without, only first transmissions are booked (resendAfter then gives
 * the others, on an empty link).
 */
export function timetable(s: Scenario, orbit: Orbit, days: number, payloadBytes: number, downlinkBitsPerSecond: number, onboard: OnboardChecks = NO_ONBOARD_CHECKS, fates?: FatePredictor): Timetable {
  const rate = downlinkBitsPerSecond / 8;
  const sessions = s.imaging.imagingPassesPerDay.value;
  const perSession = s.imaging.imagesPerPass.value;
  const exposure = s.imaging.exposureSeconds.value;
  const wholeDays = Math.ceil(days);
  let passEnd = (wholeDays + SPARE_DAYS) * DAY;
  const passes = orbit.passes(0, passEnd);
  const link = new Calendar(passes);
  const cpu = new Calendar([[0, Infinity]]);
  /** Books on the link, adding days of passes while the queue outgrows them. */
  const send = (earliest: number, dry: boolean): [number, number] => {
    for (;;) {
      const tx = dry ? link.find(earliest, seconds) : link.book(earliest, seconds);
      if (tx !== null) return tx;
      const more = orbit.passes(passEnd, passEnd + SPARE_DAYS * DAY);
      passEnd += SPARE_DAYS * DAY;
      passes.push(...more);
      link.add(more);
    }
  };
  const bundles: BundleSlot[] = [];
  let queueFree = 0; // first transmissions go in imaging order: the last one ends here
  let lastEnd = 0;
  const share = new CpuShare(onboard.utilisation);
  const d = onboard.seconds;
  const sign = onboard.signSeconds ?? 0;
  const ground = onboard.groundSeconds ?? 0;
  const seconds = payloadBytes / rate;
  const imagingGap = seconds;
  for (let day = 0; day < wholeDays; day++) {
    for (let k = 0; k < sessions; k++) {
      const sessionStart = day * DAY + ((k + 0.5) / sessions) * DAY;
      for (let i = 0; i < perSession; i++) {
        const imagedAt = sessionStart + i * imagingGap;
        if (imagedAt >= days * DAY) continue; // fractional last day
        const ready = imagedAt + exposure;
        link.prune(ready);
        cpu.prune(ready);
        // signing: within the share's credit, on the processor's free time (a check booked before it may split it)
        const signing = sign > 0 ? cpu.book(share.wait(ready, sign), sign)! : ([ready, ready] as [number, number]);
        const signedAt = signing[0];
        const signEnd = signing[1];
        const instant = sign > 0 ? send(Math.max(ready, queueFree), true) : null;
        const unchecked = send(Math.max(signEnd, queueFree), true);
        // the check ends when the link could take the bundle, if the processor allows
        const want = Math.max(signEnd, unchecked[0] - d);
        const check = d > 0 ? cpu.find(want, d)! : ([want, want] as [number, number]);
        const checked = share.take(check[0], d);
        let tx: [number, number];
        if (checked) {
          if (d > 0) cpu.book(want, d);
          tx = send(Math.max(check[1], queueFree), false);
        } else tx = send(Math.max(signEnd, queueFree), false);
        queueFree = tx[1];
        const slot: BundleSlot = {
          index: bundles.length,
          day,
          imagedAt,
          signedAt,
          signEnd,
          signDelay: instant ? unchecked[0] - instant[0] : 0,
          signPassMissed: instant ? passIndex(passes, unchecked[0]) > passIndex(passes, instant[0]) : false,
          readAt: checked ? check[0] : tx[0],
          checked,
          sendStart: tx[0],
          sendEnd: tx[1],
          checkDelay: tx[0] - unchecked[0],
          passMissed: passIndex(passes, tx[0]) > passIndex(passes, unchecked[0]),
          payloadBytes,
          resends: [],
        };
        lastEnd = Math.max(lastEnd, tx[1]);
        if (fates) {
          // custody resends where the bundle's fates say, each read (and checked) at the discard
          const f = fates(slot);
          let t: Transmission = { readAt: slot.readAt, checked, start: tx[0], end: tx[1] };
          for (let a = 0; f.transmission(t, a) === "resend"; a++) {
            const again = onboard.utilisation > 0;
            const verdictAt = t.end + ground;
            const c = again && d > 0 ? cpu.book(verdictAt, d)! : ([verdictAt, verdictAt] as [number, number]);
            const r = send(c[1], false);
            t = { readAt: again ? c[0] : r[0], checked: again, start: r[0], end: r[1] };
            slot.resends.push(t);
            lastEnd = Math.max(lastEnd, r[1]);
          }
        }
        bundles.push(slot);
      }
    }
  }
  const horizon = Math.max(wholeDays * DAY, Math.ceil(lastEnd / DAY) * DAY);
  return {
    bundles,
    passes: passes.filter((p) => p[0] < horizon + SPARE_DAYS * DAY),
    saa: orbit.saaIntervals(0, horizon),
    horizon,
    downlinkBytesPerSecond: rate,
    onboard,
  };
}

/**
 * Path figures no source gives; shown as assumptions in every report.
 * Flight-size byte budgets are divided by the scenario's scale at sim size.
 */
export const PATH_ASSUMPTIONS = {
  onboardCpuPercent: {
    value: 25,
    why: "the share of the satellite processor's time its PIB checks may take (draft §5's CPU threshold): the rest is the imager's, the recorder's and the bundle agent's; above it a bundle goes down unchecked and is checked on the ground",
  },
  maxTransmissions: {
    value: 3,
    why: "custody retransmissions: the first transmission and two resends, then the bundle is given up",
  },
  resendTiming: {
    value: "booked on the downlink queue",
    why: "a resend is checked on board from the discard (if checks run there, when the processor is free, outside the CPU share) and booked on the downlink after that, ahead of the bundles booked after it; the queue is booked from each bundle's error pattern (any differing bit discards), so a check that misses (CRC-32C syndrome 0, a field outside the canonical form) keeps the booking it did not use",
  },
  onboardDiscard: {
    value: "drop",
    why: "a copy that fails the satellite's own check is damaged in the recorder, so every resend would carry the same damage; the image is not re-taken (a new acquisition is a tasking decision above the bundle layer), so the bundle is dropped there, without using the downlink",
  },
  headerRoom: { value: 1024, why: "octets reserved beside the payload for primary block and PIBs" },
};
