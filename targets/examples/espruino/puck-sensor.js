// Puck.js (Espruino): sign sensor readings as RFC 5050 bundles with a
// PIB-INSECURE-CRC32 checksum (draft-irtf-dtnrg-bundle-checksum-02 §3), check each
// signed bundle, and send it as hex over the console (Bluetooth UART when connected).
// The on-board path has no bundle writer, so the primary block is written here by
// hand: a fixed dictionary, the changing fields as SDNVs (RFC 5050 §4.1, §4.5.1).
// Everything is allocated once at start-up; each reading reuses the same buffers.
// pibkit is in Storage (make flash-espruino); named through a variable so that the
// espruino CLI, which scans for require("…") literals, does not look for it on the web.
var MODULE = "pibkit";
var p = require(MODULE);
// sign() and the verdict tables speak of suite KINDS (the algorithm: 1 HMAC-SHA1,
// 2 MD5, 3 CRC-32C); the wire carries the ciphersuite ID (0x06 for PIB-INSECURE-CRC32),
// a number the firmware build configures and the kind never changes with.
var SUITE_CRC32 = 3; // detects corruption, authenticates nothing (INSECURE)

function ascii(s) {
  var b = new Uint8Array(s.length);
  for (var i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

// Dictionary (RFC 5050 §4.5.1): "dtn" at 0, "//ground/sensors" at 4, "//puck-1/temp" at 21,
// "none" at 35; destination dtn://ground/sensors, source dtn://puck-1/temp, report-to and
// custodian dtn:none. Every offset is < 128, so each is one SDNV octet.
var DICT = ascii("dtn\0//ground/sensors\0//puck-1/temp\0none\0");
var EIDS = [0, 4, 0, 21, 0, 35, 0, 35]; // dest, source, report-to, custodian: (scheme, ssp)
var FLAGS = 0x10 | 0x80; // singleton destination, normal priority (RFC 5050 §4.2)
var LIFETIME = 86400;
var reading = new Uint8Array(8); // payload: sequence (u32) + temperature in 1/100 degC (i32), big-endian
var body = new Uint8Array(96); // primary block after its length field
var plain = new Uint8Array(160); // bundle without PIB
var signed = new Uint8Array(192); // bundle with PIB
// One path on the node: the Signer shares the Verifier's digests and scratch (a Signer
// made without one builds a second copy of the whole path, ~500 JsVars more).
var verifier = new p.Verifier(4, 4, 1); // up to 4 blocks, 4 EID references, 1 PIB
var signer = new p.Signer(4, 4, verifier);
var seq = 0;

/** Writes the primary block and the payload block into plain; the length or a negative pibkit error code. */
function writeBundle(now) {
  var n = 0, i;
  for (i = 0; i < EIDS.length; i++) body[n++] = EIDS[i];
  n = p.writeSdnv(body, n, body.length, now); // creation time, seconds since 2000-01-01
  if (n >= 0) n = p.writeSdnv(body, n, body.length, seq); // creation sequence number
  if (n >= 0) n = p.writeSdnv(body, n, body.length, LIFETIME);
  if (n >= 0) n = p.writeSdnv(body, n, body.length, DICT.length);
  if (n < 0) return n;
  for (i = 0; i < DICT.length; i++) body[n++] = DICT[i];
  plain[0] = 6; // version (RFC 5050 §4.5.1)
  var q = p.writeSdnv(plain, 1, plain.length, FLAGS);
  if (q >= 0) q = p.writeSdnv(plain, q, plain.length, n); // block length: the octets after it
  if (q < 0) return q;
  for (i = 0; i < n; i++) plain[q++] = body[i];
  plain[q++] = 1; // payload block (§4.5.2): type 1, flags 0x08 = last block, length, data
  plain[q++] = 0x08;
  plain[q++] = reading.length;
  for (i = 0; i < reading.length; i++) plain[q++] = reading[i];
  return q;
}

/** Builds and signs one reading; returns the signed length or a negative pibkit error code. */
function sample(tempC, now) {
  var t = Math.round(tempC * 100) | 0;
  reading[0] = seq >>> 24; reading[1] = seq >>> 16; reading[2] = seq >>> 8; reading[3] = seq;
  reading[4] = t >>> 24; reading[5] = t >>> 16; reading[6] = t >>> 8; reading[7] = t;
  var n = writeBundle(now >>> 0);
  seq++;
  if (n < 0) return n;
  n = signer.sign(plain, 0, n, signed, 0, signed.length, SUITE_CRC32, 0);
  // check what goes out: the buffer may have been hit since it was written
  if (n >= 0 && !(verifier.verifyAll(signed, 0, n) === 1 && verifier.allOk())) return -1000;
  return n;
}

function hex(b, n) {
  var s = "";
  for (var i = 0; i < n; i++) s += (b[i] < 16 ? "0" : "") + b[i].toString(16);
  return s;
}

// Every minute: read the temperature, sign, check, send. 946684800 = 2000-01-01 in Unix seconds.
function tick() {
  var n = sample(E.getTemperature(), Math.floor(Date.now() / 1000) - 946684800);
  print(n === -1000 ? "signed bundle failed its check" : n < 0 ? "pibkit error " + -n : "bundle " + hex(signed, n));
}
setInterval(tick, 60000);
tick();
