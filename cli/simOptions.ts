/**
 * Options that \`pibkit sim\` and \`pibkit sim sweep\` read alike: suites, days, where the
 * checks run, whole numbers. Each bad value is a usage error naming the allowed ones.
 */
import { SUITES, suiteByCli } from "../src/core/suites.js";
import { PLACEMENTS, SUITE_IDS, type Placement } from "../sim/campaign.js";
import { usageError } from "./common.js";

/** The longest campaign --days accepts (ten years). */
export const MAX_DAYS = 3650;

export function parseSuites(text: string | undefined): number[] {
  if (text === undefined) return [...SUITE_IDS];
  const out: number[] = [];
  for (const part of text.split(",")) {
    const p = part.trim().toLowerCase();
    const id = /^(0x[0-9a-f]{1,2}|[0-9]{1,3})$/.test(p) ? Number(p) : (suiteByCli(p)?.id ?? -1);
    if (SUITE_IDS.includes(id)) out.push(id);
    else usageError(`unknown suite "${part}" (known: ${SUITES.map((s) => `${s.id} or ${s.cli}`).join(", ")})`);
  }
  const twice = out.find((id, i) => out.indexOf(id) !== i);
  if (twice !== undefined) usageError(`--suites lists suite ${twice} twice ("${text}"); each suite signs once`);
  return out;
}

/** A --checks placement (campaign.ts PLACEMENTS), or undefined when not given. */
export function parseChecks(text: string | undefined): Placement | undefined {
  if (text === undefined) return undefined;
  if (!(PLACEMENTS as readonly string[]).includes(text)) usageError(`--checks must be one of ${PLACEMENTS.join(", ")}, got "${text}"`);
  return text as Placement;
}

export function parseDays(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const d = /^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/.test(text) ? Number(text) : NaN;
  if (!(d > 0 && d <= MAX_DAYS)) usageError(`--days must be a number of days above 0 and at most ${MAX_DAYS} (e.g. 1, 0.5, 365), got "${text}"`);
  return d;
}

/** A whole number option in [min, max] (max 2^53 - 1 unless given); `what` says what it counts. */
export function wholeOption(name: string, text: string, min: number, what: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  const top = max === Number.MAX_SAFE_INTEGER ? "2^53-1" : max.toLocaleString("en-US");
  if (!(n >= min && n <= max && Number.isSafeInteger(n))) usageError(`--${name} must be ${what}, a whole number from ${min} to ${top}, got "${text}"`);
  return n;
}

/** The names `f` lists, or none when it cannot (help text must print even without board or scenario files). */
export function safe(f: () => string[]): string[] {
  try {
    return f();
  } catch {
    return [];
  }
}
