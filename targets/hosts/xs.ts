/**
 * A Moddable XS "device" for tests and benchmarks: the `xsnap-worker` binary that
 * `@agoric/xsnap` compiles from the XS sources at `npm install`, driven directly over
 * its netstring pipes (fd 3 to the worker, fd 4 back).
 *
 * Why not the package's own `xsnap()` API: it imports `@endo/errors`, which needs
 * SES `lockdown()` of the host realm first — unacceptable inside a test runner. The
 * wire protocol is small (xsnap-worker.c): `e<code>` evaluates, `?<bytes>` calls the
 * worker's global `handleCommand`, `m<path>` runs a module file, `q` quits; replies
 * are `.<meters JSON>\1<result>` or `!<error text>`, and the worker may send `?<bytes>`
 * (its global `issueCommand`) which we answer with `/<bytes>`.
 *
 * Every reply carries XS meters: `currentHeapCount` (slots allocated since the last
 * GC — a loop that allocates nothing adds 0) and `compute` (a deterministic cost
 * count, usable as a performance regression figure).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Readable, Writable } from "node:stream";

export interface XsMeters {
  currentHeapCount: number;
  compute: number;
  allocate: number;
}

export type XsResult =
  | { ok: true; reply: string; bytes: Uint8Array; meters: XsMeters }
  | { ok: false; error: string };

export interface XsHostOptions {
  /** Crank metering limit (compute units per evaluate); 0 = unlimited. */
  meteringLimit?: number;
  /** Answers the worker's `issueCommand(ArrayBuffer)`; default echoes. */
  onCommand?: (msg: Uint8Array) => Uint8Array;
  /** Receives the worker's stderr/print output. */
  onOutput?: (text: string) => void;
}

/** Path of the compiled worker, or undefined when @agoric/xsnap did not build. */
export function xsnapWorkerPath(): string | undefined {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = dirname(require.resolve("@agoric/xsnap/package.json"));
  } catch {
    return undefined;
  }
  const platform = process.platform === "darwin" ? "mac" : "lin";
  const bin = join(pkg, "xsnap-native/xsnap/build/bin", platform, "release/xsnap-worker");
  return existsSync(bin) ? bin : undefined;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export class XsHost {
  private readonly proc: ChildProcess;
  private readonly out: Writable;
  private readonly inp: Readable;
  private buf: Buffer = Buffer.alloc(0);
  private waiting: ((m: Buffer | null) => void) | undefined;
  private readonly queue: Buffer[] = [];
  private closed = false;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly onCommand: (msg: Uint8Array) => Uint8Array;
  exitCode: number | null = null;

  constructor(opts: XsHostOptions = {}) {
    const bin = xsnapWorkerPath();
    if (!bin) throw new Error("xsnap-worker is not built (npm install must run @agoric/xsnap's build)");
    const args = ["pibkit-xs"];
    args.push("-l", String(opts.meteringLimit ?? 0));
    this.proc = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe", "pipe", "pipe"] });
    this.onCommand = opts.onCommand ?? ((m) => m);
    const sink = opts.onOutput ?? (() => {});
    this.proc.stdout!.on("data", (d: Buffer) => sink(d.toString()));
    this.proc.stderr!.on("data", (d: Buffer) => sink(d.toString()));
    this.out = this.proc.stdio[3] as Writable;
    this.inp = this.proc.stdio[4] as Readable;
    this.inp.on("data", (d: Buffer) => this.onData(d));
    this.inp.on("end", () => this.onEnd());
    this.proc.on("exit", (code) => {
      this.exitCode = code;
      this.onEnd();
    });
  }

  /** Evaluates a script as global code (sloppy-mode `eval`); the reply is the completion value if it is an ArrayBuffer. */
  evaluate(code: string): Promise<XsResult> {
    return this.serial(() => this.roundTrip(Buffer.concat([Buffer.from("e"), Buffer.from(code, "utf8")])));
  }

  /** Evaluates `expr` and returns `String(expr)` as the reply text, with the meters of that evaluation. */
  evalString(expr: string): Promise<XsResult> {
    return this.evaluate(`(function(){ var v = (${expr}); return new TextEncoder().encode(String(v)).buffer; })()`);
  }

  /** Calls the worker's global `handleCommand(ArrayBuffer)` with `msg`. */
  command(msg: Uint8Array): Promise<XsResult> {
    return this.serial(() => this.roundTrip(Buffer.concat([Buffer.from("?"), Buffer.from(msg)])));
  }

  /** Runs an ES module file in the worker (its imports resolve relative to it). */
  importModule(path: string): Promise<XsResult> {
    return this.serial(() => this.roundTrip(Buffer.from("m" + path)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      this.send(Buffer.from("q"));
      this.out.end();
    } catch {
      /* already gone */
    }
    await new Promise<void>((res) => {
      if (this.exitCode !== null || this.proc.exitCode !== null) return res();
      const t = setTimeout(() => {
        this.proc.kill();
        res();
      }, 2000);
      this.proc.once("exit", () => {
        clearTimeout(t);
        res();
      });
    });
    this.closed = true;
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const p = this.chain.then(f, f);
    this.chain = p.catch(() => undefined);
    return p;
  }

  private async roundTrip(msg: Buffer): Promise<XsResult> {
    this.send(msg);
    for (;;) {
      const m = await this.next();
      if (m === null) return { ok: false, error: `xsnap worker exited (code ${this.exitCode})` };
      const kind = m[0];
      if (kind === 0x2e /* . */) {
        const sep = m.indexOf(1, 1);
        let meters: XsMeters = { currentHeapCount: 0, compute: 0, allocate: 0 };
        let body = m.subarray(1);
        if (sep >= 0) {
          meters = JSON.parse(m.subarray(1, sep).toString()) as XsMeters;
          body = m.subarray(sep + 1);
        }
        return { ok: true, reply: dec.decode(body), bytes: new Uint8Array(body), meters };
      }
      if (kind === 0x21 /* ! */) return { ok: false, error: m.subarray(1).toString() || "exception in XS" };
      if (kind === 0x3f /* ? */) {
        const answer = this.onCommand(new Uint8Array(m.subarray(1)));
        this.send(Buffer.concat([Buffer.from("/"), Buffer.from(answer)]));
        continue;
      }
      return { ok: false, error: "xsnap protocol error: " + m.subarray(0, 40).toString() };
    }
  }

  private send(msg: Buffer): void {
    this.out.write(Buffer.concat([enc.encode(`${msg.length}:`), msg, enc.encode(",")]));
  }

  private next(): Promise<Buffer | null> {
    const m = this.queue.shift();
    if (m) return Promise.resolve(m);
    if (this.closed || this.exitCode !== null) return Promise.resolve(null);
    return new Promise((res) => {
      this.waiting = res;
    });
  }

  private deliver(m: Buffer | null): void {
    const w = this.waiting;
    if (w) {
      this.waiting = undefined;
      w(m);
    } else if (m) this.queue.push(m);
  }

  private onEnd(): void {
    this.deliver(null);
  }

  /** Netstring framing: `<decimal length>:<bytes>,`. */
  private onData(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      const colon = this.buf.indexOf(0x3a);
      if (colon < 0) return;
      const len = Number(this.buf.subarray(0, colon).toString());
      if (this.buf.length < colon + 1 + len + 1) return;
      const msg = this.buf.subarray(colon + 1, colon + 1 + len);
      this.buf = this.buf.subarray(colon + 2 + len);
      this.deliver(Buffer.from(msg));
    }
  }
}
