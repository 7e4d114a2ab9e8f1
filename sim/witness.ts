/**
 * The exact firmware beside a statistical run. Stat mode (statistical.ts) decides
 * verdicts from error patterns and signs on the Node build, so by itself it never runs
 * the file a board flies. The witness does, once per firmware, board RAM, suites and
 * SDNV lengths in a process: the board's built firmware (firmwarePath) in QuickJS under
 * the board's RAM (engine mode's device, device.ts) signs a stand-in bundle whose
 * payload, sequence number and creation time have the run's SDNV lengths (layout.ts:
 * the header is then the run's, octet for octet but the results), and the Node build
 * signs the same. The report says whether the two headers are the same octets, and the
 * RAM high-water mark the engine measured for it: the same quantity as engine mode's
 * and as the board's limit (bytes above an empty runtime). Stat mode runs it before its
 * bundles and takes that measurement as its own RAM figure; a witness out of memory
 * makes every bundle of the run out of memory (campaign.ts). A stand-in of a 200 MB
 * image is 2 MiB (the smallest payload whose length takes the same four SDNV octets),
 * signed in about a second.
 */
import { relative } from "node:path";
import { makeDevice, repoRoot, type Device } from "./device.js";
import { sameSdnvLength, signOnNode } from "./layout.js";

export interface FirmwareWitness {
  /** The firmware file, relative to the repository. */
  firmware: string;
  /** The stand-in's payload octets, and the header the firmware wrote around it. */
  payloadBytes: number;
  headerBytes: number;
  /** The firmware's signed header equals the Node build's, octet for octet (PIB results included: the payload is zeros in both). */
  sameHeader: boolean;
  /** Measured in QuickJS: bytes above an empty runtime, against the board's RAM. */
  ramHighWaterBytes: number;
  ramLimitBytes: number;
  /** Why there is no comparison: the firmware could not sign (out of memory, an error); else null. */
  failure: string | null;
  /**
   * The operation in which the firmware ran out of the board's RAM ("load firmware",
   * "start agent", "sign"…; `failure` says more), else null: the run's bundles would
   * too, so stat mode records each as out of memory there, as engine mode does.
   */
  outOfMemoryIn: string | null;
}

/** Witnesses by firmware, RAM, suites and stand-in: the same in every campaign of a process (a sweep runs hundreds). */
const witnesses = new Map<string, FirmwareWitness>();

/**
 * The witness for a run on `firmware` with `ramBytes` of RAM, `kinds` in signing order,
 * bundles of `capacity` octets at most and payloads, sequence numbers and creation times
 * like `payloadBytes`, `seq`, `ctime`. The firmware and the Node build (layout.ts
 * signOnNode) each sign the stand-in once per key; `nodeKinds` (by default `kinds`) are
 * the suites the Node build signs with, another order making a control that must differ.
 */
export async function firmwareWitness(
  firmware: string,
  ramBytes: number,
  stackBytes: number,
  capacity: number,
  kinds: number[],
  payloadBytes: number,
  seq: number,
  ctime: number,
  nodeKinds: readonly number[] = kinds,
): Promise<FirmwareWitness> {
  // stand-ins with the same SDNV lengths: the same layout, so the same key
  const stand = { payload: sameSdnvLength(payloadBytes), seq: sameSdnvLength(seq), ctime: sameSdnvLength(ctime) };
  const key = [firmware, ramBytes, stackBytes, capacity, kinds.join(","), nodeKinds.join(","), stand.payload, stand.seq, stand.ctime].join("/");
  let w = witnesses.get(key);
  if (w === undefined) {
    const run = await signOnEngine(firmware, ramBytes, stackBytes, capacity, kinds, stand);
    w = run.w;
    if (run.header !== null) {
      const node = signOnNode(nodeKinds, stand.payload, stand.seq, stand.ctime);
      const header = run.header;
      w.sameHeader = node.length - stand.payload === header.length && header.every((x, i) => x === node[i]);
    }
    witnesses.set(key, w);
  }
  return { ...w };
}

/** The engine's part: the firmware loaded and set up under the RAM, the stand-in signed. */
async function signOnEngine(
  firmware: string,
  ramBytes: number,
  stackBytes: number,
  capacity: number,
  kinds: number[],
  stand: { payload: number; seq: number; ctime: number },
): Promise<{ w: FirmwareWitness; header: Uint8Array | null }> {
  const w: FirmwareWitness = {
    firmware: relative(repoRoot(), firmware),
    payloadBytes: stand.payload,
    headerBytes: 0,
    sameHeader: false,
    ramHighWaterBytes: 0,
    ramLimitBytes: ramBytes,
    failure: null,
    outOfMemoryIn: null,
  };
  let engine: Device;
  try {
    engine = await makeDevice("engine", ramBytes, stackBytes, firmware);
  } catch (e) {
    w.failure = `the firmware did not load: ${(e as Error).message.split("\n")[0]}`;
    return { w, header: null };
  }
  try {
    const setup = engine.setup(capacity, kinds);
    const signed = setup ?? engine.sign(new Uint8Array(stand.payload), stand.seq, stand.ctime);
    w.ramHighWaterBytes = engine.ramHighWater();
    if (!signed.ok) {
      w.failure = `${signed.oom ? "out of memory" : "error"} in ${signed.operation}: ${signed.error}`;
      if (signed.oom) w.outOfMemoryIn = signed.operation;
      return { w, header: null };
    }
    w.headerBytes = signed.header.length;
    return { w, header: signed.header.slice() };
  } finally {
    engine.dispose();
  }
}
