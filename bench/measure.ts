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
 * Median MB/s of `batch(n)` (n calls over `bytes` octets each). `check` sees the
 * last result of every batch and throws when it is wrong: a benchmark of a wrong
 * answer is worthless. Also returns the median time of one call in nanoseconds.
 */
export function measureBatches(
  batch: (n: number) => unknown,
  bytes: number,
  check: (r: unknown) => void,
  opts: RoundOptions,
): { mbps: number; nsPerCall: number } {
  // Warm up, then calibrate: double the call count until a batch takes a quarter round.
  const w0 = performance.now();
  do check(batch(1));
  while (performance.now() - w0 < opts.warmupMs);
  let n = 1;
  let ms = 0;
  for (;;) {
    const t0 = performance.now();
    check(batch(n));
    ms = performance.now() - t0;
    if (ms >= opts.roundMs / 4 || n >= 1 << 24) break;
    n *= 2;
  }
  const perRound = Math.max(1, Math.round((n * opts.roundMs) / Math.max(ms, 1e-3)));
  const times: number[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    const t0 = performance.now();
    const res = batch(perRound);
    times.push((performance.now() - t0) / perRound);
    check(res);
  }
  const msPerCall = median(times);
  return { mbps: bytes / (msPerCall / 1000) / 1e6, nsPerCall: msPerCall * 1e6 };
}

type Loop = (run: (d: Uint8Array) => unknown, data: Uint8Array, n: number) => unknown;

/** Median MB/s (and ns per call) of `impl` on Node over `data`, each round's output checked against `expected`. */
export function measure(impl: Impl, data: Uint8Array, expected: string, opts: RoundOptions): { mbps: number; nsPerCall: number } {
  const loop = new Function("run", "data", "n", "var r; for (var i = 0; i < n; i++) r = run(data); return r;") as Loop;
  const check = (r: unknown): void => {
    const got = impl.hex(r);
    if (got !== expected) throw new Error(`${impl.impl} ${impl.alg} on ${data.length} B gave ${got}, expected ${expected}`);
  };
  return measureBatches((n) => loop(impl.run, data, n), data.length, check, opts);
}
