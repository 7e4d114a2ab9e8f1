/**
 * Counts in the words of the reports (`1 bundle`, `2 bundles`, `1 day`, `0.5 days`):
 * the one place every command's text output takes its plurals from.
 */

/** `n` with thousands separators (and its decimals, if any) followed by `word`, plural unless n is exactly 1. */
export function count(n: number, word: string, plural = word + "s"): string {
  const text = Number.isInteger(n) ? n.toLocaleString("en-US") : n.toLocaleString("en-US", { maximumFractionDigits: 6 });
  return `${text} ${n === 1 ? word : plural}`;
}
