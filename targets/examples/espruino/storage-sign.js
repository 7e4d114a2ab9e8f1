// Espruino: sign sensor readings as RFC 5050 bundles with a PIB (PIB-INSECURE-CRC32 by
// default; draft-irtf-dtnrg-bundle-checksum-02 §3), append each to a StorageFile in
// flash, and check everything stored so far with the pib-path+stream firmware's
// StreamVerifier, reading the file back piece by piece: the file may hold far more than
// free RAM. Every buffer is allocated once at start-up.
// A StorageFile cannot hold the octet 0xFF (erased flash marks its end), so each bundle
// is stored as one line of lowercase hex.
var MODULE = "pibkit"; // through a variable: the espruino CLI looks up require("…") literals on the web
var p = require(MODULE);
var storage = require("Storage");

var FILE = "readings"; // the StorageFile the bundles are appended to
// The suite KIND (the algorithm): 1 PIB-HMAC with the published NULL key (no security),
// 2 PIB-INSECURE-MD5, 3 PIB-INSECURE-CRC32; the firmware writes that suite's wire id.
var SUITE = 3;
var PIECE = 128; // hex characters per read when checking (64 octets)

function ascii(s) {
  var b = new Uint8Array(s.length);
  for (var i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

// Dictionary (RFC 5050 §4.5.1): "dtn" at 0, "//ground/sensors" at 4, "//node-1/temp" at 21,
// "none" at 35; destination dtn://ground/sensors, source dtn://node-1/temp, report-to and
// custodian dtn:none. Every offset is < 128, so each is one SDNV octet.
var DICT = ascii("dtn\0//ground/sensors\0//node-1/temp\0none\0");
var EIDS = [0, 4, 0, 21, 0, 35, 0, 35]; // dest, source, report-to, custodian: (scheme, ssp)
var FLAGS = 0x10 | 0x80; // singleton destination, normal priority (RFC 5050 §4.2)
var LIFETIME = 86400;
var HEX = "0123456789abcdef";
var reading = new Uint8Array(8); // payload: sequence (u32) + temperature in 1/100 degC (i32), big-endian
var body = new Uint8Array(96); // primary block after its length field
var plain = new Uint8Array(160); // bundle without PIB
var signed = new Uint8Array(192); // bundle with PIB
var io = new Uint8Array(PIECE / 2); // octets decoded from one read, pushed to the verifier
// Up to 4 blocks, 4 EID references, 1 PIB; a 256-octet window (a stored bundle fits it
// whole; a larger one would stream through the same loop) and 1 digest lane.
var verifier = new p.StreamVerifier(4, 4, 1, 256, 1);
// The Signer shares the verifier's digests and scratch (one path in RAM); it never runs
// while a check is between begin and end.
var signer = new p.Signer(4, 4, verifier);
var file = storage.open(FILE, "a");
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

/**
 * Builds, signs and appends one reading: the signed length, or a negative pibkit error
 * code (-1000: the signed bundle failed its check; -1001: the file could not take it).
 */
function record(tempC, now) {
  var t = Math.round(tempC * 100) | 0;
  reading[0] = seq >>> 24; reading[1] = seq >>> 16; reading[2] = seq >>> 8; reading[3] = seq;
  reading[4] = t >>> 24; reading[5] = t >>> 16; reading[6] = t >>> 8; reading[7] = t;
  var n = writeBundle(now >>> 0);
  seq++;
  if (n < 0) return n;
  n = signer.sign(plain, 0, n, signed, 0, signed.length, SUITE, 0);
  if (n < 0) return n;
  // check what goes to flash: the buffer may have been hit since it was written
  if (!(verifier.verifyAll(signed, 0, n) === 1 && verifier.allOk())) return -1000;
  var s = "";
  for (var i = 0; i < n; i++) s += HEX[signed[i] >> 4] + HEX[signed[i] & 15];
  try {
    file.write(s + "\n");
  } catch (e) {
    return -1001;
  }
  return n;
}

/** Prints the verdict of bundle k just pushed (end() gives its number of PIBs or a pibkit error code); 1 if intact. */
function verdict(k) {
  var r = verifier.end();
  if (r < 0) print(FILE + ": bundle " + k + ": pibkit error " + -r);
  else if (!verifier.allOk()) print(FILE + ": bundle " + k + ": NOT intact");
  return r > 0 && verifier.allOk() ? 1 : 0;
}

/** Checks every bundle in FILE, piece by piece; prints each one not intact and a summary; returns how many are not intact. */
function checkAll() {
  var f = storage.open(FILE, "r");
  var count = 0, good = 0, n = 0, hi = -1, r = 0, started = false, s, i, c;
  verifier.begin();
  while ((s = f.read(PIECE)) !== undefined) {
    for (i = 0; i < s.length; i++) {
      c = s.charCodeAt(i);
      if (c === 10) {
        // end of one bundle's line
        if (n && !r) r = verifier.push(io, 0, n);
        good += verdict(count++);
        n = r = 0;
        hi = -1;
        started = false;
        continue;
      }
      started = true;
      c = c < 58 ? c - 48 : c - 87; // '0'…'9', 'a'…'f'
      if (hi < 0) {
        hi = c;
        continue;
      }
      io[n++] = (hi << 4) | c;
      hi = -1;
      if (n === io.length) {
        if (!r) r = verifier.push(io, 0, n);
        n = 0;
      }
    }
  }
  if (started) {
    // a last line cut short (power lost while appending)
    verifier.end();
    print(FILE + ": bundle " + count++ + ": incomplete");
  }
  print(FILE + ": " + count + " bundles, " + good + " intact");
  return count - good;
}

// Every minute a reading; every hour a check of everything stored so far.
// 946684800 = 2000-01-01 in Unix seconds.
function tick() {
  var n = record(E.getTemperature(), Math.floor(Date.now() / 1000) - 946684800);
  if (n < 0) print("reading " + (seq - 1) + ": " + (n === -1000 ? "signed bundle failed its check" : n === -1001 ? FILE + " is full" : "pibkit error " + -n));
  if (seq % 60 === 0) checkAll();
}
setInterval(tick, 60000);
