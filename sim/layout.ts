/**
 * Where things are in a signed bundle, from the header's point of view. The layout
 * (header length, where the PIBs and the payload start) depends only on the SDNV
 * lengths of the sequence number, creation time and payload length and on the suites,
 * so it is taken once per combination from a real signing of a short payload with the
 * same SDNV lengths, by the agent on the Node build: the same octets the firmware
 * writes (test/sim-runner.test.ts), and available before any device starts (the
 * booking pass needs it, and so does a board whose firmware does not load).
 * bundleLife.ts holds every device's header to this length.
 */
import { sdnvLength } from "../src/core/sdnv.js";
import { Bundle } from "../src/ground/bundle.js";
import { makeAgent } from "./agent.js";
import { HEAD_BYTES, nodeLib, pieceFor, WINDOW_BYTES } from "./device.js";

export interface Layout {
  /** Octets before the payload data (primary, PIBs, payload block header). */
  headerBytes: number;
  /** Offset of the first PIB (end of the primary block). */
  pibFrom: number;
  /** Offset of the payload block (end of the PIBs). */
  pibTo: number;
}

/** The smallest value with the same SDNV length as v: a stand-in that gives the same layout. */
export function sameSdnvLength(v: number): number {
  const k = sdnvLength(v);
  return k === 1 ? v : 2 ** (7 * (k - 1));
}

/** Layouts by suites and SDNV lengths: the same in every campaign of a process (a sweep runs hundreds). */
const layouts = new Map<string, Layout>();

/** The layout of bundle `seq` signed at `ctime` around `payloadBytes` octets with the suite kinds `kinds`, in signing order. */
export function layoutOf(kinds: readonly number[], seq: number, ctime: number, payloadBytes: number): Layout {
  const key = `${kinds.join(",")}/${sdnvLength(seq)}/${sdnvLength(ctime)}/${sdnvLength(payloadBytes)}`;
  let l = layouts.get(key);
  if (l === undefined) {
    const stand = sameSdnvLength(payloadBytes);
    const bundle = signOnNode(kinds, stand, sameSdnvLength(seq), sameSdnvLength(ctime));
    const b = new Bundle(16, 16);
    if (b.parse(bundle, 0, bundle.length) < 0 || b.payloadIndex < 0) throw new Error("simulator: the Node build produced a bundle that does not parse");
    if (b.payloadIndex !== b.blockCount - 1) throw new Error("simulator: the payload is not the last block; the simulator needs it last");
    l = { headerBytes: bundle.length - stand, pibFrom: b.primaryEnd, pibTo: b.blockStart[b.payloadIndex]! };
    layouts.set(key, l);
  }
  return l;
}

/**
 * Bundle `seq` signed at `ctime` by the agent on the Node build with the suite kinds
 * `kinds`, around a payload of `payloadBytes` zeros: the whole signed bundle. What the
 * layout is read from, and what the firmware witness compares the firmware's header with
 * (witness.ts).
 */
export function signOnNode(kinds: readonly number[], payloadBytes: number, seq: number, ctime: number): Uint8Array {
  const bundle = new Uint8Array(payloadBytes + HEAD_BYTES);
  const agent = makeAgent(nodeLib, {
    read: (t, off, _src, n) => {
      t.fill(0, off, off + n);
      return n;
    },
    write: (b, off, n, dst) => {
      bundle.set(b.subarray(off, off + n), dst);
      return n;
    },
  });
  agent.init(pieceFor(payloadBytes), HEAD_BYTES, WINDOW_BYTES, kinds.length);
  agent.clearSuites();
  for (const k of kinds) agent.addSuite(k);
  const n = agent.sign(payloadBytes, seq, ctime);
  if (n < 0) throw new Error(`simulator: the Node build could not sign a ${payloadBytes}-octet bundle (E${-n})`);
  return bundle.subarray(0, n);
}
