/**
 * Confidence intervals for the rates a campaign sweep reports (95 % unless told):
 * - a proportion k of n (bundles detected, lost): Wilson's score interval (Wilson,
 *   JASA 1927), which stays inside [0, 1] and behaves at k = 0 and k = n;
 * - a count k of events in an exposure (corrupted bundles delivered per terabyte):
 *   Garwood's exact Poisson interval (Biometrika 1936) from chi-square quantiles,
 *   [χ²(α/2; 2k)/2, χ²(1−α/2; 2k+2)/2], divided by the exposure;
 * - a mean over independent replicates (seeds) of a figure that is not a count (CPU
 *   seconds per day, downlink bytes per day): Student's t interval.
 * Pure functions of integers and floats; no randomness, so reports stay reproducible.
 */

export interface Interval {
  value: number;
  low: number;
  high: number;
}

/** Standard normal quantile for two-sided 95 %. */
const Z95 = 1.959963984540054;

/** Wilson score interval for k successes in n trials (n = 0: the whole [0, 1]). */
export function wilson(k: number, n: number, z = Z95): Interval {
  if (n <= 0) return { value: NaN, low: 0, high: 1 };
  const p = k / n;
  const z2 = z * z;
  const den = 1 + z2 / n;
  const mid = (p + z2 / (2 * n)) / den;
  const half = (z / den) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { value: p, low: k === 0 ? 0 : Math.max(0, mid - half), high: k === n ? 1 : Math.min(1, mid + half) };
}

/** ln Γ(x), x > 0 (Lanczos, g = 7, 9 terms: ~15 significant digits). */
function lnGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61503916999185, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularized lower incomplete gamma P(a, x) (series below a + 1, continued fraction above; Numerical Recipes §6.2). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const lg = lnGamma(a);
  if (x < a + 1) {
    let sum = 1 / a, term = sum;
    for (let n = 1; n < 10000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return sum * Math.exp(-x + a * Math.log(x) - lg);
  }
  // Lentz's continued fraction for Q(a, x)
  const tiny = 1e-300;
  let b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return 1 - Math.exp(-x + a * Math.log(x) - lg) * h;
}

/** Quantile of the chi-square distribution with `dof` degrees of freedom (bisection on P(dof/2, x/2)). */
export function chiSquareQuantile(p: number, dof: number): number {
  if (dof <= 0 || p <= 0) return 0;
  let lo = 0, hi = Math.max(1, dof);
  while (gammaP(dof / 2, hi / 2) < p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (gammaP(dof / 2, mid / 2) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Garwood's exact interval for a Poisson count k, as a rate per unit of `exposure` (exposure 0: no rate). */
export function garwood(k: number, exposure = 1, alpha = 0.05): Interval {
  if (!(exposure > 0)) return { value: NaN, low: 0, high: Infinity };
  const low = k === 0 ? 0 : chiSquareQuantile(alpha / 2, 2 * k) / 2;
  const high = chiSquareQuantile(1 - alpha / 2, 2 * k + 2) / 2;
  return { value: k / exposure, low: low / exposure, high: high / exposure };
}

/** Two-sided 95 % Student t quantiles for 1 … 30 degrees of freedom; above, the normal's. */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** Mean of replicates with a 95 % t interval (one replicate: the value alone, no spread known). */
export function meanInterval(xs: readonly number[]): Interval {
  const n = xs.length;
  if (n === 0) return { value: NaN, low: NaN, high: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n === 1) return { value: mean, low: mean, high: mean };
  const v = xs.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (n - 1);
  const half = (n - 1 <= T95.length ? T95[n - 2]! : Z95) * Math.sqrt(v / n);
  return { value: mean, low: mean - half, high: mean + half };
}
