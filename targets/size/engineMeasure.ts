/**
 * The engine measurements of a firmware's start-up objects: the objects a node makes
 * when it starts (an expression over the loaded firmware `P`, builds.ts) are made in
 * QuickJS, which reports its heap growth, the census of what they hold (objects,
 * properties, typed arrays) and the octets of every ArrayBuffer allocated meanwhile;
 * and in XS (xsnap), which reports the heap slots they keep. Every figure here is
 * measured and deterministic.
 */
import { QuickJsHost } from "../hosts/quickjs.js";
import { XsHost } from "../hosts/xs.js";
import type { Census } from "./rows.js";

/** Census of objects reachable from `expr` (own properties), for the JsVar estimate and the buffers figure. */
const CENSUS = `function __census(root) {
  var seen = [], buffers = [], objects = 0, props = 0, typedBytes = 0, typed = 0;
  function walk(v) {
    if (v === null || typeof v !== "object") return;
    if (seen.indexOf(v) >= 0) return;
    seen.push(v);
    // views of one ArrayBuffer (subarrays, several widths over one table) count its octets once
    if (ArrayBuffer.isView(v)) { typed++; if (buffers.indexOf(v.buffer) < 0) { buffers.push(v.buffer); typedBytes += v.buffer.byteLength; } return; }
    objects++;
    var ks = Object.keys(v);
    props += ks.length;
    for (var i = 0; i < ks.length; i++) walk(v[ks[i]]);
  }
  walk(root);
  return JSON.stringify({ objects: objects, props: props, typed: typed, typedBytes: typedBytes });
}`;

async function quickJsRam(generic: string, startup: string): Promise<{ code: number; state: number; census: Census }> {
  const h = await QuickJsHost.create({});
  try {
    h.load(CENSUS, "census.js");
    const before = h.heapBytes();
    const l = h.load(generic, "firmware.js");
    if (!l.ok) throw new Error("QuickJS load: " + l.error);
    h.load("var P = pibkit; var __keep = null;", "p.js");
    const afterLoad = h.heapBytes();
    const r = h.load(`__keep = ${startup};`, "startup.js");
    if (!r.ok) throw new Error("QuickJS start-up: " + r.error);
    const afterState = h.heapBytes();
    const c = h.eval<string>("__census(__keep)");
    if (!c.ok) throw new Error(c.error);
    // the 'var __keep = null' statement and the startup script's own bytecode are freed after running
    const census = JSON.parse(c.value) as Census;
    // buffers held in closures are invisible to the census walk: count allocations instead
    const allocated = await startupAllocations(generic, startup);
    census.typed = Math.max(census.typed, allocated.count);
    census.typedBytes = Math.max(census.typedBytes, allocated.bytes);
    return { code: afterLoad - before, state: afterState - afterLoad, census };
  } finally {
    h.dispose();
  }
}


/**
 * Octets of the ArrayBuffers created while `startup` runs (each once, views of one
 * buffer included), in a separate QuickJS host whose typed-array constructors are
 * wrapped before the firmware loads (the Espruino text names them once at load,
 * targets/build/globalAliases.mjs). Catches buffers a start-up object keeps only in a
 * closure, which no walk over properties sees; a temporary made during start-up and
 * dropped counts too (conservative).
 */
export async function startupAllocations(generic: string, startup: string): Promise<{ bytes: number; count: number }> {
  const names = ["Uint8Array", "Int8Array", "Uint16Array", "Int16Array", "Uint32Array", "Int32Array", "Float32Array", "Float64Array", "Uint8ClampedArray", "ArrayBuffer"];
  const probe = `var __alloc = { on: false, bytes: 0, count: 0, bufs: [] };
${JSON.stringify(names)}.forEach(function (n) {
  var C = globalThis[n];
  globalThis[n] = new Proxy(C, { construct: function (t, a, nt) {
    var r = Reflect.construct(t, a, nt === globalThis[n] ? t : nt);
    if (__alloc.on) { var b = r instanceof ArrayBuffer ? r : r.buffer; if (__alloc.bufs.indexOf(b) < 0) { __alloc.bufs.push(b); __alloc.bytes += b.byteLength; __alloc.count++; } }
    return r; } });
});
`;
  const h = await QuickJsHost.create({});
  try {
    const l = h.load(probe + generic + "\nvar P = pibkit; var __keep = null;", "probe.js");
    if (!l.ok) throw new Error("QuickJS load (allocation probe): " + l.error);
    const r = h.load(`__alloc.on = true; __keep = ${startup}; __alloc.on = false;`, "startup.js");
    if (!r.ok) throw new Error("QuickJS start-up (allocation probe): " + r.error);
    const c = h.eval<string>("JSON.stringify({ bytes: __alloc.bytes, count: __alloc.count })");
    if (!c.ok) throw new Error(c.error);
    return JSON.parse(c.value) as { bytes: number; count: number };
  } finally {
    h.dispose();
  }
}

async function xsSlots(xs: XsHost | null, generic: string, startup: string): Promise<number | null> {
  if (!xs) return null;
  const l = await xs.evaluate(generic + "\nvar P = pibkit; var __keep = [];\n");
  if (!l.ok) return null;
  // gc() first so the counter starts from a collected heap; the delta is what start-up keeps.
  for (let attempt = 0; attempt < 5; attempt++) {
    await xs.evaluate("gc()");
    const a = await xs.evaluate("__keep.length = 0; 0");
    const b = await xs.evaluate(`__keep.push(${startup}); 0`);
    const base = await xs.evaluate("__keep.length = __keep.length; 0");
    if (!a.ok || !b.ok || !base.ok) return null;
    const d = b.meters.currentHeapCount - a.meters.currentHeapCount - (base.meters.currentHeapCount - b.meters.currentHeapCount);
    if (d >= 0 && b.meters.currentHeapCount >= a.meters.currentHeapCount) return d;
  }
  return null;
}


/** The census of no objects: a report run without engines holds it. */
const NO_CENSUS: Census = { objects: 0, props: 0, typed: 0, typedBytes: 0 };

/**
 * A firmware's start-up objects measured in each engine: QuickJS heap of the code and
 * of the objects with their census, and XS slots (null without an XS host or when XS
 * cannot measure). With `engines` false nothing runs: zeros, and no XS slots.
 */
export async function measureStartup(engines: boolean, xs: XsHost | null, generic: string, startup: string): Promise<{ code: number; state: number; census: Census; slots: number | null }> {
  if (!engines) return { code: 0, state: 0, census: { ...NO_CENSUS }, slots: null };
  const ram = await quickJsRam(generic, startup);
  return { ...ram, slots: await xsSlots(xs, generic, startup) };
}
