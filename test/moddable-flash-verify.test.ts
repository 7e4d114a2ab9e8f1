/**
 * The Moddable flash example (targets/examples/moddable/flash-verify.js with its manifest
 * flash-verify.json) on the exact pib-path+stream Moddable file, laid out as mcconfig
 * would, in XS with a fixed-size heap (the creation record's chunk and slot heaps do not
 * grow) that cannot hold the bundle: a stand-in for the SDK's `flash` module, whose
 * read(offset, byteLength) returns a new ArrayBuffer as the SDK's does, hands out the
 * host's copy of the partition. Bundles signed with each suite alone and with all three
 * verify (with the manifest's stack of 384 slots); one payload bit flipped makes every PIB a mismatch; blocks before the payload
 * larger than the window give HeaderTooLarge; a bundle cut short gives its own code
 * (SdnvTruncated is -1: not "no bundle"); the host counts every read and its length.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { SuiteKind } from "../src/core/suites.js";
import { BundleWriter, PrimarySpec, writeBlock } from "../src/ground/bundleWriter.js";
import { Signer } from "../src/ground/pib.js";
import { layOut, resolveManifest, startModule } from "../targets/build/moddableGraph.js";
import { ensureFirmware, FEATURES } from "../targets/hosts/engineRun.js";
import { XsHost, xsnapMemoryAtRest, xsnapWorkerPath } from "../targets/hosts/xs.js";
import { rng } from "./support/rng.js";
import { needs } from "./support/shared.js";

const ROOT = join(import.meta.dirname, "..");
const MANIFEST = join(ROOT, "targets/examples/moddable/flash-verify.json");
const PAYLOAD = 200_000;
/** The example's read size (PIECE in flash-verify.js). */
const PIECE = 512;
/** The heap above what xsnap holds at rest: chunks (ArrayBuffer data, strings, byte code) and slots, both fixed. */
const CHUNK_ROOM = 64 * 1024; // 48 KiB is enough for the firmware, the example and its pieces; 32 KiB is not
const SLOT_ROOM = 16_000;
const BLOCK = 4096;

const ascii = (t: string) => Uint8Array.from(Buffer.from(t, "ascii"));

function primary(): PrimarySpec {
  const spec = new PrimarySpec();
  spec.flags = 0x10;
  spec.dest = ascii("dtn://ground/archive");
  spec.source = ascii("dtn://sat-1/imager");
  spec.reportTo = ascii("dtn:none");
  spec.custodian = ascii("dtn:none");
  spec.lifetime.lo = 86400;
  return spec;
}

/** A bundle with a PAYLOAD-octet payload (after `before` octets of an extension block, if any), signed by the ground Signer with `kinds` in order. */
function bundle(kinds: number[], before = 0): Uint8Array {
  const r = rng(0xf1a5);
  const spec = primary();
  const payload = Uint8Array.from({ length: PAYLOAD }, () => Math.floor(r() * 256));
  let b = new Uint8Array(PAYLOAD + before + 256);
  let n = new BundleWriter().writePrimary(b, 0, b.length, spec);
  if (before) n = writeBlock(b, n, b.length, 192, 0, false, new Uint8Array(before).fill(0x5a), 0, before);
  n = writeBlock(b, n, b.length, 1, 0, true, payload, 0, PAYLOAD);
  b = b.slice(0, n);
  for (const kind of kinds) {
    const out = new Uint8Array(b.length + 64);
    const m = new Signer(8, 8).sign(b, 0, b.length, out, 0, out.length, kind, 0);
    expect(m).toBeGreaterThan(0);
    b = out.slice(0, m);
  }
  return b;
}

/** The partition: the bundle's length (4 octets, big-endian), the bundle, erased flash (0xFF) to the end of its last block. */
function partition(b: Uint8Array): Uint8Array {
  const p = new Uint8Array(Math.ceil((4 + b.length) / BLOCK) * BLOCK).fill(0xff);
  new DataView(p.buffer).setUint32(0, b.length);
  p.set(b, 4);
  return p;
}

/** The stand-in for the SDK's `flash` module: read() asks the host and returns the octets as a new ArrayBuffer. */
function flashModule(byteLength: number): string {
  return `export default class Flash {
  constructor(name) { if (name !== "bundles") throw new Error("can't find partition"); }
  read(offset, byteLength) {
    if (!(offset >= 0 && byteLength >= 0 && offset + byteLength <= ${byteLength})) throw new Error("read past the partition");
    const q = new DataView(new ArrayBuffer(8));
    q.setUint32(0, offset);
    q.setUint32(4, byteLength);
    return issueCommand(q.buffer);
  }
  get byteLength() { return ${byteLength}; }
  get blockSize() { return ${BLOCK}; }
}
`;
}

interface Run {
  result: string;
  log: string[];
  reads: number;
  largestRead: number;
  octetsRead: number;
  /** What a 2nd evaluation, holding the bundle whole in the same worker, gave. */
  whole: string;
}

/** Runs the example over `b` (or the partition `raw`) in XS with a fixed heap below b's size. */
async function run(b: Uint8Array, raw?: Uint8Array): Promise<Run> {
  const p = raw ?? partition(b);
  const g = resolveManifest(MANIFEST);
  const standIn = join(mkdtempSync(join(tmpdir(), "pibkit-flash-")), "flash.js");
  writeFileSync(standIn, flashModule(p.length));
  g.modules["flash"] = standIn;
  g.preload.push("flash"); // the SDK's flash manifest preloads it
  const dir = layOut(g);
  const rest = xsnapMemoryAtRest();
  const stats = { reads: 0, largestRead: 0, octetsRead: 0 };
  const xs = new XsHost({
    // the manifest's stack (creation.stack slots), as the device gets it
    stackSlots: g.creation["stack"] as number,
    memory: { chunkBytes: rest.chunkBytes + CHUNK_ROOM, slots: rest.slots + SLOT_ROOM },
    onCommand: (m) => {
      const v = new DataView(m.buffer, m.byteOffset, m.byteLength);
      const off = v.getUint32(0);
      const len = v.getUint32(4);
      stats.reads++;
      stats.octetsRead += len;
      if (len > stats.largestRead) stats.largestRead = len;
      return p.subarray(off, off + len);
    },
  });
  try {
    await xs.evaluate("globalThis.__log = []; globalThis.trace = function (s) { __log.push(String(s).trim()); };");
    const r = await xs.importModule(startModule(dir, g));
    if (!r.ok) throw new Error(r.error);
    const v = await xs.evalString("globalThis.__main");
    const l = await xs.evalString("__log.join('\\n')");
    const whole = await xs.evalString(`new Uint8Array(${b.length}).length`);
    return {
      result: v.ok ? v.reply : v.error,
      log: l.ok ? l.reply.split("\n") : [],
      ...stats,
      whole: whole.ok ? "held " + whole.reply : whole.error,
    };
  } finally {
    await xs.close();
  }
}

const ALL = [SuiteKind.Crc32, SuiteKind.Md5, SuiteKind.Hmac];
const NAMES: Record<number, string> = { [SuiteKind.Hmac]: "PIB-HMAC", [SuiteKind.Md5]: "PIB-INSECURE-MD5", [SuiteKind.Crc32]: "PIB-INSECURE-CRC32" };

beforeAll(async () => {
  await ensureFirmware(FEATURES["pib-path+stream"]!, "pibkit-pib-path+stream");
}, 120_000);

describe("Moddable flash example: a bundle larger than the XS heap, verified piece by piece", () => {
  test("module graph: main is flash-verify.js, pibkit the pib-path+stream file, preloaded; the SDK's flash module included", () => {
    const g = resolveManifest(MANIFEST);
    expect(Object.keys(g.modules).sort()).toEqual(["main", "pibkit"]);
    expect(g.modules["main"]).toBe(join(ROOT, "targets/examples/moddable/flash-verify.js"));
    expect(g.modules["pibkit"]).toBe(join(ROOT, "dist/moddable/pibkit-pib-path+stream.js"));
    expect(g.preload).toEqual(["pibkit"]);
    expect(g.sdkIncludes).toContain("$(MODULES)/files/flash/manifest.json");
  });

  const runs = needs(xsnapWorkerPath() !== undefined, "the Moddable flash example in XS", "@agoric/xsnap's xsnap-worker is not built (npm install builds it)") ? test : test.skip;
  for (const kinds of [[SuiteKind.Crc32], [SuiteKind.Md5], [SuiteKind.Hmac], ALL]) {
    const label = kinds.map((k) => NAMES[k]).join(" + ");
    runs(`${label}: ok, intact, in reads of at most ${PIECE} octets, under a heap the bundle does not fit`, async () => {
      const b = bundle(kinds);
      expect(b.length).toBeGreaterThan(CHUNK_ROOM);
      const got = await run(b);
      // PIBs in LIFO order: the last one signed comes first
      const expected = [...kinds].reverse().map((k, i) => `bundles: PIB ${i} ${NAMES[k]} ok`);
      expect(got.log).toEqual([...expected, "bundles: intact"]);
      expect(got.result).toBe("intact");
      // the length, then the bundle once, PIECE octets at a time
      expect(got.reads).toBe(1 + Math.ceil(b.length / PIECE));
      expect(got.octetsRead).toBe(4 + b.length);
      expect(got.largestRead).toBe(PIECE);
      // the heap that verified it cannot hold it whole
      expect(got.whole).toMatch(/worker exited/);
    }, 120_000);
  }

  runs("one payload bit flipped: every PIB a mismatch", async () => {
    const b = bundle(ALL);
    b[b.length - 1000]! ^= 0x20;
    const got = await run(b);
    expect(got.log).toEqual([
      "bundles: PIB 0 PIB-HMAC MISMATCH",
      "bundles: PIB 1 PIB-INSECURE-MD5 MISMATCH",
      "bundles: PIB 2 PIB-INSECURE-CRC32 MISMATCH",
      "bundles: NOT intact",
    ]);
    expect(got.result).toBe("NOT intact");
  }, 120_000);

  runs("blocks before the payload larger than the window: HeaderTooLarge, named, and reading stops there", async () => {
    const b = bundle([SuiteKind.Crc32], 600);
    const got = await run(b);
    expect(got.log).toEqual(["bundles: pibkit error 24 (HeaderTooLarge: raise WINDOW or the lanes)"]);
    expect(got.result).toBe("error 24");
    expect(got.reads).toBeLessThanOrEqual(4);
  }, 120_000);

  runs("a bundle cut after the payload block's type octet: pibkit error 1 (SdnvTruncated), not taken for no bundle", async () => {
    const primaryEnd = new BundleWriter().writePrimary(new Uint8Array(256), 0, 256, primary());
    const got = await run(bundle([]).slice(0, primaryEnd + 1));
    expect(got.log).toEqual(["bundles: pibkit error 1"]);
    expect(got.result).toBe("error 1");
  }, 120_000);

  runs("an erased partition (0xFF throughout): no bundle, one read", async () => {
    const got = await run(new Uint8Array(0), new Uint8Array(16 * BLOCK).fill(0xff));
    expect(got.log).toEqual(["bundles: no bundle"]);
    expect(got.result).toBe("no bundle");
    expect(got.reads).toBe(1);
  }, 120_000);
});
