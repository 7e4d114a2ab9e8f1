// Espruino: sign a bundle kept unsigned in a StorageFile (flash) into another
// StorageFile, with the pib-path+stream firmware's StreamVerifier, for bundles larger
// than free RAM. The PIB goes before the payload (RFC 6257 §3.2), so its result is
// needed before the payload is written: the source is read twice. Pass 1 digests it
// (begin with a suite, push each piece, end gives the signed length); pass 2 reads it
// again and copy() writes each piece with the new PIB (PIB-INSECURE-CRC32 by default;
// draft-irtf-dtnrg-bundle-checksum-02 §3) put in after the primary block. Working
// memory is fixed at start-up: two small buffers, the window for the blocks around the
// payload and the digest lanes; the payload itself is never held in RAM.
// A StorageFile cannot hold the octet 0xFF (erased flash marks its end), so each
// bundle is stored as one line of lowercase hex.
var MODULE = "pibkit"; // through a variable: the espruino CLI looks up require("…") literals on the web
var p = require(MODULE);
var storage = require("Storage");

var SOURCE = "bundle"; // the unsigned bundle
var TARGET = "bundle.signed"; // the signed bundle, written anew
// The suite KIND (the algorithm): 1 PIB-HMAC with the published NULL key (no security),
// 2 PIB-INSECURE-MD5, 3 PIB-INSECURE-CRC32; the firmware writes that suite's wire id.
var SUITE = 3;
var PIECE = 128; // hex characters per read (64 octets)
var HEX = "0123456789abcdef";
var io = new Uint8Array(PIECE / 2); // octets decoded from one read
var out = new Uint8Array(PIECE / 2 + 44); // one piece and, once, the new PIB (at most 44 octets)
// Up to 8 blocks (the new PIB counted), 8 EID references and 2 PIBs (the new one and
// one already there, which is checked on the way); a 256-octet window for the blocks
// before the payload with the new PIB, and for those after it; 2 digest lanes (one per
// PIB before the payload).
var signer = new p.StreamVerifier(8, 8, 2, 256, 2);

/**
 * Reads StorageFile `name` (one line of hex) piece by piece; each(n) gets the octets in
 * io[0, n) and returns 0 to go on or a negative code to stop. Returns that code, -1003
 * when the line holds a character that is not lowercase hex or an odd number of digits,
 * or 0.
 */
function eachPiece(name, each) {
  var f = storage.open(name, "r");
  var r = 0, hi = -1, end = 0, n, i, c, s;
  while (!r && !end && (s = f.read(PIECE)) !== undefined) {
    n = 0;
    for (i = 0; i < s.length; i++) {
      c = s.charCodeAt(i);
      if (c === 10 || c === 13) {
        end = 1; // the end of the line (a CR LF one too)
        break;
      }
      c = c < 58 ? c - 48 : c - 87; // '0'…'9', 'a'…'f'
      if (c < 0 || c > 15) return -1003;
      if (hi < 0) hi = c;
      else {
        io[n++] = (hi << 4) | c;
        hi = -1;
      }
    }
    if (n) r = each(n);
  }
  // an odd number of hex digits: the last octet is cut
  return r || (hi < 0 ? 0 : -1003);
}

/**
 * Signs StorageFile `source` into StorageFile `target` with suite kind `suite`: the
 * signed length, or a negative pibkit error code, or -1001 (the target could not take
 * it), -1002 (a PIB already in the bundle does not match: not signed), -1003 (not hex).
 */
function signFile(source, target, suite) {
  // Pass 1: the digest (the new PIB's, and those of the PIBs already there).
  signer.begin(suite, 0);
  var r = eachPiece(source, function (n) {
    return signer.push(io, 0, n);
  });
  var total = signer.end();
  if (r < 0 || total < 0) return r < 0 ? r : total;
  // The PIBs already there were checked on the way (verdict[1…]; verdict[0] is the new
  // one's): a new PIB over a payload one of them finds changed would vouch for the change.
  for (var k = 1; k < signer.count; k++) if (signer.verdict[k] === 1) return -1002;
  // Pass 2: the same octets again, written out with the PIB put in. A failure erases
  // the target: no half-signed bundle is left behind.
  var f = storage.open(target, "w");
  try {
    r = eachPiece(source, function (n) {
      var m = signer.copy(io, 0, n, out, 0), s = "";
      if (m < 0) return m;
      for (var i = 0; i < m; i++) s += HEX[out[i] >> 4] + HEX[out[i] & 15];
      f.write(s);
      return 0;
    });
    if (r >= 0) f.write("\n");
  } catch (e) {
    r = -1001;
  }
  if (r < 0) f.erase();
  return r < 0 ? r : total;
}

var n = signFile(SOURCE, TARGET, SUITE);
var WHY = { "-1001": "flash full", "-1002": "a PIB already there does not match its payload: not signed", "-1003": SOURCE + " is not lowercase hex" };
print(TARGET + ": " + (n >= 0 ? n + " octets, signed" : WHY[n] || "pibkit error " + -n));
