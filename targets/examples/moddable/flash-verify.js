/*
 * pibkit on Moddable XS: verify a bundle kept in a flash partition that is larger than
 * free RAM, piece by piece, with the pib-path+stream firmware's StreamVerifier. Every
 * PIB of the bundle (RFC 6257; the suites of draft-irtf-dtnrg-bundle-checksum-02 §3) is
 * checked while the bundle goes through the verifier once; the payload is never held in
 * RAM. pibkit's working memory is fixed when the verifier is made: a window for the
 * blocks around the payload and one digest lane per payload-covering PIB.
 *
 * The partition: octets 0-3 the bundle's length (big-endian), then the bundle. An erased
 * partition reads 0xFF, a length larger than the partition: no bundle. On ESP32 the
 * partition is a data partition named PARTITION in the board's partition table (a custom
 * table is named by PARTITIONS_FILE in the manifest's "build" section).
 *
 * The SDK's Flash.read(offset, byteLength) returns a new ArrayBuffer each call (its flash
 * module has no form that reads into a buffer the caller keeps), so every piece is one
 * allocation of at most PIECE octets here in the app, dropped before the next read and
 * reclaimed by XS's collector; pibkit itself allocates nothing per piece.
 *
 * Needs the Moddable SDK and `make firmware` first (../../../dist/moddable/). Then, from
 * this folder:  mcconfig -d -m -p esp32 flash-verify.json
 */
import Flash from "flash";
import { StreamVerifier } from "pibkit";

const PARTITION = "bundles";
const PIECE = 512; // octets per read
const WINDOW = 512; // octets for the blocks before the payload, then for those after it

const SUITES = ["?", "PIB-HMAC", "PIB-INSECURE-MD5", "PIB-INSECURE-CRC32"];
const VERDICTS = ["ok", "MISMATCH", "unknown suite", "unknown key", "malformed", "skipped (fragment)", "skipped (budget)"];
// The codes of the streaming verifier's fixed limits (src/core/errors.ts)
const LIMITS = { 24: "HeaderTooLarge", 25: "TrailerTooLarge", 52: "TooManyDigests" };
const NO_BUNDLE = -1000; // below every pibkit error code

function log(s) {
  if (typeof trace === "function") trace(s + "\n");
  else if (typeof print === "function") print(s);
}

/** Verifies the bundle in `flash`: the number of PIBs (verdicts in verifier.verdict), NO_BUNDLE, or a negative pibkit error code. */
function verifyPartition(flash, verifier) {
  const head = new Uint8Array(flash.read(0, 4));
  const length = ((head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3]) >>> 0;
  if (length === 0 || length > flash.byteLength - 4) return NO_BUNDLE;
  let r = 0;
  verifier.begin();
  for (let off = 0; off < length && r === 0; off += PIECE) {
    const n = length - off < PIECE ? length - off : PIECE;
    r = verifier.push(new Uint8Array(flash.read(4 + off, n)), 0, n);
  }
  return verifier.end();
}

export default function main() {
  // Created once: pibkit's fixed working memory. Up to 8 blocks, 8 EID references and
  // 4 PIBs; 3 digest lanes (HMAC, MD5 and CRC-32C PIBs before the payload).
  const verifier = new StreamVerifier(8, 8, 4, WINDOW, 3);
  const flash = new Flash(PARTITION);

  const count = verifyPartition(flash, verifier);
  if (count === NO_BUNDLE) {
    log(PARTITION + ": no bundle");
    return "no bundle";
  }
  if (count < 0) {
    const name = LIMITS[-count];
    log(PARTITION + ": pibkit error " + -count + (name ? " (" + name + ": raise WINDOW or the lanes)" : ""));
    return "error " + -count;
  }
  for (let k = 0; k < count; k++) log(PARTITION + ": PIB " + k + " " + SUITES[verifier.kind[k]] + " " + VERDICTS[verifier.verdict[k]]);
  const intact = verifier.allOk();
  log(PARTITION + ": " + (intact ? "intact" : "NOT intact"));
  return intact ? "intact" : "NOT intact";
}
