// Espruino: verify a bundle kept in Storage (flash) that is larger than free RAM, piece
// by piece, with the pib-path+stream firmware's StreamVerifier: every PIB of the bundle
// (RFC 6257; the suites of draft-irtf-dtnrg-bundle-checksum-02 §3) is checked while the
// bundle goes through one small I/O buffer once. Working memory is fixed at start-up:
// the I/O buffer, the verifier's window for the blocks around the payload, and its
// digest lanes; the payload itself is never held in RAM.
// Storage.read(name, offset, length) returns at most `length` characters of the file
// (fewer at its end), read in place from flash.
var MODULE = "pibkit"; // through a variable: the espruino CLI looks up require("…") literals on the web
var p = require(MODULE);
var storage = require("Storage");

var PIECE = 128; // octets per read
var io = new Uint8Array(PIECE);
// up to 8 blocks, 8 EID references and 4 PIBs; a 512-octet window; 1 digest lane per
// payload-covering PIB before the payload (HMAC, MD5 and CRC-32C signed: 3)
var verifier = new p.StreamVerifier(8, 8, 4, 512, 3);

var SUITES = ["?", "PIB-HMAC", "PIB-INSECURE-MD5", "PIB-INSECURE-CRC32"];
var VERDICTS = ["ok", "MISMATCH", "unknown suite", "unknown key", "malformed", "skipped (fragment)", "skipped (budget)"];

/** Verifies Storage file `name`: the number of PIBs (verdicts in verifier.verdict), or a negative pibkit error code. */
function verifyFile(name) {
  var r = 0, off = 0, n, i, s;
  verifier.begin();
  do {
    s = storage.read(name, off, PIECE);
    n = s ? s.length : 0;
    for (i = 0; i < n; i++) io[i] = s.charCodeAt(i);
    if (n) r = verifier.push(io, 0, n);
    off += n;
  } while (n === PIECE && r === 0);
  return verifier.end();
}

function report(name) {
  var count = verifyFile(name);
  if (count < 0) return print(name + ": pibkit error " + -count);
  for (var k = 0; k < count; k++) print(name + ": PIB " + k + " " + SUITES[verifier.kind[k]] + " " + VERDICTS[verifier.verdict[k]]);
  print(name + ": " + (verifier.allOk() ? "intact" : "NOT intact"));
}

report("bundle.bin");
