/**
 * Gaussian elimination over GF(2) on 32-bit vectors (CRC-32C syndromes), each row
 * remembering which inputs it is the XOR of: the tests that build an error pattern
 * with a chosen CRC syndrome (0: undetected; a header hit's: cancelled) find it here.
 */
export class Gf2Basis {
  /** Rows by their highest set bit. */
  private readonly rows = new Map<number, { v: number; set: Set<number> }>();

  /** Adds input `p` with vector `v`; when `v` depends on the inputs added before, the inputs (`p` among them) whose vectors XOR to 0, sorted, else null. */
  add(p: number, v: number): number[] | null {
    let set = new Set([p]);
    v >>>= 0;
    for (;;) {
      if (v === 0) return [...set].sort((a, b) => a - b);
      const hb = 31 - Math.clz32(v);
      const row = this.rows.get(hb);
      if (row === undefined) {
        this.rows.set(hb, { v, set });
        return null;
      }
      v = (v ^ row.v) >>> 0;
      set = symmetricDifference(set, row.set);
    }
  }

  /** The inputs whose vectors XOR to `target`, sorted; throws when `target` is outside their span. */
  express(target: number): number[] {
    let v = target >>> 0;
    let set = new Set<number>();
    while (v !== 0) {
      const row = this.rows.get(31 - Math.clz32(v));
      if (row === undefined) throw new Error("target outside the span");
      v = (v ^ row.v) >>> 0;
      set = symmetricDifference(set, row.set);
    }
    return [...set].sort((a, b) => a - b);
  }
}

function symmetricDifference(a: Set<number>, b: Set<number>): Set<number> {
  const next = new Set(a);
  for (const x of b) if (next.has(x)) next.delete(x); else next.add(x);
  return next;
}
