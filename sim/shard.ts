/**
 * Splitting a campaign across processes or machines, and where a shard learns its index.
 *
 * Work is split by bundle: bundle k (numbered over the whole campaign, in imaging order)
 * belongs to shard k mod N. Each bundle draws its randomness from its own stream,
 * forked from the campaign seed by the bundle's number, so a bundle's fate does not
 * depend on which shard ran it or on what ran before it; every total is an integer sum
 * over bundles, so merging N shards gives exactly the totals of one run.
 *
 * No scheduler here: the index comes from the ones people already run campaigns on —
 * a Slurm job array (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT) or a Kubernetes
 * Indexed Job (JOB_COMPLETION_INDEX) — or from `--shard I/N`.
 */

export interface ShardSpec {
  index: number;
  count: number;
}

/** The whole campaign in one process. */
export const WHOLE: ShardSpec = { index: 0, count: 1 };

/**
 * The most shards a campaign splits into: far more than its bundles (240 in the default
 * month, a few thousand in a long sweep), and small enough that the per-shard record a
 * merge keeps stays small (a count of 10^10 ran out of memory).
 */
export const MAX_SHARDS = 100_000;

function wholeNumber(text: string, what: string, from = 0): number {
  if (!/^[0-9]+$/.test(text)) throw new Error(`${what} must be a whole number from ${from} up${from > 0 ? ` to ${MAX_SHARDS.toLocaleString("en-US")}` : ""}, got "${text}"`);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`${what} is too large: "${text}"`);
  return n;
}

/** `from` names where the index came from, `countFrom` where the count did. */
function checked(index: number, count: number, from: string, countFrom = from): ShardSpec {
  if (count < 1) throw new Error(`${countFrom}: the shard count must be at least 1, got ${count}`);
  if (count > MAX_SHARDS) throw new Error(`${countFrom}: the shard count must be at most ${MAX_SHARDS.toLocaleString("en-US")}, got ${count}`);
  if (index >= count) throw new Error(`${from}: shard index ${index} is not below the shard count ${count} from ${countFrom} (indexes run 0 … ${count - 1})`);
  return { index, count };
}

/**
 * The shard this process runs. `--shard I/N` wins; otherwise SLURM_ARRAY_TASK_ID or
 * JOB_COMPLETION_INDEX gives I, and N comes from `--shards N` or, for Slurm,
 * SLURM_ARRAY_TASK_COUNT. Slurm arrays may start at SLURM_ARRAY_TASK_MIN (e.g.
 * `--array=1-8`); the index is taken relative to it. Throws an Error whose message is
 * one line for the user.
 */
export function resolveShard(
  shardOpt: string | undefined,
  shardsOpt: string | undefined,
  env: Record<string, string | undefined>,
): ShardSpec {
  if (shardOpt !== undefined) {
    if (shardsOpt !== undefined) throw new Error("give either --shard I/N or --shards N (with the index from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX), not both");
    const m = /^([0-9]+)\/([0-9]+)$/.exec(shardOpt);
    if (!m) throw new Error(`--shard must be I/N with whole numbers 0 ≤ I < N (e.g. 0/4), got "${shardOpt}"`);
    return checked(wholeNumber(m[1]!, "--shard index"), wholeNumber(m[2]!, "--shard count"), "--shard");
  }
  const slurm = env["SLURM_ARRAY_TASK_ID"];
  const k8s = env["JOB_COMPLETION_INDEX"];
  const from = slurm !== undefined ? "SLURM_ARRAY_TASK_ID" : k8s !== undefined ? "JOB_COMPLETION_INDEX" : undefined;
  if (from === undefined) {
    if (shardsOpt !== undefined) throw new Error("--shards N needs an index: --shard I/N, SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX");
    return WHOLE;
  }
  let index = wholeNumber((slurm ?? k8s)!, from);
  let countText = shardsOpt;
  let countFrom = "--shards";
  if (countText === undefined && slurm !== undefined) {
    countText = env["SLURM_ARRAY_TASK_COUNT"];
    countFrom = "SLURM_ARRAY_TASK_COUNT";
  }
  if (countText === undefined) {
    throw new Error(`${from} is set but the shard count is not: pass --shards N` + (slurm !== undefined ? " (or run in a Slurm array, which sets SLURM_ARRAY_TASK_COUNT)" : ""));
  }
  const count = wholeNumber(countText, countFrom, 1);
  const min = slurm !== undefined ? env["SLURM_ARRAY_TASK_MIN"] : undefined;
  if (min !== undefined) index -= wholeNumber(min, "SLURM_ARRAY_TASK_MIN");
  if (index < 0) throw new Error(`${from} is below SLURM_ARRAY_TASK_MIN`);
  return checked(index, count, from, countFrom);
}

/** Whether bundle number `k` (over the whole campaign) is this shard's work. */
export function ownsItem(s: ShardSpec, k: number): boolean {
  return k % s.count === s.index;
}

/** "0/4" — the form `--shard` takes and reports print. */
export function shardText(s: ShardSpec): string {
  return `${s.index}/${s.count}`;
}

/** The shard indexes of 0 … count-1 not in `present`, in order. */
export function missingShards(present: readonly number[], count: number): number[] {
  const have = new Set(present);
  const out: number[] = [];
  for (let i = 0; i < count; i++) if (!have.has(i)) out.push(i);
  return out;
}
