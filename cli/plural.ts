/**
 * Counts in the words of the reports (`1 bundle`, `2 bundles`, `1 day`, `0.5 days`):
 * the one place every command's text output takes its plurals from.
 */

/** The word alone, singular when n is exactly 1: `shard` / `shards`. */
export function noun(n: number, word: string, plural = word + "s"): string {
  return n === 1 ? word : plural;
}

/** `n` with thousands separators (and its decimals, if any) followed by `word`, plural unless n is exactly 1. */
export function count(n: number, word: string, plural = word + "s"): string {
  const text = Number.isInteger(n) ? n.toLocaleString("en-US") : n.toLocaleString("en-US", { maximumFractionDigits: 6 });
  return `${text} ${noun(n, word, plural)}`;
}
