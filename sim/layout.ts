/**
 * Where things are in a signed bundle, from the header's point of view. The layout
 * (header length, where the PIBs and the payload start) depends only on the SDNV
 * lengths of the sequence number, creation time and payload length and on the suites,
 * so it is taken once per combination from a real signing of a short payload with the
 * same SDNV lengths, by the device itself.
 */
import { sdnvLength } from "../src/core/sdnv.js";
import { Bundle } from "../src/ground/bundle.js";
import { wholeBundle, type Device } from "./device.js";

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

/** What a layout depends on besides the SDNV lengths: the board's build, the suites, and the device that signs. */
export interface LayoutContext {
  board: { name: string };
  kinds: readonly number[];
  device: Device;
}

/** Layouts by board, suites and SDNV lengths: the same in every campaign of a process (a sweep runs hundreds). */
const layouts = new Map<string, Layout>();

/** The layout of bundle `seq` signed at `ctime` around `payloadBytes` octets. */
export function layoutOf(ctx: LayoutContext, seq: number, ctime: number, payloadBytes: number): Layout {
  const key = `${ctx.board.name}/${ctx.kinds.join(",")}/${sdnvLength(seq)}/${sdnvLength(ctime)}/${sdnvLength(payloadBytes)}`;
  let l = layouts.get(key);
  if (l === undefined) {
    const stand = new Uint8Array(sameSdnvLength(payloadBytes));
    const signed = ctx.device.sign(stand, sameSdnvLength(seq), sameSdnvLength(ctime));
    if (!signed.ok) throw new Error(`simulator: the firmware could not sign a ${stand.length}-octet bundle to learn the layout: ${signed.error}`);
    const bundle = wholeBundle(signed, stand);
    const b = new Bundle(16, 16);
    if (b.parse(bundle, 0, bundle.length) < 0 || b.payloadIndex < 0) throw new Error("simulator: the firmware produced a bundle that does not parse");
    if (b.payloadIndex !== b.blockCount - 1) throw new Error("simulator: the payload is not the last block; the simulator needs it last");
    l = { headerBytes: signed.header.length, pibFrom: b.primaryEnd, pibTo: b.blockStart[b.payloadIndex]! };
    layouts.set(key, l);
  }
  return l;
}
