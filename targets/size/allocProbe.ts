/**
 * Zero-allocation proofs for hot paths, in two engines, QuickJS and Moddable XS:
 *
 * QuickJS frees transient garbage at once (reference counting), so before/after
 * counters only see what is retained. Instead: set a memory limit of 1 byte, far below
 * what the heap already holds — QuickJS then refuses every allocation, so the limit is
 * zero headroom — check that `run(0)` still succeeds (calling into the VM allocates
 * nothing), then call `run(N)` under it: any allocation inside the loop, even one
 * freed a moment later, fails and the VM throws out-of-memory (the host survives and
 * reports it).
 *
 * XS: the worker reports `currentHeapCount` (slots allocated since the last GC) after
 * each evaluation; a loop that allocates nothing adds nothing, so `run(N)` must add
 * exactly what `run(0)` adds.
 *
 * A path is `setup` (global code run once, unlimited) plus `body` (the statements of
 * one iteration, using globals made by setup). `run(n)` is defined as
 * `function run(n) { for (var i = 0; i < n; i++) { body } return 0; }`.
 */
import type { QuickJSHandle } from "quickjs-emscripten";
import { QuickJsHost } from "../hosts/quickjs.js";
import { XsHost } from "../hosts/xs.js";

export interface AllocPath {
  name: string;
  setup: string;
  body: string;
  /** Iterations under the zero-headroom limit (default 10,000). */
  iterations?: number;
}

export interface QuickJsAllocResult {
  name: string;
  /** The zero-headroom heap limit (bytes) the calls ran under: 1 (below any heap in use). */
  limit: number;
  iterations: number;
  ok: boolean;
  error?: string;
}

function runSource(body: string): string {
  return `function run(n) { for (var i = 0; i < n; i++) { ${body} } return 0; }`;
}

/**
 * One QuickJS VM with the firmware loaded once, probing any number of paths in turn.
 * Each probe runs its path's setup, defines `run`, warms it up and then runs it under
 * the 1-byte limit, below whatever the heap holds by then, so what earlier paths left
 * behind is never headroom: sharing the VM proves exactly what a fresh VM per path
 * proves, without loading and setting up the firmware again for every path.
 */
export class QuickJsAllocProbe {
  private constructor(
    private readonly h: QuickJsHost,
    private readonly loadError: string | null,
  ) {}

  /** A VM with `firmwareLoader` run as global code (unlimited heap). */
  static async create(firmwareLoader: string): Promise<QuickJsAllocProbe> {
    const h = await QuickJsHost.create({ stackSize: 1024 * 1024 });
    const r = h.load(firmwareLoader, "firmware.js");
    return new QuickJsAllocProbe(h, r.ok ? null : "firmware: " + r.error);
  }

  /** Proves (or refutes) zero allocation of `path` under a zero-headroom limit. */
  async probe(path: AllocPath): Promise<QuickJsAllocResult> {
    const h = this.h;
    const iterations = path.iterations ?? 10_000;
    if (this.loadError) return { name: path.name, limit: -1, iterations, ok: false, error: this.loadError };
    h.runtime.setMemoryLimit(-1);
    for (const [what, code] of [["setup", path.setup], ["run", runSource(path.body)]] as const) {
      const r = h.load(code, what + ".js");
      if (!r.ok) return { name: path.name, limit: -1, iterations, ok: false, error: `${what}: ${r.error}` };
    }
    const ctx = h.context;
    const fnR = ctx.evalCode("run");
    if (fnR.error) {
      fnR.error.dispose();
      throw new Error("no run()");
    }
    const fn: QuickJSHandle = fnR.value;
    try {
      const callRun = (n: number): string | null => {
        const arg = ctx.newNumber(n);
        const r = ctx.callFunction(fn, ctx.undefined, arg);
        arg.dispose();
        if (r.error) {
          h.runtime.setMemoryLimit(-1); // reading the error needs memory
          const e = ctx.dump(r.error) as { message?: string } | string;
          r.error.dispose();
          // With zero headroom QuickJS may not even have room for the InternalError
          // object and throws null: that is out of memory too.
          if (e === null || e === undefined) return "out of memory (no room left for the error object)";
          return typeof e === "object" ? String(e.message ?? "error") : String(e);
        }
        r.value.dispose();
        return null;
      };
      // Warm up: first runs may create shapes, atoms and inline caches once.
      for (let k = 0; k < 3; k++) {
        const e = callRun(3);
        if (e) return { name: path.name, limit: -1, iterations, ok: false, error: "warm-up: " + e };
      }
      // Zero headroom: QuickJS refuses any allocation once the heap is past its limit,
      // and the heap always holds more than 1 byte. run(0) must still succeed (a call
      // into the VM allocates nothing); then the limit stays for all `iterations` calls,
      // run in chunks with a turn of the host's event loop between them, so a long
      // probe never starves the test runner.
      const limit = 1;
      h.runtime.setMemoryLimit(limit);
      if (callRun(0) !== null) throw new Error(path.name + ": run(0) fails under the zero-headroom limit");
      let e: string | null = null;
      for (let done = 0; done < iterations && e === null; done += 1000) {
        e = callRun(Math.min(1000, iterations - done));
        if (e === null) await new Promise((resolve) => setImmediate(resolve));
      }
      return e === null ? { name: path.name, limit, iterations, ok: true } : { name: path.name, limit, iterations, ok: false, error: e };
    } finally {
      h.runtime.setMemoryLimit(-1);
      fn.dispose();
    }
  }

  dispose(): void {
    this.h.dispose();
  }
}

export interface XsAllocResult {
  name: string;
  /** currentHeapCount added by run(0) and by run(N) (same evaluation overhead). */
  base: number;
  grown: number;
  iterations: number;
  ok: boolean;
  error?: string;
}

/** Checks in XS that `run(N)` adds no heap slots beyond what `run(0)` adds. */
export async function xsHeapGrowth(host: XsHost, path: AllocPath, iterations = 1000): Promise<XsAllocResult> {
  for (const code of [path.setup, runSource(path.body), "run(3); run(3);"]) {
    const r = await host.evaluate(code);
    if (!r.ok) return { name: path.name, base: -1, grown: -1, iterations, ok: false, error: r.error };
  }
  // A GC between two measurements resets the counter; retry a few times.
  for (let attempt = 0; attempt < 5; attempt++) {
    const a = await host.evaluate("run(0)");
    const b = await host.evaluate("run(0)");
    const c = await host.evaluate(`run(${iterations})`);
    if (!a.ok || !b.ok || !c.ok) return { name: path.name, base: -1, grown: -1, iterations, ok: false, error: "run failed" };
    const base = b.meters.currentHeapCount - a.meters.currentHeapCount;
    const grown = c.meters.currentHeapCount - b.meters.currentHeapCount;
    if (base < 0 || grown < 0) continue;
    return { name: path.name, base, grown, iterations, ok: grown === base };
  }
  return { name: path.name, base: -1, grown: -1, iterations, ok: false, error: "GC interfered five times" };
}
