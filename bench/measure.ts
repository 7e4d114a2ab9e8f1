/**
 * Throughput: MB/s (10^6 octets per second) as the median of several timed rounds,
 * for anything that can run a batch of n calls — a loop on Node or a loop inside a
 * QuickJS VM. On Node each implementation gets its own copy of the timing loop
 * (built with `new Function`), so V8 sees one monomorphic call site per contender
 * instead of one megamorphic loop shared by all — otherwise the per-call cost at 64 B
 * would measure the harness, not the library.
 */
import type { Impl } from "./impls.js";

export interface RoundOptions {
  /** Timed rounds; the median is reported. */
  rounds: number;
  /** Target length of one round in milliseconds (at least one call per round). */
  roundMs: number;
  /** Untimed calls first, for this long, so V8 has tiered the code up before timing. */
  warmupMs: number;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Milliseconds of CPU time this process has used (user + system). Rounds are timed
 * in CPU time, not wall time: on a shared machine (CI, other jobs) the process is
 * descheduled for long stretches, which inflates wall time but not CPU time. On an
 * idle machine the two agree for these single-threaded loops; V8's background
 * compiler and GC threads count too, which only makes a figure more conservative.
 */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Something to time: n calls over `bytes` octets each; `check` throws on a wrong last result. */
export interface Contender {
  batch: (n: number) => unknown;
  bytes: number;
  check: (r: unknown) => void;
}

export interface Measured {
  mbps: number;
  nsPerCall: number;
}

/** Calls per round so that one round of `c` lasts about `roundMs`, after the warm-up. */
function calibrate(c: Contender, opts: RoundOptions): number {
  const w0 = cpuMs();
  do c.check(c.batch(1));
  while (cpuMs() - w0 < opts.warmupMs);
  let n = 1;
  let ms = 0;
  for (;;) {
    const t0 = cpuMs();
    c.check(c.batch(n));
    ms = cpuMs() - t0;
    if (ms >= opts.roundMs / 4 || n >= 1 << 24) break;
    n *= 2;
  }
  return Math.max(1, Math.round((n * opts.roundMs) / Math.max(ms, 1e-3)));
}

/**
 * Median MB/s of each contender, with their rounds interleaved (A B C A B C …), so
 * figures that are compared with each other (verify vs the raw digest) share the
 * same machine load, JIT state and heap. A benchmark of a wrong answer is worthless:
 * every round's last result is checked.
 */
export function measureInterleaved(cs: Contender[], opts: RoundOptions): Measured[] {
  const perRound = cs.map((c) => calibrate(c, opts));
  const times: number[][] = cs.map(() => []);
  for (let r = 0; r < opts.rounds; r++) {
    cs.forEach((c, k) => {
      const t0 = cpuMs();
      const res = c.batch(perRound[k]!);
      times[k]!.push((cpuMs() - t0) / perRound[k]!);
      c.check(res);
    });
  }
  return cs.map((c, k) => {
    const msPerCall = median(times[k]!);
    return { mbps: c.bytes / (msPerCall / 1000) / 1e6, nsPerCall: msPerCall * 1e6 };
  });
}

/** Median MB/s (and ns per call) of one batch function; see measureInterleaved. */
export function measureBatches(batch: (n: number) => unknown, bytes: number, check: (r: unknown) => void, opts: RoundOptions): Measured {
  return measureInterleaved([{ batch, bytes, check }], opts)[0]!;
}

type Loop = (run: (d: Uint8Array) => unknown, data: Uint8Array, n: number) => unknown;

/** `impl` on Node over `data` as a Contender, checked against `expected`, with a timing loop of its own. */
export function contender(impl: Impl, data: Uint8Array, expected: string): Contender {
  const loop = new Function("run", "data", "n", "var r; for (var i = 0; i < n; i++) r = run(data); return r;") as Loop;
  const check = (r: unknown): void => {
    const got = impl.hex(r);
    if (got !== expected) throw new Error(`${impl.impl} ${impl.alg} on ${data.length} B gave ${got}, expected ${expected}`);
  };
  return { batch: (n) => loop(impl.run, data, n), bytes: data.length, check };
}

/** Median MB/s (and ns per call) of `impl` on Node over `data`, each round's output checked against `expected`. */
export function measure(impl: Impl, data: Uint8Array, expected: string, opts: RoundOptions): Measured {
  return measureInterleaved([contender(impl, data, expected)], opts)[0]!;
}
