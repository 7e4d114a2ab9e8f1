/**
 * A QuickJS "device" for tests, the simulator and benchmarks: a built firmware file
 * runs inside quickjs-emscripten (WebAssembly) under a hard memory limit and stack
 * size, the way it would on a microcontroller with a fixed heap.
 *
 * Why QuickJS: `runtime.setMemoryLimit` is a real RAM model — going over it throws
 * `InternalError: out of memory` inside the VM and the host survives. This host turns that into a returned `{ ok: false, oom: true }`.
 *
 * Values cross the boundary as numbers, strings, booleans, null/undefined, plain
 * JSON-like objects, and bytes (Uint8Array on the host side, ArrayBuffer in the VM).
 * Bytes can also be copied straight into / out of a typed array that lives in the
 * VM (`writeBytes` / `readBytes`), so firmware keeps its own fixed buffers.
 */
import { newQuickJSWASMModule, type QuickJSContext, type QuickJSHandle, type QuickJSRuntime, type QuickJSWASMModule } from "quickjs-emscripten";

/** What a VM call produced. `oom` is set when the VM ran out of its memory limit. */
export type VmResult<T = unknown> =
  | { ok: true; value: T }
  | { ok: false; oom: boolean; stackOverflow: boolean; error: string };

/** A value a host function may receive or return. */
export type HostValue = number | string | boolean | null | undefined | Uint8Array | HostValue[] | { [k: string]: HostValue };

export interface QuickJsHostOptions {
  /** Heap limit in bytes (the board's RAM for JS); undefined = unlimited. */
  memoryLimit?: number;
  /** Native stack limit in bytes; default 256 KiB (QuickJS counts C stack). */
  stackSize?: number;
}

/** QuickJS's own per-runtime memory counters (JS_ComputeMemoryUsage). */
export interface QuickJsMemory {
  malloc_size?: number;
  malloc_limit?: number;
  malloc_count: number;
  memory_used_size: number;
  memory_used_count: number;
  obj_count: number;
  typed_arrays?: number;
  [k: string]: number | undefined;
}

let modulePromise: Promise<QuickJSWASMModule> | undefined;
/** One WebAssembly module per process; each host gets its own runtime (own heap). */
export function quickJsModule(): Promise<QuickJSWASMModule> {
  return (modulePromise ??= newQuickJSWASMModule());
}

/** The VM-side helpers the host uses to move bytes without per-byte property calls. */
const HELPERS = `
globalThis.__hostCopyIn = function (t, off, ab) { var s = new Uint8Array(ab); t.set(s, off); return s.length; };
globalThis.__hostCopyOut = function (t, off, len) { return t.buffer.slice(t.byteOffset + off, t.byteOffset + off + len); };
`;

export class QuickJsHost {
  readonly runtime: QuickJSRuntime;
  readonly context: QuickJSContext;
  private limit: number;
  private readonly defined: QuickJSHandle[] = [];
  /** VM helpers made once: what kind of binary a value is, and a copy of a view's bytes. */
  private readonly kindOf: QuickJSHandle;
  private readonly viewCopy: QuickJSHandle;

  private constructor(qjs: QuickJSWASMModule, opts: QuickJsHostOptions) {
    this.runtime = qjs.newRuntime();
    this.runtime.setMaxStackSize(opts.stackSize ?? 256 * 1024);
    this.context = this.runtime.newContext();
    this.limit = -1;
    const r = this.context.evalCode(HELPERS, "host-helpers.js");
    if (r.error) {
      r.error.dispose();
      throw new Error("QuickJsHost: helper setup failed");
    }
    r.value.dispose();
    this.kindOf = this.helper("(function (v) { if (v instanceof ArrayBuffer) return 1; if (ArrayBuffer.isView(v)) return 2; return 0; })");
    this.viewCopy = this.helper("(function (v) { return v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength); })");
    if (opts.memoryLimit !== undefined) this.setMemoryLimit(opts.memoryLimit);
  }

  private helper(code: string): QuickJSHandle {
    const r = this.context.evalCode(code, "host-helper.js");
    if (r.error) {
      r.error.dispose();
      throw new Error("QuickJsHost: helper setup failed");
    }
    return r.value;
  }

  /** A fresh VM (own heap) with the given limits. */
  static async create(opts: QuickJsHostOptions = {}): Promise<QuickJsHost> {
    return new QuickJsHost(await quickJsModule(), opts);
  }

  /** Sets the heap limit in bytes; -1 = unlimited. */
  setMemoryLimit(bytes: number): void {
    this.limit = bytes;
    this.runtime.setMemoryLimit(bytes);
  }

  get memoryLimit(): number {
    return this.limit;
  }

  /** Current QuickJS memory counters (bytes in use, objects, …). */
  memoryUsage(): QuickJsMemory {
    // Measuring allocates inside the VM; never let the measurement itself fail.
    return this.unlimited(() => {
      const h = this.runtime.computeMemoryUsage();
      const v = this.context.dump(h) as QuickJsMemory;
      h.dispose();
      return v;
    });
  }

  /** Bytes the VM holds right now (QuickJS `memory_used_size`; `malloc_size` when the build reports it). */
  heapBytes(): number {
    const m = this.memoryUsage();
    return m.malloc_size ?? m.memory_used_size;
  }

  /** Runs a script (e.g. a built firmware file) as global code. */
  load(code: string, filename = "firmware.js"): VmResult<undefined> {
    const r = this.evalHandle(code, filename);
    if (!r.ok) return r;
    r.value.dispose();
    return { ok: true, value: undefined };
  }

  /**
   * Runs an ES module (a Moddable board's own firmware build, whose exports end the
   * file) and puts its exports in the global `name`, as a script build defines `pibkit`.
   */
  loadModule(code: string, filename: string, name: string): VmResult<undefined> {
    const ctx = this.context;
    const r = ctx.evalCode(code, filename, { type: "module" });
    if (r.error) return this.failure(r.error);
    let exports = r.value;
    // a module without top-level await has run by now; its exports may still come as a promise
    if (ctx.typeof(exports) === "object" && ctx.getPromiseState(exports).type !== "fulfilled") this.runtime.executePendingJobs();
    const state = ctx.getPromiseState(exports);
    if (state.type === "pending") {
      exports.dispose();
      return { ok: false, oom: false, stackOverflow: false, error: `${filename}: the module did not finish loading (top-level await?)` };
    }
    if (state.type === "rejected") {
      exports.dispose();
      return this.failure(state.error);
    }
    if (state.type === "fulfilled" && !state.notAPromise) {
      exports.dispose();
      exports = state.value;
    }
    ctx.setProp(ctx.global, name, exports);
    exports.dispose();
    return { ok: true, value: undefined };
  }

  /** Evaluates an expression or script; returns its completion value converted to host form. */
  eval<T = unknown>(code: string, filename = "eval.js"): VmResult<T> {
    const r = this.evalHandle(code, filename);
    if (!r.ok) return r;
    return this.takeValue<T>(r.value);
  }

  /** Calls the function found at `path` (a global expression, e.g. "pibkit.sdnvLength") with `args`. */
  call<T = unknown>(path: string, ...args: HostValue[]): VmResult<T> {
    const fr = this.evalHandle(path, "call-target.js");
    if (!fr.ok) return fr;
    const fn = fr.value;
    const handles = args.map((a) => this.toVm(a));
    const r = this.context.callFunction(fn, this.context.undefined, ...handles);
    fn.dispose();
    for (const h of handles) h.dispose();
    if (r.error) return this.failure(r.error);
    return this.takeValue<T>(r.value);
  }

  /**
   * Defines a global function in the VM that runs `fn` on the host. Arguments arrive
   * converted (ArrayBuffer/typed array → Uint8Array copy); the return value is
   * converted back (Uint8Array → a new ArrayBuffer in the VM). A host exception
   * becomes a VM `Error` with its message.
   */
  defineFunction(name: string, fn: (...args: HostValue[]) => HostValue): void {
    const ctx = this.context;
    const h = ctx.newFunction(name, (...argh: QuickJSHandle[]) => {
      // Arguments are copied out with the limit lifted, as takeValue does: the copy is
      // this bridge's, not the firmware's (a board's native function reads the bytes in
      // place), and a copy failed for memory would hand the host no bytes at all.
      const args = this.unlimited(() => argh.map((a) => this.fromVm(a)));
      try {
        return this.toVm(fn(...args));
      } catch (e) {
        return { error: ctx.newError((e as Error).message ?? String(e)) };
      }
    });
    ctx.setProp(ctx.global, name, h);
    this.defined.push(h);
  }

  /**
   * Defines `name(target, off, ...args)` in the VM: the host function `source(...args)`
   * returns bytes, which are copied into the VM typed array `target` at `off`; the VM
   * call returns the number of bytes copied. This is how the simulator hands recorder
   * bytes (`hostRead(buf, off, slot, len)`) to firmware that owns a fixed buffer.
   */
  defineByteSource(name: string, source: (...args: HostValue[]) => Uint8Array): void {
    const raw = "__hostRaw_" + name;
    this.defineFunction(raw, (...args) => source(...args));
    const r = this.evalHandle(
      `globalThis[${JSON.stringify(name)}] = function (t, off, a, b, c, d) { return __hostCopyIn(t, off, ${raw}(a, b, c, d)); };`,
      "byte-source.js",
    );
    if (!r.ok) throw new Error("defineByteSource: " + r.error);
    r.value.dispose();
  }

  /** Copies host bytes into the VM typed array at expression `target`, at `off`. */
  writeBytes(target: string, off: number, bytes: Uint8Array): VmResult<number> {
    return this.call<number>(
      "(function (ab, off) { return __hostCopyIn(" + target + ", off, ab); })",
      bytes,
      off,
    );
  }

  /** Copies `len` bytes out of the VM typed array at expression `target`, from `off`. */
  readBytes(target: string, off: number, len: number): VmResult<Uint8Array> {
    return this.call<Uint8Array>("(function (off, len) { return __hostCopyOut(" + target + ", off, len); })", off, len);
  }

  /** Frees the VM. */
  dispose(): void {
    for (const h of this.defined) h.dispose();
    this.defined.length = 0;
    this.kindOf.dispose();
    this.viewCopy.dispose();
    this.context.dispose();
    this.runtime.dispose();
  }

  private evalHandle(code: string, filename: string): VmResult<QuickJSHandle> {
    const r = this.context.evalCode(code, filename);
    if (r.error) return this.failure(r.error);
    return { ok: true, value: r.value };
  }

  /** Turns a VM exception into a result; out-of-memory and stack overflow are flagged. */
  private failure(err: QuickJSHandle): { ok: false; oom: boolean; stackOverflow: boolean; error: string } {
    // Reading the error text needs a little memory.
    const text = this.unlimited(() => {
      try {
        const d = this.context.dump(err) as { name?: string; message?: string } | string;
        return typeof d === "object" && d !== null ? `${d.name ?? "Error"}: ${d.message ?? ""}` : String(d);
      } catch {
        return "unreadable VM error";
      } finally {
        err.dispose();
      }
    });
    return { ok: false, oom: /out of memory/i.test(text), stackOverflow: /stack overflow/i.test(text), error: text };
  }

  private takeValue<T>(h: QuickJSHandle): VmResult<T> {
    return this.unlimited(() => {
      try {
        return { ok: true, value: this.fromVm(h) as T };
      } finally {
        h.dispose();
      }
    });
  }

  /** Runs `f` with the memory limit lifted, then restores the limit set by setMemoryLimit. */
  private unlimited<T>(f: () => T): T {
    const saved = this.limit;
    this.runtime.setMemoryLimit(-1);
    try {
      return f();
    } finally {
      this.runtime.setMemoryLimit(saved);
    }
  }

  private fromVm(h: QuickJSHandle): HostValue {
    const ctx = this.context;
    const t = ctx.typeof(h);
    if (t === "object") {
      const isBytes = this.isBinary(h);
      if (isBytes) {
        const lt = ctx.getArrayBuffer(isBytes);
        const copy = Uint8Array.from(lt.value);
        lt.dispose();
        if (isBytes !== h) isBytes.dispose();
        return copy;
      }
    }
    return ctx.dump(h) as HostValue;
  }

  /** For an ArrayBuffer returns h; for a typed array returns a handle to a copied ArrayBuffer of its view. */
  private isBinary(h: QuickJSHandle): QuickJSHandle | undefined {
    const ctx = this.context;
    const kindR = ctx.callFunction(this.kindOf, ctx.undefined, h);
    if (kindR.error) {
      kindR.error.dispose();
      return undefined;
    }
    const kind = ctx.getNumber(kindR.value);
    kindR.value.dispose();
    if (kind === 1) return h;
    if (kind === 2) {
      const r = ctx.callFunction(this.viewCopy, ctx.undefined, h);
      if (r.error) {
        r.error.dispose();
        return undefined;
      }
      return r.value;
    }
    return undefined;
  }

  private toVm(v: HostValue): QuickJSHandle {
    const ctx = this.context;
    if (v === undefined) return ctx.undefined;
    if (v === null) return ctx.null;
    if (typeof v === "number") return ctx.newNumber(v);
    if (typeof v === "string") return ctx.newString(v);
    if (typeof v === "boolean") return v ? ctx.true : ctx.false;
    if (v instanceof Uint8Array) {
      const ab = v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) as ArrayBuffer;
      return ctx.newArrayBuffer(ab);
    }
    if (Array.isArray(v)) {
      const a = ctx.newArray();
      v.forEach((x, i) => {
        const e = this.toVm(x);
        ctx.setProp(a, i, e);
        e.dispose();
      });
      return a;
    }
    const o = ctx.newObject();
    for (const k of Object.keys(v)) {
      const e = this.toVm(v[k]);
      ctx.setProp(o, k, e);
      e.dispose();
    }
    return o;
  }
}
