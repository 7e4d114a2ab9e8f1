/**
 * The firmware's hot paths as engine-side snippets, for the zero-allocation proofs
 * (test/alloc*.test.ts) and anything else that wants to drive them (benchmarks).
 * Each path's `setup` runs once against the global `pibkit`; `body` is one call.
 * Bundles are a small one (dtn://src/app to dtn://dst/app, payload "Hello, world",
 * one PIB-INSECURE-CRC32) and the same primary block with a 4 KiB payload.
 */
import type { AllocPath } from "./allocProbe.js";
import { Signer } from "../../src/ground/pib.js";

const PRIMARY = "068a81182d0004000e00180018fba29000019c101d64746e002f2f6473742f617070002f2f7372632f617070006e6f6e6500";
const EX1_CRC = PRIMARY + "03010e0605040402000c0605040af5e181" + "01080c48656c6c6f2c20776f726c64";

/** Payload block with 4096 octets: type 1, flags 0x08 (last), SDNV(4096) = a0 00. */
function payload4k(): string {
  let h = "0108a000";
  for (let i = 0; i < 4096; i++) h += ((i * 131 + 7) & 255).toString(16).padStart(2, "0");
  return h;
}

/**
 * The 4 KiB bundle with a PIB-INSECURE-CRC32, signed here by the ground library: a
 * relay firmware has no Signer of its own to make it.
 */
function signedCrc4kHex(): string {
  const plain = Buffer.from(PRIMARY + payload4k(), "hex");
  const out = new Uint8Array(4400);
  const n = new Signer(8, 8).sign(plain, 0, plain.length, out, 0, out.length, 3, 0);
  if (n < 0) throw new Error("hotPaths: signing the 4 KiB CRC bundle failed: " + n);
  return Buffer.from(out.subarray(0, n)).toString("hex");
}

/** Shared setup: helpers, digests, a parser, a signer, a verifier and signed 4 KiB bundles. */
export function commonSetup(): string {
  return `
var P = pibkit;
function hx(h) { var b = new Uint8Array(h.length / 2); for (var i = 0; i < b.length; i++) b[i] = parseInt(h.substr(2 * i, 2), 16); return b; }
var u64 = P.U64 ? new P.U64() : { hi: 0, lo: 0 };
var sdnvMax = hx("81ffffffffffffffff7f");
var sdnvOut = new Uint8Array(12);
var data = new Uint8Array(64); for (var i = 0; i < 64; i++) data[i] = (i * 7) & 255;
var out = new Uint8Array(32);
var crc = P.Crc32c ? new P.Crc32c() : null;
var md5 = P.Md5 ? new P.Md5() : null;
var sha = P.Sha1 ? new P.Sha1() : null;
var mac = P.HmacSha1 ? new P.HmacSha1(10) : null;
if (mac) { var nk = P.nullKey(); mac.setKey(nk, 0, nk.length); }
var ex1 = hx(${JSON.stringify(EX1_CRC)});
var parser = P.Bundle ? new P.Bundle(8, 8) : null;
var plain4k = hx(${JSON.stringify(PRIMARY + payload4k())});
var signer = P.Signer ? new P.Signer(8, 8) : null;
var verifier = P.Verifier ? new P.Verifier(8, 8, 4) : null;
var signOut = new Uint8Array(4400);
var signed = [], signedLen = [];
if (signer) for (var k = 1; k <= 3; k++) { signed[k] = new Uint8Array(4400); signedLen[k] = signer.sign(plain4k, 0, plain4k.length, signed[k], 0, 4400, k, 0); }
var sigCrc = signed[3], lenCrc = signedLen[3], sigMd5 = signed[2], lenMd5 = signedLen[2], sigMac = signed[1], lenMac = signedLen[1];
if (!signer) { sigCrc = hx(${JSON.stringify(signedCrc4kHex())}); lenCrc = sigCrc.length; }
var keyed = null, keyedLen = 0, kverifier = null;
if (P.KeyTable && signer) {
  var kt = new P.KeyTable(4, 8);
  var key = new Uint8Array(20); for (var j = 0; j < 20; j++) key[j] = j * 13 + 1;
  if (kt.install(7, key, 0, 20) >= 0) {
    var ksigner = new P.Signer(8, 8); ksigner.keys = kt;
    keyed = new Uint8Array(4400); keyedLen = ksigner.sign(plain4k, 0, plain4k.length, keyed, 0, 4400, 1, 7);
    kverifier = new P.Verifier(8, 8, 4); kverifier.keys = kt;
    // rollover pending on key id 7: a corrupted bundle makes the verifier try both keys
    var key2 = new Uint8Array(20); for (var j2 = 0; j2 < 20; j2++) key2[j2] = j2 * 29 + 3;
    kt.rollover(7, key2, 0, 20);
    keyedBad = new Uint8Array(4400); for (var q = 0; q < keyedLen; q++) keyedBad[q] = keyed[q]; keyedBad[keyedLen - 5] ^= 0x20;
  }
}
var keyedBad = keyedBad || null;
// three PIBs (CRC-32C, MD5, NULL-key HMAC) on the 4 KiB bundle, for the streaming verifier
var tri = null, triLen = 0, t2Len = 0, sv = null;
if (P.StreamVerifier && signer) {
  var t1 = new Uint8Array(4400), t2 = new Uint8Array(4400);
  tri = new Uint8Array(4400);
  triLen = signer.sign(plain4k, 0, plain4k.length, t1, 0, 4400, 3, 0);
  triLen = t2Len = signer.sign(t1, 0, triLen, t2, 0, 4400, 2, 0);
  triLen = signer.sign(t2, 0, triLen, tri, 0, 4400, 1, 0);
  sv = new P.StreamVerifier(8, 8, 4, 512, 3);
}
var relay = P.Relay && verifier ? new P.Relay(new P.Verifier(8, 8, 4), -1) : null;
`;
}

/** Bundles for the bundle-layer paths: a fragment with an EID reference, IBR-DTN's CBHE bundle, a writer-made one. */
const BUNDLE_SETUP = `
var ex2 = hx("068a8119380004000e00180018fba29000019c102664746e002f2f6473742f617070002f2f7372632f617070006e6f6e65002f2f72656c61792f00070c034101001d0e060d0404020705060504a97beab9010805776f726c64");
var cbhe = hx("061011020301020601000082c9ddc2200b9c100001080a30313233343536373839");
var wspec = new P.PrimarySpec();
wspec.dest = hx("64746e3a2f2f6473742f617070"); wspec.source = hx("64746e3a2f2f7372632f617070"); wspec.reportTo = hx("64746e3a6e6f6e65"); wspec.custodian = wspec.reportTo;
wspec.flags = 0x28098; wspec.ctime.lo = 258508800; wspec.seq.lo = 1; wspec.lifetime.lo = 3600;
var wbuf = new Uint8Array(600), wdata = new Uint8Array(300), bwriter = new P.BundleWriter();
function writeAll() { var q = bwriter.writePrimary(wbuf, 0, 600, wspec); q = P.writeBlock(wbuf, q, 600, 192, 0, false, wdata, 0, 300); return P.writeBlock(wbuf, q, 600, 1, 0, true, wdata, 0, 12); }
var wlen = writeAll();
var eidt = P.EidText ? new P.EidText() : null, dstText = wspec.dest;
var sink = { n: 0, update: function (b, o, l) { this.n = (this.n + l) | 0; } };
`;

const CHECK_VERIFY = (v: string, buf: string, len: string): string =>
  `if (${v}.verifyAll(${buf}, 0, ${len}) < 0 || ${v}.verdict[0] !== 0) throw new Error("verify failed");`;

/** The hot paths. `needs` names the exports a path uses (skipped when a build lacks them). */
export const HOT_PATHS: Array<AllocPath & { needs: string[]; bigIterations?: boolean; quickJsIterations?: number }> = [
  { name: "SDNV read (10-octet 2^64-1)", needs: ["readSdnv"], setup: "", body: "if (P.readSdnv(sdnvMax, 0, 10, u64) !== 10) throw new Error('sdnv');" },
  { name: "SDNV write (u64)", needs: ["writeSdnvU64"], setup: "", body: "if (P.writeSdnvU64(sdnvOut, 0, 12, 4294967295, 4294967295) !== 10) throw new Error('sdnv');" },
  { name: "SDNV write (number)", needs: ["writeSdnv"], setup: "", body: "if (P.writeSdnv(sdnvOut, 0, 12, 258508800 + i) < 0) throw new Error('sdnv');" },
  { name: "CRC-32C update+finish (64 octets)", needs: ["Crc32c"], setup: "", body: "crc.reset(); crc.update(data, 0, 64); crc.finish(out, 0);" },
  { name: "MD5 update+finish (64 octets)", needs: ["Md5"], setup: "", body: "md5.reset(); md5.update(data, 0, 64); md5.finish(out, 0);" },
  { name: "SHA-1 update+finish (64 octets)", needs: ["Sha1"], setup: "", body: "sha.reset(); sha.update(data, 0, 64); sha.finish(out, 0);" },
  { name: "HMAC-SHA1-80 update+finish (64 octets)", needs: ["HmacSha1"], setup: "", body: "mac.reset(); mac.update(data, 0, 64); mac.finish(out, 0);" },
  { name: "bundle parse (Example 1)", needs: ["Bundle"], setup: "", body: "if (parser.parse(ex1, 0, ex1.length) < 0) throw new Error('parse');" },
  // Bundle layer (src/ground/bundle.ts, eid.ts, bundleWriter.ts): multi-octet SDNVs, EID references,
  // fragment fields, CBHE, a long block before the payload, EID text, the writer.
  { name: "bundle parse (fragment with EID reference, CBHE, 300-octet block mid-bundle)", needs: ["Bundle", "BundleWriter"], setup: BUNDLE_SETUP, body: "if (parser.parse(ex2, 0, ex2.length) < 0 || parser.parse(cbhe, 0, cbhe.length) < 0 || parser.parse(wbuf, 0, wlen) < 0) throw new Error('parse');" },
  { name: "EID text emit/equals (dictionary and CBHE)", needs: ["EidText", "BundleWriter"], setup: BUNDLE_SETUP + "var pe = new P.Bundle(4, 4); pe.parse(ex2, 0, ex2.length); var pc = new P.Bundle(4, 4); pc.parse(cbhe, 0, cbhe.length);", body: "eidt.emit(pe, pe.eidScheme[0], pe.eidSsp[0], true, true, sink); eidt.emit(pc, pc.destScheme, pc.destSsp, false, true, sink); if (!eidt.equals(pe, pe.destScheme, pe.destSsp, dstText, 0, dstText.length)) throw new Error('eid');" },
  { name: "bundle writer: primary + 300-octet block + payload", needs: ["BundleWriter"], setup: BUNDLE_SETUP, body: "if (writeAll() < 0) throw new Error('write');" },
  { name: "canonicalize+verify CRC-32C, 4 KiB bundle", needs: ["Verifier", "Crc32c"], setup: "", body: CHECK_VERIFY("verifier", "sigCrc", "lenCrc"), bigIterations: true },
  { name: "canonicalize+verify MD5, 4 KiB bundle", needs: ["Verifier", "Md5"], setup: "", body: CHECK_VERIFY("verifier", "sigMd5", "lenMd5"), bigIterations: true },
  { name: "canonicalize+verify HMAC NULL key, 4 KiB bundle", needs: ["Verifier", "HmacSha1"], setup: "", body: CHECK_VERIFY("verifier", "sigMac", "lenMac"), bigIterations: true },
  { name: "canonicalize+verify HMAC key table (key id 7), 4 KiB bundle", needs: ["Verifier", "KeyTable"], setup: "if (!keyed || keyedLen < 0) throw new Error('keyed setup ' + keyedLen);", body: CHECK_VERIFY("kverifier", "keyed", "keyedLen"), bigIterations: true },
  { name: "keyed HMAC during a rollover: corrupted bundle, both keys tried, 4 KiB", needs: ["Verifier", "KeyTable"], setup: "if (!keyedBad) throw new Error('no rollover setup');", body: "kverifier.verifyAll(keyedBad, 0, keyedLen); if (kverifier.verdict[0] !== 1) throw new Error('verdict ' + kverifier.verdict[0]);", bigIterations: true },
  {
    name: "stream verify, three PIBs, 4 KiB bundle pushed in 64-octet pieces",
    needs: ["StreamVerifier", "Signer"],
    setup: "if (!tri || triLen < 0) throw new Error('stream setup ' + triLen);",
    body: "sv.begin(); for (var o = 0; o < triLen; o += 64) if (sv.push(tri, o, triLen - o < 64 ? triLen - o : 64) < 0) throw new Error('push'); if (sv.end() !== 3 || !sv.allOk()) throw new Error('stream verify');",
    bigIterations: true,
  },
  {
    // in-place signing: the same stream, then each PIB's result into a fixed buffer (seal)
    name: "stream seal, three PIBs, 4 KiB bundle pushed in 64-octet pieces",
    needs: ["StreamVerifier", "Signer"],
    setup: "if (!tri || triLen < 0) throw new Error('stream setup ' + triLen); var sealOut = new Uint8Array(16);",
    body: "sv.begin(); for (var o = 0; o < triLen; o += 64) if (sv.push(tri, o, triLen - o < 64 ? triLen - o : 64) < 0) throw new Error('push'); if (sv.end() !== 3) throw new Error('stream'); for (var k = 0; k < 3; k++) if (sv.seal(k, sealOut, 0) < 4) throw new Error('seal ' + k);",
    bigIterations: true,
  },
  {
    // two-pass signing: the two-PIB bundle pushed in pieces to digest it (lanes for the new
    // NULL-key PIB-HMAC and the two PIBs already there), then copied in pieces with the PIB put in
    name: "stream copy-sign, HMAC NULL key over a two-PIB 4 KiB bundle, both passes in 64-octet pieces",
    needs: ["StreamVerifier", "Signer"],
    setup: "if (!tri || triLen < 0) throw new Error('stream setup ' + triLen); var copyOut = new Uint8Array(4400);",
    body: "sv.begin(1, 0); for (var o = 0; o < t2Len; o += 64) if (sv.push(t2, o, t2Len - o < 64 ? t2Len - o : 64) < 0) throw new Error('push'); if (sv.end() !== triLen) throw new Error('stream sign'); var w = 0; for (o = 0; o < t2Len; o += 64) w = sv.copy(t2, o, t2Len - o < 64 ? t2Len - o : 64, copyOut, w); if (w !== triLen || copyOut[triLen - 1] !== tri[triLen - 1] || copyOut[90] !== tri[90]) throw new Error('copy');",
    bigIterations: true,
  },
  { name: "relay check (CRC-32C PIB, 4 KiB bundle) and tick", needs: ["Relay"], setup: "", body: "relay.tick(); if (relay.check(sigCrc, 0, lenCrc) !== 0) throw new Error('relay dropped a good bundle');", bigIterations: true },
  { name: "sign CRC-32C into a fixed buffer, 4 KiB bundle", needs: ["Signer", "Crc32c"], setup: "", body: "if (signer.sign(plain4k, 0, plain4k.length, signOut, 0, 4400, 3, 0) < 0) throw new Error('sign');", bigIterations: true },
  { name: "sign MD5 into a fixed buffer, 4 KiB bundle", needs: ["Signer", "Md5"], setup: "", body: "if (signer.sign(plain4k, 0, plain4k.length, signOut, 0, 4400, 2, 0) < 0) throw new Error('sign');", bigIterations: true },
  { name: "sign HMAC NULL key into a fixed buffer, 4 KiB bundle", needs: ["Signer", "HmacSha1"], setup: "", body: "if (signer.sign(plain4k, 0, plain4k.length, signOut, 0, 4400, 1, 0) < 0) throw new Error('sign');", bigIterations: true },
];

/** Deliberately allocating controls: each MUST fail, proving the probe can fail. */
export const CONTROL_PATHS: AllocPath[] = [
  { name: "control: new Uint8Array(4) per call", setup: "", body: "var junk = new Uint8Array(4); junk[0] = i;" },
  { name: "control: string concatenation per call", setup: "", body: "var s = 'n' + i; if (s.length === 0) throw new Error();" },
  { name: "control: one allocation every 1,000 calls", setup: "", body: "if (i % 1000 === 999) { var a = [i, i]; if (a.length !== 2) throw new Error(); }" },
];
