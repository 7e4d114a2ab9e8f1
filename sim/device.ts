/**
 * The simulated device: the bundle agent (agent.ts) on the pibkit firmware, either
 * - "engine": the BUILT generic firmware file of the on-board PIB path with the bundle
 *   writer (dist/generic/pibkit-pib-path+writer.js: the firmware that flies) inside QuickJS
 *   with the board's RAM as the heap limit and a fixed stack limit
 *   (targets/hosts/quickjs.ts). Running out of memory is a returned failure naming the
 *   operation, never a host crash; or
 * - "fast": the same agent in Node on `src/` (bundled into the CLI), for campaigns too
 *   big for an interpreter. Its RAM model is one rule: the agent's two bundle buffers
 *   must fit the board's RAM (the allocation that fails first in engine mode).
 * Both modes run the same agent code; engine mode on the on-board path (src/onboard/),
 * fast mode on the ground library, which the differential tests hold to the same
 * verdicts (test/onboard*.test.ts) and test/sim-runner.test.ts checks on a seed.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as firmwareLib from "../src/entries/full.js";
import { QuickJsHost } from "../targets/hosts/quickjs.js";
import { agentSource, makeAgent, type Agent } from "./agent.js";

export type DeviceMode = "engine" | "fast";

/** A firmware operation that failed: out of memory, or an error code from the library. */
export interface DeviceFailure {
  ok: false;
  oom: boolean;
  operation: string;
  error: string;
}

export interface Signed {
  ok: true;
  bundle: Uint8Array;
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
  sign(payload: Uint8Array, seq: number, ctime: number): Signed | DeviceFailure;
  verify(bundle: Uint8Array, budget: number): Checked | DeviceFailure;
  /** Largest heap seen after any operation (bytes). */
  ramHighWater(): number;
  dispose(): void;
}

/** Stack limit when the board profile names none (QuickJS counts native stack). */
export const DEFAULT_STACK_BYTES = 256 * 1024;

/** The host side of the agent's two host functions: one source and one sink at a time. */
class Transfer {
  source: Uint8Array = new Uint8Array(0);
  sink: Uint8Array = new Uint8Array(0);
}

function failure(oom: boolean, operation: string, error: string): DeviceFailure {
  return { ok: false, oom, operation, error };
}

/** The repository root (works from sim/ in tests and from dist/node/ in the CLI). */
export function repoRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const c of [resolve(here, ".."), resolve(here, "..", ".."), process.cwd()]) {
    if (existsSync(join(c, "package.json")) && existsSync(join(c, "targets"))) return c;
  }
  return process.cwd();
}

/** Path of the built generic firmware file the engine mode runs. */
export function firmwarePath(): string {
  return join(repoRoot(), "dist", "generic", "pibkit-pib-path+writer.js");
}

/** The agent on the firmware in QuickJS. */
class EngineDevice implements Device {
  readonly mode = "engine" as const;
  private vm: QuickJsHost;
  private readonly io = new Transfer();
  private high = 0;

  constructor(vm: QuickJsHost) {
    this.vm = vm;
  }

  static async create(memoryLimit: number, stackSize: number): Promise<EngineDevice> {
    return new EngineDevice(await QuickJsHost.create({ memoryLimit, stackSize }));
  }

  /** Records the heap in use now (QuickJS memory_used_size; older builds call it malloc_size). */
  private note(): void {
    const u = this.vm.memoryUsage();
    const h = u.memory_used_size ?? u.malloc_size ?? 0;
    if (h > this.high) this.high = h;
  }

  setup(capacity: number, suiteKinds: number[]): DeviceFailure | null {
    const path = firmwarePath();
    if (!existsSync(path)) return failure(false, "load firmware", `${path} is missing: run \`node targets/build/build.mjs\` first`);
    const io = this.io;
    try {
      this.vm.defineByteSource("hostRead", (srcOff, len) => io.source.subarray(srcOff as number, (srcOff as number) + (len as number)));
      this.vm.defineFunction("hostWriteRaw", (bytes, off) => {
        io.sink.set(bytes as Uint8Array, off as number);
        return (bytes as Uint8Array).length;
      });
    } catch (e) {
      // A fresh VM that cannot make two function objects has no heap left for anything.
      return failure(true, "start firmware", `out of memory defining the host functions (${(e as Error).message})`);
    }
    const loaded = this.vm.load(readFileSync(path, "utf8"), "pibkit-pib-path+writer.js");
    this.note();
    if (!loaded.ok) return failure(loaded.oom, "load firmware", loaded.error);
    const made = this.vm.load(
      "var simAgent = " +
        agentSource() +
        "(pibkit, { read: function (t, off, s, n) { return hostRead(t, off, s, n); }, write: function (b, off, n) { return hostWriteRaw(b.subarray(off, off + n), off); } });",
      "agent.js",
    );
    this.note();
    if (!made.ok) return failure(made.oom, "start agent", made.error);
    const init = this.vm.call<number>("simAgent.init", capacity, suiteKinds.length);
    this.note();
    if (!init.ok) return failure(init.oom, "allocate buffers", init.error);
    this.vm.call("simAgent.clearSuites");
    for (const k of suiteKinds) {
      const r = this.vm.call("simAgent.addSuite", k);
      if (!r.ok) return failure(r.oom, "configure suites", r.error);
    }
    return null;
  }

  sign(payload: Uint8Array, seq: number, ctime: number): Signed | DeviceFailure {
    this.io.source = payload;
    this.io.sink = new Uint8Array(payload.length + 4096);
    const r = this.vm.call<number>("simAgent.sign", payload.length, seq, ctime);
    this.note();
    if (!r.ok) return failure(r.oom, "sign", r.error);
    if (r.value < 0) return failure(false, "sign", `firmware error E${-r.value}`);
    return { ok: true, bundle: this.io.sink.slice(0, r.value) };
  }

  verify(bundle: Uint8Array, budget: number): Checked | DeviceFailure {
    this.io.source = bundle;
    const r = this.vm.call<number>("simAgent.verify", bundle.length, budget);
    this.note();
    if (!r.ok) return failure(r.oom, "verify", r.error);
    const verdicts: number[] = [];
    for (let k = 0; k < r.value; k++) {
      const v = this.vm.call<number>("simAgent.verdictOf", k);
      if (!v.ok) return failure(v.oom, "verify", v.error);
      verdicts.push(v.value);
    }
    return { ok: true, count: r.value, verdicts };
  }

  ramHighWater(): number {
    return this.high;
  }

  dispose(): void {
    this.vm.dispose();
  }
}

/** The same agent on src/ in Node. */
class FastDevice implements Device {
  readonly mode = "fast" as const;
  private readonly io = new Transfer();
  private agent: Agent;
  private buffers = 0;
  private readonly limit: number;

  constructor(memoryLimit: number) {
    this.limit = memoryLimit;
    const io = this.io;
    this.agent = makeAgent(firmwareLib, {
      read: (t, off, s, n) => {
        t.set(io.source.subarray(s, s + n), off);
        return n;
      },
      write: (b, off, n) => {
        io.sink.set(b.subarray(off, off + n), off);
        return n;
      },
    });
  }

  /**
   * The one RAM rule of fast mode: the agent's two bundle buffers must fit the board's
   * RAM (what fails first in engine mode; QuickJS's own few hundred KiB are not counted).
   */
  setup(capacity: number, suiteKinds: number[]): DeviceFailure | null {
    this.buffers = 2 * capacity;
    if (this.buffers > this.limit) return failure(true, "allocate buffers", `two ${capacity}-byte bundle buffers exceed ${this.limit} bytes of RAM`);
    const e = this.agent.init(capacity, suiteKinds.length);
    if (e < 0) return failure(false, "allocate buffers", `firmware error E${-e}`);
    this.agent.clearSuites();
    for (const k of suiteKinds) this.agent.addSuite(k);
    return null;
  }

  sign(payload: Uint8Array, seq: number, ctime: number): Signed | DeviceFailure {
    this.io.source = payload;
    this.io.sink = new Uint8Array(payload.length + 4096);
    const n = this.agent.sign(payload.length, seq, ctime);
    if (n < 0) return failure(false, "sign", `firmware error E${-n}`);
    return { ok: true, bundle: this.io.sink.subarray(0, n) };
  }

  verify(bundle: Uint8Array, budget: number): Checked | DeviceFailure {
    this.io.source = bundle;
    const n = this.agent.verify(bundle.length, budget);
    const verdicts: number[] = [];
    for (let k = 0; k < n; k++) verdicts.push(this.agent.verdictOf(k));
    return { ok: true, count: n, verdicts };
  }

  ramHighWater(): number {
    return this.buffers;
  }

  dispose(): void {}
}

/** A device of the given mode; engine mode gets the board's heap and stack limits. */
export async function makeDevice(mode: DeviceMode, memoryLimit: number, stackSize: number): Promise<Device> {
  return mode === "engine" ? EngineDevice.create(memoryLimit, stackSize) : new FastDevice(memoryLimit);
}

/** Whether the device starts with `memoryLimit` bytes: the firmware loaded and the agent's buffers allocated. */
export async function startsWith(mode: DeviceMode, memoryLimit: number, capacity: number, suiteKinds: number[], stackSize: number): Promise<boolean> {
  const d = await makeDevice(mode, memoryLimit, stackSize);
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
 * it does not start even with 1 TiB. Fast mode: its one rule, two bundle buffers. Engine
 * mode: found by starting the firmware under trial limits, doubling and then bisecting
 * to the byte, because what QuickJS counts against its limit (its own runtime, the
 * firmware's functions and shapes, the buffers) is known only by running it.
 */
export async function smallestRam(mode: DeviceMode, capacity: number, suiteKinds: number[], stackSize: number): Promise<number> {
  if (mode === "fast") return 2 * capacity;
  let lo = 0; // does not start
  let hi = 2 * capacity + 64 * 1024;
  while (!(await startsWith(mode, hi, capacity, suiteKinds, stackSize))) {
    if (hi >= MAX_TRIED_RAM) return -1;
    lo = hi;
    hi = Math.min(2 * hi, MAX_TRIED_RAM);
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await startsWith(mode, mid, capacity, suiteKinds, stackSize)) hi = mid;
    else lo = mid;
  }
  return hi;
}
