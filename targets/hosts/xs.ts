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
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
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
  /**
   * XS stack limit, in slots, for what runs in the worker: the worker starts from a
   * snapshot whose creation record has `stackCount` = its resting stack + this many
   * slots (xsnap-worker has no flag for the stack; XS reads the creation record back
   * from a snapshot). Past the limit XS reports "stack overflow" and the command fails.
   * Default: xsnap-worker's own 4,096 slots.
   */
  stackSlots?: number;
  /**
   * A fixed-size XS heap, as a device's creation record gives it: the chunk heap
   * (strings, ArrayBuffer data, byte code) holds `chunkBytes` octets and the slot heap
   * `slots` slots, and neither grows (incremental sizes 0, so XS reports "failed in
   * fixed size heap" and the worker exits when either is full). Both count what the
   * worker holds at rest (xsnapMemoryAtRest()), so they must exceed it. xsnap-worker has
   * no flag for it either; set, like stackSlots, through the snapshot's creation record.
   * Default: the worker's own heaps, which grow up to its 2 GiB allocation limit.
   */
  memory?: { chunkBytes: number; slots: number };
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

/**
 * A snapshot of a fresh worker (taken once per process, kept in memory), the offset of
 * its creation record (the CREA atom's body) and the slots its stack holds at rest.
 */
let baseSnapshot:
  | { bytes: Buffer; creaOff: number; restingSlots: number; slotBytes: number; chunkBytes: number; heapSlots: number }
  | undefined;

/** Walks the snapshot's atoms (`<u32 BE size><4-octet tag><body>`, inside the "XS_M" atom): tag → body offset and length. */
function snapshotAtoms(b: Buffer): Map<string, { off: number; len: number }> {
  const atoms = new Map<string, { off: number; len: number }>();
  if (b.toString("latin1", 4, 8) !== "XS_M") throw new Error("xsnap snapshot: no XS_M atom");
  for (let o = 8; o + 8 <= b.length; ) {
    const size = b.readUInt32BE(o);
    if (size < 8) throw new Error("xsnap snapshot: bad atom size");
    atoms.set(b.toString("latin1", o + 4, o + 8), { off: o + 8, len: size - 8 });
    o += size;
  }
  return atoms;
}

function takeBaseSnapshot(): NonNullable<typeof baseSnapshot> {
  if (baseSnapshot) return baseSnapshot;
  const bin = xsnapWorkerPath();
  if (!bin) throw new Error("xsnap-worker is not built (npm install must run @agoric/xsnap's build)");
  const dir = mkdtempSync(join(tmpdir(), "pibkit-xs-stack-"));
  let bytes: Buffer;
  try {
    const snap = join(dir, "base.xss");
    const cmd = "w" + snap;
    writeFileSync(join(dir, "in"), `${Buffer.byteLength(cmd)}:${cmd},`);
    const fin = openSync(join(dir, "in"), "r");
    const fout = openSync(join(dir, "out"), "w");
    try {
      const r = spawnSync(bin, ["pibkit-xs"], { stdio: ["ignore", "pipe", "pipe", fin, fout], timeout: 20000 });
      if (r.status !== 0) throw new Error(`xsnap-worker snapshot failed (exit ${r.status}): ${String(r.stderr)}`);
    } finally {
      closeSync(fin);
      closeSync(fout);
    }
    bytes = readFileSync(snap);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const atoms = snapshotAtoms(bytes);
  const vers = atoms.get("VERS");
  const crea = atoms.get("CREA");
  const stac = atoms.get("STAC");
  if (!vers || !crea || !stac || crea.len < 48) throw new Error("xsnap snapshot: VERS, CREA or STAC atom missing");
  // VERS: major, minor, patch, sizeof(txSlot); a big-endian build stores its negation
  const slotBytes = bytes.readInt8(vers.off + 3);
  if (slotBytes <= 0) throw new Error("xsnap snapshot: big-endian worker, creation record not patched");
  const bloc = atoms.get("BLOC");
  const heap = atoms.get("HEAP");
  if (!bloc || !heap) throw new Error("xsnap snapshot: BLOC or HEAP atom missing");
  baseSnapshot = {
    bytes,
    creaOff: crea.off,
    restingSlots: stac.len / slotBytes,
    slotBytes,
    chunkBytes: bloc.len,
    heapSlots: heap.len / slotBytes + 1,
  };
  return baseSnapshot;
}

/** What a fresh worker holds at rest: chunk octets and heap slots (the floor of XsHostOptions.memory). */
export function xsnapMemoryAtRest(): { chunkBytes: number; slots: number } {
  const b = takeBaseSnapshot();
  return { chunkBytes: b.chunkBytes, slots: b.heapSlots };
}

/** Temporary directories of workers still running; whatever is left goes when the process exits. */
const liveSnapshotDirs = new Set<string>();
let exitHook = false;

function removeSnapshotDir(dir: string): void {
  liveSnapshotDirs.delete(dir);
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A copy of the base snapshot whose creation record (txCreation: initialChunkSize,
 * incrementalChunkSize, initialHeapCount, incrementalHeapCount, stackCount, … as
 * 32-bit little-endian integers) gives the stack `restingSlots + stackSlots` slots
 * and, with `memory`, fixed chunk and slot heaps, written to a temporary directory of
 * its own (removeSnapshotDir when the worker is done).
 */
function snapshotWithCreation(stackSlots: number | undefined, memory: XsHostOptions["memory"]): { dir: string; file: string } {
  const base = takeBaseSnapshot();
  const b = Buffer.from(base.bytes);
  if (stackSlots !== undefined) {
    if (!Number.isInteger(stackSlots) || stackSlots < 0) throw new Error(`stackSlots must be an integer >= 0, got ${stackSlots}`);
    b.writeInt32LE(base.restingSlots + stackSlots, base.creaOff + 16);
  }
  if (memory) {
    const { chunkBytes, slots } = memory;
    if (!Number.isInteger(chunkBytes) || chunkBytes <= base.chunkBytes) throw new Error(`memory.chunkBytes must be an integer above the ${base.chunkBytes} the worker holds at rest, got ${chunkBytes}`);
    if (!Number.isInteger(slots) || slots <= base.heapSlots) throw new Error(`memory.slots must be an integer above the ${base.heapSlots} the worker holds at rest, got ${slots}`);
    b.writeInt32LE(chunkBytes, base.creaOff);
    b.writeInt32LE(0, base.creaOff + 4);
    b.writeInt32LE(slots, base.creaOff + 8);
    b.writeInt32LE(0, base.creaOff + 12);
  }
  const dir = mkdtempSync(join(tmpdir(), "pibkit-xs-stack-"));
  liveSnapshotDirs.add(dir);
  if (!exitHook) {
    exitHook = true;
    process.once("exit", () => {
      for (const d of [...liveSnapshotDirs]) removeSnapshotDir(d);
    });
  }
  const file = join(dir, `creation-${stackSlots ?? "default"}-${memory ? memory.chunkBytes + "-" + memory.slots : "growing"}.xss`);
  writeFileSync(file, b);
  return { dir, file };
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
    const snapshot = opts.stackSlots === undefined && !opts.memory ? undefined : snapshotWithCreation(opts.stackSlots, opts.memory);
    if (snapshot) args.push("-r", snapshot.file);
    this.proc = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe", "pipe", "pipe"] });
    // the worker's snapshot copy goes once the worker is gone ("close" follows "exit", or "error" when it never started)
    if (snapshot) this.proc.once("close", () => removeSnapshotDir(snapshot.dir));
    this.onCommand = opts.onCommand ?? ((m) => m);
    const sink = opts.onOutput ?? (() => {});
    this.proc.stdout!.on("data", (d: Buffer) => sink(d.toString()));
    this.proc.stderr!.on("data", (d: Buffer) => sink(d.toString()));
    this.out = this.proc.stdio[3] as Writable;
    this.inp = this.proc.stdio[4] as Readable;
    this.inp.on("data", (d: Buffer) => this.onData(d));
    this.inp.on("end", () => this.onEnd());
    // a worker that aborted (stack overflow, memory full) has closed its pipes: the
    // reply is "worker exited", never an unhandled EPIPE in the host
    this.out.on("error", () => this.onEnd());
    this.inp.on("error", () => this.onEnd());
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
    if (this.exitCode !== null || this.out.destroyed) return;
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
