// Puck.js (Espruino): sign sensor readings as RFC 5050 bundles with a
// PIB-INSECURE-CRC32 checksum (draft-irtf-dtnrg-bundle-checksum-02 §3), and send them.
// Upload the firmware first:  make flash-espruino PORT=<puck address> BOARD=espruino-puckjs SUITES=insecure-crc32
// then send this file with the Espruino IDE or `npx espruino -p <port> puck-sensor.js`.
// Everything is allocated once at start-up; each reading reuses the same buffers.
var p = require("pibkit");
var SUITE_CRC32 = 3; // SuiteKind.Crc32: detects corruption, authenticates nothing (INSECURE)

function ascii(s) {
  var b = new Uint8Array(s.length);
  for (var i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

var spec = new p.PrimarySpec();
spec.flags = 0x10 | 0x80; // singleton destination, normal priority (RFC 5050 §4.2)
spec.dest = ascii("dtn://ground/sensors");
spec.source = ascii("dtn://puck-1/temp");
spec.reportTo = ascii("dtn:none");
spec.custodian = ascii("dtn:none");
spec.lifetime.lo = 86400;
var writer = new p.BundleWriter();
var signer = new p.Signer(4, 4);
var reading = new Uint8Array(8); // payload: sequence (u32) + temperature in 1/100 degC (i32), big-endian
var plain = new Uint8Array(160); // bundle without PIB
var signed = new Uint8Array(192); // bundle with PIB
var seq = 0;

/** Builds and signs one reading; returns the signed length or a negative pibkit error code. */
function sample(tempC, now) {
  var t = Math.round(tempC * 100) | 0;
  reading[0] = seq >>> 24; reading[1] = seq >>> 16; reading[2] = seq >>> 8; reading[3] = seq;
  reading[4] = t >>> 24; reading[5] = t >>> 16; reading[6] = t >>> 8; reading[7] = t;
  spec.ctime.lo = now >>> 0; // seconds since 2000-01-01 (RFC 5050 §4.5.1)
  spec.seq.lo = seq;
  seq++;
  var n = writer.writePrimary(plain, 0, plain.length, spec);
  if (n < 0) return n;
  n = p.writeBlock(plain, n, plain.length, 1, 0, true, reading, 0, reading.length);
  if (n < 0) return n;
  return signer.sign(plain, 0, n, signed, 0, signed.length, SUITE_CRC32, 0);
}

function hex(b, n) {
  var s = "";
  for (var i = 0; i < n; i++) s += (b[i] < 16 ? "0" : "") + b[i].toString(16);
  return s;
}

// Every minute: read the temperature, sign, and send the bundle as hex over the console
// (Bluetooth UART when connected). 946684800 = 2000-01-01 in Unix seconds.
function tick() {
  var n = sample(E.getTemperature(), Math.floor(Date.now() / 1000) - 946684800);
  print(n < 0 ? "pibkit error " + -n : "bundle " + hex(signed, n));
}
setInterval(tick, 60000);
tick();
