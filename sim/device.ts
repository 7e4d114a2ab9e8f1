/**
 * The simulated device: the bundle agent (agent.ts) on the pibkit firmware, either
 * - "engine": the BUILT generic firmware file of the on-board PIB path with streaming
 *   verification and the bundle writer (dist/generic/pibkit-pib-path+stream+writer.js:
 *   the firmware that flies) inside QuickJS with a fixed stack limit
 *   (targets/hosts/quickjs.ts). Running out of memory is a returned failure naming the
 *   operation, never a host crash; or
 * - "fast": the same agent in Node on `src/` (bundled into the CLI), for campaigns too
 *   big for an interpreter.
 * Either way every bundle streams through the agent in pieces of PIECE_BYTES (agent.ts):
 * the device's RAM holds the firmware and fixed buffers, never an image, so a 200 MB
 * image is signed and checked within a 64 MiB board.
 *
 * RAM, one quantity in both modes: the bytes the device uses ABOVE AN EMPTY RUNTIME
 * (what an interpreter needs before any firmware is loaded is not the board's to
 * spend), and the board's RAM is the limit on exactly that. Engine mode measures it as
 * QuickJS's `memory_used_size` minus the same figure for a fresh runtime, sampled after
 * every firmware operation and at every chunk the firmware pulls or pushes: the
 * firmware's functions and shapes, the agent's buffers and every temporary. Going over
 * the limit at any sample is out of memory for that operation. QuickJS's own limit
 * cannot be the rule: in the WebAssembly build it counts 8 bytes per live allocation
 * plus the one being made (emscripten reports no usable size), so many 30 kB arrays
 * fit under a 64 KiB limit; it is kept only as a backstop, at the baseline plus the
 * board's RAM, so that one allocation bigger than the board fails in the VM. Fast
 * mode counts the agent's buffers only (the piece, the header, the StreamVerifier's
 * window and the signer's; the firmware's own footprint is not known without the
 * engine): a lower bound of the engine's figure.
 * Both modes run the same agent code; engine mode on the on-board path (src/onboard/),
 * fast mode on the ground library, which the differential tests hold to the same
 * verdicts (test/onboard*.test.ts) and test/sim-runner.test.ts checks on a seed.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../targets/build/root.mjs";
import * as fullLib from "../src/entries/full.js";
import { StreamSigner, StreamVerifier } from "../src/ground/stream.js";
import { QuickJsHost } from "../targets/hosts/quickjs.js";
import { agentSource, makeAgent, type Agent } from "./agent.js";
import { bytesOf, bytesSource, concatSource, type ByteSource } from "./byteSource.js";

export type DeviceMode = "engine" | "fast";

/** A firmware operation that failed: out of memory, or an error code from the library. */
export interface DeviceFailure {
  ok: false;
  oom: boolean;
  operation: string;
  error: string;
}

/**
 * A signed bundle as the agent handed it over: its header (primary block, PIBs, payload
 * block header: a few hundred octets), then the payload it was given, unchanged (the
 * host checks each piece the agent stores against the piece it read).
 */
export interface Signed {
  ok: true;
  header: Uint8Array;
  /** The bundle's length: the header's and the payload's. */
  length: number;
}

export interface Checked {
  ok: true;
  /** PIB count, or a negative Err code when the bundle did not parse. */
  count: number;
  /** Per PIB (LIFO order): SuiteKind × 16 + Verdict. */
  verdicts: number[];
}

export interface Device {
  readonly mode: DeviceMode;
  /** Loads the firmware and allocates the agent's buffers. */
  setup(capacity: number, suiteKinds: number[]): DeviceFailure | null;
  /** Builds and signs bundle `seq` around the payload, read a piece at a time. */
  sign(payload: ByteSource | Uint8Array, seq: number, ctime: number): Signed | DeviceFailure;
  /** Checks a bundle read a piece at a time. */
  verify(bundle: ByteSource | Uint8Array, budget: number): Checked | DeviceFailure;
  /** Largest RAM use seen, in bytes above an empty runtime (see the file comment). */
  ramHighWater(): number;
  /** The limit ramHighWater is held to: the board's RAM, in the same bytes. */
  readonly ramLimit: number;
  /**
   * Calls `f` at every piece the agent reads (null: none): a flight-size bundle takes
   * minutes in the engine, and its reads are where the host sees it go on (progress).
   */
  onRead(f: (() => void) | null): void;
  dispose(): void;
}

/**
 * Octets the agent moves per host call and pushes per StreamVerifier piece (a bundle's
 * own length when smaller): the recorder's DMA transfer, and the one buffer a bundle's
 * payload passes through.
 */
export const PIECE_BYTES = 65536;
/** The StreamVerifier's window: the blocks around the payload (about 200 octets here) with room to spare. */
export const WINDOW_BYTES = 4096;

/** Piece size for bundles of up to `capacity` octets. */
export function pieceFor(capacity: number): number {
  return Math.max(1, Math.min(PIECE_BYTES, capacity));
}

/** Stack limit when the board profile names none (QuickJS counts native stack). */
export const DEFAULT_STACK_BYTES = 256 * 1024;


/**
 * The library fast mode runs the agent on: the ground library, its StreamVerifier and
 * its StreamSigner (src/ground/stream.ts), which signs with one digest, the new PIB's,
 * as the firmware's one-PIB sealer does (agent.ts).
 */
export const nodeLib = { ...fullLib, StreamVerifier, StreamSigner };

function asSource(b: ByteSource | Uint8Array): ByteSource {
  return b instanceof Uint8Array ? bytesSource(b) : b;
}

/**
 * The host side of the agent's two host functions: the source pieces are read from, and
 * the sink of a signing. The sink keeps the header (written last, at offset 0) and checks
 * every other write: the agent stores each payload piece right after reading it, so it
 * must be that piece, at that place after the header. The bundle is then the header
 * followed by the source, with no copy of the payload kept.
 */
export class Transfer {
  private source: ByteSource = bytesSource(new Uint8Array(0));
  private piece: Uint8Array = new Uint8Array(0);
  /** The last piece read, and its offset in the source. */
  private last: Uint8Array = new Uint8Array(0);
  private lastFrom = -1;
  private readonly header = new Uint8Array(HEAD_BYTES);
  private headerLen = -1;
  private payloadAt = -1;
  private payloadDone = 0;
  private copyError: string | null = null;
  /** Called at every read (Device.onRead). */
  pulse: (() => void) | null = null;

  use(source: ByteSource): void {
    this.source = source;
    this.lastFrom = -1;
    this.headerLen = -1;
    this.payloadAt = -1;
    this.payloadDone = 0;
    this.copyError = null;
  }

  /** Reads source octets [from, from + n) into target[off…] (the agent's host.read). */
  read(target: Uint8Array, off: number, from: number, n: number): void {
    this.source.read(target, off, from, n);
    this.last = target.subarray(off, off + n);
    this.lastFrom = from;
    this.pulse?.();
  }

  /** Reads source octets [from, from + n) into the host's own piece buffer (engine mode hands that to the VM). */
  readPiece(from: number, n: number): Uint8Array {
    if (this.piece.length < n) this.piece = new Uint8Array(n);
    this.read(this.piece, 0, from, n);
    return this.last;
  }

  /** Takes octets the agent stores at dst of the bundle (its host.write). */
  write(bytes: Uint8Array, dst: number): void {
    if (dst === 0) {
      if (bytes.length > this.header.length) this.copyError = `a ${bytes.length}-octet header is longer than the ${this.header.length} octets the agent has`;
      else {
        this.header.set(bytes);
        this.headerLen = bytes.length;
      }
      return;
    }
    if (this.payloadAt < 0) this.payloadAt = dst - this.lastFrom;
    if (this.copyError !== null) return;
    const at = dst - this.payloadAt;
    if (at !== this.payloadDone || at !== this.lastFrom || !Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).equals(this.last)) {
      this.copyError = `the payload octets stored at ${dst} are not the piece read at ${this.lastFrom}`;
    }
    this.payloadDone += bytes.length;
  }

  /** The signed bundle the agent said is `length` octets long, or what is wrong with what it stored. */
  signed(length: number): Signed | string {
    if (this.copyError !== null) return this.copyError;
    if (this.headerLen < 0) return "no header was stored";
    if (this.headerLen + this.source.length !== length) return `the bundle is ${length} octets, the header ${this.headerLen} and the payload ${this.source.length}`;
    if (this.payloadDone !== this.source.length || (this.payloadDone > 0 && this.payloadAt !== this.headerLen)) return "the payload was not stored whole right after the header";
    return { ok: true, header: this.header.slice(0, this.headerLen), length };
  }
}

/** A firmware file that is an ES module: it ends with an `export {…}` statement (esbuild's ESM output), which no script may hold. */
function isModule(text: string): boolean {
  return /\bexport\s*\{[^}]*\}\s*;?\s*$/.test(text);
}

function failure(oom: boolean, operation: string, error: string): DeviceFailure {
  return { ok: false, oom, operation, error };
}

/** The repository root (targets/build/root.mjs: from sim/ in tests, from dist/node/cli/ in the CLI, wherever the user stands). */
export { repoRoot };

/** The firmware file the device runs: the on-board path, streaming verification and the bundle writer. */
export const FIRMWARE_FILE = "pibkit-pib-path+stream+writer.js";

/**
 * Path of the built firmware file the engine mode runs: the generic size-first build, or
 * for a board whose profile asks for speed-first primitives the build it really gets
 * (dist/boards/<board>/, written by targets/build/build.mjs).
 */
export function firmwarePath(board?: { name: string; primitives: "size" | "speed" }): string {
  if (board?.primitives === "speed") return join(repoRoot(), "dist", "boards", board.name, FIRMWARE_FILE);
  return join(repoRoot(), "dist", "generic", FIRMWARE_FILE);
}

/** The agent on the firmware in QuickJS. */
class EngineDevice implements Device {
  readonly mode = "engine" as const;
  private vm: QuickJsHost;
  private readonly io = new Transfer();
  /** memory_used_size of the runtime before anything of the device was put in it. */
  private readonly baseline: number;
  readonly ramLimit: number;
  private high = 0;
  /** Largest use since the current operation began. */
  private opHigh = 0;

  /** The firmware file it loads (firmwarePath). */
  private readonly firmware: string;

  constructor(vm: QuickJsHost, ramLimit: number, firmware: string) {
    this.vm = vm;
    this.ramLimit = ramLimit;
    this.firmware = firmware;
    this.baseline = used(vm);
    // backstop only (file comment): one allocation bigger than the board fails in the VM
    // (the WebAssembly heap is 32-bit: a limit beyond it is no limit)
    vm.setMemoryLimit(this.baseline + ramLimit < 2 ** 32 - 1 ? this.baseline + ramLimit : -1);
  }

  static async create(memoryLimit: number, stackSize: number, firmware: string): Promise<EngineDevice> {
    return new EngineDevice(await QuickJsHost.create({ stackSize }), memoryLimit, firmware);
  }

  /** Samples the RAM in use above the empty runtime. */
  private note(): void {
    const h = used(this.vm) - this.baseline;
    if (h > this.high) this.high = h;
    if (h > this.opHigh) this.opHigh = h;
  }

  /** Starts an operation's sampling. */
  private begin(): void {
    this.opHigh = 0;
  }

  /** The operation's failure when some sample went over the board's RAM, else null. */
  private over(operation: string): DeviceFailure | null {
    this.note();
    if (this.opHigh <= this.ramLimit) return null;
    return failure(true, operation, `${this.opHigh} bytes in use above the empty runtime, over the ${this.ramLimit} bytes of RAM`);
  }

  setup(capacity: number, suiteKinds: number[]): DeviceFailure | null {
    const path = this.firmware;
    if (!existsSync(path)) return failure(false, "load firmware", `${path} is missing: run \`node targets/build/build.mjs\` first`);
    const io = this.io;
    this.begin();
    try {
      // Each chunk crossing is a sample: the peak of an operation is inside it.
      this.vm.defineByteSource("hostRead", (srcOff, len) => {
        this.note();
        return io.readPiece(srcOff as number, len as number);
      });
      this.vm.defineFunction("hostWriteRaw", (bytes, dstOff) => {
        this.note();
        io.write(bytes as Uint8Array, dstOff as number);
        return (bytes as Uint8Array).length;
      });
    } catch (e) {
      // A fresh VM that cannot make two function objects has no heap left for anything.
      return failure(true, "start firmware", `out of memory defining the host functions (${(e as Error).message})`);
    }
    const text = readFileSync(path, "utf8");
    // a Moddable board's own build is an ES module (it ends with its export list), the others scripts that define `pibkit`
    const loaded = isModule(text) ? this.vm.loadModule(text, FIRMWARE_FILE, "pibkit") : this.vm.load(text, FIRMWARE_FILE);
    if (!loaded.ok) return failure(loaded.oom, "load firmware", loaded.error);
    const f0 = this.over("load firmware");
    if (f0) return f0;
    const made = this.vm.load(
      "var simAgent = " +
        agentSource() +
        "(pibkit, { read: function (t, off, s, n) { return hostRead(t, off, s, n); }, write: function (b, off, n, dst) { return hostWriteRaw(b.subarray(off, off + n), dst); } });",
      "agent.js",
    );
    if (!made.ok) return failure(made.oom, "start agent", made.error);
    const f1 = this.over("start agent");
    if (f1) return f1;
    const init = this.vm.call<number>("simAgent.init", pieceFor(capacity), HEAD_BYTES, WINDOW_BYTES, suiteKinds.length);
    if (!init.ok) return failure(init.oom, "allocate buffers", init.error);
    const f2 = this.over("allocate buffers");
    if (f2) return f2;
    this.vm.call("simAgent.clearSuites");
    for (const k of suiteKinds) {
      const r = this.vm.call("simAgent.addSuite", k);
      if (!r.ok) return failure(r.oom, "configure suites", r.error);
    }
    return this.over("configure suites");
  }

  sign(payload: ByteSource | Uint8Array, seq: number, ctime: number): Signed | DeviceFailure {
    const src = asSource(payload);
    this.io.use(src);
    this.begin();
    const r = this.vm.call<number>("simAgent.sign", src.length, seq, ctime);
    if (!r.ok) return failure(r.oom, "sign", r.error);
    const f = this.over("sign");
    if (f) return f;
    return signedOrFailure(this.io, r.value);
  }

  verify(bundle: ByteSource | Uint8Array, budget: number): Checked | DeviceFailure {
    const src = asSource(bundle);
    this.io.use(src);
    this.begin();
    const r = this.vm.call<number>("simAgent.verify", src.length, budget);
    if (!r.ok) return failure(r.oom, "verify", r.error);
    const verdicts: number[] = [];
    for (let k = 0; k < r.value; k++) {
      const v = this.vm.call<number>("simAgent.verdictOf", k);
      if (!v.ok) return failure(v.oom, "verify", v.error);
      verdicts.push(v.value);
    }
    const f = this.over("verify");
    if (f) return f;
    return { ok: true, count: r.value, verdicts };
  }

  ramHighWater(): number {
    return this.high;
  }

  onRead(f: (() => void) | null): void {
    this.io.pulse = f;
  }

  dispose(): void {
    this.vm.dispose();
  }
}

/** The agent's answer to a signing: its error, what the transfer found wrong, or the bundle. */
function signedOrFailure(io: Transfer, n: number): Signed | DeviceFailure {
  if (n < 0) return failure(false, "sign", `firmware error E${-n}`);
  const s = io.signed(n);
  return typeof s === "string" ? failure(false, "sign", s) : s;
}

/** QuickJS's estimate of the bytes a runtime holds (older builds name it malloc_size). */
function used(vm: QuickJsHost): number {
  const u = vm.memoryUsage();
  return u.memory_used_size ?? u.malloc_size ?? 0;
}

/**
 * Fast mode's RAM figure: the agent's piece and header buffers and two windows, the
 * verifier's and the signer's (a one-PIB sealer on the firmware, agent.ts).
 */
export function fastBuffers(capacity: number): number {
  return pieceFor(capacity) + HEAD_BYTES + 2 * WINDOW_BYTES;
}

/** The agent's header buffer: the primary block, the PIBs and the payload block's header (about 200 octets). */
export const HEAD_BYTES = 1024;

/** The same agent on src/ in Node. */
class FastDevice implements Device {
  readonly mode = "fast" as const;
  private readonly io = new Transfer();
  private agent: Agent;
  private buffers = 0;
  readonly ramLimit: number;

  constructor(memoryLimit: number) {
    this.ramLimit = memoryLimit;
    const io = this.io;
    this.agent = makeAgent(nodeLib, {
      read: (t, off, s, n) => {
        io.read(t, off, s, n);
        return n;
      },
      write: (b, off, n, dst) => {
        io.write(b.subarray(off, off + n), dst);
        return n;
      },
    });
  }

  /**
   * The one RAM rule of fast mode: the agent's buffers (piece, header, windows) must fit
   * the board's RAM (the firmware's own footprint, which engine mode adds, is not counted).
   */
  setup(capacity: number, suiteKinds: number[]): DeviceFailure | null {
    this.buffers = fastBuffers(capacity);
    if (this.buffers > this.ramLimit) return failure(true, "allocate buffers", `the agent's ${this.buffers}-byte buffers (piece, header, windows) exceed ${this.ramLimit} bytes of RAM`);
    const e = this.agent.init(pieceFor(capacity), HEAD_BYTES, WINDOW_BYTES, suiteKinds.length);
    if (e < 0) return failure(false, "allocate buffers", `firmware error E${-e}`);
    this.agent.clearSuites();
    for (const k of suiteKinds) this.agent.addSuite(k);
    return null;
  }

  sign(payload: ByteSource | Uint8Array, seq: number, ctime: number): Signed | DeviceFailure {
    const src = asSource(payload);
    this.io.use(src);
    return signedOrFailure(this.io, this.agent.sign(src.length, seq, ctime));
  }

  verify(bundle: ByteSource | Uint8Array, budget: number): Checked | DeviceFailure {
    const src = asSource(bundle);
    this.io.use(src);
    const n = this.agent.verify(src.length, budget);
    const verdicts: number[] = [];
    for (let k = 0; k < n; k++) verdicts.push(this.agent.verdictOf(k));
    return { ok: true, count: n, verdicts };
  }

  ramHighWater(): number {
    return this.buffers;
  }

  onRead(f: (() => void) | null): void {
    this.io.pulse = f;
  }

  dispose(): void {}
}

/** A device of the given mode; engine mode gets the board's heap and stack limits and runs `firmware` (firmwarePath(board)). */
export async function makeDevice(mode: DeviceMode, memoryLimit: number, stackSize: number, firmware: string = firmwarePath()): Promise<Device> {
  return mode === "engine" ? EngineDevice.create(memoryLimit, stackSize, firmware) : new FastDevice(memoryLimit);
}

/** Whether the device starts with `memoryLimit` bytes: `firmware` (the board's, firmwarePath(board)) loaded and the agent's buffers allocated. */
export async function startsWith(mode: DeviceMode, memoryLimit: number, capacity: number, suiteKinds: number[], stackSize: number, firmware: string = firmwarePath()): Promise<boolean> {
  const d = await makeDevice(mode, memoryLimit, stackSize, firmware);
  try {
    return d.setup(capacity, suiteKinds) === null;
  } finally {
    d.dispose();
  }
}

/** Above this no RAM is tried: a device that does not start with 1 TiB does not start. */
const MAX_TRIED_RAM = 2 ** 40;

/**
 * The smallest RAM in bytes with which the device starts (see startsWith), or -1 when
 * it does not start even with 1 TiB. Fast mode: its one rule, the agent's buffers. Engine
 * mode: the high-water mark of a setup without limit (the firmware's functions and
 * shapes, the agent's buffers: known only by running it), checked to start with that
 * and not with a byte less; else found by doubling and bisecting to the byte.
 */
export async function smallestRam(mode: DeviceMode, capacity: number, suiteKinds: number[], stackSize: number, firmware: string = firmwarePath()): Promise<number> {
  if (mode === "fast") return fastBuffers(capacity);
  const starts = (ram: number) => startsWith(mode, ram, capacity, suiteKinds, stackSize, firmware);
  // Starting is decided by the setup's high-water mark, so that is the answer when
  // the limit alone decides; the search below stays for a backstop that refuses first.
  const probe = await makeDevice(mode, MAX_TRIED_RAM, stackSize, firmware);
  const measured = probe.setup(capacity, suiteKinds) === null ? probe.ramHighWater() : -1;
  probe.dispose();
  if (measured > 0 && (await starts(measured)) && !(await starts(measured - 1))) return measured;
  let lo = 0; // does not start
  let hi = 2 * capacity + 64 * 1024;
  while (!(await starts(hi))) {
    if (hi >= MAX_TRIED_RAM) return -1;
    lo = hi;
    hi = Math.min(2 * hi, MAX_TRIED_RAM);
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await starts(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** A small signed bundle in one array: its header, then the payload it was signed around. */
export function wholeBundle(s: Signed, payload: ByteSource | Uint8Array): Uint8Array {
  return bytesOf(concatSource(s.header, asSource(payload)));
}
