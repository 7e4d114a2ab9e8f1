/*
 * pibkit on Moddable XS: sign a bundle with PIB-INSECURE-CRC32, verify it, and act as
 * a relay that drops a corrupted copy (draft-irtf-dtnrg-bundle-checksum-02 §3.1:
 * intermediate nodes SHOULD check unkeyed PIBs and discard on mismatch).
 *
 * Needs the Moddable SDK (mcconfig on the PATH, $MODDABLE set) and `make firmware`
 * run first, which writes ../../../dist/moddable/ (pibkit.js and its manifest.json).
 * Then, from this folder:  mcconfig -d -m -p esp32  (a board)  or  mcconfig -m -p lin
 * (a host run). pibkit is preloaded (dist/moddable/manifest.json), so its code and
 * constant tables live in flash; everything writable is created here, at start-up.
 */
import { Signer, Verifier } from "pibkit";

const PIB_CRC32 = 3; // SuiteKind.Crc32
const OK = 0; // Verdict.Ok

function log(s) {
  if (typeof trace === "function") trace(s + "\n");
  else if (typeof print === "function") print(s);
}

function hex(b, off, len) {
  let s = "";
  for (let i = 0; i < len; i++) s += (b[off + i] < 16 ? "0" : "") + b[off + i].toString(16);
  return s;
}

function fromHex(h) {
  const b = new Uint8Array(h.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(h.substr(2 * i, 2), 16);
  return b;
}

export default function main() {
  // Example 1 of docs/pib.md without its PIB: primary block + "Hello, world" payload
  const bundle = fromHex(
    "068a81182d0004000e00180018fba29000019c101d64746e002f2f6473742f617070002f2f7372632f617070006e6f6e6500" +
      "01080c48656c6c6f2c20776f726c64",
  );
  // Created once: state objects and buffers (nothing writable may live at module level under preload).
  // The Signer shares the Verifier's digests and scratch: one path in RAM, not two.
  const verifier = new Verifier(8, 8, 4);
  const signer = new Signer(8, 8, verifier);
  const out = new Uint8Array(256);

  const n = signer.sign(bundle, 0, bundle.length, out, 0, out.length, PIB_CRC32, 0);
  if (n < 0) {
    log("sign failed: error " + -n);
    return "sign failed";
  }
  log("signed: " + hex(out, 0, n));

  verifier.verifyAll(out, 0, n);
  const good = verifier.count === 1 && verifier.verdict[0] === OK;
  log("verify: " + (good ? "ok (PIB-INSECURE-CRC32: detects corruption, proves nothing about the sender)" : "FAILED"));

  // Relay: a bit flipped in the payload on the way; the relay checks and drops it.
  out[n - 2] ^= 0x04;
  verifier.verifyAll(out, 0, n);
  const dropped = verifier.count === 1 && verifier.verdict[0] !== OK;
  log("relay: corrupted copy " + (dropped ? "dropped" : "FORWARDED (bug)"));
  return good && dropped ? "ok" : "failed";
}
